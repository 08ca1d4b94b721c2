import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../infra/local/replay.js';
import { ONE_MINUTE_APPROVAL_WAIT, useLocalRuntimePerTest } from '../support/harness.js';
import { BOT_LOGIN } from '../support/fake-github.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENTS_DIR } from '../../infra/local/replay.js';
import { SECRET, pullRequestFailure, roomyRuntimeEnv } from '../support/late-deliveries.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Attack pass 15, finding 4. A proposal that waits for `/guard approve` on a pull request pages on-call when nobody
 * answers within `approvalTimeoutMinutes` ("Always paged: … an approval request nobody answered"). Nothing ends the
 * wait when the pull request moves on: its author pushes another commit, whose run of the same workflow fails for
 * another reason and takes over the pull request's one comment. The old proposal (re-run run A of a commit no longer
 * the pull request's head) is then answered by nobody, and its timeout pages on-call although nobody must act on it:
 * the pull request's current failure is explained on the pull request, and a pull request failure does not page.
 */
describe("a pull request's proposal left behind by a newer failing commit", () => {
  const runtimes = useLocalRuntimePerTest();

  it('does not page on-call when its approval wait times out', async () => {
    const harness = await runtimes.start({
      secret: SECRET,
      name: 'guard-p15-stale',
      approvalWaitHeadStartMs: ONE_MINUTE_APPROVAL_WAIT.headStartMs,
      github: { auth: 'token' },
      // Re-runs wait for a maintainer's approval, for at most a minute.
      env: roomyRuntimeEnv({ requireApproval: [{ actions: ['rerun_failed_jobs'] }], approvalTimeoutMinutes: 1 }),
    });
    harness.github.login = BOT_LOGIN;
    const network = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-npm-network-failure.log'), 'utf8');
    const jest = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    harness.github.jobs.set('71000/1', [{ id: 710_001, name: 'test', conclusion: 'failure' }]);
    harness.github.logs.set(710_001, { content: network });
    harness.github.jobs.set('71002/1', [{ id: 710_021, name: 'test', conclusion: 'failure' }]);
    harness.github.logs.set(710_021, { content: jest });
    harness.github.runs.set(71_000, { status: 'completed', run_attempt: 1 });

    // Commit A of pull request 7100 fails on the network: the guard proposes a re-run and waits for approval.
    await deliverWebhook(harness.runtime.url, pullRequestFailure(71_000, 7_100), SECRET);
    await harness.runtime.idle();
    const asked = await harness.incident('gh-714523861-71000-1');
    expect(asked.approval?.status).toBe('pending');

    // The author pushes commit B; its run (a later run of the workflow on the branch) fails a test.
    const newer = pullRequestFailure(71_002, 7_100);
    Object.assign(newer.body.workflow_run as Record<string, unknown>, {
      head_sha: 'b'.repeat(40), run_number: 483, created_at: '2026-11-20T09:30:00Z', updated_at: '2026-11-20T09:36:00Z',
    });
    ((newer.body.workflow_run as any).pull_requests[0].head as Record<string, unknown>).sha = 'b'.repeat(40);
    await deliverWebhook(harness.runtime.url, newer, SECRET);
    await harness.runtime.idle();
    expect((await harness.incident('gh-714523861-71002-1')).status).toBe('notified');

    // Nobody answers the old proposal; its wait times out. Slept until the end it recorded (ONE_MINUTE_APPROVAL_WAIT's
    // head start taken off), then read until the timeout is recorded: not read once a second all along.
    await sleep(Math.max(0, Date.parse(String(asked.approval?.expiresAt)) - Date.now()));
    const deadline = Date.now() + 150_000;
    while (Date.now() < deadline && (await harness.incident('gh-714523861-71000-1')).approval?.status === 'pending') await sleep(100);
    await harness.runtime.idle();
    const old = await harness.incident('gh-714523861-71000-1');
    console.log('old:', old.status, old.approval?.status, old.notifications.map((n) => `${n.channel}:${n.outcome}:${n.detail ?? ''}`));
    expect(old.approval?.status).toBe('timed_out');

    // Required: nobody is paged for a proposal the pull request has moved past.
    const pages = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    expect(pages.map((p) => p.subject)).toEqual([]);
  }, 200_000);
});
