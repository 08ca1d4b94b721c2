import { describe, expect, it } from 'vitest';
import { replayWeek } from '../../infra/local/replay-week.js';

/** The week of events/replay/week.json through the local runtime: what on-call and the PRs would have received. */
describe('a week replayed through the local runtime', () => {
  it('pages at most once per distinct problem that needs a human, never for muted, suppressed, autoscaling or out-of-scope alarms, never for a person\'s re-run, and reports the repeats in one digest per problem when the window ends', async () => {
    const week = await replayWeek();

    expect(week.escalations.length).toBeLessThanOrEqual(week.distinctProblemsNeedingAHuman);
    expect(week.pagesFor).toEqual({ muted: 0, suppressed: 0, autoscaling: 0, outOfScope: 0, personRerun: 0 });
    const subjects = week.escalations.map((e) => e.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    // Pull request failures go to their pull requests: one comment each, edited in place.
    expect(subjects.some((s) => s.includes('feature/'))).toBe(false);
    expect(week.commentsWritten).toBe(2);
    expect(Object.keys(week.comments).sort()).toEqual(['acme-shop/checkout-service#1287', 'acme-shop/checkout-service#1301']);
    // The guard's own failed re-run of the release build is the one page for that problem, not its first attempt.
    expect(week.escalations.filter((e) => e.subject.includes('release/2.4')).map((e) => e.step)).toEqual(['Thu 14:25 the guard\'s re-run fails too']);
    expect(week.comments['acme-shop/checkout-service#1287']).toMatch(/### ✅ Pipeline Guard: fixed/);
    expect(week.comments['acme-shop/checkout-service#1301']).toMatch(/failed on attempts 1, 2/);
    // When the windows end, the repeats counted on an escalation reach on-call once, in one digest per problem:
    // the failure on main (a push, a re-run, two nightly runs) and the flapping 5XX alarm.
    expect(week.digests.map((d) => d.subject).sort()).toEqual([
      '[Pipeline Guard] Still happening, 3 more times: alarm checkout-api-5xx-rate',
      '[Pipeline Guard] Still happening, 4 more times: CI in acme-shop/checkout-service',
    ]);
  }, 120_000);
});
