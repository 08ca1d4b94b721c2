import { describe, expect, it } from 'vitest';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../../shared/domain/trigger.js';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

/** A high-severity runbook: the default policy makes it wait for approval, e-mailed to on-call (an alarm has no PR). */
const runbooks = parseRunbookMappings(JSON.stringify([
  { alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' },
  { alarmNamePrefix: 'orders-', document: 'Restart-Orders', parameters: {}, severity: 'high' },
]));

function flapDeps() {
  const made = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
  return made;
}

/** The fixture's alarm (or one renamed) entering ALARM at `at`, planned and asking for approval with `token`. */
async function askedAt(deps: ReturnType<typeof stepDeps>['deps'], at: string, token: string, alarmName?: string) {
  const event = structuredClone(loadAlarmEvent('alarm-state-alarm')) as Record<string, any>;
  event.time = at;
  event.detail.state.timestamp = at;
  if (alarmName) {
    event.detail.alarmName = alarmName;
    event.resources = [String(event.resources[0]).replace(/alarm:.*$/, `alarm:${alarmName}`)];
  }
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(event));
  deps.clock = () => new Date(at);
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'run_runbook', awaitingApproval: true });
  await notifyStep({ trigger, approvalRequest: { taskToken: token } }, deps);
  return trigger;
}

describe('approval requests by e-mail: one per problem while one can be answered', () => {
  it("counts a flapping alarm's next request on the open one instead of e-mailing on-call again", async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');

    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain("send-task-success --task-token 'token-1'");
    const counted = await deps.incidents.get(second.incidentId);
    expect(counted?.approval).toMatchObject({ status: 'pending', taskToken: 'token-2' });
    expect(counted?.notifications.at(-1)).toMatchObject({ channel: 'sns', outcome: 'skipped', detail: expect.stringMatching(/^counted on the open approval request of this problem: asked 2 times since 2026-11-20T10:03:12/) });
  });

  it('e-mails the next request once the open one can no longer be answered (its approval timeout has passed)', async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    // The default approval timeout is 240 minutes: token-1 is spent by then.
    await askedAt(deps, '2026-11-20T14:05:00.000Z', 'token-2');

    expect(published.map((p) => p.message.match(/--task-token '([^']+)'/)?.[1])).toEqual(['token-1', 'token-2']);
  });

  it('asks separately for another alarm: a problem is the alarm', async () => {
    const { deps, published } = flapDeps();

    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await askedAt(deps, '2026-11-20T10:04:00.000Z', 'token-2', 'orders-queue-depth');

    expect(published).toHaveLength(2);
  });

  it('still pages once when a counted request times out while its alarm still fires', async () => {
    // Prepare: the second ALARM's request was counted, so nobody holds its token; its wait times out.
    const { deps, published } = flapDeps();
    await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const second = await askedAt(deps, '2026-11-20T10:12:00.000Z', 'token-2');
    deps.clock = () => new Date('2026-11-20T14:12:00.000Z');

    // Act
    await notifyStep({ trigger: second, approvalError: { Error: 'States.Timeout', Cause: 'timed out' } }, deps);

    // Assert: the request, then the page of the unanswered approval
    expect(published).toHaveLength(2);
    expect(published[1]?.message).not.toContain('--task-token');
    expect((await deps.incidents.get(second.incidentId))?.approval?.status).toBe('timed_out');
  });
});
