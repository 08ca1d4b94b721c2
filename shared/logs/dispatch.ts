/**
 * Which expressions of the rule table can match a line, from one pass of a literal automaton (see
 * `literal-index.ts`): the keyword pre-filter, the rules (in table order), the noise veto, warnings and failure-list
 * headings. Call {@link scanLine} once per line, then ask; every "maybe" is still confirmed with the expression
 * itself, so the answers are exactly those of testing everything.
 */
import { LITERAL_INDEX_LITERALS } from './line-filter.generated.js';
import { LineFilter } from './line-filter.js';
import { expressionsKey, LITERAL_PREFIX_CHARS, LiteralIndex, type KnownLiterals } from './literal-index.js';
import type { LineGate } from './reader.js';
import { PRIVATE_KEY_BEGIN_RE } from './redact.js';
import { storedData } from './stored.js';
import {
  CASCADE_RULES,
  EXIT_MARKERS,
  FAILURE_LIST_RE,
  GENERIC_RULES,
  GHA_POST_RE,
  NOISE_RE,
  PREFILTER_RE,
  PREFILTER_START_RE,
  RULES,
  SECTION_START_RE,
  WARNING_RE,
  type Rule,
} from './rules.js';

const TABLE: readonly Rule[] = [...RULES, ...CASCADE_RULES, ...GENERIC_RULES];
const NOISE_AT = TABLE.length;
const PREFILTER_AT = TABLE.length + 1;
const START_AT = TABLE.length + 2;
const WARNING_AT = TABLE.length + 3;
const FAILURE_LIST_AT = TABLE.length + 4;
/**
 * Building the automaton costs 15–50 ms (a 1.3 MB table from the 133 expressions' stored literals): a short log
 * (the CLI on one job's output, a unit test) is done sooner by testing every rule, so the index is built once a
 * process has seen this many lines.
 */
const BUILD_AFTER_LINES = 20_000;
let index: LiteralIndex | null = null;
let linesSeen = 0;
let buildAfterLines = BUILD_AFTER_LINES;

function may(at: number): boolean {
  return index === null || index.may(at);
}

/** What the literal index reads, by position: the rule table (see {@link CASCADE_AT}), then the other questions. */
export const INDEX_EXPRESSIONS: readonly RegExp[] = [...TABLE.map((r) => r.re), NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, WARNING_RE, FAILURE_LIST_RE];

/**
 * The literal automaton over {@link INDEX_EXPRESSIONS} (built once, on the first long log), from the literals the
 * generated module stores when they were read from these very expressions, else read here.
 */
function buildIndex(): LiteralIndex {
  const stored = storedData(LITERAL_INDEX_LITERALS, expressionsKey(INDEX_EXPRESSIONS));
  const known = stored === null ? undefined : (JSON.parse(stored.toString('utf8')) as KnownLiterals);
  return new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', known);
}

/** Starts the questions about `text` (the cleaned line; a suffix of it may then be tested too). */
export function scanLine(text: string): void {
  if (index === null) {
    if (++linesSeen < buildAfterLines) return;
    index = buildIndex();
  }
  index.scan(text);
}

/** After {@link scanLine}: may this line start a block? Exactly `PREFILTER_START_RE || PREFILTER_RE`. */
export function passesPrefilter(text: string): boolean {
  return (may(START_AT) && PREFILTER_START_RE.test(text)) || (may(PREFILTER_AT) && PREFILTER_RE.test(text));
}

/** Where the rule tables start in the dispatch table: `RULES[i]` is entry `i`, `CASCADE_RULES[i]` is `CASCADE_AT + i`, … */
export const CASCADE_AT = RULES.length;
export const GENERIC_AT = RULES.length + CASCADE_RULES.length;

/**
 * After {@link scanLine}: `rule.re.test(text)` for the rule at dispatch position `at` (see {@link CASCADE_AT}) and
 * a text that is the scanned line or a suffix of it. By position, not by rule: the analyzer walks the tables in
 * order on every candidate line.
 */
export function ruleAtMatches(at: number, text: string): boolean {
  return may(at) && (TABLE[at] as Rule).re.test(text);
}

/**
 * After {@link scanLine}: the dispatch positions that may match the line (see {@link CASCADE_AT}) as a bit set to
 * walk with `nextCandidate`, or null before the index is built (then every rule may). The next line reuses it.
 */
export function candidatePositions(): Int32Array | null {
  return index === null ? null : index.candidates();
}

/** After {@link scanLine}: `NOISE_RE.test(text)`. */
export function isNoise(text: string): boolean {
  return may(NOISE_AT) && NOISE_RE.test(text);
}

/** After {@link scanLine}: `WARNING_RE.test(text)`. */
export function isWarning(text: string): boolean {
  return may(WARNING_AT) && WARNING_RE.test(text);
}

/** After {@link scanLine}: `FAILURE_LIST_RE.test(text)` (a heading such as `3 failing` or `Failures:`). */
export function opensFailureList(text: string): boolean {
  return may(FAILURE_LIST_AT) && FAILURE_LIST_RE.test(text);
}

/** For tests: use the index from the next line on (`true`), never (`false`), or past the usual count (`null`). */
export function setIndexUse(use: boolean | null): void {
  buildAfterLines = use === true ? 0 : use === false ? Number.POSITIVE_INFINITY : BUILD_AFTER_LINES;
  if (use === false) index = null;
  linesSeen = 0;
}

/**
 * Everything the log scanner reacts to while it is idle (no block open, no context awaited, no step header being
 * skipped), and the private-key filter's BEGIN line: a line that matches none of these only needs remembering.
 * `LogScanner.scan` tests the same expressions: a new reaction there belongs here too (the line filter's tests
 * compare analyses with and without the filter on every sample log).
 */
export const SCANNER_TRIGGERS = {
  anywhere: [PREFILTER_RE, PRIVATE_KEY_BEGIN_RE],
  atStart: [/^##\[/, PREFILTER_START_RE, SECTION_START_RE, GHA_POST_RE, ...EXIT_MARKERS.map(([re]) => re)],
} as const;

/**
 * Setting up the line filter costs 15–30 ms (decoding its automata, compiling the WebAssembly pass); it pays for
 * itself once a log is a few megabytes long, so the reader asks for it only past this many bytes, and a process
 * sets it up once.
 */
const FILTER_AFTER_BYTES = 2 * 1024 * 1024;
let filterAfterBytes = FILTER_AFTER_BYTES;
let lineFilter: LineFilter | null = null;

/** The line filter over {@link SCANNER_TRIGGERS}, once `bytesRead` makes it worth building; else null. */
export function scannerLineFilter(bytesRead: number): LineFilter | null {
  if (bytesRead < filterAfterBytes) return null;
  lineFilter ??= new LineFilter(SCANNER_TRIGGERS);
  return lineFilter;
}

/**
 * A gate that reads only the lines the line filter names, whatever the reader's state: for a reader that reacts to
 * nothing but the filter's triggers (a green run's baseline, which keeps prefilter lines).
 */
export const NAMED_LINES_ONLY: LineGate = { filter: scannerLineFilter, idle: () => true, skip: () => undefined };

/** For tests: filter from the first byte (`true`), never (`false`), or past the usual size (`null`). */
export function setLineFilterUse(use: boolean | null): void {
  filterAfterBytes = use === true ? 0 : use === false ? Number.POSITIVE_INFINITY : FILTER_AFTER_BYTES;
}
