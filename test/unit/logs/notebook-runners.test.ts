import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/notebooks');

/**
 * A notebook runner re-raises the error a cell raised in the kernel: papermill as `PapermillExecutionError`, nbclient
 * (under `jupyter nbconvert --execute`) as `CellExecutionError`, each under its own Python traceback, the kernel's
 * IPython traceback quoted in the message (see test/fixtures/notebooks/README.md). What failed is the cell's exception.
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';
// eslint-disable-next-line no-control-regex
const plain = (text: string): string => text.replace(/\x1b\[[\d;]*m/g, '');

describe('a notebook runner re-raising a cell\'s error', () => {
  afterEach(restoreFastPaths);

  it.each([
    ['papermill-keyerror.log', 6, 19, 23, 27],
    ['nbconvert-keyerror.log', 4, 55, 63, 72],
  ])('%s: the kernel\'s traceback comes first, named by the cell\'s exception, the runner\'s below it', async (file, wrapperStart, wrapperException, kernelStart, kernelException) => {
    // Prepare
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, wrapperStart)).toBe('Traceback (most recent call last):');
    expect(line(log, wrapperException)).toMatch(/^(?:papermill|nbclient)\.exceptions\.\w+ExecutionError: /);
    expect(plain(line(log, kernelStart))).toMatch(/^KeyError +Traceback \(most recent call last\)$/);
    expect(plain(line(log, kernelException))).toBe("KeyError: 'amount'");
    expect(analysis.failures[0]).toMatchObject({ rule: 'python.traceback', startLine: kernelStart, endLine: kernelException });
    expect(predictionLines(analysis)[0]).toBe(kernelException);
    expect(predictionLines(analysis)).not.toContain(wrapperException);
  });

  it('nbmake: pytest\'s failure is named by the cell\'s exception, not by the rule line above the cell', async () => {
    // Prepare: nbmake's report is the cell's source between dashed rules and the kernel's traceback, no `E ` line.
    const log = read('nbmake-keyerror.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 25)).toBe("KeyError: 'amount'");
    expect(analysis.failures[0]).toMatchObject({ rule: 'pytest.failed', startLine: 11 });
    expect(predictionLines(analysis)[0]).toBe(25);
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['papermill-keyerror.log', 'nbconvert-keyerror.log', 'nbmake-keyerror.log']) {
      // Act
      const { everyLine, fast } = await failuresBothWays(readFileSync(resolve(FIXTURES, file)));
      // Assert
      expect(fast, file).toEqual(everyLine);
      expect(everyLine.length, file).toBeGreaterThan(0);
    }
  });
});
