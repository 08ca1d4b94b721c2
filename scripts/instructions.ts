/**
 * Instruction counts for `npm run bench -- --instructions`: a command run under valgrind's cachegrind (without its
 * cache simulation), which counts the instructions of every thread, V8's compiler and collector threads included.
 * Unlike time, the count does not move with the load of a shared machine, so it is what two checkouts are compared
 * by there; it still moves by ~1 % between identical runs, with when V8's compiler thread finishes its work.
 */
import { spawnSync } from 'node:child_process';

/** valgrind's arguments to count the instructions of `command` (`--smc-check`: V8 writes code into anonymous memory). */
export function cachegrindArgs(command: readonly string[]): string[] {
  return ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', '--smc-check=all-non-file', ...command];
}

/** The instruction count in cachegrind's summary (`==123== I   refs:      9,356,424,504`), or null. */
export function instructionsOf(valgrindStderr: string): number | null {
  const match = /^==\d+== I\s+refs:\s+([\d,]+)\s*$/m.exec(valgrindStderr);
  return match ? Number((match[1] ?? '').replaceAll(',', '')) : null;
}

/** Runs `command` under cachegrind in `cwd`: its instructions, or null when valgrind is missing or the run fails. */
export function countInstructions(command: readonly string[], cwd: string): number | null {
  const run = spawnSync('valgrind', cachegrindArgs(command), { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error || run.status !== 0) return null;
  return instructionsOf(run.stderr ?? '');
}
