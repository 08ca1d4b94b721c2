import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHARED_WORKER_FILES } from '../../support/shared-workers.js';

/**
 * What a file that shares its worker may import (SHARED_WORKER_FILES): the patch check's modules, which hold nothing
 * between calls, its test helpers, and fixed fixtures. Anything else (a store, a runtime, the log dispatcher, a mock)
 * could carry one file's state into the next file in the same worker.
 */
const ALLOWED = [
  /^vitest$/,
  /^(\.\.\/)+shared\/analysis\/[\w-]+\.js$/,
  /^\.\.\/support\/(patches|growth)\.js$/,
  /^\.\.\/\.\.\/fixtures\/injection\/corpus\.js$/,
  // test/unit/analysis's inputs, built afresh on each call.
  /^\.\/fixtures\.js$/,
];

/** The modules a test file imports: its `import … from '…'` statements (not the import lines quoted in its patches). */
function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^import\s[^;'"`]*?\sfrom\s'([^']+)';?$/gm)].map((match) => match[1] as string);
}

describe('the files that share their workers', () => {
  it('exist', () => {
    for (const file of SHARED_WORKER_FILES) expect(existsSync(file), file).toBe(true);
  });

  it('import only the patch check, its helpers and fixed fixtures', () => {
    for (const file of SHARED_WORKER_FILES) {
      const imports = importsOf(file);
      expect(imports.length, file).toBeGreaterThan(0);
      expect(imports.filter((module) => !ALLOWED.some((allowed) => allowed.test(module))), file).toEqual([]);
    }
  });

  it('read an import that is not allowed as one (a store, a runtime, the log dispatcher)', () => {
    expect(ALLOWED.some((allowed) => allowed.test('../../shared/logs/dispatch.js'))).toBe(false);
    expect(ALLOWED.some((allowed) => allowed.test('../support/harness.js'))).toBe(false);
    expect(ALLOWED.some((allowed) => allowed.test('../../shared/analysis/index.js'))).toBe(true);
  });
});
