import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { BLOCK_AUTOMATA, LINE_FILTER_TABLES } from '../../../shared/logs/line-filter.generated.js';
import { bytesToText, storeData, storedData, TEXT_ALPHABET, textToBytes } from '../../../shared/logs/stored.js';

describe('stored data as text', () => {
  it('uses 91 characters, none a quote or a backslash, so a bundler copies the text unescaped', () => {
    expect(new Set(TEXT_ALPHABET).size).toBe(91);
    expect(TEXT_ALPHABET).toMatch(/^[\x20-\x7e]+$/);
    expect(TEXT_ALPHABET).not.toMatch(/["'`\\]/);
  });

  it.each([0, 1, 2, 3, 7, 8, 13, 14, 15, 100, 1000, 4097])('gives back the %i bytes it was given', (length) => {
    // Prepare: random bytes, and the runs that make the encoder take 14 bits (low 13 bits at most 88)
    const samples = [randomBytes(length), Buffer.alloc(length, 0), Buffer.alloc(length, 0xff), Buffer.alloc(length, 0x58)];

    for (const bytes of samples) {
      // Act
      const text = bytesToText(bytes);

      // Assert
      expect([...text].every((c) => TEXT_ALPHABET.includes(c))).toBe(true);
      expect(textToBytes(text).equals(bytes)).toBe(true);
    }
  });

  it('takes fewer characters than base64 for compressed data', () => {
    // Prepare: bytes as random as brotli's output
    const bytes = randomBytes(30_000);

    // Act / Assert
    expect(bytesToText(bytes).length).toBeLessThan(bytes.toString('base64').length * 0.93);
  });

  it('refuses a character outside its alphabet instead of decoding garbage', () => {
    expect(() => textToBytes('ab\\cd')).toThrow(/outside its alphabet at 2/);
    expect(() => textToBytes('abé')).toThrow(/outside its alphabet/);
  });

  it('round-trips through storeData and storedData, and the generated module decodes', () => {
    // Prepare
    const bytes = randomBytes(5000);
    const stored = storeData('k', bytes);

    // Act / Assert
    expect(storedData(stored, 'k')?.equals(bytes)).toBe(true);
    expect(storedData(stored, 'other')).toBeNull();
    expect(storedData(LINE_FILTER_TABLES, LINE_FILTER_TABLES.key)?.length).toBeGreaterThan(0);
    expect(storedData(BLOCK_AUTOMATA, BLOCK_AUTOMATA.key)?.length).toBeGreaterThan(0);
  });

  it('decompresses into one buffer of the stored size, not chunks joined into another', () => {
    // zlib's default writes 16 KB chunks and then copies them into one buffer: twice the ~1 MB of the block automata
    // at start-up, garbage until V8's next collection. (The count is of zlib's buffers: it takes them from
    // Buffer.allocUnsafe.)
    const allocations = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const bytes = storedData(BLOCK_AUTOMATA, BLOCK_AUTOMATA.key) as Buffer;
      expect(bytes.length).toBe(BLOCK_AUTOMATA.size);
      // The decompressed bytes once, and the compressed ones.
      const allocated = allocations.mock.calls.reduce((sum, [size]) => sum + size, 0);
      expect(allocated).toBeLessThan(BLOCK_AUTOMATA.size + BLOCK_AUTOMATA.data.length);
      // Another size only costs the chunks again.
      expect(storedData({ ...BLOCK_AUTOMATA, size: 100 }, BLOCK_AUTOMATA.key)?.equals(bytes)).toBe(true);
    } finally {
      allocations.mockRestore();
    }
  });
});
