/**
 * When a test handles a GitHub delivery or a CloudWatch alarm event: `seconds` after the latest time its payload (or
 * the trigger built from it) stamps, such as a run's `updated_at`, a check run's `completed_at` or an alarm's state
 * `timestamp`. A handling clock before the run ended cannot happen: the failure then reads as stamped ahead of the
 * clock, its failedAt becomes the handling time, and an ordering bug between the two can hide (session 44). Every
 * `…_at`, `…At`, `time` or `timestamp` field that holds an ISO date-time counts.
 */
export function handledAfter(payload: unknown, seconds = 5): Date {
  const latest = Math.max(...stampsIn(payload));
  if (!Number.isFinite(latest)) throw new Error('the payload stamps no time to be handled after');
  return new Date(latest + seconds * 1000);
}

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d/;

function stampsIn(value: unknown, key = ''): number[] {
  if (typeof value === 'string') return /(_at|At)$|^(time|timestamp)$/.test(key) && ISO_DATE_TIME.test(value) ? [Date.parse(value)] : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([name, inner]) => stampsIn(inner, Array.isArray(value) ? key : name));
}
