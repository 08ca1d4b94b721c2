/**
 * The pull request comment of a recovery: the guard's one comment on the pull request, rewritten to say the failure
 * is fixed. Written by the outcome recorder when it records the green run (shared/steps/record-outcome.ts), or by the
 * reconciler when the GitHub write budget refused it then (shared/reconcile/recovery-comments.ts).
 */
import type { Incident, NotificationRecord } from '../domain/incident.js';
import type { GitHubPort, StepLogger } from '../ports.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { COMMENT_MARKER } from './comment.js';
import { pullRequestComment } from './pull-request.js';

/** The detail of the notification that records a recovery's comment. */
export const RECOVERY_COMMENT_DETAIL = 'recovery';

/** Whether a recovery rewrites a comment for the incident: a GitHub failure on a pull request. */
export function hasRecoveryComment(incident: Incident): boolean {
  return incident.source === 'github' && Boolean(incident.pullRequest) && Boolean(incident.repository);
}

/** Whether the incident's recovery comment was written already (by its recovery, a redelivery or the reconciler). */
export function recoveryCommentWritten(incident: Incident): boolean {
  return incident.notifications.some((n) => n.channel === 'github_comment' && n.detail === RECOVERY_COMMENT_DETAIL && n.outcome !== 'failed');
}

/**
 * Rewrites the pull request's comment for `resolved` (the incident as its recovery leaves it, resolved) and returns
 * the notification recording it at `at`; null for an incident without one (see {@link hasRecoveryComment}). Failures
 * are thrown: each caller decides what a refusal means for it.
 */
export async function writeRecoveryComment(
  resolved: Incident,
  github: GitHubPort,
  at: Date,
  deps: { incidents: IncidentStore; logger: StepLogger },
): Promise<NotificationRecord | null> {
  const { repository, pullRequest } = resolved;
  if (!hasRecoveryComment(resolved) || !repository || !pullRequest) return null;
  const [owner, repo] = repository.split('/') as [string, string];
  const body = await pullRequestComment(resolved, deps.incidents, deps.logger);
  const result = await github.upsertComment({ owner, repo }, pullRequest, COMMENT_MARKER, body);
  return { channel: 'github_comment', target: `${repository}#${pullRequest}`, outcome: result.outcome, detail: RECOVERY_COMMENT_DETAIL, at: at.toISOString(), commentId: result.commentId };
}
