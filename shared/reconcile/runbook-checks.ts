/**
 * Runbooks that reported success while their alarm stayed in ALARM. SSM's "Success" says the document's steps ran,
 * not that the alarm recovered; an alarm that stays in ALARM sends no further event, so nothing else would look at
 * the incident again and nobody would ever be paged (attack pass 17, F2). Remediate schedules a check
 * RUNBOOK_VERIFY_MINUTES after the runbook finished (shared/stores/runbook-checks.ts); the reconciler takes the due
 * ones here, bounded per run, oldest first.
 *
 * An incident its alarm's OK resolved meanwhile (or one whose runbook did not end a success) needs nothing: its entry
 * goes. One still open pages on-call once, "the runbook ran and reported success, the alarm still fires", with the
 * execution the runbook's output is under, and records that on the incident (its hand-off then says a person must
 * act; shared/domain/handoff.ts). The page is claimed in the escalation ledger under the incident's own key before
 * it is sent, so a crash between the send and its record sends it at most once more, and a run that finds it recorded
 * only deletes the entry; an ALARM that never saw an OK since an earlier one (ALARM, INSUFFICIENT_DATA, ALARM) is
 * claimed under that earlier incident's key, so one unbroken episode pages once. An OK arriving later resolves the
 * incident as usual.
 *
 * A check is also due for an episode's runbook holder whose start a later ALARM made again while the holder was
 * between its retries (attack-44b R5, session 42: shared/remediation/apply.ts, `recordRunbookExecution`). A holder
 * whose step then ended (`notified`) without recording the run's outcome has its run followed here: its execution's
 * status read once per run (left due while it runs, or while the holder's step still runs), and once it ended the
 * outcome is recorded as the holder's decision (`followedRun`) and on-call told as Notify tells of a followed run
 * (the run's own problem key). Under the follow claim a later ALARM takes to follow the same run
 * (`runFollowerOf`): one of them records it. The holder's own runbook step schedules such a check before it records its
 * execution (session 43), so a holder that died after that write is followed without a later ALARM; a step that
 * stopped following a run still going (RUNBOOK_WAIT_SECONDS: its decision's `runNotEnded`) leaves the check to follow
 * the run to its end, as does a later ALARM that followed the holder's run so.
 *
 * A followed run that has not ended RUNBOOK_NOT_ENDED_MINUTES after its start (a stuck approval step, a hung script)
 * pages on-call once that it has not, with its execution and how long (session 43: it was re-checked forever and
 * nobody was told). The check of a run that has not ended, past that bound or not yet, is moved a reconciler period
 * later on each run, behind the other entries and within the look-back, and its outcome is recorded and told as any
 * other once it ends; one paged so, or whose step said so (`runNotEnded`), is followed to its end though its alarm
 * recovered meanwhile, and its end paged (attack-46b B2, session 44). Each page of a check is taken by one of two
 * overlapping reconciler runs ({@link takeCheckPage}). A followed run that
 * succeeded has its alarm checked RUNBOOK_VERIFY_MINUTES later, as the runbook step's own success does.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Decision, Incident, NotificationRecord } from '../domain/incident.js';
import { RUNBOOK_UNVERIFIED_EVENT, runbookUnverifiedInWords } from '../domain/handoff.js';
import { episodeRunbookIncident } from '../domain/alarm-incident.js';
import { errorMessage } from '../errors.js';
import { publishClaimedPage } from '../notify/claimed-page.js';
import { renderEscalation } from '../notify/escalation.js';
import { escalationFor, pageOccurrence } from '../notify/escalation-policy.js';
import { type PolicyFile, policyFor } from '../remediation/policy.js';
import { type RunbookStartPorts, confirmRunbookStart } from '../remediation/runbook-start.js';
import { type RunbookRunner, type RunbookStatus, isTerminal, succeeded } from '../remediation/runbook-runner.js';
import type { Clock, EscalationLedger, EscalationOccurrence, EscalationPublisher, StepLogger } from '../ports.js';
import type { IncidentDue } from '../stores/due-index.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { type CheckPage, type EpisodeRunbookClaims, type RunbookChecks, readAlarmEpisode, runFollowerOf, scheduleRunbookVerify } from '../stores/runbook-checks.js';

export interface RunbookCheckDeps {
  runbookChecks: RunbookChecks;
  incidents: Pick<IncidentStore, 'get' | 'update' | 'listOpenInScope' | 'latestAlarmOk'>;
  escalations: EscalationPublisher;
  escalationLedger: EscalationLedger;
  clock: Clock;
  logger: StepLogger;
  /**
   * Reads the status of a holder's run that nobody followed (SSM GetAutomationExecution; the local runner locally), and
   * makes a holder's start again with its client token, which answers its run (StartAutomationExecution).
   */
  runbookRunner: Pick<RunbookRunner, 'status' | 'start'>;
  /**
   * The follow claims (a holder's run is recorded by the reconciler or by a later ALARM, never both) and the takes of a
   * check's pages (one of two overlapping reconciler runs sends each).
   */
  episodeRunbooks: Pick<EpisodeRunbookClaims, 'claimRunFollow' | 'takeCheckPage'>;
  /** Who is paged for a followed run's outcome, as Notify pages it. */
  policyFile: PolicyFile;
  /** Which start a holder made, to confirm its run by its client token when its execution was never written (session 43). */
  remediation: RunbookStartPorts;
  /** RUNBOOK_VERIFY_MINUTES: a followed run's success is checked as the runbook step checks its own (session 43). */
  config: Pick<Config, 'RUNBOOK_VERIFY_MINUTES'>;
}

export interface RunbookCheckResult {
  /** Incidents whose runbook did not fix their alarm, whose followed run ended or has not ended, and on-call was told so in this run. */
  paged: string[];
  /** Entries with nothing to do: the alarm recovered, the runbook did not succeed, told already, or the incident gone. */
  dropped: number;
  /** Checks that failed in this run (a refused page among them): they stay due, and the next run tries them again. */
  failed: string[];
}

/** Whether a check of `incident` still has to tell on-call: its runbook succeeded, its alarm fires, nobody was told. */
function stillFiringAfterRunbook(incident: Incident | null): incident is Incident {
  if (!incident || incident.status === 'resolved' || incident.supersededBy) return false;
  const decision = incident.decision;
  if (decision?.action !== 'run_runbook' || !decision.applied) return false;
  return !incident.history.some((entry) => entry.event === RUNBOOK_UNVERIFIED_EVENT);
}

/**
 * When `incident`'s alarm has had RUNBOOK_VERIFY_MINUTES to recover since its runbook's success was recorded (its
 * decision's time): no check pages "did not fix" before. One run can have several checks (the holder's, each later
 * ALARM's that followed it while it ran, the success's own); one due between the success and that time paged as soon
 * as it fell due (attack-45b B8 with two checks; review 43's defect 1 with three, session 44).
 */
function verifiedAfter(incident: Incident, verifyMinutes: number): string {
  return new Date(Date.parse(incident.decision?.decidedAt ?? '') + verifyMinutes * 60_000).toISOString();
}

/**
 * The incident whose runbook check stands for `incident`'s: the one whose runbook run its unbroken episode counts on
 * (`episodeRunbookIncident`, the rule remediate starts a run by). ALARM, INSUFFICIENT_DATA, ALARM is one episode with
 * two open incidents (no OK between): one page tells of it, and it names the alarm. An OK ends them, so a later
 * episode has its own: also when it left some open (it resolves the 25 newest only), read as remediate reads them.
 */
async function runbookCheckPagedFor(incident: Incident, deps: RunbookCheckDeps): Promise<string> {
  if (!incident.alarm?.arn) return incident.id;
  const { open } = await readAlarmEpisode(deps.incidents, incident.alarm.arn);
  return episodeRunbookIncident(open, incident)?.id ?? incident.id;
}

/**
 * Pages once for `incident`, whose runbook did not fix its alarm, and records it; false when an overlapping reconciler
 * run took the page ({@link takeCheckPage}: both read the incident before either recorded it, attack-46b B5).
 */
async function tellOnCall(incident: Incident, deps: RunbookCheckDeps, lookbackHours: number): Promise<boolean> {
  const now = deps.clock();
  if (!(await takeCheckPage(incident, 'unverified', incident.id, now, deps))) return false;
  const at = now.toISOString();
  const entry = { at, event: RUNBOOK_UNVERIFIED_EVENT, detail: `${incident.decision?.result ?? 'the runbook finished: Success'}; the alarm still fired at ${at}` };
  // The episode's problem: this page is about its runbook, and is sent once however the alarm's pages are grouped.
  // Claimed for the whole look-back, longer than its entry can stay due.
  const episode = await runbookCheckPagedFor(incident, deps);
  const occurrence: EscalationOccurrence = {
    key: `runbook-unverified:${episode}`,
    incidentId: incident.id,
    at: now,
    windowMinutes: lookbackHours * 60,
    mayOpen: true,
    label: `runbook that did not fix ${incident.alarm?.name ?? incident.id}`,
    digest: false,
  };
  const tally = await deps.escalationLedger.record(occurrence);
  // Rendered as it is recorded below, so the page says what the dashboard says: a person must act.
  const recorded: Incident = { ...incident, history: [...incident.history, entry] };
  let notification: NotificationRecord;
  if (tally.send) {
    const why = runbookUnverifiedInWords({ kind: 'runbook_unverified', result: incident.decision?.result ?? '', at });
    const published = await publishClaimedPage(renderEscalation(recorded, why, tally), occurrence, deps);
    notification = { channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: published.messageId, at };
  } else {
    const detail = episode === incident.id
      ? 'the page that the runbook did not fix the alarm went out on an earlier try'
      : `counted on the page that the runbook did not fix the alarm, of its incident ${episode} that still fires (no OK since)`;
    notification = { channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail, at };
  }
  await deps.incidents.update(incident.id, {}, { history: [entry], notifications: [notification] });
  return true;
}

/** The history event of a followed run on-call was paged about because it had not ended (session 43). */
export const RUNBOOK_NOT_ENDED_EVENT = 'runbook_not_ended';

/** How much later the check of a run that has not ended is due again: the reconciler's schedule in AWS. */
const NOT_ENDED_RECHECK_MS = 5 * 60_000;

/** Moves `check` to `dueAt`: written before the old entry goes, so that a crash between leaves it twice, never lost. */
async function moveCheck(check: IncidentDue, dueAt: string, deps: Pick<RunbookCheckDeps, 'runbookChecks'>): Promise<void> {
  if (check.dueAt === dueAt) return;
  await deps.runbookChecks.schedule({ incidentId: check.incidentId, dueAt });
  await deps.runbookChecks.done(check);
}

/** When the check of a run that has not ended, read at `now`, is due again: a reconciler period later, on its minute. */
function recheckAt(now: Date): string {
  return new Date(Math.floor((now.getTime() + NOT_ENDED_RECHECK_MS) / 60_000) * 60_000).toISOString();
}

/**
 * Takes one page of a run check (`page` of `subject`: e.g. `not-ended` of its execution) for this reconciler run (its
 * time at `now`): one conditional write on a claim item of the page's own (the claim store's, as a run's follow claim),
 * granted to one of two overlapping runs. Two overlapping runs (no reserved concurrency) both read the holder before
 * either recorded the page, and the ledger, which grants its incident one send more for a crash, let both send it: the
 * "has not ended" page (attack-45b B6, session 43), a followed run's outcome and the "did not fix" page (attack-46b
 * B4, B5, session 44). One function for every page of a run check. A take a reconciler period old whose run recorded
 * no page is a run that died before it: taken over, so the page still goes.
 */
async function takeCheckPage(holder: Incident, page: CheckPage, subject: string, now: Date, deps: RunbookCheckDeps): Promise<boolean> {
  const taker = `${now.toISOString()}#${randomUUID()}`;
  const takenLately = async (other: string) => now.getTime() - Date.parse(other.split('#')[0] ?? '') < NOT_ENDED_RECHECK_MS;
  return deps.episodeRunbooks.takeCheckPage(holder, page, subject, taker, takenLately);
}

export interface RunbookCheckOptions {
  maxPerRun: number;
  lookbackHours: number;
  /** RUNBOOK_NOT_ENDED_MINUTES: how long after its start a followed run may stay unended before on-call is paged. */
  notEndedMinutes: number;
}

/** Whether on-call was paged that `holder`'s run `executionId` has not ended, the page that promises its outcome. */
function pagedNotEnded(holder: Incident, executionId: string): boolean {
  return holder.history.some((entry) => entry.event === RUNBOOK_NOT_ENDED_EVENT && entry.detail?.includes(executionId) === true);
}

/**
 * Pages once that `holder`'s run has not ended (`run`, read just now) when its start is more than `notEndedMinutes` ago:
 * the run's own start as SSM reports it, else when a start answered its execution (`runbookStartAnsweredAt`), else the
 * holder's first try. Not that first where it can be helped: a later ALARM may have made the run hours after it
 * (attack-45b B7), and where SSM reports no start time on-call was paged "has not ended" minutes into the run (review
 * 43's defect 2, session 44). 'overdue' when it is, 'running' when it is not yet. Claimed under the execution's own
 * key, so a crash between the page and its record sends it at most once more, and a later run finds it recorded. A run
 * whose alarm recovered before it was paged so is followed to its end without the page: nobody needs to act on it
 * (review 43's defect 3, session 44: paged with "Nothing: it has recovered" as its next step).
 *
 * Taken first by one reconciler run ({@link takeCheckPage}, attack-45b B6, session 43).
 */
async function pageRunNotEnded(holder: Incident, run: RunbookStatus, deps: RunbookCheckDeps, options: RunbookCheckOptions): Promise<'running' | 'overdue' | 'overdue_paged'> {
  const now = deps.clock();
  const since = run.startedAt ?? holder.runbookStartAnsweredAt ?? holder.runbookStartAttemptedAt ?? holder.createdAt;
  const minutes = Math.floor((now.getTime() - Date.parse(since)) / 60_000);
  if (minutes < options.notEndedMinutes) return 'running';
  if (pagedNotEnded(holder, run.executionId) || holder.status === 'resolved') return 'overdue';
  if (!(await takeCheckPage(holder, 'not-ended', run.executionId, now, deps))) return 'overdue';
  const at = now.toISOString();
  const why = `the runbook run ${run.executionId} has not ended (${run.status}) ${minutes} minutes after its start (at ${since}): look at it in Systems Manager; Pipeline Guard keeps following it and tells its outcome once it ends`;
  const entry = { at, event: RUNBOOK_NOT_ENDED_EVENT, detail: why };
  const occurrence: EscalationOccurrence = {
    key: `runbook-not-ended:${run.executionId}`,
    incidentId: holder.id,
    at: now,
    windowMinutes: options.lookbackHours * 60,
    mayOpen: true,
    label: `runbook run ${run.executionId} that has not ended`,
    digest: false,
  };
  const tally = await deps.escalationLedger.record(occurrence);
  const recorded: Incident = { ...holder, history: [...holder.history, entry] };
  const notification: NotificationRecord = tally.send
    ? { channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: (await publishClaimedPage(renderEscalation(recorded, `${why}.`, tally), occurrence, deps)).messageId, at }
    : { channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: 'the page that the runbook run has not ended went out on an earlier try', at };
  await deps.incidents.update(holder.id, {}, { history: [entry], notifications: [notification] });
  return 'overdue_paged';
}

/**
 * A holder whose run has no recorded outcome: its decision neither applied, nor one whose run had not ended when its
 * step stopped following it (session 43), nor a followed run. Its execution known, or its start made with no execution
 * written: the step schedules the check once its start answered and writes the id after, a write that can fail on
 * every try (attack-45b B9, session 43).
 */
function runUnrecorded(incident: Incident): boolean {
  const decision = incident.decision;
  const started = Boolean(incident.runbookExecutionId ?? incident.runbookStartAttemptedAt);
  return started && (!decision?.applied || decision.runNotEnded === true) && !decision?.followedRun;
}

/**
 * The execution of `holder`'s run: the one it recorded, else the one its start, made again with its client token,
 * answers (`confirmRunbookStart`, as a later ALARM confirms a dead holder's), written on the holder so that its next
 * check reads it. Its check was scheduled after that start answered, so the token names a run SSM made. Null when it
 * cannot be told (no runbook allow-listed any more, or the start refused for other parameters).
 */
async function executionOf(holder: Incident, deps: RunbookCheckDeps): Promise<string | null> {
  if (holder.runbookExecutionId) return holder.runbookExecutionId;
  const confirmed = await confirmRunbookStart(holder, { ...deps.remediation, runner: deps.runbookRunner });
  if (!confirmed?.known) {
    deps.logger.warn('the runbook run of a check with no execution written cannot be told by its client token', { incidentId: holder.id, execution: confirmed?.execution ?? null });
    return null;
  }
  await deps.incidents.update(holder.id, { runbookExecutionId: confirmed.execution });
  return confirmed.execution;
}

/**
 * Whether on-call was told that `holder`'s run had not ended and so waits for its outcome: paged so here, or its step's
 * decision said so (`runNotEnded`). Such a run is followed to its end though its alarm's OK resolved the holder
 * meanwhile: the run (an approval step, a hung script) may still act, and the page promised its outcome (attack-45b
 * B3, session 43: the check was dropped at the OK, and its end told to nobody).
 */
function outcomePromised(holder: Incident): boolean {
  return holder.decision?.runNotEnded === true || (holder.runbookExecutionId !== undefined && pagedNotEnded(holder, holder.runbookExecutionId));
}

/** How following a holder's run once went ({@link followUnrecordedRun}). */
type FollowedRun = 'waiting' | 'running' | 'overdue' | 'overdue_paged' | 'dropped' | 'paged' | 'taken';

/**
 * What each way of following a run does to its check, one row each, so that a new way must say it (session 45: long
 * `||` chains that a new result would have slipped through). `check`: `moved` a reconciler period later (its run or its
 * step still goes), `left` as it is (an overlapping run took its page and drops it once recorded), or `done`.
 * `counts`: the run's result it counts in, if any.
 */
const FOLLOWED_RUN_CHECK: Record<FollowedRun, { check: 'moved' | 'left' | 'done'; counts: 'paged' | 'dropped' | null }> = {
  waiting: { check: 'moved', counts: null },
  running: { check: 'moved', counts: null },
  overdue: { check: 'moved', counts: null },
  overdue_paged: { check: 'moved', counts: 'paged' },
  taken: { check: 'left', counts: null },
  paged: { check: 'done', counts: 'paged' },
  dropped: { check: 'done', counts: 'dropped' },
};

/**
 * Follows `holder`'s run once: `waiting` while its step still runs (the entry is moved later), `running` while its run has
 * not ended within RUNBOOK_NOT_ENDED_MINUTES, `overdue` (and `overdue_paged` on the run that paged so) past them,
 * `dropped` when its alarm's OK resolved it with no outcome promised or a later ALARM follows the run, `paged` once its
 * outcome is recorded and told, `taken` when an overlapping reconciler run took its outcome's page (its entry is left
 * as it is: that run drops it once recorded, and a later run takes the page over should it die first).
 */
async function followUnrecordedRun(holder: Incident, deps: RunbookCheckDeps, options: RunbookCheckOptions): Promise<FollowedRun> {
  const recovered = holder.status === 'resolved';
  if (recovered && !outcomePromised(holder)) return 'dropped';
  if (!recovered && holder.status !== 'notified') return 'waiting';
  if ((await runFollowerOf(holder, holder.id, deps)) !== holder.id) return 'dropped';
  const executionId = await executionOf(holder, deps);
  if (executionId === null) return 'dropped';
  const run = await deps.runbookRunner.status(executionId);
  if (!isTerminal(run.status)) return pageRunNotEnded(holder, run, deps, options);
  const now = deps.clock();
  // runFollowerOf grants the holder's own claim to each overlapping run alike: the outcome's page is taken (attack-46b B4).
  if (!(await takeCheckPage(holder, 'ended', executionId, now, deps))) return 'taken';
  const at = now.toISOString();
  const result = `runbook (${executionId}) finished: ${run.status}${run.failureMessage ? ` — ${run.failureMessage}` : ''}`;
  const decision: Decision = {
    action: succeeded(run.status) ? 'run_runbook' : 'escalate',
    reason: `its step ended before it recorded how its runbook run ended; the reconciler followed the run`,
    applied: true,
    result,
    dryRun: false,
    decidedAt: at,
    followedRun: { holder: holder.id, executionId },
  };
  const entry = { at, event: 'runbook_followed', detail: `the reconciler followed the runbook run ${executionId}: ${result}` };
  const recorded: Incident = { ...holder, decision, history: [...holder.history, entry] };
  // Paged, or counted, before the decision is written: a run that fails in between follows the run again, and the
  // ledger lets the page go once more at most.
  const policy = policyFor(deps.policyFile, holder.repository, false).escalation;
  const { route } = escalationFor(recorded, { ownRerun: false, policy });
  const told = (outcome: NotificationRecord['outcome'], detail: string): NotificationRecord => ({ channel: 'sns', target: 'escalation-topic', outcome, detail, at });
  let notification: NotificationRecord;
  const pagedEarlier = pagedNotEnded(holder, executionId);
  if (!route.page && recovered && succeeded(run.status) && !pagedEarlier) {
    // Its alarm is OK and its run did what it should: nobody must act, so the success is recorded (the incident, its
    // dashboard) but not paged (attack-46d D3; README, "Quiet by design"). A run that did not succeed is still paged
    // below (the automation is broken), and so is any end of a run paged earlier as not ended (on-call expects it).
    notification = told('skipped', `the followed run succeeded after its alarm had recovered: nobody must act`);
  } else if (!route.page && recovered && outcomePromised(holder)) {
    // Its alarm recovered, which pages nobody; the page that it had not ended, or its step's saying so (`runNotEnded`),
    // promised this end, under its own key: told only after a not-ended page, the end of a run whose alarm recovered
    // before that bound was told to nobody (attack-46b B2, session 44).
    const occurrence: EscalationOccurrence = {
      key: `runbook-not-ended:${executionId}:ended`,
      incidentId: holder.id,
      at: now,
      windowMinutes: options.lookbackHours * 60,
      mayOpen: true,
      label: `runbook run ${executionId} that had not ended`,
      digest: false,
    };
    const earlier = pagedEarlier ? 'paged earlier as not ended' : 'reported still running when its step stopped following it';
    const why = `the runbook run ${executionId}, ${earlier}, has ended: ${result}; its alarm had recovered meanwhile`;
    const tally = await deps.escalationLedger.record(occurrence);
    notification = tally.send
      ? told('published', (await publishClaimedPage(renderEscalation(recorded, `${why}.`, tally), occurrence, deps)).messageId)
      : told('skipped', "the page of the followed run's outcome went out on an earlier run");
  } else if (!route.page) {
    notification = told('skipped', `the followed run's outcome, not paged: ${route.why}`);
  } else {
    // Keyed as the end of this execution (`problemOf`), not counted on the page that it still ran (session 43).
    const occurrence = pageOccurrence(route, recorded, now, deps.policyFile);
    const tally = await deps.escalationLedger.record(occurrence);
    notification = tally.send
      ? told('published', (await publishClaimedPage(renderEscalation(recorded, `${route.why}.`, tally), occurrence, deps)).messageId)
      : told('skipped', tally.alreadySent ? "the page of the followed run's outcome went out on an earlier run" : `counted on the open escalation of this problem (${tally.windowCount} in its window)`);
  }
  // A success is checked as the runbook step checks its own: the alarm may still fire once the run is done (attack-45b
  // B2, session 43). Scheduled before the decision is written, as the step does.
  if (succeeded(run.status)) await scheduleRunbookVerify(deps.runbookChecks, holder.id, now, deps.config.RUNBOOK_VERIFY_MINUTES);
  await deps.incidents.update(holder.id, { decision }, { history: [entry], notifications: [notification] });
  // The last check of the run its steps scheduled (a later ALARM's, maybe due after this one) is needless now, as a
  // step drops its own once it recorded the run's outcome: left, it paged "did not fix" minutes after the success (attack-45b B8).
  if (holder.runbookRunCheckAt) await deps.runbookChecks.done({ incidentId: holder.id, dueAt: holder.runbookRunCheckAt });
  return 'paged';
}

export async function pageRunbooksThatDidNotFix(deps: RunbookCheckDeps, options: RunbookCheckOptions): Promise<RunbookCheckResult> {
  const result: RunbookCheckResult = { paged: [], dropped: 0, failed: [] };
  let due: IncidentDue[];
  try {
    due = await deps.runbookChecks.due(deps.clock(), { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    deps.logger.warn('the runbook checks could not be listed; they wait for the next run', { error: errorMessage(error) });
    result.failed.push('(the runbook checks could not be listed)');
    return result;
  }
  for (const check of due) {
    try {
      const incident = await deps.incidents.get(check.incidentId);
      if (incident && runUnrecorded(incident)) {
        const followed = FOLLOWED_RUN_CHECK[await followUnrecordedRun(incident, deps, options)];
        if (followed.counts === 'paged') result.paged.push(incident.id);
        if (followed.counts === 'dropped') result.dropped += 1;
        if (followed.check === 'moved') {
          // Moved behind the others, under the bound too: left at the head of the oldest-first list, runs that have
          // not ended (one outage across maxPerRun alarms) held back every other check for up to the bound (attack-45b
          // B5, session 43), as did holders whose steps still ran (review 43's defect 4, session 44). On a whole
          // minute, so that two overlapping runs moving it write one entry, not two that each later run moves again.
          await moveCheck(check, recheckAt(deps.clock()), deps);
          continue;
        }
        if (followed.check === 'left') continue;
      } else if (stillFiringAfterRunbook(incident)) {
        const verifyAt = verifiedAfter(incident, deps.config.RUNBOOK_VERIFY_MINUTES);
        // Too early: moved to when the alarm had its time, onto the success's own check where that is due then.
        if (deps.clock().toISOString() < verifyAt) {
          await moveCheck(check, verifyAt, deps);
          continue;
        }
        // Left as it is when an overlapping run took the page (attack-46b B5): that run drops it once recorded.
        if (!(await tellOnCall(incident, deps, options.lookbackHours))) continue;
        result.paged.push(incident.id);
      } else {
        result.dropped += 1;
      }
      await deps.runbookChecks.done(check);
    } catch (error) {
      // Left due: the next run tries again, and the run fails so that the reconciler's alarm sees it.
      result.failed.push(check.incidentId);
      deps.logger.warn('runbook check failed; tried again on the next run', { incidentId: check.incidentId, error: errorMessage(error) });
    }
  }
  if (result.paged.length > 0 || result.failed.length > 0) deps.logger.info('runbook checks', { ...result });
  return result;
}
