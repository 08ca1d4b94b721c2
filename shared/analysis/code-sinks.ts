import { closers, firstFrom, JAVASCRIPT } from './bracket-readings.js';
import { DOWNLOAD_PROGRAMS, PRINTS_FROM_HOSTS, WEB_CMDLETS } from './downloaders.js';

/**
 * httpie's `http`/`https` and xh's `xh`/`xhs` as a process's program, a word too common to be one alone: an argument
 * list's first element followed by another that is no scheme (`['http', '--body', u]`, not `['http', 'https']`), or a
 * substitution's command given a host (`$(http GET x.example/p)`, `%x(xh -b host:80/p)`).
 */
const HTTPIE = String.raw`\(\s*\[\s*["'](?:https?|xhs?)["']\s*,(?!\s*["'](?:https?|ftps?|wss?|file)["'])|(?:\$\(|\bqx\s*[^\w\s]|%x\s*[^\w\s])\s*(?:https?|xhs?)\s+(?:-\S+\s+)*(?:[A-Za-z]+\s+)?(?::\d|[\w-]+(?:\.[\w-]+)+)`;

/**
 * A downloader's output used as a value: a substitution (`$(curl …)`, Perl's `qx{curl …}`, Ruby's `%x(curl …)`) or a
 * call given the command (`execSync('curl …')`, `check_output(['curl', …])`, `shell_exec('curl …')`, PowerShell's
 * `(irm …)`, httpie's {@link HTTPIE}). Reached from a call's parenthesis, so `system('curl -o f …')`, whose own argument it is, only downloads.
 * A backtick is a command's output too except in JavaScript, whose backtick opens a string ({@link fetchedCodeRuns}).
 * What another host prints is a download too ({@link PRINTS_FROM_HOSTS}: `sh -c "$(dig +short TXT …)"`, `eval "$(ssh h
 * cat f)"`, attack 64), given its arguments: `eval "$(ssh-agent -s)"` starts an agent here.
 */
const DOWNLOADER_OUTPUT = String.raw`(?:\$\(|\bqx\s*[^\w\s]|%x\s*[^\w\s]|\((?:\s*\[)?)(?:\s*["'])?\s*(?:command\s+|env\s+|[\w.-]*\/)*(?:(?:${DOWNLOAD_PROGRAMS}|${WEB_CMDLETS})\b|(?:${PRINTS_FROM_HOSTS})(?=["']?[ \t,]))|${HTTPIE}`;

/**
 * What a sink's argument holds when it was fetched from another host: a call that fetches (`urlopen`, `fetch`, the
 * bare clients `got(`/`axios(`/`request(`/`needle(`/`ofetch(`, .NET's `Get*Async`, Java's `openStream`, boto3's
 * `get_object` and its resource's `.Object(…).get(`, `ftplib`, Roblox's `HttpGet`, Julia's `download`), an HTTP client library's call (`requests.get(`, httpx,
 * urllib3, undici, HTTPoison, `urllib.request`, `http.client`, …; not the name alone, as `import urllib3`), a client's or a session's request, `new URL(…)` and Clojure's
 * `(URL. …)`, an opener given a URL (`open`/`file`/`fopen`/`readLines`/LWP's `get` of `'https://…'`), Clojure's
 * `slurp` of a URL, a DNS record looked up (dnspython's `resolver.resolve`, Node's `resolveTxt`: a TXT record carries
 * whatever its owner writes, attack 64), and {@link DOWNLOADER_OUTPUT}.
 */
export const FETCHED = String.raw`(?:\b(?:urlopen|urlretrieve|(?:node|cross)?fetch|ofetch|got|axios|needle|request|superagent|file_get_contents|download|httpget\w*|(?:get|post|send)\w{0,20}async|download(?:string|data)|openstream|openconnection|getresponse|get_object|get_file|curl_exec|geturl|recv|newcall|getfor(?:object|entity)|wp_(?:safe_)?remote_(?:get|post|request))\s*\(|\$fetch\s*(?:\.\s*raw\s*)?\(|\[\s*["']fetch["']\s*\]\s*\(|\$(?:\w*(?:client|http)\w*|ua|guzzle)\s*->\s*(?:get|post|request)\s*\(|\b(?:req|tesla)\s*\.\s*\w+!\s*\(|\btesla\s*\.\s*(?:get|post|request)\s*\(|\b(?:httr|rcurl|curl)\s*::\s*\w+\s*\(|\bjsoup\s*\.\s*connect\s*\(|\b(?:uri|url)\s*(?:\.\s*parse\s*)?\([^()\n]{0,200}\)\s*\.\s*(?:read|open)\w*|\.\s*tourl\s*\(\s*\)\s*\.\s*(?:text|openstream|readlines)\b|\((?:[\w.-]+\.)?(?:client|http)\/(?:get|post|request)\s|\(\s*(?:io\/)?(?:reader|input-stream)\s+"\w+:\/\/|(?<![\w$])(?:\$|jquery)\s*\.\s*(?:get|post|ajax)\s*\(|\b(?:requests|niquests|httpx|urllib3|aiohttp|faraday|httparty|restclient|guzzlehttp|lwp|http::tiny|mojo::useragent|excon|typhoeus|webclient|httpclient|undici|httpoison|urllib\W+request|http\s*\.\s*client|ftplib)\b[\w.:\\!>-]{0,40}\(|\.\s*object\s*\([^()\n]{0,200}\)\s*\.\s*get\s*\(|\b(?:session|client|https?|axios|got|ky|superagent|uri|wget)\s*(?:\(\s*\))?\s*[.:]+\s*(?:get(?:_response)?|post|request|open|download|send)\s*\(|\bnew\s+(?:url|websocket|eventsource|xmlhttprequest)\s*\(|\(\s*(?:java\.net\.)?url\.\s|\b(?:get|open|file|fopen|readfile|readlines|url)\s*\(\s*(?:["']\w+:\/\/|url\s*\()|\bslurp\s+(?:"\w+:\/\/|\(\s*(?:io\/)?(?:as-)?url\b)|\bresolver\s*\.\s*(?:resolve|query)\s*\(|\bresolvetxt\s*\(|${DOWNLOADER_OUTPUT})`;

/** Calls that run code they are given, on any receiver (`window.eval`, `engine.eval`, `Code.eval_string`, `YAML.unsafe_load`). */
const NAMED = String.raw`(?:instance_|class_|module_)?eval|exec|execsync|system|popen|getoutput|getstatusoutput|shell_exec|passthru|runin(?:this|new)?context|compilefunction|_compile|loadstring|dofile|runsource|runcode|run_path|include_string|eval_string|eval_quoted|compile_string|unsafe_load\w*|createcontextualfragment|execa?command(?:sync)?|create_subprocess_shell|addscript|run_cell|unpickler|loadfromstream|spawnuri`;
/** Calls that run code only as functions: as methods they are something else (`page.evaluate`, `json.load`, `$.load`). */
const BARE = String.raw`(?<![.\w$])(?:load|evaluate|include|source|(?:async|generator)?function|execscript)`;
/**
 * Loaders that take a path and run the code at it: Python's import path (`sys.path.insert`/`append`/`extend`,
 * `site.addsitedir`, which also runs the directory's `.pth` lines, `zipimport.zipimporter`), a native library
 * (`ctypes.CDLL` and its kin, `cdll.LoadLibrary`, Node's `process.dlopen`, Java's `System.load`/`loadLibrary`, Go's
 * `plugin.Open`). Given a download (`sys.path.append(urlretrieve(u)[0])`), they run it (attack 64). Each name is read
 * where a call of it opens, as the other sinks are.
 */
export const PATH_LOADERS = String.raw`sys\s*\.\s*path\s*\.\s*(?:insert|append|extend)|addsitedir|zipimporter|(?:c|py|win|ole)dll(?:\s*\.\s*loadlibrary)?|dlopen|system\s*\.\s*load(?:library)?|plugin\s*\.\s*open`;
/**
 * Sinks named with their receiver: `vm`'s and `new Script`/`SourceTextModule`, `document.write`, .NET's
 * `Assembly.Load` and `CSharpScript`, Java's `URLClassLoader`, the unpicklers (pickle, joblib, torch, numpy, pandas'
 * `read_pickle`) and PyYAML's loaders, unless called safely ({@link calledSafely}), Groovy's `Eval.me` and a shell's `evaluate`, PowerShell's
 * `[scriptblock]::Create`, Ruby's `InstructionSequence`, and the {@link PATH_LOADERS}.
 */
const QUALIFIED = String.raw`(?:new\s+|vm\s*\.\s*)(?:script|sourcetextmodule)|document\s*\.\s*write(?:ln)?|assembly\s*\.\s*load\w*|csharpscript\s*\.\s*\w+|urlclassloader|(?:c?pickle|_pickle|marshal|dill|cloudpickle|joblib|shelve|torch|np|numpy)\s*\.\s*loads?|read_pickle|yaml\s*\.\s*(?:full_)?load(?:_all)?|eval\s*\.\s*(?:me|xy?z?)|(?:groovy)?shell\s*(?:\(\s*\))?\s*\.\s*(?:evaluate|parse|run)|scriptblock\]?\s*::\s*create|instructionsequence\s*\.\s*(?:compile|new|load\w*)|erb\s*\.\s*new|timeit\s*\.\s*(?:timeit|repeat)|jsonpickle\s*\.\s*(?:decode|loads)|interactiveconsole\s*\(\s*\)\s*\.\s*push|base\s*\.\s*include|appdomain\s*\.\s*currentdomain\s*\.\s*load|${PATH_LOADERS}`;

/** The sinks by name, for a log's reading too (`dangerous-code.ts`'s fetch-exec). */
export const SINK_NAMES = `${NAMED}|${BARE}|${QUALIFIED}`;

/** A shell or an interpreter named as a program: `'sh'`, `"/bin/bash"`, `process.execPath`, `sys.executable`. */
const INTERPRETER = String.raw`(?:["'](?:[\w.\\/-]*[\\/])?(?:(?:ba|z|da|k)?sh|python[\d.]*|node|deno|bun|perl|ruby|php|pwsh|powershell|cmd)(?:\.exe)?["']|process\s*\.\s*execpath|sys\s*\.\s*executable)`;
/**
 * Where a sink's argument opens: its call, also through `.call`/`.apply`/`.bind(…)(`, `?.(`, or its name closed first
 * (`(0, eval)(`, `__dict__['exec'](`, `getattr(builtins, 'exec')(`); `Reflect.apply` of one; a timer given no function
 * (`setTimeout(code)`, not a socket's `req.setTimeout(ms, …)`, nor an arrow function typed or after a comment); `eval`/`instance_eval`/`exec` without parentheses (Ruby, Perl, a shell; PowerShell's `iex`, review 67), whose argument is the
 * rest of the line; a Clojure form (not Perl's block `(eval {`); an argument list that runs a shell's or an interpreter's `-c`; Python's `shell=True`.
 */
const SINK = /* @__PURE__ */ (() => new RegExp(
  [
    // Before the names, as `popen(` is one: a shell started and given what it runs on its standard input, by
    // `.communicate(` or by the block Ruby gives the pipe to (`IO.popen('sh', 'w') { |io| io.write(…) }`, `do |io|`).
    String.raw`\b(?:popen|spawn)\w*\s*\((?:\s*\[)?\s*${INTERPRETER}[^;\n]{0,200}?\)\s*(?:\.\s*communicate\s*\(|\{|do\b)`,
    String.raw`(?<![\w$])(?:${SINK_NAMES})(?:(?:\s*\.\s*(?:call|apply|bind\s*\([^()\n]{0,80}\)\s*))?(?:\s*\?\.)?\s*\(|["']?\s*[)\]]\s*(?:\?\.)?\s*\()`,
    String.raw`\breflect\s*\.\s*apply\s*\((?=\s*(?:[\w$]+\s*\.\s*)?(?:eval|exec\w*|function)\b)`,
    String.raw`(?:(?<![.\w$])|\b(?:window|globalthis|self|global)\s*\.\s*)set(?:timeout|interval)\s*\((?!(?:\s*(?:\/\/[^\n]{0,200}\n|\/\*[^*]{0,200}\*\/)){0,8}\s*(?:async\b|function\b|(?:[\w$]+|\([^()]{0,200}\)(?:\s*:[^=;()]{1,80})?)\s*=>))`,
    String.raw`(?<![\w$.-])(?:(?:instance_|class_|module_)?eval|exec|iex|invoke-expression)[ \t]+(?=[%$@"'\x60]|q[qwx]?\s*[^\w\s]|[\w:]+\s*(?:\.|::|\(|->))`,
    // A Clojure form; not Perl's `(eval {…})`, a block run to catch its errors (patch:fp, session 49: CPAN's FTP.pm).
    String.raw`\(\s*(?:load-string|load-reader|eval|read-string)\s+(?![\s{])`,
    String.raw`[(\[](?=(?:\s*[\w.]+\s*,)?\s*${INTERPRETER}\s*,\s*(?:\{\s*args\s*:\s*)?(?:\[?\s*["'][^"'\n]{0,40}["']\s*,\s*){0,4}\[?\s*["'](?:-[a-z]*c|-e|-p|--eval|-command|\/c)["'\s])`,
    String.raw`\((?:\s*\[)?\s*${INTERPRETER}(?:\s*\])?\s*,(?=[^;]{0,400}?\b(?:input|stdin_data)\s*[:=])`,
    String.raw`\b(?:run|call|check_call|check_output|popen|spawn(?:sync)?|execfile(?:sync)?|execa(?:sync)?|fork)\s*\((?=[^;]{0,400}?\bshell["']?\s*[:=]\s*(?:true|1\b|["'][\w/]))`,
    String.raw`\.\s*pipe\s*\((?=\s*(?:[\w$]+\s*\.\s*)?spawn\w*\s*\((?:\s*\[)?\s*${INTERPRETER}[^;\n]{0,200}?\)\s*\.\s*stdin)`,
    String.raw`<script\b[^>]{0,300}?dangerouslysetinnerhtml\s*=\s*\{|\bnew\s+worker\s*\((?=[^;]{0,400}?\beval\s*:\s*true)`,
    // A realm's evaluator, node given code by its options, WebAssembly compiled, a document's or a link's script.
    String.raw`shadowrealm\s*\(\s*\)\s*\.\s*(?:evaluate|importvalue)\s*\(|\bexecargv\s*:\s*\[(?=[^\]\n]{0,80}["']-(?:-eval|e|p|-print)["'])|\bwebassembly\s*\.\s*(?:instantiate|compile)(?:streaming)?\s*\(|\.\s*srcdoc\s*=(?![=>])|\bsetattribute\s*\((?=\s*["'](?:on\w+|srcdoc)["'])|\b(?:href|location|src)\s*=\s*["'\x60]javascript:`,
    String.raw`\b(?:i|star)?map\s*\((?=\s*(?:builtins\s*\.\s*)?(?:eval|exec)\s*,)|\bload_model\s*\((?=[^;]{0,400}?\bsafe_mode\s*=\s*(?:false|0)\b)`,
  ].join('|'),
  'gi',
))();
/** Scala's `#>`/`#>>`/`#|` into a shell or an interpreter (`Seq("sh", "-s")`, `Process("bash")`), and its `#<` from something. */
const FED_TO_SHELL = /* @__PURE__ */ (() => new RegExp(String.raw`#(?:>>?|\|)\s*(?:(?:process|seq)\s*\(\s*)?${INTERPRETER}|${INTERPRETER}(?:\s*\))?\s*#<`, 'gi'))();
/** Sinks a promise's value or a callback's argument reaches in JavaScript (`.then((t) => eval(t))`), not a `load(` of the app's own. */
const CALLBACK_SINK = /eval|exec|script|timeout|interval|write|context|compile|pipe/i;
/**
 * A sink handed over by name, to be called with what was fetched: `.then(eval)`, `.then(globalThis.eval)`,
 * `.then(Function)`, `$.get(u, eval)`. JavaScript's names, in their case (`'function'` is a type's name).
 */
const SINK_VALUE = /(?<![\w$])(?:eval|execScript|exec(?:Sync)?|Function|runIn(?:This|New)?Context|set(?:Timeout|Interval))["'\x60]?\s*\]?\s*(?:\.\s*bind\s*\([^()]{0,80}\)\s*)?[),]/g;
/** A name given a sink as a value: `const run = eval;`, `run = globalThis['eval']`, `x = vm.runInThisContext`. */
const ALIAS = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*=\s*(?:[\w$]+\s*(?:\.\s*|\[\s*["'\x60]))?(?:eval|exec|execSync|Function|runIn(?:This|New)?Context|set(?:Timeout|Interval)|execScript)\b["'\x60]?\s*\]?\s*(?:\.\s*bind\s*\([^()\n]{0,80}\)\s*)?(?=[;,)\n]|$)/g;
/** A call of a function by its name, not a method's. */
const CALL = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(/g;
/** One more call of a chain: `.then(`, `?.done(`, across lines as Prettier breaks it, and out of `(await fetch(u))`. */
const LINK = /[\s)]{0,100}\??\.\s*[\w$]+\s*\(/y;
/**
 * A name given what a fetch returns (`const { data } = await axios.get(u)`, `r = requests.get(u)`, `code <- readLines(url)`,
 * typed (`const r: Response =`, `code: str =`) or a tuple's (`code, _ = r.text, 1`),
 * `for line in urlopen(u)`), in groups 1 and 2, the fetch after it; or bound to it after the fetch, in groups 3 to 7: by
 * Python's `with … as r`, a Ruby block's `{ |f|`, a callback's parameters (`new WebSocket(u).onmessage = (e) =>`).
 */
const ASSIGNED = /(?<![\w$@.])(\{[^{}=\n]{1,120}\}|\[[^\][=\n]{1,120}\]|[$@]{0,2}[A-Za-z_][\w$]*(?:[ \t]*,[ \t]*[$@]{0,2}[A-Za-z_][\w$]*){0,8})(?:\s*:(?!=)[\w$.<>[\]|&?, \t]{1,80}?)?\s*(?::=|=(?![=>~])|<-)|\bfor\s+([\w, ]{1,80}?)\s+in\b|\bas\s+([A-Za-z_]\w*)|(?:\{|\bdo)\s*\|([^|\n]{1,80})\||\bfunction\s*\(([^()\n]{0,80})\)|\(([^()\n]{0,80})\)\s*=>|(?<![\w$.])([A-Za-z_$][\w$]*)\s*=>/g;
/** What stands after an assignment's `=` on its line when its value opens on the next: nothing, or an open bracket. */
const VALUE_ON_NEXT_LINE = /^[ \t]*[([]?[ \t]*\\?\r?$/;
/** How far after an assignment's `=` the fetch it is given is looked for. */
const ASSIGNED_REACH = 160;
/** A name as the languages read write one (`data`, `$code`, `@body`), read where it is not a property (`r.data`). */
const WORD = /(?<![\w$@.])[$@]*[A-Za-z_][\w$]*/g;
/** The most of a line read as the argument of a sink called without parentheses: more than a line a patch may add. */
const LINE_MAX = 1000;
/** What stands before a sink on its line when the sink is in a line comment's words ({@link fetchedRuns}). */
const LINE_COMMENT_BEFORE = /^[ \t]*\/\/[^'"\x60$*\n\\]*$/;
/** The most of a sink's argument read: more than a whole patch; an argument not closed is read to here. */
const SPAN_MAX = 24 * 1024;

/** {@link FETCHED} as JavaScript reads it, and as the languages read it whose backtick runs a command (`` eval(`curl …`) ``). */
const FETCHES = /* @__PURE__ */ (() => [new RegExp(FETCHED, 'gi'), new RegExp(`${FETCHED}|\x60(?:\\s*["'])?\\s*(?:command\\s+|env\\s+|[\\w.-]*\\/)*(?:${DOWNLOAD_PROGRAMS})\\b`, 'gi')])();

/** Where the line holding a position ends; asked in increasing order, each newline is looked for once. */
function lineEnds(text: string): (at: number) => number {
  let last = Infinity;
  let newline = -1;
  return (at) => {
    if (newline < at || at < last) newline = (text.indexOf('\n', at) + 1 || text.length + 1) - 1;
    last = at;
    return newline;
  };
}

const within = (positions: readonly number[], from: number, to: number) => {
  const at = firstFrom(positions, from);
  return at >= 0 && at < to;
};

/**
 * Loaders that are safe as called, by their whole argument (comments left out): PyYAML's given a safe loader (not in
 * a conditional), numpy's not allowed to unpickle (its default), torch's told to load weights only; and `timeit` given
 * a function (`timeit.timeit(lambda: requests.get(u))` times a request).
 */
function calledSafely(found: string, args: string): boolean {
  if (/^timeit\b/i.test(found)) return /^\s*lambda\b/.test(args); // a function is timed, a string run
  const call = /^(yaml|np|numpy|torch)\s*\.\s*load(?:_all)?\s*\(/i.exec(found)?.[1]?.toLowerCase();
  if (!call || args.length > 2000) return false;
  const code = args.replace(/#[^\n]*/g, '');
  if (call === 'yaml') return /\bloader\s*=\s*(?:yaml\s*\.\s*)?(?:c?safe|base)loader\s*(?:,|$)/i.test(code);
  if (call === 'torch') return /\bweights_only\s*=\s*true\s*(?:,|$)/i.test(code);
  return !/\*\*|\ballow_pickle\s*=\s*(?!false\b)/i.test(code);
}

/** Imports of a bare `load`/`evaluate`: Python's `from m import …`, an ES module's `import { … } from 'm'`, `{ … } = require('m')`. */
const IMPORTS = /\bfrom\s+([\w.]+)\s+import\s+(?:\(([^()]{1,300})|([^\n]{1,300}))|\bimport\s*\{([^{}]{1,300})\}\s*from\s*["']([^"'\n]{1,100})|\{([^{}]{1,300})\}\s*=\s*require\s*\(\s*["']([^"'\n]{1,100})/g;
/** Libraries whose `load`/`evaluate` parse data, not code (js-yaml 4's `load` is its safe one; mathjs evaluates arithmetic). */
const DATA_LIBRARY = /^(?:json|simplejson|ujson|orjson|tomli|tomllib|toml|cheerio|js-yaml|mathjs)$/;

/** The bare sink names (`load`, `evaluate`) the file's own imports give to a data library: read once, linearly. */
function dataLibraryNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(IMPORTS)) {
    const [from, list] = m[1] ? [m[1], m[2] ?? m[3]!] : m[4] ? [m[5]!, m[4]] : [m[7]!, m[6]!];
    if (!DATA_LIBRARY.test(from)) continue;
    for (const entry of list.split(',')) {
      const [, name, local] = /^\s*([\w$]+)(?:\s*(?:\bas\b|:)\s*([\w$]+))?\s*$/.exec(entry) ?? [];
      if (name) names.add(local ?? name);
    }
  }
  return names;
}

/**
 * Whether `text` (what a patch adds to `path`) runs code fetched from another host in one expression: a sink
 * ({@link SINK}) whose argument, read over its balanced brackets across lines, holds a fetch ({@link FETCHED}) or a name
 * given one; or a fetch whose own arguments or chain of calls (`.then(…)`, a callback) hand what it got to a sink.
 * Linear in the text: each bracket's close is found in one pass, and a span is asked only whether a fetch starts in it.
 */
export function fetchedCodeRuns(path: string, text: string): boolean {
  const fetched = FETCHES[JAVASCRIPT.test(path) ? 0 : 1]!;
  if (fetchedRuns(path, text, withFetchHelpers(path, text, fetched))) return true;
  const plain = unhidden(text);
  return plain !== text && fetchedRuns(path, plain, withFetchHelpers(path, plain, fetched));
}

/**
 * A function's header, its name in group 1: `def get(u):`, `function get(u) {`, Go's `func (c *C) get(u string)`, a
 * class's method on its line (`async src() {`), a property or a name given a function (`get: function (u) {`, `get:
 * async (u) => {`, `const get = (u) =>`: review 68's receivers); or a function with no name (`=> {`, `function (`,
 * Ruby's `lambda {`), whose returns are its own, not the header's before it. Python's `lambda:` holds no `return`, so a
 * return after one is still the def's (review 68: `f = lambda: requests.get(u).text` then `return f()`). A generator's
 * `*` is read with the spaces before it (`function(?:\s*\*)?`): `function\s*\*?\s+` shared a run of spaces between two
 * quantifiers, 1.2 s of CPU on `function` and 16K spaces (session 69).
 */
const FUNCTION_HEADER = /\b(?:def|function(?:\s*\*)?|func(?:\s*\([^()\n]{0,80}\))?|fn|fun|sub)\s+(?:self\s*\.\s*)?([A-Za-z_$][\w$]*)|^[ \t]*(?:(?:async|static|public|private|protected|override|export|const|let|var)\s+)*(?!(?:if|for|while|switch|catch|return|function|with|elif|until|unless)\b)["']?([A-Za-z_$][\w$]*)["']?\s*(?:\([^()\n]{0,200}\)\s*(?::[^{;=\n]{1,80})?\{|[:=]\s*(?:async\s+)?(?:function\b|(?:\([^()\n]{0,200}\)|[\w$]+)\s*(?::[^=\n]{1,80})?=>))|=>\s*\{|\bfunction\s*(?:\*\s*)?\(|\blambda\s*(?:\{|do\b)/gm;
/**
 * What a function returns: a `return`'s statement, on the next lines too while a line ends in an opening bracket, a
 * backtick or a backslash (`return (` then `fetch(u)` on its own line, review 68); a named arrow function's expression
 * (`get: (u) => fetch(u)`, read from its `>` so the look back runs only there); in Ruby also its last line before an
 * `end`, returned without one (from its first non-blank: `^[^\n]*\S[^\n]*` backtracked over each long line, review
 * 68: a 16 KB Ruby line took 3.7 s), and an endless method's expression after its `=` (`def get(u) = URI.open(u).read`;
 * the `=` read first, so the look back runs only at an `=`).
 */
const RETURN = String.raw`\breturn\b(?:[^\n;]*[([{\x60\\][ \t]*\n)*[^\n;]*|>(?<=^[ \t]*(?:(?:async|static|export|const|let|var)\s+)*["']?[A-Za-z_$][\w$]*["']?\s*[:=]\s*(?:async\s*)?(?:\([^()\n]{0,200}\)|[\w$]+)\s*(?::[^=\n]{1,80})?=>)[ \t]*(?:\n[ \t]*)?(?![\s{])[^\n;]*`;
const RETURNED = [new RegExp(RETURN, 'gm'), new RegExp(String.raw`${RETURN}|^[ \t]*\S[^\n]*(?=\n[ \t]*end\b)|=(?<=^[ \t]*def[ \t]+(?:self\.)?[\w?!]+(?:\([^()\n]*\))?[ \t]*=)(?![=~])[^\n]*`, 'gm')] as const;
/** How many rounds of helpers are read (a helper of a helper of a fetch), and how many helpers in all. */
const HELPER_ROUNDS = 4;
const HELPERS_MAX = 64;
/**
 * A call of any function, or a method on `this`/`self`: what a fetch is read as when the helpers go past the bound
 * (review 68: a fifth helper of a helper, or a 65th helper, was accepted), so the reading fails closed there.
 */
const ANY_CALL = String.raw`(?:(?<![\w$.])|(?<=\b(?:this|self)\s*\.\s*))[A-Za-z_$][\w$]*\s*\(`;
/**
 * A line opening a class's or an object literal's body, its name in group 1 or 2: `class T {`, Python's `class C(B):`,
 * Ruby's `module M`, `const api = {`, `api: {`, `T = class {`, `const api = Object.freeze({`.
 */
const OWNER = /^[ \t]*(?:export\s+(?:default\s+)?)?(?:(?:abstract\s+)?(?:class|module|object)\s+([A-Za-z_$][\w$]*)|(?:(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=\n{]{1,80})?[:=]\s*(?:class\b|(?:[\w$.]+\s*\(\s*)?\{))/;

/**
 * The owner ({@link OWNER}) of each line's code by its start, for the lines inside a class or an object literal: the
 * nearest line above, less indented, when it opens one (Python's `class C:` over `@staticmethod` and `def get(u):`, a
 * `class T {` over `static get(u) {`). One pass with a stack of the enclosing lines.
 */
function lineOwners(text: string): Map<number, string> {
  const owners = new Map<number, string>();
  const enclosing: Array<{ indent: number; owner: string | undefined }> = [];
  for (const line of text.matchAll(/^([ \t]*)\S[^\n]*/gm)) {
    const indent = line[1]!.length;
    while (enclosing.length > 0 && enclosing[enclosing.length - 1]!.indent >= indent) enclosing.pop();
    const owner = enclosing[enclosing.length - 1]?.owner;
    if (owner) owners.set(line.index, owner);
    const opened = OWNER.exec(line[0]);
    enclosing.push({ indent, owner: (opened?.[1] ?? opened?.[2])?.replace(/\$/g, '\\$') });
  }
  return owners;
}

/**
 * A call of each helper (`found`'s names, and `owner.name` for a method): by its name or as a method of `this`/`self`/
 * `cls`; a method also through its owner (`api.get(u)`, `T.get(u)`, `C().get(u)`, `new T().get(u)`), a class that
 * extends it (`class B(A):`, `class B extends A`), or a name given an instance of either (`c = C()`, `const t = new
 * T()`), not through another receiver (`config.get(k)` is a dict's); the method itself given a name (`const g =
 * api.get.bind(api)`, `g = api.get`, `{ get } = api`) is the helper by that name, and Python's `getattr(C(), 'get')`,
 * `.call(…)` and `.apply(…)` call it (safety70).
 */
function helperCalls(text: string, helpers: ReadonlySet<string>): string {
  const names = new Set<string>();
  const methods = new Map<string, string[]>();
  for (const helper of helpers) {
    const [owner, name] = helper.includes('.') ? helper.split('.') : [undefined, helper];
    names.add(name!);
    if (owner) methods.set(owner, [...(methods.get(owner) ?? []), name!]);
  }
  const bareOf = (called: Iterable<string>) => String.raw`(?:(?<![\w$.])|(?<=\b(?:this|self|cls)\s*\.\s*))(?:${[...called].join('|')})(?:\s*\.\s*(?:call|apply))?\s*\(`;
  if (methods.size === 0) return bareOf(names);
  // Each class by its name (lowercased): the owner whose methods it has, itself or the one it extends, in rounds for
  // a class extending an heir.
  const classes = new Map([...methods.keys()].map((owner) => [owner.toLowerCase(), owner]));
  const receivers = new Map([...methods.keys()].map((owner) => [owner, [owner]]));
  for (let round = 0; round < INHERITANCE_ROUNDS; round++) {
    const known = classes.size;
    const inherits = new RegExp(String.raw`\bclass\s+([A-Za-z_$][\w$]*)(?:\s*\(\s*(?:[\w$.]+\s*,\s*){0,8}|\s+extends\s+)(${[...classes.keys()].join('|')})\b`, 'gi');
    for (const [, heir, parent] of text.matchAll(inherits)) {
      if (classes.has(heir!.toLowerCase())) continue;
      const owner = classes.get(parent!.toLowerCase())!;
      classes.set(heir!.toLowerCase(), owner);
      receivers.get(owner)!.push(heir!.replace(/\$/g, '\\$'));
    }
    if (classes.size === known) break;
  }
  // The owner itself given another name (`const a = api;`, attack 69 A69-3) is a receiver as an instance is.
  const instance = new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*(?:await\s+)?(?:new\s+)?(${[...classes.keys()].join('|')})\s*(?:\(|;|$)`, 'gim');
  for (const [, name, owner] of text.matchAll(instance)) receivers.get(classes.get(owner!.toLowerCase())!)!.push(name!.replace(/\$/g, '\\$'));
  // The method named after a `.`, an optional chain's `?.` or in brackets (`api?.get(u)`, `api['get'](u)`, attack 69
  // A69-3), or by Python's `getattr`.
  const references = [...methods].map(([owner, called]) => {
    const receiver = String.raw`(?:${receivers.get(owner)!.join('|')})(?:\s*\([^()\n]{0,80}\))?`;
    const method = called.join('|');
    return String.raw`${receiver}\s*\)?\s*(?:\??\.\s*(?:${method})|\?\.\s*\[\s*['"\x60](?:${method})['"\x60]\s*\]|\[\s*['"\x60](?:${method})['"\x60]\s*\])|\bgetattr\s*\(\s*${receiver}\s*,\s*['"](?:${method})['"]\s*\)`;
  });
  const reference = references.join('|');
  const aliases = new Set(names);
  const aliased = new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*(?:${reference})(?:\s*\.\s*bind\s*\([^()\n]{0,80}\))?\s*(?=[;,)\n]|$)`, 'gim');
  for (const [, name] of text.matchAll(aliased)) aliases.add(name!.replace(/\$/g, '\\$'));
  // An alias given another name (`const g = api.get; const h = g;`, attack 70 A70-6), in rounds as the classes are.
  const methodAliases = new Set([...aliases].filter((alias) => !names.has(alias)));
  for (let round = 0; round < INHERITANCE_ROUNDS && methodAliases.size > 0; round++) {
    const known = aliases.size;
    const copied = new RegExp(String.raw`(?<![\w$.])([A-Za-z_$][\w$]*)\s*(?::[^=\n]{1,80})?=\s*(?:${[...methodAliases].join('|')})(?:\s*\.\s*bind\s*\([^()\n]{0,80}\))?\s*(?=[;,)\n]|$)`, 'gm');
    for (const [, name] of text.matchAll(copied)) {
      const escaped = name!.replace(/\$/g, '\\$');
      aliases.add(escaped);
      methodAliases.add(escaped);
    }
    if (aliases.size === known) break;
  }
  // A destructuring of the owner or an instance (`const { get } = api`, `const { get: g } = new T()`).
  const destructured = new RegExp(String.raw`\{([^{}=\n]{1,200})\}\s*=\s*(?:await\s+)?(?:new\s+)?(?:${[...receivers.values()].flat().join('|')})\b`, 'gi');
  const called = new Set([...methods.values()].flat());
  for (const [, entries] of text.matchAll(destructured)) {
    for (const entry of entries!.split(',')) {
      const [, key, alias] = /^\s*([\w$]+)\s*(?::\s*([\w$]+))?\s*$/.exec(entry) ?? [];
      if (key && called.has(key)) aliases.add((alias ?? key).replace(/\$/g, '\\$'));
    }
  }
  return String.raw`${bareOf(aliases)}|(?<![\w$])(?:new\s+)?(?:${reference})(?:\s*\.\s*(?:call|apply)|\s*\.\s*bind\s*\([^()\n]{0,80}\))?\s*(?:\?\.\s*)?\(`;
}

/** How many rounds of classes extending a helper's owner are read (a class extending one that extends it). */
const INHERITANCE_ROUNDS = 4;

/**
 * `sources` and a call of each function in `text` whose return value is what a source gave (`def get(u): return
 * requests.get(u).text`, `function code(u) { const r = await fetch(u); return r.text() }`, Ruby's last line): a fetch
 * for the rest of the file, as a decoder's helper is a decoder ({@link DECODER_ALIAS}), by its name or as a method
 * ({@link helperCalls}: `this.src()`, `self.src()`, `api.get(u)` of an object's or a class's). A return belongs to the
 * header before it; read in rounds, bounded, so a helper of a helper is one too (each round costs a pass over the
 * text). Past {@link HELPER_ROUNDS} rounds or {@link HELPERS_MAX} helpers, when there are more to read, every call is
 * a fetch ({@link ANY_CALL}): a sink that runs what any call gave is refused rather than a helper left unread accepted.
 */
function withFetchHelpers(path: string, text: string, sources: RegExp): RegExp {
  const headers = [...text.matchAll(FUNCTION_HEADER)];
  if (!headers.some((header) => header[1] ?? header[2])) return sources;
  const returns = [...text.matchAll(RETURNED[/\.rb$/i.test(path) ? 1 : 0])];
  const helpers = new Set<string>();
  let owners: Map<number, string> | undefined;
  let current = sources;
  for (let round = 0; ; round++) {
    const fetchedAt = [...text.matchAll(current)].map((match) => match.index);
    if (fetchedAt.length === 0) return current;
    const fetchedOrRead = fetchedOrReadAt(text, fetchedAt);
    const found = new Set<string>();
    let header = -1;
    for (const returned of returns) {
      while (header + 1 < headers.length && headers[header + 1]!.index < returned.index) header++;
      const name = header < 0 ? undefined : (headers[header]![1] ?? headers[header]![2])?.replace(/\$/g, '\\$');
      if (!name || !within(fetchedOrRead, returned.index, returned.index + returned[0].length)) continue;
      const owner = (owners ??= lineOwners(text)).get(text.lastIndexOf('\n', headers[header]!.index) + 1);
      const helper = owner ? `${owner}.${name}` : name;
      if (!helpers.has(helper)) found.add(helper);
    }
    if (found.size === 0) return current;
    if (round === HELPER_ROUNDS || helpers.size + found.size > HELPERS_MAX) return new RegExp(`${sources.source}|${ANY_CALL}`, sources.flags);
    for (const helper of found) helpers.add(helper);
    current = new RegExp(`${sources.source}|${helperCalls(text, helpers)}`, sources.flags);
  }
}

/**
 * A decoder's name as a function: base64, base32, hex, rot13, `pack`, a blob decompressed (zlib's `inflate`/`gunzip`,
 * `decompress`), URL escapes undone (`unescape`, `decodeURIComponent`, `unquote`: attack-51), char codes; Python's
 * `a85decode` and `decodebytes`; the other languages' URL and entity unescaping, ES2025's `fromBase64` (attack-52).
 */
const DECODER_NAME = String.raw`(?:[a-z]+_)?b(?:64|32|16|85)decode|base(?:64|32)_decode|atob|a2b_\w+|a85decode|decodebytes|unhexlify|fromhex|decompress\w*|(?:base64_)?decode(?:_base)?64|decodestring|hex2bin|str_rot13|strrev|gz(?:inflate|uncompress|decode)|convert_uudecode|unpack1?|pack|chr|frombase64(?:string)?|from(?:charcode|codepoint)|unescape|(?:raw)?urldecode|html_entity_decode|quoted_printable_decode|uri_unescape|decode_www_form(?:_component)?|unescapedatastring|decodeuri(?:component)?|unquote(?:_plus|_to_bytes)?|inflate(?:raw)?(?:sync)?|gunzip(?:sync)?|unzipsync|brotlidecompress(?:sync)?`;

/**
 * A decoder's output, code nobody reads in the diff (attack-48 T): {@link DECODER_NAME} called (prefixed too,
 * `standard_b64decode`, `urlsafe_decode64`), char codes (`bytes([…])`, `map(chr, …)`), a string reversed, Python's
 * `marshal.loads` (a code object, attack-51), Java's MIME and URL base64 decoders and URLDecoder, Python's
 * `unicode_escape` codec (attack-52); `Buffer.from` only given codes or an encoding (a spawn's
 * `input: Buffer.from(patch)` is data). Also (attack-52) a string's characters spread or listed, reversed and joined
 * (`[...s].reverse().join('')`, `Array.from(s)`; an array's rows reversed are data), a decoder called by subscript (`String['fromCharCode'](c)`), `JSON.parse` of a JSON
 * string literal (its escapes undone).
 */
const DECODED_SOURCE = String.raw`\b(?:[a-z]+_)?(?:b(?:64|32|16|85)decode|decode(?:_base)?64)\s*\(|\b(?:${DECODER_NAME})\s*\(|\bget(?:mime|url)?decoder\s*\(\s*\)\s*\.\s*decode\s*\(|\burldecoder\s*\.\s*decode\s*\(|\.\s*decode\s*\(\s*["'](?:raw_)?unicode_escape["']|\bcodecs\s*\.\s*decode\s*\(|\bmarshal\s*\.\s*loads\s*\(|\bbuffer\s*\.\s*from\s*\((?:\s*\[|[^;\n]{0,200}?,\s*["'\x60](?:base64|hex))|\bmap\s*\(\s*chr\b|\bbytes\s*\(\s*\[|\[\s*::\s*-1\s*\]|\.\s*split\s*\(\s*(?:''|""|\x60\x60)\s*\)\s*\.\s*reverse\s*\(|(?:\[\s*\.\.\.[^\]\n]{1,80}\]|\barray\s*\.\s*from\s*\([^()\n]{1,80}\))\s*\.\s*reverse\s*\(\s*\)\s*\.\s*join\s*\(\s*(?:''|""|\x60\x60)\s*\)|\[\s*["'\x60](?:${DECODER_NAME})["'\x60]\s*\]\s*\(|\bjson\s*\.\s*parse\s*\(\s*(?:['\x60]\s*"|"\\")`;

/**
 * A decoder bound to another name (attack-51): Python's `from base64 import b64decode as d`, an ES module's
 * `import { inflateSync as inf }`, a destructured `{ inflateSync: inf } = require('zlib')`, or `d = base64.b64decode`,
 * `const dec = atob` (the function, not its result); the name in group 1, 2 or 3. Group 3 also (attack-52) through
 * `getattr(base64, 'b64decode')`, a subscript (`globalThis['atob']`), a name (PHP's `$f = 'base64_decode'`), `.bind(…)`,
 * parentheses over lines, each name of a tuple given one (`d, e = base64.b64decode, 1`); group 4 a function that
 * returns a decoder's call (`def d(x): return b64decode(x)`, `const d = (x) => atob(x)`, `lambda x: …`).
 */
const DECODER_ALIAS = /* @__PURE__ */ (() =>
  new RegExp(
    String.raw`\b(?:${DECODER_NAME})\s+as\s+([A-Za-z_$][\w$]*)|\b(?:${DECODER_NAME})\s*:\s*([A-Za-z_$][\w$]*)\s*[,}]|(?<![\w$.])([A-Za-z_$][\w$]*(?:[ \t]*,[ \t]*[A-Za-z_$][\w$]*){0,8})[ \t]*=[ \t]*\(?\s*(?:getattr\s*\(\s*[\w$.]+\s*,\s*|(?:[\w$]+\s*(?:\.|\[)\s*){0,3})["'\x60]?(?:${DECODER_NAME})(?:["'\x60]\s*[\])]?)?(?:\s*\.\s*bind\s*\([^()\n]{0,80}\))?\s*(?=[;,)\n]|$)|(?:\b(?:def|function)\s+([A-Za-z_$][\w$]*)\s*\([^()\n]{0,80}\)[^\n:{]{0,40}[:{]|(?<![\w$.])([A-Za-z_$][\w$]*)[ \t]*=[ \t]*(?:lambda\b[^:\n]{0,80}:|(?:async\s*)?(?:\([^()\n]{0,80}\)|[\w$]+)\s*=>\s*\{?))\s*(?:return\s+)?(?:[\w$]+\s*\.\s*){0,3}(?:${DECODER_NAME})\s*\(`,
    'gi',
  ))();

/**
 * Python's marshal under another name (attack-52): `import marshal as m` (the module's name in group 1, its `loads`
 * then read as marshal's) and `from marshal import loads [as l]` (the names imported in group 2).
 */
const MARSHAL_IMPORT = /\bimport\s+marshal\s+as\s+(\w+)|\bfrom\s+marshal\s+import\s+\(?([^\n()]{1,200})/g;

/** {@link DECODED_SOURCE}, and a call of each name `text` binds a decoder to ({@link DECODER_ALIAS}, {@link MARSHAL_IMPORT}). */
function decodedIn(text: string): RegExp {
  const aliases = new Set<string>();
  for (const alias of text.matchAll(DECODER_ALIAS)) for (const name of (alias[1] ?? alias[2] ?? alias[3] ?? alias[4] ?? alias[5])!.split(/\s*,\s*/)) aliases.add(name.replace(/\$/g, '\\$'));
  for (const [, module, names] of text.matchAll(MARSHAL_IMPORT)) {
    if (module !== undefined) aliases.add(String.raw`${module}\s*\.\s*loads`);
    for (const name of names?.split(',') ?? []) {
      const [imported, as, alias] = name.trim().split(/\s+/);
      if (imported === 'loads') aliases.add(as === 'as' && alias !== undefined && /^\w+$/.test(alias) ? alias : 'loads');
    }
  }
  const called = aliases.size === 0 ? '' : String.raw`|(?<![\w$.])(?:${[...aliases].join('|')})\s*\(`;
  return new RegExp(DECODED_SOURCE + called, 'gi');
}

/**
 * Whether `text` (added to `path`) runs what a decoder gives ({@link DECODED_SOURCE}) as {@link fetchedCodeRuns} reads a fetch:
 * in a sink's brackets, through a name given it (on any later line of the file: attack-51, `s = b64decode(…)` then
 * `exec(s)`), a sink's alias or a script element. Not a sink inside the decoder's own argument
 * (`Buffer.from(execSync(…))` decodes a command's output, it runs nothing decoded).
 */
export function decodedCodeRuns(path: string, text: string): boolean {
  const plain = unhidden(text);
  return fetchedRuns(path, text, decodedIn(text), false) || fetchedRuns(path, plain, decodedIn(plain), false);
}

/**
 * `text` with what may stand between a sink's letters or before its parenthesis taken out: `\`-newlines joined (Python,
 * C, a shell), `\u0065` in names decoded (JavaScript, Java, C#), block and line comments left out (one between `eval`
 * and its parenthesis).
 * Read besides `text`, never instead: a comment's opener in a string (`'src/*'`) would hide what follows it.
 */
function unhidden(text: string): string {
  const joined = text.replace(/\\\r?\n/g, '').replace(/\\u+(?:\{([\da-f]{1,6})\}|([\da-f]{4}))/gi, (all, braced?: string, four?: string) => {
    const code = parseInt(braced ?? four!, 16);
    const char = code <= 0x10ffff ? String.fromCodePoint(code) : '';
    return /^[\w$]$/.test(char) ? char : all;
  });
  let plain = '';
  let from = 0;
  for (let open = joined.indexOf('/*'); open >= 0; open = joined.indexOf('/*', from)) {
    const close = joined.indexOf('*/', open + 2);
    if (close < 0) break;
    plain += `${joined.slice(from, open)} `;
    from = close + 2;
  }
  return (plain + joined.slice(from)).replace(/(?<![:\\])\/\/[^\n]*/g, '');
}

/**
 * Where a name given a source's value (groups 1 and 2 of {@link ASSIGNED}: `s = b64decode(…)`, or a name given one:
 * `c = s.decode()`) is read on any later line of `text`: a decoder's output has no use a sink's is not (attack-51, `s =
 * atob(…)` then `execSync(s)`). One pass over the assignments, each value read to {@link ASSIGNED_REACH}, and one over
 * the words.
 */
function namesReadOnLaterLines(text: string, assignments: readonly RegExpExecArray[], sourcesAt: readonly number[]): number[] {
  const lineEnd = lineEnds(text);
  const given = new Map<string, number>();
  const environment = environmentValues(text);
  for (const match of assignments) {
    // Python's `with urlopen(u) as r:` names what was fetched before the name, on its line (review 67).
    if (match[3]) {
      if (within(sourcesAt, Math.max(match.index - ASSIGNED_REACH, text.lastIndexOf('\n', match.index)), match.index)) given.set(match[3], match.index);
      continue;
    }
    const after = match[1] ?? match[2];
    if (after === undefined) continue;
    const from = match.index + match[0].length;
    // A value opened on the next line (`s =⏎  atob(x)`, `s = (⏎  b64decode(b))`: attack-52) is read there.
    const end = lineEnd(from);
    const to = Math.min(VALUE_ON_NEXT_LINE.test(text.slice(from, end)) && end < text.length ? lineEnd(end + 1) : end, from + ASSIGNED_REACH);
    const fromName = given.size > 0 && [...text.slice(from, to).matchAll(WORD)].some((word) => given.has(word[0]) && !environment.has(from + word.index));
    if (!fromName && !within(sourcesAt, from, to)) continue;
    for (const name of after.match(WORD) ?? []) if (!given.has(name)) given.set(name, from);
  }
  if (given.size === 0) return [];
  return [...text.matchAll(WORD)].filter((word) => word.index > (given.get(word[0]) ?? Infinity) && !environment.has(word.index)).map((word) => word.index);
}

/**
 * A child process's environment given as an object (`env: { ...process.env, CFG: cfg }`, `env={**os.environ, 'TOKEN':
 * token}`), its entries in group 1, read to {@link ENVIRONMENT_REACH} characters.
 */
const ENVIRONMENT_OPTION = /\benv\s*[=:]\s*\{([^{}]{0,400})\}/g;
/** One entry of {@link ENVIRONMENT_OPTION}: its key (quoted, group 2, or bare, group 3), a name as its value (group 4). */
const ENVIRONMENT_ENTRY = /(?:^|,)\s*(?:(["'])(\w+)\1|(\w+))\s*:\s*([A-Za-z_$][\w$]*)\s*(?=,|\s*$)/g;
/**
 * Environment variables whose value a program runs or reads as its options or where to load code from (`NODE_OPTIONS`,
 * `LD_PRELOAD`, `BASH_ENV`, `PYTHONSTARTUP`, a manager's `npm_config_*`, a path, a proxy), read broadly: any other
 * holds data (a token, a setting) for the child to read.
 */
const CODE_ENVIRONMENT = /^(?:ld_\w*|dyld_\w*|bash_env|env|path|shellopts|bashopts|ps\d|prompt_command|editor|visual|pager|shell|(?:python|perl|ruby|node|java|git|npm|yarn|pip|cargo|rust|go|jdk|maven|gradle|dotnet|composer|bundle|gem)\w*|\w*(?:options|opts?|config\w*|rc|path|home|proxy|lib|preload|hook\w*|command|cmd|exec\w*|script\w*))$/i;

/**
 * Where, in `text`, a name stands only as a child process's environment variable's value (under a key not
 * {@link CODE_ENVIRONMENT}), and the `env` option's own name: what a decoder gave handed on as data, not run (attack-52
 * false refusals: a decoded secret passed to `execSync('npm test', { env })` was read as run).
 */
function environmentValues(text: string): Set<number> {
  const at = new Set<number>();
  for (const option of text.matchAll(ENVIRONMENT_OPTION)) {
    at.add(option.index);
    const entriesFrom = option.index + option[0].length - 1 - option[1]!.length;
    for (const entry of option[1]!.matchAll(ENVIRONMENT_ENTRY)) {
      if (CODE_ENVIRONMENT.test(entry[2] ?? entry[3]!)) continue;
      at.add(entriesFrom + entry.index + entry[0].length - entry[4]!.length - (entry[0].length - entry[0].trimEnd().length));
    }
  }
  return at;
}

/**
 * Where `text` holds what a source gave: each of `fetchedAt` (increasing), and each word read after a name given one,
 * on its line or any later line.
 */
function fetchedOrReadAt(text: string, fetchedAt: readonly number[]): number[] {
  // Where a name given a fetch's result is read after it on its line (on later lines: namesReadOnLaterLines); a download
  // and a run no name links stay the approval's warning (`downloadsAndRuns`). Each line's names are looked for once, from the first of them.
  const assignedLineEnd = lineEnds(text);
  const read: number[] = [];
  const given = new Map<string, number>();
  let line = { from: 0, end: -1 };
  const readOnLine = () => {
    if (given.size === 0) return;
    for (const word of text.slice(line.from, line.end).matchAll(WORD)) {
      const at = line.from + word.index!;
      if (at > (given.get(word[0]) ?? Infinity)) read.push(at);
    }
    given.clear();
  };
  const assignments = [...text.matchAll(ASSIGNED)];
  for (const match of assignments) {
    const from = match.index! + match[0].length;
    if (from >= line.end) readOnLine();
    const after = match[1] ?? match[2];
    const bound = after ?? match[3] ?? match[4] ?? match[5] ?? match[6] ?? match[7];
    if (!bound) continue;
    const lineEnd = Math.min(assignedLineEnd(from), from + LINE_MAX);
    // A second step on the line: a name given what a name given a fetch holds (`c = await f.text()` after `f = await fetch(u)`).
    const stepped = after !== undefined && given.size > 0 && [...text.slice(from, Math.min(from + ASSIGNED_REACH, lineEnd)).matchAll(WORD)].some((word) => given.has(word[0]));
    if (!stepped && !within(fetchedAt, after ? from : match.index! - ASSIGNED_REACH, after ? from + ASSIGNED_REACH : match.index!)) continue;
    if (!stepped && after && !within(fetchedAt, from, Math.min(from + ASSIGNED_REACH, lineEnd))) continue;
    if (given.size === 0) line = { from, end: lineEnd };
    for (const name of bound.match(WORD) ?? []) if (!given.has(name)) given.set(name, from);
  }
  readOnLine();
  // On any later line too (review 67): a fetch's text held in a name and run later (`s = requests.get(u).text`, then
  // `exec(s)`) is a download run, as a decoder's output is; a name read only as data (`assert r.ok`) runs nothing.
  read.push(...namesReadOnLaterLines(text, assignments, fetchedAt));
  return [...fetchedAt, ...read].sort((a, b) => a - b);
}

function fetchedRuns(path: string, text: string, sources: RegExp, chained = true): boolean {
  const fetches = [...text.matchAll(sources)];
  if (fetches.length === 0) return false;
  const fetchedAt = fetches.map((match) => match.index!);
  const { close, seen } = closers(path, text);
  const openerLineEnd = lineEnds(text);
  // An opener in a string or a comment that no bracket closes is prose (`system (e.g. …`), read to its line's end.
  const spanEnd = (opener: number) => (close[opener]! < text.length || seen[opener] ? Math.min(close[opener]!, opener + SPAN_MAX) : openerLineEnd(opener));
  const fetchedOrRead = fetchedOrReadAt(text, fetchedAt);
  const callbackSinks: number[] = [];
  const sinkLineEnd = lineEnds(text);
  const javascript = JAVASCRIPT.test(path);
  let dataNames: Set<string> | undefined;
  for (const sink of text.matchAll(SINK)) {
    const found = sink[0];
    if (/^function\b/.test(found)) continue; // JavaScript's declaration, not the `Function` constructor
    const start = sink.index!;
    // In JavaScript, `.exec(` is a regular expression's or a query's (`/x/.exec(s)`, `Model.find().exec()`) unless child_process's.
    if (javascript && /^exec\b/i.test(found) && /\.\s*$/.test(text.slice(Math.max(0, start - 40), start)) && !/(?:child_?process\W{0,3}|\bcp\s*)\.\s*$/i.test(text.slice(Math.max(0, start - 40), start))) continue;
    // In JavaScript, a sink after a line's `//` with no quote, `$` or `*` between them is a comment's word (`// eval(t)
    // would run it`): no string or template that could run it, nor a block comment, closes before it.
    if (javascript && LINE_COMMENT_BEFORE.test(text.slice(Math.max(0, start - LINE_MAX, text.lastIndexOf('\n', start - 1) + 1), start))) continue;
    const bare = /^(?:load|evaluate)\b/i.exec(found)?.[0];
    if (bare && (dataNames ??= dataLibraryNames(text)).has(bare)) continue;
    const end = start + found.length;
    const opener = /[([{]$/.test(found) ? end - 1 : found[0] === '(' ? start : -1;
    let to = opener < 0 ? Math.min(sinkLineEnd(end), end + LINE_MAX) : spanEnd(opener);
    // A shell's pipe given a `do` block: its `end` is not counted (a word in a string or an inner block's would do), so read on.
    if (/\bdo$/i.test(found)) to = Math.min(text.length, end + SPAN_MAX);
    // A bare `evaluate(model, …)` given a name first is a function of the program's: Groovy's takes the code first.
    if (bare === 'evaluate' && opener >= 0) {
      const first = /\s*[A-Za-z_][\w$.]*\s*,/y;
      first.lastIndex = opener + 1;
      if (first.test(text)) to = Math.min(to, first.lastIndex);
    }
    // An unpickler (pickle, dill, joblib, torch, PyYAML's full loader) given decoded data runs what the data says
    // (`__reduce__`), wherever the data came from (session 50, after attack 52: `pickle.loads(b64decode(s))`), as a code
    // sink does: it is one. Only called safely (`weights_only=True`, numpy's default) is it data.
    if (within(fetchedOrRead, opener < 0 ? end : opener + 1, to) && !calledSafely(found, text.slice(opener + 1, to))) return true;
    if (CALLBACK_SINK.test(found) || /Function/.test(found)) callbackSinks.push(start);
  }
  for (const value of text.matchAll(SINK_VALUE)) callbackSinks.push(value.index!);
  // A script element made here is run with the text it is given (`s.textContent = await (await fetch(u)).text()`, `{ textContent: c }`).
  if (/createelement\s*\(\s*["'\x60]script/i.test(text)) {
    for (const given of text.matchAll(/\.\s*(?:text|textcontent|innertext|innerhtml)\s*=(?![=>])|\b(?:text|textcontent|innertext|innerhtml)\s*:/gi)) {
      const from = given.index! + given[0].length;
      if (within(fetchedOrRead, from, Math.min(sinkLineEnd(from), from + LINE_MAX))) return true;
    }
  }
  // A sink given another name (`const run = eval`, `run = exec`), then called by it.
  const aliases = new Set([...text.matchAll(ALIAS)].map((alias) => alias[1]!));
  if (aliases.size > 0) {
    for (const call of text.matchAll(CALL)) {
      const opener = call.index! + call[0].length - 1;
      if (aliases.has(call[1]!) && within(fetchedOrRead, opener + 1, spanEnd(opener))) return true;
    }
  }
  // Scala's process pipes: a fetch's content fed to a shell (`new URL(u) #> "sh"`, `"sh" #< new URL(u)`), on its statement.
  for (const fed of text.matchAll(FED_TO_SHELL)) {
    const at = fed.index!;
    const before = text.slice(Math.max(0, at - LINE_MAX), at);
    const [from, to] = fed[0][0] === '#' ? [at - before.length + Math.max(before.lastIndexOf('\n'), before.lastIndexOf(';')) + 1, at] : [at + fed[0].length, Math.min(sinkLineEnd(at), at + LINE_MAX)];
    if (within(fetchedOrRead, from, to)) return true;
  }
  if (!chained) return false;
  callbackSinks.sort((a, b) => a - b);
  for (const fetch of fetches) {
    let at = fetch.index! + fetch[0].length;
    if (text[at - 1] === '(') at = spanEnd(at - 1) + 1;
    for (let links = 0; links < 32; links++) {
      LINK.lastIndex = at;
      if (!LINK.test(text)) break;
      at = spanEnd(LINK.lastIndex - 1) + 1;
    }
    if (within(callbackSinks, fetch.index! + 1, at)) return true;
  }
  return false;
}
