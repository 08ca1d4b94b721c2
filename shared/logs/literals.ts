/**
 * Literal dispatch for the rule table (the prefilter idea of RE2 and Google Code Search, done once at load).
 *
 * {@link requiredLiterals} walks a regular expression's syntax tree (`regex-syntax.ts`) and returns a set of
 * strings one of which every match must contain (ASCII letters case-folded), or `null` when it cannot name one
 * (the expression may match with no fixed text, `^\s*\d+\) \S`). `LiteralIndex` (literal-index.ts) compiles the
 * sets of many expressions into one Aho–Corasick automaton: a single pass over a line says which expressions *can*
 * match it, so the analyzer tests only those (in their original order) instead of every rule one after another.
 * The automaton only ever says "maybe": a rule it selects is still tested with its own regex, so results are
 * exactly those of the full loop (unit tests check this on every sample line).
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
/**
 * The most literals an alternation's branches may require between them before it counts as requiring none. The
 * keyword pre-filter (`PREFILTER_RE`) is the largest alternation (258 in session 64); past this bound the index could
 * never rule it out, and it would run on every line the index reads (a test keeps it under).
 */
const MAX_UNION = 320;
const ANY: Info = { exact: null, req: null };
const EMPTY: Info = { exact: new Set(['']), req: null };

/** How an expression is read: its `i` flag, and whether its literals keep their case (else ASCII letters are folded). */
interface Reading {
  readonly ignoreCase: boolean;
  readonly keepCase: boolean;
}

function fold(c: string, reading: Reading): string {
  const code = c.charCodeAt(0);
  return !reading.keepCase && code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
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
function literal(ch: string, reading: Reading): Info {
  const code = ch.charCodeAt(0);
  // Case-insensitive matching of a non-ASCII letter (É/é) is not what the ASCII folding below models.
  if (reading.ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) return ANY;
  return { exact: new Set([fold(ch, reading)]), req: null };
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
function infoOf(node: RegexNode, reading: Reading): Info {
  switch (node.kind) {
    case 'alternation':
      return alternation(node.branches.map((branch) => infoOf(branch, reading)));
    case 'sequence':
      return sequence(node.items.map((item) => infoOf(item, reading)));
    case 'repeat':
      return repeat(infoOf(node.node, reading), node.min, node.max);
    case 'group':
      return infoOf(node.node, reading);
    case 'lookaround':
    case 'anchor':
    case 'wordBoundary':
      return EMPTY;
    case 'dot':
      return ANY;
    case 'char': {
      const units = codeUnits(node.codePoint);
      return units.length === 1 ? literal(units[0] as string, reading) : sequence(units.map((unit) => literal(unit, reading)));
    }
    case 'builtin':
      return node.set === 'digit' && !node.negated ? { exact: new Set(DIGITS), req: null } : ANY;
    case 'class':
      return charClass(node.negated, node.items, reading);
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
function charClass(negated: boolean, items: readonly ClassItem[], reading: Reading): Info {
  const chars = new Set<string>();
  let big = false;
  const add = (ch: string): void => {
    const code = ch.charCodeAt(0);
    if (reading.ignoreCase && code >= 128 && (ch.toLowerCase() !== ch || ch.toUpperCase() !== ch)) big = true;
    chars.add(fold(ch, reading));
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
 * the regular expressions of the rule table; an expression it cannot read yields null (always tested). With
 * `keepCase`, the strings keep their letters' case, as a match holds them (null for a case-insensitive expression).
 */
export function requiredLiterals(re: RegExp, keepCase = false): Set<string> | null {
  // Under u, case-insensitive matching folds beyond ASCII (`/s/iu` matches ſ, `/k/iu` the Kelvin sign K).
  if (re.flags.includes('u') || re.flags.includes('v')) return null;
  if (keepCase && re.flags.includes('i')) return null;
  let parsed: ParsedRegex;
  try {
    parsed = parseRegex(re.source, re.flags);
  } catch (error) {
    if (error instanceof UnsupportedRegexError) return null;
    throw error;
  }
  const info = infoOf(parsed.root, { ignoreCase: parsed.flags.ignoreCase, keepCase });
  return asReq(info.exact) ?? info.req;
}
