import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileChunks, type CliIO } from '../../../shared/cli/io.js';
import { main } from '../../../shared/cli/main.js';

const SAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../events/logs/github-actions-jest-failure.log');

function capture(stdinText = ''): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  async function* stdin() {
    yield Buffer.from(stdinText);
  }
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), stdin: stdin() };
}

describe('guard CLI', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'guard-cli-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints help with the command table', async () => {
    const io = capture();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/analyze .*\n.*extract/);
  });

  it('describes in --help every option the usage line of analyze and extract names', async () => {
    for (const command of ['analyze', 'extract']) {
      const io = capture();
      expect(await main([command, '--help'], io)).toBe(0);
      const [usage = '', ...rest] = io.stdout.join('\n').split('\n');
      const options = [...usage.matchAll(/\[(--[a-z-]+)/g)].map((m) => m[1] as string);
      expect(options.length, command).toBeGreaterThan(0);
      for (const option of options) expect(rest.some((line) => line.trimStart().startsWith(`${option} `)), `${command} ${option}`).toBe(true);
    }
  });

  it('explains a log with the configured analyzer (offline without a model)', async () => {
    const io = capture();
    const saved = { ANALYZER: process.env.ANALYZER, BEDROCK_MODEL_ID: process.env.BEDROCK_MODEL_ID, LLM_BASE_URL: process.env.LLM_BASE_URL };
    delete process.env.ANALYZER;
    delete process.env.BEDROCK_MODEL_ID;
    delete process.env.LLM_BASE_URL;
    try {
      expect(await main(['analyze', '--explain', SAMPLE], io)).toBe(0);
    } finally {
      for (const [key, value] of Object.entries(saved)) if (value !== undefined) process.env[key] = value;
    }
    const text = io.stdout.join('\n');
    expect(text).toMatch(/analysis by offline \(configured: offline\)/);
    expect(text).toMatch(/root cause: .*Invoice totals/);
    expect(text).toMatch(/tokens: none \(no model was called\) · cost \$0/);
  });

  it("shows the line that explains a long failure, not only the block's first 20 lines", async () => {
    // Prepare: a traceback of 12 frames (24 lines) whose exception comes after them.
    const frames = Array.from({ length: 12 }, (_, i) => [`  File "app/step${i}.py", line ${10 + i}, in step${i}`, `    return step${i + 1}(total)`]).flat();
    const path = join(dir, 'job.log');
    writeFileSync(path, ['$ python app/main.py', 'Traceback (most recent call last):', ...frames, 'ValueError: total must not be negative: -3', 'The command "python app/main.py" exited with 1.'].join('\n'));
    const io = capture();
    // Act
    expect(await main(['analyze', path], io)).toBe(0);
    // Assert
    const block = io.stdout.join('\n').split('\n#1 ')[1] ?? '';
    expect(block).toContain('27 | ValueError: total must not be negative: -3');
    expect(block).toContain(' 2 | Traceback (most recent call last):');
    expect(block).toContain('… 6 more lines');
  });

  it('says "root cause: not determined", not "root cause: Root cause not determined"', async () => {
    // Prepare: a script's own message, of no kind a rule knows, before its exit code.
    const path = join(dir, 'job.log');
    writeFileSync(path, ['##[group]Run ./scripts/release-check.sh', 'Checking version...', 'Version mismatch between manifest and tag.', '##[error]Process completed with exit code 3.', '##[endgroup]'].join('\n'));
    const io = capture();
    // Act
    expect(await main(['analyze', path], io)).toBe(0);
    // Assert
    const text = io.stdout.join('\n');
    expect(text).toContain('\nroot cause: not determined (step "Run ./scripts/release-check.sh"): no rule says what kind of failure its leading line is;');
    expect(text).not.toMatch(/root cause: root cause/i);
  });

  it('says an empty log is empty, rather than that no failure line was recognised in it', async () => {
    // Prepare: a 0-byte file (a download that failed, a redirect to the wrong file).
    const path = join(dir, 'empty.log');
    writeFileSync(path, '');
    const io = capture();
    // Act
    expect(await main(['analyze', path], io)).toBe(0);
    // Assert
    const text = io.stdout.join('\n');
    expect(text).toMatch(/\n\nthe log is empty \(0 bytes\): nothing to analyse$/);
    expect(text).not.toContain('no failure lines recognised');
    // A log cut at --max-bytes 0 is not empty.
    const cut = capture();
    expect(await main(['analyze', '--max-bytes', '0', SAMPLE], cut)).toBe(0);
    expect(cut.stdout.join('\n')).not.toContain('the log is empty');
  });

  it('rejects an unknown command with one line and a non-zero status', async () => {
    const io = capture();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.stderr).toEqual(['guard: unknown command "frobnicate" (try guard --help)']);
  });

  it('reports a missing file on one line', async () => {
    const io = capture();
    expect(await main(['analyze', join(dir, 'nope.log')], io)).toBe(2);
    expect(io.stderr).toHaveLength(1);
    expect(io.stderr[0]).toMatch(/^guard analyze: cannot read .*nope\.log: no such file$/);
  });

  it('refuses archives and binary files with a hint instead of printing their bytes', async () => {
    const cases: Array<[string, Buffer, RegExp]> = [
      ['logs.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /logs\.zip is a zip archive .*unzip it/],
      ['job.log.gz', Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]), /job\.log\.gz is a gzip archive: decompress it first \(gunzip -c/],
      // The README: each is refused "with a line saying what to do instead", a binary file too.
      ['core.bin', Buffer.from('ELF\u0000\u0001binary'), /core\.bin looks binary \(NUL bytes\), not a text log: give it the job's log as text \(GitHub: the job's raw log, or gh run view <run> --log-failed\)$/],
    ];
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const io = capture();
      expect(await main(['analyze', path], io), name).toBe(1);
      expect(io.stdout).toEqual([]);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
    }
  });

  it('says how to decompress a gzip log into where it was given: a file, standard input or --baseline', async () => {
    const gzip = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]);
    const green = join(dir, 'green.log.gz');
    writeFileSync(green, gzip);
    const fromStdin = capture();
    fromStdin.stdin = (async function* () {
      yield gzip;
    })();
    const baseline = capture();

    expect(await main(['analyze', '-'], fromStdin)).toBe(1);
    expect(await main(['analyze', SAMPLE, '--baseline', green], baseline)).toBe(1);

    expect(fromStdin.stderr).toEqual(['guard analyze: stdin is a gzip archive: decompress it first (pipe it through gunzip -c into guard analyze -)']);
    expect(baseline.stderr).toEqual([`guard analyze: ${green} is a gzip archive: decompress it first (gunzip -c ${green} | guard analyze ${SAMPLE} --baseline -)`]);
  });

  it('refuses a compressed or binary knowledge-base import by what it is, before looking for the tables', async () => {
    const cases: Array<[string, Buffer, string]> = [
      ['history.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]), 'is a gzip archive: decompress it first (gunzip -k'],
      ['history.zip', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), 'is a zip archive: unzip it and import the CSV or JSON file inside'],
      ['history.csv', Buffer.from('timestamp\u0000,title'), 'looks binary (NUL bytes), not a CSV or JSON file'],
    ];
    const { createKbCommand } = await import('../../../shared/cli/commands/kb.js');
    const kb = createKbCommand(() => Promise.reject(new Error('the tables were asked for')));
    for (const [name, bytes, message] of cases) {
      const path = join(dir, name);
      writeFileSync(path, bytes);

      await expect(kb.run(['import', path], capture()), name).rejects.toThrow(`${path} ${message}`);
    }
  });

  it('counts every invalid row of a knowledge-base import, and says how many it did not list', async () => {
    // Arrange: 150 rows without a title, none of which reaches the tables
    const path = join(dir, 'history.csv');
    const header = 'timestamp,title,description,service,severity,resolution_time,solution,tags,success';
    writeFileSync(path, [header, ...Array.from({ length: 150 }, (_, i) => `2026-10-01T10:00:00Z,,row ${i},ci,low,,,,`)].join('\n'));
    const { createKbCommand } = await import('../../../shared/cli/commands/kb.js');
    const kb = createKbCommand(async () => ({ knowledge: {} }) as never);
    const io = capture();

    // Act
    const code = await kb.run(['import', path, '--quiet'], io);

    // Assert
    expect(code).toBe(1);
    expect(io.stdout).toEqual(['imported 0 of 150 rows (0 already imported, 150 invalid)']);
    expect(io.stderr.slice(0, 1)).toEqual(['row 1: title: must not be empty']);
    expect(io.stderr.at(-1)).toBe('… and 130 more invalid rows');
  });

  it('loads a command only when it runs (guard analyze does not import the AWS SDK)', async () => {
    const { COMMANDS } = await import('../../../shared/cli/commands/index.js');
    const { analyzeCommand } = await import('../../../shared/cli/commands/analyze.js');
    const { kbCommand } = await import('../../../shared/cli/commands/kb.js');
    const byName = new Map(COMMANDS.map((c) => [c.name, c]));
    for (const real of [analyzeCommand, kbCommand]) {
      expect(byName.get(real.name)?.summary).toBe(real.summary);
      expect(byName.get(real.name)?.usage).toBe(real.usage);
    }
  });

  it('rejects unknown options', async () => {
    const io = capture();
    expect(await main(['analyze', SAMPLE, '--colour'], io)).toBe(2);
    expect(io.stderr[0]).toBe('guard analyze: unknown option --colour');
  });

  it('names an unknown subcommand as unknown and lists the valid ones', async () => {
    const cases: Array<[string[], string]> = [
      [['kb', 'bogus'], 'guard kb: unknown kb subcommand "bogus": use import, export, list, search or migrate'],
      [['kb'], 'guard kb: kb needs a subcommand: import, export, list, search or migrate'],
      [['experiments', 'bogus'], 'guard experiments: unknown experiments subcommand "bogus": use create, show, list, stop or promote'],
      [['incidents', 'bogus'], 'guard incidents: unknown incidents subcommand "bogus": use list, show or sweep-waits'],
    ];
    for (const [argv, message] of cases) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toEqual([message]);
    }
  });

  it('prints the message of its own errors without their class name', async () => {
    const saved = { GUARD_DATA_DIR: process.env.GUARD_DATA_DIR, GUARD_API_URL: process.env.GUARD_API_URL };
    process.env.GUARD_DATA_DIR = dir;
    delete process.env.GUARD_API_URL;
    try {
      const io = capture();
      expect(await main(['incidents', 'list'], io)).toBe(1);
      expect(io.stderr).toEqual([expect.stringMatching(/^guard incidents: no Pipeline Guard API to ask: start the local runtime with "npm start"/)]);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('prints a readable report with line numbers, text, category and fingerprint', async () => {
    // Act
    const io = capture();
    const code = await main(['analyze', SAMPLE], io);
    // Assert
    const text = io.stdout.join('\n');
    expect(code).toBe(0);
    expect(text).toContain('category: test_failure');
    expect(text).toMatch(/#1 test_failure · jest\.failed · lines \d+-\d+ · fingerprint [0-9a-f]{16}/);
    expect(text).toMatch(/\s77 \| +● Invoice totals › applies the discount before tax/);
  });

  it('analyses a log the same whether it is small enough to be read whole or streamed, --max-bytes included', async () => {
    // Over 1 MB: the sample's failure after ~1.2 MB of ordinary output (streamed), and the sample alone (read whole).
    const sample = readFileSync(SAMPLE, 'utf8');
    const padding = 'ok 1 - ordinary output line that no rule reads\n'.repeat(25_000);
    const big = join(dir, 'big.log');
    const small = join(dir, 'small.log');
    writeFileSync(big, padding + sample);
    writeFileSync(small, sample);
    const report = async (args: string[]) => {
      const io = capture();
      expect(await main(['analyze', '--json', ...args], io)).toBe(0);
      return JSON.parse(io.stdout.join('\n')) as { failures: Array<{ startLine: number; rule: string }>; bytesRead: number; truncated: boolean };
    };
    const whole = await report([small]);
    const streamed = await report([big]);
    const lines = padding.split('\n').length - 1;
    expect(streamed.failures.map((f) => [f.rule, f.startLine - lines])).toEqual(whole.failures.map((f) => [f.rule, f.startLine]));
    expect(whole.failures.length).toBeGreaterThan(0);
    for (const file of [small, big]) {
      const cut = await report(['--max-bytes', '1000', file]);
      expect([cut.bytesRead, cut.truncated]).toEqual([1000, true]);
    }
  });

  it('prints the structured result with --json, reading stdin for -', async () => {
    const io = capture(readFileSync(SAMPLE, 'utf8'));
    expect(await main(['analyze', '-', '--json'], io)).toBe(0);
    const parsed = JSON.parse(io.stdout.join('\n')) as { category: string; failures: unknown[]; fingerprint: string };
    expect(parsed.category).toBe('test_failure');
    expect(parsed.failures.length).toBeGreaterThan(0);
    expect(parsed.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reads a UTF-16 log as the same log in UTF-8: either byte order, with or without a mark, from stdin, and streamed when large', async () => {
    // Prepare: UTF-16LE with a byte order mark is what PowerShell's `>` writes. The mark is not part of the text.
    const text = readFileSync(SAMPLE, 'utf8').replace(/^\ufeff/, '');
    const large = text.repeat(130);
    const le = Buffer.from(`\ufeff${text}`, 'utf16le');
    const cases: Array<[string, string, Buffer]> = [
      ['le.log', text, le],
      ['be.log', text, Buffer.from(le).swap16()],
      ['no-mark.log', text, Buffer.from(text, 'utf16le')],
      ['large.log', large, Buffer.from(`\ufeff${large}`, 'utf16le')],
    ];
    const analysed = async (path: string, stdin?: Buffer) => {
      const io = capture();
      if (stdin) {
        // Odd chunks: a UTF-16 unit split between two of them.
        io.stdin = (async function* () {
          for (let at = 0; at < stdin.length; at += 4097) yield stdin.subarray(at, at + 4097);
        })();
      }
      expect(await main(['analyze', stdin ? '-' : path, '--json'], io), path).toBe(0);
      return JSON.parse(io.stdout.join('\n')) as { failures: unknown[] };
    };

    for (const [name, utf8, utf16] of cases) {
      writeFileSync(join(dir, `utf8-${name}`), utf8);
      writeFileSync(join(dir, name), utf16);
      // Act
      const expected = await analysed(join(dir, `utf8-${name}`));
      const fromFile = await analysed(join(dir, name));
      const fromStdin = await analysed('-', utf16);

      // Assert
      expect(expected.failures.length, name).toBeGreaterThan(0);
      expect(fromFile, name).toEqual(expected);
      expect(fromStdin, name).toEqual(expected);
    }
  });

  it('still calls a file of 16-bit numbers binary: UTF-16 without a mark is text that is nearly all ASCII', async () => {
    const samples = join(dir, 'samples.bin');
    writeFileSync(samples, Buffer.from(Uint16Array.from({ length: 4096 }, (_, i) => i).buffer));
    const io = capture();

    expect(await main(['analyze', samples], io)).toBe(1);
    expect(io.stderr).toEqual([`guard analyze: ${samples} looks binary (NUL bytes), not a text log: give it the job's log as text (GitHub: the job's raw log, or gh run view <run> --log-failed)`]);
  });

  it('extracts predictions for a corpus in the scorer format', async () => {
    // Prepare
    writeFileSync(join(dir, 'a.log'), '$ go test ./...\n--- FAIL: TestX (0.00s)\n    x_test.go:9: boom\nFAIL\n');
    writeFileSync(join(dir, 'labels.jsonl'), `${JSON.stringify({ id: 'a', log_file: 'a.log', label_line_numbers: [2] })}\n${JSON.stringify({ id: 'b', log_file: 'missing.log' })}\n`);
    const out = join(dir, 'out', 'pred.jsonl');
    // Act
    const io = capture();
    const code = await main(['extract', '--corpus', dir, '--out', out], io);
    // Assert
    expect(code).toBe(0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; lines: number[]; category: string; confidence: number });
    expect(rows[0]).toMatchObject({ id: 'a', lines: [3, 2], category: 'test_failure' });
    expect(rows[0]?.confidence).toBeGreaterThan(0.5);
    expect(rows[0]?.confidence).toBeLessThanOrEqual(1);
    expect(rows[1]).toEqual({ id: 'b', lines: [], category: 'unknown', confidence: 0 });
    expect(io.stderr[0]).toMatch(/2 logs .* \(1 unreadable\)$/);
  });

  it('requires --corpus and --out for extract', async () => {
    const io = capture();
    expect(await main(['extract', '--corpus', dir], io)).toBe(2);
    expect(io.stderr).toEqual(['guard extract: extract needs --corpus <dir> and --out <file>']);
  });
});

describe('fileChunks', () => {
  it('reads a file in order from a position, and closes it when its reader stops early', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-chunks-'));
    try {
      const path = join(dir, 'log.txt');
      const bytes = Buffer.from(Array.from({ length: 700_000 }, (_, i) => (i * 7) % 251));
      writeFileSync(path, bytes);
      // Chunks share two buffers, so each is copied before the next is asked for.
      const read = async (position?: number) => {
        const copies: Buffer[] = [];
        for await (const chunk of fileChunks(path, position)) copies.push(Buffer.from(chunk));
        return copies;
      };
      const whole = await read();
      expect(Buffer.concat(whole).equals(bytes)).toBe(true);
      expect(whole.length).toBe(3);
      expect(Buffer.concat(await read(123_457)).equals(bytes.subarray(123_457))).toBe(true);
      expect(await read(bytes.length)).toEqual([]);
      if (existsSync('/proc/self/fd')) {
        const open = () => readdirSync('/proc/self/fd').length;
        const before = open();
        for await (const chunk of fileChunks(path)) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
        expect(open()).toBe(before);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
