import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/node-uncaught');

/**
 * Real runs, between the command and the runner's exit line (as in test/fixtures/syntax-errors): `node src/load.js`
 * on Node 20.20.2, whose top-level code throws `new Error('API_URL is not set')`; `node src/use.mjs` on 22.23.3, an
 * ES module setting a property of `undefined` (a TypeError); `node src/read.js` on 22.23.3, passing `undefined` to
 * `fs.readFileSync`, which throws in Node's own code; `node dump.js` on 22.23.3, printing an object and
 * handler names before `console.error` of an error with members of its own (`isAxiosError: true`); `node -e` and
 * `node -p` on 22.23.3, whose code (`[eval]:1`) throws an Error and reads an undefined name. Node prints the file and
 * line the error was thrown at, the code and a caret, a blank line, then the error.
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('an error Node reports as uncaught', () => {
  afterEach(restoreFastPaths);

  it('a TypeError in an ES module takes the file and line, the code and the caret above it', async () => {
    // Prepare
    const log = read('node22-esm-typeerror.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 2)).toBe('file:///tmp/se51b/src/use.mjs:2');
    expect(analysis.failures[0]?.rule).toBe('node.exception');
    expect(analysis.failures[0]?.startLine).toBe(2);
    expect(predictionLines(analysis).slice(0, 4)).toEqual([6, 2, 3, 4]);
  });

  it('a plain Error thrown by a script is Node\'s, one finding with where it was thrown, not its code line apart', async () => {
    // Prepare
    const log = read('node20-cjs-throw.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 6)).toBe('Error: API_URL is not set');
    expect(analysis.failures.map((f) => [f.rule, f.startLine, f.lines[0]?.line])).toEqual([['node.uncaught', 2, 6]]);
    expect(predictionLines(analysis).slice(0, 4)).toEqual([6, 2, 3, 4]);
  });

  it('one thrown by `node -e` or `node -p` code takes `[eval]:1`, the code and the caret as a file\'s', async () => {
    // Act
    const found = await Promise.all(['node22-eval-throw.log', 'node22-print-referenceerror.log'].map(async (file) => {
      const analysis = await analyzeLog(read(file));
      return analysis.failures.map((f) => [f.rule, f.startLine, f.lines[0]?.line]);
    }));
    // Assert: `[eval]:1` on line 2, the error on line 6.
    expect(found).toEqual([[['node.uncaught', 2, 6]], [['node.exception', 2, 6]]]);
  });

  it('one thrown in Node\'s own code does not take that place: it says nothing of the project', async () => {
    // Prepare
    const log = read('node22-cjs-internal-throw.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 2)).toBe('node:internal/errors:540');
    expect(analysis.failures[0]?.rule).toBe('node.exception');
    expect(analysis.failures[0]?.startLine).toBe(6);
    expect(predictionLines(analysis)[0]).toBe(6);
  });

  it('an object\'s members named like errors (`onError: null,`, `isAxiosError: true,`) are no exception: the error itself leads', async () => {
    // Prepare: Node 22.23.3 printing a client's options, a list of handler names, then `console.error` of an
    // AxiosError-like error with its own members (what a failing HTTP call prints in CI).
    const log = read('node22-error-object-dump.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 3)).toBe('  onError: null,');
    expect(line(log, 7)).toBe('    onError');
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['node.exception', 8]]);
    expect(predictionLines(analysis)[0]).toBe(8);
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['node20-cjs-throw.log', 'node22-esm-typeerror.log', 'node22-cjs-internal-throw.log', 'node22-error-object-dump.log']) {
      // Prepare
      const bytes = readFileSync(resolve(FIXTURES, file));
      // Act
      const { everyLine, fast } = await failuresBothWays(bytes);
      // Assert
      expect(fast, file).toEqual(everyLine);
      expect(everyLine.length, file).toBeGreaterThan(0);
    }
  });
});
