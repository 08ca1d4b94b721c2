import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { scratchStoreForFile } from '../support/harness.js';
import {
  RUNBOOK_CHECK_LIMITS,
  alarmEvent,
  holderFollowFailedForGood,
  holderStartFailedForGood,
  reconcileRunbookChecksAt,
  type RunbookEpisode as Episode,
  runbookAlarmHandledAt as handledAt,
  runbookEpisodesOf,
  thirdAlarmOfEpisode,
  twoAlarmsOfOneEpisode,
} from '../support/alarm-events.js';

/*
 * The runbook follow-up checks' defects session 43's own review found (known defects 1-4 of session 44's brief): a
 * run checked three times, a run SSM reports no start time of, a recovered alarm's run, and checks crowded out.
 */

const scratch = scratchStoreForFile('guard-rb-review-claims');
const episode = runbookEpisodesOf(scratch, 'rbr');

const unverifiedPages = async (ep: Episode, id: string) => ((await ep.deps.incidents.get(id))?.history ?? []).filter((h) => h.event === 'runbook_unverified');

describe('review 43, defect 1: three checks of one run', () => {
  // The holder's check (14:20), the second ALARM's (14:30) and the third's (14:35), each following the run while it
  // still ran. The reconciler records the success at 14:20 and drops the last one written (14:35): the second ALARM's
  // is due after that decision, so it was taken for the check of the success and paged "did not fix" at 14:30, ten
  // minutes after the success, where the alarm has RUNBOOK_VERIFY_MINUTES (20) to recover.
  it('pages "did not fix" no earlier than RUNBOOK_VERIFY_MINUTES after the success the reconciler recorded', async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, runner, first, second, name } = ep;
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    await handledAt(ep, second, '14:10:00');
    await handledAt(ep, await thirdAlarmOfEpisode(deps, 'rbr', name), '14:15:00');
    expect(new Set(ep.runbookChecks.entries.map((e) => e.dueAt)).size).toBeGreaterThanOrEqual(3);
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });

    await reconcileRunbookChecksAt(ep, '14:20:00');
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'run_runbook', followedRun: { executionId: 'exec-1' } });
    for (const time of ['14:25:00', '14:30:00', '14:35:00']) await reconcileRunbookChecksAt(ep, time);
    expect(await unverifiedPages(ep, first.incidentId)).toEqual([]);

    await reconcileRunbookChecksAt(ep, '14:40:00');
    await reconcileRunbookChecksAt(ep, '14:45:00');
    expect(await unverifiedPages(ep, first.incidentId)).toHaveLength(1);
  });
});

describe('review 43, defect 2: a run SSM reports no start time of', () => {
  // The holder's start never reached SSM (14:00, its first try); a later ALARM made the run at 18:00 and followed it
  // while it ran. SSM answers no ExecutionStartTime: the bound was counted from the holder's first try, and on-call
  // paged "has not ended ... 265 minutes after its start" 25 minutes into the run.
  it('pages "has not ended" neither early nor never when SSM reports no start time', async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, published, runner, first, second } = ep;
    await holderStartFailedForGood(deps, first);
    await handledAt(ep, second, '18:00:00');
    runner.status = async (executionId) => ({ executionId, status: 'InProgress', failureMessage: null });
    const pagesBefore = published.length;
    const notEnded = () => published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'));

    await reconcileRunbookChecksAt(ep, '18:25:00');
    expect(notEnded()).toEqual([]);
    for (const time of ['19:00:00', '20:00:00', '20:30:00', '21:00:00']) await reconcileRunbookChecksAt(ep, time);
    expect(notEnded()).toHaveLength(1);
  });
});

describe('review 43, defect 3: a run whose alarm recovered', () => {
  // The holder's step stopped following its run still going (runNotEnded); the alarm's OK then resolved it. The run is
  // followed to its end (its outcome was promised), but nobody needs to act on a recovered alarm's run not ending.
  it('pages no "has not ended" for a run its alarm recovered from before it was paged so', async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, published, first, name } = ep;
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ runNotEnded: true });
    await recordAlarmRecovery(alarmEvent('rbr', 'OK', '2026-11-20T14:30:00.000+0000', { name, previous: { value: 'ALARM', at: '2026-11-20T10:07:00.000+0000' } }), {
      ...deps,
      clock: () => new Date('2026-11-20T14:30:30Z'),
    });
    expect((await deps.incidents.get(first.incidentId))?.status).toBe('resolved');
    const pagesBefore = published.length;

    for (const time of ['14:35:00', '16:10:00', '16:20:00']) await reconcileRunbookChecksAt(ep, time);

    expect(published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'))).toEqual([]);
    expect(ep.runbookChecks.entries).toHaveLength(1);
  });
});

describe('review 43, defect 4: checks crowded out', () => {
  // A holder whose step is still in its retries ('waiting') left its check at the head of the oldest-first list: as
  // many of them as the reconciler takes a run held back every other check for as long as their steps ran.
  it("tells another alarm's run outcome while the checks of holders still in their steps fill the reconciler's list", async () => {
    const ep = await episode('InProgress');
    const { deps, published, runner, runbookChecks, first } = ep;
    const [other] = await twoAlarmsOfOneEpisode(deps, 'rbr-other', 'checkout-rbr-other');
    runner.status = async (executionId) => ({ executionId, status: executionId === 'exec-1' ? 'InProgress' : 'Failed', failureMessage: 'step failed' });
    await holderFollowFailedForGood(deps, first, 'Task timed out', false);
    await holderFollowFailedForGood(deps, other, 'Task timed out');
    expect(runbookChecks.entries.map((e) => e.incidentId)).toEqual([first.incidentId, other.incidentId]);
    const pagesBefore = published.length;

    const runs = [];
    for (const time of ['14:30:00', '14:35:00', '14:40:00']) runs.push(await reconcileRunbookChecksAt(ep, time, { ...RUNBOOK_CHECK_LIMITS, maxPerRun: 1 }));

    expect(runs.flatMap((r) => r.paged)).toContain(other.incidentId);
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('finished: Failed'))).toHaveLength(1);
    expect(runbookChecks.entries.map((e) => e.incidentId)).toEqual([first.incidentId]);
  });
});

describe('review 43, defect 4: more runs that have not ended than the reconciler takes a run', () => {
  // Checked, held (session 44): the checks of runs that have not ended are moved a period later on each run, behind a
  // check that fell due meanwhile, so that it waits only for those due before it (here two runs: 14:37 to 14:45).
  it('tells a run outcome whose check fell due after the checks of two stuck runs, with one check taken a run', async () => {
    const ep = await episode('InProgress');
    const { deps, published, runner, first } = ep;
    const [stuck] = await twoAlarmsOfOneEpisode(deps, 'rbr-stuck', 'checkout-rbr-stuck');
    const [fresh] = await twoAlarmsOfOneEpisode(deps, 'rbr-fresh', 'checkout-rbr-fresh');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    await holderFollowFailedForGood(deps, stuck, 'Task timed out');
    const clock = deps.clock;
    deps.clock = () => new Date('2026-11-20T14:12:00Z');
    await holderFollowFailedForGood(deps, fresh, 'Task timed out');
    deps.clock = clock;
    const freshRun = (await deps.incidents.get(fresh.incidentId))?.runbookExecutionId;
    runner.status = async (executionId) => ({ executionId, status: executionId === freshRun ? 'Failed' : 'InProgress', failureMessage: 'step failed' });
    expect(ep.runbookChecks.entries.map((e) => e.dueAt)).toEqual(['2026-11-20T14:25:00.000Z', '2026-11-20T14:25:00.000Z', '2026-11-20T14:37:00.000Z']);

    const runs = [];
    for (const time of ['14:30:00', '14:35:00', '14:40:00', '14:45:00']) runs.push(await reconcileRunbookChecksAt(ep, time, { ...RUNBOOK_CHECK_LIMITS, maxPerRun: 1 }));

    expect(runs.at(-1)?.paged).toEqual([fresh.incidentId]);
    expect(published.filter((p) => p.message.includes(`(${freshRun}) finished: Failed`))).toHaveLength(1);
  });
});
