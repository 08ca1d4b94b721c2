import { describe, expect, it } from 'vitest';
import { dangerousCodeSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, expectRefused } from '../support/patches.js';

type Row = [path: string, text: string];

/**
 * Attack pass 16 (code side): variants of the forms the session's helpers closed (pass 14's helpers' reports: the quote-aware split,
 * git aliases, exported BASH_ENV, PATH=$PWD/, cd then a relative path, two-step names, AsyncFunction by prototype). Each
 * refused row is accepted today; each accepted row is refused today.
 */
/** Typed and tuple assignments that bind a fetch's value, and stay accepted where the value is no code. */
const FETCH_LOOK_ALIKES: Row[] = [
  ['src/a.ts', 'const f: Response = await fetch(u); const c: string = await f.text(); JSON.parse(c)'],
  ['src/a.ts', 'const n: number = 1; const s: string = String(n); eval(s)'],
  ['src/a.py', 'r = requests.get(u); code: int = r.status_code; print(code)'],
  ['src/a.py', 'r = requests.get(u); code, _ = r.status_code, 1; print(code)'],
];

describe('pass 16 look-alikes: typed and tuple assignments', () => {
  it.each(FETCH_LOOK_ALIKES)('accepts, in %s: %s', expectAccepted);
});

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
];

for (const { form, rows } of BYPASSES) {
  describe(`pass 16 bypasses: ${form}`, () => {
    // The two-step fetch rows are closed (code-sinks.ts reads typed and tuple assignments); the rest are still open.
    if (form.startsWith('two steps')) it.each(rows)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
    else it.fails.each(rows)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
  });
}

/** Ordinary code the session's AsyncFunction rule refuses: its name followed by a parenthesis that calls nothing. */
const FALSE_REFUSALS: Row[] = [
  ['src/a.js', 'const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;\n// AsyncFunction (not Function) is what async handlers are instances of.\nexport const isAsync = (fn) => fn instanceof AsyncFunction;'],
  ['src/a.js', 'const AsyncFunction = (async () => {}).constructor;\n/** True for an AsyncFunction (an `async` function). */\nexport const isAsync = (fn) => fn instanceof AsyncFunction;'],
  ['src/a.js', "const AsyncFunction = (async () => {}).constructor;\nexport const isAsync = (fn) => fn instanceof AsyncFunction;\nlogger.debug('AsyncFunction (%s)', name);"],
  ['src/a.js', 'const AsyncFunction = (async () => {}).constructor;\nif (fn.constructor === AsyncFunction) (handlers.async ??= []).push(fn);'],
];

describe('pass 16 false refusals: a Function constructor named, never called', () => {
  it.fails.each(FALSE_REFUSALS)('accepts, in %s: %s', expectAccepted);
});

/**
 * The AsyncFunction rule's call reading (`new\s*\(?\s*` and `\s*\)?\s*\(` in functionsConstructorCalled) is quadratic in a
 * run of blanks: 20 KB of lines of 399 spaces after `new` (a patch the size and line limits accept) cost ~1.1 s of
 * checkPatch on this machine, ~4× per doubling; without `.constructor` anywhere in the text, 26 ms.
 */
describe('pass 16 cost: the AsyncFunction call reading over blank runs', () => {
  const blanks = (size: number) => `${' '.repeat(399)}\n`.repeat(Math.max(1, Math.floor(size / 400)));
  it.fails.each([
    ['new after .constructor', (size: number) => `x.constructor;\nnew${blanks(size)}x`],
    ['a named constructor', (size: number) => `const A = (async () => {}).constructor;\nA${blanks(size)}x`],
    ['an unnamed constructor', (size: number) => `(async () => {}).constructor${blanks(size)}x`],
  ] as const)('reads %s then blank lines in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => dangerousCodeSignals(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
