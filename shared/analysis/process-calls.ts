/**
 * Process calls the patch check's command reading (`patch.ts`, PROCESS_CALL and the argument-list reading) cannot
 * open on, spelled as one it reads (attack-48 B): their command comes before the call, or the program is a name, not a
 * string, or the language runs a backtick's text through the shell where others make a string of it. Each is written
 * as `system('…')` or `run('program', …)` is, in a reading of the line beside the line itself, so every rule of the
 * command reading (a manager's verbs, a runner, a path outside the repository, a manager's settings) applies to it.
 * A line keeps its place (one line in, one line out), so a refusal quotes the line as the patch adds it.
 */

/** Languages whose backticks, Ruby's `%x` and Perl's `qx` run their text through the shell: Ruby, Perl, PHP. */
const SHELL_QUOTES = /\.(?:rb|pl|pm|php)$/i;
/** Ruby's `%x(…)` and Perl's `qx{…}` as they open: read as a backtick would be. */
const QUOTED_COMMAND = /(?<![\w$])(?:%x|qx)\s*[^\w\s]/g;

/**
 * The calls written after their command or under the program's name, each with how it is read (group 1 is the
 * command or the argument list, group 2 the quote of a string): Groovy's `"cmd".execute()` and `[…].execute()`, Scala's
 * `"cmd".!`/`.!!` and `Seq(…).!`; Python's sh library (`sh.npm('install', x)`, `sh.npm.install(x)`) and plumbum's
 * `local['npm']` (read as sh's `sh.npm`).
 */
const POSTFIX_CALLS: ReadonlyArray<[RegExp, (match: string, ...groups: string[]) => string]> = [
  [/(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\.\s*(?:execute\s*\(\s*\)|!!?(?![=\w]))/g, (_, quote, command) => `execute(${quote}${command}${quote})`],
  [/(?:\[([^[\]\n]*)\]\s*\.\s*execute\s*\(\s*\)|\b(?:Seq|List)\s*\(([^()\n]*)\)\s*\.\s*!!?(?![=\w]))/g, (_, list, seq) => `execute([${list ?? seq}])`],
  [/\blocal\s*\[\s*(["'])([\w.+-]+)\1\s*\]/g, (_, _quote, program) => `sh.${program}`],
  // The program, its verbs as attributes, and the opening of their arguments: `run('npm', 'install', ` then the rest.
  [/\bsh\s*\.\s*([A-Za-z_]\w*)((?:\s*\.\s*[A-Za-z_]\w*)*)\s*[([](\s*[)\]])?/g, (_, program, verbs: string, empty?: string) =>
    `run(${[program, ...verbs.split('.').slice(1)].map((word) => `'${word.trim()}'`).join(', ')}${empty === undefined ? ', ' : ')'}`],
];
/** Names plumbum's `from plumbum.cmd import npm, git as g` binds to programs: `npm[…]()` runs npm. */
const PLUMBUM_IMPORT = /\bfrom\s+plumbum\.cmd\s+import\s+([\w\s,]+)/g;

/**
 * A backtick's command in a line of Ruby, Perl or PHP as `system(\`…\`)`: only a backtick outside a string literal and
 * before a comment (`raise "run \`bundle install\`"` and `# runs \`npm ci\`` name a command, they do not run it).
 */
function backticksAsCalls(line: string): string {
  let out = '';
  let quote = '';
  for (let at = 0; at < line.length; at++) {
    const char = line[at]!;
    if (quote !== '') {
      if (char === '\\') out += line[at++] ?? '';
      else if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if ((char === '#' && (at === 0 || /\s/.test(line[at - 1]!))) || line.startsWith('//', at)) return out + line.slice(at);
    else if (char === '\x60') {
      const close = line.indexOf('\x60', at + 1);
      const end = close < 0 ? line.length : close + 1;
      out += `system(${line.slice(at, end)})`;
      at = end - 1;
      continue;
    }
    out += char;
  }
  return out;
}

/** The lines a patch adds to `path`, with the process calls above spelled as the command reading reads them. */
export function callsSpelledOut(path: string, added: readonly string[]): readonly string[] {
  const programs = new Set<string>();
  for (const line of added) {
    for (const [, names] of line.matchAll(PLUMBUM_IMPORT)) for (const name of names!.split(',')) programs.add(name.trim().split(/\s+/).pop()!);
  }
  const names = [...programs].filter((name) => /^\w+$/.test(name));
  const plumbum = names.length === 0 ? null : new RegExp(String.raw`(?<![\w.])(${names.join('|')})(?=\s*[([])`, 'g');
  const shellQuotes = SHELL_QUOTES.test(path);
  return added.map((line) => {
    let read = shellQuotes ? backticksAsCalls(line).replace(QUOTED_COMMAND, 'system(\x60') : line;
    if (plumbum !== null && !/\bplumbum\.cmd\b/.test(read)) read = read.replace(plumbum, 'sh.$1');
    for (const [call, as] of POSTFIX_CALLS) read = read.replace(call, as);
    return read;
  });
}
