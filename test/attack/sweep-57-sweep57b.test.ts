import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { NOISE_RE, RULES, type Rule } from '../../shared/logs/rules.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND } from '../support/growth.js';
import { expectTopFailure, type TopFailureRow } from '../support/top-failure.js';

// Session 57's review of branch sweep57b's rule changes: output of other tools and programs in the shapes the new
// rules read, each expected to be read as it was before the change or better.

/** A Python script's uncaught exception (CPython 3.12), under a shell harness's verdicts. */
const TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/home/runner/work/app/app/check.py", line 3, in <module>',
  '    main()',
  'ValueError: bad config',
];

const ROWS: TopFailureRow[] = [
  {
    // A script's own `[OK]`/`[FAILED]` verdicts are not Nim's unittest: Nim's report under a verdict is its
    // check's or exception's lines four spaces in. Taken as Nim's, the verdict took the traceback above it.
    name: "a shell harness's `[FAILED] step` under a Python traceback, an `[OK]` verdict above both",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: ['[OK] lint', ...TRACEBACK, '[FAILED] unit tests'],
  },
  {
    // The harness's summary at the end says that a step failed, not why: the traceback above says why.
    name: "a shell harness's summary (`[OK] lint`, `[FAILED] unit tests`) below the traceback it ran into",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: [...TRACEBACK, '==== summary ====', '[OK] lint', '[FAILED] unit tests'],
  },
  {
    // A note four spaces in under the traceback is no check of Nim's (its file and position, a value's `was`, an
    // exception's `Unhandled exception:`).
    name: "a shell harness's `[FAILED] step` under a traceback and the script's indented hint",
    rule: 'python.traceback',
    head: 'ValueError: bad config',
    absent: 'nim.unittest-failed',
    log: ['[OK] lint', ...TRACEBACK, '    see docs/config.md for the keys', '[FAILED] unit tests'],
  },
  {
    // Perl 5.36 (`perl bin/report.pl`): `Can't locate package X for @Y::ISA` is a warning (perldiag: W syntax),
    // printed each time a method is looked up; the death is the method it could not find, propagated by a bare `die`.
    name: "Perl's `Can't locate package … for @…::ISA` warnings round the death the script died of",
    rule: 'perl.died',
    head: 'Can\'t locate object method "nothing" via package "Cart" at bin/report.pl line 7.',
    log: [
      'While trying to resolve method call Cart->nothing() can not locate package "Basket::Base" yet it is mentioned in @Cart::ISA (perhaps you forgot to load "Basket::Base"?) at bin/report.pl line 6.',
      "Can't locate package Basket::Base for @Cart::ISA at lib/Cart.pm line 5.",
      "Can't locate package Basket::Base for @Cart::ISA at lib/Cart.pm line 5.",
      'Can\'t locate object method "nothing" via package "Cart" at bin/report.pl line 7.',
      '\t...propagated at lib/Cart.pm line 5.',
      "Can't locate package Basket::Base for @Cart::ISA at lib/Cart.pm line 5.",
    ],
  },
  {
    // OCaml 4.13 (ocamlopt -g), run with OCAMLRUNPARAM=b: the frames under the exception are its report.
    name: "OCaml's uncaught exception with its backtrace (`Raised at`, `Called from`)",
    rule: 'ocaml.uncaught',
    head: 'Fatal error: exception Not_found',
    endLine: 5,
    log: [
      'a = 1',
      'Fatal error: exception Not_found',
      'Raised at Stdlib__Hashtbl.find in file "hashtbl.ml", line 539, characters 13-28',
      'Called from Main.lookup in file "main.ml" (inlined), line 1, characters 19-37',
      'Called from Main in file "main.ml", line 7, characters 27-43',
    ],
  },
  {
    // Perl 5.36, a bare `die`: no keyword of the pre-filter's in it, only the `.pl line N` it widened to.
    name: "Perl's `Died at bin/load.pl line 4.`",
    rule: 'perl.died',
    head: 'Died at bin/load.pl line 4.',
    log: ['Run perl bin/load.pl', 'loading the configuration', 'Died at bin/load.pl line 4.'],
  },
];

describe('sweep 57 (sweep57b): the extractor on output the new rules must leave alone', () => {
  it.each(ROWS)('$name', expectTopFailure);

  it("ends a Perl test script's death at its message, above Test::More's verdicts on the script", async () => {
    // Prepare: `prove t/` (Perl 5.36): a failed is(), then a script that dies after its first test.
    const log = [
      "#   Failed test 'multiplies'",
      '#   at t/basic.t line 5.',
      "#          got: '6'",
      "#     expected: '5'",
      '# Looks like you failed 1 test of 3.',
      't/basic.t .. ',
      'Dubious, test returned 1 (wstat 256, 0x100)',
      'Failed 1/3 subtests ',
      'Can\'t call method "size" on an undefined value at t/dies.t line 6.',
      '# Tests were run but no plan was declared and done_testing() was not seen.',
      '# Looks like your test exited with 255 just after 1.',
      't/dies.t ... ',
      'Dubious, test returned 255 (wstat 65280, 0xff00)',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const death = analysis.failures.find((f) => f.lines[0]?.line === 9);
    expect([death?.rule, death?.startLine, death?.endLine]).toEqual(['perl.test-failed', 9, 9]);
  });

  it("lists a stylish lint report's file and its error, not the warnings the look-back reached over", async () => {
    // Prepare: ESLint 8's stylish format.
    const log = [
      '/home/runner/work/app/app/src/index.js',
      "   3:7   warning  'unused' is assigned a value but never used  no-unused-vars",
      '   8:5   warning  Unexpected console statement                 no-console',
      '  12:3   warning  Unexpected console statement                 no-console',
      "  20:10  error    'fetchData' is not defined                   no-undef",
      '  25:1   warning  Unexpected console statement                 no-console',
      '',
      '✖ 5 problems (1 error, 4 warnings)',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual([5, 1]);
  });

  it("lists an OCaml test's uncaught exception under `dune test` by dune's line and the exception, not the test's output", async () => {
    // Prepare: dune 2.9 running a test executable that printed its passing checks before it raised (OCaml 4.13).
    const log = [
      ' test_shapes alias test/runtest (exit 2)',
      '(cd _build/default/test && ./test_shapes.exe)',
      'ok circle area',
      'ok rect perimeter',
      'Fatal error: exception Assert_failure("test/test_shapes.ml", 6, 2)',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([...predictionLines(analysis)].sort((a, b) => a - b)).toEqual([1, 5]);
  });

  it("ends Ant's <junit> report at the first line without the task's prefix: another failure's, or Ant's verdict", async () => {
    // Prepare: Ant 1.10 with JUnit 4.13's plain formatter, the test's frames not closed by an empty `[junit]` line
    // (the forked JVM ran out of memory and Ant printed its own lines next).
    const junit = (line: string): string => `    [junit] ${line}`;
    const log = [
      junit('Testcase: shipSubtracts took 0.001 sec'),
      junit('\tFAILED'),
      junit('nuts left after shipping expected:<6> but was:<5>'),
      junit('junit.framework.AssertionFailedError: nuts left after shipping expected:<6> but was:<5>'),
      junit('\tat com.acme.stock.InventoryTest.shipSubtracts(Unknown Source)'),
      'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space',
      '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3512)',
      'BUILD FAILED',
      '/w/stock/build.xml:25: Some tests failed',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const report = analysis.failures.find((f) => f.rule === 'ant.junit-failed');
    expect([report?.startLine, report?.endLine]).toEqual([1, 5]);
    expect(analysis.failures.some((f) => f.lines.some((l) => l.line === 6 && l.text.includes('OutOfMemoryError')))).toBe(true);
  });
});

/**
 * Line lengths from the 4 KB the scanner reads of a line to eight times it: there a quadratic reading's smallest size
 * already costs more than the fit's floor (0.5 ms), so that its growth shows (at 1–2 KB it reads as linear).
 */
const LINE_COST_SIZES = [4_000, 8_000, 16_000, 32_000];
/** `unit` again and again, as many times as fit in `size` characters. */
const times = (unit: string, size: number): string => unit.repeat(Math.floor(size / unit.length));
const rule = (id: string): Rule | undefined => RULES.find((r) => r.id === id);

/** The branch's new expressions, each on a line built to make a backtracking one try every split. */
const HOSTILE_LINES: Array<{ name: string; re: RegExp | undefined; line: (size: number) => string }> = [
  { name: "perl.died headline, a filehandle's `, <` again and again", re: rule('perl.died')?.re, line: (n) => `Died${times(' at x line 1, <', n)}x` },
  { name: "perl.test-failed headline, a test script's death, the same", re: rule('perl.test-failed')?.re, line: (n) => `Died${times(' at x.t line 1, <', n)}x` },
  { name: 'perl.died headline, `near "` again and again', re: rule('perl.died')?.re, line: (n) => `syntax error${times(' at x line 1, near "', n)}x\u2028` },
  { name: "ctest.failed-list's list, an opening parenthesis again and again", re: rule('ctest.failed-list')?.closing?.through, line: (n) => `  1 - x${times(' (a', n)}x)y` },
  { name: 'testthat.plain-failed headline', re: rule('testthat.plain-failed')?.re, line: (n) => `Failure ('${times('a.R:1', n)}'x` },
  { name: 'testthat.plain-failed end', re: rule('testthat.plain-failed')?.end, line: (n) => `Skip ('${times("a'", n)}x` },
  { name: "nim.unittest-failed's check above the verdict", re: rule('nim.unittest-failed')?.under?.header, line: (n) => `    a${times(' wa', n)}x` },
  { name: "nim.unittest-failed's check above the verdict, a file's place", re: rule('nim.unittest-failed')?.under?.header, line: (n) => `    ${times('a.nim(1, 1)', n)}x` },
  { name: 'luacheck.problem headline', re: rule('luacheck.problem')?.re, line: (n) => `    ${times('a.lua:1:1', n)}x` },
  { name: "javac.error's Ant lines", re: rule('javac.error')?.cont, line: (n) => `    [javac] ${times('a.java:1', n)}: x` },
  { name: "eslint.error's look-back over warnings", re: rule('eslint.error')?.lookback?.through, line: (n) => ` ${times('1:1 ', n)}x` },
  { name: 'ocaml.uncaught headline', re: rule('ocaml.uncaught')?.re, line: (n) => `Fatal error: exception A${times('.a', n)}-` },
  { name: "ocaml.uncaught's dune line", re: rule('ocaml.uncaught')?.lookback?.re, line: (n) => ` a alias${times(' a', n)} (exit 1) x` },
  { name: "ant.junit-failed's end, blanks before the task's prefix", re: rule('ant.junit-failed')?.end, line: (n) => `${times(' ', n)}[junit]x` },
  { name: 'noise, a Nim stack frame', re: NOISE_RE, line: (n) => `${times('a.nim(1)', n)} x y` },
];

describe('sweep 57 (sweep57b): the new expressions read a long line in linear time', () => {
  it.each(HOSTILE_LINES)('$name', { timeout: 120_000 }, ({ re, line }) => {
    if (re === undefined) throw new Error('no expression');
    expect(cpuGrowthExponent(LINE_COST_SIZES, line, (text) => re.test(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
