import { describe, expect, it } from 'vitest';
import { analyzeLog, LogBaseline, LogScanner, predictionLines } from '../../shared/logs/index.js';
import { RULES } from '../../shared/logs/rules.js';

// Attack on branch gaps60 (session 60's known gaps): hostile and look-alike input for what it added — the re-read of
// a never-confirmed block (`rereadUnconfirmed`), nox's session status, automake's harness lines.

/** How many times the scanner reads a line (its private `scan`), over the analysis of `log`. */
async function scansOf(log: string): Promise<number> {
  const proto = LogScanner.prototype as unknown as { scan: (...args: unknown[]) => void };
  const scan = proto.scan;
  let count = 0;
  proto.scan = function (this: unknown, ...args: unknown[]) {
    count++;
    return scan.apply(this, args);
  };
  try {
    await analyzeLog(log);
  } finally {
    proto.scan = scan;
  }
  return count;
}

describe('attack 60: the re-read of a never-confirmed block stays linear', () => {
  it('reads a staircase of look-alike `name: FAIL` lines (each one under the last) a bounded number of times', async () => {
    // Prepare: tasty's headline shape without its time or rerun hint, each line one space deeper than the one above:
    // every block is never confirmed and holds the next one's headline. Re-read recursively, a 60-line block costs
    // 60 + 59 + … + 1 scans (about 30 per line); a hostile log of such staircases ran about ten times slower.
    const lines: string[] = [];
    for (let r = 0; r < 20; r++) for (let k = 0; k < 60; k++) lines.push(`${' '.repeat(k)}t${k}: FAIL`);
    // Act
    const scans = await scansOf(lines.join('\n'));
    // Assert: each line read at most about twice (once live, once again in its dropped block's re-read).
    expect(scans).toBeLessThanOrEqual(3 * lines.length);
  });
});

describe("attack 60: nox's session status line is matched in linear time", () => {
  it('gives up quickly on a long line of `failed: ` fragments that does not end in a period', () => {
    // Prepare: `.+ (?:failed|aborted)(?:: .*)?\.$` tries `.*` to the end from every ` failed: ` (quadratic).
    const rule = RULES.find((r) => r.id === 'nox.session-failed');
    const line = `nox > Session ${' failed: '.repeat(20000)}x`;
    // Act
    const t0 = performance.now();
    const matched = rule?.re.test(line);
    const ms = performance.now() - t0;
    // Assert
    expect(matched).toBe(false);
    expect(ms).toBeLessThan(150);
  });

  it("still reads nox's own status lines", () => {
    const rule = RULES.find((r) => r.id === 'nox.session-failed');
    for (const l of [
      'nox > Session tests failed.',
      "nox > Session tests(python='3.11', django='4.2') failed.",
      'nox > Session lint failed: Python interpreter 3.8 not found.',
      'nox > Session docs aborted.',
    ]) expect(rule?.re.test(l), l).toBe(true);
    for (const l of ['nox > Session tests was successful.', 'nox > Session tests skipped: Python interpreter 3.7 not found.', 'nox > Session tests failed: no period'])
      expect(rule?.re.test(l), l).toBe(false);
  });
});

describe("attack 60: nox's later sessions that passed are no failed session's report", () => {
  it("does not list a passing session's pip resolver complaint after the failed session's pytest report", async () => {
    // Prepare: nox goes on after a failed session (no --stop-on-first-error); the docs session that follows installs
    // its requirements (pip's resolver complaint, which fails nothing: `Session docs was successful.`). Laid out as
    // nox 2023 prints it; the complaint, line 27, is of no session that said it failed.
    const log = [
      "##[group]Run nox",
      "nox",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "nox > Running session tests",
      "nox > Creating virtual environment (virtualenv) using python3 in .nox/tests",
      "nox > python -m pip install pytest",
      "nox > pytest -q",
      ".F.                                                                      [100%]",
      "=================================== FAILURES ===================================",
      "_________________________________ test_total ___________________________________",
      "",
      "    def test_total():",
      ">       assert total([1, 2]) == 4",
      "E       assert 3 == 4",
      "E        +  where 3 = total([1, 2])",
      "",
      "tests/test_cart.py:5: AssertionError",
      "=========================== short test summary info ============================",
      "FAILED tests/test_cart.py::test_total - assert 3 == 4",
      "1 failed, 2 passed in 0.03s",
      "nox > Command pytest -q failed with exit code 1",
      "nox > Session tests failed.",
      "nox > Running session docs",
      "nox > Creating virtual environment (virtualenv) using python3 in .nox/docs",
      "nox > python -m pip install -r docs/requirements.txt",
      "ERROR: pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.",
      "sphinx-rtd-theme 1.2.0 requires docutils<0.19, but you have docutils 0.20.1 which is incompatible.",
      "nox > sphinx-build -W docs docs/_build",
      "Running Sphinx v7.2.6",
      "building [html]: targets for 3 source files that are out of date",
      "build succeeded.",
      "nox > Session docs was successful.",
      "nox > Ran multiple sessions:",
      "nox > * tests: failed",
      "nox > * docs: success",
      "##[error]Process completed with exit code 1."
    ].join('\n');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines[0]).toBe(15);
    expect(lines).not.toContain(27);
  });
});

describe("attack 60: test-unit's data-driven tests are tests by name", () => {
  it('reads `Failure: test_tax[small](InvoiceTest)` as its own report, not as the report above it going on', async () => {
    // Prepare: real output of test-unit 3.5.7 (Ruby 3.1, Debian 12) over a `data(...)`-driven test, a `test "…"`
    // block and a sub_test_case's test. Each report stands between rules of `=`; the data set's label is in brackets.
    const log = [
      "Loaded suite tu_test",
      "Started",
      "F",
      "===============================================================================",
      "Failure: test: adds item(InvoiceTest)",
      "tu_test.rb:9:in `block in <class:InvoiceTest>'",
      "      6:     assert_equal(b, a * 3)",
      "      7:   end",
      "      8:   test \"adds item\" do",
      "  =>  9:     assert_equal(1, 2)",
      "     10:   end",
      "     11:   sub_test_case \"Cart\" do",
      "     12:     test \"totals\" do",
      "<1> expected but was",
      "<2>",
      "===============================================================================",
      "F",
      "===============================================================================",
      "Failure: test_tax[small](InvoiceTest)",
      "tu_test.rb:6:in `test_tax'",
      "     3:   data(\"small\" => [1, 2], \"large\" => [10, 20])",
      "     4:   def test_tax(data)",
      "     5:     a, b = data",
      "  => 6:     assert_equal(b, a * 3)",
      "     7:   end",
      "     8:   test \"adds item\" do",
      "     9:     assert_equal(1, 2)",
      "<2> expected but was",
      "<3>",
      "===============================================================================",
      "F",
      "===============================================================================",
      "Failure: test_tax[large](InvoiceTest)",
      "tu_test.rb:6:in `test_tax'",
      "     3:   data(\"small\" => [1, 2], \"large\" => [10, 20])",
      "     4:   def test_tax(data)",
      "     5:     a, b = data",
      "  => 6:     assert_equal(b, a * 3)",
      "     7:   end",
      "     8:   test \"adds item\" do",
      "     9:     assert_equal(1, 2)",
      "<20> expected but was",
      "<30>",
      "",
      "diff:",
      "? 20",
      "? 3 ",
      "? ? ",
      "===============================================================================",
      "E",
      "===============================================================================",
      "Error: test: totals(InvoiceTest::Cart): KeyError: key not found: region",
      "tu_test.rb:13:in `block (2 levels) in <class:InvoiceTest>'",
      "===============================================================================",
      "",
      "Finished in 0.024921431 seconds.",
      "-------------------------------------------------------------------------------",
      "4 tests, 3 assertions, 3 failures, 1 errors, 0 pendings, 0 omissions, 0 notifications",
      "0% passed",
      "-------------------------------------------------------------------------------",
      "160.50 tests/s, 120.38 assertions/s"
    ].join('\n');
    // Act
    const failures = (await analyzeLog(log)).failures.filter((f) => f.rule === 'minitest.failed');
    // Assert: four reports, on lines 5, 19, 33 and 52.
    expect(failures.map((f) => f.startLine).sort((a, b) => a - b)).toEqual([5, 19, 33, 52]);
  });
});

describe("attack 60: an annotation a green run printed too is still the green run's noise", () => {
  it('ranks an `::error` every run prints (its step continues on error) as baseline noise, under the new error', async () => {
    // Prepare: a report-only check annotates the same finding on every run, green or red (continue-on-error); the
    // baseline keeps the green run's line as it stands, `##[error]` and all. Session 60 took the runner's `##[error]`
    // out of an annotated block's template, which then no longer met the baseline's.
    const noise = '##[error]Error: src/legacy.js uses the deprecated request API';
    const step = (name: string, ...out: string[]) => [`##[group]Run ${name}`, name, 'shell: /usr/bin/bash -e {0}', '##[endgroup]', ...out];
    const green = [...step('./scripts/report-deprecations.sh', noise), ...step('./scripts/deploy.sh', 'deployed')].join('\n');
    const failing = [
      ...step('./scripts/report-deprecations.sh', noise),
      ...step('./scripts/deploy.sh', 'Error: invalid config: missing key region', '##[error]Process completed with exit code 1.'),
    ].join('\n');
    // Act
    const baseline = await LogBaseline.fromLog(green);
    const analysis = await analyzeLog(failing, { baseline });
    // Assert
    const noisy = analysis.failures.find((f) => f.startLine === 5);
    expect(noisy?.inBaseline).toBe(true);
    expect(analysis.failures[0]?.startLine).toBe(10);
  });
});

describe("attack 60: a script's `FAIL: dir` lines are not automake's harness", () => {
  it("reads the compiler's error under the first of two look-alike `FAIL:` lines", async () => {
    // Prepare: a monorepo's script type-checks each package and prints `FAIL: packages/x` over tsc's output. No line
    // of automake's harness: the first `FAIL:` block was confirmed only by the second `FAIL:` under it
    // (confirmedByNext), and took tsc's first error (line 8) out of the other rules' reach.
    const log = [
      "##[group]Run ./scripts/typecheck-all.sh",
      "./scripts/typecheck-all.sh",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "Type-checking 3 packages...",
      "OK: packages/core",
      "FAIL: packages/api",
      "src/index.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.",
      "FAIL: packages/web",
      "src/app.tsx(10,1): error TS2304: Cannot find name 'foo'.",
      "2 of 3 packages failed",
      "##[error]Process completed with exit code 1."
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('tsc.error');
    expect(predictionLines(analysis)[0]).toBe(8);
  });
});

describe("attack 60: automake's harness lines with other lines of the harness between", () => {
  it('reads a TAP test whose every case fails (tap-driver.sh, VERBOSE=1) as the harness report it is', async () => {
    // Prepare: real output of automake 1.16.5's tap-driver.sh (`make check VERBOSE=1`, Debian 12) over a TAP script
    // whose two cases fail and a shell test that passes. In test-suite.log the TAP stream stands between the driver's
    // `FAIL:` lines (`# got 3`, `not ok 2 - …`), and the log's header and counts between the last progress line and
    // the first section: lines of the harness, which confirm a block as the `FAIL:` right under it does.
    const log = [
      "make  check-TESTS",
      "make[1]: Entering directory '/tmp/a60/am'",
      "make[2]: Entering directory '/tmp/a60/am'",
      "FAIL: t/all.tap 1 - empty is empty",
      "FAIL: t/all.tap 2 - full after 8 pushes",
      "PASS: t/ok.sh",
      "=====================================",
      "   ringbuf 1.2.0: ./test-suite.log",
      "=====================================",
      "",
      "# TOTAL: 3",
      "# PASS:  1",
      "# SKIP:  0",
      "# XFAIL: 0",
      "# FAIL:  2",
      "# XPASS: 0",
      "# ERROR: 0",
      "",
      ".. contents:: :depth: 2",
      "",
      "FAIL: t/all",
      "===========",
      "",
      "1..2",
      "not ok 1 - empty is empty",
      "FAIL: t/all.tap 1 - empty is empty",
      "# got 3",
      "not ok 2 - full after 8 pushes",
      "FAIL: t/all.tap 2 - full after 8 pushes",
      "# got 7 elements",
      "",
      "============================================================================",
      "Testsuite summary for ringbuf 1.2.0",
      "============================================================================",
      "# TOTAL: 3",
      "# PASS:  1",
      "# SKIP:  0",
      "# XFAIL: 0",
      "# FAIL:  2",
      "# XPASS: 0",
      "# ERROR: 0",
      "============================================================================",
      "See ./test-suite.log",
      "============================================================================",
      "make[2]: *** [Makefile:485: test-suite.log] Error 1",
      "make[2]: Leaving directory '/tmp/a60/am'",
      "make[1]: *** [Makefile:593: check-TESTS] Error 2",
      "make[1]: Leaving directory '/tmp/a60/am'",
      "make: *** [Makefile:797: check-am] Error 2"
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('automake.test-failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 21, 24, 26, 27, 29]));
  });
});
