/**
 * The backstop of a recovery's follow-ups. A recovery writes its incidents resolved first and does the follow-ups
 * after (shared/steps/record-outcome.ts); killed between the two, only its redelivery finds them, from the targets it
 * noted (shared/stores/recovery-targets.ts). In AWS the recovery is retried twice, then dead-lettered (the operator is
 * paged, and may redrive it within 14 days); locally an alarm's OK is one HTTP call that nothing delivers again. So the
 * reconciler takes the recoveries whose targets entry is still there `afterMinutes` after their last note (a recovery
 * deletes it once its follow-ups are all done) and does what is left, with the function the recovery uses
 * (shared/outcome/recovery-follow-ups.ts): the incidents that recovery wrote resolved and whose follow-ups are not
 * recorded done. Each follow-up is claimed once per incident (learning, the circuit breaker) or idempotent, so a
 * recovery delivered late as well counts nothing twice.
 *
 * The PR comment shows the newest incident of its pull request: a recovered incident's comment is rewritten only when
 * no newer incident of the pull request has written it (a newer failure's ❌, or the "Fixed" of a newer one this
 * recovery resolved, which is taken first). Once every incident is done the entry goes; one that failed stays, and
 * the run reports it as work left undone (incompleteRunError), so that the reconciler's alarm sees follow-ups that keep
 * failing. Bounded per run, oldest first, and per recovery as a delivery is: at most MAX_RESOLVED_PER_EVENT of its
 * noted incidents are read (more is several deliveries' open ones), and each pull request's other incidents once.
 * A recovery that noted more keeps its entry, without those a run settled, until a run has read all it noted (until
 * session 41 the entry went after the first MAX_RESOLVED_PER_EVENT, and the rest never got their follow-ups). One incident whose follow-ups fail does not stop the rest of its recovery: it is counted, and
 * the entry stays.
 *
 * A recovery that failed is tried again by the reconciler's one rule for its sweeps (./retry-later.ts, from the next
 * run: a throttled call is the likeliest failure, then 5 minutes doubling), counted on its entry, not on every run
 * as until session 41, when a follow-up failing for good was tried every few minutes for the entry's 15 days. After
 * the last try (over five hours of them) it is given up loudly, as a digest is: an error log, the
 * `RecoveryFollowUpsAbandoned` metric, and a `recovery_follow_up_abandoned` entry on the timeline of each incident
 * left without them (what is missing, and that nothing will retry it). Nobody is paged: every incident is resolved
 * and nobody is waiting on it; what is missing is a "Fixed" comment, a count in learning, the circuit breaker's
 * success, or a proposal still waiting (whose wait times out paging nobody). Its entry stays, listed no more, for a
 * delivery redriven from the dead-letter queue.
 */
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import type { Incident } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import { type RecoveryFollowUpDeps, followUpRecovery, followedUp, resolvedByRecovery } from '../outcome/recovery-follow-ups.js';
import type { GitHubClients, Metrics } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { RecoveryTargets, UnfinishedRecovery } from '../stores/recovery-targets.js';
import { MAX_RESOLVED_PER_EVENT } from '../steps/record-outcome.js';
import { afterFailure } from './retry-later.js';

/** The timeline entry of an incident whose recovery's follow-ups the reconciler gave up. */
export const FOLLOW_UP_ABANDONED = 'recovery_follow_up_abandoned';

export interface RecoveryFollowUpPassDeps extends Omit<RecoveryFollowUpDeps, 'github'> {
  recoveryTargets: Pick<RecoveryTargets, 'unfinished' | 'finished' | 'settled' | 'retry' | 'givenUp'>;
  incidents: IncidentStore;
  metrics: Metrics;
  /** GitHub with the shared write budget, opened on the first follow-up a run does. */
  githubWriter: () => Promise<GitHubClients>;
}

export interface RecoveryFollowUpResult {
  /** Incidents whose follow-ups this run did. */
  followedUp: string[];
  /** Recoveries with nothing left to do, whose targets entry went (not noted again since this run listed it). */
  finished: number;
  /** Recoveries (their name and time) whose follow-ups failed, or their listing: they stay, and a later run tries again. */
  failed: string[];
  /** Of those, the recoveries given up after their last try. */
  abandoned: string[];
}

/** How many of a pull request's other incidents are read to find a newer one that wrote its comment. */
const PULL_REQUEST_READ = 50;

/** Whether a newer incident of `incident`'s pull request has written its comment: then the comment is that one's. */
async function newerIncidentLeadsComment(incident: Incident & { repository: string; pullRequest: number }, incidents: IncidentStore): Promise<boolean> {
  const others = await incidents.listByPullRequest({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, PULL_REQUEST_READ, { except: incident.id });
  return others.some((other) => other.createdAt > incident.createdAt && other.notifications.some((n) => n.channel === 'github_comment' && typeof n.commentId === 'number'));
}

/**
 * Does the follow-ups `recovery` left undone: the ids of the incidents it did them for, and how many incidents failed
 * (read or followed up; the rest go on).
 */
async function finishRecovery(
  recovery: UnfinishedRecovery,
  deps: RecoveryFollowUpPassDeps,
  github: () => Promise<GitHubClients>,
): Promise<{ done: string[]; failures: number; lastError: unknown; settled: string[]; unread: number }> {
  const done: string[] = [];
  let failures = 0;
  let lastError: unknown = null;
  const unsettled = new Set<string>();
  const failed = (incidentId: string, error: unknown) => {
    failures += 1;
    unsettled.add(incidentId);
    lastError = error;
    deps.logger.warn("an incident's recovery follow-ups failed; its recovery is tried again later", { incidentId, resolvedBy: recovery.resolvedBy, at: recovery.at, error: errorMessage(error) });
  };
  const resolved: Incident[] = [];
  // In one order on every run: those this run settles are taken off the entry, and the next run reads the rest.
  const read = [...recovery.incidentIds].sort().slice(0, MAX_RESOLVED_PER_EVENT);
  const unread = recovery.incidentIds.length - read.length;
  if (unread > 0) {
    deps.logger.info('a recovery noted more incidents than one resolves: the rest wait for the next run', { resolvedBy: recovery.resolvedBy, at: recovery.at, noted: recovery.incidentIds.length, read: read.length });
  }
  for (const id of read) {
    try {
      const incident = await deps.incidents.get(id);
      if (incident && resolvedByRecovery(incident, recovery)) resolved.push(incident);
    } catch (error) {
      failed(id, error);
    }
  }
  // Newest first, as the recovery takes them: only the newest of a pull request's incidents (followed up already or
  // not) may rewrite its comment, and only if no newer incident outside the recovery wrote it; one read per pull request.
  const seen = new Set<string>();
  for (const incident of resolved.sort((a, b) => b.createdAt.localeCompare(a.createdAt))) {
    const pr = incident.repository && incident.pullRequest ? `${incident.repository}#${incident.pullRequest}` : null;
    const newest = pr !== null && !seen.has(pr);
    if (pr) seen.add(pr);
    if (followedUp(incident)) continue;
    try {
      const updateComment = pr === null || (newest && !(await newerIncidentLeadsComment(incident as Incident & { repository: string; pullRequest: number }, deps.incidents)));
      await followUpRecovery(incident, new Date(recovery.at), { ...deps, github: await github() }, { updateComment });
      done.push(incident.id);
    } catch (error) {
      failed(incident.id, error);
    }
  }
  return { done, failures, lastError, settled: read.filter((id) => !unsettled.has(id)), unread };
}

/**
 * Gives the recovery up after its `failures`th failed try: each incident it resolved and did not follow up gets a
 * timeline entry saying so (once, should a run fail between two), then its entry is marked given up. A write that
 * fails is thrown: the entry stays listed, and the next run gives it up again.
 */
async function giveUp(recovery: UnfinishedRecovery, failures: number, failedAt: Date, error: unknown, deps: RecoveryFollowUpPassDeps): Promise<void> {
  const why = error instanceof Error ? error.name : 'an error';
  const detail =
    `the reconciler's tries at the follow-ups of ${recovery.resolvedBy} at ${recovery.at} (circuit breaker, learning, proposal, PR comment) ` +
    `failed ${failures} times (the last: ${why}) and were given up: those not done stay undone`;
  for (const id of recovery.incidentIds) {
    const incident = await deps.incidents.get(id);
    if (!incident || !resolvedByRecovery(incident, recovery) || followedUp(incident) || incident.history.some((entry) => entry.event === FOLLOW_UP_ABANDONED)) continue;
    await deps.incidents.record(id, {}, { history: [{ at: failedAt.toISOString(), event: FOLLOW_UP_ABANDONED, detail }] });
  }
  await deps.recoveryTargets.givenUp(recovery, failures, failedAt);
}

/** A recovery failed by what `error` says: tried again later by ./retry-later.ts's rule, or given up after its last try. */
async function afterFailedRecovery(recovery: UnfinishedRecovery, label: string, error: unknown, deps: RecoveryFollowUpPassDeps, result: RecoveryFollowUpResult): Promise<void> {
  const named = { resolvedBy: recovery.resolvedBy, at: recovery.at };
  await afterFailure({
    failures: recovery.failures,
    fromNextRun: true,
    named: { retried: named, givenUp: { ...named, incidents: recovery.incidentIds.slice(0, 5) } },
    retry: { message: "a recovery's follow-ups failed; it is tried again later", move: (retryAt, failures) => deps.recoveryTargets.retry(recovery, retryAt, failures) },
    giveUp: {
      message: "a recovery's follow-ups kept failing and are given up: its incidents stay resolved without them",
      counted: () => result.abandoned.push(label),
      drop: (failures, failedAt) => giveUp(recovery, failures, failedAt, error, deps),
    },
  }, error, deps).catch((moveError: unknown) => {
    // Left as it is, listed: the next run tries it (and counts the try) again.
    deps.logger.warn("a recovery's failed follow-ups could not be counted; it waits for the next run", { ...named, error: errorMessage(moveError) });
  });
}

export async function finishRecoveryFollowUps(
  deps: RecoveryFollowUpPassDeps,
  options: { maxPerRun: number; afterMinutes: number },
): Promise<RecoveryFollowUpResult> {
  const result: RecoveryFollowUpResult = { followedUp: [], finished: 0, failed: [], abandoned: [] };
  const now = deps.clock();
  let unfinished: UnfinishedRecovery[];
  try {
    const notedBefore = new Date(now.getTime() - options.afterMinutes * 60_000);
    unfinished = await deps.recoveryTargets.unfinished(now, { notedBefore, limit: options.maxPerRun });
  } catch (error) {
    deps.logger.warn('the unfinished recoveries could not be listed; they wait for the next run', { error: errorMessage(error) });
    result.failed.push('(the unfinished recoveries could not be listed)');
    return result;
  }
  let github: GitHubClients | null = null;
  const opened = async () => (github ??= await deps.githubWriter());
  for (const recovery of unfinished) {
    try {
      const { done, failures, lastError, settled, unread } = await finishRecovery(recovery, deps, opened);
      result.followedUp.push(...done);
      // More noted than one run reads: the entry stays, without those settled, listed again for the rest (deleted
      // now, the rest would never get their follow-ups: attack-43b F8). Noted again since, it is read again whole.
      if (unread > 0) await deps.recoveryTargets.settled(recovery, settled);
      if (failures > 0) {
        // A later run does what is still undone.
        const label = `${recovery.resolvedBy} at ${recovery.at} (${failures} incident${failures === 1 ? '' : 's'} failed)`;
        result.failed.push(label);
        await afterFailedRecovery(recovery, label, lastError, deps, result);
        continue;
      }
      if (unread > 0) continue;
      // Noted again since it was listed (a delivery running now): left to that delivery, or to the next run.
      if (await deps.recoveryTargets.finished(recovery)) result.finished += 1;
    } catch (error) {
      // A later run does what is still undone (each follow-up done already is recorded or claimed).
      const label = `${recovery.resolvedBy} at ${recovery.at}`;
      result.failed.push(label);
      await afterFailedRecovery(recovery, label, error, deps, result);
    }
  }
  deps.metrics.count(RECONCILER_METRIC.recoveryFollowUpsAbandoned, result.abandoned.length);
  if (result.followedUp.length > 0 || result.failed.length > 0) deps.logger.info('recovery follow-ups', { ...result });
  return result;
}
