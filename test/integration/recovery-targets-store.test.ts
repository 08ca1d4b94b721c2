import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createRecoveryTargets, recoveryTargetsKey } from '../../shared/stores/recovery-targets.js';
import { scratchStoreForFile } from '../support/harness.js';

const scratch = scratchStoreForFile('guard-recovery-targets');

describe('the incidents each recovery set out to resolve (DynamoDB)', () => {
  it('returns what the earlier deliveries of the same recovery noted, and keeps every one of them', async () => {
    // Prepare
    const at = new Date('2026-11-20T10:00:00Z');
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => at });
    const recovery = 'acme/app|main|CI\nrun 42\n2026-11-20T09:59:00.000Z';

    // Act: three deliveries of one recovery, and another recovery
    const first = await targets.note(recovery, ['gh-1-41-1', 'gh-1-40-1']);
    const second = await targets.note(recovery, []);
    const third = await targets.note(recovery, ['gh-1-39-1']);
    const other = await targets.note('acme/app|main|CI\nrun 43\n2026-11-20T10:05:00.000Z', []);

    // Assert
    expect(first).toEqual([]);
    expect(second.sort()).toEqual(['gh-1-40-1', 'gh-1-41-1']);
    expect(third.sort()).toEqual(['gh-1-40-1', 'gh-1-41-1']);
    expect(other).toEqual([]);
    const stored = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: recoveryTargetsKey(recovery), ConsistentRead: true }))).Item;
    expect([...(stored?.incidents as Set<string>)].sort()).toEqual(['gh-1-39-1', 'gh-1-40-1', 'gh-1-41-1']);
    expect(stored?.expiresAt).toBe(Math.floor(at.getTime() / 1000) + 7 * 86_400);
  });
});
