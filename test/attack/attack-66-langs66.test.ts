import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { ghaStep, lineOf } from '../support/gha-step.js';

// Attack on session 66's rules (branch langs66: JUnit XML on stdout, cargo --no-fail-fast, go test's build failure and
// goroutine panic, mypy --pretty, Vitest's TAP message, ESLint's unix format): other tools' lines in the new formats
// and other runs of the same tools. Each row failed before its fix, or runs as an expected failure with the reason.

/**
 * ESLint's junit formatter (`eslint -f junit`, lib/cli-engine/formatters/junit.js): one problem a line,
 * `<testcase time="0" name="org.eslint.<rule>" classname="<file without extension>"><failure message="…"><![CDATA[line
 * L, col C, Error - message (rule)]]></failure></testcase>`, `<failure>` for errors and warnings alike (`<error>` for a
 * fatal parse error), the element closed on its own line.
 */
const ESLINT_JUNIT = (severity: 'Error' | 'Warning'): string[] => [
  '<?xml version="1.0" encoding="utf-8"?>',
  '<testsuites>',
  '<testsuite package="org.eslint" time="0" tests="2" errors="2" name="/home/runner/work/cart/cart/src/cart.js">',
  `<testcase time="0" name="org.eslint.no-unused-vars" classname="/home/runner/work/cart/cart/src/cart"><failure message="&apos;tax&apos; is assigned a value but never used."><![CDATA[line 3, col 7, ${severity} - &apos;tax&apos; is assigned a value but never used. (no-unused-vars)]]></failure></testcase>`,
  `<testcase time="0" name="org.eslint.eqeqeq" classname="/home/runner/work/cart/cart/src/cart"><failure message="Expected &apos;===&apos; and instead saw &apos;==&apos;."><![CDATA[line 9, col 13, ${severity} - Expected &apos;===&apos; and instead saw &apos;==&apos;. (eqeqeq)]]></failure></testcase>`,
  '</testsuite>',
  '</testsuites>',
];

describe("attack 66 (langs66): the session's rules on other tools' lines and other runs", () => {
  it("reads ESLint's junit formatter's problems as lint, each a line (its `<failure>` closes on the line it opens)", async () => {
    // Prepare: `eslint -f junit src` with two errors, then npm's tail lines under the same step
    const log = ghaStep('npx eslint -f junit src', [...ESLINT_JUNIT('Error'), 'npm notice', 'npm notice New minor version of npm available!'], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const first = analysis.failures[0];
    expect([first?.rule, analysis.category]).toEqual(['junit-xml.failure', 'lint']);
    expect([first?.startLine, first?.endLine]).toEqual([lineOf(log, 'org.eslint.no-unused-vars'), lineOf(log, 'org.eslint.no-unused-vars')]);
  });

  it("reports nothing for ESLint's junit formatter's warnings on a run that passed (`, Warning - ` in the CDATA)", async () => {
    // Prepare: the same problems as warnings (`"warn"` in the config): ESLint exits 0
    const log = ghaStep('npx eslint -f junit src', ESLINT_JUNIT('Warning'), { exitCode: null });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('junit-xml.failure');
  });

  it('ends a one-line `<testcase …><failure …/></testcase>` on its line, not 99 lines further on', async () => {
    // Prepare: a self-closing failure (a JUnit report built by a script), the suite's end and a later line
    const log = ghaStep('node report.js', [
      '<testsuite name="cart" tests="2" failures="1">',
      '<testcase classname="cart" name="totals" time="0"/>',
      '<testcase classname="cart" name="applies the discount" time="0"><failure message="expected 90 to equal 85" type="AssertionError"/></testcase>',
      '</testsuite>',
      'Report written in 12 ms',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const first = analysis.failures[0];
    expect([first?.rule, first?.endLine]).toEqual(['junit-xml.failure', lineOf(log, 'applies the discount')]);
  });

  it("does not read ESLint unix format's warning that starts with a quoted name (`'tax' is … [Warning/no-unused-vars]`) as a problem", async () => {
    // Prepare: `eslint -f unix` with a warning only (exit 0), then a later step that fails
    const log = [
      ...ghaStep('npx eslint -f unix src', [
        "/home/runner/work/cart/cart/src/cart.js:3:7: 'tax' is assigned a value but never used. [Warning/no-unused-vars]",
        '',
        '1 problem',
      ], { exitCode: null }),
      ...ghaStep('npm test', ["Error: Cannot find module '/home/runner/work/cart/cart/test.js'"], { exitCode: 1 }),
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('lint.file-line');
  });

  it("reads a JUnit report printed element by element (Vitest's junit reporter): `<failure message=…>` under its `<testcase …>`", async () => {
    // Prepare: Vitest 5.1's junit reporter (real output), printed to the log
    const log = ghaStep('npx vitest run --reporter=junit', [
      '<?xml version="1.0" encoding="UTF-8" ?>',
      '<testsuites name="vitest tests" tests="2" failures="1" errors="0" time="0.022429736">',
      '    <testsuite name="cart.test.js" timestamp="2026-11-29T11:07:01.541Z" hostname="vm" tests="2" failures="1" errors="0" skipped="0" time="0.022429736">',
      '        <testcase classname="cart.test.js" name="subtotal &gt; sums price times quantity" time="0.015470162">',
      '            <failure message="expected 0.30000000000000004 to be 0.3 // Object.is equality" type="AssertionError">',
      'AssertionError: expected 0.30000000000000004 to be 0.3 // Object.is equality',
      '',
      '- Expected',
      '+ Received',
      '',
      '- 0.3',
      '+ 0.30000000000000004',
      '',
      ' ❯ cart.test.js:3:59',
      '            </failure>',
      '        </testcase>',
      '        <testcase classname="cart.test.js" name="subtotal &gt; is zero for an empty cart" time="0.00036226">',
      '        </testcase>',
      '    </testsuite>',
      '</testsuites>',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const first = analysis.failures[0];
    expect([first?.rule, first?.startLine, first?.endLine])
      .toEqual(['junit-xml.failure', lineOf(log, 'sums price times quantity'), lineOf(log, ' ❯ cart.test.js:3:59')]);
  });

  it("does not read a checkstyle report's `<error line=… message=…/>` (ESLint -f checkstyle) as a JUnit failure", async () => {
    // Prepare: ESLint's checkstyle formatter: `<error>` elements under `<file>`, no `<testcase>`
    const log = ghaStep('npx eslint -f checkstyle src', [
      '<?xml version="1.0" encoding="utf-8"?><checkstyle version="4.3">',
      '<file name="/home/runner/work/cart/cart/src/cart.js">',
      '<error line="3" column="7" severity="error" message="&apos;tax&apos; is assigned a value but never used. (no-unused-vars)" source="eslint.rules.no-unused-vars" />',
      '</file>',
      '</checkstyle>',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures.map((f) => f.rule)).not.toContain('junit-xml.failure');
  });

  // Fixed in session 67: the message runs from its headline down to its code, the source line under it, the next
  // diagnostic or mypy's summary (mypy.error's `message`); a run hiding its codes ends each message at the next line.
  it('lists the whole of a mypy --pretty message wrapped over three lines (its middle line ends with no code)', async () => {
    // Prepare: mypy 1.0.1 --pretty (real output), a message naming two long types
    const log = ghaStep('mypy --pretty src', [
      'src/ledger/m.py:8: error: Argument 1 to "consume_ledger_entries" has incompatible type',
      '"Dict[str, List[Tuple[int, int, int]]]"; expected',
      '"Dict[str, List[Tuple[str, str, str]]]"  [arg-type]',
      '        return consume_ledger_entries(data, strict=True) + consume_ledger_...',
      '                                      ^~~~',
      'Found 1 error in 1 file (checked 1 source file)',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '"Dict[str, List[Tuple[int, int, int]]]"; expected'), lineOf(log, '"Dict[str, List[Tuple[str, str, str]]]"  [arg-type]'),
    ]));
  });

  // Fixed in session 67: a goroutine a passed test left running panics while the next test runs; the trace's
  // `created by …TestLevel` names the right test, and go.panic's `lookback.names` drops the `=== RUN` of another when
  // the block closes.
  it("does not list the next test's `=== RUN` over a panic in a goroutine an earlier test started", async () => {
    // Prepare: go 1.19 test -v (real output): TestLevel passes and its goroutine panics under TestRestock
    const log = ghaStep('go test -v ./...', [
      '=== RUN   TestLevel',
      '--- PASS: TestLevel (0.00s)',
      '=== RUN   TestRestock',
      'panic: runtime error: index out of range [2] with length 0',
      '',
      'goroutine 7 [running]:',
      'example.com/stock/inv.TestLevel.func1()',
      '\t/home/runner/work/stock/stock/inv/inv_test.go:12 +0x2a',
      'created by example.com/stock/inv.TestLevel',
      '\t/home/runner/work/stock/stock/inv/inv_test.go:9 +0x25',
      'FAIL\texample.com/stock/inv\t0.055s',
      'FAIL',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).not.toContain(lineOf(log, '=== RUN   TestRestock'));
  });

  it("picks the message of Vitest's nested tap reporter (`message:` 16 spaces in, under a suite's and a file's `not ok`)", async () => {
    // Prepare: Vitest 5.1's `--reporter=tap` (real output): each suite nests its tests four spaces further in
    const log = ghaStep('npx vitest run --reporter=tap', [
      'TAP version 13',
      '1..1',
      'not ok 1 - cart.test.js # time=36.22ms {',
      '    1..1',
      '    not ok 1 - subtotal # time=35.43ms {',
      '        1..2',
      '        not ok 1 - sums price times quantity # time=34.69ms',
      '            ---',
      '            error:',
      '                name: "AssertionError"',
      '                message: "expected 0.30000000000000004 to be 0.3 // Object.is equality"',
      '            at: "/home/runner/work/cart/cart/cart.test.js:3:59"',
      '            actual: "0.30000000000000004"',
      '            expected: "0.3"',
      '            ...',
      '        ok 2 - is zero for an empty cart # time=0.36ms',
      '    }',
      '}',
    ], { exitCode: 1 });
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.text.trim()])
      .toEqual(['tap.not-ok', 'message: "expected 0.30000000000000004 to be 0.3 // Object.is equality"']);
  });
});
