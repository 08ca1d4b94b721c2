import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createTaskControl } from '../../shared/runtime/deps.js';
import { flapEndingInAlarm } from '../support/alarm-events.js';
import { useLocalRuntimePerTest } from '../support/harness.js';

const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];

/**
 * An e-mailed answer carried over to the firing counted on its request, and a runtime restarted before the reconciler
 * delivered it. The restarted execution runs again from its first state up to its wait, with the token it kept; a
 * reconciler run in between found the token not waiting (TaskDoesNotExist), took it as spent and forgot the decision:
 * the runbook never ran, and the firing's wait timed out and paged although on-call had answered.
 */
describe('a carried e-mailed approval, and a reconciler run right after a restart', () => {
  const runtimes = useLocalRuntimePerTest();

  it('keeps the decision while the restarted execution is not back at its wait, and resumes it once it is', async () => {
    const harness = await runtimes.start({
      secret: 'carry-restart', name: 'guard-carry-restart', model: 'fake-model',
      env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(runbooks), RECONCILE_INTERVAL_SECONDS: '86400', LLM_TIMEOUT_MS: '1000' },
    });
    harness.model.answer = () => ({ rootCause: 'checkout-api returns 5xx', fix: ['restart it'], confidence: 0.9, proposedAction: 'escalate' });
    const { recovered, firing, token } = await flapEndingInAlarm(harness, 'carry-restart');
    await createTaskControl(loadConfig(harness.runtime.env)).succeed(token, { approvedBy: 'oncall-ana' });
    await harness.runtime.idle();
    expect(await harness.incident(firing)).toMatchObject({ approval: { status: 'approved', carriedFrom: recovered } });

    // Act: the reconciler runs as the restarted runtime starts, before its execution is back at its wait; then again.
    // The model's first answer after the restart hangs (until LLM_TIMEOUT_MS), so the restarted execution is held at
    // Analyze, before its wait, while the reconciler runs.
    harness.model.fail({ kind: 'hang', times: 1 });
    await harness.restart();
    const early = await harness.runtime.reconcile();
    await harness.runtime.idle();
    const next = await harness.runtime.reconcile();
    await harness.runtime.idle();

    // Assess: the first run kept the decision; the runtime resumed it as the execution was back at its wait (since
    // session 41; the next reconciler run did before), so that run found nothing left; the runbook ran once, and
    // nobody was paged.
    const outbox = await harness.outbox();
    expect(harness.model.faultsServed).toBe(1);
    expect(early.approvalResumes).toMatchObject({ resumed: [], spent: [], failed: [], notWaitingYet: [firing] });
    expect(next.approvalResumes).toMatchObject({ resumed: [], spent: [], failed: [], notWaitingYet: [] });
    expect((await harness.incident(firing)).history).toContainEqual(expect.objectContaining({
      event: 'approval_resumed_late', detail: expect.stringMatching(/^the local runtime, its restarted execution back at its wait, resumed the execution: approved by oncall-ana/),
    }));
    expect(outbox.filter((e) => e.kind === 'runbook')).toEqual([expect.objectContaining({ document: 'Restart-Checkout-Api' })]);
    expect(await harness.incident(firing)).toMatchObject({ approval: { status: 'approved', decidedBy: 'oncall-ana', taskToken: null }, decision: { action: 'run_runbook', applied: true } });
    expect(outbox.filter((e) => e.kind === 'escalation')).toHaveLength(1);
  }, 90_000);
});
