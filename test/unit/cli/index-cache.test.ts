import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keepLiteralIndex, restoreLiteralIndex, sealImage, unsealImage } from '../../../shared/cli/index-cache.js';
import { scanLine } from '../../../shared/logs/dispatch.js';

describe('the literal index the CLI keeps between runs (shared/cli/index-cache.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guard-index-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back the image it sealed, and refuses one changed anywhere, cut short or under another header', () => {
    const image = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff);
    const file = sealImage(image) as Uint8Array;
    expect(Buffer.from(unsealImage(file) as Uint8Array).equals(Buffer.from(image))).toBe(true);
    for (const at of [0, 5, 8, 100, file.length - 1]) {
      const changed = file.slice();
      changed[at] = (changed[at] as number) ^ 1;
      expect(unsealImage(changed)).toBeNull();
    }
    // A crash of the machine can leave a renamed file's blocks zeroed: the header may survive, the image does not.
    const zeroed = file.slice();
    zeroed.fill(0, 8 + 32);
    expect(unsealImage(zeroed)).toBeNull();
    expect(unsealImage(file.subarray(0, file.length - 1))).toBeNull();
    expect(unsealImage(file.subarray(0, 7))).toBeNull();
  });

  it('keeps the index this process built where the next run restores it from', () => {
    scanLine('error: the first line of a log builds the index');
    const path = join(dir, 'literal-index.bin');
    keepLiteralIndex(path);
    expect(Buffer.from(unsealImage(readFileSync(path)) ?? []).readUInt32LE(0)).toBe(0x494c4750);
    expect(readdirSync(dir)).toEqual(['literal-index.bin']);
  });

  it('removes a file that is not one it wrote, and reads a missing one as nothing to restore', () => {
    const path = join(dir, 'torn.bin');
    writeFileSync(path, 'not an image');
    expect(restoreLiteralIndex(path)).toBe(false);
    expect(existsSync(path)).toBe(false);
    expect(restoreLiteralIndex(join(dir, 'none.bin'))).toBe(false);
    expect(existsSync(join(dir, 'none.bin'))).toBe(false);
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
