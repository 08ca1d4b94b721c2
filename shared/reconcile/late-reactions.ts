/**
 * The late read of reactions: GitHub sends no webhook for 👍/👎, and the guard reads them when it touches its comment
 * again, so a vote made after its last touch was never read. An incident in a `positive_feedback` experiment is due for
 * one more read when its unit's outcome becomes final (scheduled at assignment, shared/stores/reaction-reads.ts); the
 * reconciler reads the due ones, bounded per run in incidents and in GitHub calls, and each only once: its entry goes
 * once read, and an incident whose comment the guard touched after the deadline was read then.
 *
 * A vote made by the deadline counts for the unit by when it was made, however late it is read
 * (shared/knowledge/votes.ts); recording a vote is idempotent, so a read that is repeated counts nothing twice.
 */
import type { Incident } from '../domain/incident.js';
import { GitHubUnavailableError, ReadBudgetSpentError, errorMessage } from '../errors.js';
import { GitHubRequestError } from '../github/errors.js';
import { readReactionFeedback } from '../knowledge/reactions.js';
import type { Votes } from '../knowledge/votes.js';
import type { Clock, GitHubClients, GitHubPort, StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import type { ReactionReadDue, ReactionReads } from '../stores/reaction-reads.js';

export interface LateReactionDeps {
  reactionReads: ReactionReads;
  incidents: Pick<IncidentStore, 'get' | 'listByPullRequest'>;
  /** GitHub, opened on the first read a run has to make (credentials read then, not at cold start). */
  github: () => Promise<GitHubClients>;
  votes: Votes;
  clock: Clock;
  logger: StepLogger;
}

export interface LateReactionOptions {
  /** Incidents whose reactions a run reads; the rest wait for the next run. */
  maxPerRun: number;
  /**
   * GitHub calls a run makes for them (each page of a reaction list or of the collaborator list, as many as the list
   * really reads, and a user's permission): past it, the incident being read and the rest wait for the next run.
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
  /** Reads that failed: the entry waits for the next run. */
  failed: string[];
}

/** Whether the guard read the comment's reactions at or after `dueAt`: each touch of its comment reads them first. */
function readSince(incident: Incident, dueAt: string): boolean {
  return incident.notifications.some((n) => typeof n.commentId === 'number' && n.at >= dueAt);
}

/** `port` with the requests a reaction read makes (a list's pages one by one) counted against `budget`, which throws once it is spent. */
function withCallBudget(port: GitHubPort, budget: { left: number }): GitHubPort {
  const spend = () => {
    if (budget.left <= 0) throw new ReadBudgetSpentError("this reconciler run's GitHub calls for reactions are spent");
    budget.left -= 1;
  };
  return {
    ...port,
    listCommentReactions: (repo, commentId, content, limit) => port.listCommentReactions(repo, commentId, content, limit, spend),
    listCollaborators: (repo, limit) => port.listCollaborators(repo, limit, spend),
    repositoryPermission: (...args) => (spend(), port.repositoryPermission(...args)),
  };
}

export async function readLateReactions(deps: LateReactionDeps, options: LateReactionOptions): Promise<LateReactionResult> {
  const result: LateReactionResult = { read: [], counted: 0, skipped: 0, failed: [] };
  if (options.maxPerRun <= 0) return result;
  let due: ReactionReadDue[];
  try {
    due = await deps.reactionReads.due(deps.clock(), { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    // The reconciler's run has other work, done already: a store that cannot list the due reads fails none of it.
    deps.logger.warn('the due late reads of reactions could not be listed; they wait for the next run', { error: errorMessage(error) });
    return result;
  }
  const budget = { left: options.maxCallsPerRun };
  let github: GitHubClients | null = null;
  const skip = async (entry: ReactionReadDue) => {
    await deps.reactionReads.done(entry);
    result.skipped += 1;
  };
  for (const entry of due) {
    try {
      const incident = await deps.incidents.get(entry.incidentId);
      if (!incident || readSince(incident, entry.dueAt)) {
        await skip(entry);
        continue;
      }
      github ??= await deps.github();
      const port = github.forInstallation(incident.installationId);
      if (!port) {
        await skip(entry);
        continue;
      }
      result.counted += await readReactionFeedback(incident, withCallBudget(port, budget), { learning: deps.votes, logger: deps.logger, incidents: deps.incidents });
      await deps.reactionReads.done(entry);
      result.read.push(incident.id);
    } catch (error) {
      const incidentId = entry.incidentId;
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
      result.failed.push(incidentId);
      deps.logger.warn('late read of reactions failed; it waits for the next run', { incidentId, error: errorMessage(error) });
      // The run's calls are spent, or GitHub is limiting or failing: the rest of the run would only add to it.
      if (error instanceof ReadBudgetSpentError || error instanceof GitHubUnavailableError || !github) break;
    }
  }
  if (result.read.length > 0 || result.failed.length > 0) deps.logger.info('late reads of reactions', { ...result });
  return result;
}
