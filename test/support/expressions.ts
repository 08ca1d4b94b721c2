/**
 * Every regular expression of the code that reads attacker-controlled text with them: the log analyzer (its rule
 * table and the expressions outside it), the redaction, and the patch check with its injection detector. Listed from
 * the code itself, three ways, so that none hides from a check of their cost (test/unit/logs/expression-cost.test.ts):
 * - every regular-expression literal in the source files (TypeScript's parser), exported or not;
 * - every `new RegExp(…)` / `RegExp(…)` the modules run while they load (the global constructor is wrapped for the
 *   import; the stack says whose it is), which names the expressions composed from pieces;
 * - every RegExp reachable from the modules' exports (the rule table's fields, `LINE_PATTERN_EXPRESSIONS`…).
 * An expression the code builds only while it reads a text (from a log's own words) is in none of these.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The folders whose every module is read: the analyzer and redaction, the patch check and injection detector. */
export const EXPRESSION_FOLDERS = ['shared/logs', 'shared/logs/redaction', 'shared/analysis'] as const;

export interface ListedExpression {
  readonly re: RegExp;
  /** `/source/flags`, the key of the allow-list. */
  readonly key: string;
  /** Where it was found first: `file:line` of a literal or a construction, or an export's path. */
  readonly origin: string;
}

export const expressionKey = (re: RegExp): string => `/${re.source}/${re.flags}`;

function moduleFiles(): string[] {
  return EXPRESSION_FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
      .map((name) => join(ROOT, folder, name)),
  );
}

/** The regular-expression literals of a source file, each built as the module builds it. */
function literalsOf(file: string): Array<{ re: RegExp; origin: string }> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Array<{ re: RegExp; origin: string }> = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(source);
      const slash = text.lastIndexOf('/');
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ re: new RegExp(text.slice(1, slash), text.slice(slash + 1)), origin: `${relative(ROOT, file)}:${line}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The first frame of `stack` in one of the listed folders, as `file:line`, or undefined when none is. */
function listedFrame(stack: string, files: ReadonlySet<string>): string | undefined {
  for (const match of stack.matchAll(/(?:file:\/\/)?(\/[^\s():]+\.ts):(\d+)/g)) {
    if (files.has(match[1]!)) return `${relative(ROOT, match[1]!)}:${match[2]}`;
  }
  return undefined;
}

/** RegExps reachable from `value`, depth-first, each with its path from the export. */
function reachable(value: unknown, path: string, seen: Set<object>, out: Array<{ re: RegExp; origin: string }>, depth = 0): void {
  if (value === null || typeof value !== 'object' || depth > 8 || seen.has(value)) return;
  seen.add(value);
  if (value instanceof RegExp) {
    out.push({ re: value, origin: path });
    return;
  }
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  const entries: Iterable<[string, unknown]> = value instanceof Map
    ? [...value].map(([k, v]) => [String(k), v] as [string, unknown])
    : value instanceof Set
      ? [...value].map((v, i) => [String(i), v] as [string, unknown])
      : Object.entries(value);
  for (const [key, child] of entries) reachable(child, `${path}.${key}`, seen, out, depth + 1);
}

/**
 * Every expression of {@link EXPRESSION_FOLDERS}, once each (by source and flags), in the order found. Import it in a
 * process (or an isolated test file) that has not loaded those modules yet: the constructions are seen only while
 * they load.
 */
export async function listExpressions(): Promise<ListedExpression[]> {
  const files = moduleFiles();
  const fileSet = new Set(files);
  const found: Array<{ re: RegExp; origin: string }> = files.flatMap(literalsOf);

  const Original = globalThis.RegExp;
  const constructed: Array<{ re: RegExp; origin: string }> = [];
  const record = (re: RegExp): RegExp => {
    const origin = listedFrame(new Error().stack ?? '', fileSet);
    if (origin !== undefined) constructed.push({ re, origin });
    return re;
  };
  globalThis.RegExp = new Proxy(Original, {
    construct: (target, args) => record(Reflect.construct(target, args) as RegExp),
    apply: (target, self, args) => record(Reflect.apply(target, self, args) as RegExp),
  });
  const exported: Array<{ re: RegExp; origin: string }> = [];
  try {
    for (const file of files) {
      const module: Record<string, unknown> = await import(pathToFileURL(file).href);
      const seen = new Set<object>();
      for (const [name, value] of Object.entries(module)) reachable(value, `${relative(ROOT, file)}#${name}`, seen, exported);
    }
  } finally {
    globalThis.RegExp = Original;
  }
  found.push(...constructed, ...exported);

  const byKey = new Map<string, ListedExpression>();
  for (const { re, origin } of found) {
    const key = expressionKey(re);
    if (!byKey.has(key)) byKey.set(key, { re: new Original(re.source, re.flags.replace(/[gy]/g, '')), key, origin });
  }
  return [...byKey.values()];
}
