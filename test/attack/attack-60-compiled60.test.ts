import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { RULE_TABLE } from '../../shared/logs/rules.js';
import { superlinearOn } from '../support/growth.js';

// Session 60's attack on the compiled-language sweep (branch compiled60): other tools' output in the shapes of the
// new rules (dune.diff-action, testng.failed, nunit.failed's NUnit 2 form, go.build-error's indented lines, the
// JUnit 5 zero counts in NOISE_RE) and variants of the same formats the rules were not written from. The logs are
// real runs on this machine (dune 2.9.3, TestNG 6.9.12 on OpenJDK 17) unless a row says otherwise.

const lines = (...l: string[]): string => l.join('\n');

describe('dune.diff-action against the other diffs dune prints', () => {
  it("`dune build @fmt` on a `dune` file prints the same `File …, characters 0-0:` and diff: a formatter's finding, not a test's failure", async () => {
    // Prepare: dune 2.9.3, `dune build @fmt` with `(executable (name main) (libraries unix))` on one line.
    const log = lines(
      'File "bin/dune", line 1, characters 0-0:',
      '         git (internal) (exit 1)',
      '(cd _build/default && /usr/bin/git --no-pager diff --no-index --color=always -u bin/dune bin/.formatted/dune)',
      'diff --git a/bin/dune b/bin/.formatted/dune',
      'index 6dd173c..ccc9621 100644',
      '--- a/bin/dune',
      '+++ b/bin/.formatted/dune',
      '@@ -1 +1,3 @@',
      '-(executable (name main) (libraries unix))',
      '+(executable',
      '+ (name main)',
      '+ (libraries unix))',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('lint');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 9, 10]));
  });
});

describe('dune.diff-action on an OCaml source', () => {
  it("ppx_expect's failure is dune's diff of `test/calc.ml` against `calc.ml.corrected`: a test's failure, not a compile error", async () => {
    // Prepare: dune 2.9.3, `dune runtest` with `(diff calc.ml calc.ml.corrected)`, the action ppx_expect's tests run
    // (ppx_expect itself is not installed here; the rule writes the `.corrected` file as it would).
    const log = lines(
      'File "test/calc.ml", line 1, characters 0-0:',
      '         git (internal) (exit 1)',
      '(cd _build/default && /usr/bin/git --no-pager diff --no-index --color=always -u test/calc.ml test/calc.ml.corrected)',
      'diff --git a/test/calc.ml b/test/calc.ml.corrected',
      'index b642e63..3dd89bf 100644',
      '--- a/test/calc.ml',
      '+++ b/test/calc.ml.corrected',
      '@@ -1 +1 @@',
      '-let%expect_test _ = print_string "3"; [%expect {| 4 |}]',
      '+let%expect_test _ = print_string "3"; [%expect {| 3 |}]',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('dune.diff-action');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 9, 10]));
    expect(analysis.category).toBe('test_failure');
  });

  it('an OCaml type error under the same `File …, characters N-M:` line stays a compile error', async () => {
    // Prepare: OCaml 4.13.1 through dune 2.9.3.
    const log = lines(
      'File "bin/main.ml", line 1, characters 14-17:',
      '1 | let () = 1 + "a"',
      '                  ^^^',
      'Error: This expression has type string but an expression was expected of type',
      '         int',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ocaml.error');
    expect(analysis.category).toBe('compilation');
  });
});

describe('testng.failed on exceptions without a message', () => {
  it("TestNG's `FAILED: test` over `java.lang.UnsupportedOperationException` (no message, no `: `) is the test's failure", async () => {
    // Prepare: TestNG 6.9.12 `-verbose 2`, a test that throws `new UnsupportedOperationException()`.
    const log = lines(
      '[TestNG] Running:',
      '  Command line suite',
      '',
      'PASSED: emptyCartTotalsZero',
      'FAILED: checkoutRefusesEmptyCart',
      'java.lang.UnsupportedOperationException',
      '\tat com.acme.CartTest.checkoutRefusesEmptyCart(CartTest.java:6)',
      '\tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)',
      '\tat org.testng.TestNG.main(TestNG.java:1374)',
      '',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 2, Failures: 1, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6]));
    expect(analysis.category).toBe('test_failure');
  });

  it("TestNG 7.6+ names the test in full, `FAILED: com.acme.PriceTest.addsTax(999, 20, 1199)`: the same report", async () => {
    // Prepare: TestNG 7.6 changed its text reporter to the fully qualified method name (testng-team/testng#2758:
    // `PASSED: test.reports.ReportTest$NullParameter.testMethod(null, "Bazinga!")`). Not a run: TestNG 7 is not
    // installed here; the lines are 6.9.12's run above with 7.6's name.
    const log = lines(
      'PASSED: com.acme.pricing.PriceTest.addsTax(1000, 20, 1200)',
      'FAILED: com.acme.pricing.PriceTest.addsTax(999, 20, 1199)',
      'java.lang.AssertionError: expected [1199] but found [1198]',
      '\tat org.testng.Assert.fail(Assert.java:110)',
      '\tat com.acme.pricing.PriceTest.addsTax(PriceTest.java:21)',
      '',
      'FAILED: com.acme.pricing.PriceTest$Nested.cheapestOfNone',
      'java.util.NoSuchElementException: No value present',
      '\tat java.base/java.util.Optional.get(Optional.java:143)',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 3, Failures: 2, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 7, 8]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe('testng.failed on an AssertionError without a message', () => {
  // Fixed in session 61: a bare `…Error` is read when its class is one a test throws without a message
  // (`AssertionError`, `AssertionFailedError`, `StackOverflowError`), each name a literal of its own; a bare `Error`
  // at the end of the headline would make the word the rule's literal, tried on every compiler's error line.
  it("`FAILED: test` over a bare `java.lang.AssertionError` (Java's `assert` with no message) is the test's failure", async () => {
    // Prepare: the real TestNG 6.9.12 run above with the exception Java's `assert total == 3;` throws under `-ea`.
    const log = lines(
      'PASSED: emptyCartTotalsZero',
      'FAILED: totalsThree',
      'java.lang.AssertionError',
      '\tat com.acme.CartTest.totalsThree(CartTest.java:9)',
      '\tat org.testng.TestNG.main(TestNG.java:1374)',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 2, Failures: 1, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(analysis.category).toBe('test_failure');
  });
});

describe("testng.failed on a configuration method's failure", () => {
  it("`FAILED CONFIGURATION: @BeforeClass connect` over its exception is TestNG's report, its tests then `SKIPPED:`", async () => {
    // Prepare: TestNG 6.9.12 `-verbose 2`, a @BeforeClass that throws (frames shortened). TestNG itself exits 0 here;
    // under Maven or Gradle the run fails on it.
    const log = lines(
      '[TestNG] Running:',
      '  Command line suite',
      '',
      'FAILED CONFIGURATION: @BeforeClass connect',
      'java.lang.IllegalStateException: database not reachable at localhost:5432',
      '\tat com.acme.DbTest.connect(DbTest.java:4)',
      '\tat org.testng.TestNG.main(TestNG.java:1374)',
      '',
      'SKIPPED: reads',
      '',
      '===============================================',
      '    Command line test',
      '    Tests run: 1, Failures: 0, Skips: 1',
      '    Configuration Failures: 1, Skips: 0',
      '===============================================',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('testng.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe('crystal.error with the trace Crystal prints under --error-trace', () => {
  it("`crystal build --error-trace`: the `Error: instantiating 'f(Int32)'` frames lead to the cause, the last `Error:`", async () => {
    // Prepare: Crystal 1.6.0, `crystal build --no-color --error-trace a.cr`, an undefined method two calls deep.
    const log = lines(
      'In a.cr:9:1',
      '',
      ' 9 | run(3)',
      '     ^--',
      "Error: instantiating 'run(Int32)'",
      '',
      '',
      'In a.cr:6:3',
      '',
      ' 6 | twice(v)',
      '     ^----',
      "Error: instantiating 'twice(Int32)'",
      '',
      '',
      'In a.cr:2:5',
      '',
      ' 2 | x.dup_twice',
      '       ^--------',
      "Error: undefined method 'dup_twice' for Int32",
      '',
      'Int32 trace:',
      '',
      '  a.cr:2',
      '',
      '      x.dup_twice',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe("Error: undefined method 'dup_twice' for Int32");
    expect(analysis.category).toBe('compilation');
  });
});

describe("nunit.failed on NUnit 2's other failure sites", () => {
  it("nunit-console 2.6.4 names where a test failed: `1) TearDown Error :`, `2) SetUp Error :`, `3) Parent Failure :`", async () => {
    // Prepare: Mono's nunit-console 2.6.4 (Debian's, assemblies under nunit.framework-2.6.3), a [TestFixtureSetUp] and a [TearDown] that throw (stack frames shortened).
    const log = lines(
      'ProcessModel: Default    DomainUsage: Single',
      'Execution Runtime: mono-4.0',
      '.F.F',
      'Tests run: 2, Errors: 1, Failures: 1, Inconclusive: 0, Time: 0.0777556 seconds',
      '  Not run: 0, Invalid: 0, Ignored: 0, Skipped: 0',
      '',
      'Errors and Failures:',
      '1) TearDown Error : Shop.CartTests.Adds',
      '   TearDown : System.Exception : cleanup failed',
      '--TearDown',
      '  at Shop.CartTests.Clean () [0x00000] in <6bef6113ccba4b2c9ea75d58f0a8e2eb>:0 ',
      '',
      '2) SetUp Error : Shop.DbTests',
      '   SetUp : System.InvalidOperationException : no database at localhost:5432',
      '  at Shop.DbTests.Open () [0x00000] in <6bef6113ccba4b2c9ea75d58f0a8e2eb>:0 ',
      '',
      '3) Parent Failure : Shop.DbTests.Reads',
      '   TestFixtureSetUp failed in DbTests',
      '',
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('nunit.failed');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([8, 9, 13, 14]));
    expect(analysis.category).toBe('test_failure');
  });
});

describe("the session's expressions", () => {
  const expressionsOf = (id: string): RegExp[] => {
    const rule = RULE_TABLE.find((r) => r.id === id);
    if (rule === undefined) throw new Error(`no rule ${id}`);
    return [rule.re, rule.cont, rule.end, rule.nextLine, ...(rule.categoryFrom ?? []).map((from) => from.re), rule.lookback?.re, rule.under?.header, rule.under?.through].filter((re): re is RegExp => re !== undefined);
  };

  it('read a long line of their own shapes in linear time', () => {
    // Prepare: the pieces of the new headlines (TestNG's, NUnit 2's, Crystal's, dune's, dialyzer's, JUnit 5's) many
    // times over without the whole.
    const heads = ['', 'FAILED: ', 'In ', 'File "', 'Error: ', '1) ', 'Failures (', '  Proceeding with analysis'];
    const units = ['a.', 'a$.', 'x(', '(a, ', 'Error', 'Exception', 'a.erl:', 'a.cr:1:', ' 1 | ', 'Test ', ' : ', '", line 1', ', characters 0-', '(internal) (exit', '/.formatted', 'SetUp '];
    // Act
    const slow = ['testng.failed', 'nunit.failed', 'crystal.error', 'dune.diff-action', 'dialyzer.warning', 'junit5.console-failures', 'go.build-error'].flatMap((id) => expressionsOf(id).flatMap((re) => superlinearOn(re, heads, units)));
    // Assert
    expect(slow).toEqual([]);
  }, 180_000);
});
