/**
 * `npm run chaos`: the reliability suite against the local runtime, with figures.
 *
 *   burst  N distinct signed failures (each its own pull request) at concurrency C, plus a redelivery of every
 *          tenth: accepted / notified / duplicated comments / lost / fallback e-mails.
 *   crash  a `npm start` child process killed with SIGKILL after half of a burst was accepted, restarted on the
 *          same GUARD_DATA_DIR: how many accepted incidents are notified, how long after the restart (median and
 *          last), and whether any pull request got a second comment.
 *   fuzz   hostile requests (odd targets, deep and broken JSON, random bytes, unsigned and mis-signed webhooks,
 *          malformed alarm events): how many answers were ≥ 500.
 *   crash-recovery   green runs queued for recovery, the runtime killed with SIGKILL mid-way and restarted: every
 *          accepted green run still resolves its incident (scripts/chaos-recoveries.ts).
 *   crash-points   the runtime killed with SIGKILL at one stage at a time (after the 202, classify, analyze, the re-run,
 *          the approval wait, the PR comment, a green run's "Fixed") and restarted: each failure notified, paged and
 *          commented (and resolved and said fixed) exactly as without the crash (scripts/chaos-crash-points.ts); then on the fallbacks' paths (before the reconciler's
 *          notify-failed page, inside a claimed page before and after its publish, the reconciler's start of a deferred
 *          incident), concurrent duplicate deliveries and votes (scripts/chaos-crash-fallbacks.ts).
 *   github-500, github-403, github-hang, model-500, model-hang   fault injection (scripts/chaos-faults.ts).
 *   budget N distinct failures in token mode against a local fake of the GitHub API with a small write budget
 *          (CHAOS_BUDGET_BURST, CHAOS_BUDGET_PER_MINUTE): comments posted at once / pending / posted later,
 *          escalations and fallback e-mails. Its Wait states really wait (the budget is a real minute window).
 *
 * Reproducible: the fuzz round is seeded (CHAOS_SEED), sizes come from CHAOS_BURST, CHAOS_CRASH, CHAOS_FUZZ.
 * Exits non-zero when anything was lost or duplicated, the crash test misses its 2 minutes, or any answer was ≥ 500.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENTS_DIR, type RecordedWebhook, loadWebhook, readOutbox, signWebhook } from '../infra/local/replay.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { startChild } from './chaos-child.js';
import { faultSuites, notifyFellBack } from './chaos-faults.js';
import { crashPointSuites } from './chaos-crash-points.js';
import { pollJson } from './chaos-poll.js';
import { recoverySuites } from './chaos-recoveries.js';
import { checkChosenNames, exitOnUnknownPart } from './chosen-names.js';

const SECRET = 'chaos-secret';
const BURST = Number(process.env.CHAOS_BURST ?? 1000);
const CRASH = Number(process.env.CHAOS_CRASH ?? 200);
const FUZZ = Number(process.env.CHAOS_FUZZ ?? 5000);
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 20);
const SEED = Number(process.env.CHAOS_SEED ?? 12);
const env = { ...process.env, GITHUB_TOKEN: undefined, GITHUB_APP_ID: undefined, GITHUB_WEBHOOK_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: 'SILENT' };

/** The sample failure as run `runId` on pull request `pr`: a distinct incident with its own comment. */
function failure(runId: number, pr: number): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = runId;
  run.workflow_id = runId;
  // A pull request of this repository (ingest drops pull requests whose base is another repository's).
  const repo = { id: (webhook.body.repository as { id: number }).id, name: (webhook.body.repository as { name: string }).name };
  run.pull_requests = [{ number: pr, head: { ref: 'x', sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  webhook.headers['x-github-delivery'] = `chaos-${runId}`;
  return webhook;
}

async function post(baseUrl: string, webhook: RecordedWebhook) {
  const signed = signWebhook(webhook, SECRET);
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as { incidentId?: string; duplicate?: boolean } };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

/** Comments the outbox records as created, and how many of them were a pull request's second or later. */
function commentsCreated(outbox: Array<Record<string, unknown>>): { created: number; duplicated: number } {
  const perTarget = new Map<string, number>();
  for (const entry of outbox) {
    if (entry.kind === 'github_comment' && entry.outcome === 'created') perTarget.set(String(entry.target), (perTarget.get(String(entry.target)) ?? 0) + 1);
  }
  const counts = [...perTarget.values()];
  return { created: counts.reduce((a, b) => a + b, 0), duplicated: counts.reduce((sum, n) => sum + Math.max(0, n - 1), 0) };
}

async function burst() {
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-chaos-burst-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, retryDelayMs: 50, env });
  const started = Date.now();
  const accepted = new Set<string>();
  let duplicates = 0;
  let errors = 0;
  try {
    const deliveries = Array.from({ length: BURST }, (_, i) => failure(800_000 + i, 10_000 + i));
    // GitHub's redelivery of every tenth delivery, mixed into the burst.
    const redeliveries = deliveries.filter((_, i) => i % 10 === 0);
    await pool([...deliveries, ...redeliveries], CONCURRENCY, async (webhook) => {
      const response = await post(runtime.url, webhook);
      if (response.status !== 202) errors += 1;
      else if (response.body.duplicate) duplicates += 1;
      else accepted.add(String(response.body.incidentId));
    });
    await runtime.idle();
    let notified = 0;
    let notifyFailed = 0;
    for (const id of accepted) {
      const incident = await runtime.incidents.get(id);
      if (incident?.status === 'notified') notified += 1;
      if (incident && notifyFellBack(incident)) notifyFailed += 1;
    }
    const outbox = await readOutbox(runtime.outboxPath);
    const { created, duplicated } = commentsCreated(outbox);
    const result = {
      sent: BURST, redelivered: redeliveries.length, accepted: accepted.size, answeredDuplicate: duplicates, errors, notified,
      commentsCreated: created, duplicated, lost: accepted.size - notified, notifyFailed,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    console.log(`burst: ${JSON.stringify(result)}`);
    return result.lost === 0 && result.duplicated === 0 && result.errors === 0 && result.notifyFailed === 0 && result.accepted === BURST;
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const BUDGET_BURST = Number(process.env.CHAOS_BUDGET_BURST ?? 60);
const BUDGET_PER_MINUTE = Number(process.env.CHAOS_BUDGET_PER_MINUTE ?? 20);

/**
 * A burst larger than the write budget: every comment must end posted (at once or after waiting for the budget),
 * with no escalation and no fallback e-mail caused by the budget alone. Token mode against the fake GitHub API,
 * so the real client, the shared write budget and the Wait state are what is measured.
 */
async function budget() {
  const { FakeGitHub, FAKE_TOKEN, BOT_LOGIN } = await import('../test/support/fake-github.js');
  const { readFile } = await import('node:fs/promises');
  const github = await FakeGitHub.start();
  // Every other failure is a network error the guard re-runs: re-runs draw from the same budget.
  const logs = await Promise.all(['github-actions-jest-failure.log', 'github-actions-npm-network-failure.log'].map((name) => readFile(join(EVENTS_DIR, 'logs', name), 'utf8')));
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-chaos-budget-'));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    retryDelayMs: 50,
    env: {
      ...env,
      GITHUB_TOKEN: FAKE_TOKEN,
      GITHUB_API_URL: github.baseUrl,
      GITHUB_BOT_LOGIN: BOT_LOGIN,
      GITHUB_RETRIES: '0',
      GITHUB_WRITE_INTERVAL_MS: '0',
      GITHUB_WRITES_PER_MINUTE: String(BUDGET_PER_MINUTE),
    },
  });
  const started = Date.now();
  const accepted = new Set<string>();
  try {
    const deliveries = Array.from({ length: BUDGET_BURST }, (_, i) => {
      const runId = 700_000 + i;
      github.jobs.set(`${runId}/1`, [{ id: 70_000_000 + i, name: 'test (node 22)', conclusion: 'failure' }]);
      github.logs.set(70_000_000 + i, { content: logs[i % 2] as string });
      github.runs.set(runId, { status: 'completed', run_attempt: 1 });
      return failure(runId, 30_000 + i);
    });
    await pool(deliveries, CONCURRENCY, async (webhook) => {
      const response = await post(runtime.url, webhook);
      if (response.status === 202 && !response.body.duplicate) accepted.add(String(response.body.incidentId));
    });
    const acceptedAfter = (Date.now() - started) / 1000;
    await runtime.idle();
    const seconds = (Date.now() - started) / 1000;
    let postedAtOnce = 0;
    let postedLater = 0;
    let stillPending = 0;
    let notified = 0;
    let notifyFailed = 0;
    let rerunsWaited = 0;
    const waitedSeconds: number[] = [];
    for (const id of accepted) {
      const incident = await runtime.incidents.get(id);
      if (incident?.status === 'notified') notified += 1;
      if (incident && notifyFellBack(incident)) notifyFailed += 1;
      const comments = (incident?.notifications ?? []).filter((n) => n.channel === 'github_comment');
      const pending = comments.find((n) => n.outcome === 'pending');
      const posted = comments.find((n) => n.outcome === 'created' || n.outcome === 'updated' || n.outcome === 'unchanged');
      if (incident?.commentPending) stillPending += 1;
      if (incident?.history.some((h) => h.event === 'rerun_waits_for_budget')) rerunsWaited += 1;
      if (posted && !pending) postedAtOnce += 1;
      if (posted && pending) {
        postedLater += 1;
        waitedSeconds.push((Date.parse(posted.at) - Date.parse(pending.at)) / 1000);
      }
    }
    const outbox = await readOutbox(runtime.outboxPath);
    const escalations = outbox.filter((e) => e.kind === 'escalation');
    const commentsOnGitHub = [...github.comments.values()].reduce((sum, list) => sum + list.length, 0);
    const result = {
      sent: BUDGET_BURST, writesPerMinute: BUDGET_PER_MINUTE, accepted: accepted.size, notified,
      postedAtOnce, pendingThenPostedLater: postedLater, stillPending, commentsOnGitHub, reruns: github.reruns.length, rerunsWaited,
      escalations: escalations.length, notifyFailed,
      longestWaitSeconds: Math.round(Math.max(0, ...waitedSeconds)),
      acceptedAfterSeconds: Math.round(acceptedAfter * 10) / 10,
      seconds: Math.round(seconds * 10) / 10,
    };
    console.log(`budget: ${JSON.stringify(result)}`);
    return (
      result.accepted === BUDGET_BURST && notified === accepted.size && stillPending === 0 && commentsOnGitHub === accepted.size &&
      postedAtOnce + postedLater === accepted.size && escalations.length === 0 && notifyFailed === 0
    );
  } finally {
    await runtime.close();
    await github.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function crash() {
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-chaos-crash-'));
  const accepted = new Set<string>();
  const killAfter = Math.ceil(CRASH / 2);
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    const started = await startChild(dataDir, env);
    first = started.child;
    const deliveries = Array.from({ length: CRASH }, (_, i) => failure(900_000 + i, 20_000 + i));
    let killed = false;
    await pool(deliveries, CONCURRENCY, async (webhook) => {
      if (killed) return;
      try {
        const response = await post(started.url, webhook);
        if (response.status === 202 && !response.body.duplicate) accepted.add(String(response.body.incidentId));
      } catch {
        // The connection died with the process: not accepted, GitHub would redeliver.
      }
      if (!killed && accepted.size >= killAfter) {
        killed = true;
        first?.kill('SIGKILL');
      }
    });
    await new Promise((resolveExit) => (first?.exitCode !== null || first?.signalCode ? resolveExit(null) : first?.once('exit', resolveExit)));
    const restartedAt = Date.now();
    const restarted = await startChild(dataDir, env);
    second = restarted.child;
    const pending = new Set(accepted);
    /** Seconds from the restart to each accepted incident's notification (as polled, every 500 ms). */
    const notifiedAfter: number[] = [];
    const deadline = restartedAt + 120_000;
    while (pending.size > 0 && Date.now() < deadline) {
      for (const id of [...pending]) {
        const incident = await pollJson<{ status?: string }>(`${restarted.url}/incidents/${id}`);
        if (incident.status === 'notified') {
          pending.delete(id);
          notifiedAfter.push((Date.now() - restartedAt) / 1000);
        }
      }
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
    }
    const { created, duplicated } = commentsCreated(await readOutbox(join(dataDir, 'outbox.jsonl')));
    const seconds = (value: number | undefined) => Math.round((value ?? Number.NaN) * 10) / 10;
    notifiedAfter.sort((a, b) => a - b);
    const result = {
      sent: CRASH, acceptedBeforeKill: accepted.size, notifiedAfterRestart: accepted.size - pending.size, lost: pending.size,
      commentsCreated: created, duplicated,
      // The incidents whose comment was mid-creation at the kill wait out the comment slot's lease: the tail.
      medianSecondsAfterRestart: seconds(notifiedAfter[Math.floor(notifiedAfter.length / 2)]),
      secondsAfterRestart: seconds((Date.now() - restartedAt) / 1000),
    };
    console.log(`crash: ${JSON.stringify(result)}`);
    return pending.size === 0 && duplicated === 0;
  } finally {
    first?.kill('SIGKILL');
    second?.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Deterministic pseudo-random numbers (mulberry32), so a fuzz round can be replayed with the same CHAOS_SEED. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function raw(port: number, method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.on('error', () => resolveStatus(0));
    req.end(body);
  });
}

async function fuzz() {
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-chaos-fuzz-'));
  const runtime = await startLocalRuntime({ dataDir, port: 0, retryDelayMs: 0, env });
  const next = random(SEED);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)] as T;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(next() * 256)));
  const alarm = JSON.parse(JSON.stringify((await import('../events/cloudwatch/alarm-state-alarm.json', { with: { type: 'json' } })).default)) as Record<string, any>;
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const statuses = new Map<number, number>();
  const over500: string[] = [];
  try {
    const cases = Array.from({ length: FUZZ }, (_, i) => i);
    await pool(cases, CONCURRENCY, async (i) => {
      const kind = pick(['path', 'deep', 'bytes', 'unsigned', 'missigned', 'alarm', 'signed-junk', 'method']);
      let method = 'POST';
      let path = '/webhooks/github';
      let body: string | Buffer | undefined;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (kind === 'path') {
        method = pick(['GET', 'POST', 'DELETE']);
        path = pick(['//', '///', '//incidents', '/%', '/%ff%fe', '/incidents/%00', `/incidents/${'x'.repeat(Math.floor(next() * 3000))}`, '/..%2f..', '/metrics/a/b/c', '/knowledge?q=%ff', '/experiments/%zz', '/gates/evaluate']);
      } else if (kind === 'deep') {
        path = pick(['/events/cloudwatch', '/webhooks/github']);
        body = deep(1000 + Math.floor(next() * 100_000));
      } else if (kind === 'bytes') {
        path = pick(['/events/cloudwatch', '/webhooks/github', '/gates/evaluate', '/experiments']);
        body = bytes(Math.floor(next() * 4096));
      } else if (kind === 'unsigned') {
        body = JSON.stringify({ action: 'completed', workflow_run: { id: i } });
        headers['x-github-event'] = 'workflow_run';
      } else if (kind === 'missigned') {
        body = JSON.stringify(loadWebhook('workflow_run-failure').body);
        headers['x-github-event'] = 'workflow_run';
        headers['x-hub-signature-256'] = `sha256=${bytes(32).toString('hex')}`;
      } else if (kind === 'alarm') {
        path = '/events/cloudwatch';
        const event = structuredClone(alarm);
        const mutation = pick(['state', 'detail', 'resources', 'timestamp', 'name', 'extra']);
        if (mutation === 'state') event.detail.state.value = pick(['ALARM', 'OK', 'INSUFFICIENT_DATA', 42, null, 'x'.repeat(100)]);
        if (mutation === 'detail') event.detail = pick([null, [], 'x', { alarmName: '' }]);
        if (mutation === 'resources') event.resources = pick([null, [1, 2], ['x'.repeat(5000)]]);
        if (mutation === 'timestamp') event.detail.state.timestamp = pick(['', 'not a date', `${i}`]);
        if (mutation === 'name') event.detail.alarmName = pick(['', 'a'.repeat(300), '\u0000', `fuzz-${i}`]);
        if (mutation === 'extra') event.detail.configuration = { metrics: Array.from({ length: 30 }, () => ({})) };
        body = JSON.stringify(event);
      } else if (kind === 'signed-junk') {
        const payload = pick([{}, { action: 'completed' }, { workflow_run: null }, { check_run: { app: {} } }, [], 'x', { action: 'completed', workflow_run: { id: -1 } }]);
        const webhook = { headers: { 'x-github-event': pick(['workflow_run', 'check_run', 'issue_comment', 'workflow_job', 'ping', 'zz']) }, body: payload as Record<string, unknown> };
        const signed = signWebhook(webhook as RecordedWebhook, SECRET);
        Object.assign(headers, signed.headers);
        body = signed.body;
      } else {
        method = pick(['PUT', 'PATCH', 'OPTIONS', 'GET']);
        path = pick(['/webhooks/github', '/events/cloudwatch', '/incidents', '/healthz']);
      }
      const status = await raw(runtime.port, method, path, headers, body);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500 || status === 0) over500.push(`${kind} ${method} ${path} → ${status}`);
    });
    await runtime.idle();
    const result = { requests: FUZZ, seed: SEED, atLeast500: over500.length, statuses: Object.fromEntries([...statuses].sort()) };
    console.log(`fuzz: ${JSON.stringify(result)}`);
    for (const line of over500.slice(0, 10)) console.log(`  ${line}`);
    return over500.length === 0;
  } finally {
    await runtime.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const only = process.argv.slice(2);
const suites = { burst, crash, fuzz, budget, ...recoverySuites, ...crashPointSuites, ...faultSuites };
try {
  checkChosenNames(only, Object.keys(suites), 'part');
} catch (error) {
  exitOnUnknownPart(error);
}
let ok = true;
for (const [name, suite] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  ok = (await suite()) && ok;
}
process.exit(ok ? 0 : 1);
