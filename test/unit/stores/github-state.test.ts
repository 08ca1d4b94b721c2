import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { WriteBudgetExhaustedError } from '../../../shared/errors.js';
import { createDynamoRerunLedger, rerunLedgerKey } from '../../../shared/stores/rerun-ledger.js';
import { DEFAULT_WRITE_BUDGETS, createDynamoWriteLimiter, outsiderShareOf } from '../../../shared/stores/write-limiter.js';
import { scratchStoreForFile } from '../../support/harness.js';

/** The limiter and the re-run ledger against dynalite: the same conditional writes DynamoDB evaluates. */
const TABLE = 'incidents';
const scratch = scratchStoreForFile('guard-state', { incidents: TABLE });

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('write limiter (DynamoDB)', () => {
  const at = (iso: string) => () => new Date(iso);

  it('grants writes up to the per-minute budget, then throws a retryable named error', async () => {
    // Prepare
    const limiter = createDynamoWriteLimiter({
      client: scratch.client, tableName: TABLE, identity: 'installation-1',
      budgets: { writesPerMinute: 3, writesPerHour: 100, rerunsPerMinute: 10 }, clock: at('2026-11-20T10:00:10Z'),
    });
    for (let i = 0; i < 3; i += 1) await limiter.acquire('comment');

    // Act
    const error = await rejection(limiter.acquire('comment'));

    // Assert
    expect(error).toBeInstanceOf(WriteBudgetExhaustedError);
    expect(error.name).toBe('WriteBudgetExhaustedError');
    expect(error.message).toMatch(/3 writes per minute already used; room again in 50 s/);
    expect((error as WriteBudgetExhaustedError).retryAfterSeconds).toBe(50);
  });

  it("gives forks' pull requests a quarter of each window, counted apart from the shared budget", async () => {
    // Prepare
    expect(outsiderShareOf(DEFAULT_WRITE_BUDGETS)).toEqual({ writesPerMinute: 5, writesPerHour: 75, rerunsPerMinute: 1 });
    expect(outsiderShareOf({ writesPerMinute: 2, writesPerHour: 3, rerunsPerMinute: 1 })).toEqual({ writesPerMinute: 1, writesPerHour: 1, rerunsPerMinute: 1 });
    const budgets = { writesPerMinute: 8, writesPerHour: 100, rerunsPerMinute: 10 };
    const clock = at('2026-11-20T11:00:10Z');
    const shared = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-9', budgets, clock });
    const forks = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-9#forks', budgets: outsiderShareOf(budgets), clock });
    for (let i = 0; i < 2; i += 1) await forks.acquire('comment');

    // Act
    const spent = await rejection(forks.acquire('comment'));
    for (let i = 0; i < 8; i += 1) await shared.acquire('comment');

    // Assert: the forks' share is spent after 2, and the shared budget still had all 8
    expect(spent.message).toMatch(/installation-9#forks: 2 writes per minute already used/);
    await expect(shared.acquire('comment')).rejects.toBeInstanceOf(WriteBudgetExhaustedError);
  });

  it("holds every process's writes until the time GitHub asked for, and never shortens a hold", async () => {
    // Prepare: one process was told retry-after 30 s; another process of the same identity writes next
    let now = new Date('2026-11-20T14:00:00Z');
    const budgets = { writesPerMinute: 100, writesPerHour: 1000, rerunsPerMinute: 10 };
    const told = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-6', budgets, clock: () => now });
    const other = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-6', budgets, clock: () => now });
    const stranger = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-7', budgets, clock: () => now });
    await told.holdUntil?.(new Date('2026-11-20T14:00:30Z'));
    await told.holdUntil?.(new Date('2026-11-20T14:00:05Z'));

    // Act
    now = new Date('2026-11-20T14:00:10Z');
    const held = await rejection(other.acquire('comment'));
    now = new Date('2026-11-20T14:00:30Z');

    // Assert
    expect(held).toBeInstanceOf(WriteBudgetExhaustedError);
    expect((held as WriteBudgetExhaustedError).retryAfterSeconds).toBe(20);
    expect(held.message).toMatch(/asked installation-6 to hold off writes; room again in 20 s/);
    await expect(stranger.acquire('comment')).resolves.toBeUndefined();
    await expect(other.acquire('comment')).resolves.toBeUndefined();
  });

  it('shares the budget between limiters of different processes with the same identity, not across identities', async () => {
    // Prepare
    const budgets = { writesPerMinute: 2, writesPerHour: 100, rerunsPerMinute: 10 };
    const clock = at('2026-11-20T11:00:00Z');
    const first = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-2', budgets, clock });
    const second = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-2', budgets, clock });
    const other = createDynamoWriteLimiter({ client: scratch.client, tableName: TABLE, identity: 'installation-3', budgets, clock });

    // Act: five concurrent writes for one identity
    const results = await Promise.allSettled([first, second, first, second, first].map((l) => l.acquire('comment')));

    // Assert
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    await expect(other.acquire('comment')).resolves.toBeUndefined();
  });

  it('starts a fresh window each minute and caps the hour too', async () => {
    // Prepare
    let now = new Date('2026-11-20T12:00:30Z');
    const limiter = createDynamoWriteLimiter({
      client: scratch.client, tableName: TABLE, identity: 'installation-4',
      budgets: { writesPerMinute: 1, writesPerHour: 2, rerunsPerMinute: 10 }, clock: () => now,
    });
    await limiter.acquire('comment');
    now = new Date('2026-11-20T12:01:05Z');
    await limiter.acquire('comment');
    now = new Date('2026-11-20T12:02:05Z');

    // Act
    const error = await rejection(limiter.acquire('comment'));

    // Assert
    expect(error.message).toMatch(/2 writes per hour/);
  });

  it('paces re-runs with their own, smaller budget', async () => {
    // Prepare
    const limiter = createDynamoWriteLimiter({
      client: scratch.client, tableName: TABLE, identity: 'installation-5',
      budgets: { writesPerMinute: 10, writesPerHour: 100, rerunsPerMinute: 1 }, clock: at('2026-11-20T13:00:00Z'),
    });
    await limiter.acquire('rerun');

    // Act
    const error = await rejection(limiter.acquire('rerun'));

    // Assert
    expect(error.message).toMatch(/1 reruns per minute/);
    await expect(limiter.acquire('comment')).resolves.toBeUndefined();
  });
});

describe('re-run ledger (DynamoDB)', () => {
  const key = { repositoryId: 714523861, workflowId: 61835520, headSha: 'ABCDEF1234567' };
  const ledger = () => createDynamoRerunLedger({ client: scratch.client, tableName: TABLE, clock: () => new Date('2026-11-20T10:00:00Z') });

  it('grants one claim per (workflow, SHA) at the default cap, even to concurrent executions', async () => {
    // Prepare
    const claims = ['gh-1-100-1', 'gh-1-101-1', 'gh-1-102-1'].map((incidentId, i) =>
      ledger().claim(key, { incidentId, runId: 100 + i, nextAttempt: 2, max: 1 }),
    );

    // Act
    const results = await Promise.all(claims);

    // Assert
    expect(results.filter((r) => r.granted)).toHaveLength(1);
    expect(results.every((r) => r.count === 1)).toBe(true);
    // None of them held a claim before: each one's claim says so from the same write (ReturnValues ALL_OLD).
    expect(results.every((r) => r.claimedBefore === false)).toBe(true);
  });

  it('grants the same incident again (a Step Functions retry) without counting it twice', async () => {
    // Prepare
    const own = { ...key, headSha: 'beef000000001' };
    await ledger().claim(own, { incidentId: 'gh-1-200-1', runId: 200, nextAttempt: 2, max: 1 });

    // Act
    const again = await ledger().claim(own, { incidentId: 'gh-1-200-1', runId: 200, nextAttempt: 2, max: 1 });

    // Assert
    expect(again).toEqual({ granted: true, count: 1, claimedBefore: true });
    const item = await scratch.client.send(new GetCommand({ TableName: TABLE, Key: rerunLedgerKey(own) }));
    expect(item.Item?.claims).toEqual(new Set(['gh-1-200-1']));
    expect(item.Item?.expiresAt).toBe(Math.floor(Date.parse('2026-11-20T10:00:00Z') / 1000) + 30 * 86_400);
  });

  it('remembers which run attempt our re-run created', async () => {
    // Prepare
    const own = { ...key, headSha: 'beef000000002' };
    await ledger().claim(own, { incidentId: 'gh-1-300-1', runId: 300, nextAttempt: 2, max: 2 });

    // Act
    const ours = await ledger().lookup(own, { runId: 300, attempt: 2, incidentId: 'gh-1-300-2' });
    const someoneElses = await ledger().lookup(own, { runId: 300, attempt: 3, incidentId: 'gh-1-300-3' });
    const claimer = await ledger().lookup(own, { runId: 300, attempt: 1, incidentId: 'gh-1-300-1' });

    // Assert
    expect(ours).toEqual({ count: 1, ownAttempt: true, claimedByIncident: false });
    expect(someoneElses).toEqual({ count: 1, ownAttempt: false, claimedByIncident: false });
    expect(claimer).toEqual({ count: 1, ownAttempt: false, claimedByIncident: true });
    expect(await ledger().lookup({ ...key, headSha: 'beef000000003' }, { runId: 1, attempt: 1, incidentId: 'x' })).toEqual({
      count: 0, ownAttempt: false, claimedByIncident: false,
    });
  });

  it("gives back a claim whose re-run was never requested, and keeps the other incidents' claims and attempts", async () => {
    // Prepare: two incidents of the commit claimed a re-run (cap 2).
    const own = { ...key, headSha: 'beef000000005' };
    await ledger().claim(own, { incidentId: 'gh-1-500-1', runId: 500, nextAttempt: 2, max: 2 });
    await ledger().claim(own, { incidentId: 'gh-1-501-1', runId: 501, nextAttempt: 2, max: 2 });

    // Act
    await ledger().release(own, { incidentId: 'gh-1-500-1', runId: 500, nextAttempt: 2 });

    // Assert
    expect(await ledger().lookup(own, { runId: 500, attempt: 2, incidentId: 'gh-1-500-1' })).toEqual({ count: 1, ownAttempt: false, claimedByIncident: false });
    expect(await ledger().lookup(own, { runId: 501, attempt: 2, incidentId: 'gh-1-501-1' })).toEqual({ count: 1, ownAttempt: true, claimedByIncident: true });
  });

  it('grants nothing when automatic re-runs are off', async () => {
    // Act
    const result = await ledger().claim({ ...key, headSha: 'beef000000004' }, { incidentId: 'gh-1-400-1', runId: 400, nextAttempt: 2, max: 0 });

    // Assert
    expect(result).toEqual({ granted: false, count: 0, claimedBefore: false });
  });
});
