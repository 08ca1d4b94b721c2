import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LambdaHandler, invokeWithTimeout } from '../../infra/local/lambda-invocation.js';
import { stepHandler } from '../../shared/runtime/lambda.js';
import { invocationDeadline, withInvocationDeadline } from '../../shared/runtime/step-deadline.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { APPROVED_CHECKOUT_RUNBOOK, alarmTriggerAt, mailedTokens } from '../support/alarm-approvals.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';

/*
 * attack-45a, target 4: shared/runtime/lambda.ts stepHandler's middy `timeoutEarlyResponse` now fails a step still
 * running 5 ms before the Lambda's timeout with RetryableError, which the state machine's Retry matches (session 43).
 */
beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('OUTBOX_PATH', '');
});
afterAll(() => vi.unstubAllEnvs());

describe('attack-45a: an approval request whose Notify overran its invocation, then retried', () => {
  // attack-45a finding A4 (medium) (fixed, session 43): middy's early timeout answers while the step's promise still runs (it cannot stop
  // it; the step's deadline signal reaches only GitHub/SSM/Secrets Manager calls: DynamoDB stores and the SNS publisher
  // take no signal). Before session 43 that answer (TimeoutError) went to the Catch path; now it is a RetryableError and
  // AwaitApproval retries Notify with a NEW task token while the overrun attempt is still alive (in the local runtime at
  // once, same process; in Lambda as soon as the warm container is thawed for the next invocation, typically the
  // retry itself). Here attempt 1 is held by a DynamoDB call that answers late (the ledger's record of its request,
  // SDK calls have no timeout): the retry e-mails token-2 (saying nothing of token-1, not yet marked), then attempt 1
  // wakes and e-mails token-1, a token Step Functions no longer takes, AFTER the live one: on-call's newest e-mail is
  // dead and answering it is refused. Required: an invocation answered "retry" leaves no side effect behind it: steps
  // stop at the aborted deadline signal before each side effect (the SNS publish, the ledger/incident writes), or
  // stepHandler answers only once the step's promise settled (or keeps the early timeout non-retryable for Notify).
  // Session 43's fix: stepHandler no longer answers early (in AWS, Lambda stops the step at its timeout and answers
  // Sandbox.Timedout); the local runtime answers Sandbox.Timedout only once the attempt settled
  // (infra/local/lambda-invocation.ts), and a page is not published past the step's deadline. Attempt 1 is therefore
  // invoked as the local runtime invokes AwaitApproval's notify, and the retry starts once that invocation answered.
  it("leaves on-call only e-mails whose commands answer the execution's wait", async () => {
    const { deps, published } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks: APPROVED_CHECKOUT_RUNBOOK }) });
    const trigger = alarmTriggerAt('2026-11-20T10:03:12.000Z');
    deps.clock = () => new Date('2026-11-20T10:03:12.000Z');
    await classifyStep({ trigger }, deps);
    await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger }, deps);
    // Attempt 1's record of its request in the ledger answers only once released (a stalled DynamoDB connection).
    const record = deps.escalationLedger.record.bind(deps.escalationLedger);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => { release = resolve; });
    let held = false;
    deps.escalationLedger.record = async (occurrence) => {
      if (!held && occurrence.key.startsWith(`approval:${occurrence.incidentId}:`)) {
        held = true;
        await released;
      }
      return record(occurrence);
    };
    const handler = (await stepHandler(notifyStep, () => deps)) as unknown as LambdaHandler;

    // Act: attempt 1 (token-1) overruns its invocation (300 ms here); nothing answers while it runs, so no retry starts.
    let answered = false;
    const attempt = invokeWithTimeout(handler, { trigger, approvalRequest: { taskToken: 'token-1' } }, { functionName: 'notify', timeoutMs: 300 })
      .then(() => null, (error: unknown) => error)
      .finally(() => { answered = true; });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(held).toBe(true);
    expect(answered).toBe(false);
    // Attempt 1's late DynamoDB answer comes; only then is the invocation answered, with the error every step retries.
    release();
    const first = await attempt;
    expect((first as Error).name).toBe('Sandbox.Timedout');
    expect(mailedTokens(published)).toEqual([]);
    // The state machine's retry, with a new token.
    deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
    await notifyStep({ trigger, approvalRequest: { taskToken: 'token-2' } }, deps);

    // Required: every e-mail on-call holds answers the wait the execution is in (token-2).
    expect(mailedTokens(published)).toEqual(['token-2']);
    expect((await deps.incidents.get(trigger.incidentId))?.history.filter((h) => h.event === 'approval_requested')).toHaveLength(1);
  });
});

describe('attack-45a: invocation deadlines of concurrent invocations in one process (the local runtime)', () => {
  // Control (held): each of two interleaved invocations reads its own deadline after awaits, and none outside them.
  it('control: keeps each concurrent invocation its own deadline', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const seen: Record<string, number | undefined> = {};
    const handler = withInvocationDeadline(async (name: string, _context: object) => {
      await gate;
      await Promise.resolve();
      seen[name] = invocationDeadline();
    });
    // The clock held still: each deadline is its remaining time less the margin (a fifth, at most 10 s) exactly.
    const started = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(started);
    try {
      const long = handler('long', { getRemainingTimeInMillis: () => 600_000 });
      const short = handler('short', { getRemainingTimeInMillis: () => 1_000 });
      release();
      await Promise.all([long, short]);
    } finally {
      clock.mockRestore();
    }
    expect(seen.long! - started).toBe(590_000);
    expect(seen.short! - started).toBe(800);
    expect(invocationDeadline()).toBeUndefined();
  });
});
