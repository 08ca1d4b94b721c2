/**
 * `npm run bench`: throughput and peak memory of the log analyzer, next to `grep -c -E 'error|fail'` on the same
 * file in the same run (the reference a shared, busy machine cannot fake: both are measured under the same load).
 *
 * Cases (built under the OS temp directory and deleted afterwards):
 * - `mix-100`, `mix-500`: the real CI logs of `../shared/datasets/` (LogChunks and GitHub Actions dev sets, with
 *   the sample logs in `events/logs/`) concatenated to ~100 MB and ~500 MB;
 * - `one-line-100`: a 100 MB log without a single newline (a minified bundle or a base64 blob printed by a step);
 * - `errors-1m`: one million compiler error lines (~97 MB), every line a candidate.
 *
 * Each analysis runs in a fresh child process (`node --import tsx`), so its peak RSS
 * (`process.resourceUsage().maxRSS`) is the analyzer's alone; time is measured inside the child around
 * `analyzeLog` (tsx start-up excluded), both wall and CPU (user + system). grep runs under bash's `time`. The
 * ratio column is analyzer time / grep time, wall and CPU. CPU figures are the ones to compare across runs on a
 * machine shared with other work; wall figures are what a user waits.
 *
 * Options: `--cases mix-100,errors-1m` to run some of the cases.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATASETS = resolve(ROOT, '..', 'shared', 'datasets');
const MB = 1024 * 1024;

interface ChildResult {
  wall: number;
  cpu: number;
  bytes: number;
  lines: number;
  failures: number;
  top: string;
  maxRssKb: number;
}

interface Case {
  name: string;
  build: (path: string) => Promise<void>;
  /** Target as printed, and a check of the measured figures against it. */
  target: string;
  meets: (mbPerSecCpu: number, rssMb: number, ratioCpu: number) => boolean;
}

async function runChild(file: string): Promise<void> {
  const { analyzeLog } = await import('../shared/logs/index.js');
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const analysis = await analyzeLog(createReadStream(file, { highWaterMark: 64 * 1024 }));
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  const result: ChildResult = {
    wall,
    cpu: (cpuUsed.user + cpuUsed.system) / 1e6,
    bytes: analysis.bytesRead,
    lines: analysis.lineCount,
    failures: analysis.failures.length,
    top: (analysis.failures[0]?.lines[0]?.text ?? '').slice(0, 60),
    maxRssKb: process.resourceUsage().maxRSS,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function listLogs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listLogs(path));
    else if (/\.(?:log|txt)$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

function samples(): Buffer[] {
  const files = [...listLogs(join(ROOT, 'events', 'logs')), ...listLogs(join(DATASETS, 'ci-logs-dev')), ...listLogs(join(DATASETS, 'ci-logs-gha-dev'))];
  const buffers = files.map((f) => readFileSync(f)).filter((b) => b.length > 0);
  if (buffers.length === 0) throw new Error('no sample logs found under events/logs/');
  return buffers;
}

async function writeAll(path: string, next: () => Buffer | null): Promise<void> {
  const out = createWriteStream(path);
  for (let part = next(); part !== null; part = next()) {
    if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
}

function mix(targetBytes: number): (path: string) => Promise<void> {
  return async (path) => {
    const parts = samples();
    let written = 0;
    let i = 0;
    await writeAll(path, () => {
      if (written >= targetBytes) return null;
      const part = parts[i++ % parts.length] as Buffer;
      written += part.length;
      return part;
    });
  };
}

async function oneLine(path: string): Promise<void> {
  // Words, punctuation and an error up front, as a minified bundle or a JSON payload printed on one line would be.
  const piece = Buffer.from(`${'{"k":"v","n":12345,"s":"lorem ipsum dolor sit amet"},'.repeat(1300)}`);
  let written = 0;
  let first = true;
  await writeAll(path, () => {
    if (written >= 100 * MB) return null;
    const part = first ? Buffer.from('Error: bundle rejected by the validator: ') : piece;
    first = false;
    written += part.length;
    return part;
  });
}

async function errorLines(path: string): Promise<void> {
  let i = 0;
  await writeAll(path, () => {
    if (i >= 1_000_000) return null;
    const lines: string[] = [];
    for (const end = i + 10_000; i < end; i++) {
      lines.push(`src/module${i % 977}/file${i % 31}.ts(${i % 500},${i % 80}): error TS2345: Argument of type 'string' is not assignable ${i}`);
    }
    return Buffer.from(`${lines.join('\n')}\n`);
  });
}

const CASES: readonly Case[] = [
  { name: 'mix-100', build: mix(100 * MB), target: '≥ 150 MB/s, ≤ 8× grep', meets: (mbs, _rss, ratio) => mbs >= 150 && ratio <= 8 },
  { name: 'mix-500', build: mix(500 * MB), target: 'peak RSS ≤ 100 MB', meets: (_mbs, rss) => rss <= 100 },
  { name: 'one-line-100', build: oneLine, target: '≥ 100 MB/s, RSS ≤ 150 MB', meets: (mbs, rss) => mbs >= 100 && rss <= 150 },
  { name: 'errors-1m', build: errorLines, target: '≥ 50 MB/s', meets: (mbs) => mbs >= 50 },
];

function analyzeInChild(file: string): ChildResult {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  if (child.status !== 0) throw new Error(`analyzer child failed: ${child.stderr.trim().split('\n').pop() ?? child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as ChildResult;
}

/** grep -c under bash's `time`: wall and CPU seconds, and its count. */
function grepCount(file: string): { wall: number; cpu: number; count: string } {
  const child = spawnSync('bash', ['-c', 'TIMEFORMAT="%3R %3U %3S"; time grep -c -E "error|fail" "$1"', 'bench', file], { encoding: 'utf8' });
  const times = (child.stderr ?? '').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  const [wall = Number.NaN, user = Number.NaN, sys = Number.NaN] = times;
  return { wall, cpu: user + sys, count: (child.stdout ?? '').trim() || 'n/a' };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 || c === r.length - 1 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1] ?? '');
    return;
  }
  const casesArg = args[0] === '--cases' ? args[1] : undefined;
  const wanted = casesArg ? casesArg.split(',') : CASES.map((c) => c.name);
  const dir = mkdtempSync(join(tmpdir(), 'guard-bench-'));
  const rows: string[][] = [
    ['case', 'MB', 'lines', 'wall s', 'cpu s', 'MB/s wall', 'MB/s cpu', 'peak RSS MB', 'grep wall s', 'grep cpu s', '× grep wall', '× grep cpu', 'target', 'met'],
  ];
  const tops: string[] = [];
  try {
    for (const c of CASES.filter((x) => wanted.includes(x.name))) {
      const file = join(dir, `${c.name}.log`);
      await c.build(file);
      const mb = statSync(file).size / MB;
      const grep = grepCount(file);
      const result = analyzeInChild(file);
      const rss = result.maxRssKb / 1024;
      const mbsCpu = mb / result.cpu;
      const ratioCpu = result.cpu / grep.cpu;
      rows.push([
        c.name,
        mb.toFixed(1),
        String(result.lines),
        result.wall.toFixed(2),
        result.cpu.toFixed(2),
        (mb / result.wall).toFixed(1),
        mbsCpu.toFixed(1),
        rss.toFixed(0),
        grep.wall.toFixed(2),
        grep.cpu.toFixed(2),
        (result.wall / grep.wall).toFixed(1),
        ratioCpu.toFixed(1),
        c.target,
        c.meets(mbsCpu, rss, ratioCpu) ? 'yes' : 'NO',
      ]);
      tops.push(`${c.name}: ${result.failures} failures, top: ${JSON.stringify(result.top)}; grep count ${grep.count}`);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`guard log analyzer vs grep -c -E 'error|fail' (one process each, one core)\n\n${table(rows)}\n\n${tops.join('\n')}\n`);
  process.stdout.write('\n"met" uses the CPU figures (MB/s of CPU time, ratio of CPU times): on a shared machine wall time measures the neighbours too.\n');
}

await main();
// Start-up of `guard` and its bundle, separate from the throughput figures above (scripts/bench-startup.ts).
if (process.argv[2] !== '--child') await (await import('./bench-startup.js')).benchStartup();
