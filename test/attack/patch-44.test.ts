import { describe, expect, it } from 'vitest';
import { languageSignals } from '../../shared/analysis/dangerous-code.js';
import { LINEAR_EXPONENT_BOUND, cpuGrowthExponent } from '../support/growth.js';
import { type FindingRow, describeFindings, expectAccepted } from '../support/patches.js';

/**
 * Attack 44 (session 42): patches the check accepted whose added code runs a string as code through a Function
 * constructor it reaches by a form the readings did not follow. Each finding's rows are `it.fails` while open: they
 * assert the patch is refused. `src` is any string the patch holds, `fn` any value the text does not show.
 */

// attack-44 finding Q1: a constructor of a value the text does not show to be a function, constructed with text, and
// the result called: `new fn.constructor(src)` is `new Function(src)` where `fn` is a function. Copying code constructs
// too (`new value.constructor(value.length)`), and never calls what it built.
const CONSTRUCTED_AND_CALLED: FindingRow[] = [
  ['src/a.js', 'new fn.constructor(src)()', 'closed'],
  ['src/a.js', 'const F = new fn.constructor(src); F()', 'closed'],
  ['src/a.js', 'new (x.constructor)(src)()', 'closed'],
  ['src/a.js', "new x['constructor'](src)()", 'closed'],
  ['src/a.js', 'new x.y.constructor(src)()', 'closed'],
  ['src/a.js', '(new fn.constructor(src))()', 'closed'],
  ['src/a.js', 'const F = new fn.constructor(src); F.call(null)', 'closed'],
  ['src/a.js', 'Reflect.construct(x.constructor, [src])()', 'closed'],
  ['src/a.js', 'const F = Reflect.construct(fn.constructor, [src]); F()', 'closed'],
  ['src/a.js', 'let F; F = new fn.constructor(src); F()', 'closed'],
  ['src/a.js', 'const F = new fn.constructor(src); setTimeout(F)', 'closed'],
  ['src/a.js', 'const F = new fn.constructor(src); [1].map(F)', 'closed'],
];

// attack-44 finding Q2: `this.constructor` called with text inside a function that the text calls with a function as
// `this` (`.call(fn, …)`, `.apply`, `.bind`, a method of `Function.prototype`): Function's there, not a class's own.
const THIS_CONSTRUCTOR_OF_A_FUNCTION: FindingRow[] = [
  ['src/a.js', 'function m(s) { return this.constructor(s)(); } m.call(fn, src)', 'closed'],
  ['src/a.js', 'const o = { run(s) { return this.constructor(s)(); } }; o.run.call(fn, src)', 'closed'],
  ['src/a.js', 'function m(s) { return new this.constructor(s)(); } m.call(fn, src)', 'closed'],
  ['src/a.js', "function m(s) { return this['constructor'](s)(); } m.apply(fn, [src])", 'closed'],
  ['src/a.js', 'const run = function (s) { return this.constructor(s)(); }.bind(fn); run(src)', 'closed'],
  ['src/a.js', 'Function.prototype.run = function (s) { return this.constructor(s)(); }; fn.run(src)', 'closed'],
  ['src/a.js', 'class A { run(s) { return this.constructor(s); } } A.prototype.run.call(fn, src)()', 'closed'],
  ['src/a.js', 'function m(s) { const g = () => this.constructor(s); return g(); } m.call(fn, src)()', 'closed'],
  ['src/a.js', 'const o = { m(s) { return this.constructor(s); } }; Reflect.apply(o.m, fn, [src])()', 'closed'],
  ['src/a.js', 'fn.m = function (s) { return this.constructor(s); }; fn.m(src)()', 'closed'],
  ['src/a.js', 'Object.setPrototypeOf(o, fn); o.m = function (s) { return this.constructor(s); }; o.m(src)()', 'closed'],
];

// attack-44 finding Q3: a Function constructor kept in a holder that goes through a call, a return or a copy, then
// read back and called with text.
const HOLDER_THROUGH_A_CALL: FindingRow[] = [
  ['src/a.js', 'const h = id({ run: fn.constructor }); h.run(src)()', 'closed'],
  ['src/a.js', 'const h = id({ a: { run: Function } }); h.a.run(src)()', 'closed'],
  ['src/a.js', 'const F = Function; function get() { return { run: F }; } get().run(src)()', 'closed'],
  ['src/a.js', 'const F = Function; function get() { return [F]; } const r = get(); r[0](src)()', 'closed'],
  ['src/a.js', 'const F = Function; const r = [F].map((x) => x); r[0](src)()', 'closed'],
  ['src/a.js', 'const F = Function; const r = Array.of(F); r[0](src)()', 'closed'],
  ['src/a.js', 'const F = Function; const r = { ...id({ run: F }) }; r.run(src)()', 'closed'],
  ['src/a.js', 'const F = Function; const h = { run: F }; const g = id(h); g.run(src)()', 'closed'],
  ['src/a.js', 'const F = Function; const h = [F]; const g = id(h); g[0](src)()', 'closed'],
  ['src/a.js', 'const F = Function; const h = [F]; const g = h.slice(); g[0](src)()', 'closed'],
];

// attack-44 finding Q4: a runner made reachable under another name by a computed global set, or read by a computed
// name the text builds out of pieces.
const COMPUTED_GLOBAL: FindingRow[] = [
  ['src/a.js', 'globalThis[name] = Function; run(src)()', 'closed'],
  ['src/a.js', "const k = ['ev', 'al'].join(''); window[k](src)", 'closed'],
  ['src/a.js', "const k = 'ev' + 'al'; window[k](src)", 'closed'],
  ['src/a.js', "window[`ev${'al'}`](src)", 'closed'],
  // Open, deliberately: a key the text does not show is a JSONP callback's shape (`window[callback](data)`), which
  // ordinary code writes; only keys the text spells are read.
  ['src/a.js', 'globalThis[k](src)'],
  ['src/a.js', 'self[k] = fn.constructor; run(src)()', 'closed'],
  ['src/a.js', 'const g = globalThis; g[k] = Function; run(src)()', 'closed'],
  ['src/a.js', 'Object.defineProperty(globalThis, k, { value: Function }); run(src)()', 'closed'],
  ['src/a.js', "const k = 'Func' + 'tion'; globalThis[k](src)()", 'closed'],
  ['src/a.js', "const k = `constr${'uctor'}`; fn[k](src)()", 'closed'],
];

describeFindings('attack-44', [
  ['Q1 (a constructor of any value constructed with text, the result called)', CONSTRUCTED_AND_CALLED],
  ['Q2 (this.constructor in a function called with a function as this)', THIS_CONSTRUCTOR_OF_A_FUNCTION],
  ['Q3 (a holder through a call, a return or a copy)', HOLDER_THROUGH_A_CALL],
  ['Q4 (a computed global set or read)', COMPUTED_GLOBAL],
]);

/** Ordinary code near the findings that the fixes must keep accepting. */
describe('attack-44: ordinary code accepted', () => {
  it.each([
    ['src/a.js', 'const copy = new value.constructor(value.length); copy.set(value);'],
    ['src/a.js', 'function clone(x) { const result = new x.constructor(x.source, x.flags); result.lastIndex = x.lastIndex; return result; }'],
    ['src/a.js', 'class Vec { add(o) { return new this.constructor(this.x + o.x, this.y + o.y); } }'],
    ['src/a.js', 'function doRender(props, state, context) { return this.constructor(props, context); }'],
    ['src/a.js', 'Foo.prototype.clone = function () { return new this.constructor(this.value); };'],
    ['src/a.js', 'o.clone = function () { return new this.constructor(this.value); };'],
    ['src/a.js', 'const handler = this.onChange.bind(this); emitter.on(name, handler);'],
    ['src/a.js', 'const props = { onClick: { type: Function, required: true } }; export default { props };'],
    ['src/a.js', "const handlers = { click: onClick }; globalThis[name] = handlers[name];"],
    ['src/a.js', "const key = 'app' + 'State'; window[key] = state; render(window[key]);"],
    ['src/a.js', 'const parts = [a, b].map((x) => x.trim()); parts[0].split(src);'],
    ['src/a.js', 'const props = { value: [String, Function] }; const bound = store.select(key)(state);'],
    ['src/a.js', 'expect(spy).toHaveBeenCalledWith(expect.any(Function)); const next = api.middleware(store)(next);'],
  ] as FindingRow[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/**
 * The readings' cost: a list given to `Reflect.construct` whose number the literal reading could split anywhere (a first
 * version's `(?:\s*(?:…|-?[\d.]+)\s*,?)*` was exponential in the digits: 26 of them cost 2 s), and the runs of blanks
 * the pieces' reading skips.
 */
describe('attack-44: the new readings cost linear time', () => {
  it.each([
    ['a constructed list of one long number', (size: number) => [`Reflect.construct(x.constructor, [${'1'.repeat(size)} x])`]],
    ['a name bound to blanks', (size: number) => [`const k = ${' '.repeat(size)}x`]],
  ] as const)('reads %s in linear time', { timeout: 60_000 }, (_name, linesOf) => {
    const exponent = cpuGrowthExponent([60, 120, 240, 480], linesOf, (lines) => languageSignals('src/a.js', lines));
    expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
