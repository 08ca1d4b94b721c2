import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exited, startChild, stopBoth } from '../../scripts/chaos-child.js';
import { localRuntimeEntry } from '../support/local-runtime-bundle.js';
import { type Incident, RERUNS_NEED_APPROVAL, commandComment, crashPointEnv, failure, incidentOf, post, serveFailures, sleep } from '../../scripts/chaos-crash-batch.js';
import { FakeGitHub } from '../support/fake-github.js';

/**
 * A `/guard approve` the local runtime accepted while the approval request still ran (its comment was up), whose
 * request then failed (GitHub 502) and is asked again on a new token: the decision answers the retry's wait. Until
 * session 42 the runtime held that decision in memory only, so `npm start` killed between the failure and the retry's
 * wait (kill -9, a crash) came back with the retry waiting unanswered, while the command had been answered with a 👍.
 * Here `npm start` (a child process, as the crash suites run it: an in-process runtime stops gracefully, letting the
 * retry reach its wait first) is killed with SIGKILL while the retry's request hangs, or while the first request still
 * hangs (the decision was lost the same way), then started again on the same data directory.
 */
const PULL = 1;
const POLL_MS = 50;
/** The pull request comment's API: listed, written, rewritten. */
const COMMENTS = /\/issues\/(\d+\/)?comments(\/\d+)?$/;

async function until(url: string, id: string, done: (incident: Incident & Record<string, any>) => boolean, ms: number): Promise<(Incident & Record<string, any>) | null> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(POLL_MS)) {
    const incident = (await incidentOf(url, id)) as Incident & Record<string, any>;
    if (done(incident)) return incident;
  }
  return null;
}

/**
 * A pull request's network failure whose re-run waits for approval, approved while its request's comment POST is held;
 * with `requestFails`, that POST then fails (502, no retry of its own) and the state machine's retry, on a new token,
 * hangs on GitHub. `npm start` is then killed and started again: the incident 90 s after the restart, at most.
 */
async function approvedMidRequestThenKilled(requestFails: boolean, cleanup: Array<() => Promise<unknown>>) {
  const github = await FakeGitHub.start();
  cleanup.push(() => github.close());
  await serveFailures(github, true);
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-mid-request-'));
  cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
  const env = crashPointEnv(github, RERUNS_NEED_APPROVAL, { RECONCILE_INTERVAL_SECONDS: '86400', GITHUB_RETRIES: '0' });
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  // The request's comment is stored, and its answer held: the request is still running when the command comes.
  github.fail({ method: 'POST', route: /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/, kind: 'reply', reply: { status: 502, body: { message: 'Bad Gateway' } }, afterApplying: true, heldUntil: held });
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  cleanup.push(() => (release(), stopBoth(first, second)));
  const started = await startChild(dataDir, env, await localRuntimeEntry());
  first = started.child;
  const id = String((await post(started.url, failure(PULL, true))).body.incidentId);
  const asked = await until(started.url, id, (i) => i.approval?.status === 'pending', 30_000);
  // On-call answers the request they read on the pull request: its comment is posted (here: received and held) after
  // the request has written the incident pending and then the pull request's index of waiting proposals. A command
  // sent as soon as the incident reads pending could come between those two writes and be told "nothing is waiting"
  // (409), as it was once on a loaded machine.
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(POLL_MS)) {
    if (github.requests.some((r) => r.method === 'POST' && COMMENTS.test(r.route))) break;
  }
  const answered = await post(started.url, commandComment(PULL, `/guard approve ${id}`, 'maintainer', 91_001, 'mid-request-approve'));
  const approved = await until(started.url, id, (i) => i.approval?.status === 'approved', 10_000);
  let retried = null;
  if (requestFails) {
    for (const method of ['GET', 'POST', 'PATCH']) github.fail({ method, route: COMMENTS, kind: 'hang', times: Number.POSITIVE_INFINITY });
    release();
    // The retry asks anew: its request wrote the approval pending again (its token the retry's), then hung.
    retried = await until(started.url, id, (i) => i.approval?.status === 'pending', 20_000);
  }
  first.kill('SIGKILL');
  await exited(first);
  github.clearFaults();
  const restarted = await startChild(dataDir, env, await localRuntimeEntry());
  second = restarted.child;
  const applied = await until(restarted.url, id, (i) => i.decision?.applied === true, 90_000);
  const reruns = github.reruns.filter((r) => r.runId === (failure(PULL, true).body.workflow_run as { id: number }).id).length;
  return { asked, answered, approved, retried, applied, reruns };
}

describe('npm start killed after it took a /guard decision while the approval request still ran', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it("answers the retry's wait after the restart when it was killed between the request's failure and the retry's wait", async () => {
    const { asked, answered, approved, retried, applied, reruns } = await approvedMidRequestThenKilled(true, cleanup);

    // Assert: the command was taken; after the restart the retry's wait got it as its answer, and the re-run was made
    // once.
    expect(asked).not.toBeNull();
    expect(answered.status).toBe(202);
    expect(approved?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer' });
    expect(retried).not.toBeNull();
    expect(applied).toMatchObject({ decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(reruns).toBe(1);
  }, 180_000);

  it('answers the resumed wait after the restart when it was killed while the request still ran', async () => {
    const { answered, approved, applied, reruns } = await approvedMidRequestThenKilled(false, cleanup);

    expect(answered.status).toBe(202);
    expect(approved?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer' });
    expect(applied).toMatchObject({ decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(reruns).toBe(1);
  }, 180_000);
});
