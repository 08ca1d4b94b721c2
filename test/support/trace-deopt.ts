import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const REPOSITORY_ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * The functions V8 threw away (`--trace-deopt`) while `script` ran as an ES module in a child, each with its reason,
 * in the order it did; `printed` is what the script writes when it ran to its end. One thread, so that when V8
 * optimises a function does not move with the machine's load. The readings depend on Node 22's V8.
 */
export function deoptimisedWhileRunning(script: string, printed: string): Array<{ name: string; reason: string }> {
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--single-threaded', '--trace-deopt', '--input-type=module', '-e', script], {
    cwd: REPOSITORY_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toContain(printed);
  return [...run.stdout.matchAll(/bailout \(kind: deopt-eager, reason: ([^)]*)\): begin\. deoptimizing \S+ <JSFunction (\S*)/g)].map((m) => ({
    name: m[2] as string,
    reason: m[1] as string,
  }));
}
