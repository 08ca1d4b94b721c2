import { describe, expect, it } from 'vitest';
import { createExpiringCache } from '../../shared/expiring-cache.js';

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

describe('createExpiringCache', () => {
  it('answers a value until its lifetime on the injected clock ends, and nothing from then on', () => {
    const clock = manualClock();
    const cache = createExpiringCache<string, string>({ maxEntries: 10, ttlMs: 60_000, now: clock.now });
    cache.set('a', 'kept');
    clock.advance(59_999);
    expect(cache.get('a')).toBe('kept');
    clock.advance(1);
    expect(cache.get('a')).toBeUndefined();
    // Dropped, not merely hidden: the clock going back does not bring it back.
    clock.advance(-30_000);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps an entry for the lifetime its set gives, in place of the cache’s own', () => {
    const clock = manualClock();
    const cache = createExpiringCache<string, number | null>({ maxEntries: 10, ttlMs: 60 * 60_000, now: clock.now });
    cache.set('missing', null, 5 * 60_000);
    cache.set('found', 7);
    clock.advance(5 * 60_000);
    expect(cache.get('missing')).toBeUndefined();
    expect(cache.get('found')).toBe(7);
  });

  it('tells a kept null from an absent key', () => {
    const cache = createExpiringCache<string, number | null>({ maxEntries: 10, ttlMs: 60_000, now: manualClock().now });
    cache.set('missing', null);
    expect(cache.get('missing')).toBeNull();
    expect(cache.get('never-set')).toBeUndefined();
  });

  it('drops the oldest kept entry past the cap, however recently it was read', () => {
    const cache = createExpiringCache<string, number>({ maxEntries: 3, ttlMs: 60_000, now: manualClock().now });
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('d', 4);
    expect(['a', 'b', 'c', 'd'].map((key) => cache.get(key))).toEqual([undefined, 2, 3, 4]);
  });

  it('counts a key set again as the newest, with a fresh lifetime', () => {
    const clock = manualClock();
    const cache = createExpiringCache<string, number>({ maxEntries: 2, ttlMs: 60_000, now: clock.now });
    cache.set('a', 1);
    cache.set('b', 2);
    clock.advance(50_000);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(['a', 'b', 'c'].map((key) => cache.get(key))).toEqual([10, undefined, 3]);
    clock.advance(59_999);
    expect(cache.get('a')).toBe(10);
  });

  it('forgets a deleted key', () => {
    const cache = createExpiringCache<string, number>({ maxEntries: 2, ttlMs: 60_000, now: manualClock().now });
    cache.set('a', 1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  it('reads the real clock when none is given', () => {
    const cache = createExpiringCache<string, number>({ maxEntries: 2, ttlMs: 60_000 });
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    cache.set('b', 2, -1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('refuses a cap that keeps nothing or has no bound', () => {
    for (const maxEntries of [0, 2.5, Number.POSITIVE_INFINITY]) {
      expect(() => createExpiringCache({ maxEntries, ttlMs: 60_000 })).toThrow(RangeError);
    }
  });
});
