import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sameShape } from '../../../shared/logs/fingerprint.js';
import { INDEX_EXPRESSIONS } from '../../../shared/logs/dispatch.js';
import { LITERAL_INDEX_LITERALS, REDACTION_PATTERN_LITERALS } from '../../../shared/logs/line-filter.generated.js';
import { expressionsKey, foldAscii, LITERAL_PREFIX_CHARS, LiteralGate, LiteralIndex, NEW_SHAPE, nextCandidate, readLiterals, type KnownLiterals } from '../../../shared/logs/literal-index.js';
import { requiredLiterals } from '../../../shared/logs/literals.js';
import { LINE_PATTERN_EXPRESSIONS } from '../../../shared/logs/redaction/pattern-gate.js';
import { storedData } from '../../../shared/logs/stored.js';
import { CASCADE_RULES, FAILURE_LIST_RE, GENERIC_RULES, NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, RULES, WARNING_RE, WRAPPER_RE } from '../../../shared/logs/rules.js';
import { cleanLine } from '../../../shared/logs/reader.js';
import { datasetsLocation } from '../../../scripts/datasets.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

const EXPRESSIONS = [...[...RULES, ...CASCADE_RULES, ...GENERIC_RULES].map((r) => r.re), NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, WARNING_RE, FAILURE_LIST_RE, WRAPPER_RE];

/** Literals a generated module stores, whatever expressions they were read from. */
const storedOf = (stored: typeof LITERAL_INDEX_LITERALS): KnownLiterals => JSON.parse((storedData(stored, stored.key) as Buffer).toString('utf8')) as KnownLiterals;

describe('requiredLiterals', () => {
  it('names the text every match must contain, case-folded', () => {
    expect(requiredLiterals(/^\s*Traceback \(most recent call last\):/)).toEqual(new Set(['traceback (most recent call last):']));
    expect(requiredLiterals(/could ?n[o']t/i)).toEqual(new Set(['couldnot', "couldn't", 'could not', "could n't"]));
    expect(requiredLiterals(/: error MD\d{3}\b/)).toEqual(new Set([...'0123456789'].map((d) => `: error md${d}`)));
    expect(requiredLiterals(/No space left|\bENOSPC\b/)).toEqual(new Set(['no space left', 'enospc']));
  });

  it('keeps the case of the text a match holds when asked, and gives up on a case-insensitive expression then', () => {
    expect(requiredLiterals(/^\s*Traceback \(most recent call last\):/, true)).toEqual(new Set(['Traceback (most recent call last):']));
    expect(requiredLiterals(/ERROR|[FX]ail/, true)).toEqual(new Set(['ERROR', 'Fail', 'Xail']));
    expect(requiredLiterals(/error/i, true)).toBeNull();
    expect(requiredLiterals(/ERROR|[FX]ail/)).toEqual(new Set(['error', 'fail', 'xail']));
  });

  it('gives up (null) where a match needs no fixed text', () => {
    expect(requiredLiterals(/^\s*\d+\) \S/)).toEqual(new Set([...'0123456789'].map((d) => `${d}) `)));
    expect(requiredLiterals(/\S+|x/)).toBeNull();
    expect(requiredLiterals(/(?:abc)?\w/)).toBeNull();
    expect(requiredLiterals(/É/i)).toBeNull();
  });
});

describe('LiteralIndex', () => {
  const index = new LiteralIndex(EXPRESSIONS);

  it('never rules out an expression that matches (every sample line, every rule)', () => {
    const lines = sampleLines();
    const extra = ['2024-05-01T10:11:12.1234567Zfatal: x', 'ERROR: E', 'FAILED', '×', 'Sc2086', 'md013', 'exit CODE 3', '  at Foo (a.js:1:2)'];
    let checked = 0;
    const missed: string[] = [];
    // Each text once: what is checked of a line depends on its text alone (no expression is global or sticky, and
    // every scan starts afresh), and a third of the sample lines repeat another (the log tests quote the same lines).
    expect(EXPRESSIONS.filter((re) => re.global || re.sticky)).toEqual([]);
    for (const text of new Set([...lines, ...extra, ...lines.map((l) => l.toUpperCase()), ...lines.map((l) => l.toLowerCase())])) {
      index.scan(text);
      EXPRESSIONS.forEach((re, i) => {
        if (re.test(text)) {
          checked++;
          if (!index.may(i)) missed.push(`${re.source.slice(0, 60)} on ${JSON.stringify(text)}`);
        }
      });
    }
    expect(missed.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('keeps a literal set for the keyword pre-filter, so the index can rule it out (a keyword past the union bound and it ran on every line read)', () => {
    expect(requiredLiterals(PREFILTER_RE)?.size ?? 0).toBeGreaterThan(0);
  });

  it('rules out most rules for ordinary output', () => {
    index.scan('added 612 packages in 9s');
    const maybe = EXPRESSIONS.filter((_, i) => index.may(i)).length;
    expect(maybe).toBeLessThan(5);
  });

  it("marks no more expressions for a compiler's error line than the 24 that may read one (a log of them tries these on every line)", () => {
    // Prepare: the line of the bench's errors-1m case; a rule whose literal is a word any compiler prints (meson
    // test's ' error ') would be tried on each.
    const line = "src/module0/file0.ts(12,5): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'.";
    // Act
    index.scan(line);
    const maybe = EXPRESSIONS.filter((_, i) => index.may(i)).length;
    // Assert
    expect(maybe).toBeLessThanOrEqual(24);
  });

  it('checks the development sets too when they are present', () => {
    const dir = join(datasetsLocation().dir, 'ci-logs-gha-dev', 'logs');
    if (!existsSync(dir)) return;
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const missed: string[] = [];
    // What is checked of a line depends on its text alone (no expression has a g or y flag, and every scan starts
    // afresh: see "start every line afresh"), and nearly three lines in four repeat one seen before: each text once.
    expect(EXPRESSIONS.filter((re) => /[gy]/.test(re.flags))).toEqual([]);
    const seen = new Set<string>();
    for (const f of files.slice(0, 60)) {
      for (const raw of readFileSync(join(f.parentPath, f.name), 'utf8').split('\n')) {
        const text = cleanLine(raw);
        if (seen.has(text)) continue;
        seen.add(text);
        index.scan(text);
        EXPRESSIONS.forEach((re, i) => {
          if (re.test(text) && !index.may(i)) missed.push(`${re.source.slice(0, 60)} on ${JSON.stringify(text)}`);
        });
      }
    }
    expect(missed.slice(0, 5)).toEqual([]);
  }, 120_000);
});

/**
 * What the index must answer, from its definition: an expression may match when it has no required literal, or
 * when one of its literals, cut to LITERAL_PREFIX_CHARS characters, occurs in the line with ASCII letters folded.
 */
function expectedMarks(text: string, expressions: readonly RegExp[] = EXPRESSIONS): boolean[] {
  const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return cutLiterals(expressions).map((lits) => lits === null || lits.some((lit) => folded.includes(lit)));
}

/**
 * Where two lists of marks differ, as `expression i: got, expected` ('' where they agree): the tests collect these
 * over thousands of lines and assert none, an `expect` per line having cost seconds a run.
 */
function differences(got: readonly boolean[], expected: readonly boolean[]): string {
  const length = Math.max(got.length, expected.length);
  const at: string[] = [];
  for (let i = 0; i < length; i++) if (got[i] !== expected[i]) at.push(`expression ${i}: ${got[i]}, expected ${expected[i]}`);
  return at.join('; ');
}

const cutCache = new Map<readonly RegExp[], Array<string[] | null>>();
function cutLiterals(expressions: readonly RegExp[]): Array<string[] | null> {
  let cut = cutCache.get(expressions);
  if (!cut) {
    cut = expressions.map((re) => {
      const lits = requiredLiterals(re);
      return lits && [...lits].map((lit) => lit.replace(/^[\uDC00-\uDFFF]/, '').slice(0, LITERAL_PREFIX_CHARS).replace(/[\uD800-\uDBFF]$/, ''));
    });
    cutCache.set(expressions, cut);
  }
  return cut;
}

describe('LiteralIndex passes', () => {
  const wasm = new LiteralIndex(EXPRESSIONS);
  const js = new LiteralIndex(EXPRESSIONS, LITERAL_PREFIX_CHARS, 'js');
  const marks = (index: LiteralIndex, text: string, expressions: readonly RegExp[] = EXPRESSIONS): boolean[] => {
    index.scan(text);
    return expressions.map((_, i) => index.may(i));
  };

  it('mark exactly the expressions whose literals occur, on the sample lines and random mixes of them', () => {
    const lines = sampleLines();
    const random = seededRandom(5);
    const pieces = ['error', 'ERR', 'Fail', ': erro', '✗ ', '●', 'é', '😀', '⎯⎯⎯', 'Traceback', 'exit code', ' ', '\t', 'x', '42'];
    const mixes = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
    const wrong: string[] = [];
    // Each text once, as above: a pass's marks are of the text it scanned last alone.
    for (const text of new Set([...lines, ...mixes])) {
      const expected = expectedMarks(text);
      for (const [pass, index] of [['wasm', wasm], ['js', js]] as const) {
        const differ = differences(marks(index, text), expected);
        if (differ !== '') wrong.push(`${pass} on ${JSON.stringify(text)}: ${differ}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('carry the automaton across the pieces of a long line, and never split a surrogate pair', () => {
    const astral = [/😀 fail/, /x😀/, /traceback/i];
    const indexes = [new LiteralIndex(astral), new LiteralIndex(astral, LITERAL_PREFIX_CHARS, 'js')];
    for (const gap of [16 * 1024 - 3, 16 * 1024 - 2, 16 * 1024 - 1, 16 * 1024, 40 * 1024 - 1]) {
      for (const word of ['traceback', '😀 ✗ fail', 'x😀', 'segmentation']) {
        const text = `${'é'.repeat(gap)}${word}${'-'.repeat(100)}`;
        expect(marks(wasm, text)).toEqual(expectedMarks(text));
        expect(marks(js, text)).toEqual(expectedMarks(text));
        for (const index of indexes) expect(marks(index, text, astral), `${gap} ${word}`).toEqual(expectedMarks(text, astral));
      }
    }
    expect(expectedMarks(`${'é'.repeat(16 * 1024 - 1)}😀 fail`, astral)).toEqual([true, false, false]);
  });

  it('never rule out an expression whose literal starts with the second half of a surrogate pair', () => {
    // Without the u flag an expression matches code units: /\uDE00/ and the class [😀] match inside 😀, whose
    // UTF-8 bytes (F0 9F 98 80) hold no encoding of a lone half; the half at the literal's edge must go.
    const halves = [/\uDE00/, /[😀]x/, /\uDE00 fail/, /\uDE00\uDE00x/];
    const lines = ['k😀SK', '😀x', '😀 fail', `${'é'.repeat(16 * 1024 - 1)}😀x`, '\uDE00\uDE00x'];
    for (const index of [new LiteralIndex(halves), new LiteralIndex(halves, LITERAL_PREFIX_CHARS, 'js')]) {
      for (const text of lines) {
        const matching = halves.filter((re) => re.test(text));
        expect(matching.length, JSON.stringify(text)).toBeGreaterThan(0);
        for (const re of matching) expect(marks(index, text, halves)[halves.indexOf(re)], `${re} ${JSON.stringify(text.slice(-8))}`).toBe(true);
      }
    }
  });

  it('mark every expression of an index of any size, and none past the last (the pass ORs 16 bytes of marks at a time)', () => {
    const random = seededRandom(13);
    for (const n of [1, 3, 31, 32, 33, 127, 128, 129, 200, 300]) {
      // Each expression's literal is its own word, and every word occurs in some line (the last ones too).
      const expressions = Array.from({ length: n }, (_, i) => new RegExp(`w${i}q`));
      const lines = Array.from({ length: 60 }, (_, k) => Array.from({ length: 1 + Math.floor(random() * 6) }, () => `w${Math.floor(random() * n)}q`).join(' ') + ` w${(n - 1 - k + n * 60) % n}q`);
      for (const index of [new LiteralIndex(expressions), new LiteralIndex(expressions, LITERAL_PREFIX_CHARS, 'js')]) {
        for (const text of lines) {
          expect(marks(index, text, expressions), `${n} ${text}`).toEqual(expectedMarks(text, expressions));
          expect(nextCandidate(index.candidates(), n), `${n} ${text}`).toBe(-1);
        }
      }
    }
  });

  it('reach every state of an automaton as large as 16-bit transitions allow, and refuse a larger one', () => {
    // Literals of 16 letters with distinct first three, the last of them ending in the highest-numbered states
    // (entries past 32,767 and the last column's); 2,047 of them make 29,361 states (the bound is 32,768).
    const word = (i: number): string => [i % 26, Math.floor(i / 26) % 26, Math.floor(i / 676)].map((d) => String.fromCharCode(97 + d)).join('') + 'qwertyuiopzxc'.slice(0, 13);
    const expressions = Array.from({ length: 2047 }, (_, i) => new RegExp(word(i)));
    const random = seededRandom(29);
    const lines = Array.from({ length: 40 }, (_, k) => `${k} ${word(2046 - k)} x ${word(Math.floor(random() * 2047))} ${word(0).slice(0, 15)}`);
    for (const index of [new LiteralIndex(expressions, 16), new LiteralIndex(expressions, 16, 'js')]) {
      for (const text of lines) expect(marks(index, text, expressions), text).toEqual(expressions.map((re) => re.test(text)));
    }
    const tooMany = Array.from({ length: 2048 }, (_, i) => new RegExp(word(i) + 'vbnm'));
    expect(() => new LiteralIndex(tooMany, 20)).toThrow(/16-bit/);
    expect(() => new LiteralIndex(tooMany, 20, 'js')).toThrow(/16-bit/);
  });

  it('start every line afresh: no mark and no partial literal carries over', () => {
    wasm.scan('Traceback (most recent call last):');
    expect(marks(wasm, 'added 612 packages in 9s')).toEqual(expectedMarks('added 612 packages in 9s'));
    wasm.scan('a line ending in tra');
    expect(marks(wasm, 'ceback')).toEqual(expectedMarks('ceback'));
  });
});

describe('LiteralGate (the index\'s answers without its automaton, before one is built)', () => {
  const lists = [
    ['the scanner\'s expressions', INDEX_EXPRESSIONS, storedOf(LITERAL_INDEX_LITERALS)],
    ['the redaction\'s line patterns', LINE_PATTERN_EXPRESSIONS, storedOf(REDACTION_PATTERN_LITERALS)],
  ] as const;

  it.each(lists)('answers as an index reading digits exactly, for %s, on the sample lines, their cases and random mixes', (_name, expressions, known) => {
    // Prepare
    const index = new LiteralIndex(expressions, LITERAL_PREFIX_CHARS, 'js', known);
    const gate = new LiteralGate(known);
    const random = seededRandom(11);
    const pieces = ['error', 'ERR', 'Fail', ': erro', 'TOKEN', 'xoxb-', 'Σ', 'ΑΣ ', 'İ', 'é', 'É', '😀', 'Traceback', 'exit code 1', ' ', '\t', 'x', '42'];
    const mixes = Array.from({ length: 3000 }, () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join(''));
    const lines = sampleLines();
    const wrong: string[] = [];
    let ruledOut = 0;
    // Act, Assert: each text once (an answer is of the text read last alone).
    for (const text of new Set([...lines, ...lines.map((l) => l.toUpperCase()), ...mixes])) {
      index.scan(text);
      gate.read(text);
      for (let i = 0; i < expressions.length; i++) {
        if (gate.may(i) !== index.may(i)) wrong.push(`${expressions[i]?.source.slice(0, 40)} on ${JSON.stringify(text)}: gate ${gate.may(i)}`);
        if (!gate.may(i)) ruledOut++;
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(ruledOut).toBeGreaterThan(10_000);
  });

  it('never rules out an expression that matches (every sample line and its cases, every scanner expression)', () => {
    const gate = new LiteralGate(storedOf(LITERAL_INDEX_LITERALS));
    const lines = sampleLines();
    const missed: string[] = [];
    let checked = 0;
    for (const text of new Set([...lines, ...lines.map((l) => l.toUpperCase()), ...lines.map((l) => l.toLowerCase())])) {
      gate.read(text);
      INDEX_EXPRESSIONS.forEach((re, i) => {
        if (!re.test(text)) return;
        checked++;
        if (!gate.may(i)) missed.push(`${re.source.slice(0, 60)} on ${JSON.stringify(text)}`);
      });
    }
    expect(missed.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(500);
  });

  it('folds ASCII letters alone, as the index does: no other character changes, not a final sigma by its place', () => {
    expect(foldAscii('Error: ΑΣ İx')).toBe('error: ΑΣ İx');
    expect(foldAscii('FAIL 42')).toBe('fail 42');
    // Against a replace of each run of capitals, on texts of any length, lone surrogates and all.
    const random = seededRandom(17);
    const pieces = ['A', 'Z', 'a', '@', '[', 'É', 'é', 'Σ', 'ς', 'İ', '\u212a', 'ſ', '😀', '\ud83d', '\ude00', ' ', 'TOKEN', 'ß'];
    for (const length of [0, 1, 7, 8191, 8192, 8193, 20_000]) {
      const text = Array.from({ length }, () => pieces[Math.floor(random() * pieces.length)]).join('').slice(0, length);
      expect(foldAscii(text)).toBe(text.replace(/[A-Z]+/g, (run) => run.toLowerCase()));
    }
    const gate = new LiteralGate([['σ'], ['error']]);
    gate.read('ΑΣ ERROR');
    expect([gate.may(0), gate.may(1)]).toEqual([false, true]);
  });
});

describe('stored literals', () => {
  const storedLiterals = (): KnownLiterals => storedOf(LITERAL_INDEX_LITERALS);

  it('are those the expressions read to, cut as the index keeps them, for exactly the analyzer\'s expressions', () => {
    expect(LITERAL_INDEX_LITERALS.key).toBe(expressionsKey(INDEX_EXPRESSIONS));
    expect(storedLiterals()).toEqual(readLiterals(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS));
    expect(expressionsKey([...INDEX_EXPRESSIONS.slice(1), /other/])).not.toBe(LITERAL_INDEX_LITERALS.key);
    expect(expressionsKey([...INDEX_EXPRESSIONS.slice(0, -1), new RegExp(INDEX_EXPRESSIONS.at(-1)?.source ?? '', 'i')])).not.toBe(LITERAL_INDEX_LITERALS.key);
  });

  it('of the redaction\'s line patterns are those they read to, cut as the index keeps them', () => {
    expect(REDACTION_PATTERN_LITERALS.key).toBe(expressionsKey(LINE_PATTERN_EXPRESSIONS));
    expect(JSON.parse((storedData(REDACTION_PATTERN_LITERALS, REDACTION_PATTERN_LITERALS.key) as Buffer).toString('utf8'))).toEqual(readLiterals(LINE_PATTERN_EXPRESSIONS, LITERAL_PREFIX_CHARS));
  });

  it('build the same index as reading the expressions', () => {
    const read = new LiteralIndex(INDEX_EXPRESSIONS);
    const stored = new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', storedLiterals());
    const readByShape = new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', undefined, 'shape');
    const storedByShape = new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', storedLiterals(), 'shape');
    for (const text of sampleLines()) {
      for (const index of [read, stored, readByShape, storedByShape]) index.scan(text);
      expect([...stored.candidates()]).toEqual([...read.candidates()]);
      expect([...storedByShape.candidates()]).toEqual([...readByShape.candidates()]);
    }
    expect(() => new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', [])).toThrow(/another list/);
  });
});

describe('readLiterals cut to a length', () => {
  it('builds the index the whole literals build, at any length, lone surrogates at a literal\'s ends included', () => {
    const halves = [/\uDE00\uDE00x/, /ab\uD83D\uD83D/, /\uDE00 fail/, /[😀]x/, /😀 fail/];
    const expressions = [...EXPRESSIONS, ...halves];
    const lines = [...sampleLines(), 'ax', 'k😀SK', '😀x', '😀 fail', 'ab😀', 'ab\uD83D\uD83D', '\uDE00\uDE00x'];
    const wrong: string[] = [];
    const texts = new Set(lines);
    for (const length of [2, 5, LITERAL_PREFIX_CHARS]) {
      const whole = new LiteralIndex(expressions, length, 'js');
      const cut = new LiteralIndex(expressions, length, 'js', readLiterals(expressions, length));
      for (const text of texts) {
        whole.scan(text);
        cut.scan(text);
        if (differences(expressions.map((_, i) => cut.may(i)), expressions.map((_, i) => whole.may(i))) !== '') wrong.push(`${length}: ${JSON.stringify(text)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(readLiterals([/\uDE00\uDE00x/], 8)).toEqual([['\uDE00\uDE00x']]);
    expect(readLiterals([/Traceback \(most recent call last\):|traceback!/], 8)).toEqual([['tracebac']]);
  });
});

describe('LiteralIndex by digit shape', () => {
  const passes = [new LiteralIndex(EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', undefined, 'shape'), new LiteralIndex(EXPRESSIONS, LITERAL_PREFIX_CHARS, 'js', undefined, 'shape')];
  const exact = new LiteralIndex(EXPRESSIONS);
  const marksOf = (index: LiteralIndex, text: string): boolean[] => {
    index.scan(text);
    return EXPRESSIONS.map((_, i) => index.may(i));
  };
  /** `text` with its digits changed at random, keeping the 0 of a `0x` (a line of the same digit shape). */
  const reshaped = (text: string, random: () => number): string =>
    text.replace(/\d/g, (d, at: number) => (d === '0' && /[xX]/.test(text[at + 1] ?? '') ? d : String(Math.floor(random() * 10))));

  it('marks every expression the exact index marks, and the same ones in any line of the same digit shape', () => {
    const random = seededRandom(11);
    const lines = sampleLines().filter((line) => /\d/.test(line));
    const extra = ['exit code 137', 'HTTP 404 in 12ms', 'error TS2345: x', 'md013 line', 'sc2086 quoted', '0x1F at 1x2'];
    const wrong: string[] = [];
    for (const text of [...lines, ...extra]) {
      const other = reshaped(text, random);
      const exactMarks = marksOf(exact, text);
      for (const index of passes) {
        const marks = marksOf(index, text);
        const differ = differences(marksOf(index, other), marks);
        if (differ !== '') wrong.push(`${JSON.stringify(text)} / ${JSON.stringify(other)}: ${differ}`);
        exactMarks.forEach((marked, i) => marked && !marks[i] && wrong.push(`${i} unmarked in ${JSON.stringify(text)}`));
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(lines.length).toBeGreaterThan(100);
  });

  it('finds a line in the shape table exactly when the line holding its slot has its digit shape (WebAssembly and JavaScript alike)', () => {
    const random = seededRandom(12);
    const alphabet = ['0', '1', '9', 'x', 'X', 'a', ' ', 'é', '😀', '0x', ':'];
    // Mostly short lines (so shapes recur), and some up to the 256 bytes the table holds (16-byte chunks, the last
    // one part line).
    const texts = Array.from({ length: 4000 }, () => Array.from({ length: Math.floor(random() * (random() < 0.2 ? 90 : 12)) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''))
      .filter((text) => Buffer.byteLength(text) <= 256);
    const lines = texts.flatMap((text) => (random() < 0.5 ? [text, reshaped(text, random)] : [text]));
    const answers = passes.map((index) => {
      const holder = new Map<number, string>();
      return lines.map((line) => {
        expect(index.load(line)).toBe(true);
        const found = index.intern();
        const slot = found & ~NEW_SHAPE;
        const held = holder.get(slot);
        const same = held !== undefined && sameShape(line, held);
        expect(found === slot, `${JSON.stringify(line)} in a slot holding ${JSON.stringify(held)}`).toBe(same);
        if (!same) holder.set(slot, line);
        return found;
      });
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]?.filter((found) => found >= 0).length).toBeGreaterThan(1000);
  });

  it('does not load a line it could not compare: over 256 bytes, or with a lone surrogate', () => {
    const [index] = passes as [LiteralIndex];
    expect(index.load('x'.repeat(257))).toBe(false);
    expect(index.load('é'.repeat(129))).toBe(false);
    expect(index.load('é'.repeat(128))).toBe(true);
    expect(index.load('a \uD800 b')).toBe(false);
    expect(index.load('a 😀 b')).toBe(true);
  });
});
