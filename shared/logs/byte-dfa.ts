/**
 * Compiles JavaScript regular expressions into a deterministic automaton over UTF-8 bytes that answers one
 * question: *can* this line match? It is the front half of the line filter (see `line-filter.ts`): the answer
 * may be "yes" for a line that does not match (the expression then says no), never "no" for one that does.
 *
 * To stay on the safe side of that promise the compiler reads every expression more loosely than JavaScript:
 * letters match either case; anchors and look-arounds match anywhere (they only ever remove matches); a character
 * class that admits a non-ASCII character admits any run of bytes ≥ 0x80. It walks the syntax tree of
 * `regex-syntax.ts`, which refuses what no looser reading can honour (back-references, octal escapes, …): an
 * expression the compiler cannot read is an {@link UnsupportedRegexError} at load, never a silently narrower
 * filter.
 *
 * Word boundaries (`\b`, `\B`) are read exactly, as JavaScript reads them without the `u` flag (word characters are
 * `[A-Za-z0-9_]`; every byte ≥ 0x80 is outside them, as every non-ASCII character is), with one exception: a
 * `Z` counts as either a word character or not. The text a reader sees may start right after the `Z` of a GitHub
 * Actions timestamp that cleaning removed (`…12.345Zerror`), where the byte before is not what the text has. Read
 * as always true, `\b` named a fifth of the lines of the real-log mix for nothing (`[45]0\d\b` in `0.005029
 * seconds`). An automaton state remembers whether the byte before it was a word character; a boundary is decided
 * when the next byte is read, and at the end of the text by the {@link ByteDfaSet.endClass} column.
 *
 * Construction: Thompson NFA over byte sets, bytes partitioned into the classes the NFA distinguishes, then the
 * subset construction. Every state that contains an accepting NFA state collapses into one `HIT` state: the
 * filter stops reading a line at its first possible match.
 */

import { endianness } from 'node:os';
import { parseRegex, UnsupportedRegexError, type BuiltinClass, type ClassItem, type RegexNode } from './regex-syntax.js';

/** A set of bytes, 256 bits. */
type ByteSet = Uint32Array;

function byteSet(): ByteSet {
  return new Uint32Array(8);
}

function add(set: ByteSet, b: number): void {
  set[b >>> 5] = (set[b >>> 5] as number) | (1 << (b & 31));
}

function addRange(set: ByteSet, from: number, to: number): void {
  for (let b = from; b <= to; b++) add(set, b);
}

function has(set: ByteSet, b: number): boolean {
  return ((set[b >>> 5] as number) & (1 << (b & 31))) !== 0;
}

/** The characters of one class or escape: ASCII as a byte set, others as code points or "any". */
interface CharSet {
  ascii: ByteSet;
  others: Set<number>;
  anyNonAscii: boolean;
}

function charSet(): CharSet {
  return { ascii: byteSet(), others: new Set(), anyNonAscii: false };
}

function addChar(set: CharSet, cp: number): void {
  if (cp < 0x80) {
    add(set.ascii, cp);
    // Either case, whatever the expression's flags (the looser reading).
    if (cp >= 65 && cp <= 90) add(set.ascii, cp + 32);
    else if (cp >= 97 && cp <= 122) add(set.ascii, cp - 32);
    return;
  }
  // Every character that shares an upper case with this one (µ, μ and Μ all match each other under /i).
  const pending = [cp];
  while (pending.length > 0) {
    const c = pending.pop() as number;
    if (set.others.has(c)) continue;
    set.others.add(c);
    const ch = String.fromCodePoint(c);
    for (const variant of [ch.toLowerCase(), ch.toUpperCase()]) {
      const v = variant.codePointAt(0);
      if (v !== undefined && v >= 0x80 && variant.length === ch.length && !set.others.has(v)) pending.push(v);
    }
  }
}

const DIGIT = (set: CharSet): void => addRange(set.ascii, 48, 57);
const WORD = (set: CharSet): void => {
  DIGIT(set);
  addRange(set.ascii, 65, 90);
  addRange(set.ascii, 97, 122);
  add(set.ascii, 95);
};
const SPACE = (set: CharSet): void => {
  for (const b of [9, 10, 11, 12, 13, 32]) add(set.ascii, b);
  // \s also matches U+00A0, U+FEFF, U+2028…: any non-ASCII run stands for them.
  set.anyNonAscii = true;
};

/** The complement within ASCII, plus any non-ASCII character (the looser reading of a negation). */
function negate(set: CharSet): CharSet {
  const out = charSet();
  for (let b = 0; b < 128; b++) if (!has(set.ascii, b)) add(out.ascii, b);
  out.anyNonAscii = true;
  return out;
}

function utf8(cp: number): number[] {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')];
}

/** Thompson NFA with one start and one end state per fragment. */
class Nfa {
  readonly eps: number[][] = [];
  readonly edges: Array<Array<{ on: ByteSet; to: number }>> = [];
  /** Word-boundary edges: taken without reading a byte when the bytes on either side allow (see {@link boundaryMayHold}). */
  readonly boundaries: Array<Array<{ to: number; negated: boolean }>> = [];

  state(): number {
    this.eps.push([]);
    this.edges.push([]);
    this.boundaries.push([]);
    return this.eps.length - 1;
  }

  epsilon(from: number, to: number): void {
    (this.eps[from] as number[]).push(to);
  }

  boundary(from: number, to: number, negated: boolean): void {
    (this.boundaries[from] as Array<{ to: number; negated: boolean }>).push({ to, negated });
  }

  edge(from: number, on: ByteSet, to: number): void {
    (this.edges[from] as Array<{ on: ByteSet; to: number }>).push({ on, to });
  }
}

interface Fragment {
  start: number;
  end: number;
}

/** The characters of `\d`, `\W`, … read loosely (a negation admits every non-ASCII character). */
function builtinSet(builtin: BuiltinClass): CharSet {
  const set = charSet();
  if (builtin.set === 'digit') DIGIT(set);
  else if (builtin.set === 'word') WORD(set);
  else SPACE(set);
  return builtin.negated ? negate(set) : set;
}

function classSet(negated: boolean, items: readonly ClassItem[]): CharSet {
  const set = charSet();
  for (const item of items) {
    if (item.kind === 'char') addChar(set, item.codePoint);
    else if (item.kind === 'range') {
      for (let cp = item.from; cp <= item.to; cp++) {
        if (cp >= 0x80 && item.to - item.from > 256) {
          set.anyNonAscii = true;
          break;
        }
        addChar(set, cp);
      }
    } else {
      const members = builtinSet(item);
      for (let b = 0; b < 128; b++) if (has(members.ascii, b)) add(set.ascii, b);
      for (const cp of members.others) set.others.add(cp);
      set.anyNonAscii ||= members.anyNonAscii;
    }
  }
  return negated ? negate(set) : set;
}

/** Past this many copies a bounded repeat (`x{100}`) makes an automaton too large to be worth having. */
const MAX_REPEAT = 64;

/** Builds NFA fragments from one expression's syntax tree (a fragment is built afresh each time it is repeated). */
class Compiler {
  private readonly high: ByteSet;

  constructor(
    private readonly nfa: Nfa,
    private readonly src: string,
  ) {
    this.high = byteSet();
    addRange(this.high, 0x80, 0xff);
  }

  compile(): Fragment {
    return this.build(parseRegex(this.src).root);
  }

  private empty(): Fragment {
    const s = this.nfa.state();
    return { start: s, end: s };
  }

  private build(node: RegexNode): Fragment {
    switch (node.kind) {
      case 'alternation':
        return this.alternation(node.branches.map((branch) => this.build(branch)));
      case 'sequence': {
        let frag = this.empty();
        for (const item of node.items) {
          const next = this.build(item);
          this.nfa.epsilon(frag.end, next.start);
          frag = { start: frag.start, end: next.end };
        }
        return frag;
      }
      case 'repeat':
        return this.repeat(node.node, node.min, node.max);
      case 'group':
        return this.build(node.node);
      case 'lookaround': {
        // A look-around only ever removes matches: reading it as "always true" is the looser reading. Its body is
        // still built (unreachable): byte classes come from every edge, and leaving it out would change the
        // tables of some expressions (the same language over fewer classes).
        this.build(node.node);
        return this.empty();
      }
      case 'anchor':
        return this.empty();
      case 'wordBoundary': {
        const start = this.nfa.state();
        const end = this.nfa.state();
        this.nfa.boundary(start, end, node.negated);
        return { start, end };
      }
      case 'dot': {
        // With or without the s flag: a line never holds a line break, so the looser reading costs nothing.
        const set = charSet();
        addRange(set.ascii, 0, 127);
        set.anyNonAscii = true;
        return this.fromSet(set);
      }
      case 'char': {
        const set = charSet();
        addChar(set, node.codePoint);
        return this.fromSet(set);
      }
      case 'builtin':
        return this.fromSet(builtinSet(node));
      case 'class':
        return this.fromSet(classSet(node.negated, node.items));
    }
  }

  private alternation(branches: Fragment[]): Fragment {
    const start = this.nfa.state();
    const end = this.nfa.state();
    for (const b of branches) {
      this.nfa.epsilon(start, b.start);
      this.nfa.epsilon(b.end, end);
    }
    return { start, end };
  }

  /** `node` between `min` and `max` times: as many copies as the bounds need, the last one looping when unbounded. */
  private repeat(node: RegexNode, min: number, max: number): Fragment {
    if (min > MAX_REPEAT || (max !== Number.POSITIVE_INFINITY && max > MAX_REPEAT)) throw new UnsupportedRegexError('repeat too large', this.src);
    const copies: Fragment[] = [this.build(node)];
    const needed = Math.max(min, max === Number.POSITIVE_INFINITY ? Math.max(min, 1) : max);
    while (copies.length < needed) copies.push(this.build(node));
    const start = this.nfa.state();
    const end = this.nfa.state();
    let at = start;
    copies.forEach((f, k) => {
      this.nfa.epsilon(at, f.start);
      if (k >= min) this.nfa.epsilon(at, end);
      at = f.end;
    });
    this.nfa.epsilon(at, end);
    if (max === Number.POSITIVE_INFINITY) {
      const last = copies[copies.length - 1] as Fragment;
      this.nfa.epsilon(last.end, last.start);
    }
    return { start, end };
  }

  private fromSet(set: CharSet): Fragment {
    const start = this.nfa.state();
    const end = this.nfa.state();
    const ascii = byteSet();
    for (let b = 0; b < 128; b++) if (has(set.ascii, b)) add(ascii, b);
    this.nfa.edge(start, ascii, end);
    if (set.anyNonAscii) {
      const loop = this.nfa.state();
      this.nfa.edge(start, this.high, loop);
      this.nfa.edge(loop, this.high, loop);
      this.nfa.epsilon(loop, end);
    } else {
      for (const cp of set.others) {
        let at = start;
        const bytes = utf8(cp);
        bytes.forEach((b, k) => {
          const on = byteSet();
          add(on, b);
          const to = k === bytes.length - 1 ? end : this.nfa.state();
          this.nfa.edge(at, on, to);
          at = to;
        });
      }
    }
    return { start, end };
  }
}

/** One automaton of a {@link ByteDfaSet}: `next[state * columns + classOf[byte]]` is the next state. */
export interface ByteDfa {
  /** Transition table, `stateCount × columns`. */
  readonly next: Uint16Array;
  readonly stateCount: number;
  readonly start: number;
}

/** Automata that share one byte → class map, so a runner looks each byte's class up once for all of them. */
export interface ByteDfaSet {
  readonly classOf: Uint8Array;
  /** Byte classes: `classOf` maps every byte below this. */
  readonly classCount: number;
  /**
   * The column read at the end of the text (a line's `\n`, or a `\r` that ends a segment): HIT when the text read
   * so far may match once nothing follows it (a trailing `\b` after a word character). It is `classCount`.
   */
  readonly endClass: number;
  /** Row width of every table: the byte classes and the end column. */
  readonly columns: number;
  readonly automata: readonly ByteDfa[];
}

/** The state every possible match ends in (it has no way out), in every automaton. */
export const HIT = 0;
/** The state of no possible match any more (only an anchored automaton reaches it). */
export const DEAD = 1;

/** Past this many states the expressions are too loose for a table that stays in the CPU cache. */
const MAX_STATES = 20_000;

/**
 * Flags an expression read by these automata may carry. They read sources, not flags: `i`, `m` and `s` change
 * nothing a looser reading of one line does not already allow, but under `u` or `v` the same source means something
 * else (`\p{L}` is not `p{L}`), and `g` or `y` make `test` depend on the expression's last match.
 */
export const READABLE_FLAGS = /^[dims]*$/;

/** What one automaton recognises: "one of `sources` matches", from the first byte only when `anchored`. */
export interface ByteDfaSpec {
  readonly sources: readonly string[];
  readonly anchored: boolean;
}

/** Which side of a word boundary a byte (or the text's start and end) is on. */
const NON_WORD = 0;
const WORD_CHAR = 1;
/** Either: a `Z` (see the module comment). */
const EITHER = 2;
type Side = typeof NON_WORD | typeof WORD_CHAR | typeof EITHER;
const SIDES: readonly Side[] = [NON_WORD, WORD_CHAR, EITHER];

/** Whether `\b` (or `\B`, `negated`) may hold between a byte on side `before` and one on side `after`. */
function boundaryMayHold(negated: boolean, before: Side, after: Side): boolean {
  if (before === EITHER || after === EITHER) return true;
  return negated ? before === after : before !== after;
}

/**
 * Builds one automaton per spec, all over the same byte classes. Every source is read with the looser reading
 * described in the module comment.
 */
export function compileByteDfas(specs: readonly ByteDfaSpec[]): ByteDfaSet {
  const nfa = new Nfa();
  const accept = nfa.state();
  const starts = specs.map((spec) => {
    const start = nfa.state();
    for (const src of spec.sources) {
      const frag = new Compiler(nfa, src).compile();
      nfa.epsilon(start, frag.start);
      nfa.epsilon(frag.end, accept);
    }
    if (!spec.anchored) {
      const any = byteSet();
      addRange(any, 0, 255);
      nfa.edge(start, any, start);
    }
    return start;
  });

  // Byte classes: bytes that every edge treats alike share a class; with a word boundary anywhere, word
  // characters, `Z` and the rest are told apart too (without one, a class's side is never read).
  const distinct = new Map<string, ByteSet>();
  for (const list of nfa.edges) for (const { on } of list) distinct.set(on.join(','), on);
  const hasBoundaries = nfa.boundaries.some((list) => list.length > 0);
  const word = charSet();
  WORD(word);
  const zed = byteSet();
  add(zed, 90);
  const sideSets = hasBoundaries ? [word.ascii, zed] : [];
  const sets = [...distinct.values(), ...sideSets];
  const classOf = new Uint8Array(256);
  const signatures = new Map<string, number>();
  const sideOf: Side[] = [];
  for (let b = 0; b < 256; b++) {
    let sig = '';
    for (let k = 0; k < sets.length; k++) sig += has(sets[k] as ByteSet, b) ? '1' : '0';
    let cls = signatures.get(sig);
    if (cls === undefined) {
      cls = signatures.size;
      if (cls > 255) throw new Error('too many byte classes');
      signatures.set(sig, cls);
      sideOf.push(b === 90 ? EITHER : has(word.ascii, b) ? WORD_CHAR : NON_WORD);
    }
    classOf[b] = cls;
  }
  const classCount = signatures.size;
  const classesOf = new Map<string, number[]>();
  for (const [key, set] of distinct) {
    const list = new Set<number>();
    for (let b = 0; b < 256; b++) if (has(set, b)) list.add(classOf[b] as number);
    classesOf.set(key, [...list]);
  }
  const moves = nfa.edges.map((list) => list.map(({ on, to }) => ({ classes: classesOf.get(on.join(',')) as number[], to })));

  // The ε-closure of every single NFA state, once. Only states that read a byte, cross a boundary or accept tell
  // subsets apart: the pure ε states are left out of them.
  const stateCount = nfa.eps.length;
  const single: number[][] = [];
  for (let s = 0; s < stateCount; s++) {
    const seen = new Set<number>([s]);
    const stack = [s];
    while (stack.length > 0) {
      for (const t of nfa.eps[stack.pop() as number] as number[]) {
        if (!seen.has(t)) {
          seen.add(t);
          stack.push(t);
        }
      }
    }
    single.push([...seen].filter((t) => t === accept || (nfa.edges[t] as unknown[]).length > 0 || (nfa.boundaries[t] as unknown[]).length > 0));
  }
  const tables: NfaTables = { accept, classCount, moves, single, boundaries: nfa.boundaries, sideOf };
  const automata = specs.map((spec, k) => determinize(starts[k] as number, spec.anchored, tables));
  return { classOf, classCount, endClass: classCount, columns: classCount + 1, automata };
}

interface NfaTables {
  accept: number;
  classCount: number;
  moves: ReadonlyArray<ReadonlyArray<{ classes: number[]; to: number }>>;
  single: ReadonlyArray<readonly number[]>;
  boundaries: ReadonlyArray<ReadonlyArray<{ to: number; negated: boolean }>>;
  /** The side of a word boundary each byte class is on. */
  sideOf: readonly Side[];
}

/**
 * The subset construction from `start`. A DFA state is a set of NFA states and the side of a word boundary of the
 * byte read last (the text's start is on the non-word side); its boundary edges are crossed when the next byte
 * (or the end of the text) shows whether they hold.
 */
function determinize(start: number, anchored: boolean, { accept, classCount, moves, single, boundaries, sideOf }: NfaTables): ByteDfa {
  const stateCount = single.length;
  const columns = classCount + 1;
  // Unanchored, every subset holds the start state's closure (it loops on every byte): those states are left
  // implicit, and what they read is computed once per class, so subsets and their keys stay small.
  const implicit = new Uint8Array(stateCount);
  const implicitMoves: number[][] = Array.from({ length: classCount }, () => []);
  const implicitStates = anchored ? [] : (single[start] as number[]);
  for (const s of implicitStates) {
    implicit[s] = 1;
    for (const { classes, to } of moves[s] as Array<{ classes: number[]; to: number }>) {
      for (const cls of classes) (implicitMoves[cls] as number[]).push(to);
    }
  }
  const stamp = new Int32Array(stateCount);
  let round = 0;
  /** Adds `s`'s closure to the current round's `out` (implicit states are stamped, never listed). */
  const take = (s: number, out: number[]): void => {
    for (const t of single[s] as number[]) {
      if (stamp[t] !== round) {
        stamp[t] = round;
        if (implicit[t] === 0) out.push(t);
      }
    }
  };
  /** Crosses the boundary edges of `out` (and of the implicit states) that may hold between sides `before` and `after`. */
  const crossBoundaries = (out: number[], before: Side, after: Side): void => {
    const cross = (s: number): void => {
      for (const { to, negated } of boundaries[s] as Array<{ to: number; negated: boolean }>) if (boundaryMayHold(negated, before, after)) take(to, out);
    };
    for (const s of implicitStates) cross(s);
    for (let k = 0; k < out.length; k++) cross(out[k] as number);
  };
  /** The closure of `states`, a new round: stamp[accept] then says whether it accepts. */
  const closure = (states: readonly number[]): number[] => {
    round++;
    const out: number[] = [];
    for (const s of states) take(s, out);
    return out.sort((a, b) => a - b);
  };
  // Whether a side matters to a subset: only when it or the implicit states have a boundary edge.
  const implicitBoundaries = implicitStates.some((s) => (boundaries[s] as unknown[]).length > 0);
  const sideMatters = (subset: readonly number[]): boolean => implicitBoundaries || subset.some((s) => (boundaries[s] as unknown[]).length > 0);

  const ids = new Map<string, number>();
  const subsets: number[][] = [[], []];
  const sides: Side[] = [NON_WORD, NON_WORD];
  const rows: number[][] = [new Array<number>(columns).fill(HIT), new Array<number>(columns).fill(DEAD)];
  const intern = (subset: number[], side: Side): number => {
    if (stamp[accept] === round) return HIT;
    if (subset.length === 0 && anchored) return DEAD;
    const kept = sideMatters(subset) ? side : NON_WORD;
    const key = `${kept}:${subset.join(',')}`;
    let id = ids.get(key);
    if (id === undefined) {
      id = subsets.length;
      if (id >= MAX_STATES) throw new Error(`filter automaton over ${MAX_STATES} states`);
      ids.set(key, id);
      subsets.push(subset);
      sides.push(kept);
      rows.push([]);
    }
    return id;
  };
  const startId = intern(closure([start]), NON_WORD);
  for (let id = 2; id < subsets.length; id++) {
    const subset = subsets[id] as number[];
    const before = sides[id] as Side;
    const row = rows[id] as number[];
    // What the state holds once the boundaries before a byte on each side are crossed; HIT when that accepts.
    const live = SIDES.map((after) => {
      const out = closure(subset);
      crossBoundaries(out, before, after);
      return stamp[accept] === round ? null : out;
    });
    row[classCount] = live[NON_WORD] === null ? HIT : DEAD;
    const moved: number[][] = implicitMoves.map((targets) => [...targets]);
    SIDES.forEach((side, k) => {
      for (const s of live[k] ?? []) {
        for (const { classes, to } of moves[s] as Array<{ classes: number[]; to: number }>) {
          for (const cls of classes) if (sideOf[cls] === side) (moved[cls] as number[]).push(to);
        }
      }
    });
    for (let cls = 0; cls < classCount; cls++) {
      const side = sideOf[cls] as Side;
      row[cls] = live[side] === null ? HIT : intern(closure(moved[cls] as number[]), side);
    }
  }
  const next = new Uint16Array(subsets.length * columns);
  rows.forEach((row, id) => row.forEach((to, cls) => (next[id * columns + cls] = to)));
  return { next, stateCount: subsets.length, start: startId };
}

/**
 * A compiled set as bytes (for a generated module): class count, automaton count, then per automaton its state
 * count and start, all u16; the class map; the tables (rows of {@link ByteDfaSet.columns}), u16 little-endian.
 */
export function encodeByteDfaSet(set: ByteDfaSet): Buffer {
  const header = [set.classCount, set.automata.length, ...set.automata.flatMap((a) => [a.stateCount, a.start])];
  const head = Buffer.alloc(header.length * 2);
  header.forEach((v, i) => head.writeUInt16LE(v, i * 2));
  const tables = set.automata.map((a) => {
    const out = Buffer.alloc(a.next.length * 2);
    a.next.forEach((v, i) => out.writeUInt16LE(v, i * 2));
    return out;
  });
  return Buffer.concat([head, Buffer.from(set.classOf), ...tables]);
}

/**
 * The inverse of {@link encodeByteDfaSet}. The tables are read where they are in `bytes` (which the set then holds,
 * and which must not change): the stored sets decompress into a buffer of their own, and a copy of each table, ~1.6
 * MB at start-up, stayed beside the decompressed bytes until V8's next collection freed them, which set the malloc
 * heap's high-water mark, resident to the end of the CLI's run (session 63). Copied only where a 16-bit view cannot
 * start (an odd offset).
 */
export function decodeByteDfaSet(bytes: Buffer): ByteDfaSet {
  let at = 0;
  const u16 = (): number => {
    const v = bytes.readUInt16LE(at);
    at += 2;
    return v;
  };
  const classCount = u16();
  const shapes = Array.from({ length: u16() }, () => ({ stateCount: u16(), start: u16() }));
  const classOf = new Uint8Array(bytes.subarray(at, at + 256));
  at += 256;
  const automata = shapes.map(({ stateCount, start }) => {
    const entries = stateCount * (classCount + 1);
    const stored = bytes.subarray(at, at + entries * 2);
    at += entries * 2;
    const next = stored.byteOffset % 2 === 0 ? new Uint16Array(stored.buffer, stored.byteOffset, entries) : new Uint16Array(Uint8Array.from(stored).buffer);
    // Stored little-endian; a typed array reads the machine's order.
    if (endianness() === 'BE') Buffer.from(next.buffer, next.byteOffset, next.byteLength).swap16();
    return { next, stateCount, start };
  });
  if (at !== bytes.length) throw new Error('malformed automaton set');
  return { classOf, classCount, endClass: classCount, columns: classCount + 1, automata };
}
