/**
 * Process calls the patch check's command reading (`patch.ts`, PROCESS_CALL and the argument-list reading) cannot
 * open on, spelled as one it reads (attack-48 B): their command comes before the call, or the program is a name, not a
 * string, or the language runs a backtick's text through the shell where others make a string of it. Each is written
 * as `system('…')` or `run('program', …)` is, in a reading of the line beside the line itself, so every rule of the
 * command reading (a manager's verbs, a runner, a path outside the repository, a manager's settings) applies to it.
 * A line keeps its place (one line in, one line out; a line read several ways holds its readings joined by ` ; `), so
 * a refusal quotes the line as the patch adds it. The patch check reads both the lines as added and these readings.
 */

/** Languages whose backticks, Ruby's `%x` and Perl's `qx` run their text through the shell: Ruby, Perl, PHP. */
const SHELL_QUOTES = /\.(?:rb|pl|pm|php)$/i;
/** Ruby's `%x(…)` and Perl's `qx{…}` as they open: read as a backtick would be. */
const QUOTED_COMMAND = /(?<![\w$])(?:%x|qx)\s*[^\w\s]/g;

type Spelling = [RegExp, (match: string, ...groups: string[]) => string];
/**
 * The calls written after their command, each with how it is read: Groovy's `"cmd".execute()` (group 1 the quote,
 * group 2 the command) and `[…].execute()`, Scala's `"cmd".!`/`.!!` and `Seq(…).!` (group 1 or 2 the argument list).
 */
const POSTFIX_CALLS: readonly Spelling[] = [
  [/(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\.\s*(?:execute\s*\(\s*\)|!!?(?![=\w]))/g, (_, quote, command) => `execute(${quote}${command}${quote})`],
  [/(?:\[([^[\]\n]*)\]\s*\.\s*execute\s*\(\s*\)|\b(?:Seq|List)\s*\(([^()\n]*)\)\s*\.\s*!!?(?![=\w]))/g, (_, list, seq) => `execute([${list ?? seq}])`],
];
/**
 * Python's sh library (`sh.npm('install', x)`, `sh.npm.install(x)`) and plumbum's `local['npm']` (read as sh's
 * `sh.npm`), in a Python file that imports either: elsewhere `sh` is any name (`const sh = process`).
 */
const PYTHON_PROGRAM_CALLS: readonly Spelling[] = [
  [/\blocal\s*\[\s*(["'])([\w.+-]+)\1\s*\]/g, (_, _quote, program) => `sh.${program}`],
  // The program, its verbs as attributes, and the opening of their arguments: `run('npm', 'install', ` then the rest.
  // Not after a word or a dot (`os.sh.x`), so a run of `sh.` is read from one place only (review of B's fix, M2: each
  // position of `'sh.'.repeat(n)` read the run to its end).
  [/(?<![\w.$])sh\s*\.\s*([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)*)\s*[([](\s*[)\]])?/g, (_, program, verbs: string, empty?: string) =>
    `run(${[program, ...verbs.split('.').slice(1)].map((word) => `'${word.trim()}'`).join(', ')}${empty === undefined ? ', ' : ')'}`],
];
/** A Python file, one of its lines importing sh or plumbum, and one binding `sh` to something else. */
const PYTHON = /\.pyw?$/i;
const IMPORTS_SH_OR_PLUMBUM = /\b(?:import\s+(?:[\w.]+\s*,\s*)*(?:sh|plumbum)\b|from\s+(?:sh|plumbum)\b)/;
const BINDS_SH = /\bas\s+sh\b|^\s*sh\s*=(?!=)/;
/**
 * The names plumbum's `from plumbum.cmd import npm, git as g` (or `import (npm)`) binds, each to its program: `npm[…]()`
 * runs npm, `g[…]()` runs git (an alias is read as the program it names, not as its own name).
 */
const PLUMBUM_IMPORT = /\bfrom\s+plumbum\.cmd\s+import\s+\(?([\w\s,]+)/g;

/** Where a double-quoted string's interpolation opens on code: Ruby's `#{…}`, Perl's `@{[…]}`. */
const INTERPOLATION = /#\{|@\{\[/y;
/** How many ways a line with a quote that never closes is read (each reading takes one more such quote as no quote). */
const READINGS = 4;

/**
 * One reading of a line for {@link backticksAsCalls}: its backticks outside strings and comments as `system(\`…\`)`,
 * the quotes at `plain` read as no quote; with where a quote opened that the line does not close (-1 for none).
 */
function backtickReading(line: string, php: boolean, plain: ReadonlySet<number>): { out: string; unclosed: number } {
  let out = '';
  let quote = '';
  let opened = -1;
  // The strings an interpolation left, to go back to at its `}`, with the braces opened inside it.
  const interpolations: Array<{ quote: string; opened: number; braces: number }> = [];
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (quote !== '') {
      INTERPOLATION.lastIndex = at;
      if (char === '\\') {
        out += char + (line[at + 1] ?? '');
        at++;
        continue;
      } else if (quote === '"' && INTERPOLATION.test(line)) {
        // Code inside a string: a backtick there runs (`"#{`npm i x`}"`).
        interpolations.push({ quote, opened, braces: 0 });
        quote = '';
        out += line.slice(at, INTERPOLATION.lastIndex);
        at = INTERPOLATION.lastIndex - 1;
        continue;
      } else if (char === quote) quote = '';
    } else if (interpolations.length > 0 && (char === '{' || char === '}')) {
      const inner = interpolations[interpolations.length - 1]!;
      if (char === '{') inner.braces++;
      else if (inner.braces > 0) inner.braces--;
      else ({ quote, opened } = interpolations.pop()!);
    } else if ((char === '"' || char === "'") && !plain.has(at)) {
      quote = char;
      opened = at;
    } else if ((char === '#' && (at === 0 || /\s/.test(line[at - 1]!))) || (php && line.startsWith('//', at))) return { out: out + line.slice(at), unclosed: -1 };
    else if (char === '\x60') {
      const close = line.indexOf('\x60', at + 1);
      const end = close < 0 ? line.length : close + 1;
      out += `system(${line.slice(at, end)})`;
      at = end - 1;
      continue;
    }
    out += char;
  }
  return { out, unclosed: quote !== '' ? opened : interpolations[0]?.opened ?? -1 };
}

/**
 * A backtick's command in a line of Ruby, Perl or PHP as `system(\`…\`)`: only a backtick outside a string literal and
 * before a comment (`raise "run \`bundle install\`"` and `# runs \`npm ci\`` name a command, they do not run it), or
 * inside an interpolation. `//` is a comment in PHP only (Perl's defined-or, Ruby's empty regex). A quote the line does
 * not close may be no quote (`q{don't}`, `s/'//g`, Ruby's `?'`) or the end of a string opened on an earlier line: the
 * line is read again with it taken as no quote, the readings joined (fail closed; review of B's fix, H2).
 */
function backticksAsCalls(line: string, php: boolean): string {
  const plain = new Set<number>();
  const readings: string[] = [];
  for (let reading = 0; reading < READINGS; reading++) {
    const { out, unclosed } = backtickReading(line, php, plain);
    if (!readings.includes(out)) readings.push(out);
    if (unclosed < 0) break;
    plain.add(unclosed);
  }
  return readings.join(' ; ');
}

/**
 * The lines a patch adds to `path`, with the process calls above spelled as the command reading reads them; `shown`,
 * the file's lines the patch shows after it (context and added), is where an import of sh or plumbum is looked for.
 */
export function callsSpelledOut(path: string, added: readonly string[], shown: readonly string[] = added): readonly string[] {
  // A Python file whose import is out of the patch's view is read as importing them (fail closed), unless a line it
  // shows binds `sh` to another module (`import os as sh`).
  const python = PYTHON.test(path) && (shown.some((line) => IMPORTS_SH_OR_PLUMBUM.test(line)) || !shown.some((line) => BINDS_SH.test(line)));
  const programs = new Map<string, string>();
  if (python) {
    for (const line of shown) {
      for (const [, names] of line.matchAll(PLUMBUM_IMPORT)) {
        for (const name of names!.split(',')) {
          const [program, as, alias] = name.trim().split(/\s+/);
          if (program !== undefined && /^\w+$/.test(program)) programs.set(as === 'as' && alias !== undefined && /^\w+$/.test(alias) ? alias : program, program);
        }
      }
    }
  }
  const plumbum = programs.size === 0 ? null : new RegExp(String.raw`(?<![\w.])(${[...programs.keys()].join('|')})(?=\s*[([])`, 'g');
  const shellQuotes = SHELL_QUOTES.test(path);
  const spellings = python ? [...POSTFIX_CALLS, ...PYTHON_PROGRAM_CALLS] : POSTFIX_CALLS;
  return added.map((line) => {
    let read = shellQuotes ? backticksAsCalls(line, /\.php$/i.test(path)).replace(QUOTED_COMMAND, 'system(\x60') : line;
    if (plumbum !== null && !/\bplumbum\.cmd\b/.test(read)) read = read.replace(plumbum, (name) => `sh.${programs.get(name)!}`);
    for (const [call, as] of spellings) read = read.replace(call, as);
    return read;
  });
}
