/**
 * Recovery comments the GitHub write budget refused (or GitHub put off) when the green run was recorded: the outcome
 * recorder scheduled each (shared/stores/deferred-comments.ts) after it wrote the incident resolved, and the
 * reconciler posts the due ones here, so the pull request says "Fixed" once there is room instead of keeping its ❌
 * comment. Bounded per run; a run stops at the first refusal of the budget or of a GitHub that is failing (the rest
 * would be refused too) and leaves the rest for the next run. Nothing pages: a comment that waits is no failure to tell.
 *
 * One rewrite per incident however often it was scheduled (a redelivered recovery refused again schedules its own
 * entry): an entry goes once the incident records its recovery comment, and also when the comment has been rewritten
 * for another incident of the pull request since (a new failure leads it now, and already shows this one as it is).
 * A crash between the rewrite and its record rewrites it once more, the same comment with the same text.
 */
import { GitHubRequestError } from '../github/errors.js';
import { RetryableError, errorMessage } from '../errors.js';
import type { Incident } from '../domain/incident.js';
import { commentRewrittenForAnother } from '../notify/pull-request.js';
import { recoveryCommentWritten, writeRecoveryComment } from '../notify/recovery-comment.js';
import type { Clock, GitHubClients, StepLogger } from '../ports.js';
import type { IncidentDue } from '../stores/due-index.js';
import type { DeferredRecoveryComments } from '../stores/deferred-comments.js';
import type { IncidentStore } from '../stores/incident-store.js';

export interface RecoveryCommentDeps {
  deferredComments: DeferredRecoveryComments;
  incidents: IncidentStore;
  /** GitHub with the shared write budget, opened on the first comment a run has to write. */
  githubWriter: () => Promise<GitHubClients>;
  clock: Clock;
  logger: StepLogger;
}

export interface RecoveryCommentResult {
  /** Incidents whose recovery comment this run wrote. */
  posted: string[];
  /** Entries with nothing left to write: written already, rewritten for a newer incident, refused for good, gone. */
  dropped: number;
  /** Entries that failed or were refused for now: they wait for the next run. */
  failed: string[];
}

/** What is left to do for an entry: write the comment, wait (its recovery has not recorded the incident yet), or nothing. */
async function leftToDo(incident: Incident | null, entry: IncidentDue, staleBefore: string, incidents: IncidentStore): Promise<'write' | 'wait' | 'nothing'> {
  if (!incident) return 'nothing';
  if (incident.status !== 'resolved') {
    // Scheduled before the incident was written resolved (as recoveries did until session 40): its recovery is still at
    // work, or it died and its redelivery does every follow-up again (and schedules its own entry if refused again).
    return entry.dueAt < staleBefore ? 'nothing' : 'wait';
  }
  if (recoveryCommentWritten(incident) || (await commentRewrittenForAnother(incident, entry.dueAt, incidents))) return 'nothing';
  return 'write';
}

export async function postDeferredRecoveryComments(
  deps: RecoveryCommentDeps,
  options: { maxPerRun: number; afterMinutes: number; lookbackHours: number },
): Promise<RecoveryCommentResult> {
  const result: RecoveryCommentResult = { posted: [], dropped: 0, failed: [] };
  const now = deps.clock();
  let due: IncidentDue[];
  try {
    due = await deps.deferredComments.due(now, { limit: options.maxPerRun, lookbackHours: options.lookbackHours });
  } catch (error) {
    // As for the late reads of reactions: the run's other work is done, and this waits for the next run.
    deps.logger.warn('the deferred recovery comments could not be listed; they wait for the next run', { error: errorMessage(error) });
    return result;
  }
  const staleBefore = new Date(now.getTime() - options.afterMinutes * 60_000).toISOString();
  let github: GitHubClients | null = null;
  const drop = async (entry: IncidentDue) => {
    await deps.deferredComments.done(entry);
    result.dropped += 1;
  };
  for (const entry of due) {
    const { incidentId } = entry;
    try {
      const incident = await deps.incidents.get(incidentId);
      const todo = await leftToDo(incident, entry, staleBefore, deps.incidents);
      if (todo === 'wait') continue;
      if (todo === 'nothing' || !incident) {
        await drop(entry);
        continue;
      }
      github ??= await deps.githubWriter();
      const port = github.forInstallation(incident.installationId);
      const notification = port ? await writeRecoveryComment(incident, port, now, deps) : null;
      if (!notification) {
        await drop(entry);
        continue;
      }
      await deps.incidents.update(incidentId, {}, { notifications: [notification] });
      await deps.deferredComments.done(entry);
      result.posted.push(incidentId);
    } catch (error) {
      if (error instanceof GitHubRequestError) {
        // Refused for good (the comment or the pull request gone, the App's access revoked): no later run could write it.
        deps.logger.warn('deferred recovery comment refused by GitHub; not tried again', { incidentId, error: errorMessage(error) });
        await drop(entry).catch(() => result.failed.push(incidentId));
        continue;
      }
      result.failed.push(incidentId);
      deps.logger.warn('deferred recovery comment not written; it waits for the next run', { incidentId, error: errorMessage(error) });
      // The budget is spent, or GitHub is limiting or failing: the rest of the run would only be refused too.
      if (error instanceof RetryableError) break;
    }
  }
  if (result.posted.length > 0 || result.failed.length > 0) deps.logger.info('deferred recovery comments', { ...result });
  return result;
}
