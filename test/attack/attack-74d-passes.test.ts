import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../shared/logs/dispatch.js';
import { ghaStep } from '../support/gha-step.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../support/step-analysis.js';

// Attack pass 3 on session 74's pytest PASSES change, as 2aea4678 left it: FAILURES and ERRORS no longer end the
// section, and reports that no pytest line ended when their section ends (the exit marker, the next step, the log's
// end) are read again from the scanner's 256-line ring as any output, only the passed tests' `____ name ____` headers
// aside (rereadUnendedPassingReports → rescan). Real pytest output: Debian 12's pytest 7.2.1 (Python 3.11.2), paths
// rewritten to the runner's; a real Python traceback from a script; TypeDoc's lines are the repo's real-output
// fixture (TypeDoc 0.28.20, gaps-66); docker compose's and Turborepo's prefixes are laid out as the repo's fixtures
// lay them out (gaps-64). Each log was also run on 770399dd (before 0d4c4218) and on fb6b063b (before 2aea4678).
//
// S74d-1 (High, regression of 2aea4678): two pytest runs in one step (`pytest -qq -rP tests && pytest -qq -rP integ`).
// The first prints no summary, so its PASSES stays open; the second's FAILURES no longer ends it, and its PASSES
// (30 tests' captured stdout, 331 lines) pushes that FAILURES out of the ring before the exit marker's re-read: the
// failure is lost, the top failure is a passed test's captured stdout (generic.step-output `request 29.4 -> 200 OK`).
// fb6b063b and 770399dd both found the pytest.failed report.
// S74d-2 (Medium, regression of 2aea4678 where fb6b063b was right, older shape otherwise): the re-read reads a passed
// test's captured log as any output, and `-rP` prints it (`logging.exception` → `Captured log call` with the
// traceback): its python.traceback (`KeyError: 'missing'`) ranks first, above the next command's real failure: a
// container's traceback behind docker compose's prefix, Turborepo's ESLint error, a second pytest run's failure under
// `-qq -rP` (whose `____ test_bad ____` header the re-read skips, so it is reported twice over as pytest.error-line and
// lint.file-line, no pytest.failed): all three first on fb6b063b. A script's traceback (older: lost on fb6b063b,
// under the passed tests' headers and the same KeyError on 770399dd).
// S74d-3 (High, regression of 2aea4678 against fb6b063b; older against 770399dd, where the passed tests' headers did
// the same): `pytest -qq -rP && timeout 60 python scripts/smoke.py` killed by timeout (exit 124). The re-read runs at
// the marker before `saidWhatFailed`: the passed test's captured traceback counts as what failed, so exit.timeout-124
// is not reported; the passed test's KeyError is the top failure.
// S74d-4 (High, narrow; lost since 0d4c4218 and not brought back by 2aea4678; 770399dd found it): TypeDoc under
// `--treatWarningsAsErrors` after `pytest -qq -rP` in one step, exit 5. The re-read ends with rescan's closeOpen, which
// closes typedoc.found's block before the marker's `confirmedByExit` check sees it open: unconfirmed, it is dropped.
// S74d-5 (Low, regression of 2aea4678): `pytest -qq -rP tests; pytest -qq tests/test_b.py` (the second with the
// default `-rfE`): the second run's `==== FAILURES ====` no longer ends the first's PASSES (its short summary does), so
// the failed test's report (its `E` lines, place) is swallowed; only the `FAILED …` summary line is reported.
// Guards (hold): mypy after `-qq -rP` with a passed test's captured traceback stays first (plain, CRLF, `gh run view
// --log`'s layout, the log ending without a marker); a later step's mypy; exit 137 stays infra.oom; exit 124 with
// plain captured output stays exit.timeout-124; no exception.
// Cost: a 20 MB log of 880–4100 steps, each a passing `pytest -qq -rP` whose PASSES the next step's start re-reads,
// took 1.5–1.9× 770399dd's time (e.g. 690 vs 430 ms, 620 vs 370 ms with the line filter): under 2×, no finding.
// Session 74's lead, after this attack: S74d-1, S74d-4 and S74d-5 closed (another run's progress line, session heading,
// FAILURES or ERRORS end the reports; the re-read leaves its last block open for the exit line to confirm). S74d-2's
// rows after a `-qq -rP` run whose passed test logged a traceback, and S74d-3, stayed open then: under `-qq -rP`
// nothing pytest prints tells its last passed test's captured log from what the step runs next. Session 77 closed
// them by the captured log's own form: the re-read leaves a record in pytest's log format unread, and under an ERROR or
// CRITICAL record the traceback chain it carries, unless the chain's last traceback starts in a program's outermost
// code (LogScanner.skipsRereadReportLine; attack 77 and its review have the cases).

/** pytest's `sep` line (TerminalWriter.sep, 80 columns), as it prints headings and test headers. */
function sep(char: string, title: string): string {
  const n = Math.max(Math.floor((80 - title.length - 2) / 2), 1);
  const line = `${char.repeat(n)} ${title} ${char.repeat(n)}`;
  return line.length + 1 <= 80 ? line + char : line;
}

/** `python -m pytest -qq -rP tests` (pytest 7.2.1), every test passed, exit 0: one test logs a caught exception with `log.exception`. */
const QQ_LOGGED = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '_____________________________ test_logs_exception ______________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'Traceback shown above is expected',
  '------------------------------ Captured log call -------------------------------',
  'ERROR    app.worker:test_a.py:9 lookup failed, falling back',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/tests/test_a.py", line 7, in test_logs_exception',
  '    {}["missing"]',
  '    ~~^^^^^^^^^^^',
  "KeyError: 'missing'",
];

/** `python -m pytest -qq -rP tests` (pytest 7.2.1), two tests passed printing a line each, exit 0. */
const QQ_PLAIN = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '___________________________________ test_one ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from one',
  '___________________________________ test_two ___________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'hello from two',
];

/** `python -m pytest -qq -rP integ` (pytest 7.2.1), exit 1: one test failed, 30 parametrized tests passed printing 9 lines each (343 lines, checked line for line against the real output). */
const QQ_RP_INTEG = [
  'F..............................                                          [100%]',
  sep('=', 'FAILURES'),
  sep('_', 'test_bad'),
  '',
  '    def test_bad():',
  '>       assert {"status": "ok"} == {"status": "failed"}',
  "E       AssertionError: assert {'status': 'ok'} == {'status': 'failed'}",
  'E         Differing items:',
  "E         {'status': 'ok'} != {'status': 'failed'}",
  'E         Use -v to get more diff',
  '',
  'integ/test_c.py:3: AssertionError',
  sep('=', 'PASSES'),
  ...Array.from({ length: 30 }, (_, n) => [sep('_', `test_many[${n}]`), sep('-', 'Captured stdout call'), ...Array.from({ length: 9 }, (_, i) => `request ${n}.${i} -> 200 OK`)]).flat(),
];

/** `python -m pytest -qq -rP tests/test_b.py` (pytest 7.2.1), exit 1: `-rP` alone prints no short summary. */
const QQ_RP_FAILED = [
  'F.                                                                       [100%]',
  '=================================== FAILURES ===================================',
  '___________________________________ test_bad ___________________________________',
  '',
  '    def test_bad():',
  '>       assert 1 + 1 == 3',
  'E       assert (1 + 1) == 3',
  '',
  'tests/test_b.py:2: AssertionError',
  '==================================== PASSES ====================================',
  '___________________________________ test_ok ____________________________________',
  '----------------------------- Captured stdout call -----------------------------',
  'ok out',
];

/** `python -m pytest -qq tests/test_b.py` (pytest 7.2.1, default `-rfE`), exit 1. */
const QQ_FAILED = [
  'F.                                                                       [100%]',
  '=================================== FAILURES ===================================',
  '___________________________________ test_bad ___________________________________',
  '',
  '    def test_bad():',
  '>       assert 1 + 1 == 3',
  'E       assert (1 + 1) == 3',
  '',
  'tests/test_b.py:2: AssertionError',
  '=========================== short test summary info ============================',
  'FAILED tests/test_b.py::test_bad - assert (1 + 1) == 3',
];

/** `python scripts/check_migrations.py` (Python 3.11.2), exit 1. */
const SCRIPT_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/scripts/check_migrations.py", line 5, in <module>',
  '    main()',
  '  File "/home/runner/work/ledger/ledger/scripts/check_migrations.py", line 4, in main',
  '    raise RuntimeError(f"{len(missing)} migration(s) not applied: {missing}")',
  "RuntimeError: 1 migration(s) not applied: ['0007_add_index']",
];

/** `docker compose up --abort-on-container-exit worker` (Compose v2's layout): the container's Python crashes. */
const COMPOSE_CRASH = [
  '[+] Running 1/1',
  ' ✔ Container ledger-worker-1  Created',
  'Attaching to worker-1',
  'worker-1  | Traceback (most recent call last):',
  'worker-1  |   File "/app/migrate.py", line 3, in <module>',
  'worker-1  |     import psycopg',
  "worker-1  | ModuleNotFoundError: No module named 'psycopg'",
  'worker-1 exited with code 1',
  'Aborting on container exit...',
];

/** `npx turbo run lint`: Turborepo's `web:lint: ` prefix on ESLint's stylish report (as gaps-64 lays it out). */
const TURBO_LINT = [
  'web:lint: ',
  'web:lint: /home/runner/work/shop/shop/apps/web/src/tax.js',
  "web:lint:   2:9  error  'unused' is assigned a value but never used  no-unused-vars",
  'web:lint: ',
  'web:lint: ✖ 1 problem (1 error, 0 warnings)',
  'web:lint: ERROR: command finished with error: command (/home/runner/work/shop/shop/apps/web) npm run lint exited (1)',
];

/** TypeDoc 0.28.20's output (gaps-66's real fixture); under `--treatWarningsAsErrors` the run fails after it with exit 5. */
const TYPEDOC = [
  '[warning] The signature OrdersClient.get has an @param with name "orderId", which was not used',
  '[info] html generated at ./docs/api',
  '[warning] Found 0 errors and 1 warnings',
];

/** `mypy --strict app` (mypy's layout as the earlier attacks give it), exit 1. */
const MYPY = ['app/__init__.py:1: error: Function is missing a type annotation  [no-untyped-def]', 'Found 1 error in 1 file (checked 1 source file)'];

const PASSED_TEST_ERROR = "KeyError: 'missing'";

describe.each(LINE_FILTER_MODES)('S74d-1 (High, regression of 2aea4678): a second run\'s FAILURES leaves the ring before the re-read, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it('`pytest -qq -rP tests && pytest -qq -rP integ`: the second run\'s failed test is the top failure', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python -m pytest -qq -rP integ', [...QQ_LOGGED, ...QQ_RP_INTEG]));
    expect(failures[0]).toEqual(['pytest.failed', "E       AssertionError: assert {'status': 'ok'} == {'status': 'failed'}"]);
  });

  it('guard: the second run alone is found', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP integ', QQ_RP_INTEG));
    expect(failures[0]).toEqual(['pytest.failed', "E       AssertionError: assert {'status': 'ok'} == {'status': 'failed'}"]);
  });
});

describe.each(LINE_FILTER_MODES)("S74d-2 (Medium, regression of 2aea4678): a passed test's captured traceback, read again, ranks above the real failure, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it("docker compose's container traceback after `pytest -qq -rP` is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && docker compose up --abort-on-container-exit worker', [...QQ_LOGGED, ...COMPOSE_CRASH]));
    expect(failures[0]).toEqual(['python.traceback', "worker-1  | ModuleNotFoundError: No module named 'psycopg'"]);
    expect(failures.map(([, line]) => line)).not.toContain(PASSED_TEST_ERROR);
  });

  it("Turborepo's ESLint error after `pytest -qq -rP` is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && npx turbo run lint', [...QQ_LOGGED, ...TURBO_LINT]));
    expect(failures[0]?.[0]).toBe('eslint.error');
    expect(failures.map(([, line]) => line)).not.toContain(PASSED_TEST_ERROR);
  });

  it("a script's traceback after `pytest -qq -rP` is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python scripts/check_migrations.py', [...QQ_LOGGED, ...SCRIPT_TRACEBACK]));
    expect(failures[0]).toEqual(['python.traceback', "RuntimeError: 1 migration(s) not applied: ['0007_add_index']"]);
  });

  it("a second `pytest -qq -rP` run's failed test is the top failure, reported once", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests; python -m pytest -qq -rP tests/test_b.py', [...QQ_LOGGED, ...QQ_RP_FAILED]));
    expect(failures[0]).toEqual(['pytest.failed', 'E       assert (1 + 1) == 3']);
    expect(failures.map(([, line]) => line)).not.toContain('tests/test_b.py:2: AssertionError');
  });
});

describe.each(LINE_FILTER_MODES)("S74d-3 (High, regression of 2aea4678; older vs 770399dd): exit 124 after `pytest -qq -rP` is no timeout, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it("`timeout 60` killing the command after a passing `pytest -qq -rP` is the top failure, not a passed test's traceback", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && timeout 60 python scripts/smoke.py', QQ_LOGGED, 124));
    expect(failures[0]?.[0]).toBe('exit.timeout-124');
  });

  it('guard: the same with plain captured output is exit.timeout-124', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && timeout 60 python scripts/smoke.py', QQ_PLAIN, 124));
    expect(failures[0]?.[0]).toBe('exit.timeout-124');
  });

  it('guard: exit 137 after `pytest -qq -rP` stays infra.oom', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python scripts/train.py', QQ_LOGGED, 137));
    expect(failures[0]?.[0]).toBe('infra.oom');
  });
});

describe.each(LINE_FILTER_MODES)("S74d-4 (High, narrow): the re-read closes TypeDoc's block before the exit marker confirms it, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it('TypeDoc under --treatWarningsAsErrors after `pytest -qq -rP` (exit 5) is the top failure', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && npx typedoc --treatWarningsAsErrors', [...QQ_PLAIN, ...TYPEDOC], 5));
    expect(failures[0]).toEqual(['typedoc.found', '[warning] Found 0 errors and 1 warnings']);
  });

  it('guard: TypeDoc alone with exit 5 is typedoc.found', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('npx typedoc --treatWarningsAsErrors', TYPEDOC, 5));
    expect(failures[0]).toEqual(['typedoc.found', '[warning] Found 0 errors and 1 warnings']);
  });
});

describe.each(LINE_FILTER_MODES)("S74d-5 (Low, regression of 2aea4678): a second run's FAILURES is swallowed up to its short summary, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it("`pytest -qq -rP tests; pytest -qq tests/test_b.py`: the failed test's report (its E line) is the top failure", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests; python -m pytest -qq tests/test_b.py', [...QQ_PLAIN, ...QQ_FAILED]));
    expect(failures[0]).toEqual(['pytest.failed', 'E       assert (1 + 1) == 3']);
  });

  it('guard: the second run alone reports its failed test', async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq tests/test_b.py', QQ_FAILED));
    expect(failures[0]).toEqual(['pytest.failed', 'E       assert (1 + 1) == 3']);
  });
});

describe.each(LINE_FILTER_MODES)('guards: what holds after 2aea4678, %s', (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  const MYPY_TOP: [string, string] = ['mypy.error', MYPY[0] as string];
  const oneStep = ghaStep('python -m pytest -qq -rP tests && mypy --strict app', [...QQ_LOGGED, ...MYPY], { exitCode: 1 });

  it("mypy after `pytest -qq -rP` whose passed test logged a traceback is the top failure", async () => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(oneStep.join('\n')))[0]).toEqual(MYPY_TOP);
  });

  it('the same with CRLF line ends', async () => {
    setLineFilterUse(filterUse);
    expect((await failuresOf(oneStep.join('\r\n')))[0]).toEqual(MYPY_TOP);
  });

  it("the same in `gh run view --log`'s layout", async () => {
    setLineFilterUse(filterUse);
    const log = oneStep.map((line, i) => `build\tRun tests\t2025-03-01T10:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(7, '0')}Z ${line}`);
    expect((await failuresOf(log.join('\n')))[0]).toEqual(MYPY_TOP);
  });

  it('the same when the log ends without the exit marker (the log\'s end re-reads)', async () => {
    setLineFilterUse(filterUse);
    const log = ghaStep('python -m pytest -qq -rP tests && mypy --strict app', [...QQ_LOGGED, ...MYPY], { exitCode: null });
    expect((await failuresOf(log.join('\n')))[0]).toEqual(MYPY_TOP);
  });

  it("a later step's mypy after a passing step's `pytest -qq -rP` is the top failure", async () => {
    setLineFilterUse(filterUse);
    const log = [...ghaStep('python -m pytest -qq -rP tests', QQ_LOGGED, { exitCode: null }), ...ghaStep('mypy --strict app', MYPY, { exitCode: 1 })];
    expect((await failuresOf(log.join('\n')))[0]).toEqual(MYPY_TOP);
  });
});
