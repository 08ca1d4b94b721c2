import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { UsageError } from './args.js';

/** Console output for the CLI, injectable so tests can capture it. */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: AsyncIterable<Uint8Array | string>;
}

export const processIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  // A getter: Node sets up process.stdin on first access (a few ms), which only `guard analyze -` needs.
  get stdin() {
    return process.stdin;
  },
};

/** Checks that `path` is a readable regular file, failing with a one-line reason; returns its stats. */
export async function regularFile(path: string): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file`);
  }
  if (!info.isFile()) throw new UsageError(`cannot read ${path}: not a regular file`);
  return info;
}

/** Bytes {@link fileChunks} reads at a time. */
const FILE_CHUNK_BYTES = 256 * 1024;

/**
 * The bytes of the file at `path` from `position` on, read ahead into two buffers used in turn: a chunk is only
 * valid until the next one is asked for, which the log reader honours (it is done with a chunk when it asks for
 * the next). A file stream allocates a buffer per chunk instead; on a 500 MB log those waited for V8's next
 * collection by the dozen, up to 8 MB of the CLI's peak RSS.
 */
export async function* fileChunks(path: string, position = 0): AsyncGenerator<Uint8Array, void, undefined> {
  const file = await open(path, 'r');
  let reading: Promise<{ bytesRead: number }> | null = null;
  try {
    let current = Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES);
    let other = Buffer.allocUnsafeSlow(FILE_CHUNK_BYTES);
    let at = position;
    reading = file.read(current, 0, FILE_CHUNK_BYTES, at);
    for (;;) {
      const { bytesRead } = await reading;
      reading = null;
      if (bytesRead === 0) return;
      at += bytesRead;
      // The other buffer held the chunk before this one, which the consumer is done with.
      reading = file.read(other, 0, FILE_CHUNK_BYTES, at);
      yield current.subarray(0, bytesRead);
      [current, other] = [other, current];
    }
  } finally {
    // A consumer that stops early (a byte limit) leaves a read in flight: it ends before the file is closed.
    await reading?.catch(() => undefined);
    await file.close();
  }
}

/**
 * What a file is when its first bytes say it is not text: a gzip or zip archive (GitHub's "Download log archive" is
 * a zip; an exported file is often gzipped), or binary data (NUL bytes). Null for text. Each command says in its own
 * words what to do instead.
 */
export function nonTextKind(head: Uint8Array): 'gzip' | 'zip' | 'binary' | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return head.includes(0) ? 'binary' : null;
}
