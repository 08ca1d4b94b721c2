import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';
import { NINJA_KEEP_GOING_LINES } from '../../support/ninja-keep-going.js';
import { failedStepLog, topFailure } from '../../support/step-analysis.js';

// Session 69 (ext69): the extractor's known misses left by session 68, each read from the tool's real output on this
// machine (pytest 9.0.3 on CPython 3.11), paths rewritten to the runner's. Each row failed before its fix.

/** pytest's session header as it prints it on the runner, above the collection line. */
const PYTEST_HEADER = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
];

describe('pytest: a `-k` expression that selects no test (exit status 5)', () => {
  // Real: `pytest -k nomatch` over three tests: every one deselected, nothing ran, and pytest exits 5. The summary
  // says why; before, the fallback listed the plugins' banner first.
  it('reports the summary that counts deselected tests only, the collection line with it', async () => {
    const summary = '============================ 3 deselected in 1.12s =============================';
    const log = failedStepLog('python -m pytest -k "integration and not slow"', [
      ...PYTEST_HEADER, 'collected 3 items / 3 deselected / 0 selected', '', summary,
    ], 5);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.text, analysis.category]).toEqual(['pytest.no-tests', summary, 'configuration']);
    expect(predictionLines(analysis)).toContain(lineOf(log.split('\n'), 'collected 3 items / 3 deselected / 0 selected'));
  });

  // Real: `pytest -q -k nomatch`: the summary alone, no rules around it; and a module's warning counted beside.
  it.each([
    ['-q', ['', '3 deselected in 1.22s'], '3 deselected in 1.22s'],
    ['with a warning', [
      ...PYTEST_HEADER, 'collected 4 items / 4 deselected / 0 selected', '',
      '=============================== warnings summary ===============================', 'tests/test_w.py:2',
      '  /home/runner/work/ledger/ledger/tests/test_w.py:2: DeprecationWarning: module warn',
      '    warnings.warn("module warn", DeprecationWarning)', '', '-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html',
      '======================= 4 deselected, 1 warning in 2.61s =======================',
    ], '======================= 4 deselected, 1 warning in 2.61s ======================='],
  ])('reads the summary %s', async (_name, output, summary) => {
    // Act, Assert
    expect(await topFailure(failedStepLog('python -m pytest -q -k nomatch', output, 5))).toEqual(['pytest.no-tests', summary, 'configuration']);
  });

  // Guard: a run that selected some tests and failed one counts its deselected tests in the same summary.
  it('leaves a failed test above a summary that also counts deselected tests', async () => {
    const log = failedStepLog('python -m pytest -q -k two', [
      'F                                                                        [100%]',
      '=========================== short test summary info ============================',
      'FAILED tests/test_a.py::test_two - AssertionError: math is broken',
      '1 failed, 2 deselected in 1.06s',
    ]);
    // Act, Assert
    expect((await topFailure(log))[0]).toBe('pytest.summary');
  });
});

describe("pytest -rA: the passed tests' section (`==== PASSES ====`)", () => {
  // Real: `pytest -rA` with one failing test of three: the passed tests' headers and captured output follow the
  // failure under `PASSES`, one of them printing `Error: …`. Before, each passed test's header was a pytest.failed
  // report listed beside the failure, and the captured `Error:` line a generic error.
  const output = [
    ...PYTEST_HEADER, 'collected 3 items', '', 'tests/test_a.py .F.                                                      [100%]', '',
    '=================================== FAILURES ===================================',
    '___________________________________ test_two ___________________________________', '',
    '    def test_two():', '        print("captured two")', '>       assert 1 + 1 == 3, "math is broken"',
    'E       AssertionError: math is broken', 'E       assert (1 + 1) == 3', '', 'tests/test_a.py:8: AssertionError',
    '----------------------------- Captured stdout call -----------------------------', 'captured two',
    '==================================== PASSES ====================================',
    '___________________________________ test_one ___________________________________',
    '----------------------------- Captured stdout call -----------------------------', 'hello from one',
    '------------------------------ Captured log call -------------------------------', 'WARNING  root:test_a.py:4 warn in one',
    '__________________________________ test_three __________________________________',
    '----------------------------- Captured stdout call -----------------------------', 'Error: this is just output of a passing test',
    '=========================== short test summary info ============================',
    'PASSED tests/test_a.py::test_one', 'PASSED tests/test_a.py::test_three',
    'FAILED tests/test_a.py::test_two - AssertionError: math is broken',
    '========================= 1 failed, 2 passed in 2.01s ==========================',
  ];

  // Open: the check (each line under the heading read from the scanner's ring) cost mix-100 10.83 -> 13.63 G
  // instructions (session 69's bench, one run): taken out; it needs the heading seen without reading skipped lines.
  it('lists the failed test and its summary entry, nothing of the tests that passed', async () => {
    const log = failedStepLog('python -m pytest -rA tests', output);
    const lines = log.split('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.rule)).toEqual(['pytest.failed', 'pytest.summary']);
    const predicted = predictionLines(analysis);
    expect(predicted).toContain(lineOf(lines, 'E       AssertionError: math is broken'));
    expect(predicted.filter((l) => l > lineOf(lines, '= PASSES =') && l < lineOf(lines, '= short test summary info ='))).toEqual([]);
  });

  // Real: a fixture's teardown raising after its test passed: ERRORS first, the test again under PASSES (it passed),
  // then the summary's `ERROR` entry under the next heading, read again.
  // Open with the row above (the passed test's header under PASSES is listed as a failure).
  it("reports a teardown's error above the PASSES section that lists its test, and the summary's entry under it", async () => {
    const log = failedStepLog('python -m pytest -rA tests', [
      '============================= test session starts ==============================', 'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
      'rootdir: /home/runner/work/ledger/ledger', 'collected 1 item', '', 'tests/test_t.py .E                                                       [100%]', '',
      '==================================== ERRORS ====================================',
      '________________________ ERROR at teardown of test_one _________________________', '',
      '    @pytest.fixture', '    def db():', '        yield 1', '>       raise RuntimeError("teardown broke")',
      'E       RuntimeError: teardown broke', '', 'tests/test_t.py:5: RuntimeError',
      '----------------------------- Captured stdout call -----------------------------', 'hello from one',
      '==================================== PASSES ====================================',
      '___________________________________ test_one ___________________________________',
      '----------------------------- Captured stdout call -----------------------------', 'hello from one',
      '=========================== short test summary info ============================',
      'PASSED tests/test_t.py::test_one', 'ERROR tests/test_t.py::test_one - RuntimeError: teardown broke',
      '========================== 1 passed, 1 error in 0.19s ==========================',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.slice(0, 2).map((f) => [f.rule, f.lines[0]?.text])).toEqual([
      ['pytest.failed', 'E       RuntimeError: teardown broke'], ['pytest.summary', 'ERROR tests/test_t.py::test_one - RuntimeError: teardown broke'],
    ]);
  });
});

describe('ninja -k 0: each failed edge its own run', () => {
  // Real: ninja 1.11.1 `-k 0 -j1` (session 67's row in gaps-67): puppet-lint's warnings failed the first edge
  // (--fail-on-warnings), pytest's failed test the second. Each edge's `FAILED:` opens what it printed; before, the
  // second edge's report was not listed with the first (ninja's `FAILED:` ended no run, as make's status line does).
  const log = ghaStep('ninja -k 0', [...NINJA_KEEP_GOING_LINES], { exitCode: 1 });

  it("lists the first edge's warnings first, then the second edge's failed test", async () => {
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(lineOf(log, 'WARNING: class not documented'));
    expect(predicted).toContain(lineOf(log, 'FAILED tests/test_ntp.py::test_pool - assert 2 == 3'));
    expect(predicted.indexOf(lineOf(log, 'WARNING: class not documented'))).toBe(0);
  });

  // Guard: without -k ninja stops on the first failed edge; one `FAILED:` ends no run of its own.
  it('lists the one failed edge alone when ninja stopped on it', async () => {
    const stopped = [...log.slice(0, log.indexOf('[2/2] python3 -m pytest -q --tb=no tests && touch test.stamp')), 'ninja: build stopped: subcommand failed.', '##[error]Process completed with exit code 1.'];
    // Act
    const analysis = await analyzeLog(stopped.join('\n'));
    // Assert
    expect(predictionLines(analysis).every((l) => l < lineOf(stopped, 'ninja: build stopped'))).toBe(true);
  });
});

describe("TypeDoc's messages about a comment, its place first", () => {
  // Real: TypeDoc 0.28.20 (TypeScript 6.0.3) under --treatWarningsAsErrors, a comment linking files that do not exist:
  // each warning names its place as tsc does, then its source line under the line's number; exit 3. Before, the
  // closing line was unconfirmed (no `[warning]` message at a line's start) and the fallback listed a source line.
  const esc = '\u001b';
  const place = (col: number): string => `${esc}[96m./src/index.ts${esc}[0m:${esc}[93m2${esc}[0m:${esc}[93m${col}${esc}[0m - ${esc}[93m[warning]${esc}[0m`;
  const source = `${esc}[47m${esc}[30m2${esc}[0m     * Adds. See [the guide](./missing-guide.md) and ![pic](./missing.png).`;
  const messages = [
    `${place(25)} The relative path ./missing-guide.md is not a file and will not be copied to the output directory`, '', source, '',
    `${place(56)} The relative path ./missing.png is not a file and will not be copied to the output directory`, '', source, '',
  ];
  const closing = `${esc}[93m[warning]${esc}[0m Found 0 errors and 2 warnings`;

  it('lists the warnings from the first, the closing line with them', async () => {
    const log = ghaStep('npx typedoc --treatWarningsAsErrors', [...messages, closing], { exitCode: 3 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['typedoc.found', lineOf(log, 'missing-guide.md is not a file')]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'missing.png is not a file'), lineOf(log, 'Found 0 errors and 2 warnings')]));
  });

  // Guard, real: the same run without the option generates the docs (`[info] html generated at ./docs`) and passes.
  it('reports nothing of a run that generated the docs, the step passing', async () => {
    const log = ghaStep('npx typedoc', [...messages, `${esc}[96m[info]${esc}[0m html generated at ./docs`, closing], { exitCode: null });
    // Act, Assert
    expect((await analyzeLog(log.join('\n'))).failures).toEqual([]);
  });
});
