import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../shared/logs/dispatch.js';
import { ghaStep } from '../support/gha-step.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../support/step-analysis.js';

// Attack pass 2 on session 74's pytest PASSES change: 0d4c4218 (pytest's `==== PASSES ====` section opens no report)
// as ca3493e7 left it (the section ends only at pytest's known `=` headings, the run's summary line with rules or bare
// under `-q`, a titled `----` separator other than a test's `---- Captured … ----`, pytest-cov's threshold line,
// `INTERNALERROR> `, or the step's end). Real output: Debian 12's pytest 7.2.1 (Python 3.11.2) and tox 3.28.0; pyenv's
// pytest 9.0.3 (Python 3.11.7, hypothesis 6.155.2, pytest-benchmark 5.2.3); mypy 2.4.0. Paths rewritten to the
// runner's. Regressions were told from older gaps by running the same logs on 770399dd (before 0d4c4218).
//
// S74b-1 (High, regression of 0d4c4218, not closed by ca3493e7): under `-qq` pytest prints no summary line at all (not
// even the bare `2 passed in 0.01s` of `-q`), and `-rP` prints no short summary when every test passed: nothing ends
// PASSES, so every unprefixed line after it in the step opens no report. The next command's failure (mypy after
// `pytest -qq -rP &&`, tox's next command and its `ERROR: InvocationError`) is lost; the top failure is
// generic.step-output. Before 0d4c4218 mypy's error was found (under the passed tests' headers).
// S74b-2 (High, regression of 0d4c4218, not closed by ca3493e7): pytest 9 counts subtests in its bare `-q` summary,
// `2 passed, 2 subtests passed in 0.88s`, for its built-in `subtests` fixture and for every `unittest.TestCase` using
// `self.subTest`. PASSING_REPORTS_END_RE's bare alternative takes one word after each count (`, \d+ [a-z]+`), so that
// line is no end: under `-q -rP` PASSES stays open to the step's end, as in S74b-1.
// S74b-3 (Medium, older: 770399dd reports it too, under the passed test's header): a plugin's passing test that runs
// pytest with `pytester` prints the inner run's output in its captured stdout; the inner `==== FAILURES ====` (a known
// heading) ends PASSES, and the inner run's expected failure (`E       assert (1 + 1) == 3`, its `FAILED …` line)
// is the top failure, above the real one (mypy).
// Guards (hold): a later STEP's failure after a step whose `pytest -qq -rP` passed (the step's end ends PASSES), in
// the runner's layout and in `gh run view --log`'s; `-q -rP` then mypy with CRLF line ends, GitHub timestamps and
// `--color=yes`.

/** `python -m pytest -qq -rP tests && mypy --strict app`: Debian's pytest 7.2.1 (Python 3.11.2), mypy 2.4.0, exit 1. Under `-qq` pytest prints no summary line at all. */
const QQ_MYPY = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `tox` (Debian's tox 3.28.0, pytest 7.2.1): `python -m pytest -qq -rP tests` then `mypy --strict app`; the `installed:` list cut to the packages that matter. */
const TOX_QQ_MYPY = [
  'py311 create: /home/runner/work/ledger/ledger/.tox/py311',
  'py311 installed: coverage==6.5.0,iniconfig==1.1.1,mypy==1.0.1,packaging==23.0,pluggy==1.0.0+repack,pytest==7.2.1,pytest-cov==4.0.0,pytest-xdist==3.1.0',
  'py311 run-test-pre: PYTHONHASHSEED=\'3554075780\'',
  'py311 run-test: commands[0] | python -m pytest -qq -rP tests',
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  'py311 run-test: commands[1] | mypy --strict app',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
  'ERROR: InvocationError for command /opt/hostedtoolcache/Python/3.11.7/x64/bin/mypy --strict app (exited with code 1)',
  '___________________________________ summary ____________________________________',
  'ERROR:   py311: commands failed',
];

/** `python -m pytest -q -rP tests && mypy --strict app`: pytest 9.0.3 (pyenv Python 3.11.7), a test using pytest 9's built-in `subtests` fixture; mypy 2.4.0, exit 1. */
const SUBTESTS_MYPY = [
  '.uu.                                                                     [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '2 passed, 2 subtests passed in 0.88s',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** The same with a `unittest.TestCase` whose test uses `self.subTest(...)` (pytest 9.0.3 counts its subtests; `uu` is what pytest 9 prints into the captured stdout). */
const UNITTEST_SUBTEST_MYPY = [
  '..                                                                     [100%]',
  '==================================== PASSES ====================================',
  '_____________________________ TestParse.test_cases _____________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'uu',
  '__________________________________ test_plain __________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from plain',
  '2 passed, 2 subtests passed in 1.58s',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `python -m pytest -rA tests && mypy --strict app`: pytest 9.0.3; a plugin's passing test runs an inner pytest with `pytester` (the inner run's test fails, as the outer test asserts); its output is the outer test's captured stdout. */
const PYTESTER_MYPY = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
  'collected 1 item',
  '',
  'tests/test_plugin.py .                                                   [100%]',
  '',
  '==================================== PASSES ====================================',
  '_____________________________ test_reports_failure _____________________________',
  '----------------------------- Captured stdout call -----------------------------',
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /tmp/pytest-of-runner/pytest-0/test_reports_failure0',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
  'collected 1 item',
  '',
  'test_reports_failure.py F                                                [100%]',
  '',
  '=================================== FAILURES ===================================',
  '___________________________________ test_bad ___________________________________',
  '',
  '    def test_bad():',
  '>       assert 1 + 1 == 3',
  'E       assert (1 + 1) == 3',
  '',
  'test_reports_failure.py:2: AssertionError',
  '=========================== short test summary info ============================',
  'FAILED test_reports_failure.py::test_bad - assert (1 + 1) == 3',
  '============================== 1 failed in 1.09s ===============================',
  '=========================== short test summary info ============================',
  'PASSED tests/test_plugin.py::test_reports_failure',
  '============================== 1 passed in 2.07s ===============================',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `python -m pytest -q -rP tests && mypy --strict app`: Debian's pytest 7.2.1, mypy 2.4.0 (the S74-1 shape, rerun here for the layouts below). */
const QRP_MYPY_72 = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '2 passed in 0.00s',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** The same with `--color=yes`: the bare summary line in ANSI colours, as printed. */
const QRP_COLOR_MYPY = [
  '\u001b[32m.\u001b[0m\u001b[32m.\u001b[0m\u001b[32m                                                                       [100%]\u001b[0m',
  '==================================== PASSES ====================================',
  '\u001b[32m\u001b[1m___________________________________ test_one ___________________________________\u001b[0m',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '\u001b[32m\u001b[1m___________________________________ test_two ___________________________________\u001b[0m',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '\u001b[32m\u001b[32m\u001b[1m2 passed\u001b[0m\u001b[32m in 0.00s\u001b[0m\u001b[0m',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `python -m pytest -qq -rP tests` alone (a step that passed): pytest 9.0.3. */
const QQ_ONLY = [
  '.uu.                                                                     [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
];

/** `mypy --strict app` (mypy 2.4.0), exit 1. */
const MYPY_ONLY = [
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:4: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

const MYPY_TOP: [string, string] = ['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]'];

describe.each(LINE_FILTER_MODES)('S74b-1 (High, regression of 0d4c4218): `pytest -qq -rP` prints no summary line, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it.each([
    ['mypy after `pytest -qq -rP` (pytest 7.2.1) in one step is the top failure', 'python -m pytest -qq -rP tests && mypy --strict app', QQ_MYPY, 1, MYPY_TOP],
    ["tox's second command (mypy) after its `pytest -qq -rP` is the top failure", 'tox', TOX_QQ_MYPY, 1, MYPY_TOP],
  ] as const)('%s', async (_title, script, output, exitCode, top) => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(failedStepLog(script, output, exitCode)))[0]).toEqual(top);
  });
});

describe.each(LINE_FILTER_MODES)("S74b-2 (High, regression of 0d4c4218): pytest 9's bare `-q` summary counts subtests, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it.each([
    ['mypy after `pytest -q -rP` whose test used the `subtests` fixture is the top failure', 'python -m pytest -q -rP tests && mypy --strict app', SUBTESTS_MYPY, 1, MYPY_TOP],
    ["mypy after `pytest -q -rP` over a unittest.TestCase's `self.subTest` is the top failure", 'python -m pytest -q -rP tests && mypy --strict app', UNITTEST_SUBTEST_MYPY, 1, MYPY_TOP],
  ] as const)('%s', async (_title, script, output, exitCode, top) => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(failedStepLog(script, output, exitCode)))[0]).toEqual(top);
  });
});

describe.each(LINE_FILTER_MODES)('S74b-3 (Medium, older): a passing pytester test prints an inner run\'s failure, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  // Open again since session 74's lead (it passed on 2aea4678): another run's FAILURES ends the reports, for attack
  // 74d's S74d-1 and S74d-5 (two runs in one step, the second's failure lost), and an inner pytester run's FAILURES in
  // a passed test's output looks the same. Medium, as before 0d4c4218.
  it.fails("the inner run's failure (a passed test's captured stdout) is no failure: mypy is the top one", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -rA tests && mypy --strict app', PYTESTER_MYPY));
    expect(failures.map(([, line]) => line)).not.toContain('E       assert (1 + 1) == 3');
    expect(failures[0]).toEqual(MYPY_TOP);
  });
});

describe.each(LINE_FILTER_MODES)('guards: what holds after ca3493e7, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  const twoSteps = [
    ...ghaStep('python -m pytest -qq -rP tests', QQ_ONLY, { exitCode: null }),
    ...ghaStep('mypy --strict app', MYPY_ONLY, { exitCode: 1 }),
  ];

  it("a later step's failure after a step whose `pytest -qq -rP` passed is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(twoSteps.join('\n'));
    expect(failures[0]).toEqual(MYPY_TOP);
    expect(failures.map(([rule]) => rule)).not.toContain('pytest.failed');
  });

  it("the same in `gh run view --log`'s layout (job, step, timestamp before each line)", async () => {
    setLineFilterUse(filterUse);
    const split = QQ_ONLY.length + 4;
    const log = twoSteps.map((line, i) => `build\t${i < split ? 'Run tests' : 'Type check'}\t2025-03-01T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(7, '0')}Z ${line}`);
    const failures = await failuresOf(log.join('\n'));
    expect(failures[0]).toEqual(MYPY_TOP);
  });

  it('`-q -rP` then mypy with CRLF line ends: mypy is the top failure', async () => {
    setLineFilterUse(filterUse);
    const log = ghaStep('python -m pytest -q -rP tests && mypy --strict app', QRP_MYPY_72, { exitCode: 1 }).join('\r\n');
    const failures = await failuresOf(log);
    expect(failures[0]).toEqual(MYPY_TOP);
    expect(failures.map(([, line]) => line)).not.toContain('Error: this is just output of a passing test');
  });

  it('`-q -rP` then mypy with GitHub timestamps: mypy is the top failure', async () => {
    setLineFilterUse(filterUse);
    const lines = ghaStep('python -m pytest -q -rP tests && mypy --strict app', QRP_MYPY_72, { exitCode: 1 });
    const log = lines.map((line, i) => `2025-03-01T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(7, '0')}Z ${line}`);
    const failures = await failuresOf(log.join('\n'));
    expect(failures[0]).toEqual(MYPY_TOP);
  });

  it('`-q -rP --color=yes` then mypy: the coloured bare summary ends PASSES', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -q -rP --color=yes tests && mypy --strict app', QRP_COLOR_MYPY));
    expect(failures[0]).toEqual(MYPY_TOP);
    expect(failures.map(([, line]) => line)).not.toContain('Error: this is just output of a passing test');
  });
});
