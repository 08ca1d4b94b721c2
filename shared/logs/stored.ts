/**
 * Data that `npm run build:line-filter` computes once and stores in line-filter.generated.ts (the line filter's
 * automata, the literal index's literals): compressed, under the key of the inputs it was computed from. A process
 * uses it only when its own inputs have that key and computes it otherwise, so a stale file costs time, never a
 * wrong answer.
 *
 * Brotli at its densest, not deflate: the file is in every bundle that reads logs, and brotli stores the automata
 * and literals in 51 KB of base64 where deflate took 68 KB (session 58, every Lambda bundle is bounded at 700 KB).
 * Decompressing them costs about a millisecond, once a process, and only once a log is long enough to want them.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';

export interface StoredData {
  readonly key: string;
  /** Brotli-compressed, base64. */
  readonly data: string;
}

/** The key of some inputs (anything JSON can write). */
export function inputsKey(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** What the build stores for `bytes` computed from inputs with key `key`. */
export function storeData(key: string, bytes: Uint8Array): StoredData {
  const params = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
  return { key, data: brotliCompressSync(bytes, { params }).toString('base64') };
}

/** The stored bytes, when they were computed from inputs with key `key`; else null. */
export function storedData(stored: StoredData, key: string): Buffer | null {
  return stored.key === key ? brotliDecompressSync(Buffer.from(stored.data, 'base64')) : null;
}
