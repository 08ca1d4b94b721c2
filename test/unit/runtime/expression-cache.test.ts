import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExpressionParser, cacheExpressionParses } from '../../../infra/local/expression-cache.mjs';
import { seededRandom } from '../../support/random.js';

// dynalite's own validation of a call's expressions (validations/index.js `validateExpressions`: the names and values
// checked, each expression parsed, the unused ones refused), run once with its parsers as they are and once with the
// parsers the store's worker wraps (dynalite-worker.mjs), which keep their templates across calls.
const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
const validations = requireFromDynalite('./validations') as { validateExpressions(data: Record<string, unknown>): string | undefined };
const modules = ['conditionParser', 'updateParser', 'projectionParser'].map((name) => requireFromDynalite(`./db/${name}`) as ExpressionParser);
const plainParses = modules.map((module) => module.parse);
cacheExpressionParses(modules);
const cachedParses = modules.map((module) => module.parse);
const useParses = (parses: Array<ExpressionParser['parse']>) => modules.forEach((module, at) => (module.parse = parses[at] as ExpressionParser['parse']));
useParses(plainParses);
afterAll(() => useParses(plainParses));

const PARSED = ['_updates', '_condition', '_keyCondition', '_filter', '_projection'] as const;

/** One call's expressions validated by dynalite: its error message, or what the parses answered, and the call's data. */
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

/** The call validated with the templates and without: both outcomes, for comparison. */
function both(call: Record<string, unknown>) {
  const cached = validate(call, cachedParses);
  const plain = validate(call, plainParses);
  return { cached, plain };
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

const update = (status: string) => ({
  UpdateExpression: 'SET #status = :status, history = list_append(if_not_exists(history, :empty), :entry), #n = if_not_exists(#n, :zero) + :one REMOVE lease ADD seen :one',
  ConditionExpression: 'attribute_exists(pk) AND (#status <> :status OR attribute_not_exists(#n))',
  ExpressionAttributeNames: { '#status': 'status', '#n': 'count' },
  ExpressionAttributeValues: { ':status': { S: status }, ':empty': { L: [] }, ':entry': { L: [{ M: { event: { S: status } } }] }, ':zero': { N: '0' }, ':one': { N: '1' } },
});

describe('the embedded store’s parsed-expression templates', () => {
  it('answers a repeated update and condition as dynalite parses them, with the call’s own values in them', () => {
    for (const status of ['classified', 'analysed', 'notified']) {
      // Act: the same expressions again and again with other values of the same types.
      const { cached, plain } = both(update(status));
      // Assert: the same answers; the values in them are this call's own objects, as a parse puts them there.
      expect(plain.error).toBeUndefined();
      expect(cached.error).toBeUndefined();
      expect(cached.parsed).toEqual(plain.parsed);
      const sections = (cached.parsed._updates as { sections: Array<{ val?: unknown }> }).sections;
      expect(sections[0]?.val).toBe((cached.data.ExpressionAttributeValues as Record<string, unknown>)[':status']);
    }
  });

  it('answers a value of another type as dynalite does: refused where the type is, though the same expression was kept', () => {
    // Prepare: ADD of a number is kept; ADD of a string is an operand type error.
    both({ UpdateExpression: 'ADD #c :step', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':step': { N: '1' } } });
    // Act
    const { cached, plain } = both({ UpdateExpression: 'ADD #c :step', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':step': { S: 'one' } } });
    // Assert
    expect(plain.error).toMatch(/Incorrect operand type/);
    expect(cached.error).toBe(plain.error);
  });

  it('refuses unused names and values as dynalite does, whichever expression of a call uses a shared one', () => {
    // Prepare: a condition kept on a call of its own, then sent with an update that uses its names too.
    const condition = { ConditionExpression: '#s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'open' } } };
    both(condition);
    // Act
    const alone = both(condition);
    const shared = both({ ...condition, UpdateExpression: 'SET #s = :s' });
    const unused = both({ ...condition, ExpressionAttributeValues: { ':s': { S: 'open' }, ':extra': { S: 'x' } } });
    // Assert
    expect([alone.plain.error, alone.cached.error]).toEqual([undefined, undefined]);
    expect(shared.cached.error).toBe(shared.plain.error);
    expect(shared.cached.parsed).toEqual(shared.plain.parsed);
    expect(unused.plain.error).toMatch(/unused in expressions/);
    expect(unused.cached.error).toBe(unused.plain.error);
  });

  it('parses BETWEEN every time: reversed bounds are refused for those values only', () => {
    // Prepare: bounds in order.
    const query = (from: string, to: string) => ({ KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b', ExpressionAttributeValues: { ':pk': { S: 'P' }, ':a': { S: from }, ':b': { S: to } } });
    expect(both(query('a', 'b')).cached.error).toBeUndefined();
    // Act
    const { cached, plain } = both(query('b', 'a'));
    // Assert
    expect(plain.error).toMatch(/BETWEEN/);
    expect(cached.error).toBe(plain.error);
  });

  it('answers syntax errors, undefined names and values and unknown functions as dynalite does, first and repeated', () => {
    for (const call of [
      { ConditionExpression: '#s = :s AND', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'x' } } },
      { ConditionExpression: '#s = :missing', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': { S: 'x' } } },
      { ConditionExpression: 'nope(#s)', ExpressionAttributeNames: { '#s': 'status' } },
      { ProjectionExpression: 'status' },
    ]) {
      for (let time = 0; time < 2; time++) {
        const { cached, plain } = both(call);
        expect(plain.error).toBeDefined();
        expect(cached.error).toBe(plain.error);
      }
    }
  });

  it('hands each call an answer of its own: a change made to one reaches no later call', () => {
    // Prepare: a query's key condition, filter and projection kept, and their answers changed.
    const query = (pk: string) => ({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: '#s IN (:open, :closed) AND size(history) > :none',
      ProjectionExpression: 'id, #s, history[0].event',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pk': { S: pk }, ':prefix': { S: 'INCIDENT' }, ':open': { S: 'open' }, ':closed': { S: 'closed' }, ':none': { N: '0' } },
    });
    const first = both(query('A')).cached.parsed as Record<string, { expression?: { args: unknown[] }; paths?: unknown[] }>;
    first._keyCondition?.expression?.args.splice(0);
    first._projection?.paths?.push(['changed']);
    // Act
    const { cached, plain } = both(query('B'));
    // Assert
    expect([plain.error, cached.error]).toEqual([undefined, undefined]);
    expect(cached.parsed).toEqual(plain.parsed);
  });

  it('answers a condition of 5,000 comparisons as dynalite does, though its template would be 10,000 levels deep', () => {
    // Prepare: a condition dynalite parses (a right-nested AND of 5,000 levels; DynamoDB itself refuses expressions past 4 KB).
    const call = { ConditionExpression: Array.from({ length: 5_000 }, () => 'a < b').join(' AND ') };
    // Act: first seen, then again.
    const first = both(call);
    const again = both(call);
    // Assert
    expect(first.plain.error).toBeUndefined();
    expect([first.cached.error, again.cached.error]).toEqual([undefined, undefined]);
  });

  it('keeps no template of a call past DynamoDB’s sizes: refused calls with 80 KB of names each would stay in memory, 1,024 per parser', () => {
    // Prepare: a parser that counts its parses, wrapped as the store wraps dynalite's.
    const [condition] = modules as [ExpressionParser];
    let parses = 0;
    const counting: ExpressionParser = { parse: (input, options) => (parses++, plainParses[0]!.call(condition, input, options)) };
    cacheExpressionParses([counting]);
    const names = Object.fromEntries(Array.from({ length: 2_000 }, (_, n) => [`#n${n}`, `attribute_name_${n}`]));
    const context = () => ({ attrNames: { ...names, '#s': 'status' }, attrVals: { ':s': { S: 'open' } }, unusedAttrNames: {}, unusedAttrVals: {}, isReserved: () => false });
    // Act: the same oversized call twice.
    counting.parse('#s = :s', { context: context() });
    counting.parse('#s = :s', { context: context() });
    // Assert: parsed each time, nothing kept.
    expect(parses).toBe(2);
  });

  // Differentially: many random calls (expressions from small pools, so templates are hit; names and values drawn per
  // call, so the same expression meets other names, value types and value contents), validated both ways.
  it('answers 5,000 random calls exactly as dynalite’s own parsers do', () => {
    const next = seededRandom(52);
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
