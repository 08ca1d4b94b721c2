import { METRIC } from '../adapters/metric-names.js';
import { aheadDetail, alarmOkLeavesOpen, stateChangedAtOf, untrustedStamp } from '../domain/alarm-incident.js';
import type { HistoryEntry, Incident } from '../domain/incident.js';
import { runbookUnverified } from '../domain/handoff.js';
import { type ForkCheckReach, greenAttemptNotLater, greenRunLeavesOpen, secondsToRecovery, workflowRecoveryMessageSchema } from '../domain/recovery.js';
import { type AlarmEvent, alarmArnOf, alarmEventSchema, alarmScope, githubForkCheckScope } from '../domain/trigger.js';
import { ValidationError } from '../errors.js';
import { firstIssue } from '../validation.js';
import { AFTER_RUNBOOK, type RecoveryFollowUpDeps, followUpRecovery, followedUp, resolvedByRecovery, unlessTransient } from '../outcome/recovery-follow-ups.js';
import type { RerunLedger } from '../ports.js';
import { rerunKeyOf } from '../remediation/rerun-key.js';
import type { ReadRecovery, RecoveryKey, RecoveryTargets } from '../stores/recovery-targets.js';
import type { StepDeps } from './deps.js';

/** Open incidents resolved by one recovery event; bounded so a noisy scope cannot fan out without limit. */
export const MAX_RESOLVED_PER_EVENT = 25;
/**
 * Open incidents read from a scope all forks' checks once shared, to find those of one pull request among them: no
 * new incident goes there, so the number only falls; one of the pull request's older than this many is left open.
 */
const SHARED_FORK_SCOPE_READ = 100;
/**
 * A fork's pull request's newest incidents read to find its failures of one check keyed by their commits: all its
 * checks' and runs' count, so more than one scope's; an older failure of the check than these is left open.
 */
const PULL_REQUEST_READ = 100;

export interface RecoveryResult {
  resolved: string[];
}

type OutcomeDeps = Pick<StepDeps, 'incidents' | 'clock' | 'github' | 'logger'> &
  Partial<Pick<StepDeps, 'learning' | 'metrics'>> & RecoveryFollowUpDeps & {
    greenRuns?: Pick<StepDeps['greenRuns'], 'noteGreenRun'>;
    /** The cap on automatic re-runs per commit: a re-run of ours that ended green gives its slot back. */
    reruns?: Pick<RerunLedger, 'release'>;
    /** What each recovery set out to resolve: its redelivery does the follow-ups of those an earlier delivery resolved. */
    recoveryTargets?: RecoveryTargets;
  };

/**
 * Resolves the incident, then does what follows a recovery: the circuit breaker's outcome, learning's, the withdrawal
 * of a proposal still waiting for approval, the reactions on the PR comment and the comment's rewrite. The write
 * comes first and is conditional: another writer may have ended the incident since it was listed (a later push
 * superseded it, another recovery's delivery landed), and its ending (resolvedBy, time to recovery, history) stands,
 * so only the recovery whose write landed does the follow-ups; one that did them before it knew counted a recovery the
 * record does not keep and rewrote the PR comment to say "Fixed" (session 40). Null when another writer ended it first.
 *
 * Killed between the write and the follow-ups, the incident is no longer open: the recovery's redelivery finds it
 * among the targets its earlier delivery noted (see {@link resolvedByEarlierDelivery}) and does them then, or, when no
 * delivery comes back, the reconciler's backstop does (shared/reconcile/recovery-follow-ups.ts); each is idempotent or
 * claimed once per incident with its counts marked, so none counts twice.
 */
async function resolveIncident(
  incident: Incident,
  resolvedBy: string,
  at: Date,
  deps: OutcomeDeps,
  extra: Partial<Incident> = {},
  options: { updateComment?: boolean; history?: HistoryEntry[] } = {},
): Promise<Incident | null> {
  const seconds = secondsToRecovery(incident, at);
  const resolution = { ...extra, status: 'resolved' as const, resolvedAt: at.toISOString(), timeToRecoverySeconds: seconds, resolvedBy };
  const history = [{ at: at.toISOString(), event: 'resolved', detail: resolvedBy }, ...(options.history ?? [])];
  const resolved = await deps.incidents.updateIfStatusMoves(incident.id, resolution, { history });
  if (!resolved) {
    deps.logger.info('incident ended by another writer before this recovery was recorded: its ending stands', { incidentId: incident.id, resolvedBy });
    return null;
  }
  if (incident.status !== 'resolved') deps.metrics?.measure(METRIC.timeToRecovery, 'Seconds', seconds, { source: incident.source });
  await followUpRecovery(resolved, at, deps, options);
  return resolved;
}

/**
 * The incidents an earlier delivery of this recovery wrote resolved: `unfinished`, those whose follow-ups it did not
 * record done (it was killed between the two, or a follow-up failed for now), and `done`, those it finished (whose PR
 * comment an older unfinished one must not rewrite). This delivery's `targets` are noted first, under the recovery's
 * key, and the earlier deliveries' come back. Only those this very recovery resolved count (`resolvedByRecovery`):
 * another writer's ending has no follow-ups of this recovery. `noted`: the recovery's targets entry as this delivery
 * left it (null: none), which it deletes once its follow-ups are all done unless noted again since (the reconciler's backstop does them for one it keeps). Without
 * `recoveryTargets`, none.
 */
async function resolvedByEarlierDelivery(
  recovery: RecoveryKey,
  targets: Incident[],
  deps: OutcomeDeps,
): Promise<{ unfinished: Incident[]; done: Incident[]; noted: ReadRecovery | null }> {
  const found = { unfinished: [] as Incident[], done: [] as Incident[], noted: null as ReadRecovery | null };
  if (!deps.recoveryTargets) return found;
  const listed = new Set(targets.map((incident) => incident.id));
  const { earlier: noted, mark, keyAt } = await deps.recoveryTargets.note(recovery, [...listed]);
  if (listed.size > 0 || noted.length > 0) found.noted = { ...recovery, mark, keyAt };
  const earlier = noted.filter((id) => !listed.has(id)).slice(0, MAX_RESOLVED_PER_EVENT);
  for (const id of earlier) {
    const incident = await deps.incidents.get(id);
    if (incident && resolvedByRecovery(incident, recovery)) (followedUp(incident) ? found.done : found.unfinished).push(incident);
  }
  return found;
}

export interface WorkflowRecovery {
  /** Scope of the incidents a success resolves: repository + branch + workflow, or + check name for other CI. */
  scope: string;
  /** The successful Actions run (null for a check run of another CI system). */
  runId: number | null;
  runAttempt?: number;
  /** The green run's `run_number` (null or absent when unknown: a check run of another CI system). */
  runNumber?: number | null;
  /** How the comment and the record name the recovery, e.g. "run 42" or "check run 7". */
  resolvedBy: string;
  /** The delivery's App installation, whose client updates the PR comment. */
  installationId: number | null;
  completedAt: Date;
  /** A fork's check run of a known pull request: where its failures from before forks' checks were told apart are. */
  sharedForkScopes?: { scopes: string[]; pullRequest: number };
  /** A fork's check run: what it resolves beyond its own scope (`forkGreenCheckReach`). */
  forkCheck?: ForkCheckReach;
  /** Its scopes keyed by the repository's name, where its failures from before scopes were keyed by id are (`scopesByName`). */
  scopesByName?: { repositoryId: number; scopes: string[] };
}

/**
 * The open incidents a green run may resolve, newest first: its scope's, and for a fork's check run what it reaches
 * beyond (`forkGreenCheckReach`): its own commit's failures of the check keyed by the commit, its pull request's
 * failures of the check wherever they are keyed, and that pull request's among the ones recorded under the scope all
 * forks' checks once shared. A failure's pull request there is the one classify found by its commit, which the
 * payload did not name.
 */
async function openIncidentsFor(recovery: WorkflowRecovery, deps: OutcomeDeps): Promise<Incident[]> {
  const open = new Map<string, Incident>();
  const take = (incidents: Incident[], keep: (incident: Incident) => boolean = () => true) => {
    for (const incident of incidents) if (keep(incident) && !open.has(incident.id)) open.set(incident.id, incident);
  };
  take(await deps.incidents.listOpenInScope(recovery.scope, MAX_RESOLVED_PER_EVENT));
  for (const scope of recovery.forkCheck?.commitScopes ?? []) take(await deps.incidents.listOpenInScope(scope, MAX_RESOLVED_PER_EVENT));
  const pull = recovery.forkCheck?.pullRequest;
  if (pull) {
    const ofThePullRequest = await deps.incidents.listByPullRequest({ name: pull.repository, id: pull.repositoryId ?? null }, pull.number, PULL_REQUEST_READ);
    const keys = [recovery.scope, ...(recovery.scopesByName?.scopes ?? [])];
    take(ofThePullRequest, (incident) => incident.status !== 'resolved' && sameForkCheck(incident, pull.number, keys));
  }
  // Keyed by name, another repository that had the name left its failures there too: only this one's are taken.
  const byName = recovery.scopesByName;
  const ofThisRepository = (incident: Incident) => incident.repositoryId === null || !byName || incident.repositoryId === byName.repositoryId;
  for (const scope of byName?.scopes ?? []) {
    if (scope !== recovery.scope) take(await deps.incidents.listOpenInScope(scope, MAX_RESOLVED_PER_EVENT), ofThisRepository);
  }
  for (const scope of recovery.sharedForkScopes?.scopes ?? []) {
    take(await deps.incidents.listOpenInScope(scope, SHARED_FORK_SCOPE_READ), (incident) => incident.pullRequest === recovery.sharedForkScopes?.pullRequest && ofThisRepository(incident));
  }
  return [...open.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, MAX_RESOLVED_PER_EVENT);
}

/**
 * Whether an incident of pull request `pullRequest` is a fork's failure of the green check keyed by that pull request
 * (`keys`: by the repository's id, and by its name as before): the same check, by app and name, as the key's hash tells them.
 */
function sameForkCheck(incident: Incident, pullRequest: number, keys: readonly string[]): boolean {
  const check = incident.checkRun;
  if (!incident.fromFork || !check || !incident.repository) return false;
  return keys.includes(githubForkCheckScope({ name: incident.repository, id: incident.repositoryId }, check.appSlug, check.name, { pullRequest }));
}

/**
 * A re-run of ours that ended green gives its slot back. The cap on automatic re-runs of one commit
 * (`autoRerunMax`) is there for re-runs that do not fix the failure; one that did is what the guard should do again.
 * Without this, a nightly run on an unchanged commit, or a push's and a pull request's run of it, that flaked again
 * found the commit's one re-run spent by a re-run that had worked, and paged on-call instead. Only the attempt our
 * re-run created counts (a person's later re-run that passed says nothing of ours), and a re-run of ours that
 * failed keeps its slot: its failure needs a human. Releasing twice changes nothing (a redelivery).
 */
async function freeRerunSlotOfGreenRerun(incident: Incident, recovery: WorkflowRecovery, deps: OutcomeDeps): Promise<void> {
  const decision = incident.decision;
  if (!deps.reruns || decision?.action !== 'rerun_failed_jobs' || !decision.applied || incident.runId === null) return;
  const nextAttempt = (incident.runAttempt ?? 1) + 1;
  if (recovery.runId !== incident.runId || (recovery.runAttempt ?? 1) !== nextAttempt) return;
  const key = rerunKeyOf(incident);
  if (!key) return;
  await deps.reruns
    .release(key, { incidentId: incident.id, runId: incident.runId, nextAttempt })
    .catch(unlessTransient('the re-run slot of a re-run that passed', incident.id, deps));
}

/**
 * A successful run of the same workflow (or check) on the same branch resolves that scope's open incidents that
 * failed before it (see `greenRunLeavesOpen`: not a failure after it completed, nor one of a later run number), and
 * records the time to recovery. A successful re-run attempt resolves the failed earlier attempts of its own run.
 * The PR comment is updated once per pull request, from the newest incident, so an older incident resolved in
 * the same pass cannot overwrite what the comment says about the latest failure.
 */
export async function recordWorkflowRecovery(recovery: WorkflowRecovery, deps: OutcomeDeps): Promise<RecoveryResult> {
  if (deps.greenRuns) {
    // Noted before the open incidents are read, as an alarm's OK is: a failure delivered after this green run (an
    // earlier attempt of its run redelivered late, or another CI's earlier check run of the same check) either is
    // listed below or, classified later, reads this note and is recorded as superseded (supersededFields) instead of
    // commented, re-run and paged as a fresh failure.
    await deps.greenRuns.noteGreenRun(recovery.scope, {
      runId: recovery.runId,
      runAttempt: recovery.runAttempt ?? 1,
      runNumber: recovery.runNumber ?? null,
      resolvedBy: recovery.resolvedBy,
      completedAt: recovery.completedAt,
    });
  }
  const open = await openIncidentsFor(recovery, deps);
  const targets = open.filter((incident) => !greenAttemptNotLater(incident, recovery) && !greenRunLeavesOpen(incident, recovery));
  const at = recovery.completedAt.toISOString();
  const recoveryKey: RecoveryKey = { scope: recovery.scope, resolvedBy: recovery.resolvedBy, at };
  const earlier = await resolvedByEarlierDelivery(recoveryKey, targets, deps);
  const finished = new Set(earlier.done.map((incident) => incident.id));
  const resolved: string[] = [];
  const commented = new Set<string>();
  // Newest first, so the first incident seen for a PR is the one its comment shows. Those an earlier delivery finished
  // are in the order too: one newer than an unfinished one of its PR showed on its comment, which the older one leaves.
  for (const incident of [...open, ...earlier.unfinished, ...earlier.done].sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    if (greenAttemptNotLater(incident, recovery)) continue;
    const pr = incident.pullRequest ? `${incident.repository}#${incident.pullRequest}` : null;
    const updateComment = pr !== null && !commented.has(pr);
    if (pr) commented.add(pr);
    if (finished.has(incident.id)) continue;
    if (incident.status === 'resolved') {
      // Resolved by an earlier delivery of this recovery, which did not get to its follow-ups.
      await followUpRecovery(incident, recovery.completedAt, deps, { updateComment });
      resolved.push(incident.id);
      continue;
    }
    const leftOpen = greenRunLeavesOpen(incident, recovery);
    if (leftOpen) {
      // Still open, and its PR's comment goes on showing it: an older incident resolved below does not rewrite it.
      deps.logger.info('green run does not resolve a newer failure', { incidentId: incident.id, resolvedBy: recovery.resolvedBy, reason: leftOpen });
      continue;
    }
    await freeRerunSlotOfGreenRerun(incident, recovery, deps);
    if (await resolveIncident(incident, recovery.resolvedBy, recovery.completedAt, deps, {}, { updateComment })) resolved.push(incident.id);
  }
  // Every follow-up is done (or failed for good, logged): the reconciler's backstop has nothing left of this recovery.
  if (earlier.noted) await deps.recoveryTargets?.finished(earlier.noted);
  return { resolved };
}

/**
 * A green run queued by ingest (shared/domain/recovery.ts), delivered by Lambda's asynchronous invocation or the
 * local store queue: at least once, so recording it twice must change nothing, and it does not (a resolved
 * incident is not open any more, and the learning counters are claimed once per incident). A delivery cut short
 * leaves whatever it had not finished for the next one: open, or resolved among its targets (see resolveIncident), which
 * the reconciler finishes when no next one comes.
 */
export async function recordQueuedRecovery(message: unknown, deps: OutcomeDeps): Promise<RecoveryResult> {
  const parsed = workflowRecoveryMessageSchema.safeParse(message);
  if (!parsed.success) throw new ValidationError(`not a queued workflow recovery: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const queued = parsed.data;
  return recordWorkflowRecovery(
    {
      scope: queued.scope,
      runId: queued.runId,
      ...(queued.runAttempt === undefined ? {} : { runAttempt: queued.runAttempt }),
      runNumber: queued.runNumber ?? null,
      resolvedBy: queued.resolvedBy,
      installationId: queued.installationId,
      completedAt: new Date(queued.completedAt),
      ...(queued.sharedForkScopes ? { sharedForkScopes: queued.sharedForkScopes } : {}),
      ...(queued.forkCheck ? { forkCheck: queued.forkCheck } : {}),
      ...(queued.scopesByName ? { scopesByName: queued.scopesByName } : {}),
    },
    deps,
  );
}

/**
 * The alarm returned to OK: store the state change on its open incidents that fired at or before it and resolve
 * them. Events are ordered by their state-change times, not by arrival (EventBridge retries for up to 2 hours): an
 * OK resolves no ALARM that came after it, and its time is noted for the alarm so that an ALARM arriving after its
 * own OK is recorded as already over instead of starting the pipeline (ingestAlarmEvent, classify).
 */
export async function recordAlarmRecovery(event: unknown, deps: OutcomeDeps): Promise<RecoveryResult> {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError(`not a CloudWatch Alarm State Change event: ${firstIssue(parsed.error)}`);
  const alarmEvent: AlarmEvent = parsed.data;
  const arn = alarmArnOf(alarmEvent);
  const now = deps.clock();
  const read = stateChangedAtOf(alarmEvent, now);
  const at = read?.at ?? null;
  const when = at ?? now;
  if (read && untrustedStamp(read)) {
    // Not read as "now", as an ALARM stamped ahead is: each delivery of the event would be a later OK than the one
    // before, and a redelivery would end ALARMs that fired after the first. CloudWatch's clock and ours agree far
    // closer than CLOCK_SKEW_MS, and it stamps nothing before 2000, so such a stamp is not CloudWatch's; the
    // incidents stay open for a real OK.
    deps.logger.warn('alarm recovery stamped ahead of the clock or too early: not trusted, resolves nothing', { alarm: alarmEvent.detail.alarmName, detail: aheadDetail(read) });
    return { resolved: [] };
  }
  if (at && alarmEvent.detail.state.value === 'OK') {
    // Noted before the open incidents are read: an ALARM ingested meanwhile either reads this OK (and starts
    // nothing) or was stored before the read below, which then resolves it.
    await deps.incidents.noteAlarmOk(arn, at);
  } else if (!at) {
    deps.logger.warn('alarm state change without a readable time: resolving as of its handling time, not noted for ordering', { alarm: alarmEvent.detail.alarmName, at: when.toISOString() });
  }
  const open = await deps.incidents.listOpenInScope(alarmScope(arn), MAX_RESOLVED_PER_EVENT);
  const resolvedBy = `alarm ${alarmEvent.detail.state.value}`;
  // An event without a readable time is the recovery of its handling time, recorded as such on each incident: a
  // redelivery is another recovery (its own handling time), but the targets noted under this one let the reconciler's
  // backstop finish the follow-ups of a delivery killed after its resolved writes, as for an event with its time
  // (until session 41 it noted none, and such a kill left the PR comment, learning and the proposal undone for good).
  const recoveryKey: RecoveryKey = { scope: alarmScope(arn), resolvedBy, at: when.toISOString() };
  const targets = at ? open.filter((incident) => !alarmOkLeavesOpen(incident, at)) : open;
  const { unfinished, noted } = await resolvedByEarlierDelivery(recoveryKey, targets, deps);
  const unread: HistoryEntry[] = at
    ? []
    : [{ at: now.toISOString(), event: 'alarm_time_unread', detail: `the alarm event had no readable time: its handling time, ${when.toISOString()}, is taken as when it changed state` }];
  const resolved: string[] = [];
  for (const incident of unfinished) {
    // Resolved by an earlier delivery of this OK, which did not get to its follow-ups.
    await followUpRecovery(incident, when, deps, {});
    resolved.push(incident.id);
  }
  for (const incident of open) {
    const leftOpen = at ? alarmOkLeavesOpen(incident, at) : null;
    if (leftOpen) {
      // A late or redelivered OK from before this ALARM: the alarm fired again after it, and is not over.
      deps.logger.info('alarm OK older than the incident: left open', { incidentId: incident.id, reason: leftOpen });
      continue;
    }
    const alarm = incident.alarm
      ? { ...incident.alarm, state: alarmEvent.detail.state.value, previousState: alarmEvent.detail.previousState?.value ?? incident.alarm.state, stateChangedAt: at ? alarmEvent.detail.state.timestamp : when.toISOString() }
      : null;
    // Not "after the runbook" when the alarm still fired at the reconciler's check after it: it recovered by other hands.
    const runbook = incident.decision?.action === 'run_runbook' && incident.decision.applied && runbookUnverified(incident) === null;
    if (await resolveIncident(incident, `${resolvedBy}${runbook ? AFTER_RUNBOOK : ''}`, when, deps, alarm ? { alarm } : {}, { history: unread })) resolved.push(incident.id);
  }
  if (noted) await deps.recoveryTargets?.finished(noted);
  return { resolved };
}
