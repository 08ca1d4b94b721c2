import { BASE64_MAX_CHARS_PER_LINE, BASE64_MIN_CHARS, base64Body, HEX_MARKER, hexText, SECRET_MARKER, UNREAD_MARKER } from './base64.js';
import { isDigit } from './char-codes.js';
import { decodedText, type HoldSecrets } from './decoded-text.js';
import type { InflateAllowance } from './inflate.js';
import { withRangesReplaced } from './replacements.js';

/**
 * A blob of base64 wrapped over lines, as `base64` prints it (GNU at 76 columns, `openssl base64` at 64, PEM and
 * MIME alike): consecutive lines that each end in a base64 run behind the same prefix (nothing, an indent, a
 * compose service's `app-1  | `; digits may differ, as in timestamps), full lines of one width (a multiple of 4, at
 * least {@link BASE64_MIN_CHARS}) without padding, then at most one last line no wider. A secret's encoding can
 * straddle two of its lines, and neither line decodes to enough of it to be recognised: the runs are decoded
 * together, as one, and every line's run is replaced when that holds a secret. Each line's run is still read
 * alone as well, as any run is: lines that only look wrapped (values encoded one by one, of one width) glue the
 * end of one value to the start of the next, which can hide a token that ends or starts a line. A wrapped line is
 * so decoded twice per level, no more.
 */
interface WrappedBlock {
  /** Start and end of each line's run in its text, in pairs. */
  readonly runs: number[];
}

const isBase64Char = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 43 || code === 47 || code === 45 || code === 95;

/** Where the base64 run that ends the line `text[lineStart, lineEnd)` starts: `lineEnd` when none does. */
function trailingRunStart(text: string, lineStart: number, lineEnd: number): number {
  let at = lineEnd;
  while (at > lineStart && lineEnd - at < 2 && text.charCodeAt(at - 1) === 61 /* = */) at -= 1;
  const padded = at;
  while (at > lineStart && isBase64Char(text.charCodeAt(at - 1))) at -= 1;
  return at === padded ? lineEnd : at;
}

/** Whether two stretches of `text` read the same, a digit standing for any digit (timestamps, counters). */
function samePrefix(text: string, a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) {
    const x = text.charCodeAt(a + i);
    const y = text.charCodeAt(b + i);
    if (x !== y && !(isDigit(x) && isDigit(y))) return false;
  }
  return true;
}

/** The line of `text` that starts at `lineStart`, and the base64 run that ends it as the wrapped-blob reader sees it. */
interface RunLine {
  readonly lineStart: number;
  readonly runStart: number;
  readonly lineEnd: number;
}

export function runLine(text: string, lineStart: number): RunLine {
  const newline = text.indexOf('\n', lineStart);
  const lineEnd = newline === -1 ? text.length : newline;
  return { lineStart, runStart: trailingRunStart(text, lineStart, lineEnd), lineEnd };
}

export const runWidth = (line: RunLine): number => line.lineEnd - line.runStart;
export const isPadded = (text: string, line: RunLine): boolean => runWidth(line) > 0 && text.charCodeAt(line.lineEnd - 1) === 61; /* = */

/** Whether the line can be a full line of a wrapped blob ({@link WrappedBlock}): one that another may follow. */
export function isFullLine(text: string, line: RunLine): boolean {
  const width = runWidth(line);
  return width >= BASE64_MIN_CHARS && width % 4 === 0 && width <= BASE64_MAX_CHARS_PER_LINE && !isPadded(text, line);
}

/** Whether `line` has the width and prefix of `full`, a full line of a wrapped blob. */
export function sameShape(text: string, full: RunLine, line: RunLine): boolean {
  const prefixLength = full.runStart - full.lineStart;
  return line.runStart - line.lineStart === prefixLength && samePrefix(text, full.lineStart, line.lineStart, prefixLength);
}

/** The wrapped blocks of two lines or more in `text`: a full line, then lines of its shape ({@link sameShape}). */
function wrappedBlocks(text: string): WrappedBlock[] {
  const blocks: WrappedBlock[] = [];
  let open: { first: RunLine; runs: number[] } | null = null;
  for (let lineStart = 0; lineStart <= text.length; ) {
    const line = runLine(text, lineStart);
    const width = runWidth(line);
    if (open !== null && width > 0 && width <= runWidth(open.first) && sameShape(text, open.first, line)) {
      open.runs.push(line.runStart, line.lineEnd);
      // A narrower or padded line is the blob's last.
      if (width < runWidth(open.first) || isPadded(text, line)) {
        blocks.push({ runs: open.runs });
        open = null;
      }
    } else {
      if (open !== null && open.runs.length >= 4) blocks.push({ runs: open.runs });
      open = isFullLine(text, line) ? { first: line, runs: [line.runStart, line.lineEnd] } : null;
    }
    lineStart = line.lineEnd + 1;
  }
  if (open !== null && open.runs.length >= 4) blocks.push({ runs: open.runs });
  return blocks;
}

/** The base64 of a blob: its lines' runs (pairs of start and end in `text`) joined, as the base64 pass reads a run. */
export function joinedRuns(text: string, runs: readonly number[]): string {
  let joined = '';
  for (let i = 0; i < runs.length; i += 2) joined += text.slice(runs[i], runs[i + 1]);
  return joined;
}

/**
 * `texts` with the runs of every wrapped block that decodes to a secret replaced: before the patterns run, since the
 * key body rule would blank the block's full lines one by one and its last line would keep its part of the secret.
 * A block whose compressed data would inflate past what is left of `allowance` is withheld unread.
 */
export function redactWrappedBase64(texts: readonly string[], depth: number, allowance: InflateAllowance, holdSecrets: HoldSecrets): readonly string[] {
  const found: Array<{ text: number; runs: number[]; decoded: string | null; marker: string }> = [];
  texts.forEach((text, index) => {
    for (const { runs } of wrappedBlocks(text)) {
      const joined = joinedRuns(text, runs);
      // Hex wraps as base64 does (`xxd -p` at 60 columns).
      const hex = hexText(joined);
      if (hex) found.push({ text: index, runs, decoded: hex, marker: HEX_MARKER });
      const body = hex === null ? base64Body(joined) : null;
      if (body === null) continue;
      const decoded = decodedText(Buffer.from(body, 'base64'), allowance);
      if (decoded === null || decoded.length > 0) found.push({ text: index, runs, decoded, marker: SECRET_MARKER });
    }
  });
  if (found.length === 0) return texts;
  const readable = found.filter((block) => block.decoded !== null);
  const holding = holdSecrets(readable.map((block) => block.decoded as string), depth + 1, allowance);
  const secret = new Set(readable.filter((_, i) => holding[i]));
  // Runs to replace, per text, in order: blocks were found in order.
  const replaced = texts.map(() => ({ ranges: [] as number[], markers: [] as string[] }));
  for (const block of found) {
    if (block.decoded !== null && !secret.has(block)) continue;
    const { ranges, markers } = replaced[block.text] as { ranges: number[]; markers: string[] };
    for (let r = 0; r < block.runs.length; r += 2) {
      ranges.push(block.runs[r] as number, block.runs[r + 1] as number);
      markers.push(block.decoded === null ? UNREAD_MARKER : block.marker);
    }
  }
  return texts.map((text, index) => withRangesReplaced(text, replaced[index]?.ranges ?? [], replaced[index]?.markers ?? []));
}
