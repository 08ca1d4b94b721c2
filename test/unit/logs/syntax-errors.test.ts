import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/syntax-errors');

/**
 * Real runs, between the command and the runner's exit line: `node src/cart.js` (a `)` missing, CommonJS) on Node
 * 20.20.2 and 22.23.3, `node src/config.mjs` (a `,` missing, an ES module) on 22.23.3, and Python 3.11.7 on a script
 * with a `(` never closed (run itself, then imported by another) and one with an unexpected indent. Node prints the
 * file and line, the code and a caret, a blank line, then `SyntaxError: …`; Python prints `  File "…", line N`, the
 * code four spaces in and the caret right above its `SyntaxError: …`.
 */
const read = (file: string): string => readFileSync(resolve(FIXTURES, file), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe('a syntax error is its language\'s', () => {
  it('Node\'s (CommonJS on 20 and 22, an ES module on 22) is read as Node\'s exception, not Python\'s', async () => {
    for (const file of ['node20-cjs.log', 'node22-cjs.log', 'node22-esm.log']) {
      // Prepare
      const log = read(file);
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(line(log, 6), file).toMatch(/^SyntaxError: /);
      expect(analysis.failures[0]?.rule, file).toBe('node.exception');
      expect(predictionLines(analysis)[0], file).toBe(6);
    }
  });

  it('Node\'s takes the file and line, the code and the caret printed above it: they say where the error is', async () => {
    for (const file of ['node20-cjs.log', 'node22-cjs.log', 'node22-esm.log']) {
      // Prepare
      const log = read(file);
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(line(log, 2), file).toMatch(/^(?:file:\/\/)?\/\S+\.m?js:\d$/);
      expect(line(log, 4), file).toMatch(/^\s+\^+$/);
      expect(analysis.failures[0]?.startLine, file).toBe(2);
      expect(analysis.failures[0]?.lines[0]?.line, file).toBe(6);
      expect(predictionLines(analysis).slice(0, 4), file).toEqual([6, 2, 3, 4]);
    }
  });

  it('Python\'s (a script run, a module imported, an indent) stays Python\'s', async () => {
    for (const [file, rule, at] of [
      ['python311-script.log', 'python.syntax', 5],
      ['python311-import.log', 'python.traceback', 8],
      ['python311-indent.log', 'python.syntax', 4],
    ] as const) {
      // Prepare
      const log = read(file);
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(line(log, at), file).toMatch(/^(?:Syntax|Indentation)Error: /);
      expect(analysis.failures[0]?.rule, file).toBe(rule);
      expect(analysis.category, file).toBe('compilation');
      expect(predictionLines(analysis)[0], file).toBe(at);
    }
  });

  it('Python\'s is Python\'s under compileall\'s `***   File …` and with no header (a file Python cannot decode)', async () => {
    for (const [file, at] of [
      ['py-compileall-3.12.log', 6],
      ['py-nonutf8-3.13.log', 2],
      ['py-encoding-decl-3.11.log', 2],
    ] as const) {
      // Prepare
      const log = read(file);
      // Act
      const analysis = await analyzeLog(log);
      // Assert
      expect(line(log, at), file).toMatch(/^SyntaxError: /);
      expect(analysis.failures[0]?.rule, file).toBe('python.syntax');
      expect(analysis.category, file).toBe('compilation');
      expect(predictionLines(analysis)[0], file).toBe(at);
    }
  });

  it('IPython 8\'s under `  Cell In[1], line 1` is Python\'s (the second cell\'s ends the traceback below it)', async () => {
    // Prepare
    const log = read('ipython8-syntax.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 2)).toBe('  Cell In[1], line 1');
    expect(line(log, 5)).toMatch(/^SyntaxError: /);
    expect(analysis.category).toBe('compilation');
    expect(analysis.failures.map((f) => [f.rule, f.startLine])).toEqual([['python.traceback', 7], ['python.syntax', 5]]);
  });

  it('IPython 8\'s `File <string>:1` heads Python\'s (its second cell, read alone without the traceback above it)', async () => {
    // Prepare
    const lines = read('ipython8-syntax.log').split('\n');
    const log = [...lines.slice(14, 18), lines[19]].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(line(log, 1)).toBe('  File <string>:1');
    expect(line(log, 4)).toMatch(/^SyntaxError: /);
    expect(analysis.failures[0]?.rule).toBe('python.syntax');
    expect(predictionLines(analysis)[0]).toBe(4);
  });
});
