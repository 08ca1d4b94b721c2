import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { incidentKey } from '../../../shared/stores/incident-store.js';
import { createDynamoModelRequestLedger } from '../../../shared/stores/model-requests.js';
import { scratchStoreForFile } from '../../support/harness.js';

/** An incident's model requests against dynalite: the same conditional writes DynamoDB evaluates. */
const TABLE = 'incidents';
const scratch = scratchStoreForFile('guard-model-requests', { incidents: TABLE });

describe('model requests per incident (DynamoDB)', () => {
  it('grants an incident its requests, however many attempts ask at once, then refuses', async () => {
    // Prepare
    const ledger = createDynamoModelRequestLedger({ client: scratch.client, tableName: TABLE });
    await scratch.client.send(new PutCommand({ TableName: TABLE, Item: { ...incidentKey('gh-1-1-1'), id: 'gh-1-1-1' } }));

    // Act
    const first = await ledger.take('gh-1-1-1', 3);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => ledger.take('gh-1-1-1', 3)));
    const after = await ledger.take('gh-1-1-1', 3);
    const missing = await ledger.take('gh-1-2-1', 3);

    // Assert
    expect(first).toEqual({ granted: true, used: 1 });
    expect(concurrent.filter((take) => take.granted)).toHaveLength(2);
    expect(after).toEqual({ granted: false, used: 3 });
    expect(missing).toEqual({ granted: false, used: 0 });
  });

  it("leaves every other incident its requests: the run's next attempt, a check run on the same commit, another repository's run", async () => {
    // Prepare: an attacker's failure spends its incident's two requests (attacker pass, session 28)
    const ledger = createDynamoModelRequestLedger({ client: scratch.client, tableName: TABLE });
    const spent = 'gh-7-70-1';
    const others = ['gh-7-70-2', 'ghc-7-70', 'gh-8-70-1'];
    for (const id of [spent, ...others]) await scratch.client.send(new PutCommand({ TableName: TABLE, Item: { ...incidentKey(id), id } }));
    await ledger.take(spent, 2);
    await ledger.take(spent, 2);

    // Act
    const refused = await ledger.take(spent, 2);
    const granted = await Promise.all(others.map((id) => ledger.take(id, 2)));

    // Assert
    expect(refused).toEqual({ granted: false, used: 2 });
    expect(granted).toEqual(others.map(() => ({ granted: true, used: 1 })));
  });
});
