/**
 * Data that `npm run build:line-filter` computes once and stores in line-filter.generated.ts (the line filter's
 * automata, the literal index's literals): deflated, under the key of the inputs it was computed from. A process
 * uses it only when its own inputs have that key and computes it otherwise, so a stale file costs time, never a
 * wrong answer.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export interface StoredData {
  readonly key: string;
  /** Deflated, base64. */
  readonly data: string;
}

/** The key of some inputs (anything JSON can write). */
export function inputsKey(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** What the build stores for `bytes` computed from inputs with key `key`. */
export function storeData(key: string, bytes: Uint8Array): StoredData {
  return { key, data: deflateRawSync(bytes, { level: 9 }).toString('base64') };
}

/** The stored bytes, when they were computed from inputs with key `key`; else null. */
export function storedData(stored: StoredData, key: string): Buffer | null {
  return stored.key === key ? inflateRawSync(Buffer.from(stored.data, 'base64')) : null;
}
