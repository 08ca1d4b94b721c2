import { describe, expect, it } from 'vitest';
import { alarmArnOf, alarmEventSchema, alarmTriggerFromEvent } from '../../../shared/domain/trigger.js';
import { guardHandoff } from '../../../shared/domain/handoff.js';
import { pageRunbooksThatDidNotFix } from '../../../shared/reconcile/runbook-checks.js';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../../shared/steps/record-outcome.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', severity: 'medium' }]));
const LIMITS = { maxPerRun: 25, lookbackHours: 48 };
/** The steps' clock (stepDeps) is 10:00; the runbook finishes then. */
const at = (time: string) => () => new Date(`2026-11-20T${time}Z`);

/** An alarm whose runbook ran and reported `status`, notified as the pipeline leaves it, with its checks and pages. */
async function afterRunbook(status = 'Success') {
  const runbookChecks = createMemoryIncidentDueList();
  const { deps, published } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks, runner: createScriptedRunbookRunner(status), runbookChecks }),
  });
  const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
  await classifyStep({ trigger }, deps);
  await analyzeStep({ trigger }, deps);
  await remediateStep({ trigger }, deps);
  await notifyStep({ trigger }, deps);
  const check = (clock: () => Date, escalations = deps.escalations) => pageRunbooksThatDidNotFix({ ...deps, runbookChecks, escalations, clock }, LIMITS);
  return { deps, published, runbookChecks, check, id: trigger.incidentId };
}

describe('reconciler: runbooks that reported success while the alarm kept firing', () => {
  it('pages on-call once, RUNBOOK_VERIFY_MINUTES after the runbook finished, and the incident then needs a person', async () => {
    // Prepare: the runbook succeeded at 10:00 and nobody was paged.
    const { deps, published, runbookChecks, check, id } = await afterRunbook();
    expect(published).toEqual([]);
    expect(runbookChecks.entries).toEqual([{ incidentId: id, dueAt: '2026-11-20T10:20:00.000Z' }]);

    // Act: a run before the alarm had time to recover, one after, and one more.
    const early = await check(at('10:15:00'));
    const due = await check(at('10:25:00'));
    const again = await check(at('10:30:00'));

    // Assert
    expect(early).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(due).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(again).toEqual({ paged: [], dropped: 0, failed: [] });
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain('Why you are getting this: the runbook ran and reported success (runbook Restart-Checkout-Api (exec-1) finished: Success), but the alarm still fired at 2026-11-20T10:25:00.000Z');
    expect(runbookChecks.entries).toEqual([]);
    const incident = (await deps.incidents.get(id))!;
    expect(incident.history.at(-1)).toMatchObject({ event: 'runbook_unverified', at: '2026-11-20T10:25:00.000Z' });
    expect(guardHandoff(incident)).toMatchObject({ mustAct: true, why: [{ kind: 'runbook_unverified' }], tried: { onCall: { outcome: 'paged' } } });
  });

  it('pages nobody when the alarm returned to OK after the runbook', async () => {
    const { deps, published, runbookChecks, check } = await afterRunbook();
    // Handled as it comes: an OK stamped ahead of the handling clock (10:22:40 against the steps' 10:00) is not trusted.
    await recordAlarmRecovery(loadAlarmEvent('alarm-state-ok'), { ...deps, clock: at('10:22:45') });

    expect(await check(at('10:25:00'))).toEqual({ paged: [], dropped: 1, failed: [] });
    expect(published).toEqual([]);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('schedules no check for a runbook that failed: that escalated already', async () => {
    const { published, runbookChecks } = await afterRunbook('Failed');

    expect(runbookChecks.entries).toEqual([]);
    expect(published).toHaveLength(1);
  });

  it('pages again for the next episode of an alarm whose earlier incident the OK between ended but left open', async () => {
    // Prepare: the first episode's runbook did not fix the alarm, and on-call was paged.
    const { deps, published, runbookChecks, check, id } = await afterRunbook();
    expect(await check(at('10:25:00'))).toEqual({ paged: [id], dropped: 0, failed: [] });
    // An OK at 10:30 ended the episode without resolving its incident (an OK resolves the 25 newest open ones only).
    const event = alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm'));
    await deps.incidents.noteAlarmOk(alarmArnOf(event), new Date('2026-11-20T10:30:00.000Z'));
    // The alarm fires again at 11:00: a new episode, whose runbook runs and does not fix it either.
    const next = alarmTriggerFromEvent(alarmEventSchema.parse({ ...event, id: 'next-episode', time: '2026-11-20T11:00:00Z', detail: { ...event.detail, state: { ...event.detail.state, timestamp: '2026-11-20T11:00:00.000+0000' } } }));
    // Handled as it fires: an alarm's time ahead of the handling clock is not trusted.
    deps.clock = () => new Date('2026-11-20T11:00:05Z');
    await classifyStep({ trigger: next }, deps);
    await analyzeStep({ trigger: next }, deps);
    expect(await remediateStep({ trigger: next }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    await notifyStep({ trigger: next }, deps);

    // Act
    const result = await check(at('11:30:00'));

    // Assert: the new episode's page, not counted on the first's.
    expect(next.incidentId).not.toBe(id);
    expect(result).toEqual({ paged: [next.incidentId], dropped: 0, failed: [] });
    expect(published).toHaveLength(2);
    expect(runbookChecks.entries).toEqual([]);
  });

  it('keeps the check due and fails the run when the page cannot go out, and sends it on the next run', async () => {
    const { published, runbookChecks, check, id } = await afterRunbook();
    const refusing = { publish: async () => Promise.reject(new Error('SNS throttled')) };

    const refused = await check(at('10:25:00'), refusing);
    const left = runbookChecks.entries.length;
    const next = await check(at('10:30:00'));

    expect(refused).toEqual({ paged: [], dropped: 0, failed: [id] });
    expect(left).toBe(1);
    expect(next).toEqual({ paged: [id], dropped: 0, failed: [] });
    expect(published).toHaveLength(1);
  });
});
