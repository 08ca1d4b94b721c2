import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * Session 52 review of the log extractor's changes (node:test's summary remembered as lines pass, make's own stop
 * lines through the keyword pre-filter). Each test here failed on the integration branch when written and passes
 * since its fix. The review's fourth finding, a cost (a remembered summary has the lines after it read, not skipped:
 * 200,000 `ℹ` lines under one cost ~6× what they cost without it, still linear), is measured, not asserted here.
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');
const read = (path: string): string => readFileSync(resolve(FIXTURES, path), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('make stops (session 52 review)', () => {
  it('a stop the script went on past (`make clean || true`) does not come before the failing `make test` that follows it', async () => {
    // Prepare: real GNU Make 4.3 output (test/fixtures/make/README.md).
    const log = read('make/ignored-stop-then-test.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: the test's output (lines 5-6) is the failure; line 2 was tolerated by `|| true`.
    expect(line(log, 2)).toBe("make: *** No rule to make target 'clean'.  Stop.");
    expect([5, 6]).toContain(predictionLines(analysis)[0]);
  });

  it('make\'s `*** No targets.  Stop.` (a makefile of pattern rules only) is a failure', async () => {
    // Prepare
    const log = read('make/no-targets.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 2)).toBe('make: *** No targets.  Stop.');
    expect(predictionLines(analysis)[0]).toBe(2);
  });
});

describe('node:test summaries (session 52 review)', () => {
  it('Turborepo, two tasks finishing together: `app`\'s `✖ failing tests:` list takes `app`\'s `ℹ fail 2`, not none because `lib`\'s summary came between', async () => {
    // Prepare
    const log = read('node-test/turbo-two-summaries-node22.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: app's list entries (lines 37 and 58, each from its `test at file:line:col` above) are 14 lines under
    // app's summary, 9 of them not `ℹ` lines of app.
    expect([line(log, 20), line(log, 34)]).toEqual(['app:test: ℹ fail 2', 'app:test: ✖ failing tests:']);
    const listed = analysis.failures.filter((f) => f.rule === 'node-test.failed' && f.startLine > 34 && f.startLine < 76);
    expect(listed.map((f) => [f.startLine, f.tallyLine])).toEqual([[36, 20], [57, 20]]);
  });

  it('Turborepo, two tasks finishing together: each task\'s failed tests take its own `ℹ fail 2`, inline and listed', async () => {
    // Prepare
    const log = read('node-test/turbo-two-summaries-node22.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert: lib's inline failures (10, 11) were printed before app's summary (20), lib's own is 28.
    expect([2, 3, 10, 11].map((n) => line(log, n).split(': ')[0])).toEqual(['app:test', 'app:test', 'lib:test', 'lib:test']);
    expect([line(log, 20), line(log, 28)]).toEqual(['app:test: ℹ fail 2', 'lib:test: ℹ fail 2']);
    const tallies = analysis.failures.filter((f) => f.rule === 'node-test.failed').map((f) => [f.startLine, f.tallyLine]);
    expect(tallies).toEqual([[2, 20], [3, 20], [10, 28], [11, 28], [36, 20], [57, 20], [78, 28], [99, 28]]);
  });
});
