import { describe, expect, it } from 'vitest';
import { analyzeLog, fingerprintOf, normalizeLine } from '../../../shared/logs/index.js';

describe('normalizeLine', () => {
  it.each([
    ['2024-05-14T09:31:02.1234567Z FAIL src/a.test.ts (5.112 s)', '<ts> FAIL src/a.test.ts (<dur>)'],
    ['at f (/home/runner/work/app/app/src/a.ts:43:27)', 'at f (<ws>/src/a.ts:<n>:<n>)'],
    ['at f (/Users/runner/work/app/app/src/a.ts:9:1)', 'at f (<ws>/src/a.ts:<n>:<n>)'],
    ['cannot open /tmp/tmp.Xy12ab/out', 'cannot open <tmp>/out'],
    ['ENOENT /var/folders/bb/n7t3rs15/T/dkwnjrjb/file.txt', 'ENOENT <tmp>/file.txt'],
    ['request 123e4567-e89b-12d3-a456-426614174000 failed', 'request <uuid> failed'],
    ['HEAD is now at 8c1f2e7 Merge', 'HEAD is now at <hex> Merge'],
    ['killed pid 4242 after 12ms', 'killed pid <n> after <dur>'],
  ])('masks %s', (input, expected) => {
    expect(normalizeLine(input)).toBe(expected);
  });

  it('collapses every kind of whitespace that \\s matches, anywhere, and nothing else', () => {
    const whitespace: string[] = [];
    for (let c = 0; c <= 0xffff; c++) if (/\s/.test(String.fromCharCode(c))) whitespace.push(String.fromCharCode(c));
    const others = ['\u0001', '\u001f', '\u007f', '\u0085', '\u200b', '\u00ad', 'é', 'x'];
    for (const ws of [...whitespace, ...others]) {
      for (const text of [`a${ws}b`, `${ws}ab`, `ab${ws}`, `a ${ws}b`, `a${ws} b`, `${ws}`, `a${ws}${ws}b`]) {
        expect(normalizeLine(text), JSON.stringify(text)).toBe(text.replace(/\s+/g, ' ').trim());
      }
    }
    for (const text of ['a  b', ' a', 'a ', '  ', 'a b c']) expect(normalizeLine(text)).toBe(text.replace(/\s+/g, ' ').trim());
  });
});

describe('fingerprint stability', () => {
  const run = (ts: string, sha: string, tmp: string, ms: number, line: number, col: number, root: string): string =>
    [
      `${ts} ##[group]Run npm test`,
      `${ts} ##[endgroup]`,
      `${ts}  FAIL  src/cart.test.ts (${ms / 1000} s)`,
      `${ts}   ● Cart › adds tax`,
      `${ts}     Expected: 107`,
      `${ts}     Received: 100`,
      `${ts}       at Object.<anonymous> (${root}/src/cart.test.ts:${line}:${col})`,
      `${ts}     snapshot written to ${tmp}/snap-${sha}.txt in ${ms}ms`,
      `${ts} ##[error]Process completed with exit code 1.`,
    ].join('\n');

  it('gives the same fingerprint for the same failure in another run, commit and runner', async () => {
    // Prepare
    const a = run('2024-05-14T09:31:02.1234567Z', '8c1f2e7d9a4b', '/tmp/tmp.AbC123', 5112, 14, 23, '/home/runner/work/shop/shop');
    const b = run('2024-06-01T22:10:59.0000001Z', 'f00dbabe1234', '/tmp/tmp.zz9Q87', 7020, 15, 9, '/Users/runner/work/shop/shop');
    // Act
    const [fa, fb] = await Promise.all([analyzeLog(a), analyzeLog(b)]);
    // Assert
    expect(fa.failures[0]?.rule).toBe('jest.failed');
    expect(fa.fingerprint).toBe(fb.fingerprint);
    expect(fa.template).toBe(fb.template);
  });

  it('gives different fingerprints for different failures', async () => {
    // Prepare
    const a = run('2024-05-14T09:31:02Z', 'abc1234', '/tmp/x1', 10, 1, 1, '/w');
    const b = a.replace('Cart › adds tax', 'Cart › removes items');
    const c = 'src/index.ts(3,7): error TS2322: Type \'string\' is not assignable to type \'number\'.';
    // Act
    const [fa, fb, fc] = await Promise.all([analyzeLog(a), analyzeLog(b), analyzeLog(c)]);
    // Assert
    expect(new Set([fa.fingerprint, fb.fingerprint, fc.fingerprint]).size).toBe(3);
  });

  it('ignores blank lines and lines past the eighth', () => {
    const base = ['Error: boom', '', 'at a (x.js:1:1)'];
    expect(fingerprintOf(base.join('\n')).fingerprint).toBe(fingerprintOf(base.filter(Boolean).join('\n')).fingerprint);
    const long = Array.from({ length: 8 }, (_, i) => `frame ${String.fromCharCode(97 + i)}`);
    expect(fingerprintOf([...long, 'tail one'].join('\n')).fingerprint).toBe(fingerprintOf([...long, 'tail two'].join('\n')).fingerprint);
  });

  it('returns 16 hex characters and the template', () => {
    const { fingerprint, template } = fingerprintOf('Error at 10:22:33 in /tmp/tmp.q1w2e3/x');
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(template).toBe('Error at <time> in <tmp>/x');
  });

  it('fingerprints the log tail when no rule matched', async () => {
    const a = await analyzeLog('all good\nnothing to see\n');
    const b = await analyzeLog('all good\nnothing to see\n');
    expect(a.failures).toEqual([]);
    expect(a.category).toBe('unknown');
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.template).toBe('all good\nnothing to see');
  });
});

describe('normalizeLine template cache', () => {
  // The cache keys a template by the line's digit shape (digits → 1, but the 0 of 0x): two lines that differ only
  // in such digits must normalise alike, on real log lines and on shapes where digits decide what a mask matches.
  const swapDigits = (text: string): string => text.replace(/[0-9](?<!0(?=[xX]))/g, (d) => String(((Number(d) * 7 + 3) % 9) + 1));
  const tricky = [
    'pointer 0x1f3a at 5x1f3a',
    'commit a1b2c3d and a1b2c3 and 1234567 and 12345678',
    'took 12ms, 3 s, 4.5 min and 7 hours; wrote 12 KB (3 bytes)',
    'Mon, 12 Feb 2024 at 12:34:56.789 and 2024-02-12T12:34:56Z and 2024/02/12',
    'uuid 123e4567-e89b-12d3-a456-426614174000 in /tmp/tmp.Xy12ab and go-build123456',
    '\u001b[31m error \u001b[0m 42 items, 1,234.5 total',
  ];

  it('gives the same template as normalising afresh, for lines that differ only in their digits', async () => {
    // Prepare
    const { readdirSync, readFileSync } = await import('node:fs');
    const { normalizeUncached } = await import('../../../shared/logs/fingerprint.js');
    const dir = new URL('../../../events/logs/', import.meta.url);
    const lines = [...tricky, ...readdirSync(dir).flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'))];
    for (const line of lines) {
      // Act
      const swapped = swapDigits(line);
      const cachedFirst = normalizeLine(line);
      const cachedSecond = normalizeLine(swapped);
      // Assert
      expect(cachedFirst).toBe(normalizeUncached(line));
      expect(cachedSecond).toBe(normalizeUncached(swapped));
      expect(normalizeUncached(swapped)).toBe(normalizeUncached(line));
    }
  });

  it('gives the same templates while the cache rests, after lines that differ in words kept missing it', async () => {
    // Prepare: 600 lines of new shapes (more misses in a row than the cache tolerates), then repeats and new ones
    const { normalizeUncached } = await import('../../../shared/logs/fingerprint.js');
    const word = (i: number): string => i.toString(36).replace(/[0-9]/g, (d) => 'ghijklmnop'[Number(d)] ?? 'q');
    const lines = Array.from({ length: 600 }, (_, i) => `src/${word(i)}/${word(i * 7)}.ts(${i},5): error TS2345: took ${i}ms`);
    const later = [...lines.slice(0, 50), ...lines.slice(0, 50).map(swapDigits), 'at 0x1f in 2024-01-02 12:00:00 /tmp/tmp.ab12'];
    // Act
    const first = lines.map((line) => normalizeLine(line));
    const again = later.map((line) => normalizeLine(line));
    // Assert
    expect(first).toEqual(lines.map(normalizeUncached));
    expect(again).toEqual(later.map(normalizeUncached));
    expect(again[0]).toBe('src/g/g.ts(<n>): error TS<n>: took <dur>');
  });

  it('keeps the 0 of 0x apart from other digits', () => {
    // Act
    const hex = normalizeLine('pointer 0x1f3a');
    const notHex = normalizeLine('pointer 1x1f3a');
    // Assert
    expect(hex).toBe('pointer <hex>');
    expect(notHex).not.toBe(hex);
  });
});

describe('digit-shape answers', () => {
  it('WRAPPER_RE spells out no digit, so a repeat of the same digit shape may reuse its answer', async () => {
    // Prepare
    const { WRAPPER_RE } = await import('../../../shared/logs/rules.js');
    // Act: the source without digit classes and quantifier counts
    const literalDigits = WRAPPER_RE.source.replace(/\\d|\{\d+(?:,\d*)?\}/g, '');
    // Assert
    expect(literalDigits).not.toMatch(/\d/);
  });
});

describe('mask gates', () => {
  // Every mask has a gate that skips its regex when the line lacks what the regex needs. A gate that skipped a mask
  // which would have matched changes templates, so the gated result is compared with running every mask.
  const ungated = (masks: readonly { re: RegExp; token: string }[], text: string, strip: (t: string) => string): string => {
    let out = strip(text);
    for (const { re, token } of masks) out = out.replace(re, token);
    return out.replace(/\s+/g, ' ').trim();
  };
  const pieces = [
    '0', '7', '42', '2024', '12345', '2024-01-02', '2024/01/02', '12:34', '12:34:56', '.5', ',', '-', '/', ':', ' ', '  ', '\t',
    '\u00a0', '\u2003', 'ms', 's', 'sec', 'm', 'min', 'h', 'µs', 'us', 'ns', 'KiB', 'MB', 'bytes', 'b', 'K', 'x', '0x', '0X',
    'deadbeef', 'abc', 'F', 'e', 'Mon', 'Mon,', 'Jan', 'Sun', 'Dec', 'T', 'Z', '+', '/tmp/', '/var/folders/', '/private', 'T/',
    'C:\\Users\\x\\AppData\\Local\\Temp\\', 'C:\\a/', '/home/runner/work/', '/Users/runner/work/', '/__w/', '/home/travis/build/',
    '/builds/', '/var/lib/jenkins/workspace/', '/home/circleci/', '/home/', 'go-build', 'tmp', 'temp', '_', '.', '\u001b[31m', "'", ')',
  ];

  it('skip only masks that would have replaced nothing, on real log lines and on generated ones', async () => {
    // Prepare
    const { readdirSync, readFileSync } = await import('node:fs');
    const { MASKS, normalizeUncached } = await import('../../../shared/logs/fingerprint.js');
    const { stripAnsi } = await import('../../../shared/logs/reader.js');
    const dir = new URL('../../../events/logs/', import.meta.url);
    const lines = readdirSync(dir).flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'));
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 30_000; i++) lines.push(Array.from({ length: 1 + next(10) }, () => pieces[next(pieces.length)]).join(''));
    // Act
    const differing = lines.filter((line) => normalizeUncached(line) !== ungated(MASKS, line, stripAnsi));
    // Assert
    expect(differing).toEqual([]);
    expect(lines.length).toBeGreaterThan(30_000);
  });
});

describe('templateHoldsWordOutside', () => {
  // A failure the scanner would drop unless it repeats a kept one is dropped without its template when its head holds
  // a word no kept template holds. That is exact only if every word the check reads off a line is a word of the line's
  // template: asked with the template's own words, it must find none outside them.
  const pieces = [
    '0', '7', '42', '2024', '12:34:56', '2024-01-02', '.5', ',', '-', '/', ':', ' ', '  ', '\t', '(', ')', "'", '"', '[', ']',
    'ms', 's', 'sec', 'secs', 'seconds', 'm', 'min', 'minutes', 'h', 'hours', 'µs', 'us', 'ns', 'KiB', 'MB', 'GB', 'TiB', 'B',
    'bytes', 'byte', 'b', 'x', '0x', 'deadbeef', 'abc', 'Face', 'e', 'F', 'Mon', 'Mon,', 'Monday', 'Jan', 'January', 'Febr',
    'Sun', 'Dec', 'December', 'May', 'T', 'Z', 'go', 'go-build', 'build', 'tmp', 'temp', 'tmp.', 'temp-', '_', 'x_y', '__',
    'tasvo', 'Service', 'Options', 'zinzin', 'error', 'TS', '/tmp/', '/home/', '/builds/', '\\', '\u001b[31m', '[0m', 'é',
    'Sun, 1', 'Mon 12', '3 Feb', 'zinzinbresto', 'Decemberish', 'deadbeefcafe', 'ServiceOptions',
  ];

  it('finds no word outside the template\'s own words, on real log lines and on generated ones', async () => {
    // Prepare
    const { readdirSync, readFileSync } = await import('node:fs');
    const { normalizeUncached, templateHoldsWordOutside, wordsOf } = await import('../../../shared/logs/fingerprint.js');
    const dir = new URL('../../../events/logs/', import.meta.url);
    const lines = readdirSync(dir).flatMap((f) => readFileSync(new URL(f, dir), 'utf8').split('\n'));
    let seed = 11;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return (seed >>> 8) % n;
    };
    for (let i = 0; i < 40_000; i++) lines.push(Array.from({ length: 1 + next(12) }, () => pieces[next(pieces.length)]).join(next(3) === 0 ? ' ' : ''));
    // Every three pieces, apart and together: each mask's context around a word (`5 ms`, `Sun, 1 Jan 2024`, `go-build`).
    for (const a of pieces) for (const b of pieces) for (const c of pieces) lines.push(`${a} ${b} ${c}`, `${a}${b}${c}`);
    // Act
    const wrong = lines.filter((line) => templateHoldsWordOutside(line, new Set(wordsOf(normalizeUncached(line)))));
    // Assert
    expect(wrong).toEqual([]);
  });

  it('finds a long word of letters that no mask takes, and none behind a path prefix, with a digit, or a month\'s', async () => {
    // Prepare
    const { templateHoldsWordOutside } = await import('../../../shared/logs/fingerprint.js');
    const kept = new Set(['src', 'ts', 'n', 'error', 'TS', 'Argument']);
    // Act, Assert
    expect(templateHoldsWordOutside('src/zinzinbresto/a.ts(1,2): error TS2345: Argument', kept)).toBe(true);
    expect(templateHoldsWordOutside('src/zinzinbresto_1/a.ts(1,2): error TS2345: Argument', kept)).toBe(false);
    expect(templateHoldsWordOutside('src/tmp/zinzinbresto/a.ts(1,2): error TS2345: Argument', kept)).toBe(false);
    expect(templateHoldsWordOutside('src/a.ts(1,2): error TS2345: Argument, Mon, 1 Decemberish 2024', kept)).toBe(false);
    expect(templateHoldsWordOutside('src/a.ts(1,2): error TS2345: Argument deadbeefcafe', kept)).toBe(false);
  });
});
