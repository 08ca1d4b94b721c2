import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { pageRunbooksThatDidNotFix } from '../../shared/reconcile/runbook-checks.js';
import { scratchStoreForFile } from '../support/harness.js';
import { alarmEvent, holderFollowFailedForGood, holderStartFailedForGood, runbookEpisode, thirdAlarmOfEpisode } from '../support/alarm-events.js';

/*
 * Attack pass 45b on session 43's runbook follow-up: the check scheduled before the execution id is written, the
 * reconciler following a run still going to its end, and the page that a followed run has not ended.
 */

const scratch = scratchStoreForFile('guard-a45b-claims');
let alarms = 0;
const LIMITS = { maxPerRun: 25, lookbackHours: 48, notEndedMinutes: 120 };

const episode = (status = 'Success', env: Record<string, string> = {}) => runbookEpisode(scratch.client, 'a45b', ++alarms, { status, env });
type Deps = Awaited<ReturnType<typeof episode>>['deps'];
type Checks = Awaited<ReturnType<typeof episode>>['runbookChecks'];

const reconcileAt = (deps: Deps, runbookChecks: Checks, time: string, limits = LIMITS) =>
  pageRunbooksThatDidNotFix(
    { ...deps, runbookChecks, runbookRunner: deps.remediation.runner, episodeRunbooks: deps.remediation.episodeRunbooks, policyFile: {}, clock: () => new Date(`2026-11-20T${time}Z`) },
    limits,
  );

describe('attack-45b: the outcome of a run followed while it still ran', () => {
  // attack-45b finding B1 (high) (fixed, session 43): the second ALARM followed the dead holder's run while it still ran (runNotEnded) and paged "still running" under alarm:<arn>:run-of:<holder>; it no longer stands on the follow claim, so a third ALARM of the episode takes it, records the run's end and its Notify pages it under the same problem key as the "still running" page, where it is only counted; the reconciler then drops the holder's check (the third stands). The run's outcome reaches nobody. Required: on-call is told how the run ended.
  it("tells on-call how the dead holder's run ended when a third ALARM records its end after the second paged it still running", async () => {
    const { deps, published, runner, runbookChecks, first, second, name } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    await holderStartFailedForGood(deps, first);
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ runNotEnded: true, followedRun: { holder: first.incidentId } });
    const pagesBefore = published.length;
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'step failed' });
    const third = await thirdAlarmOfEpisode(deps, 'a45b', name);
    await remediateStep({ trigger: third }, deps);
    await notifyStep({ trigger: third }, deps);
    await reconcileAt(deps, runbookChecks, '14:30:00');
    await reconcileAt(deps, runbookChecks, '14:40:00');

    const told = published.slice(pagesBefore).filter((p) => p.message.includes('finished: Failed'));
    expect(told).toHaveLength(1);
  });
});

describe('attack-45b: a run the reconciler follows to its end', () => {
  // attack-45b finding B2 (medium) (fixed, session 43): the holder's own run outlived its step (RUNBOOK_WAIT_SECONDS) and its Notify paged it "still running"; the reconciler then follows it and, once it ended Success, records it (decision run_runbook, followedRun) and drops the check, but schedules no RUNBOOK_VERIFY_MINUTES check as the step's own success does (followRunbookRun): an alarm that still fires after the slow runbook's "success" sends no further event, and nobody is told it did not fix it. Required: the alarm still firing RUNBOOK_VERIFY_MINUTES after the followed run's success pages runbook_unverified, once.
  it("pages that the runbook did not fix the alarm when the run the reconciler followed to its end succeeded and the alarm still fires", async () => {
    const { deps, published, runner, runbookChecks, first } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ runNotEnded: true });
    await reconcileAt(deps, runbookChecks, '14:30:00');
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });
    await reconcileAt(deps, runbookChecks, '14:35:00');
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'run_runbook', followedRun: { executionId: 'exec-1' } });
    const pagesBefore = published.length;

    // The alarm never returned to OK.
    await reconcileAt(deps, runbookChecks, '15:00:00');
    await reconcileAt(deps, runbookChecks, '16:00:00');

    const history = (await deps.incidents.get(first.incidentId))?.history ?? [];
    expect(history.filter((h) => h.event === 'runbook_unverified')).toHaveLength(1);
    expect(published.slice(pagesBefore)).toHaveLength(1);
  });

  // attack-45b finding B3 (medium) (fixed, session 43): after on-call was paged that the followed run has not ended ("Pipeline Guard keeps following it and tells its outcome once it ends"), the alarm's OK resolves the holder and the reconciler drops the check (followUnrecordedRun: holder.status === 'resolved' → 'dropped'): the run, still stuck in Systems Manager (an approval step that may still restart the service later), is followed by nobody and its end is never told, against the page's own promise. Required: a run on-call was paged about as not ended is followed to its end and its outcome told, OK or not.
  it('tells the outcome of a run paged as not ended, when the alarm recovered before the run ended', async () => {
    const { deps, published, runner, runbookChecks, first, name } = await episode('InProgress');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    const past = await reconcileAt(deps, runbookChecks, '16:10:00');
    expect(past.paged).toEqual([first.incidentId]);
    expect(published.at(-1)?.message).toContain('has not ended');
    const { recordAlarmRecovery } = await import('../../shared/steps/record-outcome.js');
    await recordAlarmRecovery(alarmEvent('a45b', 'OK', '2026-11-20T16:12:00.000+0000', { name, previous: { value: 'ALARM', at: '2026-11-20T10:07:00.000+0000' } }), { ...deps, clock: () => new Date('2026-11-20T16:12:30Z') });
    expect((await deps.incidents.get(first.incidentId))?.status).toBe('resolved');
    const pagesBefore = published.length;
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'approval rejected' });

    await reconcileAt(deps, runbookChecks, '16:20:00');
    await reconcileAt(deps, runbookChecks, '16:30:00');

    expect(published.slice(pagesBefore).filter((p) => p.message.includes('exec-1') && p.message.includes('Failed'))).toHaveLength(1);
  });

  // attack-45b finding B4 (low) (fixed, session 43): SSM's ChangeCalendarOverrideRejected ends a run (it never runs: the change calendar is closed and the override was rejected), but TERMINAL (shared/remediation/runbook-runner.ts) lacks it: the reconciler reads the run as not ended, pages after RUNBOOK_NOT_ENDED_MINUTES that it "has not ended", and re-lists and re-reads it every 5 minutes forever (the moved entry's TTL restarts each time); its outcome is never recorded. Required: the run is recorded as ended (not succeeded) on the first check, with no "has not ended" page.
  it('records a run SSM rejected by its change calendar as ended, not as a run that has not ended', async () => {
    const { deps, published, runbookChecks, first } = await episode('ChangeCalendarOverrideRejected');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    const pagesBefore = published.length;

    const due = await reconcileAt(deps, runbookChecks, '14:30:00');
    await reconcileAt(deps, runbookChecks, '16:10:00');

    expect(due.paged).toEqual([first.incidentId]);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'escalate', followedRun: { executionId: 'exec-1' } });
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'))).toEqual([]);
    expect(runbookChecks.entries).toEqual([]);
  });
});

describe('attack-45b: how long a run has not ended', () => {
  // attack-45b finding B7 (medium) (fixed, session 43): pageRunNotEnded counts the minutes since the holder's runbookStartAttemptedAt (runbook-checks.ts), its own first try, not since the run's start: a holder whose start never reached SSM (ETIMEDOUT on every try) at 14:00 and whose run a later ALARM of the episode made with its client token at 18:00 (followed while still running, runNotEnded) is paged "has not ended ... 265 minutes after its start" at the first check, 25 minutes into a healthy run, and the follower's "still running" page already told on-call it runs. Required: no "has not ended" page before RUNBOOK_NOT_ENDED_MINUTES after the run's own start.
  it("pages no 'has not ended' 25 minutes into a run a later ALARM started hours after the dead holder's failed start", async () => {
    const { deps, published, runbookChecks, first, second } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    await holderStartFailedForGood(deps, first);
    const clock = deps.clock;
    deps.clock = () => new Date('2026-11-20T18:00:00Z');
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    deps.clock = clock;
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ runNotEnded: true, followedRun: { holder: first.incidentId, executionId: 'exec-1' } });
    const pagesBefore = published.length;

    await reconcileAt(deps, runbookChecks, '18:25:00');

    expect(published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'))).toEqual([]);
  });
});

/**
 * The holder's run, its follow failed for good, checked twice: its own check (14:20), and the one a later ALARM that
 * followed the run while it still ran scheduled at 14:10 (14:30).
 */
async function twoChecksOfOneRun() {
  const { deps, runner, runbookChecks, first, second } = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
  await holderFollowFailedForGood(deps, first, 'Task timed out');
  const clock = deps.clock;
  deps.clock = () => new Date('2026-11-20T14:10:00Z');
  await remediateStep({ trigger: second }, deps);
  await notifyStep({ trigger: second }, deps);
  deps.clock = clock;
  return { deps, runner, runbookChecks, first };
}

describe('attack-45b: two checks of one run', () => {
  // attack-45b finding B8 (medium) (fixed, session 43): the holder's own step scheduled its run's check (recordRunbookExecution, 14:20) and lost its follow; a later ALARM then followed the run while it still ran and scheduled a second check of the holder (recordFollowed → recordRunbookExecution, 14:30). Once the run ended Success, the reconciler records it on the first check and, in the same run, the second finds a run_runbook decision applied and the alarm still firing (stillFiringAfterRunbook) and pages that the runbook did not fix the alarm at once, the run's success minutes old, with no RUNBOOK_VERIFY_MINUTES for the alarm to recover. Required: no "did not fix" page before the alarm had RUNBOOK_VERIFY_MINUTES after the run's recorded success.
  it('pages no "runbook did not fix" right after the reconciler recorded the run\'s success, when a later ALARM scheduled a second check of it', async () => {
    const { deps, runner, runbookChecks, first } = await twoChecksOfOneRun();
    expect(runbookChecks.entries.map((e) => e.dueAt).sort()).toEqual(['2026-11-20T14:20:00.000Z', '2026-11-20T14:30:00.000Z']);
    await reconcileAt(deps, runbookChecks, '14:25:00');
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });

    await reconcileAt(deps, runbookChecks, '14:35:00');

    const holder = await deps.incidents.get(first.incidentId);
    expect(holder?.decision).toMatchObject({ action: 'run_runbook', followedRun: { executionId: 'exec-1' } });
    expect(holder?.history.filter((h) => h.event === 'runbook_unverified' && h.at === '2026-11-20T14:35:00.000Z')).toEqual([]);
  });

  // Session 43 (B8's fix): the run's success recorded by the first check before the second check falls due.
  it('pages no "runbook did not fix" when the second check of the run falls due minutes after the reconciler recorded its success', async () => {
    const { deps, runner, runbookChecks, first } = await twoChecksOfOneRun();
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });
    await reconcileAt(deps, runbookChecks, '14:25:00');
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ action: 'run_runbook', followedRun: { executionId: 'exec-1' } });

    await reconcileAt(deps, runbookChecks, '14:30:00');
    await reconcileAt(deps, runbookChecks, '14:35:00');

    expect((await deps.incidents.get(first.incidentId))?.history.filter((h) => h.event === 'runbook_unverified')).toEqual([]);
  });
});

describe('attack-45b: a check whose execution id was never written', () => {
  // attack-45b finding B9 (medium) (fixed, session 43): recordRunbookExecution schedules the holder's check, then its write of runbookExecutionId fails on every try (DynamoDB throttled or the Lambda killed at that write) and the holder's Catch runs Notify (the step failed). The check falls due, finds no execution on the holder (runUnrecorded false) and is dropped: the run SSM started (the same execution on each try, by the client token) is followed by nobody without a later ALARM, and its outcome is never told, though the check scheduled for it was there. Required: the check of a holder that went to its start follows its run (its execution confirmed by the client token, as confirmRunbookStart does) and tells its outcome.
  it("tells the outcome of the holder's run when its execution id write failed on every try after its check was scheduled", async () => {
    const { deps, published, runbookChecks, first } = await episode('Failed');
    const update = deps.incidents.update.bind(deps.incidents);
    deps.incidents.update = async (id, fields, append) => {
      if (id === first.incidentId && 'runbookExecutionId' in fields) throw new Error('Task timed out');
      return update(id, fields, append);
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Task timed out');
    deps.incidents.update = update;
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);
    expect(runbookChecks.entries.map((e) => e.incidentId)).toEqual([first.incidentId]);
    const pagesBefore = published.length;

    await reconcileAt(deps, runbookChecks, '14:30:00');

    expect(published.slice(pagesBefore).filter((p) => p.message.includes('exec-1') && p.message.includes('Failed'))).toHaveLength(1);
  });
});

describe('attack-45b: checks crowded out', () => {
  // attack-45b finding B5 (medium) (fixed, session 43): a check whose run has not ended and is still under RUNBOOK_NOT_ENDED_MINUTES (up to 1440) is left where it is ('waiting' → continue: runbook-checks.ts pageRunbooksThatDidNotFix), at the head of the oldest-first list the reconciler reads maxPerRun (25) of: since session 43 every run the holder's step does not see end (RUNBOOK_WAIT_SECONDS) keeps such a check, so 25 slow or stuck runs (one outage across 25 alarms) hold back every other runbook check (another alarm's failed run, a runbook that did not fix its alarm) for up to a day; only past the bound is a check moved behind the others. Shown with maxPerRun 1 and one stuck run. Required: a check not yet past the bound is moved behind the others too, so other checks are not starved.
  it("tells another alarm's run outcome while a stuck run's check, under the not-ended bound, fills the reconciler's list", async () => {
    const { deps, published, runner, runbookChecks, first } = await episode('InProgress');
    const { twoAlarmsOfOneEpisode } = await import('../support/alarm-events.js');
    const [other] = await twoAlarmsOfOneEpisode(deps, 'a45b-other', 'checkout-a45b-other');
    runner.status = async (executionId) => ({ executionId, status: executionId === 'exec-1' ? 'InProgress' : 'Failed', failureMessage: 'step failed' });
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    await holderFollowFailedForGood(deps, other, 'Task timed out');
    expect(runbookChecks.entries.map((e) => e.incidentId)).toEqual([first.incidentId, other.incidentId]);
    const pagesBefore = published.length;

    const runs = [];
    for (const time of ['14:30:00', '14:35:00', '15:00:00', '15:30:00']) runs.push(await reconcileAt(deps, runbookChecks, time, { ...LIMITS, maxPerRun: 1 }));

    expect(runs.flatMap((r) => r.paged)).toContain(other.incidentId);
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('finished: Failed'))).toHaveLength(1);
  });
});

describe('attack-45b: overlapping reconciler runs', () => {
  // attack-45b finding B6 (low) (fixed, session 43): two reconciler runs that overlap (scheduled every 5 minutes, no reserved concurrency: the due index already expects "an overlapping run") both read the holder before either wrote its runbook_not_ended history, and both record the occurrence runbook-not-ended:<execution> for the same incident id: the ledger grants its owner a second send (meant for a crash after the publish), so on-call gets the "has not ended" page twice. Required: one page.
  it('pages once that a run has not ended when two reconciler runs overlap past the bound', async () => {
    const { deps, published, runbookChecks, first } = await episode('Waiting');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    const pagesBefore = published.length;

    await Promise.all([reconcileAt(deps, runbookChecks, '16:10:00'), reconcileAt(deps, runbookChecks, '16:10:00')]);
    await reconcileAt(deps, runbookChecks, '16:20:00');

    expect(published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'))).toHaveLength(1);
    expect(runbookChecks.entries).toHaveLength(1);
  });
});

describe('attack-45b: what held', () => {
  it('pages at the next reconciler run when the bound was crossed between two runs far apart, and keeps one check', async () => {
    const { deps, published, runbookChecks, first } = await episode('PendingApproval');
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    const pagesBefore = published.length;

    const early = await reconcileAt(deps, runbookChecks, '14:30:00');
    const late = await reconcileAt(deps, runbookChecks, '21:00:00');

    expect(early.paged).toEqual([]);
    expect(late.paged).toEqual([first.incidentId]);
    expect(published.slice(pagesBefore)).toHaveLength(1);
    expect(published.at(-1)?.message).toContain('has not ended (PendingApproval) 420 minutes');
    expect(runbookChecks.entries.map((e) => e.dueAt)).toEqual(['2026-11-20T21:05:00.000Z']);
  });
});
