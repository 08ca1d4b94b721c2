import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep, lineOf } from '../support/gha-step.js';

// Attack on session 67's changes (branch gaps67: mypy.error's `message.stop`, go.panic's `lookback.names`, agda.error's
// `runStart`/`passedUnder`, typedoc.found's `confirmedByExit`, BSD make's status line, ninja's `FAILED:` edge,
// puppet-lint 2.x): other runs of the same tools (real output where they run here, paths rewritten to the runner's).
// Each row failed before its fix, or runs as an expected failure with the reason; the rows named guards passed
// before and keep a fix from going too far.

describe("TypeDoc's closing line right above the step's exit line: only TypeDoc's own status for it confirms it", () => {
  /** TypeDoc 0.28 passing with a warning (`generated at`, then its closing line): the step's next command failed silently. */
  const PASSING_TYPEDOC = [
    '[warning] Unsupported highlight language promql will not be highlighted in comment for get',
    '[info] html generated at ./docs/api',
    '[warning] Found 0 errors and 1 warnings',
  ];

  it('does not report a passing TypeDoc run when the command after it fails without a word (`git diff --quiet`, exit 1)', async () => {
    // Prepare: the docs are regenerated and checked in; `git diff --quiet --exit-code` prints nothing and exits 1
    const log = ghaStep('npx typedoc --out docs/api src/index.ts && git diff --quiet --exit-code docs/api', PASSING_TYPEDOC, { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: nothing TypeDoc printed failed the step (exit 5, OutputError, is TypeDoc's status for it)
    expect(analysis.failures.map((f) => f.rule)).not.toContain('typedoc.found');
    expect(analysis.category).not.toBe('compilation');
  });

  it('still reads the closing line as the report under TypeDoc\'s own exit 5 (guard)', async () => {
    // Prepare
    const log = ghaStep('npx typedoc --treatWarningsAsErrors --out docs/api src/index.ts', PASSING_TYPEDOC, { exitCode: 5 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('typedoc.found');
  });
});

describe("TypeDoc's exit 5 under a package runner: the runner's line stating the script's status stands between", () => {
  it("reads pnpm's `ELIFECYCLE Command failed with exit code 5.` (thin spaces around the badge) right under TypeDoc's closing line as TypeDoc's status", async () => {
    // Prepare: pnpm 9.15 `pnpm run docs` (real output; the script printed TypeDoc 0.28's lines of a --treatWarningsAsErrors
    // run that failed after `generated at`, exit 5, which pnpm passes on)
    const log = ghaStep('pnpm run docs', [
      '',
      '> docs-app@1.0.0 docs /home/runner/work/app/app',
      '> typedoc --treatWarningsAsErrors --out docs/api src/index.ts',
      '',
      '[warning] Unsupported highlight language promql will not be highlighted in comment for get',
      '[info] html generated at ./docs/api',
      '[warning] Found 0 errors and 1 warnings',
      '\u2009ELIFECYCLE\u2009 Command failed with exit code 5.',
    ], { exitCode: 5 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('typedoc.found');
  });

  it("does not take pnpm's line for another status as TypeDoc's (the next script failed, exit 1) (guard)", async () => {
    // Prepare: `pnpm run docs && pnpm run check-docs`: TypeDoc passed, the check failed without a word
    const log = ghaStep('pnpm run docs && pnpm run check-docs', [
      '[warning] Unsupported highlight language promql will not be highlighted in comment for get',
      '[info] html generated at ./docs/api',
      '[warning] Found 0 errors and 1 warnings',
      '\u2009ELIFECYCLE\u2009 Command failed with exit code 1.',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('typedoc.found');
  });
});

describe("mypy's wrapped message: soft_wrap never prints a blank line or a run of spaces but the one before the code", () => {
  it("does not take the next tool's output into a message mypy printed whole (codes hidden, --no-error-summary)", async () => {
    // Prepare: mypy 1.0.1 `--hide-error-codes --no-error-summary` then pytest 7.4 (real output, exit 1): nothing ends
    // mypy's last message but what pytest prints
    const log = ghaStep(['mypy --hide-error-codes --no-error-summary src || rc=1', 'python3 -m pytest -q tests || rc=1', 'exit $rc'], [
      'src/ingest.py:3: error: Incompatible return value type (got "int", expected "str")',
      'src/ingest.py:5: error: Incompatible types in assignment (expression has type "str", variable has type "int")',
      'F.                                                                       [100%]',
      '=================================== FAILURES ===================================',
      '__________________________________ test_wraps __________________________________',
      '',
      '    def test_wraps():',
      '>       assert 0 == 16',
      'E       assert 0 == 16',
      '',
      'tests/test_a.py:2: AssertionError',
      '=========================== short test summary info ============================',
      'FAILED tests/test_a.py::test_wraps - assert 0 == 16',
      '1 failed, 1 passed in 0.13s',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert: mypy's message is its line; pytest's failure is a report of its own
    const mypyLast = analysis.failures.find((f) => f.startLine === lineOf(log, 'src/ingest.py:5: error:'));
    expect(mypyLast?.endLine).toBe(lineOf(log, 'src/ingest.py:5: error:'));
    expect(analysis.failures.map((f) => f.rule)).toContain('pytest.failed');
  });

  it('still reads a message wrapped over three lines down to its code (guard)', async () => {
    // Prepare: mypy 1.0.1 --pretty (real output, 80 columns)
    const log = ghaStep('mypy --pretty src', [
      'src/ledger.py:5: error: Argument 1 to "consume_ledger_entries" has incompatible',
      'type "Dict[str, List[Tuple[int, int, int]]]"; expected',
      '"Dict[str, List[Tuple[str, str, str]]]"  [arg-type]',
      '        return consume_ledger_entries(data, strict=True) + consume_ledger_...',
      '                                      ^~~~',
      'Found 1 error in 1 file (checked 1 source file)',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'type "Dict'), lineOf(log, '[arg-type]')]));
  });
});

/**
 * go 1.19 `go test -v` (real output, exit 1) of testify's suite `InvSuite` whose methods `methods` start, in order,
 * before the goroutine `(*InvSuite).TestLevel` started panics.
 */
function suitePanicLog(methods: readonly string[]): string[] {
  return ghaStep('go test -v ./...', [
    '=== RUN   TestInvSuite',
    ...methods.map((method) => `=== RUN   TestInvSuite/${method}`),
    'panic: runtime error: index out of range [2] with length 0',
    '',
    'goroutine 8 [running]:',
    'example.com/stock/inv.(*InvSuite).TestLevel.func1()',
    '\t/home/runner/work/stock/stock/inv/inv_test.go:13 +0x1a',
    'created by example.com/stock/inv.(*InvSuite).TestLevel',
    '\t/home/runner/work/stock/stock/inv/inv_test.go:11 +0x25',
    'FAIL\texample.com/stock/inv\t0.004s',
    'FAIL',
  ], { exitCode: 1 });
}

describe("a goroutine's panic under a suite's method: the `=== RUN` names the suite and the method, the trace the method", () => {
  it("keeps the `=== RUN   TestInvSuite/TestLevel` of the method whose goroutine panicked (testify's layout)", async () => {
    // Prepare: go 1.19 `go test -v` (real output, exit 1): a suite's method run as a subtest, as testify's suite.Run
    // does, starts a goroutine that panics; its frames name the method, `(*InvSuite).TestLevel`
    const log = suitePanicLog(['TestLevel']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(lineOf(log, '=== RUN   TestInvSuite/TestLevel'));
  });

  it("still drops the `=== RUN` of a suite's other method the trace never names (guard)", async () => {
    // Prepare: the same goroutine, left running by TestLevel, panics while TestRestock runs
    const log = suitePanicLog(['TestLevel', 'TestRestock']);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).not.toContain(lineOf(log, '=== RUN   TestInvSuite/TestRestock'));
  });
});

describe("Agda's `All done` heading read behind a task runner's prefix, as its reports and its runs' `Checking` lines are", () => {
  it("keeps the first file's type error first over a cached file's warning under `All done` behind docker compose's prefix", async () => {
    // Prepare: the fixture agda-loop-cached-warning-two-errors.log's output (Agda 2.6.2.2, real) in a compose service
    const root = '/home/runner/work/agda-lists/agda-lists/src';
    const log = ghaStep('docker compose up --exit-code-from agda agda', [
      `Checking Vec (${root}/Vec.agda).`,
      `${root}/Vec.agda:10,5-8`,
      'Nat → Nat !=< Nat',
      'when checking that the expression suc has type Nat',
      '',
      '———— All done; warnings encountered ————————————————————————',
      '',
      `${root}/Warn.agda:9,1-16`,
      'Unreachable clause',
      'when checking the definition of not',
      `Checking List (${root}/List.agda).`,
      `${root}/List.agda:8,13-19`,
      'Not in scope:',
      `  lenght at ${root}/List.agda:8,13-19`,
      "    (did you mean 'length'?)",
      'when scope checking lenght',
    ].map((line) => `agda-1  | ${line}`), { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(lineOf(log, 'src/Vec.agda:10,5-8'));
    expect(predictionLines(analysis)).not.toContain(lineOf(log, 'src/Warn.agda:9,1-16'));
  });
});
