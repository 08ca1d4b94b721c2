/**
 * Small text helpers shared by the prompt builder, the validator and the offline analyzer. Everything that
 * leaves this module as "one line" is safe to put in an incident field, a log entry or a Step Functions error.
 */

/**
 * Invisible and direction-changing characters: Unicode's default-ignorable code points (zero-width spaces and
 * joiners, bidi marks, embeddings, overrides and isolates, the BOM, the soft hyphen, the combining grapheme
 * joiner, the Hangul fillers and other blank letters, variation selectors, the tag block) and the Braille blank,
 * which renders as a space. They are how a log line hides text from a human reviewer ("Trojan Source") while a
 * model still reads it, so they are removed from model output and ignored when looking for injected instructions.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}|\u2800/gu;

/**
 * What may not appear in code a fix commits: the characters above, controls other than tab, LF and CR, and the
 * line and paragraph separators (JavaScript ends a `//` comment at U+2028, so code after one runs while a diff
 * shows a comment). Blank letters and variation selectors are valid in JavaScript and Python identifiers
 * (`{ timeout, ㅤ }` reads as a trailing comma; `allowed︀` is another variable than `allowed`), so the exceptions
 * are what emoji in documentation hold: a presentation selector after a pictograph or in a keycap (`1️⃣`), and a
 * zero-width joiner between two pictographs (`👨‍👩‍👧`).
 */
const HIDES_CODE =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\u2800\uFFF9-\uFFFB]|(?![\uFE0E\uFE0F\u200D])\p{Default_Ignorable_Code_Point}|(?<!\p{Extended_Pictographic}|[0-9#*])[\uFE0E\uFE0F]|[\uFE0E\uFE0F](?<=[0-9#*]\uFE0F|[0-9#*]\uFE0E)(?!\u20E3)|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})/u;

/** Whether `text` holds a character that hides, reorders or disguises code for a reviewer (see {@link HIDES_CODE}). */
export function hidesCode(text: string): boolean {
  return HIDES_CODE.test(text);
}

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
