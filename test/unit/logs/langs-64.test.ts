import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';

/** A step that failed with `exitCode`, its lines. */
const failedStepLines = (script: string, output: readonly string[], exitCode: number): string[] =>
  ghaStep(script, output, { exitCode });

/**
 * Toolchains session 64 ran for real (test/fixtures/gha-real-tools, "Session 64: new toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from.
 */
describe('reports of new toolchains (session 64)', () => {
  it("JSHint: each `file: line L, col C, message` finding is listed, the first shown first, `N errors` its tally", async () => {
    // Prepare: JSHint 2.13.6's default reporter, two findings in one file.
    const log = failedStepLines('npx jshint lib2/', [
      "lib2/tax.js: line 5, col 69, Missing semicolon.",
      "lib2/tax.js: line 7, col 3, Unreachable 'console' after 'return'.",
      "",
      "2 errors",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'lib2/tax.js: line 5,'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'lib2/tax.js: line 7,'));
    expect(analysis.category).toBe('lint');
  });

  it("puppet-lint: `path - ERROR|WARNING: message on line N (check: name)`, an ERROR before the warnings", async () => {
    // Prepare: puppet-lint 3.0.1 over two manifests outside an autoload layout (ERROR) with style warnings.
    const log = failedStepLines('puppet-lint manifests', [
      "manifests/init.pp - ERROR: web not in autoload module layout on line 2 (check: autoloader_layout)",
      "manifests/init.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 10) on line 8 (check: arrow_alignment)",
      "manifests/vhost.pp - ERROR: web::vhost not in autoload module layout on line 2 (check: autoloader_layout)",
      "manifests/vhost.pp - WARNING: variable not enclosed in {} on line 5 (check: variables_not_enclosed)",
      "manifests/vhost.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 12) on line 4 (check: arrow_alignment)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'manifests/init.pp - ERROR: '));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'manifests/vhost.pp - ERROR: '));
    expect(analysis.category).toBe('lint');
  });

  it("puppet-lint: its warnings fail a `--fail-on-warnings` run and are its report", async () => {
    // Prepare: puppet-lint 3.0.1, warnings only.
    const log = failedStepLines('puppet-lint --fail-on-warnings --relative manifests', [
      "manifests/init.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 10) on line 8 (check: arrow_alignment)",
      "manifests/vhost.pp - WARNING: variable not enclosed in {} on line 5 (check: variables_not_enclosed)",
      "manifests/vhost.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 12) on line 4 (check: arrow_alignment)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'manifests/init.pp - WARNING: '));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'manifests/vhost.pp - WARNING: variable'), lineOf(log, 'manifests/vhost.pp - WARNING: indentation')]));
    expect(analysis.category).toBe('lint');
  });

  it("puppet-lint: the warnings of a run without --fail-on-warnings, which passed, rank below the next step's failure", async () => {
    // Prepare: puppet-lint 3.0.1's warnings (exit 0), then JSHint's findings in the next step.
    const log = [
      ...ghaStep('puppet-lint --relative manifests', [
      "manifests/init.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 10) on line 8 (check: arrow_alignment)",
      "manifests/vhost.pp - WARNING: variable not enclosed in {} on line 5 (check: variables_not_enclosed)",
      "manifests/vhost.pp - WARNING: indentation of => is not properly aligned (expected in column 13, but found it in column 12) on line 4 (check: arrow_alignment)",
    ], { exitCode: null }),
      ...failedStepLines('npx jshint lib2/', [
      "lib2/tax.js: line 5, col 69, Missing semicolon.",
      "lib2/tax.js: line 7, col 3, Unreachable 'console' after 'return'.",
      "",
      "2 errors",
    ], 2),
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'lib2/tax.js: line 5,'));
  });

  it("Verilator: a `%Warning-CODE: file:L:C:` report under -Wall is the finding, not `%Error: Exiting due to N warning(s)`", async () => {
    // Prepare: Verilator 5.006 --lint-only -Wall, an unused signal.
    const log = failedStepLines('verilator --lint-only -Wall rtl/shift.v', [
      "%Warning-UNUSEDSIGNAL: rtl/shift.v:8:10: Signal is not driven, nor used: 'spare'",
      "                                       : ... In instance shift",
      "    8 |     wire spare;",
      "      |          ^~~~~",
      "                       ... For warning description see https://verilator.org/warn/UNUSEDSIGNAL?v=5.006",
      "                       ... Use \"/* verilator lint_off UNUSEDSIGNAL */\" and lint_on around source to disable this message.",
      "%Error: Exiting due to 1 warning(s)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '%Warning-UNUSEDSIGNAL: '));
    expect(predictionLines(analysis)).toContain(lineOf(log, '%Error: Exiting due to 1 warning(s)'));
    expect(analysis.category).toBe('lint');
  });

  it("Verilator: a `%Error: file:L:C:` report is a compile error", async () => {
    // Prepare: Verilator 5.006, an undeclared variable.
    const log = failedStepLines('verilator --lint-only -Wall rtl/mux.v', [
      "%Error: rtl/mux.v:8:9: Can't find definition of variable: 'bogus'",
      "    8 |         bogus = 1;",
      "      |         ^~~~~",
      "%Error: Exiting due to 1 error(s)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '%Error: rtl/mux.v:8:9: '));
    expect(analysis.category).toBe('compilation');
  });

  it("ERT: each failed test's `Test x condition:` report is listed with its `FAILED  n/m  x` line", async () => {
    // Prepare: Emacs 28.2 ERT in batch mode, a failed `should` and a `should-error` that did not signal.
    const log = failedStepLines('emacs -Q -batch -L . -L test -l ert -l test/kv-test.el -f ert-run-tests-batch-and-exit', [
      "Running 3 tests (2026-11-29 05:11:59+0000, selector ‘t’)",
      "Test kv-gets-value backtrace:",
      "  signal(ert-test-failed (((should (equal (kv-get (kv-parse \"a=1;b=2\")",
      "  ert-fail(((should (equal (kv-get (kv-parse \"a=1;b=2\") \"b\") \"3\")) :fo",
      "  (if (unwind-protect (setq value-7 (apply fn-5 args-6)) (setq form-de",
      "  (let (form-description-9) (if (unwind-protect (setq value-7 (apply f",
      "  (let ((value-7 'ert-form-evaluation-aborted-8)) (let (form-descripti",
      "  (let* ((fn-5 #'equal) (args-6 (condition-case err (let ((signal-hook",
      "  (let ((lexical-binding t)) (let* ((fn-5 #'equal) (args-6 (condition-",
      "  (closure (t) nil (let ((lexical-binding t)) (let* ((fn-5 #'equal) (a",
      "  ert--run-test-internal(#s(ert--test-execution-info :test #s(ert-test",
      "  ert-run-test(#s(ert-test :name kv-gets-value :documentation nil :bod",
      "  ert-run-or-rerun-test(#s(ert--stats :selector t :tests [#s(ert-test ",
      "  ert-run-tests(t #f(compiled-function (event-type &rest event-args) #",
      "  ert-run-tests-batch(nil)",
      "  ert-run-tests-batch-and-exit()",
      "  command-line-1((\"-L\" \".\" \"-L\" \"test\" \"-l\" \"ert\" \"-l\" \"test/kv-test.e",
      "  command-line()",
      "  normal-top-level()",
      "Test kv-gets-value condition:",
      "    (ert-test-failed",
      "     ((should",
      "       (equal",
      "\t(kv-get ... \"b\")",
      "\t\"3\"))",
      "      :form",
      "      (equal \"2\" \"3\")",
      "      :value nil :explanation",
      "      (array-elt 0",
      "\t\t (different-atoms",
      "\t\t  (50 \"#x32\" \"?2\")",
      "\t\t  (51 \"#x33\" \"?3\")))))",
      "   FAILED  1/3  kv-gets-value (0.000092 sec)",
      "   passed  2/3  kv-parses-pairs (0.000043 sec)",
      "Test kv-rejects-empty backtrace:",
      "  signal(ert-test-failed (((should-error (kv-parse \"\") :type 'user-err",
      "  ert-fail(((should-error (kv-parse \"\") :type 'user-error) :form (kv-p",
      "  (if errorp15 nil (ert-fail (append (funcall form-description-fn-16) ",
      "  (let ((errorp15 nil) (form-description-fn-16 #'(lambda nil form-desc",
      "  (let (form-description-14) (let ((errorp15 nil) (form-description-fn",
      "  (let ((value-12 'ert-form-evaluation-aborted-13)) (let (form-descrip",
      "  (let* ((fn-10 #'kv-parse) (args-11 (condition-case err (let ((signal",
      "  (let ((lexical-binding t)) (let* ((fn-10 #'kv-parse) (args-11 (condi",
      "  (closure (t) nil (let ((lexical-binding t)) (let* ((fn-10 #'kv-parse",
      "  ert--run-test-internal(#s(ert--test-execution-info :test #s(ert-test",
      "  ert-run-test(#s(ert-test :name kv-rejects-empty :documentation nil :",
      "  ert-run-or-rerun-test(#s(ert--stats :selector t :tests [#s(ert-test ",
      "  ert-run-tests(t #f(compiled-function (event-type &rest event-args) #",
      "  ert-run-tests-batch(nil)",
      "  ert-run-tests-batch-and-exit()",
      "  command-line-1((\"-L\" \".\" \"-L\" \"test\" \"-l\" \"ert\" \"-l\" \"test/kv-test.e",
      "  command-line()",
      "  normal-top-level()",
      "Test kv-rejects-empty condition:",
      "    (ert-test-failed",
      "     ((should-error",
      "       (kv-parse \"\")",
      "       :type 'user-error)",
      "      :form",
      "      (kv-parse \"\")",
      "      :value",
      "      ((\"\"))",
      "      :fail-reason \"did not signal an error\"))",
      "   FAILED  3/3  kv-rejects-empty (0.000040 sec)",
      "",
      "Ran 3 tests, 1 results as expected, 2 unexpected (2026-11-29 05:11:59+0000, 0.255610 sec)",
      "",
      "2 unexpected results:",
      "   FAILED  kv-gets-value",
      "   FAILED  kv-rejects-empty",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const lines = predictionLines(analysis);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'Test kv-gets-value condition:'));
    expect(lines).toEqual(expect.arrayContaining([lineOf(log, '      (equal "2" "3")'), lineOf(log, 'Test kv-rejects-empty condition:'), lineOf(log, ':fail-reason "did not signal an error"')]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Flow: each `Error ---- file:L:C` report is listed with its message, a compile error", async () => {
    // Prepare: Flow 0.336.0 (`flow check`), one error.
    const log = failedStepLines('npx flow check', [
      "Launching Flow server for /home/runner/work/ledger-flow/ledger-flow",
      "Spawned flow server (pid=26713)",
      "Logs will go to /tmp/flow/zShomezSrunnerzSworkzSledger-flowzSledger-flow.log",
      "Monitor logs will go to /tmp/flow/zShomezSrunnerzSworkzSledger-flowzSledger-flow.monitor_log",
      "Started a new flow server",
      "Please wait. Server is starting up Flow server",
      "Please wait. Server is starting up Flow server",
      "Please wait. Server is initializing (starting up)",
      "Please wait. Server is initializing (parsed files 0)",
      "Please wait. Server is initializing (parsed files 0)",
      "Please wait. Server is initializing (resolving dependencies)",
      "Please wait. Server is initializing (calculating dependencies)",
      "Please wait. Server is initializing (indexing files 0/71 (0.0%))",
      "Please wait. Server is initializing (indexing files (post-process))",
      "Please wait. Server is initializing (post-Indexing work)",
      "Please wait. Server is initializing (calculating dependencies)",
      "Please wait. Server is initializing (merged module interfaces 0/71 (0.0%))",
      "Please wait. Server is initializing (checked files 18/71 (25.4%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (checked files 35/71 (49.3%))",
      "Please wait. Server is initializing (collating errors)",
      "Error ------------------------------------------------------------------------------------------------ src/money.js:3:10",
      "",
      "Cannot return `Math.round(...)` because `number` [1] is incompatible with `string` [2]. [incompatible-type]",
      "",
      "   src/money.js:3:10",
      "     3|   return Math.round(amount * 100);",
      "                 ^^^^^^^^^^^^^^^^^^^^^^^^",
      "",
      "References:",
      "   /tmp/flow/flowlib_d8e6cfb5103a2320_0/lib.es5.js:414:23",
      "   414|     round(x: number): number,",
      "                              ^^^^^^ [1]",
      "   src/money.js:2:40",
      "     2| export function cents(amount: number): string {",
      "                                               ^^^^^^ [2]",
      "",
      "",
      "",
      "Found 1 error",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'Error ---'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'Cannot return `Math.round(...)`'));
    expect(analysis.category).toBe('compilation');
  });

  it("compilers' `file:L[:C]: message` lines are compile errors, not lint findings: Haxe, GHDL, Icarus Verilog, Emacs's byte-compiler", async () => {
    // Prepare: Haxe 4.2.5, GHDL 2.0's analysis, iverilog 11's elaboration, Emacs 28.2's batch-byte-compile under error-on-warn.
    const runs: Array<[string[], string]> = [
      [failedStepLines('haxe build.hxml', [
      "src/Main.hx:4: characters 5-36 : Null<Float> should be String",
    ], 1), 'src/Main.hx:4: characters 5-36 : '],
      [failedStepLines('ghdl -a --std=08 src/mux.vhd', [
      "src/mux.vhd:8:30: no declaration for \"c\"",
      "  y <= a when sel = '1' else c;",
      "                             ^",
    ], 1), 'src/mux.vhd:8:30: '],
      [failedStepLines('iverilog -g2012 -o build/bad.vvp tb/bad_tb.v', [
      "tb/bad_tb.v:5: error: Unable to bind wire/reg/memory `b' in `bad_tb'",
      "tb/bad_tb.v:5: error: Unable to elaborate condition expression.",
      "2 error(s) during elaboration.",
    ], 2), 'tb/bad_tb.v:5: error: Unable to bind '],
      [failedStepLines("emacs -Q --batch -L . --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile kv2.el", [
      "",
      "In toplevel form:",
      "kv2.el:3:9: Error: assignment to free variable ‘kv2-total’",
    ], 1), 'kv2.el:3:9: Error: '],
    ];
    for (const [log, head] of runs) {
      // Act
      const analysis = await analyzeLog(log.join('\n'));
      // Assert
      expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, head));
      expect(analysis.category).toBe('compilation');
    }
  });

  it("Icarus Verilog's vvp: a testbench's `ERROR:`/`FATAL: file:L: message` reports are failed checks", async () => {
    // Prepare: vvp 11, a `$error` then a `$fatal`.
    const log = failedStepLines('vvp -n build/chk.vvp', [
      "ERROR: tb/chk_tb.v:5: q is 10, want 20",
      "       Time: 5 Scope: chk_tb",
      "FATAL: tb/chk_tb.v:6: q[0] low",
      "       Time: 5 Scope: chk_tb",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'ERROR: tb/chk_tb.v:5: '));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'FATAL: tb/chk_tb.v:6: '));
    expect(analysis.category).toBe('test_failure');
  });

  it("GHDL: a testbench's `file:L:C:@time:(assertion error): message` is a failed check", async () => {
    // Prepare: GHDL 2.0 `ghdl -r --assert-level=error`, an assertion at severity error.
    const log = failedStepLines('ghdl -r --std=08 mux_tb --assert-level=error', [
      "tb/mux_tb.vhd:10:5:@5ns:(assertion error): mux selected b for sel=1",
      "/usr/bin/ghdl-mcode:error: assertion failed",
      "in process .mux_tb(sim).P0",
      "  from: process work.mux_tb(sim).P0 at mux_tb.vhd:11",
      "/usr/bin/ghdl-mcode:error: simulation failed",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'tb/mux_tb.vhd:10:5:@5ns:(assertion error): '));
    expect(analysis.category).toBe('test_failure');
  });

  it("Bazel: a repository it cannot fetch for an unknown host is a network failure, its `Unknown host` warning listed", async () => {
    // Prepare: Bazel 4.2.3 `bazel test` on a machine that resolves no host (remote_coverage_tools).
    const log = failedStepLines('bazel test //tools:version_test', [
      "Starting local Bazel server and connecting to it...",
      "Loading: ",
      "Loading: 0 packages loaded",
      "Analyzing: target //tools:version_test (1 packages loaded)",
      "Analyzing: target //tools:version_test (1 packages loaded, 0 targets configured)",
      "INFO: Repository remote_coverage_tools instantiated at:",
      "  /DEFAULT.WORKSPACE.SUFFIX:11:13: in <toplevel>",
      "Repository rule http_archive defined at:",
      "  /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/build_defs/repo/http.bzl:336:31: in <toplevel>",
      "INFO: Repository rules_cc instantiated at:",
      "  /DEFAULT.WORKSPACE.SUFFIX:267:6: in <toplevel>",
      "  /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/build_defs/repo/utils.bzl:201:18: in maybe",
      "Repository rule http_archive defined at:",
      "  /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/build_defs/repo/http.bzl:336:31: in <toplevel>",
      "WARNING: Download from https://mirror.bazel.build/bazel_coverage_output_generator/releases/coverage_output_generator-v2.5.zip failed: class com.google.devtools.build.lib.bazel.repository.downloader.UnrecoverableHttpException Unknown host: mirror.bazel.build",
      "ERROR: An error occurred during the fetch of repository 'remote_coverage_tools':",
      "   Traceback (most recent call last):",
      "\tFile \"/home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/build_defs/repo/http.bzl\", line 111, column 45, in _http_archive_impl",
      "\t\tdownload_info = ctx.download_and_extract(",
      "Error in download_and_extract: java.io.IOException: Error downloading [https://mirror.bazel.build/bazel_coverage_output_generator/releases/coverage_output_generator-v2.5.zip] to /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/remote_coverage_tools/temp15550078201884153615/coverage_output_generator-v2.5.zip: Unknown host: mirror.bazel.build",
      "ERROR: Error fetching repository: Traceback (most recent call last):",
      "\tFile \"/home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/build_defs/repo/http.bzl\", line 111, column 45, in _http_archive_impl",
      "\t\tdownload_info = ctx.download_and_extract(",
      "Error in download_and_extract: java.io.IOException: Error downloading [https://mirror.bazel.build/bazel_coverage_output_generator/releases/coverage_output_generator-v2.5.zip] to /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/remote_coverage_tools/temp15550078201884153615/coverage_output_generator-v2.5.zip: Unknown host: mirror.bazel.build",
      "ERROR: /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/bazel_tools/tools/test/BUILD:36:6: @bazel_tools//tools/test:coverage_report_generator depends on @remote_coverage_tools//:coverage_report_generator in repository @remote_coverage_tools which failed to fetch. no such package '@remote_coverage_tools//': java.io.IOException: Error downloading [https://mirror.bazel.build/bazel_coverage_output_generator/releases/coverage_output_generator-v2.5.zip] to /home/runner/.cache/bazel/_bazel_runner/edc0564b62ee398de8b5136ca1ed953c/external/remote_coverage_tools/temp15550078201884153615/coverage_output_generator-v2.5.zip: Unknown host: mirror.bazel.build",
      "ERROR: Analysis of target '//tools:version_test' failed; build aborted: Analysis failed",
      "INFO: Elapsed time: 5.187s",
      "INFO: 0 processes.",
      "FAILED: Build did NOT complete successfully (7 packages loaded, 29 targets configured)",
      "ERROR: Couldn't start the build. Unable to run tests",
      "FAILED: Build did NOT complete successfully (7 packages loaded, 29 targets configured)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "ERROR: An error occurred during the fetch of repository 'remote_coverage_tools':"));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'WARNING: Download from '), lineOf(log, 'Error in download_and_extract: ')]));
    expect(analysis.category).toBe('network');
  });

  it("Bazel: an error at a BUILD file's place while loading its package is the build's configuration", async () => {
    // Prepare: Bazel 4.2.3, a BUILD file naming an undefined variable.
    const log = failedStepLines('bazel build //tools/...', [
      "Loading: ",
      "Loading: 0 packages loaded",
      "ERROR: /home/runner/work/geo-bazel/geo-bazel/tools/BUILD:4:32: name 'VERSION_FILES' is not defined",
      "ERROR: package contains errors: tools",
      "ERROR: error loading package 'tools': Package 'tools' contains errors",
      "INFO: Elapsed time: 0.143s",
      "INFO: 0 processes.",
      "FAILED: Build did NOT complete successfully (1 packages loaded)",
      "FAILED: Build did NOT complete successfully (1 packages loaded)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "tools/BUILD:4:32: name 'VERSION_FILES' is not defined"));
    expect(analysis.category).toBe('configuration');
  });

  it("GNU as: `file:line: Error: message` under `Assembler messages:` is a compile error", async () => {
    // Prepare: GNU as 2.40 through gcc, junk after an operand.
    const log = failedStepLines('gcc -c -o build/f.o src/f.s', [
      "src/f.s: Assembler messages:",
      "src/f.s:4: Error: junk `extra' after register",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'src/f.s:4: Error: '));
    expect(analysis.category).toBe('compilation');
  });

  it("Asciidoctor: `asciidoctor: ERROR|WARNING: file: line N: message` under --failure-level=WARN, the ERROR first", async () => {
    // Prepare: Asciidoctor 2.0.18, a missing include (ERROR) and an unterminated listing block (WARNING).
    const log = failedStepLines('asciidoctor --failure-level=WARN -o build/guide.html guide.adoc', [
      "asciidoctor: ERROR: guide.adoc: line 5: include file not found: /home/runner/work/guide/guide/missing-intro.adoc",
      "asciidoctor: WARNING: guide.adoc: line 8: unterminated listing block",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'asciidoctor: ERROR: '));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'asciidoctor: WARNING: '));
    expect(analysis.category).toBe('compilation');
  });

  it("Asciidoctor: a warning of a run without --failure-level, which passed, ranks below a generic error of the next step", async () => {
    // Prepare: Asciidoctor 2.0.18's warning (exit 0), then a deploy script's own error line.
    const log = [
      ...ghaStep('asciidoctor -o build/index.html docs/index.adoc', [
      "asciidoctor: WARNING: index.adoc: line 17: section title out of sequence: expected level 2, got level 3",
    ], { exitCode: null }),
      ...failedStepLines('./scripts/publish.sh', ['publish: error uploading build/index.html'], 1),
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'publish: error uploading'));
  });
});
