import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../shared/steps/record-outcome.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { scratchStoreForFile } from '../support/harness.js';
import { alarmEvent, holderFollowFailedForGood, reconcileRunbookChecksAt, type RunbookEpisode as Episode, runbookAlarmHandledAt as handledAt, runbookEpisodesOf, thirdAlarmOfEpisode } from '../support/alarm-events.js';

/*
 * Attack pass 46b on session 44's runbook follow-up checks: the "did not fix" page moved to RUNBOOK_VERIFY_MINUTES
 * after the success, the holder's check moved while its step runs, no "has not ended" page after the alarm's OK, and
 * the start's answer time (runbookStartAnsweredAt) the not-ended bound counts from.
 */

const scratch = scratchStoreForFile('guard-a46b-claims');
const episode = runbookEpisodesOf(scratch, 'a46b');

/** The runner as SSM answering no ExecutionStartTime: the run's status alone. */
function noStartTime(ep: Episode, status: () => string) {
  ep.runner.status = async (executionId) => ({ executionId, status: status(), failureMessage: status() === 'Success' || status() === 'InProgress' ? null : 'step failed' });
}

describe('attack-46b: the start answered, rewritten by each later ALARM', () => {
  // attack-46b finding B1: recordRunbookExecution writes runbookStartAnsweredAt = now on every call, and a later ALARM
  // that follows the dead holder's run while it still runs calls it on the holder (remediate.ts recordFollowed), as does
  // one confirming its start (countedOnEpisodeRun). The holder's run answered at 14:00; ALARMs of the episode at 15:30
  // and 16:20 each move the "start" to their own time: with SSM reporting no start time the bound counts from 16:20,
  // and at 16:30, 150 minutes into a run stuck since 14:00, on-call is not told; an episode whose ALARMs come back
  // faster than RUNBOOK_NOT_ENDED_MINUTES is never told. Required: the bound counts from the first answer.
  it('pages "has not ended" RUNBOOK_NOT_ENDED_MINUTES after the run started though later ALARMs followed it meanwhile (SSM reports no start time)', async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, published, first, name } = ep;
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    expect((await deps.incidents.get(first.incidentId))?.runbookStartAnsweredAt).toBe('2026-11-20T14:00:00.000Z');
    noStartTime(ep, () => 'InProgress');
    await handledAt(ep, ep.second, '15:30:00');
    await handledAt(ep, await thirdAlarmOfEpisode(deps, 'a46b', name), '16:20:00');
    const pagesBefore = published.length;
    const notEnded = () => published.slice(pagesBefore).filter((p) => p.message.includes('has not ended'));

    for (const time of ['16:25:00', '16:30:00']) await reconcileRunbookChecksAt(ep, time);

    expect(notEnded()).toHaveLength(1);
  });
});

describe('attack-46b: a run its step promised the outcome of, its alarm recovered before it ended', () => {
  // attack-46b finding B2: the holder's step stopped following its run still going (runNotEnded: outcomePromised), the
  // OK resolved it at 14:30. Since session 44 no "has not ended" page goes for a resolved holder, and the followed
  // run's end is told only on the ':ended' key of that page (pagedNotEnded) or by route.page, which is false for a
  // resolved incident: the run failing at 17:00 is recorded with a 'skipped' notification ("it has already
  // recovered") and told to nobody. Before session 44 the 16:10 not-ended page went and its end was told.
  it("tells on-call how a run ended that its step reported still running, when the alarm's OK came before the not-ended bound", async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, published, runner, first, name } = ep;
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ runNotEnded: true });
    await recordAlarmRecovery(alarmEvent('a46b', 'OK', '2026-11-20T14:30:00.000+0000', { name, previous: { value: 'ALARM', at: '2026-11-20T10:07:00.000+0000' } }), {
      ...deps,
      clock: () => new Date('2026-11-20T14:30:30Z'),
    });
    const pagesBefore = published.length;
    await reconcileRunbookChecksAt(ep, '14:35:00');
    await reconcileRunbookChecksAt(ep, '16:10:00');
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'approval rejected' });
    await reconcileRunbookChecksAt(ep, '17:00:00');

    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ followedRun: { executionId: 'exec-1' } });
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('exec-1') && p.message.includes('Failed'))).toHaveLength(1);
  });
});


describe('attack-46b: the page of a run its step stopped following (pre-existing, seen while probing)', () => {
  // attack-46b finding B3 (pre-existing, session 43): a holder whose step stopped following its run still going
  // records decision { action: 'escalate', applied: true, runNotEnded } and its Notify pages "the alarm is firing and
  // the guard has no automatic fix it may apply", "What the guard tried: nothing automatic: it could not act safely"
  // (decisionStep: escalate -> 'escalated'). On-call is not told a runbook run (exec-1) is going, nor that its outcome
  // follows: the "promised" outcome outcomePromised relies on was never promised, and on-call may act on the alarm
  // by hand while the runbook acts too. Required: the page names the run and says it has not ended.
  it("names the runbook run still going in the holder's page, not 'nothing automatic'", async () => {
    const ep = await episode('InProgress', { RUNBOOK_WAIT_SECONDS: '0' });
    const { deps, published, first } = ep;
    await remediateStep({ trigger: first }, deps);
    await notifyStep({ trigger: first }, deps);
    expect((await deps.incidents.get(first.incidentId))?.decision).toMatchObject({ runNotEnded: true });
    const page = published.at(-1)?.message ?? '';
    expect(page).toContain('exec-1');
    expect(page).not.toContain('nothing automatic');
  });
});

describe('attack-46b: two reconciler runs overlapping on one check (pre-existing, the shape of attack-45b B6)', () => {
  // attack-46b finding B4 (pre-existing, session 43): two overlapping reconciler runs (no reserved concurrency, as
  // attack-45b B6) list the holder's check and both read the holder before either writes the decision; runFollowerOf
  // grants the follow claim to the holder itself again, so both follow the run, and the ledger, which grants an
  // incident one send more for a crash, lets both publish the outcome ("finished: Failed") page. B6's take
  // (takeNotEndedPage) guards only the "has not ended" page. Required: the outcome is paged once.
  it('tells a followed run outcome once when two reconciler runs overlap on its check', async () => {
    const ep = await episode('InProgress');
    const { deps, published, runner, first } = ep;
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'step failed' });
    const pagesBefore = published.length;
    await Promise.all([reconcileRunbookChecksAt(ep, '14:30:00'), reconcileRunbookChecksAt(ep, '14:30:00')]);
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('finished: Failed'))).toHaveLength(1);
  });
  // attack-46b finding B5 (pre-existing): the same for "ran and reported success, the alarm still fires": two runs
  // overlapping at 14:55 both read the incident before either recorded runbook_unverified, both are granted a send by
  // the ledger under runbook-unverified:<episode>, and on-call gets the page twice (the 14:30 success outcome too).
  it('pages "did not fix" once when two reconciler runs overlap on its check', async () => {
    const ep = await episode('InProgress');
    const { deps, published, runner, first } = ep;
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    runner.status = async (executionId) => ({ executionId, status: 'Success', failureMessage: null });
    const pagesBefore = published.length;
    await Promise.all([reconcileRunbookChecksAt(ep, '14:30:00'), reconcileRunbookChecksAt(ep, '14:30:00')]);
    await Promise.all([reconcileRunbookChecksAt(ep, '14:55:00'), reconcileRunbookChecksAt(ep, '14:55:00')]);
    expect(published.slice(pagesBefore).filter((p) => p.message.includes('it did not fix it'))).toHaveLength(1);
  });
});

