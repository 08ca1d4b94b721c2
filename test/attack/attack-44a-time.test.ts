import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, eventTimeAt } from '../../shared/domain/event-time.js';
import { incidentFromTrigger } from '../../shared/domain/incident-from-trigger.js';
import { triggerFromCheckRun } from '../../shared/ingest/github-webhook.js';

/*
 * Attack pass 44a (session 42): the one event-time rule (shared/domain/event-time.ts) at its boundaries.
 */

const NOW = new Date('2026-11-20T10:00:00.000Z');

function failingCheckStamped(completedAt: string) {
  const payload = JSON.parse(readFileSync('events/github/check_run-circleci-failure.json', 'utf8')).body;
  payload.check_run.completed_at = completedAt;
  return incidentFromTrigger(triggerFromCheckRun(payload, `a44a-${completedAt}`), NOW).incident;
}

describe('attack 44a: the one event-time rule', () => {
  // attack-44a finding H7 (fixed, session 42): V8's lenient Date.parse reads a bare number or a year as a date ("1" and "-1" as 2001-01-01, "12" as 2001-12-01, "2026" as 2026-01-01), so a third party's check run stamped so is trusted: its failure dates 25 years (or 11 months) back, never read as the handling time the rule promises an unreadable stamp
  it('reads a check run stamped with a bare number or year (no ISO 8601 date-time) as the handling time', () => {
    const read = ['1', '-1', '12', '2026'].map((stamp) => ({ stamp, rule: eventTimeAt(stamp, NOW), failedAt: failingCheckStamped(stamp).failedAt }));
    console.log('H7:', read.map((r) => `${JSON.stringify(r.stamp)} -> ${r.rule.at.toISOString()} (${r.rule.untrusted ?? 'trusted'}), failedAt ${r.failedAt}`));
    for (const r of read) expect(r.failedAt).toBe(NOW.toISOString());
  });

  // Held: the bounds. Exactly the skew ahead is trusted, a millisecond more is not; the greatest and least times a Date
  // holds, and a day out of its month that V8 rolls over, give valid times; nothing throws.
  it('keeps every stamp at the rule\'s bounds on a valid time', () => {
    expect(eventTimeAt(new Date(NOW.getTime() + CLOCK_SKEW_MS).toISOString(), NOW)).toEqual({ at: new Date(NOW.getTime() + CLOCK_SKEW_MS) });
    expect(eventTimeAt(new Date(NOW.getTime() + CLOCK_SKEW_MS + 1).toISOString(), NOW)).toEqual({ at: NOW, untrusted: 'ahead' });
    for (const stamp of ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '1999-12-31T23:59:59.999Z', 'Infinity', '1e3', '', '2026-11-20T10:00:60Z']) {
      const { at, untrusted } = eventTimeAt(stamp, NOW);
      expect(at.toISOString()).toBe(NOW.toISOString());
      expect(untrusted).toBeDefined();
      expect(failingCheckStamped(stamp).failedAt).toBe(NOW.toISOString());
    }
  });
});
