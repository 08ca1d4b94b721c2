import { describe, expect, it } from 'vitest';
import { deliverAlarm, loadAlarmEvent } from '../../infra/local/replay.js';
import { loadConfig } from '../../shared/config.js';
import { createTaskControl } from '../../shared/runtime/deps.js';
import { flapEndingInAlarm } from '../support/alarm-events.js';
import { useLocalRuntime, useLocalRuntimePerTest } from '../support/harness.js';

/** The fixture's alarm entering `state` at `at` (a flap of the same alarm: same ARN, a new state change time). */
function stateChange(state: 'ALARM' | 'OK', at: string, previous: string) {
  const event = structuredClone(loadAlarmEvent(state === 'ALARM' ? 'alarm-state-alarm' : 'alarm-state-ok')) as Record<string, any>;
  event.id = `p15-${state}-${at}`;
  event.time = at;
  event.detail.state.timestamp = at;
  event.detail.previousState = { ...event.detail.previousState, value: state === 'ALARM' ? 'OK' : 'ALARM', timestamp: previous };
  return event;
}

/**
 * Attack pass 15, finding 3. The default policy makes a high-severity runbook wait for approval, and without a pull
 * request the approval request is e-mailed to on-call through the escalation topic. Pages of an alarm are one problem
 * (`alarm:<ARN>`, once per window), but the approval e-mail is claimed under `approval:<incident>:<token>`: per
 * incident. An alarm flapping ALARM/OK/ALARM (each ALARM a new state change, so a new incident) e-mails on-call a new
 * "approve the runbook" request for every flap, and each OK leaves the one before unanswerable noise.
 */
const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];

describe('an alarm mapped to a high-severity runbook that flaps ALARM / OK / ALARM / OK / ALARM', () => {
  const harness = useLocalRuntime({ secret: 'p15-flap', name: 'guard-p15-flap', env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(runbooks) } });

  it('asks on-call once for the problem, not once per flap', async () => {
    const flaps = [
      stateChange('ALARM', '2026-11-20T10:03:12.000+0000', '2026-11-20T08:00:00.000+0000'),
      stateChange('OK', '2026-11-20T10:08:00.000+0000', '2026-11-20T10:03:12.000+0000'),
      stateChange('ALARM', '2026-11-20T10:12:00.000+0000', '2026-11-20T10:08:00.000+0000'),
      stateChange('OK', '2026-11-20T10:17:00.000+0000', '2026-11-20T10:12:00.000+0000'),
      stateChange('ALARM', '2026-11-20T10:21:00.000+0000', '2026-11-20T10:17:00.000+0000'),
    ];
    const incidents: string[] = [];
    for (const event of flaps) {
      const answer = await deliverAlarm(harness.runtime.url, event);
      if (answer.body.incidentId) incidents.push(String(answer.body.incidentId));
      await harness.runtime.idle();
    }

    // The control: three state changes into ALARM, three incidents, all recorded.
    expect(new Set(incidents).size).toBe(3);
    const toOnCall = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    console.log('to on-call:', toOnCall.map((e) => `${e.subject} | ${String(e.message).split('\n').find((l: string) => l.startsWith('What it needs')) ?? ''}`));
    // Required: one alarm, one problem: on-call is asked (or paged) once in the window, the repeats counted.
    expect(toOnCall).toHaveLength(1);
  }, 60_000);
});

/**
 * The price of counting the flap: the firing that is left (the last ALARM) was counted on the first incident's
 * e-mailed request, whose token approved nothing once that incident recovered, so its wait timed out and paged
 * although on-call had answered. On the real runtime, with a restart between the answer and its delivery.
 */
describe('a fast flap that ends in ALARM, answered from the one e-mail on-call has', () => {
  const runtimes = useLocalRuntimePerTest();

  it('runs the runbook once for the firing alarm, delivered after a restart; a second click adds nothing', async () => {
    // The reconciler's timer is kept out of the way: the test runs it, before and after the restart.
    const harness = await runtimes.start({
      secret: 'p15-carry', name: 'guard-p15-carry', env: { GITHUB_TOKEN: undefined, RUNBOOKS_JSON: JSON.stringify(runbooks), RECONCILE_INTERVAL_SECONDS: '86400' },
    });
    const { recovered, firing, requests, token } = await flapEndingInAlarm(harness, 'p15');
    expect(requests).toHaveLength(1);
    const stepFunctions = () => createTaskControl(loadConfig(harness.runtime.env));

    // On-call answers the e-mail they have; the runtime stops before the reconciler delivers the carried decision.
    await stepFunctions().succeed(token, { approvedBy: 'oncall-ana' });
    await harness.runtime.idle();
    expect(await harness.incident(firing)).toMatchObject({ status: 'awaiting_approval', approval: { status: 'approved', carriedFrom: recovered } });
    // Restarted, the runtime runs the waiting execution again up to its wait, with the token it kept.
    await harness.restart();
    await harness.runtime.idle();
    const delivered = await harness.runtime.reconcile();
    await harness.runtime.idle();
    await harness.runtime.reconcile();
    // The same command again: its token is spent, and nothing new happens.
    const again = await stepFunctions().succeed(token, { approvedBy: 'oncall-ana' }).then(() => 'taken', (error: unknown) => (error as Error).name);
    await harness.runtime.idle();

    const outbox = await harness.outbox();
    // Since session 41 the restarted runtime delivers it as the execution is back at its wait; the run finds it done.
    expect(delivered.approvalResumes).toMatchObject({ resumed: [], spent: [], failed: [], notWaitingYet: [] });
    expect((await harness.incident(firing)).history).toContainEqual(expect.objectContaining({
      event: 'approval_resumed_late', detail: expect.stringMatching(/^the local runtime, its restarted execution back at its wait, resumed the execution: approved by oncall-ana/),
    }));
    expect(outbox.filter((e) => e.kind === 'runbook')).toEqual([expect.objectContaining({ document: 'Restart-Checkout-Api' })]);
    expect(await harness.incident(firing)).toMatchObject({ approval: { status: 'approved', decidedBy: 'oncall-ana', taskToken: null }, decision: { action: 'run_runbook', applied: true } });
    expect((await harness.incident(recovered)).decision).toMatchObject({ applied: false });
    expect(again).not.toBe('taken');
    expect(outbox.filter((e) => e.kind === 'escalation')).toHaveLength(1);
  }, 90_000);
});
