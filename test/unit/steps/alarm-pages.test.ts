import { describe, expect, it } from 'vitest';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { stepDeps } from '../../support/fakes.js';
import { alarmTriggerAt, recoveredAt } from '../../support/alarm-approvals.js';

type Deps = ReturnType<typeof stepDeps>['deps'];

/** The fixture's alarm (or one renamed) entering ALARM at `at`, through every stage to its page (no runbook: escalate). */
async function firedAt(deps: Deps, at: string, alarmName?: string) {
  const trigger = alarmTriggerAt(at, alarmName);
  deps.clock = () => new Date(at);
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  await remediateStep({ trigger }, deps);
  await notifyStep({ trigger }, deps);
  return (await deps.incidents.get(trigger.incidentId))!;
}

const lastPage = (incident: Awaited<ReturnType<typeof firedAt>>) => incident.notifications.filter((n) => n.channel === 'sns').at(-1);

describe('alarm pages: a new episode pages again, a flap is counted', () => {
  it('pages again for an ALARM hours after the OK that resolved the paged incident', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');

    const again = await firedAt(deps, '2026-11-20T15:00:00.000Z');

    expect(published).toHaveLength(2);
    expect(lastPage(again)).toMatchObject({ outcome: 'published' });
  });

  it('counts an ALARM within 15 minutes of that OK on the page on-call has (a flap), and pages the ALARM after a quiet spell', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');

    const flap = await firedAt(deps, '2026-11-20T10:24:00.000Z');
    expect(published).toHaveLength(1);
    expect(lastPage(flap)).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^counted on the open escalation of this problem: seen 2 times/) });

    // The flap recovers; 25 minutes after the paged incident's OK the alarm fires again: a new episode.
    await recoveredAt(deps, '2026-11-20T10:27:00.000Z');
    await firedAt(deps, '2026-11-20T10:35:00.000Z');
    expect(published).toHaveLength(2);
  });

  it('counts an ALARM long after that OK while the flap counted since still fires (no OK after it)', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');
    await firedAt(deps, '2026-11-20T10:20:00.000Z');

    // ALARM, INSUFFICIENT_DATA, ALARM: the alarm has not recovered since 10:20.
    await firedAt(deps, '2026-11-20T11:50:00.000Z');

    expect(published).toHaveLength(1);
  });

  it('counts an ALARM while the paged incident still fires (no OK between), however much later', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');

    await firedAt(deps, '2026-11-20T16:00:00.000Z');

    expect(published).toHaveLength(1);
  });
});
