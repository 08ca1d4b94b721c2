import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../../shared/logs/dispatch.js';
import { analyzeLog } from '../../../shared/logs/index.js';
import { cleanLine, CleaningHazards, keptFrom, rawTextStart } from '../../../shared/logs/reader.js';
import { blockQuestions, blockSpecs, rawContinuation } from '../../../shared/logs/raw-continuation.js';
import { RULE_TABLE, type Rule } from '../../../shared/logs/rules.js';
import { takenWhileBusy } from '../../support/fast-paths.js';
import { seededRandom } from '../../support/random.js';

afterEach(() => setLineFilterUse(null));

/** The cleaned text as `rawTextStart` and `keptFrom` read it from the bytes, or null where they cannot tell. */
function rawText(raw: string): string | null {
  const bytes = Buffer.from(raw, 'utf8');
  if (new CleaningHazards().in(bytes, 0, bytes.length)) return null;
  const start = rawTextStart(bytes, 0, bytes.length);
  if (start === -1) return null;
  const end = bytes.length > 0 && bytes[bytes.length - 1] === 13 ? bytes.length - 1 : bytes.length;
  const kept: number[] = [];
  for (let i = start; i < end; i = keptFrom(bytes, i + 1, end)) kept.push(bytes[i] as number);
  return Buffer.from(kept).toString('utf8');
}

describe('reading the cleaned text from raw bytes', () => {
  it('reads what cleanLine makes of a line, or says it cannot tell (escapes, remnants, carets, timestamps, segments)', () => {
    const random = seededRandom(20261123);
    const tokens = ['\x1b', '\x1b[', '\x1b[0m', '\x1b[1;31m', '\x1b[?25l', '\x1b(B', '\x1b]0;', '[', '[0m', '[31;1m', '[1234567890123m', 'm',
      '^', '^[[0m', '\r', '\t', ' ', '  ', '\uFEFF', '#', '#12 3.4 ', 'é', '日本', 'x', 'E', '_', '=', '-', '0', '9', '.', 'Z', 'T', ':',
      '2024-05-01T10:11:12Z', '2024-05-01T10:11:12Z ', '2024-05-01T10:11:12.1234567Z ', '2024-05-01T10:11:12.Z ', '2024-05-01T10:11:1',
      '2024-05\x1b[0m-01T10:11:12Z ', '2024-05-01T10:11:12\x1b[0mZ ', '[m', ']', 'isc]', '^[[a-z]+$', '^[[K', '^[[m',
      // Jenkins Timestamper's Pipeline timestamp and console clock, whole, cut short and with codes inside.
      '[2024-05-01T10:11:12.345Z] ', '[2024-05-01T10:11:12.345Z]', '[2\x1b[0m024-05-01T10:11:12.345Z] ', '12:34:56  ', '12:34:56', '1\x1b[0m2:34:56  ', '12:3'];
    let answered = 0;
    let withCodes = 0;
    for (let k = 0; k < 60_000; k++) {
      let raw = '';
      const length = Math.floor(random() * 7);
      for (let i = 0; i < length; i++) raw += tokens[Math.floor(random() * tokens.length)];
      const read = rawText(raw);
      if (read === null) continue;
      answered++;
      if (/[\x1b[]/.test(raw)) withCodes++;
      expect(read, JSON.stringify(raw)).toBe(cleanLine(raw));
    }
    // It must answer for most lines, escape sequences and timestamps included, or it is no use.
    expect(answered).toBeGreaterThan(20_000);
    expect(withCodes).toBeGreaterThan(10_000);
  });

  it('finds a line\'s hazards the same way whether its buffer was searched for the lines before it or not', () => {
    const random = seededRandom(7);
    const tokens = ['x', ' ', '\r', '^', '[', '^[', '^[[0m', '^[[a-z]', 'ab', '\x1b[0m'];
    const lines = Array.from({ length: 5_000 }, () => Array.from({ length: Math.floor(random() * 5) }, () => tokens[Math.floor(random() * tokens.length)]).join(''));
    const bytes = Buffer.from(lines.join('\n'));
    const inOrder = new CleaningHazards();
    let start = 0;
    let hazards = 0;
    for (const line of lines) {
      const end = start + Buffer.byteLength(line);
      const found = inOrder.in(bytes, start, end);
      expect(found, JSON.stringify(line)).toBe(new CleaningHazards().in(Buffer.from(line), 0, end - start));
      expect(found, JSON.stringify(line)).toBe(/\r(?!$)|\^\[/.test(line));
      if (found) hazards++;
      start = end + 1;
    }
    expect(hazards).toBeGreaterThan(1_000);
  });

  it('finds every spelling of the column-one sequence, and nothing else that ends in a G, whatever was searched before', () => {
    const random = seededRandom(59);
    const tokens = ['x', ' ', 'G', '[G', '0G', '1G', '\x1b[', '\x1b[G', '\x1b[0G', '\x1b[1G', '\x1b[10G', '\x1b[2G', '\x1b[01G', '\x1b[0m', 'Gradle'];
    const lines = Array.from({ length: 5_000 }, () => Array.from({ length: Math.floor(random() * 4) }, () => tokens[Math.floor(random() * tokens.length)]).join(''));
    const bytes = Buffer.from(lines.join('\n'));
    const inOrder = new CleaningHazards();
    let start = 0;
    let hazards = 0;
    for (const [n, line] of lines.entries()) {
      const end = start + Buffer.byteLength(line);
      // Every other line only: the search goes on from a line it was not asked about.
      if (n % 2 === 0) {
        const found = inOrder.in(bytes, start, end);
        expect(found, JSON.stringify(line)).toBe(new CleaningHazards().in(Buffer.from(line), 0, end - start));
        expect(found, JSON.stringify(line)).toBe(/\x1b\[0*1?G/.test(line));
        if (found) hazards++;
      }
      start = end + 1;
    }
    expect(hazards).toBeGreaterThan(500);
  });

  it('says it cannot tell where cleaning reads more than the bytes at hand', () => {
    const cannot = ['a\rb', '\uFEFFx', '#1 2.3 npm ERR!', 'x ^[[31m y', '2024-05-01T10:11:12Z', '\x1b[0m2024-05-01T10:11:12Z\x1b[0m',
      '[2024-05-01T10:11:12.345Z] + make', '12:34:56  + make'];
    for (const raw of cannot) expect(rawText(raw), JSON.stringify(raw)).toBeNull();
    expect(rawText('2024-05-01T10:11:12Z \x1b[31m  at x\r')).toBe('  at x');
  });

  it('reads the bytes of a line that only starts like a Jenkins Timestamper prefix (an app\'s own clock, ninja\'s count)', () => {
    // An Erlang or logback line starts with its time and milliseconds, ninja's with `[3/10]`: cleaning leaves them as
    // they are, so declining them sends every such line inside an open block to be decoded and scanned.
    const kept = ['12:34:56.789 [info] Accepted connection', '12:34:56,789 ERROR x', '10:15 build', '[1/10] Building CXX object a.o',
      '[2024] notes', '[12:34:56] step', '\x1b[32m[3/10]\x1b[0m Linking'];
    for (const raw of kept) expect(rawText(raw), JSON.stringify(raw)).toBe(cleanLine(raw));
  });
});

describe('the open block\'s questions', () => {
  it('anchors an automaton only where every branch of every expression starts with ^', () => {
    const specs = blockSpecs([[/^a|^b/], [/^a|b/], [/(?:^a)/, /^c/], [/x^/], [/^a/m]]);
    expect(specs.map((s) => s.anchored)).toEqual([true, false, true, false, false]);
    expect(blockSpecs([[/a/u]])[0]).toEqual({ sources: [''], anchored: true });
    expect(blockQuestions().length).toBeGreaterThan(20);
  });
});

describe('the answer for one raw line', () => {
  const indentOf = (text: string): number => text.length - text.replace(/^[ \t]+/, '').length;

  /**
   * What `LogScanner` does with the cleaned `text` inside an open block of `rule`: the answer the bytes may give
   * ('read' is always allowed), stated from the rule's fields rather than from the scanner's code.
   */
  function scannerAllows(rule: Rule, indent: number, pickRank: number, text: string): 'continues' | 'blank' | 'neither' {
    if (!/\S/.test(text)) return 'blank';
    const extend = rule.extend ?? 'indent';
    if (extend === 'indent' && indentOf(text) <= indent) return 'neither';
    if (extend === 'until' && ((rule.end?.test(text) ?? false) || rule.re.test(text))) return 'neither';
    const pick = rule.pick ?? [];
    if (pickRank > 0 || pick[0]?.last === true) {
      for (let rank = 0; rank <= Math.min(pickRank, pick.length - 1); rank++) {
        const p = pick[rank] as NonNullable<Rule['pick']>[number];
        if ((p.outdented === true && indentOf(text) > indent) || !p.re.test(text)) continue;
        if (rank < pickRank || p.last === true) return 'neither';
        break;
      }
    }
    return 'continues';
  }

  it('answers for every rule of the table what the scanner finds on the cleaned text, or asks for the line to be read (ends, picks by rank, indentation, decorated bytes)', () => {
    const random = seededRandom(424242);
    const pickOf = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    // Text each `until` end and each pick of the table matches, split by what cleaning removes, behind a prefix.
    const samples = ['E   x', 'tests/a.py:12: Boom', 'a.py:1: in f', 'Boom: x', 'Boom', 'a.b.Boom: y', 'Boom:\u00a0x', 'message: x', 'a.go:12: got', 'Error:  x',
      '--- FAIL: T', 'error: x', "thread 'a' panicked at", 'org.Foo.BarException', 'expected 1', 'configure: error: x', 'x undefined reference to y', '=== x ===',
      '--- Captured stdout ---', '====================', 'Ran 1 test', '● x', 'FAIL  a > b', '⎯⎯⎯', 'Test Files 1', 'PASS x', 'Tests:', 'failures:', '---- x stdout ----',
      'test result:', '2) A\\B::c', '--', 'FAILURES!', 'There were 2', 'Finished in', '1 runs, ', '[ERROR]', '[OK]', 'Compiling x', 'warning: ', '(See full trace',
      'Tasks: TOP', 'Execution halted', 'npm ERR!', '[12:34:56]', 'nl 1) x', 'START [', 'Cancelling due to', 'Problem 1', 'x', 'frame 3 in f', 'é', '😀'];
    const prefixes = ['', '', ' ', '  ', '    ', '\t', '\t\t', '2024-05-01T10:11:12Z ', '2024-05-01T10:11:12.5Z  ', '\x1b[0m', '[0m ', '\x1b[1m  \x1b[0m', '\u00a0', '\uFEFF', '#1 2.3 '];
    const cuts = ['\x1b[0m', '\x1b[31;1m', '[0m', '[1234567890123m', '[123456789012m', '\x1b', '\x1b(B', '\x1b[?25h', '\x1b[2 q', '[;m', '\x1b[<5m', '^[[0m'];
    const endings = ['', '', '', '\r', ' ', '\x1b[0m', 'x\rdone', '\u00a0'];
    const table = RULE_TABLE;
    // A `line` rule's block reads every line but a blank one: a few of those, mostly the others.
    const blockRules = table.flatMap((rule, at) => (rule.extend !== 'line' || random() < 0.1 ? [at] : []));
    const answered = { continues: 0, blank: 0, read: 0 };
    const continuedBy = new Set<string>();
    for (let k = 0; k < 60_000; k++) {
      const position = pickOf(blockRules);
      const rule = table[position] as Rule;
      let raw = pickOf(prefixes);
      for (const ch of random() < 0.15 ? '' : pickOf(samples)) raw += (random() < 0.12 ? pickOf(cuts) : '') + ch;
      raw += pickOf(endings);
      const indent = Math.floor(random() * 5);
      const pickRank = rule.pick === undefined || random() < 0.4 ? Number.POSITIVE_INFINITY : Math.floor(random() * rule.pick.length);
      // The line among others in one buffer, as the reader hands it over.
      const before = pickOf(['', 'x\r\n', 'a^[b\n']);
      const bytes = Buffer.from(`${before}${raw}\n${pickOf(['', '\r', '^['])}`);
      const start = Buffer.byteLength(before);
      const answer = rawContinuation(rule, position, indent, pickRank, bytes, start, start + Buffer.byteLength(raw));
      answered[answer]++;
      if (answer === 'read') continue;
      if (answer === 'continues') continuedBy.add(rule.id);
      expect(scannerAllows(rule, indent, pickRank, cleanLine(raw)), `${rule.id} indent ${indent} pick ${pickRank} ${JSON.stringify(raw)}`).toBe(answer);
    }
    expect(answered.continues).toBeGreaterThan(6_000);
    expect(answered.blank).toBeGreaterThan(3_000);
    // Every kind of block took lines: each extend mode, rules with picks and with `until` ends.
    for (const id of ['pytest.failed', 'unittest.failed', 'go.test-failed', 'nextest.failed', 'rake.aborted', 'erlang.ct-failed', 'java.exception']) expect(continuedBy, id).toContain(id);
  });
});

describe('continuation lines taken as raw bytes', () => {
  /** Lines of failure blocks of every kind that continue, decorated as real logs decorate them. */
  function blockLog(seed: number): Buffer {
    const rand = seededRandom(seed);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
    const decorate = (text: string): string =>
      `${pick(['', '', '\x1b[0m', '\x1b[1m\x1b[31m', '[0m', '2024-05-01T10:11:12.1234567Z ', '2024-05-01T10:11:12Z \x1b[36m'])}${text}${pick(['', '', '\x1b[0m', '\r', ' [1m'])}`;
    const blocks: Array<() => string[]> = [
      // pytest: `until` with picks, an `E` line (rank 0) after ordinary and path lines, then the next header or the end.
      () => ['____ test_one ____', '', '    def test_one():', '>       assert f() == 2', ...(rand() < 0.5 ? ['E       assert 1 == 2'] : []),
        'tests/test_one.py:12: AssertionError', '    x = [1, 2]', '-------- Captured stdout call --------', 'printed', '====== 1 failed in 0.1s ======'],
      // A Java exception: `indent`, its frames deeper than the head, some with tabs.
      () => ['java.lang.IllegalStateException: boom', ...Array.from({ length: 3 + Math.floor(rand() * 60) }, (_, i) => `${pick(['\t', '    ', '  '])}at com.example.C${i}.run(C.java:${i})`), 'next output'],
      // Blank lines inside a block: one is part of it, the second closes it (`gap` 1), whatever follows.
      () => ['Error: the deploy failed', '  reason: timeout', pick(['', '  ', '\x1b[0m', '\t\x1b[0m ']), `  ${pick(['retrying', 'at step 2'])}`,
        pick(['', '   ', '\x1b[1m\x1b[0m']), pick(['', ' ', '2024-05-01T10:11:12.1234567Z ']), '  indented after two blank lines', 'next'],
      // A generic error with indented detail, and one whose next line is not indented.
      () => ['Error: the bundle failed', '  detail one', '\t  detail two', `  ${pick(['[warn]', '[0m', '^x', 'é', '#3'])} three`, 'done'],
      // erlang: `paragraph`, until a blank line.
      () => ['suite:case failed on line 12', 'Reason: {badmatch,1}', '  stack', 'more', '', 'after'],
      // go test: `indent` with picks that are no trigger (a `file.go:12:` line, a nested `--- FAIL` kept to the last).
      () => ['--- FAIL: TestParse (0.00s)', '    parse_test.go:10: setting up', `    parse_test.go:${10 + Math.floor(rand() * 90)}: got 1, want 2`,
        ...(rand() < 0.5 ? ['    --- FAIL: TestParse/empty (0.00s)', '        parse_test.go:30: empty input'] : []), 'FAIL'],
      // phpunit: `until` the next numbered failure or the summary.
      () => ['1) Foo\\BarTest::testBaz', 'Failed asserting that false is true.', '', '/app/tests/BarTest.php:12', '2) Foo\\BarTest::testQux', 'x', 'FAILURES!'],
      // A traceback longer than the ring (pytest allows 99 blank lines in a row): the lines it stores after runs of
      // blank lines are taken unread once its context is, and must be read before the ring loses them.
      () => [`____ test_${pick(['alpha', 'beta', 'gamma', 'delta'])} ____`, 'E       assert 1 == 2',
        ...Array.from({ length: 6 }, (_, k) => [...Array.from({ length: 40 + Math.floor(rand() * 20) }, () => ''), `    frame before ${k}`]).flat(),
        ...Array.from({ length: 240 + Math.floor(rand() * 40) }, (_, i) => `    frame ${i}`), '====== 1 failed in 0.1s ======'],
    ];
    const lines: string[] = ['start of the job'];
    while (lines.length < 3_000) {
      if (rand() < 0.3) lines.push(...pick(blocks)().map((line) => (rand() < 0.7 ? decorate(line) : line)));
      else lines.push(`compiling unit ${lines.length}`, pick(['', 'ok', '  indented output', '\x1b[32mgreen\x1b[0m']));
    }
    lines.push('The command "make test" exited with 1.', '');
    return Buffer.from(lines.join('\n'));
  }

  /** A stream in chunks (the reader decides the log's format on its first line, so the first chunk is read whole). */
  async function* chunks(bytes: Buffer): AsyncGenerator<Uint8Array> {
    for (let at = 0; at < bytes.length; at += 4093) yield bytes.subarray(at, at + 4093);
  }

  it('finds exactly what reading every line finds, and takes most continuation lines unread', async () => {
    for (const seed of [1, 2, 3, 4]) {
      const bytes = blockLog(seed);
      setLineFilterUse(false);
      const everyLine = await analyzeLog(chunks(bytes));
      setLineFilterUse(true);
      expect(await analyzeLog(chunks(bytes)), `log ${seed}`).toEqual(everyLine);

      // The same reading, counting the lines taken while the scanner was not idle (a block open).
      const { taken } = await takenWhileBusy(bytes, 4093);
      expect(taken, `log ${seed}`).toBeGreaterThan(300);
    }
  }, 60_000);
});
