import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepLiteralIndex, restoreLiteralIndex } from '../../../shared/cli/index-cache.js';
import { scanLine } from '../../../shared/logs/dispatch.js';

describe('the literal index the CLI keeps between runs (shared/cli/index-cache.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guard-index-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A process builds the index on the first line it scans.
  scanLine('error: the first line of a log');

  it('keeps an image the next run restores, and reads a missing file as nothing to restore', () => {
    const path = join(dir, 'literal-index.bin');
    keepLiteralIndex(path);
    expect(readFileSync(path).readInt32LE(0)).toBe(0x494c4750);
    expect(restoreLiteralIndex(path)).toBe(true);
    expect(restoreLiteralIndex(join(dir, 'none.bin'))).toBe(false);
    expect(readdirSync(dir)).toEqual(['literal-index.bin']);
  });

  it('keeps nothing, throws nothing and leaves nothing behind where it cannot write', () => {
    const path = join(dir, 'no-such-folder', 'literal-index.bin');
    expect(() => keepLiteralIndex(path)).not.toThrow();
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('keeps and restores nothing outside the CLI’s build (run from the sources)', () => {
    expect(restoreLiteralIndex()).toBe(false);
    expect(() => keepLiteralIndex()).not.toThrow();
  });
});
