/**
 * Literal dispatch for the rule table (the prefilter idea of RE2 and Google Code Search, done once at load).
 *
 * {@link requiredLiterals} reads a regular expression's source and returns a set of strings one of which every
 * match must contain (ASCII letters case-folded), or `null` when it cannot name one (the expression may match
 * with no fixed text, `^\s*\d+\) \S`). `LiteralIndex` (literal-index.ts) compiles the sets of many expressions
 * into one Aho–Corasick automaton: a single pass over a line says which expressions *can* match it, so the analyzer
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
