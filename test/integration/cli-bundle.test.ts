import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliBuildManifest, isFresh } from '../../bin/cli-bundle.js';
import { main } from '../../shared/cli/main.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SAMPLE = join(ROOT, 'events', 'logs', 'github-actions-jest-failure.log');

/** `node bin/guard.js …` as a user runs it, with the bundle cache in `cache`. */
async function guard(args: string[], cache: string): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [join(ROOT, 'bin', 'guard.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GUARD_CLI_CACHE: cache },
    timeout: 120_000,
  });
}

/** What the sources print for the same command, in this process (vitest runs the TypeScript). */
async function fromSources(args: string[]): Promise<string> {
  const out: string[] = [];
  async function* stdin() {}
  const code = await main(args, { out: (text) => out.push(text), err: () => {}, stdin: stdin() });
  expect(code).toBe(0);
  return out.map((text) => `${text}\n`).join('');
}

const manifestOf = (cache: string) => JSON.parse(readFileSync(join(cache, 'manifest.json'), 'utf8')) as CliBuildManifest;

describe('guard from its prebuilt bundle (bin/cli-bundle.js)', () => {
  let cache: string;
  beforeAll(() => {
    cache = mkdtempSync(join(tmpdir(), 'guard-cli-cache-'));
  });
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('builds on the first run and prints what the sources print', async () => {
    const { stdout } = await guard(['analyze', SAMPLE], cache);
    expect(stdout).toBe(await fromSources(['analyze', SAMPLE]));
    const manifest = manifestOf(cache);
    // The project files it was built from, the analyzer's among them; dependencies count through the lock file.
    expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining(['shared/cli/main.ts', 'shared/cli/commands/analyze.ts', 'package-lock.json']));
    expect(Object.keys(manifest.inputs).some((path) => path.startsWith('shared/logs/'))).toBe(true);
    expect(Object.keys(manifest.inputs).some((path) => path.includes('node_modules'))).toBe(false);
    // Each chunk is ASCII (bin/ascii-source.js), the rule table's and the injection detector's among them: Node reads
    // each as a one-byte string.
    const chunks = readdirSync(join(cache, manifest.dir)).filter((name) => name.endsWith('.mjs'));
    const nonAscii = chunks.filter((name) => /[^\x00-\x7f]/.test(readFileSync(join(cache, manifest.dir, name), 'utf8')));
    expect({ chunks: chunks.length > 10, nonAscii }).toEqual({ chunks: true, nonAscii: [] });
  }, 180_000);

  it('reuses the build while the files it was built from are unchanged', async () => {
    const before = manifestOf(cache).dir;
    const { stdout } = await guard(['analyze', '--json', SAMPLE], cache);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(await fromSources(['analyze', '--json', SAMPLE])));
    expect(manifestOf(cache).dir).toBe(before);
  }, 180_000);

  it('keeps the literal index beside its build, reads it on later runs, and writes a good one over one that is not', async () => {
    const image = join(cache, manifestOf(cache).dir, 'literal-index.bin');
    // Kept by the runs above, which built the index on the log's first line: the file's header, then the image's.
    const kept = readFileSync(image);
    expect([kept.readUInt32LE(0), kept.readUInt32LE(8)]).toEqual([0x58494750, 0x494c4750]);
    const expected = await fromSources(['analyze', SAMPLE]);
    const { mtimeMs } = statSync(image);
    expect((await guard(['analyze', SAMPLE], cache)).stdout).toBe(expected);
    expect(statSync(image).mtimeMs).toBe(mtimeMs);
    // Not an image, then a whole file whose blocks past the headers are zero (what a crash can leave): each is built
    // again and written over.
    const zeroed = Buffer.from(kept);
    zeroed.fill(0, 8 + 32);
    for (const bad of [Buffer.from('not an image'), zeroed]) {
      writeFileSync(image, bad);
      expect((await guard(['analyze', SAMPLE], cache)).stdout).toBe(expected);
      expect(readFileSync(image).equals(kept)).toBe(true);
    }
  }, 180_000);

  it('rebuilds when one of those files changed since', async () => {
    const manifest = manifestOf(cache);
    // As if shared/cli/main.ts had been edited after the build: its recorded time no longer matches.
    const recorded = manifest.inputs['shared/cli/main.ts'] as [number, number];
    writeFileSync(join(cache, 'manifest.json'), JSON.stringify({ ...manifest, inputs: { ...manifest.inputs, 'shared/cli/main.ts': [recorded[0] - 1000, recorded[1]] } }));
    await guard(['--help'], cache);
    expect(manifestOf(cache).dir).not.toBe(manifest.dir);
    expect(manifestOf(cache).inputs['shared/cli/main.ts']).toEqual(recorded);
  }, 180_000);

  it('ends quietly, as a command killed by SIGPIPE, when its reader stops early (guard kb list | head)', async () => {
    // Arrange: the reading end closed before guard writes its first line
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'guard.js'), 'analyze', SAMPLE], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GUARD_CLI_CACHE: cache },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    // Act
    const [code] = (await once(child, 'exit')) as [number | null];

    // Assert: no stack trace of the write that found the pipe closed
    expect(stderr).toBe('');
    expect(code).toBe(141);
  }, 180_000);

  it('prints the whole of a long report through a pipe its reader empties late, and exits with the status after it', async () => {
    // Arrange: 400 distinct compiler errors, each reported with 20 lines of context (~2.8 MB of JSON, many times
    // a pipe's buffer); the launcher exits as soon as a log command's output is written
    const dir = mkdtempSync(join(tmpdir(), 'guard-long-report-'));
    const word = (n: number) => n.toString(26).replace(/./g, (digit) => String.fromCharCode(97 + parseInt(digit, 26)));
    const log = join(dir, 'tsc.log');
    writeFileSync(log, Array.from({ length: 400 }, (_, i) => `src/${word(i * 7 + 3)}.ts(1,5): error TS2345: Argument of type "${word(i * 13 + 5)}" is not assignable to parameter of type "${word(i * 31 + 11)}".\n`).join(''));
    const args = ['analyze', '--json', '--max-failures', '400', '--context', '20', log];
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'guard.js'), ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GUARD_CLI_CACHE: cache },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.pause();
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = once(child, 'close');

      // Act: the reader starts reading a second later
      await new Promise((resolve) => setTimeout(resolve, 1000));
      child.stdout.resume();
      const [code] = (await closed) as [number | null];

      // Assert
      const printed = Buffer.concat(chunks).toString('utf8');
      expect(printed.length).toBeGreaterThan(1_000_000);
      expect(JSON.parse(printed)).toEqual(JSON.parse(await fromSources(args)));
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it.runIf(existsSync('/dev/full'))('ends a successful analysis with status 0 when its stderr can take no write (/dev/full)', async () => {
    // Arrange: even an empty write to /dev/full fails (ENOSPC); the analysis writes nothing to stderr
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'guard.js'), 'analyze', SAMPLE], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GUARD_CLI_CACHE: cache },
        stdio: ['ignore', 'pipe', full],
      });
      const chunks: Buffer[] = [];
      child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));

      // Act
      const [code] = (await once(child, 'close')) as [number | null];

      // Assert
      expect(code).toBe(0);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(await fromSources(['analyze', SAMPLE]));
    } finally {
      closeSync(full);
    }
  }, 180_000);

  it("ends a log command's usage error with status 2 and its message, as the command returned it", async () => {
    const failed = await guard(['analyze', SAMPLE, SAMPLE], cache).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect({ code: failed?.code, stderr: failed?.stderr }).toEqual({ code: 2, stderr: 'guard analyze: analyze needs exactly one log file (or - for stdin)\n' });
  }, 180_000);

  it('runs the sources through tsx when no bundle can be built', async () => {
    // A cache path below a regular file can never be created.
    const blocker = join(cache, 'not-a-directory');
    writeFileSync(blocker, '');
    const { stdout } = await guard(['analyze', SAMPLE], join(blocker, 'cache'));
    expect(stdout).toBe(await fromSources(['analyze', SAMPLE]));
  }, 180_000);
});

describe('isFresh (is a build still what its files would give?)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guard-cli-fresh-'));
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const recorded = (): CliBuildManifest => {
    const { mtimeMs, size } = statSync(join(dir, 'a.ts'));
    return { dir: 'build-1', inputs: { 'a.ts': [mtimeMs, size] } };
  };

  it('is fresh while every file has its recorded time and size', () => {
    expect(isFresh(recorded(), dir)).toBe(true);
  });

  it('is stale after an edit (new time), a change of size, or a deleted file', () => {
    const manifest = recorded();
    utimesSync(join(dir, 'a.ts'), new Date(), new Date(Date.now() + 5_000));
    expect(isFresh(manifest, dir)).toBe(false);
    expect(isFresh({ ...recorded(), inputs: { 'a.ts': [recorded().inputs['a.ts']![0], 1] } }, dir)).toBe(false);
    expect(isFresh({ dir: 'build-1', inputs: { 'gone.ts': [0, 0] } }, dir)).toBe(false);
  });

  it('reads paths in folders, and calls a file it cannot stat, or an entry that is not one, stale', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'b.ts'), 'export const b = 2;\n');
    const { mtimeMs, size } = statSync(join(dir, 'sub', 'b.ts'));
    expect(isFresh({ dir: 'build-1', inputs: { ...recorded().inputs, 'sub/b.ts': [mtimeMs, size] } }, dir)).toBe(true);
    // A folder on a recorded path that became a file, a name over the system's limit, an entry that is not a pair.
    expect(isFresh({ dir: 'build-1', inputs: { 'a.ts/c.ts': [mtimeMs, size] } }, dir)).toBe(false);
    expect(isFresh({ dir: 'build-1', inputs: { [`${'x'.repeat(300)}.ts`]: [mtimeMs, size] } }, dir)).toBe(false);
    expect(isFresh({ dir: 'build-1', inputs: { 'a.ts': 5 } } as unknown as CliBuildManifest, dir)).toBe(false);
  });

  it('is stale for a manifest that is not one', () => {
    expect(isFresh(null, dir)).toBe(false);
    expect(isFresh({ inputs: {} }, dir)).toBe(false);
    expect(isFresh({ dir: 'build-1' }, dir)).toBe(false);
  });
});

describe('guard on a big log', () => {
  /** A log in `dir` that is only its size, `bytes` (a sparse file): for a process that stops before reading it. */
  const sizedLog = (dir: string, bytes: number): string => {
    const path = join(dir, 'sized.log');
    writeFileSync(path, '');
    truncateSync(path, bytes);
    return path;
  };

  it('reads a log over 64 MB in a second process with the lean heap flags, a small one in its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-big-log-'));
    try {
      // Each process reports the flags it runs with.
      const reporter = join(dir, 'report.mjs');
      writeFileSync(reporter, "process.on('exit', () => process.stderr.write('argv ' + JSON.stringify(process.execArgv) + '\\n'));\n");
      const big = join(dir, 'big.log');
      const bytes = Buffer.alloc(64 * 1024 * 1024, 'added 612 packages in 9s\n');
      bytes.write('Error: bundle rejected by the validator\n');
      writeFileSync(big, bytes);
      const reports = async (log: string): Promise<string[][]> => {
        const { stderr } = await run(process.execPath, ['--import', pathToFileURL(reporter).href, join(ROOT, 'bin', 'guard.js'), 'analyze', '--json', log], {
          cwd: ROOT,
          timeout: 120_000,
          maxBuffer: 16 * 1024 * 1024,
        });
        return [...stderr.matchAll(/^argv (.*)$/gm)].map((m) => JSON.parse(m[1] as string) as string[]);
      };
      const bigRuns = await reports(big);
      expect(bigRuns).toHaveLength(2);
      expect(bigRuns.some((argv) => ['--max-semi-space-size=4', '--heap-growing-percent=50', '--max-inlined-bytecode-size-cumulative=300', '--single-threaded', '--no-incremental-marking'].every((flag) => argv.includes(flag)))).toBe(true);
      expect(bigRuns.some((argv) => argv.includes('--optimize-for-size'))).toBe(false);
      const smallRuns = await reports(SAMPLE);
      expect(smallRuns).toHaveLength(1);
      expect(smallRuns[0]).not.toContain('--heap-growing-percent=50');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('reads a log of 256 MB or more with V8 optimising for size as well', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-huge-log-'));
    try {
      // Only its size matters: the second process reports its flags and stops in this module, before it reads a byte.
      const huge = sizedLog(dir, 256 * 1024 * 1024);
      const reporter = join(dir, 'report.mjs');
      writeFileSync(
        reporter,
        "if (process.execArgv.includes('--single-threaded')) { process.stderr.write('argv ' + JSON.stringify(process.execArgv) + '\\n'); process.exit(0); }\n",
      );
      const { stderr } = await run(process.execPath, ['--import', pathToFileURL(reporter).href, join(ROOT, 'bin', 'guard.js'), 'analyze', '--json', huge], {
        cwd: ROOT,
        timeout: 120_000,
      });
      const argv = JSON.parse(/^argv (.*)$/m.exec(stderr)?.[1] ?? 'null') as string[] | null;
      expect(argv).toEqual(expect.arrayContaining(['--max-semi-space-size=4', '--heap-growing-percent=50', '--single-threaded', '--no-incremental-marking', '--optimize-for-size']));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('passes a signal sent to the launcher on to the second process, and ends by it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-big-log-'));
    let childPid = 0;
    try {
      // Only its size matters: the second process stops in this module, before it reads a byte.
      const big = sizedLog(dir, 64 * 1024 * 1024);
      const hang = join(dir, 'hang.mjs');
      writeFileSync(
        hang,
        "if (process.execArgv.includes('--heap-growing-percent=50')) { process.stderr.write('second ' + process.pid + '\\n'); setInterval(() => {}, 1000); await new Promise(() => {}); }\n",
      );
      const launcher = spawn(process.execPath, ['--import', pathToFileURL(hang).href, join(ROOT, 'bin', 'guard.js'), 'analyze', big], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const exited = once(launcher, 'exit');
      let stderr = '';
      for await (const chunk of launcher.stderr) {
        stderr += String(chunk);
        const m = /^second (\d+)$/m.exec(stderr);
        if (m) {
          childPid = Number(m[1]);
          break;
        }
      }
      expect(childPid).toBeGreaterThan(0);
      launcher.kill('SIGTERM');
      const [status, signal] = await exited;
      expect({ status, signal }).toEqual({ status: null, signal: 'SIGTERM' });
      // The launcher ends only once the second process has: nothing is left running.
      expect(() => process.kill(childPid, 0)).toThrow(/ESRCH/);
      childPid = 0;
    } finally {
      if (childPid > 0) process.kill(childPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
