/**
 * Session 60: the extractor's gaps that session 59's attackers and lead left open, each on a tool's real output shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SCANNER_TRIGGERS } from '../../../shared/logs/dispatch.js';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { LineFilter } from '../../../shared/logs/line-filter.js';
import { cleanLine, CleaningHazards, NAMED } from '../../../shared/logs/reader.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

describe('a zero-padded move to column one (`ESC[01G`, `ESC[00G`) is a carriage return, as `ESC[1G` is', () => {
  afterEach(restoreFastPaths);
  // CHA's parameter is a decimal number (ECMA-48 5.4.2): `01` is 1 and `00` is 0, the default; both send the cursor to
  // the first column, so what follows draws over what came before.
  const moves = ['\x1b[01G', '\x1b[00G', '\x1b[001G'];

  it.each(moves)('cleans %j as `ESC[1G` is cleaned, and finds it a cleaning hazard', (move) => {
    const raw = `Downloading 40%${move}src/app.py:3:1: E302 expected 2 blank lines, found 1`;
    expect(cleanLine(raw)).toBe(cleanLine(raw.replace(move, '\x1b[1G')));
    expect(cleanLine(raw)).toBe('src/app.py:3:1: E302 expected 2 blank lines, found 1');
    expect(new CleaningHazards().in(Buffer.from(raw), 0, raw.length)).toBe(true);
  });

  it.each(moves)('names the segment after %j in WebAssembly and in JavaScript alike (a line-start shape)', (move) => {
    // rustfmt's `Diff in file at line N:` holds no keyword: only its line-start shape names it.
    const filter = new LineFilter(SCANNER_TRIGGERS);
    const bytes = Buffer.from(`Downloading 40%${move}Diff in /home/runner/work/app/app/src/lib.rs at line 3:\n`);
    const named = (entries: ArrayLike<number>): boolean => ((entries[0] as number) & NAMED) !== 0;
    expect(named(filter.flag(bytes, 0, bytes.length))).toBe(true);
    expect(named(filter.flagInJs(bytes, 0, bytes.length))).toBe(true);
  });

  it('finds the failure drawn over a progress line with the fast paths as reading every line does', async () => {
    const log = `${'ok\n'.repeat(300)}Downloading 40%\x1b[01Gsrc/app.py:3:1: E302 expected 2 blank lines, found 1\n`;
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ startLine: number }>).map((f) => f.startLine)).toContain(301);
  });

  it('still reads a move to another column (`ESC[10G`, `ESC[010G`, `ESC[2G`) as no carriage return', () => {
    for (const move of ['\x1b[10G', '\x1b[010G', '\x1b[2G', '\x1b[02G']) expect(cleanLine(`src/app.py${move}FAILED`), JSON.stringify(move)).toBe('src/app.pyFAILED');
  });
});

/** A log of `lines`, one a line (line n of the log is lines[n - 1]). */
function lines(...text: string[]): Buffer {
  return Buffer.from(text.join('\n'));
}

describe("automake's parallel test harness: the `FAIL:` lines are the report", () => {
  // Real output of automake 1.16.5's `make check` over two shell tests that exit 1, a TAP script under tap-driver.sh
  // with a failed case, and a passing test: two `FAIL:` lines one under the other.
  const harness = [
    'make  check-TESTS',
    "make[1]: Entering directory '/home/runner/work/ringbuf/ringbuf'",
    "make[2]: Entering directory '/home/runner/work/ringbuf/ringbuf'",
    'FAIL: t/wrap.sh',
    'FAIL: t/order.sh',
    'PASS: t/sizes.tap 1 - empty',
    'FAIL: t/sizes.tap 2 - full after 8 pushes',
    'PASS: t/empty.sh',
  ];
  const summary = [
    '============================================================================',
    'Testsuite summary for ringbuf 1.2.0',
    '============================================================================',
    '# TOTAL: 5',
    '# PASS:  2',
    '# SKIP:  0',
    '# XFAIL: 0',
    '# FAIL:  3',
    '# XPASS: 0',
    '# ERROR: 0',
    '============================================================================',
    'See ./test-suite.log',
    '============================================================================',
    "make[2]: *** [Makefile:497: test-suite.log] Error 1",
  ];

  it('lists every failed test\'s line, the first one first, without VERBOSE', async () => {
    const analysis = await analyzeLog(lines(...harness, ...summary));
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 7]));
    expect(predictionLines(analysis)).not.toContain(10);
    expect(analysis.category).toBe('test_failure');
  });

  it("lists test-suite.log's sections with VERBOSE=1: a shell test's own message and the TAP diagnostic", async () => {
    const log = lines(
      ...harness,
      '=====================================',
      '   ringbuf 1.2.0: ./test-suite.log',
      '=====================================',
      '',
      '# TOTAL: 5',
      '# PASS:  2',
      '# SKIP:  0',
      '# XFAIL: 0',
      '# FAIL:  3',
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
      'FAIL: t/order',
      '=============',
      '',
      'order: pop returned 3 before 2',
      'FAIL t/order.sh (exit status: 1)',
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
      ...summary,
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 7, 26, 32, 41, 42, 43]));
  });

  it("reads a compiler's error under a `FAIL: script.sh` line no harness line follows (a rule's block never confirmed)", async () => {
    // A script's own verdict line, then gcc 12's real error: no `PASS:`, no exit status, no banner of the harness.
    const log = lines(
      '$ ./scripts/check.sh',
      'FAIL: scripts/lint.sh',
      'gcc -Wall -c m.c',
      "m.c: In function 'main':",
      "m.c:3:11: error: expected ';' before '}' token",
      '    3 |   return n',
      '      |           ^',
      '      |           ;',
      '    4 | }',
      '      | ~',
      'make: *** [Makefile:4: m.o] Error 1',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.map((f) => f.lines[0]?.line)).toContain(5);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
  });
});

describe('a block never confirmed leaves its lines to the other rules', () => {
  it("finds the error under a health check's `name: FAIL` line, which only looks like tasty's", async () => {
    // tasty.failed counts only with its time or its rerun hint; a health check's listing has neither, and the
    // connection error indented under it was lost with the dropped block.
    const log = lines(
      '$ ./bin/healthcheck',
      'Checking services:',
      '  cache: OK',
      '  db: FAIL',
      '    Error: connect ECONNREFUSED 127.0.0.1:5432',
      '',
      'Process exited with status 1',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.map((f) => f.lines[0]?.line)).toContain(5);
  });
});

describe("Playwright's `--reporter=list,github`: the annotation and the list's report are one failure", () => {
  it('reports each failed test once, its annotated copy and its report together', async () => {
    // Real output of Playwright Test 1.x (`npx playwright test --reporter=list,github`, CI and GITHUB_ACTIONS set, no
    // browser: the tests use none) with two failed tests, its `::error` commands written as the runner writes them
    // into the raw log (`##[error]` and the message's lines; `::notice` likewise), in a step of its own.
    const log = lines(
      "##[group]Run npx playwright test --reporter=list,github",
      "npx playwright test --reporter=list,github",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "",
      "Running 3 tests using 1 worker",
      "",
      "  ✓  1 tests/cart.spec.js:7:1 › totals the cart (4ms)",
      "  ✘  2 tests/cart.spec.js:11:1 › applies the discount (6ms)",
      "",
      "##[error]  1) tests/cart.spec.js:11:1 › applies the discount ────────────────────────────────────────────────",
      "    Error: expect(received).toBe(expected) // Object.is equality",
      "",
      "    Expected: 8",
      "    Received: 9",
      "",
      "      11 | test('applies the discount', async () => {",
      "      12 |   const discounted = total([{ price: 10 }]) * 0.9;",
      "    > 13 |   expect(discounted).toBe(8);",
      "         |                      ^",
      "      14 | });",
      "      15 |",
      "      16 | test('rounds to cents', async () => {",
      "        at /home/runner/work/shop/shop/tests/cart.spec.js:13:22",
      "  ✘  3 tests/cart.spec.js:16:1 › rounds to cents (5ms)",
      "",
      "##[error]  2) tests/cart.spec.js:16:1 › rounds to cents ─────────────────────────────────────────────────────",
      "    Error: expect(received).toBe(expected) // Object.is equality",
      "",
      "    Expected: 1.01",
      "    Received: 1",
      "",
      "      15 |",
      "      16 | test('rounds to cents', async () => {",
      "    > 17 |   expect(Math.round(total([{ price: 1.005 }]) * 100) / 100).toBe(1.01);",
      "         |                                                             ^",
      "      18 | });",
      "      19 |",
      "        at /home/runner/work/shop/shop/tests/cart.spec.js:17:61",
      "",
      "",
      "  1) tests/cart.spec.js:11:1 › applies the discount ────────────────────────────────────────────────",
      "",
      "    Error: expect(received).toBe(expected) // Object.is equality",
      "",
      "    Expected: 8",
      "    Received: 9",
      "",
      "      11 | test('applies the discount', async () => {",
      "      12 |   const discounted = total([{ price: 10 }]) * 0.9;",
      "    > 13 |   expect(discounted).toBe(8);",
      "         |                      ^",
      "      14 | });",
      "      15 |",
      "      16 | test('rounds to cents', async () => {",
      "        at /home/runner/work/shop/shop/tests/cart.spec.js:13:22",
      "",
      "    Error Context: test-results/tests-cart-applies-the-discount/error-context.md",
      "",
      "  2) tests/cart.spec.js:16:1 › rounds to cents ─────────────────────────────────────────────────────",
      "",
      "    Error: expect(received).toBe(expected) // Object.is equality",
      "",
      "    Expected: 1.01",
      "    Received: 1",
      "",
      "      15 |",
      "      16 | test('rounds to cents', async () => {",
      "    > 17 |   expect(Math.round(total([{ price: 1.005 }]) * 100) / 100).toBe(1.01);",
      "         |                                                             ^",
      "      18 | });",
      "      19 |",
      "        at /home/runner/work/shop/shop/tests/cart.spec.js:17:61",
      "",
      "    Error Context: test-results/tests-cart-rounds-to-cents/error-context.md",
      "",
      "  2 failed",
      "    tests/cart.spec.js:11:1 › applies the discount ─────────────────────────────────────────────────",
      "    tests/cart.spec.js:16:1 › rounds to cents ──────────────────────────────────────────────────────",
      "  1 passed (885ms)",
      "##[notice]  2 failed",
      "    tests/cart.spec.js:11:1 › applies the discount ─────────────────────────────────────────────────",
      "    tests/cart.spec.js:16:1 › rounds to cents ──────────────────────────────────────────────────────",
      "  1 passed (885ms)",
      "",
      "##[error]Process completed with exit code 1.",
    );
    const analysis = await analyzeLog(log);
    const reports = analysis.failures.filter((f) => f.rule === 'playwright.failed');
    expect(reports.map((f) => f.startLine)).toEqual([11, 27]);
    expect(reports.map((f) => f.occurrences)).toEqual([2, 2]);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(12);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([9, 12, 28, 44, 62]));
  });
});

describe("gfortran's located warning on one line (`-fno-diagnostics-show-caret`) is a compiler's warning", () => {
  it('reports nothing of a passing build that printed one', async () => {
    // Real output of gfortran 12.2 under make: `-Wall` warns of an unused variable, the program builds and runs.
    const log = lines(
      'gfortran -Wall -fno-diagnostics-show-caret -o prog prog.f90',
      'prog.f90:3:22: Warning: Unused variable ‘unused’ declared at (1) [-Wunused-variable]',
      './prog',
      '   6.00000000    ',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.map((f) => `${f.rule}@${f.startLine}`)).toEqual([]);
  });

  it("still reads a linter's finding in the same shape, whose id is no compiler flag", async () => {
    const log = lines('$ shellcheck -f gcc deploy.sh', 'deploy.sh:3:6: warning: Double quote to prevent globbing and word splitting. [SC2086]');
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
  });
});

describe("Catch2's compact reporter: the program's own line above a failure is not the report's", () => {
  it('starts each one-line report at its own line', async () => {
    // Real output of Catch2 2.13.10's `-r compact` over two test cases that print a line and then fail a check.
    const log = lines(
      '##[group]Run ./build/tests -r compact',
      './build/tests -r compact',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'loading fixtures from data/cases.json',
      't.cpp:8: failed: up("a") == "A" for: "a" == "A"',
      'checking 3 cases',
      't.cpp:12: failed: up("abc").size() == 4 for: 3 == 4',
      'Failed both 2 test cases, failed both 2 assertions.',
      '##[error]Process completed with exit code 2.',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 8]));
    expect(predictionLines(analysis)).not.toContain(5);
    expect(predictionLines(analysis)).not.toContain(7);
  });
});

describe("test-unit's headline names a test: `test_x(Class)` or `test: name(Class)`", () => {
  it("does not read a program's `Error: testdata/x.yaml … (ParseError)` as test-unit's report", async () => {
    const log = lines('$ ./bin/load-fixtures', 'Error: testdata/rates.yaml: did not find expected key at line 3 (ParseError)', 'exit status 1');
    const analysis = await analyzeLog(log);
    expect(analysis.failures.some((f) => f.rule === 'minitest.failed')).toBe(false);
  });

  it('reads a `test "name" do` block\'s report (real test-unit 3.5.7 output)', async () => {
    const log = lines(
      'Loaded suite tax_test',
      'Started',
      '.E',
      '===============================================================================',
      'Error: test: reads the rate table(TaxTest): KeyError: key not found: "eu"',
      "tax_test.rb:7:in `block in <class:TaxTest>'",
      '===============================================================================',
      '',
      'Finished in 0.001003966 seconds.',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
  });
});

describe("minitest's bare `Error:` counts with a test's name under it (`CartTest#test_total:`)", () => {
  it("leaves a loader's error under a bare `Error:` to the rules that read it", async () => {
    // Built, not captured: a boot script's `Error:` over Ruby's LoadError, before any test ran.
    const log = lines(
      '$ bin/rails test',
      'Error:',
      "/home/runner/work/shop/shop/test/test_helper.rb:3:in `require': cannot load such file -- support/factories (LoadError)",
      '',
      'Run options: --seed 4711',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.some((f) => f.rule === 'minitest.failed')).toBe(false);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
  });

  it("still reads minitest's own report (Rails' runner: `Error:`, then `Class#test_name:`)", async () => {
    const log = lines(
      'Run options: --seed 4711',
      '',
      '# Running:',
      '',
      'E',
      '',
      'Error:',
      'CartTest#test_total:',
      "NoMethodError: undefined method `price' for nil:NilClass",
      "    app/models/cart.rb:4:in `block in total'",
      '',
      'bin/rails test test/models/cart_test.rb:5',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.rule).toBe('minitest.failed');
  });
});

describe("nox's sessions are runs of their own: each failed session's report is listed", () => {
  it("lists the data session's traceback after the tests session's failure", async () => {
    // Real output of nox 2022.11 (Debian 12) over two sessions that fail, `venv_backend="none"`, in a step of its own
    // (paths rewritten to the runner's): a script's JSONDecodeError, then a unittest failure.
    const log = lines(
      "##[group]Run nox",
      "nox",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "nox > Running session data",
      "nox > python3 -c 'import json; json.load(open('\"'\"'data/rates.json'\"'\"'))'",
      "Traceback (most recent call last):",
      "  File \"<string>\", line 1, in <module>",
      "  File \"/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/__init__.py\", line 293, in load",
      "    return loads(fp.read(),",
      "           ^^^^^^^^^^^^^^^^",
      "  File \"/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/__init__.py\", line 346, in loads",
      "    return _default_decoder.decode(s)",
      "           ^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/decoder.py\", line 337, in decode",
      "    obj, end = self.raw_decode(s, idx=_w(s, 0).end())",
      "               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
      "  File \"/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/json/decoder.py\", line 353, in raw_decode",
      "    obj, end = self.scan_once(s, idx)",
      "               ^^^^^^^^^^^^^^^^^^^^^^",
      "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 2 column 13 (char 24)",
      "nox > Command python3 -c 'import json; json.load(open('\"'\"'data/rates.json'\"'\"'))' failed with exit code 1",
      "nox > Session data failed.",
      "nox > Running session tests",
      "nox > python3 -m unittest -v",
      "test_eu (tests.test_rates.RateTest.test_eu) ... FAIL",
      "test_us (tests.test_rates.RateTest.test_us) ... ok",
      "",
      "======================================================================",
      "FAIL: test_eu (tests.test_rates.RateTest.test_eu)",
      "----------------------------------------------------------------------",
      "Traceback (most recent call last):",
      "  File \"/home/runner/work/shop/shop/tests/test_rates.py\", line 5, in test_eu",
      "    self.assertEqual(round(100 * 0.2), 21)",
      "AssertionError: 20 != 21",
      "",
      "----------------------------------------------------------------------",
      "Ran 2 tests in 0.004s",
      "",
      "FAILED (failures=1)",
      "nox > Command python3 -m unittest -v failed with exit code 1",
      "nox > Session tests failed.",
      "nox > Ran multiple sessions:",
      "nox > * data: failed",
      "nox > * tests: failed",
      "##[error]Process completed with exit code 1.",
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures[0]?.lines[0]?.line).toBe(35);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([30, 35, 7, 21]));
    expect(predictionLines(analysis)).not.toContain(23);
  });

  it('lists one report of a run without sessions, as before', async () => {
    // The same two failures printed by a shell script: no runner says they were separate sessions.
    const log = lines(
      '##[group]Run ./ci.sh',
      './ci.sh',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'Traceback (most recent call last):',
      '  File "<string>", line 1, in <module>',
      'json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes: line 2 column 13 (char 24)',
      '======================================================================',
      'FAIL: test_eu (tests.test_rates.RateTest.test_eu)',
      '----------------------------------------------------------------------',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/shop/shop/tests/test_rates.py", line 5, in test_eu',
      '    self.assertEqual(round(100 * 0.2), 21)',
      'AssertionError: 20 != 21',
      '',
      '##[error]Process completed with exit code 1.',
    );
    const analysis = await analyzeLog(log);
    expect(analysis.failures.every((f) => f.run === undefined)).toBe(true);
  });
});
