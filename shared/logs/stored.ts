/**
 * Data that `npm run build:line-filter` computes once and stores in line-filter.generated.ts (the line filter's
 * automata, the literal index's literals): compressed, under the key of the inputs it was computed from. A process
 * uses it only when its own inputs have that key and computes it otherwise, so a stale file costs time, never a
 * wrong answer. A Lambda bundle is built only once the file is checked fresh, and carries no code to compute it:
 * there stale data is an error (see {@link storedDataStale}).
 *
 * Brotli at its densest, not deflate: the file is in every bundle that reads logs, and brotli stores the automata
 * and literals in 51 KB of base64 where deflate took 68 KB (session 58, every Lambda bundle is bounded at 700 KB).
 * Decompressing them costs about a millisecond, once a process, and only once a log is long enough to want them.
 *
 * The compressed bytes are written as text in {@link TEXT_ALPHABET} (basE91's way of packing 13 or 14 bits into two
 * characters), not base64: 4/3 characters a byte became ~1.23, which took the stored data from 59.0 to 54.5 KB in
 * session 61, room the classify bundle had run out of.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import { StoredDataStaleError } from '../errors.js';

export interface StoredData {
  readonly key: string;
  /** The bytes' length, decompressed: they are decompressed into one buffer of that size (see {@link storedData}). */
  readonly size: number;
  /** Brotli-compressed, as text (see {@link bytesToText}). */
  readonly data: string;
}

/** The key of some inputs (anything JSON can write). */
export function inputsKey(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

/** What the build stores for `bytes` computed from inputs with key `key`. */
export function storeData(key: string, bytes: Uint8Array): StoredData {
  const params = { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
  return { key, size: bytes.length, data: bytesToText(brotliCompressSync(bytes, { params })) };
}

declare global {
  /**
   * `true` in a Lambda bundle, where esbuild's `define` puts it (`bundlingOptionsFor` in
   * infra/constructs/guard-function.ts) after checking that every stored datum of line-filter.generated.ts was computed
   * from the current inputs (`staleStoredData`, stored-freshness.ts); undeclared everywhere else. A site that computes
   * what it finds stale reads it as `typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ?
   * storedDataStale(…) : compute(…)`, spelled out at the site: esbuild folds the test to `true` there and drops the
   * computing branch, and with it the regular-expression reader and the automata compiler (≈15 KB of classify), which
   * `npm test`, `npm start` and the CLI keep.
   */
  const GUARD_STORED_DATA_FRESH: boolean | undefined;
}

/**
 * What a bundle does where the sources would compute stale stored data: the build checked it fresh, so this is a
 * bundle built around that check, and it fails rather than answer from tables of other inputs.
 */
export function storedDataStale(what: string): never {
  throw new StoredDataStaleError(`${what}: the stored data in line-filter.generated.ts is stale and this bundle cannot compute it (run \`npm run build:line-filter\` and build again)`);
}

/**
 * The stored bytes, when they were computed from inputs with key `key`; else null. Decompressed into one buffer
 * longer than they are (zlib starts another once the output fills one; 64 bytes is its least): by default zlib writes
 * 16 KB chunks and copies them into one buffer, twice the ~1.6 MB of the automata at start-up, garbage until V8's
 * next collection.
 */
export function storedData(stored: StoredData, key: string): Buffer | null {
  return stored.key === key ? brotliDecompressSync(textToBytes(stored.data), { chunkSize: stored.size + 64 }) : null;
}

/**
 * The 91 printable ASCII characters that need no escape in a JavaScript string literal of any quote: all of U+0020 to
 * U+007E but the three quotes and the backslash. A bundler then copies the text as it is, one byte a character.
 */
export const TEXT_ALPHABET = /* @__PURE__ */ (() => {
  let alphabet = '';
  for (let code = 0x20; code <= 0x7e; code++) if (!'"\'`\\'.includes(String.fromCharCode(code))) alphabet += String.fromCharCode(code);
  return alphabet;
})();

/**
 * `bytes` as text in {@link TEXT_ALPHABET}: bits are taken 13 at a time (14 when the 13 low ones are at most 88, so
 * every pair of characters, 91 × 91 values, is used), each group written as two characters, low digit first; the
 * last bits as one character, or two when they need it. basE91's scheme (J. Henke), with a quote-free alphabet.
 */
export function bytesToText(bytes: Uint8Array): string {
  const out: string[] = [];
  let bits = 0;
  let count = 0;
  for (const byte of bytes) {
    bits |= byte << count;
    count += 8;
    if (count > 13) {
      let value = bits & 8191;
      if (value > 88) {
        bits >>>= 13;
        count -= 13;
      } else {
        value = bits & 16383;
        bits >>>= 14;
        count -= 14;
      }
      out.push(TEXT_ALPHABET[value % 91] as string, TEXT_ALPHABET[Math.floor(value / 91)] as string);
    }
  }
  if (count > 0) {
    out.push(TEXT_ALPHABET[bits % 91] as string);
    if (count > 7 || bits > 90) out.push(TEXT_ALPHABET[Math.floor(bits / 91)] as string);
  }
  return out.join('');
}

/** Each character code's digit in {@link TEXT_ALPHABET}, -1 for one outside it. */
let digitOfCode: Int8Array | null = null;

/** The bytes {@link bytesToText} wrote as `text`; throws on a character outside {@link TEXT_ALPHABET}. */
export function textToBytes(text: string): Buffer {
  if (digitOfCode === null) {
    digitOfCode = new Int8Array(128).fill(-1);
    for (let digit = 0; digit < TEXT_ALPHABET.length; digit++) digitOfCode[TEXT_ALPHABET.charCodeAt(digit)] = digit;
  }
  const out = Buffer.allocUnsafe(Math.ceil((text.length * 7) / 8) + 1);
  let length = 0;
  let bits = 0;
  let count = 0;
  let pending = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? (digitOfCode[code] as number) : -1;
    if (digit === -1) throw new Error(`stored data holds a character outside its alphabet at ${i}`);
    if (pending === -1) {
      pending = digit;
      continue;
    }
    const value = pending + digit * 91;
    pending = -1;
    bits |= value << count;
    count += (value & 8191) > 88 ? 13 : 14;
    while (count > 7) {
      out[length++] = bits & 255;
      bits >>>= 8;
      count -= 8;
    }
  }
  if (pending !== -1) out[length++] = (bits | (pending << count)) & 255;
  return out.subarray(0, length);
}
