import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * The formats behind session 59's open rows in test/fixtures/gha-real-tools (busted's TAP comments, node:assert's
 * diff, …), each excerpt cut from another real run of the tool on this machine (another project, another fault):
 * the report lines each format's rule must list, and the first line it shows.
 */
describe("session 59's open rows: the formats their logs missed", () => {
  it("lists busted's TAP diagnostics under `not ok N` (its `# file @ line`, `# Failure message:` and luassert's values)", async () => {
    // Prepare: busted 2.1.1 -o TAP, Lua 5.2 (an `are.same` on tables, a runtime error, an `is_true`)
    const log = [
      'not ok 1 - cart sums prices',
      '# spec/cart_spec.lua @ 4',
      '# Failure message: spec/cart_spec.lua:5: Expected objects to be the same.',
      '# Passed in:',
      '# (table: 0x55a65ad9a6c0) {',
      '#  *[total] = 6 }',
      '# Expected:',
      '# (table: 0x55a65ad9a650) {',
      '#  *[total] = 7 }',
      'ok 2 - cart upper-cases names',
      'not ok 3 - cart handles a missing name',
      '# spec/cart_spec.lua @ 10',
      "# Failure message: src/cart.lua:3: attempt to index field 'name' (a nil value)",
      'not ok 4 - cart is truthy',
      '# spec/cart_spec.lua @ 13',
      '# Failure message: spec/cart_spec.lua:13: Expected objects to be the same.',
      '# Passed in:',
      '# (boolean) false',
      '# Expected:',
      '# (boolean) true',
      '1..4',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(1);
    expect(analysis.category).toBe('test_failure');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([1, 2, 3, 5, 6, 8, 9, 11, 12, 13, 14, 15, 16, 18, 20]));
    expect(predictionLines(analysis)).not.toContain(10);
  });

  it("does not take tape's next test's name (`# name`, one space in) into a `not ok` line's block", async () => {
    // Prepare: tape 5's output, a failing test then the next test's comment
    const log = [
      'TAP version 13',
      '# parses a date',
      'not ok 1 should be strictly equal',
      '  ---',
      '    operator: equal',
      '    expected: 2',
      '    actual:   1',
      '  ...',
      '# Expected: a passing run',
      'ok 2 should be truthy',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).not.toContain(9);
  });

  it("lists node:assert's diff under an uncaught AssertionError (Node 22: `+ actual - expected`, the `+`/`-` lines) and the frame under it", async () => {
    // Prepare: node 22.23.3 t1.mjs, an uncaught assert.deepStrictEqual on arrays
    const log = [
      'node:internal/modules/run_main:123',
      '    triggerUncaughtException(',
      '    ^',
      '',
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly deep-equal:',
      '+ actual - expected',
      '',
      '  [',
      "    'a-b',",
      "+   'c--d'",
      "-   'c-d'",
      '  ]',
      '',
      '    at file:///home/runner/work/app/app/t1.mjs:3:8',
      '    at ModuleJob.run (node:internal/modules/esm/module_job:343:25)',
      '    at async onImport.tracePromise.__proto__ (node:internal/modules/esm/loader:681:26)',
      '    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5) {',
      '  generatedMessage: true,',
      "  code: 'ERR_ASSERTION',",
      "  actual: [ 'a-b', 'c--d' ],",
      "  expected: [ 'a-b', 'c-d' ],",
      "  operator: 'deepStrictEqual',",
      "  diff: 'simple'",
      '}',
      '',
      'Node.js v22.23.3',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 6, 10, 11, 14]));
  });

  it("lists node:assert's diff of two strings (`+ 'eu-west-1'`, `- 'eu-west-2'`) under an uncaught strictEqual", async () => {
    // Prepare: node 22.23.3 t2.js (CommonJS)
    const log = [
      'node:assert:150',
      '  throw new AssertionError(obj);',
      '  ^',
      '',
      'AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      '+ actual - expected',
      '',
      "+ 'eu-west-1'",
      "- 'eu-west-2'",
      '           ^',
      '',
      '    at Object.<anonymous> (/home/runner/work/app/app/t2.js:2:8)',
      '    at Module._compile (node:internal/modules/cjs/loader:1781:14)',
      '    at Object..js (node:internal/modules/cjs/loader:1913:10)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([5, 8, 9, 12]));
  });

  it("does not take a shell's xtrace (`+ npm test`) after an uncaught exception into its block", async () => {
    // Prepare
    const log = [
      "TypeError: Cannot read properties of undefined (reading 'x')",
      '    at Object.<anonymous> (/home/runner/work/app/app/run.js:2:8)',
      '',
      '+ npm run lint',
      '+ exit 1',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).not.toContain(4);
  });

  it("lists Alembic's `FAILED: …` under its `ERROR [alembic.util.messaging] …` line: one report, the revision graph's (compilation)", async () => {
    // Prepare: Debian 12's alembic 1.8.1, `alembic upgrade zz99` (a revision no migration has)
    const log = [
      'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.',
      'INFO  [alembic.runtime.migration] Will assume non-transactional DDL.',
      "ERROR [alembic.util.messaging] Can't locate revision identified by 'zz99'",
      "FAILED: Can't locate revision identified by 'zz99'",
      '##[error]Process completed with exit code 255.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(3);
    expect(predictionLines(analysis)).toEqual([3, 4]);
    expect(analysis.category).toBe('compilation');
  });

  it("leaves an Alembic command error outside the revision graph to its words (`Relative revision -5 didn't produce 5 migrations`)", async () => {
    // Prepare: alembic 1.8.1, `alembic downgrade -5` over two migrations
    const log = [
      'INFO  [alembic.runtime.migration] Context impl SQLiteImpl.',
      "ERROR [alembic.util.messaging] Relative revision -5 didn't produce 5 migrations",
      "FAILED: Relative revision -5 didn't produce 5 migrations",
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(predictionLines(analysis)).toEqual([2, 3]);
    expect(analysis.category).not.toBe('compilation');
  });

  it("reads publint's `Errors:` list as a lint report that ends where its `Suggestions:` begin", async () => {
    // Prepare: publint 0.3.25 over a package whose `exports` names a file it lacks (colour, as under CI=true)
    const log = [
      'Running \u001b[1mpublint v0.3.25\u001b[22m for \u001b[1mleft-pad-ng\u001b[22m...',
      'Packing files with `npm pack`...',
      'Linting...',
      '\u001b[1m\u001b[31mErrors:\u001b[39m\u001b[22m',
      '\u001b[2m1. \u001b[22m\u001b[1mpkg.exports["./util"]\u001b[22m is \u001b[1m./lib/util.js\u001b[22m but the file does not exist.',
      '\u001b[1m\u001b[34mSuggestions:\u001b[39m\u001b[22m',
      '\u001b[2m1. \u001b[22mThe package does not specify the \u001b[1m"engines.node"\u001b[22m field. Consumers may install it on an unsupported Node.js version. Consider adding the field with your actual minimum supported Node.js version. (This may be a breaking change)',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect([4, 5]).toContain(analysis.failures[0]?.lines[0]?.line);
    expect(predictionLines(analysis)).toEqual([4, 5]);
    expect(analysis.category).toBe('lint');
  });

  it("still reads an `Errors:` heading no publint run printed as a failure list (PHPUnit-style, under a test run)", async () => {
    // Prepare
    const log = [
      'Tests: 12, Assertions: 30, Errors: 1.',
      '',
      'Errors:',
      '1) Shop\\CartTest::testTotal',
      'TypeError: Shop\\Cart::total(): Return value must be of type int, string returned',
      '',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.category).toBe('test_failure');
  });

  it("reads knip's default report (a heading with its count over each kind's items) as one lint report, its first heading first", async () => {
    // Prepare: knip 6.44.2 (CI=true, no terminal) over another project: unused file, dependencies, unlisted, unresolved, exports
    const log = [
      '> report-kit@1.0.0 knip',
      '> knip',
      '',
      'Unused files (1)',
      'src/old.js',
      'Unused dependencies (1)',
      'chalk  package.json',
      'Unused devDependencies (1)',
      'prettier  package.json',
      'Unlisted dependencies (1)',
      'yaml  src/main.js:2:23',
      'Unresolved imports (1)',
      './polyfill.js  src/main.js:4:8',
      'Unused exports (2)',
      'pad           src/lib.js:2:14',
      'Clock  class  src/lib.js:3:14',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 7, 9, 11, 13, 15, 16]));
    expect(analysis.category).toBe('lint');
  });

  it("does not read a coverage table's or a program's `Unused … (N)` line as knip's without its items' shape", async () => {
    // Prepare: a build's summary that happens to count its unused assets, then a real failure
    const log = [
      'Unused assets (3) were dropped from the bundle',
      'src/app.ts:4:7 - error TS2322: Type \'string\' is not assignable to type \'number\'.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(2);
  });

  it("reads `composer validate --strict` failing on warnings (`… is valid, but with a few warnings`) with its warnings as a lint report", async () => {
    // Prepare: Debian 12's Composer 2.5.5, another package without a license
    const log = [
      '##[group]Run composer validate --strict --no-check-lock',
      'composer validate --strict --no-check-lock',
      '##[endgroup]',
      './composer.json is valid, but with a few warnings',
      'See https://getcomposer.org/doc/04-schema.md for details on the schema',
      '# General warnings',
      '- No license specified, it is recommended to do so. For closed-source software you may use "proprietary" as license.',
      '##[error]Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 7]));
    expect(analysis.category).toBe('lint');
  });

  it("puts a later step's real failure before `composer validate`'s warnings of a passing run (no --strict: exit 0)", async () => {
    // Prepare
    const log = [
      './composer.json is valid, but with a few warnings',
      'See https://getcomposer.org/doc/04-schema.md for details on the schema',
      '# General warnings',
      '- No license specified, it is recommended to do so. For closed-source software you may use "proprietary" as license.',
      'PHPUnit 9.6.7 by Sebastian Bergmann and contributors.',
      '',
      'There was 1 failure:',
      '',
      '1) Acme\\Billing\\InvoiceTest::testTotal',
      'Failed asserting that 41 is identical to 42.',
      '',
      '/home/runner/work/billing/billing/tests/InvoiceTest.php:12',
      '',
      'FAILURES!',
      'Tests: 3, Assertions: 3, Failures: 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBeGreaterThanOrEqual(9);
    expect(analysis.category).toBe('test_failure');
  });

  it("lists busted's `--verbose` traceback under the TAP `not ok` (`# stack traceback:`, `# <tab>src/cart.lua:3: in function …`), not the next test's `# file @ N: name` line", async () => {
    // Prepare: busted 2.1.1 -o TAP --verbose, Lua 5.2
    const log = [
      '# spec/cart_spec.lua @ 7: cart upper-cases names',
      'ok 2 - cart upper-cases names',
      '# spec/cart_spec.lua @ 10: cart handles a missing name',
      'not ok 3 - cart handles a missing name',
      '# spec/cart_spec.lua @ 10',
      "# Failure message: src/cart.lua:3: attempt to index field 'name' (a nil value)",
      '# stack traceback:',
      "# \tsrc/cart.lua:3: in function 'names'",
      '# \tspec/cart_spec.lua:11: in function <spec/cart_spec.lua:10>',
      '# ',
      '# spec/cart_spec.lua @ 13: cart is truthy',
      'ok 4 - cart is truthy',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.lines[0]?.line).toBe(4);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([4, 5, 6, 7, 8, 9]));
    expect(predictionLines(analysis)).not.toContain(11);
  });
});
