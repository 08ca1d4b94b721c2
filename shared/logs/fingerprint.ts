/**
 * Failure fingerprints: the same failure seen in another run, on another commit or another runner must hash the
 * same, so everything that varies between runs is masked before hashing. The masked text (the template) is kept
 * too, for similarity search in the knowledge base.
 */
import { createHash } from 'node:crypto';
import { stripAnsi } from './reader.js';

/**
 * A cheap test on the text so far (`digits`: whether the line had a digit at all; masking never adds one): when
 * it fails, the mask cannot match and its regex is not run.
 */
type Gate = (text: string, digits: boolean) => boolean;
const DIGIT_RE = /\d/;
const hasDigit: Gate = (_t, digits) => digits;

// Order matters: specific shapes (timestamps, UUIDs, paths) are masked before the generic number rule eats them.
// Each mask has a gate (text it cannot match without); on error-dense logs normalisation runs once per line, and
// most masks are then skipped with one `indexOf`. Gates only skip regexes that would have replaced nothing.
const MASKS: ReadonlyArray<readonly [RegExp, string, Gate]> = [
  // ISO / RFC 3339 / common log timestamps and clock times.
  [/\b\d{4}-\d\d-\d\d[T ]\d\d:\d\d(?::\d\d(?:[.,]\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g, '<ts>', (t, d) => d && t.includes('-') && t.includes(':')],
  [/\b\d{4}[-/]\d\d[-/]\d\d\b/g, '<date>', (t, d) => d && (t.includes('-') || t.includes('/'))],
  [/\b\d{1,2}:\d\d:\d\d(?:[.,]\d+)?\b/g, '<time>', (t, d) => d && t.includes(':')],
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),? \d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{4}\b/g, '<date>', hasDigit],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<uuid>', (t) => t.includes('-')],
  // Temporary directories differ per run: /tmp/tmp.x1Y2, /var/folders/ab/xyz/T/…, C:\Users\x\AppData\Local\Temp\…
  [/(?:\/private)?\/var\/folders\/[^\s/]+\/[^\s/]+\/T\/[^\s/:'")\]]*/g, '<tmp>', (t) => t.includes('/var/folders/')],
  [/\/tmp\/[^\s/:'")\]]*/g, '<tmp>', (t) => t.includes('/tmp/')],
  [/[A-Za-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\s\\:'")\]]*/gi, '<tmp>', (t) => t.includes('\\')],
  [/\b(?:go-build|tmp|temp)[-_.]?(?=[0-9A-Za-z]*\d)[0-9A-Za-z]{4,}\b/g, '<tmp>', (t, d) => d && (t.includes('tmp') || t.includes('temp') || t.includes('go-build'))],
  // Checkout roots differ by CI system and runner OS; the path inside the repository is what identifies the file.
  [/(?:\/home\/runner\/work|\/Users\/runner\/work|[A-Za-z]:\\a|\/__w)\/[^/\s]+\/[^/\s]+\//g, '<ws>/', (t) => t.includes('/')],
  [/(?:\/home\/travis\/build|\/Users\/travis\/build|\/builds|\/var\/lib\/jenkins\/workspace|\/home\/circleci)\/(?:[^/\s]+\/){1,2}/g, '<ws>/', (t) => t.includes('/')],
  [/\/home\/[^/\s]+\//g, '~/', (t) => t.includes('/home/')],
  // Hex digests and commit SHAs (need a digit so words like "deadbeef"-looking English survive only if unlikely).
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi, '<hex>', hasDigit],
  [/\b0x[0-9a-f]+\b/gi, '<hex>', (t, d) => d && (t.includes('0x') || t.includes('0X'))],
  // Durations, sizes and then any remaining number (line:col, counts, ports, PIDs).
  [/\b\d+(?:\.\d+)?\s?(?:ms|s|sec|secs|seconds?|m|min|minutes?|h|hours?|µs|us|ns)\b/g, '<dur>', hasDigit],
  [/\b\d+(?:\.\d+)?\s?(?:[KMGT]i?B|bytes?)\b/g, '<size>', hasDigit],
  [/\d+(?:[.,]\d+)*/g, '<n>', hasDigit],
];

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
  const shape = text.replace(SHAPE_DIGIT_RE, '1');
  let template = TEMPLATES.get(shape);
  if (template === undefined) {
    template = normalizeUncached(text);
    if (TEMPLATES.size >= MAX_TEMPLATES) TEMPLATES.clear();
    TEMPLATES.set(shape, template);
  }
  lastText = text;
  lastTemplate = template;
  return template;
}

/** The last line normalised and its template (starting from the empty line, so the pair is always true). */
let lastText = '';
let lastTemplate = normalizeUncached('');

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

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
    if (!isDigit(ca) || !isDigit(cb)) return false;
    // A differing pair of digits keeps the shape unless one of them is the 0 of 0x (the other is then not a 0).
    if ((ca === 48 || cb === 48) && i + 1 < n) {
      const next = a.charCodeAt(i + 1);
      if (next === 120 || next === 88) return false;
    }
  }
  return true;
}

/** {@link normalizeLine} without the cache (exported for the test that checks the cache is exact). */
export function normalizeUncached(text: string): string {
  let out = stripAnsi(text);
  const digits = DIGIT_RE.test(out);
  for (const [re, token, gate] of MASKS) if (gate(out, digits)) out = out.replace(re, token);
  return out.replace(/\s+/g, ' ').trim();
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
