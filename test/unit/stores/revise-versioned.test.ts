import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { VersionedWriteConflictError } from '../../../shared/errors.js';
import { MAX_VERSIONED_ATTEMPTS, reviseVersioned } from '../../../shared/stores/dynamo.js';

/**
 * An item with a version, as a store keeps it, whose conditional writes fail while `racers` other writers still
 * get there first (each bumps the version, as a real competing write would).
 */
function contendedItem(racers: number) {
  const item = { version: 0, count: 0 };
  const log = { reads: 0, writes: 0 };
  let ahead = racers;
  return {
    item,
    log,
    read: async () => {
      log.reads += 1;
      return { ...item };
    },
    /** Adds one to `count`, conditional on the version read. */
    revise: (read: { version: number; count: number }) => ({
      answer: read.count + 1,
      write: async () => {
        log.writes += 1;
        if (ahead > 0) {
          ahead -= 1;
          item.version += 1;
        }
        if (item.version !== read.version) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        item.version += 1;
        item.count = read.count + 1;
      },
    }),
  };
}

describe('reviseVersioned', () => {
  it('reads again and revises anew after another writer got there first, and answers once its write lands', async () => {
    const store = contendedItem(1);
    const answer = await reviseVersioned({ what: 'the counter', read: store.read, revise: store.revise, attempts: 3 });
    expect(answer).toBe(1);
    expect(store.item).toEqual({ version: 2, count: 1 });
    expect(store.log).toEqual({ reads: 2, writes: 2 });
  });

  it('gives up with a named error once every attempt lost its race, after exactly that many writes', async () => {
    const store = contendedItem(Number.POSITIVE_INFINITY);
    const revising = reviseVersioned({ what: 'the counter', read: store.read, revise: store.revise, attempts: 3 });
    await expect(revising).rejects.toBeInstanceOf(VersionedWriteConflictError);
    await expect(revising).rejects.toMatchObject({ name: 'VersionedWriteConflictError', message: expect.stringContaining('the counter') });
    expect(store.log).toEqual({ reads: 3, writes: 3 });
    expect(store.item.count).toBe(0);
  });

  it('answers without writing when the revision has nothing to write', async () => {
    const store = contendedItem(0);
    const answer = await reviseVersioned({ what: 'the counter', read: store.read, revise: (read) => ({ answer: read.count }), attempts: 3 });
    expect(answer).toBe(0);
    expect(store.log).toEqual({ reads: 1, writes: 0 });
  });

  it('starts from the item the caller already read, and reads it itself only after a lost race', async () => {
    const store = contendedItem(1);
    const answer = await reviseVersioned({ what: 'the counter', read: store.read, revise: store.revise, attempts: 3, known: { version: 0, count: 0 } });
    expect(answer).toBe(1);
    expect(store.log).toEqual({ reads: 1, writes: 2 });
  });

  it('passes on every error but a lost race, without trying again', async () => {
    const store = contendedItem(0);
    const revising = reviseVersioned({
      what: 'the counter',
      read: store.read,
      revise: () => ({ answer: 0, write: () => Promise.reject(new Error('throttled')) }),
      attempts: 3,
    });
    await expect(revising).rejects.toThrow('throttled');
    expect(store.log.reads).toBe(1);
  });

  it('refuses an unbounded or empty number of attempts', async () => {
    const store = contendedItem(0);
    for (const attempts of [0, 1.5, Number.POSITIVE_INFINITY, MAX_VERSIONED_ATTEMPTS + 1]) {
      await expect(reviseVersioned({ what: 'the counter', read: store.read, revise: store.revise, attempts })).rejects.toBeInstanceOf(RangeError);
    }
    expect(store.log).toEqual({ reads: 0, writes: 0 });
  });
});
