import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * Session 58's JavaScript/TypeScript tools, each excerpt cut from a real run on this machine (most of the whole runs
 * are in test/fixtures/gha-real-tools; some excerpts are trimmed, and a few lines added in the tool's own shape where
 * a case needs them: a second `Invalid:` line under npm's `Missing:`, a project's name in Playwright's header, a
 * package's frame in node:test's stack): the report lines each format's rule must list, and the first line it shows.
 */
describe("session 58's JavaScript/TypeScript tools", () => {
  it("reads Vite 8's Rolldown error (`[CODE] message` over its `╭─[ file:line:col ]` frame) as the build's failure, not its `✗ Build failed` line as a test's", async () => {
    // Prepare
    const log = [
      'vite v8.4.0 building client environment for production...',
      'transforming...',
      '✓ 7 modules transformed.',
      '✗ Build failed in 598ms',
      'error during build:',
      'Build failed with 2 errors:',
      '',
      "[UNRESOLVED_IMPORT] Could not resolve './missing.js' in src/utils/total.js",
      '   ╭─[ src/utils/total.js:1:21 ]',
      '   │',
      " 1 │ import { sum } from './missing.js';",
      '   │                     ───────┬──────  ',
      '   │                            ╰──────── Module not found.',
      '   │ ',
      "   │ Help: 'src/utils/total.js' is imported by the following path:",
      '   │         - src/utils/total.js',
      '   │         - src/main.js',
      '   │         - index.html',
      '───╯',
      '',
      "[UNRESOLVED_IMPORT] Could not resolve './also-missing.js' in src/utils/total.js",
      '   ╭─[ src/utils/total.js:2:21 ]',
      '   │',
      " 2 │ import { avg } from './also-missing.js';",
      '   │                     ─────────┬─────────  ',
      '   │                              ╰─────────── Module not found.',
      '───╯',
      '',
      '    at aggregateBindingErrorsIntoJsError (file:///home/runner/work/app/app/node_modules/rolldown/dist/shared/error-z4CTM_u3.mjs:110:18)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('rolldown.error');
    expect(analysis.category).toBe('compilation');
    const lines = predictionLines(analysis);
    expect(lines[0]).toBe(8);
    expect(lines).toEqual(expect.arrayContaining([8, 9, 11, 13, 21, 22, 24, 26]));
    expect(analysis.failures.some((f) => f.rule === 'test.cross-mark')).toBe(false);
  });

  it("does not read a line in Rolldown's error shape without its frame under it as one (a log's own `[TAG] text`)", async () => {
    // Prepare
    const log = ['[DEPLOY_STEP] Could not resolve the previous release, starting fresh', 'uploading 3 files', 'done'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.some((f) => f.rule === 'rolldown.error')).toBe(false);
  });

  it("lists under Rollup's `[!] RollupError:` the position line and code frame it prints at the line's start", async () => {
    // Prepare
    const log = [
      'src/index.js → dist/tiny-query.mjs, dist/tiny-query.cjs...',
      '[!] RollupError: src/stringify.js (10:0): Unexpected token `<eof>`. Expected identifier, string literal, numeric literal or [ for the computed key',
      'src/stringify.js (10:0)',
      '8:   params: {},',
      "9:   string: '',",
      '    at Object.getRollupError (/app/node_modules/rollup/dist/shared/parseAst.js:326:41)',
      '',
      'next step',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('rollup.error');
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([2, 3, 4, 5]));
  });

  it("reads Biome's `file format ━━━` diagnostic (a file to reformat) as it reads its lint diagnostics", async () => {
    // Prepare
    const log = [
      '> biome check .',
      '',
      'src/report.js format ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
      '',
      '  × Formatter would have printed the following content:',
      '  ',
      '    1   │ - export·function·summarize(items){',
      '      1 │ + export·function·summarize(items)·{',
      '    2 2 │   }',
      '  ',
      '',
      'src/stock.js:2:18 lint/suspicious/noDoubleEquals  FIXABLE  ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━',
      '',
      '  × Using == may be unsafe if you are relying on type coercion.',
      '  ',
      "  > 2 │   if (item.count == '0') {",
      '      │                  ^^',
      '',
      'Checked 3 files in 10ms. No fixes applied.',
      'Found 2 errors.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('biome.diagnostic');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(5);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([3, 5, 12, 14, 16]));
    expect(analysis.category).toBe('lint');
  });

  it("lists of node:test's spec summary each failed test's `test at file:line:col` and the frames in the project's own files", async () => {
    // Prepare
    const log = [
      '▶ slugify',
      '  ✖ drops punctuation (0.717881ms)',
      '✖ slugify (1.886472ms)',
      'ℹ tests 2',
      'ℹ pass 0',
      'ℹ fail 2',
      '',
      '✖ failing tests:',
      '',
      'test at test/slug.test.js:10:3',
      '✖ drops punctuation (0.717881ms)',
      '  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
      '  ',
      "  'hello,-world!' !== 'hello-world'",
      '  ',
      '      at TestContext.<anonymous> (file:///home/runner/work/slugger/slugger/test/slug.test.js:11:12)',
      '      at Test.runInAsyncScope (node:async_hooks:214:14)',
      '      at Test.run (node:internal/test_runner/test:1047:25)',
      '',
      'test at test/slug.test.js:20:3',
      '✖ handles a zero limit (0.078507ms)',
      '  RangeError: max must be positive, got 0',
      '      at truncate (file:///home/runner/work/slugger/slugger/src/slug.js:6:22)',
      '      at TestContext.<anonymous> (file:///home/runner/work/slugger/slugger/test/slug.test.js:21:18)',
      '      at Test.runInAsyncScope (node:async_hooks:214:14)',
      '      at async Test.processPendingSubtests (/home/runner/work/slugger/slugger/node_modules/x/index.js:744:7)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('node-test.failed');
    expect(lines).toEqual(expect.arrayContaining([10, 11, 12, 16, 20, 21, 22, 23, 24]));
    expect(lines).not.toContain(17);
    expect(lines).not.toContain(26);
  });

  it("lists AVA's report under its `✘ [fail]:` lines: each test's title, position, code and difference", async () => {
    // Prepare
    const log = [
      '> ava',
      '',
      '',
      '  ✔ splits a line',
      '  ✘ [fail]: keeps quoted commas',
      '  ✘ [fail]: maps rows to objects',
      '  ─',
      '',
      '  keeps quoted commas',
      '',
      '  test/parse.test.js:9',
      '',
      "   8: test('keeps quoted commas', (t) => {              ",
      "   9:   t.deepEqual(parseLine('\"a,b\",c'), ['a,b', 'c']);",
      '   10: });                                               ',
      '',
      '  Difference (- actual, + expected):',
      '',
      '    [',
      "  -   '\"a',",
      "  +   'a,b',",
      '    ]',
      '',
      '  › file://test/parse.test.js:9:5',
      '',
      '',
      '',
      '  maps rows to objects',
      '',
      '  test/parse.test.js:14',
      '',
      "  - '5'",
      '  + 5',
      '',
      '  ─',
      '',
      '  2 tests failed',
      'next step',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('ava.failed');
    expect(lines[0]).toBe(5);
    expect(lines).toEqual(expect.arrayContaining([5, 6, 9, 11, 14, 20, 21, 28, 30, 32, 33]));
    expect(lines).not.toContain(4);
    expect(lines).not.toContain(38);
  });

  it("reads Yarn 4's `would have been modified` line first, with the `YN0028` lines of the lockfile's diff above it", async () => {
    // Prepare
    const log = [
      '➤ YN0000: ┌ Post-resolution validation',
      '::group::Post-resolution validation',
      '➤ YN0000: │ @@ -4,12 +4,19 @@',
      '➤ YN0000: │  __metadata:',
      '➤ YN0028: │ +"ms@npm:^2.1.3":',
      '➤ YN0028: │ +  version: 2.1.3',
      '➤ YN0000: │    dependencies:',
      '➤ YN0028: │ +    ms: "npm:^2.1.3"',
      '➤ YN0000: │ ',
      '➤ YN0028: │ The lockfile would have been modified by this install, which is explicitly forbidden.',
      '::endgroup::',
      '➤ YN0028: +"ms@npm:^2.1.3":',
      '➤ YN0028: +  version: 2.1.3',
      '➤ YN0028: The lockfile would have been modified by this install, which is explicitly forbidden.',
      '➤ YN0000: └ Completed',
      '➤ YN0000: · Failed with errors in 0s 71ms',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('yarn.berry-error');
    expect(lines[0]).toBe(10);
    expect(lines).toEqual(expect.arrayContaining([5, 6, 8, 10, 14]));
    expect(lines).not.toContain(16);
  });

  it("reads Playwright Test's report without projects (`1) file:line:col › title ───`) as with them, each down to the next", async () => {
    // Prepare
    const log = [
      'Running 3 tests using 1 worker',
      '',
      '  ✓  1 tests/orders.spec.js:3:1 › lists orders (24ms)',
      '  ✘  2 tests/orders.spec.js:10:1 › order totals include tax (25ms)',
      '  ✘  3 tests/orders.spec.js:16:1 › fetches one order (24ms)',
      '',
      '',
      '  1) tests/orders.spec.js:10:1 › order totals include tax ─────────────────────────────────────────',
      '',
      '    Error: expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: 50.4',
      '    Received: 42',
      '',
      '    > 13 |   expect(order.total).toBe(50.4);',
      '         |                       ^',
      '        at /home/runner/work/orders-service/orders-service/tests/orders.spec.js:13:23',
      '',
      '  2) [api] › tests/orders.spec.js:16:1 › fetches one order ──────────────────────────────────────',
      '',
      '    Error: expect(received).toBe(expected) // Object.is equality',
      '',
      '    Expected: 200',
      '    Received: 404',
      '',
      '  2 failed',
      '    tests/orders.spec.js:10:1 › order totals include tax ─────────────────────────────────────────',
      '  1 passed (1.1s)',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('playwright.failed');
    expect(analysis.category).toBe('test_failure');
    expect(lines[0]).toBe(10);
    expect(lines).toEqual(expect.arrayContaining([8, 10, 12, 13, 15, 17, 19, 21, 23, 24]));
    expect(lines).not.toContain(3);
    expect(lines).not.toContain(27);
  });

  it("takes into `npm ci`'s out-of-sync error its `code EUSAGE` line and the `Missing:` lines, not the usage after them", async () => {
    // Prepare
    const log = [
      'npm error code EUSAGE',
      'npm error',
      'npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.',
      'npm error',
      'npm error Missing: bytes@3.1.2 from lock file',
      'npm error Invalid: lock file\'s ms@2.0.0 does not satisfy ms@^2.1.3',
      'npm error',
      'npm error Clean install a project',
      'npm error',
      'npm error Usage:',
      'npm error npm ci',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    const lines = predictionLines(analysis);
    // Assert
    expect(analysis.failures[0]?.rule).toBe('lockfile.outdated');
    expect(lines[0]).toBe(3);
    expect(lines).toEqual(expect.arrayContaining([1, 3, 5, 6]));
    expect(lines).not.toContain(8);
    expect(lines).not.toContain(9);
    expect(lines).not.toContain(10);
  });
});
