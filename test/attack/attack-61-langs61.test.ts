import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';

// Attack on session 61's rules (branch langs61: psql, tcltest, Alcotest, Deno, tsd, jsonlint, xmllint, remark --frail):
// other runs of the same tools than the fixtures', real output of the tools on this machine (paths rewritten to the
// runner's), and other tools' lines next to the new formats. Each row failed before its fix, or runs as an expected
// failure with the reason.

describe("attack 61 (langs61): the session's rules on other runs of the same tools", () => {
  it("reads tsd's aligned positions (`✖   5:19  …` and `✖  10:0   …`: eslint-formatter-pretty pads line and column to the widest) as tsd's report, from its first error", async () => {
    // Prepare: tsd 0.33.0 over a declaration file with eight failing assertions on lines 5 to 12 (real output)
    const log = [
      "##[group]Run npx tsd",
      "npx tsd",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "",
      "",
      "  test-d/index.test-d.ts:5:19",
      "  ✖   5:19  Argument of type string is not assignable to parameter of type number.                                          ",
      "  ✖   6:14  Object literal may only specify known properties, and lowercase does not exist in type SlugOptions.             ",
      "  ✖   7:6   Type boolean | undefined is not assignable to type boolean.",
      "  Type undefined is not assignable to type boolean.  ",
      "  ✖   8:27  Argument of type number is not assignable to parameter of type string.                                          ",
      "  ✖   9:33  Type string is not assignable to type boolean | undefined.                                                      ",
      "  ✖  10:0   Expected 1-2 arguments, but got 0.                                                                              ",
      "  ✖  11:33  Type number is not assignable to type string.                                                                   ",
      "  ✖  12:33  Type number is not assignable to type string.                                                                   ",
      "",
      "  8 errors",
      "",
      "",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.lines[0]?.line]).toEqual(['tsd.error', 8]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([7, 8, 9, 10, 11, 12, 13, 14, 15, 16]));
    expect(analysis.category).toBe('test_failure');
  });

  it("reads remark --frail's report whole when clean files are reported between the others (`docs/z.md: no issues found`, vfile-reporter without --quiet)", async () => {
    // Prepare: remark-cli 12.0.1 with remark-preset-lint-recommended over four files, one with two warnings (real output)
    const log = [
      "##[group]Run npx remark . --frail",
      "npx remark . --frail",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "\u001b[4m\u001b[32mdocs/a.md\u001b[39m\u001b[24m: no issues found",
      "\u001b[4m\u001b[33mdocs/deploy.md\u001b[39m\u001b[24m",
      "3:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "6:1-6:16 \u001b[33mwarning\u001b[39m \u001b[1mUnexpected unused definition, expected no definition or one or more references to \u001b[36m`foo`\u001b[39m\u001b[22m           no-unused-definitions remark-lint",
      "",
      "\u001b[4m\u001b[32mdocs/z.md\u001b[39m\u001b[24m: no issues found",
      "\u001b[4m\u001b[32mREADME.md\u001b[39m\u001b[24m: no issues found",
      "",
      "\u001b[33m⚠\u001b[39m 2 warnings",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect(top?.rule).toBe('vfile.frail');
    const listed = top?.lines.map((l) => l.line) ?? [];
    expect(listed).toEqual(expect.arrayContaining([6, 7, 8, 13]));
    expect(listed).not.toContain(10);
    expect(listed).not.toContain(11);
  });

  it("reads Deno 1's type errors, whose first carries `error: ` (`error: TS2322 [ERROR]: …`), the first error first", async () => {
    // Prepare: deno 1.46.3 check over a file with two type errors (real output, NO_COLOR)
    const log = [
      "##[group]Run deno check src/cart.ts",
      "deno check src/cart.ts",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "Check file:///home/runner/work/shop/shop/src/cart.ts",
      "error: TS2322 [ERROR]: Type 'string' is not assignable to type 'number'.",
      "  let sum: number = \"0\";",
      "      ~~~",
      "    at file:///home/runner/work/shop/shop/src/cart.ts:3:7",
      "",
      "TS2339 [ERROR]: Property 'qty' does not exist on type 'Line'.",
      "  for (const l of lines) sum += l.qty;",
      "                                  ~~~",
      "    at file:///home/runner/work/shop/shop/src/cart.ts:4:35",
      "",
      "Found 2 errors.",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.endLine]).toEqual(['deno.type-error', 6, 9]);
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toContainEqual(['deno.type-error', 11]);
  });

  // Deno prints the throwing line as the file has it; flush left (a one-line helper here) it ended the indent block
  // above its caret and frames. Session 62: the lines from `error:` to the caret or first frame are the message's
  // (Rule.message), which a blank line ends too (a sanitizer's `error: Leaks detected:` has neither; gaps-62.test.ts).
  it("reads a deno test error whose source line is flush left with its caret and frames", async () => {
    // Prepare: deno 1.46.3 test, a helper on one line throws (real output, NO_COLOR)
    const log = [
      "##[group]Run deno test",
      "deno test src/ok_test.ts",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "running 2 tests from ./src/ok_test.ts",
      "formats cents ... FAILED (0ms)",
      "rounds ... ok (0ms)",
      "",
      " ERRORS ",
      "",
      "formats cents => ./src/ok_test.ts:2:6",
      "error: Error: Values are not equal: 1.50 !== 1.5",
      "function assertEq(a: unknown, b: unknown) { if (a !== b) throw new Error(`Values are not equal: ${a} !== ${b}`); }",
      "                                                               ^",
      "    at assertEq (file:///home/runner/work/shop/shop/src/ok_test.ts:1:64)",
      "    at file:///home/runner/work/shop/shop/src/ok_test.ts:2:36",
      "",
      " FAILURES ",
      "",
      "formats cents => ./src/ok_test.ts:2:6",
      "",
      "FAILED | 1 passed | 1 failed (4ms)",
      "",
      "error: Test failed",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect(top?.rule).toBe('deno.test-error');
    expect(top?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([11, 12, 13, 14, 15, 16]));
  });

  it("puts a test runner's failure ahead of psql's errors that did not stop the script (no ON_ERROR_STOP: `relation … already exists` on a rerun)", async () => {
    // Prepare: `make test` loading a schema with `psql -q -f` (exit 0: psql goes on after an error without ON_ERROR_STOP)
    // and then running prove; PostgreSQL 15 and Perl's Test::More (real output)
    const log = [
      "##[group]Run make test",
      "make test",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "psql -q -f schema.sql",
      "psql:schema.sql:1: ERROR:  relation \"users\" already exists",
      "psql:schema.sql:2: ERROR:  duplicate key value violates unique constraint \"users_pkey\"",
      "DETAIL:  Key (id)=(1) already exists.",
      "prove t/",
      "",
      "#   Failed test 'lowercases'",
      "#   at t/basic.t line 3.",
      "#          got: 'abc'",
      "#     expected: 'abd'",
      "# Looks like you failed 1 test of 2.",
      "t/basic.t .. ",
      "Dubious, test returned 1 (wstat 256, 0x100)",
      "Failed 1/2 subtests ",
      "",
      "Test Summary Report",
      "-------------------",
      "t/basic.t (Wstat: 256 (exited 1) Tests: 2 Failed: 1)",
      "  Failed test:  2",
      "  Non-zero exit status: 1",
      "Files=1, Tests=2,  0 wallclock secs ( 0.01 usr  0.00 sys +  0.02 cusr  0.00 csys =  0.03 CPU)",
      "Result: FAIL",
      "make: *** [Makefile:3: test] Error 1",
      "##[error]Process completed with exit code 2.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('perl.test-failed');
    expect(analysis.category).toBe('test_failure');
  });

  it("keeps other tools' `FAIL: x` / `PASS: x` lines under psql's error out of its report (automake's serial harness)", async () => {
    // Prepare: automake's serial-tests harness prints a test's output, then its verdict (psql's lines real output)
    const log = [
      "##[group]Run make check",
      "make check",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "make  check-TESTS",
      "make[1]: Entering directory '/home/runner/work/app/app'",
      "psql:t/db.sql:4: ERROR:  relation \"accounts\" does not exist",
      "LINE 1: SELECT balance FROM accounts WHERE id = 1;",
      "                            ^",
      "FAIL: t/db.sh",
      "PASS: t/unit.sh",
      "==================",
      "1 of 2 tests failed",
      "==================",
      "make[1]: *** [Makefile:405: check-TESTS] Error 1",
      "make[1]: Leaving directory '/home/runner/work/app/app'",
      "make: *** [Makefile:598: check-am] Error 2",
      "##[error]Process completed with exit code 2.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const pg = analysis.failures.find((f) => f.rule === 'postgres.error');
    expect([pg?.startLine, pg?.endLine]).toEqual([7, 9]);
    expect(analysis.failures.map((f) => f.rule)).toContain('automake.test-failed');
  });

  it("reads psql's `LOCATION:` line (VERBOSITY verbose) as part of its error", async () => {
    // Prepare: PostgreSQL 15 `psql -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -f g.sql` (real output)
    const log = [
      '##[group]Run psql -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -f g.sql',
      'psql -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -f g.sql',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'psql:g.sql:2: ERROR:  42P01: relation "orders" does not exist',
      'LINE 1: UPDATE orders SET status = 1',
      '               ^',
      'LOCATION:  parserOpenTable, parse_relation.c:1392',
      '##[error]Process completed with exit code 3.',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.endLine]).toEqual(['postgres.error', 5, 8]);
  });

  it("leaves a jison parser's uncaught `Error: Parse error on line N:` (Handlebars' precompiler) to Node's uncaught exception, not jsonlint's", async () => {
    // Prepare: handlebars 4 `handlebars templates/ -f …` over a template with `{{name}` unclosed (real output): jison's
    // parseError throws, Node prints the throwing line and its caret above the error
    const log = [
      "##[group]Run npx handlebars templates/ -f dist/templates.js",
      "npx handlebars templates/ -f dist/templates.js",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/parser.js:267",
      "            throw new Error(str);",
      "            ^",
      "",
      "Error: Parse error on line 3:",
      "...items}}  <li>{{name}</li>{{/each}}</u",
      "----------------------^",
      "Expecting 'CLOSE_RAW_BLOCK', 'CLOSE', 'CLOSE_UNESCAPED', 'OPEN_SEXPR', 'CLOSE_SEXPR', 'ID', 'OPEN_BLOCK_PARAMS', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', 'SEP', got 'INVALID'",
      "    at Parser.parseError (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/parser.js:267:19)",
      "    at Parser.parse (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/parser.js:336:30)",
      "    at parseWithoutProcessing (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/base.js:46:33)",
      "    at HandlebarsEnvironment.parse (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/base.js:52:13)",
      "    at Object.precompile (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars/compiler/compiler.js:523:17)",
      "    at hb.precompile (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/handlebars.js:42:40)",
      "    at /home/runner/work/site/site/node_modules/handlebars/dist/cjs/precompiler.js:240:34",
      "    at Array.forEach (<anonymous>)",
      "    at module.exports.cli (/home/runner/work/site/site/node_modules/handlebars/dist/cjs/precompiler.js:227:18)",
      "    at /home/runner/work/site/site/node_modules/handlebars/bin/handlebars:116:17",
      "",
      "Node.js v20.20.2",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe('node.uncaught');
    expect(analysis.failures.map((f) => f.rule)).not.toContain('jsonlint.error');
  });

  it("still reads zaach's jsonlint (`Error: Parse error on line 2:` printed with its stack, no caret above) as jsonlint's", async () => {
    // Prepare: jsonlint 1.6.3 over a trailing comma (real output)
    const log = [
      "##[group]Run npx jsonlint config/app.json",
      "npx jsonlint config/app.json",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "Error: Parse error on line 2:",
      "{  \"a\": [1, 2,],  \"b\": 3}",
      "--------------^",
      "Expecting 'STRING', 'NUMBER', 'NULL', 'TRUE', 'FALSE', '{', '[', got ']'",
      "    at Object.parseError (/home/runner/work/site/site/node_modules/jsonlint/lib/jsonlint.js:55:11)",
      "    at Object.parse (/home/runner/work/site/site/node_modules/jsonlint/lib/jsonlint.js:132:22)",
      "    at parse (/home/runner/work/site/site/node_modules/jsonlint/lib/cli.js:82:14)",
      "    at main (/home/runner/work/site/site/node_modules/jsonlint/lib/cli.js:135:14)",
      "    at Object.<anonymous> (/home/runner/work/site/site/node_modules/jsonlint/lib/cli.js:179:1)",
      "    at Module._compile (node:internal/modules/cjs/loader:1781:14)",
      "    at Object..js (node:internal/modules/cjs/loader:1913:10)",
      "    at Module.load (node:internal/modules/cjs/loader:1505:32)",
      "    at Function._load (node:internal/modules/cjs/loader:1309:12)",
      "    at wrapModuleLoad (node:internal/modules/cjs/loader:254:19)",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.startLine]).toEqual(['jsonlint.error', 5]);
    expect(analysis.category).toBe('lint');
  });

  it("reads XO's report (eslint-formatter-pretty, tsd's formatter, each message ending in its rule's id) as lint, not a tsd test failure", async () => {
    // Prepare: eslint-formatter-pretty 4 (tsd 0.33.0's) over ESLint results as XO passes them: two errors and a
    // warning, each line ending in its rule's id (the formatter's real output, NO_COLOR)
    const log = [
      "##[group]Run npx xo",
      "npx xo",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "",
      "  src/index.js:1:7",
      "  ⚠   3:1   Comments should not begin with a lowercase character.  capitalized-comments",
      "  ✖   1:7   unused is assigned a value but never used.             no-unused-vars",
      "  ✖  12:20  Unexpected any. Specify a different type.              @typescript-eslint/no-explicit-any",
      "",
      "  1 warning",
      "  2 errors",
      "",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines.map((l) => l.line)).toEqual(expect.arrayContaining([8, 9]));
    expect(analysis.category).toBe('lint');
  });

  it("reads deno test's uncaught error of a test module (`./src/boom_test.ts (uncaught error)` over its `error:`) as the first test failure", async () => {
    // Prepare: deno 1.46.3 test over a module whose top-level await throws, a test leaking a timer and a failed step
    // (real output, NO_COLOR)
    const log = [
      "##[group]Run deno test --allow-read",
      "deno test --allow-read",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "Uncaught error from ./src/boom_test.ts \u001b[0m\u001b[31mFAILED\u001b[0m",
      "\u001b[0m\u001b[38;5;245mrunning 2 tests from ./src/leak_test.ts\u001b[0m",
      "leaks a timer ... \u001b[0m\u001b[31mFAILED\u001b[0m \u001b[0m\u001b[38;5;245m(0ms)\u001b[0m",
      "step test ...",
      "  inner step ... \u001b[0m\u001b[31mFAILED\u001b[0m \u001b[0m\u001b[38;5;245m(1ms)\u001b[0m",
      "step test ... \u001b[0m\u001b[31mFAILED\u001b[0m (due to 1 failed step) \u001b[0m\u001b[38;5;245m(0ms)\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[37m\u001b[41m ERRORS \u001b[0m",
      "",
      "./src/boom_test.ts (uncaught error)",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: (in promise) NotFound: No such file or directory (os error 2): readfile 'missing.json'",
      "const cfg = JSON.parse(await Deno.readTextFile(\"missing.json\"));",
      "\u001b[0m\u001b[31m                                  ^\u001b[0m",
      "    at \u001b[0m\u001b[1m\u001b[3mObject.readTextFile\u001b[0m (\u001b[0m\u001b[36mext:deno_fs/30_fs.js\u001b[0m:\u001b[0m\u001b[33m878\u001b[0m:\u001b[0m\u001b[33m24\u001b[0m)",
      "    at \u001b[0m\u001b[36mfile:///home/runner/work/shop/shop/src/boom_test.ts\u001b[0m:\u001b[0m\u001b[33m1\u001b[0m:\u001b[0m\u001b[33m35\u001b[0m",
      "This error was not caught from a test and caused the test runner to fail on the referenced module.",
      "It most likely originated from a dangling promise, event/timeout handler or top-level code.",
      "",
      "leaks a timer \u001b[0m\u001b[38;5;245m=> ./src/leak_test.ts:1:6\u001b[0m",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: Leaks detected:",
      "  - A timer was started in this test, but never completed. This is often caused by not calling `clearTimeout`.",
      "To get more details where leaks occurred, run again with the --trace-leaks flag.",
      "",
      "step test ... inner step \u001b[0m\u001b[38;5;245m=> ./src/leak_test.ts:3:11\u001b[0m",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: TypeError: bad step",
      "    throw new TypeError(\"bad step\");",
      "\u001b[0m\u001b[31m          ^\u001b[0m",
      "    at \u001b[0m\u001b[36mfile:///home/runner/work/shop/shop/src/leak_test.ts\u001b[0m:\u001b[0m\u001b[33m4\u001b[0m:\u001b[0m\u001b[33m11\u001b[0m",
      "    at \u001b[0m\u001b[1m\u001b[3minnerWrapped\u001b[0m (\u001b[0m\u001b[36mext:cli/40_test.js\u001b[0m:\u001b[0m\u001b[33m191\u001b[0m:\u001b[0m\u001b[33m11\u001b[0m)",
      "    at \u001b[0m\u001b[1m\u001b[3mexitSanitizer\u001b[0m (\u001b[0m\u001b[36mext:cli/40_test.js\u001b[0m:\u001b[0m\u001b[33m107\u001b[0m:\u001b[0m\u001b[33m33\u001b[0m)",
      "    at \u001b[0m\u001b[1m\u001b[3mObject.outerWrapped [as fn]\u001b[0m (\u001b[0m\u001b[36mext:cli/40_test.js\u001b[0m:\u001b[0m\u001b[33m134\u001b[0m:\u001b[0m\u001b[33m20\u001b[0m)",
      "    at \u001b[0m\u001b[1m\u001b[3mTestContext.step\u001b[0m (\u001b[0m\u001b[36mext:cli/40_test.js\u001b[0m:\u001b[0m\u001b[33m492\u001b[0m:\u001b[0m\u001b[33m37\u001b[0m)",
      "    at \u001b[0m\u001b[36mfile:///home/runner/work/shop/shop/src/leak_test.ts\u001b[0m:\u001b[0m\u001b[33m3\u001b[0m:\u001b[0m\u001b[33m11\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[37m\u001b[41m FAILURES \u001b[0m",
      "",
      "./src/boom_test.ts (uncaught error)",
      "leaks a timer \u001b[0m\u001b[38;5;245m=> ./src/leak_test.ts:1:6\u001b[0m",
      "step test ... inner step \u001b[0m\u001b[38;5;245m=> ./src/leak_test.ts:3:11\u001b[0m",
      "",
      "\u001b[0m\u001b[31mFAILED\u001b[0m | 0 passed | 3 failed (1 step) \u001b[0m\u001b[38;5;245m(3ms)\u001b[0m",
      "",
      "\u001b[0m\u001b[1m\u001b[31merror\u001b[0m: Test failed",
      "",
      "Stack backtrace:",
      "   0: anyhow::error::<impl core::convert::From<E> for anyhow::Error>::from",
      "   1: deno_core::error::generic_error",
      "   2: deno::tools::test::report_tests::{{closure}}",
      "   3: <deno_unsync::tokio::task::MaskFutureAsSend<F> as core::future::future::Future>::poll",
      "   4: tokio::runtime::task::raw::poll",
      "   5: deno::main",
      "   6: std::sys_common::backtrace::__rust_begin_short_backtrace",
      "   7: std::rt::lang_start::{{closure}}",
      "   8: std::rt::lang_start_internal",
      "   9: main",
      "  10: __libc_start_call_main",
      "             at ./csu/../sysdeps/nptl/libc_start_call_main.h:58:16",
      "  11: __libc_start_main_impl",
      "             at ./csu/../csu/libc-start.c:360:3",
      "  12: _start",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.lines[0]?.line]).toEqual(['deno.test-error', 15]);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([14, 15]));
    expect(analysis.category).toBe('test_failure');
  });

  it("reads a PL/pgSQL error's CONTEXT whole (its call stack's `SQL statement \"…\"` and `PL/pgSQL function … line N at …` lines)", async () => {
    // Prepare: PostgreSQL 15 `psql -v ON_ERROR_STOP=1 -f f.sql`, a DO block calling a function that divides by zero (real output)
    const log = [
      '##[group]Run psql -v ON_ERROR_STOP=1 -f f.sql',
      'psql -v ON_ERROR_STOP=1 -f f.sql',
      'shell: /usr/bin/bash -e {0}',
      '##[endgroup]',
      'CREATE FUNCTION',
      'psql:f.sql:2: ERROR:  division by zero',
      'CONTEXT:  PL/pgSQL function f(integer) line 1 at RETURN',
      'SQL statement "SELECT f(0)"',
      'PL/pgSQL function inline_code_block line 1 at PERFORM',
      '##[error]Process completed with exit code 3.',
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.startLine, top?.endLine]).toEqual(['postgres.error', 6, 9]);
  });

  it("reads remark --frail's report as the step's listing when pnpm, yarn or bunx runs remark (`pnpm exec remark . --frail`)", async () => {
    // Prepare: the same real remark-cli 12.0.1 output as above, the step running it through pnpm
    const log = [
      "##[group]Run pnpm exec remark . --frail",
      "pnpm exec remark . --frail",
      "shell: /usr/bin/bash -e {0}",
      "##[endgroup]",
      "\u001b[4m\u001b[32mdocs/a.md\u001b[39m\u001b[24m: no issues found",
      "\u001b[4m\u001b[33mdocs/deploy.md\u001b[39m\u001b[24m",
      "3:5      \u001b[33mwarning\u001b[39m \u001b[1mUnexpected \u001b[36m`3`\u001b[39m spaces between list item marker and content, expected \u001b[36m`1`\u001b[39m space, remove \u001b[36m`2`\u001b[39m spaces\u001b[22m list-item-indent      remark-lint",
      "6:1-6:16 \u001b[33mwarning\u001b[39m \u001b[1mUnexpected unused definition, expected no definition or one or more references to \u001b[36m`foo`\u001b[39m\u001b[22m           no-unused-definitions remark-lint",
      "",
      "\u001b[4m\u001b[32mdocs/z.md\u001b[39m\u001b[24m: no issues found",
      "\u001b[4m\u001b[32mREADME.md\u001b[39m\u001b[24m: no issues found",
      "",
      "\u001b[33m⚠\u001b[39m 2 warnings",
      "##[error]Process completed with exit code 1.",
    ];
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    const top = analysis.failures[0];
    expect([top?.rule, top?.lines[0]?.line]).toEqual(['vfile.frail', 6]);
  });
});
