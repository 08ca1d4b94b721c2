/**
 * Parts of tokens: a token that line breaks cut in pieces (a terminal's or `fold`'s wrap), and a token's visible
 * start before a CI's mask. Both know a token by the start of its format ({@link tokenStart}).
 */
import { marksToken, tokenStart } from '../token-start.js';
import { isDigit, isWhitespace } from './char-codes.js';
import { KEY_END, KEY_SEPARATOR, SECRET_KEY } from './key-grammar.js';
import { LINE_PATTERNS, type SecretPattern } from './patterns.js';
import { patternReplacements, replacement } from './replacements.js';
import { type FoundStretch, RewrittenWindows, withFoundReplaced } from './rewritten-windows.js';
import { mixedRandom, secretValue } from './secret-values.js';

/**
 * Letters then digits, one run of each (`EXAMPLEKEY123456`, `build2024`): a name and a number as people write them. A
 * generated body over letters and digits mixes the two, though such a value, of two classes and enough distinct
 * characters, passes for a secret after a key. Not for a format with its own alphabet ({@link BODY_ALPHABETS}): a
 * base32 body has this shape too often (an AWS key id's about once in 90).
 */
const WORD_THEN_NUMBER = /^[A-Za-z]+\d+$/;

/**
 * Whether a value reads as generated: as a secret after a key would ({@link looksLikeSecretValue}), or, shorter,
 * {@link mixedRandom}; and not a word then a number ({@link WORD_THEN_NUMBER}), the shape of an example body that prose
 * puts after a format's start (`start with ghp_` | `EXAMPLEKEY123456`).
 */
const readsGenerated = (value: string): boolean => !WORD_THEN_NUMBER.test(value) && (secretValue(value) || mixedRandom(value));

/**
 * The characters a format's real bodies are drawn from, where that is narrower than its expression: what follows a
 * start alone is taken by its alphabet rather than by {@link readsGenerated}'s shapes. AWS's unique ids (`AKIA…`,
 * `ASIA…`, `AROA…`, every prefix the format knows) are base32 (RFC 4648's `A-Z2-7`; the account id decodes from the
 * body), so a body of letters then digits is a real key's about once in 90, while one holding a 0, 1, 8 or 9
 * (`EXAMPLEKEY123456`) is no key's. The format's expression still reads `[A-Z0-9]`: a whole key is redacted either way.
 */
const BODY_ALPHABETS: ReadonlyMap<string, RegExp> = new Map([['aws-access-key-id', /^[A-Z2-7]+$/]]);
/**
 * A credential's key and its `=` or `:` (`AWS_ACCESS_KEY_ID=`, `aws_access_key_id = `): what follows on its line is a
 * secret however it reads.
 */
const CREDENTIAL_KEY = new RegExp(`${SECRET_KEY}[A-Za-z0-9_.-]{0,40}${KEY_END}${KEY_SEPARATOR}`, 'i');

/**
 * The token formats whose start marks a token by itself ({@link marksToken}: `ghp_`, `AKIA`, `xoxb-`), for the rules
 * that find part of a token: its start says what the rest is. Their starts are read together, with case.
 */
const PARTIAL_TOKEN_FORMATS = LINE_PATTERNS.flatMap((pattern) => {
  const start = pattern.kind === 'generic' || pattern.keep !== undefined || pattern.re.ignoreCase ? null : tokenStart(pattern.re.source);
  return start !== null && marksToken(start) ? [{ pattern, start }] : [];
});
/** A token of {@link PARTIAL_TOKEN_FORMATS} starting right there (`lastIndex`): its start. */
const TOKEN_START_AT = new RegExp(`(?:${PARTIAL_TOKEN_FORMATS.map(({ start }) => start.prefix).join('|')})`, 'y');
/** The characters a start can begin with, by their code: a position with another is passed over without a test. */
const TOKEN_FIRST_CHARS = new Set(PARTIAL_TOKEN_FORMATS.flatMap(({ start }) => [...start.firstChars].map((char) => char.charCodeAt(0))));
const isAlphanumeric = (code: number): boolean => isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
/** Longest part of a token read on either side of a line break or before a mask. */
const PARTIAL_TOKEN_WINDOW = 512;
/** How far into the next line a token's start may run (`gh` | `p_…`): the longest start, and some. */
const TOKEN_START_CHARS = 32;
/** Longest prefix two lines may share before a wrapped token's second half (a timestamp, a service's name). */
const SHARED_PREFIX_CHARS = 128;

/**
 * How long a prefix the lines at `a` and `b` share, up to the last whitespace in it (a timestamp and its space, a
 * service's `app-1  | `; digits may differ): 0 when they share none.
 */
function sharedLinePrefix(text: string, a: number, b: number, limit: number): number {
  let shared = 0;
  for (let i = 0; i < limit; i++) {
    const x = text.charCodeAt(a + i);
    const y = text.charCodeAt(b + i);
    if (x !== y && !(isDigit(x) && isDigit(y))) break;
    if (isWhitespace(x)) shared = i + 1;
  }
  return shared;
}

/** Where the word that ends at `end` starts, no further back than `floor` nor {@link PARTIAL_TOKEN_WINDOW} characters. */
function wordStartBefore(text: string, end: number, floor: number): number {
  let start = end;
  while (start > floor && end - start < PARTIAL_TOKEN_WINDOW && !isWhitespace(text.charCodeAt(start - 1))) start -= 1;
  return start;
}

/**
 * Where the first token start ({@link TOKEN_START_AT}) in `text[start, end)` is, behind no letter or digit, or -1. A
 * start may run on past `end` into `next` (the next line's first word: `gh` | `p_…`).
 */
function tokenStartIn(text: string, start: number, end: number, next: WordAfterBreak | null = null): number {
  for (let at = start; at < end; at++) {
    if (!TOKEN_FIRST_CHARS.has(text.charCodeAt(at)) || (at > 0 && isAlphanumeric(text.charCodeAt(at - 1)))) continue;
    if (next !== null && end - at < TOKEN_START_CHARS) {
      TOKEN_START_AT.lastIndex = 0;
      if (TOKEN_START_AT.test(text.slice(at, end) + text.slice(next.start, Math.min(next.end, next.start + TOKEN_START_CHARS)))) return at;
      continue;
    }
    TOKEN_START_AT.lastIndex = at;
    if (TOKEN_START_AT.test(text)) return at;
  }
  return -1;
}

/** The first word of a line, behind the prefix it shares with the line before (see {@link wordAfterBreak}). */
interface WordAfterBreak {
  readonly start: number;
  readonly end: number;
  /** Where the word's line ends: at a line break, or at the end of the text. */
  readonly lineEnd: number;
  /** Whether the word runs to its line's end (a `\r` before the break aside): the token may go on on the next line. */
  readonly fillsLine: boolean;
}

/** Where the line `[start, end)` ends without a Windows line ending's `\r`. */
const endBeforeReturn = (text: string, start: number, end: number): number => (end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);

/**
 * The first word of the line after the line break at `lineEnd` (its line starting at `lineStart`), behind the prefix
 * the two lines share ({@link sharedLinePrefix}) and its own indentation (a hanging indent may differ from the first
 * line's), {@link PARTIAL_TOKEN_WINDOW} characters at most; null when there is none. The join must still be the whole
 * format, so a stack frame's `at` under a token's first piece is no second piece.
 */
function wordAfterBreak(text: string, lineStart: number, lineEnd: number): WordAfterBreak | null {
  const nextStart = lineEnd + 1;
  const nextBreak = text.indexOf('\n', nextStart);
  const nextEnd = nextBreak === -1 ? text.length : nextBreak;
  const contentEnd = endBeforeReturn(text, nextStart, nextEnd);
  let start = nextStart + sharedLinePrefix(text, lineStart, nextStart, Math.min(lineEnd - lineStart, contentEnd - nextStart, SHARED_PREFIX_CHARS));
  while (start < contentEnd && start - nextStart < SHARED_PREFIX_CHARS && isWhitespace(text.charCodeAt(start))) start += 1;
  let end = start;
  while (end < contentEnd && end - start < PARTIAL_TOKEN_WINDOW && !isWhitespace(text.charCodeAt(end))) end += 1;
  return end > start ? { start, end, lineEnd: nextEnd, fillsLine: end === contentEnd } : null;
}

/** Whether the line that holds `at` names a credential's key before it ({@link CREDENTIAL_KEY}), within {@link PARTIAL_TOKEN_WINDOW}. */
function credentialKeyBefore(text: string, at: number): boolean {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return CREDENTIAL_KEY.test(text.slice(Math.max(lineStart, at - PARTIAL_TOKEN_WINDOW), at));
}

/**
 * Whether `rest`, what a line break's next line adds to a first piece that says nothing by itself (the start at
 * `at` in `text`), is the rest of `pattern`'s token: in the format's alphabet ({@link BODY_ALPHABETS}) or after a
 * credential's key on the start's line, and otherwise when it {@link readsGenerated}.
 */
function restOfToken(pattern: SecretPattern, rest: string, text: string, at: number): boolean {
  const alphabet = BODY_ALPHABETS.get(pattern.id);
  return alphabet === undefined ? readsGenerated(rest) : alphabet.test(rest) || credentialKeyBefore(text, at);
}

/**
 * `text` with each token that line breaks cut in pieces replaced, every piece: a terminal or `fold` wraps a long line
 * at its width, and no piece is long enough for its format. A line that ends in a word holding a token's start
 * ({@link PARTIAL_TOKEN_FORMATS}; the start may run on into the next line) is read joined to the word that starts
 * the next line, behind the prefix the two lines share (a timestamp, a service's name), and on to the line after
 * while that word fills its line; a match of a format across a line break is replaced on each line, the breaks and
 * prefixes kept. When the first line's piece is a whole token by itself, the next line's word is taken only when it
 * reads as generated ({@link readsGenerated}): `Done` after a token is a word. Linear: a line's words are read once as
 * its last and once as its first, {@link PARTIAL_TOKEN_WINDOW} characters at most, and the formats read the joins
 * once.
 */
export function redactWrappedTokens(text: string): string {
  const joins = new RewrittenWindows();
  let joined = false;
  let lineStart = 0;
  for (let lineEnd = text.indexOf('\n'); lineEnd !== -1; lineEnd = text.indexOf('\n', lineStart)) {
    const contentEnd = endBeforeReturn(text, lineStart, lineEnd);
    const tailStart = wordStartBefore(text, contentEnd, lineStart);
    let head = tailStart < contentEnd ? wordAfterBreak(text, lineStart, lineEnd) : null;
    const tokenAt = head === null ? -1 : tokenStartIn(text, tailStart, contentEnd, head);
    if (tokenAt >= 0 && head !== null) {
      joins.open();
      joins.keep(text, tokenAt, contentEnd);
      joined = true;
      let read = contentEnd - tokenAt;
      for (;;) {
        joins.keep(text, head.start, head.end);
        read += head.end - head.start;
        if (!head.fillsLine || head.lineEnd === text.length || read >= 2 * PARTIAL_TOKEN_WINDOW) break;
        // The word fills its line: the token may go on on the next one. That line is read whole, as a last word.
        const following = wordAfterBreak(text, lineEnd + 1, head.lineEnd);
        if (following === null) break;
        lineEnd = head.lineEnd;
        head = following;
      }
    }
    lineStart = lineEnd + 1;
  }
  if (!joined) return text;
  const copy = joins.text;
  const { starts, ends } = joins;
  const found: FoundStretch[] = [];
  for (const { pattern, start: formatStart } of PARTIAL_TOKEN_FORMATS) {
    const { ranges, markers } = patternReplacements(copy, pattern);
    for (let r = 0; r < ranges.length; r += 2) {
      const start = ranges[r] as number;
      const end = ranges[r + 1] as number;
      if (starts.subarray(start, end).includes(-1)) continue;
      // The line breaks: where the stretch of the text a unit reads does not go on from the one before.
      const breaks = [start];
      for (let unit = start + 1; unit < end; unit++) if (starts[unit] !== ends[unit - 1]) breaks.push(unit);
      if (breaks.length === 1) continue;
      const firstBreak = breaks[1] as number;
      // A first piece that is a whole token, or its start alone (`… start with AKIA`, `scipy, sk-`: prose naming
      // it), says nothing of what follows: the rest must read as generated itself.
      const firstPieceSaysNothing = firstBreak - start <= formatStart.minLength || patternReplacements(copy.slice(start, firstBreak), pattern).ranges[0] === 0;
      if (firstPieceSaysNothing && !restOfToken(pattern, copy.slice(firstBreak, end), text, starts[start] as number)) continue;
      breaks.push(end);
      const marker = markers[r / 2] as string;
      for (let b = 0; b + 1 < breaks.length; b++) {
        found.push({ start: starts[breaks[b] as number] as number, end: ends[(breaks[b + 1] as number) - 1] as number, marker, order: found.length });
      }
    }
  }
  return withFoundReplaced(text, found);
}

/** What a CI prints for a value it masks: GitHub's and Jenkins' `***`, GitLab's `[MASKED]`, Travis's `[secure]`. */
const CI_MASK = /\*{3,}|\[(?:MASKED|masked|secure|FILTERED|filtered)\]/g;
/**
 * A token's start and what follows it in its format's characters, to the end of the text: which format's by the
 * group that matched (the formats' order, most specific first).
 */
const TRUNCATED_TOKEN = new RegExp(PARTIAL_TOKEN_FORMATS.map(({ start }) => `(${start.prefix})${start.body ?? '[A-Za-z0-9_-]'}+$`).join('|'), 'y');
/**
 * A token's visible body that is lower-case words (`sk-learn***`, `npm_config***`): a word that begins like a token, not
 * a generated body, which would hold a digit or a capital long before that.
 */
const WORDS = /^[a-z]+(?:[-_.][a-z]+)*$/;
/** How many token starts before one mask are tried (`sk-learn-ghp_…`: the first is not always the token's). */
const MAX_STARTS_BEFORE_A_MASK = 4;

/**
 * `text` with the visible part of each token whose tail a CI masked replaced: masking by value leaves a token's start
 * when the registered secret was a shorter or derived string (`ghp_R8kz3Qm1***`). A token's start
 * ({@link PARTIAL_TOKEN_FORMATS}) followed by one character or more of its format up to the mask is replaced, the mask
 * kept; a start alone (`ghp_***`) shows nothing of the token. Linear: each mask reads the word before it, back to the
 * mask before, {@link PARTIAL_TOKEN_WINDOW} characters at most.
 */
export function redactMaskedTokenParts(text: string): string {
  const found: FoundStretch[] = [];
  let floor = 0;
  CI_MASK.lastIndex = 0;
  for (let mask = CI_MASK.exec(text); mask !== null; mask = CI_MASK.exec(text)) {
    const maskStart = mask.index;
    const wordStart = wordStartBefore(text, maskStart, floor);
    floor = maskStart + mask[0].length;
    const visible = text.slice(wordStart, maskStart);
    let start = wordStart;
    for (let tried = 0; tried < MAX_STARTS_BEFORE_A_MASK && start < maskStart; tried++) {
      const at = tokenStartIn(text, start, maskStart);
      if (at < 0) break;
      TRUNCATED_TOKEN.lastIndex = at - wordStart;
      const token = TRUNCATED_TOKEN.exec(visible);
      const group = token === null ? -1 : token.slice(1).findIndex((matched) => matched !== undefined);
      if (token !== null && !WORDS.test(token[0].slice((token[group + 1] as string).length))) {
        const { pattern } = PARTIAL_TOKEN_FORMATS[group] as { pattern: SecretPattern };
        found.push({ start: at, end: maskStart, marker: replacement(pattern.id, ''), order: found.length });
        break;
      }
      start = at + 1;
    }
  }
  return withFoundReplaced(text, found);
}
