/**
 * A wrapped base64 blob that a cut end of an excerpt splits: its part on this side is masked when it decodes to text
 * running into the cut.
 */
import { BASE64_MIN_CHARS, base64Body } from './base64.js';
import { BASE64_MIN_STRING, isPrintableByte } from './decoded-text.js';
import { INFLATE_FIXED_BYTES, inflatedParts } from './inflate.js';
import { MARKER, withRangesReplaced } from './replacements.js';
import { isFullLine, isPadded, joinedRuns, runLine, runWidth, sameShape } from './wrapped-base64.js';

/**
 * Which ends of a text were cut out of a longer one: an excerpt's stretch of consecutive lines that starts below the
 * log's first line, or ends above its last. A blob wrapped over lines ({@link WrappedBlock}) that runs over a cut
 * end is seen only in part, and the part can hold part of a secret that no pattern recognises (`ci-bot:ghp_` and 29
 * of the token's 36 characters; the last 20 characters and `@github.com`): see {@link maskCutBlobs}.
 */
export interface TextCut {
  readonly atStart: boolean;
  readonly atEnd: boolean;
}

/**
 * The runs, in pairs of start and end, of the wrapped blob that the start of `text` may cut: its full lines of one
 * width from the first line on, and the narrower last line after them; or a first line that is the last of a blob
 * (any run the base64 pass would read). Empty when the first line ends in no such run.
 */
function blobAtStart(text: string): number[] {
  const first = runLine(text, 0);
  if (runWidth(first) < BASE64_MIN_CHARS) return [];
  const runs = [first.runStart, first.lineEnd];
  if (!isFullLine(text, first)) return runs;
  for (let line = first; line.lineEnd < text.length; ) {
    line = runLine(text, line.lineEnd + 1);
    const width = runWidth(line);
    if (width === 0 || width > runWidth(first) || !sameShape(text, first, line)) break;
    runs.push(line.runStart, line.lineEnd);
    // A narrower or padded line is the blob's last.
    if (width < runWidth(first) || isPadded(text, line)) break;
  }
  return runs;
}

/**
 * The runs, in pairs, of the wrapped blob that the end of `text` may cut: full lines of one width up to the last
 * line. A blob whose narrower or padded last line is seen ends there, cut or not.
 */
function blobAtEnd(text: string): number[] {
  const last = runLine(text, text.lastIndexOf('\n') + 1);
  if (!isFullLine(text, last)) return [];
  const starts = [last.runStart];
  for (let line = last; line.lineStart > 0; ) {
    const previousEnd = line.lineStart - 1;
    line = runLine(text, previousEnd === 0 ? 0 : text.lastIndexOf('\n', previousEnd - 1) + 1);
    if (runWidth(line) !== runWidth(last) || isPadded(text, line) || !sameShape(text, last, line)) break;
    starts.push(line.runStart);
  }
  const width = runWidth(last);
  return starts.reverse().flatMap((start) => [start, start + width]);
}

/**
 * Whether `bytes` hold text that runs into one of their ends (`atEnd`: the last byte, else the first): at least
 * {@link BASE64_MIN_STRING} characters of printable ASCII, or of UTF-16LE text (a printable byte and a NUL), as
 * {@link textInBytes} reads them. A UTF-16 character the end splits in two counts as text.
 */
function textRunsIntoEdge(bytes: Buffer, atEnd: boolean): boolean {
  const fromEdge = (k: number): number => (atEnd ? bytes[bytes.length - 1 - k] : bytes[k]) ?? -1;
  let ascii = 0;
  while (ascii < BASE64_MIN_STRING && isPrintableByte(fromEdge(ascii))) ascii += 1;
  if (ascii === BASE64_MIN_STRING) return true;
  // Read from the edge, a UTF-16LE character is a NUL then a printable byte at the end, the other way at the start.
  const printableAt = atEnd ? 1 : 0;
  let at = (atEnd ? isPrintableByte(fromEdge(0)) : fromEdge(0) === 0) ? 1 : 0;
  let characters = 0;
  while (characters < BASE64_MIN_STRING && isPrintableByte(fromEdge(at + printableAt)) && fromEdge(at + 1 - printableAt) === 0) {
    characters += 1;
    at += 2;
  }
  return characters === BASE64_MIN_STRING;
}

/**
 * `text` with the runs of a wrapped blob that a cut end of it splits replaced by `[REDACTED:base64-partial]`, when
 * what is seen of the blob decodes to text that runs into the cut: a secret may run over it, its part on this side
 * too short to be recognised, its other part in lines this text does not hold. Every line seen of such a blob is
 * replaced, failing closed: how long a secret is, and so how far back from the cut its part reaches, is not known.
 * The blob is the one the first or last line ends, as the wrapped-blob reader finds them; a blob whose bytes at
 * the cut are binary (an image, a key store) is kept, and so is compressed data unless what it inflates to runs into
 * the cut. Bounded: each end's blob is walked and decoded once.
 */
export function maskCutBlobs(text: string, cut: TextCut): string {
  const atStart = cut.atStart ? blobAtStart(text) : [];
  let masked: number[];
  if (atStart.at(-1) === text.length) {
    // One blob from the first line to the last, decoded once: the end cuts it too unless its last line is narrower.
    const cutAtEnd = cut.atEnd && isFullLine(text, runLine(text, text.lastIndexOf('\n') + 1));
    masked = holdsTextAtCut(text, atStart, true, cutAtEnd) ? atStart : [];
  } else {
    // The two share no line (the first stops at a line of another shape, or at its narrower last line).
    const atEnd = cut.atEnd ? blobAtEnd(text) : [];
    masked = [...(holdsTextAtCut(text, atStart, true, false) ? atStart : []), ...(holdsTextAtCut(text, atEnd, false, true) ? atEnd : [])];
  }
  return withRangesReplaced(text, masked, `${MARKER}base64-partial]`);
}

/** Whether the blob made of `runs` (pairs of start and end in `text`) decodes to text that runs into a cut end. */
function holdsTextAtCut(text: string, runs: readonly number[], cutAtStart: boolean, cutAtEnd: boolean): boolean {
  if (runs.length === 0) return false;
  const body = base64Body(joinedRuns(text, runs));
  if (body === null) return false;
  const bytes = Buffer.from(body, 'base64');
  return (cutAtStart && textRunsIntoEdge(bytes, false)) || (cutAtEnd && (textRunsIntoEdge(bytes, true) || inflatedTextRunsIntoEnd(bytes)));
}

/**
 * Whether compressed data that a cut end splits inflates to text running into its end: the start of a gzip file
 * inflates as far as it goes, and a secret can run over that point as over a cut in plain text. Compressed data
 * whose start the cut leaves out cannot be inflated, by anyone reading the excerpt either.
 */
function inflatedTextRunsIntoEnd(bytes: Buffer): boolean {
  const parts = inflatedParts(bytes, { left: INFLATE_FIXED_BYTES });
  if (parts === null) return true;
  const last = parts.at(-1);
  return last !== undefined && textRunsIntoEdge(last, true);
}
