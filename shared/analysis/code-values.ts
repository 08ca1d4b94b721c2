import { JAVASCRIPT, javascriptCode } from './bracket-readings.js';
import { type Brackets, FUNCTION_ALIAS, NAME, blanksEnd, blanksStart, bracketsOf, functionNames, namesPattern, operandStart, plainFunctionNames, shadowedReadsBlanked } from './function-constructors.js';

/**
 * Code-running builtins used as values (attack pass 21, session 40's findings P1-P9). Following a Function constructor,
 * `eval` or `exec` through each way a value can be copied (spread, `Array.from`, a Set, a getter, a returned value, an
 * argument) never ends; the builtin taken as a value at all is what an honest fix does not do. So a file is refused
 * where one is used as anything but called as written (read by the other readings), compared, or read a property of:
 * passed, stored, returned, spread, exported, picked by an operator, cast. Linear: each candidate is found by a regular
 * expression whose quantifiers are bounded, and its surroundings read by an index walk.
 */

/** Python files, read by {@link pythonCommentsBlanked} and {@link pythonRunnerAsValue}. */
export const PYTHON = /\.pyw?$/i;

/** A text with its comments blanked (spaces, newlines kept, so offsets hold), and which of its characters are code. */
export interface Blanked {
  text: string;
  /** Which characters are code, where the reading is whole (none: read all as code). */
  code?: (i: number) => boolean;
  /** Where a JavaScript template literal is never closed: the text before it read as it is, all after its opening as code. */
  lenient?: (i: number) => boolean;
}

/** `text` with the positions `marks` flags (1) blanked, newlines kept. */
function blankedAt(text: string, marks: Uint8Array): string {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (marks[i] !== 1 || text[i] === '\n' || text[i] === '\r') continue;
    if (i > from) parts.push(text.slice(from, i));
    parts.push(' ');
    from = i + 1;
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/**
 * Python's strings (prefixed, triple-quoted, a one-line one ended by its line) and `#` comments outside them: which
 * characters are code (1) and which a comment (2). One pass.
 */
function pythonKinds(text: string): Uint8Array {
  const kinds = new Uint8Array(text.length);
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '#') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      kinds.fill(2, i, stop);
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = text.startsWith(c.repeat(3), i);
      let j = i + (triple ? 3 : 1);
      for (; j < text.length; j++) {
        if (text[j] === '\\') j++;
        else if (!triple && text[j] === '\n') break;
        else if (triple ? text.startsWith(c.repeat(3), j) : text[j] === c) {
          j += triple ? 3 : 1;
          break;
        }
      }
      i = Math.min(j, text.length);
      continue;
    }
    kinds[i] = 1;
    i++;
  }
  return kinds;
}

/**
 * `text` (a file's added lines) with its comments blanked, for JavaScript (and TypeScript) and Python, so that no
 * comment stands between a name and its call's parenthesis (`AF /**\u200b/ (src)`, `eval // x⏎(c)`); other files as they
 * are. A JavaScript text whose template literal is never closed has no exact reading (`code`): its comments before the
 * template are blanked, and `lenient` reads from the template's opening on as code.
 */
export function commentsBlanked(path: string, text: string): Blanked {
  if (JAVASCRIPT.test(path)) {
    const comments = new Uint8Array(text.length + 1);
    const mask = javascriptCode(text, comments);
    if (mask) return { text: blankedAt(text, comments), code: (i) => mask[i] === 1 };
    // A template literal never closed: read closed at the text's end, and what follows its opening read as code.
    comments.fill(0);
    const closed = javascriptCode(`${text}\x60`, comments)!;
    let open = text.length;
    while (open > 0 && closed[open - 1] === 0 && comments[open - 1] === 0) open--;
    comments.fill(0, open);
    return { text: blankedAt(text, comments), lenient: (i) => closed[i] === 1 || i >= open };
  }
  if (PYTHON.test(path)) {
    const kinds = pythonKinds(text);
    const comments = kinds.map((kind) => (kind === 2 ? 1 : 0));
    return { text: blankedAt(text, comments), code: (i) => kinds[i] === 1 };
  }
  return { text };
}

/** Global objects, whose `Function` and `eval` properties are the builtins. */
const GLOBAL = String.raw`(?:globalThis|window|self|global)`;
/** Builtins (and the global object's functions) whose `.constructor`, or whose methods' `.constructor`, is Function. */
const BUILTIN_HEAD =
  /^(?:Object|Function|Array|String|Number|Boolean|Symbol|BigInt|Promise|Map|Set|WeakMap|WeakSet|WeakRef|Date|RegExp|\w*Error|JSON|Math|Reflect|Proxy|Intl|Atomics|console|process|Buffer|URL|globalThis|window|self|global|setTimeout|setInterval|setImmediate|clearTimeout|parseInt|parseFloat|isNaN|isFinite|require|fetch|atob|btoa|encodeURI|decodeURI|encodeURIComponent|decodeURIComponent|escape|unescape|structuredClone|queueMicrotask|eval)$/;
/** A function, a class or an arrow written in parentheses: `(class {})`, `(async () => {})`, `(function () {})`, `(x => x)`. */
const FUNCTION_IN_PARENTHESES = /^\(\s*(?:class\b|async\b|function\b|\([^()]*\)\s*=>|[\w$]+\s*=>)/;
/** `Object.getPrototypeOf(…)`/`Reflect.getPrototypeOf(…)` of a function written there. */
const PROTOTYPE_OF_FUNCTION = /^(?:Object|Reflect)\s*\.\s*getPrototypeOf\s*\(\s*(?:async\b|function\b|class\b|\([^()]*\)\s*=>|[\w$]+\s*=>)/;
/** Names bound to a function or a class (`const g = () => 1`, `const g = function`, `class C`), besides functionNames'. */
const BOUND_FUNCTION = new RegExp(String.raw`(?<![\w$.])(${NAME})\s*(?::[^=;\n]{1,80}?\s*)?=(?![=>])\s*(?:\(\s*)?(?:(?:Object|Reflect)\s*\.\s*getPrototypeOf\s*\(\s*)?(?:async\b|function\b|class\b|\([^()\n]{0,80}\)\s*(?::[^=;\n]{1,80}?\s*)?=>|[\w$]+\s*=>)|(?<![\w$.])class\s+(${NAME})`, 'g');
/**
 * A name bound plainly to a `.constructor` read of anything, through calls and indexes (`const C = x.constructor`, `=
 * Object.getPrototypeOf(fn).constructor`, `= Reflect.get(fn, 'constructor')`): a constructor, so a function.
 */
const BOUND_CONSTRUCTOR = new RegExp(String.raw`(?<![\w$.])(?:const|let|var)\s+(${NAME})\s*(?::[^=;\n]{1,80}?\s*)?=(?![=>])\s*\(?\s*(?!this\s*\??\.\s*constructor)(?:[\w$.?\s()[\]'"]{1,200}?(?:\??\.\s*constructor|\[\s*["'\x60]constructor["'\x60]\s*\])|Reflect\s*\.\s*get\s*\([^,()\n]{1,120},\s*["'\x60]constructor["'\x60]\s*\))\s*\)?(?=\s*(?:[;,)]|$))`, 'gm');
/** An argument that is a literal, its text in the diff to read (a string with no substitution, a number, a keyword), and what ends it. */
const LITERAL_ARGUMENT = /\s*(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\$]|\\.|\$(?!\{))*\x60|-?[\d.]+|true|false|null|undefined)\s*([,)])/y;
/** A constructor's call by `call`/`apply`/`bind`, whose first argument is `this`. */
const CALLED_BY_METHOD = /\??\.\s*(?:call|apply|bind)\s*\(/y;

/**
 * Whether what ends at `end` is called there with anything but literals (`(src)`, `?.(src)`, `.call(null, src)`): a
 * constructor of a value the text does not show, called so, is Function where the value is a function. The arguments
 * are read literal by literal, so nested calls cost no more than their text.
 */
function calledWithValue(text: string, start: number, end: number, { close, around }: Brackets, code: (i: number) => boolean): boolean {
  let at = blanksEnd(text, end);
  // Called through a group (`(fn.constructor)(src)`, `(0, fn.constructor)(src)`), not handed to a call (`f(fn.constructor)`).
  const group = around[start]!;
  const before = group >= 0 ? text.slice(Math.max(0, blanksStart(text, group) - 8), blanksStart(text, group)) : '';
  const grouping = !/[\w$)\]]$/.test(before) || /(?<![\w$])(?:return|typeof|void|await|yield|case|in|of|else|do)$/.test(before);
  if (group >= 0 && text[group] === '(' && grouping && text[at] === ')' && close[group] === at) at = blanksEnd(text, at + 1);
  if (text.startsWith('?.', at) && text[blanksEnd(text, at + 2)] === '(') at = blanksEnd(text, at + 2);
  CALLED_BY_METHOD.lastIndex = at;
  const method = CALLED_BY_METHOD.exec(text);
  if (method) at += method[0].length - 1;
  // A method's definition (`constructor(props) {`) is no call.
  if (text[at] !== '(' || !code(at) || text[blanksEnd(text, close[at]! + 1)] === '{') return false;
  let i = blanksEnd(text, at + 1);
  if (text[i] === ')') return false;
  if (method) {
    // `this` for the call: any one operand, read up to its comma.
    const comma = /^[\w$.\s]{0,80}?([,)])/.exec(text.slice(i, i + 82));
    if (!comma || comma[1] === ')') return comma === null;
    i += comma[0].length;
  }
  for (;;) {
    LITERAL_ARGUMENT.lastIndex = i;
    const literal = LITERAL_ARGUMENT.exec(text);
    if (!literal) return true;
    if (literal[1] === ')') return false;
    i = LITERAL_ARGUMENT.lastIndex;
  }
}

/** Whether the operand that starts at `start` is constructed (`new x.constructor(…)`): a copy of a value by its class, as code does. */
const constructedAt = (text: string, start: number) => /(?<![\w$.])new\s*$/.test(text.slice(Math.max(0, start - 8), start));
/** Whether the operand that starts at `start` is the first argument of `Reflect.apply`: called, as `x.constructor.call` is. */
const reflectedAt = (text: string, start: number) => /(?<![\w$.])Reflect\s*\.\s*apply\s*\(\s*$/.test(text.slice(Math.max(0, start - 30), start));

/** Whether the operand that starts at `start` is the first argument of `Reflect.construct` with a list that is not all literals. */
const reflectedConstructAt = (text: string, start: number) =>
  /(?<![\w$.])Reflect\s*\.\s*construct\s*\(\s*$/.test(text.slice(Math.max(0, start - 30), start)) &&
  /^[^,\n]{0,200}?,\s*\[(?!\s*\])(?!\s*(?:(?:"[^"\n]*"|'[^'\n]*'|-?\d[\d.]*)\s*(?:,\s*|(?=\])))*\])/.test(text.slice(start, start + 400));

/**
 * Whether what a construction builds (`new x.constructor(…)` at `[start, end)`, or `Reflect.construct(x.constructor, …)`)
 * is called: at once (`new x.constructor(src)()`, `(new …)()`), or by the name it is bound to (`const F = new …; F()`,
 * `F.call(…)`). A copy of a value by its class is kept, not called; `new Function(src)` is built to be.
 */
function builtAndCalled(text: string, start: number, end: number, { close, around }: Brackets): boolean {
  let from = start;
  let to: number;
  const newAt = /(?<![\w$.])new\s*$/.exec(text.slice(Math.max(0, start - 8), start));
  if (newAt) {
    from = start - newAt[0].length;
    const at = blanksEnd(text, end);
    if (text[at] !== '(') return false;
    to = close[at]! + 1;
  } else {
    const open = around[start]!;
    if (open < 0 || text[open] !== '(') return false;
    from = operandStart(text, blanksStart(text, open), { close, around });
    to = close[open]! + 1;
  }
  // Through the groups around it: `(new x.constructor(src))()`.
  while (text[blanksStart(text, from) - 1] === '(' && close[blanksStart(text, from) - 1] === blanksEnd(text, to)) {
    from = blanksStart(text, from) - 1;
    to = blanksEnd(text, to) + 1;
  }
  const after = blanksEnd(text, to);
  if (text[after] === '(' || text.startsWith('?.(', after) || /^\.\s*(?:call|apply)\s*\(/.test(text.slice(after, after + 12))) return true;
  const bound = /(?<![\w$.])([A-Za-z_$][\w$]*)\s*=(?![=>])\s*$/.exec(text.slice(Math.max(0, from - 80), from))?.[1];
  if (bound === undefined) return false;
  const name = bound.replace(/\$/g, '\\$');
  // Called by its name, or handed to what calls it (`setTimeout(F)`, `[1].map(F)`, `Reflect.apply(F, …)`).
  return new RegExp(String.raw`(?<![\w$.])${name}\s*(?:\?\.\s*)?(?:\(|\.\s*(?:call|apply)\s*\()|\b(?:${CALLS_GIVEN})\s*\(\s*(?:[^,()\n]{0,80},\s*)?${name}\s*[,)]`).test(text.slice(to));
}

/** Builtins that call a function they are given. */
const CALLS_GIVEN = 'map|flatMap|forEach|filter|find|some|every|reduce|sort|then|catch|finally|setTimeout|setInterval|setImmediate|queueMicrotask|nextTick|requestAnimationFrame|apply|call';

/** A block's head that is no function's: `if (…) {`, `for (…) {`, `catch (e) {`. */
const STATEMENT_HEAD = /(?<![\w$.])(?:if|for|while|switch|catch|with)\s*$/;

/**
 * Whether `this` at `at` may be a function: the nearest function around it that is not an arrow (an arrow's `this` is
 * its surroundings') is called with a value the text gives as `this` (`m.call(fn, …)`, `.apply`, `.bind(fn)`; not
 * `this`, `null` or `undefined`; `Reflect.apply(m, fn, …)`), bound where it is written (`function () {…}.bind(fn)`),
 * made a method of every function (`Function.prototype.m = function …`), or, with `calledOnMember`, set as a property
 * of a value the text does not show (`fn.m = function …`). A class's method, a prototype's and a component's render
 * are called on their instance, and read as before.
 */
function thisMayBeAFunction(text: string, at: number, { close, around }: Brackets, calledOnMember: boolean): boolean {
  for (let brace = around[at]!; brace >= 0; brace = around[brace]!) {
    if (text[brace] !== '{') continue;
    const headEnd = blanksStart(text, brace);
    if (text.slice(Math.max(0, headEnd - 2), headEnd) === '=>') continue;
    const paramsClose = text[headEnd - 1] === ')' ? headEnd - 1 : -1;
    const paramsOpen = paramsClose >= 0 ? around[paramsClose]! : -1;
    if (paramsOpen < 0 || text[paramsOpen] !== '(') {
      // A class's body, or an object literal: no function between `this` and its method's.
      continue;
    }
    const head = text.slice(Math.max(0, paramsOpen - 120), paramsOpen);
    if (STATEMENT_HEAD.test(head)) continue;
    // Each run of blanks read by one quantifier (`\s*\*?\s*name?\s*$` split `function` and 1K spaces every way, 398 ms;
    // `head` is at most 120 characters, so that was its bound here, not a patch's length).
    const declared = /(?:(?<![\w$.])function\b\s*(?:\*\s*)?(?:([A-Za-z_$][\w$]*)\s*)?|(?<![\w$.])(?:async\s+)?(?:\*\s*)?([A-Za-z_$][\w$]*)\s*)$/.exec(head);
    if (!declared) return false;
    const afterBody = blanksEnd(text, close[brace]! + 1);
    if (/^\.\s*(?:call|apply|bind)\s*\(\s*(?!this\b|null\b|undefined\b|\))/.test(text.slice(afterBody, afterBody + 40))) return true;
    const before = text.slice(Math.max(0, paramsOpen - 200), paramsOpen - declared[0].length);
    if (/(?<![\w$.])Function\s*\.\s*prototype\s*(?:\.\s*[\w$]+|\[[^\]\n]{1,80}\])\s*=\s*$/.test(before)) return true;
    // A function set as a property of a value the text does not show (`fn.m = function …`) is called on that value; on
    // a prototype (`Foo.prototype.m = function …`), on its instances.
    const member = /(?<![\w$.])([\w$]+(?:\s*\.\s*[\w$]+)*)\s*\.\s*[\w$]+\s*=(?![=>])\s*$/.exec(before);
    if (calledOnMember && member && !/(?:^|\.)\s*prototype$/.test(member[1]!) && !/^(?:this|module|exports|module\s*\.\s*exports)$/.test(member[1]!)) return true;
    const name = declared[1] ?? declared[2] ?? /(?:([A-Za-z_$][\w$]*)\s*[:=]|\[\s*["'\x60]([\w$]+)["'\x60]\s*\]\s*=)\s*$/.exec(before)?.slice(1).find((group) => group !== undefined);
    if (name === undefined || name === 'function') return false;
    const escaped = name.replace(/\$/g, '\\$');
    return new RegExp(String.raw`(?<![\w$])${escaped}\s*\.\s*(?:call|apply|bind)\s*\(\s*(?!this\b|null\b|undefined\b|\))|(?<![\w$.])Reflect\s*\.\s*apply\s*\(\s*(?:[\w$]+\s*\.\s*)*${escaped}\s*,\s*(?!this\b|null\b|undefined\b)`).test(text);
  }
  return false;
}

/** Methods written in an object or a class (`{ m() {} }`, `m: function`, `m: () =>`), by name. */
const METHOD_DEFINED = new RegExp(String.raw`[{,;]\s*(?:static\s+)?(?:async\s+)?(?:\*\s*)?(${NAME})\s*(?:\([^()\n]{0,80}\)\s*\{|:\s*(?:async\b|function\b|\([^()\n]{0,80}\)\s*=>|[\w$]+\s*=>))`, 'g');
/** The start of a `.constructor` read (`.constructor`, `?.constructor`, `['constructor']`). */
const CONSTRUCTOR_READ = /(?:\??\.\s*constructor(?![\w$])|\[\s*["'\x60]constructor["'\x60]\s*\])/g;
/** A pattern that takes `constructor` out of a value: `{ constructor: F } =`, `{ constructor } =`, `{ ['constructor']: F } =`. */
const CONSTRUCTOR_TAKEN = new RegExp(String.raw`\{(?:[^{}=\n]{0,120}?,)?\s*(?:\[\s*)?["'\x60]?(constructor)["'\x60]?(?:\s*\])?\s*(?::\s*(${NAME})\s*)?(?:,[^{}=\n]{0,120})?\}\s*(?::[^=;\n]{1,80}?\s*)?=(?![=>])\s*`, 'dg');
/**
 * A constructor's constructor taken by a nested pattern (`{ constructor: { constructor: F } } = x`), always Function; and
 * a `with` statement, whose names read an object's properties (`with (fn) constructor(src)`), in strict code an error.
 */
const CONSTRUCTOR_HIDDEN = /constructor["'\x60]?(?:\s*\])?\s*:\s*\{[^{}=\n]{0,120}?(?<![\w$])constructor(?![\w$])|(?<![\w$.])with\s*\(/g;
/** `'constructor'` bound to a name (`const k = 'constructor'`), a key for an index (`fn[k]`) read as `fn.constructor`. */
const CONSTRUCTOR_NAMED = new RegExp(String.raw`(?<![\w$.])(?:const|let|var)\s+(${NAME})\s*=\s*["'\x60]constructor["'\x60]`, 'g');
/**
 * A property descriptor or a reflected read of `constructor` by its name as a string. The object read (group 1) starts
 * and ends with a character other than a blank, or is the last blank before the comma on a line of blanks, so the blanks
 * around it are each read by one quantifier (session 70: `\s*([^,()\n]{1,120}?)\s*,` tried every split of them,
 * `Reflect.get(` and 1K blanks took 112 ms; the same matches over 104,064 texts).
 */
export const CONSTRUCTOR_BY_STRING = /(?:getOwnPropertyDescriptors?|Reflect\s*\.\s*get|Reflect\s*\.\s*getOwnPropertyDescriptor)\s*\(\s*([^,()\s](?:[^,()\n]{0,118}[^,()\s])?|[^\S\n](?=\n*,))\s*,\s*["'\x60]constructor["'\x60]|getOwnPropertyDescriptors\s*\(\s*Function\b/g;
/** A plain binding: `const X =`, `let X: T =`, `var X =` (the name in group 1), as it ends just before a value. */
const DECLARED_BEFORE = new RegExp(String.raw`((?<![\w$.])(export\s+(?:default\s+)?)?(?:const|let|var)\s+|,\s*)(${NAME})\s*(?::[^=;\n]{1,80}?\s*)?=(?![=>])\s*$`);
/** What a value's use is read by, before it: a comparison, `typeof`, `instanceof`, `!`, `void`, `delete`. */
const SAFE_BEFORE = /(?:[=!]==?|(?<![\w$])(?:typeof|instanceof|void|delete)|!)\s*$/;
/** After it: a comparison, `instanceof`, `in`, an assignment to it, `&&`, a conditional's test. */
const SAFE_AFTER = /^\s*(?:[=!]==?|instanceof\b|in\b|=(?![=>])|&&|\?(?![.?])|[-+*/%<>|^&]=)/;
/** A property read after it that is no call of it (`.name`, `.prototype`, `[key]`), not `.call`/`.apply`/`.bind`. */
const PROPERTY_AFTER = /^\s*(?:\??\.\s*(?!(?:call|apply|bind)(?![\w$]))[\w$#]|\[(?!\s*["'\x60](?:call|apply|bind)["'\x60]))/;
/** A parenthesized condition's keyword, whose test reads a value and keeps nothing. */
const CONDITION = /(?<![\w$.])(?:if|while)\s*$/;

/** Whether the value at `[start, end)` of `text` is used only in ways that keep nothing: compared, tested, a property of it read. */
function usedSafely(text: string, start: number, end: number, brackets: Brackets): boolean {
  const before = text.slice(Math.max(0, start - 12), start);
  const after = text.slice(end, end + 12);
  if (SAFE_BEFORE.test(before) || SAFE_AFTER.test(after) || PROPERTY_AFTER.test(after)) return true;
  // The whole of an `if (…)` or a `while (…)`'s test.
  const open = blanksStart(text, start) - 1;
  const close = blanksEnd(text, end);
  return text[open] === '(' && text[close] === ')' && brackets.close[open] === close && CONDITION.test(text.slice(Math.max(0, open - 8), open));
}

/**
 * Whether `text` (JavaScript, comments blanked) uses a Function constructor reached through a function as a value, or
 * `eval`, `Function`'s code-running uses, vm's runners or a shell's standard input fed text. A constructor's reads:
 * `.constructor` (and `{ constructor } =`, a descriptor of `'constructor'`) of what is a function where it is written (a
 * builtin and its methods, a function, class or arrow expression, a name the text binds to one, a method it defines,
 * `Function.prototype`), and the names such a value is bound to plainly (`const AF = …`), read by scope. Each read must
 * be compared, tested or a property of it read (`AF.name`, `fn instanceof AF`, `x.constructor === AF`); a call, a
 * construction, an export, a property set, an argument, an element, a spread, an operator's operand, a cast refuses.
 * `this.constructor` is {@link functionsConstructorCalled}'s, as before (a class's or a function component's own). So is
 * the constructor of a value the text does not show to be a function (`obj.constructor`), but for its call (not a
 * construction) with anything but literals, as read or by a name bound plainly to it (`o.constructor(src)`, `const F =
 * o.constructor; F(src)`, `Reflect.apply(o.constructor, …)`): where the value is a function, that is Function's
 * (session 41), while copying code constructs (`new x.constructor(v)`). A constructor is a function, so a constructor's
 * `.constructor` is read as one's (`x.constructor.constructor`, `C.constructor`).
 */
export function javascriptRunnerAsValue(text: string, code: (i: number) => boolean = () => true): boolean {
  // A name written with an escape (`\u0046unction`, `fn.\u0063onstructor`) is the same binding to JavaScript, unread by
  // every name-based reading here; honest code never spells an identifier so (attack 43c, P4). Only an escape of a
  // name's ASCII character: a regular expression read as code where a chunk's template is left open escapes others.
  for (const match of text.matchAll(/\\u(?:\{0*|00)([2-7][\da-fA-F])\}?/g)) if (code(match.index) && /[\w$]/.test(String.fromCharCode(Number.parseInt(match[1]!, 16)))) return true;
  for (const match of text.matchAll(COMPUTED_KEY)) if (code(match.index) && computedRunnerKey(match[1]!)) return true;
  if (/(?<![\w$.])eval(?![\w$])/.test(text) && evalAsValue(text, code)) return true;
  if (/Function|vm|Script|stdin|require|import|constructor/.test(text) && otherRunnersAsValue(text, code)) return true;
  if (!/constructor|with/.test(text)) return false;
  // A `with` only where a statement starts (prose in JSX text says "with (…)" after a word).
  for (const match of text.matchAll(CONSTRUCTOR_HIDDEN)) if (code(match.index) && (match[0][0] !== 'w' || /^[;{}]?$/.test(text[blanksStart(text, match.index) - 1] ?? ''))) return true;
  for (const match of text.matchAll(CONSTRUCTOR_NAMED)) if (new RegExp(String.raw`\[\s*${match[1]!.replace(/\$/g, '\\$')}\s*\]`).test(text)) return true;
  if (!/constructor/.test(text)) return false;
  const brackets = bracketsOf(text, code);
  const functions = new Set([...functionNames(text), ...plainFunctionNames(text)]);
  const bindings = new Set<number>();
  for (const match of text.matchAll(BOUND_FUNCTION)) {
    // A function in parentheses that is called or read on (`(function () {…})()`) gives its result, not itself.
    const open = blanksEnd(text, match.index + match[0].indexOf('=') + 1);
    if (text[open] === '(' && match[0].indexOf('(', match[0].indexOf('=')) === open - match.index) {
      const after = text[blanksEnd(text, brackets.close[open]! + 1)];
      if (after !== undefined && (after === '(' || after === '.' || after === '[')) continue;
    }
    functions.add(match[1] ?? match[2]!);
    const declaration = /(?:const|let|var)\s+$/.exec(text.slice(Math.max(0, match.index - 12), match.index));
    if (declaration) bindings.add(match.index - declaration[0].length);
  }
  // A function's name read by scope: where a parameter or a declaration of the same name is another value, blanked.
  // Names bound to a `.constructor` read of anything, by the index of their declaration.
  const anyConstructors = new Set<string>();
  const anyOwn = new Set<number>();
  for (const match of text.matchAll(BOUND_CONSTRUCTOR)) {
    anyConstructors.add(match[1]!);
    anyOwn.add(match.index);
  }
  const scoped = functions.size === 0 ? text : shadowedReadsBlanked(text, functions, brackets, bindings);
  const methods = new Set<string>();
  for (const match of text.matchAll(METHOD_DEFINED)) if (match[1] !== 'constructor') methods.add(match[1]!);
  /** Whether the operand `[start, end)` is a function where it is written. */
  const isFunction = (start: number, end: number): boolean => {
    const operand = scoped.slice(start, end).trim().replace(/\s+/g, ' ');
    if (operand === '' || /^(?:this|new\.target|super)$/.test(operand)) return false;
    if (/(?:\.\s*constructor|\[\s*["'\x60]constructor["'\x60]\s*\])$/.test(operand) || anyConstructors.has(operand)) return true;
    if (FUNCTION_IN_PARENTHESES.test(operand) || PROTOTYPE_OF_FUNCTION.test(operand)) return true;
    if (operand === 'Function.prototype' || /^\[\s*\]\s*\.\s*\w+$/.test(operand)) return true;
    if (/\)$/.test(operand) || /\.\s*prototype$/.test(operand)) return false;
    const parts = operand.split(/\s*\??\.\s*/);
    const head = parts[0]!;
    if (parts.length === 1) return functions.has(head) || constructors.has(head) || BUILTIN_HEAD.test(head);
    if (head === 'this' && parts.length === 2) return methods.has(parts[1]!);
    return BUILTIN_HEAD.test(head) || functions.has(head) || constructors.has(head) || methods.has(parts[parts.length - 1]!);
  };
  const constructors = new Set<string>();
  const own = new Set<number>();
  /** What the constructor at `[start, end)` is used as: true to refuse; a plain binding (`const AF = …`) adds its name. */
  const used = (start: number, end: number, reading: boolean): boolean => {
    if (usedSafely(text, start, end, brackets)) return false;
    // A statement of its own, its value dropped (a bundle's leftover `(async function() {}).constructor;`).
    if (/^(?:[;{}]|)$/.test(text[blanksStart(text, start) - 1] ?? '') && /^\s*(?:;|$)/.test(text.slice(end, end + 8))) return false;
    const from = Math.max(0, start - 120);
    const binding = reading ? null : DECLARED_BEFORE.exec(text.slice(from, start));
    const next = blanksEnd(text, end);
    const whole = next >= text.length || /[;,)\]}]/.test(text[next]!) || text.slice(end, next).includes('\n');
    if (!binding || binding[2] !== undefined || !whole) return true;
    constructors.add(binding[3]!);
    own.add(from + binding.index + binding[0].indexOf(binding[1]!));
    return false;
  };
  for (const match of text.matchAll(CONSTRUCTOR_READ)) {
    if (!code(match.index)) continue;
    let start = operandStart(text, blanksStart(text, match.index), brackets);
    const end = match.index + match[0].length;
    // A function or a class written out (`async function () {}.constructor`): its body's brace ends the operand.
    const body = brackets.around[blanksStart(text, match.index) - 1] ?? -1;
    const expression = text[blanksStart(text, match.index) - 1] === '}' && body >= 0 ? /(?:async\s+)?(?:function|class)\b[^{}\n]{0,80}$/.exec(text.slice(Math.max(0, body - 80), body)) : null;
    if (expression) start = body - expression[0].length;
    if (expression ? used(start, end, false) : false) return true;
    if (expression) continue;
    // `this.constructor(props)`: a class's or a function component's own constructor (preact's `doRender`), unless the
    // function it is in is called with a function as `this` (session 42).
    const byThis = text.slice(start, blanksStart(text, match.index)).trim() === 'this';
    if (isFunction(start, blanksStart(text, match.index)) ? used(start, end, false) : !byThis && !constructedAt(text, start) && (reflectedAt(text, start) || calledWithValue(text, start, end, brackets, code))) return true;
    // A copy built by a method set on an object (`o.clone = function () { return new this.constructor(this.v) }`) is kept.
    if (byThis && calledWithValue(text, start, end, brackets, code) && thisMayBeAFunction(text, start, brackets, !constructedAt(text, start) || builtAndCalled(text, start, end, brackets))) return true;
    // Copying code constructs a value's class (`new x.constructor(v)`) and keeps what it built; `new Function(src)` is
    // built to be called (session 42).
    const group = blanksStart(text, start) - 1;
    const [built, builtEnd] = text[group] === '(' && brackets.close[group] === blanksEnd(text, end) ? [group, brackets.close[group]! + 1] : [start, end];
    if (!byThis && constructedAt(text, built) && calledWithValue(text, built, builtEnd, brackets, code) && builtAndCalled(text, built, builtEnd, brackets)) return true;
    if (reflectedConstructAt(text, start) && builtAndCalled(text, start, end, brackets)) return true;
  }
  for (const match of text.matchAll(CONSTRUCTOR_TAKEN)) {
    if (!code(match.index)) continue;
    const from = match.index + match[0].length;
    let to = from;
    while (to < text.length && to - from < 200 && !/[;\n]/.test(text[to]!)) to++;
    const name = match[2] ?? 'constructor';
    if (!isFunction(from, to)) {
      // Of a value the text does not show to be a function: a name whose calls are read below.
      anyConstructors.add(name);
      anyOwn.add(match.indices![2]?.[0] ?? match.indices![1]![0]);
      continue;
    }
    own.add(match.indices![2]?.[0] ?? match.indices![1]![0]);
    if (/^(?:export|module)/.test(text.slice(Math.max(0, match.index - 20), match.index).trim().split(/\s+/).slice(-2).join(' '))) return true;
    constructors.add(name);
  }
  if (anyConstructors.size > 0) {
    for (const match of shadowedReadsBlanked(text, anyConstructors, brackets, anyOwn).matchAll(new RegExp(namesPattern(anyConstructors), 'g'))) {
      if (code(match.index) && !constructedAt(text, match.index) && calledWithValue(text, match.index, match.index + match[0].length, brackets, code)) return true;
    }
  }
  for (const match of text.matchAll(CONSTRUCTOR_BY_STRING)) {
    if (!code(match.index)) continue;
    if (match[1] === undefined) return true;
    const at = match.index + match[0].indexOf(match[1]);
    if (isFunction(at, at + match[1].length)) return true;
  }
  if (constructors.size === 0) return false;
  // The names read by scope: a parameter or another declaration of the same name is another value there.
  const read = shadowedReadsBlanked(text, constructors, brackets, own);
  for (const match of read.matchAll(new RegExp(namesPattern(constructors), 'g'))) {
    const at = match.index;
    if (!code(at) || own.has(at)) continue;
    const before = text.slice(Math.max(0, at - 120), at);
    // Its own binding or a declaration's name, an assignment to it, a key (`{ AF: 1 }`).
    if (/(?:const|let|var|class|function\*?)\s+$/.test(before)) continue;
    const after = text.slice(at + match[0].length, at + match[0].length + 90);
    if (/^\s*(?::[^=;\n]{1,80}?)?\s*=(?![=>])/.test(after) && !/[{(]\s*$/.test(before)) continue;
    if (/[{,]\s*$/.test(before) && /^\s*:/.test(after)) continue;
    if (used(at, at + match[0].length, true)) return true;
  }
  return false;
}

/** A bracket's key made of string literals only (`['\x63onstructor']`, `['constr' + 'uctor']`), its text in group 1. */
const COMPUTED_KEY = /\[\s*((?:["'\x60](?:[^"'\x60\\\n$]|\\.){0,60}["'\x60]\s*(?:\+\s*)?){1,6})\]/g;

/**
 * Whether a bracket's key (string literals, as {@link COMPUTED_KEY} reads them) spells a runner or `constructor` only once
 * its escapes are decoded or its pieces joined: a plain `['constructor']` is the other readings', which allow its safe uses.
 */
function computedRunnerKey(key: string): boolean {
  if (!/\\|\+/.test(key)) return false;
  const joined = [...key.matchAll(/["'\x60]((?:[^"'\x60\\]|\\.)*)["'\x60]/g)].map((part) => part[1]!).join('');
  const decoded = joined.replace(/\\(?:u\{([\da-fA-F]{1,6})\}|u([\da-fA-F]{4})|x([\da-fA-F]{2})|(.))/g, (_, braced?: string, u?: string, x?: string, other?: string) =>
    other ?? String.fromCodePoint(Math.min(Number.parseInt((braced ?? u ?? x)!, 16), 0x10ffff)),
  );
  return /^(?:constructor|Function|eval)$/.test(decoded);
}

/** `eval` as written: the global `eval`, not a property (`.eval`), a key (`{ eval: 1 }`) or a declaration. */
const EVAL = /(?<![\w$.#])eval(?![\w$])/g;

/** Whether `text` uses `eval` as a value: passed, stored, picked, cast (`[c].map(eval)`, `(x ? eval : y)`, `(eval as any)`). */
function evalAsValue(text: string, code: (i: number) => boolean): boolean {
  for (const match of text.matchAll(EVAL)) {
    if (!code(match.index)) continue;
    const end = match.index + 4;
    const next = blanksEnd(text, end);
    const c = text[next];
    if (c === '(' || c === '\x60' || c === '.' || (c === '?' && text[next + 1] === '.')) continue;
    // Called through a group (`(0, eval)(code)`, `(eval)(code)`): indirect eval, a call as the fetch-exec reading reads it.
    if (/\(\s*(?:[\w$.]+\s*,\s*)?$/.test(text.slice(Math.max(0, match.index - 40), match.index)) && /^\s*\)\s*\(/.test(text.slice(end, end + 40))) continue;
    const before = text.slice(Math.max(0, match.index - 12), match.index);
    if (SAFE_BEFORE.test(before) || /^\s*(?:[=!]==?)/.test(text.slice(end, end + 6))) continue;
    if (/[{,]\s*$/.test(before) && c === ':') continue;
    if (/(?:function|const|let|var|declare|interface|type)\s+$/.test(before)) continue;
    // A value's place: an operator, a bracket or a separator on either side (prose that names eval has words there).
    if (c === '=' || !(c === undefined || /[),\]};:?!|&]/.test(c) || /^(?:as|satisfies)\b/.test(text.slice(next, next + 10)) || /(?:[(,[=:?|&{]|\.\.\.|(?<![\w$])(?:return|yield|await|default))\s*$/.test(before))) continue;
    return true;
  }
  return false;
}

/** `Function` and `eval` as properties of the global object, by name or by a string: `globalThis.Function`, `` window[`eval`] ``, `(globalThis as any).Function`. */
const GLOBAL_RUNNER = new RegExp(String.raw`(?<![\w$.])${GLOBAL}\s*(?:as\s+[\w$]+\s*\)\s*)?(?:\??\.\s*(?:Function|eval)(?![\w$])|\[\s*["'\x60](?:Function|eval)["'\x60]\s*\])`, 'g');
/**
 * `Function` handed to a call that constructs or calls it (`Reflect.construct`, `new Proxy`, an array's or a promise's
 * callback, `call`/`apply`'s argument) or bound (`Function.bind(null, src)`), or picked by an operator (`x || Function`, `c ? Function : g`);
 * a Function constructor as a template's tag whose template has a substitution (Function`x${c}` is Function(['x', ''], c)).
 */
const FUNCTION_HANDED = /(?:(?<![\w$.])(?:Async)?Function|\.\s*constructor)\s*\x60(?:[^\x60\\]|\\.){0,200}?\$\{|(?<![\w$.])(?:Reflect\s*\.\s*(?:construct|apply)|new\s+Proxy)\s*\(\s*Function(?![\w$.])|\.\s*(?:map|flatMap|forEach|then|catch|finally|reduce|filter|find|some|every|sort|call|apply)\s*\(\s*(?:[\w$.]+\s*,\s*)?Function\s*[,)]|(?<![\w$.])Function\s*\.\s*(?:bind|call|apply)\s*\(|(?:\|\||\?\?|&&|\?(?![.?])|\|\|=|\?\?=)\s*Function(?![\w$.])(?!\s*(?:[=!]==?|\())|(?<![\w$.])Function\s*(?:\|\||\?\?)/g;
/** vm's runners taken as a value: `new (require('vm').Script)(c)`, `const S = vm.Script`, `[c].map(vm.runInThisContext)`. */
const VM_RUNNER = /\.\s*(?:Script|runInThisContext|runInNewContext|runInContext|compileFunction|SourceTextModule)(?![\w$])(?!\s*(?:\(|\??\.|[=!]==?|\x60))/g;
/** vm required: a runner read from it is vm's, not another library's `Script`. */
const VM_REQUIRED = /(?:require\s*\(\s*|from\s+|import\s*\(\s*)["'\x60](?:node:)?vm["'\x60]/;
/** A shell or an interpreter started with no script (`spawn('sh')`, `Popen(['bash'], stdin=PIPE)`), to be fed one on its standard input. */
const INTERPRETER_ALONE = /\b(?:spawn|spawnSync|exec|execFile|execSync|fork|Popen|run|call|check_output|create_subprocess_exec)\s*\(\s*\[?\s*["'\x60](?:\/(?:usr\/)?(?:local\/)?bin\/)?(?:sh|bash|zsh|dash|ksh|fish|node|nodejs|deno|bun|python[\d.]*|ruby|perl|php|pwsh|powershell|lua|Rscript|osascript)["'\x60]\s*(?:,\s*\[\s*(?:["'\x60]-[si]?["'\x60]\s*)?\]\s*)?\]?\s*(?:\)|,\s*(?![\s["'\x60]))/;
/** Writing a process's standard input, or handing it text to read. */
const STDIN_WRITTEN = /\bstdin\s*\.\s*(?:write|end)\s*\(|\.communicate\s*\(\s*(?:input\s*=\s*)?(?!\s*\))|\binput\s*[:=]\s*(?!None\b|undefined\b)[\w$]/;
/** A module required or imported by a path (`require('/tmp/x.js')`, `require('./x')`): refused where the text writes that file, not JSON (data). */
const ABSOLUTE_REQUIRE = /(?<![\w$.])(?:require|import)\s*\(\s*["'\x60]((?:\.{0,2}\/|~\/|[A-Za-z]:[\\/])[^"'\x60\n]{1,200})["'\x60]/g;
/** A file written by a path written out, or ending one (`writeFileSync('/tmp/x.js', c)`, `copyFile(a, __dirname + '/x.js')`). */
const WRITTEN_PATH = /\b(?:writeFile|appendFile|createWriteStream|copyFile|rename|symlink|link|cp)(?:Sync)?\s*\(\s*(?:[^,()\n]{0,80},\s*)?(?:[\w$.]+\s*\+\s*)?["'\x60]([^"'\x60\n]{1,200})["'\x60]/g;

/** A string's text as JavaScript builds it from literal pieces: joined (`'ev' + 'al'`, `['ev', 'al'].join('')`, `` `ev${'al'}` ``), escapes decoded. */
function piecesJoined(source: string): string {
  const inlined = source.replace(/\$\{\s*(["'])((?:(?!\1)[^\\\n]|\\.)*)\1\s*\}/g, '$2');
  const joined = [...inlined.matchAll(/(["'\x60])((?:(?!\1)[^\\\n]|\\.)*)\1/g)].map((piece) => piece[2]!).join('');
  return joined.replace(/\\(?:u\{([\da-fA-F]{1,6})\}|u([\da-fA-F]{4})|x([\da-fA-F]{2})|(.))/g, (_, braced?: string, u?: string, x?: string, other?: string) =>
    other ?? String.fromCodePoint(Math.min(Number.parseInt((braced ?? u ?? x)!, 16), 0x10ffff)),
  );
}

/** What a runner's name or `constructor` spells once joined ({@link piecesJoined}). */
const RUNNER_NAME = /^(?:eval|Function|constructor|execScript)$/;
/** A name bound to string literals only, joined or not (`const k = 'ev' + 'al'`, `= ['ev', 'al'].join('')`, `` = `ev${'al'}` ``). */
const PIECES_BOUND = new RegExp(String.raw`(?<![\w$.])(?:const|let|var)\s+(${NAME})\s*=\s*((?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\$\n]|\\.|\$(?!\{)|\$\{\s*(?:"[^"\n]*"|'[^'\n]*')\s*\})*\x60|[ \t+,[\]]|\.\s*join\s*\(\s*(?:["']{2})?\s*\))+)`, 'g');
/** A bracket's key that is a template of literals only (`` window[`ev${'al'}`] ``). */
const TEMPLATE_KEY = /\[\s*(\x60(?:[^\x60\\$\n]|\\.|\$\{\s*(?:"[^"\n]*"|'[^'\n]*')\s*\})*\x60)\s*\]/g;
/** The global object's names, and the names the text gives it (`const g = globalThis`). */
const GLOBAL_NAMES = /(?<![\w$.])(?:globalThis|window|self|global)(?![\w$])/;

/**
 * Whether `text` makes a runner reachable by a computed name (session 42): a runner set on the global object (or on
 * anything, for `Function` and its aliases) under a computed key (`globalThis[k] = Function`, `self[k] =
 * fn.constructor`), or read by a key the text builds from literal pieces that spell one (`const k = 'ev' + 'al';
 * window[k](src)`, `` window[`ev${'al'}`] ``).
 */
function runnerByComputedName(text: string, code: (i: number) => boolean): boolean {
  for (const match of text.matchAll(TEMPLATE_KEY)) if (code(match.index) && RUNNER_NAME.test(piecesJoined(match[1]!))) return true;
  for (const match of text.matchAll(PIECES_BOUND)) {
    // The whole value: its statement ends where the pieces do (checked here, not by a look-ahead the pieces' blanks would retry).
    const next = text[blanksEnd(text, match.index + match[0].length)];
    if (!code(match.index) || (next !== undefined && next !== ';' && next !== '\n' && !text.slice(match.index + match[0].length, blanksEnd(text, match.index + match[0].length)).includes('\n'))) continue;
    if (!RUNNER_NAME.test(piecesJoined(match[2]!))) continue;
    if (new RegExp(String.raw`\[\s*${match[1]!.replace(/\$/g, '\\$')}\s*\]`).test(text)) return true;
  }
  const aliases = [...text.matchAll(FUNCTION_ALIAS)].map((alias) => alias[1]!.replace(/\$/g, '\\$'));
  // Defined on the global object under a key the text does not spell (`Object.defineProperty(globalThis, k, { value: Function })`).
  const defined = new RegExp(String.raw`(?:Object\s*\.\s*defineProperty|Reflect\s*\.\s*(?:set|defineProperty))\s*\(\s*(?:globalThis|window|self|global)\s*,\s*(?!["'\x60])[^,()\n]{1,80},\s*(?:\{[^{}\n]{0,80}?\bvalue\s*:\s*)?(?:Function|eval|${[...aliases, 'Function'].join('|')})(?![\w$.])`, 'g');
  for (const match of text.matchAll(defined)) if (code(match.index)) return true;
  if (!/\]\s*=/.test(text)) return false;
  const globals = [...text.matchAll(new RegExp(String.raw`(?<![\w$.])(${NAME})\s*=(?![=>])\s*(?:globalThis|window|self|global)\s*[;,\n]`, 'g'))].map((alias) => alias[1]!);
  const runner = String.raw`(?:Function|eval|${[...aliases, 'Function'].join('|')})(?![\w$.])`;
  const constructorOf = String.raw`[\w$.]+(?:\??\.\s*constructor|\[\s*["'\x60]constructor["'\x60]\s*\])`;
  for (const set of text.matchAll(new RegExp(String.raw`(?<![\w$.])([\w$.]+)\s*\[[^\[\]\n]{1,80}\]\s*=(?![=>])\s*(?:(${runner})|(${constructorOf}))\s*(?=[;,)}\n]|$)`, 'g'))) {
    if (!code(set.index)) continue;
    if (set[2] !== undefined) return true;
    if (GLOBAL_NAMES.test(set[1]!) || globals.includes(set[1]!)) return true;
  }
  return false;
}

/** A member's or an element's call with a value that is no literal, whose result is called in turn (`h.run(src)()`, `r[0](src)()`, `get().run(src).call()`). */
const READ_BACK_CALLED = /(?:\??\.\s*[\w$]+|[\w$\])]\s*\[[^\[\]\n]{1,80}\])\s*\(\s*(?!\))(?!(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|-?[\d.]+)\s*\))[^()\n]{0,200}\)\s*(?:\?\.\s*)?(?:\(|\.\s*(?:call|apply)\s*\()/g;
/** Where a value is kept or handed on, before it: an element, an object's value, an argument, a return, an arrow's result, a spread. */
const HELD_BEFORE = /(?:[[(,:]|(?<![\w$])return|=>|\.\.\.)\s*$/;
/** After it: the end of an element, an argument, a value or a statement. */
const HELD_AFTER = /^\s*(?:[,\])};]|$)/;
/** Where a constructor stands for a type, not to be called: a `type:` key, a check's argument (`expect.any(Function)`). */
const TYPE_BEFORE = /(?:(?<![\w$])type\s*:|(?<![\w$])(?:any|instanceOf|isPrototypeOf|isInstance)\s*\()\s*$/;
/** Builtin constructors that name types in a list (`[String, Function]`, Vue's props). */
const TYPE_NAMES = /^(?:String|Number|Boolean|Array|Object|Function|Date|Symbol|BigInt|RegExp|Map|Set|Promise|Error|null)$/;

/**
 * Whether `text` keeps a Function constructor in a holder or hands it to a call (`id({ run: fn.constructor })`, `[F]`,
 * `Array.of(F)`, `return { run: F }`), and calls what a holder gives back with a value and then its result
 * (`h.run(src)()`): what the holder held was read back through calls, returns and copies the flow reading does not follow
 * (session 42). `Function`, its plain aliases and any `.constructor` read; not where it names a type.
 */
function runnerHeldThroughCalls(text: string, code: (i: number) => boolean): boolean {
  if (![...text.matchAll(READ_BACK_CALLED)].some((call) => code(call.index))) return false;
  const aliases = [...text.matchAll(FUNCTION_ALIAS)].map((alias) => alias[1]!.replace(/\$/g, '\\$'));
  const runner = new RegExp(String.raw`(?<![\w$.])(?:(?:${['Function', ...aliases].join('|')})(?![\w$.])|[\w$]+(?:\s*\??\.\s*[\w$]+)*\s*(?:\??\.\s*constructor(?![\w$])|\[\s*["'\x60]constructor["'\x60]\s*\]))`, 'g');
  for (const value of text.matchAll(runner)) {
    if (!code(value.index)) continue;
    const before = text.slice(Math.max(0, value.index - 40), value.index);
    const end = value.index + value[0].length;
    if (!HELD_BEFORE.test(before) || !HELD_AFTER.test(text.slice(end, end + 4)) || TYPE_BEFORE.test(before)) continue;
    // A list of types (`[String, Function]`): every element a builtin constructor's name.
    const opened = /\[([^\[\]\n]{0,200})$/.exec(before)?.[1];
    const rest = /^([^\[\]\n]{0,200})\]/.exec(text.slice(end, end + 201))?.[1];
    if (opened !== undefined && rest !== undefined && `${opened}${value[0]}${rest}`.split(',').every((element) => TYPE_NAMES.test(element.trim()))) continue;
    return true;
  }
  return false;
}

/** Whether `text` (JavaScript) takes `Function`, `eval` or vm's runners as a value, or feeds a shell or an interpreter its standard input. */
function otherRunnersAsValue(text: string, code: (i: number) => boolean): boolean {
  if (runnerHeldThroughCalls(text, code)) return true;
  for (const re of [GLOBAL_RUNNER, FUNCTION_HANDED]) for (const match of text.matchAll(re)) if (code(match.index)) return true;
  if (runnerByComputedName(text, code)) return true;
  if (VM_REQUIRED.test(text)) for (const match of text.matchAll(VM_RUNNER)) if (code(match.index)) return true;
  if (INTERPRETER_ALONE.test(text) && STDIN_WRITTEN.test(text)) return true;
  const required = [...text.matchAll(ABSOLUTE_REQUIRE)].map((match) => match[1]!).filter((path) => !/\.json$/i.test(path));
  if (required.length === 0) return false;
  // By the file's name, its extension left out: `require('./x')` loads what `writeFileSync(__dirname + '/x.js', c)` wrote.
  const named = (path: string) => path.replace(/^.*[\\/]/, '').replace(/\.[cm]?[jt]s$/, '');
  const written = new Set([...text.matchAll(WRITTEN_PATH)].map((match) => named(match[1]!)));
  return required.some((path) => written.has(named(path)));
}

/** Python's code runners as written: the builtins (through `builtins.` too); not `__import__`, which imports a module by its name. */
const PYTHON_RUNNER = /(?<![\w.])(?:(?:__builtins__|builtins)\s*\.\s*)?(?:exec|eval|compile|execfile)(?!\w)/g;
/** Python's runners read by name or made by hand: imported under another name (`from builtins import exec as run`), `getattr(builtins, …)`, `__builtins__['exec']`, a compiled code object made a function (not a function's own `__code__` copied), CPython's C API. */
const PYTHON_RUNNER_REACHED = /\bfrom\s+(?:builtins|__builtin__)\s+import\b[^\n#]*?\b(?:exec|eval|compile|execfile)\s+as\b|\b__import__\s*\(\s*["'](?:builtins|__builtin__)["']\s*\)\s*\.\s*(?:exec|eval|compile)\b|\bgetattr\s*\(\s*(?:__builtins__|builtins|__import__\s*\(\s*["']builtins["']\s*\))\s*,|\b(?:__builtins__|builtins)\s*(?:\.\s*__dict__\s*)?\[|\bvars\s*\(\s*(?:__builtins__|builtins)\s*\)|\b(?:FunctionType|LambdaType)\s*\(\s*(?![\w.]+\.__code__\b)|\bPyRun_\w+|\bPy_CompileString\w*/g;
/** A module or a script run by runpy, and a file written: the text's own file run (`open(p, 'w').write(code); runpy.run_path(p)`). */
const PYTHON_RUNS_FILE = /\brunpy\s*\.\s*run_(?:path|module)\s*\(/;
const PYTHON_WRITES_FILE = /\bopen\s*\([^()\n]{0,200}?["'][wax]b?\+?["']|\.write_(?:text|bytes)\s*\(|\bshutil\s*\.\s*copy/;

/** Whether `text` gives the name `name` another value: a parameter, an assignment, a loop's or a `with`'s name (`def f(eval=False)`). */
function shadowed(text: string, name: string): boolean {
  if (!/^\w+$/.test(name)) return false;
  return new RegExp(String.raw`\b(?:def\s+\w+\s*\([^()\n]{0,200}?|lambda\b[^:\n]{0,80}?)(?<![\w.])${name}\b|^[ \t]*${name}\s*(?::[^=\n]{1,80}?)?=(?!=)|\b(?:for|as)\s+(?:\w+\s*,\s*)*${name}\b`, 'm').test(text);
}

/**
 * Whether `text` (Python, comments blanked) uses `exec`, `eval` or `compile` as a value (handed to
 * `functools.partial`, a `Thread`'s target, `atexit.register`, put in a list or a dict, picked by a conditional), reaches
 * one by name, makes a code object a function, runs a file by an absolute or computed path, or feeds a shell or an
 * interpreter its standard input. Called as written (`exec(code)`), compared, a keyword argument's name (`f(exec=True)`),
 * a method (`cursor.exec`), an import's name, or rebound (`exec = …`) it is no value here.
 */
export function pythonRunnerAsValue(text: string, code: (i: number) => boolean = () => true): boolean {
  for (const match of text.matchAll(PYTHON_RUNNER_REACHED)) if (code(match.index)) return true;
  if (INTERPRETER_ALONE.test(text) && STDIN_WRITTEN.test(text)) return true;
  if (PYTHON_RUNS_FILE.test(text) && PYTHON_WRITES_FILE.test(text)) return true;
  const shadows = new Map<string, boolean>();
  for (const match of text.matchAll(PYTHON_RUNNER)) {
    if (!code(match.index)) continue;
    if (!shadows.has(match[0])) shadows.set(match[0], shadowed(text, match[0]));
    if (shadows.get(match[0])) continue;
    const end = match.index + match[0].length;
    const after = text.slice(end, end + 8);
    if (/^\s*(?:\(|=(?!=)|==|!=)/.test(after)) continue;
    const line = text.slice(Math.max(0, match.index - 200), match.index).split('\n').pop()!;
    if (/^\s*(?:from|import|def|class)\b/.test(line) || /(?:\bis(?:\s+not)?|[=!]=|\bdef|\bclass|\bglobal|\bnonlocal|\bdel)\s*$/.test(line)) continue;
    if (/^\s*:/.test(after) && /(?:\bdef\s+\w+\s*\([^)]*|[(,])\s*$/.test(line)) continue;
    // A value's place: a bracket, a separator or an operator on either side (a docstring's prose has words there).
    if (!/^\s*(?:[)\],}:]|if\b|$)/.test(after) && !/(?:[(,[=:{]|\b(?:return|yield|lambda|await|or|and|else))\s*$/.test(line)) continue;
    return true;
  }
  return false;
}
