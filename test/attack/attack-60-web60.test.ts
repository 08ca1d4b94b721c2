import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../shared/logs/index.js';
import { expectTopFailure } from '../support/top-failure.js';
import { ghaStep } from '../support/gha-step.js';

// Attack on session 60's rules (branch web60: JavaScript framework builds and Node tooling): other versions' and
// modes' output of the same tools, and other tools' lines in the new formats' shapes. Each row failed before its fix,
// or runs as an expected failure with the reason.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: string, output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

const red = (s: string): string => `\u001b[31m${s}\u001b[39m`;
const green = (s: string): string => `\u001b[32m${s}\u001b[39m`;

describe("attack 60 (web60): the session's rules on other runs of the same tools", () => {
  it("reads bun test's verdicts in colour (`✗ name [0.14ms]`, as bun prints them when FORCE_COLOR is set) as bun's reports, its `error:` line first and the code frame listed", async () => {
    // Prepare: bun 1.x under FORCE_COLOR=1 prints `✓`/`✗`/`»`/`✎` where it prints `(pass)`/`(fail)`/`(skip)`/`(todo)`
    // without colour (fmtStatusTextLine in bun's test command); the report above the verdict is the same.
    const log = stepWithoutExit('bun test', [
      'bun test v1.4.5 (a7733435c)',
      '',
      'test/slug.test.ts:',
      `${green('✓')} slugify > lowercases \u001b[2m[0.12ms]\u001b[22m`,
      ' 9 |   test(\'collapses spaces\', () => {',
      '10 |     expect(slugify(\'Hello   World\')).toBe(\'hello-world\');',
      '                                          ^',
      `${red('error')}: \u001b[2mexpect(\u001b[22m\u001b[31mreceived\u001b[39m\u001b[2m).\u001b[22mtoBe\u001b[2m(\u001b[22m\u001b[32mexpected\u001b[39m\u001b[2m)\u001b[22m`,
      '',
      `Expected: ${green('"hello-world"')}`,
      `Received: ${red('"hello---world"')}`,
      '',
      '      at <anonymous> (/home/runner/work/slugs/slugs/test/slug.test.ts:10:38)',
      `${red('✗')} slugify > collapses spaces \u001b[2m[0.14ms]\u001b[22m`,
      '',
      ` ${green('1 pass')}`,
      ` ${red('1 fail')}`,
      'Ran 2 tests across 1 file. [6.00ms]',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect([analysis.failures[0]?.rule, analysis.failures[0]?.lines[0]?.text]).toEqual(['bun.test-failed', 'error: expect(received).toBe(expected)']);
    expect(predictionLines(analysis)).toEqual(expect.arrayContaining([10, 12, 14, 15, 18]));
  });

  it("reads Vitest's negative coverage thresholds (`ERROR: Uncovered lines (6) exceed global threshold (2)`) as the coverage verdict, not a bare ERROR", async () => {
    // Prepare: vitest 5.1.1 --coverage with `thresholds: { lines: -2, statements: -2 }` (BaseCoverageProvider's
    // reportThresholdViolations: a negative threshold is a maximum of uncovered items)
    await expectTopFailure({
      name: 'vitest negative thresholds',
      log: stepWithoutExit('npx vitest run --coverage', [
        '',
        ' RUN  v5.1.1 /home/runner/work/app/app',
        '',
        ' ✓ test/price.test.ts (2 tests) 3ms',
        '',
        ' Test Files  1 passed (1)',
        '      Tests  2 passed (2)',
        '',
        ' % Coverage report from v8',
        '----------|---------|----------|---------|---------|-------------------',
        'File      | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s ',
        '----------|---------|----------|---------|---------|-------------------',
        'All files |      25 |      100 |      50 |      25 |                   ',
        ' price.ts |      25 |      100 |      50 |      25 | 3-8               ',
        '----------|---------|----------|---------|---------|-------------------',
        'ERROR: Uncovered lines (6) exceed global threshold (2)',
        'ERROR: Uncovered statements (6) exceed "src/**" threshold (2) for src/price.ts',
        '##[error]Process completed with exit code 1.',
      ]),
      rule: 'coverage.threshold',
      head: 'ERROR: Uncovered lines (6) exceed global threshold (2)',
    });
  });

  it("files Angular's webpack builder's budget error (`Error: bundle initial exceeded maximum budget.`, @angular-devkit/build-angular:browser) as lint, as the esbuild builder's", async () => {
    // Prepare: `ng build` with the webpack-based browser builder (Angular 12 to 19 projects that kept it): the budget's
    // warning limit and its error limit both exceeded
    const log = stepWithoutExit('npx ng build', [
      '- Generating browser application bundles (phase: setup)...',
      '✔ Browser application bundle generation complete.',
      '✔ Copying assets complete.',
      '✔ Index html generation complete.',
      '',
      'Initial Chunk Files           | Names         |  Raw Size | Estimated Transfer Size',
      'main.3b7c8f0e4c8a4f7d.js      | main          | 712.44 kB |               171.22 kB',
      '',
      'Build at: 2026-11-28T18:40:12.512Z - Hash: 3f1e0b8c5d2a7e94 - Time: 14123ms',
      '',
      'Warning: bundle initial exceeded maximum budget. Budget 500.00 kB was not met by 212.44 kB with a total of 712.44 kB.',
      '',
      'Error: bundle initial exceeded maximum budget. Budget 700.00 kB was not met by 12.44 kB with a total of 712.44 kB.',
      '',
      '',
      '##[error]Process completed with exit code 1.',
    ]);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.lines[0]?.text).toBe('Error: bundle initial exceeded maximum budget. Budget 700.00 kB was not met by 12.44 kB with a total of 712.44 kB.');
    expect(analysis.failures[0]?.category).toBe('lint');
  });
});

describe("attack 60 (web60): other tools' lines in the new formats' shapes", () => {
  it("does not read a line opening with a word in guillemets (`«Enregistrer» …`, a French UI string a test prints) as aws-cdk-lib's `«Code»` error over the real failure", async () => {
    // Prepare: a Jest run whose passing suite logs an i18n string (Swiss French writes guillemets without spaces),
    // then a failed test
    await expectTopFailure({
      name: 'guillemets in i18n output',
      log: stepWithoutExit('npm test', [
        '  console.log',
        '    «Enregistrer» sauvegarde le brouillon',
        '',
        '      at Object.<anonymous> (src/i18n.test.js:5:13)',
        '',
        '«Annuler» ferme la fenêtre sans enregistrer',
        'i18n: 42 messages extracted for fr-CH',
        '',
        'FAIL src/cart.test.js',
        '  ● cart › totals items',
        '',
        '    expect(received).toBe(expected) // Object.is equality',
        '',
        '    Expected: 3',
        '    Received: 4',
        '',
        '      at Object.<anonymous> (src/cart.test.js:4:17)',
        '',
        'Tests:       1 failed, 1 total',
        '##[error]Process completed with exit code 1.',
      ]),
      rule: 'jest.failed',
      head: '● cart › totals items',
      absent: 'cdk.error',
    });
  });
});
