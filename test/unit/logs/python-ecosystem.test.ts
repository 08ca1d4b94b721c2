import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * The Python ecosystem's failure formats of session 58, each from a real run on Debian 12 (CPython 3.11.2, pytest
 * 7.2.1 with pytest-timeout 2.1, Django 3.2, pip 23.0.1, setuptools 66, behave 1.2.6): see the real-tool fixtures'
 * README, "Session 58: Python's other failure formats".
 */
const log = (...lines: string[]): string => lines.join('\n');

describe("pytest's short test summary", () => {
  it('lists every entry of the summary when CI prints the messages whole, over several lines', async () => {
    // Prepare: under CI pytest does not cut an entry's message to the terminal's width, so `+ where` lines follow it.
    const text = log(
      'tests/test_money.py .F.FE                                                [100%]',
      '',
      '=================================== FAILURES ===================================',
      '________________________ test_split_evenly_keeps_total _________________________',
      '',
      '    def test_split_evenly_keeps_total():',
      '        shares = split_evenly(Decimal("10.00"), 3)',
      '>       assert sum(shares) == Decimal("10.00")',
      "E       AssertionError: assert Decimal('9.99') == Decimal('10.00')",
      "E        +  where Decimal('9.99') = sum([Decimal('3.33'), Decimal('3.33'), Decimal('3.33')])",
      "E        +  and   Decimal('10.00') = Decimal('10.00')",
      '',
      'tests/test_money.py:30: AssertionError',
      '=========================== short test summary info ============================',
      "FAILED tests/test_money.py::test_split_evenly_keeps_total - AssertionError: assert Decimal('9.99') == Decimal('10.00')",
      " +  where Decimal('9.99') = sum([Decimal('3.33'), Decimal('3.33'), Decimal('3.33')])",
      " +  and   Decimal('10.00') = Decimal('10.00')",
      "FAILED tests/test_money.py::test_convert_zero_rate_is_rejected - Failed: DID NOT RAISE <class 'ValueError'>",
      "ERROR tests/test_money.py::test_store_balance - FileNotFoundError: [Errno 2] No such file or directory: 'ledger.json'",
      '===================== 2 failed, 2 passed, 1 error in 0.02s =====================',
    );
    // Act
    const predicted = predictionLines(await analyzeLog(text));
    // Assert
    expect(predicted[0]).toBe(9);
    expect(predicted).toEqual(expect.arrayContaining([15, 18, 19]));
  });

  it("lists the summary's failures after the skipped and passed tests `-ra` and `-rA` list first, not those", async () => {
    // Prepare: pytest 7 lists the summary's entries in the order of its `-r` letters: `a` and `A` put the skipped,
    // xfailed (and with `A` the passed) tests above the errors and failures.
    const report = [
      '=================================== FAILURES ===================================',
      '________________________ test_split_evenly_keeps_total _________________________',
      'tests/test_money.py:30: in test_split_evenly_keeps_total',
      '    assert sum(shares) == Decimal("10.00")',
      "E   AssertionError: assert Decimal('9.99') == Decimal('10.00')",
    ];
    const listedFirst = {
      '-ra': [
        '=========================== short test summary info ============================',
        'SKIPPED [1] tests/test_skips.py:6: needs the Windows registry',
        'XFAIL tests/test_skips.py::test_negative_half - rounding of negative halves is not decided',
      ],
      '-rA': [
        '==================================== PASSES ====================================',
        '=========================== short test summary info ============================',
        'PASSED tests/test_money.py::test_parse_amount[12.50-expected0]',
        'PASSED tests/test_money.py::test_split_rejects_zero_parts',
      ],
    };
    for (const [flag, above] of Object.entries(listedFirst)) {
      const text = log(
        ...report,
        ...above,
        "ERROR tests/test_money.py::test_store_balance - FileNotFoundError: [Errno 2] No such file or directory: 'ledger.json'",
        "FAILED tests/test_money.py::test_split_evenly_keeps_total - AssertionError: assert Decimal('9.99') == Decimal('10.00')",
        '========== 1 failed, 4 passed, 1 skipped, 1 xfailed, 1 error in 0.03s ==========',
      );
      const entries = report.length + above.length + 1;
      // Act
      const predicted = predictionLines(await analyzeLog(text));
      // Assert
      expect(predicted[0], flag).toBe(5);
      expect(predicted, flag).toEqual(expect.arrayContaining([entries, entries + 1]));
      for (let l = report.length + 2; l < entries; l++) expect(predicted, `${flag}: ${l}`).not.toContain(l);
    }
  });

  it('reads a test that pytest-timeout stopped as a timeout', async () => {
    // Prepare
    const text = log(
      '=================================== FAILURES ===================================',
      '_______________________ test_settlement_eventually_true ________________________',
      '',
      '    def wait_for_settlement(check, interval=0.5):',
      '        while not check():',
      '>           time.sleep(interval)',
      'E           Failed: Timeout >2.0s',
      '',
      'ledger/sync.py:6: Failed',
      '=========================== short test summary info ============================',
      'FAILED tests/test_sync.py::test_settlement_eventually_true - Failed: Timeout >2.0s',
      '========================= 1 failed, 1 passed in 2.01s ==========================',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.category).toBe('timeout');
  });
});

describe("CPython 3.11's exception groups", () => {
  it("reads the group's tree as one report, from its header to the last sub-exception", async () => {
    // Prepare: an asyncio.TaskGroup whose two tasks raised.
    const text = log(
      'Fetching feeds',
      '  + Exception Group Traceback (most recent call last):',
      '  |   File "/home/runner/work/fetcher/fetcher/scripts/fetch_all.py", line 22, in <module>',
      '  |     asyncio.run(main(["https://a.example/rss", "http://b.example/feed"]))',
      '  |   File "/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/asyncio/taskgroups.py", line 133, in __aexit__',
      '  |     raise me from None',
      '  | ExceptionGroup: unhandled errors in a TaskGroup (2 sub-exceptions)',
      '  +-+---------------- 1 ----------------',
      '    | Traceback (most recent call last):',
      '    |   File "/home/runner/work/fetcher/fetcher/scripts/fetch_all.py", line 11, in fetch',
      '    |     raise ConnectionError(f"feed {name!r}: refusing plain http")',
      "    | ConnectionError: feed 'http://b.example/feed': refusing plain http",
      '    +---------------- 2 ----------------',
      '    | Traceback (most recent call last):',
      '    |   File "/home/runner/work/fetcher/fetcher/scripts/fetch_all.py", line 9, in fetch',
      '    |     raise ValueError(f"feed {name!r}: unsupported format")',
      "    | ValueError: feed 'https://c.example/atom.xml': unsupported format",
      '    +------------------------------------',
      'Done',
    );
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('python.exception-group');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect([...predicted].sort((a, b) => a - b)).toEqual(Array.from({ length: 17 }, (_, i) => i + 2));
  });
});

describe("setuptools' and pip's C extension builds", () => {
  const GCC = [
    "x86_64-linux-gnu-gcc -Wsign-compare -DNDEBUG -g -fwrapv -O2 -Wall -fPIC -I/opt/hostedtoolcache/Python/3.11.2/x64/include/python3.11 -c src/speedups.c -o build/temp.linux-x86_64-cpython-311/src/speedups.o",
    'src/speedups.c: In function ‘fastsum_total’:',
    'src/speedups.c:17:31: error: ‘totl’ undeclared (first use in this function); did you mean ‘total’?',
    '   17 |     return PyFloat_FromDouble(totl);',
    '      |                               ^~~~',
    '      |                               total',
    'src/speedups.c:17:31: note: each undeclared identifier is reported only once for each function it appears in',
    'src/speedups.c:18:1: warning: control reaches end of non-void function [-Wreturn-type]',
    '   18 | }',
    '      | ^',
    "error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1",
  ];

  it("lists setuptools' `error: command … failed` after the compiler's error it closes", async () => {
    // Prepare
    const text = log('running build_ext', "building 'fastsum._speedups' extension", ...GCC);
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(predicted[0]).toBe(5);
    expect(predicted).toContain(13);
  });

  it("reads pip's quoted compiler error as the code's, with setuptools' line in the quote and pip's verdict on the wheel", async () => {
    // Prepare
    const quoted = ['running bdist_wheel', 'running build', 'running build_ext', ...GCC];
    const text = log(
      'Building wheels for collected packages: fastsum',
      '  Building wheel for fastsum (setup.py): started',
      "  Building wheel for fastsum (setup.py): finished with status 'error'",
      '  error: subprocess-exited-with-error',
      '  ',
      '  × python setup.py bdist_wheel did not run successfully.',
      '  │ exit code: 1',
      `  ╰─> [${quoted.length} lines of output]`,
      ...quoted.map((l) => `      ${l}`),
      '      [end of output]',
      '  ',
      '  note: This error originates from a subprocess, and is likely not a problem with pip.',
      '  ERROR: Failed building wheel for fastsum',
      '  Running setup.py clean for fastsum',
      'Failed to build fastsum',
    );
    const setuptoolsLine = 8 + quoted.length;
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.category).toBe('compilation');
    expect(predicted).toEqual(expect.arrayContaining([setuptoolsLine, setuptoolsLine + 4]));
  });

  it("keeps a quoted build that stops on a missing header a dependency's failure", async () => {
    // Prepare: psycopg2 built from source without libpq's headers.
    const text = log(
      '  × python setup.py bdist_wheel did not run successfully.',
      '  │ exit code: 1',
      '  ╰─> [4 lines of output]',
      '      running build_ext',
      '      psycopg/psycopgmodule.c:28:10: fatal error: libpq-fe.h: No such file or directory',
      '      compilation terminated.',
      "      error: command '/usr/bin/x86_64-linux-gnu-gcc' failed with exit code 1",
      '      [end of output]',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pip.subprocess-error');
    expect(analysis.category).toBe('dependency');
  });
});

describe("pip's resolver", () => {
  it('lists the requirements that conflict under `The conflict is caused by:`', async () => {
    // Prepare
    const text = log(
      'Processing ./wheels/colorfmt-1.9.2-py3-none-any.whl',
      'ERROR: Cannot install -r requirements.txt (line 1) and colorfmt==1.9.2 because these package versions have conflicting dependencies.',
      '',
      'The conflict is caused by:',
      '    The user requested colorfmt==1.9.2',
      '    tablekit 1.4.0 depends on colorfmt>=2.0',
      '',
      'To fix this you could try to:',
      '1. loosen the range of package versions you\'ve specified',
      '2. remove package versions to allow pip attempt to solve the dependency conflict',
      '',
      'ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts',
    );
    // Act
    const predicted = predictionLines(await analyzeLog(text));
    // Assert
    expect(predicted[0]).toBe(2);
    expect(predicted).toEqual(expect.arrayContaining([5, 6, 12]));
  });
});

describe("Django's management commands", () => {
  it("lists the system check's errors under `SystemCheckError` as the code's", async () => {
    // Prepare
    const text = log(
      'SystemCheckError: System check identified some issues:',
      '',
      'ERRORS:',
      "books.Book.isbn: (fields.E120) CharFields must define a 'max_length' attribute.",
      "books.Book.shelf: (fields.E300) Field defines a relation with model 'Shelf', which is either not installed, or is abstract.",
      '',
      'System check identified 2 issues (0 silenced).',
    );
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('django.system-check');
    expect(analysis.category).toBe('compilation');
    expect(predicted).toEqual(expect.arrayContaining([1, 4, 5]));
  });

  it('reads a failed `makemigrations --check` step as a check on the code', async () => {
    // Prepare
    const text = log(
      '##[group]Run python manage.py makemigrations --check --dry-run',
      'python manage.py makemigrations --check --dry-run',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      "Migrations for 'books':",
      '  books/migrations/0002_book_published.py',
      '    - Add field published to book',
      '##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(analysis.category).toBe('lint');
  });
});

describe("behave's pretty formatter", () => {
  const BEHAVE = [
    'Feature: Book loans # features/loans.feature:1',
    '',
    '  Scenario: Lending a book                  # features/loans.feature:3',
    '    Given a library with 2 copies of "Dune" # features/steps/loans.py:18',
    '    When a member borrows "Dune"            # features/steps/loans.py:24',
    '',
    '  Scenario: Borrowing an available book     # features/loans.feature:8',
    '    Given a library with 2 copies of "Dune" # features/steps/loans.py:18',
    '    Then 1 copy of "Dune" is available      # features/steps/loans.py:35',
    '      Assertion Failed: expected 1 copies, found 0',
    '',
    '',
    '  Scenario: Returning a book that was never borrowed  # features/loans.feature:13',
    '    When a member returns "Emma"                      # features/steps/loans.py:30',
    '      Traceback (most recent call last):',
    '        File "features/steps/loans.py", line 14, in give_back',
    '          self.loans[title] -= 1',
    "      KeyError: 'Emma'",
    '',
    '    Then 1 copy of "Emma" is available                # None',
    '',
    '',
    'Failing scenarios:',
    '  features/loans.feature:8  Borrowing an available book',
    '  features/loans.feature:13  Returning a book that was never borrowed',
    '',
    '0 features passed, 1 failed, 0 skipped',
    '1 scenario passed, 2 failed, 0 skipped',
  ];

  it("reports a failed scenario by its step's assertion, lists the next one's error and the failing scenarios, not the passed one", async () => {
    // Act
    const analysis = await analyzeLog(log(...BEHAVE));
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('behave.step-failed');
    expect(analysis.category).toBe('test_failure');
    expect(predicted[0]).toBe(10);
    expect(predicted).toEqual(expect.arrayContaining([9, 14, 18, 24, 25]));
    expect(predicted).not.toContain(4);
  });
});

describe("pytest's usage errors", () => {
  it('reads a test path that does not exist as the pipeline naming a wrong path', async () => {
    // Prepare: exit status 4, no test run.
    const text = log(
      'collected 0 items',
      '',
      '============================ no tests ran in 0.01s =============================',
      'ERROR: file or directory not found: test',
      '',
    );
    // Act
    const analysis = await analyzeLog(text);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(analysis.category).toBe('configuration');
  });

  it('reports a conftest that does not import, with the frame it failed in (exit status 4, before the session starts)', async () => {
    // Prepare
    const text = log(
      "ImportError while loading conftest '/home/runner/work/ledger/ledger/tests/conftest.py'.",
      'tests/conftest.py:3: in <module>',
      '    from ledger.fixtures import sample_entries',
      "E   ModuleNotFoundError: No module named 'ledger.fixtures'",
    );
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.conftest-import');
    expect(predicted[0]).toBe(4);
    expect([...predicted].sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
  });
});

describe("twine check", () => {
  it("reports each distribution that fails with the markup error under it, as a check on the package's text", async () => {
    // Prepare: twine 4's rich log (`ERROR   ` and the message wrapped to 80 columns, blanks kept).
    const failed = (dist: string): string[] => [
      `Checking dist/${dist}: FAILED`,
      'ERROR    `long_description` has syntax errors in markup and would not be        ',
      '         rendered on PyPI.                                                      ',
      '         line 14: Error: Unknown target name: "changelog".                      ',
    ];
    const text = log('Checking dist/reporter-0.3-py3-none-any.whl: PASSED', ...failed('reporter-0.3.tar.gz'), ...failed('reporter-0.3-py3-none-any.whl'));
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('twine.check-failed');
    expect(analysis.category).toBe('lint');
    expect([...predicted].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("setuptools' pyproject.toml validation under pypa/build", () => {
  // The backend's frames from pypa/build's hook runner down to setuptools' validation (two of the hook runner's
  // left out): the message's second line, printed again under the `ValueError`, stands well below the report.
  const SITE = '/opt/hostedtoolcache/Python/3.11.2/x64/lib/python3.11/site-packages';
  const BACKEND_TRACEBACK = [
    'Traceback (most recent call last):',
    `  File "${SITE}/pep517/in_process/_in_process.py", line 285, in get_requires_for_build_sdist`,
    '    return hook(config_settings)',
    `  File "${SITE}/setuptools/build_meta.py", line 341, in get_requires_for_build_sdist`,
    '    return self._get_build_requires(config_settings, requirements=[])',
    `  File "${SITE}/setuptools/build_meta.py", line 320, in _get_build_requires`,
    '    self.run_setup()',
    `  File "${SITE}/setuptools/build_meta.py", line 335, in run_setup`,
    '    exec(code, locals())',
    '  File "<string>", line 1, in <module>',
    `  File "${SITE}/setuptools/__init__.py", line 108, in setup`,
    '    return distutils.core.setup(**attrs)',
    `  File "${SITE}/setuptools/dist.py", line 872, in parse_config_files`,
    '    pyprojecttoml.apply_configuration(self, filename, ignore_option_errors)',
    `  File "${SITE}/setuptools/config/pyprojecttoml.py", line 51, in validate`,
    '    raise ValueError(f"{error}\\n{summary}") from None',
  ];

  it("reports the configuration error with its given value, then the backend's traceback and build's verdict", async () => {
    // Prepare
    const text = log(
      '* Getting build dependencies for sdist...',
      'configuration error: `project.name` must be pep508-identifier',
      'DESCRIPTION:',
      '    The name (primary identifier) of the project. MUST be statically defined.',
      '',
      'GIVEN VALUE:',
      '    "ledger reporter"',
      '',
      "OFFENDING RULE: 'format'",
      '',
      ...BACKEND_TRACEBACK,
      'ValueError: invalid pyproject.toml config: `project.name`.',
      'configuration error: `project.name` must be pep508-identifier',
      '',
      'ERROR Backend subprocess exited when trying to invoke get_requires_for_build_sdist',
    );
    // Act
    const analysis = await analyzeLog(text);
    const predicted = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('setuptools.pyproject-invalid');
    expect(analysis.category).toBe('compilation');
    const valueError = 11 + BACKEND_TRACEBACK.length;
    expect(predicted[0]).toBe(2);
    expect(predicted).toEqual(expect.arrayContaining([7, valueError, valueError + 3]));
  });
});
