import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExpressionParser, cacheExpressionParses } from '../../../infra/local/expression-cache.mjs';

// A differential check of the store's parsed-expression templates: many random calls (expressions drawn from small
// pools so templates are hit, names and values maps drawn at random so the same expression meets other names, other
// value types and other value contents) validated by dynalite with its parsers as they are and with the wrapped ones.
// Every answer must be the same: the error, the parsed expressions (prototypes included) and which of the call's
// value objects they hold.
const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const validations = requireFromDynalite('./validations') as { validateExpressions(data: Record<string, unknown>): string | undefined };
const modules = ['conditionParser', 'updateParser', 'projectionParser'].map((name) => requireFromDynalite(`./db/${name}`) as ExpressionParser);
const plainParses = modules.map((module) => module.parse);
cacheExpressionParses(modules, { max: 64 });
const cachedParses = modules.map((module) => module.parse);
const useParses = (parses: Array<ExpressionParser['parse']>) => modules.forEach((module, at) => (module.parse = parses[at] as ExpressionParser['parse']));
useParses(plainParses);
afterAll(() => useParses(plainParses));

const PARSED = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'] as const;

function validate(call: Record<string, unknown>, parses: Array<ExpressionParser['parse']>) {
  const data = structuredClone(call);
  useParses(parses);
  try {
    let error: string | undefined;
    try {
      error = validations.validateExpressions(data);
    } catch (thrown) {
      error = `thrown: ${String(thrown)}`;
    }
    return { error, parsed: Object.fromEntries(PARSED.filter((field) => field in data).map((field) => [field, data[field]])), data };
  } finally {
    useParses(plainParses);
  }
}

/** Where in `parsed` each of the call's value objects is held (by identity), as a list of paths. */
function valuePlaces(parsed: unknown, values: Record<string, unknown> | undefined): string[] {
  const byObject = new Map(Object.entries(values ?? {}).map(([name, value]) => [value, name]));
  const places: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, at: string) => {
    if (node === null || typeof node !== 'object') return;
    const name = byObject.get(node);
    if (name !== undefined) return void places.push(`${at}=${name}`);
    if (seen.has(node)) return;
    seen.add(node);
    for (const key of Object.keys(node)) walk((node as Record<string, unknown>)[key], `${at}.${key}`);
  };
  walk(parsed, '');
  return places;
}

// A small deterministic generator (mulberry32), so a failure is reproducible from its seed.
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the embedded store’s parsed-expression templates, differentially', () => {
  it('answers 5,000 random calls exactly as dynalite’s own parsers do', () => {
    const next = random(52);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
    const paths = ['a', 'b', 'pk', 'sk', '#x', '#y', '#z', 'a.b', '#x.c', 'a[0]', '#y[1].d', '#x[0]', 'c.d', 'e'];
    const vals = [':p', ':q', ':r', ':s'];
    const operand = (): string => (next() < 0.5 ? pick(paths) : next() < 0.8 ? pick(vals) : `size(${pick(paths)})`);
    const comparison = (): string => {
      const r = next();
      if (r < 0.3) return `${operand()} ${pick(['=', '<>', '<', '<=', '>', '>='])} ${operand()}`;
      if (r < 0.4) return `${pick(['attribute_exists', 'attribute_not_exists'])}(${operand()})`;
      if (r < 0.5) return `begins_with(${operand()}, ${operand()})`;
      if (r < 0.6) return `contains(${operand()}, ${operand()})`;
      if (r < 0.7) return `${operand()} IN (${operand()}, ${operand()})`;
      if (r < 0.75) return `size(${operand()})`;
      if (r < 0.76) return pick([`attribute_type(${pick(paths)}, ${operand()})`, `${operand()} BETWEEN ${operand()} AND ${operand()}`]);
      if (r < 0.78) return pick(['nope(a)', 'status = :p', 'a = :p AND', 'attribute_exists(:p)']);
      if (r < 0.85) return `(${operand()} = ${operand()})`;
      return `${operand()} = ${operand()}`;
    };
    const condition = (depth = 0): string => {
      const r = next();
      if (depth > 1 || r < 0.5) return comparison();
      if (r < 0.7) return `${condition(depth + 1)} AND ${condition(depth + 1)}`;
      if (r < 0.85) return `${condition(depth + 1)} OR ${condition(depth + 1)}`;
      if (r < 0.95) return `NOT ${condition(depth + 1)}`;
      return `(${condition(depth + 1)})`;
    };
    const updateValue = (): string => {
      const r = next();
      if (r < 0.4) return pick(vals);
      if (r < 0.55) return pick(paths);
      if (r < 0.7) return `${pick([...vals, ...paths])} ${pick(['+', '-'])} ${pick([...vals, ...paths])}`;
      if (r < 0.85) return `list_append(${pick([...vals, ...paths])}, ${pick([...vals, ...paths])})`;
      return `if_not_exists(${pick(paths)}, ${pick(vals)})`;
    };
    const update = (): string => {
      const sections: string[] = [];
      if (next() < 0.8) sections.push(`SET ${Array.from({ length: 1 + Math.floor(next() * 2) }, () => `${pick(paths)} = ${updateValue()}`).join(', ')}`);
      if (next() < 0.3) sections.push(`REMOVE ${pick(paths)}`);
      if (next() < 0.3) sections.push(`ADD ${pick(paths)} ${pick(vals)}`);
      if (next() < 0.2) sections.push(`DELETE ${pick(paths)} ${pick(vals)}`);
      return sections.length ? sections.join(' ') : `REMOVE ${pick(paths)}`;
    };
    const projection = () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(paths)).join(', ');
    // Pools, so the same expression comes back with other names and values.
    const conditions = Array.from({ length: 40 }, () => condition());
    // The two readers of a value's content (a type name, bounds in order), plainly, so they come back often.
    const contentReaders = ['attribute_type(a, :p)', 'attribute_type(#x, :q) AND a = :p', 'a BETWEEN :p AND :q', '#x BETWEEN :q AND :p'];
    const keyConditions = ['pk = :p', 'pk = :p AND sk = :q', 'pk = :p AND begins_with(sk, :q)', 'pk = :p AND sk < :q', '#x = :p AND #y >= :q', 'pk = :p AND size(sk) > :q'];
    const updates = Array.from({ length: 40 }, () => update());
    const projections = Array.from({ length: 10 }, () => projection());
    const valueOf = (): Record<string, unknown> => {
      const r = next() < 0.3 ? 0 : Math.floor(next() * 10);
      return [
        { S: pick(['a', 'b', 'zz', 'N', 'SS']) },
        { N: pick(['1', '2', '-3']) },
        { B: pick(['AAAA', 'AQID']) },
        { NULL: true },
        { BOOL: next() < 0.5 },
        { SS: ['a', 'b'] },
        { NS: ['1', '2'] },
        { BS: ['AAAA'] },
        { L: [{ S: 'x' }] },
        { M: { k: { N: '1' } } },
      ][r] as Record<string, unknown>;
    };
    // Mostly the names and values the call's expressions use (a call that uses fewer fails as unused), now and then one
    // missing or one extra.
    const namesOf = (text: string): Record<string, string> | undefined => {
      const names: Record<string, string> = {};
      for (const name of ['#x', '#y', '#z']) if ((text.includes(name) && next() < 0.97) || next() < 0.03) names[name] = pick(['status', 'a', 'b', 'c', 'd', 'pk', 'sk']);
      return Object.keys(names).length ? names : undefined;
    };
    const valuesOf = (text: string): Record<string, unknown> | undefined => {
      const values: Record<string, unknown> = {};
      for (const name of vals) if ((text.includes(name) && next() < 0.97) || next() < 0.03) values[name] = valueOf();
      return Object.keys(values).length ? values : undefined;
    };
    let differences = 0;
    const examples: unknown[] = [];
    let successes = 0;
    for (let n = 0; n < 5_000; n++) {
      const call: Record<string, unknown> = {};
      const kind = next();
      if (kind < 0.1) {
        call.ConditionExpression = pick(contentReaders);
      } else if (kind < 0.35) {
        call.UpdateExpression = pick(updates);
        if (next() < 0.5) call.ConditionExpression = pick(conditions);
      } else if (kind < 0.6) {
        call.KeyConditionExpression = pick(keyConditions);
        if (next() < 0.5) call.FilterExpression = pick(conditions);
        if (next() < 0.3) call.ProjectionExpression = pick(projections);
      } else if (kind < 0.85) {
        call.ConditionExpression = pick(conditions);
      } else {
        call.FilterExpression = pick(conditions);
        if (next() < 0.5) call.ProjectionExpression = pick(projections);
      }
      const text = Object.values(call).join(' ');
      const names = namesOf(text);
      const values = valuesOf(text);
      if (names) call.ExpressionAttributeNames = names;
      if (values) call.ExpressionAttributeValues = values;
      const cached = validate(call, cachedParses);
      const plain = validate(call, plainParses);
      if (plain.error === undefined) successes++;
      const same =
        cached.error === plain.error &&
        isDeepStrictEqual(cached.parsed, plain.parsed) &&
        isDeepStrictEqual(valuePlaces(cached.parsed, cached.data.ExpressionAttributeValues as Record<string, unknown>), valuePlaces(plain.parsed, plain.data.ExpressionAttributeValues as Record<string, unknown>));
      if (!same) {
        differences++;
        if (examples.length < 3) examples.push({ call, cached: cached.error, plain: plain.error });
      }
    }
    expect(successes).toBeGreaterThan(1_000);
    expect(examples).toEqual([]);
    expect(differences).toBe(0);
  });
});
