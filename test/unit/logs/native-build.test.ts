import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/native-build');

/**
 * Real runs (see test/fixtures/native-build/README.md): `npm install` of a native addon whose `node-gyp rebuild`
 * fails, npm 11 quoting the build's output behind `npm error `, once on gcc's `error:` among its warnings and once on
 * make's missing rule after warnings only; and `make` of a C program that fails on an error after seven warnings.
 * gcc's `file:line:col: warning: … [-Wflag]` says the build went on: it is never the failure.
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const warningLines = (log: string): number[] =>
  log.split('\n').flatMap((text, i) => (/^(?:npm error )?\S+:\d+:\d+: warning: /.test(text) ? [i + 1] : []));

describe('a C or C++ build that fails after compiler warnings', () => {
  afterEach(restoreFastPaths);

  it('npm install, node-gyp: gcc\'s error is the failure, none of its warnings is one', async () => {
    // Prepare
    const log = read('npm11-node-gyp-cc-error.log');
    const warnings = warningLines(log);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(warnings).toHaveLength(4);
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(analysis.failures[0]?.lines[0]?.text).toBe('npm error ../src/fastsum.cc:16:42: error: expected ‘;’ before ‘return’');
    expect(analysis.category).toBe('compilation');
    expect(analysis.failures.filter((f) => warnings.includes(f.startLine))).toEqual([]);
    expect(predictionLines(analysis).filter((n) => warnings.includes(n))).toEqual([]);
  });

  it('npm install, node-gyp: with warnings only, make\'s missing rule is the failure, not the warnings nor node-gyp\'s report of it', async () => {
    // Prepare
    const log = read('npm11-node-gyp-make-failed.log');
    const warnings = warningLines(log);
    const lines = log.split('\n');
    const makeStopped = lines.findIndex((l) => l.startsWith("npm error make: *** No rule to make target 'Release/obj.target/fastsum2/src/simd.o'")) + 1;
    const gypFailed = lines.indexOf('npm error gyp ERR! stack Error: `make` failed with exit code: 2') + 1;
    // Act
    const analysis = await analyzeLog(log);
    // Assert: node-gyp's `make failed` says that make stopped, as it does under gcc's error (above).
    expect(warnings).toHaveLength(3);
    expect(analysis.category).not.toBe('lint');
    expect(analysis.failures.filter((f) => warnings.includes(f.startLine))).toEqual([]);
    expect(predictionLines(analysis).filter((n) => warnings.includes(n))).toEqual([]);
    expect(gypFailed).toBe(makeStopped + 2);
    expect(analysis.failures[0]?.rule).toBe('make.no-rule');
    expect(predictionLines(analysis)[0]).toBe(makeStopped);
  });

  it('make: gcc\'s error after many warnings is the failure, and the warnings printed after it are not part of it', async () => {
    // Prepare
    const log = read('make-gcc12-error-after-warnings.log');
    const warnings = warningLines(log);
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(warnings).toHaveLength(9);
    expect(analysis.failures[0]?.rule).toBe('cc.error');
    expect(analysis.failures[0]?.startLine).toBe(29);
    expect(analysis.failures.filter((f) => warnings.includes(f.startLine))).toEqual([]);
    expect(predictionLines(analysis)).toEqual([29, 30, 31]);
  });

  it('reads the same with the literal index, the digit-shape memo and the line filter on from the first line', async () => {
    for (const file of ['npm11-node-gyp-cc-error.log', 'npm11-node-gyp-make-failed.log', 'make-gcc12-error-after-warnings.log']) {
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
