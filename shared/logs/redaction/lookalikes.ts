/**
 * Tokens written in look-alike characters (full-width, mathematical, Cyrillic and Greek letters), folded to ASCII
 * for the token formats to read.
 */
import { isWhitespace } from './char-codes.js';
import { LOOKALIKE_PATTERNS } from './patterns.js';
import { replacedFromRewritten, RewrittenWindows } from './rewritten-windows.js';

/**
 * Letters of other scripts drawn like ASCII ones that NFKC leaves as they are (a subset of Unicode's confusables:
 * the Cyrillic and Greek letters that pass for the Latin letters and digits of token prefixes and bodies).
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  а: 'a', в: 'B', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', ѕ: 's', і: 'i', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', к: 'k', ı: 'i', ɡ: 'g',
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', Ѕ: 'S', І: 'I', Ј: 'J', Ү: 'Y', Ԛ: 'Q', Ԝ: 'W', Ӏ: 'I', З: '3',
  α: 'a', ο: 'o', ν: 'v', ρ: 'p', ι: 'i', κ: 'k', υ: 'u', χ: 'x',
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
};
/** A character outside ASCII (the separator put after escapes aside: it stands for no character). */
const NON_ASCII = /[^\x00-\x7f\uE000]/;
const NON_ASCII_RUNS = /[^\x00-\x7f\uE000]+/g;
/** How far before a look-alike token its window reaches, for a format read after a key or scheme (`Bearer `). */
const LOOKALIKE_CONTEXT = 64;
/**
 * Fewest letters, digits, `_` and `-` in a row, one of them a look-alike, for a word to be read as a token: the
 * shortest format takes 15 (`xoxb-` and ten). Words of a language written in Cyrillic or Greek rarely have as
 * many look-alike letters in a row, and are left unread.
 */
const LOOKALIKE_MIN_RUN = 12;
const foldedChars = new Map<number, string>();

/** The ASCII a character passes for (NFKC's compatibility form: full-width, mathematical letters; or a confusable), or ''. */
function foldedChar(code: number): string {
  let folded = foldedChars.get(code);
  if (folded === undefined) {
    const char = String.fromCodePoint(code);
    const compatible = char.normalize('NFKC');
    folded = CONFUSABLES[char] ?? (compatible !== char && /^[\x21-\x7e]{1,4}$/.test(compatible) ? compatible : '');
    foldedChars.set(code, folded);
  }
  return folded;
}

const isTokenChar = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;

/** Whether `text[start, end)` has {@link LOOKALIKE_MIN_RUN} token characters in a row, one of them folded. */
function holdsLookalikeToken(text: string, start: number, end: number): boolean {
  let run = 0;
  let folds = false;
  for (let at = start; at < end; ) {
    const code = text.codePointAt(at) as number;
    const folded = code < 0x80 ? '' : foldedChar(code);
    if (code < 0x80 ? isTokenChar(code) : folded !== '' && isTokenChar(folded.charCodeAt(0))) {
      run += 1;
      folds ||= folded !== '';
      if (run >= LOOKALIKE_MIN_RUN && folds) return true;
    } else {
      run = 0;
      folds = false;
    }
    at += code > 0xffff ? 2 : 1;
  }
  return false;
}

/**
 * `text` with the tokens written in look-alike characters replaced: full-width or mathematical letters (`ｇｈｐ＿…`,
 * what NFKC folds to ASCII) and Cyrillic or Greek letters that pass for Latin ones (`gһp_…` with a Cyrillic `һ`),
 * which a reader maps back at a glance but no pattern reads. The words that can hold such a token
 * ({@link holdsLookalikeToken}), with up to {@link LOOKALIKE_CONTEXT} characters of their line before them, are
 * folded to ASCII and read by the token formats; a match holding a folded character is replaced in `text`, the text
 * around it kept as it was. Linear: ASCII text costs one test, and the formats read each folded word once.
 */
export function redactLookalikes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const windows: number[] = [];
  let windowEnd = 0;
  NON_ASCII_RUNS.lastIndex = 0;
  for (let run = NON_ASCII_RUNS.exec(text); run !== null; run = NON_ASCII_RUNS.exec(text)) {
    let start = run.index;
    while (start > windowEnd && !isWhitespace(text.charCodeAt(start - 1))) start -= 1;
    let end = run.index + run[0].length;
    while (end < text.length && !isWhitespace(text.charCodeAt(end))) end += 1;
    NON_ASCII_RUNS.lastIndex = end;
    if (!holdsLookalikeToken(text, start, end)) continue;
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    let context = Math.max(lineStart, windowEnd, start - LOOKALIKE_CONTEXT);
    // The context starts at a word, not inside one (a pattern's leading `\b` would hold where the text's does not).
    while (context > lineStart && context < start && !isWhitespace(text.charCodeAt(context - 1))) context += 1;
    if (windows.length > 0 && windows[windows.length - 1] === context) windows[windows.length - 1] = end;
    else windows.push(context, end);
    windowEnd = end;
  }
  if (windows.length === 0) return text;
  const folded = new RewrittenWindows();
  for (let w = 0; w < windows.length; w += 2) {
    folded.open();
    for (let at = windows[w] as number; at < (windows[w + 1] as number); ) {
      const code = text.codePointAt(at) as number;
      const width = code > 0xffff ? 2 : 1;
      const char = code < 0x80 ? '' : foldedChar(code);
      if (char) folded.rewrite(char, at, at + width);
      else folded.keep(text, at, at + width);
      at += width;
    }
  }
  // A match must hold a folded character: the plain pass finds the others.
  return replacedFromRewritten(text, folded, LOOKALIKE_PATTERNS, true);
}
