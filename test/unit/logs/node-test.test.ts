import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const lines = (...l: string[]): string => l.join('\n');

/**
 * Node's built-in test runner, spec reporter (its `lib/internal/test_runner/reporter/spec.js` and `utils.js`): a
 * failed test's `✖ name (1.05ms)` with the error inspected two spaces under it, a suite that holds failures as
 * `▶ name`, the `ℹ` counts, then at the end `✖ failing tests:` and each failed test again under `test at file:line:col`.
 */
const nodeSpec = lines(
  '$ node --test',
  '▶ Cart',
  '  ✔ adds items (0.41ms)',
  '  ✖ applies the discount (1.05ms)',
  '    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
  '    ',
  '    100 !== 90',
  '    ',
  '        at TestContext.<anonymous> (file:///home/runner/work/shop/shop/test/cart.test.js:12:12)',
  '        at Test.runInAsyncScope (node:async_hooks:214:14)',
  '        at Test.run (node:internal/test_runner/test:1047:25)',
  '        at async Suite.processPendingSubtests (node:internal/test_runner/test:744:7) {',
  '      generatedMessage: true,',
  '      code: \'ERR_ASSERTION\',',
  '      actual: 100,',
  '      expected: 90,',
  '      operator: \'strictEqual\'',
  '    }',
  '',
  '  ✖ rounds the total (0.62ms)',
  '    AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
  '    ',
  '    10.5 !== 11',
  '    ',
  '        at TestContext.<anonymous> (file:///home/runner/work/shop/shop/test/cart.test.js:20:12)',
  '        at Test.runInAsyncScope (node:async_hooks:214:14) {',
  '      generatedMessage: true,',
  '      code: \'ERR_ASSERTION\',',
  '      actual: 10.5,',
  '      expected: 11,',
  '      operator: \'strictEqual\'',
  '    }',
  '',
  '▶ Cart (2.8ms)',
  'ℹ tests 3',
  'ℹ suites 1',
  'ℹ pass 1',
  'ℹ fail 2',
  'ℹ cancelled 0',
  'ℹ skipped 0',
  'ℹ todo 0',
  'ℹ duration_ms 61.3',
  '',
  '✖ failing tests:',
  '',
  'test at test/cart.test.js:10:3',
  '✖ applies the discount (1.05ms)',
  '  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
  '  ',
  '  100 !== 90',
  '  ',
  '      at TestContext.<anonymous> (file:///home/runner/work/shop/shop/test/cart.test.js:12:12)',
  '      at Test.runInAsyncScope (node:async_hooks:214:14)',
  '      at Test.run (node:internal/test_runner/test:1047:25)',
  '      at async Suite.processPendingSubtests (node:internal/test_runner/test:744:7) {',
  '    generatedMessage: true,',
  '    code: \'ERR_ASSERTION\',',
  '    actual: 100,',
  '    expected: 90,',
  '    operator: \'strictEqual\'',
  '  }',
  '',
  'test at test/cart.test.js:18:3',
  '✖ rounds the total (0.62ms)',
  '  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:',
  '  ',
  '  10.5 !== 11',
  '  ',
  '      at TestContext.<anonymous> (file:///home/runner/work/shop/shop/test/cart.test.js:20:12)',
  '      at Test.runInAsyncScope (node:async_hooks:214:14) {',
  '    generatedMessage: true,',
  '    code: \'ERR_ASSERTION\',',
  '    actual: 10.5,',
  '    expected: 11,',
  '    operator: \'strictEqual\'',
  '  }',
  'The command \"node --test\" exited with 1.',
);

describe('node:test (spec reporter)', () => {
  it('keeps one finding per failing test, the one where it failed, not its copy in the `failing tests:` summary', async () => {
    // Act
    const analysis = await analyzeLog(nodeSpec);
    // Assert
    const tests = analysis.failures.filter((f) => f.rule === 'node-test.failed');
    expect(tests.map((f) => f.startLine)).toEqual([4, 20]);
    expect(analysis.failures[0]?.rule).toBe('node-test.failed');
    expect(analysis.failures.some((f) => f.lines[0]?.text === '✖ failing tests:' && f.rule !== 'cascade.summary')).toBe(false);
  });

  it('lists the test and its assertion, not its stack and the error\'s inspected properties, with the `ℹ fail` count', async () => {
    // Act
    const predicted = predictionLines(await analyzeLog(nodeSpec));
    // Assert: the first test's line, its assertion and the values; the second test's; the run's count of failures.
    expect(predicted.slice(0, 2)).toEqual([5, 4]);
    expect(predicted).toEqual(expect.arrayContaining([4, 5, 7, 20, 21, 23, 38]));
    expect(predicted.filter((l) => (l >= 9 && l <= 18) || l >= 44)).toEqual([]);
    expect(predicted.length).toBeLessThanOrEqual(16);
  });
});
