import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, type Failure } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/toolchains');

/** The lines reported by more than one failure: each failure reports its first line and its repeats' first lines. */
function reportedTwice(failures: readonly Failure[]): number[] {
  const seen = new Map<number, number>();
  for (const line of failures.flatMap((f) => [f.lines[0]?.line ?? f.startLine, ...(f.repeats ?? []).map((r) => r.startLine)])) seen.set(line, (seen.get(line) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([line]) => line);
}

describe("a block that takes an earlier failure's line into itself by its look-back absorbs that failure", () => {
  it("reports an Elixir 1.15+ logged compile error's diagnostic once, as the compile error's (not generic.error's too)", async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'elixir-compile-error.log')));
    // Assert: the block from `Compiling 31 files (.ex)` down to the CompileError took line 109 in and names it.
    expect(analysis.failures.map((f) => [f.rule, f.lines[0]?.line])).toEqual([['elixir.compile-logged', 109]]);
  });

  it("reports R CMD check's ` ERROR` once, inside the tests' failure that takes it in above `Running the tests in … failed.`", async () => {
    // Act
    const analysis = await analyzeLog(readFileSync(resolve(FIXTURES, 'r-cmd-check-testthat.log')));
    // Assert: `Running ‘testthat.R’` (36) and ` ERROR` (37) are the failure's; `Status: 1 ERROR` (52) stays apart.
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([
      ['r.tests-failed', 36],
      ['generic.error-word', 52],
    ]);
  });

  it("leaves no line of a failing .phpt's diff a failure of its own (the diff is the test's)", async () => {
    // Prepare: run-tests.php prints the diff between `====DIFF====` and `====DONE====`, then `FAIL name [file]`.
    const log = [
      '$ make test',
      'TEST 1/3 [tests/a.phpt]',
      '========DIFF========',
      '001+ ** ERROR: process timed out **',
      '001- OK.',
      '002+ Segmentation fault (core dumped)',
      '========DONE========',
      'FAIL Bug #1 (proc_open hangs) [tests/a.phpt]',
      'TEST 2/3 [tests/b.phpt]',
      '========DIFF========',
      '001+ ** ERROR: process timed out **',
      '001- OK.',
      '========DONE========',
      'FAIL Bug #2 (stream hangs) [tests/b.phpt]',
      'The command "make test" exited with 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the two tests fail; the diff's ERROR and Segmentation fault lines are theirs (the second ERROR too,
    // which is no repeat of the first once the first belongs to its test).
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([
      ['php.test-failed', 4, 8],
      ['php.test-failed', 11, 14],
    ]);
  });

  it("does not reach past another report of its own rule: a .phpt FAIL without a diff of its own stays apart", async () => {
    // Prepare: the second test fails without a diff; the nearest `====DIFF====` above it is the first test's.
    const log = [
      '$ make test',
      '========DIFF========',
      '001+ ** ERROR: process timed out **',
      '========DONE========',
      'FAIL Bug #1 (proc_open hangs) [tests/a.phpt]',
      'TEST 2/3 [tests/b.phpt]',
      'FAIL Bug #2 (stream leaks) [tests/b.phpt]',
      'The command "make test" exited with 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: two failed tests, the second's block its own line only.
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([
      ['php.test-failed', 3, 5],
      ['php.test-failed', 7, 7],
    ]);
  });

  it('takes back, from an earlier failure of the same text, the repeat the look-back took in', async () => {
    // Prepare: the passing test's logged error (2) is a failure of its own; the failing test's (5) is its test's.
    const log = [
      '=== RUN   TestDial',
      '    dial_test.go:10: error: connection refused',
      '--- PASS: TestDial (0.00s)',
      '=== RUN   TestFetch',
      '    dial_test.go:20: error: connection refused',
      '--- FAIL: TestFetch (0.00s)',
      'FAIL',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the line-2 failure no longer counts line 5 as its repeat; line 5 is the failing test's.
    expect(reportedTwice(analysis.failures)).toEqual([]);
    expect(analysis.failures.find((f) => f.rule === 'go.test-failed')?.startLine).toBe(5);
    const dial = analysis.failures.find((f) => f.lines[0]?.line === 2);
    expect([dial?.occurrences, dial?.repeats]).toEqual([undefined, undefined]);
  });

  it('keeps an earlier failure whose own line is above the look-back, even when a line it went on over is taken', async () => {
    // Prepare: R CMD check wrapping `* checking tests ... ERROR` round the `Running ‘testthat.R’` line.
    const log = [
      '* checking tests ... ERROR',
      '  Running ‘testthat.R’',
      'Running the tests in ‘tests/testthat.R’ failed.',
      'Last 13 lines of output:',
      "  ── Failure ('test-add.R:12:3'): add() sums two numbers ──",
      '  Execution halted',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the summary line (1) is not in the tests' block, which starts at `Running ‘testthat.R’` (2).
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([
      ['r.tests-failed', 2],
      ['generic.error-word', 1],
    ]);
  });
});
