import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, deliverWebhook } from '../../infra/local/replay.js';
import { failedRunDelivery } from '../support/fakes.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * A pull request GitHub takes no more comments on: anyone may post a public pull request's 2,500 comments (then
 * "Commenting is disabled on issues with more than 2500 comments", a 403), or its conversation is locked. Notify
 * failed on it as if the guard were broken: a fork's failure, which never pages, paged on-call through the
 * notify-failed fallback, whose one page a window for the whole deployment then left the guard's real notify failures
 * of that window to the digest. Through the local runtime: the real ASL, handlers, store and reconciler.
 */
const SECRET = 'comments-refused-secret';
const REPOSITORY_ID = 714523861;
const FORK_REPOSITORY_ID = 99_000_002;
const FORK_RUN = 7301;
const OWN_RUN = 7302;
const incidentId = (runId: number) => `gh-${REPOSITORY_ID}-${runId}-1`;

/** A failed run of pull request `runId`, from a fork or from a branch of the repository. */
function failedPullRequestRun(runId: number, fork: boolean) {
  const webhook = failedRunDelivery(runId, { deliveryId: `comments-refused-${runId}` });
  const run = webhook.body.workflow_run as Record<string, any>;
  run.pull_requests[0].number = runId;
  if (fork) {
    run.head_repository = { id: FORK_REPOSITORY_ID, name: 'checkout-service', full_name: 'stranger/checkout-service' };
    run.pull_requests[0].head.repo = { id: FORK_REPOSITORY_ID, name: 'checkout-service' };
  }
  return webhook;
}

const harness = useLocalRuntime({
  name: 'guard-comments-refused',
  secret: SECRET,
  github: { auth: 'token' },
  env: { RECONCILE_AFTER_MINUTES: '1', RECONCILE_INTERVAL_SECONDS: '86400' },
});

describe('a pull request that takes no more comments', () => {
  it('is recorded as not commented on, pages only as the escalation policy says, and never as a failed notify', async () => {
    // Prepare
    const log = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    harness.github.serveFailedJob(FORK_RUN, 8_300_001, log);
    harness.github.serveFailedJob(OWN_RUN, 8_300_002, log);
    harness.github.fail({
      method: 'POST',
      route: /\/issues\/\d+\/comments$/,
      times: Infinity,
      reply: { status: 403, body: { message: 'Commenting is disabled on issues with more than 2500 comments', documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment' } },
    });

    // Act
    for (const [runId, fork] of [[FORK_RUN, true], [OWN_RUN, false]] as const) {
      expect((await deliverWebhook(harness.runtime.url, failedPullRequestRun(runId, fork), SECRET)).status).toBe(202);
    }
    await harness.runtime.idle();
    const reconciled = await harness.runtime.reconcile(new Date(Date.now() + 5 * 60_000));

    // Assert: both incidents notified by Notify itself, the comment recorded as refused.
    expect(reconciled.notifyFailed).toEqual([]);
    const fork = await harness.incident(incidentId(FORK_RUN));
    const own = await harness.incident(incidentId(OWN_RUN));
    for (const incident of [fork, own]) {
      expect(incident).toMatchObject({ status: 'notified' });
      expect(incident.notifyFailed).toBeFalsy();
      expect(incident.notifications.find((n) => n.channel === 'github_comment')).toMatchObject({ outcome: 'failed', detail: expect.stringContaining('2,500 comments') });
    }
    // A fork's failure pages nobody; the repository's own pull request nobody was told on pages with its content.
    const pages = (await harness.outbox()).filter((entry) => entry.kind === 'escalation');
    expect(pages.map((page) => page.attributes?.kind ?? 'escalation')).toEqual(['escalation']);
    expect(pages[0]?.message).toContain(`nobody else was told: the guard could not comment on pull request #${OWN_RUN}`);
    expect(fork.notifications.find((n) => n.channel === 'sns')).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining("a fork's") });
  });
});
