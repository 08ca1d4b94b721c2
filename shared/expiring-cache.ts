/**
 * A process's memory of answers it would otherwise ask for again (a warm Lambda keeps it across invocations):
 * bounded, so that no number of distinct keys grows it without limit, and each answer kept only for its lifetime.
 */
export interface ExpiringCache<K, V> {
  /** The value kept under `key` while it is fresh; one past its lifetime is dropped and reads as absent. */
  get(key: K): V | undefined;
  /**
   * Keeps `value` under `key` for `ttlMs` (the cache's own lifetime unless given) as the newest entry; past the cap
   * the oldest entries go, by when they were kept (reading one does not make it newer).
   */
  set(key: K, value: V, ttlMs?: number): void;
  delete(key: K): void;
}

export interface ExpiringCacheOptions {
  /** Entries kept at most. */
  maxEntries: number;
  /** How long an entry stays fresh unless its `set` says otherwise. */
  ttlMs: number;
  /** Milliseconds (`Date.now`), the lifetimes' clock; injectable so tests control expiry. */
  now?: () => number;
}

export function createExpiringCache<K, V>(options: ExpiringCacheOptions): ExpiringCache<K, V> {
  const { maxEntries, ttlMs } = options;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError(`an expiring cache keeps at least one entry, got ${maxEntries}`);
  // A Map iterates in insertion order: its first key is the oldest entry.
  const entries = new Map<K, { value: V; freshUntil: number }>();
  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() >= entry.freshUntil) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, lifetime = ttlMs) {
      entries.delete(key);
      entries.set(key, { value, freshUntil: now() + lifetime });
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
    },
    delete(key) {
      entries.delete(key);
    },
  };
}
