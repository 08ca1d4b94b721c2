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
export function writeRecoveryComment(
  resolved: Incident,
  github: GitHubPort,
  at: Date,
  deps: { incidents: Pick<IncidentStore, 'listByPullRequest'>; logger: StepLogger },
): Promise<NotificationRecord | null> {
  return rewritePullRequestComment(resolved, RECOVERY_COMMENT_DETAIL, github, at, deps);
}

/**
 * Rewrites the pull request's comment for `incident` as it stands now, recorded with `detail`; null for an incident
 * without one (see {@link hasRecoveryComment}). Failures are thrown.
 */
export async function rewritePullRequestComment(
  incident: Incident,
  detail: string,
  github: GitHubPort,
  at: Date,
  deps: { incidents: Pick<IncidentStore, 'listByPullRequest'>; logger: StepLogger },
): Promise<NotificationRecord | null> {
  const { repository, pullRequest } = incident;
  if (!hasRecoveryComment(incident) || !repository || !pullRequest) return null;
  const [owner, repo] = repository.split('/') as [string, string];
  const body = await pullRequestComment(incident, deps.incidents, deps.logger);
  const result = await github.upsertComment({ owner, repo }, pullRequest, COMMENT_MARKER, body);
  return { channel: 'github_comment', target: `${repository}#${pullRequest}`, outcome: result.outcome, detail, at: at.toISOString(), commentId: result.commentId };
}
