import { describe, expect, it } from 'vitest';
import { dangerousCodeSignals, languageSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, expectRefused } from '../support/patches.js';

type Row = [path: string, text: string];

/**
 * Attack pass 16 (code side): variants of the forms the session's helpers closed (pass 14's helpers' reports: the quote-aware split,
 * git aliases, exported BASH_ENV, PATH=$PWD/, cd then a relative path, two-step names, AsyncFunction by prototype). Each
 * refused row is accepted today; each accepted row is refused today.
 */
const BYPASSES: ReadonlyArray<{ form: string; rows: Row[] }> = [
  {
    form: 'two steps from a fetch to a sink on one line, with annotations or tuples',
    rows: [
      ['src/a.ts', 'const f = await fetch(u); const c: string = await f.text(); eval(c)'],
      ['src/a.ts', 'const f: Response = await fetch(u); const c = await f.text(); eval(c)'],
      ['src/a.py', 'r = requests.get(u); code: str = r.text; exec(code)'],
      ['src/a.py', 'r = requests.get(u); code, _ = r.text, 1; exec(code)'],
    ],
  },
  {
    form: "a Function constructor reached by a function's prototype, written otherwise",
    rows: [
      ['src/a.js', "const AF = Object.getPrototypeOf(async function(){})['constructor']; new AF(src)()"],
      ['src/a.js', 'const { constructor: AF } = Object.getPrototypeOf(async function(){}); new AF(src)()'],
      ['src/a.js', 'async function g() {}\nconst AF = Object.getPrototypeOf(g).constructor; new AF(src)()'],
      ['src/a.js', 'const g = async () => {};\nconst AF = g.constructor; new AF(src)()'],
      ['src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nAF.call(null, src)()'],
      ['src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nAF.apply(null, [src])()'],
      ['src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nconst AF2 = AF;\nnew AF2(src)()'],
      ['src/a.ts', 'const AF: any = Object.getPrototypeOf(async function(){}).constructor; new AF(src)()'],
      ['src/a.js', 'const F = [].filter.constructor; F(src)()'],
    ],
  },
  {
    form: 'a named constructor called as the code-only reading must still see it (added with the fix)',
    rows: [
      ['src/a.js', 'const AF = (async () => {}).constructor;\nconst s = `${new AF(src)()}`'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nAF`${src}`'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\n/* a note */ AF(src)()'],
      ['src/a.js', "const AF = (async () => {}).constructor;\n/'/.test(x); AF(src)()"],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nnew AF\n(src)'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\n(0, AF)(src)()'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nAF?.(src)()'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nAF.bind(null, src)()()'],
      ['src/a.js', 'const AF = (async () => {}).constructor;\nlet s = `never closed\nAF(src)()'],
      ['src/a.js', 'const { constructor } = Object.getPrototypeOf(async function(){});\nconstructor(src)()'],
    ],
  },
];

for (const { form, rows } of BYPASSES) {
  describe(`pass 16 bypasses: ${form}`, () => {
    it.each(rows)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
  });
}

/**
 * Forms pass 16 left open (session 38's `it.fails`), closed by one reading: any Function constructor, `Function` itself
 * too, called by a name that does not say so, followed through names, array and object literals read back or given a
 * name, patterns that take them apart, and properties assigned one; and a plain function's name read by scope (the
 * bundles' letter reused by another function's parameter is that function's, not the first one's).
 */
const CLOSED: ReadonlyArray<[reason: string, ...Row]> = [
  ['a constructor put in an array and read back', 'src/a.js', 'const AF = (async () => {}).constructor;\nconst x = [AF][0]; x(src)()'],
  ['a constructor bound to a property (this.AF =)', 'src/a.js', 'this.AF = (async () => {}).constructor;\nthis.AF(src)()'],
  ["a plain function's name", 'src/a.js', 'function g() {}\nconst F = g.constructor; F(src)()'],
];

describe('pass 16 bypasses closed by session 39', () => {
  it.each(CLOSED)('refuses (%s), in %s: %s', (_, path, text) => expectRefused(path, text));
});

/** Variants of the closed rows: `Function` itself through a container, other containers, patterns and properties. */
const CONTAINER_VARIANTS: Row[] = [
  ['src/a.js', 'const F = [Function][0]; F(code)()'],
  ['src/a.js', '({ f: Function }).f(code)()'],
  ['src/a.js', '({ f: Function })["f"](code)()'],
  ['src/a.js', '[Function].at(0)(code)()'],
  ['src/a.js', 'const x = [Function]; x[0](code)()'],
  ['src/a.js', 'const x = [1, Function];\nconst [, G] = x; G(code)()'],
  ['src/a.js', 'const o = { f: Function }; o.f(code)()'],
  ['src/a.js', 'const o = { Function };\no.Function(code)()'],
  ['src/a.js', 'const { f } = { f: Function }; f(code)()'],
  ['src/a.js', 'const [F] = [Function]; F(code)()'],
  ['src/a.js', 'const o = { f: Function };\nconst { f: g } = o; g(code)()'],
  ['src/a.js', 'window.F = Function; window.F(code)()'],
  ['src/a.js', "globalThis['run'] = Function;\nconst r = globalThis.run; r(code)()"],
  ['src/a.js', 'const AF = (async () => {}).constructor;\nconst h = { AF };\nnew h.AF(src)()'],
  ['src/a.js', 'const AF = (async () => {}).constructor;\nconst xs = [AF];\nconst y = xs; y[0](src)()'],
  ['src/a.js', 'this.AF = (async () => {}).constructor;\nconst F = this.AF;\nF(src)()'],
  ['src/a.js', 'function g() {}\nfunction h(g) { return g; }\nconst F = g.constructor; F(src)()'],
  ['src/a.js', 'function g() {}\nnew (g.constructor)(src)()'],
  ['src/a.js', 'function g() {}\ng.constructor(src)()'],
  ['src/a.ts', 'const x: Array<unknown> = [Function];\nconst F: any = x[0]; F(code)()'],
];

describe('pass 16 variants: constructors through containers and properties', () => {
  it.each(CONTAINER_VARIANTS)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
});

/**
 * Attack pass 14's last open rows (session 40): a constructor handed to a call that calls what it is given or stores it
 * where it is read back, read through a TypeScript cast or a non-null `!`, or `Function` put in a container by an alias.
 */
const HANDED_CAST_ALIASED: ReadonlyArray<[form: string, ...Row]> = [
  ['handed to a call that calls it', 'src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\n[src].map(AF)'],
  ['handed to a call that calls it', 'src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nPromise.resolve(src).then(AF).then((run) => run())'],
  ['stored by a call and read back', 'src/a.js', "const m = new Map([['f', Function]]);\nm.get('f')(code)()"],
  ['stored by a call and read back', 'src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nconst o = {};\nObject.assign(o, { f: AF });\no.f(src)()'],
  ['stored by a call and read back', 'src/a.js', "const m = new Map();\nm.set('f', Function);\nm.get('f')(code)()"],
  ['stored by a call and read back', 'src/a.js', 'const AF = (async () => {}).constructor;\nconst xs = [];\nxs.push(AF);\nxs[0](src)()'],
  ['stored by a call and read back', 'src/a.js', "Reflect.set(o, 'f', Function);\no.f(code)()"],
  ['stored by a call and read back', 'src/a.js', "Object.defineProperty(o, 'f', { value: Function });\no.f(code)()"],
  ['stored by a call and read back', 'src/a.js', 'const o = Object.assign({}, { f: Function });\no.f(code)()'],
  ['stored by a call and read back', 'src/a.js', 'const x = [[Function]];\nx[0][0](code)()'],
  ['stored by a call and read back', 'src/a.js', "const m = new Map([['f', [Function]]]);\nm.get('f')[0](code)()"],
  ['read through a cast', 'src/a.ts', 'const F = x.constructor as unknown as FunctionConstructor;\nnew F(code)()'],
  ['read through a cast', 'src/a.ts', '(Function as any)(code)()'],
  ['read through a cast', 'src/a.ts', '(<any>Function)(code)()'],
  ['read through a cast', 'src/a.ts', '(x.constructor as FunctionConstructor)(code)()'],
  ['read through a cast', 'src/a.ts', 'const F = x.constructor as typeof Function;\nF(code)()'],
  ['read through a cast', 'src/a.ts', '(Function satisfies FunctionConstructor)(code)()'],
  ['read through a cast', 'src/a.ts', 'Function!(code)()'],
  ['read through a cast', 'src/a.ts', 'const AF = (async () => {}).constructor;\n(AF as any)(src)()'],
  ['read through a cast', 'src/a.ts', 'const x = [Function];\n(x[0] as any)(code)()'],
  ['read through a cast', 'src/a.ts', 'const AF = (async () => {}).constructor;\n(AF as unknown as (s: string) => () => void)(src)()'],
  ['read through a cast', 'src/a.ts', 'fetch(u).then((r) => r.text()).then((t) => (Function as unknown as (s: string) => () => void)(t)())'],
  ['read through a cast', 'src/a.ts', 'const AF = (async () => {}).constructor;\n(AF as (any))(src)()'],
  ['read through a cast', 'src/a.ts', 'const AF = (async () => {}).constructor;\n(<(s: string) => () => void>AF)(src)()'],
  ['a key or a property named with a $', 'src/a.js', 'const o = { $f: Function };\no.$f(code)()'],
  ['a key or a property named with a $', 'src/a.js', 'this.$F = Function;\nthis.$F(code)()'],
  ['put in a container by an alias', 'src/a.js', 'const F = Function; const o = { F }; o.F(code)()'],
  ['put in a container by an alias', 'src/a.js', 'const F = Function; [F][0](code)()'],
];

describe('pass 14 rows closed by session 40: constructors handed to calls, cast, or aliased into containers', () => {
  it.each(HANDED_CAST_ALIASED)('refuses (%s), in %s: %s', (_, path, text) => expectRefused(path, text));
});

/** Ordinary code that hands `Function` to a call, casts it, or aliases it, and calls no constructor: accepted. */
const HANDED_CAST_ALIASED_LOOK_ALIKES: Row[] = [
  ['src/a.test.ts', 'expect(handler).toEqual(expect.any(Function));\nexpect(x).toBeInstanceOf(Function)'],
  ['src/a.js', 'PropTypes.oneOfType([PropTypes.instanceOf(Function), PropTypes.string])'],
  ['src/a.js', "const types = new Map([['f', Function]]);\nif (types.get('f') === x.constructor) ok(x)"],
  ['src/a.js', '[String, Number, Function].forEach((type) => register(type.name))'],
  ['src/a.ts', '(Function as any).prototype.describe = describe;\nconst F = Function as unknown as { name: string };\nlog(F.name)'],
  ['src/a.ts', 'const isFn = (x: unknown): x is Function => x instanceof (Function as any);\nisFn!(y)'],
  ['src/a.ts', 'const handler = options.handler as Function;\nhandler(event)'],
  ['src/a.js', 'const F = Function;\nconst o = { F };\nlog(o.F.name)'],
  ['src/a.js', 'var f = Function;\nfunction pick(f) { return [f][0](x); }'],
  ['src/a.js', 'function a() { var f = Function; return f.bind; }\nfunction b() { var o = 1, f = g; return [f][0](x); }'],
  ['src/a.js', 'const handlers = [];\nhandlers.push(Function);\nhandlers.forEach((h) => log(h.name))'],
  ['src/a.ts', 'const fn = (handler as Function)(event);\nconst r = (cb as Function as any)(x);'],
  ['src/a.ts', 'const r = (cb as (x: number) => void)(x);\nconst s = (<(x: number) => void>cb)(y);'],
  ['src/a.js', 'const F = Function;\nconst check = [F, String].includes(t);'],
  ['src/a.ts', "const m = new Map<string, Function>();\nm.set('a', handler);\nm.get('a')!(x)"],
];

describe('pass 14 look-alikes: Function handed over, cast or aliased, no constructor called', () => {
  it.each(HANDED_CAST_ALIASED_LOOK_ALIKES)('accepts, in %s: %s', expectAccepted);
});

/**
 * Look-alikes of the rows above that call nothing fetched and no constructor: accepted. The last ones store `Function`
 * where nothing reads it back and calls it (a component's props, a list of types), or read a plain function's name in a
 * scope where it is another value.
 */
const LOOK_ALIKES: Row[] = [
  ['src/a.ts', 'const f: Response = await fetch(u); const c: string = await f.text(); JSON.parse(c)'],
  ['src/a.ts', 'const n: number = 1; const s: string = String(n); eval(s)'],
  ['src/a.py', 'r = requests.get(u); code: int = r.status_code; print(code)'],
  ['src/a.py', 'r = requests.get(u); code, _ = r.status_code, 1; print(code)'],
  ['src/a.js', 'const AF = Object.getPrototypeOf(async function(){}).constructor;\nexport const isAsync = (fn) => fn instanceof AF;'],
  ['src/a.js', 'const name = x.constructor.name;\nconsole.log(name)'],
  ['src/a.js', 'if (Object.getPrototypeOf(x) === Proto) done(x)'],
  ['src/a.js', 'async function g() {}\nconst kind = g.constructor.name;\nlog(kind)'],
  ['src/a.js', 'const copy = new (Object.getPrototypeOf(this).constructor)(this.fields);'],
  ['src/a.js', 'const Model = this.constructor;\nconst copy = new Model(fields);'],
  ['src/a.ts', 'const AF: Function = Object.getPrototypeOf(async function(){}).constructor;\nconst isAsync = (fn: unknown) => fn instanceof AF;\n// new AF(src) would run src'],
  ['src/a.js', "const { constructor: AF } = Object.getPrototypeOf(async function(){});\nlog('AF(%s)', name, AF === x)"],
  ['src/a.js', 'const g = async () => {};\nconst same = g.constructor === other.constructor;\nconst t = `${same} (ok)`'],
  ['src/a.js', 'function t(n) { return n; }\nfunction copy(t) { var r = t.constructor; return new r(t.valueOf()); }'],
  ['src/a.js', 'class Bench { #i = async () => {};\nasync run() { const i = (async () => {}).constructor; const a = (e) => e.constructor === i; await this.#i.call(this); return a; } }'],
  ['src/a.js', 'export default { props: { onClick: { type: Function, required: true } } };\ncy.get("a").type("x")'],
  ['src/a.js', 'const props = defineProps({ onClick: Function });\nprops.onClick()'],
  ['src/a.js', 'const types = [String, Number, Function];\nif (types.includes(x.constructor)) ok(x)'],
  ['src/a.ts', 'interface Props { onClick: Function }\nconst p: Props = load();\np.onClick()'],
  ['src/a.ts', 'function run(handlers: Function[]) { handlers[0](); }'],
  ['src/a.js', 'const isFn = (x) => x instanceof Function;\nconst o = { f: isFn };\no.f(y)'],
  ['src/a.js', 'function t(n) { return n; }\nconst copy = (t) => { const r = t.constructor; return new r(t.valueOf()); }'],
  ['src/a.js', 'function t(n) { return n; }\nfunction copy(x) { let t = x; const r = t.constructor; return new r(t.valueOf()); }'],
  ['src/a.js', 'function g() {}\nconst kind = g.constructor.name;\nlog(kind)'],
  // An alias of `Function` is the sink by another name, which the fetch-exec reading follows (`F(await fetch(u))`).
  ['src/a.js', 'const F = Function;\nconst factory = new F("a", "return a");'],
  ['src/a.js', 'const bind = Function.bind;\nconst call = Function.call;\nconst f = bind.call(call, g)'],
];

describe('pass 16 look-alikes: annotations, constructors named and compared', () => {
  it.each(LOOK_ALIKES)('accepts, in %s: %s', expectAccepted);
});

/** Ordinary code the session's AsyncFunction rule refuses: its name followed by a parenthesis that calls nothing. */
const FALSE_REFUSALS: Row[] = [
  ['src/a.js', 'const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;\n// AsyncFunction (not Function) is what async handlers are instances of.\nexport const isAsync = (fn) => fn instanceof AsyncFunction;'],
  ['src/a.js', 'const AsyncFunction = (async () => {}).constructor;\n/** True for an AsyncFunction (an `async` function). */\nexport const isAsync = (fn) => fn instanceof AsyncFunction;'],
  ['src/a.js', "const AsyncFunction = (async () => {}).constructor;\nexport const isAsync = (fn) => fn instanceof AsyncFunction;\nlogger.debug('AsyncFunction (%s)', name);"],
  ['src/a.js', 'const AsyncFunction = (async () => {}).constructor;\nif (fn.constructor === AsyncFunction) (handlers.async ??= []).push(fn);'],
];

describe('pass 16 false refusals: a Function constructor named, never called', () => {
  it.each(FALSE_REFUSALS)('accepts, in %s: %s', expectAccepted);
});

/**
 * The AsyncFunction rule's call reading (`new\s*\(?\s*` and `\s*\)?\s*\(` in functionsConstructorCalled) was quadratic in a
 * run of blanks: 20 KB of lines of 399 spaces after `new` (a patch the size and line limits accept) cost ~1.1 s of
 * checkPatch on this machine, ~4× per doubling. The reading is now per file (languageSignals, over a JavaScript file's
 * code) and walks blanks by index; both readings are measured.
 */
const READ = (text: string) => [dangerousCodeSignals(text), languageSignals('src/a.js', text.split('\n')), languageSignals('src/a.py', text.split('\n'))];

describe('pass 16 cost: the AsyncFunction call reading over blank runs', () => {
  const blanks = (size: number) => `${' '.repeat(399)}\n`.repeat(Math.max(1, Math.floor(size / 400)));
  it.each([
    ['new after .constructor', (size: number) => `x.constructor;\nnew${blanks(size)}x`],
    ['a named constructor', (size: number) => `const A = (async () => {}).constructor;\nA${blanks(size)}x`],
    ['an unnamed constructor', (size: number) => `(async () => {}).constructor${blanks(size)}x`],
  ] as const)('reads %s then blank lines in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, READ)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});

/** The readings this pass added: bindings of every form, aliases, the code's mask, typed and tuple assignments. */
describe('pass 16 cost: the new readings', () => {
  const repeated = (unit: string, head = '') => (size: number) => head + unit.repeat(Math.floor(size / unit.length));
  const head = 'const AF = (async () => {}).constructor;\nasync function g() {}\n';
  it.each([
    ['a chain of aliases', (size: number) => head + Array.from({ length: Math.floor(size / 16) }, (_, i) => `const A${i + 1} = ${i ? `A${i}` : 'AF'};`).join('\n')],
    ['names and parentheses after a constructor named', repeated('AF ) ) ( (( new (( ', head)],
    ['function names, each reached by its constructor', repeated('function g1() {} g1 . constructor . name; ', head)],
    ['destructurings and annotations', repeated('const { constructor: B }: any = g; let c: T<a, b> = x; ', head)],
    ['strings, comments and templates left open', repeated('"a \' /* `${ AF ( `x` } \n// ', head)],
    ['nested templates', (size: number) => `${head}${'`${'.repeat(Math.floor(size / 6))}AF(x)${'}`'.repeat(Math.floor(size / 6))}`],
    ['tuples and annotations before a fetch', repeated('a, b, c, d, e, f, g, h, i: str, j = r.text; ', 'r = requests.get(u)\n')],
    ['receivers of methods', repeated('F = [].filter.x.y.z.w ', head)],
    ['constructors in literals, read back and taken apart', repeated('const x = [Function, { f: Function }]; x[0]; const [a, { f }] = x; ')],
    ['plain functions read in scopes that reuse their names', repeated('function h(g) { g.constructor; } g.constructor; { let g = 1; } ', 'function g() {}\n')],
    ['properties assigned constructors and read', repeated('this.a = Function; o.a; o["a"]; ({ a: Function }).a; ')],
    ['unclosed literals around constructors', repeated('[{(Function, ')],
    ['blanks after a function expression', (size: number) => `${'(async () => {}'.repeat(20)}${' '.repeat(size)})`],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, READ)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});

/** Session 40's readings: casts before and after a value, operands walked to a cast, calls handed constructors, aliases by scope. */
describe('pass 14 cost: constructors handed to calls, cast and aliased', () => {
  const repeated = (unit: string, head = '') => (size: number) => head + unit.repeat(Math.floor(size / unit.length));
  it.each([
    ['casts around Function', repeated('(<any>Function as any as T<a>[]!)!; Function as x; ')],
    ['casts to FunctionConstructor after long operands', repeated('a.b[c](d).e as FunctionConstructor; <typeof Function>f.g(h)[i]; ')],
    ['constructors handed to calls that store them', repeated("m.set('f', Function); o.push([Function]); Object.assign(o, { f: Function }); new Map([['f', Function]]); ")],
    ['holders nested in holders, never closed', repeated('new Map([[Function, ')],
    ['holders nested in holders, closed', (size: number) => `${'{ a: Function, b: [Function, new Map(['.repeat(Math.floor(size / 48))}${'])] }'.repeat(Math.floor(size / 48))}`],
    ['aliases of Function, each in its block, read and shadowed', repeated('{ var f = Function; [f]; ({ f }); function g(f) { [f][0]; } } ')],
    ['aliases of Function at the top, read everywhere', repeated('[f]; o.set(1, f); ', 'var f = Function;\n')],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, READ)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});

/**
 * Ruby's and PHP's name-flow reading (`languageSignals`' `builtName`) was quadratic in a patch's lines: a here-document
 * never ended was looked for to the text's end from each of its openings (~140 ms at 18 KB of `<<<E` lines, 5.7 s at
 * 144 KB), each method's body was cut and split from its `def` to its `end` or the text's end, and each function's calls
 * were read by an alternation of every function's name.
 */
describe("pass 16 cost: Ruby's and PHP's name-flow reading", () => {
  const lines = (path: string, unit: (i: number) => string) => (size: number) => {
    const out: string[] = [];
    for (let i = 0, length = 0; length < size; i++) {
      out.push(unit(i));
      length += out[out.length - 1]!.length + 1;
    }
    return [path, out] as const;
  };
  it.each([
    ['PHP here-documents never ended', lines('src/a.php', () => '<<<E')],
    ['PHP here-documents, quoted, never ended', lines('src/a.php', () => "<<<'E'")],
    ['Ruby here-documents never ended', lines('lib/a.rb', () => 'x = <<A')],
    ['Ruby methods never ended', lines('lib/a.rb', () => 'def f')],
    ['Ruby methods of many names, never ended, returning', lines('lib/a.rb', (i) => `  def f${i}; return 'a' + x`)],
    ['Ruby methods and lambdas, each ended', lines('lib/a.rb', (i) => `def f${i}\n  g = -> { 'a' }\n  'b'\nend`)],
    ['PHP functions of one name', lines('src/a.php', () => 'function f(){} f();')],
    ['PHP functions of many names', lines('src/a.php', (i) => `function f${i}(){ return 'a'; } f${i}();`)],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, ([path, added]) => languageSignals(path, added))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
