/**
 * One Aho–Corasick automaton over the required literals (see `literals.ts`) of several expressions. {@link
 * LiteralIndex.scan} marks, for one line, the expressions that may match it; {@link LiteralIndex.may} and {@link
 * LiteralIndex.candidates} read the marks. Expressions without a required literal are always marked.
 *
 * The automaton reads the line's UTF-8 bytes, not its UTF-16 code units: written into WebAssembly memory (a native
 * copy, TextEncoder#encodeInto) and scanned there (`literal-index.wat`), a line costs a fraction of a JavaScript
 * `charCodeAt` loop, which made this scan the largest single cost of an error-dense log. UTF-8 never starts a
 * character inside another's bytes, so a literal's bytes occur in a line's bytes exactly where the literal occurs
 * in the line: the marks are the same as a scan of the characters would give. ASCII letters are folded, as the
 * literals are.
 *
 * Read by digit shape (`digits: 'shape'`), every digit stands for any digit, in the literals and in the line, so
 * lines that differ only in their digits get the same marks. The same memory holds a table of recent digit shapes
 * ({@link LiteralIndex.intern}): the scanner's digit-shape memo (see dispatch.ts) looks each line up there once.
 *
 * Lone surrogates are the exception: UTF-8 encoding writes each as U+FFFD, so a line holding one (or U+FFFD) may
 * get a "maybe" the characters would not give, never a "no". A literal must not start with the second half of a
 * surrogate pair nor end with the first: in a line that half may belong to a pair (`/\uDE00/` and `/[😀]x/`
 * match inside 😀, whose four UTF-8 bytes hold no U+FFFD), so such a half is dropped from the literal.
 */
import { LITERAL_INDEX_WASM } from './line-filter.generated.js';
import { requiredLiterals } from './literals.js';
import { inputsKey, storedData, storedDataStale, type StoredData } from './stored.js';
import { isHighSurrogate, isLowSurrogate, pairSafeEnd } from '../utf16.js';
import { ensureMemory, instantiate, type WasmMemory } from './wasm.js';

/** Characters of a line written and scanned at a time (a long line is scanned in pieces; the state carries over). */
const PIECE_CHARS = 16 * 1024;
/** UTF-8 takes at most three bytes per UTF-16 code unit. */
const INPUT_BYTES = PIECE_CHARS * 3;
const MAX_EXPRESSIONS = 2048;
/**
 * Literals are cut to this many characters: a smaller automaton, at the price of a few more "maybe" answers. At 8
 * (a 1.3 MB table of 32-bit entries then) the rule table's expressions are tested 15 % less often than at 6 (0.9 MB)
 * on an error-dense log, and longer cuts change little.
 */
export const LITERAL_PREFIX_CHARS = 8;
/** Memory layout (bytes): the class map, the marks of the line, then the tables and the input. */
const CLASSES_AT = 0;
const BITS_AT = CLASSES_AT + 256 * 4;
const TABLE_AT = BITS_AT + MAX_EXPRESSIONS / 8;
/**
 * A transition is 16 bits, the next state's number times 2, in a column per byte class (the class map gives the
 * column's address): the pass's one dependent load a byte waits on this table, and 2 bytes an entry halve it (0.8 MB
 * for 4,546 states × 89 classes, 1.6 MB at 4 bytes) without another operation on that load's path.
 */
const MAX_STATES = 0x8000;
/** The root state's entry (the state a line's scan starts in). */
const ROOT = 0;
/** While the table is built: a transition not yet written (entries are even). */
const NO_CHILD = 0xffff;
/** Writes a line's UTF-8 into the scan's memory (faster than Buffer#write, which parses its arguments each call). */
const UTF8 = new TextEncoder();

/** The WebAssembly pass's exports (see literal-index.wat). */
interface ScanExports {
  readonly memory: WasmMemory;
  scan(from: number, end: number, row: number, classes: number, marking: number, marks: number, bits: number, bytes: number): number;
  intern(line: number, n: number, meta: number, store: number, mask: number, scratch: number): number;
  inherit(table: number, states: number, classes: number, own: number, fails: number): void;
}

/** Slots of the shape table ({@link LiteralIndex.intern}); a power of two. */
export const SHAPE_SLOTS = 512;
/** Longest line (UTF-8 bytes) the shape table holds; a slot holds its shape's two rows of that many bytes. */
const SHAPE_BYTES = 256;
const SHAPE_WIDTH = SHAPE_BYTES * 2;
/** Set in {@link LiteralIndex.intern}'s answer when the line's shape was not in the table. */
export const NEW_SHAPE = 0x80000000 | 0;

/** `String.prototype.isWellFormed` (ES2024; the project's TypeScript library is ES2023). */
interface WellFormedCheck {
  isWellFormed(): boolean;
}

/**
 * The literals of each expression, cut to `maxLength` characters, without a second half of a surrogate pair at
 * the start or a first half at the end (see the file's comment): what remains is well-formed at both edges.
 */
function literalTargets(known: KnownLiterals, maxLength: number, always: Uint8Array, anyDigit: boolean): Map<string, number[]> {
  const targets = new Map<string, number[]>();
  known.forEach((lits, index) => {
    if (!lits) {
      always[index] = 1;
      return;
    }
    for (const whole of lits) {
      let lit = keptLiteral(whole, maxLength);
      if (lit === '') {
        always[index] = 1;
        continue;
      }
      if (anyDigit) lit = lit.replace(/[0-9]/g, '0');
      const list = targets.get(lit) ?? [];
      if (!list.includes(index)) list.push(index);
      targets.set(lit, list);
    }
  });
  return targets;
}

/** The part of literal `whole` an index cutting literals to `maxLength` characters looks for ('' for none). */
function keptLiteral(whole: string, maxLength: number): string {
  const lit = (isLowSurrogate(whole.charCodeAt(0)) ? whole.slice(1) : whole).slice(0, maxLength);
  return lit.length > 0 && isHighSurrogate(lit.charCodeAt(lit.length - 1)) ? lit.slice(0, -1) : lit;
}

/** `requiredLiterals` of each expression, in order (null: none), as the generated module stores them. */
export type KnownLiterals = ReadonlyArray<readonly string[] | null>;

function literalsOf(re: RegExp): string[] | null {
  const lits = requiredLiterals(re);
  return lits ? [...lits] : null;
}

/**
 * Reads every expression's required literals. With `maxLength` (what `npm run build:line-filter` stores), each as an
 * index cutting literals to that many characters keeps it, once: the same index, from a third of the bytes. A literal
 * whose cut would be cut again differently (a lone surrogate at both ends) is kept whole.
 */
export function readLiterals(expressions: readonly RegExp[], maxLength?: number): KnownLiterals {
  const read = expressions.map(literalsOf);
  if (maxLength === undefined) return read;
  return read.map((lits) => lits && [...new Set(lits.map((whole) => {
    const kept = keptLiteral(whole, maxLength);
    return keptLiteral(kept, maxLength) === kept ? kept : whole;
  }))]);
}

/**
 * What a case-kept check of `re`'s whole literals looks for before the expression is tested (dispatch.ts's
 * `WHOLE_LITERALS`, which a unit test keeps equal to this): strings one of which every match of `re` holds, case kept, or null (none known, or the expression
 * folds case). Each of `requiredLiterals(re, true)` is cut to its longest run without a digit (the reader spells
 * digits out: `0): error: Failed` … `9): error: Failed`), literals sharing a start longer than the index's cut give
 * way to that start (`): error: ` for three), and one that holds another goes: each is a part of a required literal,
 * so a text the expression matches holds one of them, and fewer are looked for.
 */
export function checkedLiterals(re: RegExp): string[] | null {
  const whole = requiredLiterals(re, true);
  if (!whole) return null;
  let lits = [...new Set([...whole].map((lit) => lit.split(/[0-9]/).reduce((a, b) => (b.length > a.length ? b : a), '')))];
  if (lits.includes('')) return null;
  for (let merged = true; merged; ) {
    merged = false;
    for (let i = 0; i < lits.length && !merged; i++) {
      for (let j = i + 1; j < lits.length && !merged; j++) {
        const start = commonStart(lits[i] as string, lits[j] as string);
        if (start.length <= LITERAL_PREFIX_CHARS) continue;
        lits = [...new Set([...lits.filter((_, k) => k !== i && k !== j), start])];
        merged = true;
      }
    }
  }
  return lits.filter((lit) => !lits.some((other) => other !== lit && lit.includes(other)));
}

function commonStart(a: string, b: string): string {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return a.slice(0, n);
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `text` with its letters A–Z in lower case and every other character as it is: the index's folding (as
 * `requiredLiterals` folds a literal's).
 */
export function foldAscii(text: string): string {
  // On ASCII text `toLowerCase` is that folding; past ASCII it may change other characters (a final sigma by its
  // place, the Kelvin sign into a k), so there the code units are folded one by one and read back as UTF-16, which
  // keeps a lone surrogate as it is (TextDecoder would write U+FFFD). A replace calling back for each run of capitals
  // took ~0.2 ms on 4,096 characters of tokens and accented words, this ~0.04, and the pattern gate folds an excerpt
  // again after each replacement (session 76's attacker's pass: 5–7 ms against ~1 ms without the gate).
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    units[i] = unit >= 65 && unit <= 90 ? unit + 32 : unit;
  }
  return Buffer.from(units.buffer, units.byteOffset, units.byteLength).toString('utf16le');
}

/**
 * A {@link LiteralIndex}'s answers without its automaton: whether one of an expression's literals (cut as the index
 * cuts them, folded as it folds them) occurs in the text read, looked for with `includes` when the expression is
 * asked. The same answers as an index reading digits exactly, for any well-formed text (a unit test compares the
 * two), so the same "maybe": an expression it rules out cannot match.
 *
 * For the texts a process reads before an automaton pays for its building (15–20 ms): nothing to build, and an
 * expression it rules out is neither run nor, if it never ran, compiled (V8 compiles an expression the first time it
 * runs). See the redaction's pattern gate (redaction/pattern-gate.ts), the one user.
 */
export class LiteralGate {
  private readonly known: KnownLiterals;
  private readonly maxLength: number;
  /** Each expression's literals as the index keeps them, or null for none known: read when first asked. */
  private readonly kept: Array<readonly string[] | null | undefined>;
  /** What was answered of the text read, by expression: 0 not asked yet, 1 no, 2 maybe (an expression asked again). */
  private readonly answers: Uint8Array;
  private text = '';
  private folded: string | null = '';

  constructor(known: KnownLiterals, maxLength = LITERAL_PREFIX_CHARS) {
    this.known = known;
    this.maxLength = maxLength;
    this.kept = new Array<readonly string[] | null | undefined>(known.length);
    this.answers = new Uint8Array(known.length);
  }

  /** Reads `text`; until the next read, {@link may} answers for it. */
  read(text: string): void {
    if (text === this.text) return;
    this.text = text;
    this.folded = null;
    this.answers.fill(0);
  }

  /** After {@link read}: can expression `index` match the text read (or a part of it)? */
  may(index: number): boolean {
    const known = this.answers[index];
    if (known !== 0) return known === 2;
    const may = this.holdsOne(this.keptAt(index));
    this.answers[index] = may ? 2 : 1;
    return may;
  }

  private holdsOne(lits: readonly string[] | null): boolean {
    if (lits === null) return true;
    const folded = (this.folded ??= foldAscii(this.text));
    for (let i = 0; i < lits.length; i++) if (folded.includes(lits[i] as string)) return true;
    return false;
  }

  private keptAt(at: number): readonly string[] | null {
    let kept = this.kept[at];
    if (kept === undefined) {
      const lits = this.known[at]?.map((whole) => foldAscii(keptLiteral(whole, this.maxLength)));
      kept = this.kept[at] = !lits || lits.includes('') ? null : [...new Set(lits)];
    }
    return kept;
  }
}

/**
 * The literals of `expressions` as `stored` keeps them, when they were read from these very expressions; else read
 * here, or in a bundle built without the reader a stale-data error naming `what` (see stored.ts).
 */
export function knownLiteralsOf(stored: StoredData, expressions: readonly RegExp[], what: string): KnownLiterals {
  const bytes = storedData(stored, expressionsKey(expressions));
  if (bytes !== null) return JSON.parse(bytes.toString('utf8')) as KnownLiterals;
  return typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale(what) : readLiterals(expressions);
}

/** Names a list of expressions: stored literals are used only for exactly the expressions they were read from. */
export function expressionsKey(expressions: readonly RegExp[]): string {
  return inputsKey(expressions.map((re) => [re.source, re.flags]));
}

/** Where the tables lie in the memory, and how the marks are laid out: what a build computes and an image keeps. */
interface TableLayout {
  /** A marking state's marks, in bytes: whole 16-byte blocks (see {@link planTables}). */
  readonly markBytes: number;
  readonly marksAt: number;
  readonly inputAt: number;
  /** The first state with marks, times 2 (states are numbered so that those come last). */
  readonly marking: number;
}

/** The automaton of some expressions' literals, numbered and laid out, before it is written into the memory. */
interface TablePlan extends TableLayout {
  readonly always: Uint8Array;
  readonly classOf: Uint8Array;
  readonly classes: number;
  readonly states: number;
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly edgeClass: Uint8Array;
  readonly fail: Int32Array;
  readonly outs: ReadonlyArray<readonly number[] | undefined>;
  readonly bfs: Int32Array;
  readonly rank: Int32Array;
  readonly firstMarking: number;
}

/** An image's parts (see {@link LiteralIndex.image}), checked against its header. */
interface ImageParts extends TableLayout {
  readonly always: Uint8Array;
  /** The memory's bytes up to the input: class map, the last line's marks (zero), transitions, marks. */
  readonly tables: Uint8Array;
}

/** 'PGLI' and the layout's version, first in an image: an image of another layout is not read. */
const IMAGE_MAGIC = 0x494c4750;
const IMAGE_VERSION = 1;
const IMAGE_HEADER_BYTES = 32;

/** The automaton of `expressions`' literals and the layout of its tables, for {@link LiteralIndex}'s build. */
function planTables(expressions: readonly RegExp[], maxLength: number, known: KnownLiterals | undefined, digits: 'exact' | 'shape'): TablePlan {
  const n = expressions.length;
  const always = new Uint8Array(n);
  const literalsRead = known ?? (typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale('a literal index') : readLiterals(expressions));
  const byLiteral = literalTargets(literalsRead, maxLength, always, digits === 'shape');
  const literals = [...byLiteral].map(([lit, targets]) => ({ bytes: Buffer.from(lit, 'utf8'), targets }));
  // Byte classes: one per distinct byte of the literals (A–Z share a–z's: the literals are folded), 0 for others.
  const classOf = new Uint8Array(256);
  let classes = 1;
  for (const { bytes } of literals) {
    for (const b of bytes) {
      if (classOf[b] !== 0) continue;
      if (classes === 256) throw new Error('too many literal bytes');
      classOf[b] = classes++;
      if (b >= 97 && b <= 122) classOf[b - 32] = classOf[b] as number;
      // Only the 0 is left in a shape's literals: it stands for every digit.
      if (b === 48 && digits === 'shape') classOf.fill(classOf[b] as number, 49, 58);
    }
  }
  const { states, firstChild, nextSibling, edgeClass, fail, outs, bfs } = ahoCorasick(literals, classOf);
  if (states > MAX_STATES) throw new Error('too many literal states for 16-bit transitions');
  // Whole 16-byte blocks: the pass ORs a marking state's marks into the line's 16 bytes at a time (one word at a
  // time, they were ~3 % of the instructions on a log of 200,000 distinct compiler errors, ~11 marking states a line).
  const markBytes = ((n + 127) >>> 7) * 16;
  // Number the states so that those with something to mark come last (one comparison per byte tells), each group
  // in breadth-first order: the shallow states most bytes lead to then share the first cache lines of each column
  // (the scan of errors-words-30's lines alone: 66-70 -> 61-64 ms of CPU against trie order).
  const rank = new Int32Array(states);
  let next = 0;
  for (const s of bfs) if (outs[s] === undefined) rank[s] = next++;
  const firstMarking = next;
  for (const s of bfs) if (outs[s] !== undefined) rank[s] = next++;
  if (rank[0] !== 0) throw new Error('the root state must have nothing to mark');
  const marksAt = TABLE_AT + Math.ceil((classes * states * 2) / 16) * 16;
  const inputAt = marksAt + (states - firstMarking) * markBytes;
  return { always, classOf, classes, states, firstChild, nextSibling, edgeClass, fail, outs, bfs, rank, firstMarking, markBytes, marksAt, inputAt, marking: firstMarking * 2 };
}

/** `bytes` as an image of an index of `n` expressions (see {@link LiteralIndex.image}), or null when they are not one. */
function imageParts(bytes: Uint8Array, n: number): ImageParts | null {
  if (bytes.byteLength < IMAGE_HEADER_BYTES) return null;
  const header = new DataView(bytes.buffer, bytes.byteOffset, IMAGE_HEADER_BYTES);
  const word = (k: number): number => header.getInt32(k * 4, true);
  const [magic, version, count, markBytes, marksAt, inputAt, marking] = [0, 1, 2, 3, 4, 5, 6].map(word) as [number, number, number, number, number, number, number];
  if (magic !== IMAGE_MAGIC || version !== IMAGE_VERSION || count !== n) return null;
  if (markBytes !== ((n + 127) >>> 7) * 16 || marksAt < TABLE_AT || marksAt % 16 !== 0 || inputAt < marksAt || (inputAt - marksAt) % markBytes !== 0) return null;
  if (marking < 0 || marking % 2 !== 0 || bytes.byteLength !== IMAGE_HEADER_BYTES + inputAt + n) return null;
  const tables = bytes.subarray(IMAGE_HEADER_BYTES, IMAGE_HEADER_BYTES + inputAt);
  return { markBytes, marksAt, inputAt, marking, always: bytes.slice(IMAGE_HEADER_BYTES + inputAt), tables };
}

export class LiteralIndex {
  private readonly always: Uint8Array;
  /** The memory both passes read: class map, marks, transition table, marks table, input. */
  private readonly memory: ArrayBuffer;
  private readonly words: Int32Array;
  /** The transition table's view of {@link memory}. */
  private readonly entries: Uint16Array;
  private readonly input: Uint8Array;
  private readonly inputAt: number;
  /** The shape table (see {@link intern}): a hash and a length per slot, the slots' shapes, and the scratch rows. */
  private readonly shapeMetaAt: number;
  private readonly shapeStoreAt: number;
  private readonly shapeScratchAt: number;
  /** Bytes of the line {@link load}ed last. */
  private loadedLength = 0;
  private readonly marksAt: number;
  /** The first state with marks, times 2 (states are numbered so that those come last). */
  private readonly marking: number;
  private readonly markBytes: number;
  /** The last scan's marks as a bit set (expression i is bit i % 32 of word i / 32), always-tested ones included. */
  private readonly bits: Int32Array;
  private readonly alwaysBits: Int32Array;
  private readonly wasm: ScanExports | null;

  /**
   * @param maxLength literals are cut to their first `maxLength` characters (see {@link LITERAL_PREFIX_CHARS}).
   * @param pass `'js'` runs the JavaScript pass even where WebAssembly is available (the tests' reference).
   * @param known the expressions' literals, read beforehand ({@link readLiterals}): reading every expression costs
   *   30 ms and grows the heap by ~5 MB, so the analyzer ships them read (see dispatch.ts).
   * @param digits `'shape'` reads every digit as any digit, in the literals and in the line: a literal `exit code
   *   137` then marks its expression in a line with `exit code 255` too (a "maybe" more), and two lines of the same
   *   digit shape always get the same marks, so one line's marks serve every line of its shape ({@link intern}).
   * @param image the tables an index of these expressions wrote ({@link image}), read by {@link fromImage}: used as
   *   they are, in place of the literals and the build, whose options (`maxLength`, `known`, `digits`) they carry.
   */
  constructor(
    expressions: readonly RegExp[],
    maxLength = LITERAL_PREFIX_CHARS,
    pass: 'wasm' | 'js' = 'wasm',
    known?: KnownLiterals,
    digits: 'exact' | 'shape' = 'exact',
    image?: ImageParts,
  ) {
    const n = expressions.length;
    if (n > MAX_EXPRESSIONS) throw new Error(`a literal index takes at most ${MAX_EXPRESSIONS} expressions`);
    if (known && known.length !== n) throw new Error('known literals for another list of expressions');
    const tables: TablePlan | ImageParts = image ?? planTables(expressions, maxLength, known, digits);
    this.always = tables.always;
    this.markBytes = tables.markBytes;
    this.marksAt = tables.marksAt;
    this.inputAt = tables.inputAt;
    this.marking = tables.marking;
    this.shapeMetaAt = this.inputAt + INPUT_BYTES;
    this.shapeStoreAt = this.shapeMetaAt + SHAPE_SLOTS * 8;
    this.shapeScratchAt = this.shapeStoreAt + SHAPE_SLOTS * SHAPE_WIDTH;
    const size = this.shapeScratchAt + SHAPE_WIDTH;
    this.wasm = pass === 'wasm' ? instantiate<ScanExports>(LITERAL_INDEX_WASM) : null;
    if (this.wasm) {
      ensureMemory(this.wasm.memory, size);
      this.memory = this.wasm.memory.buffer;
    } else this.memory = new ArrayBuffer(size);
    this.words = new Int32Array(this.memory);
    this.entries = new Uint16Array(this.memory);
    if ('tables' in tables) new Uint8Array(this.memory).set(tables.tables);
    else this.writeTables(tables);
    this.bits = new Int32Array(this.memory, BITS_AT, this.markBytes / 4);
    this.input = new Uint8Array(this.memory, this.inputAt, INPUT_BYTES);
    this.alwaysBits = new Int32Array(this.bits.length);
    this.always.forEach((isAlways, i) => {
      if (isAlways === 1) this.alwaysBits[i >>> 5] = (this.alwaysBits[i >>> 5] as number) | (1 << (i & 31));
    });
  }

  /**
   * The index of `expressions` whose tables {@link image} wrote, or null when `bytes` are not such an image (another
   * layout's, another list's length, cut short). Nothing in the bytes says which expressions they were built from:
   * the caller keeps an image where only the same expressions can read it (the CLI, in the folder of the build that
   * wrote it).
   */
  static fromImage(expressions: readonly RegExp[], bytes: Uint8Array, pass: 'wasm' | 'js' = 'wasm'): LiteralIndex | null {
    const parts = imageParts(bytes, expressions.length);
    return parts === null ? null : new LiteralIndex(expressions, undefined, pass, undefined, undefined, parts);
  }

  /**
   * The tables as bytes that {@link fromImage} reads back: a header, the class map, transitions and marks (what
   * the build wrote; the last line's marks left out), then which expressions are always tested.
   */
  image(): Uint8Array {
    const header = [IMAGE_MAGIC, IMAGE_VERSION, this.always.length, this.markBytes, this.marksAt, this.inputAt, this.marking, 0];
    const bytes = new Uint8Array(IMAGE_HEADER_BYTES + this.inputAt + this.always.length);
    const view = new DataView(bytes.buffer);
    header.forEach((word, k) => view.setInt32(k * 4, word, true));
    bytes.set(new Uint8Array(this.memory, 0, this.inputAt), IMAGE_HEADER_BYTES);
    bytes.fill(0, IMAGE_HEADER_BYTES + BITS_AT, IMAGE_HEADER_BYTES + TABLE_AT);
    bytes.set(this.always, IMAGE_HEADER_BYTES + this.inputAt);
    return bytes;
  }

  /** Writes the class map, the transition table and the marks of {@link planTables}'s automaton into the memory. */
  private writeTables(plan: TablePlan): void {
    const { classOf, classes, states, firstChild, nextSibling, edgeClass, fail, outs, bfs, rank, firstMarking } = plan;
    const words = this.words;
    const entries = this.entries;
    for (let b = 0; b < 256; b++) words[CLASSES_AT / 4 + b] = TABLE_AT + (classOf[b] as number) * states * 2;
    // The complete table is written where it is read: each state's own children first, then (`inherit`), a column at
    // a time in breadth-first order, every other transition is its failure state's (filled earlier: it is shallower;
    // the root's lead back to it). No intermediate table is built, which kept a 1.3 MB array and a typed array per
    // state alive until the process's peak. `inherit` runs in WebAssembly: its 400,000 entries took ~5 ms of
    // JavaScript that V8 had not optimised yet, at the one build a process makes.
    const firstEntry = TABLE_AT / 2;
    entries.fill(NO_CHILD, firstEntry, firstEntry + classes * states);
    // The states in breadth-first order and their failure states (entries, as the table holds them), for `inherit`,
    // in the input's place: nothing is read there before the table is done.
    const ownAt = this.inputAt;
    const failsAt = ownAt + states * 2;
    for (let k = 0; k < states; k++) {
      const s = bfs[k] as number;
      const own = rank[s] as number;
      entries[ownAt / 2 + k] = own * 2;
      entries[failsAt / 2 + k] = (rank[fail[s] as number] as number) * 2;
      for (let child = firstChild[s] as number; child !== 0; child = nextSibling[child] as number) {
        entries[firstEntry + (edgeClass[child] as number) * states + own] = (rank[child] as number) * 2;
      }
      const targets = outs[s];
      if (targets === undefined) continue;
      const marks = (this.marksAt + (own - firstMarking) * this.markBytes) >>> 2;
      for (const target of targets) words[marks + (target >>> 5)] = (words[marks + (target >>> 5)] as number) | (1 << (target & 31));
    }
    if (this.wasm) this.wasm.inherit(TABLE_AT, states, classes, ownAt, failsAt);
    else this.inheritInJs(states, classes, ownAt, failsAt);
    // Zero again where the lists were: the shape table past the input starts empty (a slot's hash and length 0).
    entries.fill(0, ownAt / 2, failsAt / 2 + states);
  }

  /**
   * Writes `text` into the automaton's input for {@link intern} and {@link scanLoaded}. False, and nothing to
   * intern, for a line over 256 UTF-8 bytes or one that is not well-formed UTF-16: UTF-8 writes every lone
   * surrogate as U+FFFD, so two such lines could share bytes and not characters.
   */
  load(text: string): boolean {
    if (text.length > SHAPE_BYTES || !(text as unknown as WellFormedCheck).isWellFormed()) return false;
    this.loadedLength = UTF8.encodeInto(text, this.input).written;
    return this.loadedLength <= SHAPE_BYTES;
  }

  /**
   * After {@link load}: the slot of the shape table that holds the loaded line's digit shape (`sameShape` in
   * fingerprint.ts), with {@link NEW_SHAPE} set when the shape was not there and the line's took the slot over. A
   * shape is compared whole, not by its hash: the line with every digit written as `0`, and which of its bytes are
   * the `0` of a `0x` (UTF-8 keeps ASCII digits as single bytes, and no other character's bytes are digits).
   */
  intern(): number {
    const wasm = this.wasm;
    const n = this.loadedLength;
    if (wasm !== null) return wasm.intern(this.inputAt, n, this.shapeMetaAt, this.shapeStoreAt, SHAPE_SLOTS - 1, this.shapeScratchAt);
    return this.internInJs(n);
  }

  /** literal-index.wat's `intern` in JavaScript (the tests' reference), 16 bytes at a time as there. */
  private internInJs(n: number): number {
    const bytes = new Uint8Array(this.memory);
    const words = this.words;
    const line = this.inputAt;
    const scratch = this.shapeScratchAt;
    let hash = -2128831035;
    for (let i = 0; i < n; i += 16) {
      for (let k = i; k < i + 16; k++) {
        const b = bytes[line + k] as number;
        const digit = b >= 48 && b <= 57;
        bytes[scratch + k] = k >= n ? 0 : digit ? 48 : b;
        bytes[scratch + SHAPE_BYTES + k] = k + 1 < n && b === 48 && ((bytes[line + k + 1] as number) | 32) === 120 ? 0xff : 0;
      }
      for (const row of [scratch + i, scratch + SHAPE_BYTES + i]) {
        for (let lane = 0; lane < 4; lane++) hash = Math.imul(hash ^ (words[(row >>> 2) + lane] as number), 16777619);
      }
    }
    const slot = (hash ^ (hash >>> 15)) & (SHAPE_SLOTS - 1);
    const meta = (this.shapeMetaAt >>> 2) + slot * 2;
    const at = this.shapeStoreAt + slot * SHAPE_WIDTH;
    const rounded = (n + 15) & ~15;
    const same = (row: number): boolean => {
      for (let k = 0; k < rounded; k++) if (bytes[scratch + row + k] !== bytes[at + row + k]) return false;
      return true;
    };
    if (words[meta] === hash && words[meta + 1] === n && same(0) && same(SHAPE_BYTES)) return slot;
    words[meta] = hash;
    words[meta + 1] = n;
    bytes.copyWithin(at, scratch, scratch + rounded);
    bytes.copyWithin(at + SHAPE_BYTES, scratch + SHAPE_BYTES, scratch + SHAPE_BYTES + rounded);
    return slot | NEW_SHAPE;
  }

  /** The marks' size in 32-bit words (see {@link saveMarks}). */
  get markWords(): number {
    return this.bits.length;
  }

  /** Copies the last scan's marks to `into` at `at` ({@link markWords} words). */
  saveMarks(into: Int32Array, at: number): void {
    into.set(this.bits, at);
  }

  /** literal-index.wat's `inherit` in JavaScript (the tests' reference). */
  private inheritInJs(states: number, classes: number, ownAt: number, failsAt: number): void {
    const entries = this.entries;
    for (let column = TABLE_AT / 2, end = column + classes * states; column < end; column += states) {
      if (entries[column] === NO_CHILD) entries[column] = ROOT;
      for (let k = 1; k < states; k++) {
        const at = column + (entries[ownAt / 2 + k] as number) / 2;
        if (entries[at] === NO_CHILD) entries[at] = entries[column + (entries[failsAt / 2 + k] as number) / 2] as number;
      }
    }
  }

  /** Makes marks saved with {@link saveMarks} the current ones again. */
  restoreMarks(from: Int32Array, at: number): void {
    this.bits.set(from.subarray(at, at + this.bits.length));
  }

  /** After {@link load}: {@link scan} of the loaded line. */
  scanLoaded(): void {
    this.bits.set(this.alwaysBits);
    this.scanBytes(this.inputAt, this.inputAt + this.loadedLength, ROOT);
  }

  /** Marks the expressions whose required literals occur in `text` (starts a new line's marks). */
  scan(text: string): void {
    this.bits.set(this.alwaysBits);
    const n = text.length;
    let row = ROOT;
    for (let from = 0; from < n; ) {
      const to = pairSafeEnd(text, Math.min(n, from + PIECE_CHARS));
      const { written } = UTF8.encodeInto(from === 0 && to === n ? text : text.slice(from, to), this.input);
      row = this.scanBytes(this.inputAt, this.inputAt + written, row);
      from = to;
    }
  }

  private scanBytes(from: number, end: number, row: number): number {
    const wasm = this.wasm;
    if (wasm === null) return this.scanInJs(from, end, row);
    return wasm.scan(from, end, row, CLASSES_AT, this.marking, this.marksAt, BITS_AT, this.markBytes);
  }

  /** The pass of literal-index.wat in JavaScript: where WebAssembly is unavailable, and the tests' reference. */
  private scanInJs(from: number, end: number, row: number): number {
    const { words, entries, marking, marksAt, markBytes } = this;
    const bytes = new Uint8Array(this.memory);
    for (let i = from; i < end; i++) {
      row = entries[(row + (words[CLASSES_AT / 4 + (bytes[i] as number)] as number)) >>> 1] as number;
      if (row < marking) continue;
      const marks = (marksAt + ((row - marking) >>> 1) * markBytes) >>> 2;
      for (let w = 0; w < markBytes >>> 2; w++) words[BITS_AT / 4 + w] = (words[BITS_AT / 4 + w] as number) | (words[marks + w] as number);
    }
    return row;
  }

  /**
   * After {@link scan}: the expressions that may match, as a bit set (expression i is bit `i % 32` of word
   * `i / 32`; see {@link nextCandidate}). Walking it beats asking {@link may} of every expression. The next scan
   * overwrites it.
   */
  candidates(): Int32Array {
    return this.bits;
  }

  /** After {@link scan}: can expression `index` match the scanned text? */
  may(index: number): boolean {
    return (((this.bits[index >>> 5] as number) >>> (index & 31)) & 1) === 1;
  }

  /** Expressions that no literal can rule out (tested on every line). */
  get alwaysTested(): number {
    return this.always.reduce((sum, v) => sum + v, 0);
  }
}

/**
 * The trie of `literals` over byte classes, its failure links, and per state the targets of every literal that ends
 * there or at one of its suffixes (undefined: none), with the states in breadth-first order. A state's children are a
 * list in the order they were added (`firstChild`, then `nextSibling`, 0 ending it: the root is no one's child;
 * `edgeClass` is the class of the edge into a state): typed arrays, not an array of pairs per state, since this runs
 * once a process before V8 has optimised it (the index's first build 55–70 → 18–34 ms, session 78).
 */
function ahoCorasick(
  literals: ReadonlyArray<{ bytes: Uint8Array; targets: readonly number[] }>,
  classOf: Uint8Array,
): { states: number; firstChild: Int32Array; nextSibling: Int32Array; edgeClass: Uint8Array; fail: Int32Array; outs: Array<number[] | undefined>; bfs: Int32Array } {
  let states = 1;
  for (const { bytes } of literals) states += bytes.length;
  const firstChild = new Int32Array(states);
  const nextSibling = new Int32Array(states);
  const edgeClass = new Uint8Array(states);
  const outs: Array<number[] | undefined> = [undefined];
  // The child of `s` by class `cls`, or 0.
  const childOf = (s: number, cls: number): number => {
    let t = firstChild[s] as number;
    while (t !== 0 && edgeClass[t] !== cls) t = nextSibling[t] as number;
    return t;
  };
  states = 1;
  for (const { bytes, targets } of literals) {
    let s = 0;
    for (const b of bytes) {
      const cls = classOf[b] as number;
      let t = childOf(s, cls);
      if (t === 0) {
        t = states++;
        outs.push(undefined);
        edgeClass[t] = cls;
        let last = firstChild[s] as number;
        if (last === 0) firstChild[s] = t;
        else {
          while (nextSibling[last] !== 0) last = nextSibling[last] as number;
          nextSibling[last] = t;
        }
      }
      s = t;
    }
    outs[s] = (outs[s] ?? []).concat(targets);
  }
  const fail = new Int32Array(states);
  const bfs = new Int32Array(states);
  for (let q = 0, queued = 1; q < queued; q++) {
    const s = bfs[q] as number;
    for (let t = firstChild[s] as number; t !== 0; t = nextSibling[t] as number) {
      if (s !== 0) {
        let f = fail[s] as number;
        while (f !== 0 && childOf(f, edgeClass[t] as number) === 0) f = fail[f] as number;
        fail[t] = childOf(f, edgeClass[t] as number);
      }
      const inherited = outs[fail[t] as number];
      if (inherited !== undefined) outs[t] = (outs[t] ?? []).concat(inherited);
      bfs[queued++] = t;
    }
  }
  return { states, firstChild, nextSibling, edgeClass, fail, outs, bfs };
}

/** The first expression at or after `from` in a {@link LiteralIndex.candidates} bit set, or -1. */
export function nextCandidate(bits: Int32Array, from: number): number {
  let word = from >>> 5;
  if (word >= bits.length) return -1;
  let x = (bits[word] as number) & (-1 << (from & 31));
  for (;;) {
    if (x !== 0) return (word << 5) + 31 - Math.clz32(x & -x);
    if (++word >= bits.length) return -1;
    x = bits[word] as number;
  }
}
