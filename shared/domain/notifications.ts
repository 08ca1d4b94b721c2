import type { NotificationRecord } from './incident.js';

/**
 * What an incident's notification records say about who heard of it. Two questions, with two answers that differ
 * on purpose in one outcome, `unchanged` (the pull request comment was written again with the text it already had):
 *
 * - {@link reachedSomeone}: did this record deliver something when it was written? An `unchanged` comment did not:
 *   its reader saw nothing new then. The time to the first notification, and which Notify run counts it, go by this.
 * - {@link commentShown}: does the pull request (or the commit) show the guard's comment now? An `unchanged` one does (an
 *   earlier round wrote it), so what the guard says it tried, and whether anyone was told, go by this.
 *
 * Types only from the incident, no other import: the dashboard's browser bundle uses this module too.
 */

/** Whether this notification delivered a message when it was recorded: a comment created or changed, an escalation published. */
export function reachedSomeone(notification: Pick<NotificationRecord, 'outcome'>): boolean {
  return notification.outcome === 'created' || notification.outcome === 'updated' || notification.outcome === 'published';
}

/** Whether this record is an escalation that went out to on-call (SNS published it). */
export function escalationPublished(notification: Pick<NotificationRecord, 'channel' | 'outcome'>): boolean {
  return notification.channel === 'sns' && notification.outcome === 'published';
}

/**
 * Whether the guard's comment of `channel` (the pull request's, or the one on a pushed commit) is there: posted by
 * this round or an earlier one, changed or not since.
 */
export function commentShown(
  notifications: ReadonlyArray<Pick<NotificationRecord, 'channel' | 'outcome'>>,
  channel: 'github_comment' | 'commit_comment' = 'github_comment',
): boolean {
  return notifications.some((n) => n.channel === channel && (n.outcome === 'created' || n.outcome === 'updated' || n.outcome === 'unchanged'));
}

/**
 * Whether an escalation was recorded at or after `since` (ISO): paged, counted on an open page, or left unpaged by the
 * policy. The reconciler's give-up of a `/guard` decision marks the decision first and records how it told on-call only
 * after its page (shared/reconcile/approval-resumes.ts): a mark with no such record after it is a give-up whose page
 * was refused, or whose run died in between, and nobody has heard of it yet.
 */
export function escalationRecordedSince(notifications: ReadonlyArray<Pick<NotificationRecord, 'channel' | 'at'>>, since: string): boolean {
  return notifications.some((n) => n.channel === 'sns' && n.at >= since);
}
