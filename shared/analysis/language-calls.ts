/**
 * What a source language does with a string or a file it names, for the patch check's following of saved downloads
 * (`dangerous-code.ts`): a string given to a call that starts a process is a command line whose first word runs
 * (`os.system('/tmp/a')`, `subprocess.run(['/tmp/a'])`); one given to a call that only prints it is a message, not a
 * command (`print('saved data.json')`); and a file given to a call that runs code from it runs it
 * (`exec(open(f).read())`, `runpy.run_path(f)`, `require(f)`, `import(f)`, Ruby's `load f`, PHP's `include f`, Lua's
 * `dofile(f)`, `pickle.load(open(f))`).
 */

import type { SavedFiles } from './saved-download.js';

/** What a string given to a call is: a command line or argument list that runs its first word, a message, or neither. */
export type CallKind = 'process' | 'message' | null;

/**
 * The names of the calls that start a process in every language's spelling, as regular-expression alternatives: the part
 * of this module's list and the patch check's (`patch.ts`, where an added dependency is looked for in their arguments) that
 * the two share, each adding the spellings its own reading needs.
 */
export const PROCESS_CALL_NAMES = 'system|spawn\\w*|run|call|check_call|check_output|getoutput|getstatusoutput|shell_exec|passthru|proc_open';
/** Any call that starts a process, by name: the names above, `popen…` and `exec…` (`execFileSync`, Java's `exec`). */
export const RUNNER_NAMES = String.raw`(?:${PROCESS_CALL_NAMES}|popen\w*|exec\w*)`;

/**
 * Calls that start a process from a command line or an argument list: Python's `os.system`, `subprocess.*`, `os.exec*`,
 * Node's `child_process.*`, Ruby's, PHP's, Perl's and Lua's `system`/`exec`/`popen`/`execute`, Go's `exec.Command`,
 * .NET's `Process.Start`. Any receiver: `runner.run('f')` is read as one too, which at worst refuses.
 */
const PROCESS_CALL = new RegExp(String.raw`(?:^|[^\w$])(?:${PROCESS_CALL_NAMES}|popen[23]?|exec(?:[lv]p?e?|Sync|File|FileSync|ute)?|fork|Popen|Command(?:Context)?|pcntl_exec|capture[23]e?|popen3|pipeline\w*|Start)\s*\(\s*\[?\s*$`);
/**
 * Calls that only print or log what they are given, or make an error of it: `print`, `puts`, `console.log`, `logger.info`,
 * `fmt.Println`, `t.Errorf`, `new Error(…)`, Ruby's `raise ArgumentError, "…"`, a test's name (`it('reads data.json', …)`). Not `write` (a process's input
 * is written to), and not on any receiver (`io.puts` writes to whatever `io` is, a shell's input too).
 */
const MESSAGE_CALL = /(?:^|[^\w$.])(?:(console|logger|log|logging|LOG|LOGGER|fmt|t|b|self\.log(?:ger)?|this\.log(?:ger)?|Rails\.logger)\s*\.\s*(log|info|warn|warning|error|debug|trace|fatal|critical|exception|notice|Print(?:ln|f)?|Log(?:f)?|Error(?:f)?|Fatal(?:f)?|Skip(?:f)?)|(print|println|puts|warn|die|croak|carp|confess|it|test|describe)|(?:new\s+)?((?:[A-Z]\w{0,40})?(?:Error|Exception)))\s*\(\s*[fFrRbBuU]{0,2}$|(?:^|[^\w$.])(raise|fail|abort|die)[ \t]+(?:[A-Z][\w:]{0,60}[ \t]*,[ \t]*)?$/;
/** How far before a string its call is looked for. */
const CALL_LOOKBACK = 80;
/** At most this many names are checked for being bound by the code; past them, a call is no message (fail closed). */
const MAX_NAMES_CHECKED = 32;

/**
 * The kind of call the string that opens at `quote` in `text` is given to ({@link CallKind}). A message call is one only
 * where the code binds none of its names to something else (`print = os.system`, `const log = execSync`, `def puts`,
 * `lambda print: …`, `(log) => …`) and, in Python, sends its output to no file (`print(cmd, file=shell.stdin)`).
 * `bound` caches, per text, which names the code binds.
 */
export function callKind(text: string, quote: number, bound: Map<string, boolean>): CallKind {
  const before = text.slice(Math.max(0, quote - CALL_LOOKBACK), quote);
  if (PROCESS_CALL.test(before)) return 'process';
  const message = MESSAGE_CALL.exec(before);
  if (message === null) return null;
  const names = [message[1], message[2], message[3], message[4], message[5]].filter((name): name is string => name !== undefined).flatMap((name) => name.split('.'));
  const lineEnd = text.indexOf('\n', quote);
  if (/\bfile\s*=|>>/.test(text.slice(quote, lineEnd < 0 ? undefined : lineEnd))) return null;
  return names.some((name) => isBound(text, name, bound)) ? null : 'message';
}

/**
 * Whether `text` binds `name` to anything: an assignment (but Python's `logger = logging.getLogger(…)`), a parameter, an
 * import's alias, a definition, a key or a destructured name (`{ execSync: print }`).
 */
export function isBound(text: string, name: string, bound: Map<string, boolean>): boolean {
  const known = bound.get(name);
  if (known !== undefined) return known;
  if (bound.size >= MAX_NAMES_CHECKED) return true;
  const escaped = name.replace(/\$/g, '\\$');
  const binds = new RegExp(
    String.raw`(?<![\w$])${escaped}\s*(?:[:,)}\]]|=(?![=~]|\s*(?:logging\s*\.\s*)?getLogger\s*\()|=>)|\b(?:as|def|function|func|sub|alias|alias_method|let|const|var|for|import|lambda)\s+[(*:&]?\s*${escaped}\b|["':]${escaped}["']?\s*[\],)=:]`,
  );
  const result = binds.test(text);
  bound.set(name, result);
  return result;
}

/**
 * Calls that run code from a file they are given, or from what it holds: by name, on any receiver (`runpy.run_path`,
 * `vm.runInThisContext`, `child_process.fork`); `load` bare or on `Kernel`, and the unpicklers, which call whatever the
 * file names. Ruby's `require`/`load`, PHP's `include`/`require` and Perl's `do` without parentheses too. And the
 * loaders that take a path (`code-sinks.ts`'s PATH_LOADERS): a native library (`ctypes.CDLL`, `cdll.LoadLibrary`,
 * `process.dlopen`'s second argument, Java's `System.load`, Go's `plugin.Open`) and Python's import path
 * (`site.addsitedir`, `zipimporter`, `sys.path.append`, and `sys.path.insert`'s second argument), whose modules an
 * import then runs; `__import__` and `importlib.import_module` given the name (review 64); Java's `URLClassLoader`, whose
 * classes come from the paths it is given, and the `require` Node's `createRequire(…)` makes (session 65); Node's
 * `Module._load` (what `require` calls; `Module['_load']`, session 67) and Java's `Runtime.getRuntime().load`, `loadLibrary` (session 66).
 */
const RUNS_FILE = /(?<![\w$])(?:(?:exec|execfile|eval|run_path|load_source|SourceFileLoader|spec_from_file_location|require|require_relative|require_once|include|include_once|import|dofile|loadfile|fork|Function|runInThisContext|runInNewContext|runInContext|Script|Worker|instance_eval|class_eval|module_eval|(?:C|Py|Win|Ole)DLL|[Ll]oadLibrary|dlopen|addsitedir|zipimporter|__import__|import_module|URLClassLoader(?:\s*\.\s*newInstance)?|_load|createRequire\s*\([^()\n]*\))|getRuntime\(\)\.load|(?:Kernel|c?[Pp]ickle|_pickle|marshal|dill|cloudpickle|joblib|torch|shelve|System|plugin)\s*\.\s*(?:load|loads|open|Open)|(?<!\.)load)\s*\(|(?<![\w$.])(?:require|require_relative|require_once|include|include_once|load|do)[ \t]+(?=["'])|\bsys\s*\.\s*path\s*\.\s*(?:(?:append|extend)\s*\(|insert\s*\(\s*-?\w+\s*,)|\bprocess\s*\.\s*dlopen\s*\(\s*[\w$.]+\s*,|\[\s*["'\x60]_load["'\x60]\s*\]\s*\(/g;
/** What a file given to {@link RUNS_FILE} may be named without its extension: Ruby's `require '/tmp/a'` loads `/tmp/a.rb`. */
const IMPLIED_EXTENSIONS = ['', '.rb', '.js', '.mjs', '.cjs', '.py', '.php', '.pl', '.lua'];
/** A string literal or a name, in a call's argument. */
const TOKEN = /(["'\x60])((?:(?!\1)[^\\\n]|\\.){0,300})\1|\$?[A-Za-z_][\w]*/g;
/** An assignment of a string literal to a name: `f = '/tmp/a.py'`, `const f = …`, `$f = …`, `local f = …`. */
const LITERAL_ASSIGNMENT = /(?<![\w$.])(\$?[A-Za-z_]\w*)[ \t]*=[ \t]*(["'])([^"'\n]{1,300})\2/g;
/** How far a call's argument is read. */
const ARGUMENT_CHARS = 300;

/**
 * Whether `text` runs code from a file `files` holds through a call of {@link RUNS_FILE}: a literal in the call's first
 * argument names one (`exec(open('/tmp/a').read())`), or a name does that a download saved to (`urlretrieve(url, f)`,
 * `-o ${f}`) or that the code assigned such a literal. A JSON file given to `require` or `import` is data. Where a
 * download before the call saved a file nobody can name, a call given anything but literals may run it.
 */
export function fileRunByCode(text: string, files: SavedFiles): boolean {
  const assigned = new Map<string, Array<{ literal: string; end: number }>>();
  for (const match of text.matchAll(LITERAL_ASSIGNMENT)) {
    const list = assigned.get(match[1]!) ?? [];
    if (list.length < 8) list.push({ literal: match[3]!, end: match.index! + match[0].length });
    assigned.set(match[1]!, list);
  }
  for (const call of text.matchAll(RUNS_FILE)) {
    const at = call.index! + call[0].length;
    if (at < files.first) continue;
    const argument = firstArgument(text, at);
    const imports = /\b(?:require|import)\b/.test(call[0]);
    let named = false;
    for (const token of argument.matchAll(TOKEN)) {
      if (token[2] !== undefined) {
        if (imports && /\.json$/i.test(token[2])) continue;
        if (IMPLIED_EXTENSIONS.some((extension) => files.holds(token[2]! + extension, at))) return true;
        // Java's `System.loadLibrary("x")` loads `libx.so` from the library path (on Linux, where CI runs the tests).
        if (files.holds(`lib${token[2]}.so`, at)) return true;
      } else {
        named = true;
        const values = assigned.get(token[0])?.filter((value) => value.end <= at) ?? [];
        if (files.holds(token[0], at) || files.holds(`\0${token[0]}`, at) || values.some((value) => files.holds(value.literal, at))) return true;
      }
    }
    if (named && files.anyBefore(at)) return true;
  }
  // A download's result, held under its marked name (`p = download_file(u)`), given to a process call: the marked name
  // is otherwise matched only by code that loads a file, and a process call's argument list is not read as shell words.
  return [...text.matchAll(PROCESS_ARGUMENTS)].some(
    (call) => call.index! >= files.first && firstArgument(text, call.index! + call[0].length, true).match(/(?<![\w$.'"])[A-Za-z_$][\w$]*|(?<=["'\x60])[^"'\x60\s]+(?=["'\x60])/g)?.some((name) => files.holds(`\0${name}`, call.index!)),
  );
}

/**
 * A call that starts a process, as far as its arguments (session 66): a download's name given to one, anywhere in them
 * (`subprocess.run(['sh', p])`, `execFileSync('sh', [p])`, `os.system('sh ' + p)`, `` execSync(`sh ${p}`) ``, Java's
 * `new ProcessBuilder("sh", p.toString())`), may be run by it. Read at the end of any name too (`asyncio.create_subprocess_exec`,
 * found attacking the reading): a download given to a call named like one fails closed. In any case (review 66:
 * `subprocess.Popen(['sh', p])`). Session 67: Go's `exec.Command`/`CommandContext` and `new Deno.Command`, Ruby's
 * `Open3.capture2e` and its command strings (`%x(…)`, a backtick string that interpolates `#{…}`), zx's and Bun's `` $`…` ``
 * (zx's given options too, `` $({ … })`…` ``). Review 67: Ruby's `%x` with any delimiter (`%x<…>`, `%x|…|`), `Open3.pipeline*`,
 * Go's `os.StartProcess` and `&exec.Cmd{…}`, and any tagged template (zx's `$` renamed or bound to options, `const sh = $({…})`, execa's `` execa`…` ``): a tag is a
 * function given the template's parts, which a download's name in it may reach (not `` return `…` ``).
 */
const PROCESS_ARGUMENTS = new RegExp(String.raw`(?:${RUNNER_NAMES}|ProcessBuilder|Command\w*|capture\w*|pipeline\w*|StartProcess)\s*\(|\bexec\s*\.\s*Cmd\s*\{|%x[^\w\s]|(?<![\w$])(?!(?:return|await|yield|typeof|case|in|of)\b)[\w$]+(?:\([^()\n]{0,99}\))?[ \t]*(?=\x60)|\x60(?=[^\x60\n]{0,200}?#\{)`, 'gi');


/**
 * A call's first argument, from `from` (just inside its parenthesis) to the comma, parenthesis or line end that ends it;
 * with `all`, its arguments to the parenthesis that closes them, across lines (black's style; session 66).
 */
function firstArgument(text: string, from: number, all = false): string {
  let depth = 0;
  let quote = '';
  const end = Math.min(text.length, from + ARGUMENT_CHARS);
  for (let i = from; i < end; i += 1) {
    const char = text[i]!;
    if (quote !== '') {
      if (char === '\\') i += 1;
      else if (char === quote) quote = '';
    } else if (char === '"' || char === "'" || char === '\x60') quote = char;
    else if (char === '(' || char === '[' || char === '{') depth += 1;
    else if (all ? depth === 0 && char === ')' : char === '\n' || (depth === 0 && (char === ',' || char === ')' || char === ';'))) return text.slice(from, i);
    else if (char === ')' || char === ']' || char === '}') depth -= 1;
  }
  return text.slice(from, end);
}
