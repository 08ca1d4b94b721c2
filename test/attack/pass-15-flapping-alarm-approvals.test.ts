import { describe, expect, it } from 'vitest';
import { deliverAlarm, loadAlarmEvent } from '../../infra/local/replay.js';
import { useLocalRuntime } from '../support/harness.js';

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
describe('an alarm mapped to a high-severity runbook that flaps ALARM / OK / ALARM / OK / ALARM', () => {
  const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];
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
