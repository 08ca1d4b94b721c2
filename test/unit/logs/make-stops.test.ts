import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/make');

/**
 * GNU Make stopping on its own (real runs, see test/fixtures/make/README.md): its `*** No rule to make target` and
 * `*** No targets specified` lines carry none of the words an error line usually does (no `error`, no `fail`), and
 * the compile line above them is the step's only other output.
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('make stops without a compiler error', () => {
  afterEach(restoreFastPaths);

  it.each([
    ['no-rule.log', 3, 'make: *** No rule to make target \'util.o\', needed by \'app\'.  Stop.'],
    ['no-makefile.log', 2, 'make: *** No targets specified and no makefile found.  Stop.'],
    ['no-rule-sub-make.log', 5, 'make[1]: *** No rule to make target \'y.o\', needed by \'libx.a\'.  Stop.'],
  ])('%s: the line make stopped on is the failure, first', async (file, stopLine, text) => {
    // Prepare
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, stopLine)).toBe(text);
    expect(analysis.failures[0]?.rule).toBe('make.no-rule');
    expect(predictionLines(analysis)[0]).toBe(stopLine);
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['no-rule.log', 'no-makefile.log', 'no-rule-sub-make.log']) {
      // Act
      const { everyLine, fast } = await failuresBothWays(readFileSync(resolve(FIXTURES, file)));
      // Assert
      expect(fast, file).toEqual(everyLine);
      expect(everyLine.length, file).toBeGreaterThan(0);
    }
  });
});
