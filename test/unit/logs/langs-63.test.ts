import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';

/** A step that failed with `exitCode`, its lines. */
const failedStepLines = (script: string, output: readonly string[], exitCode: number): string[] =>
  ghaStep(script, output, { exitCode });

/**
 * Toolchains session 63 ran for real (test/fixtures/gha-real-tools, "Session 63: new toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from. Paths rewritten to the runner's.
 */
describe('reports of new toolchains (session 63)', () => {
  it("cpplint: each `file:line:  message  [category] [confidence]` finding, not only its `Total errors found:`", async () => {
    // Prepare: cpplint 1.6.1 over one file with three findings.
    const log = failedStepLines('cpplint lib/parse.cpp', [
      "lib/parse.cpp:11:  If/else bodies with multiple statements require braces  [readability/braces] [4]",
      "lib/parse.cpp:13:  Never use sprintf. Use snprintf instead.  [runtime/printf] [5]",
      "lib/parse.cpp:14:  Line ends in whitespace.  Consider deleting these extra spaces.  [whitespace/end_of_line] [4]",
      "Done processing lib/parse.cpp",
      "Total errors found: 3",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'lib/parse.cpp:11:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'lib/parse.cpp:13:'), lineOf(log, 'lib/parse.cpp:14:')]));
    expect(analysis.category).toBe('lint');
  });

  it("cfn-lint: an error's `template:line:col` under it is listed with it", async () => {
    // Prepare: cfn-lint 1.51.0, a string where an integer goes.
    const log = failedStepLines('cfn-lint queue.yaml', [
      "E3012 'thirty' is not of type 'integer'",
      "queue.yaml:6:7",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'E3012 '));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'queue.yaml:6:7'));
  });

  it("cfn-lint: a warning it printed right above an error (sorted by place) is listed with the error, which comes first", async () => {
    // Prepare: cfn-lint 1.51.0, an unused parameter (W2001) above a string where a boolean goes (E3012); exit 6, both bits.
    const log = failedStepLines('cfn-lint topic.yaml', [
      "W2001 Parameter Env not used.",
      "topic.yaml:3:3",
      "",
      "E3012 'maybe' is not of type 'boolean'",
      "topic.yaml:10:7",
    ], 6);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'E3012 '));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'W2001 '), lineOf(log, 'topic.yaml:3:3'), lineOf(log, 'topic.yaml:10:7')]));
  });

  it("SBCL's compile-file: `; caught ERROR:` with its message and its `; file:` / `; in:` place; the WARNING a report of its own, the STYLE-WARNING none", async () => {
    // Prepare: SBCL 2.2.9 compiling a file with a malformed LET (an ERROR), an unused variable and a call with three arguments.
    const log = failedStepLines('sbcl --non-interactive --no-userinit --load build.lisp', [
      "This is SBCL 2.2.9.debian, an implementation of ANSI Common Lisp.",
      "More information about SBCL is available at <http://www.sbcl.org/>.",
      "",
      "SBCL is free software, provided as is, with absolutely no warranty.",
      "It is mostly in the public domain; some portions are provided under",
      "BSD-style licenses.  See the CREDITS and COPYING files in the",
      "distribution for more information.",
      "; compiling file \"/home/runner/work/geo/geo/geo.lisp\" (written 29 NOV 2026 02:20:12 AM):",
      "",
      "; file: /home/runner/work/geo/geo/geo.lisp",
      "; in: DEFUN PERIMETER",
      ";     (GEO::TOTAL 0)",
      "; ",
      "; caught ERROR:",
      ";   0 is not a symbol and cannot be used as a local variable.",
      "",
      ";     (DEFUN GEO::PERIMETER (GEO::POINTS)",
      ";       (LET (GEO::TOTAL 0)",
      ";         (LOOP GEO::FOR (GEO::A GEO::B) GEO::ON GEO::POINTS",
      ";               GEO::WHILE GEO::B",
      ";               DO (INCF GEO::TOTAL (GEO::DISTANCE GEO::A GEO::B)))",
      ";         GEO::TOTAL))",
      "; --> SB-IMPL::%DEFUN SB-IMPL::%DEFUN SB-INT:NAMED-LAMBDA ",
      "; ==>",
      ";   #'(SB-INT:NAMED-LAMBDA GEO::PERIMETER",
      ";         (GEO::POINTS)",
      ";       (BLOCK GEO::PERIMETER",
      ";         (LET (GEO::TOTAL 0)",
      ";           (LOOP GEO::FOR (GEO::A GEO::B) GEO::ON GEO::POINTS",
      ";                 GEO::WHILE GEO::B",
      ";                 DO (INCF GEO::TOTAL #))",
      ";           GEO::TOTAL)))",
      "; ",
      "; caught STYLE-WARNING:",
      ";   The variable POINTS is defined but never used.",
      "",
      "; in: DEFUN MIDPOINT",
      ";     (CONS (/ (+ (CAR GEO::A) (CAR GEO::B)) 2) (/ (+ (CDR GEO::A) (CDR GEO::B)) 2)",
      ";           3)",
      "; ",
      "; caught WARNING:",
      ";   The function CONS is called with three arguments, but wants exactly two.",
      "; ",
      "; compilation unit finished",
      ";   caught 1 ERROR condition",
      ";   caught 1 WARNING condition",
      ";   caught 1 STYLE-WARNING condition",
      "",
      "",
      "; wrote /home/runner/work/geo/geo/geo.fasl",
      "; compilation finished in 0:00:00.000",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const caught = lineOf(log, '; caught ERROR:');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(caught);
    const lines = predictionLines(analysis);
    expect(lines).toEqual(expect.arrayContaining([lineOf(log, '; file: '), lineOf(log, '; in: DEFUN PERIMETER'), caught, caught + 1]));
    expect(analysis.failures.map((f) => f.lines[0]?.text)).toContain('; caught WARNING:');
    expect(lines).not.toContain(lineOf(log, '; caught STYLE-WARNING:'));
    expect(analysis.category).toBe('compilation');
  });

  it("FiveAM's Failure Details: the failed test's line and what its check evaluated to", async () => {
    // Prepare: FiveAM 1.4.2's run! with an `is (equal …)` that fails.
    const log = failedStepLines('sbcl --non-interactive --no-userinit --load tests.lisp', [
      "This is SBCL 2.2.9.debian, an implementation of ANSI Common Lisp.",
      "More information about SBCL is available at <http://www.sbcl.org/>.",
      "",
      "SBCL is free software, provided as is, with absolutely no warranty.",
      "It is mostly in the public domain; some portions are provided under",
      "BSD-style licenses.  See the CREDITS and COPYING files in the",
      "distribution for more information.",
      "",
      "Running test suite GEO",
      " Running test DISTANCE-3-4-5 .",
      " Running test MIDPOINT-OF-SEGMENT f",
      " Running test PERIMETER-OF-NOTHING ..",
      " Did 4 checks.",
      "    Pass: 3 (75%)",
      "    Skip: 0 ( 0%)",
      "    Fail: 1 (25%)",
      "",
      " Failure Details:",
      " --------------------------------",
      " MIDPOINT-OF-SEGMENT in GEO []: ",
      "      ",
      "(GEO::MIDPOINT '(0 . 0) '(2 . 2))",
      "",
      " evaluated to ",
      "",
      "(1 . 1)",
      "",
      " which is not ",
      "",
      "EQUAL",
      "",
      " to ",
      "",
      "(1 . 2)",
      "",
      "",
      " --------------------------------",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const test = lineOf(log, ' MIDPOINT-OF-SEGMENT in GEO []:');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(test);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([test, lineOf(log, "(GEO::MIDPOINT '(0 . 0)"), lineOf(log, '(1 . 1)'), lineOf(log, '(1 . 2)')]));
    expect(analysis.category).toBe('test_failure');
  });

  it("dub test with LDC: the unittest's own frame (`source/x.d:13 [0x…]`, LDC prints no function name) stays in the report", async () => {
    // Prepare: dub 1.27 with LDC 1.30, a library's failed unittest assert.
    const log = failedStepLines('dub test --compiler=ldc2', [
      "Generating test runner configuration 'ring-test-library' for 'library' (library).",
      "Performing \"unittest\" build using ldc2 for x86_64.",
      "ring ~master: building configuration \"ring-test-library\"...",
      "Linking...",
      "Running ring-test-library ",
      "core.exception.AssertError@source/ring.d(13): ring holds what was pushed",
      "----------------",
      "??:? _d_assert_msg [0x7f886c966742]",
      "source/ring.d:13 [0x55592ac11384]",
      "??:? [0x7f886c989445]",
      "??:? [0x7f886c9a753a]",
      "??:? int rt.sections_elf_shared.DSO.opApply(scope int delegate(ref rt.sections_elf_shared.DSO)) [0x7f886c9a85c8]",
      "??:? int rt.minfo.moduleinfos_apply(scope int delegate(immutable(object.ModuleInfo*))) [0x7f886c9a74cb]",
      "??:? int object.ModuleInfo.opApply(scope int delegate(object.ModuleInfo*)) [0x7f886c99517e]",
      "??:? runModuleUnitTests [0x7f886c9892f4]",
      "??:? void rt.dmain2._d_run_main2(char[][], ulong, extern (C) int function(char[][])*).runAll() [0x7f886c99db4a]",
      "??:? _d_run_main2 [0x7f886c99d995]",
      "??:? _d_run_main [0x7f886c99d7ed]",
      "/usr/lib/ldc/x86_64-linux-gnu/include/d/core/internal/entrypoint.d:42 [0x55592ac11531]",
      "??:? [0x7f886c61a249]",
      "??:? __libc_start_main [0x7f886c61a304]",
      "??:? [0x55592ac11210]",
      "1/1 modules FAILED unittests",
      "Program exited with code 1",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'core.exception.AssertError@'));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'source/ring.d:13 [0x'));
    expect(analysis.category).toBe('test_failure');
  });

  it("CHICKEN's csc: `Syntax error: (file:line) in `form' - …` over csc's own shell-command error", async () => {
    // Prepare: CHICKEN 5.3 csc over an `(if)` with no arguments.
    const log = failedStepLines('csc -o inv inv.scm', [
      "",
      "Syntax error: (inv.scm:6) in `if' - pair expected",
      "",
      "\t(if)",
      "",
      "\tExpansion history:",
      "",
      "\t<syntax>\t  (##core#begin (define (apply-discount total) (if) total))",
      "\t<syntax>\t  (define (apply-discount total) (if) total)",
      "\t<syntax>\t  (##core#begin (##core#ensure-toplevel-definition apply-discount) (##core#set! apply-discount (##core...",
      "\t<syntax>\t  (##core#ensure-toplevel-definition apply-discount)",
      "\t<syntax>\t  (##core#set! apply-discount (##core#lambda (total) (if) total))",
      "\t<syntax>\t  (##core#lambda (total) (if) total)\t<--",
      "",
      "Error: shell command terminated with non-zero exit status 17920: '/usr/bin/chicken' 'inv.scm' -output-file 'inv.c'",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'Syntax error: (inv.scm:6)'));
    expect(analysis.category).toBe('compilation');
  });

  it("Guile's uncaught error: `file:L:C: In procedure x:` with the message under it and the innermost frame", async () => {
    // Prepare: Guile 3.0.8 running a script whose module refers to a misspelt variable.
    const log = failedStepLines('guile -L . run.scm 2', [
      ";;; note: auto-compilation is enabled, set GUILE_AUTO_COMPILE=0",
      ";;;       or pass the --no-auto-compile argument to disable.",
      ";;; compiling /home/runner/work/money/money/run.scm",
      ";;; compiling ./money.scm",
      ";;; <unknown-location>: warning: possibly unbound variable `peple'",
      ";;; compiled /root/.cache/guile/ccache/3.0-LE-8-4.6/home/runner/work/money/money/money.scm.go",
      ";;; compiled /root/.cache/guile/ccache/3.0-LE-8-4.6/home/runner/work/money/money/run.scm.go",
      "Backtrace:",
      "In ice-9/boot-9.scm:",
      "  1752:10  7 (with-exception-handler _ _ #:unwind? _ # _)",
      "In unknown file:",
      "           6 (apply-smob/0 #<thunk 7ffb1261b2e0>)",
      "In ice-9/boot-9.scm:",
      "    724:2  5 (call-with-prompt _ _ #<procedure default-prompt-handle…>)",
      "In ice-9/eval.scm:",
      "    619:8  4 (_ #(#(#<directory (guile-user) 7ffb12620c80>)))",
      "In ice-9/boot-9.scm:",
      "   2836:4  3 (save-module-excursion _)",
      "  4388:12  2 (_)",
      "In run.scm:",
      "      2:9  1 (_)",
      "In money.scm:",
      "     3:13  0 (split-bill 10 2)",
      "",
      "money.scm:3:13: In procedure split-bill:",
      "Unbound variable: peple",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'money.scm:3:13: In procedure split-bill:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'Unbound variable: peple'), lineOf(log, 'In money.scm:'), lineOf(log, '3:13  0 (split-bill')]));
    expect(analysis.category).not.toBe('lint');
  });

  it("a Groovy script's uncaught exception: Groovy's `Caught: …` line is the report's", async () => {
    // Prepare: Groovy 2.4.21, a script calling a method on a map entry that is not there.
    const log = failedStepLines('groovy report.groovy', [
      "Caught: java.lang.NullPointerException: Cannot invoke method toUpperCase() on null object",
      "java.lang.NullPointerException: Cannot invoke method toUpperCase() on null object",
      "\tat report.run(report.groovy:3)",
      "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
      "\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke(NativeMethodAccessorImpl.java:77)",
      "\tat java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke(DelegatingMethodAccessorImpl.java:43)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'Caught: java.lang.NullPointerException'), lineOf(log, 'at report.run(report.groovy:3)')]));
  });
  it("SBCL's unhandled condition under --script: from `Unhandled X in thread` to the quitting line, whatever the condition's name", async () => {
    // Prepare: SBCL 2.2.9 `--script` opening a file that is not there (FILE-DOES-NOT-EXIST: no failure word in its name).
    const log = failedStepLines('sbcl --script s.lisp', [
      "Unhandled FILE-DOES-NOT-EXIST in thread #<SB-THREAD:THREAD \"main thread\" RUNNING",
      "                                           {1001348003}>:",
      "  The file #P\"/home/runner/work/geo/geo/ci.sexp\" does not exist:",
      "    No such file or directory",
      "",
      "Backtrace for: #<SB-THREAD:THREAD \"main thread\" RUNNING {1001348003}>",
      "0: (SB-DEBUG::DEBUGGER-DISABLED-HOOK #<FILE-DOES-NOT-EXIST {10013AFDD3}> #<unused argument> :QUIT T)",
      "1: (SB-DEBUG::RUN-HOOK *INVOKE-DEBUGGER-HOOK* #<FILE-DOES-NOT-EXIST {10013AFDD3}>)",
      "2: (INVOKE-DEBUGGER #<FILE-DOES-NOT-EXIST {10013AFDD3}>)",
      "3: (ERROR FILE-DOES-NOT-EXIST :PATHNAME #P\"/home/runner/work/geo/geo/ci.sexp\" :MESSAGE \"No such file or directory\")",
      "4: (SB-IMPL::FILE-PERROR #P\"/home/runner/work/geo/geo/ci.sexp\" 2 FILE-DOES-NOT-EXIST)",
      "5: (SB-IMPL::%OPEN-ERROR #P\"/home/runner/work/geo/geo/ci.sexp\" 2 :IGNORE-THIS-ARG :ERROR)",
      "6: (OPEN \"ci.sexp\" :DIRECTION :INPUT :ELEMENT-TYPE BASE-CHAR :IF-EXISTS NIL :IF-DOES-NOT-EXIST NIL :EXTERNAL-FORMAT :DEFAULT :CLASS SB-SYS:FD-STREAM)",
      "7: (LOAD-CONFIG \"ci.sexp\")",
      "8: (SB-INT:SIMPLE-EVAL-IN-LEXENV (LOAD-CONFIG \"ci.sexp\") #<NULL-LEXENV>)",
      "9: (SB-INT:SIMPLE-EVAL-IN-LEXENV (GETF (LOAD-CONFIG \"ci.sexp\") :JOBS) #<NULL-LEXENV>)",
      "10: (SB-INT:SIMPLE-EVAL-IN-LEXENV (FORMAT T \"~a~%\" (GETF (LOAD-CONFIG \"ci.sexp\") :JOBS)) #<NULL-LEXENV>)",
      "11: (EVAL-TLF (FORMAT T \"~a~%\" (GETF (LOAD-CONFIG \"ci.sexp\") :JOBS)) 1 NIL)",
      "12: ((LABELS SB-FASL::EVAL-FORM :IN SB-INT:LOAD-AS-SOURCE) (FORMAT T \"~a~%\" (GETF (LOAD-CONFIG \"ci.sexp\") :JOBS)) 1)",
      "13: ((LAMBDA (SB-KERNEL:FORM &KEY :CURRENT-INDEX &ALLOW-OTHER-KEYS) :IN SB-INT:LOAD-AS-SOURCE) (FORMAT T \"~a~%\" (GETF (LOAD-CONFIG \"ci.sexp\") :JOBS)) :CURRENT-INDEX 1)",
      "14: (SB-C::%DO-FORMS-FROM-INFO #<FUNCTION (LAMBDA (SB-KERNEL:FORM &KEY :CURRENT-INDEX &ALLOW-OTHER-KEYS) :IN SB-INT:LOAD-AS-SOURCE) {1001337BCB}> #<SB-C::SOURCE-INFO {1001337B93}> SB-C::INPUT-ERROR-IN-LOAD)",
      "15: (SB-INT:LOAD-AS-SOURCE #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}> :VERBOSE NIL :PRINT NIL :CONTEXT \"loading\")",
      "16: ((LABELS SB-FASL::LOAD-STREAM-1 :IN LOAD) #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}> NIL)",
      "17: (SB-FASL::CALL-WITH-LOAD-BINDINGS #<FUNCTION (LABELS SB-FASL::LOAD-STREAM-1 :IN LOAD) {7FC39CA8F82B}> #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}> NIL #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}>)",
      "18: (LOAD #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}> :VERBOSE NIL :PRINT NIL :IF-DOES-NOT-EXIST :ERROR :EXTERNAL-FORMAT :DEFAULT)",
      "19: ((FLET SB-IMPL::LOAD-SCRIPT :IN SB-IMPL::PROCESS-SCRIPT) #<SB-SYS:FD-STREAM for \"file /home/runner/work/geo/geo/s.lisp\" {1001336FB3}>)",
      "20: ((FLET SB-UNIX::BODY :IN SB-IMPL::PROCESS-SCRIPT))",
      "21: ((FLET \"WITHOUT-INTERRUPTS-BODY-11\" :IN SB-IMPL::PROCESS-SCRIPT))",
      "22: (SB-IMPL::PROCESS-SCRIPT \"s.lisp\")",
      "23: (SB-IMPL::TOPLEVEL-INIT)",
      "24: ((FLET SB-UNIX::BODY :IN SB-IMPL::START-LISP))",
      "25: ((FLET \"WITHOUT-INTERRUPTS-BODY-3\" :IN SB-IMPL::START-LISP))",
      "26: (SB-IMPL::%START-LISP)",
      "",
      "unhandled condition in --disable-debugger mode, quitting",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'Unhandled FILE-DOES-NOT-EXIST in thread'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([lineOf(log, 'does not exist:'), lineOf(log, '0: (SB-DEBUG::DEBUGGER-DISABLED-HOOK')]));
    expect(analysis.failures).toHaveLength(1);
  });

  it("ldc2's DMD-style errors: `file(line): Error:` without a column is a compilation error", async () => {
    // Prepare: LDC 1.30 run directly (no -vcolumns), a string assigned to an int.
    const log = failedStepLines('ldc2 -w source/app2.d', [
      "source/app2.d(7): Error: cannot implicitly convert expression `s` of type `string` to `int`",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('nvcc.error');
    expect(analysis.category).toBe('compilation');
  });

  it("ldc2 -w: the warning above `Error: warnings are treated as errors` is the report's first line", async () => {
    // Prepare: LDC 1.30 with -w over a statement after a return.
    const log = failedStepLines('ldc2 -w source/app3.d', [
      "source/app3.d(6): Warning: statement is not reachable",
      "Error: warnings are treated as errors",
      "       Use -wi if you wish to treat warnings only as informational.",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const warning = lineOf(log, 'source/app3.d(6): Warning: statement is not reachable');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(warning);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([warning, lineOf(log, 'Error: warnings are treated as errors')]));
    expect(analysis.category).toBe('compilation');
  });
});
