import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { ghaStep } from '../../support/gha-step.js';

const lines = (...l: string[]): string => l.join('\n');

/** A step that failed with `exitCode`, as one string. */
const failedStepLog = (script: string, output: readonly string[], exitCode: number): string =>
  ghaStep(script, output, { exitCode }).join('\n');

/**
 * Toolchains session 61 ran for real (test/fixtures/gha-real-tools, "Session 61: more toolchains"): each test is other
 * real output of the same tool than the fixture's (another project, another fault), so a rule is read off the format
 * and checked on a run it was not written from. Paths rewritten to the runner's.
 */
describe('reports of more toolchains (session 61)', () => {
  it('Alcotest 1.6: the `> [FAIL]` line of the first failed test and the boxed report with its `FAIL message`', async () => {
    // Prepare: alcotest 1.6 under `dune test`, a failed `check int` (ASSERT/FAIL/Expected/Received) and another failure.
    const log = lines(
      " test_semver alias test/runtest (exit 1)",
      "(cd _build/default/test && ./test_semver.exe)",
      "Testing `semver'.",
      "This run has ID `8DLZTCYO'.",
      "",
      "> [FAIL]        compare          0   patch.",
      "  [FAIL]        print            0   to_string.",
      "",
      "┌──────────────────────────────────────────────────────────────────────────────┐",
      "│ [FAIL]        compare          0   patch.                                    │",
      "└──────────────────────────────────────────────────────────────────────────────┘",
      "ASSERT patch decides",
      "FAIL patch decides",
      "",
      "   Expected: `-1'",
      "   Received: `0'",
      "",
      "Raised at Alcotest_engine__Test.check in file \"src/alcotest-engine/test.ml\", line 196, characters 4-261",
      "Called from Alcotest_engine__Core.Make.protect_test.(fun) in file \"src/alcotest-engine/core.ml\", line 180, characters 17-23",
      "Called from Alcotest_engine__Monad.Identity.catch in file \"src/alcotest-engine/monad.ml\", line 24, characters 31-35",
      "",
      "Logs saved to `/home/runner/work/semver/semver/_build/default/test/_build/_tests/semver/compare.000.output'.",
      " ──────────────────────────────────────────────────────────────────────────────",
      "",
      "Full test results in `/home/runner/work/semver/semver/_build/default/test/_build/_tests/semver'.",
      "2 failures! in 0.000s. 2 tests run.",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([6, 10, 13]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 10, 13, 15, 16]));
    expect(analysis.category).toBe('test_failure');
  });

  it('deno check: `TSnnnn [ERROR]: message`, the source line flush left, its squiggle and `at file:///…:L:C`', async () => {
    // Prepare: Deno 2.9, a wrong argument type and an `undefined` in a `string` (a message of two lines).
    const log = lines(
      "\u001b[0m\u001b[32mCheck\u001b[0m queue.ts",
      "\u001b[0m\u001b[1mTS2345 \u001b[0m[ERROR]: Argument of type 'string' is not assignable to parameter of type 'number'.",
      "q.push(\"3\");",
      "\u001b[0m\u001b[31m       ~~~\u001b[0m",
      "    at \u001b[0m\u001b[36mfile:///home/runner/work/queue/queue/queue.ts\u001b[0m:\u001b[0m\u001b[33m7\u001b[0m:\u001b[0m\u001b[33m8\u001b[0m",
      "",
      "\u001b[0m\u001b[1mTS2322 \u001b[0m[ERROR]: Type 'number | undefined' is not assignable to type 'string'.",
      "  Type 'undefined' is not assignable to type 'string'.",
      "export const size: string = q.pop();",
      "\u001b[0m\u001b[31m             ~~~~\u001b[0m",
      "    at \u001b[0m\u001b[36mfile:///home/runner/work/queue/queue/queue.ts\u001b[0m:\u001b[0m\u001b[33m8\u001b[0m:\u001b[0m\u001b[33m14\u001b[0m",
      "",
      "Found 2 errors.",
      "",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: Type checking failed.",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4, 5, 7, 8, 9, 10, 11]));
    expect(analysis.category).toBe('compilation');
  });

  it("deno test: the test's `name => ./file:L:C` line under ERRORS with its `error:` and the test file's frame", async () => {
    // Prepare: Deno 2.9 `deno test` (colour, as it prints off a terminal), a test throwing an Error.
    const log = lines(
      "\u001b[0m\u001b[38;5;245mrunning 2 tests from ./queue_test.ts\u001b[0m",
      "pops in order ... \u001b[0m\u001b[31mFAILED\u001b[0m \u001b[0m\u001b[38;5;245m(7ms)\u001b[0m",
      "empty queue ... \u001b[0m\u001b[32mok\u001b[0m \u001b[0m\u001b[38;5;245m(96µs)\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[37m\u001b[41m ERRORS \u001b[0m",
      "",
      "pops in order \u001b[0m\u001b[38;5;245m=> ./queue_test.ts:1:6\u001b[0m",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: Error: expected 2 first",
      "  if (items.shift() !== 2) throw new Error(\"expected 2 first\");",
      "\u001b[0m\u001b[31m                                 ^\u001b[0m",
      "    at \u001b[0m\u001b[2m\u001b[38;5;245mfile:///home/runner/work/queue/queue/\u001b[0m\u001b[0m\u001b[36mqueue_test.ts\u001b[0m:\u001b[0m\u001b[33m3\u001b[0m:\u001b[0m\u001b[33m34\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[37m\u001b[41m FAILURES \u001b[0m",
      "",
      "pops in order \u001b[0m\u001b[38;5;245m=> ./queue_test.ts:1:6\u001b[0m",
      "",
      "\u001b[0m\u001b[31mFAILED\u001b[0m | 1 passed | 1 failed \u001b[0m\u001b[38;5;245m(17ms)\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: Test failed",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([7, 8]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8, 11]));
    expect(analysis.category).toBe('test_failure');
  });

  // The verdict holds the line filter's keyword `with warnings`; the messages are `Warning:` lines the scanner skips
  // as headlines, which the verdict takes by its look-back.
  it('API Extractor: its warnings fail a run without --local (`API Extractor completed with warnings`, exit 1)', async () => {
    // Prepare: API Extractor 7.60 over declarations without release tags, the API report up to date.
    const log = lines(
      "",
      "\u001b[1mapi-extractor 7.60.1 \u001b[36m - https://api-extractor.com/\u001b[39m",
      "\u001b[22m",
      "Using configuration from ./api-extractor.json",
      "Analysis will use the bundled TypeScript version 6.0.3",
      "\u001b[33mWarning: dist/index.d.ts:1:1 - (ae-missing-release-tag) \"SlugOptions\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "\u001b[33mWarning: dist/index.d.ts:7:1 - (ae-missing-release-tag) \"slugify\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "\u001b[33mWarning: dist/index.d.ts:8:1 - (ae-missing-release-tag) \"isSlug\" is part of the package's API, but it is missing a release tag (@alpha, @beta, @public, or @internal)\u001b[39m",
      "",
      "\u001b[33mAPI Extractor completed with warnings\u001b[39m",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(6);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([6, 7, 8]));
    expect(analysis.category).toBe('lint');
  });

  it("remark --frail: vfile-reporter's warnings fail the step, so the step's report is its failure", async () => {
    // Prepare: remark-cli 12 with remark-preset-lint-recommended, three warnings in one file (exit 1 under --frail).
    const output = [
      "\u001b[4m\u001b[33mREADME.md\u001b[39m\u001b[24m",
      "3:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "4:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "6:1-6:35 \u001b[33mwarning\u001b[39m \u001b[1mUnexpected unused definition, expected no definition or one or more references to \u001b[36m`setup`\u001b[39m\u001b[22m         no-unused-definitions remark-lint",
      "",
      "\u001b[33m⚠\u001b[39m 3 warnings",
    ];
    const log = failedStepLog('npx remark --frail .', output, 1);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([5, 6]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 7, 8]));
    expect(analysis.category).toBe('lint');
  });

  it("psql: libpq's `ERROR:  message` (two spaces) behind `psql:file:line:`, with its DETAIL, LINE, caret and HINT", async () => {
    // Prepare: PostgreSQL 15 `psql -v ON_ERROR_STOP=1 -f`: a unique violation, then (another run) a misspelt column.
    const log = lines(
      "INSERT 0 1",
      "psql:seed.sql:4: ERROR:  duplicate key value violates unique constraint \"customers_email_key\"",
      "DETAIL:  Key (email)=(ada@example.org) already exists.",
      '##[error]Process completed with exit code 3.',
      "psql:q.sql:2: ERROR:  column \"emial\" does not exist",
      "LINE 1: SELECT emial FROM customers",
      "               ^",
      "HINT:  Perhaps you meant to reference the column \"customers.email\".",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3]));
    const second = analysis.failures.find((f) => f.startLine === 5);
    expect(second?.lines.map((l) => l.line)).toEqual([5, 6, 7, 8]);
    expect(analysis.category).toBe('compilation');
  });

  it('sqlite3: `Parse error near line N:` with its quoted statement and `^--- error here`, `Runtime error near line N:`', async () => {
    // Prepare: SQLite 3.40 `sqlite3 -bail db < file.sql`: a misspelt keyword; (another run) a UNIQUE constraint.
    const log = lines(
      "Parse error near line 2: near \"SELEC\": syntax error",
      "  SELEC * FROM t;",
      "  ^--- error here",
      "Runtime error near line 4: UNIQUE constraint failed: tags.name (19)",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual([1, 2, 3]);
    expect(analysis.failures.map((f) => f.rule)).toEqual(['sqlite3.error', 'sqlite3.error']);
    expect(analysis.category).toBe('compilation');
  });

  it("tcltest: `==== name description FAILED`, the test's body and its `---- Result was:` against what it should have been", async () => {
    // Prepare: Tcl 8.6.13 tcltest 2.5 through runAllTests, a `-match regexp` result that does not match.
    const log = lines(
      "Tests running in interp:  /usr/bin/tclsh",
      "Tests located in:  /home/runner/work/slug/slug/tests",
      "Tests running in:  /home/runner/work/slug/slug",
      "Temporary files stored in /home/runner/work/slug/slug",
      "Test files run in separate interpreters",
      "Running tests that match:  *",
      "Skipping test files that match:  l.*.test",
      "Only running test files that match:  *.test",
      "Tests began at Sat Nov 28 21:21:57 UTC 2026",
      "slug.test",
      "",
      "",
      "==== slug-1.1 replaces punctuation FAILED",
      "==== Contents of test case:",
      "",
      "    slug \"Hello, World!\"",
      "",
      "---- Result was:",
      "hello,-world!",
      "---- Result should have been (regexp matching):",
      "^hello-world$",
      "==== slug-1.1 FAILED",
      "",
      "",
      "Tests ended at Sat Nov 28 21:21:57 UTC 2026",
      "all.tcl:\tTotal\t2\tPassed\t1\tSkipped\t0\tFailed\t1",
      "Sourced 1 Test Files.",
      "Files with failing tests: slug.test",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(13);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([13, 19, 21]));
    expect(analysis.category).toBe('test_failure');
  });

  it("tsd: the file's `path:L:C` heading over its `✖  L:C  message` lines and their second lines", async () => {
    // Prepare: tsd 0.33 over a package whose `keys` is declared to return `string[]`.
    const log = lines(
      "",
      "  test-d/index.test-d.ts:5:29",
      "  ✖  5:29  Argument of type string[] is not assignable to parameter of type (\"a\" | \"b\")[].",
      "  Type string is not assignable to type \"a\" | \"b\".  ",
      "",
      "  1 error",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4]));
  });

  it('jsonlint: `Parse error on line N, column N:` under `File: path`, with its excerpt, caret and reason', async () => {
    // Prepare: @prantlf/jsonlint 16 --quiet, an unquoted property name.
    const log = lines(
      "File: config/cron.json",
      "Parse error on line 3, column 3:",
      "...  \"name\": \"cron\",  schedule: \"0 * * * *...",
      "----------------------^",
      "Expected double-quoted property name",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5]));
    expect(analysis.category).toBe('lint');
  });

  it("xmllint --relaxng: the validity errors and the file's `fails to validate` verdict under them", async () => {
    // Prepare: libxml2 2.9.14 xmllint --noout --relaxng, a value its datatype does not allow.
    const log = lines(
      "data/app.xml:3: element port: Relax-NG validity error : Type int doesn't allow value 'eighty'",
      "data/app.xml:3: element port: Relax-NG validity error : Error validating datatype int",
      "data/app.xml:3: element port: Relax-NG validity error : Element port failed to validate content",
      "data/app.xml fails to validate",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 3, 4]));
  });

  it("rackunit under raco test: the FAILURE/ERROR reports between rules of dashes, with their test cases' names, up to `N/M test failures`", async () => {
    // Prepare: Racket 8.7 rackunit, a failed check-equal? with a message, a contract violation (an ERROR whose message
    // runs on two indented lines) in a named test-case, a failed check-true with its params.
    const log = lines(
      "raco test: \"cart-test.rkt\"",
      "--------------------",
      "FAILURE",
      "name:       check-equal?",
      "location:   cart-test.rkt:5:0",
      "message:    \"sums quantity times price\"",
      "actual:     10",
      "expected:   11",
      "--------------------",
      "--------------------",
      "first item of an empty cart",
      "ERROR",
      "name:       check-equal?",
      "location:   cart-test.rkt:7:2",
      "",
      "car: contract violation",
      "  expected: pair?",
      "  given: '()",
      "--------------------",
      "--------------------",
      "total is positive",
      "FAILURE",
      "name:       check-true",
      "location:   cart-test.rkt:9:2",
      "params:     '(#f)",
      "--------------------",
      "3/4 test failures",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    // One failure: the tally and the reports above it, from the first rule of dashes under `raco test:`.
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['rackunit.failed', 2, 27]]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 6, 7, 8, 11, 12, 14, 16, 17, 18, 21, 22, 24, 25]));
    expect(analysis.category).toBe('test_failure');
  });

  it('rackunit: an ERROR raised outside a check (no infos, its message after a blank line); a bare ERROR line elsewhere is no report', async () => {
    // Prepare: Racket 8.7 rackunit, `(error "boom")` and `(raise 'oops)` in test cases, a contract violation in a check;
    // then a bare `ERROR` line of another program's, with no rule of dashes above it.
    const log = lines(
      "raco test: (submod \"e-test.rkt\" test)",
      "--------------------",
      "parses the header",
      "ERROR",
      "name:       check-equal?",
      "location:   e-test.rkt:5:2",
      "",
      "+: contract violation",
      "  expected: number?",
      "  given: #f",
      "--------------------",
      "--------------------",
      "raises",
      "ERROR",
      "",
      "boom",
      "--------------------",
      "--------------------",
      "raises a value",
      "ERROR",
      "",
      "A value other than an exception was raised: 'oops",
      "--------------------",
      "--------------------",
      "FAILURE",
      "name:       check-equal?",
      "location:   e-test.rkt:10:14",
      "actual:     1",
      "expected:   2",
      "--------------------",
      "4/4 test failures",
      "##[error]Process completed with exit code 1.",
      "##[group]Run ./smoke.sh",
      "./smoke.sh",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "checking the service",
      "ERROR",
      "connection refused on port 8080",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 4, 5, 6, 8, 9, 10, 13, 14, 16, 19, 20, 22]));
    const elsewhere = analysis.failures.find((f) => f.startLine === 38);
    expect(elsewhere).toBeDefined();
    expect(elsewhere?.rule).not.toBe('rackunit.failed');
  });

  it("lint-staged: a task's command under --max-warnings, whose warnings fail it, reported with the output under its `✖ command:`", async () => {
    // Prepare: lint-staged 17 --diff running `eslint --max-warnings 0` (ESLint 9) over two files with a warning each
    // and no error: ESLint's `ESLint found too many warnings (maximum: 0).` under its report.
    const output = [
      "⚠ Skipping backup because `--diff` was used.",
      "",
      "⋯ Preparing lint-staged…",
      "✔ Done preparing lint-staged!",
      "⋯ Running tasks for changed files…",
      "    *.js — 2 files",
      "      ⋯ eslint --max-warnings 0",
      "",
      "✖ eslint --max-warnings 0",
      "",
      "✖ Failed to run tasks for changed files!",
      "⋯ Staging changes from tasks…",
      "✔ Done staging changes from tasks!",
      "",
      "✖ eslint --max-warnings 0:",
      "",
      "/home/runner/work/billing-api/billing-api/src/invoice.js",
      "  3:36  warning  Expected '===' and instead saw '=='  eqeqeq",
      "",
      "/home/runner/work/billing-api/billing-api/src/tax.js",
      "  2:12  warning  Expected '===' and instead saw '=='  eqeqeq",
      "",
      "✖ 2 problems (0 errors, 2 warnings)",
      "",
      "ESLint found too many warnings (maximum: 0).",
    ];
    const log = failedStepLog('npx lint-staged --diff="HEAD~1"', output, 1);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(22);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([21, 22, 24, 25]));
    expect(analysis.category).toBe('lint');
  });

  it("attw: each problem's line, ending in its documentation's link (arethetypeswrong), a check of the package", async () => {
    // Prepare: @arethetypeswrong/cli 0.18 `attw --pack .` over a CommonJS package typed with `export default`.
    const log = lines(
      "",
      "dual-thing v0.3.0",
      "",
      "❗️ The resolved types use export default where the JavaScript file appears to use module.exports =. This will cause TypeScript under the node16 module mode to think an extra .default property access is required, but that will likely fail at runtime. These types should use export = instead of export default. https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/FalseExportDefault.md",
      "",
      "🎭 Import resolved to a CommonJS type declaration file, but an ESM JavaScript file. https://github.com/arethetypeswrong/arethetypeswrong.github.io/blob/main/docs/problems/FalseCJS.md",
      "",
      "",
      "\u001b[90m┌───────────────────\u001b[39m\u001b[90m┬──────────────────────────────┐\u001b[39m",
      "\u001b[90m│\u001b[39m\u001b[31m                   \u001b[39m\u001b[90m│\u001b[39m\u001b[31m \"dual-thing\"                 \u001b[39m\u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼──────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node10            \u001b[90m│\u001b[39m ❗️ Incorrect default export \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼──────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node16 (from CJS) \u001b[90m│\u001b[39m ❗️ Incorrect default export \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼──────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m node16 (from ESM) \u001b[90m│\u001b[39m 🎭 Masquerading as CJS       \u001b[90m│\u001b[39m",
      "\u001b[90m├───────────────────\u001b[39m\u001b[90m┼──────────────────────────────┤\u001b[39m",
      "\u001b[90m│\u001b[39m bundler           \u001b[90m│\u001b[39m 🟢                           \u001b[90m│\u001b[39m",
      "\u001b[90m└───────────────────\u001b[39m\u001b[90m┴──────────────────────────────┘\u001b[39m",
    );
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 6]));
    expect(analysis.category).toBe('lint');
  });
});
