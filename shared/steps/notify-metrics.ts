import { METRIC } from '../adapters/metric-names.js';
import { timeToFirstCommentSeconds } from '../api/summary.js';
import type { Incident, NotificationRecord } from '../domain/incident.js';
import type { Metrics } from '../ports.js';

const reached = (n: NotificationRecord) => n.outcome === 'created' || n.outcome === 'updated' || n.outcome === 'published';

/**
 * Notify's metrics: escalations published, and the time to the first notification that reached someone — counted
 * only by the notify run that sent it, so a re-driven execution or a later update does not measure it again.
 */
export function recordNotifyMetrics(before: Incident, after: Incident, sent: readonly NotificationRecord[], metrics: Metrics): void {
  const escalations = sent.filter((n) => n.channel === 'sns' && reached(n)).length;
  if (escalations > 0) metrics.count(METRIC.escalations, escalations);
  if ((before.notifications ?? []).some(reached) || !sent.some(reached)) return;
  const seconds = timeToFirstCommentSeconds(after);
  if (seconds !== null) metrics.measure(METRIC.timeToFirstComment, 'Seconds', seconds, { source: after.source });
}
