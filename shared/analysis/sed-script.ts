/**
 * GNU sed's scripts, read for whether they run a command: the `e` command (`sed '1e id'`, `sed e`) runs its argument or
 * the pattern space, and the `e` flag of `s` (`s/x/y/e`) runs what the substitution made. The delimiter of `s` is any
 * character (`s-a-b-e`, `sxaxbxe`, `s a b e`), and flags may be spaced (`s/x/y/ e`), so a pattern that looks for
 * `/e` after a slash is always one spelling short: the script is parsed as sed parses it instead (GNU sed 4.9's
 * `compile.c`), one command at a time. What the parser cannot read, sed may still run: it is reported as unread, for
 * the caller to refuse (fail closed).
 */

import { shellWord, stageOf } from './shell-reading.js';

/** A script as sed reads it: it runs a command, it could not be read to its end, or neither (`null`). */
export type SedScriptReading = 'runs' | 'unread' | null;

/** Commands that take no argument. */
const PLAIN = new Set([...'=dDgGhHnNpPxzF']);

/**
 * Whether `script` (one sed program, the `-e` pieces joined by line breaks) runs a command: `'runs'` for an `e` command or
 * an `s` command with the `e` flag, `'unread'` where it does not parse as GNU sed would, `null` otherwise. Linear in the
 * script's length: each character is read once.
 */
export function sedScriptRuns(script: string): SedScriptReading {
  // By code point: a delimiter may be any character, one outside the BMP too.
  const chars = Array.from(script);
  const n = chars.length;
  let i = 0;
  const blanks = () => {
    while (i < n && (chars[i] === ' ' || chars[i] === '\t' || chars[i] === '\r')) i += 1;
  };
  const toLineEnd = () => {
    while (i < n && chars[i] !== '\n') i += 1;
  };
  /**
   * Reads up to an unescaped `delimiter`, past it; false at a raw line break or the script's end (sed: unterminated). In a
   * regular expression (`regex`), a bracket expression is read whole as sed reads it: the delimiter does not end it
   * (`s/[/]/x/` replaces a slash), a backslash in it is a backslash, a `]` first in it is a `]`, and `[:…:]`, `[.….]` and
   * `[=…=]` run to their own close. Read otherwise, `s/[/]/;p;s/e#/x/` parses as three harmless commands where sed
   * reads one `s` with the `e` flag and a comment.
   */
  const part = (delimiter: string, regex: boolean): boolean => {
    while (i < n) {
      const c = chars[i]!;
      if (c === '\\') i += 2;
      else if (c === delimiter) {
        i += 1;
        return true;
      } else if (c === '\n') return false;
      else if (c === '[' && regex) {
        i += 1;
        if (chars[i] === '^') i += 1;
        if (chars[i] === ']') i += 1;
        for (;;) {
          if (i >= n || chars[i] === '\n') return false;
          if (chars[i] === ']') break;
          const kind = chars[i] === '[' ? chars[i + 1] : undefined;
          if (kind === ':' || kind === '.' || kind === '=') {
            i += 2;
            while (i < n && !(chars[i] === kind && chars[i + 1] === ']')) {
              if (chars[i] === '\n') return false;
              i += 1;
            }
            if (i >= n) return false;
            i += 2;
          } else i += 1;
        }
        i += 1;
      } else i += 1;
    }
    return false;
  };
  /** One address: a line number (`3`, `1~2`), `$`, or a regular expression (`/re/`, `\%re%`) with its `I`/`M` flags. */
  const address = (): boolean | null => {
    const c = chars[i];
    if (c !== undefined && /\d/.test(c)) {
      while (i < n && /[\d~]/.test(chars[i]!)) i += 1;
      return true;
    }
    if (c === '$') {
      i += 1;
      return true;
    }
    if (c === '/' || c === '\\') {
      const delimiter = c === '\\' ? chars[i + 1] : '/';
      if (delimiter === undefined || delimiter === '\n' || delimiter === '\\') return false;
      i += c === '\\' ? 2 : 1;
      if (!part(delimiter, true)) return false;
      while (i < n && (chars[i] === 'I' || chars[i] === 'M')) i += 1;
      return true;
    }
    return null;
  };
  /** After a command: blanks, then `;`, a line break, the end, or a `}` or `#` left for the next round. */
  const ended = (): boolean => {
    blanks();
    if (i >= n || chars[i] === ';' || chars[i] === '\n') {
      i += 1;
      return true;
    }
    return chars[i] === '}' || chars[i] === '#';
  };
  while (i < n) {
    while (i < n && /[\s;]/.test(chars[i]!)) i += 1;
    if (i >= n) break;
    if (chars[i] === '#') {
      toLineEnd();
      continue;
    }
    const first = address();
    if (first === false) return 'unread';
    if (first) {
      blanks();
      if (chars[i] === ',') {
        i += 1;
        blanks();
        if (chars[i] === '+' || chars[i] === '~') i += 1;
        if (!address()) return 'unread';
      }
    }
    blanks();
    while (chars[i] === '!') {
      i += 1;
      blanks();
    }
    const command = chars[i];
    i += 1;
    if (command === undefined) return 'unread';
    if (command === 'e') return 'runs';
    if (command === '{') continue;
    if (command === '}' || PLAIN.has(command)) {
      if (!ended()) return 'unread';
    } else if ('lLqQ'.includes(command)) {
      blanks();
      while (i < n && /\d/.test(chars[i]!)) i += 1;
      if (!ended()) return 'unread';
    } else if (':bTtv'.includes(command)) {
      // A label (or `v`'s version) runs to a `;` or the line's end.
      while (i < n && chars[i] !== ';' && chars[i] !== '\n') i += 1;
    } else if ('aic'.includes(command)) {
      // Text to the line's end, and on through each line a backslash continues.
      for (;;) {
        let backslashes = 0;
        while (i < n && chars[i] !== '\n') {
          backslashes = chars[i] === '\\' ? backslashes + 1 : 0;
          i += 1;
        }
        if (i >= n || backslashes % 2 === 0) break;
        i += 1;
      }
    } else if ('rRwW'.includes(command)) {
      toLineEnd();
    } else if (command === 's' || command === 'y') {
      const delimiter = chars[i];
      if (delimiter === undefined || delimiter === '\n' || delimiter === '\\') return 'unread';
      i += 1;
      if (!part(delimiter, command === 's') || !part(delimiter, false)) return 'unread';
      if (command === 's') {
        // Flags, blanks between them allowed: `w` takes the rest of the line as a file name.
        while (i < n && /[gpiImMe\d \t]/.test(chars[i]!)) {
          if (chars[i] === 'e') return 'runs';
          i += 1;
        }
        if (chars[i] === 'w') toLineEnd();
      }
      if (!ended()) return 'unread';
    } else return 'unread';
  }
  return null;
}

/** sed by its name or its path, as a word (`gsed` too). */
const SED = /(?<![\w$@.\/-])(?:\/(?:usr\/)?(?:local\/)?s?bin\/)?g?sed(?=[ \t]|\\\n)/g;
/**
 * Where a command starts, before `sed`: a line's start, a list operator or pipe, a parenthesis or brace, a substitution, or
 * a quote (the source language's string around a command line), and the wrappers that run the command they name. A
 * wrapper's argument is looked ahead at and read once, as RUNS_ITS_ARGS reads it: as alternatives, `1=1` was both a number
 * and an assignment, and a line of them took hours (attack pass 9b, finding 1).
 */
const COMMAND_BEFORE = /(?:^|[\n;&|({'"\x60]|\$\()[ \t]*(?:(?:sudo|doas|env|command|builtin|exec|nice|nohup|time|timeout|stdbuf|setsid|xargs)(?:[ \t]+(?=-|\d|\w+=)\S+)*[ \t]+)*$/;
/** A script sed reads from what it is fed or from a file the command line makes: nobody can read it in the diff. */
const SCRIPT_FROM_INPUT = /^(?:-$|\/dev\/(?:stdin$|fd\/)|\/proc\/)/;

/** `prefix` of `name`, at least `least` characters of it: getopt takes any unambiguous start of a long option. */
const startOf = (prefix: string, name: string, least: number) => prefix.length >= least && name.startsWith(prefix);

/**
 * A script sed is given, without what the shell would expand in it (`"…;$early_exit}"`: the value is not in the text, and
 * read as written, `$e` is sed's last line and its `e` command); whether it was quoted where it was written (`'s/x/y/e'`,
 * not `e`), and whether it held such an expansion.
 */
interface GivenScript {
  script: string;
  quoted: boolean;
  expanded: boolean;
}

/** `raw`, a word given to sed, as the script it gives. */
const given = (raw: string): GivenScript => ({ script: shellWord(raw, true), quoted: /['"\\]/.test(raw), expanded: shellWord(raw, true) !== shellWord(raw) });

/**
 * The scripts a sed command line gives sed: its `-e`/`--expression` pieces joined, or else its first operand; `'unread'`
 * where a script comes from a file the diff does not show being written (`-f -`, `-f /dev/stdin`, `-f` with no word after
 * it, or `-e` with none).
 */
function sedScripts(words: readonly string[]): GivenScript[] | 'unread' {
  const expressions: GivenScript[] = [];
  let operand: GivenScript | undefined;
  let files = 0;
  let options = true;
  for (let k = 0; k < words.length; k += 1) {
    const raw = words[k]!;
    const word = shellWord(raw);
    /** The option's value: what follows `=` or the option's letter in its word, or else the next word. */
    const value = (attached: string | undefined): GivenScript | undefined => {
      if (attached !== undefined && attached !== '') return { ...given(raw), script: shellWord(raw, true).slice(word.length - attached.length) };
      if (k + 1 >= words.length) return undefined;
      k += 1;
      return given(words[k]!);
    };
    const long = options ? /^--([\w-]+)(?:=([\s\S]*))?$/.exec(word) : null;
    if (word === '--' && options) options = false;
    else if (long) {
      const name = long[1]!;
      if (startOf(name, 'expression', 1)) {
        const found = value(long[2] ?? undefined);
        if (found === undefined) return 'unread';
        expressions.push(found);
      } else if (startOf(name, 'file', 2)) {
        const found = value(long[2] ?? undefined);
        if (found === undefined || SCRIPT_FROM_INPUT.test(found.script)) return 'unread';
        files += 1;
      } else if (startOf(name, 'line-length', 2) && long[2] === undefined) k += 1;
    } else if (options && word.startsWith('-') && word.length > 1) {
      // A bundle of short options: `-ne SCRIPT`, `-nes/x/y/`, `-i.bak` (the rest is the suffix), `-l 80`.
      for (let c = 1; c < word.length; c += 1) {
        const option = word[c]!;
        if (option === 'i') break;
        if (option !== 'e' && option !== 'f' && option !== 'l') continue;
        const found = value(word.slice(c + 1));
        if (option === 'e') {
          if (found === undefined) return 'unread';
          expressions.push(found);
        } else if (option === 'f') {
          if (found === undefined || SCRIPT_FROM_INPUT.test(found.script)) return 'unread';
          files += 1;
        }
        break;
      }
    } else operand ??= given(raw);
  }
  if (expressions.length > 0) {
    return [{ script: expressions.map((one) => one.script).join('\n'), quoted: expressions.some((one) => one.quoted), expanded: expressions.some((one) => one.expanded) }];
  }
  if (files > 0 || operand === undefined) return [];
  return [operand];
}

/**
 * Whether `text` runs GNU sed with a script that runs a command ({@link sedScriptRuns}), or with one sed would read from
 * its input. A script written unquoted (`sed e notes.txt`) counts only where sed is a command, at a command's start:
 * in prose, "use sed expressions" is no script. `lenient` (for a reading that decoded the source language's escapes,
 * `\n` a line break inside a script) refuses only a script read to run: one it cannot read is the reading's doing.
 * A script that holds a variable nothing here assigns (`sed "$expr"`) and does not parse is read as any other argument
 * nobody can see: not refused. A script may be quoted over lines (`sed -ne '/x/{` … `}'`).
 */
export function sedRunsCommand(text: string, lenient = false): boolean {
  let end = 0;
  for (const match of text.matchAll(SED)) {
    // `sed` among another sed's words is an argument of it: each word is read once.
    if (match.index! < end) continue;
    const stage = stageOf(text, match.index! + match[0].length, true);
    end = stage.end;
    const scripts = sedScripts(stage.words.map((word) => word.raw));
    if (scripts === 'unread') {
      if (lenient) continue;
      return true;
    }
    for (const { script, quoted, expanded } of scripts) {
      // In a Makefile, `$$` is the `$` sed is given, and in a source language's string `\\` is one backslash: refused where
      // any reading runs, or none can be read (a reading that parses only adds what sed could be given, never hides a run).
      const readings = [...new Set([script, script.replace(/\$\$/g, '$'), script.replace(/\\\\/g, '\\')])].map(sedScriptRuns);
      const reading = readings.includes('runs') ? 'runs' : readings.includes(null) ? null : 'unread';
      if (reading === null || (reading === 'unread' && (lenient || expanded))) continue;
      if (quoted || COMMAND_BEFORE.test(text.slice(Math.max(0, match.index! - 200), match.index!))) return true;
    }
  }
  return false;
}
