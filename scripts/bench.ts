/**
 * `npm run bench`: throughput and peak memory of the log analyzer on ~10 MB, 100 MB and 500 MB logs, next to
 * `grep -c -E 'error|fail'` on the same files in the same run.
 *
 * The logs are built by concatenating the sample logs in `events/logs/` (and the dev corpus in
 * `../shared/datasets/ci-logs-dev` when it is present) under the OS temp directory, and deleted afterwards.
 * Each analysis runs in a fresh child process so its peak RSS (`process.resourceUsage().maxRSS`) is the
 * analyzer's alone; throughput is measured inside the child around `analyzeLog`, so tsx start-up is excluded
 * (the wall time column includes it).
 *
 * Options: `--sizes 10,100,500` (MB).
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

interface ChildResult {
  seconds: number;
  bytes: number;
  lines: number;
  failures: number;
  maxRssKb: number;
}

async function runChild(file: string): Promise<void> {
  const { analyzeLog } = await import('../shared/logs/index.js');
  const started = process.hrtime.bigint();
  const analysis = await analyzeLog(createReadStream(file, { highWaterMark: 64 * 1024 }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: ChildResult = {
    seconds,
    bytes: analysis.bytesRead,
    lines: analysis.lineCount,
    failures: analysis.failures.length,
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
    else if (entry.name.endsWith('.log')) out.push(path);
  }
  return out.sort();
}

function samples(): Buffer[] {
  const files = [...listLogs(join(ROOT, 'events', 'logs')), ...listLogs(resolve(ROOT, '..', 'shared', 'datasets', 'ci-logs-dev', 'logs'))];
  const buffers = files.map((f) => readFileSync(f)).filter((b) => b.length > 0);
  if (buffers.length === 0) throw new Error('no sample logs found under events/logs/');
  return buffers;
}

async function buildLog(path: string, targetBytes: number, parts: Buffer[]): Promise<number> {
  const out = createWriteStream(path);
  let written = 0;
  let i = 0;
  while (written < targetBytes) {
    const part = parts[i++ % parts.length] ?? Buffer.alloc(0);
    written += part.length;
    if (!out.write(part)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  return written;
}

function analyzeInChild(file: string): { result: ChildResult; wall: number } {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', file], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 * MB,
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.status !== 0) throw new Error(`analyzer child failed: ${child.stderr.trim().split('\n').pop() ?? child.status}`);
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return { result: JSON.parse(line) as ChildResult, wall };
}

function grepCount(file: string): { seconds: number; count: string } {
  const started = process.hrtime.bigint();
  const child = spawnSync('grep', ['-c', '-E', 'error|fail', file], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (child.error) return { seconds: Number.NaN, count: 'n/a' };
  return { seconds, count: child.stdout.trim() };
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1] ?? '');
    return;
  }
  const sizesArg = args[0] === '--sizes' ? args[1] : undefined;
  const sizes = (sizesArg ?? '10,100,500').split(',').map(Number).filter((n) => n > 0);
  const parts = samples();
  const dir = mkdtempSync(join(tmpdir(), 'guard-bench-'));
  const rows: string[][] = [
    ['log', 'size MB', 'lines', 'analyze s', 'MB/s', 'peak RSS MB', 'wall s', 'failures', 'grep s', 'grep MB/s', 'grep count'],
  ];
  try {
    for (const size of sizes) {
      const file = join(dir, `bench-${size}mb.log`);
      await buildLog(file, size * MB, parts);
      const bytes = statSync(file).size;
      const { result, wall } = analyzeInChild(file);
      const grep = grepCount(file);
      rows.push([
        `~${size} MB`,
        (bytes / MB).toFixed(1),
        String(result.lines),
        result.seconds.toFixed(2),
        (bytes / MB / result.seconds).toFixed(1),
        (result.maxRssKb / 1024).toFixed(0),
        wall.toFixed(2),
        String(result.failures),
        grep.seconds.toFixed(2),
        (bytes / MB / grep.seconds).toFixed(1),
        grep.count,
      ]);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`guard log analyzer vs grep -c -E 'error|fail' (single process, one core each)\n\n${table(rows)}\n\n`);
  process.stdout.write('targets: ≥ 50 MB/s, peak RSS < 150 MB at 500 MB\n');
}

await main();
