import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
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

  it('reads no stamp but an ISO 8601 date-time with its offset: V8 reads bare numbers and years as dates (attack-44a H7)', () => {
    for (const stamp of ['1', '-1', '12', '2026', '2026-11-20', '2026-11-20 10:00:00', '2026-11-20T10:00:00', 'Nov 20 2026 10:00 GMT', '1763632800000']) {
      expect(eventTimeAt(stamp, NOW), stamp).toEqual({ at: NOW, untrusted: 'unreadable' });
    }
  });

  it('trusts the stamps real GitHub and CloudWatch events carry: every date-time of octokit\'s webhook examples and of events/cloudwatch', () => {
    const examplesRoot = dirname(createRequire(import.meta.url).resolve('@octokit/webhooks-examples/package.json'));
    const sources = readdirSync(examplesRoot).filter((dir) => dir === 'api.github.com' || dir.startsWith('ghes-')).map((dir) => join(examplesRoot, dir, 'index.json'));
    const cloudwatch = new URL('../../../events/cloudwatch/', import.meta.url);
    sources.push(...readdirSync(cloudwatch).filter((file) => file.endsWith('.json')).map((file) => new URL(file, cloudwatch).pathname));
    const stamps = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d/.test(value)) stamps.add(value);
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    for (const source of sources) collect(JSON.parse(readFileSync(source, 'utf8')));
    // GitHub's Z, +00:00 and -04:00 offsets, CloudWatch's +0000 without a colon.
    expect([...stamps].some((stamp) => stamp.endsWith('+0000'))).toBe(true);
    expect([...stamps].some((stamp) => /[+-]\d\d:\d\d$/.test(stamp))).toBe(true);
    // Each handled as it happens; GHES examples hold Go's zero time (0001-01-01T00:00:00Z): read, and before 2000.
    for (const stamp of stamps) {
      const at = Date.parse(stamp);
      expect(eventTimeAt(stamp, new Date(Math.max(at, NOW.getTime()))), stamp).toEqual(at < EARLIEST_EVENT_TIME ? { at: NOW, untrusted: 'early' } : { at: new Date(at) });
    }
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
