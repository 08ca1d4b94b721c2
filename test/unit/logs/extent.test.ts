import { describe, expect, it } from 'vitest';
import { analyzeLog, CASCADE_RULES, predictionLines, RULES, type Rule } from '../../../shared/logs/index.js';
import { GENERIC_RULES, NOISE_RE, PREFILTER_START_RE } from '../../../shared/logs/rules.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../../support/growth.js';

/** How far a test runner's failure report reaches, and which of its lines the prediction lists. */
describe('the extent of a test runner report', () => {
  it('ends a pytest failure section at pytest-cov\'s report header, not in the coverage table under it', async () => {
    // Prepare: pytest-cov prints its table right after the last failure section, before the short summary's `====`.
    const log = [
      '=================================== FAILURES ===================================',
      '_______________________________ test_total _______________________________',
      '    def test_total():',
      '>       assert total() == 4',
      'E       assert 3 == 4',
      '',
      'tests/test_cart.py:4: AssertionError',
      '',
      '---------- coverage: platform linux, python 3.12.3-final-0 -----------',
      'Name          Stmts   Miss  Cover',
      '---------------------------------',
      'cart.py           8      0   100%',
      'cart_util.py     12      3    75%',
      '---------------------------------',
      'TOTAL            20      3    85%',
      '',
      '=========================== short test summary info ============================',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(analysis.failures[0]?.endLine).toBe(7);
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("lists of a nextest report its FAIL line, the error it picked and that error's location, and the run's summary, not the captured output", async () => {
    // Prepare: a trybuild test's whole captured stdout and stderr sit under nextest's FAIL line.
    const captured = Array.from({ length: 60 }, (_, i) => `    test tests/pass/case_${i}.rs [should pass] ... ok`);
    const log = [
      '        PASS [   0.006s] (395/396) tokio-util::udp send_framed_lines_codec',
      '        FAIL [   9.875s] (396/396) tests-build::macros compile_fail_full',
      '  stdout ───',
      '',
      '    running 1 test',
      '    test compile_fail_full ... FAILED',
      '  stderr ───',
      ...captured,
      '    error[E0308]: mismatched types',
      '     --> tests/fail/macros_type_mismatch.rs:5:5',
      '      |',
      '    5 |     Ok(())',
      '      |     ^^^^^^ expected `()`, found `Result<(), _>`',
      '    error[E0308]: mismatched types',
      '      --> tests/fail/macros_type_mismatch.rs:10:5',
      '    thread \'compile_fail_full\' (25975) panicked at /home/runner/.cargo/registry/src/trybuild-1.0.116/src/run.rs:102:13:',
      '    1 of 10 tests failed',
      '    stack backtrace:',
      '       0: __rustc::rust_begin_unwind',
      '',
      '  Cancelling due to test failure: ',
      '────────────',
      '     Summary [   9.876s] 396 tests run: 395 passed, 1 failed, 1 skipped',
      '        FAIL [   9.875s] (396/396) tests-build::macros compile_fail_full',
      'error: test run failed',
    ];
    const error = log.indexOf('    error[E0308]: mismatched types') + 1;
    const message = log.indexOf('    1 of 10 tests failed') + 1;
    const summary = log.findIndex((l) => l.includes('Summary [')) + 1;
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('nextest.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(error);
    expect(predictionLines(analysis)).toEqual([error, 2, error + 1, message, summary]);
  });

  it('lists a panicking test\'s message under nextest\'s FAIL line, with the run\'s summary', async () => {
    const log = [
      '        FAIL [   0.004s] (1/2) calc::tests adds',
      '  stdout ───',
      '',
      '    running 1 test',
      '    test tests::adds ... FAILED',
      '  stderr ───',
      "    thread 'tests::adds' panicked at src/lib.rs:12:9:",
      '    assertion `left == right` failed',
      '      left: 3',
      '     right: 4',
      '    note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      '',
      '        PASS [   0.003s] (2/2) calc::tests subtracts',
      '────────────',
      '     Summary [   0.010s] 2 tests run: 1 passed, 1 failed, 0 skipped',
    ].join('\n');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('nextest.failed');
    expect(predictionLines(analysis)).toEqual([7, 1, 8, 15]);
  });

  it("lists of each of a nextest report's FAIL blocks the line it picked, not only its first and key lines", async () => {
    // Prepare: a panicking test, then a test whose build failed.
    const log = [
      '        FAIL [   0.004s] (1/3) calc::tests adds',
      '  stderr ───',
      "    thread 'tests::adds' panicked at src/lib.rs:12:9:",
      '    assertion `left == right` failed',
      '',
      '        FAIL [   0.005s] (2/3) calc::tests lexes',
      '  stderr ───',
      '    error[E0599]: no method named `peek_char` found for struct `Lexer` in the current scope',
      '     --> src/lexer.rs:20:5',
      '',
      '        FAIL [   0.006s] (3/3) calc::tests parses',
      '  stderr ───',
      "    thread 'tests::parses' panicked at src/parse.rs:7:3:",
      '    called `Option::unwrap()` on a `None` value',
      '',
      '────────────',
      '     Summary [   0.020s] 3 tests run: 0 passed, 3 failed, 0 skipped',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('nextest.failed');
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([1, 3, 4, 6, 8, 9, 11, 13, 14, 17]);
  });

  it("lists of a CTest failure its status line and GoogleTest's failure with its values through the test's `[  FAILED  ]` line, not the passing tests its output holds", async () => {
    for (const passed of [20, 150]) {
      // Prepare: --output-on-failure prints the test executable's whole output under CTest's `***Failed` line,
      // every passing case's `[ RUN ]` / `[ OK ]` pair before the one that failed.
      const cases = Array.from({ length: passed }, (_, i) => [`[ RUN      ] Geo.Case${i}`, `[       OK ] Geo.Case${i} (0 ms)`]).flat();
      const log = [
        '    Start 2: geo_tests',
        '2/4 Test #2: geo_tests ........................***Failed    0.30 sec',
        `[==========] Running ${passed + 1} tests from 1 test suite.`,
        ...cases,
        '[ RUN      ] Geo.Area',
        '/home/runner/work/geo/geo/tests/geo_test.cpp:27: Failure',
        'Expected equality of these values:',
        '  area(r)',
        '    Which is: 12',
        '  13',
        '[  FAILED  ] Geo.Area (0 ms)',
        `[==========] ${passed + 1} tests from 1 test suite ran. (3 ms total)`,
        '    Start 3: io_tests',
        '3/4 Test #3: io_tests .........................   Passed    0.01 sec',
      ];
      const failure = log.indexOf('/home/runner/work/geo/geo/tests/geo_test.cpp:27: Failure') + 1;
      // Act
      const analysis = await analyzeLog(log.join('\n'), { maxFailures: 50 });
      // Assert
      expect(analysis.failures[0]?.lines[0]?.line, `${passed} passed`).toBe(failure);
      expect([...predictionLines(analysis)].sort((a, b) => a - b), `${passed} passed`).toEqual([2, failure, failure + 1, failure + 2, failure + 3, failure + 4, failure + 5]);
    }
  });

  it("lists of a CTest failure Catch2's failed assertion with its expansion, down to Catch2's rule", async () => {
    // Prepare: Catch2 heads each test case with rules of dashes and closes its run with a rule of `=`.
    const log = [
      '    Start 1: shapes',
      '1/1 Test #1: shapes ...........................***Failed    0.02 sec',
      '',
      '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      'shapes is a Catch2 v3.5.2 host application.',
      'Run with -? for options',
      '',
      '-------------------------------------------------------------------------------',
      'area of a square',
      '-------------------------------------------------------------------------------',
      '/home/runner/work/geo/geo/tests/shapes.cpp:12',
      '...............................................................................',
      '',
      '/home/runner/work/geo/geo/tests/shapes.cpp:15: FAILED:',
      '  REQUIRE( area(square(2)) == 4 )',
      'with expansion:',
      '  3 == 4',
      '',
      '===============================================================================',
      'test cases: 3 | 2 passed | 1 failed',
      'assertions: 9 | 8 passed | 1 failed',
      '',
      '',
      '0% tests passed, 1 tests failed out of 1',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'), { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ctest.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(14);
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([2, 14, 15, 16, 17]);
  });

  it("reads tasty's failed test by its time after FAIL or its rerun hint, a top-level test too, not a health listing's `name: FAIL`", async () => {
    // Prepare: tasty's `defaultMain` on a single test prints it flush left; a test under 10 ms has no time, but its
    // `Use -p` hint; a service's health listing pads its checks alike with neither, its cause on a line of its own.
    const tasty = [
      'roundtrip:   FAIL (0.02s)',
      '  test/RoundTrip.hs:18:',
      '  expected: Just 1',
      '   but got: Nothing',
      "  Use -p '/roundtrip/' to rerun this test only.",
      '',
      '1 out of 1 tests failed (0.02s)',
    ];
    const fast = [
      'Tests',
      '  Bool',
      '    not_false:      FAIL',
      '      test/Main.hs:210:',
      '      expected: True',
      '       but got: False',
      "      Use -p '/not_false/' to rerun this test only.",
      '    and_true:       OK',
      '',
      '1 out of 2 tests failed (0.00s)',
    ];
    const health = [
      'Health checks',
      '  db:    OK',
      '  cache: FAIL',
      'Error: connection refused (redis://localhost:6379)',
      '##[error]Process completed with exit code 1.',
    ];
    // Act
    const ofTasty = await analyzeLog(tasty.join('\n'), { maxFailures: 50 });
    const ofFast = await analyzeLog(fast.join('\n'), { maxFailures: 50 });
    const ofHealth = await analyzeLog(health.join('\n'), { maxFailures: 50 });
    // Assert
    expect(ofTasty.failures[0]?.rule).toBe('tasty.failed');
    expect(predictionLines(ofTasty)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(ofFast.failures[0]?.rule).toBe('tasty.failed');
    expect(predictionLines(ofFast)).toEqual([3, 4, 5, 6, 7, 10]);
    expect(ofHealth.failures.map((f) => f.rule)).not.toContain('tasty.failed');
    expect(ofHealth.failures[0]?.lines[0]?.line).toBe(4);
  });

  it("lists of mypy's report the errors of the first file it names and its `Found N errors` line, not every file's", async () => {
    // Prepare: pre-commit's mypy hook, then another hook's output.
    const log = [
      'mypy.....................................................................Failed',
      '- hook id: mypy',
      '- exit code: 1',
      '',
      'pandas/compat/pyarrow.py:69: error: Call to untyped function "fill_null" in typed context  [no-untyped-call]',
      'pandas/compat/pyarrow.py:76: error: Module has no attribute "is_null"  [attr-defined]',
      'pandas/core/arrays/_arrow_string_mixins.py:110: error: Module has no attribute "utf8_length"  [attr-defined]',
      'pandas/core/arrays/_arrow_string_mixins.py:114: error: Module has no attribute "utf8_lower"  [attr-defined]',
      'pandas/io/feather_format.py:70: error: Call to untyped function "write_feather" in typed context  [no-untyped-call]',
      'Found 5 errors in 3 files (checked 1458 source files)',
      '',
      'mypy (stubtest)..........................................................Failed',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('mypy.error');
    expect(predictionLines(analysis)).toEqual([5, 6, 10]);
  });

  it("lists one of pytest's sections that say the same (each xdist worker's copy of a collection error), and the run's summary line", async () => {
    // Prepare: four workers each report the same module's collection error, then another module fails alike.
    const section = (file: string): string[] => [
      `_________ ERROR collecting ${file} _________`,
      `${file}:11: in <module>`,
      '    class TestSetitemValidation:',
      "E   DeprecationWarning: The 'generic' unit for NumPy timedelta is deprecated",
    ];
    const log = [
      '==================================== ERRORS ====================================',
      ...section('pandas/tests/arrays/masked/test_indexing.py'),
      ...section('pandas/tests/arrays/masked/test_indexing.py'),
      ...section('pandas/tests/arrays/masked/test_indexing.py'),
      ...section('pandas/tests/arrays/masked/test_indexing.py'),
      ...section('pandas/tests/arrays/test_timedeltas.py'),
      '=========================== short test summary info ============================',
      "ERROR pandas/tests/arrays/masked/test_indexing.py - DeprecationWarning: The 'generic' unit for NumPy timedelta is deprecated",
      '= 2 errors in 759.43s (0:12:39) =',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(predictionLines(analysis)).toEqual([5, 2, 3, 4, 24]);
  });

  it.each([
    ['assert False', 'assert False'],
    ['assert 1 == 2', 'assert 30 == 40'],
  ])("lists every one of pytest's sections about different tests that fail with the same words (%s, %s), and the summary lines under them", async (first, second) => {
    // Prepare: two tests, each failing at a line of its own; only the assertion's words are alike.
    const log = [
      '=================================== FAILURES ===================================',
      '__________________________________ test_login __________________________________',
      '',
      '    def test_login():',
      `>       ${first}`,
      `E       ${first}`,
      '',
      'tests/test_auth.py:10: AssertionError',
      '________________________________ test_checkout _________________________________',
      '',
      '    def test_checkout():',
      `>       ${second}`,
      `E       ${second}`,
      '',
      'tests/test_cart.py:22: AssertionError',
      '=========================== short test summary info ============================',
      `FAILED tests/test_auth.py::test_login - ${first}`,
      `FAILED tests/test_cart.py::test_checkout - ${second}`,
      '============================== 2 failed in 0.05s ===============================',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 18, 19]);
  });

  it("does not give a pytest run that died before its summary the summary of the next step's run", async () => {
    // Prepare: the first run stops after its failure section (its step may fail); the next step runs pytest again.
    const log = [
      '##[group]Run pytest tests/unit',
      'pytest tests/unit',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '=================================== FAILURES ===================================',
      '__________________________________ test_login __________________________________',
      'E       assert False',
      'tests/test_auth.py:10: AssertionError',
      '=========================== short test summary info ============================',
      '##[group]Run pytest tests/integration',
      'pytest tests/integration',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '============================== 1 failed in 0.05s ===============================',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('pytest.failed');
    expect(predictionLines(analysis).filter((l) => l >= 10)).toEqual([]);
  });

  it("takes into a Surefire failure its assertion's Hamcrest description (`Expected: …` / `     but: …`) and the frames under it", async () => {
    const log = [
      '[ERROR] Tests run: 8, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 32.995 s <<< FAILURE! - in sorald.miner.WarningMinerTest',
      '[ERROR] extractWarnings_statsOutput_containsExpectedAttributes  Time elapsed: 0.461 s  <<< FAILURE!',
      'java.lang.AssertionError: ',
      '',
      'Expected: a value greater than <0>',
      '     but: <0> was equal to <0>',
      '\tat sorald.miner.WarningMinerTest.extractWarnings_statsOutput_containsExpectedAttributes(WarningMinerTest.java:189)',
      '',
      '[INFO] Running sorald.CodeGeneratorTest',
    ].join('\n');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('surefire.failed');
    expect(analysis.failures[0]?.endLine).toBe(7);
  });

  it("lists after a Maven build's failure its closing report, `[ERROR] Failed to execute goal …` down to Jenkins' verdict", async () => {
    const log = [
      '[INFO] --- maven-compiler-plugin:3.8.1:compile (default-compile) @ jimfs ---',
      '[ERROR] /builds/jimfs/src/main/java/com/google/common/jimfs/JimfsFileSystemProvider.java:[147,78] incompatible types: java.nio.file.Path cannot be converted to com.google.common.jimfs.JimfsPath',
      '[INFO] 1 error',
      '[INFO] BUILD FAILURE',
      '[INFO] ------------------------------------------------------------------------',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.8.1:compile (default-compile) on project jimfs: Compilation failure',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] -> [Help 1]',
      '[ERROR] After correcting the problems, you can resume the build with the command',
      '[ERROR]   mvn <goals> -rf :jimfs',
      "Build step 'Execute shell' marked build as failure",
      'Sending e-mails to: dev@example.org',
      'Finished: FAILURE',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('javac.error');
    expect(predictionLines(analysis)).toEqual([2, 3, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("lists after a failure the error record of the PowerShell build script's throw that ends the step", async () => {
    // Prepare: a build script (`build.ps1`) runs `dotnet build`, which fails on a compiler error; the script then
    // throws, and PowerShell prints the error record (message, `At <script>:<line> char:<column>`, the statement and
    // its `~~~` marker, then the record's CategoryInfo and FullyQualifiedErrorId).
    const log = [
      '$ pwsh -File ./build.ps1',
      'Microsoft (R) Build Engine version 17.3.0+92e077650 for .NET',
      '  Shop.Core -> /home/travis/build/shop/src/Shop.Core/bin/Release/net6.0/Shop.Core.dll',
      '/home/travis/build/shop/src/Shop.Api/Controllers/CartController.cs(42,17): error CS0103: The name \'basket\' does not exist in the current context [/home/travis/build/shop/src/Shop.Api/Shop.Api.csproj]',
      '  Shop.Cli -> /home/travis/build/shop/src/Shop.Cli/bin/Release/net6.0/Shop.Cli.dll',
      'dotnet build failed with exit code 1',
      'At /home/travis/build/shop/build.ps1:27 char:5',
      '+     throw "dotnet build failed with exit code $LASTEXITCODE"',
      '+     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : OperationStopped: (dotnet build failed with exit code 1:String) [], RuntimeException',
      '    + FullyQualifiedErrorId : dotnet build failed with exit code 1',
      ' ',
      'The command "pwsh -File ./build.ps1" exited with 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('dotnet.build-error');
    expect(predictionLines(analysis)).toEqual([4, 6, 7, 8, 9, 10, 11]);
  });

  it("lists after a failure the error record of PowerShell 7's throw in its concise view (`Line |`), as `shell: pwsh` prints it", async () => {
    // Prepare: PowerShell 7 prints a script's terminating error in its default ConciseView: the error's type and
    // `<script>:<line>`, `Line |`, the line's number and statement, the `~~~` marker, then `     | ` and the message.
    // GitHub Actions runs a `shell: pwsh` step as a script in `_temp`, then reports the exit status.
    const log = [
      '##[group]Run ./build.ps1',
      './build.ps1',
      '##[endgroup]',
      'Microsoft (R) Build Engine version 17.3.0+92e077650 for .NET',
      '/home/runner/work/shop/shop/src/Shop.Api/Controllers/CartController.cs(42,17): error CS0103: The name \'basket\' does not exist in the current context [/home/runner/work/shop/shop/src/Shop.Api/Shop.Api.csproj]',
      'Exception: /home/runner/work/shop/shop/build.ps1:27',
      'Line |',
      '  27 |      throw "dotnet build failed with exit code $LASTEXITCODE"',
      '     |      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | dotnet build failed with exit code 1',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('dotnet.build-error');
    expect(predictionLines(analysis)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it("still reports PowerShell 7's record of a cmdlet's error (`ParentContainsErrorRecordException:`) as the failure when nothing failed above it", async () => {
    const log = [
      '##[group]Run $ErrorActionPreference = "Stop"',
      '$ErrorActionPreference = "Stop"',
      '##[endgroup]',
      'ParentContainsErrorRecordException: /home/runner/work/_temp/5b0e2c7a-8d61-4a8e-9d0c-3f2b7c1e9a44.ps1:3',
      'Line |',
      '   3 |  Invoke-WebRequest -Uri https://downloads.example.org/tool.zip -OutFile tool.zip',
      '     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | Response status code does not indicate success: 404 (Not Found).',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('powershell.error-view');
    expect(predictionLines(analysis)).toEqual([8, 4, 5, 6, 7]);
  });

  it("ranks PowerShell 7's record of a script's throw after what failed above it in the step, whatever its message", async () => {
    // Prepare: a build script stops with `throw "Packaging failed"` after the tool it ran printed why, in words only
    // the generic rules know: the record says that the script stopped, the tool's line why.
    const log = [
      '##[group]Run ./build.ps1 -Target Pack',
      './build.ps1 -Target Pack',
      '##[endgroup]',
      'Packing Shop.Api 2.4.0',
      "Error: Could not find a part of the path 'D:\\a\\shop\\shop\\artifacts\\Shop.Api.nuspec'.",
      'Exception: D:\\a\\shop\\shop\\build.ps1:41',
      'Line |',
      '  41 |      throw "Packaging failed"',
      '     |      ~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | Packaging failed',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('generic.error');
    expect(predictionLines(analysis)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it("ranks PowerShell 7's record after a failed test even with the run's summary between them (Pester 5 under -CI)", async () => {
    // Prepare: `Invoke-Pester -CI` reports the failed test, its summary line, then throws; the summary only says
    // that tests failed, the record that the run stopped.
    const log = [
      '##[group]Run Invoke-Pester -Output Detailed -CI',
      'Invoke-Pester -Output Detailed -CI',
      '##[endgroup]',
      'Describing Invoice',
      '  [+] sums the lines 9ms (6ms|3ms)',
      '  [-] rounds the tax 14ms (10ms|4ms)',
      '   Expected 0.81, but got 0.8.',
      '   at Get-Tax $invoice | Should -Be 0.81, /home/runner/work/shop/shop/tests/Invoice.Tests.ps1:22',
      'Tests completed in 301ms',
      'Tests Passed: 1, Failed: 1, Skipped: 0 NotRun: 0',
      'Exception: /home/runner/work/_temp/7d2e4f10-5a3b-4c6d-8e9f-0a1b2c3d4e5f.ps1:2',
      'Line |',
      '   2 |  Invoke-Pester -Output Detailed -CI',
      '     |  ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | Pester run failed, because 1 test failed',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('pester.failed');
    expect(analysis.failures.findIndex((f) => f.rule === 'powershell.error-view')).toBeGreaterThan(analysis.failures.findIndex((f) => f.rule === 'generic.failed'));
  });

  it("still reports PowerShell 7's record of a throw as the failure when only generic wording came before it in the step", async () => {
    // Prepare: a line the word rule reads (a file named for errors) is no failure the throw could close.
    const log = [
      '##[group]Run ./release.ps1',
      './release.ps1',
      '##[endgroup]',
      'Copying docs/errors.md',
      'Exception: /home/runner/work/shop/shop/release.ps1:12',
      'Line |',
      '  12 |      throw "Version 2.4.0 is already published; bump the version in Shop.props"',
      '     |      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | Version 2.4.0 is already published; bump the version in Shop.props',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('powershell.error-view');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(9);
  });

  it("still reports PowerShell 7's record of a throw as the failure when only a retried download's generic error came earlier in the step", async () => {
    // Prepare: a transient error the script retried past, several lines of work, then the script's own throw: the
    // retried download is no failure the throw could close.
    const log = [
      '##[group]Run ./publish.ps1',
      './publish.ps1',
      '##[endgroup]',
      'Error: Failed to download (attempt 1 of 3), retrying in 5s',
      'Downloaded nuget.exe 6.9.1',
      'Restoring packages for /home/runner/work/shop/shop/Shop.sln',
      'Restored 14 packages',
      'Packing Shop.Api 2.4.0',
      'Exception: /home/runner/work/shop/shop/publish.ps1:30',
      'Line |',
      '  30 |      throw "Signing certificate not found in the store"',
      '     |      ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      '     | Signing certificate not found in the store',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('powershell.error-view');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(13);
  });

  it("does not list as a failure's closing report an error record a test printed (`At line:N char:M`, no script file)", async () => {
    // Prepare: Pester's failed test, then the next test's output holds an error record of a script block.
    const log = [
      '$ pwsh -Command Invoke-Pester',
      'Describing Cart',
      '  [-] totals the items 41ms',
      '    Expected 3, but got 2.',
      '    12:         Get-Total $cart | Should -Be 3',
      '  [+] empties the cart 12ms',
      'Write-Output: A Using variable cannot be retrieved.',
      'At line:3 char:9',
      '+         Write-Output $using:Items',
      '+         ~~~~~~~~~~~~~~~~~~~~~~~~~',
      '    + CategoryInfo          : InvalidOperation: (:) [], RuntimeException',
      '    + FullyQualifiedErrorId : UsingWithoutInvokeCommand',
      'Tests Passed: 1, Failed: 1, Skipped: 0',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('pester.failed');
    expect(predictionLines(analysis)).toEqual([3, 4, 5]);
  });

  it("does not list as a failure's closing report a Maven report of another step", async () => {
    // Prepare: Jest fails in one step; a later step's Maven run fails on a rule of its own.
    const log = [
      '##[group]Run npm test',
      'npm test',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      ' FAIL  src/cart.test.js',
      '  ● cart › adds an item',
      '',
      '    expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: 2',
      '    Received: 1',
      '',
      'Tests:       1 failed, 4 passed, 5 total',
      '##[error]Process completed with exit code 1.',
      '##[group]Run mvn -B verify',
      'mvn -B verify',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:3.4.1:enforce (enforce-versions) on project api: Some Enforcer rules have failed.',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.step?.name).toBe('Run npm test');
    expect(predictionLines(analysis).filter((l) => l >= 15)).toEqual([]);
  });

  it("does not list as a failure's closing report a Maven report printed more than 500 lines under the failure's block", async () => {
    // Prepare: Jest fails, the step goes on for 900 lines, then a Maven run of the same step fails on its own.
    const log = [
      ' FAIL  src/cart.test.js',
      '  ● cart › adds an item',
      '',
      '    Expected: 2',
      '    Received: 1',
      ...Array.from({ length: 900 }, (_, i) => `[INFO] Downloaded from central: https://repo.example/a/${i}.jar`),
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-enforcer-plugin:3.4.1:enforce (enforce-versions) on project api: Some Enforcer rules have failed.',
      '[ERROR] ',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('jest.failed');
    expect(predictionLines(analysis).filter((l) => l > 905)).toEqual([]);
  });

  it("opens Maven's closing report on its goal line when another rule took that line for the cause it names", async () => {
    const log = [
      '[INFO] BUILD FAILURE',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.7.0:testCompile (default-testCompile) on project dspot: Fatal error compiling: java.io.IOException: No space left on device',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] Re-run Maven using the -X switch to enable full debug logging.',
      '[ERROR]   mvn <goals> -rf :dspot',
      "Build step 'Execute shell' marked build as failure",
      'Finished: FAILURE',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('infra.disk-full');
    expect(predictionLines(analysis)).toEqual([2, 3, 4, 5, 6, 7]);
  });

  it("still reports a cause printed only inside Maven's closing report (a forked VM's crash)", async () => {
    const log = [
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project shop: ',
      '[ERROR] ',
      '[ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?',
      '[ERROR] Process Exit Code: 1',
      '[ERROR] -> [Help 1]',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('surefire.fork-crash');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual([3, 4, 5, 1, 2]);
  });
});

/** How far a minitest report reaches. */
describe('the extent of a minitest failure', () => {
  it("ends a minitest failure at the next test's `Skipped:` report", async () => {
    // Prepare: minitest-reporters' default reporter prints each failure, error and skip as it happens, one
    // `Failure:` / `Skipped:` heading, the test and its location, the message, then a blank line.
    const log = [
      'Started with run options --seed 4242',
      '',
      'Failure:',
      'CartTest#test_total_includes_tax [/home/runner/work/shop/shop/test/cart_test.rb:18]:',
      'Expected: 10.8',
      '  Actual: 10.0',
      '',
      'Skipped:',
      'CartTest#test_currency_rounding [/home/runner/work/shop/shop/test/cart_test.rb:31]:',
      'rounding rules pending',
      '',
      '  12/12: [=================================] 100% Time: 00:00:00, Time: 00:00:00',
      '',
      'Finished in 0.08s',
      '12 tests, 20 assertions, 1 failures, 0 errors, 1 skips',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
    expect(predictionLines(analysis)).toEqual([3, 4, 5, 6]);
  });
});

/** How far a compiler's diagnostic reaches. */
describe('the extent of a C compiler diagnostic', () => {
  it("takes into a clang error the source line it quotes (not indented, no `|` gutter), the caret and clang's count", async () => {
    // Prepare: clang (and gcc before 9) quote the offending source line as it is, then the caret line, and clang ends
    // a translation unit's diagnostics with `N error(s) generated.`; `go build` prints cgo's that way too.
    const log = [
      '$ make',
      'cc -O2 -Wall -c -o net/poll.o net/poll.c',
      'net/poll.c:31:10: fatal error: \'sys/epoll.h\' file not found',
      '#include <sys/epoll.h>',
      '         ^~~~~~~~~~~~~',
      '1 error generated.',
      'make: *** [net/poll.o] Error 1',
      'The command "make" exited with 2.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(predictionLines(analysis)).toEqual([3, 4, 5, 6]);
  });

  it('does not take into a clang error the next diagnostic, nor a quoted line after a blank one', async () => {
    const log = [
      'src/ring.c:12:3: error: use of undeclared identifier \'head\'',
      '  head = 0;',
      '  ^',
      'src/ring.c:20:9: error: use of undeclared identifier \'tail\'',
      '',
      'building src/queue.c',
      'make: *** [src/ring.o] Error 1',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    const blocks = analysis.failures.filter((f) => f.rule === 'cc.error').map((f) => [f.startLine, f.endLine]);
    expect(blocks).toEqual([[1, 3], [4, 4]]);
  });
  it("does not take ninja's next progress line (`[2/3] …`), its `FAILED:` or the runner's exit line as the quoted source", async () => {
    // Prepare: CMake's Ninja generator prints `[n/m] Building C object …` before each step and `FAILED: target`
    // before the failing command's output; GitHub Actions closes the step with `Error: Process completed …`.
    const log = [
      '[1/3] Building C object CMakeFiles/ring.dir/src/a.c.o',
      "src/a.c:3:5: error: use of undeclared identifier 'head'",
      '[2/3] Building C object CMakeFiles/ring.dir/src/b.c.o',
      'FAILED: CMakeFiles/ring.dir/src/a.c.o',
      "src/a.c:9:5: error: use of undeclared identifier 'tail'",
      'FAILED: CMakeFiles/ring.dir/src/c.c.o',
      "src/c.c:2:1: error: unknown type name 'size'",
      '##[error]Process completed with exit code 1.',
      "src/d.c:2:1: error: unknown type name 'ssize'",
      'Error: Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    const blocks = analysis.failures.filter((f) => f.rule === 'cc.error').map((f) => [f.startLine, f.endLine]);
    expect(blocks).toEqual([[2, 2], [5, 5], [7, 7], [9, 9]]);
  });
});

/** Which line of an Xcode test run comes first. */
describe('an Xcode test run piped through xcpretty', () => {
  it("puts xcpretty's failed test (`✗ testName, reason`) before xcodebuild's list of failing test names", async () => {
    // Prepare: xcpretty's simple formatter prints each test as `    ✓ testName (0.012 seconds)` or, failed,
    // `    ✗ testName, reason`; xcodebuild closes the run with `Failing tests:` and the tests' names only.
    const log = [
      '$ set -o pipefail && xcodebuild -scheme Cart -destination "platform=iOS Simulator,name=iPhone 8" test | xcpretty',
      'Test Suite Cart Tests.xctest started',
      'CartTests',
      '    ✓ testAddsAnItem (0.004 seconds)',
      '    ✗ testTotalIncludesTax, XCTAssertEqual failed: ("10.0") is not equal to ("10.8")',
      '    ✓ testEmptiesTheCart (0.002 seconds)',
      '',
      '',
      '\t Executed 3 tests, with 1 failure (0 unexpected) in 0.021 (0.034) seconds',
      '',
      'Failing tests:',
      '\tCart Tests:',
      '\t\tCartTests.testTotalIncludesTax()',
      '',
      '** TEST FAILED **',
      'The command "set -o pipefail && xcodebuild -scheme Cart test | xcpretty" exited with 65.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('xcpretty.test-failed');
    expect(predictionLines(analysis)[0]).toBe(5);
  });

  it("lists xcpretty's summary of each failure: the suite, the test and why, the file, the code between its fences", async () => {
    // Prepare: xcpretty's formatter ends the run with each failure under its suite (format_failures): `  testName,
    // reason`, `  /path/File.swift:42`, then a snippet of the code between two `  ```` fences; failures one blank
    // line apart. A failure for a reason no assertion names (a timeout) reads the same.
    const log = [
      'CartTests',
      '    ✗ testTotalIncludesTax, Asynchronous wait failed: Exceeded timeout of 5 seconds, with unfulfilled expectations: "total".',
      '    ✓ testEmptiesTheCart (0.002 seconds)',
      '',
      '',
      'Cart_Tests.CartTests',
      '  testTotalIncludesTax, Asynchronous wait failed: Exceeded timeout of 5 seconds, with unfulfilled expectations: "total".',
      '  /Users/runner/work/cart/cart/Tests/CartTests.swift:42',
      '  ```',
      '        waitForExpectations(timeout: 5)',
      '  ```',
      '',
      '  testTaxRounding, XCTAssertEqual failed: ("0.8") is not equal to ("0.81")',
      '  /Users/runner/work/cart/cart/Tests/CartTests.swift:57',
      '  ```',
      '        XCTAssertEqual(tax, 0.81)',
      '  ```',
      '',
      '',
      '\t Executed 3 tests, with 2 failures (0 unexpected) in 5.021 (5.034) seconds',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures[0]?.rule).toBe('xcpretty.failure-summary');
    expect(predictionLines(analysis)).toEqual([7, 6, 8, 9, 10, 11, 13, 14, 15, 16, 17]);
  });

  it("puts xcpretty's summary of a failure (its file and code) before the failed test's line in the progress", async () => {
    // Prepare: after the run xcpretty repeats each failure under its suite, with the file and a snippet of the code.
    const log = [
      'CartTests',
      '    ✓ testAddsAnItem (0.004 seconds)',
      '    ✗ testTotalIncludesTax, XCTAssertEqual failed: ("10.0") is not equal to ("10.8")',
      '',
      '',
      'CartTests',
      '  testTotalIncludesTax, XCTAssertEqual failed: ("10.0") is not equal to ("10.8")',
      '  /Users/runner/work/cart/cart/Tests/CartTests.swift:42',
      '  ```',
      '        let cart = Cart(items: [book])',
      '        XCTAssertEqual(cart.total, 10.8)',
      '  ```',
      '',
      '',
      '\t Executed 2 tests, with 1 failure (0 unexpected) in 0.011 (0.020) seconds',
    ].join('\n');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('xcpretty.failure-summary');
    expect(predictionLines(analysis)[0]).toBe(7);
  });
  it("does not read an indented `testName, reason` pair as xcpretty's summary without the file under it", async () => {
    // Prepare: a dependency listing whose first name begins with `test` (`testfixtures`), indented under a bare word
    // like xcpretty's suite; xcpretty's summary (format_failure) always prints the test's `  /path/File.swift:NN`
    // right under the test's line, and this listing has none.
    const log = [
      'Dependencies',
      '  testfixtures, 7.0.0',
      '  requests, 2.31',
      'Done',
      'Error: Process completed with exit code 1.',
    ].join('\n');
    const analysis = await analyzeLog(log, { maxFailures: 50 });
    expect(analysis.failures.map((f) => f.rule)).not.toContain('xcpretty.failure-summary');
  });
});

/** How far a link checker's report reaches. */
describe('the extent of a link checker report', () => {
  it("lists awesome_bot's issues report, `> Links` with each failing link down to its `> Dupes` list, first", async () => {
    // Prepare: awesome_bot (lib/awesome_bot/cli.rb) prints its progress, the white-listed links, then `Issues :-(` and
    // the links that failed (`  NN. [Lnnnn] status url` plus ` → location` for a redirect, the error for a link it
    // could not open) and the duplicated ones, then the results file; the shell's exit marker follows.
    const log = [
      '$ awesome_bot README.md --allow-redirect --white-list example.org',
      '> Checking links in README.md',
      '> Will allow redirects',
      'Links to check: 212',
      '  001. https://github.com/octo/widget',
      '  002. https://docs.example.com/guide',
      'Checking URLs: ✓✓✓x✓✓→✓✓x',
      '',
      '> White listed:',
      '  1. [L0040] 200 https://example.org/logo.png  ',
      '',
      'Issues :-(',
      '> Links ',
      '  1. [L0117] 404 https://widgets.example.net/old-page  ',
      '  2. [L0198]  https://gone.example.io Failed to open TCP connection to gone.example.io:443 (getaddrinfo: Name or service not known) ',
      '> Dupes ',
      '  1. [L0061] https://github.com/octo/widget',
      '',
      'Wrote results to ab-results-README.md.json',
      'The command "awesome_bot README.md --allow-redirect --white-list example.org" exited with 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('awesome-bot.issues');
    expect(predictionLines(analysis)).toEqual([13, 14, 15, 16, 17]);
  });
});

/** A build script that failed under cargo, and GHC's errors under cabal or stack. */
describe('the extent of a build tool report that quotes what failed', () => {
  it("lists of a failed build script its headline and its stderr, not the environment its stdout dumps (cargo's indented report)", async () => {
    // Prepare: cargo quotes the script's whole output under `Caused by:`, two spaces in: `--- stdout` (the cargo:
    // directives and the environment it read), then `--- stderr`, where the script says why it stopped.
    const log = [
      '   Compiling libc v0.2.155',
      '   Compiling sqlite-sys v0.4.1',
      'error: failed to run custom build command for `sqlite-sys v0.4.1`',
      '',
      'Caused by:',
      "  process didn't exit successfully: `/home/runner/work/db/db/target/debug/build/sqlite-sys-0a1b2c3d4e5f6a7b/build-script-build` (exit status: 101)",
      '  --- stdout',
      '  cargo:rerun-if-env-changed=SQLITE_SYS_STATIC',
      '  cargo:rerun-if-env-changed=PKG_CONFIG_PATH',
      '  PKG_CONFIG_PATH unset',
      '  cargo:rerun-if-env-changed=SQLITE3_LIB_DIR',
      '  SQLITE3_LIB_DIR unset',
      '',
      '  --- stderr',
      '  thread \'main\' panicked at build.rs:41:10:',
      '  sqlite3 not found: install libsqlite3-dev or set SQLITE3_LIB_DIR',
      '  note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace',
      'warning: build failed, waiting for other jobs to finish...',
      '##[error]Process completed with exit code 101.',
    ];
    const at = (text: string): number => log.indexOf(text) + 1;
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cargo.build-script');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(at("  thread 'main' panicked at build.rs:41:10:"));
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([3, at('  --- stderr'), 15, 16, 17]);
  });

  it('lists the compiler error a build script\'s C build echoed to its stdout, and shows it first (cc-rs)', async () => {
    // Prepare: cc-rs passes the compiler's messages on as `cargo:warning=` lines of the script's stdout and says
    // only that the command failed on its stderr (`error occurred: …`); cargo before 1.52 printed the sections
    // flush left.
    const log = [
      'error: failed to run custom build command for `zstd-sys v2.0.9+zstd.1.5.5`',
      "process didn't exit successfully: `/build/target/release/build/zstd-sys-9f8e7d6c5b4a3921/build-script-build` (exit status: 1)",
      '--- stdout',
      'TARGET = Some("aarch64-unknown-linux-gnu")',
      'OPT_LEVEL = Some("3")',
      'HOST = Some("x86_64-unknown-linux-gnu")',
      'CC_aarch64-unknown-linux-gnu = None',
      'running: "aarch64-linux-gnu-gcc" "-O3" "-c" "zstd/lib/common/entropy_common.c"',
      'cargo:warning=zstd/lib/common/entropy_common.c:15:10: fatal error: stdlib.h: No such file or directory',
      'cargo:warning=compilation terminated.',
      'exit status: 1',
      '',
      '--- stderr',
      '',
      '',
      'error occurred: Command "aarch64-linux-gnu-gcc" "-O3" "-c" "zstd/lib/common/entropy_common.c" with args "aarch64-linux-gnu-gcc" did not execute successfully (status code exit status: 1).',
      '',
      '',
      'warning: build failed, waiting for other jobs to finish...',
    ];
    const fatal = log.findIndex((l) => l.includes('fatal error:')) + 1;
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cargo.build-script');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(fatal);
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([1, fatal, 13, 16]);
  });

  it("lists of a wheel pip could not build the headline, the compiler's error and the lines under it, pip's verdict naming the wheel, not the build's output", async () => {
    for (const compiled of [50, 400]) {
      // Prepare: pip quotes the build backend's whole output between `╰─> [N lines of output]` and `[end of output]`,
      // six spaces in: a C extension's build prints a compiler command per source file before the one that fails.
      const commands = Array.from({ length: compiled }, (_, i) => `      gcc -pthread -fPIC -I/usr/include/python3.12 -c src/part${i}.c -o build/temp.linux-x86_64-cpython-312/src/part${i}.o`);
      const log = [
        'Building wheels for collected packages: fastgeo',
        '  Building wheel for fastgeo (pyproject.toml): started',
        "  Building wheel for fastgeo (pyproject.toml): finished with status 'error'",
        '  error: subprocess-exited-with-error',
        '  ',
        '  × Building wheel for fastgeo (pyproject.toml) did not run successfully.',
        '  │ exit code: 1',
        `  ╰─> [${compiled + 8} lines of output]`,
        '      running bdist_wheel',
        '      running build_ext',
        ...commands,
        '      src/fastgeo.c:3:10: fatal error: Python.h: No such file or directory',
        '          3 | #include <Python.h>',
        '            |          ^~~~~~~~~~',
        '      compilation terminated.',
        "      error: command '/usr/bin/gcc' failed with exit code 1",
        '      [end of output]',
        '  ',
        '  note: This error originates from a subprocess, and is likely not a problem with pip.',
        '  ERROR: Failed building wheel for fastgeo',
        'Failed to build fastgeo',
        'ERROR: Could not build wheels for fastgeo, which is required to install pyproject.toml-based projects',
      ];
      const fatal = log.findIndex((l) => l.includes('fatal error: Python.h')) + 1;
      // Act
      const analysis = await analyzeLog(log.join('\n'), { maxFailures: 50 });
      // Assert
      expect(analysis.failures[0]?.rule, `${compiled} compiled`).toBe('pip.subprocess-error');
      expect(analysis.failures[0]?.lines[0]?.line, `${compiled} compiled`).toBe(fatal);
      expect([...predictionLines(analysis)].sort((a, b) => a - b), `${compiled} compiled`).toEqual([6, fatal, fatal + 1, fatal + 2, fatal + 3, fatal + 4, fatal + 8]);
    }
  });

  it("lists of a failed build script with no stderr section its headline and the end of what it printed, not a whole environment dump", async () => {
    // Prepare: a script that exits without a word on stderr; its stdout, the environment it read, runs long.
    const dump = Array.from({ length: 300 }, (_, i) => `  cargo:rerun-if-env-changed=FOO_SYS_VAR_${i}`);
    const log = [
      'error: failed to run custom build command for `foo-sys v0.1.0`',
      '',
      'Caused by:',
      "  process didn't exit successfully: `/home/runner/work/foo/foo/target/debug/build/foo-sys-0a1b2c3d4e5f6a7b/build-script-build` (exit status: 1)",
      '  --- stdout',
      ...dump,
      '  checking for libfoo... no',
      'warning: build failed, waiting for other jobs to finish...',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cargo.build-script');
    const predicted = predictionLines(analysis);
    expect(predicted).toContain(1);
    expect(predicted).toContain(4);
    expect(predicted).toContain(log.indexOf('  checking for libfoo... no') + 1);
    expect(predicted.length).toBeLessThanOrEqual(40);
  });

  it("lists rustc's link failure, under the build-script rule's headline, whole: it quotes no script's output", async () => {
    // Prepare: `error: linking with `cc` failed`, the linker's command and its messages as `= note:` lines.
    const log = [
      'error: linking with `cc` failed: exit status: 1',
      '  |',
      '  = note: LC_ALL="C" PATH="/usr/bin:/bin" VSLANG="1033" "cc" "-m64" "/tmp/rustc4Xk2qP/symbols.o" "-o" "/home/runner/work/app/app/target/debug/deps/app-1a2b3c4d" "-lssl" "-lcrypto"',
      '  = note: /usr/bin/ld: cannot find -lssl: No such file or directory',
      '          /usr/bin/ld: cannot find -lcrypto: No such file or directory',
      '          collect2: error: ld returned 1 exit status',
      '',
      'error: could not compile `app` (bin "app") due to 1 previous error',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cargo.build-script');
    expect(predictionLines(analysis)).toEqual([4, 1, 2, 3, 5, 6]);
  });

  it("reads GHC's errors with their code frames, over the modules compiled between them, and a span of lines (cabal build)", async () => {
    // Prepare: GHC 9.4+ prints a blank line, `path:line:col: error: [GHC-NNNNN]`, the message four spaces in, then
    // the code frame (`   |`, `NN | code`); an error over several lines is placed `path:(l1,c1)-(l2,c2)`. Cabal's
    // progress goes on between two modules' errors, a module's name may hold a word the generic rules read.
    const log = [
      'Building library for shop-0.1.0.0...',
      '[1 of 5] Compiling Shop.Error       ( src/Shop/Error.hs, dist-newstyle/build/x86_64-linux/ghc-9.6.5/shop-0.1.0.0/build/Shop/Error.o )',
      '[2 of 5] Compiling Shop.Cart        ( src/Shop/Cart.hs, dist-newstyle/build/x86_64-linux/ghc-9.6.5/shop-0.1.0.0/build/Shop/Cart.o )',
      '',
      'src/Shop/Cart.hs:27:9: error: [GHC-88464]',
      '    Variable not in scope: subtotal :: [Item] -> Int',
      '    Suggested fix:',
      '      Perhaps use ‘total’ (imported from Shop.Money)',
      '   |',
      '27 |   pure (subtotal items)',
      '   |         ^^^^^^^^',
      '[3 of 5] Compiling Shop.Report      ( src/Shop/Report.hs, dist-newstyle/build/x86_64-linux/ghc-9.6.5/shop-0.1.0.0/build/Shop/Report.o )',
      '',
      'src/Shop/Report.hs:(12,1)-(14,22): error: [GHC-62161] [-Wincomplete-patterns, Werror=incomplete-patterns]',
      '    Pattern match(es) are non-exhaustive',
      '    In an equation for ‘render’: Patterns of type ‘Line’ not matched: Refund _',
      '   |',
      '12 | render (Sale n) = show n',
      '   | ^^^^^^^^^^^^^^^^^^^^^^^^...',
      'Error: [Cabal-7125]',
      'Failed to build shop-0.1.0.0.',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'), { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ghc.error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 19]);
    // The progress lines are no failure of their own.
    expect(analysis.failures.filter((f) => f.startLine <= 3 || f.startLine === 12)).toEqual([]);
  });

  it("does not end a GHC error at the progress lines printed between its headline and its message, nor take those after it", async () => {
    // Prepare: GHC writes its errors to stderr and its progress to stdout; a log that joins the two streams (docker
    // build, a parallel build) can put the next modules' progress lines between an error's headline and its message.
    const log = [
      '[4 of 9] Compiling Tool.Parse      ( src/Tool/Parse.hs, dist/build/Tool/Parse.o )',
      '',
      'src/Tool/Parse.hs:51:3: error:',
      '[5 of 9] Compiling Tool.Options    ( src/Tool/Options.hs, dist/build/Tool/Options.o )',
      '[6 of 9] Compiling Tool.Error      ( src/Tool/Error.hs, dist/build/Tool/Error.o )',
      '    • No instance for (Show Token) arising from a use of ‘show’',
      '    • In the expression: show tok',
      '[7 of 9] Compiling Tool.Render     ( src/Tool/Render.hs, dist/build/Tool/Render.o )',
      '[8 of 9] Compiling Tool.Main       ( src/Tool/Main.hs, dist/build/Tool/Main.o )',
      '[9 of 9] Compiling Tool.Cli        ( src/Tool/Cli.hs, dist/build/Tool/Cli.o )',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'), { maxFailures: 50 });
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ghc.error');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual([3, 4, 5, 6, 7]);
    expect(analysis.failures).toHaveLength(1);
  });
});

/** Line lengths up to twice the 4 KB the scanner reads of a line. */
const LINE_COST_SIZES = [1_000, 2_000, 4_000, 8_000];
const ruleById = (id: string): Rule => {
  const rule = [...RULES, ...CASCADE_RULES, ...GENERIC_RULES].find((r) => r.id === id);
  if (rule === undefined) throw new Error(`no rule ${id}`);
  return rule;
};

/** The expressions the extent of a report added, each on a line built to make a backtracking one try every split. */
describe('the expressions that find a report\'s extent', () => {
  it.each([
    ['pytest.failed tally', ruleById('pytest.failed').tally, '= ', '1 failed in 1s ', 'x'],
    ['pytest.failed tally, one count', ruleById('pytest.failed').tally, '= 1 failed ', 'in 1s ', 'x'],
    ['pytest.failed end', ruleById('pytest.failed').end, '--- coverage: ', '- --- ', 'x'],
    ['nextest.failed tally', ruleById('nextest.failed').tally, 'Summary [ 1s] 1 tests run: ', '1 passed, ', 'x'],
    ['nextest.failed key line under the pick', ruleById('nextest.failed').keyLines?.underPick, '  --> ', 'a:1:1', 'x'],
    ['nextest.failed key line after', ruleById('nextest.failed').keyLines?.after, "thread '", "' panicked at a:1:1 ", 'x'],
    ['nextest.failed pick', ruleById('nextest.failed').pick?.[1]?.re, "thread '", "' (1) ", 'x'],
    ['mypy.error file', ruleById('mypy.error').fileOf, '', 'a.py.', 'x'],
    ['mypy.error tally', ruleById('mypy.error').tally, 'Found 1 errors in 1 files (checked ', '1', 'x'],
    ['surefire.failed continuation', ruleById('surefire.failed').cont, '', ' \t', 'x'],
    ['cascade.maven-goal closing', ruleById('cascade.maven-goal').closing?.through, "Build step '", "x' marked ", 'x'],
    ['cascade.pwsh-error-record headline', ruleById('cascade.pwsh-error-record').re, 'At a', ':1 char:1 ', 'x'],
    ['cc.error quoted source line', ruleById('cc.error').contAfter?.re, '', 'a:1:1', 'x'],
    ['cc.error quoted source line, ninja progress', ruleById('cc.error').contAfter?.re, '[', '1', '/'],
    ['cc.error continuation, a note\'s location', ruleById('cc.error').cont, '', 'a.', ':1'],
    ['cc.error continuation, an included file', ruleById('cc.error').cont, 'from ', 'a:1', 'x'],
    ['cc.error continuation, clang\'s count', ruleById('cc.error').cont, ' ', '1', ' errors generated'],
    ['xcpretty.test-failed headline', ruleById('xcpretty.test-failed').re, '  ✗ test', 'a', '()'],
    ['xcpretty.test-failed headline, spaces', ruleById('xcpretty.test-failed').re, '', ' ', '✗'],
    ['xcpretty.failure-summary headline', ruleById('xcpretty.failure-summary').re, '  test', 'a', '(),'],
    ['xcpretty.failure-summary end', ruleById('xcpretty.failure-summary').end, '', ' ', 'Executed 1 tests'],
    ['xcpretty.failure-summary suite (look-back)', ruleById('xcpretty.failure-summary').lookback?.re, 'a', 'a.', ' '],
    ['xcpretty.failure-summary suite (under)', ruleById('xcpretty.failure-summary').under?.header, 'a', 'a.', ' '],
    ['xcpretty.failure-summary location under the test', ruleById('xcpretty.failure-summary').nextLine, '  a', ':1', 'x'],
    ['minitest.failed end, a numbered report', ruleById('minitest.failed').end, '', ' ', '1) Skipped'],
    ['minitest.failed end, a heading', ruleById('minitest.failed').end, 'Skipped:', ' ', 'x'],
    ['powershell.error continuation', ruleById('powershell.error').cont, 'At line:', '1', ' char:x'],
    ['powershell.error-view headline', ruleById('powershell.error-view').re, 'Exception: /', 'a.ps1:1', 'x'],
    ['powershell.error-view headline, the type', ruleById('powershell.error-view').re, 'A', 'Error', ': x'],
    ['powershell.error-view closing', ruleById('powershell.error-view').closing?.through, '', ' ', '1x'],
    ['cascade.pwsh-error-record closing', ruleById('cascade.pwsh-error-record').closing?.through, '', ' ', 'x'],
    ['awesome-bot.issues headline', ruleById('awesome-bot.issues').re, 'Issues :-(', ' ', ''],
    ['ghc.error headline', ruleById('ghc.error').re, 'a', '.hs:1:1', 'x'],
    ['ghc.error headline, a span of lines', ruleById('ghc.error').re, 'a.hs:(', '1', ',1)-(1,1)x'],
    ['ghc.error code frame', ruleById('ghc.error').cont, '', ' ', '1x'],
    ['ghc.error progress passed over', ruleById('ghc.error').interleaved?.re, '[', ' ', '1 of 1] x'],
    ['cargo.build-script stderr section', ruleById('cargo.build-script').keyLines?.from, '', ' ', '--- stderrx'],
    ['cargo.build-script stdout errors', ruleById('cargo.build-script').keyLines?.also, '', ' =error', 'x'],
    ['cargo.build-script cc-rs pick', ruleById('cargo.build-script').pick?.[4]?.re, '', ' ', 'error occurred in x'],
    ['cascade.haskell-build headline', ruleById('cascade.haskell-build').re, 'Error: [Cabal-', '1', 'x'],
    ['noise, GHC progress', NOISE_RE, '[', ' 1', ' of 1] x'],
    ['tasty.failed headline', ruleById('tasty.failed').re, ' a', ': ', 'FAIL (1sx'],
    ['tasty.failed headline, padding', ruleById('tasty.failed').re, ' a:', ' ', 'FAIL x'],
    ['tasty.failed tally', ruleById('tasty.failed').tally, '1 out of ', '1', ' tests failed x'],
    ['tasty.failed headline, flush left', ruleById('tasty.failed').re, 'a', ': ', 'FAIL (1.00sx'],
    ['tasty.failed confirmed by the time', ruleById('tasty.failed').confirmedBy, 'a', ': ', 'FAIL (1.00sx'],
    ['tasty.failed confirmed by the rerun hint', ruleById('tasty.failed').confirmedBy, "  Use -p '", "'", ' to rerun x'],
    ['ctest.failed key lines under the pick, end', ruleById('ctest.failed').keyLines?.belowPick?.end, '', 'a:1', ': x'],
    ['ctest.failed key lines under the pick, end at a rule', ruleById('ctest.failed').keyLines?.belowPick?.end, '', '-=', 'x'],
    ['ctest.failed headline', ruleById('ctest.failed').re, '1/1 Test #1: ', '.**', 'x'],
    ['ctest.failed end', ruleById('ctest.failed').end, ' ', ' ', '1x'],
    ['diff.unified headline, rustfmt\'s hunk', ruleById('diff.unified').re, 'Diff in a', ':1', 'x'],
    ['diff.unified headline, gofmt\'s file', ruleById('diff.unified').re, '--- a', '.orig', 'x'],
    ['diff.unified look-back, gofmt\'s diff line', ruleById('diff.unified').lookback?.re, 'diff a', '.orig', ' a b'],
    ['diff.unified end, git\'s extended headers', ruleById('diff.unified').end, 'rename from', ' ', ''],
    ['npm.audit-endpoint headline, npm 6', ruleById('npm.audit-endpoint').re, 'npm ERR! audit Your configured registry (', ')', ' x'],
    ['sphinx.warnings-as-errors pick', ruleById('sphinx.warnings-as-errors').pick?.[0]?.re, '', ': WARNING:', 'x'],
    ['prefilter start, rustfmt\'s hunk', PREFILTER_START_RE, 'Diff in a', ':1', ' x'],
    ['prefilter start, gofmt\'s file', PREFILTER_START_RE, '--- a', '.orig', 'x'],
    ['pip.subprocess-error headline', ruleById('pip.subprocess-error').re, '× ', ' ', 'did not run successfullyx'],
    ['pip.subprocess-error end', ruleById('pip.subprocess-error').end, '', ' ', '[end of output]x'],
    ['pip.subprocess-error pick, a compiler error', ruleById('pip.subprocess-error').pick?.[0]?.re, ' a', ':1', 'x'],
    ['pip.subprocess-error pick, an exception', ruleById('pip.subprocess-error').pick?.[1]?.re, ' A', '.A', 'x'],
    ['pip.subprocess-error pick, an error', ruleById('pip.subprocess-error').pick?.[2]?.re, '', ' ', "error: command 'x"],
    ['ctest.failed pick', ruleById('ctest.failed').pick?.[0]?.re, '', 'a:1', ': Failurex'],
    ['ctest.failed headline, a Windows exception code', ruleById('ctest.failed').re, '1/1 Test #1: ', '...Exit code 0x1', 'x'],
    ['node-test.failed headline', ruleById('node-test.failed').re, '✖ ', ' (1', 'ms)x'],
    ['node-test.failed pick', ruleById('node-test.failed').pick?.[0]?.re, ' ', 'A', 'x'],
    ['prefilter start, a script\'s error record', PREFILTER_START_RE, 'At a', ':1 char:1 ', 'x'],
    ['prefilter start, xcpretty\'s summary', PREFILTER_START_RE, '  test', 'a', '()'],
    ['prefilter start, awesome_bot', PREFILTER_START_RE, 'Issues :-(', ' ', ''],
  ])('reads a long line in linear time: %s', { timeout: 120_000 }, (_name, re, head, unit, tail) => {
    if (re === undefined) throw new Error('no expression');
    const textOf = (size: number) => head + unit.repeat(Math.floor(size / unit.length)) + tail;
    expect(cpuGrowthExponent(LINE_COST_SIZES, textOf, (text) => re.test(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
