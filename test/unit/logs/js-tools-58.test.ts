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
});
