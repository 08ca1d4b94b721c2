/**
 * Secrets behind URL encoding: a token glued to a `%XX` escape, and URL-encoded runs decoded and read one level
 * down.
 */
import { BASE64_MIN_STRING, type HoldSecrets } from './decoded-text.js';
import type { InflateAllowance } from './inflate.js';
import { PATTERNS_IN_USE } from './patterns.js';
import { MARKER, withRangesReplaced } from './replacements.js';

/**
 * The most common token formats right after a URL-encoded character (`?k%3DAKIA…`, `token%3Dghp_…`), where their
 * leading `\b` cannot hold: the same patterns without it, so V8 still scans for the literal prefix; the `%XX`
 * before a match is checked on the match.
 */
const URL_ENCODED_GLUE: ReadonlyArray<{ id: string; re: RegExp }> = PATTERNS_IN_USE.filter((pattern) =>
  ['aws-access-key-id', 'github-token', 'github-pat', 'slack-token'].includes(pattern.id),
).map(({ id, re }) => ({ id, re: new RegExp(re.source.replace(/^\\b/, ''), re.flags) }));

export function redactUrlEncodedGlue(text: string): string {
  if (text.indexOf('%') === -1) return text;
  let out = text;
  for (const { id, re } of URL_ENCODED_GLUE) {
    re.lastIndex = 0;
    out = out.replace(re, (match: string, offset: number, whole: string) =>
      offset >= 3 && whole.charCodeAt(offset - 3) === 37 /* % */ && /^[0-9A-Fa-f]{2}$/.test(whole.slice(offset - 2, offset)) ? `[REDACTED:${id}]` : match,
    );
  }
  return out;
}

/**
 * URL-encoded text: runs of URL-safe characters around `%XX` escapes, as a `next=` parameter or a form body holds a
 * URL or a JSON document (`https%3A%2F%2Fuser%3Apw%40host`, `%7B%22password%22%3A%22…`), whose credentials no
 * pattern reads while `:`, `@` and `"` are escaped. A run is found from an escape outwards: a pattern for the whole
 * run has no literal prefix to scan for and cost ~10 % of redacting a plain log.
 */
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;
const PERCENT_DECODE = /%([0-9A-Fa-f]{2})/g;
const URL_CHAR = /[\w.~!*'()+%-]/;

/**
 * `text` with every URL-encoded run that decodes to a secret replaced by `[REDACTED:url-encoded-secret]`: the runs
 * are decoded (as UTF-8) and redacted together one level down, as base64 runs are ({@link redactBase64}), so a run
 * encoded twice is decoded twice. A run shorter than the shortest secret a rule takes is left alone.
 */
export function redactPercentEncoded(text: string, depth: number, allowance: InflateAllowance, holdSecrets: HoldSecrets): string {
  if (text.indexOf('%') === -1) return text;
  const ranges: number[] = [];
  const decoded: string[] = [];
  /** For each decoded text, the index of its run: a run holding a `+` is read twice. */
  const runOf: number[] = [];
  PERCENT_ESCAPE.lastIndex = 0;
  for (let escape = PERCENT_ESCAPE.exec(text); escape !== null; escape = PERCENT_ESCAPE.exec(text)) {
    let start = escape.index;
    while (start > 0 && URL_CHAR.test(text.charAt(start - 1))) start -= 1;
    let end = escape.index + 3;
    while (end < text.length && URL_CHAR.test(text.charAt(end))) end += 1;
    PERCENT_ESCAPE.lastIndex = end;
    if (end - start < BASE64_MIN_STRING) continue;
    ranges.push(start, end);
    // The run is ASCII: its escapes become bytes one to one, then read as UTF-8.
    const run = text.slice(start, end);
    decoded.push(percentDecoded(run));
    runOf.push(ranges.length / 2 - 1);
    // Form encoding (a form body, a query) writes a space as `+`; elsewhere `+` is itself (base64 in a path).
    if (run.includes('+')) {
      decoded.push(percentDecoded(run.replace(/\+/g, '%20')));
      runOf.push(ranges.length / 2 - 1);
    }
  }
  if (decoded.length === 0) return text;
  const holding = holdSecrets(decoded, depth + 1, allowance);
  const secretRuns = new Set(runOf.filter((_, i) => holding[i]));
  return withRangesReplaced(text, ranges.filter((_, i) => secretRuns.has(i >> 1)), `${MARKER}url-encoded-secret]`);
}

const percentDecoded = (run: string): string => Buffer.from(run.replace(PERCENT_DECODE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
