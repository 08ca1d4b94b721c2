/**
 * `npm run bench:local`: replays signed workflow-run failures at a fixed rate through `npm start`'s entry point
 * (a child process on a fresh GUARD_DATA_DIR) and prints what a team would feel and what the machine pays:
 *
 * - ingest p50/p99: POST /webhooks/github → 202;
 * - POST → notified p50/p95: POST sent → the runtime printing the pull-request comment (`[outbox] github_comment`);
 * - incidents/s: notified incidents over the time from the first POST to the last comment;
 * - the runtime's RSS (`/proc/<pid>/status`) and the data directory's size at every quarter of the run, so a leak
 *   shows as growth between the halves;
 * - the runtime's CPU time per notified incident (all its threads, `/proc/<pid>/stat`) and the machine's load
 *   average, since on a shared machine the latencies depend on what else runs;
 * - the three largest values in its store once it stopped: an item that grows with the incidents shows there.
 *
 * Every failure is its own pull request and run (a distinct incident), all of one repository, commit and job: the
 * storm a team's busiest repository makes, whose shared counters (its metrics, the failure's knowledge entry) every
 * incident writes. Job logs come from
 * `events/recorded-runs.json` (no GitHub token): the full pipeline runs, classify → analyze → notify.
 *
 * Options (environment): BENCH_RATE failures/s (20), BENCH_TOTAL failures (2000), BENCH_DRAIN_S seconds to wait
 * for the last notifications (120), BENCH_NODE_ARGS extra node flags for the runtime (`--cpu-prof
 * --cpu-prof-dir=/tmp/prof` profiles its main thread and store worker; node refuses them in NODE_OPTIONS),
 * BENCH_ROOT another checkout whose runtime to start (its `npm start` flags and sources; this bench's figures), to
 * compare two checkouts with the same measuring code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUTSIDE_FUNCTIONS } from '../infra/local/function-grants.js';
import { type RecordedWebhook, loadWebhook, signWebhook } from '../infra/local/replay.js';
import { CALLS_LINE, callsByFunctionOf } from '../infra/local/start-messages.js';

const root = resolve(process.env.BENCH_ROOT ?? fileURLToPath(new URL('..', import.meta.url)));
const SECRET = 'bench-secret';
const RATE = Number(process.env.BENCH_RATE ?? 20);
const TOTAL = Number(process.env.BENCH_TOTAL ?? 2000);
const DRAIN_S = Number(process.env.BENCH_DRAIN_S ?? 120);
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
/**
 * `npm start`'s environment and node flags (package.json: `NAME=value … tsx <flags> infra/local/main.ts`): the
 * runtime runs as npm start runs it. The caller's environment wins (`MALLOC_ARENA_MAX=16 npm run bench:local`
 * measures glibc's default on a 2-core machine).
 */
const START_TOKENS = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string).split(/\s+/);
const START_FLAGS = START_TOKENS.filter((token) => token.startsWith('--'));
const START_ENV = Object.fromEntries(
  START_TOKENS.slice(0, START_TOKENS.indexOf('tsx'))
    .map((token) => /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(token))
    .filter((match) => match !== null)
    .map((match) => [match[1] as string, match[2] as string]),
);

/**
 * The `count` largest values in the stopped runtime's LevelDB (dynalite's items and index entries), by size, with
 * their table and key: an item every incident rewrites and that grows with them (session 73: the count marks on a
 * repository's metrics, 120 KB after 3,000 failures) shows here long before the runtime falls behind.
 */
async function largestStoredItems(path: string, count: number): Promise<string> {
  const requireFromDynalite = createRequire(createRequire(join(root, 'package.json')).resolve('dynalite'));
  const { Level } = requireFromDynalite('level') as { Level: new (path: string, options: object) => { open(): Promise<void>; close(): Promise<void>; iterator(): AsyncIterable<[string, Buffer]> } };
  const db = new Level(path, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
  await db.open();
  const sizes: Array<[number, string]> = [];
  try {
    for await (const [key, value] of db.iterator()) {
      sizes.push([value.length, key]);
      sizes.sort((a, b) => b[0] - a[0]);
      sizes.length = Math.min(sizes.length, count);
    }
  } finally {
    await db.close();
  }
  // dynalite's keys: `item-<table>~<id>/<hex key parts>` and `index-global~<table>~<index>~<id>/<hex parts>`.
  const readable = (key: string) => {
    const [place = '', ...parts] = key.split('/');
    const where = place.replace(/^item-/, '').replace(/^index-global~/, '').replace(/~[0-9a-f]+$/, '');
    return `${where} ${parts.map((part) => Buffer.from(part, 'hex').toString('utf8')).join(' ').slice(0, 48).trim()}`;
  };
  return sizes.map(([size, key]) => `${(size / 1024).toFixed(1)} KB ${readable(key)}`).join('; ');
}

function failure(runId: number, pr: number): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = runId;
  run.workflow_id = runId;
  // The recorded pull request (its base repository is the run's own, so the runtime comments on it), renumbered.
  const [recorded] = run.pull_requests as Array<Record<string, unknown>>;
  run.pull_requests = [{ ...recorded, number: pr, url: `${String(recorded?.url ?? '').replace(/\/\d+$/, '')}/${pr}` }];
  webhook.headers['x-github-delivery'] = `bench-${runId}`;
  return webhook;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += await dirBytes(path);
    else total += (await stat(path).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** CPU time of the process and all its threads so far (utime + stime, clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/**
 * CPU time of each thread so far, by thread id (`/proc/<pid>/task`): the main thread is the process's own id, libuv's
 * pool (LevelDB's writes and iterators) is named `libuv-worker`; the store's worker thread is, of the others (all
 * named `node`: V8's platform threads, the store), the one that used most.
 */
async function threadCpuMs(pid: number): Promise<Map<string, { name: string; ms: number }>> {
  const threads = new Map<string, { name: string; ms: number }>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    if (!stat) continue;
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    threads.set(tid, { name, ms: (Number(fields[11]) + Number(fields[12])) * 10 });
  }
  return threads;
}

/** Per-thread CPU between two {@link threadCpuMs} samples, per incident: main / store worker / libuv pool / other. */
function threadBreakdown(pid: number, before: Map<string, { name: string; ms: number }>, after: Map<string, { name: string; ms: number }>, incidents: number): string {
  const used = [...after].map(([tid, { name, ms }]) => ({ tid, name, ms: ms - (before.get(tid)?.ms ?? 0) }));
  const main = used.find((thread) => thread.tid === String(pid))?.ms ?? 0;
  const pool = used.filter((thread) => thread.name === 'libuv-worker').reduce((sum, thread) => sum + thread.ms, 0);
  const others = used.filter((thread) => thread.tid !== String(pid) && thread.name !== 'libuv-worker').sort((a, b) => b.ms - a.ms);
  const store = others[0]?.ms ?? 0;
  const rest = others.slice(1).reduce((sum, thread) => sum + thread.ms, 0);
  const per = (ms: number) => (ms / Math.max(1, incidents)).toFixed(1);
  return `main ${per(main)} / store worker ${per(store)} / libuv pool ${per(pool)} / other ${per(rest)} ms`;
}

function withoutGitHub(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { GITHUB_TOKEN: _token, GITHUB_APP_ID: _app, ...rest } = env;
  return rest;
}

function startChild(dataDir: string, onLine: (line: string) => void): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, [...START_FLAGS, ...NODE_ARGS, '--import', 'tsx', join(root, 'infra', 'local', 'main.ts')], {
      cwd: root,
      env: { ...START_ENV, ...withoutGitHub(process.env), GITHUB_WEBHOOK_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: 'SILENT', GUARD_DATA_DIR: dataDir, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = false;
    let pending = '';
    let early = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (!started) {
          early += `${line}\n`;
          const match = /listening on (http:\/\/\S+)/.exec(line);
          if (match) {
            started = true;
            resolveStart({ child, url: match[1] as string });
          }
        } else {
          if (process.env.BENCH_DEBUG) console.log(`runtime: ${line}`);
          onLine(line);
        }
        nl = pending.indexOf('\n');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (early += chunk.toString()));
    child.once('exit', (code) => {
      if (!started) reject(new Error(`runtime exited with ${code} before listening:\n${early}`));
    });
  });
}

/**
 * The runtime's calls by function, per incident notified: the functions' sum first (what the pipeline makes in AWS),
 * then each function's share, then the local stand-ins' own (not DynamoDB calls in AWS).
 */
function callsPerIncident(byFunction: Record<string, number>, incidents: number): string {
  const per = (n: number) => (n / Math.max(1, incidents)).toFixed(1);
  const functions = Object.entries(byFunction).filter(([name]) => name !== OUTSIDE_FUNCTIONS);
  const inFunctions = functions.reduce((sum, [, n]) => sum + n, 0);
  const shares = functions.sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${per(n)}`);
  return `${per(inFunctions)} in functions, as in AWS (${shares.join(', ')}); ${per(byFunction[OUTSIDE_FUNCTIONS] ?? 0)} the local stand-ins' own`;
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-bench-local-'));
  const sentAt = new Map<number, number>();
  const notifiedAt = new Map<number, number>();
  let dynamoCalls = null as string | null;
  let callsByFunction = null as Record<string, number> | null;
  const { child, url } = await startChild(dataDir, (line) => {
    if (line.startsWith(CALLS_LINE)) dynamoCalls = line;
    callsByFunction = callsByFunctionOf(line) ?? callsByFunction;
    const m = /\[outbox\] github_comment: \S*#(\d+)/.exec(line);
    if (m) {
      const pr = Number(m[1]);
      if (!notifiedAt.has(pr)) notifiedAt.set(pr, performance.now());
    }
  });
  const pid = child.pid as number;
  const ingest: number[] = [];
  const samples: Array<{ when: string; sent: number; notified: number; rss: number; dataMb: number }> = [];
  let errors = 0;
  let sent = 0;
  const sample = async (when: string) =>
    samples.push({ when, sent, notified: notifiedAt.size, rss: await rssMb(pid), dataMb: (await dirBytes(dataDir)) / 1024 / 1024 });
  await sample('start');
  // Also at every quarter of the incidents notified: when the runtime falls behind the rate, "after n sent" measures
  // the backlog, "after n notified" what handling n incidents left behind.
  const quarter = Math.max(1, Math.floor(TOTAL / 4));
  let nextQuarter = quarter;
  const monitor = setInterval(() => {
    if (notifiedAt.size < nextQuarter) return;
    void sample(`${nextQuarter} notified`);
    nextQuarter += quarter;
  }, 250);
  const cpuAtStart = await cpuMs(pid);
  const threadsAtStart = await threadCpuMs(pid);
  let threadsAtEnd = threadsAtStart;
  const loadAtStart = loadavg()[0] as number;
  let cpuAtEnd = Number.NaN;
  let largest = '(not read)';
  const firstPost = performance.now();
  const inflight: Array<Promise<void>> = [];
  try {
    for (let i = 0; i < TOTAL; i++) {
      // Fixed rate: the i-th failure leaves at i / RATE seconds, whatever the runtime's answers take.
      const due = firstPost + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const pr = 50_000 + i;
      const signed = signWebhook(failure(700_000 + i, pr), SECRET);
      const t0 = performance.now();
      sentAt.set(pr, t0);
      inflight.push(
        fetch(`${url}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status !== 202) errors += 1;
            ingest.push(performance.now() - t0);
          })
          .catch(() => {
            errors += 1;
          }),
      );
      sent = i + 1;
      if (sent % quarter === 0) void sample(`${sent} sent`);
    }
    await Promise.all(inflight);
    const deadline = performance.now() + DRAIN_S * 1000;
    while (notifiedAt.size < TOTAL - errors && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    clearInterval(monitor);
    await sample('end');
    cpuAtEnd = await cpuMs(pid);
    threadsAtEnd = await threadCpuMs(pid);
  } finally {
    clearInterval(monitor);
    child.kill('SIGTERM');
    // The runtime prints its DynamoDB call counts as it stops.
    for (let waited = 0; child.exitCode === null && waited < 5000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (child.exitCode === null) child.kill('SIGKILL');
    largest = await largestStoredItems(join(dataDir, 'dynamodb'), 3).catch((error: unknown) => `(not read: ${String(error)})`);
    await rm(dataDir, { recursive: true, force: true });
  }
  const latencies: number[] = [];
  for (const [pr, at] of notifiedAt) {
    const sent = sentAt.get(pr);
    if (sent !== undefined) latencies.push(at - sent);
  }
  const lastNotified = Math.max(...notifiedAt.values());
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  console.log(`local runtime under a fixed rate: ${TOTAL} signed failures at ${RATE}/s (${(TOTAL / RATE).toFixed(0)} s of traffic; node ${process.version} ${[...START_FLAGS, ...NODE_ARGS].join(' ')})\n`);
  console.log(`ingest (POST → 202)        p50 ${sec(percentile(ingest, 50))} s   p99 ${sec(percentile(ingest, 99))} s   errors ${errors}`);
  console.log(`POST → notified            p50 ${sec(percentile(latencies, 50))} s   p95 ${sec(percentile(latencies, 95))} s   notified ${notifiedAt.size}/${TOTAL}`);
  console.log(`throughput                 ${(notifiedAt.size / ((lastNotified - firstPost) / 1000)).toFixed(1)} incidents/s (first POST → last comment)`);
  console.log(`runtime CPU                ${((cpuAtEnd - cpuAtStart) / Math.max(1, notifiedAt.size)).toFixed(0)} ms per incident (all threads; ingest included)`);
  console.log(`  by thread                ${threadBreakdown(pid, threadsAtStart, threadsAtEnd, notifiedAt.size)}`);
  const totalCalls = Number(/since start: (\d+)/.exec(dynamoCalls ?? '')?.[1] ?? Number.NaN);
  console.log(`DynamoDB calls             ${(totalCalls / Math.max(1, notifiedAt.size)).toFixed(1)} per incident ${dynamoCalls?.replace(/^.*?\(/, '(') ?? '(not reported)'}`);
  console.log(`  by function              ${callsByFunction ? callsPerIncident(callsByFunction, notifiedAt.size) : '(not reported)'}`);
  console.log(`machine load average       ${loadAtStart.toFixed(1)} at the start, ${(loadavg()[0] as number).toFixed(1)} at the end (${availableParallelism()} cores)`);
  console.log(`largest stored items       ${largest}`);
  console.log('\nwhen                 sent   notified   RSS MB   data dir MB');
  for (const s of samples) {
    console.log(`${s.when.padEnd(16)} ${String(s.sent).padStart(8)}   ${String(s.notified).padStart(8)}   ${s.rss.toFixed(0).padStart(6)}   ${s.dataMb.toFixed(1).padStart(11)}`);
  }
  console.log('\ntargets: 20/s for 60 s → POST → notified p50 ≤ 2 s, p95 ≤ 5 s; after 2,000 incidents RSS ≤ 400 MB, data dir ≤ 150 MB, flat from 1,000 to 2,000');
}

await main();
