/**
 * Start-up of the `guard` CLI: `node bin/guard.js analyze` on a one-line log, min and median of 10 runs, next to
 * `node -e 0` (Node's own start-up) and to the same command run from the TypeScript sources through tsx, in the
 * same run and interleaved, so a busy machine slows all three alike. Prints the load average alongside.
 * `npm run bench:startup`; `npm run bench` ends with it, with the same options:
 * - `--before DIR`: another checkout's `bin/guard.js` (an earlier commit, its dependencies installed) in the same
 *   interleaved runs, its bundle built first;
 * - `--instructions`: also the instructions of `node -e 0` and of each `guard analyze` under valgrind (instructions.ts),
 *   single-threaded, the median of three after a first run that writes the compile cache for those flags: ~2 ms of
 *   difference is lost in a shared machine's wall times (session 80 read 3–9 ms as 221 against 218), not in a count.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledCli } from '../bin/cli-bundle.js';
import { countInstructions } from './instructions.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 10;
const TARGET_MS = 150;
/** Counted runs of each command under `--instructions`, after one that is not counted. */
const COUNTED_RUNS = 3;

export interface StartupOptions {
  /** Another checkout whose `bin/guard.js` runs beside this one's. */
  before?: string;
  /** Count instructions too (valgrind). */
  instructions?: boolean;
}

/** The options among `args` (`--before DIR`, `--instructions`), as bench.ts and this script take them. */
export function startupOptions(args: readonly string[]): StartupOptions {
  const at = args.indexOf('--before');
  return { ...(at >= 0 && args[at + 1] !== undefined ? { before: resolve(args[at + 1] as string) } : {}), instructions: args.includes('--instructions') };
}

/** One run under bash's `time`: wall and CPU (user + system) milliseconds; CPU is what a busy machine distorts least. */
function timed(args: string[]): { wall: number; cpu: number } {
  const result = spawnSync('bash', ['-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" > /dev/null', 'bench', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8' });
  const lines = result.stderr.trim().split('\n');
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${lines[0]}`);
  const [wall = Number.NaN, user = Number.NaN, system = Number.NaN] = (lines.pop() ?? '').split(' ').map(Number);
  return { wall: wall * 1000, cpu: (user + system) * 1000 };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0] as number, median: ((sorted[(sorted.length - 1) >> 1] as number) + (sorted[sorted.length >> 1] as number)) / 2 };
};

export async function benchStartup(options: StartupOptions = startupOptions(process.argv.slice(2))): Promise<void> {
  // Build (or confirm) the bundles first, so the runs measure start-up and not the one-off build.
  const bundle = await bundledCli();
  const before = options.before;
  if (before !== undefined) spawnSync(process.execPath, [join(before, 'bin', 'guard.js'), '--help'], { cwd: before, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'guard-startup-'));
  try {
    const log = join(dir, 'one-line.log');
    writeFileSync(log, 'npm ERR! code ELIFECYCLE\n');
    const commands: Array<[string, string[]]> = [
      ['node -e 0', ['-e', '0']],
      ['node bin/guard.js analyze one-line.log', ['bin/guard.js', 'analyze', log]],
      ...(before === undefined ? [] : [['the same, --before checkout', [join(before, 'bin', 'guard.js'), 'analyze', log]] as [string, string[]]]),
      ['the same from the sources through tsx', ['--import', 'tsx/esm', 'shared/cli/main.ts', 'analyze', log]],
    ];
    for (const [, args] of commands) timed(args); // warm the file cache
    const runs = commands.map(() => [] as Array<{ wall: number; cpu: number }>);
    const loadBefore = loadavg()[0] as number;
    for (let run = 0; run < RUNS; run += 1) commands.forEach(([, args], i) => runs[i]?.push(timed(args)));
    const loadAfter = loadavg()[0] as number;
    const width = Math.max(...commands.map(([name]) => name.length));
    const ms = (value: number) => `${value.toFixed(0).padStart(4)} ms`;
    const lines = commands.map(([name], i) => {
      const wall = stats((runs[i] ?? []).map((r) => r.wall));
      const cpu = stats((runs[i] ?? []).map((r) => r.cpu));
      return `${name.padEnd(width)}  wall min ${ms(wall.min)}  median ${ms(wall.median)}   CPU min ${ms(cpu.min)}  median ${ms(cpu.median)}`;
    });
    const guardWall = stats((runs[1] ?? []).map((r) => r.wall)).median;
    const guardCpu = stats((runs[1] ?? []).map((r) => r.cpu)).median;
    const verdict = (value: number) => `${value.toFixed(0)} ms (${value <= TARGET_MS ? 'met' : 'NOT met'})`;
    const counted = options.instructions === true ? commands.filter(([name]) => !name.includes('tsx')).map(([name, args]) => [name, countedRuns(args)] as const) : [];
    const countWidth = Math.max(0, ...counted.map(([name]) => name.length));
    const countLines = counted.map(([name, counts]) =>
      counts === null ? `${name.padEnd(countWidth)}  n/a (valgrind missing, or the run failed)` : `${name.padEnd(countWidth)}  ${millions(stats(counts).median)} M instructions median (${counts.map(millions).join(', ')})`,
    );
    process.stdout.write(
      `\nguard start-up, ${RUNS} runs each, interleaved (load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${availableParallelism()} cores)\n` +
        `${bundle ? 'bundle: prebuilt (bin/cli-bundle.js)' : 'bundle: NOT built (esbuild missing?): bin/guard.js ran through tsx'}\n\n` +
        `${lines.join('\n')}\n\n` +
        `guard analyze <= ${TARGET_MS} ms: wall median ${verdict(guardWall)}, CPU median ${verdict(guardCpu)}\n` +
        'On a shared machine wall time includes waiting for a core; on an idle one it is close to the CPU time.\n' +
        (countLines.length > 0 ? `\nCounted (valgrind, node --single-threaded, ${COUNTED_RUNS} runs each after one not counted):\n${countLines.join('\n')}\n` : ''),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const millions = (count: number) => (count / 1e6).toFixed(1);

/**
 * The instructions of `node --single-threaded ARGS`, {@link COUNTED_RUNS} times after one run that is not counted (Node's
 * compile cache is kept per set of V8 flags: the first run under these writes it); null without valgrind.
 */
function countedRuns(args: string[]): number[] | null {
  const command = [process.execPath, '--single-threaded', ...args];
  if (countInstructions(command, ROOT) === null) return null;
  const counts: number[] = [];
  for (let run = 0; run < COUNTED_RUNS; run += 1) {
    const count = countInstructions(command, ROOT);
    if (count === null) return null;
    counts.push(count);
  }
  return counts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchStartup();
