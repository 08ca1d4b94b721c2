import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeLog, predictionLines } from '../../../shared/logs/index.js';

/**
 * Session 58's gaps of the extractor, each closed per format: real tools' output (test/fixtures/gaps-58/README.md),
 * each test failing before its fix.
 */
const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/gaps-58');
const read = (name: string): string => readFileSync(resolve(FIXTURES, name), 'utf8');
const line = (log: string, n: number): string => log.split('\n')[n - 1] ?? '';

describe("a program's own lines between its checker's reports", () => {
  it("memcheck: the test's `check failed` line between two of its errors is listed with them", async () => {
    // Prepare
    const log = read('valgrind-check-lines.log');
    expect(line(log, 28)).toBe('test_queue.c:9: check failed: strlen(name) == 7');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert: memcheck's first error first, the test's check line listed, the leak records too.
    expect(lines[0]).toBe(6);
    expect(lines).toContain(28);
    expect(lines).toContain(35);
  });

  it("pre-commit: a hook's findings under its `....Failed` line, before the next hook's, are listed with it", async () => {
    // Prepare
    const log = read('pre-commit-pygrep-isort.log');
    expect(line(log, 5)).toBe('billing/invoice.py:3:from decimal import *');
    // Act
    const lines = predictionLines(await analyzeLog(log));
    // Assert
    expect(lines[0]).toBe(1);
    expect(lines).toEqual(expect.arrayContaining([1, 5, 7, 11, 12]));
  });

  it("pre-commit: isort's `Fixing <path>` under its hook's `files were modified` is a finding, the file it changed", async () => {
    // Prepare
    const log = read('pre-commit-pygrep-isort.log');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    const fixing = analysis.failures.find((f) => f.startLine === 11);
    expect(fixing?.endLine).toBe(12);
    expect(fixing?.category).toBe('lint');
  });

  it("isort's `Fixing <path>` outside a pre-commit hook's report (isort exits 0 when it fixes) is no finding", async () => {
    // Prepare: `isort .` in a step that goes on to fail elsewhere.
    const log = ['Fixing /home/runner/work/billing/billing/billing/base.py', 'Skipped 2 files', '$ make test', 'FAILED tests/test_invoice.py::test_total - AssertionError'].join('\n');
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(analysis.failures.map((f) => f.startLine)).not.toContain(1);
  });
});
