/**
 * Strings a source language formats from literals alone, read as the string they make, for the shell reading
 * (`shell-reading.ts`): a command line built by formatting (`"%s%s … | sh" % ("cu", "rl")`) is the command line it
 * builds, however the language spells the formatting:
 *
 * - printf-style: Python's and Ruby's `%` (`%s`, `%c`, `%r`, `%(name)s`, Ruby's `%{name}` and `%<name>s`), given a
 *   literal, a tuple or array of them, or a dict or hash of them; and the calls that take the format first
 *   (`format(…)`, `sprintf(…)`, `util.format(…)`, `String.format(…)`, Go's `fmt.Sprintf(…)`);
 * - Python's `str.format` (`{}`, `{0}`, `{name}`, `!r`) given literals, positional or by keyword;
 * - an array or tuple of literals joined: Python's `"".join([…])`, Ruby's and JavaScript's `[…].join(…)`, `%w[…].join`;
 * - JavaScript's `"cu".concat("r", "l")`, chained too;
 * - interpolation of a literal: Python's f-strings (`f"{'cu'}rl"`), Ruby's `#{'cu'}` (in strings, backticks, `%x()`,
 *   `%Q()`), JavaScript's `${'cu'}` in a template literal.
 *
 * A value the code computes (a variable, a call) is left as written: only what the diff itself spells is read.
 */

/** A string literal in single or double quotes, with its escapes. */
const LITERAL = String.raw`(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')`;
/**
 * Literals joined into one: side by side (Python, Ruby, C) or with `+`. A few at most: a run of many, tried from each
 * of its quotes, is quadratic in its length. The blanks before a `+` and after it are two runs only when there is a
 * `+`: as `[ \t]*\+?[ \t]*`, a blank between two literals could be either run's, and a join that then failed to
 * be a format's was tried in 2^16 ways from every quote (a 20 KB line of `'x' 'x' …` took 26 s).
 */
const JOINED = String.raw`${LITERAL}(?:[ \t]*(?:\+[ \t]*)?${LITERAL}){0,16}`;
/** A value a format is given: joined literals or an integer (`%c` of 99 is `c`). */
const VALUE = String.raw`(?:${JOINED}|-?\d+)`;
/** A list of values, each positional or named (`name=…`, Python's keywords). */
const ARGUMENTS = String.raw`(?:\w+[ \t]*=[ \t]*)?${VALUE}(?:[ \t]*,[ \t]*(?:\w+[ \t]*=[ \t]*)?${VALUE})*[ \t]*,?`;
/** A dict or hash of values keyed by literals or names (`{"a": "cu"}`, `{ a: "cu" }`, `{ :a => "cu" }`). */
const KEYED = String.raw`\{[ \t]*(?::?\w+|${LITERAL})[ \t]*(?::|=>)[ \t]*${VALUE}(?:[ \t]*,[ \t]*(?::?\w+|${LITERAL})[ \t]*(?::|=>)[ \t]*${VALUE})*[ \t]*,?[ \t]*\}`;

/** A printf-style `%` of joined literals: `"%s%s" % ("cu", "rl")`, `"%s" % "sh"`, `"%{a}" % { a: "cu" }`. */
const PERCENT = new RegExp(
  String.raw`(${JOINED})[ \t]*%[ \t]*(\([ \t]*${ARGUMENTS}[ \t]*\)|\[[ \t]*${ARGUMENTS}[ \t]*\]|${KEYED}|${VALUE})`,
  'g',
);
/** Python's `str.format` of joined literals: `"{}{}".format("cu", "rl")`, `"{a}".format(a="cu")`. */
const FORMAT_METHOD = new RegExp(String.raw`(${JOINED})[ \t]*\.[ \t]*format[ \t]*\([ \t]*(${ARGUMENTS})?[ \t]*\)`, 'g');
/**
 * A call that formats its first argument, with its receiver (`util.format`, `fmt.Sprintf`, whose capital the `i` flag
 * reads): the string replaces both.
 */
const FORMAT_CALL = new RegExp(String.raw`(?<![\w$.])(?:[\w$]+\.)*(?:s?printf|format)[ \t]*\([ \t]*(${JOINED})[ \t]*,[ \t]*(${ARGUMENTS})[ \t]*\)`, 'gi');
/** Literals listed: an array's or a tuple's elements. */
const LISTED = String.raw`${JOINED}(?:[ \t]*,[ \t]*${JOINED})*[ \t]*,?`;
/** Python's `sep.join([…])` or `sep.join((…))` of literals. */
const SEPARATOR_JOIN = new RegExp(String.raw`(${JOINED})[ \t]*\.[ \t]*join[ \t]*\([ \t]*[[(][ \t]*(${LISTED})[ \t]*[\])][ \t]*\)`, 'g');
/**
 * Ruby's and JavaScript's `[…].join(sep)` of literals, and Ruby's `%w[…].join`. Without a separator, Ruby joins with
 * nothing (JavaScript with commas; read as Ruby's, the reading that makes more of a word). A word array's body holds no
 * opening delimiter: with one, a line of `%w[` was read from each to the line's end.
 */
const ARRAY_JOIN = new RegExp(
  String.raw`(?:\[[ \t]*(${LISTED})[ \t]*\]|%[wW](?:\[([^[\]\n]*)\]|\(([^()\n]*)\)|\{([^{}\n]*)\}|<([^<>\n]*)>))[ \t]*\.[ \t]*join\b(?:[ \t]*\([ \t]*(${JOINED})?[ \t]*\))?`,
  'g',
);
/**
 * A literal reversed: Python's `'…'[::-1]`, JavaScript's `'…'.split('').reverse().join('')` (attack 69 A69-4).
 */
const REVERSED = new RegExp(
  String.raw`(${LITERAL})[ \t]*(?:\[[ \t]*::[ \t]*-1[ \t]*\]|\.[ \t]*split[ \t]*\([ \t]*(?:''|"")[ \t]*\)[ \t]*\.[ \t]*reverse[ \t]*\([ \t]*\)[ \t]*\.[ \t]*join[ \t]*\([ \t]*(?:''|"")[ \t]*\))`,
  'g',
);
/** JavaScript's `.concat(…)` of literals on a literal, up to 8 in a chain: `"GITHUB_".concat("TOKEN")` (review 68, R68-7). */
const CONCAT = new RegExp(String.raw`(${JOINED})((?:[ \t]*\.[ \t]*concat[ \t]*\([ \t]*(?:${LISTED})?[ \t]*\)){1,8})`, 'g');
/**
 * An f-string: its fields (`{…}`, which may hold the string's own quote in Python 3.12) and the rest. Not after a `-`:
 * `-F"|"` is a shell option with its value glued on (awk's field separator), which read as `-"|"` lost its option;
 * Python has no use for a negated string.
 */
const F_STRING = /(?<![\w\\-])(?:[fF][rR]?|[rR][fF])(?:"((?:[^"\\\n{}]|\\.|\{\{|\}\}|\{[^{}\n]*\})*)"|'((?:[^'\\\n{}]|\\.|\{\{|\}\}|\{[^{}\n]*\})*)')/g;
/**
 * Ruby's `#{…}` holding a literal or an integer, and JavaScript's `${…}` holding a literal (not an integer: the shell's
 * `${1}` is a positional parameter, read as such).
 */
const INTERPOLATED = new RegExp(String.raw`#\{[ \t]*(${VALUE})?[ \t]*\}|\$\{[ \t]*(${JOINED})[ \t]*\}`, 'g');
/** An f-string's field holding a literal or an integer, with its conversion and format spec (not applied); `{{` and `}}`. */
const F_STRING_FIELD = new RegExp(String.raw`\{\{|\}\}|\{[ \t]*(${VALUE})[ \t]*(?:!([rsa]))?(?::[^{}]*)?\}`, 'g');

/** What joined literals (or an integer) say: their quotes dropped, their escapes kept as the text had them decoded. */
function valueOf(source: string): string {
  if (/^-?\d+$/.test(source)) return source;
  return [...source.matchAll(new RegExp(LITERAL, 'g'))].map((literal) => literal[0].slice(1, -1).replace(/\\(.)/g, '$1')).join('');
}

/** The values of a list of literals, in order. */
function elementsOf(list: string): string[] {
  return [...list.matchAll(new RegExp(JOINED, 'g'))].map((element) => valueOf(element[0]));
}

/** The values of a list of arguments, in order and by name. */
function argumentsOf(list: string): { positional: string[]; named: Map<string, string> } {
  const positional: string[] = [];
  const named = new Map<string, string>();
  for (const argument of list.matchAll(new RegExp(String.raw`(?:(?::?(\w+)|(${LITERAL}))[ \t]*(?:=>|[:=])[ \t]*)?(${VALUE})`, 'g'))) {
    const name = argument[1] ?? (argument[2] === undefined ? undefined : valueOf(argument[2]));
    if (name === undefined) positional.push(valueOf(argument[3]!));
    else named.set(name, valueOf(argument[3]!));
  }
  return { positional, named };
}

/** A value as Python's `repr` shows it: a string in quotes (which the shell reading then drops), a number as it is. */
function repr(value: string): string {
  return /^-?\d+$/.test(value) ? value : `'${value}'`;
}

/** A printf-style format applied: `%s`, `%r`, `%c`, `%d` and named fields; other conversions are left as written. */
function printfFormatted(format: string, { positional, named }: ReturnType<typeof argumentsOf>): string {
  let next = 0;
  return format.replace(/%%|%\{(\w+)\}|%(?:\((\w+)\)|<(\w+)>)?[-#0 +]*\d*(?:\.\d+)?([sdiurac])/g, (whole, braced?: string, keyed?: string, angled?: string, conversion?: string) => {
    if (whole === '%%') return '%';
    const name = braced ?? keyed ?? angled;
    const value = name === undefined ? positional[next++] : named.get(name);
    if (value === undefined) return whole;
    if (conversion === 'c') return /^\d+$/.test(value) && Number(value) <= 0x10ffff ? String.fromCodePoint(Number(value)) : value;
    return conversion === 'r' || conversion === 'a' ? repr(value) : value;
  });
}

/** Python's `str.format` applied: `{}`, `{0}`, `{name}`, with `!r` and a format spec (not applied). */
function braceFormatted(format: string, { positional, named }: ReturnType<typeof argumentsOf>): string {
  let next = 0;
  return format.replace(/\{\{|\}\}|\{(\w*)(?:!([rsa]))?(?::[^{}]*)?\}/g, (whole, field?: string, conversion?: string) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const value = field === '' ? positional[next++] : /^\d+$/.test(field!) ? positional[Number(field)] : named.get(field!);
    if (value === undefined) return whole;
    return conversion === 'r' || conversion === 'a' ? repr(value) : value;
  });
}

/**
 * `text` with the strings it formats from literals alone read as the strings they make (see the module's comment), or
 * `null` when what they make would be more than `maxGrowth` characters longer than the text (`"{0}{0}…".format(long)`).
 */
export function formattedLiterals(text: string, maxGrowth: number): string | null {
  // A format of formats (`'{}'.format('GITHUB_{}'.format('TOKEN'))`, attack 69 A69-4) is read in rounds, inner first,
  // each within what is left of the bound; a round that changes nothing ends them.
  let out = text;
  for (let round = 0; round < FORMAT_ROUNDS; round++) {
    const next = formattedRound(out, maxGrowth - Math.max(0, out.length - text.length));
    if (next === null || next === out) return next;
    out = next;
  }
  return out;
}

/** How many rounds of formatting {@link formattedLiterals} reads: a format nested this deep. */
const FORMAT_ROUNDS = 4;

/** One round of {@link formattedLiterals}: the formats whose arguments are literals as written. */
function formattedRound(text: string, maxGrowth: number): string | null {
  let grown = 0;
  /** A formatted string in the format's own quotes, counted against the bound. */
  const made = (whole: string, quote: string, value: string) => {
    grown += value.length + 2 - whole.length;
    return grown > maxGrowth ? whole : `${quote}${value}${quote}`;
  };
  const out = text
    .replace(F_STRING, (whole, double?: string, single?: string) =>
      made(
        whole,
        double === undefined ? "'" : '"',
        (double ?? single)!.replace(F_STRING_FIELD, (field, value?: string, conversion?: string) => {
          if (value === undefined) return field[0]!;
          return conversion === 'r' || conversion === 'a' ? repr(valueOf(value)) : valueOf(value);
        }),
      ),
    )
    .replace(INTERPOLATED, (_, ruby?: string, javascript?: string) => (ruby ?? javascript) === undefined ? '' : valueOf((ruby ?? javascript)!))
    .replace(PERCENT, (whole, format: string, list: string) => made(whole, format[0]!, printfFormatted(valueOf(format), argumentsOf(list.replace(/^[([]|[)\]]$/g, '')))))
    .replace(FORMAT_METHOD, (whole, format: string, list?: string) => made(whole, format[0]!, braceFormatted(valueOf(format), argumentsOf(list ?? ''))))
    .replace(SEPARATOR_JOIN, (whole, separator: string, list: string) => made(whole, '"', elementsOf(list).join(valueOf(separator))))
    .replace(ARRAY_JOIN, (whole, list?: string, ...words: Array<string | undefined>) => {
      const elements = list === undefined ? words.slice(0, 4).find((inner) => inner !== undefined)!.trim().split(/\s+/) : elementsOf(list);
      return made(whole, '"', elements.join(words[4] === undefined ? '' : valueOf(words[4])));
    })
    .replace(REVERSED, (whole, literal: string) => made(whole, literal[0]!, [...valueOf(literal)].reverse().join('')))
    .replace(FORMAT_CALL, (whole, format: string, list: string) => made(whole, format[0]!, printfFormatted(valueOf(format), argumentsOf(list))))
    .replace(CONCAT, (whole, first: string, calls: string) => made(whole, first[0]!, [valueOf(first), ...elementsOf(calls)].join('')));
  return grown > maxGrowth ? null : out;
}

/**
 * What may end a line that gives a name a literal: TypeScript's `as const`, a `;`, a comment (`# the CI token`, `// …`;
 * attack 70 A70-1: a comment after the literal, as LLM-written code often has, gave the name no value).
 */
const LITERAL_LINE_END = String.raw`(?:[ \t]+as[ \t]+const)?[ \t]*(?:;[ \t]*)?(?:(?:#|\/\/)[^\n]*)?$`;
/**
 * A name given one string literal, or literals joined (`PREFIX + 'TOKEN'` once `PREFIX` is read; attack 70 A70-2), on its
 * own line (`P = 'GITHUB_'`, `const name = "GITHUB_TOKEN";`, Go's `p := "x"`, an annotation `NAME: str = '…'`), group 1
 * the name, group 2 the literal. A line of anything else gives it no value.
 */
const NAMED_LITERAL = new RegExp(
  String.raw`^[ \t]*(?:(?:export|const|let|var|final|static|readonly|public|private)[ \t]+)*([A-Za-z_$][\w$]*)(?:[ \t]*:[ \t]*[\w$.|[\]]{1,40})?[ \t]*:?=[ \t]*(${JOINED})${LITERAL_LINE_END}`,
  'gm',
);
/** One declarator of a literal: a name, `=`, the literal. */
const DECLARATOR = String.raw`[A-Za-z_$][\w$]*[ \t]*=[ \t]*${LITERAL}`;
/** {@link DECLARATOR} with the name (group 1) and the literal (group 2). */
const DECLARATOR_READ = new RegExp(String.raw`(?<![\w$])([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(${LITERAL})`, 'g');
/**
 * Several names declared with literals on one line (`const A = 'GITHUB', B = 'TOKEN';`, attack 70 A70-1), group 1 the
 * declarators, each read by {@link DECLARATOR_READ}.
 */
const DECLARED_LITERALS = new RegExp(
  String.raw`^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+(${DECLARATOR}(?:[ \t]*,[ \t]*${DECLARATOR}){1,8})${LITERAL_LINE_END}`,
  'gm',
);
/** A name's mention that reads its value: not its assignment, a keyword or a key (`name=`, `name:`), a call nor a member. */
const NAME_MENTION = /(?<![\w$.'"])[A-Za-z_$][\w$]*(?![\w$]|[ \t]*(?:=(?!=)|:(?!:)|\())/g;

/**
 * `text` with each mention of a name given a string literal ({@link NAMED_LITERAL}) written as that literal, so that a
 * string assembled from a constant (`os.environ[P + 'TOKEN']`, `process.env[name]`; attack 69 A69-4) reads as the
 * strings it joins. A mention reads the name's last literal above it, or, above every one (a function's body before
 * the module's constant), the last in the text. A name given a name (`B = A`, `NAME = PREFIX + 'TOKEN'`; attack 70
 * A70-2) is read in rounds: each round's inlining gives the next its literal; a round that changes nothing ends them.
 * Past the first round (safety70's reading), growth beyond `maxGrowth` characters gives `null` (the caller refuses: a
 * text built to outgrow the reading is left unread otherwise).
 */
export function namedLiteralsInlined(text: string, maxGrowth: number): string | null {
  const first = namedLiteralsRound(text);
  let out = first;
  for (let round = 1; round < NAMED_ROUNDS; round++) {
    const next = namedLiteralsRound(out);
    if (next === out) return out;
    if (next.length - first.length > maxGrowth) return null;
    out = next;
  }
  return out;
}

/** How many rounds {@link namedLiteralsInlined} reads: a name given a name given a name… this deep. */
const NAMED_ROUNDS = 4;

/** One round of {@link namedLiteralsInlined}: the names given literals as written. */
function namedLiteralsRound(text: string): string {
  const bindings = new Map<string, Array<{ at: number; literal: string }>>();
  const bind = (name: string, at: number, literal: string) => {
    const list = bindings.get(name) ?? [];
    list.push({ at, literal });
    bindings.set(name, list);
  };
  for (const bound of text.matchAll(NAMED_LITERAL)) bind(bound[1]!, bound.index, bound[2]!);
  for (const declared of text.matchAll(DECLARED_LITERALS)) {
    for (const [, name, literal] of declared[1]!.matchAll(DECLARATOR_READ)) bind(name!, declared.index, literal!);
  }
  // Bindings in the text's order (the declarations' lines are read after the single ones): the cursor below walks them so.
  for (const list of bindings.values()) list.sort((a, b) => a.at - b.at);
  if (bindings.size === 0) return text;
  // Mentions come in the text's order: each name's binding above is found by moving its cursor on, linearly.
  const cursors = new Map<string, number>();
  return text.replace(NAME_MENTION, (name, at: number) => {
    const list = bindings.get(name);
    if (list === undefined) return name;
    let cursor = cursors.get(name) ?? -1;
    while (cursor + 1 < list.length && list[cursor + 1]!.at < at) cursor += 1;
    cursors.set(name, cursor);
    return list[cursor < 0 ? list.length - 1 : cursor]!.literal;
  });
}

