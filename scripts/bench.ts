/**
 * `npm run bench`: throughput and peak memory of the log analyzer, next to `grep -c -E 'error|fail'` on the same
 * file in the same run (the reference a shared, busy machine cannot fake: both are measured under the same load).
 *
 * Cases (built under the OS temp directory and deleted afterwards):
 * - `mix-100`, `mix-500`: the real CI logs of `../shared/datasets/` (or `GUARD_DATASETS`: `datasets.ts`) (LogChunks and GitHub Actions dev sets, with
 *   the sample logs in `events/logs/`) concatenated to ~100 MB and ~500 MB;
 * - `one-line-100`: a 100 MB log without a single newline (a minified bundle or a base64 blob printed by a step);
 * - `errors-1m`: one million compiler error lines (~97 MB), every line a candidate;
 * - `errors-words-30`: 200,000 compiler error lines (~30 MB) whose file and type names differ in words, not digits,
 *   so every line is a failure of its own (a new template, a block kept until the ranking drops it);
 * - `long-lines-100`: 100 MB of lines just over 1 MiB (memory: no line may stay whole);
 * - `hostile-20`: 20 MB of 8,000-character lines shaped to make regular expressions backtrack.
 *
 * Each analysis runs in a fresh child process, three times:
 * - the analyzer alone: this script bundled with esbuild and run by plain `node` (no TypeScript loader), timed inside
 *   the child around `analyzeLog` (start-up excluded), wall and CPU (user + system), with its peak RSS
 *   (VmHWM from `/proc/self/status`, see `peak-rss.ts`): MB/s and the ratio to grep come from this run. It reads
 *   the file the way `guard analyze` does (`fileChunks`, with the file's size as `expectedBytes`). The same child
 *   then analyses the file a second time ("warm"), which shows how much of the first run was V8 compiling, and
 *   the first run's CPU on threads other than the main one is printed beside its total (on Linux: V8's compiler
 *   threads, where most of that compiling runs);
 * - the entry point users run, `node bin/guard.js analyze --json FILE`, three times ({@link CLI_RUNS}), with a preloaded
 *   module that reports the process's peak RSS and CPU at exit (start-up included): the RSS target is checked on the
 *   largest of the three peaks, since that is the
 *   process a user (or the classify Lambda's equivalent) pays for. For a log over 64 MB the launcher reads it
 *   in a second process with leaner heap settings; the preloaded module reports from both, and the row shows the
 *   larger peak and the CPU of both.
 * - the reading alone (`readOnlyChild`), to print the ceiling a faster scanner could reach in this design.
 * grep runs under bash's `time`. The ratio column is analyzer time / grep time, wall and CPU. CPU figures are the
 * ones to compare across runs on a machine shared with other work; wall figures are what a user waits.
 *
 * Options: `--cases mix-100,errors-1m` to run some of the cases; `--before DIR` to measure another checkout of this
 * repository (an earlier commit, with its dependencies installed) on the same files in the same run, one row each,
 * so a before/after comparison shares the machine's load; `--instructions` to also count the analyzer child's
 * instructions under valgrind (`instructions.ts`; ~1.5 minutes per 100 MB), the figure that compares two checkouts
 * on a machine whose speed moves with its neighbours; with `--single-threaded` as well, the counted child runs under
 * `node --single-threaded` (V8 compiles on the main thread, as `bin/guard.js` runs a log of 64 MB or more): the
 * default count moves with the load, since a busy machine's compiler threads finish later and the main thread runs
 * unoptimised code longer (docs/performance.md, session 69), which a single-threaded count does not.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datasetsLocation } from './datasets.js';
import { countInstructions } from './instructions.js';
import { EXIT_REPORTER, exitReports, peakRssKb, type ExitReport } from './peak-rss.js';
import { checkChosenNames, exitOnUnknownPart } from './chosen-names.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DATASETS = datasetsLocation().dir;
const MB = 1024 * 1024;

interface ChildResult {
  wall: number;
  cpu: number;
  bytes: number;
  lines: number;
  failures: number;
  top: string;
  maxRssKb: number;
  /** CPU seconds of a second analysis of the same file in the same process (see {@link runChild}). */
  warmCpu?: number;
  /**
   * Of `cpu`, the seconds spent on threads other than the main one: V8's compiler (TurboFan) and the collector's
   * helpers, and libuv's file reads; null where `/proc/self/task` is not readable.
   */
  offMainCpu?: number | null;
}

interface Case {
  name: string;
  build: (path: string) => Promise<void>;
  /** Target as printed, and a check of the measured figures against it (`rssMb`: the CLI process's peak RSS). */
  target: string;
  meets: (mbPerSecCpu: number, rssMb: number, ratioCpu: number) => boolean;
}

/**
 * The part of an analysis before the scanner, timed alone: reading the file, the line filter's pass, decoding and
 * cleaning the lines it names; every other line is skipped as if the scanner were always idle. No scanner, however
 * fast, makes the analysis cheaper than this, so it is printed next to the analysis as its ceiling.
 */
async function readOnlyChild(file: string): Promise<void> {
  const { forEachLine } = await import('../shared/logs/reader.js');
  const { NAMED_LINES_ONLY } = await import('../shared/logs/dispatch.js');
  const { fileChunks } = await import('../shared/cli/io.js');
  const cpu0 = process.cpuUsage();
  let read = 0;
  await forEachLine(fileChunks(file), () => read++, Number.POSITIVE_INFINITY, NAMED_LINES_ONLY);
  const cpuUsed = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ cpu: (cpuUsed.user + cpuUsed.system) / 1e6, read })}\n`);
}

/**
 * CPU seconds of this process's threads other than the main one, from `/proc/self/task/<tid>/stat` (utime and
 * stime, fields 14 and 15, in clock ticks of 1/100 s: USER_HZ on Linux); null elsewhere. A thread that ended
 * between two readings drops out of the second, so the difference of two readings is a lower bound.
 */
function offMainThreadsCpu(): number | null {
  try {
    let ticks = 0;
    for (const task of readdirSync('/proc/self/task')) {
      if (Number(task) === process.pid) continue;
      const stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
      // The thread's name, in parentheses, may hold spaces: the fields are counted from after its `)`.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    }
    return ticks / 100;
  } catch {
    return null;
  }
}

/** One timed analysis of `file`, as `guard analyze` reads it. */
async function timedAnalysis(file: string): Promise<Omit<ChildResult, 'maxRssKb' | 'warmCpu'>> {
  const { analyzeLog } = await import('../shared/logs/index.js');
  const { fileChunks } = await import('../shared/cli/io.js');
  const offMain0 = offMainThreadsCpu();
  const cpu0 = process.cpuUsage();
  const started = process.hrtime.bigint();
  const analysis = await analyzeLog(fileChunks(file), { expectedBytes: statSync(file).size });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuUsed = process.cpuUsage(cpu0);
  const offMain1 = offMainThreadsCpu();
  return {
    wall,
    cpu: (cpuUsed.user + cpuUsed.system) / 1e6,
    offMainCpu: offMain0 === null || offMain1 === null ? null : offMain1 - offMain0,
    bytes: analysis.bytesRead,
    lines: analysis.lineCount,
    failures: analysis.failures.length,
    top: (analysis.failures[0]?.lines[0]?.text ?? '').slice(0, 60),
  };
}

/**
 * The analysis in a fresh process (the figures the targets are checked on), then the same file again in the same
 * process (with `BENCH_WARM=1`, which a checkout's older bench ignores, and not under valgrind): the second run
 * meets code V8 has already compiled, as a warm Lambda or the local runtime's long-lived process does, so it
 * shows what the cold run spends on compiling. Peak RSS is taken before the second run.
 */
async function runChild(file: string): Promise<void> {
  const cold = await timedAnalysis(file);
  const maxRssKb = peakRssKb();
  if (process.env.BENCH_WARM !== '1') {
    process.stdout.write(`${JSON.stringify({ ...cold, maxRssKb })}\n`);
    return;
  }
  const warm = await timedAnalysis(file);
  if (warm.failures !== cold.failures || warm.top !== cold.top) throw new Error('the second analysis of the same file differs from the first');
  const result: ChildResult = { ...cold, maxRssKb, warmCpu: warm.cpu };
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

/**
 * Compiler errors whose names are made of syllables (a fixed-seed generator): no two lines share a template, unlike
 * `errors-1m`, whose lines differ in digits the analyzer's digit-shape memo absorbs.
 */
async function wordErrorLines(path: string): Promise<void> {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dur', 'zin', 'qua', 'bre', 'sto', 'fan', 'gil', 'hor', 'jut'];
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    // The high bits: an LCG's low bits repeat with a short period.
    return (seed >>> 16) % n;
  };
  const word = (): string => Array.from({ length: 2 + next(3) }, () => syllables[next(syllables.length)]).join('');
  let i = 0;
  await writeAll(path, () => {
    if (i >= 200_000) return null;
    const lines: string[] = [];
    for (const end = i + 10_000; i < end; i++) {
      const dir = word();
      lines.push(`src/${dir}/${word()}Service.ts(${i % 500},${i % 80}): error TS2345: Argument of type '${word()}Options' is not assignable to parameter of type '${dir}Config'.`);
    }
    return Buffer.from(`${lines.join('\n')}\n`);
  });
}

/** Lines just over the reader's 1 MiB cut: each is analysed as its head and tail, and none may stay whole in memory. */
async function longLines(path: string): Promise<void> {
  const line = Buffer.from(`Error: ${'lorem ipsum dolor sit amet, '.repeat(37_450)}\n`.slice(-(1_048_578)));
  let written = 0;
  await writeAll(path, () => {
    if (written >= 100 * MB) return null;
    written += line.length;
    return line;
  });
}

/**
 * Lines an attacker shapes to make regular expressions backtrack: runs of one character (`=`, `(`, `:`, digits)
 * or of a short phrase, 8,000 characters long, after the words that start a failure block. Before this case existed,
 * 20 MB of such lines took the analyzer 26 s: every line costs the same bounded work now, whatever its shape.
 */
async function hostileLines(path: string): Promise<void> {
  const shapes = [
    `_____ test_x _____\n${'='.repeat(8000)}X`,
    `panic: boom\n${'('.repeat(8000)}`,
    `${':'.repeat(7980)} failed on lineX`,
    `ERROR [${'0'.repeat(8000)}\u0001`,
    `  1:1  Aa${' :'.repeat(3000)} ${'0'.repeat(1500)}.`,
    `thread '${"thread '".repeat(1000)}`,
    `FAIL ${'hpt][p'.repeat(1300)}`,
    `Failed ]${'.s'.repeat(4000)}\t`,
    `x.rb:1:in '${"': :".repeat(2000)}`,
    `At n${'0'.repeat(8000)}`,
    'The hosted runner: ('.repeat(400),
    'Plugin 0'.repeat(1000),
    `E: Version '${"' for 'V".repeat(1000)}`,
    "unable to access 'C".repeat(420),
    `= ${'1 failed!'.repeat(900)}`,
    `a.swift:1: error: x${' Violation: '.repeat(660)}`,
  ];
  const block = Buffer.from(`${shapes.join('\n')}\n`);
  let written = 0;
  await writeAll(path, () => {
    if (written >= 20 * MB) return null;
    written += block.length;
    return block;
  });
}

const CASES: readonly Case[] = [
  { name: 'mix-100', build: mix(100 * MB), target: '≥ 150 MB/s, ≤ 8× grep', meets: (mbs, _rss, ratio) => mbs >= 150 && ratio <= 8 },
  { name: 'mix-500', build: mix(500 * MB), target: 'peak RSS ≤ 100 MB', meets: (_mbs, rss) => rss <= 100 },
  { name: 'one-line-100', build: oneLine, target: '≥ 100 MB/s, RSS ≤ 150 MB', meets: (mbs, rss) => mbs >= 100 && rss <= 150 },
  { name: 'errors-1m', build: errorLines, target: '≥ 50 MB/s', meets: (mbs) => mbs >= 50 },
  { name: 'errors-words-30', build: wordErrorLines, target: '≥ 50 MB/s', meets: (mbs) => mbs >= 50 },
  { name: 'long-lines-100', build: longLines, target: 'RSS ≤ 150 MB', meets: (_mbs, rss) => rss <= 150 },
  { name: 'hostile-20', build: hostileLines, target: '≥ 5 MB/s (linear)', meets: (mbs) => mbs >= 5 },
];

/** A checkout's bench script as one plain JavaScript file, so the analyzer child runs without the TypeScript loader. */
async function bundleChild(checkout: string, out: string): Promise<string> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(checkout, 'scripts', 'bench.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['esbuild'],
    logLevel: 'error',
  });
  return out;
}

/** The reading-only run, or null for a checkout whose bench predates it (`--before` an older commit). */
function readOnlyInChild(bundle: string, file: string): { cpu: number } | null {
  try {
    return analyzeInChild<{ cpu: number }>(bundle, file, '--read-only');
  } catch {
    return null;
  }
}

function analyzeInChild<T = ChildResult>(bundle: string, file: string, mode: '--child' | '--read-only' = '--child'): T {
  const env = mode === '--child' ? { ...process.env, BENCH_WARM: '1' } : process.env;
  const child = spawnSync(process.execPath, [bundle, mode, file], { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * MB, env });
  if (child.status !== 0) throw new Error(`analyzer child failed: ${child.stderr.trim().split('\n').pop() ?? child.status}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '') as T;
}

/** The CLI run: peak RSS and CPU of the whole process (start-up included), as its exit hook reported them. */
/**
 * How many times the entry point runs per case. Its peak RSS moves by ~5 MB between identical runs (when the
 * collector happens to run), and the 500 MB mix sits a few MB under its bound: one run could read either side of it.
 * The row shows the largest and the smallest, and the target is checked on the largest.
 */
const CLI_RUNS = 3;

/** {@link cliInChild} {@link CLI_RUNS} times: the largest peak and the smallest, and the median CPU. */
function cliRuns(checkout: string, reporter: string, file: string): { maxRssKb: number; minRssKb: number; cpu: number } {
  const runs = Array.from({ length: CLI_RUNS }, () => cliInChild(checkout, reporter, file));
  const cpus = runs.map((run) => run.cpu).sort((a, b) => a - b);
  return {
    maxRssKb: Math.max(...runs.map((run) => run.maxRssKb)),
    minRssKb: Math.min(...runs.map((run) => run.maxRssKb)),
    cpu: cpus[Math.floor(cpus.length / 2)] as number,
  };
}

function cliInChild(checkout: string, reporter: string, file: string): ExitReport {
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(reporter).href, join(checkout, 'bin', 'guard.js'), 'analyze', '--json', file], {
    cwd: checkout,
    encoding: 'utf8',
    maxBuffer: 64 * MB,
  });
  // The launcher runs a big log in a second process (bin/guard.js): each reports, the peak is the larger one and
  // the CPU is both together.
  const reports = exitReports(child.stderr ?? '');
  if (child.status !== 0 || reports.length === 0) throw new Error(`guard analyze failed: ${(child.stderr ?? '').trim().split('\n').pop() ?? child.status}`);
  return { maxRssKb: Math.max(...reports.map((r) => r.maxRssKb)), cpu: reports.reduce((sum, r) => sum + r.cpu, 0) };
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
  if (args[0] === '--read-only') {
    await readOnlyChild(args[1] ?? '');
    return;
  }
  const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const casesArg = option('--cases');
  const beforeArg = option('--before');
  const withInstructions = args.includes('--instructions');
  const nodeFlags = args.includes('--single-threaded') ? ['--single-threaded'] : [];
  const wanted = casesArg ? casesArg.split(',') : CASES.map((c) => c.name);
  checkChosenNames(wanted, CASES.map((c) => c.name), 'case');
  const dir = mkdtempSync(join(tmpdir(), 'guard-bench-'));
  const rows: string[][] = [
    ['case', 'MB', 'lines', 'wall s', 'cpu s', 'of it off main s', 'MB/s wall', 'MB/s cpu', 'warm MB/s cpu', 'reading only MB/s cpu', 'peak RSS MB', `CLI peak RSS MB (max-min of ${CLI_RUNS})`, 'CLI cpu s', 'grep wall s', 'grep cpu s', '× grep wall', '× grep cpu', ...(withInstructions ? [nodeFlags.length > 0 ? 'G instructions (single-threaded)' : 'G instructions'] : []), 'target', 'met'],
  ];
  const tops: string[] = [];
  try {
    const checkouts: Array<{ label: string; root: string; bundle: string }> = [
      ...(beforeArg ? [{ label: ' (before)', root: resolve(beforeArg), bundle: await bundleChild(resolve(beforeArg), join(dir, 'before-child.mjs')) }] : []),
      { label: '', root: ROOT, bundle: await bundleChild(ROOT, join(dir, 'bench-child.mjs')) },
    ];
    const reporter = join(dir, 'exit-reporter.mjs');
    writeFileSync(reporter, EXIT_REPORTER);
    for (const c of CASES.filter((x) => wanted.includes(x.name))) {
      const file = join(dir, `${c.name}.log`);
      await c.build(file);
      const mb = statSync(file).size / MB;
      const grep = grepCount(file);
      for (const checkout of checkouts) {
        const result = analyzeInChild(checkout.bundle, file);
        const readOnly = readOnlyInChild(checkout.bundle, file);
        const cli = cliRuns(checkout.root, reporter, file);
        const instructions = withInstructions ? countInstructions([process.execPath, ...nodeFlags, checkout.bundle, '--child', file], ROOT) : null;
        const rss = result.maxRssKb / 1024;
        const cliRss = cli.maxRssKb / 1024;
        const mbsCpu = mb / result.cpu;
        const ratioCpu = result.cpu / grep.cpu;
        rows.push([
          `${c.name}${checkout.label}`,
          mb.toFixed(1),
          String(result.lines),
          result.wall.toFixed(2),
          result.cpu.toFixed(2),
          result.offMainCpu?.toFixed(2) ?? 'n/a',
          (mb / result.wall).toFixed(1),
          mbsCpu.toFixed(1),
          result.warmCpu === undefined ? 'n/a' : (mb / result.warmCpu).toFixed(1),
          readOnly ? (mb / readOnly.cpu).toFixed(1) : 'n/a',
          rss.toFixed(0),
          `${cliRss.toFixed(0)}-${(cli.minRssKb / 1024).toFixed(0)}`,
          cli.cpu.toFixed(2),
          grep.wall.toFixed(2),
          grep.cpu.toFixed(2),
          (result.wall / grep.wall).toFixed(1),
          ratioCpu.toFixed(1),
          ...(withInstructions ? [instructions === null ? 'n/a' : (instructions / 1e9).toFixed(2)] : []),
          c.target,
          c.meets(mbsCpu, cliRss, ratioCpu) ? 'yes' : 'NO',
        ]);
        tops.push(`${c.name}${checkout.label}: ${result.failures} failures, top: ${JSON.stringify(result.top)}; grep count ${grep.count}`);
      }
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`guard log analyzer vs grep -c -E 'error|fail' (one process each, one core)\n\n${table(rows)}\n\n${tops.join('\n')}\n`);
  process.stdout.write('\n"met" uses the CPU figures (MB/s of CPU time, ratio of CPU times): on a shared machine wall time measures the neighbours too.\n');
  process.stdout.write('"of it off main" is the part of the cold run\'s CPU on threads other than the main one (from /proc): V8 compiling the scanner (TurboFan), the collector\'s helpers, file reads.\n');
  process.stdout.write('"warm" is a second analysis of the same file in the same process (code V8 has compiled already, as in a warm Lambda); the targets use the first.\n');
  process.stdout.write('"reading only" is the analysis without its scanner (reading, the line filter, decoding the lines it names): the ceiling of this design.\n');
  process.stdout.write(
    `"peak RSS" is the analyzer alone in plain node; "CLI peak RSS" is \`node bin/guard.js analyze --json\` (what a user runs), which the RSS targets are checked on: run ${CLI_RUNS} times, the largest and the smallest peak printed, the largest checked (CLI cpu: the median).\n`,
  );
  if (withInstructions) {
    process.stdout.write(
      nodeFlags.length > 0
        ? '"G instructions (single-threaded)" is the analyzer alone under valgrind, run by `node --single-threaded` (n/a without valgrind): it compares checkouts whatever the load.\n'
        : '"G instructions" is the analyzer alone under valgrind (all threads; n/a without valgrind); it moves with the load (V8\'s compiler threads): add `--single-threaded` to compare checkouts on a busy machine.\n',
    );
  }
}

await main().catch(exitOnUnknownPart);
// Start-up of `guard` and its bundle, separate from the throughput figures above (scripts/bench-startup.ts).
if (process.argv[2] !== '--child' && process.argv[2] !== '--read-only') await (await import('./bench-startup.js')).benchStartup();
