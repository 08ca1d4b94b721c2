import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/ipython');

/**
 * IPython's own traceback (`ipython -c`, Jupyter, papermill, nbval and nbmake print the kernel's): a dashed rule,
 * `KeyError                                  Traceback (most recent call last)` (no colon: not Python's header), then
 * each frame under its own header at the line's start, a blank line between them, and the exception last. The
 * frame headers changed with IPython's versions: `Cell In[1], line 1` and `File /path/cart.py:2, in total(prices)`
 * since 8.5 (real output of IPython 8.12.3, plain and coloured), `Input In [1], in <cell line: 1>()` in 8.0–8.4,
 * `<ipython-input-1-…> in <module>` and `~/path/cart.py in total(prices)` before (those two written after IPython's
 * documentation and reports; see test/fixtures/ipython/README.md).
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('IPython\'s traceback', () => {
  afterEach(restoreFastPaths);

  it.each([
    ['ipython812-verbose.log', 15],
    ['ipython812-verbose-color.log', 15],
    ['ipython80-verbose.log', 15],
    ['ipython7-verbose.log', 17],
  ])('%s: is Python\'s, from its header to the exception, which names it', async (file, exceptionLine) => {
    // Prepare
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert: one failure, the frames in it (the user's file and line), the exception first.
    expect(line(log, 3)).toMatch(/^(?:\x1b\[0;31m)?KeyError(?:\x1b\[0m)? +Traceback \(most recent call last\)$/);
    expect(line(log, exceptionLine)).toMatch(/^(?:\x1b\[0;31m)?KeyError(?:\x1b\[0m)?: 'amount'$/);
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['python.traceback', 3, exceptionLine]]);
    expect(predictionLines(analysis)[0]).toBe(exceptionLine);
  });

  it('a chained exception is one failure, named by the exception raised last, whatever its class is called', async () => {
    // Prepare: a `KeyError` re-raised as `PriceMissing` (`raise … from e`): IPython heads the second traceback with
    // `PriceMissing                              Traceback (most recent call last)` under `The above exception was
    // the direct cause of the following exception:`, as Python heads it with its own `Traceback …:`.
    const log = read('ipython812-chained.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 18)).toMatch(/^PriceMissing +Traceback \(most recent call last\)$/);
    expect(line(log, 27)).toBe('PriceMissing: an item has no amount');
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['python.traceback', 3, 27]]);
    expect(predictionLines(analysis)[0]).toBe(27);
  });

  it.each([
    // pandas' `KeyError`: frames in Cython code (`index.pyx in …`, `….pxi in …`), then the chained traceback.
    ['ipython7-cython-frames.log', 9, 'index.pyx in pandas._libs.index.IndexEngine.get_loc()', 39, "KeyError: 'amount'"],
    // A `%timeit` cell whose code raises: frames in generated code (`<decorator-gen-53> in …`, `<magic-timeit> in …`).
    ['ipython7-magic-frames.log', 14, '<decorator-gen-53> in timeit(self, line, cell, local_ns)', 36, "NameError: name 'pricelist' is not defined"],
  ])('%s: IPython 7\'s frames headed by a module\'s name alone continue the traceback, named by its last exception', async (file, frameLine, frame, exceptionLine, exception) => {
    // Prepare: as IPython 7 prints it (Colab and Kaggle, Python 3.11).
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, frameLine)).toBe(frame);
    expect(line(log, exceptionLine)).toBe(exception);
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['python.traceback', 3, exceptionLine]]);
    expect(predictionLines(analysis)[0]).toBe(exceptionLine);
  });

  it.each([
    // The checkout's folder has a space: `~/work/my project/shop/cart.py in total(prices)` (ipython7-spaced-path.log).
    [read('ipython7-spaced-path.log'), 7, 17],
    // Outside the home folder IPython 7 prints the path whole (ultratb's compress_user shortens only $HOME).
    [['$ ipython -c \'%run "nb utils.py"\'', '-'.repeat(75), 'ValueError                                Traceback (most recent call last)',
      '/home/runner/work/my project/nb utils.py in <module>', '----> 1 helper(-1)', '',
      '/home/runner/work/my project/nb utils.py in helper(x)', '      1 def helper(x):', '----> 2     raise ValueError(f"x must be positive, got {x}")', '',
      'ValueError: x must be positive, got -1', 'Error: Process completed with exit code 1.', ''].join('\n'), 7, 11],
  ])('IPython 7\'s frame whose path has a space continues the traceback (%#)', async (log, frameLine, exceptionLine) => {
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, frameLine)).toMatch(/^\S+\/work\/my project\/\S+( \S+)?\.py in \S/);
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.endLine])).toEqual([['python.traceback', 3, exceptionLine]]);
    expect(predictionLines(analysis)[0]).toBe(exceptionLine);
  });

  it.each([
    ['ipython812-indentation.log', '  Cell In[1], line 3'],
    ['ipython80-indentation.log', '  Input In [1]'],
  ])('%s: a syntax error under the cell\'s header is Python\'s', async (file, header) => {
    // Prepare
    const log = read(file);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 2)).toBe(header);
    expect(line(log, 5)).toBe('IndentationError: unexpected indent');
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['python.syntax', 5]]);
    expect(analysis.category).toBe('compilation');
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['ipython812-verbose.log', 'ipython812-verbose-color.log', 'ipython80-verbose.log', 'ipython7-verbose.log', 'ipython80-indentation.log', 'ipython812-chained.log', 'ipython7-cython-frames.log', 'ipython7-magic-frames.log', 'ipython7-spaced-path.log']) {
      // Act
      const { everyLine, fast } = await failuresBothWays(readFileSync(resolve(FIXTURES, file)));
      // Assert
      expect(fast, file).toEqual(everyLine);
      expect(everyLine.length, file).toBeGreaterThan(0);
    }
  });
});
