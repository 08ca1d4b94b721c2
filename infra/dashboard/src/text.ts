import { HIDDEN_SOURCE, codePointMark } from '../../../shared/invisible.js';

const HIDDEN = new RegExp(HIDDEN_SOURCE, 'gu');

/**
 * Text from the read API with its hidden characters shown as marks (`⟨U+202E⟩`): incident data holds what GitHub
 * and the logs sent, and a branch named `U+202E niam` reads as `main` (a right-to-left override) or `ma\u200Bin` as
 * `main` (a zero-width space). The API keeps the real string; the dashboard shows that it is not what it looks like.
 */
export function showHidden(text: string): string {
  return text.replace(HIDDEN, codePointMark);
}
