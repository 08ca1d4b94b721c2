import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BackAtWait, startLocalWorkflow } from '../../infra/local/local-workflow.js';
import { createSfnTaskControl } from '../../shared/adapters/sfn.js';
import { TaskTokenSpentError } from '../../shared/errors.js';
import { memoryRegistry } from '../support/execution-registry.js';
import { awaitApprovalAslFile, endedWaitOnRecord, localSfnClient } from '../support/await-approval-machine.js';

/*
 * attack-45a, target 2: the local runtime's wait that ended while it was down (infra/local/local-workflow.ts
 * `decisionTakenInTime`, session 43), as test/unit/runtime/local-workflow-timeout.test.ts sets one up.
 */
const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:attack-45a';
describe('attack-45a: a wait that ended while the local runtime was down', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  // attack-45a finding A3 (medium) (fixed, session 43): infra/local/local-workflow.ts `decisionTakenInTime` registers a live waiter
  // (`newWait`: `expired: false`, `requesting: true`) on the token of a wait that has ALREADY ended, for as long as
  // `onBackAtWait` runs (the runtime's resumeDecisionOfWait: an incident read, a resume). Only that path checks the
  // decision's time against `endedAt` (shared/reconcile/approval-resumes.ts). Any other SendTaskSuccess on the token in
  // that window (on-call running the e-mailed `aws stepfunctions send-task-success` against the local endpoint, after
  // the wait's end) finds the waiter, is answered 200 and answers the wait: a decision taken after the timeout is
  // applied (the runbook runs), where Step Functions, and this runtime before session 43, answer TaskTimedOut and run
  // the Catch path. Required: the waiter of an ended wait takes only the decision resumeDecisionOfWait vetted (e.g.
  // mark it `expired` and pass the vetted decision in directly, or check settleTask's arrival time against endedAt).
  it('refuses a decision sent after the wait ended, while the restarted execution is back at it, as TaskTimedOut', async () => {
    // Prepare: what a runtime stopped while the execution waited leaves on record: running, a wait of 1 s begun 2 s ago.
    const registry = memoryRegistry();
    const name = 'ended-while-down';
    await endedWaitOnRecord(registry, STATE_MACHINE, name);
    let back: BackAtWait | null = null;
    let release: () => void = () => {};
    const resumeRead = new Promise<void>((resolve) => { release = resolve; });
    let notified: { approval?: unknown; approvalError?: unknown } | null = null;
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async () => ({}) },
      tasks: { Notify: async (input) => { notified = input as typeof notified; return {}; } },
      // The runtime's resume (resumeDecisionOfWait): it finds no decision taken before `endedAt` and sends nothing.
      onBackAtWait: async (wait) => { back = wait; await resumeRead; },
    });
    close = async () => { release(); await workflow.close(); };
    const tasks = createSfnTaskControl(localSfnClient(workflow.endpoint));

    // Act: restarted, the execution is back at its ended wait; on-call's e-mailed approve arrives now, after its end.
    await workflow.resumeRunning();
    await vi.waitFor(() => expect(back).not.toBeNull(), { timeout: 5_000 });
    expect(Date.now()).toBeGreaterThan(Date.parse(back!.endedAt!));
    const late = await tasks.succeed(back!.token, { approvedBy: 'late-oncall' }).then(() => 'taken', (error: unknown) => error);
    release();

    // Required: refused as Step Functions refuses a timed-out token, and the wait timed out (Catch path).
    await vi.waitFor(() => expect(notified).not.toBeNull(), { timeout: 5_000 });
    expect(late).toBeInstanceOf(TaskTokenSpentError);
    expect(notified).not.toHaveProperty('approval');
    expect(notified).toMatchObject({ approvalError: { Error: 'States.Timeout' } });
  }, 15_000);

  // Control (held): with no decision and none sent, the ended wait times out and the Catch path runs.
  it('control: an ended wait with no decision taken times out on restart', async () => {
    const registry = memoryRegistry();
    const name = 'ended-no-decision';
    await endedWaitOnRecord(registry, STATE_MACHINE, name);
    let notified: { approval?: unknown; approvalError?: unknown } | null = null;
    const workflow = await startLocalWorkflow({
      aslPath: awaitApprovalAslFile(), substitutions: {}, stateMachineArn: STATE_MACHINE, registry, retryDelayMs: 1,
      tokenTasks: { AwaitApproval: async () => ({}) },
      tasks: { Notify: async (input) => { notified = input as typeof notified; return {}; } },
      onBackAtWait: async () => {},
    });
    close = () => workflow.close();
    await workflow.resumeRunning();
    await vi.waitFor(() => expect(notified).not.toBeNull(), { timeout: 5_000 });
    expect(notified).toMatchObject({ approvalError: { Error: 'States.Timeout' } });
  }, 15_000);
});
