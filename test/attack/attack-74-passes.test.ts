import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../shared/logs/dispatch.js';
import { analyzeLog } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../support/step-analysis.js';

// Attack on session 74's two changes: 0d4c4218 (pytest's `==== PASSES ====` section opens no report down to pytest's
// next `=== … ===` heading, pytest-cov's report or threshold line, INTERNALERROR, or the step's end) and b3879a7f
// (a rule's categoryFrom is a list; jest.failed reads JEST_TIMEOUT_RE as `timeout`). Real output where the tool runs
// here (Debian 12's pytest 7.2.1 + pytest-cov 4.0.0 + xdist 3.1.0, coverage 6.5.0, tox 3.28.0; pyenv's pytest 9.0.3 +
// pytest-benchmark 5.2.3; mypy 2.4.0), paths rewritten to the runner's. Jest is not installed: its rows are written in
// Jest's documented layout. Each finding's rows failed on the code attacked (`it.fails`) and pass since the fix named
// below; the guard rows held before.
//
// S74-1 (High, regression of 0d4c4218): under `-q` pytest's last line has no `=` banner (`2 passed in 0.01s`) and
// `-rP` alone prints no short summary when every test passed (`P` has no short-summary entry), so nothing ends the
// PASSES section: every unprefixed line after it in the same step opens no report. What the step runs next (mypy,
// tox's next command, `coverage report --fail-under`, unittest) or a plugin's crash after PASSES is lost; the top
// failure becomes generic.step-output (a passing test's own `Error: …` line, or a line of the hidden failure).
// Before 0d4c4218 the real failure was found (ranked under the passed tests' headers).
// S74-2 (Medium, older): a passed test's captured `==== … ====` banner ends the section early; the next passed test's
// header is again a pytest.failed report ranked above the run's real failure (the coverage threshold), as before.
// S74-3 (Low, regression of b3879a7f): jest.failed's block takes in, by its lookback to `FAIL file`, the file's
// `● Console` section; a console line with the timeout's words files a failed assertion as a `timeout`.
// All three closed in session 74 by the lead: PASSES ends at pytest's known headings, its summary line with rules or
// bare (`-q`), a plugin's titled `----` separator (pytest-benchmark's table), pytest-cov's threshold and INTERNALERROR,
// not at any `=== … ===` line (S74-1, S74-2); Jest's `Exceeded timeout` is read only as circus prints it, after
// `thrown: "` (S74-3).

/** `python -m pytest -q -rP tests && mypy --strict app`: pytest 9.0.3 (pyenv Python 3.11.7), mypy 2.4.0, exit 1. */
const QRP_MYPY = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '2 passed in 0.83s',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:5: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `tox` (Debian's tox 3.28.0, pytest 7.2.1): `python -m pytest -q -rP tests` then `mypy --strict app` (mypy 2.4.0); the `installed:` list cut to the packages that matter. */
const TOX_QRP_MYPY = [
  'py311 create: /home/runner/work/ledger/ledger/.tox/py311',
  'py311 installed: coverage==6.5.0,iniconfig==1.1.1,mypy==1.0.1,packaging==23.0,pluggy==1.0.0+repack,pytest==7.2.1,pytest-cov==4.0.0,pytest-xdist==3.1.0',
  'py311 run-test-pre: PYTHONHASHSEED=\'2815706244\'',
  'py311 run-test: commands[0] | python -m pytest -q -rP tests',
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '2 passed in 0.01s',
  'py311 run-test: commands[1] | mypy --strict app',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:5: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
  'ERROR: InvocationError for command /opt/hostedtoolcache/Python/3.11.7/x64/bin/mypy --strict app (exited with code 1)',
  '___________________________________ summary ____________________________________',
  'ERROR:   py311: commands failed',
];

/** `coverage run -m pytest -q -rP tests && coverage report --include='app/*' --fail-under=90`: Debian's coverage 6.5.0, pytest 7.2.1, exit 2. */
const COVERAGE_RUN_QRP = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '2 passed in 0.02s',
  'Name              Stmts   Miss  Cover',
  '-------------------------------------',
  'app/__init__.py       6      3    50%',
  '-------------------------------------',
  'TOTAL                 6      3    50%',
  'Coverage failure: total of 50 is less than fail-under=90',
];

/** `python -m pytest -q -rP tests && python -m unittest discover -s legacy -t .`: Debian's pytest 7.2.1, Python 3.11.2. */
const QRP_UNITTEST = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '2 passed in 0.01s',
  'F',
  '======================================================================',
  'FAIL: test_add (legacy.test_legacy.LegacyTest.test_add)',
  '----------------------------------------------------------------------',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/legacy/test_legacy.py", line 8, in test_add',
  '    self.assertEqual(add(2, 2), 5)',
  'AssertionError: 4 != 5',
  '',
  '----------------------------------------------------------------------',
  'Ran 1 test in 0.000s',
  '',
  'FAILED (failures=1)',
];

/** pytest-benchmark 5.2.3's regression under pytest 9.0.3: its table, its verdict and the traceback it ends pytest with (no summary line after it). */
const BENCHMARK_REGRESSION_TAIL = [
  'Traceback (most recent call last):',
  '  File "<frozen runpy>", line 198, in _run_module_as_main',
  '  File "<frozen runpy>", line 88, in _run_code',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pytest/__main__.py", line 9, in <module>',
  '    raise SystemExit(pytest.console_main())',
  '                     ^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/config/__init__.py", line 223, in console_main',
  '    code = main()',
  '           ^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/config/__init__.py", line 199, in main',
  '    ret: ExitCode | int = config.hook.pytest_cmdline_main(config=config)',
  '                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_hooks.py", line 512, in __call__',
  '    return self._hookexec(self.name, self._hookimpls.copy(), kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_manager.py", line 120, in _hookexec',
  '    return self._inner_hookexec(hook_name, methods, kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 167, in _multicall',
  '    raise exception',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 121, in _multicall',
  '    res = hook_impl.function(*args)',
  '          ^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/main.py", line 365, in pytest_cmdline_main',
  '    return wrap_session(config, _main)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/main.py", line 353, in wrap_session',
  '    config.hook.pytest_sessionfinish(',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_hooks.py", line 512, in __call__',
  '    return self._hookexec(self.name, self._hookimpls.copy(), kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_manager.py", line 120, in _hookexec',
  '    return self._inner_hookexec(hook_name, methods, kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 167, in _multicall',
  '    raise exception',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 139, in _multicall',
  '    teardown.throw(exception)',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/logging.py", line 873, in pytest_sessionfinish',
  '    return (yield)',
  '            ^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 152, in _multicall',
  '    teardown.send(result)',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/terminal.py", line 970, in pytest_sessionfinish',
  '    self.config.hook.pytest_terminal_summary(',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_hooks.py", line 512, in __call__',
  '    return self._hookexec(self.name, self._hookimpls.copy(), kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_manager.py", line 120, in _hookexec',
  '    return self._inner_hookexec(hook_name, methods, kwargs, firstresult)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 167, in _multicall',
  '    raise exception',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 139, in _multicall',
  '    teardown.throw(exception)',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/terminal.py", line 992, in pytest_terminal_summary',
  '    return (yield)',
  '            ^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 139, in _multicall',
  '    teardown.throw(exception)',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/_pytest/warnings.py", line 109, in pytest_terminal_summary',
  '    return (yield)',
  '            ^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pluggy/_callers.py", line 121, in _multicall',
  '    res = hook_impl.function(*args)',
  '          ^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pytest_benchmark/plugin.py", line 387, in pytest_terminal_summary',
  '    terminalreporter.config._benchmarksession.display(terminalreporter)',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pytest_benchmark/session.py", line 234, in display',
  '    self.check_regressions()',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/pytest_benchmark/session.py", line 246, in check_regressions',
  '    raise PerformanceRegression(\'Performance has regressed.\')',
  'pytest_benchmark.session.PerformanceRegression: Performance has regressed.',
];

/** `python -m pytest -q -rP --benchmark-compare --benchmark-compare-fail=min:5%`: pytest 9.0.3 with pytest-benchmark 5.2.3, the test 18x slower than its saved run. */
const BENCH_QRP = [
  'Comparing against benchmarks from: Linux-CPython-3.11-64bit/0001_unversioned_20261130_100729.json',
  '.                                                                        [100%]',
  '==================================== PASSES ====================================',
  '__________________________________ test_work ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'benchmarking work',
  '',
  '------------------------------------------------------------------------------------- benchmark: 2 tests ------------------------------------------------------------------------------------',
  'Name (time in ms)                Min                Max               Mean            StdDev             Median               IQR            Outliers       OPS            Rounds  Iterations',
  '---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  'test_work (0001_unversi)      1.0944 (1.0)       1.1097 (1.0)       1.1044 (1.0)      0.0062 (1.0)       1.1043 (1.0)      0.0079 (1.0)           1;0  905.4474 (1.0)           5           1',
  'test_work (NOW)              20.1201 (18.38)    20.1414 (18.15)    20.1318 (18.23)    0.0088 (1.41)     20.1331 (18.23)    0.0146 (1.84)          2;0   49.6726 (0.05)          5           1',
  '---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  '',
  'Legend:',
  '  Outliers: 1 Standard Deviation from Mean; 1.5 IQR (InterQuartile Range) from 1st Quartile and 3rd Quartile.',
  '  OPS: Operations Per Second, computed as 1 / Mean',
  '',
  '--------------------------------------------------------------------------------',
  'Performance has regressed:',
  '\ttest_work (0001_unversi) - Field \'min\' has failed PercentageRegressionCheck: 1738.420376011 > 5.000000000',
  '--------------------------------------------------------------------------------',
  ...BENCHMARK_REGRESSION_TAIL,
];

/** The same run with `-rA` and no `-q`: pytest prints its short summary (a heading) before the traceback. */
const BENCH_RA = [
  'Comparing against benchmarks from: Linux-CPython-3.11-64bit/0001_unversioned_20261130_100729.json',
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
  'collected 1 item',
  '',
  'test_b.py .                                                              [100%]',
  '',
  '==================================== PASSES ====================================',
  '__________________________________ test_work ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'benchmarking work',
  '',
  '------------------------------------------------------------------------------------- benchmark: 2 tests ------------------------------------------------------------------------------------',
  'Name (time in ms)                Min                Max               Mean            StdDev             Median               IQR            Outliers       OPS            Rounds  Iterations',
  '---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  'test_work (0001_unversi)      1.0944 (1.0)       1.1097 (1.0)       1.1044 (1.0)      0.0062 (1.0)       1.1043 (1.0)      0.0079 (1.0)           1;0  905.4474 (1.0)           5           1',
  'test_work (NOW)              20.1205 (18.38)    20.4410 (18.42)    20.1904 (18.28)    0.1402 (22.54)    20.1336 (18.23)    0.0900 (11.34)         1;1   49.5284 (0.05)          5           1',
  '---------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------------',
  '',
  'Legend:',
  '  Outliers: 1 Standard Deviation from Mean; 1.5 IQR (InterQuartile Range) from 1st Quartile and 3rd Quartile.',
  '  OPS: Operations Per Second, computed as 1 / Mean',
  '',
  '--------------------------------------------------------------------------------',
  'Performance has regressed:',
  '\ttest_work (0001_unversi) - Field \'min\' has failed PercentageRegressionCheck: 1738.457929808 > 5.000000000',
  '--------------------------------------------------------------------------------',
  '=========================== short test summary info ============================',
  'PASSED test_b.py::test_work',
  ...BENCHMARK_REGRESSION_TAIL,
];

/** `python -m pytest -rA --cov=app --cov-fail-under=90 tests`: pytest 7.2.1 + pytest-cov 4.0.0; the first passed test prints a `====` banner. */
const BANNER_COV = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0+repack',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: cov-4.0.0, xdist-3.1.0',
  'collected 2 items',
  '',
  'tests/test_n.py ..                                                       [100%]',
  '',
  '==================================== PASSES ====================================',
  '________________________________ test_a_migrate ________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  '==================== migrations applied ====================',
  '_________________________________ test_b_seed __________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'seeded 3 rows',
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
  'PASSED tests/test_n.py::test_a_migrate',
  'PASSED tests/test_n.py::test_b_seed',
  '============================== 2 passed in 0.03s ===============================',
];

/** `python -m pytest -rA -n 2 --cov=app --cov-report=term-missing --cov-fail-under=90 tests`: pytest 7.2.1, xdist 3.1.0, pytest-cov 4.0.0. */
const XDIST_COV = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.2, pytest-7.2.1, pluggy-1.0.0+repack',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: cov-4.0.0, xdist-3.1.0',
  'gw0 I / gw1 I',
  'gw0 [2] / gw1 [2]',
  '',
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '_________________________________ test_migrate _________________________________',
  '[gw0] linux -- Python 3.11.2 /usr/bin/python3',
  '----------------------------- Captured stdout call -----------------------------',
  '==================== migrations applied ====================',
  '',
  '---------- coverage: platform linux, python 3.11.2-final-0 -----------',
  'Name              Stmts   Miss  Cover   Missing',
  '-----------------------------------------------',
  'app/__init__.py       6      3    50%   6-8',
  '-----------------------------------------------',
  'TOTAL                 6      3    50%',
  '',
  'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%',
  '=========================== short test summary info ============================',
  'PASSED tests/test_m.py::test_other',
  'PASSED tests/test_m.py::test_migrate',
  '============================== 2 passed in 0.78s ===============================',
];

/** `python -m pytest -rA tests`: pytest 9.0.3, a strict xfail that passed (the failure), a lenient one under XPASSES. */
const STRICT_XPASS = [
  '============================= test session starts ==============================',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
  'collected 4 items',
  '',
  'tests/test_m.py ..FX                                                     [100%]',
  '',
  '=================================== FAILURES ===================================',
  '_________________________________ test_strict __________________________________',
  '[XPASS(strict)] known bug',
  '----------------------------- Captured stdout call -----------------------------',
  'strict xfail ran',
  '==================================== PASSES ====================================',
  '_________________________________ test_migrate _________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  '==================== migrations applied ====================',
  '=================================== XPASSES ====================================',
  '_________________________________ test_lenient _________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'lenient xfail ran',
  '=========================== short test summary info ============================',
  'PASSED tests/test_m.py::test_migrate',
  'PASSED tests/test_m.py::test_other',
  'XPASS tests/test_m.py::test_lenient - flaky upstream',
  'FAILED tests/test_m.py::test_strict - [XPASS(strict)] known bug',
  '==================== 1 failed, 2 passed, 1 xpassed in 0.66s ====================',
];

/** `python -m pytest -q -rA tests && mypy --strict app`: pytest 7.2.1; `-rA` prints the short summary's heading, which ends PASSES. */
const QRA_MYPY = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '=========================== short test summary info ============================',
  'PASSED tests/test_a.py::test_one',
  'PASSED tests/test_a.py::test_two',
  '2 passed in 0.01s',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:5: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** `python -m pytest -rA --color=yes tests; mypy --strict app`: pytest 9.0.3, ANSI colours as printed. */
const COLOR_RA_MYPY = [
  '\u001b[1m============================= test session starts ==============================\u001b[0m',
  'platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0',
  'benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)',
  'rootdir: /home/runner/work/ledger/ledger',
  'plugins: hypothesis-6.155.2, benchmark-5.2.3',
  'collected 2 items',
  '',
  'tests/test_a.py \u001b[32m.\u001b[0m\u001b[32m.\u001b[0m\u001b[32m                                                       [100%]\u001b[0m',
  '',
  '==================================== PASSES ====================================',
  '\u001b[32m\u001b[1m___________________________________ test_one ___________________________________\u001b[0m',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '\u001b[32m\u001b[1m___________________________________ test_two ___________________________________\u001b[0m',
  '----------------------------- Captured stdout call -----------------------------',
  'Error: this is just output of a passing test',
  '\u001b[36m\u001b[1m=========================== short test summary info ============================\u001b[0m',
  '\u001b[32mPASSED\u001b[0m tests/test_a.py::\u001b[1mtest_one\u001b[0m',
  '\u001b[32mPASSED\u001b[0m tests/test_a.py::\u001b[1mtest_two\u001b[0m',
  '\u001b[32m============================== \u001b[32m\u001b[1m2 passed\u001b[0m\u001b[32m in 0.71s\u001b[0m\u001b[32m ===============================\u001b[0m',
  'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]',
  'app/__init__.py:5: error: Function is missing a type annotation  [no-untyped-def]',
  'Found 2 errors in 1 file (checked 1 source file)',
];

/** Jest 29's layout (Jest is not installed here: written in its documented format): a `● Console` section whose console.warn text holds the timeout's words, then an assertion's failure. */
const JEST_CONSOLE = [
  'FAIL src/poll.test.js',
  '  ● Console',
  '',
  '    console.warn',
  '      Exceeded timeout of 200 ms for a test poll, retrying',
  '',
  '      3 |   for (let i = 0; i < tries; i += 1) {',
  '      4 |     if (await fn()) return i + 1;',
  '    > 5 |     console.warn(`Exceeded timeout of ${ms} ms for a test poll, retrying`);',
  '        |             ^',
  '      6 |   }',
  '',
  '      at warn (src/poll.js:5:13)',
  '',
  '  ● poll › returns the attempt that succeeded',
  '',
  '    expect(received).toBe(expected) // Object.is equality',
  '',
  '    Expected: 3',
  '    Received: 2',
  '',
  '      10 |   const n = await poll(flaky, 3, 200);',
  '    > 11 |   expect(n).toBe(3);',
  '         |             ^',
  '      12 | });',
  '',
  '      at Object.toBe (src/poll.test.js:11:13)',
  '',
  'Test Suites: 1 failed, 1 total',
  'Tests:       1 failed, 1 total',
  'Snapshots:   0 total',
  'Time:        0.512 s',
  'Ran all test suites.',
];

/** Jest's layout (documented format): a test that ran past its time, then another test's assertion. */
const JEST_TWO = [
  'FAIL src/db.test.js (5.42 s)',
  '  ● db › reconnects after a drop',
  '',
  '    thrown: "Exceeded timeout of 5000 ms for a test.',
  '    Add a timeout value to this test to increase the timeout, if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout."',
  '',
  '      18 |   });',
  '      19 |',
  '    > 20 |   it(\'reconnects after a drop\', async () => {',
  '         |   ^',
  '      21 |     await db.drop();',
  '      22 |     await db.reconnect();',
  '      23 |   });',
  '',
  '      at it (src/db.test.js:20:3)',
  '',
  '  ● db › writes a row',
  '',
  '    expect(received).toEqual(expected) // deep equality',
  '',
  '    Expected: 1',
  '    Received: 0',
  '',
  '      12 |   await db.insert({ id: 1 });',
  '    > 13 |   expect(await db.count()).toEqual(1);',
  '         |                            ^',
  '      14 | });',
  '',
  '      at Object.toEqual (src/db.test.js:13:28)',
  '',
  'Test Suites: 1 failed, 1 total',
  'Tests:       2 failed, 1 passed, 3 total',
  'Snapshots:   0 total',
  'Time:        5.613 s',
  'Ran all test suites.',
];

describe.each(LINE_FILTER_MODES)('S74-1 (High, regression of 0d4c4218): `pytest -q -rP` ends with no heading, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it.each([
    ['mypy after `pytest -q -rP` in one step is the top failure', 'python -m pytest -q -rP tests && mypy --strict app', QRP_MYPY, 1, ['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]']],
    ["tox's second command (mypy) after its `pytest -q -rP` is the top failure", 'tox', TOX_QRP_MYPY, 1, ['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]']],
    ["coverage.py's `fail_under` after `coverage run -m pytest -q -rP` is the top failure", "coverage run -m pytest -q -rP tests && coverage report --include='app/*' --fail-under=90", COVERAGE_RUN_QRP, 2, ['coverage.threshold', 'Coverage failure: total of 50 is less than fail-under=90']],
    ["unittest's failure after `pytest -q -rP` is the top failure", 'python -m pytest -q -rP tests && python -m unittest discover -s legacy -t .', QRP_UNITTEST, 1, ['unittest.failed', 'AssertionError: 4 != 5']],
    ["pytest-benchmark's regression (its traceback after PASSES, no heading under -q) is the top failure", 'python -m pytest -q -rP --benchmark-compare --benchmark-compare-fail=min:5%', BENCH_QRP, 1, ['python.traceback', 'pytest_benchmark.session.PerformanceRegression: Performance has regressed.']],
  ] as const)('%s', async (_title, script, output, exitCode, top) => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(failedStepLog(script, output, exitCode)))[0]).toEqual(top);
  });

  it("guard: `-q -rA` prints the short summary's heading: PASSES ends there, mypy is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -q -rA tests && mypy --strict app', QRA_MYPY));
    expect(failures.map(([, line]) => line)).not.toContain('Error: this is just output of a passing test');
    expect(failures[0]).toEqual(['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]']);
  });
});

describe.each(LINE_FILTER_MODES)("session 74's PASSES section, other shapes, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  // S74-2 (Medium, older: before 0d4c4218 both passed tests' headers ranked above the threshold).
  it("S74-2: a passed test's printed `==== … ====` banner does not end PASSES: the coverage threshold is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -rA --cov=app --cov-fail-under=90 tests', BANNER_COV));
    expect(failures).toEqual([['coverage.threshold', 'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%']]);
  });

  it("guard: xdist's `[gw0] linux -- Python …` line under a passed test's header opens nothing", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -rA -n 2 --cov=app --cov-report=term-missing --cov-fail-under=90 tests', XDIST_COV));
    expect(failures).toEqual([['coverage.threshold', 'FAIL Required test coverage of 90% not reached. Total coverage: 50.00%']]);
  });

  it('guard: a strict xfail that passed (FAILURES, above PASSES) stays the failure; XPASSES opens nothing', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -rA tests', STRICT_XPASS));
    expect(failures[0]).toEqual(['pytest.failed', '[XPASS(strict)] known bug']);
    expect(failures.map(([, line]) => line).filter((line) => /test_migrate|test_lenient/.test(line ?? ''))).toEqual([]);
  });

  it.each([
    ["guard: pytest-benchmark's regression under `-rA` (the short summary's heading above its traceback) is found", 'python -m pytest -rA --benchmark-compare --benchmark-compare-fail=min:5%', BENCH_RA, 1, ['python.traceback', 'pytest_benchmark.session.PerformanceRegression: Performance has regressed.']],
    ['guard: `--color=yes` (the headings in ANSI colours) ends PASSES at the short summary: mypy is the top failure', 'python -m pytest -rA --color=yes tests; mypy --strict app', COLOR_RA_MYPY, 1, ['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]']],
  ] as const)('%s', async (_title, script, output, exitCode, top) => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(failedStepLog(script, output, exitCode)))[0]).toEqual(top);
  });

  it('guard: the same log with a timestamp on every line (a job log downloaded from GitHub)', async () => {
    setLineFilterUse(filterUse);
    const lines = ghaStep('python -m pytest -rA --color=yes tests; mypy --strict app', COLOR_RA_MYPY, { exitCode: 1 });
    const log = lines.map((line, i) => `2026-11-30T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(7, '0')}Z ${line}`).join('\n');
    const failures = await failuresOf(log);
    expect(failures[0]).toEqual(['mypy.error', 'app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]']);
  });
});

describe("session 74's Jest timeout reading (b3879a7f)", () => {
  it("S74-3 (Low, regression of b3879a7f): a console line in the file's `● Console` section does not make a failed assertion a timeout", async () => {
    const analysis = await analyzeLog(failedStepLog('npx jest', JEST_CONSOLE));
    expect([analysis.failures[0]?.lines[0]?.text, analysis.failures[0]?.category]).toEqual(['  ● poll › returns the attempt that succeeded', 'test_failure']);
  });

  it("guard: a file's timed-out test is a timeout, the next test's assertion below it stays a test failure", async () => {
    const analysis = await analyzeLog(failedStepLog('npx jest', JEST_TWO));
    expect(analysis.failures.map((f) => [f.lines[0]?.text, f.category])).toEqual([
      ['  ● db › reconnects after a drop', 'timeout'],
      ['  ● db › writes a row', 'test_failure'],
    ]);
  });

  it("guard: axios's `timeout of 5000ms exceeded` in a failed test is no Jest timeout", async () => {
    const analysis = await analyzeLog(failedStepLog('npx jest', [
      'FAIL src/api.test.js',
      '  ● api › fetches the user',
      '',
      '    AxiosError: timeout of 5000ms exceeded',
      '',
      '      at RedirectableRequest.handleRequestTimeout (node_modules/axios/lib/adapters/http.js:630:16)',
      '',
      'Test Suites: 1 failed, 1 total',
      'Tests:       1 failed, 1 total',
    ]));
    expect(analysis.failures[0]?.category).not.toBe('timeout');
  });
});
