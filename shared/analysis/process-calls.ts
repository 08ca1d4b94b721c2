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
/**
 * Perl's and Ruby's other quotes as they open (Perl's `q{…}`, `qq(…)`, `qw(…)`, Ruby's `%(…)`, `%Q[…]`, `%w[…]`): read as
 * a double quote, so `system qq{npm i x}` is `system "npm i x}` (review of B's fix, M3). Not after a word, a sigil or
 * a method's arrow (`$q{x}`, `%$h`, `->q(`); not opening on `=`, `,`, `;` or `)` (`q => 1`, Ruby's `a % b`).
 */
const QUOTE_OPERATOR = /(?<![\w$@%&>:-])(?:q[qw]?\s*|%[qQwW]?)[^\w\s=,;)]/g;
const PERL_OR_RUBY = /\.(?:rb|pl|pm)$/i;
/**
 * Ruby's `%w[…]`/`%i[…]` and Perl's `qw(…)`, a list of words, and Ruby's `%q(…)`/`%Q(…)`/`%(…)` and Perl's `q(…)`/`qq(…)`,
 * one string, closed within 200 characters (no quote inside): read as the list or the string they make, so a program given them
 * is read as given literals (attack-52: `system(tool, *%w[install evil])`). Group 1 the operator, 2 the text inside
 * its brackets.
 */
const QUOTED_WORDS = /(?<![\w$@%&>:-])(%[wWiIqQ]?|q[qw]?\s*)[[({<]([^\])}>"'\n]{0,200})[\])}>]/g;
const quotedWords = (_: string, operator: string, text: string): string =>
  /[wi]/i.test(operator) ? `[${text.trim().split(/\s+/).map((word) => `'${word}'`).join(', ')}]` : `'${text}'`;
/**
 * A heredoc as it opens (Ruby's `<<~SH`, Perl's `<<"SH"`, PHP's `<<<SH`): group 1 its quote (a backtick runs it), group
 * 2 its closing word. Its lines are read where it opens, as one string joined by `; ` (as a shell runs them), up to
 * {@link HEREDOC_REACH} characters (the command reading's reach after a call before session 48; patch.ts, CALL_REACH),
 * and each line opening one is read that much longer at most.
 */
const HEREDOC = /<<<?[~-]?(["'\x60]?)([A-Za-z_]\w*)\1/g;
const HEREDOC_REACH = 200;

/** `lines[at]` with its heredocs' lines, the ones after it, in place of their openings. */
function heredocsInPlace(lines: readonly string[], at: number, line: string): string {
  let next = at + 1;
  return line.replace(HEREDOC, (_, quote: string, closing: string) => {
    let body = '';
    for (; next < lines.length && lines[next]!.trim() !== closing && body.length < HEREDOC_REACH; next++) body += `${lines[next]!.trim()}; `;
    next++;
    return quote === '\x60' ? `\x60${body}\x60` : `"${body}"`;
  });
}

type Spelling = [RegExp, (match: string, ...groups: string[]) => string];
/** A string literal: group 1 its quote (Groovy's and Scala's triple quotes first), group 2 its text. */
const STRING = String.raw`("""|'''|["'])((?:(?!\1)[^\\\n]|\\.)*)\1`;
/**
 * What runs the process built from the string or list before it: Groovy's `.execute(…)` (also given an environment and
 * a directory), Scala's `.!`, `.!!`, `.run`, `.lazyLines`, `.lineStream`, and `!`/`!!` written postfix (review of B's
 * fix, M3), in a Groovy or Scala file (review of session 47, L: elsewhere Kotlin's `"…".run { … }` and TypeScript's
 * non-null `["…"]!` run nothing); in any other file `.execute()` and `.!`/`.!!` only, as before. One run of spaces only
 * before the `!`, so a long one is not read from each of its positions.
 */
const RUNS_BEFORE = String.raw`\s*(?:\.\s*(?:execute|run|lazyLines(?:_!)?|lineStream(?:_!)?|!!?)|!!?)(?![=\w])`;
const RUNS_BEFORE_ANYWHERE = String.raw`\s*\.\s*(?:execute\s*\(\s*\)|!!?(?![=\w]))`;
const GROOVY_OR_SCALA = /\.(?:groovy|gradle|scala|sc)$/i;
/**
 * The calls written after their command, each with how it is read: a string run as above (group 2 its command), and a
 * list, Groovy's `[…]` or Scala's `Seq(…)`, `List(…)`, `Vector(…)`, `Process(…)` (one level of brackets inside). A
 * string alone in parentheses is read as the string (`('npm test').execute()`).
 */
const postfixCalls = (runsBefore: string): readonly Spelling[] => [
  [new RegExp(String.raw`(?<![\w)\]$])\(\s*${STRING}\s*\)(?=\s*\.)`, 'g'), (_, quote, command) => `${quote}${command}${quote}`],
  [new RegExp(STRING + runsBefore, 'g'), (_, quote, command) => `execute(${quote}${command}${quote})`],
  [new RegExp(String.raw`(?:\[([^[\]\n]*)\]|(?<![\w.])(?:Seq|List|Vector|Array|Process)\s*\(((?:[^()\n]|\([^()\n]*\))*)\))${runsBefore}`, 'g'), (_, list, seq) => `execute([${list ?? seq}])`],
];
const POSTFIX_CALLS = postfixCalls(RUNS_BEFORE);
const POSTFIX_CALLS_ANYWHERE = postfixCalls(RUNS_BEFORE_ANYWHERE);
/**
 * Python's sh library (`sh.npm('install', x)`, `sh.npm.install(x)`), in a Python file that imports sh or plumbum
 * (elsewhere `sh` is any name: `const sh = process`); a program looked up by its name (sh's `Command('npm')`,
 * plumbum's `local['npm']`, `local.get('npm')`, `local.cmd.npm`; a path is read as its last part) is read as sh's `sh.npm`.
 */
const PYTHON_PROGRAM_CALLS: readonly Spelling[] = [
  [/(?<![\w$])(?:local\s*(?:\[|\.\s*get\s*\()|(?:sh\s*\.\s*)?Command\s*\()\s*(["'])(?:[^"'\n]*\/)?([A-Za-z_]\w*)\1\s*[\])]/g, (_, _quote, program) => `sh.${program}`],
  [/(?<![\w$])local\s*\.\s*cmd\s*\./g, () => 'sh.'],
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
 * The names `from plumbum.cmd import npm, git as g` (or `import (npm)`) and sh's `from sh import npm` bind, each to its
 * program: `npm[…]()` and `npm.install()` run npm, `g[…]()` runs git (an alias is read as the program it names, not as
 * its own name); and the names imported from pip's modules, each read as pip's (`from pip._internal.cli.main import
 * main as m`: `m([…])` is `pip.main([…])`, attack-48 L). Group 1 the module, group 2 the names.
 */
const NAMES_IMPORTED = /\bfrom\s+(plumbum\.cmd|sh|pip(?:\.[\w.]+)?)\s+import\s+\(?([\w\s,]+)/g;
/** A Python module imported by a name in a string (`__import__('pip')`, `importlib.import_module('pip')`): the module. */
const MODULE_BY_NAME: Spelling = [/\b(?:__import__|importlib\s*\.\s*import_module)\s*\(\s*(["'])([\w.]+)\1\s*\)/g, (_, _quote, module) => module];
/**
 * Deno's options object giving a process its arguments (`new Deno.Command('deno', { args: ['run', …] })`), read as an
 * argument list after the program (attack-48 K).
 */
const ARGUMENTS_OBJECT: Spelling = [/,\s*\{\s*args\s*:\s*\[/g, () => ', ['];
/**
 * A Python import's list of modules (`import os, sh as s, pip as p`), group 1: sh under another name is sh (`s.npm(…)`
 * is `sh.npm(…)`), pip's modules under another name are pip's (`p.main([…])`; review of session 47, M4).
 */
const IMPORT_LIST = /\bimport\s+((?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*)*[\w.]+(?:\s+as\s+\w+)?)/g;
/** A name bound to a module imported by its name in a string (`mod = __import__('pip')`): group 1 the name, 3 the module. */
const BOUND_BY_NAME = /(?<![\w.])(\w+)\s*=\s*(?:__import__|importlib\s*\.\s*import_module)\s*\(\s*(["'])([\w.]+)\2\s*\)/g;
/** How far one Python statement continued over lines (a backslash, an import's open parenthesis) is joined for its imports. */
const STATEMENT_REACH = 1000;

/** Python's lines with a statement continued by a backslash or inside an import's parentheses joined into one line. */
function statements(lines: readonly string[]): string[] {
  const joined: string[] = [];
  let open = '';
  for (const line of lines) {
    const statement = open + line;
    open = '';
    if (statement.length < STATEMENT_REACH && (/\\\s*$/.test(line) || /\bimport\s*\([^)]*$/.test(statement))) open = `${statement.replace(/\\\s*$/, '')} `;
    else joined.push(statement);
  }
  return open === '' ? joined : [...joined, open];
}

/**
 * Haskell's process calls named by words prose uses (`proc "npm" […]`, `shell "…"`, `runCommand`, `runProcess_`;
 * typed-process takes a string literal as a shell command), in a Haskell file, and Perl's two-argument open with a pipe
 * before or after the command (`open(FH, "npm i x |")`), in a Perl file: read as `system` is (review of session 47, M3:
 * read in every file, `Open a shell "npm install x"` in a README was refused).
 */
const HASKELL = /\.l?hs$/i;
const HASKELL_CALL: Spelling = [/(?<![\w$.])(?:runProcess\w*|runCommand|proc|shell)(?=[ \t]+["'[])/gi, () => 'system'];
const PERL = /\.(?:pl|pm|t)$/i;
const PERL_PIPED_OPEN: Spelling = [/\bopen\s*\(?\s*(?:my\s+)?[$\w]+\s*,\s*(?=["']\s*\||["'][^"'\n]*\|\s*["'])/gi, () => 'system('];

/** .NET's files (C#, C# scripts, VB.NET), where ProcessStartInfo is read ({@link startInfosOverLines}). */
const CSHARP = /\.(?:cs|csx|vb)$/i;

/**
 * Go's `//go:generate` directive: `go generate` runs its command (attack-48 F, `//go:generate go run x@latest`), read
 * as that command given to a call. Its words are Go's, quoted or not; a single quote in it is read as a double one.
 */
const GO = /\.go$/i;
const GO_GENERATE: Spelling = [/^\s*\/\/go:generate[ \t]+(.+)$/g, (_, command) => `system('${command.replace(/'/g, '"')}')`];

/**
 * ProcessStartInfo's program and arguments set anywhere after a line naming the type, however they are spelled
 * (review of session 47, M4; attack-52): an initializer on one line or over several (a `}` in an interpolation or a
 * collection inside), the type qualified or target-typed (`ProcessStartInfo psi = new()`), properties set as statements
 * (`psi.FileName = …;`, `p.StartInfo.FileName = …;`) or by VB.NET's `With { .FileName = … }`, in any order, verbatim, interpolated or joined strings,
 * a name given a literal in the patch, the constructor's program, `ArgumentList = { … }` and `ArgumentList.Add(…)`.
 * .NET splits `Arguments` into words at blanks (attack-52 false refusals: `"run build"` was one unknown verb). The lines
 * read end at the first that starts a process or names the type again, or at {@link START_INFO_LINES}.
 */
const START_INFO = /(?:\bProcess|\b)StartInfo\b/;
const NEW_START_INFO = /\bProcessStartInfo\b/;
const STARTS_PROCESS = /\.\s*Start\s*\(/;
const START_INFO_LINES = 40;
/** A .NET string literal (regular, verbatim `@"…"`, interpolated `$"…"`), or a name, joined by `+`: group 1 of the forms below. */
const DOTNET_STRING = String.raw`[@$]{0,2}"(?:[^"\\\n]|\\.)*"`;
const DOTNET_PART = `(?:${DOTNET_STRING}|[A-Za-z_]\\w*)`;
const DOTNET_VALUE = String.raw`(${DOTNET_PART}(?:\s*[+&]\s*${DOTNET_PART})*)`;
const FILE_NAME = new RegExp(String.raw`\bFileName\s*=\s*${DOTNET_VALUE}|\bProcessStartInfo\s*\(\s*${DOTNET_VALUE}`);
const ARGUMENTS = new RegExp(String.raw`\bArguments\s*=\s*${DOTNET_VALUE}`);
/** The arguments listed one by one: `ArgumentList = { "a", "b" }` (group 1), `ArgumentList.Add("a")` (group 2). */
const ARGUMENT_LIST = new RegExp(String.raw`\bArgumentList\s*=\s*\{([^}]*)\}|\bArgumentList\s*\.\s*Add\s*\(\s*${DOTNET_VALUE}\s*\)`, 'g');
/** A name given a .NET string literal (`const string Npm = "npm";`, `Dim npm As String = "npm"`): the name, the literal. */
const NAMED_LITERAL = new RegExp(String.raw`\b([A-Za-z_]\w*)\s*(?:As\s+String\s*)?=\s*(${DOTNET_STRING})`, 'g');
const PROPERTY = new RegExp(String.raw`\b(?:FileName|Arguments)\s*=\s*${DOTNET_PART}`, 'g');

/** The text a {@link DOTNET_VALUE} makes, its literals joined and its names given the literals `named` holds, `{name}` for a name given none. */
function dotnetText(value: string, named: ReadonlyMap<string, string>): string {
  return [...value.matchAll(/[@$]{0,2}"((?:[^"\\\n]|\\.)*)"|([A-Za-z_]\w*)/g)].map(([, literal, name]) => literal ?? named.get(name!) ?? `{${name}}`).join('');
}

/**
 * The readings of `lines` that differ for a ProcessStartInfo ({@link START_INFO}): the line naming it written as its
 * constructor given its program and its arguments' words (a program the patch names no literal for stays a name, read
 * as a computed program is), and its other lines with `FileName` and `Arguments` taken out (read in the constructor;
 * left in, `FileName = "npm",` reads as npm given no verb). Each line is read once.
 */
function startInfosOverLines(lines: readonly string[]): Map<number, (read: string) => string> {
  const readings = new Map<number, (read: string) => string>();
  const named = new Map<string, string>();
  for (const line of lines) for (const [, name, literal] of line.matchAll(NAMED_LITERAL)) named.set(name!, /^[@$]{0,2}"(.*)"$/.exec(literal!)![1]!);
  for (let at = 0; at < lines.length; at++) {
    if (!START_INFO.test(lines[at]!)) continue;
    let next = at + 1;
    while (next < Math.min(lines.length, at + START_INFO_LINES) && !NEW_START_INFO.test(lines[next]!) && !STARTS_PROCESS.test(lines[next - 1]!)) next++;
    const text = lines.slice(at, next).join(' ');
    const program = FILE_NAME.exec(text);
    if (program === null) continue;
    const programValue = (program[1] ?? program[2])!;
    const programText = dotnetText(programValue, named);
    const argumentsValue = ARGUMENTS.exec(text);
    const words = argumentsValue === null ? [] : dotnetText(argumentsValue[1]!, named).split(/\s+/);
    for (const [, list, added] of text.matchAll(ARGUMENT_LIST)) words.push(...[...(list ?? added!).matchAll(new RegExp(DOTNET_PART, 'g'))].map(([part]) => dotnetText(part, named)));
    const quoted = words.filter((word) => word !== '').map((word) => JSON.stringify(word));
    const reading = `new ProcessStartInfo(${[/^\{\w+\}$/.test(programText) ? programValue : JSON.stringify(programText), ...quoted].join(', ')});`;
    readings.set(at, () => reading);
    for (let inside = at + 1; inside < next; inside++) readings.set(inside, (read) => read.replace(PROPERTY, ''));
    at = next - 1;
  }
  return readings;
}

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
  const imported = new Map<string, string>();
  const aliases: string[] = [];
  if (PYTHON.test(path)) {
    for (const line of statements(shown)) {
      for (const [, modules] of line.matchAll(IMPORT_LIST)) {
        for (const [, module, alias] of modules!.matchAll(/([\w.]+)\s+as\s+(\w+)/g)) {
          if (module === 'sh' && python) aliases.push(alias!);
          else if (/^pip(?:\.|$)/.test(module!)) imported.set(alias!, module!);
        }
      }
      for (const [, name, , module] of line.matchAll(BOUND_BY_NAME)) if (/^pip(?:\.|$)/.test(module!)) imported.set(name!, module!);
      for (const [, module, names] of line.matchAll(NAMES_IMPORTED)) {
        if (!python && !module!.startsWith('pip')) continue;
        for (const name of names!.split(',')) {
          const [program, as, alias] = name.trim().split(/\s+/);
          if (program !== undefined && /^\w+$/.test(program)) imported.set(as === 'as' && alias !== undefined && /^\w+$/.test(alias) ? alias : program, `${module!.startsWith('pip') ? 'pip' : 'sh'}.${program}`);
        }
      }
    }
  }
  const importedName = imported.size === 0 ? null : new RegExp(String.raw`(?<![\w.])(${[...imported.keys()].join('|')})(?=\s*[([.])`, 'g');
  const shAlias = aliases.length === 0 ? null : new RegExp(String.raw`(?<![\w.])(?:${aliases.join('|')})(?=\s*\.)`, 'g');
  const shellQuotes = SHELL_QUOTES.test(path);
  const spellings = [
    ...(GROOVY_OR_SCALA.test(path) ? POSTFIX_CALLS : POSTFIX_CALLS_ANYWHERE),
    ARGUMENTS_OBJECT,
    ...(PYTHON.test(path) ? [MODULE_BY_NAME] : []),
    ...(python ? PYTHON_PROGRAM_CALLS : []),
    ...(HASKELL.test(path) ? [HASKELL_CALL] : []),
    ...(PERL.test(path) ? [PERL_PIPED_OPEN] : []),
    ...(GO.test(path) ? [GO_GENERATE] : []),
  ];
  const perlOrRuby = PERL_OR_RUBY.test(path);
  const startInfos = CSHARP.test(path) ? startInfosOverLines(added) : null;
  return added.map((line, at) => {
    const inPlace = shellQuotes && line.includes('<<') ? heredocsInPlace(added, at, line) : line;
    let read = shellQuotes ? backticksAsCalls(inPlace, /\.php$/i.test(path)).replace(QUOTED_COMMAND, 'system(\x60') : line;
    if (perlOrRuby) read = read.replace(QUOTED_WORDS, quotedWords).replace(QUOTE_OPERATOR, '"');
    if (importedName !== null && read.search(NAMES_IMPORTED) < 0) read = read.replace(importedName, (name) => imported.get(name)!);
    if (shAlias !== null && read.search(IMPORT_LIST) < 0) read = read.replace(shAlias, 'sh');
    for (const [call, as] of spellings) read = read.replace(call, as);
    return startInfos?.get(at)?.(read) ?? read;
  });
}
