/**
 * One reader of the JavaScript regular-expression syntax the log analyzer's own readers understand: it turns an
 * expression's source into a small syntax tree that `byte-dfa.ts` (the line filter's automata) and `literals.ts`
 * (the rule table's required literals) both walk, so the two cannot read the same expression differently.
 *
 * It reads what the rule table, the redaction patterns and the triggers use: alternation, sequences, character
 * classes (ranges, negation, escapes, `\d\w\s` and their negations), quantifiers with bounds and laziness, groups
 * (capturing, named, non-capturing, look-arounds), anchors, `\b`/`\B` and the dot. A character is one code point
 * even without the `u` flag: the analyzer's text is decoded UTF-8, which never holds a lone surrogate.
 *
 * What neither reader could honour is refused with an {@link UnsupportedRegexError}, never read as something
 * narrower: back-references (`\1`, `\k<name>`), octal escapes (`\01`, `[\1]`), control escapes (`\c`), Unicode
 * property escapes (`\p{…}` under `u`), inline modifiers (`(?i:…)`) and the `v` flag.
 */

/** An expression this reader refuses (see the module comment), or one that is not well formed. */
export class UnsupportedRegexError extends Error {
  override name = 'UnsupportedRegexError';
  constructor(message: string, source: string) {
    super(`${message} in /${source}/`);
  }
}

/** `\d`, `\w`, `\s` (`negated`: `\D`, `\W`, `\S`), as a node or inside a class. */
export interface BuiltinClass {
  readonly kind: 'builtin';
  readonly set: 'digit' | 'word' | 'space';
  readonly negated: boolean;
}

/** One character (a code point), as a node or inside a class. */
export interface CharNode {
  readonly kind: 'char';
  readonly codePoint: number;
}

/** `a-z` inside a class, code points `from` to `to` inclusive. */
export interface CharRange {
  readonly kind: 'range';
  readonly from: number;
  readonly to: number;
}

export type ClassItem = CharNode | CharRange | BuiltinClass;

/** The syntax tree of an expression (or of one of its parts). */
export type RegexNode =
  | { readonly kind: 'alternation'; readonly branches: readonly RegexNode[] }
  | { readonly kind: 'sequence'; readonly items: readonly RegexNode[] }
  | CharNode
  | BuiltinClass
  /** `[…]`: `items` in source order; `[]` matches nothing, `[^]` any character. */
  | { readonly kind: 'class'; readonly negated: boolean; readonly items: readonly ClassItem[] }
  /** `.`: `dotAll` (the `s` flag) when it also matches line terminators. */
  | { readonly kind: 'dot'; readonly dotAll: boolean }
  /** `^` / `$`: `multiline` (the `m` flag) when they also match at line breaks. */
  | { readonly kind: 'anchor'; readonly at: 'start' | 'end'; readonly multiline: boolean }
  /** `\b`, or `\B` when `negated`. */
  | { readonly kind: 'wordBoundary'; readonly negated: boolean }
  /** `*` `+` `?` `{n}` `{n,}` `{n,m}`, `lazy` with a trailing `?`; `max` is `Infinity` when unbounded. */
  | { readonly kind: 'repeat'; readonly node: RegexNode; readonly min: number; readonly max: number; readonly lazy: boolean }
  /** `(…)`, `(?<name>…)` (`name` set) and `(?:…)` (`capturing` false). */
  | { readonly kind: 'group'; readonly node: RegexNode; readonly capturing: boolean; readonly name?: string }
  /** `(?=…)` `(?!…)` (`ahead`) and `(?<=…)` `(?<!…)`; `negated` for the `!` forms. */
  | { readonly kind: 'lookaround'; readonly node: RegexNode; readonly ahead: boolean; readonly negated: boolean };

/** The flags that change how an expression reads or matches. */
export interface RegexFlags {
  readonly ignoreCase: boolean;
  readonly multiline: boolean;
  readonly dotAll: boolean;
  readonly unicode: boolean;
}

export interface ParsedRegex {
  readonly root: RegexNode;
  readonly flags: RegexFlags;
}

/** `{n}`, `{n,}`, `{n,m}` (how large a bound may be is the walker's business: see `byte-dfa.ts`). */
const QUANTIFIER = /^\{(\d+)(?:(,)(\d*))?\}/;
const HEX2 = /^[0-9a-fA-F]{2}/;
const HEX4 = /^[0-9a-fA-F]{4}/;
const CODE_POINT_ESCAPE = /^\{([0-9a-fA-F]{1,6})\}/;
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { t: 9, n: 10, v: 11, f: 12, r: 13 };

/**
 * The syntax tree of `source` read with `flags` (a RegExp's `flags` string). Throws an
 * {@link UnsupportedRegexError} for what the module comment lists and for source that is not well formed.
 */
export function parseRegex(source: string, flags = ''): ParsedRegex {
  if (flags.includes('v')) throw new UnsupportedRegexError('unsupported flag v', source);
  const parsed: RegexFlags = {
    ignoreCase: flags.includes('i'),
    multiline: flags.includes('m'),
    dotAll: flags.includes('s'),
    unicode: flags.includes('u'),
  };
  return { root: new Reader(source, parsed).read(), flags: parsed };
}

class Reader {
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly flags: RegexFlags,
  ) {}

  read(): RegexNode {
    const node = this.alternation();
    if (this.i < this.src.length) this.fail(`unexpected ${this.src[this.i]} at ${this.i}`);
    return node;
  }

  private fail(message: string): never {
    throw new UnsupportedRegexError(message, this.src);
  }

  private alternation(): RegexNode {
    const branches = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] as RegexNode) : { kind: 'alternation', branches };
  }

  /** Zero or more items, a sequence node even for one (both walkers treat a branch as a sequence). */
  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') items.push(this.quantified(this.atom()));
    return { kind: 'sequence', items };
  }

  private quantified(node: RegexNode): RegexNode {
    const c = this.src[this.i];
    let min: number;
    let max: number;
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      min = c === '+' ? 1 : 0;
      max = c === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else if (c === '{') {
      // `{` that does not start a well-formed quantifier (`{`, `{,3}`, `{a}`) is a literal character.
      const m = QUANTIFIER.exec(this.src.slice(this.i));
      if (!m) return node;
      this.i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Number.POSITIVE_INFINITY : Number(m[3]);
    } else {
      return node;
    }
    const lazy = this.src[this.i] === '?';
    if (lazy) this.i++;
    return { kind: 'repeat', node, min, max, lazy };
  }

  private atom(): RegexNode {
    const c = this.src[this.i];
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        this.i++;
        return { kind: 'dot', dotAll: this.flags.dotAll };
      case '^':
      case '$':
        this.i++;
        return { kind: 'anchor', at: c === '^' ? 'start' : 'end', multiline: this.flags.multiline };
      case '\\': {
        const e = this.src[this.i + 1];
        if (e === 'b' || e === 'B') {
          this.i += 2;
          return { kind: 'wordBoundary', negated: e === 'B' };
        }
        if (e !== undefined && e >= '1' && e <= '9') this.fail('back-reference');
        return this.escape(false);
      }
      default:
        return this.sourceChar();
    }
  }

  private sourceChar(): CharNode {
    const codePoint = this.src.codePointAt(this.i) as number;
    this.i += codePoint > 0xffff ? 2 : 1;
    return { kind: 'char', codePoint };
  }

  private group(): RegexNode {
    this.i++;
    let capturing = true;
    let name: string | undefined;
    let look: { ahead: boolean; negated: boolean } | undefined;
    if (this.src[this.i] === '?') {
      const kind = this.src.slice(this.i, this.i + 3);
      if (kind.startsWith('?:')) {
        this.i += 2;
        capturing = false;
      } else if (kind.startsWith('?=') || kind.startsWith('?!')) {
        look = { ahead: true, negated: kind[1] === '!' };
        this.i += 2;
      } else if (kind === '?<=' || kind === '?<!') {
        look = { ahead: false, negated: kind[2] === '!' };
        this.i += 3;
      } else if (kind.startsWith('?<')) {
        const end = this.src.indexOf('>', this.i);
        if (end < 0) this.fail('unclosed group name');
        name = this.src.slice(this.i + 2, end);
        this.i = end + 1;
      } else this.fail('unsupported group');
    }
    const node = this.alternation();
    if (this.src[this.i] !== ')') this.fail('unclosed group');
    this.i++;
    if (look) return { kind: 'lookaround', node, ...look };
    return name === undefined ? { kind: 'group', node, capturing } : { kind: 'group', node, capturing, name };
  }

  /** An escape outside or inside a class (`\b` and `\B` outside are read by the caller). */
  private escape(inClass: boolean): CharNode | BuiltinClass {
    const e = this.src[this.i + 1];
    if (e === undefined) this.fail('\\ at end of pattern');
    const builtin = ({ d: 'digit', w: 'word', s: 'space' } as const)[e.toLowerCase() as 'd' | 'w' | 's'];
    if (builtin !== undefined) {
      this.i += 2;
      return { kind: 'builtin', set: builtin, negated: e !== e.toLowerCase() };
    }
    return { kind: 'char', codePoint: this.escapedCodePoint(inClass) };
  }

  /** The code point of a one-character escape (`\n`, `\x41`, `\u00e9`, `\.`), consumed. */
  private escapedCodePoint(inClass: boolean): number {
    const e = this.src[this.i + 1] as string;
    this.i += 2;
    const rest = this.src.slice(this.i);
    if (e === '0') {
      if (/^[0-9]/.test(rest)) this.fail('octal escape');
      return 0;
    }
    // Inside a class `\1`…`\7` are octal escapes (there are no back-references there); `\8` and `\9` are 8 and 9.
    if (e >= '1' && e <= '7') this.fail('octal escape');
    if (e in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[e] as number;
    if (e === 'b' && inClass) return 8;
    if (e === 'c') this.fail('unsupported \\c escape');
    if (e === 'k' && rest.startsWith('<')) this.fail('named back-reference');
    if ((e === 'p' || e === 'P') && this.flags.unicode) this.fail('unsupported property escape');
    if (e === 'x') {
      const hex = HEX2.exec(rest);
      if (!hex) return 0x78; // `\x` without two hex digits is an `x` (as JavaScript reads it without the u flag).
      this.i += 2;
      return Number.parseInt(hex[0], 16);
    }
    if (e === 'u') return this.unicodeEscape(rest);
    const cp = this.src.codePointAt(this.i - 1) as number;
    if (cp > 0xffff) this.i++;
    return cp;
  }

  /** After `\u`: `XXXX`, a surrogate pair written as two such escapes, or `{X…}` under the u flag. */
  private unicodeEscape(rest: string): number {
    if (this.flags.unicode) {
      const braced = CODE_POINT_ESCAPE.exec(rest);
      if (braced) {
        this.i += braced[0].length;
        return Number.parseInt(braced[1] as string, 16);
      }
    }
    const hex = HEX4.exec(rest);
    if (!hex) return 0x75; // `\u` without four hex digits is a `u` (as JavaScript reads it without the u flag).
    this.i += 4;
    const cp = Number.parseInt(hex[0], 16);
    // A surrogate pair written as two \u escapes is one character.
    if (cp >= 0xd800 && cp <= 0xdbff && this.src.startsWith('\\u', this.i)) {
      const low = HEX4.exec(this.src.slice(this.i + 2));
      const lowCp = low ? Number.parseInt(low[0], 16) : -1;
      if (lowCp >= 0xdc00 && lowCp <= 0xdfff) {
        this.i += 6;
        return 0x10000 + ((cp - 0xd800) << 10) + (lowCp - 0xdc00);
      }
    }
    return cp;
  }

  private charClass(): RegexNode {
    this.i++;
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    const items: ClassItem[] = [];
    // As JavaScript reads it: `[]` matches nothing and `[^]` any character (a `]` first closes the class).
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      const lo = this.classAtom();
      if (lo.kind === 'char' && this.src[this.i] === '-' && this.i + 1 < this.src.length && this.src[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classAtom();
        // JavaScript reads `[a-\d]` as three members; neither walker would, so it is refused.
        if (hi.kind !== 'char') this.fail('bad range');
        items.push({ kind: 'range', from: lo.codePoint, to: hi.codePoint });
      } else items.push(lo);
    }
    if (this.src[this.i] !== ']') this.fail('unclosed class');
    this.i++;
    return { kind: 'class', negated, items };
  }

  private classAtom(): CharNode | BuiltinClass {
    return this.src[this.i] === '\\' ? this.escape(true) : this.sourceChar();
  }
}
