import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { HIDDEN_SOURCE, codePointMark } from '../invisible.js';
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

/** Control characters but the tab (escape sequences, bell, backspace, line breaks), and the hidden ones. */
const NOT_FOR_TERMINAL = new RegExp(String.raw`[\u0000-\u0008\u000A-\u001F\u007F-\u009F]|${HIDDEN_SOURCE}`, 'gu');

/**
 * One line of text from incident data as the terminal is to show it: every control and hidden character as a mark
 * (`⟨U+001B⟩`), as the dashboard shows hidden ones. The text is what a failing build wrote (a fork names its
 * workflow, jobs and steps in YAML, where `"\e"` is an escape); printed raw, an escape sequence clears or rewrites
 * what the reader sees, or sets the clipboard, and a backspace over-prints what came before it.
 */
export function forTerminal(line: string): string {
  return line.replace(NOT_FOR_TERMINAL, codePointMark);
}

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

/** A UTF-16 encoding, as `TextDecoder` names it. */
export type Utf16Encoding = 'utf-16le' | 'utf-16be';

/**
 * Whether a file is UTF-16 text, from its first bytes: a byte order mark (what PowerShell's `>` and Excel's "Unicode
 * text" write), or none and text that is nearly all ASCII characters in UTF-16 (a printable byte or a line break
 * beside a zero in each pair), which numbers stored 16 bits each are not. Null otherwise.
 */
export function utf16Encoding(head: Uint8Array): Utf16Encoding | null {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const pairs = Math.floor(head.length / 2);
  if (pairs < 2) return null;
  let little = 0;
  let big = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    const first = head[i] ?? 0;
    const second = head[i + 1] ?? 0;
    if (second === 0 && isTextByte(first)) little += 1;
    else if (first === 0 && isTextByte(second)) big += 1;
  }
  if (little >= pairs * 0.9 && big === 0) return 'utf-16le';
  if (big >= pairs * 0.9 && little === 0) return 'utf-16be';
  return null;
}

/** A printable ASCII byte, a tab or a line break. */
function isTextByte(byte: number): boolean {
  return (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

/** UTF-16 text read in chunks, as UTF-8 bytes; a character or byte pair split between chunks is kept whole. */
export async function* utf8FromUtf16(chunks: AsyncIterable<Uint8Array | string>, encoding: Utf16Encoding): AsyncGenerator<Uint8Array | string> {
  const decoder = new TextDecoder(encoding);
  for await (const chunk of chunks) {
    // A string chunk was decoded already (a text-mode stdin): only bytes are UTF-16.
    if (typeof chunk === 'string') yield chunk;
    else yield Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

/** A whole file's text: UTF-16 when its first bytes say so ({@link utf16Encoding}), else UTF-8. */
export function textOf(bytes: Buffer): string {
  const encoding = utf16Encoding(bytes.subarray(0, 8192));
  return encoding ? new TextDecoder(encoding).decode(bytes) : bytes.toString('utf8');
}

/**
 * What a file is when its first bytes say it is not text: a gzip or zip archive (GitHub's "Download log archive" is
 * a zip; an exported file is often gzipped), or binary data (NUL bytes, unless it is UTF-16 text). Null for text.
 * Each command says in its own words what to do instead.
 */
export function nonTextKind(head: Uint8Array): 'gzip' | 'zip' | 'binary' | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return head.includes(0) && !utf16Encoding(head) ? 'binary' : null;
}
