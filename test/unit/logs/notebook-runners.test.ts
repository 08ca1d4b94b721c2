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

  it('a script\'s own traceback above a kernel\'s is no runner\'s: its exception does not quote the kernel\'s', async () => {
    // Prepare: a step running a download script (`|| true`) and then a notebook under `ipython`, which prints only
    // the kernel's traceback: the script's error, its message whole on its line, is the cause the notebook's follows.
    const log = [
      'Run ./scripts/build-docs.sh',
      'Traceback (most recent call last):',
      '  File "/home/runner/work/app/app/scripts/fetch_data.py", line 12, in <module>',
      '    resp.raise_for_status()',
      '  File "/opt/hostedtoolcache/Python/3.11.9/x64/lib/python3.11/site-packages/requests/models.py", line 1021, in raise_for_status',
      '    raise HTTPError(http_error_msg, response=self)',
      'requests.exceptions.HTTPError: 403 Client Error: Forbidden for url: https://example.org/data.csv',
      '+ ipython docs/analysis.ipy',
      '---------------------------------------------------------------------------',
      'FileNotFoundError                         Traceback (most recent call last)',
      'Cell In[2], line 1',
      '----> 1 df = pd.read_csv("data.csv")',
      '',
      "FileNotFoundError: [Errno 2] No such file or directory: 'data.csv'",
      'Error: Process completed with exit code 1.',
    ].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures).toContainEqual(expect.objectContaining({ rule: 'python.traceback', startLine: 2, endLine: 7 }));
    expect(predictionLines(analysis)).toContain(7);
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
