import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths, takenWhileBusy } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/node-test');

/**
 * Real runs of `node --test --test-reporter=spec test/cart.test.mjs` (a suite `Cart` with a nested suite `pricing`
 * whose two tests fail on `assert.strictEqual`), between the command and the runner's exit line. Node 20 (20.20.2)
 * prints each failed test's error under its `✖ name (1.5ms)` and again under `✖ failing tests:`; Node 22 (22.23.3)
 * prints the error only there, `✖ name` alone inline. Both close each failed suite with `✖ pricing (2.3ms)`.
 */
const node20 = readFileSync(resolve(FIXTURES, 'spec-node20.log'), 'utf8');
const node22 = readFileSync(resolve(FIXTURES, 'spec-node22.log'), 'utf8');
/** Node 22's run of tests that time out, throw a string, an object, and reject with a TypeError (no assertion). */
const thrown = readFileSync(resolve(FIXTURES, 'spec-node22-thrown.log'), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('node:test (spec reporter)', () => {
  it('Node 20: one finding per failing test, where it failed, its copy under `failing tests:` a repeat', async () => {
    // Act
    const analysis = await analyzeLog(node20);
    // Assert
    const tests = analysis.failures.filter((f) => f.rule === 'node-test.failed');
    expect(tests.map((f) => f.startLine)).toEqual([5, 27]);
    // Each copy under `failing tests:` begins with its `test at file:line:col`.
    expect(tests.map((f) => f.repeats?.map((r) => r.startLine))).toEqual([[61], [84]]);
    expect(analysis.failures[0]?.rule).toBe('node-test.failed');
  });

  it('Node 22: one finding per failing test, its copy under `failing tests:`, the only one that holds its error', async () => {
    // Act
    const analysis = await analyzeLog(node22);
    // Assert
    const tests = analysis.failures.filter((f) => f.rule === 'node-test.failed');
    expect(tests.map((f) => f.startLine)).toEqual([20, 44]);
    expect([20, 44].map((n) => line(node22, n))).toEqual(['test at test/cart.test.mjs:9:5', 'test at test/cart.test.mjs:12:5']);
    expect(tests.map((f) => f.lines.some((l) => l.text === '  100 !== 90' || l.text === '  10.5 !== 11'))).toEqual([true, true]);
    expect(analysis.failures[0]?.rule).toBe('node-test.failed');
  });

  it('carries the run\'s `ℹ fail N`, printed after the tests on Node 20 and above the failing tests\' list on 22', async () => {
    for (const [log, tally] of [[node20, 53], [node22, 12], [thrown, 9]] as const) {
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(line(log, tally)).toMatch(/^ℹ fail [23]$/);
      const tests = analysis.failures.filter((f) => f.rule === 'node-test.failed');
      expect(tests.length).toBeGreaterThan(1);
      expect(tests.map((f) => f.tallyLine)).toEqual(tests.map(() => tally));
      expect(predictionLines(analysis)).toContain(tally);
    }
  });

  it('gives each of two runs in one step its own `ℹ fail N` (Node 20 and 22)', async () => {
    // `node --test test/cart.test.mjs; node --test test/stock.test.mjs`: one test fails in the first run, two in the
    // second; the second run's report follows the first's `failing tests:` list right away.
    for (const [file, tallies] of [['two-runs-node20.log', [26, 99, 99]], ['two-runs-node22.log', [7, 38, 38]]] as const) {
      // Prepare
      const log = readFileSync(resolve(FIXTURES, file), 'utf8');
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(tallies.map((n) => line(log, n)), file).toEqual(['ℹ fail 1', 'ℹ fail 2', 'ℹ fail 2']);
      expect(analysis.failures.filter((f) => f.rule === 'node-test.failed').map((f) => f.tallyLine), file).toEqual(tallies);
    }
  });

  it('gives each of two runs its own `ℹ fail N` with the coverage report between it and `✖ failing tests:` (Node 22)', async () => {
    // Prepare
    const log = readFileSync(resolve(FIXTURES, 'two-runs-coverage-node22.log'), 'utf8');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([7, 49].map((n) => line(log, n))).toEqual(['ℹ fail 1', 'ℹ fail 3']);
    expect([23, 65].map((n) => line(log, n))).toEqual(['✖ failing tests:', '✖ failing tests:']);
    expect(analysis.failures.filter((f) => f.rule === 'node-test.failed').map((f) => f.tallyLine)).toEqual([7, 49, 49, 49]);
  });

  it('gives a run its own `ℹ fail N` when its coverage report is longer than the lines kept for looking back (Node 22)', async () => {
    // Prepare
    const log = readFileSync(resolve(FIXTURES, 'coverage-longer-than-ring-node22.log'), 'utf8');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: 276 lines between the first run's summary and its list, all but the blank one the report's `ℹ` lines.
    expect([7, 308].map((n) => line(log, n))).toEqual(['ℹ fail 1', 'ℹ fail 1']);
    expect([284, 326].map((n) => line(log, n))).toEqual(['✖ failing tests:', '✖ failing tests:']);
    expect(analysis.failures.filter((f) => f.rule === 'node-test.failed').map((f) => f.tallyLine)).toEqual([7, 308]);
  });

  it('takes no run\'s summary for a `✖ failing tests:` list ten lines but its report\'s below it (Node 22)', async () => {
    // Arrange: the real two-run log with other output between the first run's coverage report and its list.
    const real = readFileSync(resolve(FIXTURES, 'two-runs-coverage-node22.log'), 'utf8').split('\n');
    const heading = real.indexOf('✖ failing tests:');
    const withOutput = (count: number): string => [...real.slice(0, heading), ...Array.from({ length: count }, (_, i) => `> step ${i}`), ...real.slice(heading)].join('\n');
    // Act
    const nine = await analyzeLog(withOutput(8));
    const ten = await analyzeLog(withOutput(9));
    // Assert: eight other lines and the blank keep the list under its summary; nine and the blank make it another run's.
    const firstTally = (analysis: Awaited<ReturnType<typeof analyzeLog>>): number | undefined => analysis.failures.find((f) => f.rule === 'node-test.failed')?.tallyLine;
    expect(line(real.join('\n'), 7)).toBe('ℹ fail 1');
    expect(firstTally(nine)).toBe(7);
    expect(firstTally(ten)).not.toBe(7);
  });

  it('takes a failed suite\'s closing line (`✖ pricing (2.3ms)`, after its tests) for no failure of its own', async () => {
    const runs: Array<[string, number[]]> = [[node20, [48, 49]], [node22, [7, 8]]];
    for (const [log, suiteLines] of runs) {
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(suiteLines.map((n) => line(log, n).trim().split(' (')[0])).toEqual(['✖ pricing', '✖ Cart']);
      expect(analysis.failures.filter((f) => suiteLines.includes(f.startLine))).toEqual([]);
      expect(predictionLines(analysis).filter((l) => suiteLines.includes(l))).toEqual([]);
    }
  });

  it('reads `✖ failing tests:` as the run\'s summary of failures when the tests\' reports are not in the log', async () => {
    // Arrange: Node 22's run cut off under the summary's header (a log truncated at its size limit).
    const cut = node22.split('\n').slice(0, 19).join('\n');
    // Act
    const analysis = await analyzeLog(cut);
    // Assert
    expect(line(node22, 18)).toBe('✖ failing tests:');
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['cascade.summary', 18]]);
  });

  it('lists each test\'s assertion and values, and of its stack only the frame in the project\'s own file', async () => {
    for (const [log, want, stack] of [
      [node20, [5, 6, 8, 27, 28, 30], [10, 24]],
      [node22, [21, 22, 24, 45, 46, 48], [26, 42]],
    ] as const) {
      // Act
      const predicted = predictionLines(await analyzeLog(log));
      // Assert: each test's line, its assertion and the values under it, the first test's assertion first; of the
      // stack and the error's inspected properties, the test file's frame (`at TestContext.<anonymous> (file:///…/
      // test/cart.test.mjs:10:14)`), not node:internal's.
      expect(predicted[0]).toBe(want[1]);
      expect(predicted).toEqual(expect.arrayContaining([...want]));
      expect(line(log, stack[0])).toMatch(/^\s+at TestContext\.<anonymous> \(file:\/\/\/\S+\/test\/cart\.test\.mjs:\d+:\d+\)$/);
      expect(predicted.filter((l) => l >= stack[0] && l <= stack[1])).toEqual([stack[0]]);
      expect(predicted.length).toBeLessThanOrEqual(16);
    }
  });

  it('lists what a test threw that is no Error (a timeout\'s message, a string, an object) under its name', async () => {
    // Act
    const predicted = predictionLines(await analyzeLog(thrown));
    // Assert: `'test timed out after 20ms'`, `'plain string'`, `{ code: 42 }`, `TypeError: x is not a function`.
    expect([19, 23, 27, 31].map((n) => line(thrown, n).trim()[0])).toEqual(["'", "'", '{', 'T']);
    expect(predicted).toEqual(expect.arrayContaining([18, 19, 22, 23, 26, 27, 30, 31]));
  });
});

/**
 * Node 22.23.3's real `node --test` with its stdout no terminal, as on a CI runner, where its default reporter is TAP:
 * a top-level test fails `assert.deepEqual` (its message on the lines under `error: |-`), and in a suite `format` one
 * test fails `assert.equal` with a message of its own and one reads a property of `undefined` (a one-line `error:`).
 */
const tap = readFileSync(resolve(FIXTURES, 'tap-node22.log'), 'utf8');

describe('node:test (TAP reporter, the default when stdout is no terminal)', () => {
  it("shows first for each failed test the error's message, or its `not ok` line, not the `expected:` value below", async () => {
    // Act
    const analysis = await analyzeLog(tap);
    // Assert
    const first = analysis.failures.map((f) => f.lines[0]?.line);
    expect([16, 45, 80].map((n) => line(tap, n).trim())).toEqual([
      'Expected values to be strictly deep-equal:',
      'not ok 1 - pads to two digits',
      `error: "Cannot read properties of undefined (reading 'unit')"`,
    ]);
    expect(first[0]).toBe(16);
    expect(first).toEqual(expect.arrayContaining([16, 45, 80]));
  });
});

describe('node:test: the lines between a remembered `ℹ fail N` and its list', () => {
  afterEach(restoreFastPaths);

  /** The real two-run coverage log with `count` copies of `extra` before the first run's `✖ failing tests:`. */
  const withLines = (extra: string, count: number): Buffer => {
    const real = readFileSync(resolve(FIXTURES, 'two-runs-coverage-node22.log'), 'utf8').split('\n');
    const heading = real.indexOf('✖ failing tests:');
    return Buffer.from([...real.slice(0, heading), ...Array.from({ length: count }, () => extra), ...real.slice(heading)].join('\n'));
  };

  it('finds with the line filter what reading every line finds, blank and other lines counted alike', async () => {
    const logs: Array<[string, Buffer]> = [
      ...['coverage-longer-than-ring-node22.log', 'two-runs-coverage-node22.log', 'turbo-two-summaries-node22.log', 'tap-node22.log'].map((file): [string, Buffer] => [file, readFileSync(resolve(FIXTURES, file))]),
      // Nine lines besides the report's keep the first run's summary, ten do not (see the test above): blank lines,
      // lines of spaces, and a report line behind a colour code count, or not, as the scanner reads them.
      ...[8, 9].flatMap((count) => ['', '   ', '> step', '\x1b[32mℹ all files | 100.00\x1b[39m', 'ℹ'].map((extra): [string, Buffer] => [`${count} × ${JSON.stringify(extra)}`, withLines(extra, count)])),
      // A GitHub Actions job log: each line behind the runner's timestamp, which cleaning removes.
      ['timestamped', Buffer.from(readFileSync(resolve(FIXTURES, 'coverage-longer-than-ring-node22.log'), 'utf8').split('\n').map((l) => `2024-05-01T10:11:12.1234567Z ${l}`).join('\n'))],
    ];
    for (const [name, bytes] of logs) {
      // Act
      const { everyLine, fast } = await failuresBothWays(bytes);
      // Assert
      expect(fast, name).toEqual(everyLine);
      expect(everyLine.length, name).toBeGreaterThan(0);
    }
  });

  it('counts, with the line filter, the lines that only cleaning shows blank or not as reading every line does', async () => {
    // Prepare: lines whose bytes are not spaces and tabs, or not `ℹ ` in a row, but whose cleaned text may be blank
    // (JavaScript's whitespace: form feed, no-break and em spaces; a colour code alone; a BOM; a progress bar's `\r`)
    // or a report's line (a colour code after `ℹ `); a first byte shared with `ℹ` (an em space is e2 80 83).
    const extras = ['\f', '\v', '\u00a0', '\u2003', '\x1b[0m', '[0m', '\x1b[0m ', '\ufeff', '\ufeffℹ x', ' \r', '\rℹ x', 'ℹ \x1b[0m', 'ℹ\tx'];
    for (const extra of extras) {
      for (const count of [8, 9]) {
        // Act
        const { everyLine, fast } = await failuresBothWays(withLines(extra, count));
        // Assert
        expect(fast, `${count} × ${JSON.stringify(extra)}`).toEqual(everyLine);
      }
    }
  });

  it('takes a coverage report\'s lines unread while it remembers the run\'s summary (Node 22)', async () => {
    // Prepare: the first run's report is 272 lines, all `ℹ` lines that no trigger names; small chunks, as the
    // reader reads its first chunk whole.
    const bytes = readFileSync(resolve(FIXTURES, 'coverage-longer-than-ring-node22.log'));
    // Act
    const { scanner, taken: takenBusy } = await takenWhileBusy(bytes, 512);
    // Assert
    expect(scanner.finish().ranked.filter((r) => r.block.rule.id === 'node-test.failed').map((r) => r.block.tallyLine).sort((a, b) => a - b)).toEqual([7, 308]);
    expect(takenBusy).toBeGreaterThan(250);
  });
});
