/**
 * Where a pattern replaces what in a text, and the replacing: redaction markers, a generic rule's quoted value read
 * to its closing quote, replacements kept clear of escape sequences.
 */
import type { SecretPattern } from './patterns.js';

/** What every redaction marker starts with (`[REDACTED:github-token]`). */
export const MARKER = '[REDACTED:';

/** The marker that replaces `secret`, found by the pattern `id`. */
export function replacement(id: string, secret: string): string {
  // Keep line breaks so a redacted multi-line block still lines up with its line numbers.
  const newlines = secret.split('\n').length - 1;
  return `[REDACTED:${id}]${'\n'.repeat(newlines)}`;
}

/** How many redaction markers `text` holds: more after redaction than before means something was redacted. */
export function countMarkers(text: string): number {
  let count = 0;
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) count += 1;
  return count;
}

/**
 * `text` with each range of `ranges` (start and end offsets, in order, not overlapping) replaced by `marker`, or by
 * its own marker when `marker` lists one per range.
 */
export function withRangesReplaced(text: string, ranges: readonly number[], marker: string | readonly string[]): string {
  if (ranges.length === 0) return text;
  const pieces: string[] = [];
  let copied = 0;
  for (let r = 0; r < ranges.length; r += 2) {
    pieces.push(text.slice(copied, ranges[r]), typeof marker === 'string' ? marker : (marker[r / 2] as string));
    copied = ranges[r + 1] as number;
  }
  pieces.push(text.slice(copied));
  return pieces.join('');
}

export function applyPattern(text: string, pattern: SecretPattern): string {
  const { ranges, markers } = patternReplacements(text, pattern);
  return withRangesReplaced(text, ranges, markers);
}

/** Where a pattern replaces what in a text: start and end offsets in pairs, in order, and the text for each pair. */
interface Replacements {
  readonly ranges: number[];
  readonly markers: string[];
}

export function patternReplacements(text: string, { id, re, keep, accept, each, gate, kind }: SecretPattern): Replacements {
  const ranges: number[] = [];
  const markers: string[] = [];
  if (gate && !gate.test(text)) return { ranges, markers };
  re.lastIndex = 0;
  let copied = 0;
  for (let found = re.exec(text); found !== null; found = re.exec(text)) {
    const match = found[0];
    if (match.length === 0) {
      re.lastIndex += 1;
      continue;
    }
    let kept = '';
    for (let i = 1; i <= (keep ?? 0); i++) kept += found[i] ?? '';
    const matchEnd = found.index + match.length;
    // Pairs are judged one by one: a value an earlier pattern replaced (a JWT cookie) leaves the others to read.
    if (each) {
      const judged = kept + match.slice(kept.length).replace(each, (pair: string, name: string, value: string) => (value.includes(MARKER) || (accept && !accept(value)) ? pair : `${name}[REDACTED:${id}]`));
      ranges.push(found.index, matchEnd);
      markers.push(judged);
      copied = matchEnd;
      continue;
    }
    // A value an earlier, more specific pattern already replaced keeps its more telling label, and the
    // `:` inside a marker is not the start of a `user:password` pair.
    if (match.startsWith(MARKER, kept.length) || match.slice(kept.length).includes(MARKER)) continue;
    const open = kept.lastIndexOf(MARKER);
    if (open >= 0 && !kept.includes(']', open)) continue;
    const matched = { start: found.index + kept.length, end: matchEnd };
    // A generic rule's value in quotes runs to its closing quote (spaces, escaped quotes and all), and the quotes stay.
    const quoted = kind === 'generic' ? quotedValue(text, matched.start, matched.end, found.index) : null;
    const value = quoted !== null && !text.slice(quoted.start, quoted.end).includes(MARKER) ? quoted : matched;
    if (accept && !accept(text.slice(matched.start, matched.end)) && (value === matched || !accept(text.slice(value.start, value.end)))) continue;
    const { start, end } = escapeAligned(text, Math.max(value.start, copied), value.end);
    if (end <= start) continue;
    ranges.push(start, end);
    markers.push(replacement(id, text.slice(start, end)));
    copied = end;
    if (end > re.lastIndex) re.lastIndex = end;
  }
  return { ranges, markers };
}

/** Longest quoted value a generic rule reads to its closing quote. */
const MAX_QUOTED_VALUE = 400;
const BACKSLASH = 92;

/** How many backslashes stand right before `at` in `text`, not counting any before `from`. */
function backslashesBefore(text: string, at: number, from = 0): number {
  let count = 0;
  while (at - count > from && text.charCodeAt(at - count - 1) === BACKSLASH) count += 1;
  return count;
}

/**
 * The content of the quoted string a generic rule's value starts (`"…"` right at `start`, or after a quote its
 * kept prefix ends with), from after its opening quote to before its closing one; null when the value is not quoted
 * or its string does not close on its line within {@link MAX_QUOTED_VALUE} characters. Quotes may be escaped, at any
 * level: a quote `n` backslashes deep (0 in plain text, 1 in JSON inside a JSON string, 3 a level deeper) is closed
 * by a quote behind a run of backslashes that leaves `n` to escape it, and a quote escaped inside the string (1 more
 * level) does not close it; the closing quote's own backslashes stay with it.
 */
function quotedValue(text: string, start: number, end: number, matchStart: number): { start: number; end: number } | null {
  let quoteAt = start;
  while (quoteAt < end && text.charCodeAt(quoteAt) === BACKSLASH) quoteAt += 1;
  const opened = start - 1 >= matchStart && isQuote(text.charCodeAt(start - 1)) ? start - 1 : -1;
  const leading = quoteAt < end && isQuote(text.charCodeAt(quoteAt)) ? quoteAt : -1;
  // A quote the value starts with that is escaped deeper than the one its prefix opened is inside that string, not
  // a string of its own: `"password":"\"quoted\" rest"` is one value to the outer closing quote (review of session 32).
  if (leading < 0 || (opened >= 0 && quoteLevel(text, leading) > quoteLevel(text, opened))) quoteAt = opened;
  if (quoteAt < 0) return null;
  const quote = text.charCodeAt(quoteAt);
  const escapes = quoteLevel(text, quoteAt);
  const contentStart = quoteAt + 1;
  const limit = Math.min(text.length, contentStart + MAX_QUOTED_VALUE);
  for (let at = contentStart; at < limit; at++) {
    const code = text.charCodeAt(at);
    if (code === 10) return null;
    if (code !== quote) continue;
    const before = backslashesBefore(text, at, contentStart);
    if (before >= escapes && (before - escapes) % (2 * (escapes + 1)) === 0) return at - escapes > contentStart ? { start: contentStart, end: at - escapes } : null;
  }
  return null;
}

const isQuote = (code: number): boolean => code === 34 /* " */ || code === 39; /* ' */

/**
 * How many backslashes escape the quote at `at`: 0 in plain text, 1 in JSON inside a JSON string, 3 a level deeper. A
 * run of 2 is an escaped backslash before a plain quote, 5 one before a quote 1 deep.
 */
function quoteLevel(text: string, at: number): number {
  const run = backslashesBefore(text, at);
  return (run ^ (run + 1)) >> 1;
}

/**
 * `start` and `end` moved so that replacing what lies between them leaves every escape sequence whole: a backslash
 * that escapes the first character replaced goes with it (else it would escape the marker), and one that the last
 * character replaced leaves escaping the next character stays (else that character, often a closing quote, would
 * be left unescaped).
 */
function escapeAligned(text: string, start: number, end: number): { start: number; end: number } {
  const alignedStart = backslashesBefore(text, start) % 2 === 1 ? start - 1 : start;
  const alignedEnd = backslashesBefore(text, end) % 2 === 1 ? end - 1 : end;
  return { start: alignedStart, end: alignedEnd };
}
