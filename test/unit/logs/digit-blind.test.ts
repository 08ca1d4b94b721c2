import { describe, expect, it } from 'vitest';
import { isDigitBlind } from '../../../shared/logs/digit-blind.js';
import { INDEX_EXPRESSIONS } from '../../../shared/logs/dispatch.js';
import { PREFILTER_START_RE, WARNING_RE, WRAPPER_RE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';

describe('isDigitBlind', () => {
  it('is true only where every part that matches a digit matches all ten or none', () => {
    for (const re of [/\d+ errors?/, /error TS\d{3,5}:/, /[0-9a-f]{7,}/i, /[^0-9]+$/, /\w+\.java:\d+\)/, /^\s*at\s/, /\bfailed\b/, /[\D]x/, /.+/s]) {
      expect(isDigitBlind(re), String(re)).toBe(true);
    }
    for (const re of [/exit code 137/, /[45]0\d/, /[1-9]\d* errors?/, /[^5]/, /0x/, /\d+/g, /\d+/y, /(\d)\1/]) {
      expect(isDigitBlind(re), String(re)).toBe(false);
    }
  });

  it('reads a digit written as an escape, and escapes that only look like one, as JavaScript does', () => {
    // A digit spelled `\x30`, `\u0030`, `\u{30}` or `[\8]` is still one digit; `\k` without a group name, `\p{Nd}`
    // without the u flag and a `{,3}` that is no quantifier are literal characters (a `3` among them). TypeScript
    // refuses `[\8]` and `\p{…}` without u in a literal, so those two are built from strings.
    for (const re of [/\x30/, /\u0030/, /\u{30}/u, /[\x31-\x39]/, new RegExp('[\\8]'), /[/-5]/, /a{,3}/, /(?<n>\d)\k<n>/, /\p{Nd}/u, /(?=.*7)/]) {
      expect(isDigitBlind(re), String(re)).toBe(false);
    }
    for (const re of [/[\x30-\x39]/, /[^\D]/, /[\d\w]/, /[\W\d]/, /[+-9]/, /\k/, new RegExp('\\p{Nd}'), /[0-9]/i, /(?<!\d)x/s, /[\0]/, /[^\S]/]) {
      expect(isDigitBlind(re), String(re)).toBe(true);
    }
  });

  it('reads WRAPPER_RE as blind (the scanner keeps its answer with the shape class of a head)', () => {
    expect(isDigitBlind(WRAPPER_RE)).toBe(true);
  });

  it('reads the pre-filter\'s line-start shapes and the warnings as blind, so every line of a digit shape is tested once (a shape spelling a digit out, `nofile:0:0: `, turned the memo off for them)', () => {
    expect(isDigitBlind(PREFILTER_START_RE)).toBe(true);
    expect(isDigitBlind(WARNING_RE)).toBe(true);
  });

  it('answers alike on lines of the same digit shape for every blind expression of the dispatch table', () => {
    const random = seededRandom(3);
    const lines = [
      'src/a.ts(12,5): error TS2345: Argument of type',
      'GET /x 404 in 12ms',
      'not ok 12 - adds 1 and 2',
      'Process completed with exit code 137.',
      '    at Foo.bar(Foo.java:120)',
      'FAILED tests/test_1.py::test_2 - assert 3 == 4',
      'There were 2 failures:',
      'value 0x1F read at 10:12:13',
      '  12:5  error  no-unused-vars  x',
    ];
    const blind = INDEX_EXPRESSIONS.filter((re) => isDigitBlind(re));
    expect(blind.length).toBeGreaterThan(INDEX_EXPRESSIONS.length / 2);
    for (const line of lines) {
      for (let k = 0; k < 50; k++) {
        const other = line.replace(/\d/g, (d, at: number) => (d === '0' && /[xX]/.test(line[at + 1] ?? '') ? d : String(Math.floor(random() * 10))));
        for (const re of blind) expect(re.test(other), `${re} on ${JSON.stringify(line)} / ${JSON.stringify(other)}`).toBe(re.test(line));
      }
    }
  });
});
