import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtOnceInRun, scratchDir, stampsOf, unchangedSince } from './support.js';

/**
 * Review of infra70 (session 70): the function bundles built once a run and shared by the infra workers through the
 * run's directory (test/infra/support.ts, builtOnceInRun). Each row was seen failing first. Milliseconds of CPU each;
 * the waits are the poll's (a second).
 *
 * None open.
 */

/** `promise`, or a failure after `ms`: a wait that never ends shows as this, not as vitest's 60 s timeout. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** A process id that no process has: a child's, after it ended. */
function endedProcessId(): number {
  const { pid, status } = spawnSync('true');
  expect(status).toBe(0);
  return pid;
}

describe('a bundle claimed by a worker that is gone', () => {
  it('a claim whose maker ended mid-build (crashed, or ended by vitest after its last file) is taken over, not waited on forever', async () => {
    const dir = scratchDir('run-');
    mkdirSync(join(dir, 'classify.building'));
    writeFileSync(join(dir, 'classify.building', 'pid'), String(endedProcessId()));

    await expect(within(builtOnceInRun(dir, 'classify', async () => ({ code: 'made here' })), 5_000)).resolves.toEqual({ code: 'made here' });
  });

  it('a claim whose maker never named itself, long ago, is taken over', async () => {
    const dir = scratchDir('run-');
    mkdirSync(join(dir, 'notify.building'));
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'notify.building'), longAgo, longAgo);

    await expect(within(builtOnceInRun(dir, 'notify', async () => ({ code: 'made here' })), 5_000)).resolves.toEqual({ code: 'made here' });
  });

  it('a claim whose maker still runs is waited on, and its value read', async () => {
    const dir = scratchDir('run-');
    mkdirSync(join(dir, 'reconcile.building'));
    writeFileSync(join(dir, 'reconcile.building', 'pid'), String(process.pid));
    let made = false;
    const waiting = builtOnceInRun(dir, 'reconcile', async () => {
      made = true;
      return { code: 'made here' };
    });
    setTimeout(() => writeFileSync(join(dir, 'reconcile.json'), JSON.stringify({ code: 'made there' })), 1_500);

    await expect(within(waiting, 5_000)).resolves.toEqual({ code: 'made there' });
    expect(made).toBe(false);
  });
});

describe('a bundle made before its sources changed (watch mode reruns share the run directory and the workers)', () => {
  it('a value in the run directory that is no longer usable is made again, not read', async () => {
    const dir = scratchDir('run-');
    writeFileSync(join(dir, 'analyze.json'), JSON.stringify({ code: 'before the edit' }));

    const value = await within(
      builtOnceInRun(dir, 'analyze', async () => ({ code: 'after the edit' }), (made) => made.code === 'after the edit'),
      5_000,
    );
    expect(value).toEqual({ code: 'after the edit' });
    expect(JSON.parse(readFileSync(join(dir, 'analyze.json'), 'utf8'))).toEqual({ code: 'after the edit' });
  });

  it('a bundle’s stamps tell an input edited since (same size too) from one untouched', () => {
    const dir = scratchDir('src-');
    const edited = join(dir, 'handler.ts');
    const untouched = join(dir, 'shared.ts');
    writeFileSync(edited, 'export const a = 1;');
    writeFileSync(untouched, 'export const b = 2;');
    const bundle = { stamps: stampsOf([edited, untouched]) };
    expect(unchangedSince(bundle)).toBe(true);

    writeFileSync(edited, 'export const a = 2;');
    // Its modification time a second on, as an editor's save a moment later: the size alone says nothing here.
    const later = new Date(statSync(edited).mtimeMs + 1_000);
    utimesSync(edited, later, later);
    expect(unchangedSince(bundle)).toBe(false);
    expect(unchangedSince({ stamps: stampsOf([untouched]) })).toBe(true);
  });
});
