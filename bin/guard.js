#!/usr/bin/env node
// Launcher for the TypeScript CLI: runs the prebuilt bundle of shared/cli/main.ts (bin/cli-bundle.js), built
// again here when a source changed, or else the sources through tsx's ESM loader, in this process.
import { once } from 'node:events';
import { statSync } from 'node:fs';
import nodeModule from 'node:module';
import { bundledCli } from './cli-bundle.js';

/**
 * Commands that read a log file, and the size from which they run with {@link BIG_LOG_FLAGS}. With V8's
 * defaults the heap of `guard analyze` on a 500 MB log grows to ~140 MB RSS while what it keeps alive is ~12 MB:
 * a 16 MB young generation and an old one that grows fast between full collections. A 4 MB young generation and
 * slower growth keep it under 100 MB for ~3 % more CPU (`npm run bench`, mix-500). Both are soft: nothing is
 * capped, so a log that needs more memory still gets it. V8 reads them only at start-up, hence a second process,
 * which costs ~30 ms: not worth it for a small log.
 *
 * The same process inlines less: a third of V8's cumulative inlining budget (920 bytes of bytecode per optimised
 * function). The analyzer's hot functions were compiled with their rarely taken paths inlined, and compiled again
 * after each deopt. On the bench's 101 MB mix this command's CPU went from 0.94–1.03 s to 0.87–0.94 s (four runs
 * each, alternating); in the bench's analyzer process the compiler's CPU off the main thread fell from 0.22–0.25 s
 * to 0.14–0.19 s, and a second analysis there (compiled code) was no slower. Given at start, as V8 supports it.
 *
 * And it runs single-threaded: V8's compiler and collector work on the main thread instead of helper threads, whose
 * scratch memory (the compiler's zones, in malloc arenas of their own) otherwise adds to the peak by however the
 * jobs happen to overlap. On a 529 MB mix, four interleaved runs each: peak RSS 92.1–105.5 MiB without it,
 * 91.4–93.4 with it, for the same CPU (3.6–4.6 s against 3.8–4.1); wall time on the 101 MB mix +0.1 s (1.0 → 1.1 s),
 * the compiling no longer done beside the scan. `--optimize-for-size` took the peak to 86–89 MiB but cost ~15 % CPU.
 *
 * And it marks the heap all at once when a full collection is due, not incrementally beside the analysis: while V8
 * marks incrementally the scan goes on allocating and the heap grows until the marking ends, so the peak depended on
 * whether the last cycle had ended before the report (the 101 MB mix: 93–94 or 102–104 MB over runs of one code as
 * the timing moved, 105 with `--trace-gc` attached; 96 MB in every run without it; the 500 MB mix 93–94 against
 * 91–94, the same CPU). A command on a file has no pauses to hide (docs/performance.md, session 82).
 *
 * From {@link HUGE_LOG_BYTES} on it runs with `--optimize-for-size` as well: session 58's 93 real tools' formats (more
 * expressions compiled, larger automata) put the peak on the 500 MB mix at 101–104 MiB over three runs against 97–99
 * before them (`npm run bench -- --cases mix-500 --before`), over the 100 MB the CLI is held to; with the flag,
 * 92–94 MiB over three runs, for 4.1–4.8 s of CPU against 3.5–3.7 (+17 to +29 %). A log that large is rare, and its
 * reader is likelier to be short of memory than of time; below it the peak stays near 90 MiB without the flag.
 */
const LOG_COMMANDS = new Set(['analyze', 'extract']);
const BIG_LOG_BYTES = 64 * 1024 * 1024;
const BIG_LOG_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50', '--max-inlined-bytecode-size-cumulative=300', '--single-threaded', '--no-incremental-marking'];
const HUGE_LOG_BYTES = 256 * 1024 * 1024;
const HUGE_LOG_FLAGS = [...BIG_LOG_FLAGS, '--optimize-for-size'];
/** Signals meant for the command (Ctrl-C, `timeout`, a supervisor stopping it), which the second process must get. */
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The V8 flags the log the command reads asks for (the largest, when it names several), or null for a small log. */
function flagsForLog(args) {
  if (!LOG_COMMANDS.has(args[0])) return null;
  let largest = 0;
  for (const arg of args.slice(1)) {
    if (arg.startsWith('-')) continue;
    try {
      largest = Math.max(largest, statSync(arg).size);
    } catch {
      // Not a file: an option's value, or a path the command will report.
    }
  }
  return largest >= HUGE_LOG_BYTES ? HUGE_LOG_FLAGS : largest >= BIG_LOG_BYTES ? BIG_LOG_FLAGS : null;
}

/**
 * A reader that stops early (`guard kb list | head`) closes the pipe, and Node ignores SIGPIPE: the next write's
 * EPIPE went unhandled and printed a stack trace under the lines the reader wanted. End instead as a command killed
 * by SIGPIPE ends (status 128 + 13), silently.
 */
const SIGPIPE_STATUS = 141;
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(SIGPIPE_STATUS);
  });
}

const args = process.argv.slice(2);
const logFlags = flagsForLog(args);
if (logFlags !== null && !logFlags.every((flag) => process.execArgv.includes(flag))) {
  // The debugger flags stay with this process: a second --inspect would fight over the port.
  const nodeArgs = process.execArgv.filter((arg) => !/^--(?:inspect|debug)/.test(arg));
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...nodeArgs, ...logFlags, ...process.argv.slice(1)], { stdio: 'inherit' });
  // Waiting here (not in spawnSync) so a signal sent to this process alone reaches the child instead of leaving it
  // running, orphaned, after this one has gone; then this process ends the way the child did.
  const forward = (signal) => child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  let status;
  let signal;
  try {
    [status, signal] = await once(child, 'exit');
  } catch (error) {
    process.stderr.write(`guard: could not start the analysis process: ${error.message}\n`);
    process.exit(1);
  }
  for (const name of FORWARDED_SIGNALS) process.off(name, forward);
  if (signal) process.kill(process.pid, signal);
  process.exit(status ?? 1);
}

// V8's code for the bundle, cached on disk (Node >= 22.1; NODE_COMPILE_CACHE moves it, NODE_DISABLE_COMPILE_CACHE
// turns it off): ~20M fewer instructions of `guard analyze`'s start-up, as much as its whole analysis of a
// short log. Checked against the source's hash, so a rebuilt bundle is compiled afresh; it never throws.
nodeModule.enableCompileCache?.();
const bundle = await bundledCli();
let main;
if (bundle) {
  ({ main } = await import(bundle));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../shared/cli/main.ts'));
}
process.exitCode = await main(args);

// A log command has nothing left to run once its output is written: it exits instead of letting Node wind down (the
// collections V8 queued meanwhile, a last mark-compact among them whose pages raised the peak RSS of `guard analyze`
// on a 100 MB log from ~94 to ~103 MB; the environment's and heap's teardown: docs/performance.md, session 81). A
// stream still writing (a full pipe is written asynchronously, on Linux too) is waited for: its empty write calls back
// after the writes queued before it. One with nothing pending is not written to: even an empty write fails on a
// stderr that cannot take one (/dev/full), and the error would end a successful command with status 1. A write that
// found its reader gone has its EPIPE reported on a tick queued before the one awaited first here, so the handler
// above ends the process as SIGPIPE would. Node writes the compile cache on this exit too.
if (LOG_COMMANDS.has(args[0])) {
  await new Promise((resolve) => process.nextTick(resolve));
  const pending = [process.stdout, process.stderr].filter((stream) => stream.writableLength > 0);
  await Promise.all(pending.map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit();
}
