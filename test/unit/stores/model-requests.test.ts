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
});
