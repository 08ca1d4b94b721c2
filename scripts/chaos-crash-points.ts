/**
 * `npm run chaos -- crash-points`: `npm start` (its entry point, a child process) killed with SIGKILL at one moment of
 * the pipeline, then started again on the same GUARD_DATA_DIR, for each moment in turn:
 *
 *   after-202   right after the last delivery was answered 202
 *   classify    while the job listings hang (the task slots full of classify calls)
 *   analyze     while the model hangs
 *   remediate   while the automatic re-run POSTs hang after GitHub applied them (network failures)
 *   approval    once every proposal waits for approval (e-mailed for pushes, on the PR comment for pull requests)
 *   notify      while the PR comment POSTs hang after GitHub stored them
 *   recovery    pull request failures notified, then their green runs recorded while the comments' PATCHes (the
 *               "Fixed") hang: the incidents are written resolved before them, so the restart's redelivered
 *               recoveries must finish every incident's follow-ups (its `recovery_followed_up`) and say "Fixed" on
 *               every pull request, in its one comment
 *
 * Half of each batch are pushes to main (no pull request, and a GitHub App that may not comment on commits: a failure
 * pages on-call, a distinct problem each), half
 * pull request failures (a comment each, no page). The runtime talks to the fake GitHub REST API and fake model of
 * the tests. After the restart every accepted failure must end notified (for `approval`: the pushes' proposals asked
 * once by e-mail and still waiting, the pull requests' approved with `/guard approve` and applied), with exactly one
 * page per push failure that needs a human, one comment per pull request, at most one re-run per run and nothing
 * else; and the repository's metrics must count each accepted failure once as an incident seen (the learning loop's
 * counts, whatever delivery the kill interrupted: shared/stores/count-marks.ts). Then the moments of the fallbacks, the escalation ledger, redeliveries and votes
 * (scripts/chaos-crash-fallbacks.ts). Size: CHAOS_CRASH_POINT_FAILURES (default 12); CHAOS_CRASH_POINTS=classify,notify runs some of the moments.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub } from '../test/support/fake-github.js';
import { FakeModel } from '../test/support/fake-model.js';
import { exited, startChild, stopBoth } from './chaos-child.js';
import { FALLBACK_POINTS, type FallbackPoint, crashAtFallback } from './chaos-crash-fallbacks.js';
import {
  DEADLINE_MS, FAILURES, type Incident, PR_BASE, RERUNS_NEED_APPROVAL, RUN_BASE, SLOTS, asked, commandComment, crashPointEnv, failure, green, incidentOf, isPush, leftByBatch, post,
  repositoryCounts, serveFailures, sleep, waitUntil,
} from './chaos-crash-batch.js';

type Point = 'after-202' | 'classify' | 'analyze' | 'remediate' | 'approval' | 'notify' | 'recovery';

async function crashAt(point: Point): Promise<boolean> {
  const github = await FakeGitHub.start();
  const model = await FakeModel.start();
  model.answer = () => ({ rootCause: 'A unit test assertion failed.', fix: ['Fix the assertion.'], confidence: 0.7, proposedAction: 'comment_only' });
  await serveFailures(github, point === 'remediate' || point === 'approval');
  const dataDir = await mkdtemp(join(tmpdir(), `guard-chaos-crash-${point}-`));
  const env = crashPointEnv(
    github,
    point === 'approval' ? RERUNS_NEED_APPROVAL : {},
    point === 'analyze' ? { ANALYZER: 'openai', LLM_BASE_URL: model.baseUrl, LLM_MODEL: 'chaos-model', LLM_API_KEY: 'chaos-key' } : {},
  );
  const onlyPullRequests = point === 'notify' || point === 'recovery';
  const hung = (route: RegExp, method = 'GET') => github.requests.filter((r) => r.method === method && route.test(r.route)).length;
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    if (point === 'classify') github.fail({ method: 'GET', route: /\/jobs$/, kind: 'hang', times: Infinity });
    if (point === 'analyze') model.fail({ kind: 'hang', times: FAILURES * 10 });
    if (point === 'remediate') github.fail({ method: 'POST', route: /\/rerun-failed-jobs$/, kind: 'hang', afterApplying: true, times: Infinity });
    if (point === 'notify') github.fail({ method: 'POST', route: /\/issues\/\d+\/comments$/, kind: 'hang', afterApplying: true, times: Infinity });
    const started = await startChild(dataDir, env);
    first = started.child;
    const ids: string[] = [];
    for (let i = 0; i < FAILURES; i++) {
      const response = await post(started.url, failure(i, onlyPullRequests));
      if (response.status === 202 && response.body.incidentId) ids.push(response.body.incidentId);
    }
    if (point === 'recovery') {
      const notified = await waitUntil(started.url, ids, (i) => i.status === 'notified', Date.now() + DEADLINE_MS);
      if (notified.length > 0) throw new Error(`${notified.length} failures were never notified before their green runs`);
      github.fail({ method: 'PATCH', route: /\/issues\/comments\/\d+$/, kind: 'hang', times: Infinity });
      for (let i = 0; i < FAILURES; i++) await post(started.url, green(i));
    }
    const reached: Record<Exclude<Point, 'after-202' | 'approval'>, () => boolean> = {
      classify: () => hung(/\/jobs$/) >= Math.min(FAILURES, SLOTS),
      analyze: () => model.faultsServed >= Math.min(FAILURES, SLOTS),
      remediate: () => hung(/\/rerun-failed-jobs$/, 'POST') >= Math.min(FAILURES, SLOTS),
      notify: () => hung(/\/issues\/\d+\/comments$/, 'POST') >= Math.min(FAILURES, SLOTS),
      // The queue delivers a few recoveries at once: killed once one of them hangs in its comment's rewrite.
      recovery: () => hung(/\/issues\/comments\/\d+$/, 'PATCH') >= 1,
    };
    const cutAt = Date.now() + 60_000;
    if (point === 'approval') await waitUntil(started.url, ids, asked, cutAt);
    else if (point !== 'after-202') while (!reached[point]() && Date.now() < cutAt) await sleep(20);
    first.kill('SIGKILL');
    await exited(first);
    github.clearFaults();
    model.fail({ kind: 'error', times: 0 });

    const restartedAt = Date.now();
    const restarted = await startChild(dataDir, env);
    second = restarted.child;
    // A recovery writes the incident resolved first and its follow-ups (the "Fixed" comment among them) after: resolved
    // alone is not the end of it.
    const ended =
      point === 'recovery'
        ? (i: Incident) => i.status === 'resolved' && (i.history ?? []).some((entry) => entry.event === 'recovery_followed_up')
        : (i: Incident) => i.status === 'notified' || i.status === 'resolved';
    let lost = await waitUntil(restarted.url, ids, point === 'approval' ? asked : ended, restartedAt + DEADLINE_MS);
    const pullRequest = (i: number) => onlyPullRequests || !isPush(i);
    if (point === 'approval') {
      // A resumed execution asks again from its first state: on the pull request the comment is written once more (a
      // notification more). Approved before that, the command finds no waiting task and is told the approval expired.
      const pullIds = ids.filter((_, i) => pullRequest(i));
      lost = [...lost, ...(await waitUntil(restarted.url, pullIds, (i) => (i.notifications ?? []).length > 1, Date.now() + DEADLINE_MS))];
      // The pull requests' proposals are approved where their authors see them; the pushes' stay with on-call.
      for (const [i, id] of ids.entries()) if (pullRequest(i)) await post(restarted.url, commandComment(i, `/guard approve ${id}`, 'maintainer', 90_000 + i, `chaos-approve-${i}`));
      lost = [...lost, ...(await waitUntil(restarted.url, pullIds, (i) => i.status === 'notified', Date.now() + DEADLINE_MS))];
    }

    const { pages, pagesOf, commentsOn, rerunsOf } = await leftByBatch(dataDir, github);
    const counted = await repositoryCounts(dataDir);
    // Who must hear: a push failure that needs a human pages once (approval: the request); while our re-run is under
    // way, nobody.
    const expectedPages = point === 'remediate' ? 0 : 1;
    const pushes = ids.filter((_, i) => !pullRequest(i));
    const pulls = ids.map((_, i) => i).filter(pullRequest);
    const result = {
      point,
      accepted: ids.length,
      ended: ids.length - lost.length,
      lost: lost.length,
      pushes: pushes.length,
      pagedAsExpected: pushes.filter((id) => pagesOf(id) === expectedPages).length,
      pages: pages.length,
      pullRequests: pulls.length,
      commentedOnce: pulls.filter((i) => commentsOn(i) === 1).length,
      comments: pulls.reduce((sum, i) => sum + commentsOn(i), 0),
      saidFixed: pulls.filter((i) => (github.comments.get(PR_BASE + i) ?? []).some((c) => c.body.includes(`Fixed in run ${RUN_BASE + FAILURES + i}`))).length,
      reruns: github.reruns.length,
      runsRerunTwice: ids.filter((_, i) => rerunsOf(i) > 1).length,
      countedSeen: counted.incidents,
      marksLeft: counted.marks,
      secondsAfterRestart: Math.round((Date.now() - restartedAt) / 100) / 10,
    };
    console.log(`crash-points: ${JSON.stringify(result)}`);
    const passed = lost.length === 0 && result.pagedAsExpected === pushes.length && pages.length === pushes.length * expectedPages &&
      result.commentedOnce === pulls.length && result.runsRerunTwice === 0 && (point !== 'recovery' || result.saidFixed === pulls.length) &&
      counted.incidents === ids.length;
    if (!passed) {
      // What each incident ended with, to read what went wrong.
      for (const [i, id] of ids.entries()) {
        const incident = (await incidentOf(restarted.url, id)) as Incident & { decision?: { action: string; reason?: string; result?: string } };
        const where = pullRequest(i) ? `PR #${PR_BASE + i} (${commentsOn(i)} comments)` : `push (${pagesOf(id)} pages)`;
        console.log(`  ${id} ${where} ${incident.status} re-runs ${rerunsOf(i)} ${incident.decision?.action ?? '-'}: ${incident.decision?.result ?? ''} (${incident.decision?.reason ?? ''})`);
      }
    }
    return passed;
  } finally {
    await stopBoth(first, second);
    await github.close();
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const POINTS: readonly Point[] = ['after-202', 'classify', 'analyze', 'remediate', 'approval', 'notify', 'recovery'];

async function crashPoints(): Promise<boolean> {
  const all: readonly string[] = [...POINTS, ...FALLBACK_POINTS];
  const chosen = process.env.CHAOS_CRASH_POINTS?.split(',') ?? all;
  const unknown = chosen.filter((point) => !all.includes(point));
  if (unknown.length > 0) throw new Error(`unknown crash point ${unknown.join(', ')}: one of ${all.join(', ')}`);
  let ok = true;
  for (const point of chosen) {
    const passed = POINTS.includes(point as Point) ? await crashAt(point as Point) : await crashAtFallback(point as FallbackPoint);
    ok = passed && ok;
  }
  return ok;
}

export const crashPointSuites = { 'crash-points': crashPoints };
