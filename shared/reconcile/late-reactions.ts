/**
 * The late read of reactions: GitHub sends no webhook for 👍/👎, and the guard reads them when it touches its comment
 * again, so a vote made after its last touch was never read. An incident in a `positive_feedback` experiment is due for
 * one more read when its unit's outcome becomes final (scheduled at assignment, shared/stores/reaction-reads.ts); the
 * reconciler reads the due ones, bounded per run in incidents and in GitHub calls, and each only once: its entry goes
 * once read, and an incident whose comment the guard touched after the deadline was read then.
 *
 * No incident holds back the others for good. One whose read the run's GitHub calls did not cover resumes in the next
 * run where it stopped (./resumable-reads.ts), so it finishes within as many runs as it needs calls. One whose read
 * failed (GitHub failing on it, its incident unreadable, its votes not recorded) moves behind the reads due now and is
 * tried again less and less often (./retry-later.ts), with what it had read kept; after too many failures it is given
 * up with an error log and the `LateReactionReadsAbandoned` metric: that unit's late votes are not read, the unit's
 * outcome stands as counted without them.
 *
 * A vote made by the deadline counts for the unit by when it was made, however late it is read
 * (shared/knowledge/votes.ts); recording a vote is idempotent, so a read that is repeated counts nothing twice.
 */
import { RECONCILER_METRIC } from '../adapters/metric-names.js';
import type { Incident } from '../domain/incident.js';
import { GitHubUnavailableError, ReadBudgetSpentError, errorMessage } from '../errors.js';
import { GitHubRequestError } from '../github/errors.js';
import { botCommentId, readReactionFeedback } from '../knowledge/reactions.js';
import type { Votes } from '../knowledge/votes.js';
import type { Clock, GitHubClients, Metrics, StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { ListedReactionRead, ReactionReads } from '../stores/reaction-reads.js';
import { type CallBudget, type ReadProgress, resumableReads, resumeProgress } from './resumable-reads.js';
import { afterFailure } from './retry-later.js';

export interface LateReactionDeps {
  reactionReads: ReactionReads;
  incidents: Pick<IncidentStore, 'get' | 'listByPullRequest'>;
  /** GitHub, opened on the first read a run has to make (credentials read then, not at cold start). */
  github: () => Promise<GitHubClients>;
  votes: Votes;
  clock: Clock;
  logger: StepLogger;
  metrics: Metrics;
}

export interface LateReactionOptions {
  /** Incidents whose reactions a run reads; the rest wait for the next run. */
  maxPerRun: number;
  /**
   * GitHub calls a run makes for them (each page of a reaction list or of the collaborator list, as many as the list
   * really reads, and a user's permission): past it, the incident being read keeps what it read for the next run,
   * and the rest wait for it.
   */
  maxCallsPerRun: number;
  lookbackHours: number;
}

export interface LateReactionResult {
  /** Incidents whose reactions were read. */
  read: string[];
  /** Users' votes that changed by them. */
  counted: number;
  /** Due entries with nothing to read: read after the deadline already, the incident gone, no GitHub access, refused. */
  skipped: number;
  /** Reads not finished: the entry waits for a later run. */
  failed: string[];
  /** Reads given up after failing too often (see the module's comment). */
  abandoned: string[];
}

/** Whether the guard read the comment's reactions at or after `dueAt`: each touch of its comment reads them first. */
function readSince(incident: Incident, dueAt: string): boolean {
  return incident.notifications.some((n) => typeof n.commentId === 'number' && n.at >= dueAt);
}

export async function readLateReactions(deps: LateReactionDeps, options: LateReactionOptions): Promise<LateReactionResult> {
  const result: LateReactionResult = { read: [], counted: 0, skipped: 0, failed: [], abandoned: [] };
  if (options.maxPerRun <= 0) return result;
  let due: ListedReactionRead[];
  try {
    due = await deps.reactionReads.due(deps.clock(), { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    // The reconciler's run has other work, done already: a store that cannot list the due reads fails none of it.
    deps.logger.warn('the due late reads of reactions could not be listed; they wait for the next run', { error: errorMessage(error) });
    return result;
  }
  const budget: CallBudget = { left: options.maxCallsPerRun };
  let github: GitHubClients | null = null;
  const skip = async (entry: ListedReactionRead) => {
    await deps.reactionReads.done(entry);
    result.skipped += 1;
  };
  for (const entry of due) {
    const incidentId = entry.incidentId;
    let progress: ReadProgress | null = null;
    try {
      const incident = await deps.incidents.get(incidentId);
      if (!incident || readSince(incident, entry.dueAt)) {
        await skip(entry);
        continue;
      }
      if (!github) {
        try {
          github = await deps.github();
        } catch (error) {
          // Its credentials, not this incident: no failure counted against it, and the rest wait too.
          result.failed.push(incidentId);
          deps.logger.warn('GitHub could not be opened for the late reads of reactions; they wait for the next run', { error: errorMessage(error) });
          break;
        }
      }
      const port = github.forInstallation(incident.installationId);
      const commentId = botCommentId(incident);
      if (!port || commentId === null) {
        await skip(entry);
        continue;
      }
      progress = resumeProgress(entry.progress, commentId);
      const reader = resumableReads(port, budget, progress);
      result.counted += await readReactionFeedback(incident, reader, { learning: deps.votes, logger: deps.logger, incidents: deps.incidents, readAcrossRuns: progress.acrossRuns });
      await deps.reactionReads.done(entry);
      result.read.push(incident.id);
    } catch (error) {
      if (error instanceof GitHubRequestError) {
        // Refused for good (the comment deleted, the App's access gone): no later run could read it either.
        deps.logger.warn('late read of reactions refused by GitHub; not tried again', { incidentId, error: errorMessage(error) });
        const marked = await skip(entry).then(
          () => true,
          (markError: unknown) => {
            deps.logger.warn('a refused late read could not be marked done; it waits for the next run', { incidentId, error: errorMessage(markError) });
            return false;
          },
        );
        if (!marked) result.failed.push(incidentId);
        continue;
      }
      if (error instanceof ReadBudgetSpentError && progress) {
        // Not a failure: the next run resumes it where this one stopped, first as it is the oldest due.
        result.failed.push(incidentId);
        deps.logger.info("late read of reactions paused: the run's GitHub calls are spent; the next run resumes it", { incidentId });
        await deps.reactionReads.keepProgress(entry, progress).catch((keepError: unknown) => {
          deps.logger.warn('what a paused late read had read could not be kept; the next run reads it again', { incidentId, error: errorMessage(keepError) });
        });
        break;
      }
      await afterFailure({
        failures: entry.failures,
        named: { retried: { incidentId }, givenUp: { incidentId, deadline: entry.dueAt } },
        retry: {
          message: 'late read of reactions failed; it is tried again later',
          counted: () => result.failed.push(incidentId),
          // The pages read are kept; the permissions asked are not: the retry may come hours later, and a voter whose
          // write access was taken away since must not be counted by the role they had.
          move: (retryAt) => deps.reactionReads.retry(entry, retryAt, progress && { ...progress, permissions: [] }),
        },
        giveUp: {
          message: "late read of reactions given up: it kept failing; the unit's votes made after the guard's last read are not counted",
          counted: () => result.abandoned.push(incidentId),
          drop: () => deps.reactionReads.done(entry),
        },
      }, error, deps).catch((moveError: unknown) => {
        // Left where it is: the next run tries it, and moves it, again.
        deps.logger.warn('a failed late read could not be moved later; it waits for the next run', { incidentId, error: errorMessage(moveError) });
        if (!result.failed.includes(incidentId)) result.failed.push(incidentId);
      });
      // GitHub is limiting or failing: the rest of the run would only add to it.
      if (error instanceof GitHubUnavailableError || !github) break;
    }
  }
  deps.metrics.count(RECONCILER_METRIC.lateReactionReadsAbandoned, result.abandoned.length);
  if (result.read.length > 0 || result.failed.length > 0 || result.abandoned.length > 0) deps.logger.info('late reads of reactions', { ...result });
  return result;
}
