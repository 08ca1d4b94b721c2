/**
 * JavaScript's Function constructors that no name gives (AsyncFunction's, GeneratorFunction's, reached through a
 * function), called: each runs a string as `eval` does. Where they are bound, read over the whole text (a binding
 * read in a comment only adds a name); where they are called, read over the code only, so that a comment, a JSDoc or
 * a log's string that names one before a parenthesis is no call. Linear: the names are collected by regular
 * expressions whose quantifiers are bounded or separated, and each occurrence's surroundings are read by an index walk.
 */

/** A function expression's start: `async …`, `function …`, `function* …`, an arrow's parameters. */
const FUNCTION_EXPRESSION = String.raw`(?:async\b|function\b|(?:\([^()\n]{0,80}\)|[\w$]+)\s*=>)`;
/** A JavaScript name. */
const NAME = String.raw`[A-Za-z_$][\w$]*`;
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

/** `names` as an alternation of whole names, or a pattern that matches nothing. */
const namesPattern = (names: ReadonlySet<string>) => (names.size === 0 ? '(?!)' : String.raw`(?<![\w$.#])(?:${[...names].map((name) => name.replace(/\$/g, '\\$')).join('|')})(?![\w$])`);

/**
 * The names `text` gives an async or a generator function: `async function g`, `function* g`, `g = async () =>`,
 * `const g: F = function* …`. Not a plain function's: in bundled code one letter names a function in one scope and an
 * object in the next, and `x = t.constructor` then `new x(…)` copies an instance (a plain function's constructor,
 * `Function`, stays open by this way).
 */
function functionNames(text: string): Set<string> {
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
function blanksEnd(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

/** Where a run of blanks before `i` starts. */
function blanksStart(text: string, i: number): number {
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

/**
 * Whether `text` calls a Function constructor reached through a function ({@link functionValue}'s `.constructor`),
 * as it is written or by a name it was given: `const AF = … .constructor`, `const AF: any = …`, `const { constructor:
 * AF } = …`, an alias (`const AF2 = AF`). `code(i)` says whether `text[i]` is code (not in a string or a comment): a
 * call is read only there. Only named, the constructor is an ordinary check (`fn instanceof AsyncFunction`).
 */
export function functionsConstructorCalled(text: string, code: (i: number) => boolean = () => true): boolean {
  if (!/constructor/.test(text)) return false;
  const value = functionValue(functionNames(text));
  const unnamed = new RegExp(String.raw`${value}${CONSTRUCTOR}`, 'g');
  const bound = new RegExp(
    [
      String.raw`(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN}${RECEIVER}${value}${CONSTRUCTOR}`,
      String.raw`\{(?:[^{}=\n]{0,120}?,)?\s*constructor\s*(?::\s*(${NAME})\s*)?(?:,[^{}=\n]{0,120})?\}${ANNOTATION}${ASSIGN}${value}`,
    ].join('|'),
    'g',
  );
  for (const match of text.matchAll(unnamed)) {
    if (code(match.index!) && calledAt(text, match.index!, match.index! + match[0].length, code)) return true;
  }
  const names = new Set<string>();
  for (const match of text.matchAll(bound)) names.add(match[1] ?? match[2] ?? 'constructor');
  if (names.size === 0) return false;
  // Aliases, through any number of steps: `AF2 = AF`.
  const aliases = new Map<string, string[]>();
  for (const match of text.matchAll(new RegExp(String.raw`(?<![\w$.])(${NAME})${ANNOTATION}${ASSIGN}(${NAME})(?=[ \t]*(?:[;,)\n]|$))`, 'g'))) {
    const list = aliases.get(match[2]!) ?? [];
    list.push(match[1]!);
    aliases.set(match[2]!, list);
  }
  const pending = [...names];
  while (pending.length > 0) {
    for (const alias of aliases.get(pending.pop()!) ?? []) {
      if (!names.has(alias)) {
        names.add(alias);
        pending.push(alias);
      }
    }
  }
  for (const match of text.matchAll(new RegExp(namesPattern(names), 'g'))) {
    if (code(match.index!) && calledAt(text, match.index!, match.index! + match[0].length, code)) return true;
  }
  return false;
}
