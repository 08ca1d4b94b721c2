import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../../shared/logs/dispatch.js';
import { ghaStep } from '../../support/gha-step.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../../support/step-analysis.js';

// pytest's report of the tests that passed (`-rA`, `==== PASSES ====`): real output of pytest 7.2.1 with pytest-cov
// 4.0.0 (Debian 12's python3-pytest-cov), paths rewritten to the runner's. Before, each passed test's header was a
// pytest.failed report ranked above the run's real failure, and a passing test's `Error: …` output a failure of its own.

/** `pytest -rA --cov=app --cov-fail-under=90 tests`: both tests pass, the coverage is under its threshold, exit 1. */
const PASSED_UNDER_COVERAGE = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0+repack',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: cov-4.0.0, xdist-3.1.0',
  'collected 2 items',
  '',
  'tests/test_a.py ..                                                       [100%]',
  '',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '',
  '---------- coverage: platform linux, python 3.11.2-final-0 -----------',
  'Name              Stmts   Miss  Cover',
  '-------------------------------------',
  'app/__init__.py       6      3    50%',
  '-------------------------------------',
  'TOTAL                 6      3    50%',
  '',
  'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%',
  '=========================== short test summary info ============================',
  'PASSED tests/test_a.py::test_one',
  'PASSED tests/test_a.py::test_two',
  '============================== 2 passed in 0.04s ===============================',
];

describe.each(LINE_FILTER_MODES)("pytest's PASSES section, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it('reports the coverage threshold that failed the run, nothing of the tests that passed', async () => {
    setLineFilterUse(filterUse);
    // Act
    const failures = await failuresOf(failedStepLog('python -m pytest -rA --cov=app --cov-fail-under=90 tests', PASSED_UNDER_COVERAGE));
    // Assert
    expect(failures).toEqual([['coverage.threshold', 'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%']]);
  });

  it("reports the coverage threshold printed under the passed tests' output without a report (`--cov-report=`)", async () => {
    setLineFilterUse(filterUse);
    // The same run's output without the report: the threshold's line right under the last test's captured output.
    const passedOutputEnd = PASSED_UNDER_COVERAGE.indexOf('Error: this is just output of a passing test') + 1;
    const reportless = [...PASSED_UNDER_COVERAGE.slice(0, passedOutputEnd), ...PASSED_UNDER_COVERAGE.slice(PASSED_UNDER_COVERAGE.indexOf('TOTAL                 6      3    50%') + 2)];
    // Act
    const failures = await failuresOf(failedStepLog('python -m pytest -rA --cov=app --cov-report= --cov-fail-under=90 tests', reportless));
    // Assert
    expect(failures).toEqual([['coverage.threshold', 'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%']]);
  });

  it('reads what the step runs after pytest: its report ends at the next heading', async () => {
    setLineFilterUse(filterUse);
    const mypy = ['app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]', 'Found 1 error in 1 file (checked 1 source file)'];
    // Act
    const failures = await failuresOf(failedStepLog('python -m pytest -rA --cov=app tests && mypy app', [...PASSED_UNDER_COVERAGE, ...mypy]));
    // Assert
    expect(failures[0]).toEqual(['mypy.error', mypy[0]]);
    expect(failures.map(([rule]) => rule)).not.toContain('pytest.failed');
    expect(failures.map(([, line]) => line)).not.toContain('Error: this is just output of a passing test');
  });

  it('reads the next step: a section ends the passed reports when no heading does', async () => {
    setLineFilterUse(filterUse);
    // A run cut short under its PASSES heading (a timeout's kill), then the next step's compiler error.
    const cutShort = PASSED_UNDER_COVERAGE.slice(0, PASSED_UNDER_COVERAGE.indexOf('hello from one') + 1);
    const tsc = "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.";
    const log = [...ghaStep('python -m pytest -rA tests', cutShort, { exitCode: null }), ...ghaStep('npx tsc --noEmit', [tsc], { exitCode: 2 })].join('\n');
    // Act
    const failures = await failuresOf(log);
    // Assert
    expect(failures[0]).toEqual(['tsc.error', tsc]);
  });
});
