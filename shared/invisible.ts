/**
 * Characters that do not show: the one list every stage reads, so a token or an instruction split by one of them
 * is split the same way for the redactor, the injection detector, the patch check and the Markdown renderer.
 *
 * Unicode's default-ignorable code points (zero-width spaces and joiners, bidi marks, embeddings, overrides and
 * isolates, the BOM, the soft hyphen, the combining grapheme joiner, the Hangul fillers and other blank letters,
 * variation selectors, the tag block that "ASCII smuggling" hides text in) and the Braille blank, which renders as
 * a space. They are how text hides from a human reader ("Trojan Source") while a program or a model still reads
 * it. The exceptions are what emoji hold, which hide nothing (the pictograph shows): a presentation selector after
 * a pictograph or in a keycap (`⚡️`, `1️⃣`), and a zero-width joiner between two pictographs (`👨‍👩‍👧`).
 */
export const HIDDEN_SOURCE = String.raw`(?![\uFE0E\uFE0F\u200D])\p{Default_Ignorable_Code_Point}|\u2800|(?<!\p{Extended_Pictographic}|[0-9#*])[\uFE0E\uFE0F]|[\uFE0E\uFE0F](?<=[0-9#*]\uFE0F|[0-9#*]\uFE0E)(?!\u20E3)|(?<!\p{Extended_Pictographic}\uFE0F?)\u200D|\u200D(?!\p{Extended_Pictographic})`;

const HIDDEN = new RegExp(HIDDEN_SOURCE, 'gu');

/** Every hidden character is at U+00AD or above: text below it (most log lines) is returned without a regex pass. */
const MAY_HIDE = /[^\u0000-\u00AC]/;

/** A character shown as a mark, `⟨U+202E⟩`: how the dashboard and the CLI show what would not show, or would act. */
export function codePointMark(character: string): string {
  return `⟨U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
}

/** `text` without its hidden characters (see {@link HIDDEN_SOURCE}). */
export function stripHidden(text: string): string {
  return MAY_HIDE.test(text) ? text.replace(HIDDEN, '') : text;
}
