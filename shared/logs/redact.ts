/**
 * Secret redaction for every text that leaves the first stage that sees it (ingest, classify, the CLI): the
 * incident table, the Step Functions input, the LLM prompt, PR comments, e-mails and logs.
 *
 * Two layers:
 * - **Formats**: tokens with a recognisable shape (fixed prefix, fixed length, checksum-like tail). These are
 *   redacted wherever they appear, whatever surrounds them.
 * - **Generic rules**: a value after a secret-sounding key (`password=`, `api_key:`), a CLI flag (`--password x`,
 *   `mysql -pX`, `curl -u user:pass`, `sshpass -p x`) or an `Authorization:`-style header. The value must look
 *   like a secret ({@link looksLikeSecretValue}: not a placeholder or variable, enough entropy for its length),
 *   which keeps compiler output such as `Unexpected token: punc` intact.
 *
 * ANSI codes and invisible characters are stripped first: a coloured log can split a token with escape codes
 * (`ghp_ab\x1b[0mcd…`) or zero-width spaces, which would otherwise slip past every pattern. Patterns are
 * anchored on fixed prefixes or bounded character classes so they run in linear time on hostile input.
 *
 * This module runs the readers in `./redaction/` in their order ({@link redactTexts}): the pattern table
 * (`patterns.ts`), and the readers of what hides a secret from it: look-alike letters, a token cut by a line break or a
 * CI's mask (`partial-tokens.ts`), JSON escapes, base64 and hex (wrapped too, or cut by an excerpt's ends), compressed
 * data inside those, and URL encoding.
 */
import { RedactionError } from '../errors.js';
import { stripHidden } from '../invisible.js';
import { stripAnsi } from './reader.js';
import { BASE64_MAX_DEPTH, redactBase64 } from './redaction/base64.js';
import { maskCutBlobs, type TextCut } from './redaction/cut-blobs.js';
import { allowanceFor, type InflateAllowance } from './redaction/inflate.js';
import { redactLookalikes } from './redaction/lookalikes.js';
import { redactMaskedTokenParts, redactWrappedTokens } from './redaction/partial-tokens.js';
import { LINE_PATTERNS, WHOLE_TEXT_PATTERNS } from './redaction/patterns.js';
import { redactPercentEncoded, redactUrlEncodedGlue } from './redaction/percent-encoding.js';
import type { PatternGate } from './redaction/pattern-gate.js';
import type { SecretPattern } from './redaction/patterns.js';
import { applyPattern, countMarkers } from './redaction/replacements.js';
import { redactUnicodeEscapes } from './redaction/unicode-escapes.js';
import { redactWrappedBase64 } from './redaction/wrapped-base64.js';

/**
 * A token glued to the text before it by a JSON or C escape (`"creds:\nAKIA…"`): a separator that is not a word
 * character is put after each such escape while the patterns run, so their leading `\b` holds, and taken out
 * afterwards. (Not after a URL-encoded `%XX`: URL-encoded signatures and tokens hold those, and their patterns read
 * them; a token behind one is caught by {@link URL_ENCODED_GLUE}.)
 */
const ESCAPE_BEFORE_WORD = /(\\[ntr])(?=[A-Za-z0-9])/g;

const SEPARATOR = '\uE000';
const SEPARATORS = /\uE000/g;

/** For each text, whether redaction one level down finds a secret in it: one pass over all of them. */
type HoldSecrets = (texts: readonly string[], depth: number, allowance: InflateAllowance) => boolean[];

function holdSecretsWith(gate: PatternGate | undefined): HoldSecrets {
  return (texts, depth, allowance) => {
    const redacted = redactTexts(texts, depth, undefined, allowance, gate);
    return texts.map((text, i) => countMarkers(redacted[i] as string) > countMarkers(text));
  };
}

const holdSecrets = holdSecretsWith(undefined);

/**
 * `text` after every line pattern, in their order. With a `gate`, a pattern it rules out is not run: it cannot
 * match, so the text is the same. The gate reads the text again after a replacement, as a marker
 * (`[REDACTED:github-token]`) can hold a later pattern's literal.
 */
function applyLinePatterns(text: string, gate: PatternGate | undefined): string {
  let out = text;
  if (gate === undefined) {
    for (const pattern of LINE_PATTERNS) out = applyPattern(out, pattern);
    return out;
  }
  gate.read(out);
  for (let i = 0; i < LINE_PATTERNS.length; i++) {
    if (!gate.may(i)) continue;
    const next = applyPattern(out, LINE_PATTERNS[i] as SecretPattern);
    if (next === out) continue;
    out = next;
    gate.read(out);
  }
  return out;
}

/** A redactor: {@link redactSecrets}, or one that stands in for it. */
export type Redact = (text: string, cut?: TextCut) => string;

function applyWholeTextPatterns(text: string, depth: number): string {
  let out = text;
  for (const pattern of WHOLE_TEXT_PATTERNS) {
    // Decoded base64 that is itself one random base64 line (a digest encoded twice) is no key body: only text that
    // names a private key is read for body lines there.
    if (depth > 0 && pattern.id === 'private-key' && !text.includes('PRIVATE KEY')) continue;
    out = applyPattern(out, pattern);
  }
  return out;
}

/** `text` as the patterns read it: without ANSI codes and hidden characters, a separator after each escape. */
function cleanForPatterns(text: string): string {
  // A hidden character can split a token without changing how it reads: removed before the patterns look.
  return stripHidden(stripAnsi(text)).replace(SEPARATORS, '').replace(ESCAPE_BEFORE_WORD, `$1${SEPARATOR}`);
}

/** `text` cut into as many parts as `like` has, each with as many lines as its part of `like`. */
function splitLike(text: string, like: readonly string[]): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < like.length; i++) {
    const part = like[i] as string;
    let lineStart = from;
    for (let at = part.indexOf('\n'); at !== -1; at = part.indexOf('\n', at + 1)) {
      const lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd === -1) throw new RedactionError('redaction removed a line of a decoded text');
      lineStart = lineEnd + 1;
    }
    const joint = text.indexOf('\n', lineStart);
    const last = i === like.length - 1;
    if (last ? joint !== -1 : joint === -1) throw new RedactionError('redaction changed the number of lines of a decoded text');
    parts.push(text.slice(from, last ? text.length : joint));
    from = joint + 1;
  }
  return parts;
}

/**
 * Redacts several texts at once (the texts decoded from one text's base64 runs): each is cleaned, its wrapped
 * base64 read, and read for keys on its own, then they are joined by line breaks and the other patterns and the
 * base64 pass run once over the whole. Running every pattern on each decoded text cost a hundred
 * regular-expression calls per run, which made a file of short base64 runs many times dearer to redact than a
 * plain log of the same size. The texts of every level share the top level's `allowance` for inflating.
 */
function redactTexts(
  texts: readonly string[],
  depth: number,
  cut?: TextCut,
  allowance: InflateAllowance = allowanceFor(texts),
  gate?: PatternGate,
): string[] {
  const hold = gate === undefined ? holdSecrets : holdSecretsWith(gate);
  const cleanedForPatterns = texts.map(cleanForPatterns);
  const prepared = cut === undefined ? cleanedForPatterns : cleanedForPatterns.map((text) => maskCutBlobs(text, cut));
  const unwrapped = depth < BASE64_MAX_DEPTH ? redactWrappedBase64(prepared, depth, allowance, hold) : prepared;
  const cleaned = unwrapped.map((text) => applyWholeTextPatterns(text, depth));
  let out = cleaned.length === 1 ? (cleaned[0] as string) : cleaned.join('\n');
  // Before the formats: a token's first piece can be a whole token by itself, which they would replace alone.
  out = redactWrappedTokens(redactLookalikes(out));
  out = applyLinePatterns(out, gate);
  out = redactMaskedTokenParts(out);
  out = redactUnicodeEscapes(out);
  if (depth < BASE64_MAX_DEPTH) out = redactBase64(out, depth, allowance, hold);
  out = redactUrlEncodedGlue(out.replace(SEPARATORS, ''));
  if (depth < BASE64_MAX_DEPTH) out = redactPercentEncoded(out, depth, allowance, hold);
  return cleaned.length === 1 ? [out] : splitLike(out, cleaned);
}

/**
 * Replaces every secret found in `text` with `[REDACTED:<kind>]`. ANSI escape codes and invisible characters
 * are removed first. A base64 run that decodes to text holding a secret becomes `[REDACTED:base64-secret]`, one
 * too long to read `[REDACTED:base64-unread]`. When `text` was cut out of a longer one (`cut`), a wrapped blob split
 * by a cut end becomes `[REDACTED:base64-partial]` line by line ({@link maskCutBlobs}).
 *
 * @throws RedactionError when the input is not a string or a pattern fails; callers must then withhold the
 * text instead of sending it on unredacted.
 */
export function redactSecrets(text: string, cut?: TextCut): string {
  return redactGated(text, cut, undefined);
}

function redactGated(text: string, cut: TextCut | undefined, gate: PatternGate | undefined): string {
  if (typeof text !== 'string') throw new RedactionError(`cannot redact a ${typeof text}`);
  try {
    return redactTexts([text], 0, cut, undefined, gate)[0] as string;
  } catch (error) {
    throw new RedactionError('secret redaction failed', { cause: error });
  }
}

/**
 * {@link redactSecrets} that runs only the line patterns `gate` says can match (redaction/pattern-gate.ts): the same
 * text, for what already bundles the literal index.
 */
export function redactorWith(gate: PatternGate): Redact {
  return (text, cut) => redactGated(text, cut, gate);
}

/**
 * Whether {@link redactSecrets} would replace anything in `text`, for text that must be published whole or not
 * at all (a diff: a redaction marker inside it would corrupt it). True as well when redaction cannot run.
 */
export function holdsSecret(text: string): boolean {
  try {
    return countMarkers(redactSecrets(text)) > countMarkers(text);
  } catch {
    return true;
  }
}

/** Text shown instead of an excerpt whose redaction failed. */
export const WITHHELD_TEXT = '[withheld: secret redaction failed]';

/** {@link redactSecrets}, failing closed: if redaction cannot run, the text is withheld rather than passed on. */
export function redactOrWithhold(text: string): string {
  try {
    return redactSecrets(text);
  } catch {
    return WITHHELD_TEXT;
  }
}

/**
 * Redacts every string inside a JSON-like value (log fields, error details); other values are kept. Depth and
 * size are bounded so a hostile object cannot make logging expensive.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactOrWithhold(value);
  if (value instanceof Error) return redactOrWithhold(`${value.name}: ${value.message}`);
  if (depth >= 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 200).map((item) => redactDeep(item, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 200).map(([key, item]) => [key, redactDeep(item, depth + 1)]));
}

/**
 * Redacts several lines together (a private key spans lines) and returns them in the same order; `cut` tells which
 * ends were cut out of a longer text. If redaction fails, every line is replaced by {@link WITHHELD_TEXT}: fail
 * closed, never pass raw text on.
 */
export function redactLines(texts: readonly string[], redact: Redact = redactSecrets, cut?: TextCut): string[] {
  try {
    const out = redact(texts.join('\n'), cut).split('\n');
    if (out.length !== texts.length) throw new RedactionError('redaction changed the number of lines');
    return out;
  } catch {
    return texts.map(() => WITHHELD_TEXT);
  }
}
