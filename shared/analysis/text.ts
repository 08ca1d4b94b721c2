/**
 * Small text helpers shared by the prompt builder, the validator and the offline analyzer. Everything that
 * leaves this module as "one line" is safe to put in an incident field, a log entry or a Step Functions error.
 */
import { HIDDEN_SOURCE, stripHidden } from '../invisible.js';

/**
 * Documentation and plain-text files, by extension: prose, not a source language. Files pip could be told to read as
 * requirements (`-r deps.txt`), and where the patch check reads only the forms a command runs, not words prose names.
 */
export const TEXT_EXTENSIONS = /\.(?:txt|md|mdx|rst|adoc)$/i;

/**
 * What may not appear in code a fix commits: the hidden characters (see `HIDDEN_SOURCE`; blank letters and
 * variation selectors are valid in JavaScript and Python identifiers, so `{ timeout, ㅤ }` reads as a trailing comma
 * and `allowed︀` is another variable than `allowed`), controls other than tab, LF and CR, and the line and
 * paragraph separators (JavaScript ends a `//` comment at U+2028, so code after one runs while a diff shows a
 * comment).
 */
const HIDES_CODE = new RegExp(String.raw`[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uFFF9-\uFFFB]|${HIDDEN_SOURCE}`, 'u');

/** Whether `text` holds a character that hides, reorders or disguises code for a reviewer (see {@link HIDES_CODE}). */
export function hidesCode(text: string): boolean {
  return HIDES_CODE.test(text);
}

/** C0/C1 control characters other than tab and newline (terminal escapes, NUL, bell ...). */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * Removes control and hidden characters (`HIDDEN_SOURCE`: how a log line hides text from a human reviewer while a
 * model still reads it) but keeps newlines and tabs.
 */
export function cleanText(text: string): string {
  return stripHidden(text).replace(CONTROL, '');
}

/** Cuts `text` to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  return `${text.slice(0, max - 1)}…`;
}

/** Collapses whitespace (newlines included) and bounds the length: for reasons, messages and headers. */
export function oneLine(text: string, max = 300): string {
  return truncate(cleanText(text).replace(/\s+/g, ' ').trim(), max);
}
