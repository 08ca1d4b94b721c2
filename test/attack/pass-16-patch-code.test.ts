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

/** Forms this pass's reading does not follow: a constructor stored in a container or on a property, then called. */
const STILL_OPEN: ReadonlyArray<[reason: string, ...Row]> = [
  ['a constructor put in an array and read back is not followed', 'src/a.js', 'const AF = (async () => {}).constructor;\nconst x = [AF][0]; x(src)()'],
  ['a constructor bound to a property (this.AF =) is not a name the reading collects', 'src/a.js', 'this.AF = (async () => {}).constructor;\nthis.AF(src)()'],
  ['a plain function\'s name is not followed (bundles reuse one letter for functions and objects)', 'src/a.js', 'function g() {}\nconst F = g.constructor; F(src)()'],
];

describe('pass 16 bypasses still open', () => {
  it.fails.each(STILL_OPEN)('refuses (%s), in %s: %s', (_, path, text) => expectRefused(path, text));
});

/** Look-alikes of the rows above that call nothing fetched and no constructor: accepted. */
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
    ['blanks after a function expression', (size: number) => `${'(async () => {}'.repeat(20)}${' '.repeat(size)})`],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, READ)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
