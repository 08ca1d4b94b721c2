import { MAX_LINE_CHARS } from '../reader.js';
import { decodedText, type HoldSecrets, textInBytes } from './decoded-text.js';
import type { InflateAllowance } from './inflate.js';
import { MARKER, withRangesReplaced } from './replacements.js';

/**
 * Base64 runs that may hide a secret: a Kubernetes `.dockerconfigjson: eyJ…`, `CREDS_B64=<base64 of user:ghp_…>`,
 * `echo "$TOKEN" | base64` to get past a CI system's masking. A run of {@link BASE64_MIN_CHARS} or more base64 or
 * base64url characters (one alphabet, both letter cases) is decoded, the text its bytes hold ({@link textInBytes}:
 * UTF-8 text, or the strings inside binary data, and UTF-16 text; and the same of what its compressed data inflates
 * to, {@link inflatedParts}) is redacted again, and the whole run is replaced when anything in it is a secret. Paths (`/usr/lib/x86_64-linux-gnu`) and identifiers fail the alphabet or case
 * check before decoding; random data holds no string long enough for a pattern to match.
 *
 * Bounded: a run is decoded whole, and the runs of a line up to {@link BASE64_MAX_CHARS_PER_LINE} characters in
 * all, twice the longest line the log reader keeps, so every line of a log is read to its end; a run past that
 * budget is withheld unread (`[REDACTED:base64-unread]`). Base64 inside decoded base64 (the `auth` field of a
 * docker config) is followed {@link BASE64_MAX_DEPTH} levels deep. A blob wrapped over several lines is read whole
 * as well ({@link WrappedBlock}). Each character is decoded at most twice per level (a wrapped line: with its blob,
 * and alone), and the texts decoded from one text are redacted together, in one pass of the patterns (see
 * {@link redactTexts}), so redaction stays linear and a run costs about what its characters cost in a plain log.
 * Not handled: a run glued to a prefix of word characters (`KEY_B64_eyJ…`), which shifts the decoding.
 */
export const BASE64_MIN_CHARS = 24;
// The lookbehind starts each attempt at the beginning of a run: without it a short word is rescanned from each
// of its characters, which doubles the cost of the pass on ordinary logs.
const BASE64_RUN = new RegExp(`(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{${BASE64_MIN_CHARS},}={0,2}`, 'g');
export const BASE64_MAX_CHARS_PER_LINE = 2 * MAX_LINE_CHARS;
export const BASE64_MAX_DEPTH = 2;
export const SECRET_MARKER = `${MARKER}base64-secret]`;
export const UNREAD_MARKER = `${MARKER}base64-unread]`;

/** The run without its padding when it can be base64 at all (the cheap checks), else null. */
export function base64Body(run: string): string | null {
  const body = run.replace(/(?<!=)=+$/, '');
  if (body.length % 4 === 1) return null; // not a whole number of bytes
  if (/[+/]/.test(body) && /[-_]/.test(body)) return null; // two alphabets: a path or a name, not base64
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body)) return null;
  return body;
}

/** A base64 run of a text: where it is, and the text it decodes to or why it is replaced unread. */
interface Base64Run {
  readonly start: number;
  readonly end: number;
  readonly decoded: string | null;
  /** What replaces it when it holds a secret: {@link SECRET_MARKER}, or {@link HEX_MARKER} for hex. */
  readonly marker: string;
}

/**
 * Hex of text, as `xxd -p`, `od -An -tx1` without spaces or a `0x…` literal print it (`echo $TOKEN | xxd -p` to get
 * past a CI system's masking): pairs of hex digits of one case, `0x` in front or not. The base64 run finder finds it
 * (hex digits are base64 characters) and the base64 check refuses it (one letter case), so it is read here, as text
 * ({@link textInBytes}): a digest's random bytes hold no string a pattern reads.
 */
const HEX_RUN = /^(?:0x)?((?:[0-9a-f]{2})+|(?:[0-9A-F]{2})+)$/;
export const HEX_MARKER = `${MARKER}hex-secret]`;

/** The text the hex run `run` holds ({@link HEX_RUN}); null when it is not hex. */
export function hexText(run: string): string | null {
  const hex = HEX_RUN.exec(run)?.[1];
  return hex === undefined ? null : textInBytes(Buffer.from(hex, 'hex'));
}

/** `text` with every base64 run that decodes to a secret replaced: runs are decoded first, then read together. */
export function redactBase64(text: string, depth: number, allowance: InflateAllowance, holdSecrets: HoldSecrets): string {
  const runs: Base64Run[] = [];
  let lineEnd = -1;
  let budget = 0;
  BASE64_RUN.lastIndex = 0;
  for (let match = BASE64_RUN.exec(text); match !== null; match = BASE64_RUN.exec(text)) {
    const start = match.index;
    if (start > lineEnd) {
      lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      budget = BASE64_MAX_CHARS_PER_LINE;
    }
    const end = start + match[0].length;
    // Hex (with `0x` in front, both letter cases pass the base64 check) costs no more to read than to find.
    const hex = hexText(match[0]);
    if (hex !== null) {
      if (hex) runs.push({ start, end, decoded: hex, marker: HEX_MARKER });
      continue;
    }
    // Only runs that can be base64 count against the budget: decoy words cannot use it up.
    const body = base64Body(match[0]);
    if (body === null) continue;
    if (body.length > budget) {
      runs.push({ start, end, decoded: null, marker: SECRET_MARKER });
      continue;
    }
    budget -= body.length;
    const decoded = decodedText(Buffer.from(body, 'base64'), allowance);
    if (decoded === null || decoded.length > 0) runs.push({ start, end, decoded, marker: SECRET_MARKER });
  }
  if (runs.length === 0) return text;
  const decodedRuns = runs.filter((run) => run.decoded !== null);
  const holding = holdSecrets(decodedRuns.map((run) => run.decoded as string), depth + 1, allowance);
  const secret = new Set(decodedRuns.filter((_, i) => holding[i]));
  const ranges: number[] = [];
  const markers: string[] = [];
  for (const run of runs) {
    if (run.decoded !== null && !secret.has(run)) continue;
    ranges.push(run.start, run.end);
    markers.push(run.decoded === null ? UNREAD_MARKER : run.marker);
  }
  return withRangesReplaced(text, ranges, markers);
}
