/**
 * Character codes the readers of a text test one at a time (a line's words, base64 runs).
 */

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;
export const isWhitespace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);
