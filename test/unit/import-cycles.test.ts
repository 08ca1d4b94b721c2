import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The project's own code (tests and generated bundles aside). */
const SOURCE_DIRS = ['shared', 'infra', 'functions', 'scripts'];
/** Static `import … from './x.js'` and `export … from './x.js'`, type-only ones included. */
const RELATIVE_IMPORT_RE = /^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Each file's relative imports that resolve to another source file. */
function importGraph(): Map<string, string[]> {
  const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT_RE)]
      .map((m) => resolve(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')))
      .filter((target) => known.has(target));
    graph.set(file, targets);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan): each is at least one import cycle. */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) as number, low.get(target) as number));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file) as number, index.get(target) as number));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
      onStack.delete(member);
      component.push(relative(ROOT, member));
      if (member === file) break;
    }
    if (component.length > 1) found.push(component.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

describe('imports', () => {
  it('form no cycle among the project sources, type-only imports included', () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it('are read: a cycle written on purpose is found', () => {
    const graph = new Map([
      [join(ROOT, 'a.ts'), [join(ROOT, 'b.ts')]],
      [join(ROOT, 'b.ts'), [join(ROOT, 'c.ts')]],
      [join(ROOT, 'c.ts'), [join(ROOT, 'a.ts')]],
      [join(ROOT, 'd.ts'), [join(ROOT, 'a.ts')]],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    // The real graph has edges to read (the expression matches this project's import style).
    expect([...importGraph().values()].reduce((sum, targets) => sum + targets.length, 0)).toBeGreaterThan(500);
  });
});

/**
 * Reads of the clock: `new Date()` (or `new Date` without its parentheses), `Date()`, `Date.now`, `performance.now`,
 * `process.hrtime`. A stamp given to Date (`new Date(stamp)`, `Date.parse`) is not one.
 */
const CLOCK_READ_RE = /(?<![\w.])Date\s*\(\s*\)|\bnew\s+Date\b(?!\s*\()|\bDate\.now\b|\bperformance\.now\b|\bprocess\.hrtime\b/g;

/** Each line of `source` that reads the clock, as `line: text`. */
function clockReads(source: string): string[] {
  return source.split('\n').flatMap((text, index) => (text.match(CLOCK_READ_RE) ? [`${index + 1}: ${text.trim()}`] : []));
}

/**
 * Domain code is given the time (`now`) by its caller. A default of `now = new Date()` made results depend on when a
 * test ran and hid a caller that forgot to pass the handling time (session 43).
 */
describe('domain code', () => {
  it('never reads the clock itself: shared/domain is given the time', () => {
    const reads = sourceFiles(join(ROOT, 'shared', 'domain')).flatMap((file) =>
      clockReads(readFileSync(file, 'utf8')).map((read) => `${relative(ROOT, file)}:${read}`),
    );
    expect(reads).toEqual([]);
  });

  it('is read: every way to read the clock is found, and a stamp given to Date is not one', () => {
    const source = [
      'const a = new Date();',
      'const b = new Date;',
      'const c = Date();',
      'const d = Date.now();',
      'const e = performance.now();',
      'const f = process.hrtime.bigint();',
      "const g = new Date('2026-11-20T10:00:00Z');",
      'const h = new Date(now.getTime() + 1000);',
      'const i = Date.parse(stamp);',
      'const j = toDate();',
      'function k(now: Date): Date { return now; }',
    ].join('\n');
    expect(clockReads(source).map((read) => Number(read.split(':')[0]))).toEqual([1, 2, 3, 4, 5, 6]);
    // The scan reads the domain's files (the directory is where the test looks for them).
    expect(sourceFiles(join(ROOT, 'shared', 'domain')).length).toBeGreaterThan(10);
  });
});
