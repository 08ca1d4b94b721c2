/**
 * How far an event's own time may be ahead of the clock handling it and still be trusted: the clocks of CloudWatch,
 * GitHub and Lambda differ by seconds, and a late event (EventBridge retries for up to 2 hours, GitHub redelivers)
 * has a past time. The one skew every reader of an event's stamp allows.
 */
export const CLOCK_SKEW_MS = 2 * 60_000;

/**
 * The earliest event time trusted: CloudWatch alarms came in 2009, GitHub in 2008. A stamp far before (one Date.parse
 * takes, down to the year -271821) orders before every real event, and times derived from it (5 minutes before) are
 * invalid Dates that throw.
 */
export const EARLIEST_EVENT_TIME = /* @__PURE__ */ Date.parse('2000-01-01T00:00:00.000Z');

/**
 * An ISO 8601 date-time with its offset, as GitHub (`2019-05-15T15:20:38Z`) and CloudWatch
 * (`2019-10-02T17:04:40.985+0000`) stamp events. V8's Date.parse also reads "1", "12" or "2026" as dates
 * (attack-44a H7): those are unreadable.
 */
const ISO_DATE_TIME = /^([+-]\d\d)?\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/**
 * An event's stamp as read at the handling clock: its own time, or that clock's when the stamp is `ahead` (more than
 * {@link CLOCK_SKEW_MS} ahead of it), `early` (before {@link EARLIEST_EVENT_TIME}) or `unreadable` (no date-time
 * {@link ISO_DATE_TIME} reads).
 */
export interface EventTime {
  at: Date;
  untrusted?: 'ahead' | 'early' | 'unreadable';
}

/**
 * The time to use for an event stamped `stamp` and handled at `now`. No real event happened in the future: a stamp
 * a day ahead (a hand-made or replayed event, a third party's check run) ordered after every real event until then.
 */
export function eventTimeAt(stamp: string | null | undefined, now: Date): EventTime {
  const at = stamp && ISO_DATE_TIME.test(stamp) ? Date.parse(stamp) : Number.NaN;
  const untrusted = Number.isNaN(at) ? 'unreadable' : at > now.getTime() + CLOCK_SKEW_MS ? 'ahead' : at < EARLIEST_EVENT_TIME ? 'early' : undefined;
  return untrusted ? { at: new Date(now.getTime()), untrusted } : { at: new Date(at) };
}

/** The history or log line of a stamp read at the handling time: `what` names it ("the alarm event's time"). */
export function untrustedDetail(what: string, stamp: string | null | undefined, read: EventTime): string {
  const why = read.untrusted === 'early' ? `before ${new Date(EARLIEST_EVENT_TIME).toISOString()}` : `more than ${CLOCK_SKEW_MS / 60_000} minutes ahead of the clock`;
  return `${what} ${stamp} was ${why}: read as ${read.at.toISOString()}, when it was handled`;
}
