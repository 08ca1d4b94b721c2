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
    // Failures on pushes go to their commits: one comment per run (the person's re-run adds none), no page; the
    // release build's once the guard's own re-run failed too. The failure on main pages when the nightly run hits it.
    const commit = (mark: string) => `acme-shop/checkout-service@${mark}${'0'.repeat(36)}${mark}`;
    expect(Object.keys(week.commitComments).sort()).toEqual([commit('c1'), commit('c2'), commit('d1')]);
    expect(week.escalations.filter((e) => e.subject.includes('on main')).map((e) => e.step)).toEqual(['Thu 02:00 the nightly run fails the same way']);
    // When the windows end, the repeats counted on an escalation reach on-call once, in one digest per problem:
    // the second nightly run of the failure on main, and the flapping 5XX alarm.
    expect(week.digests.map((d) => d.subject).sort()).toEqual([
      '[Pipeline Guard] Still happening, 1 more time: Nightly in acme-shop/checkout-service',
      '[Pipeline Guard] Still happening, 3 more times: alarm checkout-api-5xx-rate',
    ]);
  }, 120_000);
});
