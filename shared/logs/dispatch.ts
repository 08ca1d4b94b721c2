/**
 * Which expressions of the rule table can match a line, from one pass of a literal automaton (see
 * `literal-index.ts`): the keyword pre-filter, the rules (in table order), the noise veto, warnings and failure-list
 * headings. Call {@link scanLine} once per line, then ask; every "maybe" is still confirmed with the expression
 * itself, so the answers are exactly those of testing everything.
 */
import { isDigitBlind } from './digit-blind.js';
import { PATH_HINT_RE } from './fingerprint.js';
import { DIGIT_BLIND_SLOTS, LITERAL_INDEX_LITERALS } from './line-filter.generated.js';
import { LineFilter } from './line-filter.js';
import { knownLiteralsOf, LITERAL_PREFIX_CHARS, LiteralIndex, NEW_SHAPE, SHAPE_SLOTS } from './literal-index.js';
import type { LineGate } from './reader.js';
import { PRIVATE_KEY_BEGIN_RE } from './redaction/private-key-filter.js';
import { inputsKey, storedData, storedDataStale } from './stored.js';
import { prefixOrAnnouncement, TASK_NAME_SOURCES, TASK_PREFIX_RE } from './task-prefix.js';
import {
  CASCADE_RULES,
  EXIT_MARKERS,
  FAILURE_LIST_END_RE,
  FAILURE_LIST_RE,
  GENERIC_CONT,
  GHA_POST_RE,
  NOISE_RE,
  PASSING_REPORTS_END_RE,
  PASSING_REPORTS_HEADING_RE,
  PREFILTER_RE,
  PREFILTER_START_RE,
  RULE_TABLE,
  RULES,
  SECTION_START_RE,
  WARNING_RE,
  WRAPPER_RE,
  type Rule,
} from './rules.js';

const TABLE = RULE_TABLE;
const NOISE_AT = TABLE.length;
const PREFILTER_AT = TABLE.length + 1;
const START_AT = TABLE.length + 2;
const WARNING_AT = TABLE.length + 3;
const FAILURE_LIST_AT = TABLE.length + 4;
/** Asked of a block's head as it closes (see {@link mayBeWrapper}), not of the line the index reads. */
const WRAPPER_AT = TABLE.length + 5;
const PATH_HINT_AT = TABLE.length + 6;
/** Asked of a line before the rule walk reads it (see {@link isGenericContinuation}). */
const GENERIC_CONT_AT = TABLE.length + 7;
/**
 * The index is built on the first line a process scans, from the expressions' stored literals: 15–30 ms of CPU, once
 * a process (≈150M instructions of a cold `guard analyze`). Without it a walk tests the rules one by one, and each
 * expression a walk runs is compiled by V8 on its first run: a short log's first walks compiled ~435 of them. Until
 * session 82 the index waited for a log's 20,000th line or 2,048th walk, on a measure of warm walks (~80K instructions
 * a walk without it, ~8K with it); counted cold, `guard analyze` costs fewer instructions with the index built on the
 * first line for all but a few logs of a couple of KB: −30M to −90M on logs of 9–63 KB, −137M at 400 KB, −285M on
 * a 1.1 MB job log (docs/performance.md, session 82). The CLI builds it once for each build of itself: later runs
 * read back an image of the tables (see {@link useLiteralIndexImage}).
 */
let indexUse = true;
let index: LiteralIndex | null = null;
/** The automaton {@link buildIndex} built: once a process, kept while the tests turn the index off and on. */
let built: LiteralIndex | null = null;

function may(at: number): boolean {
  return index === null || index.may(at);
}

/** What the literal index reads, by position: the rule table (see {@link CASCADE_AT}), then the other questions. */
export const INDEX_EXPRESSIONS: readonly RegExp[] = [...TABLE.map((r) => r.re), NOISE_RE, PREFILTER_RE, PREFILTER_START_RE, WARNING_RE, FAILURE_LIST_RE, WRAPPER_RE, PATH_HINT_RE, GENERIC_CONT];

/**
 * The literal automaton over {@link INDEX_EXPRESSIONS} (built once a process, on its first line), from the literals the
 * generated module stores when they were read from these very expressions, else read here.
 */
function buildIndex(): LiteralIndex {
  return new LiteralIndex(INDEX_EXPRESSIONS, LITERAL_PREFIX_CHARS, 'wasm', knownLiteralsOf(LITERAL_INDEX_LITERALS, INDEX_EXPRESSIONS, 'the literal index'), 'shape');
}

/** The analyzer's literal index as {@link LiteralIndex.image} writes it, once this process has it; else null. */
export function literalIndexImage(): Uint8Array | null {
  return built === null ? null : built.image();
}

/**
 * Takes the analyzer's literal index from `bytes`, an image {@link literalIndexImage} gave in a process of this very
 * code, instead of building it on the first line. Asked before the process's first line: once it has an index the
 * bytes are left unread. The caller keeps images where no other code can read them (see shared/cli/index-cache.ts);
 * the bytes are checked for form (LiteralIndex.fromImage), not content.
 */
export function useLiteralIndexImage(bytes: Uint8Array): 'used' | 'refused' | 'unread' {
  if (built !== null) return 'unread';
  built = LiteralIndex.fromImage(INDEX_EXPRESSIONS, bytes);
  return built === null ? 'refused' : 'used';
}

/**
 * Starts the questions about `text` (the cleaned line; a suffix of it may then be tested too). After
 * {@link startLine} with the same text the line is already in the index, and a line of a known shape class gets
 * the marks its class got: the index reads every digit as any digit, so lines of one shape have the same marks.
 */
export function scanLine(text: string): void {
  if (index === null) {
    unshaped();
    if (!indexUse) return;
    index = built ??= buildIndex();
    startMemo(index);
  }
  // Read already, as a class of its own (see isGenericContinuation): the marks and the class stand.
  if (shapeSlot === -1 && shapeClass === unshapedReadClass && text === markedText) return;
  markedText = text;
  const slot = shapeSlot;
  if (slot !== -1 && text === loadedText) {
    if (marksClass === shapeClass) return;
    const at = slot * index.markWords;
    if (marked[slot] === 1) index.restoreMarks(slotMarks, at);
    else {
      index.scanLoaded();
      index.saveMarks(slotMarks, at);
      marked[slot] = 1;
    }
    marksClass = shapeClass;
    return;
  }
  // A line the memo has not seen (a green run's baseline): a shape class of its own.
  index.scan(text);
  marksClass = 0;
  unshaped();
  unshapedReadClass = shapeClass;
}

/** The shape class {@link scanLine} gave the line it read last when the memo had no slot for it (0: none). */
let unshapedReadClass = 0;

/** The text the index's marks are of: the line {@link scanLine} last read (its marks are its shape class's, alike). */
let markedText: string | null = null;

/**
 * `rule.re.test(text)` for the rule at dispatch position `at`, of the line {@link scanLine} last read or of any other
 * text: the index rules the rule out only for that line, the one its marks are of. Not the memo's answer: the walk
 * may have asked this position about a part of the line (past a prefix or an annotation), not about `text`.
 */
export function ruleMatchesText(at: number, text: string): boolean {
  return mayMatchText(at, text) && (TABLE[at] as Rule).re.test(text);
}

/** Whether the expression at index position `at` may match `text`: no only for the line the index read. */
function mayMatchText(at: number, text: string): boolean {
  return index === null || text !== markedText || index.may(at);
}

/**
 * Whether `WRAPPER_RE` may match `text`, told from the literal index's marks when `text` is the line it read (a block's
 * head, asked again as the block closes, a line or more later): in a log of 200,000 distinct compiler errors the
 * expression was ~8 % of the instructions, and the index reads every line's bytes anyway.
 */
export function mayBeWrapper(text: string): boolean {
  return mayMatchText(WRAPPER_AT, text);
}

/** Whether `PATH_HINT_RE` (fingerprint.ts) may match `text`, as {@link mayBeWrapper} tells it. */
export function mayHoldPathHint(text: string): boolean {
  return mayMatchText(PATH_HINT_AT, text);
}

/** After {@link scanLine}: may this line start a block? Exactly `PREFILTER_START_RE || PREFILTER_RE`. */
export function passesPrefilter(text: string): boolean {
  return (may(START_AT) && shapedTest(START_AT, PREFILTER_START_RE, text)) || (may(PREFILTER_AT) && shapedTest(PREFILTER_AT, PREFILTER_KEYWORDS, text));
}

/**
 * `PREFILTER_RE`'s first alternatives, `err`, `fail` and `exception` in either case anywhere: a line that holds one
 * matches it. Irregexp tries the whole alternation (over a hundred keywords and shapes) at each of a line's
 * characters, where these three alone are looked for as literals: on the bench's real-log mix the expression took
 * ~400 ns a line the memo could not answer, ~55 % of those lines hold one of the three, and asked first they cut the
 * expression's time by a third.
 */
export const PREFILTER_FIRST_KEYWORDS_RE = /err|fail|exception/i;

/** `PREFILTER_RE.test`, its first keywords asked on their own first (see {@link PREFILTER_FIRST_KEYWORDS_RE}). */
export const PREFILTER_KEYWORDS: Tester = {
  test: (text) => PREFILTER_FIRST_KEYWORDS_RE.test(text) || PREFILTER_RE.test(text),
};

/** Where the rule tables start in the dispatch table: `RULES[i]` is entry `i`, `CASCADE_RULES[i]` is `CASCADE_AT + i`, … */
export const CASCADE_AT = RULES.length;
export const GENERIC_AT = RULES.length + CASCADE_RULES.length;

/**
 * After {@link scanLine}: `rule.re.test(text)` for the rule at dispatch position `at` (see {@link CASCADE_AT}) and
 * a text that is the scanned line or a suffix of it. By position, not by rule: the analyzer walks the tables in
 * order on every candidate line.
 */
export function ruleAtMatches(at: number, text: string): boolean {
  return may(at) && testRuleAt(at, text);
}

/** After {@link scanLine}, for a candidate position: `rule.re.test(text)` of the rule there, without asking the index. */
export function testRuleAt(at: number, text: string): boolean {
  const whole = checked[at];
  return (whole === undefined || holdsOne(text, whole)) && shapedTest(at, (TABLE[at] as Rule).re, text);
}

function holdsOne(text: string, lits: readonly string[]): boolean {
  for (let i = 0; i < lits.length; i++) if (text.includes(lits[i] as string)) return true;
  return false;
}

/**
 * Rules the index marks on lines that cannot match them, for it folds case and reads 8 characters of a literal: on
 * each of 200,000 distinct compiler errors (`src/a.ts(12,5): error TS2345: …`) the walk tested gtest's expression
 * (its `): error: ` read as `): error`) and `test.result-table`'s (`ERROR` and `FAIL` read as `error` and `fail`),
 * ~210 ns a line (docs/performance.md, session 65). {@link testRuleAt} looks for their whole literals, case kept,
 * first: four `includes` cost less than the two expressions. Each list is what `checkedLiterals` (literal-index.ts)
 * reads from the rule's expression, so a text the expression matches holds one (a unit test keeps them equal; the
 * reader is not in the bundles).
 */
export const WHOLE_LITERALS: ReadonlyMap<string, readonly string[]> = new Map([
  ['gtest.failure', [': Failure', '): error: ']],
  ['test.result-table', ['ERROR', 'FAIL']],
]);

function checkedByPosition(): Array<readonly string[] | undefined> {
  return TABLE.map((rule) => WHOLE_LITERALS.get(rule.id));
}

/** What {@link testRuleAt} looks for before a rule's expression, by dispatch position (undefined: nothing). */
let checked = checkedByPosition();

/** For tests: look for {@link WHOLE_LITERALS} before those rules' expressions (`true`, the default) or not. */
export function setWholeLiteralUse(use: boolean): void {
  checked = use ? checkedByPosition() : TABLE.map(() => undefined);
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
 * The digit-shape memo. Log lines recur with only their numbers changed: a compiler's thousand errors
 * (`src/a.ts(12,5): error TS2345 …`, then `(13,5)`), a stack's frames, a test runner's progress. Every answer that
 * cannot depend on which digits a line holds (see `digit-blind.ts`) is the same for every line of that *digit
 * shape*, and is reused instead of tested again. The scanner calls {@link startLine} first on every line it
 * scans: the line's bytes go into the literal index once, where a table of recent shapes
 * ({@link LiteralIndex.intern}) says whether its shape is one of them, and serve the index's scan too. Each slot
 * of that table is a *shape class* with its answers; a line whose shape takes a slot over starts a new class.
 * Exact: a reused answer is the one the expression would give.
 *
 * Writing a line into the index and looking its shape up costs about as much as two expression tests. Where the
 * memo saves less than that (ordinary output, where few lines repeat a shape and those that do are continuation
 * lines asked one question) it rests for a while; every line then is a class of its own.
 */
/** Lines the memo is judged over; lines it then rests when it reused fewer than {@link WORTH} answers a line. */
const SHAPE_WINDOW = 1024;
const SHAPE_REST = 16 * 1024;
const WORTH = 2;
/** Slots past the index's: expressions tested on a whole line while a block is open (see {@link continuationTest}). */
const LINE_AT = INDEX_EXPRESSIONS.length;
/** A rule's expressions a continuation test may ask, in slot order: its own, `end`, `cont`, `contAfter.re`. */
export type ContinuationPart = 0 | 1 | 2 | 3;
const CONTINUATION_PARTS = 4;
const GENERIC_CONT_SLOT = LINE_AT + TABLE.length * CONTINUATION_PARTS;
const NOISE_LINE_SLOT = GENERIC_CONT_SLOT + 1;
const FAILURE_LIST_END_SLOT = GENERIC_CONT_SLOT + 2;
/** Expressions the memo answers for, each at one kind of use (see {@link shapedTest}). */
const EXPRESSION_SLOTS = GENERIC_CONT_SLOT + 3;
const POSITION = new Map<Rule, number>(TABLE.map((rule, at) => [rule, at]));

/** The shape table's slot of the line being scanned (-1: none), and its shape class; `classes` counts them. */
let shapeSlot = -1;
let shapeClass = 1;
let classes = 1;
/** Per table slot: its shape class (0: none yet, or forgotten), whether its marks are saved, and the marks. */
const slotClass = new Int32Array(SHAPE_SLOTS);
const marked = new Uint8Array(SHAPE_SLOTS);
let slotMarks = new Int32Array(0);
/** The line {@link startLine} wrote into the index, and the shape class of the marks the index holds. */
let loadedText: string | null = null;
let marksClass = 0;
let windowLines = 0;
/** {@link reused} when the window started. */
let windowReused = 0;
let restLeft = 0;
/** Per expression slot: 1 when its expression is digit-blind (all 0 until the index is built). */
let blindSlots: Uint8Array = new Uint8Array(EXPRESSION_SLOTS);
/** Per table slot and expression slot: 0 not asked yet, 1 no, 2 yes. */
const answers = new Uint8Array(SHAPE_SLOTS * EXPRESSION_SLOTS);
/**
 * The rule walk's outcome by shape class: per slot, outside a failure list and inside one (the walk skips the
 * list-only rules outside), 0 when not known, 1 when no rule matched, else the matching rule's position + 2. Kept only
 * for a walk whose every test was digit-blind ({@link digitTests} unchanged): its answers, hence its outcome, are
 * those of every line of the class.
 */
const walks = new Uint16Array(SHAPE_SLOTS * 2);
/**
 * A known walk's outcome by what {@link walks} keeps (0: not known, 1: none, else the rule at position − 2). One load
 * for all three, not a subtraction taken only for a found rule: V8 throws away the optimised scanner the first time it
 * takes an operation it never saw run, and the first reuse of a found rule comes after that of "none".
 */
const WALK_OUTCOMES: ReadonlyArray<Rule | null | undefined> = [undefined, null, ...TABLE];
/**
 * Per table slot: the task runner's prefix length of its shape class's lines (or `ANNOUNCES_TASK`), plus one (0: not
 * known yet). Both are measured alike for any two lines of one digit shape (their characters are name characters or
 * fixed ones).
 */
const prefixLengths = new Int32Array(SHAPE_SLOTS);
/**
 * Per table slot, 1 + the length of the task name the log taught that its lines are read past (1: none), 0 before
 * one was read: the name is no part of the shape (`app1: ` learnt, `app2: ` not), so only lines read from that
 * character on use the class's answers (see {@link readPastLearntName}).
 */
const learntPrefixes = new Int32Array(SHAPE_SLOTS);
/**
 * Per table slot, outside a failure list and inside one: what `npm-output.ts` read past npm's prefix on a line of its
 * shape class, where the output started on the line plus one (0: not known), and the first digit-blind toolchain
 * rule that matches it (its position + 2; 1: none does).
 */
const npmOutputStarts = new Int32Array(SHAPE_SLOTS * 2);
const npmOutputRules = new Int32Array(SHAPE_SLOTS * 2);
/**
 * Continuation tests of a line read past its task's prefix (a block of a task runner's, or of a script's output behind
 * npm's): per table slot, where that text starts on the line plus one and the open block's rule's position plus one
 * (0 and 0: none kept), then the answers for the rule's four parts, `GENERIC_CONT` and `NOISE_RE`, kept as
 * {@link answers} are. Lines of one digit shape read from the same character on are of one digit shape too.
 */
const pastKeys = new Int32Array(SHAPE_SLOTS * 2);
const PAST_PARTS = CONTINUATION_PARTS + 2;
const GENERIC_CONT_PAST = CONTINUATION_PARTS;
const NOISE_PAST = CONTINUATION_PARTS + 1;
const pastAnswers = new Uint8Array(SHAPE_SLOTS * PAST_PARTS);
/** Tests of expressions that are not digit-blind on a line with a shape class. */
let digitTests = 0;
let walkTests = 0;
let memoUse = true;
/** Lines rested after a window that reused too few answers (0: never, for tests). */
let shapeRest = SHAPE_REST;
/** Answers reused so far (for tests: a memo that never answers cannot be shown wrong). */
let reused = 0;

/** The memo's slot for part `part` of the continuation tests of the rule at dispatch position `position`. */
function continuationSlot(position: number, part: ContinuationPart): number {
  return LINE_AT + position * CONTINUATION_PARTS + part;
}

/** The expression at every slot of the memo (undefined where a rule has no such part), in slot order. */
export function memoExpressions(): Array<RegExp | undefined> {
  const list = new Array<RegExp | undefined>(EXPRESSION_SLOTS);
  INDEX_EXPRESSIONS.forEach((re, at) => (list[at] = re));
  TABLE.forEach((rule, at) => {
    list[continuationSlot(at, 0)] = rule.re;
    list[continuationSlot(at, 1)] = rule.end;
    list[continuationSlot(at, 2)] = rule.cont;
    list[continuationSlot(at, 3)] = rule.contAfter?.re;
  });
  list[GENERIC_CONT_SLOT] = GENERIC_CONT;
  list[NOISE_LINE_SLOT] = NOISE_RE;
  list[FAILURE_LIST_END_SLOT] = FAILURE_LIST_END_RE;
  return list;
}

/** Names a list of memo expressions: the generated flags serve only the list they were read from. */
export function memoExpressionsKey(list: ReadonlyArray<RegExp | undefined>): string {
  return inputsKey(list.map((re) => (re === undefined ? null : [re.source, re.flags])));
}

/** 1 for each expression of `list` that is digit-blind. */
export function digitBlindFlags(list: ReadonlyArray<RegExp | undefined>): Uint8Array {
  return Uint8Array.from(list, (re) => (re !== undefined && isDigitBlind(re) ? 1 : 0));
}

/** Starts the memo over the index `automaton`, with no shape class known. */
function startMemo(automaton: LiteralIndex): void {
  slotMarks = new Int32Array(SHAPE_SLOTS * automaton.markWords);
  // An automaton kept from before (the tests turn the index off and on) still holds the shapes of the lines it read
  // then: their classes start afresh, as in a new one.
  slotClass.fill(0);
  if (!memoUse) return;
  blindSlots = memoBlindSlots ??= readBlindSlots();
}

/** {@link readBlindSlots}, read once a process (the tests start the memo on every log). */
let memoBlindSlots: Uint8Array | null = null;

/**
 * Which expression slots are digit-blind: once, with the index, from the generated module when it was read from
 * these very expressions (reading ~300 syntax trees costs ~20 ms).
 */
function readBlindSlots(): Uint8Array {
  const list = memoExpressions();
  const stored = storedData(DIGIT_BLIND_SLOTS, memoExpressionsKey(list));
  if (stored !== null && stored.length === EXPRESSION_SLOTS) return new Uint8Array(stored);
  return typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale('the digit-shape memo') : digitBlindFlags(list);
}

/** The line being scanned is not in the shape table: a shape class of its own. */
function unshaped(): void {
  shapeSlot = -1;
  shapeClass = ++classes;
  loadedText = null;
}

/** Table slot `slot` holds a new shape: a new class, with nothing known of it yet. */
function newClass(slot: number): void {
  slotClass[slot] = ++classes;
  marked[slot] = 0;
  answers.fill(0, slot * EXPRESSION_SLOTS, (slot + 1) * EXPRESSION_SLOTS);
  walks[2 * slot] = 0;
  walks[2 * slot + 1] = 0;
  prefixLengths[slot] = 0;
  learntPrefixes[slot] = 0;
  npmOutputStarts[2 * slot] = 0;
  npmOutputStarts[2 * slot + 1] = 0;
  pastKeys[2 * slot] = 0;
}

/** Starts the scan of a line: its shape class (see the memo's comment above). Call before any question about it. */
export function startLine(text: string): void {
  if (index === null || !memoUse || restLeft > 0 || !index.load(text)) {
    if (restLeft > 0) restLeft--;
    unshaped();
    return;
  }
  loadedText = text;
  const found = index.intern();
  const slot = found & ~NEW_SHAPE;
  // The class read first, on every line: read only for a shape found in the table, it was first read after V8 had
  // optimised the scan (see rememberedTest).
  if (slotClass[slot] === 0 || found !== slot) newClass(slot);
  shapeSlot = slot;
  shapeClass = slotClass[slot] as number;
  if (++windowLines === SHAPE_WINDOW) {
    if (reused - windowReused < WORTH * SHAPE_WINDOW) restLeft = shapeRest;
    windowLines = 0;
    windowReused = reused;
  }
}

/**
 * The line being scanned, whose shape left its prefix to the task names the log taught, is read past `length`
 * characters of one (0: none). Its digit shape does not tell a learnt name (`app1: `) from another (`app2: `): a line
 * read from another character on than its class's first leaves the class, nothing about it answered or kept there.
 */
export function readPastLearntName(length: number): void {
  const slot = shapeSlot;
  if (slot === -1) return;
  const known = learntPrefixes[slot] as number;
  const learnt = length + 1;
  if (known === learnt) return;
  if (known === 0) learntPrefixes[slot] = learnt;
  else unshaped();
}

/** The shape class of the line being scanned: two lines of one class have the same digit shape. Never reused. */
export function lineShape(): number {
  return shapeClass;
}

/**
 * `re.test(text)`, where `text` is the line being scanned (or, for the slot's every use, the same part of it), and
 * `slot` names the expression at this use; a digit-blind slot answers from its shape class when it was asked there.
 */
/** What {@link shapedTest} asks: an expression, or a test of one (see {@link PREFILTER_KEYWORDS}). */
type Tester = Pick<RegExp, 'test'>;

function shapedTest(slot: number, re: Tester, text: string): boolean {
  const table = shapeSlot;
  if (table === -1) return re.test(text);
  if (blindSlots[slot] === 0) {
    digitTests++;
    return re.test(text);
  }
  return rememberedTest(answers, table * EXPRESSION_SLOTS + slot, re, text);
}

/**
 * `re.test(text)`, from `memo[at]` when a line of its shape class was asked (1 no, 2 yes), else kept there. A reuse
 * runs no operation that a miss has not run before it (the count is raised on every call and lowered on a miss, the
 * answer read in one place), here and in the memo's other lookups: V8 throws away the optimised scanner the first
 * time it runs an operation it never saw run, and in a log of distinct lines the first reuse comes after the scanner
 * was optimised (each such first cost recompiling the scanner's largest functions; docs/performance.md, session 66).
 */
function rememberedTest(memo: Uint8Array, at: number, re: Tester, text: string): boolean {
  let known = memo[at] as number;
  if (known === 0) {
    known = re.test(text) ? 2 : 1;
    memo[at] = known;
    reused--;
  }
  reused++;
  return known === 2;
}

/**
 * `prefixOrAnnouncement(text)` for the line being scanned (see {@link startLine}): its task prefix's length, or
 * `ANNOUNCES_TASK`. From its shape class when a line of the class was measured: in a log of a million compiler
 * errors, measured once per shape instead of once a line.
 */
export function linePrefixLength(text: string): number {
  const slot = shapeSlot;
  if (slot === -1) return prefixOrAnnouncement(text);
  let known = prefixLengths[slot] as number;
  if (known === 0) {
    known = prefixOrAnnouncement(text) + 1;
    prefixLengths[slot] = known;
    reused--;
  }
  reused++;
  return known - 1;
}

/**
 * After {@link scanLine}: the rule the walk over the candidate positions found for a line of this shape class
 * (`undefined`: not known, so walk them and {@link rememberWalk} what was found).
 */
export function knownWalk(inFailureList: boolean): Rule | null | undefined {
  const slot = shapeSlot;
  if (slot === -1) return undefined;
  const known = walks[2 * slot + (inFailureList ? 1 : 0)] as number;
  if (known === 0) {
    walkTests = digitTests;
    reused--;
  }
  reused++;
  return WALK_OUTCOMES[known];
}

/** What the walk found after {@link knownWalk} returned `undefined`, kept when the walk tested no digit. */
export function rememberWalk(inFailureList: boolean, rule: Rule | null): void {
  const slot = shapeSlot;
  if (slot === -1 || digitTests !== walkTests) return;
  const position = rule === null ? -1 : positionOf(rule);
  if (rule !== null && position === -1) return;
  walks[2 * slot + (inFailureList ? 1 : 0)] = position + 2;
}

/**
 * After {@link startLine}: the first digit-blind toolchain rule that matches the output of a line of this shape class
 * past npm's prefix, the output starting at character `start`, null for none (`undefined`: not known; see
 * `npm-output.ts`).
 */
export function knownNpmOutput(start: number, inFailureList: boolean): Rule | null | undefined {
  const slot = shapeSlot;
  if (slot === -1) return undefined;
  const at = 2 * slot + (inFailureList ? 1 : 0);
  const rule = npmOutputRules[at] as number;
  const known = npmOutputStarts[at] === start + 1 ? rule : 0;
  if (known === 0) reused--;
  reused++;
  return WALK_OUTCOMES[known];
}

/** What `npm-output.ts` found after {@link knownNpmOutput} returned `undefined`: the answer for the shape class. */
export function rememberNpmOutput(start: number, inFailureList: boolean, rule: Rule | null): void {
  const slot = shapeSlot;
  const position = rule === null ? -1 : positionOf(rule);
  if (slot === -1 || (rule !== null && position === -1)) return;
  const at = 2 * slot + (inFailureList ? 1 : 0);
  npmOutputStarts[at] = start + 1;
  npmOutputRules[at] = position + 2;
}

/**
 * Whether the expression of the rule at dispatch position `at` (see {@link CASCADE_AT}) answers alike for any two
 * texts of one digit shape. False for every one until the index is built, and while the memo is off.
 */
export function isBlindAt(at: number): boolean {
  return blindSlots[at] === 1;
}

/** Whether `PREFILTER_START_RE` (the pre-filter's shapes at a line's start) answers alike for texts of one digit shape. */
export function isPrefilterStartBlind(): boolean {
  return blindSlots[START_AT] === 1;
}

/** A rule's dispatch position (see {@link CASCADE_AT}), or -1 for a rule outside the table. */
export function positionOf(rule: Rule): number {
  return POSITION.get(rule) ?? -1;
}

/**
 * `re.test(text)` for the line being scanned from character `start` on (past its task's prefix), testing whether it
 * continues a block of the rule at `position`; `part` says which of the rule's expressions `re` is (its own, `end`,
 * `cont`, `contAfter.re`).
 */
export function continuationTest(position: number, part: ContinuationPart, re: RegExp, text: string, start = 0): boolean {
  if (position === -1) return re.test(text);
  const slot = continuationSlot(position, part);
  return start === 0 ? shapedTest(slot, re, text) : pastTest(slot, position, part, re, text, start);
}

/**
 * `GENERIC_CONT.test(text)` for `line`, the line being scanned, from character `start` on (`text`), continuing a block
 * of the rule at `position`. Once the literal index is built the line is read into it first ({@link scanLine}; the walk
 * that follows when the block does not take the line reads it from there), and where the line holds none of the
 * expression's literals the answer is no: in a log of 200,000 distinct compiler errors, each line closing the block
 * above it, the expression was ~2 % of the instructions.
 */
export function isGenericContinuation(line: string, text: string, position = -1, start = 0): boolean {
  if (index !== null) {
    scanLine(line);
    if (!index.may(GENERIC_CONT_AT)) return false;
  }
  return start === 0 ? shapedTest(GENERIC_CONT_SLOT, GENERIC_CONT, text) : pastTest(GENERIC_CONT_SLOT, position, GENERIC_CONT_PAST, GENERIC_CONT, text, start);
}

/**
 * `NOISE_RE.test(text)` for the line being scanned from character `start` on, continuing a block of the rule at
 * `position` (match's {@link isNoise} reads an annotation's body).
 */
export function isNoiseLine(text: string, position = -1, start = 0): boolean {
  return start === 0 ? shapedTest(NOISE_LINE_SLOT, NOISE_RE, text) : pastTest(NOISE_LINE_SLOT, position, NOISE_PAST, NOISE_RE, text, start);
}

/**
 * {@link shapedTest} for `text`, the line being scanned from character `start` on, where `slot` is the expression's
 * slot on whole lines (its digit-blindness) and `part` its place among the {@link pastAnswers} of the rule at
 * `position`.
 */
function pastTest(slot: number, position: number, part: number, re: RegExp, text: string, start: number): boolean {
  const table = shapeSlot;
  if (table === -1 || blindSlots[slot] === 0) return re.test(text);
  if (pastKeys[2 * table] !== start + 1 || pastKeys[2 * table + 1] !== position + 1) {
    pastKeys[2 * table] = start + 1;
    pastKeys[2 * table + 1] = position + 1;
    pastAnswers.fill(0, table * PAST_PARTS, (table + 1) * PAST_PARTS);
  }
  return rememberedTest(pastAnswers, table * PAST_PARTS + part, re, text);
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
  blindSlots = new Uint8Array(EXPRESSION_SLOTS);
  if (index !== null) startMemo(index);
  slotClass.fill(0);
  windowLines = 0;
  windowReused = 0;
  restLeft = 0;
  unshaped();
  return count;
}

/**
 * For tests: use the index from the next line on (`true`, and `null`, as a process does), or never (`false`: the
 * references "read with every rule"). `false` puts the index by, kept in {@link built}, so turning it on again costs
 * nothing; the files that share a worker (test/support/pure-function-files.ts) put it back with `null`.
 */
export function setIndexUse(use: boolean | null): void {
  indexUse = use !== false;
  if (!indexUse) index = null;
}

/**
 * Everything the log scanner reacts to while it is idle (no block open, no context awaited, no step header being
 * skipped), and the private-key filter's BEGIN line: a line that matches none of these only needs remembering.
 * `LogScanner.scan` tests the same expressions: a new reaction there belongs here too (the line filter's tests
 * compare analyses with and without the filter on every sample log).
 */
/**
 * A task runner's line whose body (read without the prefix, see task-prefix.ts) has a shape that starts a block: the
 * keywords are found anywhere in a line, the shapes only at its start.
 */
const TASK_PREFIXED_START_RE = new RegExp(`${TASK_PREFIX_RE.source}(?:${PREFILTER_START_RE.source.slice(1)})`);

export const SCANNER_TRIGGERS = {
  anywhere: [PREFILTER_RE, PRIVATE_KEY_BEGIN_RE],
  atStart: [/^##\[/, PREFILTER_START_RE, TASK_PREFIXED_START_RE, ...TASK_NAME_SOURCES, SECTION_START_RE, GHA_POST_RE, PASSING_REPORTS_HEADING_RE, PASSING_REPORTS_END_RE, ...EXIT_MARKERS.map(([re]) => re)],
} as const;

/**
 * Setting up the line filter costs 15–30 ms (decoding its automata, compiling the WebAssembly pass), once a process;
 * it pays for itself once the process has read a few megabytes, in one log or over many (a warm Lambda, the local
 * runtime), so the reader asks for it only past this many bytes, counting the logs the process read before.
 */
const FILTER_AFTER_BYTES = 2 * 1024 * 1024;
let filterAfterBytes = FILTER_AFTER_BYTES;
let lineFilter: LineFilter | null = null;
/** Bytes of the logs this process has analysed to their end (see {@link countLogRead}). */
let bytesOfEarlierLogs = 0;

/** The line filter over {@link SCANNER_TRIGGERS}, once `bytesRead` of this log and the logs before make it worth building; else null. */
export function scannerLineFilter(bytesRead: number): LineFilter | null {
  if (bytesOfEarlierLogs + bytesRead < filterAfterBytes) return null;
  lineFilter ??= new LineFilter(SCANNER_TRIGGERS);
  return lineFilter;
}

/** Counts a log analysed to its end towards {@link scannerLineFilter}'s threshold. */
export function countLogRead(bytesRead: number): void {
  bytesOfEarlierLogs += bytesRead;
}

/**
 * The line filter for a log expected to be `expectedBytes` long: {@link scannerLineFilter}, or for a log that
 * will be worth filtering, the filter from its first byte (see `AnalyzeLogOptions.expectedBytes`).
 */
export function lineFilterFor(expectedBytes: number): (bytesRead: number) => LineFilter | null {
  if (expectedBytes < filterAfterBytes) return scannerLineFilter;
  return () => (lineFilter ??= new LineFilter(SCANNER_TRIGGERS));
}

/**
 * A gate that reads only the lines the line filter names, whatever the reader's state: for a reader that reacts to
 * nothing but the filter's triggers (a green run's baseline, which keeps prefilter lines).
 */
export const NAMED_LINES_ONLY: LineGate = { filter: scannerLineFilter, skip: () => true, release: () => undefined };

/** For tests: filter from the first byte (`true`), never (`false`), or past the usual size (`null`). */
export function setLineFilterUse(use: boolean | null): void {
  filterAfterBytes = use === true ? 0 : use === false ? Number.POSITIVE_INFINITY : FILTER_AFTER_BYTES;
  bytesOfEarlierLogs = 0;
}
