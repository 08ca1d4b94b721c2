/**
 * Where each bracket of a text closes, for the code-sink reading (`code-sinks.ts`): a sink's argument is read from its
 * opening bracket to its close, so a close found too early is what an attacker wants (`eval(")" + fetch(u))`).
 *
 * Three readings, and the later close of them counts: one that counts every bracket; one that passes over strings,
 * comments and regular-expression literals as most languages write them; and, for a file whose extension names its
 * language, one that passes over that language's own string forms (Python's prefixed and nested f-strings, Ruby's `%q<…>`,
 * `?)`, heredocs and `=begin`, Perl's `q<…>`, `tr/…/…/`, heredocs and POD, PHP's heredocs and nowdocs, the code inside an
 * interpolation, JavaScript's `${`…`}`). Each reading is fooled by some text, and the later close is cut short only where
 * all of them are. Every reading is one pass: a form that does not end where its language ends it is not taken for one,
 * and where a form of a kind was found to have no end, that kind is not looked for again before there (linear).
 */

/** The languages whose string forms a reading knows, by the file's extension. */
type Language = 'python' | 'ruby' | 'perl' | 'php' | 'javascript';

/** JavaScript's files and the frameworks' that hold it (`.vue`, `.svelte`, `.astro`): the code-sink reading asks too. */
export const JAVASCRIPT = /\.(?:[cm]?[jt]sx?|vue|svelte|astro)$/i;

const LANGUAGES: ReadonlyArray<readonly [RegExp, Language]> = [
  [/\.pyw?$|\.pyi$/i, 'python'],
  [/\.(?:rb|rake|ru|gemspec|podspec|thor)$|(?:^|\/)(?:Gemfile|Rakefile|Podfile|Vagrantfile|Brewfile|Fastfile)$/, 'ruby'],
  [/\.(?:pl|pm|t|psgi)$/i, 'perl'],
  [/\.(?:php\d?|phtml)$/i, 'php'],
  [JAVASCRIPT, 'javascript'],
];

/** Interpolations deeper than this are not followed: the string is taken for no string. */
const MAX_DEPTH = 32;

/**
 * Where each bracket of `text` (what a patch adds to `path`) closes, the latest of the readings above; an opener never
 * closed closes at the end. `seen` marks the openers a skipping reading met outside strings and comments.
 */
export function closers(path: string, text: string): { close: Int32Array; seen: Uint8Array } {
  const close = new Int32Array(text.length).fill(-1);
  const seen = new Uint8Array(text.length);
  const language = LANGUAGES.find(([extension]) => extension.test(path))?.[1];
  const readings: Array<Forms | null> = [null, new CommonForms(text)];
  if (language) readings.push(new LanguageForms(text, language));
  for (const forms of readings) {
    const stack: number[] = [];
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (forms) {
        if (c === '\\') {
          i++;
          continue;
        }
        const end = c === '\n' ? forms.afterLine(i) : forms.skip(i, 0);
        if (end > i) {
          i = end - 1;
          continue;
        }
      }
      const open = '([{'.indexOf(c);
      if (open >= 0) {
        stack.push(i);
        if (forms) seen[i] = 1;
      } else if (stack.length > 0 && '([{'[')]}'.indexOf(c)] === text[stack[stack.length - 1]!]) {
        const at = stack.pop()!;
        close[at] = Math.max(close[at]!, i);
      }
    }
    for (const at of stack) close[at] = text.length;
  }
  return { close, seen };
}

/** A skipping reading: where a form that starts at `i` ends, or `i`; at a newline, past what the line before opened. */
interface Forms {
  skip(i: number, depth: number): number;
  afterLine(i: number): number;
}

/** The end (exclusive) of the line holding `i`: its newline's index, or the text's length. */
const lineEndOf = (text: string, i: number) => (text.indexOf('\n', i) + 1 || text.length + 1) - 1;

/** Strings, comments and regular-expression literals as most languages write them: the reading for any file. */
class CommonForms implements Forms {
  /** Where a quote of each kind was last found to have no end: not looked for again before it (linear). */
  private readonly noEnd = new Map<string, number>();
  constructor(private readonly text: string) {}

  afterLine(i: number): number {
    return i;
  }

  skip(i: number, _depth: number): number {
    const { text } = this;
    const c = text[i]!;
    if (!'#/"\'\x60'.includes(c)) return i;
    const before = text.slice(Math.max(0, i - 1), i);
    let kind = '';
    if (c === '#' && /^\s?$/.test(before)) return lineEndOf(text, i);
    if (c === '/' && text[i + 1] === '/' && before !== ':') return lineEndOf(text, i);
    if (c === '/' && text[i + 1] === '*') kind = '*/';
    else if ((c === '"' || c === "'") && text.startsWith(c.repeat(3), i)) kind = c.repeat(3);
    else if (c === '"' || c === "'" || c === '\x60') kind = c;
    else if (c === '/' && REGEX_AFTER.test(text.slice(Math.max(0, i - 8), i))) kind = '/';
    else return i;
    if ((this.noEnd.get(kind) ?? -1) > i) return i;
    const multiline = kind.length > 1 || kind === '\x60';
    for (let j = i + kind.length; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '\n' && !multiline) break;
      else if (text.startsWith(kind, j)) return j + kind.length;
    }
    this.noEnd.set(kind, multiline ? text.length : lineEndOf(text, i));
    return i;
  }
}

/** What may stand before a `/` that opens a regular-expression literal rather than divides. */
const REGEX_AFTER = /(?:^|[(,=:[!&|?{};]\s*)$/;
/** Each bracket's close, for the delimiters that nest (`%q<…>`, `q{…}`, `s(…)(…)`). */
const CLOSES: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** How a string ends and what it holds: its closing delimiter, the opener it nests, the interpolations that hold code. */
interface Quote {
  close: string;
  open?: string;
  interpolations?: readonly string[];
  multiline: boolean;
  /**
   * A Python f-string's replacement fields (`{x!r:>{w}}`, `{{` a brace), raw when its prefix has an `r`; or a field's
   * format spec, text with nested fields that its first `}` closes.
   */
  fields?: 'f' | 'rf' | 'spec';
}

/** The strings whose quotes span lines and hold interpolations, by language (Python's are read by their prefix). */
const QUOTES: Readonly<Record<Exclude<Language, 'python'>, Readonly<Record<string, Quote>>>> = {
  ruby: {
    '"': { close: '"', interpolations: ['#{'], multiline: true },
    "'": { close: "'", multiline: true },
    '\x60': { close: '\x60', interpolations: ['#{'], multiline: true },
  },
  perl: { '"': { close: '"', multiline: true }, "'": { close: "'", multiline: true }, '\x60': { close: '\x60', multiline: true } },
  php: {
    '"': { close: '"', interpolations: ['{$', '${'], multiline: true },
    "'": { close: "'", multiline: true },
    '\x60': { close: '\x60', interpolations: ['{$', '${'], multiline: true },
  },
  javascript: { '"': { close: '"', multiline: false }, "'": { close: "'", multiline: false }, '\x60': { close: '\x60', interpolations: ['${'], multiline: true } },
};

/** Words after which Ruby and Perl start a value, not an operator (`return ?a`, `puts <<~R`). */
const STARTS_VALUE = /^(?:if|unless|while|until|return|and|or|not|when|in|then|else|elsif|do|puts|print|p|eval|exec|system|raise|yield|my|our|local|x)$/;

/**
 * A file's language's own string forms, comments and heredocs. Where the language reads a character by what comes
 * before it (Ruby's `?` and `%` and `<<`, Perl's `<<`), a value starts after an operator, an opener or a word that is
 * no local variable the text assigns; after a value (`x) ? a`, `n <<2`), an operator follows.
 */
class LanguageForms implements Forms {
  private readonly noEnd = new Map<string, number>();
  /** Heredocs opened on the current line: their bodies start at its newline. */
  private pending: Array<{ id: string; indented: boolean }> = [];
  private lineStarts?: Map<string, number[]>;
  private locals?: Set<string>;

  constructor(
    private readonly text: string,
    private readonly language: Language,
  ) {}

  afterLine(i: number): number {
    if (this.pending.length === 0) return i;
    let at = i + 1;
    for (const { id, indented } of this.pending) {
      const line = firstFrom(this.terminators().get(`${indented ? '~' : ''}${id}`) ?? [], at);
      if (line < 0) {
        at = -1;
        break;
      }
      at = lineEndOf(this.text, line) + 1;
    }
    this.pending = [];
    return at < 0 ? i : at - 1;
  }

  skip(i: number, depth: number): number {
    switch (this.language) {
      case 'python':
        return this.python(i, depth);
      case 'ruby':
        return this.ruby(i, depth);
      case 'perl':
        return this.perl(i, depth);
      case 'php':
        return this.php(i, depth);
      case 'javascript':
        return this.javascript(i, depth);
    }
  }

  private python(i: number, depth: number): number {
    const { text } = this;
    const c = text[i]!;
    if (c === '#') return lineEndOf(text, i);
    if (c !== '"' && c !== "'") return i;
    const prefix = /(?<![\w])[A-Za-z]{1,2}$/.exec(text.slice(Math.max(0, i - 3), i))?.[0].toLowerCase() ?? '';
    const valid = /^(?:[rbuft]|br|rb|[ft]r|r[ft])$/.test(prefix);
    const fields = valid && /[ft]/.test(prefix) ? (prefix.includes('r') ? 'rf' : 'f') : undefined;
    const close = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
    return this.quoted(i, close.length, `${fields ?? ''}${close}`, { close, multiline: close.length > 1, fields }, depth);
  }

  private ruby(i: number, depth: number): number {
    const { text } = this;
    const c = text[i]!;
    const lineStart = i === 0 || text[i - 1] === '\n';
    if (c === '#') return lineEndOf(text, i);
    if (c === '=' && lineStart && /^=begin\b/.test(text.slice(i, i + 7))) return this.block(i, /\n=end\b/g, '=begin');
    if (c === '_' && lineStart && /^__END__\r?$/m.test(text.slice(i, i + 9))) return text.length;
    if (c === '/' && REGEX_AFTER.test(text.slice(Math.max(0, i - 8), i))) return this.quoted(i, 1, '/', { close: '/', interpolations: ['#{'], multiline: false }, depth);
    if (c === '?' && this.valueStarts(i)) {
      const x = text[i + 1];
      if (x === undefined || /\s/.test(x) || (/\w/.test(x) && /\w/.test(text[i + 2] ?? ''))) return i;
      return x === '\\' ? i + 3 : i + 2;
    }
    if (c === '%' && this.valueStarts(i)) {
      const m = /%([qQwWiIrsx]?)([^\w\s=])/y;
      m.lastIndex = i;
      const [all, letter, delimiter] = m.exec(text) ?? [];
      if (!all) return i;
      const open = CLOSES[delimiter!] ? delimiter : undefined;
      const interpolating = /^[QWIrx]?$/.test(letter!);
      return this.quoted(i, all.length, `%${delimiter}`, { close: CLOSES[delimiter!] ?? delimiter!, open, interpolations: interpolating ? ['#{'] : undefined, multiline: true }, depth);
    }
    if (c === '<') return this.heredoc(i, /<<([~-]?)(["'\x60]?)([A-Za-z_]\w*)\2/y, (m) => m[1] !== '');
    const quote = QUOTES.ruby[c];
    return quote && text[i - 1] !== '$' ? this.quoted(i, 1, c, quote, depth) : i;
  }

  private perl(i: number, depth: number): number {
    const { text } = this;
    const c = text[i]!;
    const lineStart = i === 0 || text[i - 1] === '\n';
    if (c === '#') return text[i - 1] === '$' ? i : lineEndOf(text, i);
    if (c === '=' && lineStart && /^=[A-Za-z]/.test(text.slice(i, i + 2))) {
      const cut = /\n=cut\b/g;
      cut.lastIndex = i;
      return cut.exec(text) ? lineEndOf(text, cut.lastIndex) : text.length;
    }
    if (c === '_' && lineStart && /^__(?:END|DATA)__/.test(text.slice(i, i + 8))) return text.length;
    if (c === '/' && REGEX_AFTER.test(text.slice(Math.max(0, i - 8), i))) return this.quoted(i, 1, '/', { close: '/', multiline: true }, depth);
    if (c === '<') return this.heredoc(i, /<<(~?)(?:[ \t]*(["'\x60])([^"'\x60\n]*)\2|([A-Za-z_]\w*))/y, (m) => m[1] !== '', (m) => m[3] ?? m[4]!);
    if ('qmsty'.includes(c) && !/[\w$@%&*:>-]/.test(text[i - 1] ?? '')) return this.perlQuoteLike(i, depth);
    const quote = QUOTES.perl[c];
    return quote && text[i - 1] !== '$' ? this.quoted(i, 1, c, quote, depth) : i;
  }

  /** Perl's `q<…>`, `qq{…}`, `qw(…)`, `qr/…/`, `m!…!`, and the two parts of `s{…}{…}`, `tr/…/…/`, `y(…)(…)`. */
  private perlQuoteLike(i: number, depth: number): number {
    const { text } = this;
    const m = /(qq|qw|qr|q|m|s|tr|y)(\s*)([^\w\s=,;)}\]>])/y;
    m.lastIndex = i;
    const [all, word, blank, delimiter] = m.exec(text) ?? [];
    if (!all || (blank && delimiter === '#')) return i;
    const quote = (d: string): Quote => ({ close: CLOSES[d] ?? d, open: CLOSES[d] ? d : undefined, multiline: true });
    const first = this.quoted(i, all.length, `${word}${delimiter}`, quote(delimiter!), depth);
    if (first <= i || !/^(?:s|tr|y)$/.test(word!)) return first;
    // The replacement: after the pattern's own closing delimiter (`s/a/b/`), or its own brackets (`s{a} {b}`).
    const second = CLOSES[delimiter!] ? /\s*([^\w\s])/y : /()/y;
    second.lastIndex = first;
    const [gap, next] = second.exec(text) ?? [];
    if (gap === undefined) return i;
    const at = first + gap.length - 1;
    const end = this.quoted(at, 1, `${word}${next || delimiter}2`, quote(next || delimiter!), depth);
    return end === at ? i : end;
  }

  private php(i: number, depth: number): number {
    const { text } = this;
    const c = text[i]!;
    if (c === '#') return text[i + 1] === '[' ? i : lineEndOf(text, i);
    if (c === '/' && text[i + 1] === '/') return lineEndOf(text, i);
    if (c === '/' && text[i + 1] === '*') return this.block(i, /\*\//g, '/*');
    if (c === '<' && text.startsWith('<<<', i)) {
      const m = /<<<[ \t]*(["']?)([A-Za-z_]\w*)\1\r?\n/y;
      m.lastIndex = i;
      const [all, , id] = m.exec(text) ?? [];
      if (!all) return i;
      // Since PHP 7.3 the closing name may be indented and followed by code on its line (`E . $x);`).
      const line = firstFrom(this.terminators().get(`php:${id}`) ?? [], i + all.length);
      return line < 0 ? i : text.indexOf(id!, line) + id!.length;
    }
    const quote = QUOTES.php[c];
    return quote ? this.quoted(i, 1, c, quote, depth) : i;
  }

  private javascript(i: number, depth: number): number {
    const { text } = this;
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/' && text[i - 1] !== ':') return lineEndOf(text, i);
    if (c === '/' && text[i + 1] === '*') return this.block(i, /\*\//g, '/*');
    if (c === '/' && REGEX_AFTER.test(text.slice(Math.max(0, i - 8), i))) return this.quoted(i, 1, '/', { close: '/', multiline: false }, depth);
    const quote = QUOTES.javascript[c];
    return quote ? this.quoted(i, 1, c, quote, depth) : i;
  }

  /** A block comment or a Ruby `=begin`: to the end of the line (`=end`) or the closer (`*​/`) `end` finds, or none. */
  private block(i: number, end: RegExp, kind: string): number {
    if ((this.noEnd.get(kind) ?? -1) > i) return i;
    end.lastIndex = i + 2;
    if (!end.exec(this.text)) {
      this.noEnd.set(kind, this.text.length);
      return i;
    }
    return kind === '/*' ? end.lastIndex : lineEndOf(this.text, end.lastIndex);
  }

  /** A heredoc's opener at `i` (`<<~R`, `<<'E'`): its body is passed over at the line's end ({@link afterLine}). */
  private heredoc(i: number, opener: RegExp, indented: (m: RegExpExecArray) => boolean, id: (m: RegExpExecArray) => string = (m) => m[3]!): number {
    if (!this.text.startsWith('<<', i) || !this.valueStarts(i)) return i;
    opener.lastIndex = i;
    const m = opener.exec(this.text);
    if (!m) return i;
    this.pending.push({ id: id(m), indented: indented(m) });
    return i + m[0].length;
  }

  /**
   * Whether a value may start at `i` in Ruby or Perl: after an opener, an operator or a line's start; after a blank
   * that follows a word which is no local variable the text assigns (`puts ?a`, `eval <<~R`); not after a value.
   */
  private valueStarts(i: number): boolean {
    const before = /([\w$@)\]}"'\x60]?)([ \t]*)$/.exec(this.text.slice(Math.max(0, i - 40), i))!;
    if (!before[1]) return true;
    if (!before[2] || !/\w/.test(before[1])) return false;
    const word = /[$@]*\w+$/.exec(this.text.slice(Math.max(0, i - 40), i - before[2].length))![0];
    if (/^\d|^[$@]/.test(word)) return false;
    return STARTS_VALUE.test(word) || !this.localNames().has(word);
  }

  /** Names the text assigns or binds (`x = …`, `|a, b|`): Ruby reads `x ?a :b` and `x <<y` as operators after them. */
  private localNames(): Set<string> {
    if (!this.locals) {
      this.locals = new Set();
      for (const m of this.text.matchAll(/(?<![\w$@.:])([a-z_]\w*)\s*(?:[-+*\/|&]{1,2})?=(?![=~>])|\|([^|\n]{1,80})\|/g)) {
        for (const name of (m[1] ?? m[2]!).match(/[a-z_]\w*/g) ?? []) this.locals.add(name);
      }
    }
    return this.locals;
  }

  /**
   * The lines that may end a heredoc, by the name they hold: `R` alone (`~R` indented too), and for PHP a name after
   * blanks and before anything but a name's character. Read once, so each heredoc's end is found by a search.
   */
  private terminators(): Map<string, number[]> {
    if (!this.lineStarts) {
      this.lineStarts = new Map();
      const add = (key: string, at: number) => {
        const list = this.lineStarts!.get(key);
        if (list) list.push(at);
        else this.lineStarts!.set(key, [at]);
      };
      for (const m of this.text.matchAll(/^([ \t]*)([A-Za-z_]\w*)([^\n]*)$/gm)) {
        const [, indent, name, rest] = m;
        if (/^\s*$/.test(rest!)) {
          add(`~${name}`, m.index!);
          if (!indent) add(name!, m.index!);
        }
        add(`php:${name}`, m.index!);
      }
    }
    return this.lineStarts;
  }

  /**
   * The end of the string whose opening delimiter (`length` characters) is at `i`, or `i` where it has none: not
   * closed (or, for a single line's kind, not on its line), or an interpolation in it not closed. `kind` keys the
   * memo of where a kind was found to have no end. Inside an interpolation (`depth` > 0) a string with no end fails
   * the interpolation, `-(where) - 1`: taken for code, it would be scanned again from each quote after it.
   */
  private quoted(i: number, length: number, kind: string, quote: Quote, depth: number): number {
    if (depth > MAX_DEPTH || (this.noEnd.get(kind) ?? -1) > i) return i;
    const end = this.stringEnd(i + length, quote, depth);
    if (end >= 0 || depth > 0) return end;
    this.noEnd.set(kind, -end - 1);
    return i;
  }

  /** {@link quoted}'s scan from `from`: the end, or `-(where it failed) - 1`. */
  private stringEnd(from: number, quote: Quote, depth: number): number {
    const { text } = this;
    let nest = 0;
    for (let j = from; j < text.length; j++) {
      const c = text[j]!;
      if (c === '\\') {
        // In an f-string a backslash escapes no brace, and `\N{…}` names a character.
        if (quote.fields && quote.fields !== 'spec' && (text[j + 1] === '{' || text[j + 1] === '}')) continue;
        if (quote.fields === 'f' && text.startsWith('N{', j + 1)) {
          const close = text.indexOf('}', j);
          if (close < 0) return -text.length - 1;
          j = close;
          continue;
        }
        j++;
        continue;
      }
      if (c === '\n' && !quote.multiline) return -j - 1;
      if (quote.fields && c === '{') {
        if (text[j + 1] === '{' && quote.fields !== 'spec') {
          j++;
          continue;
        }
        const end = this.codeEnd(j + 1, depth + 1, true);
        if (end < 0) return end;
        j = end - 1;
        continue;
      }
      if (quote.fields && quote.fields !== 'spec' && c === '}' && text[j + 1] === '}') {
        j++;
        continue;
      }
      const interpolation = quote.interpolations?.find((opener) => text.startsWith(opener, j));
      if (interpolation) {
        const end = this.codeEnd(j + interpolation.length, depth + 1, false);
        if (end < 0) return end;
        j = end - 1;
        continue;
      }
      if (quote.open && c === quote.open) nest++;
      else if (text.startsWith(quote.close, j)) {
        if (nest === 0) return j + quote.close.length;
        nest--;
      }
    }
    return -text.length - 1;
  }

  /**
   * The end of an interpolation's code from `from` (after its opener) to the `}` that closes it (`)` is not one:
   * Swift's form is not read), or `-(where it failed) - 1`. In a Python field, a `:` outside brackets starts the format
   * spec, text with nested fields.
   */
  private codeEnd(from: number, depth: number, field: boolean): number {
    if (depth > MAX_DEPTH) return -from - 1;
    const { text } = this;
    let nest = 0;
    for (let j = from; j < text.length; j++) {
      const c = text[j]!;
      if (c === '\\') {
        j++;
        continue;
      }
      const end = this.skip(j, depth);
      if (end < 0) return end;
      if (end > j) {
        j = end - 1;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') nest++;
      else if (c === ')' || c === ']' || c === '}') {
        if (nest > 0) nest--;
        else if (c === '}') return j + 1;
      } else if (field && nest === 0 && c === ':') {
        return this.stringEnd(j + 1, { close: '}', multiline: true, fields: 'spec' }, depth);
      }
    }
    return -text.length - 1;
  }
}

/** The index of the first of the sorted `positions` at or after `from` (their length if none), found by halving. */
export function firstIndexFrom(positions: readonly number[], from: number): number {
  let low = 0;
  let high = positions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (positions[middle]! < from) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first of the sorted `positions` at or after `from`, or -1. */
export function firstFrom(positions: readonly number[], from: number): number {
  return positions[firstIndexFrom(positions, from)] ?? -1;
}

/**
 * Which characters of `text` (JavaScript) are code, not in a string, a template literal's text, a comment or a regular
 * expression literal: 1 for code. A template literal's `${…}` is code. A quote or a regular expression's `/` not closed
 * on its line, and a block comment not closed, are taken for code (as {@link CommonForms} takes them); a template
 * literal not closed makes the reading fail (null), and the caller reads the whole text as code. One pass, linear: a
 * kind found to have no end is not looked for again before where that was found. `comments`, if given, is set to 1 where
 * a comment is (a `//` line's end or a closed `/* *​/`).
 */
export function javascriptCode(text: string, comments?: Uint8Array): Uint8Array | null {
  const code = new Uint8Array(text.length);
  const noEnd = new Map<string, number>();
  /** The brace depth at which each open `${` was met; `}` back at that depth resumes its template literal. */
  const templates: number[] = [];
  let depth = 0;
  /** From `i` inside a template literal's text: past its closing backtick, or past a `${` (pushed); -1 without either. */
  const templateText = (i: number): number => {
    for (let j = i; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '\x60') return j + 1;
      else if (text[j] === '$' && text[j + 1] === '{') {
        templates.push(depth);
        depth++;
        return j + 2;
      }
    }
    return -1;
  };
  /** The end of a one-line form from `i` closed by `close` (a regular expression's class read whole), or -1. */
  const lineForm = (i: number, close: string): number => {
    if ((noEnd.get(close) ?? -1) > i) return -1;
    let inClass = false;
    for (let j = i + 1; j < text.length && text[j] !== '\n'; j++) {
      const c = text[j]!;
      if (c === '\\') j++;
      else if (close === '/' && c === '[') inClass = true;
      else if (close === '/' && c === ']') inClass = false;
      else if (c === close && !inClass) return j + 1;
    }
    noEnd.set(close, lineEndOf(text, i));
    return -1;
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    let end = -1;
    if (c === '/' && text[i + 1] === '/' && text[i - 1] !== ':') {
      end = lineEndOf(text, i);
      comments?.fill(1, i, end);
    } else if (c === '/' && text[i + 1] === '*' && (noEnd.get('*/') ?? -1) <= i) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) noEnd.set('*/', text.length);
      else {
        end = close + 2;
        comments?.fill(1, i, end);
      }
    } else if (c === '"' || c === "'") end = lineForm(i, c);
    else if (c === '/' && REGEX_AFTER.test(text.slice(Math.max(0, i - 8), i))) end = lineForm(i, '/');
    else if (c === '\x60' || (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth - 1)) {
      if (c === '}') {
        templates.pop();
        depth--;
      }
      end = templateText(i + 1);
      if (end < 0) return null;
    }
    if (end > i) {
      i = end;
      continue;
    }
    code[i] = 1;
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    i++;
  }
  return code;
}

/**
 * Scans `text` from `from` to at most `to`, counting brackets outside string literals, from `depth`. Stops where the
 * count reaches 0 (`stopAtZero`) or at `to`; answers the depth and where it stopped. Each character is read once.
 */
export function bracketDepth(text: string, from: number, to: number, depth: number, stopAtZero: boolean): { depth: number; at: number } {
  let at = from;
  while (at < to) {
    const char = text.charAt(at);
    if (char === '"' || char === "'" || char === '\x60') {
      // Read up to `to` only (not indexOf, which reads on to the text's end): a string going on past it holds the end.
      let close = at + 1;
      while (close < to && text.charAt(close) !== char) close++;
      if (close >= to) return { depth, at: to };
      at = close + 1;
      continue;
    }
    if (char === '(' || char === '[' || char === '{') depth++;
    else if (char === ')' || char === ']' || char === '}') {
      depth--;
      if (stopAtZero && depth <= 0) return { depth, at: at + 1 };
    }
    at++;
  }
  return { depth, at };
}
