/**
 * What the test workers of one run make once and share (test/infra's function bundles, the local runtime's bundle that
 * the crash tests start as a child process): made in global setup's directory for the run by the first worker that
 * asks, read by the others, and made again only when what it was made from has changed.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Each file's modification time and size (null for none), by its path (relative to the project root, or absolute):
 * what a value made once in the run was made from (a bundle's inputs, as esbuild's metafile names them from the
 * project root where it builds, and the modules that say how it is built).
 */
export function stampsOf(files: readonly string[]): Record<string, string | null> {
  const stamps: Record<string, string | null> = {};
  for (const file of files) {
    const stat = statSync(resolve(ROOT, file), { throwIfNoEntry: false });
    stamps[file] = stat === undefined ? null : `${stat.mtimeMs}:${stat.size}`;
  }
  return stamps;
}

/**
 * Whether what `bundle` was built from is as it was. A run's bundles outlive a change to their sources in watch mode
 * (`npx vitest test/infra`): the run's directory stays for every rerun, and a worker's module state with it (only
 * changed modules and their importers are evaluated again), so without this a
 * rerun after an edit read the bundle of before it, and a test of the bundles could not fail on the edit.
 */
export function unchangedSince(bundle: { stamps: Record<string, string | null> }): boolean {
  const now = stampsOf(Object.keys(bundle.stamps));
  return Object.entries(bundle.stamps).every(([file, stamp]) => now[file] === stamp);
}

/**
 * `make()`'s value for `key`, made by one worker of the run and read by the others from `dir`: `KEY.json` once made;
 * `KEY.building`, a directory (made or refused atomically) holding its maker's process id, while a worker makes it.
 * A worker that finds it claimed waits for a change in the directory (the file renamed into place, or the claim given
 * up after a failed `make()`, when it claims it itself) or for the claim's maker to be gone: a worker that ended or
 * crashed mid-build (vitest ends a worker after its last file, even with a timed-out test's build still running)
 * released nothing, and its claim would have held every other worker until its test timed out, and each later file
 * of theirs that asked again. A value made before a change to what it is made from (`usable` says no) is made again.
 * Two workers that both find the maker gone, or the value stale, may both make it: the same value, put in place by an
 * atomic rename, so that costs time, never a wrong value.
 */
export async function builtOnceInRun<T>(dir: string, key: string, make: () => Promise<T>, usable: (value: T) => boolean = () => true): Promise<T> {
  mkdirSync(dir, { recursive: true });
  const built = join(dir, `${key}.json`);
  const claim = join(dir, `${key}.building`);
  for (;;) {
    if (existsSync(built)) {
      const value = JSON.parse(readFileSync(built, 'utf8')) as T;
      if (usable(value)) return value;
      // Made before a change to what it was made from (watch mode's reruns share the run's directory): made again.
      rmSync(built, { force: true });
    }
    try {
      mkdirSync(claim);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      await changedUntil(dir, () => existsSync(built) || !existsSync(claim) || claimAbandoned(claim));
      if (!existsSync(built) && claimAbandoned(claim)) rmSync(claim, { recursive: true, force: true });
      continue;
    }
    try {
      writeFileSync(join(claim, 'pid'), String(process.pid));
      const value = await make();
      writeFileSync(`${built}.${process.pid}`, JSON.stringify(value));
      renameSync(`${built}.${process.pid}`, built);
      return value;
    } finally {
      rmSync(claim, { recursive: true, force: true });
    }
  }
}

/** How long a claim may go without its maker's process id (written just after the claim) before it counts as abandoned. */
const UNNAMED_CLAIM_MS = 5_000;

/** Whether `claim`'s maker is gone: its process no longer runs, or it never named itself. */
function claimAbandoned(claim: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(claim, 'pid'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const made = statSync(claim, { throwIfNoEntry: false });
    return made !== undefined && Date.now() - made.mtimeMs > UNNAMED_CLAIM_MS;
  }
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: a process of another user runs under that id, so something does.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** How often a waiting worker asks again without a change in the directory: a maker's end changes nothing there. */
const CLAIM_POLL_MS = 1_000;

/**
 * Resolves once `done()` holds, asking again at each change in `dir` (and once after watching, so none is missed) and
 * every {@link CLAIM_POLL_MS}.
 */
function changedUntil(dir: string, done: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      watcher.close();
      clearInterval(poll);
      if (error) reject(error);
      else resolve();
    };
    const ask = () => {
      try {
        if (done()) finish();
      } catch (error) {
        finish(error as Error);
      }
    };
    const watcher = watch(dir, ask);
    watcher.on('error', finish);
    const poll = setInterval(ask, CLAIM_POLL_MS);
    ask();
  });
}
