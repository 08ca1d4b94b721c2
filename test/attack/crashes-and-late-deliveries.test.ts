import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_DIR, deliverWebhook } from '../../infra/local/replay.js';
import { againstFakeGitHub } from '../../scripts/chaos-faults.js';
import { exited, startChild, stopBoth } from '../../scripts/chaos-child.js';
import { localRuntimeEntry } from '../support/local-runtime-bundle.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import { PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval } from '../support/comment-commands.js';
import { createFakeGitHub, createMemoryCommandAnswers } from '../support/fakes.js';
import { BOT_LOGIN, FakeGitHub } from '../support/fake-github.js';
import { type Harness, startHarness, useLocalRuntimePerTest } from '../support/harness.js';
import { SECRET, pullRequestFailure, pullRequestGreen, pushFailure, startAgainstFakeGitHub } from '../support/late-deliveries.js';

/**
 * Defects session 30's attack pass reproduced against the local runtime (in-process, or `npm start`'s entry point as a
 * child process killed with SIGKILL), each fixed since: what the code did then ("Was:"), and what it must do ("Required:").
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function incidentOf(url: string, id: string): Promise<Record<string, any>> {
  return (await (await fetch(`${url}/incidents/${id}`)).json()) as Record<string, any>;
}

async function until<T>(what: string, read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await sleep(100);
  }
}

describe('crash (SIGKILL) of npm start while a green run is recorded', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  /**
   * `npm start` (a child process) notifies pull request 4101's failure (run `runId`) on the fake GitHub; a maintainer
   * 👍s the guard's comment; the green run `runId + 1` is delivered while the GitHub request `hang` matches never
   * answers, and the runtime is killed with SIGKILL there, then started again on the same data directory. What the
   * restarted runtime leaves: the incident, the guard's comment, and the GitHub requests it made.
   */
  async function killedWhileRecording(runId: number, hang: { method: string; route: RegExp }) {
    const github = await FakeGitHub.start();
    cleanup.push(() => github.close());
    github.login = BOT_LOGIN;
    github.permissions.set('maintainer', 'write');
    const log = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    github.runs.set(runId, { status: 'completed', run_attempt: 1 });
    github.serveFailedJob(runId, runId * 100 + 1, log);
    const dataDir = await mkdtemp(join(tmpdir(), 'guard-s30-recovery-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const env = { ...process.env, ...againstFakeGitHub(github), GITHUB_WEBHOOK_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: 'SILENT', ANALYZER: 'offline' };
    let first: ChildProcess | undefined;
    let second: ChildProcess | undefined;
    cleanup.push(() => stopBoth(first, second));

    const started = await startChild(dataDir, env, await localRuntimeEntry());
    first = started.child;
    const accepted = await deliverWebhook(started.url, pullRequestFailure(runId, 4_101), SECRET);
    const id = String(accepted.body.incidentId);
    await until('the failure notified', () => incidentOf(started.url, id), (i) => i.status === 'notified');
    const comment = () => (github.comments.get(4_101) ?? []).find((c) => c.body.includes(COMMENT_MARKER));
    const commentId = comment()?.id as number;
    expect(comment()?.body).not.toMatch(/Fixed in run/);
    github.reactions.set(commentId, [{ content: '+1', created_at: new Date(Date.now() + 1_000).toISOString(), user: { login: 'maintainer', type: 'User' } }]);

    // The request hangs once the incident is resolved, and the runtime is killed right there.
    github.fail({ ...hang, kind: 'hang', times: Infinity });
    await deliverWebhook(started.url, pullRequestGreen(runId + 1, 4_101), SECRET);
    await until('the hanging request', () => github.requests.filter((r) => r.method === hang.method && hang.route.test(r.route)).length, (n) => n > 0);
    // Written resolved before the recovery's follow-ups (only the recovery whose write lands does them): resolved
    // here, with its follow-ups not recorded done, which the redelivery finds among the recovery's targets and does.
    const killedWith = await incidentOf(started.url, id);
    expect(killedWith.status).toBe('resolved');
    expect(killedWith.history.map((entry: { event: string }) => entry.event)).not.toContain('recovery_followed_up');
    first.kill('SIGKILL');
    await exited(first);
    github.clearFaults();
    const killedAt = github.requests.length;

    const restarted = await startChild(dataDir, env, await localRuntimeEntry());
    second = restarted.child;
    // The queued recovery was never acknowledged: the restarted runtime delivers it again, which must finish it.
    const fixed = new RegExp(`Fixed in run ${runId + 1}`);
    const body = await until('the comment to say the run is fixed', () => comment()?.body ?? '', (text) => fixed.test(text), 20_000).catch((error: Error) => error.message);
    const requests = github.requests.slice(killedAt).map((r) => `${r.method} ${r.route}`);
    console.log('GitHub requests after the restart:', requests);
    // The comment is rewritten just before the recovery's last write (its follow-ups recorded done): read it once that write is in.
    const incident = await until('the follow-ups recorded', () => incidentOf(restarted.url, id), (i) => i.history.some((entry: { event: string }) => entry.event === 'recovery_followed_up'), 20_000).catch(() => incidentOf(restarted.url, id));
    return { incident, body, fixed };
  }

  // Was: record-outcome's resolveIncident writes the incident `resolved` first and updates the pull request's
  // comment last; a crash in between leaves the queued recovery to be delivered again after the restart, but the
  // retry lists only the scope's *open* incidents (listOpenInScope), finds none, and the comment is never updated: the
  // PR goes on saying the run fails although the guard recorded it fixed. Required: the comment's update is finished by
  // the retried recovery (or by the reconciler), so the PR says "Fixed in run …" as it does without the crash.
  it('updates the PR comment to "Fixed" after a kill -9 between the incident resolved and the comment update', async () => {
    const { incident, body, fixed } = await killedWhileRecording(31_001, { method: 'PATCH', route: /\/issues\/comments\/\d+$/ });

    expect(incident.status).toBe('resolved');
    expect(body).toMatch(fixed);
  }, 120_000);

  // Was: the same window one step earlier. Reactions left on the guard's comment while the incident was open
  // are read when the guard touches the comment again (collectReactionFeedback in resolveIncident, after the incident
  // is written resolved); killed there, the retried recovery finds nothing open and never reads them, and nothing else
  // does (the reconciler's late read covers experiment units only): the maintainer's 👍 is never counted. Required: the
  // vote counts (feedbackUp 1) after the restart, as without the crash.
  it('counts a maintainer’s 👍 on the guard’s comment after a kill -9 while the recovery read the reactions', async () => {
    const { incident } = await killedWhileRecording(31_011, { method: 'GET', route: /\/issues\/comments\/\d+\/reactions$/ });

    expect(incident.status).toBe('resolved');
    expect(incident.feedbackUp ?? 0).toBe(1);
  }, 120_000);
});

describe('a green run without a crash (the control for the crash tests above)', () => {
  const runtimes = useLocalRuntimePerTest();

  it('counts a maintainer’s 👍 on the guard’s comment and says "Fixed" on it', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_021]);
    harness.github.permissions.set('maintainer', 'write');
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_021, 4_101), SECRET);
    await harness.runtime.idle();
    const commentId = (harness.github.comments.get(4_101) ?? [])[0]?.id as number;
    harness.github.reactions.set(commentId, [{ content: '+1', created_at: new Date(Date.now() + 1_000).toISOString(), user: { login: 'maintainer', type: 'User' } }]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_022, 4_101), SECRET);
    await harness.runtime.idle();

    expect(await harness.incident('gh-714523861-31021-1')).toMatchObject({ status: 'resolved', feedbackUp: 1 });
    expect((harness.github.comments.get(4_101) ?? []).map((c) => c.body)).toEqual([expect.stringMatching(/Fixed in run 31022/)]);
  });
});

describe('a green run while the GitHub write budget is spent', () => {
  // Was: a burst of failures spends the GitHub write budget (GITHUB_WRITES_PER_MINUTE, default 20: the brief's
  // 50 failing runs in a minute do), and a green run recorded in that window cannot update its pull request's comment:
  // resolveIncident catches the WriteBudgetExhaustedError as "a stale comment is not worth failing the webhook for" and
  // the queued recovery is acknowledged. Nothing comes back for it once the budget has room again (the failure's own
  // comment waits for room and is posted later; the recovery's is dropped): the PR keeps its ❌ comment for good.
  // Required: the recovery's comment waits for the budget as the failure's comment does (deferred, not dropped), so
  // the PR says "Fixed in run …" once there is room.
  it('updates the PR comment to "Fixed" once the budget has room again, after a green run the budget refused', async () => {
    const github = await FakeGitHub.start();
    github.login = BOT_LOGIN;
    const log = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
    for (const runId of [31_201, 31_203]) github.serveFailedJob(runId, runId * 100 + 1, log);
    // The budget's windows are the clock's minutes and hours: a minute's budget alone is refilled when the phase below
    // runs over a minute's turn (this row failed so in CI), an hour's only when it runs over an hour's. Both hold two.
    const settings = (writes: string) => ({ ...againstFakeGitHub(github), GITHUB_WRITES_PER_MINUTE: writes, GITHUB_WRITES_PER_HOUR: writes, ANALYZER: 'offline', POLICY_FILE: undefined, POLICY_JSON: undefined, CHAT_WEBHOOK_URL: undefined });
    let first: Harness | undefined;
    let second: Harness | undefined;
    try {
      // Two pull requests' failures take the two writes; the first one's green run finds none left.
      first = await startHarness({ secret: SECRET, name: 'guard-s30-budget', env: settings('2') });
      for (const [runId, pr] of [[31_201, 4_301], [31_203, 4_303]] as const) {
        await deliverWebhook(first.runtime.url, pullRequestFailure(runId, pr), SECRET);
        await first.runtime.idle();
      }
      expect([...github.comments.keys()].sort()).toEqual([4_301, 4_303]);
      await deliverWebhook(first.runtime.url, pullRequestGreen(31_202, 4_301), SECRET);
      await first.runtime.idle();
      const resolved = await first.incident('gh-714523861-31201-1');
      expect(resolved).toMatchObject({ status: 'resolved' });
      // The recovery asked GitHub nothing: the budget refused its comment update before any request.
      expect(resolved.notifications.filter((n) => n.detail === 'recovery')).toEqual([]);
      expect(github.requests.filter((r) => r.method === 'PATCH')).toEqual([]);
      await first.runtime.close();

      // The budget has room again (here: the same data directory with a larger budget, instead of waiting a minute).
      second = await startHarness({ secret: SECRET, name: 'guard-s30-budget', dataDir: first.dataDir, env: settings('100') });
      await second.runtime.idle();
      await second.runtime.reconcile();
      await second.runtime.idle();

      const body = (github.comments.get(4_301) ?? [])[0]?.body ?? '';
      console.log('PR 4301 after the budget has room:', body.split('\n').find((line) => line.startsWith('###')));
      expect(body).toMatch(/Fixed in run 31202/);
    } finally {
      await second?.close();
      await github.close();
    }
  });
});

describe('reordered deliveries: an attempt delivered after a later attempt of the same run', () => {
  const runtimes = useLocalRuntimePerTest();

  it('without reordering, a green run fixes the failure and the PR comment says so (the control for the next test)', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_101]);
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_101, 4_201), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_101, 4_201, { attempt: 2, runNumber: 482, updatedAt: '2026-11-20T09:40:00Z' }), SECRET);
    await harness.runtime.idle();

    expect(await harness.incident('gh-714523861-31101-1')).toMatchObject({ status: 'resolved', resolvedBy: 'run 31101 (attempt 2)' });
    expect((harness.github.comments.get(4_201) ?? []).map((c) => c.body)).toEqual([expect.stringMatching(/### ✅ Pipeline Guard: passed after re-run[\s\S]*Passed in run 31101/)]);
  });

  // What was wrong: when attempt 1's failure is delivered after attempt 2 of the same run was delivered green (GitHub
  // redelivers a failed delivery later, or a person redelivers it from the settings page), ingest records attempt 1 as a
  // new open incident and the pipeline posts a ❌ failure comment on a pull request whose run already passed; the
  // incident stays `notified` (open) for ever, since the green run's recovery was recorded before it existed and nothing
  // resolves it later. Required: a failure whose own run already has a later green attempt on record ends resolved by
  // it (recorded, not commented as failing): the green recovery is kept for its run, or ingest/notify asks GitHub for
  // the run's latest attempt.
  it('records a late failure of attempt 1 as resolved when attempt 2 of its run was already delivered green, and comments no failure', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_103]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_103, 4_203, { attempt: 2, runNumber: 482, updatedAt: '2026-11-20T09:40:00Z' }), SECRET);
    await harness.runtime.idle();
    const late = await deliverWebhook(harness.runtime.url, pullRequestFailure(31_103, 4_203, { delivery: 'late-attempt-1' }), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident(String(late.body.incidentId));
    const comments = (harness.github.comments.get(4_203) ?? []).map((c) => c.body.split('\n').find((line) => line.startsWith('###')));
    console.log('late attempt 1:', incident.status, incident.resolvedBy, comments);
    expect(incident.status).toBe('resolved');
    expect(comments.filter((title) => title?.includes('❌'))).toEqual([]);
  });

  // What was wrong: the same late delivery on a push to main, whose failure pages (the App may not comment on the
  // commit): attempt 2 of the run was delivered green first, and attempt 1's failure, delivered after it, pages on-call
  // for a run that already passed. Required: as above, recorded resolved by its run's green attempt; nobody is paged.
  it('pages nobody for a late failure of attempt 1 of a push whose attempt 2 was already delivered green', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_105]);
    const green = pullRequestGreen(31_105, 4_205, { attempt: 2, runNumber: 482, updatedAt: '2026-11-20T09:40:00Z', delivery: 'push-green-2' });
    Object.assign(green.body.workflow_run as Record<string, unknown>, { event: 'push', head_branch: 'main', pull_requests: [] });
    await deliverWebhook(harness.runtime.url, green, SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pushFailure(31_105, 1, 'dana-dev', 'push-late-1'), SECRET);
    await harness.runtime.idle();

    const pages = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    console.log('late push attempt 1:', (await harness.incident('gh-714523861-31105-1')).status, pages.map((p) => p.subject));
    expect(pages).toEqual([]);
  });

  // What was wrong: a person re-ran a failed push (attempt 2), it failed, and the guard re-ran it (attempt 3, under way).
  // Attempt 1's delivery then arrives late: the pipeline treats it as a fresh failure, finds the commit's re-run budget
  // spent ("already re-run automatically 1 time(s) for this commit: needs a human") and pages on-call, while the guard's
  // own re-run of a later attempt is still running. Required: an attempt older than one already recorded for the same run
  // is superseded: recorded, but it pages nobody and re-runs nothing (the crash points' rule: while our re-run is under
  // way, nobody is paged).
  it('pages nobody for a late attempt 1 of a run whose attempt 2 the guard is already re-running', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_104]);
    harness.github.runs.set(31_104, { status: 'completed', run_attempt: 2 });
    await deliverWebhook(harness.runtime.url, pushFailure(31_104, 2, 'dana-dev', 'attempt-2'), SECRET);
    await harness.runtime.idle();
    expect(harness.github.reruns).toEqual([{ runId: 31_104, attempt: 3, installationId: null }]);
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation')).toEqual([]);

    await deliverWebhook(harness.runtime.url, pushFailure(31_104, 1, 'dana-dev', 'late-attempt-1'), SECRET);
    await harness.runtime.idle();

    const pages = (await harness.outbox()).filter((e) => e.kind === 'escalation');
    console.log('pages after the late attempt 1:', pages.map((p) => `${p.subject} / ${String(p.message).match(/Incident: \S+/)?.[0]}`));
    expect(pages).toEqual([]);
    expect(harness.github.reruns).toHaveLength(1);
    // Recorded all the same, as superseded by the later attempt (nothing lost).
    expect(await harness.incident('gh-714523861-31104-1')).toMatchObject({ status: 'resolved', supersededBy: 'run 31104 (attempt 2)' });
  });

  // The same late delivery across runs, by the rules of a green run delivered after the failure (greenRunLeavesOpen):
  // a later run of the same workflow and branch that completed after the failure resolves it, whichever came first.
  it('records a late failure as resolved by a later run of its workflow and branch that completed after it and was delivered first', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_107]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_110, 4_207, { runNumber: 483, updatedAt: '2026-11-20T09:46:30Z' }), SECRET);
    await harness.runtime.idle();
    const late = await deliverWebhook(harness.runtime.url, pullRequestFailure(31_107, 4_207, { delivery: 'late-run-482' }), SECRET);
    await harness.runtime.idle();

    expect(await harness.incident(String(late.body.incidentId))).toMatchObject({ status: 'resolved', resolvedBy: 'run 31110', supersededBy: 'run 31110' });
    expect((harness.github.comments.get(4_207) ?? []).map((c) => c.body)).toEqual([]);
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation')).toEqual([]);
  });

  // The rules' other side: a later run that completed before the failure (a slow failing run of an older commit)
  // does not speak for it, delivered first or not: the failure is handled as a fresh one, commented as failing.
  it('handles a failure as fresh when the later run delivered before it completed before the failure', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_109]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_112, 4_209, { runNumber: 483, updatedAt: '2026-11-20T09:10:00Z' }), SECRET);
    await harness.runtime.idle();
    const failure = await deliverWebhook(harness.runtime.url, pullRequestFailure(31_109, 4_209), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident(String(failure.body.incidentId));
    expect(incident.status).toBe('notified');
    expect(incident.supersededBy ?? null).toBeNull();
    expect((harness.github.comments.get(4_209) ?? []).map((c) => c.body.split('\n').find((line) => line.startsWith('###')))).toEqual([expect.stringContaining('❌')]);
  });
});

describe('a person re-runs a failed push before the guard does', () => {
  const runtimes = useLocalRuntimePerTest();

  // Was: remediate claims the re-run ledger for the attempt it is about to create (`<run>#2`, apply.ts rerun)
  // before asking GitHub; GitHub's run is already past attempt 1 because a person clicked "Re-run failed jobs" while
  // the guard was still analysing, so no re-run is requested ("already re-run past attempt 1") but the claim stays: the
  // person's attempt 2 is recorded as the guard's own re-run. When it fails, its incident reads `ownRerun: true` and
  // "it failed again after our automatic re-run", attempt 1 gets `rerun_failed` and a failed fix outcome
  // (`onRemediationFailed`: the knowledge entry's re-run failures, the circuit breaker's failed actions and the
  // commit's re-run budget all count a re-run the guard never made). Required: a re-run the guard did not request is
  // not recorded as its own: attempt 2 is a person's re-run (ownRerun false), and attempt 1 gets no re-run outcome.
  it('does not take a person’s re-run, found under way when the guard wanted to re-run, for its own', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_400]);
    // The network flake the guard re-runs; the person's re-run (attempt 2) is already under way on GitHub.
    harness.github.runs.set(31_400, { status: 'in_progress', run_attempt: 2 });
    await deliverWebhook(harness.runtime.url, pushFailure(31_400, 1, 'dana-dev', 'person-first-1'), SECRET);
    await harness.runtime.idle();
    expect(harness.github.reruns).toEqual([]);
    expect((await harness.incident('gh-714523861-31400-1')).decision?.result).toMatch(/already re-run past attempt 1/);

    harness.github.runs.set(31_400, { status: 'completed', run_attempt: 2 });
    await deliverWebhook(harness.runtime.url, pushFailure(31_400, 2, 'dana-dev', 'person-first-2'), SECRET);
    await harness.runtime.idle();

    const first = await harness.incident('gh-714523861-31400-1');
    const second = await harness.incident('gh-714523861-31400-2');
    console.log('attempt 2:', second.ownRerun, second.decision?.reason, '| attempt 1:', first.fixOutcome, first.history.map((h) => h.event));
    expect(harness.github.reruns).toEqual([]);
    expect(second.ownRerun).toBe(false);
    expect(first.history.map((entry) => entry.event)).not.toContain('rerun_failed');
    expect(first.fixOutcome ?? null).toBeNull();
  });
});

/** `/guard approve` by `login` in comment 77 on the pending proposal's pull request, as GitHub signs it (delivery `approve-77`). */
function approveDelivery(login: string) {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: PENDING_PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: 77, body: '/guard approve', user: { login, type: 'User' }, created_at: '2026-11-20T10:04:00Z' },
    repository: { id: 714523861, full_name: 'acme-shop/checkout-service', name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature, 'x-github-delivery': 'approve-77' }, body: payload, isBase64Encoded: false };
}

describe('an approval whose handler dies before it resumes the execution', () => {
  // Was: `/guard approve` takes the proposal off the approval index and records it `approved` with its task
  // token set to null, and only then calls SendTaskSuccess (comment-commands.ts, "Recorded before resuming"). When the
  // ingest Lambda dies in between (a timeout, OOM: this test's task port never answers), the token is gone from every
  // record: GitHub's redelivery of the same comment is answered 409 "nothing is waiting for approval", the execution
  // waits out approvalTimeoutMinutes, and then notify records "nobody approved … in time" and escalates, although a
  // maintainer approved. Required: the decision stays resumable until the execution is resumed (the token kept until
  // SendTaskSuccess succeeded, or a pending-decision mark a redelivery or the reconciler finishes), so the redelivery
  // resumes the execution with the maintainer's approval.
  it('resumes the execution on the redelivery of a /guard approve whose first handling died before SendTaskSuccess', async () => {
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers });
    let resuming = false;
    const dies = { ...made.deps(), tasks: { succeed: () => ((resuming = true), new Promise<void>(() => {})), fail: () => new Promise<void>(() => {}) } };
    void handleIssueCommentWebhook(approveDelivery('maintainer'), dies);
    await until('the first handling to reach SendTaskSuccess', () => resuming, (reached) => reached, 5_000);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-1' });

    const redelivered = await handleIssueCommentWebhook(approveDelivery('maintainer'), made.deps());

    console.log('redelivery answered:', JSON.stringify(redelivered));
    expect(made.tasks).toEqual([['succeed', 'token-1', { approvedBy: 'maintainer' }]]);
  });
});
