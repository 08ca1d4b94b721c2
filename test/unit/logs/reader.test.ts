import { describe, expect, it } from 'vitest';
import { cleanLine, forEachLine, LineSplitter, readLines, stripAnsi } from '../../../shared/logs/index.js';
import { LONG_LINE_GAP, LONG_LINE_HEAD, LONG_LINE_TAIL } from '../../../shared/logs/reader.js';
import { seededRandom } from '../../support/random.js';

async function collect(source: Parameters<typeof forEachLine>[0], maxBytes?: number) {
  const lines: Array<[number, string]> = [];
  const meta = await forEachLine(source, (line, text) => lines.push([line, text]), maxBytes);
  return { lines, meta };
}

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  let i = 0;
  while (offset < bytes.length) {
    const size = sizes[i++ % sizes.length] ?? 1;
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

describe('line numbering convention', () => {
  it('numbers \\n-separated lines from 1, like split(b"\\n")', async () => {
    // Prepare
    const log = 'a\nb\n\nc';
    // Act
    const { lines, meta } = await collect(log);
    // Assert
    expect(lines).toEqual([[1, 'a'], [2, 'b'], [3, ''], [4, 'c']]);
    expect(meta.lineCount).toBe(4);
  });

  it.each([
    ['a final line break, which ends the last line', 'a\nb\n', 2],
    ['no final line break', 'a\nb', 2],
    ['an empty log', '', 0],
    ['a log of one line break', '\n', 1],
  ])('counts lines as `wc -l` does, and a last line without a line break: %s', async (_, log, count) => {
    // Act
    const { meta } = await collect(log);

    // Assert: `guard analyze` printed "1 lines" for an empty log, and one more than `wc -l` for a file ending in \n.
    expect(meta.lineCount).toBe(count);
  });

  it('counts the empty line after a trailing newline', async () => {
    const { lines } = await collect('x\n');
    expect(lines).toEqual([[1, 'x'], [2, '']]);
  });

  it('drops the \\r of \\r\\n line endings', async () => {
    const { lines } = await collect('one\r\ntwo\r\n');
    expect(lines.map(([, t]) => t)).toEqual(['one', 'two', '']);
  });

  it('does not start a line at a lone \\r and keeps the last progress segment', async () => {
    // Prepare
    const log = 'Downloading 10%\rDownloading 55%\rDownloading 100%\nnext';
    // Act
    const { lines } = await collect(log);
    // Assert
    expect(lines).toEqual([[1, 'Downloading 100%'], [2, 'next']]);
  });

  it('keeps the last non-empty segment when a rewrite ends with an erase sequence', () => {
    expect(cleanLine('Progress 3/3\r\x1b[0K')).toBe('Progress 3/3');
  });

  it('picks the segment the definition picks: the last whose text without escapes is not white space', () => {
    const lastVisible = (text: string): string => text.split('\r').reverse().find((seg) => stripAnsi(seg).trim() !== '') ?? '';
    const random = seededRandom(3);
    const tokens = ['\r', '\r\r', ' ', 'ok', '\x1b[0m', '\x1b[K', '[0m', '\u00a0', 'é', '\t', 'x y'];
    for (let k = 0; k < 20_000; k++) {
      let raw = '';
      for (let i = Math.floor(random() * 9); i > 0; i--) raw += tokens[Math.floor(random() * tokens.length)];
      const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      const expected = text.includes('\r') ? cleanLine(lastVisible(text)) : cleanLine(text);
      expect(cleanLine(raw), JSON.stringify(raw)).toBe(expected);
    }
  });

  it('strips a leading BOM, ANSI colours and GitHub Actions timestamps', async () => {
    // Prepare
    const log = '\ufeff2024-05-14T09:31:02.1234567Z \x1b[31;1mError:\x1b[0m boom\n2024-05-14T09:31:02Z plain';
    // Act
    const { lines } = await collect(log);
    // Assert
    expect(lines).toEqual([[1, 'Error: boom'], [2, 'plain']]);
  });

  it('removes SGR remnants left behind without their ESC byte', () => {
    expect(cleanLine('[1m[31mFAILED[0m test_x')).toBe('FAILED test_x');
  });

  it('keeps a bracketed word that starts with `m`, which a bare reset remnant `[m` looks like', () => {
    const text = [
      '== [models/x.sql] FAIL',
      'src/a.py:3: error: Cannot assign to a method  [method-assign]',
      'src/a.py:4: error: Unsupported operand  [misc]',
      '[main 1a2b3c4] Fix the build',
      '[metadata]',
      '[mypy-foo.*]',
      // Bracketed text after `[m` that is not a letter: a regular expression's class, a unit, a key.
      "grep -E '^[m-z]+$' words.txt",
      'velocity [m/s] out of range',
      'KeyError: [m_2]',
    ];
    for (const line of text) expect(cleanLine(line)).toBe(line);
  });

  it('still removes a bare `[m` remnant: glued to a word, before a bracket, a space or the line end', () => {
    expect(cleanLine('[[1;34mINFO[m] Building app')).toBe('[INFO] Building app');
    expect(cleanLine('[1mFAIL[m tests/[id].test.ts')).toBe('FAIL tests/[id].test.ts');
    expect(cleanLine('[31mError:[mmissing value')).toBe('Error:missing value');
    expect(cleanLine('[mfoo [bar]')).toBe('foo [bar]');
    expect(cleanLine('[33m([m[1;36mHEAD -> [m[1;32mmain[m[33m)[m Fix')).toBe('(HEAD -> main) Fix');
    expect(cleanLine('[mfoo\r')).toBe('foo');
    expect(cleanLine('[1mok[m')).toBe('ok');
  });

  it('cleans a line without an ESC as the escape expression does, whether a `[` in it may start a remnant or not', () => {
    // cleanLine runs the expression only where a `[` is followed by a digit, `;` or `m` (an ESC-less line's only codes):
    // stripAnsi, which always runs it, is the reference. Lines start with a letter, so no timestamp or prefix goes.
    const random = seededRandom(70);
    const pieces = ['[', ']', 'm', 'M', '0', '1', ';', 'x', '-', '.', '/', ' ', '_', 'INFO', '[m', '[0m', '[1;31m', '[warn]'];
    for (let n = 0; n < 3000; n++) {
      let line = 'a';
      for (let k = Math.floor(random() * 12); k >= 0; k--) line += pieces[Math.floor(random() * pieces.length)];
      expect(cleanLine(line), line).toBe(stripAnsi(line));
    }
  });

  it('removes the caret form of an escape (`^[[31m`, a log that printed ESC as `^[`) where it is a CSI sequence', () => {
    // `cat -v` and CI systems that escape control bytes print grep --color's and jansi's codes this way.
    const printed = [
      ['^[[1;31mERROR^[[0m: build failed', 'ERROR: build failed'],
      ['^[[01;31m^[[Kerror^[[m^[[K: x', 'error: x'],
      ['[^[[1;34mINFO^[[m] Building app', '[INFO] Building app'],
      ['^[[?25l^[[2K^[[1Adone^[[H^[[J', 'done'],
    ];
    for (const [raw, text] of printed) expect(cleanLine(raw as string), raw).toBe(text);
  });

  it('keeps a caret bracket that is a regular expression, not a printed escape', () => {
    // A bare final byte (no parameters) is taken only for the codes printed that way (`^[[m`, `^[[K`, `^[[H`,
    // `^[[J`), and not where a bracket expression follows it and closes: `^[[mK]`.
    for (const line of ["grep -E '^[[a-z]+$' names.txt", "grep -qE '^[[A-Z][a-z]+' NOTICE", "sed -n '/^[[:space:]]*#/d' x.conf", "rg '^[[mK]x]'", "awk '/^[[0-9]+]/' log"]) {
      expect(cleanLine(line), line).toBe(line);
    }
  });

  it('removes an escape with intermediates whole: `tput sgr0` prints ESC ( B before its reset', () => {
    expect(cleanLine('\x1b[1m\x1b[31mError: x\x1b(B\x1b[m')).toBe('Error: x');
    expect(cleanLine('\x1b(B\x1b[mError: x')).toBe('Error: x');
    expect(cleanLine('\x1b)0\x1b#8ok')).toBe('ok');
    // An ESC with intermediates and no final byte goes alone, as a bare ESC does.
    expect(cleanLine('ok \x1b(')).toBe('ok (');
  });
});

describe('streaming', () => {
  it('gives the same lines whatever the chunk boundaries (mid UTF-8, mid \\r\\n)', async () => {
    // Prepare
    const text = 'héllo wörld ✓ 🚀\r\nline two\r\n\x1b[32mgreen\x1b[0m ✗ fail\rrewritten\nlast ünïcode';
    const bytes = new TextEncoder().encode(text);
    const whole = await collect(text);
    // Act
    const results = [];
    for (const sizes of [[1], [2, 3], [5, 1, 7], [4]]) results.push(await collect(chunked(bytes, sizes)));
    // Assert
    for (const result of results) expect(result.lines).toEqual(whole.lines);
    expect(whole.lines[0]?.[1]).toBe('héllo wörld ✓ 🚀');
  });

  it('streams a generated multi-megabyte log split at awkward boundaries with exact line numbers', async () => {
    // Prepare
    const parts: string[] = [];
    for (let i = 1; i <= 60_000; i++) parts.push(i % 1000 === 0 ? `ERROR ünïcode ✗ line ${i}\r` : `line ${i} progress 1%\rline ${i} ok`);
    const bytes = new TextEncoder().encode(parts.join('\r\n'));
    const seen: number[] = [];
    let errors = 0;
    // Act
    const meta = await forEachLine(chunked(bytes, [4093, 1, 8191, 2]), (line, text) => {
      if (text.startsWith('ERROR')) {
        errors++;
        seen.push(line);
      } else if (text !== `line ${line} ok`) {
        throw new Error(`line ${line} decoded as ${JSON.stringify(text)}`);
      }
    });
    // Assert
    expect(meta.lineCount).toBe(60_000);
    expect(meta.bytesRead).toBe(bytes.length);
    expect(errors).toBe(60);
    expect(seen[0]).toBe(1000);
  });

  it('stops at maxBytes and reports truncation', async () => {
    const { lines, meta } = await collect('aaaa\nbbbb\ncccc\n', 7);
    expect(meta.truncated).toBe(true);
    expect(meta.bytesRead).toBe(7);
    expect(lines).toEqual([[1, 'aaaa'], [2, 'bb']]);
  });

  it('counts the bytes of a whole string as its UTF-8 bytes, a character astride its 1M-character slices included', async () => {
    // A string is fed in slices of 1M UTF-16 units: a slice that ended between the halves of a surrogate pair
    // counted each half as a 3-byte replacement character, so the log read 2 bytes more than it holds.
    const text = `${'a'.repeat((1 << 20) - 1)}😀 Error: boom\nnext\n`;
    const whole = await collect(text);
    expect(whole.meta.bytesRead).toBe(Buffer.byteLength(text));
    expect(whole).toEqual(await collect(Buffer.from(text)));
    const cut = (1 << 20) + 3;
    expect(await collect(text, cut)).toEqual(await collect(Buffer.from(text), cut));
  });

  it('accepts string chunks from an async iterable', async () => {
    async function* strings() {
      yield 'first li';
      yield 'ne\nsecond\n';
    }
    const { lines } = await collect(strings());
    expect(lines.map(([, t]) => t)).toEqual(['first line', 'second', '']);
  });

  it('exposes lines as an async iterator', async () => {
    const out = [];
    for await (const l of readLines(new TextEncoder().encode('a\r\nb'))) out.push(l);
    expect(out).toEqual([{ line: 1, text: 'a' }, { line: 2, text: 'b' }]);
  });

  it('keeps a runaway line without newlines bounded', () => {
    let last = '';
    const splitter = new LineSplitter((_line, text) => {
      last = text;
    });
    for (let i = 0; i < 40; i++) splitter.push('x'.repeat(64 * 1024));
    splitter.end();
    expect(last.length).toBe(LONG_LINE_HEAD + LONG_LINE_GAP.length + LONG_LINE_TAIL);
    expect(splitter.lines).toBe(1);
  });

  it('analyses a line over 1M characters as its head and its tail, whatever the chunking', async () => {
    const line = `Error: payload rejected ${'a'.repeat(900_000)} middle ${'b'.repeat(900_000)} FATAL: last words`;
    const bytes = new TextEncoder().encode(`first\n${line}\nlast`);
    const texts: string[][] = [];
    for (const size of [16 * 1024, 999, 1 << 20]) {
      const out: string[] = [];
      const splitter = new LineSplitter((_line, text) => out.push(text));
      for (let i = 0; i < bytes.length; i += size) splitter.push(bytes.subarray(i, i + size));
      splitter.end();
      texts.push(out);
    }
    const whole: string[] = [];
    const fromString = new LineSplitter((_line, text) => whole.push(text));
    fromString.push(`first\n${line}\nlast`);
    fromString.end();
    texts.push(whole);
    const expected = `${line.slice(0, LONG_LINE_HEAD)}${LONG_LINE_GAP}${line.slice(line.length - LONG_LINE_TAIL)}`;
    for (const out of texts) {
      expect(out.length).toBe(3);
      expect(out[0]).toBe('first');
      expect(out[1]).toBe(expected);
      expect(out[2]).toBe('last');
    }
    expect(expected.startsWith('Error: payload rejected')).toBe(true);
    expect(expected.endsWith('FATAL: last words')).toBe(true);
    expect(expected.includes('middle')).toBe(false);
  });
});
