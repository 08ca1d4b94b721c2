/**
 * Small text helpers shared by the prompt builder, the validator and the offline analyzer. Everything that
 * leaves this module as "one line" is safe to put in an incident field, a log entry or a Step Functions error.
 */

/**
 * Invisible and direction-changing characters: zero-width spaces/joiners, bidi embeddings/overrides/isolates,
 * the BOM, soft hyphen, word joiner and the Unicode "tag" block. They are how a log line hides text from a
 * human reviewer ("Trojan Source") while a model still reads it, so they are removed from model output and
 * ignored when looking for injected instructions.
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]|\uDB40[\uDC00-\uDC7F]/g;

/** C0/C1 control characters other than tab and newline (terminal escapes, NUL, bell ...). */
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Removes control and invisible characters but keeps newlines and tabs. */
export function cleanText(text: string): string {
  return stripInvisible(text).replace(CONTROL, '');
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
