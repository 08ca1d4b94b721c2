/**
 * Failure fingerprints: the same failure seen in another run, on another commit or another runner must hash the
 * same, so everything that varies between runs is masked before hashing. The masked text (the template) is kept
 * too, for similarity search in the knowledge base.
 */
import { createHash } from 'node:crypto';
import { stripAnsi } from './reader.js';

/**
 * What a line has that masking can take away but never add, read in one pass over it ({@link factsOf}). The
 * tokens a mask writes hold no digit, `-`, `:` or weekday name, start with `<` or `~` and hold no hexadecimal run,
 * so a fact missing from the line is missing from every text the masks make of it: a mask whose expression needs
 * that fact cannot match, and its regex is not run (exact, not a heuristic; a unit test compares with running all).
 */
const HAS_DIGIT = 1;
/** Four or more digits in a row (a year), */
const DIGITS_4 = 2;
/** … followed by `-` or `/` (a date), */
const DATE_START = 4;
/** … followed by `-` (an ISO timestamp). */
const ISO_START = 8;
/** A digit, `:` and a digit (a clock time). */
const CLOCK = 16;
/** One or two digits between spaces (a day of the month). */
const DAY = 256;
/** One of the path prefixes the path masks need ({@link PATH_HINT_RE}). */
const PATH = 512;
/** A run of 7 or more hexadecimal characters with a digit and a letter (a digest). */
const HEX_RUN = 32;
/** A digit followed, perhaps after one space, by the first letter of a duration unit (`ms`, `s`, `h`, `µs`, …), */
const DURATION = 64;
/** … or of a size unit (`KiB`, `MB`, `bytes`, …). */
const SIZE = 128;

/**
 * One mask: what it matches, the token it writes, and its gate: the facts (see {@link HAS_DIGIT}) its expression
 * needs, and strings of which it needs one (checked on the text so far). A failed gate skips the regex.
 */
interface Mask {
  readonly re: RegExp;
  readonly token: string;
  readonly facts: number;
  readonly anyOf: readonly string[];
}

const mask = (re: RegExp, token: string, facts: number, anyOf: readonly string[] = []): Mask => ({ re, token, facts, anyOf });

// Order matters: specific shapes (timestamps, UUIDs, paths) are masked before the generic number rule eats them.
// On error-dense logs normalisation runs once per line, and the gates skip most masks on facts read once or one
// `indexOf`. Gates only skip regexes that would have replaced nothing.
/** Exported for the test that checks the gates: running every mask on every line must give the same templates. */
export const MASKS: readonly Mask[] = [
  // ISO / RFC 3339 / common log timestamps and clock times.
  mask(/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g, '<ts>', ISO_START | CLOCK),
  mask(/\b\d{4}[-/]\d\d[-/]\d\d\b/g, '<date>', DATE_START),
  mask(/\b\d{1,2}:\d\d:\d\d(?:[.,]\d+)?\b/g, '<time>', CLOCK),
  mask(/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b/g, '<date>', DIGITS_4 | DAY, ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']),
  mask(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>', 0, ['-']),
  // Temporary directories differ per run: /tmp/tmp.x1Y2, /var/folders/ab/xyz/T/…, C:\Users\x\AppData\Local\Temp\…
  mask(/(?:\/private)?\/var\/folders\/[^\s/]+\/[^\s/]+\/T\/[^\s/:'")\]]*/g, '<tmp>', PATH, ['/var/folders/']),
  mask(/\/tmp\/[^\s/:'")\]]*/g, '<tmp>', PATH, ['/tmp/']),
  mask(/[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\s\\:'")\]]*/gi, '<tmp>', PATH, ['\\']),
  mask(/\b(?:go-build|tmp|temp)[-_.]?(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{4,}\b/g, '<tmp>', HAS_DIGIT, ['tmp', 'temp', 'go-build']),
  // Checkout roots differ by CI system and runner OS; the path inside the repository is what identifies the file.
  mask(/(?:\/home\/runner\/work|\/Users\/runner\/work|[A-Za-z]:\\a|\/__w)\/[^/\s]+\/[^/\s]+\//g, '<ws>/', PATH, ['/runner/work/', '/__w/', ':\\a/']),
  mask(/(?:\/home\/travis\/build|\/Users\/travis\/build|\/builds|\/var\/lib\/jenkins\/workspace|\/home\/circleci)\/(?:[^/\s]+\/){1,2}/g, '<ws>/', PATH, ['/builds/', '/travis/build/', '/var/lib/jenkins/workspace/', '/home/circleci/']),
  mask(/\/home\/[^/\s]+\//g, '~/', PATH, ['/home/']),
  // Hex digests and commit SHAs (need a digit so words like "deadbeef"-looking English survive only if unlikely).
  mask(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi, '<hex>', HEX_RUN),
  mask(/\b0x[0-9a-f]+\b/gi, '<hex>', HAS_DIGIT, ['0x', '0X']),
  // Durations, sizes and then any remaining number (line:col, counts, ports, PIDs).
  mask(/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|m|min|minutes?|h|hours?|µs|us|ns)\b/g, '<dur>', DURATION),
  mask(/\b\d+(?:\.\d+)?\s?(?:[KMGT]i?B|bytes?)\b/g, '<size>', SIZE),
  mask(/\d+(?:[.,]\d+)*/g, '<n>', HAS_DIGIT),
];

/**
 * Whether a line holds one of the strings some path mask needs (a `/`-wrapped temporary, checkout or home prefix,
 * a backslash): one test for all of them, built from the masks' own lists. Tokens end in `>` or `/`, and those
 * ending in `/` replaced text ending in `/`, so masking cannot make one.
 */
export const PATH_HINT_RE = new RegExp(
  MASKS.filter((m) => (m.facts & PATH) !== 0)
    .flatMap((m) => m.anyOf)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('|'),
);

/**
 * Whitespace that collapsing and trimming would change: any but a space, two in a row, or one at an end (`trim`
 * removes what `\s` matches). Most lines have none, and are then returned without building a copy.
 */
const UNTIDY_SPACE_RE = /[^\S ]| {2}|^ | $/;

function includesAny(text: string, strings: readonly string[]): boolean {
  for (let i = 0; i < strings.length; i++) if (text.includes(strings[i]!)) return true;
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHexLetter(c: number): boolean {
  return (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

/** Whether `c` may be a `\s` (every code unit above ASCII counts: a gate may only err towards running a mask). */
function maybeSpace(c: number): boolean {
  return c <= 32 || c >= 0x80;
}

/** First letters of the duration units (`m`, `s`, `h`, `µ`, `u`, `n`) and of the size units (`K`, `M`, `G`, `T`, `b`). */
function startsDuration(c: number): boolean {
  return c === 109 || c === 115 || c === 104 || c === 0xb5 || c === 117 || c === 110;
}

function startsSize(c: number): boolean {
  return c === 75 || c === 77 || c === 71 || c === 84 || c === 98;
}

/** Runs of digits: {@link factsOf} jumps from one to the next (a regex scans faster than a loop over the characters). */
const DIGIT_RUN_RE = /\d+/g;

function isHexadecimal(c: number): boolean {
  return isDigit(c) || isHexLetter(c);
}

/**
 * The facts (see {@link HAS_DIGIT}) of `text`. All but {@link PATH} need a digit, so only the text around each run
 * of digits is read: the characters next to it, and for {@link HEX_RUN} the hexadecimal run it sits in.
 */
export function factsOf(text: string): number {
  let facts = 0;
  const n = text.length;
  let hexReadTo = 0;
  DIGIT_RUN_RE.lastIndex = 0;
  while (DIGIT_RUN_RE.test(text)) {
    const end = DIGIT_RUN_RE.lastIndex;
    let start = end - 1;
    while (start > 0 && isDigit(text.charCodeAt(start - 1))) start--;
    const digits = end - start;
    facts |= HAS_DIGIT;
    const c = end < n ? text.charCodeAt(end) : -1;
    if (digits >= 4) {
      facts |= DIGITS_4;
      if (c === 45) facts |= DATE_START | ISO_START;
      else if (c === 47) facts |= DATE_START;
    }
    if (digits <= 2 && c === 32 && start > 0 && text.charCodeAt(start - 1) === 32) facts |= DAY;
    if (c === 58 && end + 1 < n && isDigit(text.charCodeAt(end + 1))) facts |= CLOCK;
    const unit = maybeSpace(c) && end + 1 < n ? text.charCodeAt(end + 1) : c;
    if (startsDuration(c) || startsDuration(unit)) facts |= DURATION;
    if (startsSize(c) || startsSize(unit)) facts |= SIZE;
    if ((facts & HEX_RUN) === 0 && end > hexReadTo) {
      let from = start;
      while (from > 0 && isHexadecimal(text.charCodeAt(from - 1))) from--;
      let to = end;
      while (to < n && isHexadecimal(text.charCodeAt(to))) to++;
      hexReadTo = to;
      if (to - from >= 7) for (let i = from; i < to; i++) if (!isDigit(text.charCodeAt(i))) facts |= HEX_RUN;
    }
  }
  return facts;
}

/**
 * Templates by digit shape (see {@link normalizeLine}); cleared when full, so memory stays bounded on a log
 * whose every line has a new shape.
 */
const TEMPLATES = new Map<string, string>();
const MAX_TEMPLATES = 2048;
const MAX_CACHED_CHARS = 600;
/** Every digit but the `0` of `0x`/`0X` (the only digit the masks spell out). */
const SHAPE_DIGIT_RE = /[1-9]|0(?![xX])/g;

/**
 * Masks the run-specific parts of one line (see {@link MASKS}) and collapses whitespace.
 *
 * Error-dense logs normalise a line per failure (a million compiler errors that differ in their numbers), so the
 * result is cached under the line's *digit shape*: the text with every digit written as `1`, except a `0`
 * before `x`/`X`. That is exact, not a heuristic: every character class of the masks (and of the ANSI patterns)
 * holds either all ten digits or none, the only digit written literally is the `0` of `0x` (kept, and never
 * produced), and the last mask turns every digit left into `<n>`. So two lines with one shape match the masks
 * at the same places and yield the same template (a unit test checks this on every sample line).
 */
export function normalizeLine(text: string): string {
  if (text.length > MAX_CACHED_CHARS) return normalizeUncached(text);
  // Consecutive failures of one kind usually share a shape (a compiler's errors, a test runner's repeats): one
  // comparison, without building the shape string, answers most calls.
  if (sameShape(text, lastText)) return lastTemplate;
  let template: string | undefined;
  if (unmemoizedLeft > 0) {
    unmemoizedLeft--;
    template = normalizeUncached(text);
  } else {
    const shape = text.replace(SHAPE_DIGIT_RE, '1');
    template = TEMPLATES.get(shape);
    if (template === undefined) {
      template = normalizeUncached(text);
      if (TEMPLATES.size >= MAX_TEMPLATES) TEMPLATES.clear();
      TEMPLATES.set(shape, template);
      if (++missesInARow === MISSES_BEFORE_REST) {
        missesInARow = 0;
        unmemoizedLeft = REST_LINES;
      }
    } else missesInARow = 0;
  }
  lastText = text;
  lastTemplate = template;
  return template;
}

/**
 * When the memo keeps missing (lines that differ in words: every one a new shape), building the shape and storing
 * it costs more than it saves, so after {@link MISSES_BEFORE_REST} misses in a row the next {@link REST_LINES}
 * lines are normalised without it; the memo is tried again after them.
 */
let missesInARow = 0;
let unmemoizedLeft = 0;
const MISSES_BEFORE_REST = 256;
const REST_LINES = 4096;

/** The last line normalised and its template (starting from the empty line, so the pair is always true). */
let lastText = '';
let lastTemplate = normalizeUncached('');

/**
 * Whether `a` and `b` have one digit shape (see {@link normalizeLine}), without building either shape. Any pattern
 * whose classes hold all ten digits or none, and that spells out no digit but a `0x`, answers alike for both.
 */
export function sameShape(a: string, b: string): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    // A differing pair keeps the shape when both are digits, unless one of them is the 0 of 0x (the other is then
    // not a 0; at the end the pair itself is read again, a digit, no x). Every operation runs at every differing
    // pair: V8 often optimises this before a log's first pair of differing digits, and an operation it never saw
    // run (the second digit test, the 0x check) threw away the optimised code of the block closing it is inlined into.
    const notDigits = (ca - 48) | (57 - ca) | (cb - 48) | (57 - cb);
    const nextAt = i + 1;
    const next = a.charCodeAt(nextAt < n ? nextAt : i);
    const zeroOfHex = (Math.min(ca ^ 48, cb ^ 48) | ((next | 32) ^ 120)) === 0;
    if (notDigits < 0 || zeroOfHex) return false;
  }
  return true;
}

/** {@link normalizeLine} without the cache (exported for the test that checks the cache is exact). */
export function normalizeUncached(text: string): string {
  let out = stripAnsi(text);
  let facts = factsOf(out);
  if (PATH_HINT_RE.test(out)) facts |= PATH;
  for (let m = 0; m < MASKS.length; m++) {
    const { re, token, facts: needed, anyOf } = MASKS[m]!;
    if ((facts & needed) !== needed || (anyOf.length > 0 && !includesAny(out, anyOf))) continue;
    out = out.replace(re, token);
  }
  return UNTIDY_SPACE_RE.test(out) ? out.replace(/\s+/g, ' ').trim() : out;
}

/**
 * Runs of `\w` of 8 or more letters and `_` that no mask's expression can take a letter of but the path masks: those
 * with a letter past `f` or a `_` (the hexadecimal masks need a digit or hexadecimal letters only) that are not a
 * capital and small letters (a month's name: `1 December 2024`). The other masks need a digit in the word (`12ms`,
 * `tmp.x1y2`, `01T10`) or take shorter words (`5 seconds`, `3 KiB`, `Mon,`, `go-build`, `tmp-`). Short words and
 * capitalised ones are left out: they are not the ones that tell failures apart. Linear: a run is tried from its
 * start alone, and given up at its first digit.
 */
const UNMASKABLE_WORD_RE = /\b(?![A-Z][a-z]*\b|[A-Fa-f]+\b)[A-Za-z_]{8,}\b/g;

/** The words of `template` that {@link templateHoldsWordOutside} may ask about (see {@link UNMASKABLE_WORD_RE}). */
export function wordsOf(template: string): string[] {
  return template.match(UNMASKABLE_WORD_RE) ?? [];
}

/**
 * Whether {@link normalizeLine}`(text)` surely holds a word (see {@link wordsOf}) that `words` does not, told without
 * building it: a word no mask can take stays in the template as it is, and a whole word there too (every token starts
 * and ends with a character that is not `\w`). False when the line holds a path prefix (the path masks take any
 * character) or when each such word is in `words`. `noPathHint`: the caller knows that `text` holds none (the
 * literal index read it); stripping codes can join one, so the stripped text is still asked when it differs.
 */
export function templateHoldsWordOutside(text: string, words: ReadonlySet<string>, noPathHint = false): boolean {
  const out = stripAnsi(text);
  if ((!noPathHint || out !== text) && PATH_HINT_RE.test(out)) return false;
  // Word by word, to stop at the first one outside (most heads of an error-dense log have one early), instead of
  // matching them all first: 9.17 -> 8.73 G instructions on errors-words-30 (docs/performance.md, session 63).
  UNMASKABLE_WORD_RE.lastIndex = 0;
  for (let word = UNMASKABLE_WORD_RE.exec(out); word !== null; word = UNMASKABLE_WORD_RE.exec(out)) {
    if (!words.has(word[0])) return true;
  }
  return false;
}

/**
 * Computes a stable fingerprint for a failure text (one line or several, `\n`-separated). Blank lines are ignored
 * and at most the first 8 lines count, so a longer or shorter stack tail does not change the identity.
 *
 * @returns `fingerprint`: 16 hex characters of SHA-256 over the template; `template`: the normalized text.
 */
export function fingerprintOf(text: string): { fingerprint: string; template: string } {
  const template = text
    .split('\n')
    .map(normalizeLine)
    .filter((l) => l !== '')
    .slice(0, 8)
    .join('\n');
  const fingerprint = createHash('sha256').update(template).digest('hex').slice(0, 16);
  return { fingerprint, template };
}
