/**
 * Which expressions of the rule table can match a line, from one pass of a literal automaton (see
 * `literal-index.ts`): the keyword pre-filter, the rules (in table order), the noise veto, warnings and failure-list
 * headings. Call {@link scanLine} once per line, then ask; every "maybe" is still confirmed with the expression
 * itself, so the answers are exactly those of testing everything.
 */
import { isDigitBlind } from './digit-blind.js';
import { LITERAL_INDEX_LITERALS } from './line-filter.generated.js';
import { LineFilter } from './line-filter.js';
import { expressionsKey, LITERAL_PREFIX_CHARS, LiteralIndex, type KnownLiterals } from './literal-index.js';
import type { LineGate } from './reader.js';
import { PRIVATE_KEY_BEGIN_RE } from './redact.js';
import { storedData } from './stored.js';
import {
  CASCADE_RULES,
  EXIT_MARKERS,
  FAILURE_LIST_END_RE,
  FAILURE_LIST_RE,
  GENERIC_CONT,
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
  return new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', known, 'shape');
}

/**
 * Starts the questions about `text` (the cleaned line; a suffix of it may then be tested too). After
 * {@link startLine} with the same text the line is already in the index, and a line of the same digit shape as
 * the one scanned before it keeps that line's marks.
 */
export function scanLine(text: string): void {
  if (index === null) {
    shapeEpoch = ++epochs;
    if (++linesSeen < buildAfterLines) return;
    index = buildIndex();
    startMemo();
  }
  if (text === loadedText) {
    // The index reads every digit as any digit: a line of the shape it last scanned has the same marks.
    if (marksEpoch !== shapeEpoch) {
      index.scanLoaded();
      marksEpoch = shapeEpoch;
    }
    return;
  }
  // A line the memo has not seen (a green run's baseline): a shape class of its own.
  index.scan(text);
  unshaped();
}

/** After {@link scanLine}: may this line start a block? Exactly `PREFILTER_START_RE || PREFILTER_RE`. */
export function passesPrefilter(text: string): boolean {
  return (may(START_AT) && shapedTest(START_AT, PREFILTER_START_RE, text)) || (may(PREFILTER_AT) && shapedTest(PREFILTER_AT, PREFILTER_RE, text));
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
  return may(at) && shapedTest(at, (TABLE[at] as Rule).re, text);
}

/** After {@link scanLine}, for a candidate position: `rule.re.test(text)` of the rule there, without asking the index. */
export function testRuleAt(at: number, text: string): boolean {
  return shapedTest(at, (TABLE[at] as Rule).re, text);
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
  return may(NOISE_AT) && shapedTest(NOISE_AT, NOISE_RE, text);
}

/** After {@link scanLine}: `WARNING_RE.test(text)`. */
export function isWarning(text: string): boolean {
  return may(WARNING_AT) && shapedTest(WARNING_AT, WARNING_RE, text);
}

/** After {@link scanLine}: `FAILURE_LIST_RE.test(text)` (a heading such as `3 failing` or `Failures:`). */
export function opensFailureList(text: string): boolean {
  return may(FAILURE_LIST_AT) && shapedTest(FAILURE_LIST_AT, FAILURE_LIST_RE, text);
}

/** `FAILURE_LIST_END_RE.test(text)` for the line being scanned. */
export function closesFailureList(text: string): boolean {
  return shapedTest(FAILURE_LIST_END_SLOT, FAILURE_LIST_END_RE, text);
}

/**
 * The digit-shape memo. In an error-dense log one line follows another with only its numbers changed
 * (`src/a.ts(12,5): error TS2345 …`, then `(13,5)`): every answer that cannot depend on which digits a line holds
 * (see `digit-blind.ts`) is the same as on the line before, and is reused instead of tested again. The scanner
 * calls {@link startLine} first on every line it scans; the line's bytes then go into the literal index once, are
 * compared there with the last line of another shape ({@link LiteralIndex.sameShapeAsPinned}), and serve the
 * index's scan too. Lines of the same shape share a *shape class*; an answer is kept with the class it was found
 * in. Exact: a reused answer is the one the expression would give.
 *
 * Where few lines share their predecessor's shape (ordinary output, where it saved nothing) the comparison rests
 * for a while; every line then is a class of its own.
 */
/** Lines the memo is judged over, and lines it then rests when fewer than half shared their predecessor's shape. */
const SHAPE_WINDOW = 1024;
const SHAPE_REST = 16 * 1024;
/** Slots past the index's: expressions tested on a whole line while a block is open (see {@link continuationTest}). */
const LINE_AT = INDEX_EXPRESSIONS.length;
const PARTS = ['re', 'end', 'cont', 'contAfter'] as const;
export type ContinuationPart = 0 | 1 | 2 | 3;
const GENERIC_CONT_SLOT = LINE_AT + TABLE.length * PARTS.length;
const NOISE_LINE_SLOT = GENERIC_CONT_SLOT + 1;
const FAILURE_LIST_END_SLOT = GENERIC_CONT_SLOT + 2;
const SLOTS = GENERIC_CONT_SLOT + 3;
const POSITION = new Map<Rule, number>(TABLE.map((rule, at) => [rule, at]));

/** The shape class of the line being scanned; `epochs` counts the classes handed out. */
let shapeEpoch = 1;
let epochs = 1;
/** The line {@link startLine} wrote into the index, and the shape class of the line whose marks the index holds. */
let loadedText: string | null = null;
let marksEpoch = 0;
let windowLines = 0;
let windowSame = 0;
let restLeft = 0;
/** Per slot: 1 when its expression is digit-blind (all 0 until the index is built), and its last answer and class. */
let blindSlots = new Uint8Array(SLOTS);
const answerEpoch = new Int32Array(SLOTS);
const answers = new Uint8Array(SLOTS);
let memoUse = true;
/** Lines rested when a window shares too few shapes (0: never, for tests). */
let shapeRest = SHAPE_REST;
/** Answers reused so far (for tests: a memo that never answers cannot be shown wrong). */
let reused = 0;

/** Reads which slots are digit-blind: once, with the index (a short log never gets that far). */
function startMemo(): void {
  if (!memoUse) return;
  const blind = new Uint8Array(SLOTS);
  INDEX_EXPRESSIONS.forEach((re, at) => (blind[at] = isDigitBlind(re) ? 1 : 0));
  TABLE.forEach((rule, at) => {
    const parts = [rule.re, rule.end, rule.cont, rule.contAfter?.re];
    parts.forEach((re, part) => (blind[LINE_AT + at * PARTS.length + part] = re !== undefined && isDigitBlind(re) ? 1 : 0));
  });
  blind[GENERIC_CONT_SLOT] = isDigitBlind(GENERIC_CONT) ? 1 : 0;
  blind[NOISE_LINE_SLOT] = isDigitBlind(NOISE_RE) ? 1 : 0;
  blind[FAILURE_LIST_END_SLOT] = isDigitBlind(FAILURE_LIST_END_RE) ? 1 : 0;
  blindSlots = blind;
}

/** The line being scanned was not compared: a shape class of its own, and the next line compares with none. */
function unshaped(): void {
  shapeEpoch = ++epochs;
  loadedText = null;
  index?.unpin();
}

/** Starts the scan of a line: its shape class (see the memo's comment above). Call before any question about it. */
export function startLine(text: string): void {
  if (index === null || !memoUse || restLeft > 0 || !index.load(text)) {
    if (restLeft > 0) restLeft--;
    unshaped();
    return;
  }
  loadedText = text;
  if (index.sameShapeAsPinned()) windowSame++;
  else shapeEpoch = ++epochs;
  if (++windowLines === SHAPE_WINDOW) {
    if (windowSame * 2 < windowLines) restLeft = shapeRest;
    windowLines = 0;
    windowSame = 0;
  }
}

/** The shape class of the line being scanned (two lines of one class have the same digit shape). */
export function lineShape(): number {
  return shapeEpoch;
}

/**
 * `re.test(text)`, where `text` is the line being scanned (or, for the slot's every use, the same part of it), and
 * `slot` names the expression at this use; a digit-blind slot answers from the line before when that had the shape.
 */
function shapedTest(slot: number, re: RegExp, text: string): boolean {
  if (blindSlots[slot] === 1 && answerEpoch[slot] === shapeEpoch) {
    reused++;
    return answers[slot] === 1;
  }
  const answer = re.test(text);
  answerEpoch[slot] = shapeEpoch;
  answers[slot] = answer ? 1 : 0;
  return answer;
}

/** A rule's dispatch position (see {@link CASCADE_AT}), or -1 for a rule outside the table. */
export function positionOf(rule: Rule): number {
  return POSITION.get(rule) ?? -1;
}

/**
 * `re.test(text)` for the line being scanned, testing whether it continues a block of the rule at `position`;
 * `part` says which of the rule's expressions `re` is (its own, `end`, `cont`, `contAfter.re`).
 */
export function continuationTest(position: number, part: ContinuationPart, re: RegExp, text: string): boolean {
  return position === -1 ? re.test(text) : shapedTest(LINE_AT + position * PARTS.length + part, re, text);
}

/** `GENERIC_CONT.test(text)` for the line being scanned. */
export function isGenericContinuation(text: string): boolean {
  return shapedTest(GENERIC_CONT_SLOT, GENERIC_CONT, text);
}

/** `NOISE_RE.test(text)` for the whole line being scanned (match's {@link isNoise} reads an annotation's body). */
export function isNoiseLine(text: string): boolean {
  return shapedTest(NOISE_LINE_SLOT, NOISE_RE, text);
}

/**
 * For tests: use the digit-shape memo (`true`, the default), use it and never let it rest (`'always'`), or not.
 * Returns the answers it reused since the last call.
 */
export function setShapeMemoUse(use: boolean | 'always'): number {
  const count = reused;
  reused = 0;
  memoUse = use !== false;
  shapeRest = use === 'always' ? 0 : SHAPE_REST;
  blindSlots = new Uint8Array(SLOTS);
  if (use && index !== null) startMemo();
  windowLines = 0;
  windowSame = 0;
  restLeft = 0;
  unshaped();
  return count;
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
