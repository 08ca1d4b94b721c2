/**
 * Literal dispatch for the rule table (the prefilter idea of RE2 and Google Code Search, done once at load).
 *
 * {@link requiredLiterals} walks a regular expression's syntax tree (`regex-syntax.ts`) and returns a set of
 * strings one of which every match must contain (ASCII letters case-folded), or `null` when it cannot name one
 * (the expression may match with no fixed text, `^\s*\d+\) \S`). {@link LiteralIndex} compiles the sets of many expressions into one
 * Aho–Corasick automaton: a single pass over a line says which expressions *can* match it, so the analyzer
 * tests only those (in their original order) instead of all 126 rules one after another. The automaton only
 * ever says "maybe": a rule it selects is still tested with its own regex, so results are exactly those of the
 * full loop (unit tests check this on every sample line).
 */
import { parseRegex, UnsupportedRegexError, type ClassItem, type ParsedRegex, type RegexNode } from './regex-syntax.js';

type Lits = Set<string>;
interface Info {
  /** Every string the node can match, when that set is small and finite. */
  readonly exact: Lits | null;
  /** One of these occurs in every match; null: no requirement known. */
  readonly req: Lits | null;
  /** Every match starts (`prefix`) or ends (`suffix`) with one of these (a repeated atom: `\d{3}`, `_{3,}`). */
  readonly prefix?: Lits;
  readonly suffix?: Lits;
}

const CAP = 64;
const MAX_UNION = 256;
const ANY: Info = { exact: null, req: null };
const EMPTY: Info = { exact: new Set(['']), req: null };

function fold(c: string): string {
  const code = c.charCodeAt(0);
  return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
}

function product(a: Lits, b: Lits): Lits {
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/** A set usable as a requirement: it cannot be satisfied by the empty string. */
function asReq(set: Lits | null): Lits | null {
  return set && set.size > 0 && !set.has('') ? set : null;
}

function quality(set: Lits | null): number {
  if (!set) return -1;
  let min = Number.POSITIVE_INFINITY;
  for (const s of set) min = Math.min(min, s.length);
  return Math.min(min, 12) * 1000 - set.size;
}

function better(a: Lits | null, b: Lits | null): Lits | null {
  return quality(b) > quality(a) ? b : a;
}

/** `ch` as the literal reader models it: a set of one string, or ANY when case-insensitive matching is not ASCII folding. */
function literal(ch: string, ignoreCase: boolean): Info {
  const code = ch.charCodeAt(0);
  // Case-insensitive matching of a non-ASCII letter (É/é) is not what the ASCII folding below models.
  if (ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) return ANY;
  return { exact: new Set([fold(ch)]), req: null };
}

/**
 * A character's UTF-16 code units: without the u flag (the only mode read here) JavaScript matches and folds
 * case unit by unit, and a class holds each unit of an astral character on its own.
 */
function codeUnits(codePoint: number): string[] {
  return String.fromCodePoint(codePoint).split('');
}

const DIGITS: Lits = new Set('0123456789');

/** What a node of the syntax tree tells about the text its matches contain. */
function infoOf(node: RegexNode, ignoreCase: boolean): Info {
  switch (node.kind) {
    case 'alternation':
      return alternation(node.branches.map((branch) => infoOf(branch, ignoreCase)));
    case 'sequence':
      return sequence(node.items.map((item) => infoOf(item, ignoreCase)));
    case 'repeat':
      return repeat(infoOf(node.node, ignoreCase), node.min, node.max);
    case 'group':
      return infoOf(node.node, ignoreCase);
    case 'lookaround':
    case 'anchor':
    case 'wordBoundary':
      return EMPTY;
    case 'dot':
      return ANY;
    case 'char': {
      const units = codeUnits(node.codePoint);
      return units.length === 1 ? literal(units[0] as string, ignoreCase) : sequence(units.map((unit) => literal(unit, ignoreCase)));
    }
    case 'builtin':
      return node.set === 'digit' && !node.negated ? { exact: new Set(DIGITS), req: null } : ANY;
    case 'class':
      return charClass(node.negated, node.items, ignoreCase);
  }
}

function alternation(branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0] as Info;
  let exact: Lits | null = new Set();
  let req: Lits | null = new Set();
  for (const b of branches) {
    if (exact && b.exact && exact.size + b.exact.size <= CAP) for (const s of b.exact) exact.add(s);
    else exact = null;
    const r = asReq(b.exact) ?? b.req;
    if (req && r && req.size + r.size <= MAX_UNION) for (const s of r) req.add(s);
    else req = null;
  }
  return { exact, req };
}

function sequence(items: readonly Info[]): Info {
  let best: Lits | null = null;
  let run: Lits = new Set(['']);
  let allExact = true;
  for (const info of items) {
    if (info.exact && run.size * info.exact.size <= CAP) {
      run = product(run, info.exact);
      continue;
    }
    allExact = false;
    const head = info.exact ?? info.prefix;
    best = better(best, head && run.size * head.size <= CAP ? asReq(product(run, head)) : asReq(run));
    if (info.exact) {
      run = info.exact;
      continue;
    }
    best = better(best, info.req);
    run = info.suffix ?? new Set(['']);
  }
  if (allExact) return { exact: run, req: null };
  return { exact: null, req: better(best, asReq(run)) };
}

function repeat(atom: Info, min: number, max: number): Info {
  if (min === 0) return max === 1 && atom.exact ? { exact: new Set([...atom.exact, '']), req: null } : ANY;
  let rep: Lits | null = atom.exact;
  for (let k = 1; k < min && rep && atom.exact; k++) rep = rep.size * atom.exact.size <= CAP ? product(rep, atom.exact) : null;
  if (min === max && rep) return { exact: rep, req: null };
  const edge = rep ?? atom.exact;
  const req = asReq(rep) ?? asReq(atom.exact) ?? atom.req;
  return edge ? { exact: null, req, prefix: edge, suffix: edge } : { exact: null, req };
}

/** A class is worth its characters when it names up to ten of them (`[-_]`, `[0-9]`); else anything goes. */
function charClass(negated: boolean, items: readonly ClassItem[], ignoreCase: boolean): Info {
  const chars = new Set<string>();
  let big = false;
  const add = (ch: string): void => {
    const code = ch.charCodeAt(0);
    if (ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) big = true;
    chars.add(fold(ch));
  };
  for (const item of items) {
    if (item.kind === 'char') codeUnits(item.codePoint).forEach(add);
    else if (item.kind === 'range') {
      if (item.to - item.from > 16) big = true;
      else for (let k = item.from; k <= item.to; k++) add(String.fromCharCode(k));
    } else if (item.set === 'digit' && !item.negated) DIGITS.forEach(add);
    else big = true;
  }
  if (negated || big || chars.size === 0 || chars.size > 10) return ANY;
  return { exact: chars, req: null };
}

/**
 * A set of strings (lower-case ASCII letters) one of which every match of `re` contains, or null. Exact for
 * the regular expressions of the rule table; an expression it cannot read yields null (always tested).
 */
export function requiredLiterals(re: RegExp): Set<string> | null {
  // Under u, case-insensitive matching folds beyond ASCII (`/s/iu` matches ſ, `/k/iu` the Kelvin sign K).
  if (re.flags.includes('u') || re.flags.includes('v')) return null;
  let parsed: ParsedRegex;
  try {
    parsed = parseRegex(re.source, re.flags);
  } catch (error) {
    if (error instanceof UnsupportedRegexError) return null;
    throw error;
  }
  const info = infoOf(parsed.root, parsed.flags.ignoreCase);
  return asReq(info.exact) ?? info.req;
}

/**
 * One Aho–Corasick automaton over the required literals of several expressions. {@link scan} marks, for one
 * line, the expressions that may match it; {@link may} reads the mark. Expressions without a required literal
 * are always marked.
 */
export class LiteralIndex {
  private readonly classOf: Uint8Array;
  private readonly width: number;
  private readonly delta: Int32Array;
  /** Per state: the expressions to mark, as a slice of `targets`. */
  private readonly outStart: Int32Array;
  private readonly targets: Int32Array;
  private readonly always: Uint8Array;
  private readonly marks: Int32Array;
  /** States numbered from here on have expressions to mark. */
  private readonly firstMarking: number;
  private stamp = 1;
  /** The last scan's marks as a bit set (expression i is bit i % 32 of word i / 32), always-tested ones included. */
  private readonly bits: Int32Array;
  private readonly alwaysBits: Int32Array;

  /**
   * @param maxLength literals are cut to their first `maxLength` characters: a smaller automaton that stays in
   * the CPU cache, at the price of a few more "maybe" answers.
   */
  constructor(expressions: readonly RegExp[], maxLength = 6) {
    const n = expressions.length;
    this.always = new Uint8Array(n);
    this.marks = new Int32Array(n);
    const literalTargets = new Map<string, number[]>();
    expressions.forEach((re, index) => {
      const lits = requiredLiterals(re);
      if (!lits) {
        this.always[index] = 1;
        return;
      }
      for (const whole of lits) {
        const lit = whole.slice(0, maxLength);
        const list = literalTargets.get(lit) ?? [];
        list.push(index);
        literalTargets.set(lit, list);
      }
    });
    // Character classes: one per distinct character of the literals (A–Z share a–z's), 0 for all others.
    this.classOf = new Uint8Array(65536);
    let classes = 1;
    for (const lit of literalTargets.keys()) {
      for (const ch of lit) {
        const code = ch.charCodeAt(0);
        if (this.classOf[code] === 0) {
          if (classes === 255) throw new Error('too many literal characters');
          this.classOf[code] = classes++;
          if (code >= 97 && code <= 122) this.classOf[code - 32] = this.classOf[code] as number;
        }
      }
    }
    this.width = classes;
    // Trie.
    const next: Array<Int32Array> = [new Int32Array(classes).fill(-1)];
    const outs: Array<Set<number>> = [new Set()];
    for (const [lit, targets] of literalTargets) {
      let s = 0;
      for (let k = 0; k < lit.length; k++) {
        const cls = this.classOf[lit.charCodeAt(k)] as number;
        let t = (next[s] as Int32Array)[cls] as number;
        if (t === -1) {
          t = next.length;
          next.push(new Int32Array(classes).fill(-1));
          outs.push(new Set());
          (next[s] as Int32Array)[cls] = t;
        }
        s = t;
      }
      for (const target of targets) (outs[s] as Set<number>).add(target);
    }
    // Failure links (breadth first) folded into a complete transition table.
    const states = next.length;
    const delta = new Int32Array(states * classes);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < classes; c++) {
      const t = (next[0] as Int32Array)[c] as number;
      if (t === -1) delta[c] = 0;
      else {
        delta[c] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q] as number;
      for (const target of outs[fail[s] as number] as Set<number>) (outs[s] as Set<number>).add(target);
      for (let c = 0; c < classes; c++) {
        const t = (next[s] as Int32Array)[c] as number;
        const viaFail = delta[(fail[s] as number) * classes + c] as number;
        if (t === -1) delta[s * classes + c] = viaFail;
        else {
          delta[s * classes + c] = t;
          fail[t] = viaFail;
          queue.push(t);
        }
      }
    }
    // Renumber the states so that those with something to mark come last (one comparison per character tells),
    // and store each transition as the target's row offset (no multiplication in the loop).
    const order: number[] = [];
    for (let s = 0; s < states; s++) if ((outs[s] as Set<number>).size === 0) order.push(s);
    this.firstMarking = order.length;
    for (let s = 0; s < states; s++) if ((outs[s] as Set<number>).size > 0) order.push(s);
    const rank = new Int32Array(states);
    order.forEach((old, i) => (rank[old] = i));
    if (rank[0] !== 0) throw new Error('the root state must have nothing to mark');
    this.delta = new Int32Array(states * classes);
    for (let i = 0; i < states; i++) {
      const old = order[i] as number;
      for (let c = 0; c < classes; c++) this.delta[i * classes + c] = (rank[delta[old * classes + c] as number] as number) * classes;
    }
    this.outStart = new Int32Array(states + 1);
    const flat: number[] = [];
    for (let i = 0; i < states; i++) {
      this.outStart[i] = flat.length;
      flat.push(...[...(outs[order[i] as number] as Set<number>)].sort((a, b) => a - b));
    }
    this.outStart[states] = flat.length;
    this.targets = Int32Array.from(flat);
    this.bits = new Int32Array((n + 31) >>> 5);
    this.alwaysBits = new Int32Array(this.bits.length);
    this.always.forEach((isAlways, i) => {
      if (isAlways === 1) this.alwaysBits[i >>> 5] = (this.alwaysBits[i >>> 5] as number) | (1 << (i & 31));
    });
  }

  /** Marks the expressions whose required literals occur in `text` (starts a new line's marks). */
  scan(text: string): void {
    const stamp = ++this.stamp;
    const { classOf, delta, width, outStart, targets, marks, bits } = this;
    bits.set(this.alwaysBits);
    const marking = this.firstMarking * width;
    const n = text.length;
    let row = 0;
    for (let i = 0; i < n; i++) {
      row = delta[row + (classOf[text.charCodeAt(i)] as number)] as number;
      if (row >= marking) {
        const s = row / width;
        const to = outStart[s + 1] as number;
        for (let k = outStart[s] as number; k < to; k++) {
          const target = targets[k] as number;
          marks[target] = stamp;
          bits[target >>> 5] = (bits[target >>> 5] as number) | (1 << (target & 31));
        }
      }
    }
  }

  /**
   * After {@link scan}: the expressions that may match, as a bit set (expression i is bit `i % 32` of word
   * `i / 32`; see {@link nextCandidate}). Walking it beats asking {@link may} of every expression.
   */
  candidates(): Int32Array {
    return this.bits;
  }

  /** After {@link scan}: can expression `index` match the scanned text? */
  may(index: number): boolean {
    return this.always[index] === 1 || this.marks[index] === this.stamp;
  }

  /** Expressions that no literal can rule out (tested on every line). */
  get alwaysTested(): number {
    return this.always.reduce((sum, v) => sum + v, 0);
  }
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
