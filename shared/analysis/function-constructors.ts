import { firstIndexFrom } from './bracket-readings.js';

/**
 * JavaScript's Function constructors that no name gives (AsyncFunction's, GeneratorFunction's, reached through a
 * function), or that a name, a container, a property, a call or a TypeScript cast hides (`Function` too), called: each
 * runs a string as `eval` does. Where they are bound, read over the whole text (a binding
 * read in a comment only adds a name); where they are called, read over the code only, so that a comment, a JSDoc or
 * a log's string that names one before a parenthesis is no call. Linear: the names are collected by regular
 * expressions whose quantifiers are bounded or separated, and each occurrence's surroundings are read by an index walk.
 */

/** A function expression's start: `async …`, `function …`, `function* …`, an arrow's parameters. */
export const FUNCTION_EXPRESSION = String.raw`(?:async\b|function\b|(?:\([^()\n]{0,80}\)|[\w$]+)\s*=>)`;
/** A JavaScript name. */
export const NAME = String.raw`[A-Za-z_$][\w$]*`;
/** A TypeScript annotation between a name and its `=` (`const AF: any =`, `c: string =`), bounded. */
const ANNOTATION = String.raw`(?:\s*:[^=;\n]{1,80}?)?`;
/** An assignment's `=`, not `==` or `=>`. */
const ASSIGN = String.raw`\s*=(?![=>])\s*`;
/** A property access of `constructor`: `.constructor`, `?.constructor`, `['constructor']`. */
const CONSTRUCTOR = String.raw`\s*(?:\??\.\s*constructor\b|\[\s*["'\x60]constructor["'\x60]\s*\])`;
/** Methods a function is reached by (`[].filter.constructor`), as {@link ASSEMBLED_NAME}'s direct call reads them. */
const METHOD = String.raw`\.\s*(?:filter|map|at|sort|call|apply|bind|forEach|reduce|some|every|find|toString|valueOf|push|concat|slice)`;

/** What a method is read from after an `=` (`[]`, `''`, `Math`, `console.log`): {@link METHOD}'s receiver, bounded. */
const RECEIVER = String.raw`(?:(?:[\w$]+|\[[^\[\]\n]{0,80}\]|\([^()\n]{0,80}\)|"[^"\n]{0,80}"|'[^'\n]{0,80}')(?:\s*\.\s*[\w$]+){0,4}(?=\s*${METHOD}))?`;

/** `names` as an alternation for a pattern (`$` escaped), or a pattern that matches nothing. */
const alternation = (names: Iterable<string>) => [...names].map((name) => name.replace(/\$/g, '\\$')).join('|') || '(?!)';
/** `names` as an alternation of whole names, or a pattern that matches nothing. */
export const namesPattern = (names: ReadonlySet<string>) => (names.size === 0 ? '(?!)' : String.raw`(?<![\w$.#])(?:${alternation(names)})(?![\w$])`);

/**
 * The names `text` gives an async or a generator function: `async function g`, `function* g`, `g = async () =>`,
 * `const g: F = function* …`. A plain function's (`function g`) are {@link plainFunctionNames}', read by scope: in
 * bundled code one letter names a function in one scope and an object in the next, and `x = t.constructor` then
 * `new x(…)` copies an instance.
 */
export function functionNames(text: string): Set<string> {
  const names = new Set<string>();
  const declared = new RegExp(String.raw`\b(?:async\s+function\b\s*\*?|function\s*\*)\s*(${NAME})`, 'g');
  const assigned = new RegExp(String.raw`(?<![\w$.#])(${NAME})${ANNOTATION}${ASSIGN}(?:async\b|function\s*\*)`, 'g');
  for (const match of text.matchAll(declared)) names.add(match[1]!);
  for (const match of text.matchAll(assigned)) names.add(match[1]!);
  return names;
}

/**
 * What is a function in `text` ({@link functionNames} named, async or generator): a parenthesized function expression, one given to
 * `getPrototypeOf`, a function's name, a method reached by a property (`[].filter`); `.__proto__` of any of them.
 */
function functionValue(functions: ReadonlySet<string>): string {
  const named = namesPattern(functions);
  const expression = String.raw`\(\s*${FUNCTION_EXPRESSION}[^;\n]{0,200}?\}\s*\)`;
  const prototype = String.raw`\b(?:Object|Reflect)\s*\.\s*getPrototypeOf\s*\(\s*(?:${FUNCTION_EXPRESSION}[^;\n]{0,200}?|${named}\s*)\)`;
  return String.raw`(?:${prototype}|${expression}|${named}|${METHOD})(?:\s*\.\s*__proto__)?`;
}

/** Where a run of blanks (newlines too: JavaScript reads `f\n(x)` as a call) from `i` ends. */
export function blanksEnd(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Where a run of blanks before `i` starts. */
export function blanksStart(text: string, i: number): number {
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

/**
 * Whether the constructor written from `start` to `end` in `text` is called there: constructed (`new AF(`, `new (AF)(`),
 * given to `Reflect.construct`/`Reflect.apply`, or followed by its own call (`AF(`, `AF (`, `AF?.(`, a tagged template,
 * `.call(`/`.apply(`/`.bind(`, `(AF)(`, `(0, AF)(`). A parenthesis after a `)` that closes no parenthesis opened just
 * before the name (`=== AF) (x ??= [])`) is an expression of its own.
 */
function calledAt(text: string, start: number, end: number, code: (i: number) => boolean): boolean {
  const before = blanksStart(text, start);
  const opener = text[before - 1];
  let head = before;
  while (head > 0 && text[head - 1] === '(') head = blanksStart(text, head - 1);
  if (/(?<![\w$.])new$/.test(text.slice(Math.max(0, head - 4), head)) && code(head - 3)) return true;
  if (opener === '(' && /\bReflect\s*\.\s*(?:construct|apply)$/.test(text.slice(Math.max(0, head - 40), head)) && code(head - 1)) return true;
  let at = blanksEnd(text, end);
  if (opener === '(' || opener === ',') while (text[at] === ')') at = blanksEnd(text, at + 1);
  const c = text[at];
  // A tagged template: its backtick opens a string, so it is no code itself, but only blanks stand between it and the name.
  if (c === '\x60') return true;
  if (!code(at)) return false;
  if (c === '(') return true;
  if (c === '?' && text[at + 1] === '.' && text[blanksEnd(text, at + 2)] === '(') return true;
  if (c !== '.' && !(c === '?' && text[at + 1] === '.')) return false;
  const member = /[A-Za-z]+/y;
  member.lastIndex = blanksEnd(text, at + (c === '.' ? 1 : 2));
  return /^(?:call|apply|bind)$/.test(member.exec(text)?.[0] ?? '');
}

/** Where each bracket opened in code closes (the text's end if never), and the innermost bracket open at each position (-1: none). */
export function bracketsOf(text: string, code: (i: number) => boolean): { close: Int32Array; around: Int32Array } {
  const close = new Int32Array(text.length).fill(text.length);
  const around = new Int32Array(text.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    around[i] = stack.length > 0 ? stack[stack.length - 1]! : -1;
    const c = text[i]!;
    if (!'([{)]}'.includes(c) || !code(i)) continue;
    if ('([{'.includes(c)) stack.push(i);
    else if (stack.length > 0 && text[stack[stack.length - 1]!] === '([{'[')]}'.indexOf(c)]) close[stack.pop()!] = i;
  }
  return { close, around };
}

export type Brackets = ReturnType<typeof bracketsOf>;

/** The names `text` declares as plain functions (`function g() {}`, not async nor a generator: {@link functionNames}'). */
export function plainFunctionNames(text: string): Set<string> {
  return new Set([...text.matchAll(new RegExp(String.raw`(?<!\basync\s+)(?<![\w$.])function\s+(${NAME})\s*\(`, 'g'))].map((match) => match[1]!));
}

/**
 * `text` with each read of a name in `plain` blanked (same length, so indices hold) where it is another value: inside a
 * function that takes that name as a parameter (`function copy(t) { var r = t.constructor; … }`, `(t) => …`, `t => …`),
 * or in a block that declares it (`let t = …`). Bundles give one letter to a function in one scope and to an object in
 * the next; read by scope, the function's own reads stay its own, however many other scopes reuse the letter. A
 * declaration at one of the `own` indices is the name's own binding, no other value; given `own`, a declaration's later
 * names (`let n = 1, t = 2`) and a pattern's (`let { fn: t } = e`) are read too, an own one by its comma's index.
 */
export function shadowedReadsBlanked(text: string, plain: ReadonlySet<string>, { close, around }: Brackets, own?: ReadonlySet<number>): string {
  const ranges = new Map<string, Array<[number, number]>>();
  const bind = (names: string, from: number, to: number) => {
    for (const [name] of names.matchAll(/[A-Za-z_$][\w$]*/g)) if (plain.has(name)) (ranges.get(name) ?? ranges.set(name, []).get(name)!).push([from, to]);
  };
  let ends: Int32Array | undefined;
  /**
   * Where the expression at `i` ends, at its own depth: a `,` or a `;`, or a line break where a statement ends without
   * one (a name, a bracket's close or a string before it, a name, a number or a string after it, as JavaScript inserts
   * one); the text's length where none does. One pass from the end, for every position at once.
   */
  const expressionEnd = (i: number) => {
    if (!ends) {
      ends = new Int32Array(text.length);
      const next = new Map<number, number>();
      let following = -1;
      let lineBreak = -1;
      for (let j = text.length - 1; j >= 0; j--) {
        const c = text[j]!;
        const blank = /\s/.test(c);
        if (!blank && lineBreak >= 0 && /[\w$)\]}"'\x60]/.test(c) && /[\w$"'\x60]/.test(text[following]!) && !/^(?:in|instanceof)(?![\w$])/.test(text.slice(following, following + 11))) next.set(around[lineBreak]!, lineBreak);
        ends[j] = next.get(around[j]!) ?? text.length;
        if (c === ',' || c === ';') next.set(around[j]!, j);
        if (c === '\n') lineBreak = j;
        else if (!blank) {
          following = j;
          lineBreak = -1;
        }
      }
    }
    return ends[i]!;
  };
  /** The range of a body that starts at `i` (after a parameter list): its braces, or the expression an arrow returns. */
  const bodyFrom = (i: number) => {
    const brace = /^\s*(?::[^{;\n]{0,80})?\{/.exec(text.slice(i, i + 100));
    if (brace) return close[i + brace[0].length - 1]!;
    return Math.min(expressionEnd(i), around[i]! >= 0 ? close[around[i]!]! : text.length);
  };
  // Each run of blanks read by one quantifier: `\s*\*?\s*[\w$]*\s*` split `function` and 1K spaces every way (656 ms).
  for (const head of text.matchAll(/\bfunction\b\s*(?:\*\s*)?(?:[\w$]+\s*)?\(/g)) {
    const open = head.index + head[0].length - 1;
    bind(text.slice(open + 1, close[open]), open, bodyFrom(close[open]! + 1));
  }
  for (const arrow of text.matchAll(/=>/g)) {
    const before = blanksStart(text, arrow.index);
    if (text[before - 1] === ')' && around[before - 1]! >= 0) bind(text.slice(around[before - 1]! + 1, before - 1), around[before - 1]!, bodyFrom(arrow.index + 2));
    else bind(/[\w$]+$/.exec(text.slice(Math.max(0, before - 80), before))?.[0] ?? '', before, bodyFrom(arrow.index + 2));
  }
  /** The block a position is in: the brace around it, or -1 for the top level. */
  const blockOf = (i: number) => {
    let block = around[i]!;
    while (block >= 0 && text[block] !== '{') block = around[block]!;
    return block;
  };
  const ownBlocks = new Set([...(own ?? [])].map(blockOf));
  for (const declaration of text.matchAll(new RegExp(String.raw`(?<![\w$.])(var|let|const)\s+(${NAME})(?!${ANNOTATION}${ASSIGN}Function(?![\w$.]))`, 'g'))) {
    if (own?.has(declaration.index)) continue;
    const loop = around[declaration.index]!;
    // A loop's own name (`for (let t of xs) …`): the loop's head and body, not the block the loop is in.
    if (loop >= 0 && text[loop] === '(' && /(?<![\w$.])for\s*(?:await\s*)?$/.test(text.slice(Math.max(0, loop - 12), loop))) {
      const after = blanksEnd(text, close[loop]! + 1);
      bind(declaration[2]!, loop, /[;,]/.test(text[after] ?? '') ? after : bodyFrom(close[loop]! + 1));
      continue;
    }
    const block = blockOf(declaration.index);
    // `var` declares again the name it is in the scope of: a value from there on, none at all without an initializer
    // where the name's own declaration is (`var AF = …; var AF;` keeps AF), so never before it.
    const initialized = /^\s*(?::[^=;\n]{1,80}?)?\s*=(?![=>])/.test(text.slice(declaration.index + declaration[0].length, declaration.index + declaration[0].length + 90));
    if (declaration[1] === 'var' && !initialized && ownBlocks.has(block)) continue;
    bind(declaration[2]!, declaration[1] === 'var' ? declaration.index : Math.max(block, 0), block >= 0 ? close[block]! : text.length);
  }
  if (own) {
    // The later names of a declaration's list (`let n = t(), i = r(n)`), at the list's own depth, each read 400 characters at most.
    for (const declaration of text.matchAll(/(?<![\w$.])(?:var|let|const)\s/g)) {
      const depth = around[declaration.index]!;
      let block = depth;
      while (block >= 0 && text[block] !== '{') block = around[block]!;
      // A pattern's names (`let { fn: t, signal: i = 0 } = e`, `const [a, b] = x`): those not followed by a key's `:`.
      const open = declaration.index + declaration[0].length + (/^\s*/.exec(text.slice(declaration.index + declaration[0].length, declaration.index + declaration[0].length + 40))?.[0].length ?? 0);
      if ((text[open] === '{' || text[open] === '[') && close[open]! - open < 600) {
        for (const name of text.slice(open, close[open]! + 1).matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)(?=\s*(?:[,}\]]|=(?![=>])))/g)) if (!own.has(open + name.index)) bind(name[1]!, Math.max(block, 0), block >= 0 ? close[block]! : text.length);
      }
      const end = Math.min(text.length, declaration.index + 400);
      for (let i = declaration.index; i < end && text[i] !== ';'; i++) {
        if (text[i] !== ',' || around[i] !== depth || own.has(i)) continue;
        const name = /^,\s*([A-Za-z_$][\w$]*)\s*=(?![=>])/.exec(text.slice(i, i + 90))?.[1];
        if (name) bind(name, Math.max(block, 0), block >= 0 ? close[block]! : text.length);
      }
    }
  }
  if (ranges.size === 0) return text;
  const shadowed = rangesLookup(ranges);
  return text.replace(new RegExp(namesPattern(plain), 'g'), (name, at: number) => (shadowed(name, at) ? '\x07'.repeat(name.length) : name));
}

/** Whether a position is in one of a name's ranges (`[from, to]`): each name's merged into disjoint ones, in order, and looked up by halving. */
function rangesLookup(ranges: ReadonlyMap<string, Array<[number, number]>>): (name: string, at: number) => boolean {
  const merged = new Map<string, { starts: number[]; ends: number[] }>();
  for (const [name, list] of ranges) {
    const disjoint = { starts: [] as number[], ends: [] as number[] };
    for (const [from, to] of list.sort((a, b) => a[0] - b[0])) {
      const last = disjoint.ends.length - 1;
      if (last >= 0 && from <= disjoint.ends[last]!) disjoint.ends[last] = Math.max(disjoint.ends[last]!, to);
      else {
        disjoint.starts.push(from);
        disjoint.ends.push(to);
      }
    }
    merged.set(name, disjoint);
  }
  return (name, at) => {
    const { starts, ends } = merged.get(name) ?? { starts: [], ends: [] };
    const k = firstIndexFrom(ends, at);
    return k < starts.length && starts[k]! <= at;
  };
}

/**
 * Where `text` reads a plain alias of `Function` (`const F = Function`, then `{ F }`, `[F]`): in the block that binds
 * it, after the binding, and not where a function's parameter or a block's declaration of the same name is another
 * value. Bundles give one letter to `Function` in one module and to anything in the next, so the alias is read by
 * scope, and one step only (`G = F` is not followed).
 */
function functionAliasReads(text: string, brackets: Brackets, code: (i: number) => boolean): Array<[number, number]> {
  const ranges = new Map<string, Array<[number, number]>>();
  for (const alias of text.matchAll(FUNCTION_ALIAS)) {
    if (!code(alias.index)) continue;
    let block = brackets.around[alias.index]!;
    while (block >= 0 && text[block] !== '{') block = brackets.around[block]!;
    const name = alias[1]!;
    (ranges.get(name) ?? ranges.set(name, []).get(name)!).push([alias.index + alias[0].length, block >= 0 ? brackets.close[block]! : text.length]);
  }
  if (ranges.size === 0) return [];
  const names = new Set(ranges.keys());
  const bound = rangesLookup(ranges);
  const reads: Array<[number, number]> = [];
  for (const read of shadowedReadsBlanked(text, names, brackets).matchAll(new RegExp(namesPattern(names), 'g'))) {
    if (code(read.index) && bound(read[0], read.index)) reads.push([read.index, read.index + read[0].length]);
  }
  return reads;
}

/** An element read back (`[AF][0]`, `.at(0)`, `.pop()`, `.find(…)`, a Map's `.get('f')`), bounded. */
const ELEMENT_READ = String.raw`(?:\[[^\[\]\n]{0,80}\]|\.\s*(?:at|pop|shift|find|findLast|get)\s*\([^()\n]{0,80}\))`;
/** A property read (`.f`, `['f']`), bounded. */
const PROPERTY_READ = String.raw`(?:\??\.\s*[\w$]+|\[[^\[\]\n]{0,80}\])`;
/** Elements read back level by level, as nested holders give them (`x[0][0]`, `m.get('f')[1]`), bounded. */
const ELEMENT_READS = String.raw`${ELEMENT_READ}(?:\s*${ELEMENT_READ}){0,3}`;
const ELEMENT_READ_AT = new RegExp(ELEMENT_READS, 'y');
const PROPERTY_READ_AT = new RegExp(PROPERTY_READ, 'y');
/** Read back from where a value starts: the name it is given (`const AF =`), a pattern it is taken apart by (`const [F] =`), the property (`this.AF =`), or the key (`{ f: `) it is set to. */
const BOUND_TO = new RegExp(String.raw`(?<=(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN})`, 'y');
const PATTERN_BOUND_TO = new RegExp(String.raw`(?<=([\]}])${ANNOTATION}${ASSIGN})`, 'dy');
const PROPERTY_SET_TO = new RegExp(String.raw`(?<=(?<![\w$.])${NAME}(?:\s*\.\s*[\w$]+){0,3}\s*(?:\.\s*(${NAME})|\[\s*["'\x60](${NAME})["'\x60]\s*\])\s*=(?![=>])\s*)`, 'y');
const KEY_BEFORE = new RegExp(String.raw`(?<=[{,]\s*["'\x60]?(${NAME})["'\x60]?\s*:\s*)`, 'y');
/**
 * A TypeScript type as a cast names it: a name or `typeof` one, with type arguments and `[]`s, or a parenthesized
 * one (`(any)`), after up to three function types' parameters (`(s: string) => () => void`, which a cast to a callable
 * writes), bounded.
 */
const TYPE = String.raw`(?:\([^()\n]{0,80}\)\s*=>\s*){0,3}(?:\([^()\n]{0,80}\)|(?:typeof\s+)?[A-Za-z_$][\w$.]*(?:\s*<[^<>;\n]{0,80}>)?)(?:\s*\[\s*\])*`;
/** What a TypeScript value is read through after it (`as any`, `satisfies T`, a non-null `!`): the value, retyped. */
const CAST_AFTER = new RegExp(String.raw`(?:\s*(?:(?:as|satisfies)\s+${TYPE}|!(?!=)))+`, 'y');
/** A cast before a value (`<any>Function`), its `<` in group 1. */
const CAST_BEFORE = new RegExp(String.raw`(?<=(<\s*${TYPE}\s*>)\s*)`, 'dy');
/** A cast to a type that says its value is a Function constructor (`x.constructor as FunctionConstructor`, `<typeof Function>x`). */
const CONSTRUCTOR_CAST = new RegExp(String.raw`(?<![\w$.])(?:as|satisfies)\s+(?:FunctionConstructor|typeof\s+Function)(?![\w$.])|<\s*(?:FunctionConstructor|typeof\s+Function)\s*>`, 'g');
/** Methods and functions that call what they are given (`[src].map(AF)`, `p.then(AF)`, `setTimeout(AF, 0, src)`). */
const CALLS_WHAT_IT_IS_GIVEN = /^(?:map|flatMap|forEach|filter|find|findIndex|findLast|findLastIndex|some|every|reduce|reduceRight|sort|toSorted|then|catch|finally|from|replace|replaceAll|setTimeout|setInterval|setImmediate|queueMicrotask|nextTick|requestAnimationFrame)$/;
/** Methods that keep what they are given in their receiver, to be read back (`m.set('f', AF)`, then `m.get('f')`). */
const STORES_IN_RECEIVER = /^(?:set|push|unshift|splice|add|fill)$/;
/** A method called on a name (`m.set`, `xs?.push`), the name in group 1. */
const METHOD_OF_NAME = new RegExp(String.raw`^(${NAME})\s*\??\.\s*[\w$]+$`);
/**
 * Vue's props macros: given an object whose values are types (`defineProps({ onClick: Function })`), they return the
 * props by the same keys, the caller's functions, not the types. Only where the text writes each name as a call (a
 * compiler macro is never defined, bound or handed over); any other call the text does not show may return the holder
 * it is given, and is read so.
 */
const DECLARES_TYPES = /^(?:defineProps|withDefaults)$/;
/** Whether every occurrence of `name` in `text` is a call of it (`defineProps(`), not a definition, a binding or a key. */
const onlyCalled = (text: string, name: string) => [...text.matchAll(new RegExp(String.raw`(?<![\w$])${name}(?![\w$])`, 'g'))].every((match) => text[match.index - 1] !== '.' && !/(?:function\s*\*?|class)\s*$/.test(text.slice(Math.max(0, match.index - 12), match.index)) && text[blanksEnd(text, match.index + name.length)] === '(');
/** Calls that keep what they are given in their first argument (`Object.assign(o, { f: AF })`), and return it. */
const STORES_IN_FIRST_ARGUMENT = /(?<![\w$])(?:Object\s*\.\s*(?:assign|defineProperty|defineProperties)|Reflect\s*\.\s*(?:set|defineProperty))$/;
/** A call's first argument when it is a name, and the property named second (`(o, 'f', …`). */
const FIRST_ARGUMENTS = new RegExp(String.raw`\(\s*(${NAME})\s*(?:,\s*["'\x60](${NAME})["'\x60])?`, 'y');
/** `Function` given another name, plainly (`const F = Function`): the sink by another name, as the fetch-exec reading reads it. */
export const FUNCTION_ALIAS = new RegExp(String.raw`(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN}Function(?=[ \t]*(?:[;,)\n]|$))`, 'g');
/** How far an operand (`x.constructor`, `o['f']`) or a callee (`new Map`) is walked over. */
const OPERAND_REACH = 200;
/** `re` (sticky) matched at `i` of `text`. */
function matchAt(re: RegExp, text: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(text);
}

/** Whether the bracket at `open` applies to what is before it (an index `x[AF]`, `f()[0]`, a call `f(AF)`) rather than opening an array or a group. */
function opensAfterOperand(text: string, open: number): boolean {
  const before = text.slice(Math.max(0, blanksStart(text, open) - 12), blanksStart(text, open));
  return /[\w$)\]]$/.test(before) && !/(?<![\w$])(?:return|yield|await|typeof|void|case|in|of|else|do)$/.test(before);
}

/** Whether the expression that ends at `end` ends its value there: not read on (`Function.bind`, `this.AF.name`, `x[0]()`). */
function endsValue(text: string, end: number): boolean {
  const next = blanksEnd(text, end);
  return next >= text.length || /[;,)\]}]/.test(text[next]!) || (text.slice(end, next).includes('\n') && !/[.[(?\x60]/.test(text[next]!));
}

/**
 * Where the operand that ends at `end` starts: names (`#private` ones too, so that `this.#e.set` is no method of `e`),
 * dots and bracketed parts (`x.constructor`, `o['f']`, `g()`), walked back at most {@link OPERAND_REACH} characters.
 */
export function operandStart(text: string, end: number, { close, around }: Brackets): number {
  let i = end;
  while (i > 0 && end - i < OPERAND_REACH) {
    const c = text[i - 1]!;
    if (/[\w$.#]/.test(c) || (c === '?' && text[i] === '.')) i--;
    else if ((c === ')' || c === ']') && around[i - 1]! >= 0 && close[around[i - 1]!] === i - 1) i = around[i - 1]!;
    else break;
  }
  return i;
}

/** Where the operand cast by the `as` or `satisfies` at `at` starts, through the casts before it (`x.constructor as unknown as T`). */
function castOperandStart(text: string, at: number, brackets: Brackets): number {
  let start = operandStart(text, blanksStart(text, at), brackets);
  for (let casts = 0; casts < 4; casts++) {
    const before = /(?<![\w$.])(?:as|satisfies)\s+$/.exec(text.slice(Math.max(0, start - 20), start));
    if (!before) break;
    start = operandStart(text, blanksStart(text, start - before[0].length), brackets);
  }
  return start;
}

/** Where the operand that starts at `start` ends: names, dots, indexes and calls, walked at most {@link OPERAND_REACH} characters. */
function operandEnd(text: string, start: number, { close }: Brackets): number {
  let i = start;
  while (i < text.length && i - start < OPERAND_REACH) {
    const c = text[i]!;
    if (/[\w$.]/.test(c) || (c === '?' && text[i + 1] === '.')) i++;
    else if ((c === '(' || c === '[') && close[i]! < text.length) i = close[i]! + 1;
    else break;
  }
  return i;
}

/** `[from, to)` with the parentheses that group it (`(AF)`, not a call's `f(AF)`), or as it is. */
function parenthesized(text: string, from: number, to: number): [number, number] {
  const open = blanksStart(text, from) - 1;
  const close = blanksEnd(text, to);
  return text[open] === '(' && text[close] === ')' && !opensAfterOperand(text, open) ? [open, close + 1] : [from, to];
}

/** The value `[start, end)` read through the TypeScript casts around it (`(Function as any)`, `(<any>AF)`, `F!`), or null where none is. */
function castAround(text: string, start: number, end: number): [number, number] | null {
  const after = matchAt(CAST_AFTER, text, end);
  const before = matchAt(CAST_BEFORE, text, start)?.indices?.[1]?.[0];
  if (!after && before === undefined) return null;
  return parenthesized(text, before ?? start, after ? after.index + after[0].length : end);
}

/** `names` with their aliases (`AF2 = AF`), through any number of steps. */
function withAliases(names: Set<string>, aliases: ReadonlyMap<string, readonly string[]>): void {
  const pending = [...names];
  while (pending.length > 0) {
    for (const alias of aliases.get(pending.pop()!) ?? []) {
      if (!names.has(alias)) {
        names.add(alias);
        pending.push(alias);
      }
    }
  }
}

/** Steps from a constructor through containers and properties followed: each step can add a name, a container or a key. */
const FLOW_STEPS = 4;

/**
 * Whether `text` calls a Function constructor: one reached through a function ({@link functionValue}'s `.constructor`,
 * plain functions' too where the name is the function's: {@link shadowedReadsBlanked}), or any Function constructor
 * (`Function` itself too) called by a name that does not say so, as it is written or by a name it was given: `const AF
 * = … .constructor`, `const AF: any = …`, `const { constructor: AF } = …`, an alias (`const AF2 = AF`), an element of
 * an array or a property of an object read back (`[AF][0]`, `({ f: Function }).f`, `const x = [AF]; x[0]`, `const { f
 * } = o`), a property of `this` or of the global object assigned one (`this.AF = AF`, then any `.AF` read), a call it
 * is handed to that calls it (`[src].map(AF)`, `p.then(AF)`) or keeps it to be read back (`new Map([['f', AF]])`,
 * `m.set('f', AF)`, `Object.assign(o, { f: AF })`), a TypeScript cast or a non-null `!` it is read through (`(Function
 * as any)(code)`, `(<any>AF)(code)`, `Function!(code)`), a value cast to the constructor's type (`x.constructor as
 * FunctionConstructor`), and a plain alias of `Function` put in a container ({@link functionAliasReads}). `Function(code)`
 * as written, by a plain alias, and handed as written to a call that calls it (`.then(Function)`), is the sink the
 * fetch-exec reading reads by its name, and stays its. `code(i)` says whether `text[i]` is code (not in a string or a
 * comment): a call is read only there. Only named, the constructor is an ordinary check (`fn instanceof
 * AsyncFunction`); stored in a literal nobody reads back (`{ type: Function }`, a component's props), or handed to a
 * call that neither calls nor keeps it (`expect.any(Function)`), an ordinary value.
 */
export function functionsConstructorCalled(text: string, code: (i: number) => boolean = () => true): boolean {
  if (!/constructor|Function/.test(text)) return false;
  const brackets = bracketsOf(text, code);
  const plain = plainFunctionNames(text);
  const read = plain.size === 0 ? text : shadowedReadsBlanked(text, plain, brackets);
  const value = functionValue(new Set([...functionNames(text), ...plain]));
  const called = (start: number, end: number) => code(start) && calledAt(text, start, end, code);
  const spans: Array<[number, number]> = [];
  for (const match of read.matchAll(new RegExp(String.raw`${value}${CONSTRUCTOR}`, 'g'))) spans.push([match.index, match.index + match[0].length]);
  for (const cast of text.matchAll(CONSTRUCTOR_CAST)) {
    if (!code(cast.index)) continue;
    const end = cast.index + cast[0].length;
    spans.push(cast[0].startsWith('<') ? [cast.index, operandEnd(text, blanksEnd(text, end), brackets)] : [castOperandStart(text, cast.index, brackets), end]);
  }
  const bound = new RegExp(
    [
      String.raw`(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN}${RECEIVER}${value}${CONSTRUCTOR}`,
      String.raw`\{(?:[^{}=\n]{0,120}?,)?\s*constructor\s*(?::\s*(${NAME})\s*)?(?:,[^{}=\n]{0,120})?\}${ANNOTATION}${ASSIGN}${value}`,
    ].join('|'),
    'g',
  );
  // `Function` is the sink the fetch-exec reading reads by name, and its plain aliases (`const F = Function`) too:
  // followed into containers and properties as written, never read as a call here. Its aliases only by scope and one
  // step ({@link functionAliasReads}): in a bundle one letter is rebound in every scope, and the aliases of one, followed
  // through every `a = b`, reached most letters (and their properties) of bowser's.
  const visible = new Set<string>(['Function']);
  const names = new Set<string>();
  for (const match of read.matchAll(bound)) names.add(match[1] ?? match[2] ?? 'constructor');
  const aliases = new Map<string, string[]>();
  for (const match of text.matchAll(new RegExp(String.raw`(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN}(${NAME})(?=[ \t]*(?:[;,)\n]|$))`, 'g'))) {
    aliases.set(match[2]!, [...(aliases.get(match[2]!) ?? []), match[1]!]);
  }
  const containers = new Set<string>();
  const keys = new Set<string>();
  const containerKeys = new Set<string>();
  /** The names of a pattern that takes apart what starts at `start` (`const [F] =`, `const { f: F } =`): each may be a constructor. */
  const takenApart = (start: number) => {
    const closer = matchAt(PATTERN_BOUND_TO, text, start)?.indices?.[1]?.[0] ?? -1;
    if (closer >= 0 && brackets.around[closer]! >= 0) for (const [element] of text.slice(brackets.around[closer]! + 1, closer).matchAll(new RegExp(NAME, 'g'))) names.add(element);
  };
  /** What `[start, end)`, a constructor, is: called (true), read through a cast, or given to a name, a container, a property or a call. */
  const follow = (start: number, end: number, visible = false): boolean => {
    if (!visible && called(start, end)) return true;
    // A cast hides the name the fetch-exec reading reads (`(Function as any)(code)`): what it retypes is read as a name that does not say so.
    const cast = castAround(text, start, end);
    if (cast && follow(cast[0], cast[1])) return true;
    // A group is the value it holds (`o.f = (Function)`).
    const [groupStart, groupEnd] = parenthesized(text, start, end);
    if (groupStart !== start && follow(groupStart, groupEnd, visible)) return true;
    const whole = endsValue(text, end);
    const binding = whole && !visible ? matchAt(BOUND_TO, text, start) : null;
    if (binding) names.add(binding[1]!);
    if (whole && !visible) takenApart(start);
    const property = whole ? matchAt(PROPERTY_SET_TO, text, start) : null;
    if (property) keys.add(property[1] ?? property[2]!);
    return within(start, end, visible ? 'visible' : 'constructor');
  };
  const macros = new Map<string, boolean>();
  /** Whether `name` is Vue's props macro here ({@link onlyCalled}), read once a name. */
  const macro = (name: string) => macros.get(name) ?? macros.set(name, onlyCalled(text, name)).get(name)!;
  /** Holders followed once: what a holder gives is the same however it was reached. */
  const held = new Set<string>();
  /**
   * What `[from, to)` (the literal, or the call, that holds a constructor under `key`) is: read back where it is written
   * (`[AF][0]`, `({ f: AF }).f`, `new Map(…).get('f')`), given to a name (a container), or held in turn.
   */
  const holds = (at: number, to: number, key?: string, returned = false): boolean => {
    if (held.has(`${at} ${key}`)) return false;
    held.add(`${at} ${key}`);
    const [from, end] = parenthesized(text, at, to);
    // What a call returns is read back by the key it was given under (`register({ run: F }).run`), or as an element.
    const read = returned && key !== undefined ? new RegExp(String.raw`\??\.\s*(?:${alternation([key])})(?![\w$])|\[\s*["'\x60](?:${alternation([key])})["'\x60]\s*\]`, 'y') : text[at] === '{' ? PROPERTY_READ_AT : ELEMENT_READ_AT;
    const back = matchAt(read, text, blanksEnd(text, end));
    if (back && follow(from, back.index + back[0].length)) return true;
    if (!endsValue(text, end)) return false;
    takenApart(from);
    const holder = matchAt(BOUND_TO, text, from);
    if (holder) containers.add(holder[1]!);
    if (holder && key !== undefined) containerKeys.add(key);
    return within(from, end, 'holder', key);
  };
  /**
   * What holds `[start, end)` (a constructor as `what` says, or a holder of one under `key`): an array or an object
   * literal it is an element of, or a call it is handed to whole, which calls it (`[src].map(AF)`) or keeps it where it
   * is read back (`new Map([['f', AF]])`, `m.set('f', AF)`, `Object.assign(o, { f: AF })`).
   */
  const within = (start: number, end: number, what: 'constructor' | 'visible' | 'holder', key?: string): boolean => {
    const open = brackets.around[start]!;
    if (open < 0 || !'([{'.includes(text[open]!)) return false;
    const previous = text[blanksStart(text, start) - 1];
    const next = text[blanksEnd(text, end)];
    if (text[open] === '(') return (previous === '(' || previous === ',') && (next === ',' || next === ')') && opensAfterOperand(text, open) && handedTo(open, what, key);
    const literalKey = matchAt(KEY_BEFORE, text, start)?.[1];
    const element = text[open] === '[' ? (previous === '[' || previous === ',') && (next === ',' || next === ']') && !opensAfterOperand(text, open) : (literalKey !== undefined && endsValue(text, end)) || ((previous === '{' || previous === ',') && (next === ',' || next === '}'));
    if (!element) return false;
    return holds(open, brackets.close[open]! + 1, text[open] === '{' ? (literalKey ?? text.slice(start, end)) : key);
  };
  /** What the call whose arguments open at `open` does with a constructor (or a holder of one) it is given. */
  const handedTo = (open: number, what: 'constructor' | 'visible' | 'holder', key?: string): boolean => {
    const calleeStart = operandStart(text, blanksStart(text, open), brackets);
    const callee = text.slice(calleeStart, blanksStart(text, open));
    const method = /[\w$]+$/.exec(callee)?.[0] ?? '';
    // `Function` handed over as written is the fetch-exec reading's (`.then(Function)`), as its call is.
    if (what === 'constructor' && CALLS_WHAT_IT_IS_GIVEN.test(method)) return true;
    const receiver = METHOD_OF_NAME.exec(callee)?.[1];
    if (receiver && STORES_IN_RECEIVER.test(method)) containers.add(receiver);
    const stores = STORES_IN_FIRST_ARGUMENT.test(callee);
    const target = stores ? matchAt(FIRST_ARGUMENTS, text, open) : null;
    const storedKey = target?.[2] ?? key;
    if (target) containers.add(target[1]!);
    if (target && storedKey !== undefined) containerKeys.add(storedKey);
    const constructed = /(?<![\w$.])new\s*$/.exec(text.slice(Math.max(0, calleeStart - 8), calleeStart));
    // A function the text does not show, handed a holder (`wrap([F])`, `register({ run: F })`), may return it.
    if (!constructed && !stores) {
      // What it returns, awaited or not (`const h = await register({ run: F })`).
      const awaited = /(?<![\w$.])await\s*$/.exec(text.slice(Math.max(0, calleeStart - 8), calleeStart));
      return what === 'holder' && !(DECLARES_TYPES.test(method) && macro(method)) && holds(calleeStart - (awaited?.[0].length ?? 0), brackets.close[open]! + 1, key, true);
    }
    return holds(constructed ? calleeStart - constructed[0].length : calleeStart, brackets.close[open]! + 1, storedKey);
  };
  for (const [start, end] of spans) if (follow(start, end)) return true;
  for (const [start, end] of functionAliasReads(text, brackets, code)) if (follow(start, end, true)) return true;
  for (let step = 0; step < FLOW_STEPS; step++) {
    const size = visible.size + names.size + containers.size + keys.size + containerKeys.size;
    withAliases(names, aliases);
    withAliases(containers, aliases);
    for (const match of text.matchAll(new RegExp(namesPattern(new Set([...visible, ...names])), 'g'))) {
      if (code(match.index) && follow(match.index, match.index + match[0].length, visible.has(match[0]) && !names.has(match[0]))) return true;
    }
    const reads = [
      ...(containers.size === 0 ? [] : [String.raw`${namesPattern(containers)}\s*(?:${ELEMENT_READS}|\??\.\s*(?:${alternation(containerKeys)})(?![\w$]))`]),
      ...(keys.size === 0 ? [] : [String.raw`(?:${NAME}\s*)?(?:\??\.\s*(?:${alternation(keys)})(?![\w$])|\[\s*["'\x60](?:${alternation(keys)})["'\x60]\s*\])`]),
    ];
    if (containers.size > 0) for (const match of text.matchAll(new RegExp(namesPattern(containers), 'g'))) takenApart(match.index);
    if (reads.length > 0) for (const match of text.matchAll(new RegExp(reads.join('|'), 'g'))) if (code(match.index) && follow(match.index, match.index + match[0].length)) return true;
    if (visible.size + names.size + containers.size + keys.size + containerKeys.size === size) break;
  }
  return false;
}
