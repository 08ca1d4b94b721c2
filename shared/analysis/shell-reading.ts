/**
 * Text as a shell would run it, for the patch check's patterns: a download piped into a shell can be spelled in as
 * many ways as the shell has for building a word, and a list of spellings is always one short. So the words are
 * built first, the way the shell builds them, from what the added code itself says:
 *
 * - quotes and escapes removed (`s""h`, `'sh'`, `\sh`, `$'\x73h'`), and the source language's string escapes decoded
 *   (`curl\x20…`, `|\tsh` in a Python or JavaScript string);
 * - strings the source language formats from literals read as what they make (`"%s%s" % ("cu", "rl")`,
 *   `"{}{}".format(…)`, `f"{'cu'}rl"`, Ruby's `"#{'cu'}rl"`: `literal-formatting.ts`);
 * - `$IFS` read as the space it holds; positional parameters (`$1`, `$@`) that the code does not set, and an unset
 *   variable inside a word (`s${x}h`), read as the nothing they expand to;
 * - variables, arrays, aliases and small functions the code assigns, however it assigns them (`d=curl`, `export`,
 *   `local`, `declare`, `readonly`, `read d <<< curl`, `printf -v d curl`, `set -- curl`, `alias c=curl`,
 *   `f() { curl "$@"; }`), substituted where they are read (`$d`, `${d}`, `${a[@]}`, `${d:-x}`, `${d:1}`, `${d,,}`,
 *   `${d/x/y}`), through chains of them;
 * - `$(echo curl)`, `$(printf curl)`, `$(which sh)` and `$(command -v sh)` read as the word they print, brace
 *   expansion (`{sh,}`) and globs that name a shell or a downloader (`/???/?h`, `/bin/[s]h`) expanded;
 * - a command still named by something nothing here assigns (`$r`, `$(…)`, `` `…` ``) read, where it is fed a pipe, as a
 *   shell and, where it feeds one, as a downloader: nobody can review what it runs, so it is read as the worst it can be.
 *
 * The result is one more form the patterns read, beside the text as written: nothing in it is run. A reading that
 * would outgrow its bounds (a value longer than a command line, a reading tens of kilobytes longer than the text) is
 * not cut short but not given (`null`), for the patch to be refused: what a cut reading leaves out is where a
 * download run would hide (attack pass 9b, finding 3).
 */

import { keptWithinCheck } from './check-scope.js';
import { formattedLiterals } from './literal-formatting.js';

/** A variable's name. */
const NAME = String.raw`[A-Za-z_]\w*`;
/**
 * A shell word: unquoted characters, quoted strings (`'…'`, `"…"`, `$'…'`), escapes and one level of command
 * substitution, with no space between them.
 */
const WORD = String.raw`(?:\$'(?:[^'\\\n]|\\.)*'|'[^'\n]*'|"(?:[^"\\\n]|\\.)*"|\$\([^()\n]*\)|\x60[^\x60\n]*\x60|\$\{[^}\n]*\}|\\.|[^\s;&|()<>'"\x60\\])+`;
/** Where a command (or an assignment) starts: a line's start, after `;`, `&`, `|`, `(`, `{`, `do`, `then`, a quote or a substitution's start. */
const COMMAND_START = String.raw`(?:^|[;&|({\n'"]|\$\(|\x60|\b(?:do|then|else)\s)[ \t]*`;

/** The names of what runs code or downloads it, where a glob (`/???/?h`) might stand for one. */
const GLOB_TARGETS = ['sh', 'bash', 'zsh', 'dash', 'ksh', 'python', 'python2', 'python3', 'perl', 'ruby', 'node', 'php', 'pwsh', 'curl', 'wget'].flatMap((name) =>
  ['', '/bin/', '/usr/bin/', '/usr/local/bin/', '/sbin/', '/usr/sbin/'].map((directory) => directory + name),
);

/**
 * A command named by what nothing here assigns: a variable, or a command's output (not Make's `$(NAME)`, which a
 * shell would run as a command of that name with no arguments).
 */
const UNKNOWN_COMMAND = String.raw`(?:\$\{?[\w@*#?!-]+(?:\[[^\]\n]*\])?\}?|\$\((?!\s*\w+\s*\))[^()\n]*\))`;
/**
 * A command's output in backticks, the older spelling of `$(…)`. In Markdown a backtick is a code span, so one is read
 * as a command only where a span is none: not in a table's row (a line that starts with `|`, or a cell that another `|`
 * ends), and only where a command starts.
 */
const BACKTICKED = String.raw`\x60[^\x60\n]+\x60`;
/** Not in a Markdown table's row: a line that starts with `|` (looked back along at most as far as the patterns read). */
const NOT_IN_TABLE = String.raw`(?<!^[ \t]*\|[^\n]{0,400})`;
/** An unknown command fed by a pipe (not `||`), and ending there (not Vim help's `|$VIMRUNTIME|` link). */
const FED_UNKNOWN = new RegExp(
  String.raw`(?<!\|)\|(?!\|)[ \t]*(?:${UNKNOWN_COMMAND}(?=[\s;&)]|$)|${NOT_IN_TABLE}${BACKTICKED}(?=[ \t]*(?:[;&)\n]|$)))`,
  'gm',
);
/**
 * An unknown command given an argument (not an operator: `$x = a | b` is PHP) that a downloader takes (a URL, an
 * option or a variable, not prose: `$VIMRUNTIME must be valid. See |…|`), and feeding a pipe. The argument and the
 * pipe are looked for apart, each within what the patterns read after a downloader (200 characters, 400 to the pipe):
 * one lookahead for both tried every split of a stage at every start, cubic in a line of `$($x ` (attack pass 9b,
 * finding 2). The first argument may be the option or the variable itself (`$(cat n) -fsSL host/i`, `$d "$u"`).
 */
const FEEDING_UNKNOWN = new RegExp(
  String.raw`(^|[;&(\n]|\$\(|\x60)([ \t]*)(?:${UNKNOWN_COMMAND}|${BACKTICKED})(?=[ \t]+(?:-[\w-]|\$|(?:[\w"'/~{]|\.{1,2}\/)[^|\n;&]{0,200}?(?:\w:\/\/|\s-\w|\$)))(?=[^|\n;&]{0,400}\|(?!\|))`,
  'gm',
);

/**
 * A shell word, quotes and escapes removed as the shell removes them (a backslash in double quotes escapes only `$`, `` ` ``,
 * `"`, `\` and a line break). With `dropExpansions`, what the shell would expand outside single quotes (`$name`, `${…}`,
 * `$(…)`) is left out: its value is not in the text.
 */
export function shellWord(word: string, dropExpansions = false): string {
  const expansion = /\$\{[^}\n]*\}|\$\([^()\n]*\)|\x60[^\x60\n]*\x60|\$(?:\w+|[@*#?$!-])/g;
  const expanded = (part: string) => (dropExpansions ? part.replace(expansion, '') : part);
  return word.replace(/\$'((?:[^'\\\n]|\\.)*)'|'([^']*)'|"((?:[^"\\]|\\[\s\S])*)"|\\([\s\S])|(\x60[^\x60\n]*\x60|[^'"\\\x60]+|\x60)/g, (_, ansi?: string, single?: string, double?: string, escaped?: string, plain?: string) => {
    if (ansi !== undefined) return decodeEscapes(ansi).replace(/\\(.)/g, '$1');
    if (single !== undefined) return single;
    if (double !== undefined) return expanded(double).replace(/\\([$`"\\\n])/g, (__, e: string) => (e === '\n' ? '' : e));
    if (plain !== undefined) return expanded(plain);
    return escaped === '\n' ? '' : escaped!;
  });
}

/**
 * One word of a command's stage, or a redirection (`2>&1`, `> f`, `<f`), after blanks and continued lines; the stage ends
 * where neither follows (`|`, `;`, `&`, a parenthesis, a line's end, or a quote the line does not close). A word may hold
 * one level of command substitution (`$(pwd)/f`, `` s/x/'`date`'/ ``). {@link STAGE_WORD_LINES} reads a quoted string
 * over lines too, up to 4 KB (a sed script, `sed -ne '/x/{` … `}'`).
 */
const stageWord = (single: string, double: string) =>
  new RegExp(String.raw`(?:[ \t]|\\\n)*(?:(\d*(?:>>?|<>?|>\|)&?-?\d*|&>>?)(?:[ \t]|\\\n)*|((?:\$'(?:[^'\\\n]|\\.)*'|'${single}'|"${double}"|\$\([^()\n]*\)|\x60[^\x60\n]*\x60|\\[\s\S]|[^\s;&|()<>'"\x60\\])+))`, 'y');
const STAGE_WORD = stageWord(String.raw`[^'\n]*`, String.raw`(?:[^"\\\n]|\\[\s\S])*`);
const STAGE_WORD_LINES = stageWord(String.raw`[^']{0,4096}`, String.raw`(?:[^"\\]|\\[\s\S]){0,4096}`);
/** At most this many words of a stage are read: a command line, not a 20 KB line of words. */
const MAX_STAGE_WORDS = 64;

/** A command's stage as {@link stageOf} reads it. */
export interface Stage {
  /** Its words as written (quotes kept), with where each starts; redirections and their targets left out. */
  words: Array<{ raw: string; at: number }>;
  /** The targets of its output redirections (`> f`, `>> f`, `&> f`) and of its input ones (`< f`). */
  written: string[];
  read: string[];
  /** Where its reading stopped, and whether it stopped at {@link MAX_STAGE_WORDS} with more to read. */
  end: number;
  cut: boolean;
}

/**
 * The stage that starts at `from`: its words, redirection targets and end, at most {@link MAX_STAGE_WORDS} words; with
 * `lines`, a quoted string may go on over lines.
 */
export function stageOf(text: string, from: number, lines = false): Stage {
  const stage: Stage = { words: [], written: [], read: [], end: from, cut: false };
  const word = lines ? STAGE_WORD_LINES : STAGE_WORD;
  word.lastIndex = from;
  let redirection: string | undefined;
  for (let match = word.exec(text); match !== null && match[0] !== ''; match = word.exec(text)) {
    if (stage.words.length >= MAX_STAGE_WORDS) {
      stage.cut = true;
      break;
    }
    stage.end = word.lastIndex;
    if (match[1] !== undefined) {
      // `2>&1` names a descriptor, not a file.
      redirection = /&\d*-?$/.test(match[1]) ? undefined : match[1];
    } else if (redirection !== undefined) {
      (redirection.includes('<') ? stage.read : stage.written).push(match[2]!);
      redirection = undefined;
    } else stage.words.push({ raw: match[2]!, at: match.index + match[0].length - match[2]!.length });
  }
  return stage;
}

/** Ruby's `Open3` calls that pipe each command given into the next: `pipeline`, `pipeline_r`, `pipeline_w`, … */
const PIPELINE = /\b(Open3[ \t]*\.[ \t]*pipeline|pipeline_(?:rw?|w|start))[ \t]*\(([^()\n]*)\)/g;
/** One command given to {@link PIPELINE}: an array of its words, a string, or what the code computes. */
const PIPELINE_COMMAND = /(?<=^|,)\s*(?:\[[^\]\n]*\]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|[^,]+)/g;

/**
 * A variable read: `${name}`, `${name[i]}`, `${name…}` with an operator, `$name`, `$1`, `$@`. An operator ends at its
 * brace and never reads past another `${`: from every `${` of a line without a `}`, the rest of the line was read again.
 */
const READ_VARIABLE = new RegExp(String.raw`\$\{(${NAME}|\d)(?:\[([^\]\n]*)\])?((?:[^}\n$]|\$(?!\{))*)\}|\$(${NAME}|\d|[@*])`, 'g');

/** At most this many rounds of substitution: a chain of copies deeper than this is not followed. */
const MAX_ROUNDS = 6;
/** A value is read to this many characters: a command line, not a variable that doubles itself at each assignment. */
const MAX_VALUE = 2048;
/** A glob longer than this is no command's path (`/usr/local/bin/python3` is 22 characters). */
const MAX_GLOB = 64;
/**
 * The reading grows by at most this many characters (a variable that doubles itself each round, a brace of many words).
 * The patterns' cost grows with the square of a run of what they retry (`sudo sudo …`): 64 KB let a 17 KB patch cost
 * 2 s to read (review of attack pass 9b).
 */
const MAX_GROWTH = 16 * 1024;

/** A character `\N{name}` decodes to (SUB, in no honest command): one the reading cannot name. */
export const UNNAMED = '\x1a';

/**
 * A source-language string's escapes decoded: `\x73`, `\u0073`, `\u{73}`, `\163`; `\n` a line break (after which a shell
 * goes on reading a pipe), a tab or a carriage return a space. An escaped backslash is not kept apart (`\\x73` is read
 * as `\s`): the source language and the shell each take one, and a reading that decodes more only reads more. Also
 * the patch check's second reading of a process call (attack-48 E0, E1).
 */
export function decodeEscapes(text: string): string {
  return text.replace(/\\(?:x([0-9a-fA-F]{2})|u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|([0-3][0-7]{0,2})|([tnrvf])|(N)\{[^}\n]*\})/g, (whole, hex?: string, braced?: string, unicode?: string, octal?: string, space?: string, named?: string) => {
    if (space !== undefined) return space === 'n' ? '\n' : ' ';
    // Python's `\N{name}` is not looked up: it is the character UNNAMED stands for, which a process call refuses in a
    // command word (`np\N{LATIN SMALL LETTER M}` is `npm`; attack-48 E0).
    if (named) return UNNAMED;
    const code = Number.parseInt((hex ?? braced ?? unicode ?? octal)!, hex ?? braced ?? unicode ? 16 : 8);
    return code > 0x10ffff ? whole : String.fromCodePoint(code);
  });
}

/** A shell word as the shell reads it: its quotes removed, `$'…'` decoded, backslashes dropped. */
function unquote(word: string): string {
  return word
    .replace(/\$'((?:[^'\\\n]|\\.)*)'/g, (_, inner: string) => decodeEscapes(inner).replace(/'/g, ''))
    .replace(/'([^'\n]*)'|"((?:[^"\\\n]|\\.)*)"/g, (_, single?: string, double?: string) => single ?? double!)
    .replace(/\\(.)/g, '$1');
}

/** One assignment: where it ends in the text, and the value (an array's elements) it gives. */
interface Assignment {
  end: number;
  value: string[];
}

/** What the code assigns: each variable's assignments in the text's order, each alias's or function's command. */
interface Assigned {
  values: Map<string, Assignment[]>;
  commands: Map<string, string>;
  /** Whether a value was longer than {@link MAX_VALUE}, and so not read whole. */
  cut?: boolean;
}

/**
 * The value `name` holds at `position` in the text: the last assignment before it, or (read before any, as a
 * function's body may read a variable assigned below it) the first; undefined when the code never assigns it.
 */
function heldAt(values: Assigned['values'], name: string, position: number): string[] | undefined {
  const assigned = values.get(name);
  if (assigned === undefined) return undefined;
  // Assignments are in the text's order: the last one ending by `position` is found by halving, not by reading all
  // of them at each read (thousands of assignments to one name, each read, were quadratic: attack pass 10, finding 5).
  let low = 0;
  let high = assigned.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (assigned[middle]!.end <= position) low = middle + 1;
    else high = middle;
  }
  return assigned[Math.max(0, low - 1)]!.value;
}

/**
 * The variables, arrays, positional parameters, aliases and small functions `text` assigns. Each value is read as
 * the shell reads it where it is assigned (`d=cu; d=${d}rl` holds `curl`).
 */
function assignments(text: string): Assigned {
  const pending: Array<{ end: number; name: string; append?: boolean; value: (word: (raw: string) => string) => string[] }> = [];
  const wordsOf = (list: string) => [...list.matchAll(new RegExp(WORD, 'g'))].map((word) => word[0]);
  const each = (source: string, flags: string, found: (match: RegExpMatchArray, end: number) => void) => {
    for (const match of text.matchAll(new RegExp(source, flags))) found(match, match.index! + match[0].length);
  };
  each(String.raw`${COMMAND_START}(?:(?:export|local|declare|typeset|readonly)(?:\s+[-+]\w+)*\s+)?(${NAME})(\+?)=(?!=)(\([^()\n]*\)|${WORD})?`, 'gm', (match, end) => {
    const value = match[3] ?? '';
    pending.push({ end, name: match[1]!, append: match[2] === '+', value: (word) => (value.startsWith('(') ? wordsOf(value.slice(1, -1)).map(word) : [word(value)]) });
  });
  each(String.raw`\bread(?:\s+-\w+)*\s+(${NAME})\s*<<<\s*(${WORD})`, 'g', (match, end) => pending.push({ end, name: match[1]!, value: (word) => [word(match[2]!)] }));
  each(String.raw`\bprintf\s+-v\s*(${NAME})\s+(${WORD})((?:[ \t]+${WORD})*)`, 'g', (match, end) =>
    pending.push({ end, name: match[1]!, value: (word) => [printed(word(match[2]!), wordsOf(match[3] ?? '').map(word))] }),
  );
  each(String.raw`\bset\s+--((?:[ \t]+${WORD})+)`, 'g', (match, end) =>
    wordsOf(match[1]!).forEach((raw, index) => pending.push({ end, name: String(index + 1), value: (word) => [word(raw)] })),
  );
  const values: Assigned['values'] = new Map();
  let cut = false;
  const bounded = (value: string) => {
    cut ||= value.length > MAX_VALUE;
    return value.slice(0, MAX_VALUE);
  };
  for (const { end, name, append, value } of pending.sort((a, b) => a.end - b.end)) {
    const held = value((raw) => bounded(unquote(substituted(raw, { values, commands: new Map() }, end))));
    const before = append ? (heldAt(values, name, end) ?? [''])[0]! : '';
    const assignment = { end, value: append ? [bounded(before + held.join(' '))] : held };
    const earlier = values.get(name);
    if (earlier === undefined) values.set(name, [assignment]);
    else earlier.push(assignment);
  }
  const commands = new Map<string, string>();
  for (const match of text.matchAll(new RegExp(String.raw`\balias\s+(${NAME})=(${WORD})`, 'g'))) commands.set(match[1]!, unquote(match[2]!));
  // A function of one command or a few: `f() { curl "$@"; }`, `function f { … }`, over lines or on one.
  for (const match of text.matchAll(new RegExp(String.raw`(?:\bfunction\s+(${NAME})\s*(?:\(\s*\))?|(?<![\w$])(${NAME})\s*\(\s*\))\s*\{([^{}]{0,400})\}`, 'g'))) {
    commands.set((match[1] ?? match[2])!, match[3]!.replace(/\s*\n\s*/g, '; ').replace(/^[\s;]+|[\s;]+$/g, ''));
  }
  return { values, commands, cut };
}

/** What `printf FORMAT ARGS…` prints, for the `%s` and `%b` a name is built with; other conversions as written. */
function printed(format: string, args: readonly string[]): string {
  let next = 0;
  return decodeEscapes(format).replace(/%[sb]/g, () => args[next++] ?? '');
}

/** A glob (`*`, `?`, `[…]`) as a regular expression matching what it matches whole. */
function globToRegExp(glob: string): RegExp {
  const source = glob.replace(/\[!?([^\]]*)\]|[*?]|[^*?]/g, (part, set?: string) => {
    if (part === '*') return '[^/]*';
    if (part === '?') return '[^/]';
    if (set !== undefined) return `[${part[1] === '!' ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
    return part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  });
  try {
    return new RegExp(`^${source}$`, 'i');
  } catch {
    // A class no regular expression can hold (`[z-a]`) matches nothing, as in the shell.
    return /(?!)/;
  }
}

/** Thrown where a reading would cost more than its bounds allow; {@link shellReading} then gives no reading. */
class ShellReadingTooCostly extends Error {
  override readonly name = 'ShellReadingTooCostly';
}

/**
 * The regular-expression steps the `${name/glob/…}`, `${name#glob}` and `${name%glob}` operators may take in one reading,
 * counted as a value's length to the power of its glob's stars plus one (each star is tried at every place, from every
 * start): `${d/*a*a*a*b/}` on 200 letters was minutes (review of attack pass 9b). A few milliseconds.
 */
const MAX_OPERATOR_WORK = 1 << 22;
let operatorWork = 0;

/** Charges {@link operatorWork} for a glob tried on a value, or throws when the reading's budget is spent. */
function chargeGlob(value: string, glob: string): void {
  const stars = glob.split('*').length - 1;
  if (stars === 0) return;
  operatorWork += Math.max(value.length, 1) ** (stars + 1);
  if (operatorWork > MAX_OPERATOR_WORK) throw new ShellReadingTooCostly();
}

/** Bash's `${name…}` operators on a value: substrings, case changes, replacements and trimmed prefixes and suffixes. */
function operated(value: string, operator: string): string {
  const substring = /^:\s*(-?\d+)(?::\s*(-?\d+))?$/.exec(operator);
  if (substring) {
    const start = Number(substring[1]) < 0 ? Math.max(0, value.length + Number(substring[1])) : Number(substring[1]);
    const length = substring[2] === undefined ? undefined : Number(substring[2]);
    return value.slice(start, length === undefined ? undefined : length < 0 ? value.length + length : start + length);
  }
  if (/^(?:\^\^?|,,?)$/.test(operator)) return operator.startsWith('^') ? value.toUpperCase() : value.toLowerCase();
  const replace = /^\/(\/?)([^/]*)\/?(.*)$/.exec(operator);
  if (replace) {
    chargeGlob(value, replace[2]!);
    const pattern = globToRegExp(replace[2]!).source.slice(1, -1).replace(/\[\^\/\]\*/g, '.*?');
    return value.replace(new RegExp(pattern, replace[1] ? 'g' : ''), replace[3]!);
  }
  const trim = /^(##?|%%?)(.*)$/.exec(operator);
  if (trim) {
    chargeGlob(value, trim[2]!);
    const pattern = globToRegExp(trim[2]!).source.slice(1, -1).replace(/\[\^\/\]\*/g, trim[1]!.length === 2 ? '.*' : '.*?');
    return value.replace(new RegExp(trim[1]!.startsWith('#') ? `^${pattern}` : `${pattern}$`), '');
  }
  return value;
}

/**
 * What prints a word: `$(echo curl)`, `` `printf sh` ``, `$(which sh)`, `$(command -v sh)`; `$()` prints nothing. The
 * blanks before the command belong to it, so an unclosed `$(` or backtick before blank runs stays linear. What is
 * printed (groups 2 and 5) starts and ends with a character other than a blank, the blanks inside read only where one
 * follows, so the blanks after `echo` and before the `)` are each read by one quantifier (session 70: `([^()\n|;&<>]*?)\s*\)`
 * tried every split of them, `$(echo ` and 1K blanks took 415 ms; the same matches over 64,064 texts).
 */
export const PRINTING_SUBSTITUTION = /\$\((?:\s*(?:(echo(?:\s+-[neE]+)*|printf)(?=\s)(?:\s+(?=[^\s()|;&<>]))?((?:[^\s()|;&<>](?:[^\S\n]+(?=[^\s()|;&<>])|[^\s()|;&<>])*)?)|(?:which|command\s+-v|type\s+-[pP])\s+([\w./-]+)))?\s*\)|\x60(?:\s*(?:(echo(?:\s+-[neE]+)*|printf)(?=\s)(?:\s+(?=[^\s\x60|;&<>]))?((?:[^\s\x60|;&<>](?:[^\S\n]+(?=[^\s\x60|;&<>])|[^\s\x60|;&<>])*)?)|(?:which|command\s+-v|type\s+-[pP])\s+([\w./-]+)))?\s*\x60/g;

/**
 * `text` with what `assigned` holds substituted where it is read (what it holds there, or at `at` for all of it),
 * positional parameters the code does not set read as empty, and aliases and functions as their commands.
 */
function substituted(text: string, { values, commands }: Assigned, at?: number): string {
  // A value is split into words at the characters IFS holds, when the code sets it (`IFS=,; x=curl,URL; $x`).
  const separators = values.get('IFS')?.at(-1)?.value[0]?.replace(/\s/g, '');
  const split = separators ? (value: string) => value.replace(new RegExp(`[${separators.replace(/[\\\]^-]/g, '\\$&')}]`, 'g'), ' ') : (value: string) => value;
  // The positional parameters the code sets, listed once when first read: `$@` read thousands of times among
  // thousands of names was quadratic.
  let positional: string[] | undefined;
  const valueOf = (name: string, position: number, index?: string): string | undefined => {
    // Space, tab and line break by default; a line break would end the line the patterns read, so a second space.
    if (name === 'IFS') return ' \t ';
    // `$0` is the shell's own name: `curl … | $0` runs the download in another.
    if (name === '0' && !values.has('0')) return 'sh';
    if (name === '@' || name === '*') return (positional ??= [...values.keys()].filter((key) => /^\d$/.test(key))).map((key) => heldAt(values, key, position)![0]).join(' ');
    const held = heldAt(values, name, position);
    if (held === undefined) return /^\d$/.test(name) ? '' : undefined;
    if (index === '@' || index === '*') return split(held.join(' '));
    return split(held[Number(index ?? 0)] ?? '');
  };
  let out = text
    .replace(READ_VARIABLE, (whole, name: string | undefined, index: string | undefined, operator: string | undefined, bare: string | undefined, offset: number) => {
      const position = at ?? offset;
      if (bare !== undefined) return valueOf(bare, position) ?? whole;
      const value = valueOf(name!, position, index);
      const fallback = /^:?[-=](.*)$/.exec(operator!);
      if (fallback) return value ?? unquote(fallback[1]!);
      const alternative = /^:?\+(.*)$/.exec(operator!);
      if (alternative) return value === undefined ? '' : unquote(alternative[1]!);
      return value === undefined ? whole : operated(value, operator!);
    })
    // What prints a word ({@link PRINTING_SUBSTITUTION}).
    .replace(PRINTING_SUBSTITUTION,
      (_, echo?: string, said?: string, found?: string, echo2?: string, said2?: string, found2?: string) => {
        const args = [...(said ?? said2 ?? '').matchAll(new RegExp(WORD, 'g'))].map((word) => unquote(word[0]));
        if (echo ?? echo2) return (echo ?? echo2)!.startsWith('printf') ? printed(args[0] ?? '', args.slice(1)) : args.join(' ');
        return found ?? found2 ?? '';
      });
  if (commands.size > 0) {
    out = out.replace(new RegExp(String.raw`(${COMMAND_START})(${[...commands.keys()].join('|')})(?=[ \t]|$|[;&|)])`, 'gm'), (_, start: string, name: string) => `${start}${commands.get(name)!}`);
  }
  return out;
}

/** A text's shell readings ({@link shellReadings}). */
export interface ShellReadings {
  /** The words as the shell builds them: quotes, escapes, braces and globs undone. */
  words: string;
  /**
   * The text with what it assigns substituted, its quotes kept: where a `|` is inside quotes (`jq '.[] | .name'`) and
   * where it is a pipe can still be told apart, as it cannot in {@link words}.
   */
  quoted: string;
  /** {@link quoted} before a command nothing here names is read as a downloader: the names as the text gives them. */
  named: string;
}

/** `text` as the shell would run it (see the module's comment); `null` when it cannot be read within the bounds above. */
export function shellReading(text: string): string | null {
  return shellReadings(text)?.words ?? null;
}

/**
 * `text` as the shell would run it (see the module's comment), in two forms for the patterns to read; `null` when it
 * cannot be read within the bounds above. Read once a text within one patch check ({@link keptWithinCheck}).
 */
export const shellReadings = keptWithinCheck(function shellReadingsOf(text: string): ShellReadings | null {
  // A line continued with a backslash is one line: `s\<newline>h` is `sh`.
  const formatted = formattedLiterals(decodeEscapes(text).replace(/\\\n/g, ''), MAX_GROWTH);
  if (formatted === null) return null;
  let reading = formatted
    // Ruby's `Open3.pipeline(cmd, cmd, …)` runs its commands piped one into the next.
    .replace(PIPELINE, (_, call: string, list: string) => `${call}(${(list.match(PIPELINE_COMMAND) ?? []).map((command) => command.trim().replace(/^\[|\]$/g, '')).join(' | ')})`)
    // Literals joined in the source language (`'cu' + 'rl'`, `"… | " + "sh"`, `"… " + '| sh'`, Python's `'cu' 'rl'`, and
    // its literals that end one line and start the next, `'curl … '` then `'| sh'`), and an argument list's elements
    // (`['bash', '-c', …]`, a program and its list: `spawn('git', ['clone', …])`), are the words of one command line.
    .replace(/(?<=\w)(["'])\s*\1(?=\w)|["']\s*\+\s*["']|(["'])[ \t]*\n[ \t]*\2/g, '')
    .replace(/(["'])\s*,\s*(?:\[\s*)?\1/g, ' ');
  operatorWork = 0;
  try {
    for (let round = 0; round < MAX_ROUNDS; round += 1) {
      const assigned = assignments(reading);
      const next = substituted(reading, assigned);
      if (assigned.cut || next.length > text.length + MAX_GROWTH) return null;
      if (next === reading) break;
      reading = next;
    }
  } catch (error) {
    if (error instanceof ShellReadingTooCostly) return null;
    throw error;
  }
  let braced = reading.length;
  const words = reading
    // Quotes and backslashes dropped, not paired: the source language's own quotes are around the shell's.
    .replace(/\$'((?:[^'\\\n]|\\.)*)'/g, (_, inner: string) => decodeEscapes(inner))
    .replace(/["'\\]/g, '')
    // An unset variable inside a word expands to nothing: `s${x}h` is `sh`, `c$@url` is `curl`.
    .replace(new RegExp(String.raw`(?<=[A-Za-z])\$(?:\{${NAME}\}|[@*\d])|\$\{${NAME}\}(?=[A-Za-z])`, 'g'), '')
    // Brace expansion: `{sh,}` is `sh`, `{c,}url` is `curl url`. A word starts where its characters do, not inside
    // them: from every place in a long run of them the run was read again (80 KB of `-` was 11 s).
    .replace(/(?<![\w$./:-])([\w./:-]*)\{([\w./:-]*(?:,[\w./:-]*)+)\}([\w./:-]*)/g, (whole: string, before: string, alternatives: string, after: string) => {
      const split = alternatives.split(',');
      // Each alternative repeats the word around it: counted before it is built, a long word around many commas
      // is quadratic (20 KB of them built 100 MB).
      braced += (before.length + after.length) * split.length + alternatives.length - whole.length;
      return braced > text.length + MAX_GROWTH ? whole : split.map((alternative) => before + alternative + after).join(' ');
    });
  if (braced > text.length + MAX_GROWTH) return null;
  const built = words
    // A glob of a path that names a shell or a downloader: `/???/?h`, `/bin/[s]h`, `/usr/bin/c*rl`. Only a path: a
    // glob without a `/` matches files in the working directory, not commands (and `*ge*` is a Vim help tag).
    .replace(/(?<![\w./*?[\]-])(?=[\w./*?[\]-]*[*?[])(?=[\w.*?[\]-]*\/)[\w./*?[\]-]{2,}/g, (glob) => {
      if (glob.length > MAX_GLOB) return glob;
      const re = globToRegExp(glob);
      return GLOB_TARGETS.find((target) => re.test(target)) ?? glob;
    })
    // A group around a command is the command: `| (sh)`, `| { sh; }`.
    .replace(/(\|{1,2}|&&|;)[ \t]*[({][ \t]*/g, '$1 ')
    // A command nothing here names: fed a pipe it is read as a shell, feeding one as a downloader.
    .replace(FED_UNKNOWN, '| sh')
    .replace(FEEDING_UNKNOWN, '$1$2curl');
  return { words: built, quoted: reading.replace(FEEDING_UNKNOWN, '$1$2curl'), named: reading };
});

/** A command of shell text ({@link shellCommands}): its text as written, where it starts, and the operator after it. */
export interface ShellCommand {
  text: string;
  at: number;
  /** What ends it: `;`, `&&`, `||`, `|`, `|&`, `&`, a line break, or nothing at the text's end. */
  then: string;
}

/** Where {@link scanShell} found the operators of a text and the insides of its quoted strings. */
interface ShellScan {
  operators: Array<{ at: number; operator: string }>;
  quoted: Array<{ from: number; to: number }>;
}

/**
 * One pass over shell text: its operators outside quotes (`;`, `&&`, `||`, `|`, `|&`, `&`, line breaks) and where each
 * quoted string's inside runs. A quoted string is `'…'`, `"…"` with its backslash escapes, or `$'…'` with its; an escaped
 * character (`\;`) is none of them, nor a redirection's `&` (`2>&1`, `&>f`, `>&2`). A quote the line never closes quotes
 * nothing (the source language's own around a command line, an apostrophe in prose): it is read as a character. Linear:
 * where each line's last closing quote of each kind stands is known before its quotes are read, so no string is read
 * twice to learn that it never closes.
 */
function scanShell(text: string, lines = false): ShellScan {
  const scan: ShellScan = { operators: [], quoted: [] };
  for (let lineStart = 0; lineStart <= text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const end = newline < 0 ? text.length : newline;
    // The last `'`, and the last `'` and `"` no backslash escapes (an odd run of backslashes before one escapes it).
    let lastSingle = -1;
    let lastFreeSingle = -1;
    let lastFreeDouble = -1;
    for (let i = lineStart, run = 0; i < end; i += 1) {
      const char = text[i];
      if (char === "'") {
        lastSingle = i;
        if (run % 2 === 0) lastFreeSingle = i;
      } else if (char === '"' && run % 2 === 0) lastFreeDouble = i;
      run = char === '\\' ? run + 1 : 0;
    }
    /** From inside a string opened before `from`, where its closing `quote` is before `until`, backslashes escaping: -1 if none. */
    const closing = (from: number, quote: string, until = end, escapes = true) => {
      for (let j = from; j < until; j += 1) {
        if (escapes && text[j] === '\\') j += 1;
        else if (text[j] === quote) return j;
      }
      return -1;
    };
    let i = lineStart;
    let next = newline < 0 ? -1 : newline + 1;
    while (i < end) {
      const char = text[i]!;
      let close = -1;
      if (char === '\\') {
        i += 2;
        continue;
      }
      const opens = char === "'" || char === '"' || (char === '$' && text[i + 1] === "'");
      if (char === "'" && i < lastSingle) close = text.indexOf("'", i + 1);
      else if (char === '$' && text[i + 1] === "'" && i + 1 < lastFreeSingle) close = closing(i + 2, "'");
      else if (char === '"' && i < lastFreeDouble) close = closing(i + 1, '"');
      else if (lines && opens && newline >= 0) {
        // With `lines`, a quote the line leaves open may close on a later one, within a command line's length: the
        // shell's quotes span lines (`python3 -c "…` then `…"`). The quote found after a failed search is past the
        // bound, so each character is searched at most once per kind of quote.
        const from = char === '$' ? i + 2 : i + 1;
        const quote = char === '$' ? "'" : char;
        close = closing(from, quote, Math.min(text.length, from + MAX_QUOTE_LINES), quote === '"' || char === '$');
        if (close > end) {
          scan.quoted.push({ from, to: close });
          // Read on from the line the string ends on, as a line of its own.
          next = close + 1;
          break;
        }
      }
      if (close >= 0) {
        scan.quoted.push({ from: i + (char === '$' ? 2 : 1), to: close });
        i = close + 1;
        continue;
      }
      if (char === ';' || char === '|' || (char === '&' && !/[<>]/.test(text[i - 1] ?? '') && text[i + 1] !== '>')) {
        const operator = /^(?:&&|\|\||\|&|[;|&])/.exec(text.slice(i, i + 2))![0];
        scan.operators.push({ at: i, operator });
        i += operator.length;
        continue;
      }
      i += 1;
    }
    if (newline < 0) break;
    if (next === newline + 1) scan.operators.push({ at: newline, operator: '\n' });
    lineStart = next;
  }
  return scan;
}

/** With {@link scanShell}'s `lines`, how far a string the line leaves open is looked for its close. */
const MAX_QUOTE_LINES = 4096;

/**
 * The commands of shell text, split where the shell splits them: at `;`, `&&`, `||`, `|`, `|&`, `&` and line breaks
 * outside quotes ({@link scanShell}). `a "x;y" | b` is two commands, not three.
 */
export function shellCommands(text: string, lines = false): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let at = 0;
  for (const { at: end, operator } of scanShell(text, lines).operators) {
    commands.push({ text: text.slice(at, end), at, then: operator });
    at = end + operator.length;
  }
  commands.push({ text: text.slice(at), at, then: '' });
  return commands;
}

/** What stands for a `;`, `|` or `&` inside quotes in {@link quotedOperatorsHidden}'s forms: a character no pattern reads. */
const HIDDEN_OPERATOR = '\x1f';

/** `text` with each `;`, `|` and `&` inside the strings `quoted` names hidden. */
function hidden(text: string, quoted: ShellScan['quoted']): string {
  const pieces: string[] = [];
  let from = 0;
  for (const span of quoted) {
    pieces.push(text.slice(from, span.from), text.slice(span.from, span.to).replace(/[;|&]/g, HIDDEN_OPERATOR));
    from = span.to;
  }
  return pieces.join('') + text.slice(from);
}

/**
 * `text` as the shell splits it, in two forms for the patterns that read a command up to a `;`, `|` or `&` (`[^|;&]`):
 * each operator inside quotes hidden ({@link HIDDEN_OPERATOR}), so that `python3 -c "…; …urlopen(u)…" | sh` is one
 * command piped into a shell; and, for a command line inside a source language's string (`os.system("python3 -c '…;
 * …' | sh")`), each string's inside read as a line of its own, the operators inside its quotes hidden. Linear: each
 * character is read at most twice.
 */
export function quotedOperatorsHidden(text: string): [string, string] {
  const { quoted } = scanShell(text);
  const pieces: string[] = [];
  let from = 0;
  for (const span of quoted) {
    const inside = text.slice(span.from, span.to);
    pieces.push(text.slice(from, span.from), hidden(inside, scanShell(inside).quoted));
    from = span.to;
  }
  return [hidden(text, quoted), pieces.join('') + text.slice(from)];
}
