import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { compileByteDfas, DEAD, decodeByteDfaSet, encodeByteDfaSet, HIT, type ByteDfaSet } from '../../../shared/logs/byte-dfa.js';
import { lineFilterFor, SCANNER_TRIGGERS, scannerLineFilter, setIndexUse, setLineFilterUse, setShapeMemoUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog, type LogAnalysis } from '../../../shared/logs/index.js';
import { BLOCK_AUTOMATA, DIGIT_BLIND_SLOTS, LINE_FILTER_TABLES, LITERAL_INDEX_LITERALS, REDACTION_PATTERN_LITERALS } from '../../../shared/logs/line-filter.generated.js';
import { LineFilter, lineFilterSpecs, specsKey } from '../../../shared/logs/line-filter.js';
import { storedData } from '../../../shared/logs/stored.js';

import { cleanLine, forEachLine, NAMED, type LineGate } from '../../../shared/logs/reader.js';
import { generatedModule, GENERATED_PATH } from '../../../scripts/build-line-filter.js';
import { datasetsLocation } from '../../../scripts/datasets.js';
import { seededRandom } from '../../support/random.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../..');
const DATASETS = datasetsLocation().dir;
const TRIGGERS = [...SCANNER_TRIGGERS.anywhere, ...SCANNER_TRIGGERS.atStart];

/** Whether automaton `k` of `set` reaches HIT on `text` (anchored: from its first byte; else anywhere), its end included. */
function automatonHits(set: ByteDfaSet, k: number, text: string): boolean {
  const dfa = set.automata[k];
  if (!dfa) throw new Error('no automaton');
  let state = dfa.start;
  for (const b of Buffer.from(text, 'utf8')) {
    state = dfa.next[state * set.columns + (set.classOf[b] as number)] as number;
    if (state === HIT) return true;
    if (state === DEAD) return false;
  }
  return dfa.next[state * set.columns + set.endClass] === HIT;
}

/** Does a compiled automaton reach HIT on `text` (anchored: from its first byte; else anywhere)? */
function dfaHits(sources: string[], anchored: boolean, text: string): boolean {
  return automatonHits(compileByteDfas([{ sources, anchored }]), 0, text);
}

type SampleLog = { name: string; bytes: Buffer };

let sampleLogsRead: SampleLog[] | null = null;

/**
 * Sample logs: the repository's, and the development sets when they sit beside the checkout. Read once a file
 * (~140 MB with the sets; no test writes to them).
 */
function sampleLogs(): SampleLog[] {
  sampleLogsRead ??= readSampleLogs();
  return sampleLogsRead;
}

/**
 * The tests that analyse every sample log two ways do so in {@link CORPUS_PARTS} tests, each over one part of them
 * (consecutive logs): the whole corpus in one test took ~20 s of CPU on a quiet machine, and timed out at 120 s in a
 * CI run on a busy one. Every log is in exactly one part. The parts are about equal in bytes plus
 * {@link LOG_WEIGHT_BYTES} a log: a log's analysis costs about as much as that many bytes more (session 71, testing
 * every rule on each log: by bytes alone the last of four parts, 409 small logs, took twice the first). Eight parts:
 * the heaviest, with the two logs of cidiff/assertj_1944 (2.2 s of the every-rule walk between them), took ~5 s.
 */
const CORPUS_PARTS = 8;
const LOG_WEIGHT_BYTES = 50_000;

function sampleLogPart(part: number): SampleLog[] {
  const logs = sampleLogs();
  const weight = (log: SampleLog): number => log.bytes.length + LOG_WEIGHT_BYTES;
  const total = logs.reduce((sum, log) => sum + weight(log), 0);
  let before = 0;
  return logs.filter((log) => {
    // The part a log's first byte falls in.
    const at = Math.min(CORPUS_PARTS - 1, Math.floor((before * CORPUS_PARTS) / total));
    before += weight(log);
    return at === part;
  });
}

const PARTS = Array.from({ length: CORPUS_PARTS }, (_, part) => ({ part, title: `part ${part + 1} of ${CORPUS_PARTS}` }));

function readSampleLogs(): SampleLog[] {
  const files: string[] = readdirSync(join(ROOT, 'events', 'logs')).map((f) => join(ROOT, 'events', 'logs', f));
  for (const set of ['ci-logs-dev', 'ci-logs-gha-dev']) {
    const dir = join(DATASETS, set);
    if (!existsSync(dir)) continue;
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && /\.(?:log|txt)$/.test(e.name)) files.push(join(e.parentPath, e.name));
    }
  }
  // The toolchain fixtures after the rest, so the tests that take the first few logs take the same ones.
  const fixtures = join(ROOT, 'test', 'fixtures', 'toolchains');
  const toolchains = readdirSync(fixtures).filter((f) => f.endsWith('.log')).sort().map((f) => join(fixtures, f));
  return [...files.sort(), ...toolchains].map((f) => ({ name: f.slice(ROOT.length - 4), bytes: readFileSync(f) }));
}

/** Lines made to trip a byte-level reading: escapes inside words, progress rewrites, prefixes cleaning strips. */
const HAZARDS = [
  'err\x1b[0mor: split by a colour code',
  '\x1b[31mfatal: coloured from the first byte',
  '[0m[31mfatal: remnants without ESC',
  'progress 10%\rprogress 50%\rERROR: the last segment',
  'ERROR: an early segment\rdone 100%',
  '2024-05-01T10:11:12.1234567Z ##[error]Process completed with exit code 1.',
  '2024-05-01T10:11:12.1234567Z $ npm test',
  '\uFEFF$ make check',
  '#12 3.456 src/app.ts:10:5 - x',
  '^[[31mhidden by a caret escape',
  'src/module.py:12:1: E501 line too long',
  '___ test_something ___',
  'Finished: FAILURE',
  'The command "npm test" exited with 1.',
  '🚨 Error: The command exited with status 2',
  '-----BEGIN RSA PRIVATE KEY-----',
  '   2) test title',
  'Cleaning up orphan processes',
  '\x1b[K\x1b]0;title\x07\x1b(BFAILED tests',
  // An operating system command goes whole up to its BEL or ESC \ (rich's hyperlinks); one left open is ESC ] alone.
  '\x1b]8;id=1;https://example.com/rules/x\x1b\\fatal: behind a hyperlink\x1b]8;;\x1b\\',
  '\x1b]8;;https://example.com/fail\x07only its URL names a failure',
  '\x1b]8;;left open fatal: the rest is text',
  '\x1b]8;;https://example.com\x1b[31mfatal: cut by another escape',
  'x\x1b',
  '[',
  '[1234567890123m not a remnant: fatal',
  // A bare `[m` is text where it starts a bracketed word, else a remnant the pass steps over.
  '[merror]: kept as text',
  '[m-error]: kept as text too',
  '[m/s] error: kept as text',
  '[merror: a remnant, the bracket never closes',
  '[merror: a remnant, [another] bracket opens first',
  '[merror: a remnant, the line ends',
  'before this]',
  // Cleaning removes the caret escape before the ANSI sequences: the `^` is not the end of `ESC ^` or of a CSI.
  '\x1b^[[31m$ make test',
  '\x1b[31^[[0m~~~~ Running',
  // The cursor sent to the first column in each spelling (`ESC[1G`, `ESC[G`, `ESC[0G`) starts the line again, as a
  // `\r` does: an anchored shape counts in the last drawing.
  '\u280b lint\x1b[1Gsrc/module.py:12:1: E501 line too long',
  '\u280b lint\x1b[Gsrc/module.py:12:1: E501 line too long',
  '\u280b lint\x1b[0Gsrc/module.py:12:1: E501 line too long',
];

afterEach(() => {
  setLineFilterUse(null);
  setIndexUse(null);
  setShapeMemoUse(true);
});

describe('compileByteDfas', () => {
  it('reads expressions loosely: either case, anchors and look-arounds always true', () => {
    expect(dfaHits(['error'], false, 'An ERROR here')).toBe(true);
    expect(dfaHits(['^abc$'], false, 'zzabczz')).toBe(true);
    expect(dfaHits(['a(?!b)c'], false, 'xac')).toBe(true);
    expect(dfaHits(['[✗✖]'], false, 'test ✖ failed')).toBe(true);
    expect(dfaHits(['a\\Sb'], false, 'aéb')).toBe(true);
    expect(dfaHits(['x{2,3}y'], false, 'xxy')).toBe(true);
    expect(dfaHits(['x{2,3}y'], false, 'xy')).toBe(false);
    expect(dfaHits(['\\d{4}-\\d\\d'], true, '2024-05')).toBe(true);
    expect(dfaHits(['\\d{4}-\\d\\d'], true, 'x2024-05')).toBe(false);
    expect(dfaHits(['error'], false, 'all good')).toBe(false);
  });

  it('reads word boundaries as JavaScript does, a Z on either side', () => {
    const cases: Array<[string, string]> = [
      ['\\berror\\b', 'xerrorx'],
      ['\\berror\\b', 'an error.'],
      ['\\berror\\b', 'error'],
      ['\\berror\\b', 'errors'],
      ['\\berror\\b', '_error'],
      ['\\berror\\b', 'éerror'],
      ['\\berror\\b', 'error\u00e9'],
      ['[45]0\\d\\b', 'in 0.005029 seconds'],
      ['[45]0\\d\\b', 'HTTP 503'],
      ['[45]0\\d\\b', 'HTTP 503: down'],
      ['md\\d{3}\\b', 'MD013/line-length'],
      ['x\\By', 'xy'],
      ['x\\By', 'x y'],
      ['\\b\\b-', 'a-'],
      ['\\b(?:a|-)\\b', '--a--'],
      ['\\B-\\B', 'a - b'],
      ['\\B-\\B', 'a-b'],
    ];
    for (const [source, text] of cases) {
      const re = new RegExp(source, 'i');
      expect(dfaHits([source], false, text), `/${source}/ on ${JSON.stringify(text)}`).toBe(re.test(text));
    }
    // Cleaning may remove a timestamp that ends in `Z` right before the text: `Z` counts as either side.
    expect(/\berror/.test(cleanLine('2024-05-01T10:11:12.1234567Zerror: x'))).toBe(true);
    expect(dfaHits(['\\berror'], false, 'Zerror')).toBe(true);
    expect(dfaHits(['error\\b'], false, 'errorZ')).toBe(true);
    expect(dfaHits(['\\berror'], false, 'zerror')).toBe(false);
    // A `\r` ends a segment: a trailing boundary holds there.
    expect(dfaHits(['md\\d{3}\\b'], false, 'md013\rmd0134')).toBe(true);
  });

  it('reads word boundaries in random expressions as JavaScript does, looser only at a Z or a non-ASCII character', () => {
    // Alternations of short words with \b and \B around and inside them (chains of boundaries, \B next to a Z),
    // some behind one shared \b as in the prefilter, against RegExp on texts made of their characters.
    const random = seededRandom(13);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const chars = ['a', 'b', 'c', 'z', '0', '5', '_', '-', ' ', '.', "'", 'é'];
    const pieces = ['\\d', '\\w', '\\W', '\\s', '[a-c]', '[05]', '\\d{2}', 'a?', 'b*', '(?:c|0)'];
    const edge = (): string => pick(['\\b', '\\b', '\\b', '\\b', '\\B', '', '', '', '', '']);
    const word = (): string => {
      let middle = '';
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
        const r = random();
        middle += r < 0.6 ? pick(chars) : r < 0.8 ? pick(pieces) : pick(['\\b', '\\B']);
      }
      return `${edge()}${middle}${edge()}`;
    };
    const textChars = [...chars, 'Z', 'A', 'B', '9'];
    const wrong: string[] = [];
    let matched = 0;
    let unmatched = 0;
    for (let round = 0; round < 300; round++) {
      const words = Array.from({ length: 2 + Math.floor(random() * 8) }, word);
      const half = Math.floor(words.length / 2);
      const sources = [...words.slice(0, half), `\\b(?:${words.slice(half).join('|')})`];
      const set = compileByteDfas([
        { sources, anchored: false },
        { sources: [`(?:${sources.join('|')})`], anchored: true },
      ]);
      // The compiler reads letters in either case, so the reference does too.
      const anywhere = new RegExp(sources.join('|'), 'i');
      const atStart = new RegExp(`^(?:${sources.join('|')})`, 'i');
      for (let t = 0; t < 300; t++) {
        const text = Array.from({ length: Math.floor(random() * 12) }, () => pick(textChars)).join('');
        const hits = automatonHits(set, 0, text);
        if (anywhere.test(text)) {
          matched++;
          if (!hits) wrong.push(`no for /${sources.join('|')}/ on ${JSON.stringify(text)}`);
        } else if (!/[Zé]/.test(text)) {
          unmatched++;
          if (hits) wrong.push(`yes for /${sources.join('|')}/ on ${JSON.stringify(text)}`);
        }
        if (atStart.test(text) && !automatonHits(set, 1, text)) wrong.push(`no for /^(?:${sources.join('|')})/ on ${JSON.stringify(text)}`);
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(matched).toBeGreaterThan(20_000);
    expect(unmatched).toBeGreaterThan(20_000);
  });

  it('never says no where the expression says yes (every trigger, every sample line and its case variants)', () => {
    const set = compileByteDfas(TRIGGERS.map((re) => ({ sources: [re.source], anchored: re.source.startsWith('^') })));
    let checked = 0;
    const lines = [...HAZARDS, ...sampleLogs().slice(0, 80).flatMap((log) => log.bytes.toString('utf8').split('\n').map(cleanLine))];
    const missed: string[] = [];
    // Each text's matches and misses once, counted and listed at each of its lines: both depend on the text alone (no
    // trigger is global or sticky), and most of the sample lines repeat one seen before.
    expect(TRIGGERS.filter((re) => re.global || re.sticky)).toEqual([]);
    const answers = new Map<string, { matches: number; misses: string[] }>();
    for (const text of [...lines, ...lines.map((l) => l.toUpperCase())]) {
      let known = answers.get(text);
      if (known === undefined) {
        const found = { matches: 0, misses: [] as string[] };
        TRIGGERS.forEach((re, k) => {
          if (!re.test(text)) return;
          found.matches++;
          // An unanchored expression may match at any offset: its automaton loops at the start.
          if (!automatonHits(set, k, text)) found.misses.push(`/${re.source.slice(0, 50)}/ on ${JSON.stringify(text.slice(0, 120))}`);
        });
        answers.set(text, (known = found));
      }
      checked += known.matches;
      missed.push(...known.misses);
    }
    expect(missed.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });

  it('refuses what it cannot read rather than filtering less', () => {
    expect(() => compileByteDfas([{ sources: ['(a)\\1'], anchored: false }])).toThrow(/back-reference/);
    expect(() => compileByteDfas([{ sources: ['(?<x>a)\\k<x>'], anchored: false }])).toThrow(/named back-reference/);
    expect(() => compileByteDfas([{ sources: ['a\\01'], anchored: false }])).toThrow(/octal/);
    expect(() => compileByteDfas([{ sources: ['(a'], anchored: false }])).toThrow(/unclosed/);
  });

  it('refuses triggers whose flags change what their source means', () => {
    expect(() => lineFilterSpecs({ anywhere: [/\p{Lu}rror/u], atStart: [] })).toThrow(/flags u are not read/);
    expect(() => lineFilterSpecs({ anywhere: [], atStart: [/^fatal/gi] })).toThrow(/flags gi are not read/);
    expect(() => lineFilterSpecs({ anywhere: [/fatal/ims], atStart: [/^x/s] })).not.toThrow();
  });

  it('reads classes and case as JavaScript does, or more loosely', () => {
    expect(dfaHits(['x[^]y'], false, 'x\u00e9y')).toBe(true);
    expect(dfaHits(['x[]y'], false, 'xy')).toBe(false);
    expect(dfaHits(['x[]y|z'], false, 'z')).toBe(true);
    // µ (U+00B5) and μ (U+03BC) share their upper case Μ: /µ/i matches μ.
    expect(/µ/i.test('μ')).toBe(true);
    expect(dfaHits(['µ'], false, 'μ')).toBe(true);
  });
});

describe('decodeByteDfaSet', () => {
  const set = compileByteDfas([{ sources: ['error', 'fail(?:ed|ure)'], anchored: false }, { sources: ['==> X '], anchored: true }]);

  it('reads the tables where they are in the decoded bytes, not a copy of them', () => {
    // The stored automata decompress into a buffer of their own: a copy doubled them (~1.6 MB at start-up, held
    // until V8's next collection, which set the malloc heap's high-water mark the CLI's peak RSS then kept).
    const bytes = encodeByteDfaSet(set);
    expect(bytes.byteOffset % 2).toBe(0);
    const decoded = decodeByteDfaSet(bytes);
    decoded.automata.forEach((a, k) => {
      expect(a.next.buffer).toBe(bytes.buffer);
      expect([...a.next]).toEqual([...(set.automata[k]?.next ?? [])]);
    });
  });

  it('copies the tables of bytes at an odd offset, which a 16-bit view cannot start at', () => {
    const encoded = encodeByteDfaSet(set);
    const odd = Buffer.alloc(encoded.length + 1);
    encoded.copy(odd, 1);
    const decoded = decodeByteDfaSet(odd.subarray(1));
    decoded.automata.forEach((a, k) => {
      expect(a.next.buffer).not.toBe(odd.buffer);
      expect([...a.next]).toEqual([...(set.automata[k]?.next ?? [])]);
    });
    expect([...decoded.classOf]).toEqual([...set.classOf]);
  });
});

describe('LineFilter', () => {
  const filter = new LineFilter(SCANNER_TRIGGERS);

  /** The indices of the lines the pass names; every entry's offset checked against where the line's `\n` is. */
  function flaggedLines(text: string, useJs = false, on: LineFilter = filter, gh = false): number[] {
    const bytes = Buffer.from(text.endsWith('\n') ? text : `${text}\n`, 'utf8');
    const entries = useJs ? on.flagInJs(bytes, 0, bytes.length, gh) : on.flag(bytes, 0, bytes.length, gh);
    const ends: number[] = [];
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) ends.push(at);
    // Compared here and shown from the first difference: \`toEqual\` on a whole log's offsets took seconds a run.
    const offsets = [...entries].map((entry) => entry & ~NAMED);
    let same = 0;
    while (same < ends.length && offsets[same] === ends[same]) same++;
    expect(offsets.slice(same, same + 5), `offsets from entry ${same}`).toEqual(ends.slice(same, same + 5));
    return [...entries].flatMap((entry, index) => (entry & NAMED ? [index] : []));
  }

  it('names every line whose cleaned text a trigger matches, hazards included', () => {
    const logs = sampleLogs();
    let needed = 0;
    const missed: string[] = [];
    // Whether a trigger matches, by cleaned text: it depends on the text alone (no trigger is global or sticky), and
    // most of the corpus's lines repeat a cleaned text seen before (testing each line was most of this test's time).
    expect(TRIGGERS.filter((re) => re.global || re.sticky)).toEqual([]);
    const triggered = new Map<string, boolean>();
    for (const text of [HAZARDS.join('\n'), ...logs.map((log) => log.bytes.toString('utf8'))]) {
      const lines = text.split('\n');
      const named = new Set(flaggedLines(text));
      lines.forEach((raw, index) => {
        const clean = cleanLine(raw);
        let matches = triggered.get(clean);
        if (matches === undefined) triggered.set(clean, (matches = TRIGGERS.some((re) => re.test(clean))));
        if (!matches) return;
        needed++;
        if (!named.has(index)) missed.push(`line ${index + 1}: ${JSON.stringify(raw.slice(0, 160))}`);
      });
    }
    expect(missed.slice(0, 5)).toEqual([]);
    expect(needed).toBeGreaterThan(60);
  }, 120_000);

  it('keeps no transition table of its own while the WebAssembly pass runs: the tables are in its memory', () => {
    // The JavaScript pass's row tables (~1.3 MB as 32-bit rows) are made when that pass first runs; before, every
    // process kept them beside the WebAssembly memory's copy and never read them.
    const own = new LineFilter(SCANNER_TRIGGERS);
    const held = Object.values(own).reduce((sum: number, value: unknown) => sum + (ArrayBuffer.isView(value) ? value.byteLength : 0), 0);
    expect(held).toBeLessThan(64 * 1024);
    // The JavaScript pass still reads the same automata, once it runs.
    const text = 'fine\nerror: boom\nfine\n';
    expect(flaggedLines(text, true, own)).toEqual(flaggedLines(text, false, own));
    expect(flaggedLines(text, true, own)).toEqual([1]);
  });

  it('names a caret escape whose `^` would end an ANSI sequence', () => {
    // cleanLine removes `^[[31m` first, so `ESC ^[[31merror: make` cleans to `error: make` (the bare ESC goes), not
    // `[error: make`. (`ESC $ m…` would be an escape with intermediates, as a terminal reads it.)
    for (const raw of ['\x1b^[[31merror: make test', '\x1b[31^[[0m~~~~ Running', '\x1b^[[1;31m~~~ Running']) {
      expect(TRIGGERS.some((re) => re.test(cleanLine(raw))), raw).toBe(true);
      expect(flaggedLines(raw), JSON.stringify(raw)).toEqual([0]);
      expect(flaggedLines(raw, true), JSON.stringify(raw)).toEqual([0]);
    }
    // Without the caret escape the two-byte escape is still skipped whole: `ESC ^[0m$ make` cleans to `$ make`.
    expect(cleanLine('\x1b^[0m$ make')).toBe('$ make');
    expect(flaggedLines('\x1b^[0m$ make')).toEqual([0]);
  });

  it('leaves ordinary output unnamed', () => {
    const ordinary = ['added 612 packages in 9s', 'Downloading https://repo.maven.apache.org/x.jar', '  ok 12 renders the page', 'Compiling foo v0.1.0'];
    expect(flaggedLines([...ordinary, 'npm ERR! code ELIFECYCLE', ...ordinary].join('\n'))).toEqual([4]);
  });

  it('gives the same answer in WebAssembly and in JavaScript, whatever the bytes', () => {
    const random = seededRandom(7);
    const alphabet = ['e', 'r', 'o', 'R', 'f', 'a', 'i', 'l', '\x1b', '[', '0', 'm', ';', '\r', '\n', ' ', '#', '$', '2', ':', '\u00e9', '✖', '^', '-', 'G'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = 1 + Math.floor(random() * 400);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(flaggedLines(text), JSON.stringify(text)).toEqual(flaggedLines(text, true));
    }
    for (const log of sampleLogs().slice(0, 40)) {
      const text = log.bytes.toString('utf8');
      expect(flaggedLines(text), log.name).toEqual(flaggedLines(text, true));
    }
  });

  it('gives the same answer in WebAssembly and in JavaScript on chunks of kilobytes, however their lines fall', () => {
    // The rows above are short texts and whole sample logs; these are chunks of 4–20 KB (the reader hands the pass
    // ~64 KB at a time) whose lines are ~3, ~80 or ~2,000 bytes long, one line whole, or lines in the first tenth only.
    // The WebAssembly pass is the one `flag` runs (where it cannot load, `flag` runs the JavaScript one).
    expect((filter as unknown as { wasm: unknown }).wasm).not.toBeNull();
    const random = seededRandom(81);
    const alphabet = ['e', 'r', 'o', 'R', 'f', 'a', 'i', 'l', '\x1b', '[', '0', 'm', ';', '\r', ' ', '#', '$', '2', ':', '\u00e9', '✖', '^', '-', 'G', 'x', 'y'];
    const text = (length: number, lineEvery: number) => {
      let out = '';
      for (let i = 0; i < length; i++) out += random() * lineEvery < 1 ? '\n' : alphabet[Math.floor(random() * alphabet.length)];
      return out;
    };
    for (let round = 0; round < 120; round++) {
      const length = 4096 + Math.floor(random() * 12_000);
      const shapes = [text(length, 3), text(length, 80), text(length, 2000), text(length, Number.POSITIVE_INFINITY), `${text(length / 10, 40)}\n${text(length, Number.POSITIVE_INFINITY)}`];
      for (const sample of shapes) expect(flaggedLines(sample), JSON.stringify(sample.slice(0, 200))).toEqual(flaggedLines(sample, true));
    }
    // Named lines in one quarter of a chunk only.
    const ordinary = 'Compiling foo v0.1.0 (/src/foo) in 0.4s\n'.repeat(400);
    const errors = 'error: could not compile foo\n'.repeat(400);
    for (const sample of [errors + ordinary.repeat(3), ordinary + errors + ordinary.repeat(2), ordinary.repeat(3) + errors]) {
      expect(flaggedLines(sample)).toEqual(flaggedLines(sample, true));
      expect(flaggedLines(sample).length).toBe(400);
    }
  });

  it("gives the same answer in WebAssembly and in JavaScript in gh's layout, and reads each line past its columns", () => {
    const random = seededRandom(62);
    const alphabet = ['e', 'r', 'o', 'f', 'a', 'i', 'l', '\t', '\t', '\x1b', '[', '0', 'm', '\r', '\n', ' ', '#', '2', ':', 'é', '^', 'G', '$ ', 'make'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const length = 1 + Math.floor(random() * 400);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(flaggedLines(text, false, filter, true), JSON.stringify(text)).toEqual(flaggedLines(text, true, filter, true));
    }
    for (const log of sampleLogs().slice(0, 20)) {
      const lines = log.bytes.toString('utf8').split('\n');
      const gh = lines.map((line) => `build\tRun tests\t${line}`).join('\n');
      // Past the columns each line is read as the runner's layout reads it.
      expect(flaggedLines(gh, false, filter, true), log.name).toEqual(flaggedLines(lines.join('\n')));
      expect(flaggedLines(gh, true, filter, true), log.name).toEqual(flaggedLines(lines.join('\n')));
    }
  });

  it('names every random line whose cleaned text a trigger matches (escapes, carets, segments, prefixes)', () => {
    const random = seededRandom(11);
    // Ends of escape sequences, caret escapes and remnants next to what anchored triggers start with.
    const tokens = ['\x1b', '\x1b[', '^[[0m', '^[[31m', '^', '[', '[0m', 'm', '$ ', 'make', '~~~~ ', 'x', ' ', '\r', '##[', 'group]Run ', '\uFEFF',
      '2024-05-01T10:11:12Z ', 'Post job cleanup.', 'src/a.py:12', 'é',
      // Word boundaries: a timestamp whose `Z` touches the text, words and numbers that a boundary splits or joins.
      '2024-05-01T10:11:12Z', 'fatal', 'Z', '_', '503', '0', 'md013', 'err', 'or', '-',
      // A bare `[m` before a word, and what decides whether it starts a bracketed word.
      '[m', ']', 'error: ',
      // A caret bracket that is a regular expression, and bare caret codes cleaning takes or leaves by what follows.
      '^[[a-z]+$', '^[[m', '^[[K', '^[[?25l', 'a-z]',
      // Jenkins Timestamper's prefixes, which cleaning removes like GitHub's.
      '[2024-05-01T10:11:12.345Z] ', '12:34:56  ', '12:34:56'];
    const lines: string[] = [];
    for (let k = 0; k < 40_000; k++) {
      let line = '';
      const length = 1 + Math.floor(random() * 8);
      for (let i = 0; i < length; i++) line += tokens[Math.floor(random() * tokens.length)];
      lines.push(line);
    }
    const named = new Set(flaggedLines(lines.join('\n')));
    expect(flaggedLines(lines.join('\n'), true)).toEqual([...named]);
    let needed = 0;
    const missed: string[] = [];
    lines.forEach((raw, index) => {
      if (!TRIGGERS.some((re) => re.test(cleanLine(raw)))) return;
      needed++;
      if (!named.has(index)) missed.push(JSON.stringify(raw));
    });
    expect(missed.slice(0, 5)).toEqual([]);
    expect(needed).toBeGreaterThan(1000);
  });

  /** The automata of the scanner's triggers, compiled from them here (~0.7 s): once for the two tests below. */
  let triggerAutomata: ByteDfaSet | null = null;
  const compiledTriggers = (): ByteDfaSet => (triggerAutomata ??= compileByteDfas(lineFilterSpecs(SCANNER_TRIGGERS)));

  it('ships the module generated from line-filter.wat and the current triggers (else run `npm run build:line-filter`)', async () => {
    // The committed data's compressed text stands for a datum whose key and decompressed bytes are those generated now
    // (compressing them again was ~5 s of this test's 7); any other datum is compressed afresh, and the text differs.
    const compressed = [LINE_FILTER_TABLES, LITERAL_INDEX_LITERALS, REDACTION_PATTERN_LITERALS, DIGIT_BLIND_SLOTS, BLOCK_AUTOMATA];
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(await generatedModule({ compressed, triggerAutomata: compiledTriggers() }));
  });

  it('uses the generated automata only for the triggers they were built from', () => {
    const compiled = compiledTriggers();
    const shipped = decodeByteDfaSet(storedData(LINE_FILTER_TABLES, LINE_FILTER_TABLES.key) as Buffer);
    expect(shipped.classCount).toBe(compiled.classCount);
    expect([...shipped.classOf]).toEqual([...compiled.classOf]);
    shipped.automata.forEach((a, k) => expect([...a.next]).toEqual([...(compiled.automata[k]?.next ?? [])]));
    expect(specsKey(lineFilterSpecs(SCANNER_TRIGGERS))).toBe(LINE_FILTER_TABLES.key);
    expect(specsKey(lineFilterSpecs({ anywhere: [/other/], atStart: [] }))).not.toBe(LINE_FILTER_TABLES.key);
    // Other triggers compile their own automata and still filter by them.
    const other = new LineFilter({ anywhere: [/boom/], atStart: [/^Done/] });
    expect(flaggedLines('fine\nBOOM here\nDone.\nfine\n', false, other)).toEqual([1, 2]);
  });
});

describe('analyzeLog with the line filter', () => {
  /** A stream in uneven chunks, so lines and UTF-8 characters straddle chunk boundaries. */
  async function* chunked(bytes: Buffer): AsyncGenerator<Uint8Array> {
    const sizes = [4093, 1, 65536, 7, 16384];
    for (let at = 0, k = 0; at < bytes.length; k++) {
      const size = sizes[k % sizes.length] as number;
      yield new Uint8Array(bytes.subarray(at, at + size));
      at += size;
    }
  }

  /**
   * What testing every rule finds in a sample log, the filter on: the literal index off, so no digit-shape memo
   * either (it keeps its answers in the index). Read once a log: two tests compare with it.
   */
  const everyRuleFinds = new Map<string, LogAnalysis>();
  async function everyRule(log: SampleLog): Promise<LogAnalysis> {
    const known = everyRuleFinds.get(log.name);
    if (known !== undefined) return known;
    setLineFilterUse(true);
    setIndexUse(false);
    const found = await analyzeLog(chunked(log.bytes));
    everyRuleFinds.set(log.name, found);
    return found;
  }

  it('puts every sample log in exactly one part of the corpus', () => {
    const parts = PARTS.map(({ part }) => sampleLogPart(part));
    expect(parts.flat().map((log) => log.name)).toEqual(sampleLogs().map((log) => log.name));
    expect(sampleLogs().length).toBeGreaterThanOrEqual(3);
    // A log heavier than a part may leave the next part empty, never the first.
    expect(parts[0]?.length).toBeGreaterThan(0);
  });

  for (const { part, title } of PARTS) {
    it(`finds exactly what reading every line finds (every sample log, chunked awkwardly: ${title})`, async () => {
      // The index by the usual count, whatever an earlier file of the worker left (setLineFilterUse resets the bytes
      // counted towards the filter's threshold).
      setIndexUse(null);
      setShapeMemoUse(true);
      for (const log of sampleLogPart(part)) {
        setLineFilterUse(false);
        const everyLine = await analyzeLog(chunked(log.bytes));
        setLineFilterUse(true);
        const filtered = await analyzeLog(chunked(log.bytes));
        expect(filtered, log.name).toEqual(everyLine);
      }
    }, 120_000);
  }

  it('filters a log known to be long from its first byte, and finds what reading every line finds', async () => {
    expect(lineFilterFor(100_000)).toBe(scannerLineFilter);
    expect(lineFilterFor(100_000)(0)).toBeNull();
    expect(lineFilterFor(50_000_000)(0)).toBeInstanceOf(LineFilter);
    for (const log of sampleLogs().slice(0, 20)) {
      setLineFilterUse(false);
      const everyLine = await analyzeLog(chunked(log.bytes));
      setLineFilterUse(null);
      expect(await analyzeLog(chunked(log.bytes), { expectedBytes: 50_000_000 }), log.name).toEqual(everyLine);
    }
  }, 120_000);

  it('filters a log\'s first chunk after its first four lines, which decide the format', async () => {
    setLineFilterUse(true);
    const offered: number[] = [];
    const read: number[] = [];
    const gate: LineGate = { filter: scannerLineFilter, skip: (line) => (offered.push(line), true), release: () => undefined };
    const lead = ['$ npm test', '', 'Run npm test', 'ordinary output'];
    const log = [...lead, 'more ordinary output', 'still more output', 'error: something broke', 'done', ''].join('\n');
    await forEachLine(Buffer.from(log), (line) => void read.push(line), Number.POSITIVE_INFINITY, gate);
    // Lines 1 to 4 are read alone (gh's layout may start on any of them); line 5 is read as the end of a line begun
    // before the filtered part (see pushFiltered); 6 and 8 are not named.
    expect(offered).toEqual([6, 8]);
    expect(read).toEqual([1, 2, 3, 4, 5, 7, 9]);
  });

  it('filters a short log once the process has read the threshold in earlier logs, and finds what reading every line finds', async () => {
    // The repository's first sample log (the development sets are not in CI's checkout), repeated past one chunk.
    const sample = sampleLogs()[0] as SampleLog;
    const short = { name: sample.name, bytes: Buffer.concat(Array.from({ length: Math.ceil(300_000 / sample.bytes.length) }, () => sample.bytes)) };
    setLineFilterUse(false);
    const everyLine = await analyzeLog(chunked(short.bytes));
    setLineFilterUse(null);
    expect(scannerLineFilter(short.bytes.length)).toBeNull();
    // Earlier logs, none long enough on its own, until the process has read 2 MB.
    let read = 0;
    while (read < 2 * 1024 * 1024) {
      expect(scannerLineFilter(0)).toBeNull();
      await analyzeLog(chunked(short.bytes));
      read += short.bytes.length;
    }
    expect(scannerLineFilter(0)).toBeInstanceOf(LineFilter);
    expect(await analyzeLog(chunked(short.bytes)), short.name).toEqual(everyLine);
  }, 120_000);

  it('keeps a regular expression\'s `^[[` in the failure line, the filter on or off', async () => {
    const log = ['$ ./scripts/check-names.sh', "error: no line of names.txt matches grep -E '^[[a-z]+$'", '^[[31mexit status 1^[[0m', ''].join('\n');
    setLineFilterUse(false);
    const everyLine = await analyzeLog(log);
    setLineFilterUse(true);
    expect(await analyzeLog(log)).toEqual(everyLine);
    expect(everyLine.failures[0]?.lines[0]?.text).toBe("error: no line of names.txt matches grep -E '^[[a-z]+$'");
  });

  it('reads a section start hidden behind `ESC` and a caret escape while idle', async () => {
    // Once the error's block and its context are done the scanner is idle; the section start must still be read,
    // or the exit status fails the error's section instead of its own and the score changes.
    const lines = ['start', 'error: thing broke', 'a', 'b', 'c', 'd', '\x1b^[[31m$ make test', 'The command "make test" exited with 1.', ''];
    // The first line decides the format; the filter then reads the complete lines after a chunk's first `\n`.
    async function* twoChunks(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(Buffer.from(`${lines[0]}\n`));
      yield new Uint8Array(Buffer.from(lines.slice(1).join('\n')));
    }
    setLineFilterUse(false);
    const everyLine = await analyzeLog(twoChunks());
    setLineFilterUse(true);
    expect(await analyzeLog(twoChunks())).toEqual(everyLine);
    expect(everyLine.failures[0]?.rule).toBe('rustc.error');
  });

  it('reads long lines and big chunks as reading every line does', async () => {
    // A 3 MB line of ordinary text and a 1.5 MB one between errors, in one 8 MB chunk and in 64 KB ones.
    const text = [
      'npm ERR! code ELIFECYCLE',
      `bundle: ${'{"k":"v","n":1},'.repeat(200_000)}`,
      ...Array.from({ length: 20_000 }, (_, i) => `ok ${i} compiled module ${i}`),
      `payload ${'x'.repeat(1_500_000)} tail`,
      'Error: the validator rejected the bundle',
      ...Array.from({ length: 5_000 }, (_, i) => `ok ${i}`),
    ].join('\n');
    const bytes = Buffer.from(text);
    async function* oneChunk(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(bytes);
    }
    setLineFilterUse(false);
    const everyLine = await analyzeLog(chunked(bytes));
    setLineFilterUse(true);
    expect(await analyzeLog(chunked(bytes))).toEqual(everyLine);
    expect(await analyzeLog(oneChunk())).toEqual(everyLine);
    expect(everyLine.failures.length).toBeGreaterThan(0);
  }, 120_000);

  it('reads a skipped line from bytes the reader has since reused (context far above a long block)', async () => {
    // The reader copies filtered bytes into a few slices it reuses, and the scanner keeps skipped lines as views of
    // them. Lines of ~30 KB put two in a 64 KB slice, so the context lines above a 40-line block of such lines are
    // in slices overwritten long before the block closes and its context is read.
    const filler = (i: number) => `${String(i).padStart(6, '0')} `.repeat(4_000);
    const text = [
      'building',
      ...Array.from({ length: 30 }, (_, i) => `context line ${i} ${filler(i)}`),
      'Error: the validator rejected the bundle',
      ...Array.from({ length: 40 }, (_, i) => `    at frame ${i} ${filler(1000 + i)}`),
      'done',
    ].join('\n');
    const bytes = Buffer.from(text);
    setLineFilterUse(false);
    const everyLine = await analyzeLog(chunked(bytes));
    setLineFilterUse(true);
    const filtered = await analyzeLog(chunked(bytes));
    expect(filtered).toEqual(everyLine);
    const context = filtered.failures[0]?.context.map((l) => l.text.slice(0, 16));
    expect(context).toEqual(['context line 27 ', 'context line 28 ', 'context line 29 ', 'done']);
  });

  it('finds what reading every line finds in random logs of long lines, read from a source that reuses its memory', async () => {
    // Lines of 8-40 KB put one to eight in each of the reader's recycled 64 KB slices, so what the scanner reads
    // of skipped lines later (context, a 200-line look-back, an exit status's last output lines, a step header read
    // again, the tail) sits in slices overwritten long before. The source hands every chunk over in one buffer it
    // scribbles on once the next is asked for, as far as `LogSource` allows (`fileChunks` uses two).
    const rand = seededRandom(20261123);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    const triggers = [
      'Error: the validator rejected the bundle', 'npm ERR! code ELIFECYCLE', '    at frame (file.js:1:2)', '====DIFF====',
      'FAIL tests/basic/a.phpt [tests/basic/a.phpt]', 'The command "make test" exited with 1.', '##[group]Run make test',
      '##[endgroup]', '$ make test', 'Traceback (most recent call last):', 'ValueError: bad value', '',
      '-----BEGIN RSA PRIVATE KEY-----', 'MIIEowIBAAKCAQEA7bq3', '-----END RSA PRIVATE KEY-----', '##[error]Process completed with exit code 2.',
    ];
    const long = () => `${pick(['', '  ', 'ok '])}${'compiled módulo 日本 '.repeat(400 + Math.floor(rand() * 2_000))}`;
    async function* reusing(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
      const memory = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(memory, 0, at, at + size);
        yield memory.subarray(0, n);
        memory.fill(0x0a);
      }
    }
    for (let k = 0; k < 6; k++) {
      const lines = ['start'];
      while (lines.length < 160) lines.push(rand() < 0.2 ? pick(triggers) : rand() < 0.6 ? long() : `ok ${lines.length}`);
      lines.push('The command "npm test" exited with 1.', '');
      const crlf = k % 3 === 2;
      const bytes = Buffer.from(lines.join(crlf ? '\r\n' : '\n'));
      setLineFilterUse(false);
      const everyLine = await analyzeLog(bytes);
      setLineFilterUse(true);
      expect(await analyzeLog(reusing(bytes, 65_537)), `log ${k} in 65,537-byte chunks`).toEqual(everyLine);
      expect(await analyzeLog(reusing(bytes, 4_093)), `log ${k} in 4,093-byte chunks`).toEqual(everyLine);
      setLineFilterUse(null);
      expect(await analyzeLog(reusing(bytes, 1 << 20), { expectedBytes: bytes.length }), `log ${k} with its size`).toEqual(everyLine);
    }
  }, 60_000);

  it('finds in two analyses read at once what each finds alone (the index and the filter are one per process)', async () => {
    // Both keep their tables and their last answers (the candidates, the named lines) in module-level WebAssembly
    // memory that the next line or chunk overwrites: no answer may be kept across an await.
    setLineFilterUse(true);
    setIndexUse(true);
    const logs = sampleLogs().slice(0, 12);
    for (let k = 0; k + 1 < logs.length; k += 2) {
      const [a, b] = [logs[k], logs[k + 1]] as [{ name: string; bytes: Buffer }, { name: string; bytes: Buffer }];
      const alone = [await analyzeLog(chunked(a.bytes)), await analyzeLog(chunked(b.bytes))];
      expect(await Promise.all([analyzeLog(chunked(a.bytes)), analyzeLog(chunked(b.bytes))]), `${a.name} with ${b.name}`).toEqual(alone);
    }
  }, 120_000);

  for (const { part, title } of PARTS) {
    it(`finds exactly what testing every rule finds when the literal index picks the rules (both with the filter: ${title})`, async () => {
      setShapeMemoUse(true);
      for (const log of sampleLogPart(part)) {
        const found = await everyRule(log);
        setLineFilterUse(true);
        setIndexUse(true);
        const indexed = await analyzeLog(chunked(log.bytes));
        expect(indexed, log.name).toEqual(found);
      }
    }, 120_000);
  }

  /** Runs of lines that differ only in digits, where some expressions' answers depend on which digits they are. */
  function denseLogs(): SampleLog[] {
    // Runs of lines that differ only in digits, where some expressions' answers depend on which digits they are
    // (404 against 200, exit code 137 against 138): the memo may reuse only what cannot differ.
    const dense = Array.from({ length: 3_600 }, (_, i) => {
      const n = 100 + (i % 900);
      switch (Math.floor(i / 30) % 12) {
        case 0:
          return `src/module${n}/file.ts(${n},12): error TS2345: Argument of type 'string' is not assignable ${n}`;
        case 1:
          return `GET /api/items/${n} ${i % 7 === 1 ? 404 : 200} in ${n}ms`;
        case 2:
          return `Process exited with exit code ${i % 9 === 2 ? 137 : 138}`;
        case 3:
          return `##[error]src/a${n}.ts(${n},1): error TS1005: ';' expected.`;
        case 4:
          return `not ok ${n} - adds ${n} and ${n}`;
        case 5:
          return `    at com.example.Service.call(Service.java:${n})`;
        case 6:
          return `java.lang.IllegalStateException: state ${n}`;
        case 7:
          return `value ${i % 2 === 0 ? '0' : '1'}x${n} read, 1x${n} expected`;
        case 8:
          return `E   AssertionError: assert ${n} == ${n + 1}`;
        case 9:
          return `lib/${n}.rb:${n}:in 'call': undefined method (NoMethodError)`;
        case 10:
          return `FAILED tests/test_${n}.py::test_${n} - assert ${n}`;
        default:
          return `   ${n} | const x${n} = ${n};`;
      }
    }).join('\n');
    const byShape = [Array.from({ length: 400 }, (_, i) => `src/a.ts(${100 + i},5): error TS2322: Type 'number' is not assignable ${i}`).join('\n'), dense];
    return byShape.map((text, k) => ({ name: `dense-${k}`, bytes: Buffer.from(text) }));
  }

  for (const { part, title } of PARTS) {
    const last = part === CORPUS_PARTS - 1;
    const what = last ? 'and error-dense lines whose digits matter' : 'a part of them';
    it(`finds exactly what it finds without the digit-shape memo (every sample log, ${what}: ${title})`, async () => {
      // The error-dense logs with the last part, whose test counts the answers the memo reused: over the whole corpus
      // it was more than 1,000, and the count of a part is at most that of the whole.
      const logs = [...sampleLogPart(part), ...(last ? denseLogs() : [])];
      let reused = 0;
      for (const log of logs) {
        // Without the memo: what testing every rule finds (the index off takes the memo with it).
        const withoutMemo = await everyRule(log);
        setLineFilterUse(true);
        setIndexUse(true);
        setShapeMemoUse('always');
        const memo = await analyzeLog(chunked(log.bytes));
        reused += setShapeMemoUse(true);
        expect(memo, log.name).toEqual(withoutMemo);
      }
      if (last) expect(reused).toBeGreaterThan(1_000);
    }, 120_000);
  }


  it('keeps the rule walk of one shape apart inside and outside a failure list (list-only rules)', async () => {
    // `1) adds two numbers` and `2) adds two numbers` are one shape class, and every test of their walk is
    // digit-blind, so the walk's outcome is kept; but `test.numbered-failure` is tried only inside a failure list.
    // A walk kept for the class alone would carry an item out of the list, or the list's miss into it.
    setLineFilterUse(true);
    setIndexUse(true);
    const logs = {
      'inside first': ['3 failing', '', '1) adds two numbers', '   expected 1 to be 2', '', 'FAILURES!', '', '2) adds two numbers', ''],
      'outside first': ['1) adds two numbers', '', 'Failures:', '', '2) adds two numbers', '   expected 1', '', '3) adds two numbers', ''],
    };
    const found: Record<string, string[]> = {};
    let reused = 0;
    for (const [name, lines] of Object.entries(logs)) {
      const text = lines.join('\n');
      setShapeMemoUse(false);
      const everyLine = await analyzeLog(text);
      setShapeMemoUse('always');
      const memo = await analyzeLog(text);
      reused += setShapeMemoUse(true);
      expect(memo, name).toEqual(everyLine);
      found[name] = everyLine.failures.map((f) => `${f.rule}@${f.startLine}`);
    }
    expect(found).toEqual({
      'inside first': ['test.numbered-failure@3'],
      'outside first': ['test.numbered-failure@5', 'test.numbered-failure@8'],
    });
    expect(reused).toBeGreaterThan(0);
  });
});
