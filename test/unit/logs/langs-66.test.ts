import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep, lineOf } from '../../support/gha-step.js';
import { PYTEST_TB_NO_FAILED } from '../../support/step-analysis.js';

/** A step that failed with `exitCode`, its lines. */
const failedStepLines = (script: string, output: readonly string[], exitCode: number): string[] =>
  ghaStep(script, output, { exitCode });

/**
 * Variants of common toolchains session 66 ran for real (test/fixtures/gha-real-tools, "Session 66: common toolchains'
 * variants"): each test is other real output of the same tool and flags than the fixture's (another project, another
 * fault), so a rule is read off the format and checked on a run it was not written from.
 */
describe("reports of common toolchains' variants (session 66)", () => {
  it("Vitest's tap-flat reporter: the YAML's `message:` first (not the diff's `expected:`), its `not ok` line listed", async () => {
    // Prepare: Vitest 5.1.2 `--reporter=tap-flat`, a `toEqual` that fails in another project.
    const log = failedStepLines('npx vitest run --reporter=tap-flat', [
      "TAP version 13",
      "1..2",
      "not ok 1 - vt2/slug.test.js > strips punctuation # time=4.62ms",
      "    ---",
      "    error:",
      "        name: \"AssertionError\"",
      "        message: \"expected 'hello,-world!' to deeply equal 'hello-world'\"",
      "    at: \"/home/runner/work/slugs/slugs/vt2/slug.test.js:4:33\"",
      "    actual: \"hello,-world!\"",
      "    expected: \"hello-world\"",
      "    ...",
      "ok 2 - vt2/slug.test.js > keeps digits # time=0.23ms",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "message: \"expected 'hello,-world!'"));
    expect(predictionLines(analysis)).toContain(lineOf(log, 'not ok 1 - vt2/slug.test.js'));
    expect(analysis.category).toBe('test_failure');
  });

  it("go test -v: a panic in a goroutine the test started is listed with the `=== RUN` line that names the test", async () => {
    // Prepare: Go 1.19, a goroutine writing to a nil map: the binary dies with no `--- FAIL` line.
    const log = failedStepLines('go test -v ./...', [
      "=== RUN   TestWarm",
      "panic: assignment to entry in nil map",
      "",
      "goroutine 19 [running]:",
      "example.com/memo/cache.(*Memo).Warm.func1()",
      "\t/home/runner/work/memo/memo/cache/cache.go:8 +0x8f",
      "created by example.com/memo/cache.(*Memo).Warm",
      "\t/home/runner/work/memo/memo/cache/cache.go:6 +0xae",
      "FAIL\texample.com/memo/cache\t0.007s",
      "FAIL",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'panic: assignment to entry in nil map'));
    expect(predictionLines(analysis)).toContain(lineOf(log, '=== RUN   TestWarm'));
    expect(analysis.category).toBe('test_failure');
  });

  it('cargo test --no-fail-fast: the failed tests of every test target are one report', async () => {
    // Prepare: cargo 1.95, two integration-test targets failing an `assert_eq!` each, a passing unit target first.
    const log = failedStepLines('cargo test --no-fail-fast', [
      "   Compiling units v0.1.0 (/home/runner/work/units/units)",
      "    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.24s",
      "     Running unittests src/lib.rs (target/debug/deps/units-562e6ffd93494cd2)",
      "",
      "running 0 tests",
      "",
      "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
      "",
      "     Running tests/convert.rs (target/debug/deps/convert-813b3a73e39647a4)",
      "",
      "running 2 tests",
      "test body_temperature ... ok",
      "test boiling_point ... FAILED",
      "",
      "failures:",
      "",
      "---- boiling_point stdout ----",
      "",
      "thread 'boiling_point' (13618) panicked at tests/convert.rs:3:5:",
      "assertion `left == right` failed",
      "  left: -17.77777777777778",
      " right: -17.8",
      "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
      "",
      "",
      "failures:",
      "    boiling_point",
      "",
      "test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
      "",
      "error: test failed, to rerun pass `--test convert`",
      "     Running tests/parse.rs (target/debug/deps/parse-fae6b3273a76f0ef)",
      "",
      "running 1 test",
      "test parses_lowercase_unit ... FAILED",
      "",
      "failures:",
      "",
      "---- parses_lowercase_unit stdout ----",
      "",
      "thread 'parses_lowercase_unit' (13620) panicked at tests/parse.rs:3:5:",
      "assertion `left == right` failed",
      "  left: None",
      " right: Some(50.0)",
      "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
      "",
      "",
      "failures:",
      "    parses_lowercase_unit",
      "",
      "test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
      "",
      "error: test failed, to rerun pass `--test parse`",
      "   Doc-tests units",
      "",
      "running 0 tests",
      "",
      "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s",
      "",
      "error: 2 targets failed:",
      "    `--test convert`",
      "    `--test parse`",
    ], 101);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, '---- boiling_point stdout ----'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, "thread 'boiling_point'"), lineOf(log, "thread 'parses_lowercase_unit'"), lineOf(log, ' right: Some(50.0)'),
    ]));
    expect(analysis.category).toBe('test_failure');
  });

  it("ESLint's unix format: a problem whose message starts with a quoted name is a lint finding like the others", async () => {
    // Prepare: ESLint 9 with eslint-formatter-unix, an unused variable and an undefined one (both messages quote it).
    const log = failedStepLines('npx eslint --format unix src', [
      "/home/runner/work/billing/billing/src/tax.js:2:9: 'rounded' is assigned a value but never used. [Error/no-unused-vars]",
      "/home/runner/work/billing/billing/src/tax.js:3:19: 'rat' is not defined. [Error/no-undef]",
      "",
      "2 problems",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, "src/tax.js:2:9: 'rounded'"));
    expect(predictionLines(analysis)).toContain(lineOf(log, "src/tax.js:3:19: 'rat' is not defined."));
    expect(analysis.category).toBe('lint');
  });

  it("go test: a test file that does not compile is listed with its package's header and `FAIL pkg [build failed]`", async () => {
    // Prepare: Go 1.19 `go test ./...`, a test calling a method the type does not have.
    const log = failedStepLines('go test ./...', [
      "# example.com/memo/cache [example.com/memo/cache.test]",
      "cache/cache_test.go:10:7: m.Hits undefined (type Memo has no field or method Hits, but does have hits)",
      "FAIL\texample.com/memo/cache [build failed]",
      "FAIL",
    ], 2);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'cache/cache_test.go:10:7:'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '# example.com/memo/cache [example.com/memo/cache.test]'), lineOf(log, 'FAIL\texample.com/memo/cache [build failed]'),
    ]));
    expect(analysis.category).toBe('compilation');
  });

  it('mypy --pretty: the wrapped rest of each message and its error code are listed with it', async () => {
    // Prepare: Debian's mypy 1.0.1 `--pretty` (no terminal: 80 columns), three errors, one code alone on its line.
    const log = failedStepLines('mypy --pretty app', [
      "app/orders.py:11: error: Unsupported operand types for + (\"str\" and \"int\") ",
      "[operator]",
      "        return \"order \" + order.order_id + \": \" + order.note.strip()",
      "                          ^~~~~~~~~~~~~~",
      "app/orders.py:11: error: Item \"None\" of \"Optional[str]\" has no attribute",
      "\"strip\"  [union-attr]",
      "        return \"order \" + order.order_id + \": \" + order.note.strip()",
      "                                                  ^~~~~~~~~~~~~~~~",
      "app/orders.py:15: error: Invalid index type \"str\" for \"Dict[int, Order]\";",
      "expected type \"int\"  [index]",
      "        return orders[order_id]",
      "                      ^~~~~~~~",
      "Found 3 errors in 1 file (checked 1 source file)",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'app/orders.py:11: error: Unsupported operand'));
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '[operator]'), lineOf(log, '"strip"  [union-attr]'), lineOf(log, 'expected type "int"  [index]'),
    ]));
    expect(analysis.category).toBe('compilation');
  });

  it("Mocha's xunit reporter on stdout: the `<testcase …><failure>` line that names the test is listed with the exception", async () => {
    // Prepare: Mocha 12 `--reporter xunit`, an `assert.equal` that fails (the message HTML-escaped, as XML).
    const log = failedStepLines('npx mocha --reporter xunit', [
      "<testsuite name=\"Mocha Tests\" tests=\"2\" failures=\"0\" errors=\"1\" skipped=\"0\" timestamp=\"Sun, 29 Nov 2026 10:37:09 GMT\" time=\"0.003\">",
      "<testcase classname=\"slug\" name=\"strips punctuation\" file=\"/home/runner/work/slugs/slugs/test/slug.test.js\" time=\"0.001\"><failure>&#x27;hello,-world!&#x27; == &#x27;hello-world&#x27;",
      "",
      "      + expected - actual",
      "",
      "      -hello,-world!",
      "      +hello-world",
      "      ",
      "AssertionError [ERR_ASSERTION]: &#x27;hello,-world!&#x27; == &#x27;hello-world&#x27;",
      "    at Context.&#x3C;anonymous&#x3E; (test/slug.test.js:5:12)",
      "    at process.processImmediate (node:internal/timers:484:21)</failure></testcase>",
      "<testcase classname=\"slug\" name=\"keeps digits\" file=\"/home/runner/work/slugs/slugs/test/slug.test.js\" time=\"0\"/>",
      "</testsuite>",
    ], 1);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([
      lineOf(log, '<testcase classname="slug" name="strips punctuation"'), lineOf(log, 'AssertionError [ERR_ASSERTION]:'),
    ]));
    expect(predictionLines(analysis)).not.toContain(lineOf(log, '<testcase classname="slug" name="keeps digits"'));
    expect(analysis.category).toBe('test_failure');
  });
});

/**
 * A passing run of each variant (real output: the same projects with the passing tests picked, ESLint over a file
 * with a warning only), then a step that failed: nothing of the passing run is reported, the real failure is first.
 */
const PASSING_RUNS: Array<{ variant: string; script: string; output: string[] }> = [
  {
    variant: "pytest -rA",
    script: "python -m pytest -rA -k apply_fee",
    output: [
      "============================= test session starts ==============================",
      "platform linux -- Python 3.11.7, pytest-9.0.3, pluggy-1.6.0",
      "benchmark: 5.2.3 (defaults: timer=time.perf_counter disable_gc=False min_rounds=5 min_time=0.000005 max_time=1.0 calibration_precision=10 warmup=False warmup_iterations=100000)",
      "rootdir: /home/runner/work/ledger/ledger",
      "configfile: pyproject.toml",
      "plugins: hypothesis-6.155.2, benchmark-5.2.3",
      "collected 5 items / 3 deselected / 2 selected",
      "",
      "tests/test_fees.py ..                                                    [100%]",
      "",
      "==================================== PASSES ====================================",
      "=========================== short test summary info ============================",
      "PASSED tests/test_fees.py::test_apply_fee[10-0.05-10.50]",
      "PASSED tests/test_fees.py::test_apply_fee[19.99-0.2-23.99]",
      "======================= 2 passed, 3 deselected in 0.91s ========================",
    ],
  },
  {
    variant: "Mocha's dot reporter",
    script: "npx mocha --reporter dot --grep 'empty cart'",
    output: [
      "",
      "",
      "  .",
      "",
      "  1 passing (1ms)",
      "",
    ],
  },
  {
    variant: "Mocha's TAP reporter",
    script: "npx mocha --reporter tap --grep 'empty cart'",
    output: [
      "ok 1 subtotal is zero for an empty cart",
      "# tests 1",
      "# pass 1",
      "# fail 0",
      "1..1",
    ],
  },
  {
    variant: "Mocha's xunit reporter",
    script: "npx mocha --reporter xunit --grep 'empty cart'",
    output: [
      "<testsuite name=\"Mocha Tests\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\" timestamp=\"Sun, 29 Nov 2026 10:21:03 GMT\" time=\"0.001\">",
      "<testcase classname=\"subtotal\" name=\"is zero for an empty cart\" file=\"/home/runner/work/cart/cart/test/cart.test.js\" time=\"0\"/>",
      "</testsuite>",
    ],
  },
  {
    variant: "Jest's github-actions reporter",
    script: "npx jest --ci --rootDir jt --reporters=default --reporters=github-actions -t 'empty cart'",
    output: [
      "PASS jt/cart.test.js",
      "",
      "Test Suites: 1 skipped, 1 passed, 1 of 2 total",
      "Tests:       4 skipped, 1 passed, 5 total",
      "Snapshots:   0 total",
      "Time:        0.337 s, estimated 1 s",
      "Ran all test suites with tests matching \"empty cart\".",
    ],
  },
  {
    variant: "Vitest's dot reporter",
    script: "npx vitest run --reporter=dot -t 'empty cart'",
    output: [
      "",
      "\u001b[1m\u001b[30m\u001b[46m RUN \u001b[49m\u001b[39m\u001b[22m \u001b[36mv5.1.2 \u001b[39m\u001b[90m/home/runner/work/cart/cart\u001b[39m",
      "",
      "\u001b[33m\u001b[39m\u001b[2m\u001b[90m-\u001b[39m\u001b[22m\u001b[33m\u001b[39m\u001b[32m·\u001b[39m\u001b[33m\u001b[39m\u001b[2m\u001b[90m-\u001b[39m\u001b[22m\u001b[33m\u001b[39m\u001b[2m\u001b[90m-\u001b[39m\u001b[22m",
      "",
      "\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[32m1 passed\u001b[39m\u001b[22m\u001b[90m (1)\u001b[39m",
      "\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m1 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[33m3 skipped\u001b[39m\u001b[90m (4)\u001b[39m",
      "\u001b[2m   Start at \u001b[22m 10:21:05",
      "\u001b[2m   Duration \u001b[22m 263ms\u001b[2m (import 57%, transform 27%, worker 8%, tests 7%)\u001b[22m",
      "",
    ],
  },
  {
    variant: "Vitest's tap-flat reporter",
    script: "npx vitest run --reporter=tap-flat -t 'empty cart'",
    output: [
      "TAP version 13",
      "1..4",
      "ok 1 - vt/cart.test.js > subtotal > sums price times quantity # SKIP",
      "ok 2 - vt/cart.test.js > subtotal > is zero for an empty cart # time=1.05ms",
      "ok 3 - vt/cart.test.js > applyCoupon > takes a percentage off # SKIP",
      "ok 4 - vt/cart.test.js > applyCoupon > ignores an unknown coupon # SKIP",
    ],
  },
  {
    variant: "Vitest under GITHUB_ACTIONS",
    script: "npx vitest run -t 'empty cart'",
    output: [
      "",
      "\u001b[1m\u001b[30m\u001b[46m RUN \u001b[49m\u001b[39m\u001b[22m \u001b[36mv5.1.2 \u001b[39m\u001b[90m/home/runner/work/cart/cart\u001b[39m",
      "",
      " \u001b[32m✓\u001b[39m vt/cart.test.js \u001b[2m(\u001b[22m\u001b[2m4 tests\u001b[22m\u001b[2m | \u001b[22m\u001b[33m3 skipped\u001b[39m\u001b[2m)\u001b[22m\u001b[32m 3\u001b[2mms\u001b[22m\u001b[39m",
      "",
      "\u001b[2m Test Files \u001b[22m \u001b[1m\u001b[32m1 passed\u001b[39m\u001b[22m\u001b[90m (1)\u001b[39m",
      "\u001b[2m      Tests \u001b[22m \u001b[1m\u001b[32m1 passed\u001b[39m\u001b[22m\u001b[2m | \u001b[22m\u001b[33m3 skipped\u001b[39m\u001b[90m (4)\u001b[39m",
      "\u001b[2m   Start at \u001b[22m 10:21:08",
      "\u001b[2m   Duration \u001b[22m 274ms\u001b[2m (transform 44%, import 38%, tests 9%, worker 9%)\u001b[22m",
      "",
    ],
  },
  {
    variant: "node:test's dot reporter",
    script: "node --test --test-reporter=dot --test-name-pattern 'empty cart' 'nt/**/*.test.js'",
    output: [
      "..",
    ],
  },
  {
    variant: "ESLint's compact format (a warning)",
    script: "npx eslint --format compact src/ok.js",
    output: [
      "/home/runner/work/cart/cart/src/ok.js: line 2, col 3, Warning - Unexpected console statement. (no-console)",
      "",
      "1 problem",
    ],
  },
  {
    variant: "ESLint's unix format (a warning)",
    script: "npx eslint --format unix src/ok.js",
    output: [
      "/home/runner/work/cart/cart/src/ok.js:2:3: Unexpected console statement. [Warning/no-console]",
      "",
      "1 problem",
    ],
  },
  {
    variant: "go test -json",
    script: "go test -json -run TestAdd ./...",
    output: [
      "{\"Time\":\"2026-11-29T10:21:10.326942646Z\",\"Action\":\"run\",\"Package\":\"github.com/acme/stock/inventory\",\"Test\":\"TestAdd\"}",
      "{\"Time\":\"2026-11-29T10:21:10.327090466Z\",\"Action\":\"output\",\"Package\":\"github.com/acme/stock/inventory\",\"Test\":\"TestAdd\",\"Output\":\"=== RUN   TestAdd\\n\"}",
      "{\"Time\":\"2026-11-29T10:21:10.327161021Z\",\"Action\":\"output\",\"Package\":\"github.com/acme/stock/inventory\",\"Test\":\"TestAdd\",\"Output\":\"--- PASS: TestAdd (0.00s)\\n\"}",
      "{\"Time\":\"2026-11-29T10:21:10.327181732Z\",\"Action\":\"pass\",\"Package\":\"github.com/acme/stock/inventory\",\"Test\":\"TestAdd\",\"Elapsed\":0}",
      "{\"Time\":\"2026-11-29T10:21:10.327300249Z\",\"Action\":\"output\",\"Package\":\"github.com/acme/stock/inventory\",\"Output\":\"PASS\\n\"}",
      "{\"Time\":\"2026-11-29T10:21:10.327575409Z\",\"Action\":\"output\",\"Package\":\"github.com/acme/stock/inventory\",\"Output\":\"ok  \\tgithub.com/acme/stock/inventory\\t0.006s\\n\"}",
      "{\"Time\":\"2026-11-29T10:21:10.328372828Z\",\"Action\":\"pass\",\"Package\":\"github.com/acme/stock/inventory\",\"Elapsed\":0.007}",
    ],
  },
  {
    variant: "go test -shuffle=on -v",
    script: "go test -shuffle=on -v -run 'TestTake|TestAdd' ./...",
    output: [
      "-test.shuffle 1795947670775630892",
      "=== RUN   TestTake",
      "--- PASS: TestTake (0.00s)",
      "=== RUN   TestAdd",
      "--- PASS: TestAdd (0.00s)",
      "=== RUN   TestTakeShort",
      "--- PASS: TestTakeShort (0.00s)",
      "PASS",
      "ok  \tgithub.com/acme/stock/inventory\t0.006s",
    ],
  },
  {
    variant: "cargo test --no-fail-fast",
    script: "cargo test --no-fail-fast split_into_one",
    output: [
      "    Finished `test` profile [unoptimized + debuginfo] target(s) in 0.00s",
      "     Running unittests src/lib.rs (target/debug/deps/tally-fce0cb1f790c1353)",
      "",
      "running 0 tests",
      "",
      "test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 2 filtered out; finished in 0.00s",
      "",
      "     Running tests/split.rs (target/debug/deps/split-0e434dcc8b0cd8eb)",
      "",
      "running 1 test",
      "test split_into_one ... ok",
      "",
      "test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out; finished in 0.00s",
      "",
    ],
  },
];


describe("a passing run of a common toolchain's variant reports nothing above the real failure (session 66)", () => {
  for (const run of PASSING_RUNS) {
    it(`${run.variant}`, async () => {
      // Prepare
      const passed = ghaStep(run.script, run.output, { exitCode: null });
      const [script, ...output] = PYTEST_TB_NO_FAILED;
      const log = [...passed, ...failedStepLines(script as string, output, 1)];
      // Act
      const analysis = await analyzeLog(log.join('\n'));
      // Assert
      expect(analysis.failures[0]?.lines[0]?.line).toBe(lineOf(log, 'FAILED tests/test_model.py::test_wraps_at_sixteen'));
      expect(predictionLines(analysis).filter((l) => l <= passed.length)).toEqual([]);
    });
  }
});
