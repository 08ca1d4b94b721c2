import { describe, expect, it } from 'vitest';
import { type CachedLevel, SharedValueChangedError, cacheItems, cacheTableDescriptions, sharingDescriptions } from '../../../infra/local/store-caches.mjs';

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

  it('hands the shared values out as they are unless asked (production: no proxy on the store’s hot path)', async () => {
    const level = memoryLevel();
    cacheItems(level);
    await put(level, 'item-incidents~3', ITEM);

    const cached = await get(level, 'item-incidents~3');

    expect(cached).toBe(await get(level, 'item-incidents~3'));
    expect(Object.isFrozen(cached)).toBe(false);
  });
});
