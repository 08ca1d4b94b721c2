import { describe, expect, it } from 'vitest';
import { analyzeLog } from '../../shared/logs/index.js';
import { RULE_TABLE } from '../../shared/logs/rules.js';
import { superlinearOn } from '../support/growth.js';

// Session 59's review of the native sweep's rules (Catch2, doctest, Check, CUnit, Boost.Test, GoogleTest's `unknown
// file`, Free Pascal, valac's positions, gcovr's floor): real runs of the same tools that passed, with their warnings
// and their passed-test lines in the shapes the new rules read, each expected to be no failure.

interface PassingRun {
  name: string;
  log: string[];
  /** Why the extractor still reports a failure in it, when it does (found by this review, not fixed): an expected failure. */
  open?: string;
}

const PASSING: PassingRun[] = [
  {
    // Catch2 2.13.10: a WARN() in a passing test case prints `file:line: warning:` under the test's header.
    name: "Catch2's `file:line: warning:` of a WARN() in a passing run",
    log: [
      '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~',
      'c2pass is a Catch v2.13.10 host application.',
      'Run with -? for options',
      '',
      '-------------------------------------------------------------------------------',
      'sum of three',
      '-------------------------------------------------------------------------------',
      'c2pass.cpp:4',
      '...............................................................................',
      '',
      'c2pass.cpp:4: warning:',
      '  slow path taken',
      '',
      '===============================================================================',
      'All tests passed (1 assertion in 1 test case)',
    ],
  },
  {
    // doctest 2.4.9: a WARN() that does not hold is reported as `WARNING: WARN( … ) is NOT correct!` and the run passes.
    name: "doctest's `WARNING: WARN( … ) is NOT correct!` in a passing run",
    log: [
      '[doctest] doctest version is "2.4.9"',
      '[doctest] run with "--help" for options',
      '===============================================================================',
      'dtpass.cpp:4:',
      'TEST CASE:  sum of three',
      '',
      'dtpass.cpp:4: WARNING: WARN( sum({}) == 1 ) is NOT correct!',
      '  values: WARN( 0 == 1 )',
      '',
      '===============================================================================',
      '[doctest] test cases: 1 | 1 passed | 0 failed | 0 skipped',
      '[doctest] assertions: 1 | 1 passed | 0 failed |',
      '[doctest] Status: SUCCESS!',
    ],
  },
  {
    // Check 0.15 under CK_VERBOSE: a line per passed test, in the failures' `file:line:P:tcase:test:N:` shape.
    name: "Check's `file:line:P:tcase:test:0: Passed` lines under CK_VERBOSE",
    log: ['Running suite(s): users', '100%: Checks: 2, Failures: 0, Errors: 0', 'ckpass.c:3:P:names:test_ok:0: Passed', 'ckpass.c:4:P:names:test_ok2:0: Passed'],
  },
  {
    // CUnit 2.1-3, CU_BRM_VERBOSE: `Test: name ...passed` and the summary's `Failed` column at 0.
    name: "CUnit's `Test: name ...passed` and its run summary with no failure",
    log: [
      '     CUnit - A unit testing framework for C - Version 2.1-3',
      '     http://cunit.sourceforge.net/',
      '',
      'Suite: strings',
      '  Test: compare ...passed',
      '',
      'Run Summary:    Type  Total    Ran Passed Failed Inactive',
      '              suites      1      1    n/a      0        0',
      '               tests      1      1      1      0        0',
      '             asserts      1      1      1      0      n/a',
      '',
      'Elapsed time =    0.000 seconds',
    ],
  },
  {
    // GoogleTest 1.12: a passing run with a disabled test.
    name: 'GoogleTest passing with a disabled test (`[ DISABLED ]`, `YOU HAVE 1 DISABLED TEST`)',
    log: [
      'Running main() from ./googletest/src/gtest_main.cc',
      '[==========] Running 1 test from 1 test suite.',
      '[----------] Global test environment set-up.',
      '[----------] 1 test from Vec',
      '[ RUN      ] Vec.Ok',
      '[       OK ] Vec.Ok (0 ms)',
      '[ DISABLED ] Vec.DISABLED_Slow',
      '[----------] 1 test from Vec (0 ms total)',
      '',
      '[----------] Global test environment tear-down',
      '[==========] 1 test from 1 test suite ran. (0 ms total)',
      '[  PASSED  ] 1 test.',
      '',
      '  YOU HAVE 1 DISABLED TEST',
    ],
  },
  {
    // Boost.Test 1.74: a passing module, its verdict in colour, a BOOST_WARN that did not hold printing nothing.
    name: "Boost.Test's `*** No errors detected` in colour",
    log: ['Running 1 test case...', '', '\u001b[1;32;49m*** No errors detected', '\u001b[0;39;49m'],
  },
  {
    // Free Pascal 3.2.2: a warning and a note in a program that compiles.
    name: "Free Pascal's `file.pas(L,C) Warning:` and `Note:` in a build that succeeds",
    log: [
      'Free Pascal Compiler version 3.2.2+dfsg-20 [2023/03/30] for x86_64',
      'Copyright (c) 1993-2021 by Florian Klaempfl and others',
      'Target OS: Linux for x86-64',
      'Compiling w.pas',
      'w.pas(4,12) Warning: Variable "x" does not seem to be initialized',
      'w.pas(2,5) Note: Local variable "unused" not used',
      'Linking w',
      '5 lines compiled, 0.0 sec',
      '1 warning(s) issued',
      '1 note(s) issued',
    ],
  },
  {
    // valac 0.56: a warning with valac's `line.column-line.column` range, and its verdict.
    name: "valac's `file.vala:L.C-L.C: warning:` in a build that succeeds",
    log: [
      "vw.vala:2.9-2.14: warning: Local variable `unused' declared but never used",
      '    2 |     int unused = 3;',
      '      |         ^~~~~~     ',
      'Compilation succeeded - 1 warning(s)',
    ],
  },
  {
    // gcovr 5.2 over the floor: the report alone.
    name: "gcovr's report above its `--fail-under-line` floor",
    log: [
      '------------------------------------------------------------------------------',
      '                           GCC Code Coverage Report',
      'Directory: .',
      '------------------------------------------------------------------------------',
      'File                                       Lines    Exec  Cover   Missing',
      '------------------------------------------------------------------------------',
      'src/strbuf.c                                  20      12    60%   13-17,23-25',
      '------------------------------------------------------------------------------',
      'TOTAL                                         20      12    60%',
      '------------------------------------------------------------------------------',
    ],
  },
];

describe("passing runs of the native sweep's tools (session 59)", () => {
  for (const run of PASSING) {
    const row = run.open === undefined ? it : it.fails;
    row(`reports no failure: ${run.name}${run.open === undefined ? '' : `, open: ${run.open}`}`, async () => {
      // Act
      const analysis = await analyzeLog(run.log.join('\n'));
      // Assert
      expect(analysis.failures.map((f) => `${f.rule}@${f.startLine}`)).toEqual([]);
    });
  }
});

describe("the native sweep's expressions", () => {
  const NEW_RULES = ['cxx-test.failed', 'cunit.failed', 'boost-test.error', 'fpc.error', 'gtest.failure'];
  const expressionsOf = (id: string): RegExp[] => {
    const rule = RULE_TABLE.find((r) => r.id === id);
    if (rule === undefined) throw new Error(`no rule ${id}`);
    return [rule.re, rule.cont, rule.end, rule.lookback?.re, rule.lookback?.through].filter((re): re is RegExp => re !== undefined);
  };

  it('read a long line of their own shapes in linear time', () => {
    // Prepare: lines that hold each headline's pieces many times over without the whole (the worst case for a
    // lazy `\S+?` before `:\d+` and for `.*` before a fixed tail), after nothing or after a headline's start.
    const heads = ['', 'x.cpp:8', 'x.cpp(8): ', '  Test: '];
    const units = ['a:1:', 'x.cpp:8: ', ': ERROR: CHECK( ', ':F:c:t:0', ' ...', 'x(1): ', 'unknown file: ', 'a.pas(1,2) ', 'with :'];
    // Act
    const slow = NEW_RULES.flatMap((id) => expressionsOf(id).flatMap((re) => superlinearOn(re, heads, units)));
    // Assert
    expect(slow).toEqual([]);
  }, 120_000);
});

describe("other tools' lines in the shapes of the native sweep's rules", () => {
  const LOOK_ALIKES: Array<{ name: string; log: string[]; rule: string; category: string }> = [
    {
      // Boost.Test's `file(N): error: in "…"` is MSVC's shape: MSVC's own error has its code, not `in "`.
      name: "MSVC's `file.cpp(12): error C2065:` stays a compile error",
      log: ["src\\geo.cpp(12): error C2065: 'area': undeclared identifier"],
      rule: 'nvcc.error',
      category: 'compilation',
    },
    {
      name: 'an EDG front end\'s `kernel.cu(42): error: identifier "x" is undefined` stays a compile error',
      log: ['kernel.cu(42): error: identifier "x" is undefined'],
      rule: 'nvcc.error',
      category: 'compilation',
    },
    {
      // valac's position range widened CC_ERROR_RE: GCC's own `line:column` still reads as before.
      name: "GCC's `src/x.c:12:5: error:` stays GCC's",
      log: ["src/x.c:12:5: error: 'y' undeclared (first use in this function)"],
      rule: 'cc.error',
      category: 'compilation',
    },
    {
      name: "tsc's `src/a.ts(12,5): error TS2345:` stays tsc's",
      log: ["src/a.ts(12,5): error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'."],
      rule: 'tsc.error',
      category: 'compilation',
    },
  ];
  for (const row of LOOK_ALIKES) {
    it(row.name, async () => {
      // Act
      const analysis = await analyzeLog(row.log.join('\n'));
      // Assert
      expect([analysis.failures[0]?.rule, analysis.category]).toEqual([row.rule, row.category]);
    });
  }

  it("ends GoogleTest's MSVC-shaped report (`file.cpp(27): error: Expected …`) at its `[  FAILED  ]` line, not the run's summary", async () => {
    // Prepare: the test's `[  FAILED  ]` line, then the suite's and the run's closing lines.
    const log = [
      'C:\\src\\geo_test.cpp(27): error: Expected equality of these values:',
      '  area(r)',
      '    Which is: 12',
      '  13',
      '[  FAILED  ] Geo.Area (0 ms)',
      '[----------] 1 test from Geo (0 ms total)',
      '[==========] 1 test from 1 test suite ran. (0 ms total)',
      '[  FAILED  ] 1 test, listed below:',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine, analysis.failures[0]?.endLine]).toEqual(['gtest.failure', 1, 5]);
  });
});
