/**
 * The line filter: one pass over a chunk's bytes that names the lines a reader must look at, so the others are
 * never decoded, cleaned or scanned. On the real-log mix of `npm run bench` about nine lines in ten are ordinary
 * output that no rule, marker or section header can match: their whole cost becomes this pass.
 *
 * A line is named when one of the *triggers* may match its cleaned text (see `cleanLine`). The pass reads the raw
 * bytes the way `cleanLine` reads them, without building the cleaned string:
 * - ANSI sequences are skipped exactly as `cleanLine`'s expression removes them (left to right, its alternatives
 *   in order), so `err\x1b[0mor` is read as `error`;
 * - a `\r` starts the line again (a progress bar's segments: the cleaned line is one of them), and so does `ESC[1G`
 *   (or `ESC[G`, `ESC[0G`, `ESC[01G`), the cursor sent to the first column (see `COLUMN_ONE` in reader.ts);
 * - anchored triggers may start after what cleaning strips from the front (BOM, timestamp, BuildKit prefix);
 * - a `^[`-style caret escape, which cleaning removes in a pass of its own, names the line outright (even where
 *   the `^` would end an ANSI sequence: cleaning removes the caret escape first).
 * The automata read every trigger more loosely than JavaScript (see `byte-dfa.ts`), so a named line may turn out
 * to be ordinary; a line that is not named cannot match any trigger.
 */
import { compileByteDfas, DEAD, decodeByteDfaSet, HIT, READABLE_FLAGS, type ByteDfa, type ByteDfaSet, type ByteDfaSpec } from './byte-dfa.js';
import { LINE_FILTER_TABLES, LINE_FILTER_WASM } from './line-filter.generated.js';
import { CLEANED_PREFIX_SOURCE, escapeEnd, NAMED, remnantEnd } from './reader.js';
import { UnsupportedRegexError } from './regex-syntax.js';
import { inputsKey, storedData, storedDataStale } from './stored.js';
import { ensureMemory, instantiate, type WasmMemory } from './wasm.js';

/** What a reader reacts to in a line, as expressions over the cleaned text. */
export interface LineTriggers {
  /** Expressions that can match anywhere in a line. */
  readonly anywhere: readonly RegExp[];
  /** Expressions anchored at the line's start (each begins with `^`). */
  readonly atStart: readonly RegExp[];
}

/**
 * Cleaning removes `^[[31m`-style escapes in a pass of its own: a line with a `^[` is always named, and cleaning
 * alone tells a printed escape from a regular expression's `^[[a-z]`.
 */
const CARET_ESCAPE_SOURCE = String.raw`\^\[`;

const ESC = 27;
const LF = 10;
const CR = 13;
const BRACKET = 91;

/** Bytes the pass handles itself before the automata see them. */
const SPECIAL = new Uint8Array(256);
SPECIAL[LF] = 1;
SPECIAL[CR] = 1;
SPECIAL[ESC] = 1;
SPECIAL[BRACKET] = 1;

const CARET = 94;

/**
 * Where the pass goes on after the ANSI sequence at the ESC at `i`. Cleaning removes `^[[`-style escapes before
 * the ANSI sequences, so a sequence that ends with the `^` of a `^[[` (`ESC ^`, or a CSI with `^` as its final
 * byte) does not hide the caret escape: the pass resumes at that `^`, and the caret trigger names the line.
 */
function escapeSkip(bytes: Uint8Array, i: number, end: number): number {
  const e = escapeEnd(bytes, i, end);
  return e + 1 < end && bytes[e - 1] === CARET && bytes[e] === BRACKET && bytes[e + 1] === BRACKET ? e - 1 : e;
}

/**
 * The length of the sequence the ESC at `i` starts when it sends the cursor to the line's first column (read as a
 * `\r`): `ESC[G`, `ESC[0G` or `ESC[1G`, zero-padded or not (see `COLUMN_ONE` in reader.ts); 0 when it does not.
 */
function columnOneAt(bytes: Uint8Array, i: number, end: number): number {
  if (i + 2 >= end || bytes[i + 1] !== BRACKET) return 0;
  // Any number of zeros, then an optional 1, then the G.
  let at = i + 2;
  while (at < end && bytes[at] === 48 /* 0 */) at++;
  if (at < end && bytes[at] === 49 /* 1 */) at++;
  return at < end && bytes[at] === 71 /* G */ ? at + 1 - i : 0;
}

/** Just past the second tab of the line at `i` (gh's job and step columns), or `i` when it has fewer before its LF. */
function columnsEnd(bytes: Uint8Array, i: number, end: number): number {
  let tabs = 0;
  for (let j = i; j < end; j++) {
    const b = bytes[j] as number;
    if (b === LF) break;
    if (b === 9 && ++tabs === 2) return j + 1;
  }
  return i;
}

/** Row offsets instead of state numbers: the loop then adds a class without multiplying. */
function rowTable(dfa: ByteDfa, columns: number): Int32Array {
  const table = new Int32Array(dfa.next.length);
  for (let k = 0; k < table.length; k++) table[k] = (dfa.next[k] as number) * columns;
  return table;
}

/** Both automata's {@link rowTable}s. */
function rowTablesOf(set: ByteDfaSet): RowTables {
  const [anywhere, atStart] = set.automata as [ByteDfa, ByteDfa];
  return { anywhere: rowTable(anywhere, set.columns), atStart: rowTable(atStart, set.columns) };
}

/** The WebAssembly pass's table of `dfa` at byte `base` of its memory: each state as the address of its row. */
function writeAddresses(words: Int32Array, base: number, dfa: ByteDfa, columns: number): void {
  const { next } = dfa;
  for (let k = 0; k < next.length; k++) words[base / 4 + k] = base + (next[k] as number) * columns * 4;
}

/** What the two automata recognise: the triggers, read over raw bytes as the pass reads them. */
export function lineFilterSpecs(triggers: LineTriggers): ByteDfaSpec[] {
  for (const re of [...triggers.anywhere, ...triggers.atStart]) {
    if (!READABLE_FLAGS.test(re.flags)) throw new UnsupportedRegexError(`flags ${re.flags} are not read by the line filter`, re.source);
  }
  const strip = (re: RegExp): string => {
    if (!re.source.startsWith('^')) throw new Error(`anchored trigger without ^: /${re.source}/`);
    return `(?:${re.source.slice(1)})`;
  };
  return [
    { sources: [...triggers.anywhere.map((re) => re.source), CARET_ESCAPE_SOURCE], anchored: false },
    { sources: [`${CLEANED_PREFIX_SOURCE}(?:${triggers.atStart.map(strip).join('|')})`], anchored: true },
  ];
}

/** Names a set of specs: the generated tables are used only for exactly the specs they were built from. */
export function specsKey(specs: readonly ByteDfaSpec[]): string {
  return inputsKey(specs);
}

/**
 * The automata for `triggers`: from the generated module when it was built from these very triggers (compiling
 * costs ~80 ms and ~15 MB of short-lived memory per process), else compiled here.
 */
function automataFor(triggers: LineTriggers): ByteDfaSet {
  const specs = lineFilterSpecs(triggers);
  const stored = storedData(LINE_FILTER_TABLES, specsKey(specs));
  if (stored) return decodeByteDfaSet(stored);
  return typeof GUARD_STORED_DATA_FRESH !== 'undefined' && GUARD_STORED_DATA_FRESH ? storedDataStale('the line filter') : compileByteDfas(specs);
}

/** The WebAssembly pass's exports (see line-filter.wat). */
interface FilterExports {
  readonly memory: WasmMemory;
  flag(from: number, end: number, out: number, classes: number, anyStart: number, anyHit: number, atStart: number, atHit: number, dead: number, endColumn: number, gh: number): number;
}

/** The JavaScript pass's tables: each automaton's, its states as row offsets (see {@link rowTable}). */
interface RowTables {
  readonly anywhere: Int32Array;
  readonly atStart: Int32Array;
}

export class LineFilter {
  private readonly triggers: LineTriggers;
  private readonly classOf: Uint8Array;
  /**
   * Made when {@link flagInJs} first runs (where WebAssembly is unavailable, and in the tests): the WebAssembly pass
   * reads its own copy in its memory, and these 32-bit rows (~1.3 MB) were kept beside it in every process, unread.
   */
  private rowTables: RowTables | null = null;
  private readonly anywhereStart: number;
  private readonly atStartStart: number;
  /** Row offset of DEAD in the anchored table (HIT's is 0 in both). */
  private readonly deadRow: number;
  /** Where a row's end column is (see `ByteDfaSet.endClass`), from the row's start. */
  private readonly endColumn: number;
  /** The JavaScript pass's output (see {@link flag}), grown to the longest input seen. */
  private lineEnds = new Int32Array(1024);
  private readonly wasm: FilterExports | null = null;
  /** Addresses in the WebAssembly memory: the tables' start, HIT and DEAD rows, and where the input goes. */
  private readonly wasmRows = { anyStart: 0, anyHit: 0, atStart: 0, atHit: 0, dead: 0, input: 0 };

  constructor(triggers: LineTriggers) {
    this.triggers = triggers;
    const set = automataFor(triggers);
    const [anywhere, atStart] = set.automata as [ByteDfa, ByteDfa];
    const k = set.columns;
    this.classOf = set.classOf;
    this.anywhereStart = anywhere.start * k;
    this.atStartStart = atStart.start * k;
    this.deadRow = DEAD * k;
    this.endColumn = set.endClass;
    if (HIT !== 0) throw new Error('the filter loop expects HIT to be state 0');

    // Where WebAssembly is unavailable, or the machine is big-endian (see wasm.ts), the JavaScript loop runs.
    const exports = instantiate<FilterExports>(LINE_FILTER_WASM);
    if (exports) {
      // Class map (class × 4, top bit for the bytes the pass handles itself), then the two tables of addresses,
      // written from the automata's tables without a table of row offsets between them.
      const anyBase = 256 * 4;
      const atBase = anyBase + anywhere.next.length * 4;
      const input = atBase + atStart.next.length * 4;
      ensureMemory(exports.memory, input);
      const words = new Int32Array(exports.memory.buffer, 0, input / 4);
      for (let b = 0; b < 256; b++) words[b] = ((this.classOf[b] as number) * 4) | (SPECIAL[b] === 1 ? 0x80000000 : 0);
      writeAddresses(words, anyBase, anywhere, k);
      writeAddresses(words, atBase, atStart, k);
      this.wasmRows = {
        anyStart: anyBase + this.anywhereStart * 4,
        anyHit: anyBase,
        atStart: atBase + this.atStartStart * 4,
        atHit: atBase,
        dead: atBase + this.deadRow * 4,
        input,
      };
      this.wasm = exports;
    }
  }

  /**
   * The lines of `bytes[from, to)`, in order, one entry each: where its `\n` is, from `from`, with the top bit set
   * ({@link NAMED}: the entry is negative) when the line may hold a trigger. `to` must be just past a `\n`. The
   * reader then finds the lines without looking for their ends again. The returned array is reused by the next call.
   * With `gh` (gh's layout, `job<TAB>step<TAB>` before each line) a line is read from just past its second tab (see
   * {@link columnsEnd}); the reader reads any line whose columns it cannot vouch for.
   */
  flag(bytes: Buffer, from: number, to: number, gh = false): Int32Array {
    const wasm = this.wasm;
    if (wasm === null) return this.flagInJs(bytes, from, to, gh);
    const { anyStart, anyHit, atStart, atHit, dead, input } = this.wasmRows;
    const length = to - from;
    const output = input + ((length + 3) & ~3);
    ensureMemory(wasm.memory, output + length * 4);
    new Uint8Array(wasm.memory.buffer, input, length).set(bytes.subarray(from, to));
    const count = wasm.flag(input, input + length, output, 0, anyStart, anyHit, atStart, atHit, dead, this.endColumn * 4, gh ? 1 : 0);
    return new Int32Array(wasm.memory.buffer, output, count);
  }

  /** The same pass in JavaScript: where WebAssembly is unavailable, and the reference the tests compare with. */
  flagInJs(bytes: Buffer, from: number, to: number, gh = false): Int32Array {
    const { classOf, anywhereStart, atStartStart, deadRow, endColumn } = this;
    const { anywhere, atStart } = (this.rowTables ??= rowTablesOf(automataFor(this.triggers)));
    // One entry per line at most, and a line holds at least its `\n`.
    if (this.lineEnds.length < to - from) this.lineEnds = new Int32Array(to - from);
    const lines = this.lineEnds;
    let count = 0;
    let u = anywhereStart;
    let a = atStartStart;
    let i = gh ? columnsEnd(bytes, from, to) : from;
    while (i < to) {
      const b = bytes[i] as number;
      let hit = false;
      if (SPECIAL[b] === 1) {
        const columnOne = b === ESC ? columnOneAt(bytes, i, to) : 0;
        if (b === LF || b === CR || columnOne !== 0) {
          // The line, or a `\r` (`ESC[1G`) segment, ends: a trailing word boundary may hold now.
          hit = anywhere[u + endColumn] === 0 || atStart[a + endColumn] === 0;
          if (!hit) {
            if (b === LF) lines[count++] = i - from;
            u = anywhereStart;
            a = atStartStart;
            i += columnOne || 1;
            if (gh && b === LF) i = columnsEnd(bytes, i, to);
            continue;
          }
        } else if (b === ESC) {
          i = escapeSkip(bytes, i, to);
          continue;
        } else {
          const end = remnantEnd(bytes, i, to);
          if (end !== -1) {
            i = end;
            continue;
          }
        }
      }
      if (!hit) {
        const c = classOf[b] as number;
        u = anywhere[u + c] as number;
        if (a !== deadRow) a = atStart[a + c] as number;
        hit = u === 0 || a === 0;
      }
      if (hit) {
        const lf = bytes.indexOf(LF, i);
        lines[count++] = (lf - from) | NAMED;
        i = gh ? columnsEnd(bytes, lf + 1, to) : lf + 1;
        u = anywhereStart;
        a = atStartStart;
        continue;
      }
      i++;
    }
    return lines.subarray(0, count);
  }
}
