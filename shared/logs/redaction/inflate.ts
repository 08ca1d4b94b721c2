/**
 * Compressed data in decoded bytes (gzip, zlib, zip entries, Zstandard frames), inflated within one redaction's
 * allowance.
 */
// The namespace as well: a named import of zstdDecompressSync would fail to link on a Node without it (before 22.15).
import * as nodeZlib from 'node:zlib';
import { constants as zlib, inflateRawSync } from 'node:zlib';

/**
 * How many bytes one redaction may inflate from compressed data, at every level of base64 together: a fixed part,
 * enough for a `.tar.gz` of a few small config files (`tar` pads an archive to 10 KB of mostly NULs), and a byte per
 * character of the redacted text. Deflate can expand a byte ~1,000-fold, so a bound per run or per line would let a
 * log of small compression bombs cost ~1,000 times its size; this keeps the cost of a redaction linear in its input,
 * and a short text's (a logged field, a single line) small. Data past the allowance (a bomb, a big archive) is
 * withheld unread.
 */
export const INFLATE_FIXED_BYTES = 16 * 1024;
const INFLATE_BYTES_PER_CHAR = 1;
/**
 * Most compressed streams inflated from one decoded run: gzip members one after another, or zip entries. A run with
 * more is withheld unread, as data past the allowance is.
 */
const INFLATE_MAX_STREAMS = 64;

const GZIP_FLAG_HCRC = 0x02;
const GZIP_FLAG_EXTRA = 0x04;
const GZIP_FLAG_NAME = 0x08;
const GZIP_FLAG_COMMENT = 0x10;
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 8]);
/** A gzip member's header and trailer: nothing shorter holds one. */
const GZIP_MIN_BYTES = 18;
const ZIP_LOCAL_HEADER = Buffer.from('PK\x03\x04', 'latin1');
/** A Zstandard frame's magic number (RFC 8878), little-endian 0xFD2FB528: `zstd -c | base64`, a `.tar.zst`. */
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** A Zstandard frame's magic number, header and an empty block: nothing shorter holds one. */
const ZSTD_MIN_BYTES = 9;
/**
 * What each Zstandard frame costs of the allowance before it is read: a call costs ~15 µs where a gzip member's costs
 * ~9, and a frame of a few bytes can hold as many blocks as it likes, each expanding to 128 KB.
 */
const ZSTD_FRAME_BYTES = 4 * 1024;
/** Zstandard in this Node (22.15 and later); an older one leaves zstd frames to be read as bytes. */
const zstdDecompress: typeof nodeZlib.zstdDecompressSync | undefined = typeof nodeZlib.zstdDecompressSync === 'function' ? nodeZlib.zstdDecompressSync : undefined;
const ZIP_DEFLATED = 8;
const ZIP_HEADER_BYTES = 30;

/** Where the deflate data of the gzip member whose magic bytes are at `at` starts (after its header), or -1. */
function gzipDataStart(bytes: Buffer, at: number): number {
  const flags = bytes[at + 3] ?? 0;
  let from = at + 10;
  if (flags & GZIP_FLAG_EXTRA) from += 2 + ((bytes[from] ?? 0) | ((bytes[from + 1] ?? 0) << 8));
  for (const flag of [GZIP_FLAG_NAME, GZIP_FLAG_COMMENT]) {
    if (!(flags & flag)) continue;
    const nul = bytes.indexOf(0, from);
    if (nul === -1) return -1;
    from = nul + 1;
  }
  if (flags & GZIP_FLAG_HCRC) from += 2;
  return from < bytes.length ? from : -1;
}

/** Whether `bytes` start with a zlib stream's header (deflate, no preset dictionary, its check bits right). */
function isZlibHeader(bytes: Buffer): boolean {
  const cmf = bytes[0] ?? 0;
  const flg = bytes[1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (flg & 0x20) === 0 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Where each deflated entry's data starts in a zip archive (stored entries are read as bytes already): up to one more
 * than {@link INFLATE_MAX_STREAMS}, so the caller can tell that entries were left over.
 */
function zipDeflatedStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = bytes.indexOf(ZIP_LOCAL_HEADER); at !== -1 && at + ZIP_HEADER_BYTES <= bytes.length && starts.length <= INFLATE_MAX_STREAMS; at = bytes.indexOf(ZIP_LOCAL_HEADER, at + 4)) {
    if (bytes.readUInt16LE(at + 8) !== ZIP_DEFLATED) continue;
    const data = at + ZIP_HEADER_BYTES + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    if (data < bytes.length) starts.push(data);
  }
  return starts;
}

/** What is left of one redaction's allowance for inflating compressed data ({@link INFLATE_FIXED_BYTES}). */
export interface InflateAllowance {
  left: number;
}

export const allowanceFor = (texts: readonly string[]): InflateAllowance => ({
  left: INFLATE_FIXED_BYTES + INFLATE_BYTES_PER_CHAR * texts.reduce((sum, text) => sum + text.length, 0),
});

/** Raised inside {@link inflatedParts} when the data inflates to more than it may. */
class InflateLimitReached extends Error {}

/**
 * What the compressed data in decoded bytes inflates to, one buffer a stream: a gzip file (`gzip | base64`, a
 * `.tar.gz`; each member of concatenated ones), a zlib stream, the deflated entries of a zip archive, and Zstandard
 * frames. Deflate data cut short gives what it inflates to so far, as a truncated download would. What it inflates
 * is taken from `allowance`; null when the allowance runs out. One level: compressed data inside what is inflated is read as bytes only.
 */
export function inflatedParts(bytes: Buffer, allowance: InflateAllowance): Buffer[] | null {
  const parts: Buffer[] = [];
  /**
   * What the stream at `start` decompresses to, taken from the allowance: the offset just past the stream, or -1 when
   * the bytes only looked like one (or, for Zstandard, a frame was cut short: it gives nothing).
   */
  const readFrom = (start: number, decompress: typeof inflateRawSync, options: { finishFlush?: number }): number => {
    if (allowance.left <= 0) throw new InflateLimitReached();
    try {
      const { buffer, engine } = decompress(bytes.subarray(start), { ...options, maxOutputLength: allowance.left, info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      parts.push(buffer);
      allowance.left -= buffer.length;
      return start + engine.bytesWritten;
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new InflateLimitReached();
      return -1;
    }
  };
  const inflateFrom = (start: number): number => readFrom(start, inflateRawSync, { finishFlush: zlib.Z_SYNC_FLUSH });
  const zstdFrom = (start: number): number => {
    allowance.left -= ZSTD_FRAME_BYTES;
    try {
      const end = readFrom(start, zstdDecompress as typeof inflateRawSync, {});
      return end === -1 ? -1 : Math.max(end, start + ZSTD_MAGIC.length);
    } catch (error) {
      // Deflate expands a byte ~1,000-fold at most; a Zstandard frame of 70 bytes can fill any allowance, and each
      // frame after it would again cost as much as is left. The first one past the allowance spends it.
      if (error instanceof InflateLimitReached) allowance.left = 0;
      throw error;
    }
  };
  try {
    // Each gzip member wherever it starts (behind other bytes too): its deflate data, then its 8-byte trailer (CRC
    // and size), then maybe the next member.
    let members = 0;
    for (let at = bytes.indexOf(GZIP_MAGIC); at !== -1; members++) {
      // More members than are read: withheld unread, as past the allowance, rather than shown with a secret in them.
      if (members === INFLATE_MAX_STREAMS) throw new InflateLimitReached();
      const data = gzipDataStart(bytes, at);
      const end = data === -1 ? -1 : inflateFrom(data);
      at = bytes.indexOf(GZIP_MAGIC, end === -1 ? at + GZIP_MAGIC.length : end + 8);
    }
    if (members === 0 && isZlibHeader(bytes)) inflateFrom(2);
    // Each Zstandard frame wherever it starts, as gzip members are read.
    let frames = 0;
    for (let at = zstdDecompress ? bytes.indexOf(ZSTD_MAGIC) : -1; at !== -1; frames++) {
      if (frames === INFLATE_MAX_STREAMS) throw new InflateLimitReached();
      const end = zstdFrom(at);
      at = bytes.indexOf(ZSTD_MAGIC, end === -1 ? at + ZSTD_MAGIC.length : end);
    }
    const zipStarts = zipDeflatedStarts(bytes);
    if (zipStarts.length > INFLATE_MAX_STREAMS) throw new InflateLimitReached();
    for (const start of zipStarts) inflateFrom(start);
  } catch (error) {
    if (error instanceof InflateLimitReached) return null;
    throw error;
  }
  return parts;
}

/**
 * The cheap test before {@link inflatedParts}: whether `bytes` start like zlib data, or hold a gzip member, a zip entry
 * or a Zstandard frame.
 */
export function mayBeCompressed(bytes: Buffer): boolean {
  return (
    isZlibHeader(bytes) ||
    (bytes.length >= GZIP_MIN_BYTES && bytes.indexOf(GZIP_MAGIC) !== -1) ||
    (bytes.length >= ZSTD_MIN_BYTES && bytes.indexOf(ZSTD_MAGIC) !== -1) ||
    (bytes.length > ZIP_HEADER_BYTES && bytes.indexOf(ZIP_LOCAL_HEADER) !== -1)
  );
}
