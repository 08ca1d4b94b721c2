import { describe, expect, it } from 'vitest';
import { deliverAlarm } from '../../infra/local/replay.js';
import { loadConfig } from '../../shared/config.js';
import { createTaskControl } from '../../shared/runtime/deps.js';
import { alarmEvent, toOnCall } from '../support/alarm-events.js';
import { useLocalRuntimePerTest } from '../support/harness.js';

const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];

/**
 * A flapping alarm's second ALARM counted on the first's e-mailed request, which on-call approves while the first
 * still fires: the runbook runs for the first, and the reconciler ends the second's wait through the local Step
 * Functions with `ApprovalDecidedOnAnother`, whose Catch goes to Notify (never ApplyApproved).
 */
describe('a wait counted on an e-mailed request on-call approved', () => {
  const runtimes = useLocalRuntimePerTest();

  it('is ended by the reconciler with nothing applied: the runbook runs once, and only the request was e-mailed', async () => {
    const harness = await runtimes.start({
      secret: 'counted-waits', name: 'guard-counted-waits', model: 'fake-model',
      env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(runbooks), RECONCILE_INTERVAL_SECONDS: '86400' },
    });
    harness.model.answer = () => ({ rootCause: 'checkout-api returns 5xx', fix: ['restart it'], confidence: 0.9, proposedAction: 'escalate' });
    const ids: string[] = [];
    for (const event of [
      alarmEvent('counted', 'ALARM', '2026-11-20T10:00:00.000+0000'),
      alarmEvent('counted', 'ALARM', '2026-11-20T10:07:00.000+0000', { previous: { value: 'INSUFFICIENT_DATA', at: '2026-11-20T10:05:00.000+0000' } }),
    ]) {
      ids.push(String((await deliverAlarm(harness.runtime.url, event)).body.incidentId));
      await harness.runtime.idle();
    }
    const [first, counted] = ids as [string, string];
    const token = /--task-token '([^']+)'/.exec((await toOnCall(harness))[0]?.message ?? '')?.[1] ?? 'no token';

    await createTaskControl(loadConfig(harness.runtime.env)).succeed(token, { approvedBy: 'oncall-ana' });
    await harness.runtime.idle();
    const run = await harness.runtime.reconcile();
    await harness.runtime.idle();

    expect(run.approvalResumes.resumed).toEqual([counted]);
    expect(await harness.incident(counted)).toMatchObject({
      approval: { status: 'approved', decidedBy: 'oncall-ana', decidedOn: first, taskToken: null },
      decision: { action: 'comment_only', applied: false },
    });
    const outbox = await harness.outbox();
    expect(outbox.filter((e) => e.kind === 'runbook')).toHaveLength(1);
    expect(await toOnCall(harness)).toHaveLength(1);
  }, 90_000);
});
