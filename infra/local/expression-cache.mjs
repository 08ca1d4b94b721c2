// The embedded store's memory of parsed expressions, wrapped around dynalite's expression parsers in its worker thread
// (dynalite-worker.mjs). Plain JavaScript, as the worker is, so it loads the same under tsx, vitest and node.

/** The attribute value types in the order dynalite's parsers test them (`getImmediateType`): a value's first present one. */
const VALUE_TYPES = ['S', 'N', 'B', 'NULL', 'BOOL', 'SS', 'NS', 'BS', 'L', 'M'];

/** A value's type as dynalite's parsers see it; they read nothing else of a value outside {@link CONTENT_READ}. */
function typeOf(value) {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return '?';
  for (const type of VALUE_TYPES) if (value[type] != null) return type;
  return '-';
}

/**
 * The two places where a parser reads a value's content and not only its type: BETWEEN compares its bounds, and
 * attribute_type checks the type name it is given. An expression that may hold either is parsed every time.
 */
const CONTENT_READ = /between|attribute_type/i;

/**
 * The longest key kept (expression, names and value types, in characters). DynamoDB refuses expressions past 4 KB,
 * and the runtime's calls are far below this; dynalite bounds neither an expression nor its names. Past it a call is
 * parsed every time and nothing of it kept: 1,024 templates of refused calls carrying 80 KB of unused names each held
 * 70 MB per parser, and a template's copy recurses once per level (a 25 KB chain of ANDs overflowed the stack where
 * dynalite's own parse does not).
 */
const MAX_KEY_LENGTH = 8_192;

/** Where a parse put one of the call's expression attribute values (by reference) in what it answered. */
class ValueSlot {
  constructor(name) {
    this.name = name;
  }
}

/**
 * A copy of `node` with every object and array copied (prototype kept: dynalite's parsers build `Object.create(null)`
 * maps), and shared nodes still shared; `substitute` answers a replacement for a node, or undefined to copy it.
 */
function copyWith(node, substitute, copies = new Map()) {
  if (node === null || typeof node !== 'object') return node;
  const replaced = substitute(node);
  if (replaced !== undefined) return replaced;
  const done = copies.get(node);
  if (done !== undefined) return done;
  const copy = Array.isArray(node) ? [] : Object.create(Object.getPrototypeOf(node));
  copies.set(node, copy);
  for (const key of Object.keys(node)) copy[key] = copyWith(node[key], substitute, copies);
  return copy;
}

/**
 * dynalite parses every call's expressions anew (update, condition, key condition, filter, projection: a PEG parser
 * per expression, 15 % of the store thread's time on `npm run bench:local`'s calls), though the handlers send the
 * same few hundred expressions again and again with other values. What a parse answers depends on the expression,
 * its attribute names, and of its values only their types (with the exceptions of {@link CONTENT_READ}); the values
 * themselves go into the answer by reference. So a successful parse is kept as a template, keyed by all of those,
 * with a slot where each value went, and the next call with the same key gets a fresh copy with its own values in
 * the slots, and the same names and values marked used in its context (the check for unused ones comes after
 * every expression of the call is parsed). Parses that fail (an error message, or a thrown syntax error) are not
 * kept: each is parsed again and answers as dynalite does.
 */
export function cacheExpressionParses(parsers, { max = 1024 } = {}) {
  for (const parser of parsers) {
    const parse = parser.parse;
    const templates = new Map();
    parser.parse = function parseWithTemplates(input, options) {
      const context = options?.context;
      if (typeof input !== 'string' || !context || CONTENT_READ.test(input)) return parse.call(this, input, options);
      const attrNames = context.attrNames ?? null;
      const attrVals = context.attrVals ?? {};
      let key = `${context.isKeyCondition ? 'K' : '-'}${input}\u0000${JSON.stringify(attrNames)}\u0000`;
      for (const name of Object.keys(attrVals)) key += `${name}=${typeOf(attrVals[name])},`;
      if (key.length > MAX_KEY_LENGTH) return parse.call(this, input, options);
      let template = templates.get(key);
      if (template === undefined) {
        // Parsed against unused-name sets of its own, so the names it uses are known whatever the call's other
        // expressions used before it.
        const own = { ...context, unusedAttrNames: Object.fromEntries(Object.keys(attrNames ?? {}).map((name) => [name, true])), unusedAttrVals: Object.fromEntries(Object.keys(attrVals).map((name) => [name, true])) };
        const result = parse.call(this, input, { ...options, context: own });
        const usedNames = Object.keys(attrNames ?? {}).filter((name) => !(name in own.unusedAttrNames));
        const usedValues = Object.keys(attrVals).filter((name) => !(name in own.unusedAttrVals));
        markUsed(context, usedNames, usedValues);
        if (result === null || typeof result !== 'object') return result;
        const slots = new Map(Object.keys(attrVals).map((name) => [attrVals[name], new ValueSlot(name)]));
        template = { shape: copyWith(result, (node) => slots.get(node)), usedNames, usedValues };
        templates.set(key, template);
        if (templates.size > max) templates.delete(templates.keys().next().value);
        // The parse's own answer: dynalite may change what it is handed, and the template shares nothing with it.
        return result;
      }
      markUsed(context, template.usedNames, template.usedValues);
      return copyWith(template.shape, (node) => (node instanceof ValueSlot ? attrVals[node.name] : undefined));
    };
  }
}

function markUsed(context, names, values) {
  for (const name of names) if (context.unusedAttrNames) delete context.unusedAttrNames[name];
  for (const name of values) if (context.unusedAttrVals) delete context.unusedAttrVals[name];
}
