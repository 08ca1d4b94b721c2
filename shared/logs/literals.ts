/**
 * Literal dispatch for the rule table (the prefilter idea of RE2 and Google Code Search, done once at load).
 *
 * {@link requiredLiterals} reads a regular expression's source and returns a set of strings one of which every
 * match must contain (ASCII letters case-folded), or `null` when it cannot name one (the expression may match
 * with no fixed text, `^\s*\d+\) \S`). {@link LiteralIndex} compiles the sets of many expressions into one
 * Aho–Corasick automaton: a single pass over a line says which expressions *can* match it, so the analyzer
 * tests only those (in their original order) instead of all 126 rules one after another. The automaton only
 * ever says "maybe": a rule it selects is still tested with its own regex, so results are exactly those of the
 * full loop (unit tests check this on every sample line).
 */

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

class Parser {
  private i = 0;
  constructor(
    private readonly src: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Info {
    const info = this.alternation();
    if (this.i < this.src.length) throw new Error(`unexpected ${this.src[this.i]} at ${this.i}`);
    return info;
  }

  private alternation(): Info {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
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

  private sequence(): Info {
    let best: Lits | null = null;
    let run: Lits = new Set(['']);
    let allExact = true;
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const info = this.quantified();
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

  private quantified(): Info {
    const atom = this.atom();
    const q = this.quantifier();
    if (!q) return atom;
    const [min, max] = q;
    if (min === 0) return max === 1 && atom.exact ? { exact: new Set([...atom.exact, '']), req: null } : ANY;
    let rep: Lits | null = atom.exact;
    for (let k = 1; k < min && rep && atom.exact; k++) rep = rep.size * atom.exact.size <= CAP ? product(rep, atom.exact) : null;
    if (min === max && rep) return { exact: rep, req: null };
    const edge = rep ?? atom.exact;
    const req = asReq(rep) ?? asReq(atom.exact) ?? atom.req;
    return edge ? { exact: null, req, prefix: edge, suffix: edge } : { exact: null, req };
  }

  private quantifier(): [number, number] | null {
    const c = this.src[this.i];
    let q: [number, number] | null = null;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return null;
      const min = Number(m[1]);
      q = [min, m[2] ? (m[3] ? Number(m[3]) : Infinity) : min];
      this.i += m[0].length;
    } else return null;
    if (this.src[this.i] === '?') this.i++;
    return q;
  }

  private literal(ch: string): Info {
    const code = ch.charCodeAt(0);
    // Case-insensitive matching of a non-ASCII letter (É/é) is not what the ASCII folding below models.
    if (this.ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) return ANY;
    return { exact: new Set([fold(ch)]), req: null };
  }

  private atom(): Info {
    const c = this.src[this.i++] as string;
    switch (c) {
      case '(': {
        let look = false;
        if (this.src[this.i] === '?') {
          const next = this.src[this.i + 1];
          if (next === ':') this.i += 2;
          else if (next === '=' || next === '!') {
            this.i += 2;
            look = true;
          } else if (next === '<' && (this.src[this.i + 2] === '=' || this.src[this.i + 2] === '!')) {
            this.i += 3;
            look = true;
          } else if (next === '<') {
            const end = this.src.indexOf('>', this.i);
            this.i = end + 1;
          } else throw new Error(`unsupported group at ${this.i}`);
        }
        const inner = this.alternation();
        if (this.src[this.i] !== ')') throw new Error(`unclosed group at ${this.i}`);
        this.i++;
        return look ? EMPTY : inner;
      }
      case '[':
        return this.charClass();
      case '.':
        return ANY;
      case '^':
      case '$':
        return EMPTY;
      case '\\':
        return this.escape();
      default:
        return this.literal(c);
    }
  }

  /** The character an escape stands for, or a marker for classes and assertions. */
  private escapeChar(inClass: boolean): string | 'class' | 'digit' | 'assert' | 'any' {
    const e = this.src[this.i++] as string;
    switch (e) {
      case 'd':
        return 'digit';
      case 'D':
      case 'w':
      case 'W':
      case 's':
      case 'S':
        return 'class';
      case 'b':
        return inClass ? '\b' : 'assert';
      case 'B':
        return 'assert';
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case '0':
        return '\0';
      case 'x': {
        const hex = this.src.slice(this.i, this.i + 2);
        this.i += 2;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case 'u': {
        const hex = this.src.slice(this.i, this.i + 4);
        this.i += 4;
        return String.fromCharCode(parseInt(hex, 16));
      }
      case 'c':
        this.i++;
        return 'any';
      default:
        if (e >= '1' && e <= '9') {
          while (/\d/.test(this.src[this.i] ?? '')) this.i++;
          return 'any';
        }
        return e;
    }
  }

  private escape(): Info {
    const ch = this.escapeChar(false);
    if (ch === 'assert') return EMPTY;
    if (ch === 'class' || ch === 'any') return ANY;
    if (ch === 'digit') return { exact: new Set('0123456789'), req: null };
    return this.literal(ch);
  }

  private charClass(): Info {
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    const chars = new Set<string>();
    let big = false;
    const add = (ch: string): void => {
      const code = ch.charCodeAt(0);
      if (this.ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) big = true;
      chars.add(fold(ch));
    };
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      let ch: string;
      if (this.src[this.i] === '\\') {
        this.i++;
        const e = this.escapeChar(true);
        if (e === 'digit') {
          for (const d of '0123456789') add(d);
          continue;
        }
        if (e === 'class' || e === 'any' || e === 'assert') {
          big = true;
          continue;
        }
        ch = e;
      } else ch = this.src[this.i++] as string;
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        this.i++;
        let to: string;
        if (this.src[this.i] === '\\') {
          this.i++;
          const e = this.escapeChar(true);
          if (e === 'digit' || e === 'class' || e === 'any' || e === 'assert') {
            big = true;
            continue;
          }
          to = e;
        } else to = this.src[this.i++] as string;
        const from = ch.charCodeAt(0);
        const end = to.charCodeAt(0);
        if (end - from > 16) big = true;
        else for (let k = from; k <= end; k++) add(String.fromCharCode(k));
        continue;
      }
      add(ch);
    }
    if (this.src[this.i] !== ']') throw new Error('unclosed class');
    this.i++;
    if (negated || big || chars.size === 0 || chars.size > 10) return ANY;
    return { exact: chars, req: null };
  }
}

/**
 * A set of strings (lower-case ASCII letters) one of which every match of `re` contains, or null. Exact for
 * the regular expressions of the rule table; an expression it cannot read yields null (always tested).
 */
export function requiredLiterals(re: RegExp): Set<string> | null {
  if (re.flags.includes('u') || re.flags.includes('v')) return null;
  try {
    const info = new Parser(re.source, re.flags.includes('i')).parse();
    return asReq(info.exact) ?? info.req;
  } catch {
    return null;
  }
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
