import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { describePassingRuns } from '../support/passing-runs.js';
import { failedStepLog, topFailure } from '../support/step-analysis.js';

// Attack on session 68's rules (branch langs68: jest/vitest/pytest finding no tests, argparse's usage error, the
// tool-version, browser and lock-file rules): the same tools' passing or noisy output, and their lines beside a real
// failure in one step. Real output where the tool runs here (Jest 30, Vitest 3.2.7, pytest 9.0.3, CPython 3.11's
// unittest, go 1.19, npm 11 workspaces), paths rewritten to the runner's; otherwise the tool's documented wording,
// said so in the row. Each row failed before its fix, or runs as an expected failure with the reason; rows named
// guards passed before and keep a fix from going too far. Open: none.

/** `invoicer`'s CLI test that expects argparse to refuse a flag, printing argparse's usage error (real output). */
const ARGPARSE_REFUSAL: readonly [string, string] = ['usage: invoicer [-h] --currency CURRENCY', 'invoicer: error: unrecognized arguments: --bogus'];

/** coverage.py's report table for the same project (its documented layout), as pytest-cov and `coverage report` print it. */
const COVERAGE_TABLE = [
  'Name              Stmts   Miss  Cover',
  '-------------------------------------',
  'app/__init__.py       0      0   100%',
  'app/cli.py            6      0   100%',
  'app/ledger.py        10      6    40%',
  '-------------------------------------',
  'TOTAL                16      6    62%',
];

describePassingRuns("Jest's and Vitest's `exiting with code 0`: runs that passed", [
  { name: '`jest --passWithNoTests` finding no test (Jest 30, real output)', script: ['npx jest --ci --passWithNoTests'], output: [
      'No tests found, exiting with code 0',
    ] },
  { name: '`vitest run --passWithNoTests` finding no test file (Vitest 3.2.7, real output)', script: ['npx vitest run --passWithNoTests'], output: [
      '',
      ' RUN  v3.2.7 /home/runner/work/vp/vp',
      '',
      'No test files found, exiting with code 0',
      '',
      'include: **/*.{test,spec}.?(c|m)[jt]s?(x)',
      'exclude:  **/node_modules/**, **/dist/**, **/cypress/**, **/.{idea,git,cache,output,temp}/**, **/{karma,rollup,webpack,vite,vitest,jest,ava,babel,nyc,cypress,tsup,build,eslint,prettier}.config.*',
      '',
    ] },
]);

describe("Jest's `exiting with code 0` beside a failure", () => {
  it("puts the deploy script's missing command, not Jest's passing `exiting with code 0`, first", async () => {
    // Prepare: the same Jest run, then the script the step ran after it (bash's own line, exit 127)
    const log = failedStepLog('npx jest --ci --passWithNoTests && ./scripts/deploy.sh', [
      'No tests found, exiting with code 0',
      './scripts/deploy.sh: line 3: aws: command not found',
    ], 127);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['shell.command-not-found', './scripts/deploy.sh: line 3: aws: command not found', 'configuration']);
  });

  it('(guard) still reports `No tests found, exiting with code 1` in a workspace under `npm test --workspaces`', async () => {
    // Prepare: `npm test --workspaces` (npm 11, Jest 30; real output): @shop/a-ui has no test
    const log = failedStepLog('npm test --workspaces', [
      '',
      '> @shop/a-ui@1.0.0 test',
      '> jest --ci',
      '',
      'No tests found, exiting with code 1',
      'Run with `--passWithNoTests` to exit with code 0',
      'In /home/runner/work/mono/mono/packages/a-ui',
      '  1 file checked.',
      '  testMatch: **/__tests__/**/*.?([mc])[jt]s?(x), **/?(*.)+(spec|test).?([mc])[jt]s?(x) - 0 matches',
      '  testPathIgnorePatterns: /node_modules/ - 1 match',
      '  testRegex:  - 0 matches',
      'Pattern:  - 0 matches',
      'npm error Lifecycle script `test` failed with error:',
      'npm error code 1',
      'npm error path /home/runner/work/mono/mono/packages/a-ui',
      'npm error workspace @shop/a-ui@1.0.0',
      'npm error location /home/runner/work/mono/mono/packages/a-ui',
      'npm error command failed',
      'npm error command sh -c jest --ci',
    ]);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => `${f.rule}: ${f.lines[0]?.text}`)).toContain('jest.no-tests: No tests found, exiting with code 1');
  });
});

describe("argparse's usage error printed by a test that expected it is no failure the step stopped on", () => {
  it("puts pytest-cov's threshold first, not the argparse error a passing test printed under `-s`", async () => {
    // Prepare: pytest 9 -s (real output) with pytest-cov's closing lines (its documented wording): both tests passed
    const log = failedStepLog('python -m pytest -s --cov=app --cov-fail-under=90 tests', [
      '============================= test session starts ==============================',
      'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
      'rootdir: /home/runner/work/invoicer/invoicer',
      'plugins: cov-5.0.0',
      'collected 2 items',
      '',
      `tests/test_cli.py ${ARGPARSE_REFUSAL[0]}`,
      ARGPARSE_REFUSAL[1],
      '..',
      '',
      '---------- coverage: platform linux, python 3.11.7-final-0 -----------',
      ...COVERAGE_TABLE,
      '',
      'FAIL Required test coverage of 90% not reached. Total coverage: 62.50%',
      '============================== 2 passed in 0.12s ===============================',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['coverage.threshold', 'FAIL Required test coverage of 90% not reached. Total coverage: 62.50%', 'test_failure']);
  });

  it("puts coverage.py's `--fail-under` failure first, not the argparse error unittest let a passing test print", async () => {
    // Prepare: CPython 3.11's unittest (real output: it does not capture stderr), then `coverage report
    // --fail-under=90` (coverage.py's documented wording, exit 2)
    const log = failedStepLog('coverage run -m unittest discover -s tests && coverage report --fail-under=90', [
      ...ARGPARSE_REFUSAL,
      '..',
      '----------------------------------------------------------------------',
      'Ran 2 tests in 0.002s',
      '',
      'OK',
      ...COVERAGE_TABLE,
      'Coverage failure: total of 62 is less than fail-under=90',
    ], 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['coverage.threshold', 'Coverage failure: total of 62 is less than fail-under=90', 'test_failure']);
  });

  it('(guard) keeps unittest\'s failed test first over the argparse error a passing test printed', async () => {
    // Prepare: CPython 3.11's unittest, one test expecting SystemExit, one failing (real output)
    const log = failedStepLog('python -m unittest tests/ut_cli.py', [
      ...ARGPARSE_REFUSAL,
      '.F',
      '======================================================================',
      'FAIL: test_total (tests.ut_cli.CliTest.test_total)',
      '----------------------------------------------------------------------',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/invoicer/invoicer/tests/ut_cli.py", line 8, in test_total',
      '    self.assertEqual(sum([1, 2]), 4)',
      'AssertionError: 3 != 4',
      '',
      '----------------------------------------------------------------------',
      'Ran 2 tests in 0.002s',
      '',
      'FAILED (failures=1)',
    ]);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['unittest.failed', 'AssertionError: 3 != 4', 'test_failure']);
  });

  it('(guard) keeps a CLI\'s own argparse error first when it ended the step', async () => {
    // Prepare: the CLI run by the step with a flag it does not know (real output, exit 2)
    const log = failedStepLog('python -m app.cli --currency EUR --bogus', ARGPARSE_REFUSAL, 2);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['python.argparse-error', 'invoicer: error: unrecognized arguments: --bogus', 'configuration']);
  });
});

describe("pytest's exit 5 under `-q`", () => {
  it('reads `no tests ran in …` without its `=` rules (`pytest -q`) as a configuration, as the rule reads the long form', async () => {
    // Prepare: pytest 9 -q over a folder with no test module (real output, exit 5)
    const log = failedStepLog('python -m pytest -q tests/integration', ['', 'no tests ran in 0.02s'], 5);
    // Act, Assert
    expect(await topFailure(log)).toEqual(['pytest.no-tests', 'no tests ran in 0.02s', 'configuration']);
  });
});
