import { describe, expect, it } from 'vitest';
import { commentsBlanked, javascriptRunnerAsValue } from '../../shared/analysis/code-values.js';
import { languageSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';
import { expectAccepted, expectRefused } from '../support/patches.js';

type Row = [path: string, text: string];

/**
 * Session 41: patches against session 40's value rule (`code-values.ts`) and the constructor reading
 * (`function-constructors.ts`) that session 40's review found still accepted. Each row of a `refuses` table is a patch
 * the check accepted before session 41 whose added code runs a string as code; `src` is any string the patch writes,
 * `c` a text fetched on the same line (`Function(c)` as written is the fetch-exec reading's).
 */
const FETCHED_JS = 'const c = await (await fetch(u)).text(); ';

// 1. `.constructor` of a value the text does not show to be a function (an arrow in parentheses, a prototype a name
// holds, anything at all): called with a value, or read off a constructor, it is Function's.
const CONSTRUCTOR_OF_ANY: Row[] = [
  ['src/a.js', 'const o = (()=>{}); o.constructor(src)()'],
  ['src/a.js', 'const o = (()=>{}); const F = o.constructor; F(src)()'],
  ['src/a.js', 'const o = (()=>{}); const r = { f: o.constructor }; r.f(src)()'],
  ['src/a.js', 'fn.constructor(src)()'],
  ['src/a.js', 'fn?.constructor?.(src)()'],
  ['src/a.js', 'fn.constructor.call(null, src)()'],
  ['src/a.js', 'fn["constructor"](src)()'],
  ['src/a.js', 'Reflect.apply(fn.constructor, null, [src])()'],
  ['src/a.js', '(0, fn.constructor)(src)()'],
  ['src/a.js', '(fn.constructor)(src)()'],
  ['src/a.js', 'function g(fn) { return (fn.constructor)(src) }'],
  ['src/a.js', 'const F = (fn.constructor); F(src)()'],
  ['src/a.js', 'const { constructor: F } = fn; F(src)()'],
  ['src/a.js', 'const { constructor } = fn; constructor(src)()'],
  ['src/a.js', 'const P = Object.getPrototypeOf(async function(){}); P.constructor(src)()'],
  ['src/a.js', 'const P = Object.getPrototypeOf(async function(){}); const AF = P.constructor; AF(src)()'],
  ['src/a.js', 'const P = Object.getPrototypeOf(async function(){}); run([P.constructor])'],
  ['src/a.js', 'const C = x.constructor; const F = C.constructor; wrap(F)'],
];

// 2. `Function` (as written or by a plain alias) assigned to a property of an object, and called by it.
const PROPERTY_SET: Row[] = [
  ['src/a.js', `${FETCHED_JS}const o = {}; o.f = Function; o.f(c)()`],
  ['src/a.js', `${FETCHED_JS}o.f = Function; o.f(c)()`],
  ['src/a.js', `${FETCHED_JS}o["f"] = Function; o.f(c)()`],
  ['src/a.js', `${FETCHED_JS}o.f = (Function); o.f(c)()`],
  ['src/a.js', `${FETCHED_JS}const F = Function; const o = {}; o.f = F; o.f(c)()`],
];

// 3. A holder of `Function` handed to a function the text does not show, and read back from what it returns.
const HOLDER_THROUGH_CALL: Row[] = [
  ['src/a.js', `${FETCHED_JS}register({ run: Function }).run(c)()`],
  ['src/a.js', `${FETCHED_JS}wrap([Function])[0](c)()`],
  ['src/a.js', `${FETCHED_JS}const h = wrap([Function]); h[0](c)()`],
  ['src/a.js', `${FETCHED_JS}const h = register({ run: Function }); h.run(c)()`],
  ['src/a.js', `${FETCHED_JS}const h = await register({ run: Function }); h.run(c)()`],
  ['src/a.js', `${FETCHED_JS}(await register({ run: Function })).run(c)()`],
  // Vue's props macro by name, written by the patch itself: no macro.
  ['src/a.js', `const defineProps = (o) => o;\n${FETCHED_JS}defineProps({ run: Function }).run(c)()`],
  ['src/a.js', `function withDefaults(o) { return o }\n${FETCHED_JS}withDefaults({ run: Function }).run(c)()`],
];

// 4. A constructor's name read by scope where another binding of the same name was read as hiding it beyond its own
// scope: an arrow's parameter (its scope is the arrow's expression body, up to the comma, semicolon or statement-ending
// line break), a loop's name (the loop), a `var` declared again (from there on; without an initializer, no other value).
const SCOPES: Row[] = [
  ['src/a.js', 'var AF = (async () => {}).constructor;\nvar AF;\nconst xs = [...[AF]]; xs[0](src)()'],
  ['src/a.js', 'var AF = (async () => {}).constructor;\nconst xs = [...[AF]];\nvar AF = 1;\nxs[0](src)()'],
  ['src/a.js', 'const AF = (async () => {}).constructor;\nfor (let AF of []);\nconst xs = [...[AF]]; xs[0](src)()'],
  ['src/a.js', 'const AF = (async () => {}).constructor;\nfor (const AF in {}) log(AF)\nconst xs = [...[AF]]; xs[0](src)()'],
  ['src/a.js', 'const o = (()=>{});\nfor (let o of []);\nconst r = { f: o.constructor }; r.f(src)()'],
  ['src/a.js', 'const o = (()=>{}); const id = o => o, r = { f: o.constructor }; r.f(src)()'],
  ['src/a.js', 'const o = (()=>{}); const id = (o) => o; const r = { f: o.constructor }; r.f(src)()'],
  ['src/a.js', 'const AF = (async () => {}).constructor;\nconst id = (AF) => AF;\nconst xs = [...[AF]]; xs[0](src)()'],
  ['src/a.js', 'const AF = (async () => {}).constructor\nconst id = (AF) => AF\nconst xs = [...[AF]]\nxs[0](src)()'],
  ['src/a.js', 'const o = (()=>{})\nconst id = o =>\n  o\nrun([o.constructor])'],
];

for (const [finding, rows] of [['1 (.constructor of any value)', CONSTRUCTOR_OF_ANY], ['2 (a property set to Function)', PROPERTY_SET], ['3 (a holder through a call)', HOLDER_THROUGH_CALL], ['4 (names read by scope)', SCOPES]] as const) {
  describe(`session 41 finding ${finding}`, () => {
    it.each(rows)('refuses, in %s: %s', (path, text) => expectRefused(path, text));
  });
}

/** Ordinary code around `.constructor` and `Function` that the session 41 readings must not refuse. */
describe('session 41: ordinary code accepted', () => {
  it.each([
    ['src/a.js', 'const kind = this.constructor.name;'],
    ['src/a.js', 'if (x.constructor === Object) return clone(x);'],
    ['src/a.js', 'const copy = new value.constructor(value.valueOf());'],
    ['src/a.js', 'const copy = new (value.constructor)(value.valueOf());'],
    ['src/a.js', 'const { constructor } = value;\nclass Box { constructor(items) { this.items = items; } }'],
    ['src/a.js', 'register(value.constructor)(options);'],
    ['src/a.js', 'const Ctor = value.constructor;\nreturn new Ctor(value.byteLength);'],
    ['src/a.js', 'const isPlain = (v) => v.constructor === Object || v.constructor == null;'],
    ['src/a.js', 'const empty = x.constructor();'],
    ['src/a.js', 'const same = value.constructor("literal");'],
    ['src/a.js', 'if (fn.constructor.name === "AsyncFunction") await fn();'],
    // preact's backing instance of a function component (src/diff/index.js), which patch:fp read.
    ['src/a.js', 'function doRender(props, state, context) {\n\treturn this.constructor(props, context);\n}'],
    ['src/a.js', 'const props = defineProps({ onClick: Function });\nprops.onClick(event);'],
    ['src/a.js', 'export default defineComponent({ props: { onSave: Function } });'],
    ['src/a.js', 'const schema = new Schema({ validate: Function });'],
    ['src/a.js', 'expect(spy).toHaveBeenCalledWith(expect.any(Function));'],
    ['src/a.js', 'check(value, [String, Function]);'],
  ] as Row[])('accepts, in %s: %s', (path, text) => expectAccepted(path, text));
});

/** Session 41's readings in linear time: constructors' calls (arguments nested, literals, names rebound), arrows' bodies, holders handed to calls. */
describe('session 41 cost: constructors called, arrows, holders', () => {
  const repeated = (unit: string) => (size: number) => unit.repeat(Math.floor(size / unit.length));
  it.each([
    ['constructions nested in arguments', repeated('new o.constructor("a", 1, new o.constructor(')],
    ['literal arguments', repeated('o.constructor("a", \'b\', `c`, 1, null); ')],
    ['arrows ended by line breaks and commas', repeated('const o = (()=>{})\nconst id = (o) => o\n\n  \n, o => o, ')],
    ['holders handed to calls', repeated('wrap([Function]); register({ f: Function }); defineProps({ g: Function }); o.h = Function; ')],
    ['names bound to constructors', repeated('const C = x.constructor;\nC("a", 1) === D && new C(C.constructor.name, ')],
  ] as const)('reads %s in linear time', { timeout: 120_000 }, (_, textOf) => {
    const read = (text: string) => [javascriptRunnerAsValue(commentsBlanked('src/a.js', text).text), languageSignals('src/a.js', text.split('\n'))];
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, read)).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
