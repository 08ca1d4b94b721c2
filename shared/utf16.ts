/**
 * UTF-16 surrogate pairs, for code that cuts strings into pieces: a piece that ends between the halves of a pair
 * holds a lone half, which UTF-8 encodes as a 3-byte U+FFFD and GitHub shows as garbage.
 */

/** The first half of a surrogate pair. */
export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The second half of a surrogate pair. */
export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** `end`, or one unit less where a piece of `text` ending there (before its end) would split a surrogate pair. */
export function pairSafeEnd(text: string, end: number): number {
  return end > 0 && end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) ? end - 1 : end;
}
