import { createRequire } from 'node:module';
import { afterAll, describe, expect, it } from 'vitest';
import { type ExpressionParser, cacheExpressionParses } from '../../../infra/local/expression-cache.mjs';

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
});
