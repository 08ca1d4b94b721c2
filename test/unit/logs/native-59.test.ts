import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * Native toolchains and C/C++ test frameworks session 59 ran for real (test/fixtures/gha-real-tools, "Session 59"):
 * each test is other real output of the same tool than the fixture's (another project, another fault), so a rule is
 * read off the format and checked on a run it was not written from.
 */
describe('reports of native toolchains and C/C++ test frameworks (session 59)', () => {
  it("Catch2 2.13: each `file:line: FAILED:` with its expression and expansion is a failed test's report", async () => {
    // Prepare: a REQUIRE that fails and a CHECK_THROWS_AS that does not throw (flush-left `because …:` label).
    const log = lines(
      '-------------------------------------------------------------------------------',
      'sum of three',
      '-------------------------------------------------------------------------------',
      'c2.cpp:5',
      '...............................................................................',
      '',
      'c2.cpp:5: FAILED:',
      '  REQUIRE( sum({1,2,3}) == 7 )',
      'with expansion:',
      '  6 == 7',
      '',
      '-------------------------------------------------------------------------------',
      'index out of range',
      '-------------------------------------------------------------------------------',
      'c2.cpp:6',
      '...............................................................................',
      '',
      'c2.cpp:6: FAILED:',
      '  CHECK_THROWS_AS( at({1}, 0), std::out_of_range )',
      'because no exception was thrown where one was expected:',
      '',
      '===============================================================================',
      'test cases: 3 | 1 passed | 2 failed',
      'assertions: 3 | 1 passed | 2 failed',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8, 10, 18, 19, 20]));
    expect(analysis.category).toBe('test_failure');
  });

  it("doctest 2.4: `file:line: ERROR: CHECK_EQ( … ) is NOT correct!` under its `TEST CASE:` is the report, not the run's summary", async () => {
    // Prepare: a failed CHECK_EQ with its values, a CHECK_THROWS_AS that did not throw, a test case that threw.
    const log = lines(
      '[doctest] doctest version is "2.4.9"',
      '[doctest] run with "--help" for options',
      '===============================================================================',
      'dt.cpp:4:',
      'TEST CASE:  sum of three',
      '',
      'dt.cpp:4: ERROR: CHECK_EQ( sum({1,2,3}), 7 ) is NOT correct!',
      '  values: CHECK_EQ( 6, 7 )',
      '',
      '===============================================================================',
      'dt.cpp:5:',
      'TEST CASE:  index out of range',
      '',
      'dt.cpp:5: ERROR: CHECK_THROWS_AS( at({1}, 0), std::out_of_range ) did NOT throw at all!',
      '',
      '===============================================================================',
      'dt.cpp:6:',
      'TEST CASE:  negative index',
      '',
      'dt.cpp:6: ERROR: test case THREW exception: negative index',
      '',
      '===============================================================================',
      '[doctest] test cases: 3 | 0 passed | 3 failed | 0 skipped',
      '[doctest] assertions: 2 | 0 passed | 2 failed |',
      '[doctest] Status: FAILURE!',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 7, 8, 12, 14, 18, 20]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Check 0.15: `file:line:F:tcase:test:N:` and `…:E:…` lines are the failed tests, not the signal's words", async () => {
    // Prepare: CK_VERBOSE, so a passed test's `:P:` line stands between a failure and an error (abort()).
    const log = lines(
      'Running suite(s): users',
      '33%: Checks: 3, Failures: 1, Errors: 1',
      'ck.c:4:F:names:test_name:0: Assertion \'"alice" == "alicia"\' failed: "alice" == "alice", "alicia" == "alicia"',
      'ck.c:5:P:names:test_ok:0: Passed',
      'ck.c:6:E:names:test_abort:0: (after this point) Received signal 6 (Aborted)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5]));
    expect(predictionLines(analysis)).not.toContain(4);
    expect(analysis.category).toBe('test_failure');
  });

  it("GoogleTest: `unknown file: Failure` (an exception thrown in the test body) is a report like `file:line: Failure`, through the test's `[  FAILED  ]`", async () => {
    // Prepare: gtest 1.12, a test whose EXPECT_TRUE fails and whose body then throws.
    const log = lines(
      '[ RUN      ] Vec.Neg',
      'gt.cpp:4: Failure',
      'Value of: sum({}) == 1',
      '  Actual: false',
      'Expected: true',
      'empty sum',
      'unknown file: Failure',
      'C++ exception with description "negative index" thrown in the test body.',
      '[  FAILED  ] Vec.Neg (0 ms)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual(expect.arrayContaining([['gtest.failure', 7]]));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 7, 8, 9]));
  });

  it('Boost.Test 1.74: `file(N): error: in "suite/test": …` is a failed test, not a compiler error', async () => {
    // Prepare: two failed checks and a critical check (colour as Boost.Test prints it without a terminal).
    const log = lines(
      'Running 2 test cases...',
      'bt.cpp(5): \u001b[1;31;49merror: in "arith/sum_three": check sum({1,2,3}) == 7 has failed [6 != 7]\u001b[0;39;49m',
      'bt.cpp(6): \u001b[1;31;49merror: in "arith/negative": exception std::out_of_range expected but not raised\u001b[0;39;49m',
      'bt.cpp(6): \u001b[4;31;49mfatal error: in "arith/negative": critical check sum({}) == 1 has failed\u001b[0;39;49m',
      '',
      '\u001b[1;31;49m*** 3 failures are detected in the test module "vec"',
      '\u001b[0;39;49m',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(analysis.category).toBe('test_failure');
  });

  it("CUnit 2.1 basic interface: `Test: name ...FAILED` and its numbered assertions are the report, not the run summary", async () => {
    // Prepare: CU_BRM_VERBOSE, one test with two failed assertions.
    const log = lines(
      'Suite: strings',
      '  Test: compare ...FAILED',
      '    1. cu.c:3  - CU_ASSERT_STRING_EQUAL("abc","abd")',
      '    2. cu.c:3  - 1 == 2',
      '  Test: pass ...passed',
      '',
      'Run Summary:    Type  Total    Ran Passed Failed Inactive',
      '              suites      1      1    n/a      0        0',
      '               tests      2      2      1      1        0',
      '             asserts      3      3      1      2      n/a',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Free Pascal 3.2: `file.pas(L,C) Error: …` lines are the compile errors, above fpc's `Fatal:` and `Error: …ppcx64 returned` lines", async () => {
    // Prepare: an incompatible assignment and an unknown identifier.
    const log = lines(
      'Free Pascal Compiler version 3.2.2+dfsg-20 [2023/03/30] for x86_64',
      'Target OS: Linux for x86-64',
      'Compiling p.pas',
      'p.pas(5,8) Error: Incompatible types: got "SmallInt" expected "ShortString"',
      'p.pas(6,11) Error: Identifier not found "Lenght"',
      'p.pas(8) Fatal: There were 2 errors compiling module, stopping',
      'Fatal: Compilation aborted',
      'Error: /usr/bin/ppcx64 returned an error exitcode',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5]));
    expect(analysis.category).toBe('compilation');
  });

  it("valac 0.56: `file.vala:L.C-L.C: error: …` is a compile error", async () => {
    // Prepare: a type error and an unknown name.
    const log = lines(
      'v.vala:2.9-2.9: error: Assignment: Cannot convert from `string\' to `int\'',
      '    2 |     int x = "seven";',
      '      |         ^           ',
      "v.vala:3.5-3.18: error: The name `undefined_call' does not exist in the context of `main'",
      '    3 |     undefined_call ();',
      '      |     ^~~~~~~~~~~~~~    ',
      'Compilation failed: 2 error(s), 0 warning(s)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 4]));
    expect(analysis.category).toBe('compilation');
  });

  it("gfortran 12: the `file.f90:L:C:` position above the source and `Error: … at (1)` belongs to the error", async () => {
    // Prepare: an implicit-none violation and an intrinsic's argument type.
    const log = lines(
      'f.f90:8:12:',
      '',
      '    8 |   print *, y',
      '      |            1',
      'Error: Symbol ‘y’ at (1) has no IMPLICIT type',
      'f.f90:6:11:',
      '',
      '    6 |   x = sqrt(n)',
      '      |           1',
      'Error: ‘x’ argument of ‘sqrt’ intrinsic at (1) must be REAL or COMPLEX',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 5, 6, 10]));
    expect(analysis.category).toBe('compilation');
  });

  it("gcovr 5: `(ERROR) failed minimum line coverage` is a coverage floor missed, not a compile error", async () => {
    // Prepare: --fail-under-line 90 over a report at 75 %.
    const log = lines(
      'File                                       Lines    Exec  Cover   Missing',
      '------------------------------------------------------------------------------',
      'src/list.c                                    40      30    75%   12-19,33,41',
      '------------------------------------------------------------------------------',
      'TOTAL                                         40      30    75%',
      '------------------------------------------------------------------------------',
      '(ERROR) failed minimum line coverage (got 75.0%, minimum 90.0%)',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(analysis.category).toBe('test_failure');
  });

  it("D (gdc 12, -funittest): an uncaught `module.Exception@file(line): message` with its trace and the runner's verdict", async () => {
    // Prepare: std.conv's ConvException raised from a unittest block.
    const log = lines(
      "std.conv.ConvException@/usr/lib/gcc/x86_64-linux-gnu/12/include/d/std/conv.d(2524): Unexpected 'x' when converting from type string to type int",
      '----------------',
      '??:? pure @safe int std.conv.parse!(int, immutable(char)[], 0).parse(scope ref immutable(char)[]) [0x55ebb4c6cf4e]',
      '??:? int d.parse(immutable(char)[]) [0x55ebb4c6c2e5]',
      '??:? void d.__unittest_L3_C1() [0x55ebb4c6c38b]',
      '??:? ???[0xffffffffffffffff]',
      '1/1 modules FAILED unittests',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 5, 7]));
  });
  it("D (gdc 12, -funittest): a failed assert in the module's own file is druntime's short `file.d(3): [unittest] message`", async () => {
    // Prepare: module queue in queue.d: druntime prints the AssertError without its trace, then its verdict.
    const log = lines('$ ./queue-test', 'queue.d(3): [unittest] second pop', '1/1 modules FAILED unittests');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3]));
    expect(analysis.category).toBe('test_failure');
  });

  it("D (gdc 12): a program's uncaught ConvException with its frames down to `_Dmain`, a runtime error", async () => {
    // Prepare: std.conv.to!int("12x") in main.
    const log = lines(
      "std.conv.ConvException@/usr/lib/gcc/x86_64-linux-gnu/12/include/d/std/conv.d(1991): Unexpected 'x' when converting from type string to type int",
      '----------------',
      '/usr/lib/gcc/x86_64-linux-gnu/12/include/d/std/conv.d:1991 pure @safe int std.conv.toImpl!(int, immutable(char)[]).toImpl(immutable(char)[]) [0x5604c0c553d2]',
      '/usr/lib/gcc/x86_64-linux-gnu/12/include/d/std/conv.d:224 pure @safe int std.conv.to!(int).to!(immutable(char)[]).to(immutable(char)[]) [0x5604c0c5531a]',
      '/home/runner/work/app/app/source/app.d:2 _Dmain [0x5604c0c552e0]',
      'Error: Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 5]));
    expect(analysis.category).toBe('unknown');
  });

  it("gfortran 12: a runtime error's place, `At line 3 of file z.f90`, above its `Fortran runtime error:`, with the backtrace", async () => {
    // Prepare: OPEN of a file that does not exist (status='old'), not built with -fcheck.
    const log = lines(
      './z',
      'At line 3 of file z.f90',
      "Fortran runtime error: Cannot open file 'missing.dat': No such file or directory",
      '',
      'Error termination. Backtrace:',
      '#0  0x7ff2da6218c2 in ???',
      '#5  0x5590cc74a1df in z',
      '\tat /tmp/a59/f/z.f90:3',
      '#6  0x5590cc74a21b in main',
      '\tat /tmp/a59/f/z.f90:4',
      'make: *** [Makefile:4: run] Error 2',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([2, 3]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 8]));
  });

  it("gfortran 12: each compile error's `file:line:col:` above its source lines and caret is listed with its `Error: … at (1)`", async () => {
    // Prepare: -fimplicit-none's untyped name, then too many arguments (a warning about the same line after them).
    const log = lines(
      'gfortran -c -Wall -fimplicit-none c.f90',
      'c.f90:13:3:',
      '',
      '   13 |   x = 1',
      '      |   1',
      'Error: Symbol ‘x’ at (1) has no IMPLICIT type',
      'c.f90:11:6:',
      '',
      '   11 |   n = area(2.0, 3.0)',
      '      |      1',
      'Error: More actual than formal arguments in procedure call at (1)',
      'make: *** [Makefile:7: c.o] Error 1',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([2, 6]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 6, 7, 11]));
    expect(analysis.category).toBe('compilation');
  });
  it("scan-build 14 --status-bugs: the `scan-build: N bugs found.` verdict under clang's count is listed with the findings", async () => {
    // Prepare: a leak on an early return and a garbage operand, one file.
    const log = lines(
      "scan-build: Using '/usr/lib/llvm-14/bin/clang' for static analysis",
      '/usr/lib/llvm-14/bin/../libexec/ccc-analyzer -c -o q.o q.c',
      "q.c:2:66: warning: Potential leak of memory pointed to by 'p' [unix.Malloc]",
      'int f(int n) { int *p = malloc(sizeof *p * n); if (n > 3) return 1; free(p); return 0; }',
      '                                                                 ^',
      "q.c:3:31: warning: The left operand of '+' is a garbage value [core.UndefinedBinaryOperatorResult]",
      'int g(void) { int x; return x + 1; }',
      '                            ~ ^',
      '2 warnings generated.',
      'scan-build: Analysis run complete.',
      'scan-build: 2 bugs found.',
      "scan-build: Run 'scan-view /tmp/scan-build-2026-11-28-164207-5079-1' to examine bug reports.",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 6, 11]));
    expect(analysis.category).toBe('lint');
  });
  it("include-what-you-use 0.18 (iwyu_tool --error): each file's `should add these lines:` and `should remove these lines:` with their entries", async () => {
    // Prepare: a file that uses std::string without its header and includes two it does not use; one clean file.
    const log = lines(
      'iwyu_tool -p . -- -Xiwyu --error',
      '',
      'a.cpp should add these lines:',
      '#include <string>    // for operator<<, string',
      '',
      'a.cpp should remove these lines:',
      '- #include <algorithm>  // lines 2-2',
      '- #include <vector>  // lines 1-1',
      '',
      'The full include-list for a.cpp:',
      '#include <iostream>  // for operator<<, char_traits, basic_ostream, cout',
      '#include <string>    // for operator<<, string',
      '---',
      '',
      '',
      '(b.cpp has correct #includes/fwd-decls)',
      '',
      'Error: Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4, 6, 7, 8]));
    expect(analysis.category).toBe('lint');
  });
  it("Catch2 2.13: the test case's name above its rules of dashes is listed with its `file:line: FAILED:`, and a WARN() between two failures is not", async () => {
    // Prepare: a CHECK that failed with a WARN() after it, then a REQUIRE that threw in the next test case.
    const log = lines(
      '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      't is a Catch v2.13.10 host application.',
      'Run with -? for options',
      '',
      '-------------------------------------------------------------------------------',
      'upper',
      '-------------------------------------------------------------------------------',
      't.cpp:5',
      '...............................................................................',
      '',
      't.cpp:5: FAILED:',
      '  CHECK( up("a") == "A" )',
      'with expansion:',
      '  "a" == "A"',
      '',
      't.cpp:5: warning:',
      '  slow path',
      '',
      '-------------------------------------------------------------------------------',
      'throws',
      '-------------------------------------------------------------------------------',
      't.cpp:6',
      '...............................................................................',
      '',
      't.cpp:6: FAILED:',
      "  REQUIRE( up(\"b\").at(3) == 'x' )",
      'due to unexpected exception with message:',
      '  basic_string::at: __n (which is 3) >= this->size() (which is 1)',
      '',
      '===============================================================================',
      'test cases: 2 | 2 failed',
      'assertions: 2 | 2 failed',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(11);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 11, 12, 14, 20, 25, 26, 28]));
    expect(predictionLines(analysis)).not.toContain(2);
    expect(predictionLines(analysis)).not.toContain(16);
  });
  // Session 60: each `FAIL:` line opens a block of automake.test-failed down to the next, confirmed by the harness's
  // other lines; a block never confirmed is read again by the other rules (gaps-60.test.ts).
  it("automake 1.16 `make check VERBOSE=1`: the harness's `FAIL:` lines, test-suite.log's logs and the summary are one report", async () => {
    // Prepare: a shell test that exits 1 and a TAP script with a failed case and its diagnostic.
    const log = lines(
      'make  check-TESTS',
      "make[1]: Entering directory '/home/runner/work/ringbuf/ringbuf'",
      "make[2]: Entering directory '/home/runner/work/ringbuf/ringbuf'",
      'FAIL: t/wrap.sh',
      'PASS: t/sizes.tap 1 - empty',
      'FAIL: t/sizes.tap 2 - full after 8 pushes',
      '=====================================',
      '   ringbuf 1.2.0: ./test-suite.log',
      '=====================================',
      '',
      '# TOTAL: 3',
      '# PASS:  1',
      '# SKIP:  0',
      '# XFAIL: 0',
      '# FAIL:  2',
      '# XPASS: 0',
      '# ERROR: 0',
      '',
      '.. contents:: :depth: 2',
      '',
      'FAIL: t/wrap',
      '============',
      '',
      'wrap: expected head 0, got 7',
      'FAIL t/wrap.sh (exit status: 1)',
      '',
      'FAIL: t/sizes',
      '=============',
      '',
      '1..2',
      'ok 1 - empty',
      'PASS: t/sizes.tap 1 - empty',
      'not ok 2 - full after 8 pushes',
      'FAIL: t/sizes.tap 2 - full after 8 pushes',
      '# got 7 elements',
      '',
      '============================================================================',
      'Testsuite summary for ringbuf 1.2.0',
      '============================================================================',
      '# TOTAL: 3',
      '# PASS:  1',
      '# SKIP:  0',
      '# XFAIL: 0',
      '# FAIL:  2',
      '# XPASS: 0',
      '# ERROR: 0',
      '============================================================================',
      'See ./test-suite.log',
      '============================================================================',
      "make[2]: *** [Makefile:497: test-suite.log] Error 1",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([4, 24, 33]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 6, 24, 33, 34, 35]));
    expect(analysis.category).toBe('test_failure');
  });
});
