import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

/**
 * Attack pass on session 58's Python rules (branch py58): real output of the same tools in forms the session's
 * fixtures did not hold (Debian 12: CPython 3.11.2, pytest 7.2.1, pytest-timeout 2.1.0, Django 3.2.25, pip 23.0.1,
 * setuptools 66.1.1), each read as the tool means it. Where a row needed a newer release's wording, its comment
 * names the release and where the wording comes from.
 */
const log = (...lines: string[]): string => lines.join('\n');

describe("pytest-timeout's failure, in every release's wording", () => {
  it('reads the test pytest-timeout 2.2+ stopped (`Failed: Timeout (>1.0s) from pytest-timeout.`) as a timeout', async () => {
    // Prepare: a real `--timeout=1 --tb=short` run (pytest-timeout 2.1 prints `Failed: Timeout >1.0s`); since 2.2.0
    // its signal method fails the test with `pytest.fail("Timeout (>%ss) from pytest-timeout." % timeout)`, the
    // wording current CI installs from PyPI print.
    const text = log(
      't2/test_slow.py F                                                        [100%]',
      '',
      '=================================== FAILURES ===================================',
      '_________________________________ test_settles _________________________________',
      't2/test_slow.py:4: in test_settles',
      '    time.sleep(0.05)',
      'E   Failed: Timeout (>1.0s) from pytest-timeout.',
      '=========================== short test summary info ============================',
      'FAILED t2/test_slow.py::test_settles - Failed: Timeout (>1.0s) from pytest-timeout.',
      '============================== 1 failed in 1.01s ===============================',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.category).toBe('timeout');
  });
});

describe("pytest's report of a test that raised an ExceptionGroup", () => {
  it("puts the group's exception line first, not the tree's `+ Exception Group Traceback` header", async () => {
    // Prepare: pytest 7.2 under CPython 3.11 prints an ExceptionGroup's tree, rails and all, with no `E` line, in
    // every `--tb` style (long, short and native alike): here an asyncio.TaskGroup whose two tasks raised.
    const text = log(
      'tests/test_eg.py F..                                                     [100%]',
      '',
      '=================================== FAILURES ===================================',
      '_______________________________ test_gather_all ________________________________',
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "/home/runner/work/app/app/tests/test_eg.py", line 17, in test_gather_all',
      '  |     asyncio.run(gather_all())',
      '  |   File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/asyncio/runners.py", line 190, in run',
      '  |     return runner.run(main)',
      '  |            ^^^^^^^^^^^^^^^^',
      '  |   File "/home/runner/work/app/app/tests/test_eg.py", line 12, in gather_all',
      '  |     async with asyncio.TaskGroup() as tg:',
      '  |   File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/asyncio/taskgroups.py", line 133, in __aexit__',
      '  |     raise me from None',
      '  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | Traceback (most recent call last):',
      '    |   File "/home/runner/work/app/app/tests/test_eg.py", line 6, in fetch',
      '    |     raise ValueError(f"bad record {name}")',
      '    | ValueError: bad record b',
      '    +---------------- 2 ----------------',
      '    | Traceback (most recent call last):',
      '    |   File "/home/runner/work/app/app/tests/test_eg.py", line 8, in fetch',
      '    |     raise KeyError(name)',
      "    | KeyError: 'c'",
      '    +------------------------------------',
      '=========================== short test summary info ============================',
      'FAILED tests/test_eg.py::test_gather_all - ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
      '========================= 1 failed, 2 passed in 0.02s ==========================',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(15);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([15, 20, 25, 28]));
  });
});

describe("Django's system check errors", () => {
  it('puts first an error whose object is a class (`<class \'library.admin.BookAdmin\'>: (admin.E108) …`)', async () => {
    // Prepare: a real `manage.py check`: a ModelAdmin's `list_display` naming a field the model does not have.
    // Django prints a check's object with `str()`: a ModelAdmin class is `<class 'app.admin.X'>`, spaces and all.
    const text = log(
      'SystemCheckError: System check identified some issues:',
      '',
      'ERRORS:',
      "<class 'library.admin.BookAdmin'>: (admin.E108) The value of 'list_display[0]' refers to 'titel', which is not a callable, an attribute of 'BookAdmin', or an attribute or method on 'library.Book'.",
      '',
      'System check identified 1 issue (0 silenced).',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('django.system-check');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
  });
});

describe("pip's quote of a C extension build whose compiler is not installed", () => {
  it("puts setuptools' `error: command '…' failed: No such file or directory` first, the only line that says why", async () => {
    // Prepare: a real `pip install --no-index --no-build-isolation .` with `CC` naming a compiler that is not
    // installed: distutils' spawn reports the command it could not start, not an exit code.
    const text = log(
      'Building wheels for collected packages: fastsum',
      '  Building wheel for fastsum (setup.py): started',
      "  Building wheel for fastsum (setup.py): finished with status 'error'",
      '  error: subprocess-exited-with-error',
      '  ',
      '  × python setup.py bdist_wheel did not run successfully.',
      '  │ exit code: 1',
      '  ╰─> [5 lines of output]',
      '      running bdist_wheel',
      '      running build',
      '      running build_ext',
      "      building 'fastsum' extension",
      '      x86_64-linux-gnu-gcc-13 -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -fPIC -I/usr/include/python3.11 -c fastsum.c -o build/temp.linux-x86_64-cpython-311/fastsum.o',
      "      error: command 'x86_64-linux-gnu-gcc-13' failed: No such file or directory",
      '      [end of output]',
      '  ',
      '  note: This error originates from a subprocess, and is likely not a problem with pip.',
      '  ERROR: Failed building wheel for fastsum',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(14);
  });
});

describe("pytest's other usage errors (exit status 4)", () => {
  const rows: Array<{ name: string; lines: string[]; head: number }> = [
    {
      // A test id on the command line that names no test (a renamed test, a stale CI matrix).
      name: '`ERROR: not found: <node id>`',
      lines: [
        '============================ no tests ran in 0.04s =============================',
        'ERROR: not found: /home/runner/work/app/app/tests/test_eg.py::test_nope',
        "(no name '/home/runner/work/app/app/tests/test_eg.py::test_nope' in any of [<Module tests/test_eg.py>])",
        '',
      ],
      head: 2,
    },
    {
      // `--strict-config` and an ini option no plugin declares (a typo, a plugin that is not installed).
      name: '`ERROR: Unknown config option: …`',
      lines: ['============================ no tests ran in 0.04s =============================', 'ERROR: Unknown config option: timeout_methd', '', ''],
      head: 2,
    },
  ];
  for (const row of rows) {
    it(`reads ${row.name} as the pipeline's configuration, like a path that does not exist`, async () => {
      // Act
      const analysis = await analyzeLog(log(...row.lines));
      // Assert
      expect(analysis.failures[0]?.lines[0]?.line).toBe(row.head);
      expect(analysis.category).toBe('configuration');
    });
  }
});

describe("the title of a step that runs Django's makemigrations", () => {
  it('does not make a data migration that crashes under `makemigrations && migrate` a check (lint)', async () => {
    // Prepare: a real run: a step that makes and applies the migrations, as many Django workflows do before their
    // tests; a data migration's RunPython raises. Only `makemigrations --check` is a check on the code.
    const text = log(
      '##[group]Run python manage.py makemigrations && python manage.py migrate',
      'python manage.py makemigrations && python manage.py migrate',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'No changes detected',
      'Operations to perform:',
      '  Apply all migrations: admin, auth, contenttypes, library, sessions',
      'Running migrations:',
      '  Applying library.0001_initial... OK',
      '  Applying library.0002_seed...Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/manage.py", line 22, in <module>',
      '    main()',
      '  File "/home/runner/work/app/app/library/migrations/0002_seed.py", line 5, in seed',
      '    Book.objects.create(titel="Dune")',
      '  File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/site-packages/django/db/models/base.py", line 503, in __init__',
      `    raise TypeError("%s() got an unexpected keyword argument '%s'" % (cls.__name__, kwarg))`,
      "TypeError: Book() got an unexpected keyword argument 'titel'",
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(17);
    expect(analysis.category).not.toBe('lint');
  });
});

describe('the lines that decide a category, behind a task runner\'s prefix', () => {
  it("reads pytest-timeout's failure as a timeout when docker compose prefixes the test service's output", async () => {
    // Prepare: `docker compose up --exit-code-from tests` prints each service's output behind `tests-1  | `; the
    // rules read a block's lines without that prefix, so the line that makes a report a timeout must be read so too.
    const text = log(
      'tests-1  | =================================== FAILURES ===================================',
      'tests-1  | _________________________________ test_settles _________________________________',
      'tests-1  | t2/test_slow.py:4: in test_settles',
      'tests-1  |     time.sleep(0.05)',
      'tests-1  | E   Failed: Timeout >1.0s',
      'tests-1  | =========================== short test summary info ============================',
      'tests-1  | FAILED t2/test_slow.py::test_settles - Failed: Timeout >1.0s',
      'tests-1  | ============================== 1 failed in 1.01s ===============================',
      'tests-1 exited with code 1',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('timeout');
  });
});

describe("pytest's short test summary entries, read whole under CI", () => {
  it("are not a Rust log line `ERROR api::db: …` that takes the panic under it into its block", async () => {
    // Prepare: a real `cargo test -- --nocapture` (cargo 1.95): the test's own log lines, in the format of tracing's
    // `fmt().without_time()` (`ERROR target::module: message fields`), print uncaptured above the panic. The line
    // has the `ERROR x::y` shape of a pytest entry, not its node id (a file's path, `tests/x.py::t`) nor its ` - `.
    const text = log(
      '    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.07s',
      '     Running unittests src/lib.rs (target/debug/deps/api-0d34a4734a895634)',
      '',
      'running 2 tests',
      'test tests::health_ok ... ok',
      'test tests::list_users ...  INFO api::server: listening addr=127.0.0.1:38211',
      'ERROR api::db: connection refused error=Os { code: 111, kind: ConnectionRefused, message: "Connection refused" }',
      ' WARN api::db: retrying attempt=1',
      '',
      "thread 'tests::list_users' panicked at src/lib.rs:14:9:",
      'assertion `left == right` failed',
      '  left: 500',
      ' right: 200',
      'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      'FAILED',
      '',
      'failures:',
      '',
      'failures:',
      '    tests::list_users',
      '',
      'test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s',
      '',
      'error: test failed, to rerun pass `--lib`',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('rust.panic');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(10);
    expect(analysis.failures.some((f) => f.rule === 'pytest.summary')).toBe(false);
  });

  it('still reads an entry whose node id is no file path when pytest gives its message (` - `)', async () => {
    // Prepare: a plugin's items whose ids name a binary (pytest-cpp: `build/tests/money_test::Money.Split`).
    const text = log(
      '=========================== short test summary info ============================',
      'FAILED build/tests/money_test::Money.Split - Expected equality of these values:',
      '  sum(parts)',
      '    Which is: 999',
      '=========================== 1 failed in 0.12s ============================',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.summary');
    expect(predictionLines(analysis)).toEqual([2, 3, 4]);
  });
});

describe("pip's quote of a C extension build on a Windows runner", () => {
  it("puts MSVC's error first and reads it as the code's (compilation), as it does gcc's", async () => {
    // Prepare: the session's pip-build-wheel.log on windows-latest: setuptools runs cl.exe, whose errors read
    // `file(line): error C2065: …` (MSVC's documented form; the msvc.error rule reads them outside pip's quote), and
    // setuptools' verdict names cl.exe.
    const text = log(
      '  error: subprocess-exited-with-error',
      '  ',
      '  × Building wheel for fastsum (pyproject.toml) did not run successfully.',
      '  │ exit code: 1',
      '  ╰─> [9 lines of output]',
      '      running bdist_wheel',
      '      running build',
      '      running build_ext',
      "      building 'fastsum' extension",
      '      "C:\\Program Files\\Microsoft Visual Studio\\2022\\Enterprise\\VC\\Tools\\MSVC\\14.38.33130\\bin\\HostX86\\x64\\cl.exe" /c /nologo /O2 /W3 /GL /DNDEBUG /MD -IC:\\hostedtoolcache\\windows\\Python\\3.11.9\\x64\\include /Tcsrc/speedups.c /Fobuild\\temp.win-amd64-cpython-311\\Release\\src/speedups.obj',
      '      speedups.c',
      "      src/speedups.c(17): error C2065: 'totl': undeclared identifier",
      "      error: command 'C:\\\\Program Files\\\\Microsoft Visual Studio\\\\2022\\\\Enterprise\\\\VC\\\\Tools\\\\MSVC\\\\14.38.33130\\\\bin\\\\HostX86\\\\x64\\\\cl.exe' failed with exit code 2",
      '      [end of output]',
      '  ',
      '  note: This error originates from a subprocess, and is likely not a problem with pip.',
      '  ERROR: Failed building wheel for fastsum',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(12);
    expect(analysis.category).toBe('compilation');
  });
});

describe("pip 19.2–21.1's quote of a build that failed", () => {
  // Found open on py58 (its fix did not fit the classify bundle there); pip.subprocess-error now also takes
  // `ERROR: Command errored out with exit status \d+:$`, its `end` the quote's row of exactly 40 dashes.
  it("puts the compiler's error first, as in pip 21.2+'s `× … did not run successfully.` quote", async () => {
    // Prepare: a real `pip install --no-index .` with pip 19.2.3 (its ensurepip wheel): before pip 21.2 the quote is
    // `ERROR: Command errored out with exit status 1:`, its command, `Complete output (N lines):`, the output four
    // spaces in, and a row of 40 dashes; pip's verdict repeats the command on one line after it.
    const text = log(
      'Installing collected packages: fastsum',
      '  Running setup.py install for fastsum: started',
      "    Running setup.py install for fastsum: finished with status 'error'",
      '    ERROR: Command errored out with exit status 1:',
      "     command: /opt/hostedtoolcache/Python/3.8.18/x64/bin/python -u -c 'import sys, setuptools, tokenize; sys.argv[0] = '\"'\"'/tmp/pip-req-build-wDA3f3/setup.py'\"'\"'' install --record /tmp/pip-record-x/install-record.txt --single-version-externally-managed --compile",
      '         cwd: /tmp/pip-req-build-wDA3f3/',
      '    Complete output (17 lines):',
      '    running install',
      '    running build',
      '    running build_ext',
      "    building 'fastsum' extension",
      '    creating build',
      '    creating build/temp.linux-x86_64-3.8',
      '    gcc -pthread -Wno-unused-result -Wsign-compare -DNDEBUG -g -fwrapv -O3 -Wall -fPIC -I/opt/hostedtoolcache/Python/3.8.18/x64/include/python3.8 -c fastsum.c -o build/temp.linux-x86_64-3.8/fastsum.o',
      '    fastsum.c: In function ‘f’:',
      '    fastsum.c:2:73: error: ‘totl’ undeclared (first use in this function)',
      '        2 | static PyObject* f(PyObject* s, PyObject* a){ return PyFloat_FromDouble(totl); }',
      '          |                                                                         ^~~~',
      '    fastsum.c:2:73: note: each undeclared identifier is reported only once for each function it appears in',
      '    fastsum.c: At top level:',
      '    fastsum.c:2:18: warning: ‘f’ defined but not used [-Wunused-function]',
      "    error: command 'gcc' failed with exit status 1",
      '    ----------------------------------------',
      "ERROR: Command errored out with exit status 1: /opt/hostedtoolcache/Python/3.8.18/x64/bin/python -u -c 'import sys, setuptools, tokenize; sys.argv[0] = '\"'\"'/tmp/pip-req-build-wDA3f3/setup.py'\"'\"'' install --record /tmp/pip-record-x/install-record.txt --single-version-externally-managed --compile Check the logs for full command output.",
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(16);
    expect(analysis.category).toBe('compilation');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([16, 22]));
  });
});

describe("pytest-timeout's failure when pytest prints no report's `E` line", () => {
  const rows: Array<{ name: string; lines: string[] }> = [
    {
      // A real `--timeout=1 --tb=line` run: the report is one line, its place and the message.
      name: '`--tb=line`',
      lines: [
        't2/test_slow.py F                                                        [100%]',
        '',
        '=================================== FAILURES ===================================',
        '/home/runner/work/app/app/t2/test_slow.py:4: Failed: Timeout >1.0s',
        '=========================== short test summary info ============================',
        'FAILED t2/test_slow.py::test_settles - Failed: Timeout >1.0s',
        '============================== 1 failed in 1.01s ===============================',
      ],
    },
    {
      // A real `--timeout=1 --tb=no -q` run: the summary alone; pytest-timeout 2.2+'s wording.
      name: '`--tb=no -q`',
      lines: [
        'F                                                                        [100%]',
        '=========================== short test summary info ============================',
        'FAILED t2/test_slow.py::test_settles - Failed: Timeout (>1.0s) from pytest-timeout.',
        '1 failed in 1.02s',
      ],
    },
  ];
  for (const row of rows) {
    it(`reads the test it stopped as a timeout under ${row.name}`, async () => {
      // Act
      const analysis = await analyzeLog(log(...row.lines));
      // Assert
      expect(analysis.category).toBe('timeout');
    });
  }
});

describe("`twine check --strict`", () => {
  it('reads `FAILED due to warnings` as the check that failed, its warning the line that says why', async () => {
    // Prepare: a real twine 4.0.2 run (under CI, its colour kept): `--strict` fails a distribution on warnings alone.
    const text = log(
      'Checking dist/reporter-0.3-py3-none-any.whl: \u001b[31mFAILED due to warnings\u001b[0m',
      '\u001b[33mWARNING \u001b[0m `long_description_content_type` missing. defaulting to `text/x-rst`.   ',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('twine.check-failed');
    expect(predictionLines(analysis)).toEqual([1, 2]);
    expect(analysis.category).toBe('lint');
  });
});
