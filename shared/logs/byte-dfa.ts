/**
 * Compiles JavaScript regular expressions into a deterministic automaton over UTF-8 bytes that answers one
 * question: *can* this line match? It is the front half of the line filter (see `line-filter.ts`): the answer
 * may be "yes" for a line that does not match (the expression then says no), never "no" for one that does.
 *
 * To stay on the safe side of that promise the compiler reads every expression more loosely than JavaScript:
 * letters match either case; anchors, word boundaries and look-arounds match anywhere (they only ever remove
 * matches); a character class that admits a non-ASCII character admits any run of bytes ≥ 0x80. Back-references
 * are refused (nothing in the rule table uses them): an expression the compiler cannot read is an error at load,
 * never a silently narrower filter.
 *
 * Construction: Thompson NFA over byte sets, bytes partitioned into the classes the NFA distinguishes, then the
 * subset construction. Every state that contains an accepting NFA state collapses into one `HIT` state: the
 * filter stops reading a line at its first possible match.
 */

import { endianness } from 'node:os';

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

  state(): number {
    this.eps.push([]);
    this.edges.push([]);
    return this.eps.length - 1;
  }

  epsilon(from: number, to: number): void {
    (this.eps[from] as number[]).push(to);
  }

  edge(from: number, on: ByteSet, to: number): void {
    (this.edges[from] as Array<{ on: ByteSet; to: number }>).push({ on, to });
  }
}

interface Fragment {
  start: number;
  end: number;
}

/** Parses one expression's source into NFA fragments (a fragment is built afresh each time it is repeated). */
class Compiler {
  private i = 0;
  private readonly high: ByteSet;

  constructor(
    private readonly nfa: Nfa,
    private readonly src: string,
  ) {
    this.high = byteSet();
    addRange(this.high, 0x80, 0xff);
  }

  compile(): Fragment {
    const frag = this.alternation();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]} at ${this.i} in /${this.src}/`);
    return frag;
  }

  private empty(): Fragment {
    const s = this.nfa.state();
    return { start: s, end: s };
  }

  private alternation(): Fragment {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0] as Fragment;
    const start = this.nfa.state();
    const end = this.nfa.state();
    for (const b of branches) {
      this.nfa.epsilon(start, b.start);
      this.nfa.epsilon(b.end, end);
    }
    return { start, end };
  }

  private sequence(): Fragment {
    let frag = this.empty();
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atomAt = this.i;
      let atom = this.atom();
      const atomEnd = this.i;
      atom = this.quantified(atom, atomAt, atomEnd);
      this.nfa.epsilon(frag.end, atom.start);
      frag = { start: frag.start, end: atom.end };
    }
    return frag;
  }

  /** Applies a quantifier after the atom read from `from` to `to` (re-read for every copy it needs). */
  private quantified(atom: Fragment, from: number, to: number): Fragment {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return atom;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
      if (min > 64 || (max !== Number.POSITIVE_INFINITY && max > 64)) throw new Error(`repeat too large in /${this.src}/`);
    } else {
      return atom;
    }
    if (this.src[this.i] === '?') this.i++; // lazy: same language
    const afterQuantifier = this.i;
    const copy = (): Fragment => {
      this.i = from;
      const f = this.atom();
      if (this.i !== to) throw new Error('atom re-read mismatch');
      return f;
    };
    const copies: Fragment[] = [atom];
    const needed = Math.max(min, max === Number.POSITIVE_INFINITY ? Math.max(min, 1) : max);
    while (copies.length < needed) copies.push(copy());
    this.i = afterQuantifier;
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

  private atom(): Fragment {
    const c = this.src[this.i] as string;
    if (c === '(') return this.group();
    if (c === '[') return this.fromSet(this.classSet());
    if (c === '.') {
      this.i++;
      const set = charSet();
      addRange(set.ascii, 0, 127);
      set.anyNonAscii = true;
      return this.fromSet(set);
    }
    if (c === '^' || c === '$') {
      this.i++;
      return this.empty();
    }
    if (c === '\\') {
      const esc = this.src[this.i + 1];
      if (esc === 'b' || esc === 'B') {
        this.i += 2;
        return this.empty();
      }
      if (esc !== undefined && esc >= '1' && esc <= '9') throw new Error(`back-reference in /${this.src}/`);
      return this.fromSet(this.escape(false));
    }
    const cp = this.src.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    const set = charSet();
    addChar(set, cp);
    return this.fromSet(set);
  }

  private group(): Fragment {
    this.i++;
    let lookaround = false;
    if (this.src[this.i] === '?') {
      const kind = this.src.slice(this.i, this.i + 3);
      if (kind.startsWith('?:')) this.i += 2;
      else if (kind.startsWith('?=') || kind.startsWith('?!')) {
        this.i += 2;
        lookaround = true;
      } else if (kind === '?<=' || kind === '?<!') {
        this.i += 3;
        lookaround = true;
      } else if (kind.startsWith('?<')) {
        this.i = this.src.indexOf('>', this.i) + 1;
      } else throw new Error(`unsupported group in /${this.src}/`);
    }
    const inner = this.alternation();
    if (this.src[this.i] !== ')') throw new Error(`unclosed group in /${this.src}/`);
    this.i++;
    // A look-around only ever removes matches: reading it as "always true" is the looser reading.
    return lookaround ? this.empty() : inner;
  }

  /** One escape (`\d`, `\x41`, `\.`, …) as a character set; `inClass`: `\b` is a backspace there. */
  private escape(inClass: boolean): CharSet {
    const e = this.src[this.i + 1] as string;
    const set = charSet();
    switch (e) {
      case 'd':
      case 'D':
        this.i += 2;
        DIGIT(set);
        return e === 'D' ? negate(set) : set;
      case 'w':
      case 'W':
        this.i += 2;
        WORD(set);
        return e === 'W' ? negate(set) : set;
      case 's':
        this.i += 2;
        SPACE(set);
        return set;
      case 'S':
        this.i += 2;
        for (const b of [9, 10, 11, 12, 13, 32]) add(set.ascii, b);
        return negate(set);
      default:
        addChar(set, this.escapedCodePoint(inClass));
        return set;
    }
  }

  /** The code point of a one-character escape (`\n`, `\x41`, `\u00e9`, `\.`), consumed. */
  private escapedCodePoint(inClass: boolean): number {
    const e = this.src[this.i + 1] as string;
    this.i += 2;
    if (e === '0' && /[0-9]/.test(this.src[this.i] ?? '')) throw new Error(`octal escape in /${this.src}/`);
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, v: 11, f: 12, '0': 0 };
    if (e in simple) return simple[e] as number;
    if (e === 'b' && inClass) return 8;
    if (e === 'c') throw new Error(`unsupported \\c escape in /${this.src}/`);
    if (e === 'k' && this.src[this.i] === '<') throw new Error(`named back-reference in /${this.src}/`);
    if (e === 'x') {
      this.i += 2;
      return Number.parseInt(this.src.slice(this.i - 2, this.i), 16);
    }
    if (e === 'u') {
      let cp = Number.parseInt(this.src.slice(this.i, this.i + 4), 16);
      this.i += 4;
      // A surrogate pair written as two \u escapes is one character.
      if (cp >= 0xd800 && cp <= 0xdbff && this.src.slice(this.i, this.i + 2) === '\\u') {
        const low = Number.parseInt(this.src.slice(this.i + 2, this.i + 6), 16);
        if (low >= 0xdc00 && low <= 0xdfff) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          this.i += 6;
        }
      }
      return cp;
    }
    const cp = this.src.codePointAt(this.i - 1) as number;
    if (cp > 0xffff) this.i++;
    return cp;
  }

  private classSet(): CharSet {
    this.i++;
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const set = charSet();
    // As JavaScript reads it: `[]` matches nothing and `[^]` any character (a `]` first closes the class).
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      const lo = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length && typeof lo === 'number') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number') throw new Error(`bad range in /${this.src}/`);
        for (let cp = lo; cp <= hi; cp++) {
          if (cp >= 0x80 && hi - lo > 256) {
            set.anyNonAscii = true;
            break;
          }
          addChar(set, cp);
        }
        continue;
      }
      if (typeof lo === 'number') addChar(set, lo);
      else {
        for (let b = 0; b < 128; b++) if (has(lo.ascii, b)) add(set.ascii, b);
        for (const cp of lo.others) set.others.add(cp);
        set.anyNonAscii ||= lo.anyNonAscii;
      }
    }
    if (this.src[this.i] !== ']') throw new Error(`unclosed class in /${this.src}/`);
    this.i++;
    return negated ? negate(set) : set;
  }

  /** A class member: a code point, or a set for `\d`-style escapes. */
  private classAtom(): number | CharSet {
    if (this.src[this.i] === '\\') {
      return 'dDwWsS'.includes(this.src[this.i + 1] as string) ? this.escape(true) : this.escapedCodePoint(true);
    }
    const cp = this.src.codePointAt(this.i) as number;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
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

/** One automaton of a {@link ByteDfaSet}: `next[state * classCount + classOf[byte]]` is the next state. */
export interface ByteDfa {
  /** Transition table, `stateCount × classCount`. */
  readonly next: Uint16Array;
  readonly stateCount: number;
  readonly start: number;
}

/** Automata that share one byte → class map, so a runner looks each byte's class up once for all of them. */
export interface ByteDfaSet {
  readonly classOf: Uint8Array;
  readonly classCount: number;
  readonly automata: readonly ByteDfa[];
}

/** The state every possible match ends in (it has no way out), in every automaton. */
export const HIT = 0;
/** The state of no possible match any more (only an anchored automaton reaches it). */
export const DEAD = 1;

/** Past this many states the expressions are too loose for a table that stays in the CPU cache. */
const MAX_STATES = 20_000;

/** What one automaton recognises: "one of `sources` matches", from the first byte only when `anchored`. */
export interface ByteDfaSpec {
  readonly sources: readonly string[];
  readonly anchored: boolean;
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

  // Byte classes: bytes that every edge treats alike share a class.
  const distinct = new Map<string, ByteSet>();
  for (const list of nfa.edges) for (const { on } of list) distinct.set(on.join(','), on);
  const sets = [...distinct.values()];
  const classOf = new Uint8Array(256);
  const signatures = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    let sig = '';
    for (let k = 0; k < sets.length; k++) sig += has(sets[k] as ByteSet, b) ? '1' : '0';
    let cls = signatures.get(sig);
    if (cls === undefined) {
      cls = signatures.size;
      if (cls > 255) throw new Error('too many byte classes');
      signatures.set(sig, cls);
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

  // The ε-closure of every single NFA state, once. Only states that read a byte (or accept) tell subsets apart:
  // the pure ε states are left out of them.
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
    single.push([...seen].filter((t) => t === accept || (nfa.edges[t] as unknown[]).length > 0));
  }
  const automata = specs.map((spec, k) => determinize(starts[k] as number, spec.anchored, { accept, classCount, moves, single }));
  return { classOf, classCount, automata };
}

interface NfaTables {
  accept: number;
  classCount: number;
  moves: ReadonlyArray<ReadonlyArray<{ classes: number[]; to: number }>>;
  single: ReadonlyArray<readonly number[]>;
}

/** The subset construction from `start`. */
function determinize(start: number, anchored: boolean, { accept, classCount, moves, single }: NfaTables): ByteDfa {
  const stateCount = single.length;
  // Unanchored, every subset holds the start state's closure (it loops on every byte): those states are left
  // implicit, and what they read is computed once per class, so subsets and their keys stay small.
  const implicit = new Uint8Array(stateCount);
  const implicitMoves: number[][] = Array.from({ length: classCount }, () => []);
  if (!anchored) {
    for (const s of single[start] as number[]) {
      implicit[s] = 1;
      for (const { classes, to } of moves[s] as Array<{ classes: number[]; to: number }>) {
        for (const cls of classes) (implicitMoves[cls] as number[]).push(to);
      }
    }
  }
  const stamp = new Int32Array(stateCount);
  let round = 0;
  const closure = (states: readonly number[]): number[] => {
    round++;
    const out: number[] = [];
    for (const s of states) {
      for (const t of single[s] as number[]) {
        if (stamp[t] !== round) {
          stamp[t] = round;
          if (implicit[t] === 0) out.push(t);
        }
      }
    }
    return out.sort((a, b) => a - b);
  };

  const ids = new Map<string, number>();
  const subsets: number[][] = [[], []];
  const rows: number[][] = [new Array<number>(classCount).fill(HIT), new Array<number>(classCount).fill(DEAD)];
  const intern = (subset: number[]): number => {
    if (stamp[accept] === round) return HIT;
    if (subset.length === 0 && anchored) return DEAD;
    const key = subset.join(',');
    let id = ids.get(key);
    if (id === undefined) {
      id = subsets.length;
      if (id >= MAX_STATES) throw new Error(`filter automaton over ${MAX_STATES} states`);
      ids.set(key, id);
      subsets.push(subset);
      rows.push([]);
    }
    return id;
  };
  const startId = intern(closure([start]));
  for (let id = 2; id < subsets.length; id++) {
    const moved: number[][] = implicitMoves.map((targets) => [...targets]);
    for (const s of subsets[id] as number[]) {
      for (const { classes, to } of moves[s] as Array<{ classes: number[]; to: number }>) {
        for (const cls of classes) (moved[cls] as number[]).push(to);
      }
    }
    const row = rows[id] as number[];
    for (let cls = 0; cls < classCount; cls++) row[cls] = intern(closure(moved[cls] as number[]));
  }
  const next = new Uint16Array(subsets.length * classCount);
  rows.forEach((row, id) => row.forEach((to, cls) => (next[id * classCount + cls] = to)));
  return { next, stateCount: subsets.length, start: startId };
}

/**
 * A compiled set as bytes (for a generated module): class count, automaton count, then per automaton its state
 * count and start, all u16; the class map; the tables, u16 little-endian.
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

/** The inverse of {@link encodeByteDfaSet}. */
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
    // A copy of its own (offset 0, so 2-byte aligned). Stored little-endian; a typed array reads the machine's order.
    const table = new Uint8Array(stateCount * classCount * 2);
    table.set(bytes.subarray(at, at + table.length));
    at += table.length;
    if (endianness() === 'BE') Buffer.from(table.buffer).swap16();
    return { next: new Uint16Array(table.buffer), stateCount, start };
  });
  if (at !== bytes.length) throw new Error('malformed automaton set');
  return { classOf, classCount, automata };
}
