import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, EARLIEST_EVENT_TIME, eventTimeAt, untrustedDetail } from '../../../shared/domain/event-time.js';

/**
 * The one rule for an event's own time read against the clock handling it (shared/domain/event-time.ts): alarms,
 * GitHub failures and green runs, and the recovery-targets key all read their stamps through it.
 */
const NOW = new Date('2026-11-20T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('eventTimeAt', () => {
  it('is the stamp up to the allowed skew ahead of the clock, and from the earliest trusted time on', () => {
    expect(eventTimeAt(iso(NOW.getTime() + CLOCK_SKEW_MS), NOW)).toEqual({ at: new Date(NOW.getTime() + CLOCK_SKEW_MS) });
    expect(eventTimeAt(iso(EARLIEST_EVENT_TIME), NOW)).toEqual({ at: new Date(EARLIEST_EVENT_TIME) });
    expect(eventTimeAt('2026-11-20T10:00:00.000+0000', NOW)).toEqual({ at: new Date('2026-11-20T10:00:00.000Z') });
  });

  it('is the handling time for a stamp ahead by more than the skew, before 2000, or unreadable, saying which', () => {
    expect(eventTimeAt(iso(NOW.getTime() + CLOCK_SKEW_MS + 1), NOW)).toEqual({ at: NOW, untrusted: 'ahead' });
    expect(eventTimeAt(iso(EARLIEST_EVENT_TIME - 1), NOW)).toEqual({ at: NOW, untrusted: 'early' });
    expect(eventTimeAt('-271821-04-20T00:01:00.000Z', NOW)).toEqual({ at: NOW, untrusted: 'early' });
    for (const stamp of ['not a time', '', null, undefined]) expect(eventTimeAt(stamp, NOW)).toEqual({ at: NOW, untrusted: 'unreadable' });
  });

  it('returns a Date of its own, never the clock it was given', () => {
    expect(eventTimeAt('2026-11-22T00:00:00Z', NOW).at).not.toBe(NOW);
  });

  it('words why a stamp was not trusted', () => {
    expect(untrustedDetail("the failure's time", '2026-11-22T00:00:00Z', eventTimeAt('2026-11-22T00:00:00Z', NOW))).toBe(
      "the failure's time 2026-11-22T00:00:00Z was more than 2 minutes ahead of the clock: read as 2026-11-20T12:00:00.000Z, when it was handled",
    );
    expect(untrustedDetail("the failure's time", '1999-01-01T00:00:00Z', eventTimeAt('1999-01-01T00:00:00Z', NOW))).toBe(
      "the failure's time 1999-01-01T00:00:00Z was before 2000-01-01T00:00:00.000Z: read as 2026-11-20T12:00:00.000Z, when it was handled",
    );
  });
});
