import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { RULE_TABLE } from '../../shared/logs/rules.js';
import { superlinearOn } from '../support/growth.js';

// Session 59's attack on the native sweep (branch native59): variants of the new formats the rules were not written
// from (Windows runners' MSVC builds, a compiler's one-line form), other tools' lines in their shapes, and the cost
// of the expressions the attack added.

const lines = (...l: string[]): string => l.join('\n');

describe('the native formats on other platforms and in other forms', () => {
  it("Catch2 2.13 built with MSVC prints `file.cpp(16): FAILED:`: a failed test, not a generic `FAILED`", async () => {
    // Prepare: Catch2's console reporter names a place MSVC's way on Windows (`file(line)`, its IDE's jump format).
    const log = lines(
      '-------------------------------------------------------------------------------',
      'sum of three',
      '-------------------------------------------------------------------------------',
      'D:\\a\\slug\\slug\\tests\\slug.cpp(14)',
      '...............................................................................',
      '',
      'D:\\a\\slug\\slug\\tests\\slug.cpp(16): FAILED:',
      '  CHECK( slugify("A B") == "a_b" )',
      'with expansion:',
      '  "a-b" == "a_b"',
      '',
      '===============================================================================',
      'test cases: 2 | 1 passed | 1 failed',
      'assertions: 3 | 2 passed | 1 failed',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('cxx-test.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8, 10]));
    expect(analysis.category).toBe('test_failure');
  });

  it("doctest 2.4 built with MSVC prints `file.cpp(8): ERROR: CHECK_EQ( … ) is NOT correct!`: the report, not its summary", async () => {
    // Prepare
    const log = lines(
      '[doctest] doctest version is "2.4.9"',
      '===============================================================================',
      'D:\\a\\slug\\slug\\tests\\t.cpp(4):',
      'TEST CASE:  slugify',
      '',
      'D:\\a\\slug\\slug\\tests\\t.cpp(8): ERROR: CHECK_EQ( slugify("A B"), "a_b" ) is NOT correct!',
      '  values: CHECK_EQ( a-b, a_b )',
      '',
      '===============================================================================',
      '[doctest] test cases: 2 | 1 passed | 1 failed | 0 skipped',
      '[doctest] assertions: 3 | 2 passed | 1 failed |',
      '[doctest] Status: FAILURE!',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 6, 7]));
    expect(analysis.category).toBe('test_failure');
  });

  it("Catch2 2.13's compact reporter (`-r compact`): `t.cpp:5: failed: expr for: values` is a failed test, not a lint finding", async () => {
    // Prepare: real output of a CHECK that failed and a REQUIRE that threw, with a WARN between.
    const log = lines(
      './build/tests -r compact',
      't.cpp:5: failed: up("a") == "A" for: "a" == "A"',
      "t.cpp:5: warning: 'slow path'",
      "t.cpp:6: failed: unexpected exception with message: 'basic_string::at: __n (which is 3) >= this->size() (which is 1)'; expression was: up(\"b\").at(3) == 'x'",
      'Failed both 2 test cases, failed both 2 assertions.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 4]));
    expect(analysis.category).toBe('test_failure');
  });

  it("a one-line C++ test report as a step's first output does not take GitHub's `##[endgroup]` above it into the report", async () => {
    // Prepare: Catch2's compact reporter, run as the step's command: its first line comes right under the step header.
    const log = lines(
      '2026-11-28T07:31:04.0162190Z ##[group]Run ./build/tests -r compact',
      '2026-11-28T07:31:04.0533320Z \u001b[36;1m./build/tests -r compact\u001b[0m',
      '2026-11-28T07:31:04.0904450Z shell: /usr/bin/bash -e {0}',
      '2026-11-28T07:31:04.1275580Z ##[endgroup]',
      '2026-11-28T07:31:04.1646710Z t.cpp:5: failed: up("a") == "A" for: "a" == "A"',
      '2026-11-28T07:31:04.2017840Z Failed 1 test case, failed 1 assertion.',
      '2026-11-28T07:31:04.2388970Z ##[error]Process completed with exit code 1.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).not.toContain(4);
  });

  it("CUnit 2.1's basic interface in its default mode (CU_BRM_NORMAL): `Suite s, Test t had failures:` and its assertions", async () => {
    // Prepare: real output of a failed CU_ASSERT_EQUAL; the summary's header is noise, so this line is all that says it.
    const log = lines(
      '',
      '',
      '     CUnit - A unit testing framework for C - Version 2.1-3',
      '     http://cunit.sourceforge.net/',
      '',
      '',
      'Suite strings, Test compare had failures:',
      '    1. t.c:2  - CU_ASSERT_EQUAL(1 + 1,3)',
      '',
      'Run Summary:    Type  Total    Ran Passed Failed Inactive',
      '              suites      1      1    n/a      0        0',
      '               tests      2      2      1      1        0',
      '             asserts      2      2      1      1      n/a',
      '',
      'Elapsed time =    0.000 seconds',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(7);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8]));
    expect(analysis.category).toBe('test_failure');
  });

  it("gfortran's one-line form (`-fno-diagnostics-show-caret`): `c.f90:13:3: Error: … at (1)` is a compile error, not lint", async () => {
    // Prepare: gfortran 12 with the caret off prints the place and the error on one line.
    const log = lines(
      'gfortran -fno-diagnostics-show-caret -fimplicit-none -c c.f90',
      'c.f90:13:3: Error: Symbol ‘x’ at (1) has no IMPLICIT type',
      'c.f90:11:6: Error: More actual than formal arguments in procedure call at (1)',
      'make: *** [Makefile:7: c.o] Error 1',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(analysis.category).toBe('compilation');
  });
});

describe("GoogleTest's block through its `[  FAILED  ]` line", () => {
  it('ends at the next test\'s `[ RUN      ]`, not at the suite\'s end: the passing tests after a failure are not in it', async () => {
    // Prepare: GoogleTest 1.12's real spacing, `[ RUN      ]` and `[       OK ]`; a failure, then passing tests of
    // the same suite (the block's end had `[  RUN  ]`, which GoogleTest never prints).
    const passing = Array.from({ length: 30 }, (_, i) => [`[ RUN      ] Geo.Passes${i}`, `[       OK ] Geo.Passes${i} (0 ms)`]).flat();
    const log = lines(
      '[----------] 31 tests from Geo',
      '[ RUN      ] Geo.Area',
      '/home/runner/work/geo/geo/tests/geo_test.cpp:12: Failure',
      'Expected equality of these values:',
      '  area(2)',
      '    Which is: 12.56',
      '  12.57',
      '[  FAILED  ] Geo.Area (0 ms)',
      ...passing,
      '[----------] 31 tests from Geo (0 ms total)',
      '',
      '[==========] 31 tests from 1 test suite ran. (1 ms total)',
      '[  PASSED  ] 30 tests.',
      '[  FAILED  ] 1 test, listed below:',
      '[  FAILED  ] Geo.Area',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect([...predictionLines(analysis)].filter((l) => l >= 9 && l <= 68)).toEqual([]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4, 5, 6, 7, 8]));
  });
});

describe("other output in the shapes of the attack's rules", () => {
  it("an installer's advice `…, you should add these lines:` is no include-what-you-use report", async () => {
    // Prepare: a setup script's closing advice in a passing step.
    const log = lines(
      'Installed toolchain 1.4.2 into /home/runner/.local',
      'To use it from a new shell, you should add these lines:',
      '  export PATH="$HOME/.local/bin:$PATH"',
      '',
      'Done.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => `${f.rule}@${f.startLine}`)).toEqual([]);
  });
});

describe("the attack's expressions", () => {
  const expressionsOf = (id: string): RegExp[] => {
    const rule = RULE_TABLE.find((r) => r.id === id);
    if (rule === undefined) throw new Error(`no rule ${id}`);
    return [rule.re, rule.cont, rule.end, rule.tally, ...(rule.categoryFrom ?? []).map((from) => from.re), rule.lookback?.re, rule.lookback?.through].filter((re): re is RegExp => re !== undefined);
  };

  it('read a long line of their own shapes in linear time', () => {
    // Prepare: the pieces of D's, gfortran's, iwyu's, scan-build's and the MSVC-placed C++ headlines many times over
    // without the whole.
    const heads = ['', 'x.d(1): ', 'a.b.', 'Error: ', 'x.cpp(8)', 'a.cpp ', 'scan-build: ', 'Suite s'];
    const units = ['a.', 'x.d(1', 'Error@', 'x(1): ', ' at (1', ':1:', '(1):', '??:? ', '[0x1', '#1  0x', 'a:1:2:', ' should add these lines:', 'scan-build: 1 ', ', Test ', ' had failures:'];
    // Act
    const slow = ['d.throwable', 'gfortran.error', 'gfortran.runtime-error', 'cxx-test.failed', 'iwyu.includes', 'lint.file-line', 'cunit.failed'].flatMap((id) => expressionsOf(id).flatMap((re) => superlinearOn(re, heads, units)));
    // Assert
    expect(slow).toEqual([]);
  }, 180_000);
});
