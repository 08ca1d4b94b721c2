import { afterEach, describe, expect, it } from 'vitest';
import { setLineFilterUse } from '../../../shared/logs/dispatch.js';
import { failedStepLog, failuresOf, LINE_FILTER_MODES } from '../../support/step-analysis.js';

// pytest's captured log records in the re-read of passed tests' reports no pytest line ended (`-qq -rP` prints no
// summary line: LogScanner.rereadUnendedPassingReports). Real output of pytest 9.0.3 on Python 3.11.7: two passing
// tests, one logging a chained exception (`exc_info=True`) and a warning after it, one logging an exception group
// (`log.exception`); then a script's real traceback (`json.loads` of a single-quoted object). Paths rewritten to the
// runner's (`/home/runner/work/…`, `/opt/hostedtoolcache/Python/…`).

/** `python -m pytest -qq -rP tests`, both tests passed (exit 0): their captured log records and the tracebacks they carry. */
const QQ_RP_LOGGED = [
  '..                                                                       [100%]',
  '==================================== PASSES ====================================',
  '_____________________________ test_chained_logged ______________________________',
  '------------------------------ Captured log call -------------------------------',
  'ERROR    app.sync:test_records.py:13 conversion failed',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/tests/test_records.py", line 9, in test_chained_logged',
  '    int("x")',
  "ValueError: invalid literal for int() with base 10: 'x'",
  '',
  'The above exception was the direct cause of the following exception:',
  '',
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/tests/test_records.py", line 11, in test_chained_logged',
  '    raise RuntimeError("wrapped") from e',
  'RuntimeError: wrapped',
  'WARNING  app.sync:test_records.py:14 after the failure',
  '______________________________ test_group_logged _______________________________',
  '------------------------------ Captured log call -------------------------------',
  'ERROR    app.sync:test_records.py:21 batch failed',
  '  + Exception Group Traceback (most recent call last):',
  '  |   File "/home/runner/work/ledger/ledger/tests/test_records.py", line 19, in test_group_logged',
  '  |     raise ExceptionGroup("two failed", [ValueError("a"), KeyError("b")])',
  '  | ExceptionGroup: two failed (2 sub-exceptions)',
  '  +-+---------------- 1 ----------------',
  '    | ValueError: a',
  '    +---------------- 2 ----------------',
  "    | KeyError: 'b'",
  '    +------------------------------------',
];

/** `python scripts/check_schema.py`, exit 1. */
const SCHEMA_SCRIPT = [
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/scripts/check_schema.py", line 9, in <module>',
  '    main()',
  '  File "/home/runner/work/ledger/ledger/scripts/check_schema.py", line 5, in main',
  "    schema = json.loads(\"{'type': 'object'}\")",
  '             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/__init__.py", line 346, in loads',
  '    return _default_decoder.decode(s)',
  '           ^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/decoder.py", line 337, in decode',
  '    obj, end = self.raw_decode(s, idx=_w(s, 0).end())',
  '               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^',
  '  File "/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/decoder.py", line 353, in raw_decode',
  '    obj, end = self.scan_once(s, idx)',
  '               ^^^^^^^^^^^^^^^^^^^^^^',
  'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)',
];

/**
 * `python scripts/check_env.py`, exit 1 (real, Python 3.11.7): `main` catches the KeyError, prints it with
 * `traceback.print_exc()` and returns 1, so the traceback starts in `main`, not at the script's module.
 */
const ENV_CHECK_PRINTED = [
  'Traceback (most recent call last):',
  '  File "/home/runner/work/ledger/ledger/scripts/check_env.py", line 12, in main',
  '    check()',
  '  File "/home/runner/work/ledger/ledger/scripts/check_env.py", line 7, in check',
  '    return os.environ["DATABASE_URL"]',
  '           ~~~~~~~~~~^^^^^^^^^^^^^^^^',
  '  File "<frozen os>", line 679, in __getitem__',
  "KeyError: 'DATABASE_URL'",
];

/** Lines of `failures` that are a passed test's captured log: a record, or a line of a traceback one carries. */
function loggedLinesAmong(failures: ReadonlyArray<[string, string | undefined]>): string[] {
  const logged = new Set(QQ_RP_LOGGED.slice(QQ_RP_LOGGED.indexOf('------------------------------ Captured log call -------------------------------')));
  return failures.flatMap(([, line]) => (line !== undefined && logged.has(line) ? [line] : []));
}

describe.each(LINE_FILTER_MODES)("a passed test's captured log records, read again after `pytest -qq -rP`, %s", (_name, filterUse) => {
  afterEach(() => setLineFilterUse(null));

  it("a script's traceback after the reports is the top failure, and no logged exception is one", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python scripts/check_schema.py', [...QQ_RP_LOGGED, ...SCHEMA_SCRIPT]));
    expect(failures[0]).toEqual(['python.traceback', 'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)']);
    expect(loggedLinesAmong(failures)).toEqual([]);
  });

  it("`timeout` killing the next command (exit 124) is the top failure: the logged exceptions say nothing failed", async () => {
    setLineFilterUse(filterUse);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && timeout 60 python scripts/smoke.py', QQ_RP_LOGGED, 124));
    expect(failures[0]?.[0]).toBe('exit.timeout-124');
    expect(loggedLinesAmong(failures)).toEqual([]);
  });

  it('guard: the same record and chained traceback printed by a program the step ran (no pytest reports) is its failure', async () => {
    setLineFilterUse(filterUse);
    const records = QQ_RP_LOGGED.slice(QQ_RP_LOGGED.indexOf('ERROR    app.sync:test_records.py:13 conversion failed'), QQ_RP_LOGGED.indexOf('WARNING  app.sync:test_records.py:14 after the failure'));
    const failures = await failuresOf(failedStepLog('python worker.py', records));
    expect(failures[0]).toEqual(['python.traceback', 'RuntimeError: wrapped']);
  });

  it("a traceback the next program prints itself, right under a warning record, is read: a warning seldom carries one", async () => {
    setLineFilterUse(filterUse);
    const plain = QQ_RP_LOGGED.slice(0, QQ_RP_LOGGED.indexOf('WARNING  app.sync:test_records.py:14 after the failure') + 1);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python scripts/check_env.py', [...plain, ...ENV_CHECK_PRINTED]));
    expect(failures[0]).toEqual(['python.traceback', "KeyError: 'DATABASE_URL'"]);
  });

  it("a program's crash right under an ERROR record logged without its exception is read: its traceback starts in the script's module", async () => {
    setLineFilterUse(filterUse);
    // pytest prints the same record line for `log.error("batch failed")` as for `log.exception`, without the traceback.
    const record = QQ_RP_LOGGED.slice(0, QQ_RP_LOGGED.indexOf('ERROR    app.sync:test_records.py:21 batch failed') + 1);
    const failures = await failuresOf(failedStepLog('python -m pytest -qq -rP tests && python scripts/check_schema.py', [...record, ...SCHEMA_SCRIPT]));
    expect(failures[0]).toEqual(['python.traceback', 'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)']);
  });
});
