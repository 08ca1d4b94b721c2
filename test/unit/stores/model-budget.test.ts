import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDynamoModelBudget, modelBudgetKey } from '../../../shared/stores/model-budget.js';
import { scratchStoreForFile } from '../../support/harness.js';

/** The model budget against dynalite: the same conditional writes DynamoDB evaluates. */
const TABLE = 'incidents';
const scratch = scratchStoreForFile('guard-model-budget', { incidents: TABLE });

const at = (iso: string) => new Date(iso);

describe('model budget (DynamoDB)', () => {
  it('grants up to the budget within the hour of creation, counting an incident once, then refuses', async () => {
    // Prepare
    const budget = createDynamoModelBudget({ client: scratch.client, tableName: TABLE, name: 'test-a', max: 2 });

    // Act
    const first = await budget.claim('gh-1-1-1', at('2026-11-20T10:05:00Z'));
    const again = await budget.claim('gh-1-1-1', at('2026-11-20T10:05:00Z'));
    const second = await budget.claim('gh-1-2-1', at('2026-11-20T10:59:59Z'));
    const third = await budget.claim('gh-1-3-1', at('2026-11-20T10:30:00Z'));
    const firstRetried = await budget.claim('gh-1-1-1', at('2026-11-20T10:05:00Z'));
    const nextHour = await budget.claim('gh-1-3-1', at('2026-11-20T11:00:00Z'));

    // Assert
    const windowStart = at('2026-11-20T10:00:00Z');
    expect(first).toEqual({ granted: true, used: 1, first: true, max: 2, windowStart });
    expect(again).toEqual({ granted: true, used: 1, first: true, max: 2, windowStart });
    expect(second).toEqual({ granted: true, used: 2, first: false, max: 2, windowStart });
    expect(third).toEqual({ granted: false, used: 2, first: false, max: 2, windowStart });
    // Retried after another claimed: still the window's first.
    expect(firstRetried).toEqual({ granted: true, used: 2, first: true, max: 2, windowStart });
    expect(nextHour).toEqual({ granted: true, used: 1, first: true, max: 2, windowStart: at('2026-11-20T11:00:00Z') });
    const item = await scratch.client.send(new GetCommand({ TableName: TABLE, Key: modelBudgetKey('test-a', 3600, windowStart.getTime() / 1000) }));
    expect(item.Item?.claims).toEqual(new Set(['gh-1-1-1', 'gh-1-2-1']));
    // Kept past the window for longer than the reconciler looks back (at most 14 days), then removed by TTL.
    expect(item.Item?.expiresAt).toBe(windowStart.getTime() / 1000 + 3600 + 15 * 86_400);
  });

  it('refuses every claim with a budget of 0 and writes nothing', async () => {
    // Prepare
    const budget = createDynamoModelBudget({ client: scratch.client, tableName: TABLE, name: 'test-b', max: 0 });

    // Act
    const claim = await budget.claim('gh-2-1-1', at('2026-11-20T10:05:00Z'));

    // Assert
    expect(claim).toEqual({ granted: false, used: 0, first: false, max: 0, windowStart: at('2026-11-20T10:00:00Z') });
    expect((await scratch.client.send(new GetCommand({ TableName: TABLE, Key: modelBudgetKey('test-b', 3600, at('2026-11-20T10:00:00Z').getTime() / 1000) }))).Item).toBeUndefined();
  });

  it('grants a claim with a lower limit only below it, and again to an incident that already holds one', async () => {
    // Prepare
    const budget = createDynamoModelBudget({ client: scratch.client, tableName: TABLE, name: 'test-d', max: 4 });
    const hour = at('2026-11-20T10:05:00Z');
    await budget.claim('gh-4-1-1', hour);
    await budget.claim('gh-4-2-1', hour);

    // Act
    const limited = await budget.claim('gh-4-3-1', hour, 2);
    const heldAlready = await budget.claim('gh-4-1-1', hour, 2);
    const unlimited = await budget.claim('gh-4-3-1', hour);

    // Assert
    expect(limited).toMatchObject({ granted: false, used: 2 });
    expect(heldAlready).toMatchObject({ granted: true, used: 2 });
    expect(unlimited).toMatchObject({ granted: true, used: 3, max: 4 });
  });

  it('lets concurrent claims take no more than the budget', async () => {
    // Prepare
    const budget = createDynamoModelBudget({ client: scratch.client, tableName: TABLE, name: 'test-c', max: 3 });

    // Act
    const claims = await Promise.all(Array.from({ length: 10 }, (_, i) => budget.claim(`gh-3-${i}-1`, at('2026-11-20T10:05:00Z'))));

    // Assert
    expect(claims.filter((claim) => claim.granted)).toHaveLength(3);
  });
});
