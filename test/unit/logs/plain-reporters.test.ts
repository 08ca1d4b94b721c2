import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines, type LogAnalysis } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');
/** Each failure's rule and the first and last lines of its block. */
const spans = (analysis: LogAnalysis): Array<[string, number, number]> => analysis.failures.map((f) => [f.rule, f.startLine, f.endLine]);

/**
 * Test runners' and linters' reports as a CI runner gets them (no terminal: plain arrows, no rules round a
 * headline), their edges: where a report ends, and the look-alike lines that are not one. The real runs are in
 * test/fixtures/gha-real-tools (session 57).
 */
describe("reports of runners without a terminal, and what is not part of them", () => {
  it("TAP: takes Bats' comments under `not ok` into its report, not the next test's name under tape's", async () => {
    // Prepare: tape, whose `# name` comment heads the next test, and Bats 1.8 (`bats test`).
    const tape = lines('TAP version 13', '# add', 'not ok 1 should be equal', '# subtract', 'ok 2 should be equal', '', '1..2', '# tests 2');
    const bats = lines(
      '1..2',
      'not ok 1 version prints the release',
      '# (in test file test/dotctl.bats, line 15)',
      '#   `[ "$output" = "dotctl 0.5.0" ]\' failed',
      'ok 2 link creates a symlink',
    );
    // Act
    const [ofBats, ofTape] = await Promise.all([analyzeLog(bats), analyzeLog(tape)]);
    // Assert
    expect(predictionLines(ofBats)).toEqual([2, 3, 4]);
    expect(ofTape.failures[0]?.lines.map((l) => l.line)).toEqual([3]);
    expect(ofBats.failures[0]?.rule).toBe('tap.not-ok');
  });

  it("Perl: Test::More's diagnostics belong to the failed test; a test script's death is one; a warning is none", async () => {
    // Prepare: a module's warning and its death, then `prove -l t` (Perl 5.36): a failed `is()`, another file dying.
    const warning = 'Use of uninitialized value $sku in concatenation (.) or string at lib/Basket/Cart.pm line 12.';
    const died = 'Can\'t call method "price" on an undefined value at lib/Basket/Cart.pm line 20, <STDIN> line 3.';
    const log = lines(
      "#   Failed test 'total sums price times quantity'",
      '#   at t/cart.t line 9.',
      "#          got: '5.40'",
      "#     expected: '4.50'",
      '# Looks like you failed 1 test of 1.',
      't/cart.t ...... ',
      'Can\'t locate object method "total_in" via package "Basket::Cart" at t/currency.t line 8.',
    );
    // Act
    const [analysis, ofWarning, ofDeath] = await Promise.all([analyzeLog(log), analyzeLog(warning), analyzeLog(died)]);
    // Assert
    expect(analysis.failures.filter((f) => f.rule === 'perl.test-failed').map((f) => f.lines.map((l) => l.line))).toEqual([[1, 2, 3, 4], [7]]);
    expect(ofWarning.failures.map((f) => f.rule)).not.toContain('perl.died');
    expect(ofDeath.failures[0]?.rule).toBe('perl.died');
  });

  it("Perl: a module's syntax error, under `use_ok` and where a test script dies of it, is reported whole", async () => {
    // Prepare: `prove -l t` (Perl 5.36) over a module missing a `}`: Test::More quotes Perl's message in `# ` lines.
    const log = lines(
      "#   Failed test 'use Basket::Cart;'",
      '#   at t/00-load.t line 4.',
      "#     Tried to use 'Basket::Cart'.",
      '#     Error:  Missing right curly or square bracket at /w/lib/Basket/Cart.pm line 29, at end of line',
      '# syntax error at /w/lib/Basket/Cart.pm line 29, at EOF',
      '# Compilation failed in require at t/00-load.t line 4.',
      '# Looks like you failed 1 test of 1.',
      't/00-load.t ... ',
      'Missing right curly or square bracket at /w/lib/Basket/Cart.pm line 29, at end of line',
      'syntax error at /w/lib/Basket/Cart.pm line 29, near "}"',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(spans(analysis).filter(([rule]) => rule.startsWith('perl.'))).toEqual([
      ['perl.test-failed', 1, 6],
      ['perl.died', 9, 9],
      ['perl.died', 10, 10],
    ]);
  });

  it("Nim's unittest: a report runs back from `[FAILED] name` to the previous verdict, its check or exception first", async () => {
    // Prepare: Nim 1.6's std/unittest; an IndexDefect's stack frames (`fatal.nim(54) sysFatal`) name procedures.
    const log = lines(
      '[Suite] csvtool',
      '  [OK] parses a line',
      '    /w/tests/test_csvtool.nim(10, 29): Check failed: sumColumn(rows, 1) == 3.5',
      '    sumColumn(rows, 1) was 3.75',
      '  [FAILED] sums a column',
      '/nim/lib/pure/unittest.nim(681) test_csvtool',
      '/w/src/csvtool.nim(10) column',
      '/nim/lib/system/fatal.nim(54) sysFatal',
      '',
      '    Unhandled exception: index 1 not in 0 .. 0 [IndexDefect]',
      '  [FAILED] missing column',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => [f.rule, f.lines[0]?.line, f.startLine, f.endLine])).toEqual([
      ['nim.unittest-failed', 3, 3, 5],
      ['nim.unittest-failed', 10, 6, 11],
    ]);
  });

  it("Ant's <junit> plain formatter: a test's report from its `Testcase:` line; a passed test's line reports nothing", async () => {
    // Prepare: Ant 1.10 with JUnit 4.13.
    const log = lines(
      '    [junit] Testcase: shipSubtracts took 0.001 sec',
      '    [junit] \tFAILED',
      '    [junit] nuts left after shipping expected:<6> but was:<5>',
      '    [junit] junit.framework.AssertionFailedError: nuts left after shipping expected:<6> but was:<5>',
      '    [junit] \tat com.acme.stock.InventoryTest.shipSubtracts(Unknown Source)',
      '    [junit] ',
      '    [junit] Testcase: receiveAddsUp took 0 sec',
      '    [junit] Test com.acme.stock.InventoryTest FAILED',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(spans(analysis)[0]).toEqual(['ant.junit-failed', 1, 5]);
  });

  it("testthat without a terminal: each `Failure ('file:line'): name` with the values under it, to the next report", async () => {
    // Prepare: testthat 3.1's progress reporter on R 4.2, its output not a terminal.
    const log = lines(
      "Failure ('test-convert.R:6'): f_to_c converts body temperature",
      'f_to_c(98.6) (`actual`) not equal to 37.5 (`expected`).',
      '',
      '  `actual`: 37.0',
      '`expected`: 37.5',
      '',
      "Error ('test-convert.R:11'): describe_temp names ranges",
      'Error in `if (c < 0) "freezing" else "hot"`: the condition has length > 1',
      '────────────────────────────────────────────────────────────────────────────────',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(spans(analysis)).toEqual([
      ['testthat.plain-failed', 1, 5],
      ['testthat.plain-failed', 7, 8],
    ]);
  });

  it("stylish lint output: a file's first error reaches back over the warnings above it to the file's path", async () => {
    // Prepare: yamllint 1.29's standard format (ESLint's stylish reads the same), with and without the file's path.
    const warningsOnly = lines('  1:1       warning  missing document start "---"  (document-start)', '  4:16      error    too many spaces inside brackets  (brackets)');
    const log = lines('./.github/workflows/ci.yml', warningsOnly);
    // Act
    const [analysis, unheaded] = await Promise.all([analyzeLog(log), analyzeLog(warningsOnly)]);
    // Assert
    expect(analysis.failures[0]?.startLine).toBe(1);
    expect(unheaded.failures[0]?.startLine).toBe(2);
  });

  it("busted's plain output (`->`), php -l's `Errors parsing` and rebar3's `Compiling … failed` are their reports' lines", async () => {
    // Prepare: busted 2.1 without a terminal; PHP 8.2's `php -l`; rebar3 3.19 on OTP 25.
    const busted = lines('Failure -> spec/slugify_spec.lua @ 9', 'slugify trims surrounding spaces', 'spec/slugify_spec.lua:10: Expected objects to be equal.');
    const php = lines(
      'PHP Parse error:  syntax error, unexpected token "}" in src/Invoice.php on line 14',
      'Errors parsing src/Invoice.php',
      'No syntax errors detected in src/Money.php',
    );
    const rebar = lines('===> Compiling src/kvstore.erl failed', "src/kvstore.erl:11:18: variable 'Default' is unbound");
    // Act
    const [ofBusted, ofPhp, ofRebar] = await Promise.all([analyzeLog(busted), analyzeLog(php), analyzeLog(rebar)]);
    // Assert
    expect(ofBusted.failures[0]?.rule).toBe('busted.failed');
    expect(predictionLines(ofBusted)).toEqual([1, 2, 3]);
    expect(predictionLines(ofPhp)).toEqual([1, 2]);
    expect(ofRebar.failures[0]?.startLine).toBe(1);
  });

  it("OCaml's uncaught exception is OCaml's, not PHP's, and under `dune test` its report starts at dune's line", async () => {
    // Prepare: PHP's fatal error, alike to the word, and dune 2.9 running a test executable (OCaml 4.13).
    const php = 'PHP Fatal error:  Uncaught Error: Call to undefined function total() in /app/src/x.php:6';
    const dune = lines(
      ' test_shapes alias test/runtest (exit 2)',
      '(cd _build/default/test && ./test_shapes.exe)',
      'ok circle area',
      'Fatal error: exception Assert_failure("test/test_shapes.ml", 6, 2)',
    );
    // Act
    const [ofDune, ofPhp] = await Promise.all([analyzeLog(dune), analyzeLog(php)]);
    // Assert
    expect(ofDune.failures.map((f) => [f.rule, f.lines[0]?.line, f.startLine])).toEqual([['ocaml.uncaught', 4, 1]]);
    expect(ofPhp.failures[0]?.rule).toBe('php.fatal');
  });

  it("luacheck: a file's problems four spaces in, under its `Checking` line", async () => {
    // Prepare: luacheck 1.1 (its colour cut).
    const checking = (file: string, verdict: string): string => `Checking ${file.padEnd(42)}${verdict}`;
    const log = lines(
      checking('src/render.lua', '6 warnings'),
      '',
      '    src/render.lua:7:9: unused variable unused',
      '    src/render.lua:12:3: setting non-standard global variable out',
      '',
      checking('src/slugify.lua', 'OK'),
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => [f.rule, f.lines.map((l) => l.line)])).toEqual([['luacheck.problem', [3, 1, 4]]]);
  });

  it("Ant's javac: each error behind the task's `    [javac] `, its code, caret and notes under it, before Ant's verdict", async () => {
    // Prepare: Ant 1.10.13 on OpenJDK 17 (`ant test`), the project's path cut to `src/…`.
    const javac = (line: string): string => `    [javac] ${line}`;
    const log = lines(
      'compile:',
      javac('Compiling 1 source file to /w/stock/build/classes'),
      javac('src/com/acme/stock/Inventory.java:18: error: method put in interface Map<K,V> cannot be applied to given types;'),
      javac('        counts.put(sku, have - qty, true);'),
      javac('              ^'),
      javac('  required: String,Integer'),
      javac('  found:    String,int,boolean'),
      javac('src/com/acme/stock/Inventory.java:22: error: cannot find symbol'),
      javac('        return counts.get(sku).size;'),
      javac('  symbol:   variable size'),
      javac('2 errors'),
      '',
      'BUILD FAILED',
      '/w/stock/build.xml:10: Compile failed; see the compiler error output for details.',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(spans(analysis).slice(0, 2)).toEqual([
      ['javac.error', 3, 7],
      ['javac.error', 8, 10],
    ]);
  });

  it("Nim's type mismatch: the candidates and the expression under the error are its report", async () => {
    // Prepare: `nim c --hints:off src/csvtool.nim` (Nim 1.6.10).
    const candidates = ['proc `+=`[T: float | float32 | float64](x: var T; y: T)', '  first type mismatch at position: 2', "  but expression 'v' is of type: string"];
    const log = lines(
      '/w/src/csvtool.nim(15, 12) Error: type mismatch: got <float, string>',
      'but expected one of:',
      ...candidates,
      '1 other mismatching symbols have been suppressed; compile with --showAllMismatches:on to see them',
      '',
      'expression: result += v',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(spans(analysis)).toEqual([['nim.error', 1, 8]]);
  });
});
