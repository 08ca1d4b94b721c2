import { describe, expect, it } from 'vitest';
import { type CachedLevel, SharedValueChangedError, cacheItems, cacheReadAnswers, cacheTableDescriptions, ownCopyOf, sharingDescriptions } from '../../../infra/local/store-caches.mjs';

/** LevelDB as dynalite calls it, in memory: each read decodes its own copy, as from the disk. */
function memoryLevel(): CachedLevel {
  const stored = new Map<string, string>();
  return {
    status: 'open',
    get(key, callback) {
      const text = stored.get(key);
      setImmediate(() => (text === undefined ? callback(Object.assign(new Error('not found'), { name: 'NotFoundError' })) : callback(null, JSON.parse(text))));
    },
    put(key, value, callback) {
      stored.set(key, JSON.stringify(value));
      setImmediate(() => callback(null));
    },
    del(key, callback) {
      stored.delete(key);
      setImmediate(() => callback(null));
    },
    batch(operations, callback) {
      for (const { type, key, value } of operations) type === 'put' ? stored.set(key, JSON.stringify(value)) : stored.delete(key);
      setImmediate(() => callback(null));
    },
  };
}

const get = (level: CachedLevel, key: string) => new Promise<any>((resolve, reject) => level.get(key, (error, value) => (error ? reject(error) : resolve(value))));
const put = (level: CachedLevel, key: string, value: unknown) => new Promise<void>((resolve, reject) => level.put(key, value, (error) => (error ? reject(error) : resolve())));

const ITEM = { pk: { S: 'INCIDENT#1' }, status: { S: 'notified' }, history: { L: [{ M: { event: { S: 'created' } } }] } };

describe('the embedded store’s shared decoded values, read-only in tests', () => {
  it('refuses a change to a cached item, at any depth, so the next reader still gets the item as written', async () => {
    // Prepare: an item written (kept decoded), then read back from the cache and from a read that decoded it.
    const level = memoryLevel();
    cacheItems(level, { readOnlyShared: true });
    await put(level, 'item-incidents~1', ITEM);
    const cached = await get(level, 'item-incidents~1');

    // Act and Assert: every kind of change throws.
    expect(() => { cached.status = { S: 'resolved' }; }).toThrow(SharedValueChangedError);
    expect(() => cached.history.L.push({ M: {} })).toThrow(SharedValueChangedError);
    expect(() => { delete cached.pk; }).toThrow(SharedValueChangedError);
    expect(() => Object.defineProperty(cached.history.L[0].M, 'at', { value: 'now' })).toThrow(SharedValueChangedError);
    expect(await get(level, 'item-incidents~1')).toEqual(ITEM);
  });

  it('serialises a read-only item as the item itself, and still refuses changes after', async () => {
    // Prepare: an item written and read back (a view), and one whose own member is named toJSON (an attribute may be).
    const level = memoryLevel();
    cacheItems(level, { readOnlyShared: true });
    const named = { ...ITEM, toJSON: { S: 'an attribute' } };
    await put(level, 'item-incidents~4', ITEM);
    await put(level, 'item-incidents~5', named);
    const cached = await get(level, 'item-incidents~4');
    const withMember = await get(level, 'item-incidents~5');

    // Act
    const texts = [JSON.stringify({ Item: cached }), JSON.stringify(cached, null, 1), JSON.stringify(withMember)];

    // Assert: the text of the item as written, the attribute named toJSON an attribute still; changes still throw.
    expect(texts).toEqual([JSON.stringify({ Item: ITEM }), JSON.stringify(ITEM, null, 1), JSON.stringify(named)]);
    expect(withMember.toJSON).toEqual({ S: 'an attribute' });
    expect(() => { cached.history.L[0].M.event.S = 'changed'; }).toThrow(SharedValueChangedError);
    expect(() => { delete withMember.toJSON; }).toThrow(SharedValueChangedError);
  });

  it.each([true, false])('copies a handed-out item (read-only: %s) as it reads: members in order, prototypes, a member named __proto__', async (readOnlyShared) => {
    // Prepare: an item as an update writes it (objects without a prototype) and one decoded with a __proto__ attribute.
    const level = memoryLevel();
    cacheItems(level, { readOnlyShared });
    const written = Object.assign(Object.create(null), { pk: { S: 'INCIDENT#6' }, history: { L: [Object.assign(Object.create(null), { M: { at: { S: 'now' } } })] } });
    const decoded = JSON.parse('{"pk":{"S":"INCIDENT#7"},"__proto__":{"S":"an attribute"},"constructor":{"N":"1"}}');
    await put(level, 'item-incidents~6', written);
    await put(level, 'item-incidents~7', decoded);
    const [shared6, shared7] = [await get(level, 'item-incidents~6'), await get(level, 'item-incidents~7')];

    // Act
    const [copy6, copy7] = [ownCopyOf(shared6), ownCopyOf(shared7)];
    copy6.history.L[0].M.at.S = 'changed';

    // Assert: the same text and shape, its own objects (changing them changes nothing shared, and throws nothing).
    expect(Object.getPrototypeOf(copy6)).toBeNull();
    expect(Object.getPrototypeOf(copy6.history.L[0])).toBeNull();
    expect(Object.getPrototypeOf(copy7)).toBe(Object.prototype);
    expect(Object.keys(copy7)).toEqual(['pk', '__proto__', 'constructor']);
    expect(JSON.stringify(copy7)).toBe(JSON.stringify(decoded));
    expect(JSON.stringify(shared6)).toBe(JSON.stringify(written).replace('"changed"', '"now"'));
    expect((await get(level, 'item-incidents~6')).history.L[0].M.at.S).toBe('now');
    expect(ownCopyOf(undefined)).toBeUndefined();
  });

  it('hands out an item a read decoded and kept read-only too', async () => {
    const level = memoryLevel();
    await put(level, 'item-incidents~2', ITEM);
    cacheItems(level, { readOnlyShared: true });

    const decoded = await get(level, 'item-incidents~2');

    expect(() => { decoded.status.S = 'resolved'; }).toThrow(SharedValueChangedError);
    expect(await get(level, 'item-incidents~2')).toEqual(ITEM);
  });

  it('refuses a change to the table description the item operations share', async () => {
    const level = memoryLevel();
    await put(level, 'table~incidents', { TableName: 'incidents', TableStatus: 'ACTIVE' });
    cacheTableDescriptions(level, { readOnlyShared: true });
    await get(level, 'table~incidents');

    const shared = await sharingDescriptions(() => get(level, 'table~incidents'));

    expect(() => { shared.TableStatus = 'UPDATING'; }).toThrow(SharedValueChangedError);
    expect(await sharingDescriptions(() => get(level, 'table~incidents'))).toEqual({ TableName: 'incidents', TableStatus: 'ACTIVE' });
  });

  it('refuses a change at any depth of a shared table description, read as the description (its indexes, key schema)', async () => {
    // Prepare: a description with nested lists, as dynalite walks them on every item call.
    const DESCRIPTION = {
      TableName: 'incidents',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'month', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byMonth', KeySchema: [{ AttributeName: 'month', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    };
    const level = memoryLevel();
    await put(level, 'table~incidents', DESCRIPTION);
    cacheTableDescriptions(level, { readOnlyShared: true });
    await get(level, 'table~incidents');

    // Act
    const shared = await sharingDescriptions(() => get(level, 'table~incidents'));

    // Assert: read as written, the same view for every item call, and every kind of change at depth throws.
    expect(shared).toEqual(DESCRIPTION);
    expect(Array.isArray(shared.GlobalSecondaryIndexes)).toBe(true);
    expect(shared.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName).toBe('month');
    expect(await sharingDescriptions(() => get(level, 'table~incidents'))).toBe(shared);
    expect(() => { shared.GlobalSecondaryIndexes[0].KeySchema[0].AttributeName = 'pk'; }).toThrow(SharedValueChangedError);
    expect(() => shared.AttributeDefinitions.push({ AttributeName: 'x', AttributeType: 'S' })).toThrow(SharedValueChangedError);
    expect(() => { delete shared.GlobalSecondaryIndexes[0].Projection; }).toThrow(SharedValueChangedError);
    expect(() => Object.defineProperty(shared.KeySchema[0], 'KeyType', { value: 'RANGE' })).toThrow(SharedValueChangedError);
    expect(() => Object.setPrototypeOf(shared.KeySchema, null)).toThrow(SharedValueChangedError);
    expect(await sharingDescriptions(() => get(level, 'table~incidents'))).toEqual(DESCRIPTION);
  });

  it('hands the shared values out as they are unless asked (production: no proxy on the store’s hot path)', async () => {
    const level = memoryLevel();
    cacheItems(level);
    await put(level, 'item-incidents~3', ITEM);

    const cached = await get(level, 'item-incidents~3');

    expect(cached).toBe(await get(level, 'item-incidents~3'));
    expect(Object.isFrozen(cached)).toBe(false);
  });
});

describe('the embedded store’s kept answers to reads of watched tables', () => {
  const BYTES = new TextEncoder().encode('{"Items":[]}');
  const QUERY = { TableName: 'experiments', KeyConditionExpression: 'pk = :pk' };
  /** A read of `experiments` answered and kept, as the worker does: the key, then the answer once the read ends. */
  function answered(answers: ReturnType<typeof cacheReadAnswers>, key = 'Query q') {
    answers.reading(key, 'Query', QUERY)?.(BYTES);
    return answers.answer(key);
  }
  const level = () => {
    const memory = memoryLevel();
    return { memory, answers: cacheReadAnswers(memory, { tables: ['experiments'] }) };
  };

  it('keeps a read of watched tables only, and hands out a copy each time', () => {
    const { answers } = level();

    expect(answered(answers)).toEqual(BYTES);
    expect(answers.answer('Query q')).not.toBe(answers.answer('Query q'));
    expect(answers.reading('Get g', 'GetItem', { TableName: 'incidents' })).toBeUndefined();
    expect(answers.reading('Batch b', 'BatchGetItem', { RequestItems: { experiments: {}, incidents: {} } })).toBeUndefined();
    expect(answers.reading('Put p', 'PutItem', QUERY)).toBeUndefined();
  });

  it.each([
    ['put of an item', (memory: CachedLevel) => put(memory, 'item-experiments~S~EXPERIMENTS', {})],
    ['delete of an item', (memory: CachedLevel) => new Promise((resolve) => memory.del('item-experiments~S~EXPERIMENTS', resolve))],
    ['batch of deletes (a table deleted)', (memory: CachedLevel) => new Promise((resolve) => memory.batch([{ type: 'del', key: 'item-experiments~S~EXPERIMENTS' }], resolve))],
    ['put of an index entry', (memory: CachedLevel) => put(memory, 'index-global~experiments~byX~S~1', {})],
    ['put of the table description', (memory: CachedLevel) => put(memory, 'table~experiments', { TableStatus: 'DELETING' })],
    ['put of a key of no table it can name', (memory: CachedLevel) => put(memory, 'meta~experiments', {})],
  ])('drops every kept answer at a %s (a watched table)', async (_, write) => {
    const { memory, answers } = level();
    answered(answers);

    await write(memory);

    expect(answers.answer('Query q')).toBeUndefined();
  });

  it('keeps its answers across writes of other tables', async () => {
    const { memory, answers } = level();
    answered(answers);

    await put(memory, 'item-incidents~S~experiments', {});
    await put(memory, 'table~incidents', {});
    await new Promise((resolve) => memory.batch([{ type: 'del', key: 'index-global~incidents~byExperiments~1' }], resolve));

    expect(answers.answer('Query q')).toEqual(BYTES);
  });

  it('keeps no read that a write of its table overlapped, and drops one answered during a write when the write ends', async () => {
    const { memory, answers } = level();
    // A read started, then a write of its table, then the read's answer (which may be the value before the write).
    const read = answers.reading('Query before', 'Query', QUERY);
    const write = put(memory, 'item-experiments~S~1', {});
    read?.(BYTES);
    const keptBeforeItsEnd = answers.answer('Query before');
    await write;
    // A write, then a read started and answered while it runs: kept for the moment, gone once the write ends.
    const second = put(memory, 'item-experiments~S~2', {});
    const during = answered(answers, 'Query during');
    await second;

    expect(keptBeforeItsEnd).toBeUndefined();
    expect(during).toEqual(BYTES);
    expect(answers.answer('Query during')).toBeUndefined();
    expect(answered(answers, 'Query after')).toEqual(BYTES);
  });
});
