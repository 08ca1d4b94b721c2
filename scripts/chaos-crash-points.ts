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
 *
 * Half of each batch are pushes to main (no pull request: a failure pages on-call, a distinct problem each), half
 * pull request failures (a comment each, no page). The runtime talks to the fake GitHub REST API and fake model of
 * the tests. After the restart every accepted failure must end notified (for `approval`: the pushes' proposals asked
 * once by e-mail and still waiting, the pull requests' approved with `/guard approve` and applied), with exactly one
 * page per push failure that needs a human, one comment per pull request, at most one re-run per run and nothing
 * else. Size: CHAOS_CRASH_POINT_FAILURES (default 12); CHAOS_CRASH_POINTS=classify,notify runs some of the moments.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RecordedWebhook, loadWebhook, readOutbox, signWebhook } from '../infra/local/replay.js';
import { BOT_LOGIN, FakeGitHub } from '../test/support/fake-github.js';
import { FakeModel } from '../test/support/fake-model.js';
import { exited, startChild } from './chaos-child.js';
import { againstFakeGitHub } from './chaos-faults.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SECRET = 'chaos-crash-point-secret';
const FAILURES = Number(process.env.CHAOS_CRASH_POINT_FAILURES ?? 12);
/** The local runtime's task slots: at most this many calls of one stage hang at once, the rest queue behind them. */
const SLOTS = 8;
const RUN_BASE = 970_000;
const JOB_BASE = 8_000_000;
const PR_BASE = 50_000;
const DEADLINE_MS = 180_000;
const REPOSITORY = 'acme-shop/checkout-service';

type Point = 'after-202' | 'classify' | 'analyze' | 'remediate' | 'approval' | 'notify';

interface Incident {
  status?: string;
  notifications?: Array<{ channel: string; outcome: string }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const isPush = (i: number) => i % 2 === 0;

/** Failure `i`: a push to main (even `i`) or a pull request's run (odd `i`), of its own workflow. */
function failure(i: number, onlyPullRequests: boolean): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = RUN_BASE + i;
  run.workflow_id = RUN_BASE + i;
  if (isPush(i) && !onlyPullRequests) {
    Object.assign(run, { event: 'push', head_branch: 'main', pull_requests: [] });
  } else {
    const repository = webhook.body.repository as { id: number; name: string };
    const repo = { id: repository.id, name: repository.name };
    run.pull_requests = [{ number: PR_BASE + i, head: { ref: `b${i}`, sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  }
  webhook.headers['x-github-delivery'] = `chaos-crash-point-${i}`;
  return webhook;
}

function approveComment(i: number, incidentId: string): RecordedWebhook {
  const repository = loadWebhook('workflow_run-failure').body.repository as Record<string, unknown>;
  return {
    headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': `chaos-approve-${i}` },
    body: {
      action: 'created',
      issue: { number: PR_BASE + i, pull_request: { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${PR_BASE + i}` } },
      comment: { id: 90_000 + i, body: `/guard approve ${incidentId}`, user: { login: 'maintainer', type: 'User' }, author_association: 'OWNER' },
      repository,
    },
  };
}

async function post(url: string, webhook: RecordedWebhook) {
  const signed = signWebhook(webhook, SECRET);
  const response = await fetch(`${url}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as { incidentId?: string } };
}

async function incidentOf(url: string, id: string): Promise<Incident> {
  return (await (await fetch(`${url}/incidents/${id}`)).json()) as Incident;
}

/** Polls until `done` holds for every id or the deadline passes; the ids it never held for. */
async function waitUntil(url: string, ids: string[], done: (incident: Incident) => boolean, deadline: number): Promise<string[]> {
  let pending = [...ids];
  while (pending.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(pending.map((id) => incidentOf(url, id)));
    pending = pending.filter((_, k) => !done(states[k] as Incident));
    if (pending.length > 0) await sleep(250);
  }
  return pending;
}

const asked = (incident: Incident) => incident.status === 'awaiting_approval' && (incident.notifications ?? []).length > 0;

async function crashAt(point: Point): Promise<boolean> {
  const github = await FakeGitHub.start();
  const model = await FakeModel.start();
  model.answer = () => ({ rootCause: 'A unit test assertion failed.', fix: ['Fix the assertion.'], confidence: 0.7, proposedAction: 'comment_only' });
  github.login = BOT_LOGIN;
  github.permissions.set('maintainer', 'write');
  const networkFailures = point === 'remediate' || point === 'approval';
  const log = await readFile(join(root, 'events', 'logs', networkFailures ? 'github-actions-npm-network-failure.log' : 'github-actions-jest-failure.log'), 'utf8');
  for (let i = 0; i < FAILURES; i++) {
    github.runs.set(RUN_BASE + i, { status: 'completed', run_attempt: 1 });
    github.jobs.set(`${RUN_BASE + i}/1`, [{ id: JOB_BASE + i, name: 'test', conclusion: 'failure' }]);
    // A distinct failing test or network error per run: distinct problems, each of which pages once (letters: the
    // fingerprint masks numbers).
    const name = [...String(i)].map((digit) => String.fromCharCode(97 + Number(digit))).join('');
    github.logs.set(JOB_BASE + i, { content: log.replaceAll('applies the discount', `applies discount ${name}`).replaceAll('network aborted', `network aborted ${name}`) });
  }
  const dataDir = await mkdtemp(join(tmpdir(), `guard-chaos-crash-${point}-`));
  const env = {
    ...process.env,
    ...againstFakeGitHub(github),
    GITHUB_RERUNS_PER_MINUTE: '10000',
    GITHUB_WEBHOOK_SECRET: SECRET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The offline analyzer's verdict for a network failure is what an automatic re-run needs; the model's is capped.
    ...(point === 'analyze' ? { ANALYZER: 'openai', LLM_BASE_URL: model.baseUrl, LLM_MODEL: 'chaos-model', LLM_API_KEY: 'chaos-key' } : { ANALYZER: 'offline' }),
    RERUN_MIN_CONFIDENCE: '0.3',
    // Room for every failure's re-run in the hour: the crash, not the rate limit, is what is measured.
    POLICY_JSON: JSON.stringify({
      defaults: { rateLimits: { perHour: 1000, perDay: 1000 }, ...(point === 'approval' ? { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } : {}) },
    }),
  };
  const onlyPullRequests = point === 'notify';
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
    const reached: Record<Exclude<Point, 'after-202' | 'approval'>, () => boolean> = {
      classify: () => hung(/\/jobs$/) >= Math.min(FAILURES, SLOTS),
      analyze: () => model.faultsServed >= Math.min(FAILURES, SLOTS),
      remediate: () => hung(/\/rerun-failed-jobs$/, 'POST') >= Math.min(FAILURES, SLOTS),
      notify: () => hung(/\/issues\/\d+\/comments$/, 'POST') >= Math.min(FAILURES, SLOTS),
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
    let lost = await waitUntil(restarted.url, ids, point === 'approval' ? asked : (i) => i.status === 'notified' || i.status === 'resolved', restartedAt + DEADLINE_MS);
    const pullRequest = (i: number) => onlyPullRequests || !isPush(i);
    if (point === 'approval') {
      // A resumed execution asks again from its first state: on the pull request the comment is written once more (a
      // notification more). Approved before that, the command finds no waiting task and is told the approval expired.
      const pullIds = ids.filter((_, i) => pullRequest(i));
      lost = [...lost, ...(await waitUntil(restarted.url, pullIds, (i) => (i.notifications ?? []).length > 1, Date.now() + DEADLINE_MS))];
      // The pull requests' proposals are approved where their authors see them; the pushes' stay with on-call.
      for (const [i, id] of ids.entries()) if (pullRequest(i)) await post(restarted.url, approveComment(i, id));
      lost = [...lost, ...(await waitUntil(restarted.url, pullIds, (i) => i.status === 'notified', Date.now() + DEADLINE_MS))];
    }

    const pages = (await readOutbox(join(dataDir, 'outbox.jsonl'))).filter((e) => e.kind === 'escalation');
    const pagesOf = (id: string) => pages.filter((e) => String(e.message).includes(`Incident: ${id} `)).length;
    const commentsOn = (i: number) => (github.comments.get(PR_BASE + i) ?? []).length;
    const rerunsOf = (i: number) => github.reruns.filter((r) => r.runId === RUN_BASE + i).length;
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
      reruns: github.reruns.length,
      runsRerunTwice: ids.filter((_, i) => rerunsOf(i) > 1).length,
      secondsAfterRestart: Math.round((Date.now() - restartedAt) / 100) / 10,
    };
    console.log(`crash-points: ${JSON.stringify(result)}`);
    const passed = lost.length === 0 && result.pagedAsExpected === pushes.length && pages.length === pushes.length * expectedPages &&
      result.commentedOnce === pulls.length && result.runsRerunTwice === 0;
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
    first?.kill('SIGKILL');
    second?.kill('SIGTERM');
    await exited(second);
    await github.close();
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const POINTS: readonly Point[] = ['after-202', 'classify', 'analyze', 'remediate', 'approval', 'notify'];

async function crashPoints(): Promise<boolean> {
  const chosen = process.env.CHAOS_CRASH_POINTS?.split(',') ?? POINTS;
  const unknown = chosen.filter((point) => !POINTS.includes(point as Point));
  if (unknown.length > 0) throw new Error(`unknown crash point ${unknown.join(', ')}: one of ${POINTS.join(', ')}`);
  let ok = true;
  for (const point of chosen as Point[]) ok = (await crashAt(point)) && ok;
  return ok;
}

export const crashPointSuites = { 'crash-points': crashPoints };
