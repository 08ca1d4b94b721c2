import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { publishBuild } from '../../../scripts/publish-build.js';

/**
 * A dashboard build put in place of the one a local runtime serves (scripts/publish-build.ts, which
 * `npm run build:web` and so every `npm start` runs): a page loaded meanwhile must get every file whole. The build
 * used to remove the directory and write it again, and a browser test of the same run (dashboard-phone) got a 404
 * for app.js and a blank page.
 */
const FILES = ['index.html', 'app.js', 'app-style.css'];
/** Bytes of each file: big enough that writing one is not a single step. */
const SIZE = 256 * 1024;

let root: string | undefined;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A build in a fresh directory under `root`: each of `names` holds SIZE copies of `mark`. */
function build(mark: string, names: readonly string[] = FILES): string {
  const staging = mkdtempSync(join(root as string, 'staging-'));
  for (const name of names) writeFileSync(join(staging, name), mark.repeat(SIZE));
  return staging;
}

/**
 * A reader on another thread, as the runtime's server is beside the build: reads the files over and over until
 * `shared[0]` is set, counts its reads in `shared[1]`, and reports every read that found a file missing or not whole
 * (not SIZE copies of one mark).
 */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { dist, files, size, shared } = workerData;
const state = new Int32Array(shared);
const problems = [];
parentPort.postMessage('reading');
while (Atomics.load(state, 0) === 0) {
  for (const name of files) {
    Atomics.add(state, 1, 1);
    try {
      const text = readFileSync(join(dist, name), 'utf8');
      if (text.length !== size || text !== text[0].repeat(size)) problems.push(name + ': ' + text.length + ' characters, not one build');
    } catch (error) {
      problems.push(name + ': ' + error.code);
    }
  }
}
parentPort.postMessage({ problems: problems.slice(0, 10) });
`;

describe('a dashboard build put in place of the one being served', () => {
  it('never shows a reader a file missing or half written, build after build', async () => {
    // Prepare: the build being served, and a reader of it
    root = mkdtempSync(join(tmpdir(), 'publish-build-'));
    const dist = join(root, 'dist');
    publishBuild(build('a'), dist);
    const shared = new SharedArrayBuffer(8);
    const state = new Int32Array(shared);
    const reader = new Worker(READER, { eval: true, workerData: { dist, files: FILES, size: SIZE, shared } });
    await once(reader, 'message');

    // Act: builds put in place while it reads. Before each next build the reader has read every file once more since
    // the last: on a slow or busy machine it once read only 108 times over the 40 builds, fewer than a round each,
    // and the builds then went by mostly unread. The deadline is under vitest's 60 s, so its message is the one seen.
    const deadline = Date.now() + 30_000;
    let problems: string[];
    try {
      for (let n = 0; n < 40; n += 1) {
        publishBuild(build(n % 2 === 0 ? 'b' : 'a'), dist);
        const readsBefore = Atomics.load(state, 1);
        while (Atomics.load(state, 1) < readsBefore + FILES.length) {
          if (Date.now() > deadline) throw new Error(`the reader read ${Atomics.load(state, 1)} times in 30 s, at build ${n}`);
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
      const answered = once(reader, 'message');
      Atomics.store(state, 0, 1);
      [{ problems }] = (await answered) as [{ problems: string[] }];
    } finally {
      // A failed wait must not leave the reader spinning in the process the other unit files share.
      Atomics.store(state, 0, 1);
      await reader.terminate();
    }

    // Assert
    expect(problems).toEqual([]);
  });

  it('leaves the new build and nothing else: a file the new build no longer has goes, and its staging directory is emptied', () => {
    // Prepare
    root = mkdtempSync(join(tmpdir(), 'publish-build-'));
    const dist = join(root, 'dist');
    publishBuild(build('a', [...FILES, 'old-chunk.js']), dist);
    const staging = build('b');

    // Act
    publishBuild(staging, dist);

    // Assert
    expect(readdirSync(dist).sort()).toEqual([...FILES].sort());
    for (const name of FILES) expect(readFileSync(join(dist, name), 'utf8')).toBe('b'.repeat(SIZE));
    expect(readdirSync(staging)).toEqual([]);
  });

  it('makes the directory when there is none yet (a fresh clone)', () => {
    // Prepare
    root = mkdtempSync(join(tmpdir(), 'publish-build-'));
    const dist = join(root, 'dist');

    // Act
    publishBuild(build('a'), dist);

    // Assert
    expect(readdirSync(dist).sort()).toEqual([...FILES].sort());
  });
});
