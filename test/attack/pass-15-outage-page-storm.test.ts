import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../infra/local/replay.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { SECRET, pullRequestFailure, startAgainstFakeGitHub } from '../support/late-deliveries.js';

/**
 * Attack pass 15, finding 2. While GitHub's Actions API answers 502 on job listings (an ordinary GitHub incident, or
 * the primary rate limit spent by a burst), classify fails for every failure after its retries; the incident is
 * "degraded" and `routeEscalation` pages for it even on a pull request whose comment was posted, keyed
 * `<problem key>:degraded`. With no log read there is no fingerprint, so the problem key is the workflow *and the
 * branch*: every pull request's branch is a problem of its own, and one outside cause pages on-call once per open
 * pull request that fails meanwhile (4 here, 4 comments posted too). The notify stage's own failure is one problem for
 * the whole deployment (`guard-notify-failed`); a stage that fails for one outside cause should be too.
 */
describe("pull requests failing while GitHub's job listing is down", () => {
  const runtimes = useLocalRuntimePerTest();

  it('page on-call once for the outage, not once per pull request', async () => {
    const runs = [61_001, 61_003, 61_005, 61_007];
    const harness = await startAgainstFakeGitHub(runtimes, runs);
    harness.github.fail({ method: 'GET', route: /\/actions\/runs\/\d+\/attempts\/\d+\/jobs$/, times: Infinity, reply: { status: 502, body: { message: 'Bad Gateway' } } });

    // Four of the repository's own pull requests (four branches) fail during the outage.
    for (const [i, runId] of runs.entries()) {
      const hook = pullRequestFailure(runId, 6_100 + i);
      (hook.body.workflow_run as Record<string, unknown>).head_branch = `feature-${i}`;
      await deliverWebhook(harness.runtime.url, hook, SECRET);
    }
    await harness.runtime.idle();

    // Each ended recorded and commented on its pull request (the control: nothing was lost)...
    for (const [i, runId] of runs.entries()) {
      const incident = await harness.incident(`gh-714523861-${runId}-1`);
      expect(incident.status).toBe('notified');
      expect(incident.stageErrors.map((e) => e.stage)).toEqual(['classify']);
      expect(harness.github.comments.get(6_100 + i)).toHaveLength(1);
    }
    // ...and on-call hears of the one outage once (today: 4 pages, "… on feature-0 … feature-3").
    const pages = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    expect(pages.map((p) => p.subject)).toHaveLength(1);
  }, 120_000);
});
