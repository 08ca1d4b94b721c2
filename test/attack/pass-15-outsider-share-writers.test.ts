import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, deliverWebhook } from '../../infra/local/replay.js';
import { BOT_LOGIN } from '../support/fake-github.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { SECRET, pullRequestFailure } from '../support/late-deliveries.js';

/** A failed run `runId` of pull request `pr` (the repository's own branch) started by `actor`'s review. */
function reviewRun(runId: number, pr: number, actor: string) {
  const hook = pullRequestFailure(runId, pr);
  Object.assign(hook.body.workflow_run as Record<string, unknown>, {
    event: 'pull_request_review', head_branch: `b${pr}`, triggering_actor: { login: actor, id: runId, type: 'User' },
  });
  return hook;
}

/**
 * Attack pass 15, finding 5. Since pass 9, a comment on a run an outsider can repeat (`outsiderCanRepeat`: a fork's,
 * one of `pull_request_review`, `pull_request_target`, `issue_comment`, …) draws first on the outsiders' quarter of the
 * installation's write budget, whoever started the run. The escalation key tells a writer's run apart
 * (`startedByWriter`); the comment share does not. So a stranger reviewing pull requests (or pushing to fork pull
 * requests) anywhere in the installation keeps the share spent, and a maintainer's own review-started run (e2e on
 * approval) waits with the strangers' until GITHUB_WRITE_WAIT_MINUTES is up: its pull request is told nothing, and the
 * comment given up pages on-call, although the installation's budget had room for it all along. A run a writer
 * started now draws on the installation's budget only, as its escalation key already did.
 */
describe("a maintainer's review-started run after a stranger spent the outsiders' share", () => {
  const runtimes = useLocalRuntimePerTest();

  it("gets its pull request comment from the installation's budget, without waiting or paging", async () => {
    const harness = await runtimes.start({
      secret: SECRET,
      name: 'guard-p15-share',
      github: { auth: 'token' },
      waitDelayMs: 100,
      env: {
        // Room for 8 writes an hour; the outsiders' share is 2 of them. A comment waits at most a minute.
        GITHUB_WRITES_PER_MINUTE: '100', GITHUB_WRITES_PER_HOUR: '8', GITHUB_RERUNS_PER_MINUTE: '100', GITHUB_WRITE_WAIT_MINUTES: '1',
        ANALYZER: 'offline', POLICY_JSON: JSON.stringify({ defaults: { rateLimits: { perHour: 1000, perDay: 1000 } } }), POLICY_FILE: undefined, CHAT_WEBHOOK_URL: undefined,
      },
    });
    harness.github.login = BOT_LOGIN;
    harness.github.permissions.set('maya-maintainer', 'write');
    const jest = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    for (const runId of [82_001, 82_003, 82_005]) {
      harness.github.jobs.set(`${runId}/1`, [{ id: runId * 10, name: 'e2e', conclusion: 'failure' }]);
      harness.github.logs.set(runId * 10, { content: jest });
    }

    // A stranger reviews two pull requests; the review-started runs fail and spend the outsiders' share (2 an hour).
    await deliverWebhook(harness.runtime.url, reviewRun(82_001, 8_201, 'stranger'), SECRET);
    await deliverWebhook(harness.runtime.url, reviewRun(82_003, 8_202, 'stranger'), SECRET);
    await harness.runtime.idle();
    expect(harness.github.comments.get(8_201)).toHaveLength(1);
    expect(harness.github.comments.get(8_202)).toHaveLength(1);

    // A maintainer approves their own pull request; the e2e run it starts fails. 6 of 8 writes of the hour are left.
    await deliverWebhook(harness.runtime.url, reviewRun(82_005, 8_203, 'maya-maintainer'), SECRET);
    await harness.runtime.idle();

    // Before the fix: "github_comment:failed: not posted after waiting 0 min for the GitHub write budget", and a page:
    // the outsiders' share refills only with the hour, so the minute's bound gave up at once.
    const pages = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    expect(harness.github.comments.get(8_203) ?? []).toHaveLength(1);
    expect(pages).toEqual([]);
  }, 200_000);
});
