import { METRIC } from '../adapters/metric-names.js';
import { timeToFirstCommentSeconds } from '../api/summary.js';
import type { Incident, NotificationRecord } from '../domain/incident.js';
import { escalationPublished, reachedSomeone } from '../domain/notifications.js';
import type { Metrics } from '../ports.js';

/**
 * Notify's metrics: escalations published, and the time to the first notification that reached someone — counted
 * only by the notify run that sent it, so a re-driven execution or a later update does not measure it again.
 */
export function recordNotifyMetrics(before: Incident, after: Incident, sent: readonly NotificationRecord[], metrics: Metrics): void {
  const escalations = sent.filter(escalationPublished).length;
  if (escalations > 0) metrics.count(METRIC.escalations, escalations);
  if ((before.notifications ?? []).some(reachedSomeone) || !sent.some(reachedSomeone)) return;
  const seconds = timeToFirstCommentSeconds(after);
  if (seconds !== null) metrics.measure(METRIC.timeToFirstComment, 'Seconds', seconds, { source: after.source });
}
