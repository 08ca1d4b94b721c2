import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createStoreWorkQueue } from '../../../shared/stores/work-queue.js';

/** A document client whose conditional puts land once per key, as the store's do. */
function storeClient(): DynamoDBDocumentClient {
  const keys = new Set<string>();
  return {
    async send(command: { input: { Item?: { pk: string; sk: string } } }) {
      const item = command.input.Item;
      if (item) {
        const key = `${item.pk}\u0000${item.sk}`;
        if (keys.has(key)) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
        keys.add(key);
      }
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('store work queue: watching for messages queued in this process', () => {
  it('wakes a watcher of another queue object over the same table and name, once per message queued', async () => {
    const client = storeClient();
    const producer = createStoreWorkQueue({ client, tableName: 'incidents', name: 'recoveries' });
    const consumer = createStoreWorkQueue({ client, tableName: 'incidents', name: 'recoveries' });
    const otherTable = createStoreWorkQueue({ client, tableName: 'other', name: 'recoveries' });
    const otherQueue = createStoreWorkQueue({ client, tableName: 'incidents', name: 'others' });
    const wakes = { consumer: 0, otherTable: 0, otherQueue: 0 };
    const stops = [consumer.watch(() => (wakes.consumer += 1)), otherTable.watch(() => (wakes.otherTable += 1)), otherQueue.watch(() => (wakes.otherQueue += 1))];

    await producer.enqueue('m1', '{}');
    // A redelivery of the same message queues nothing.
    await producer.enqueue('m1', '{}');
    await producer.enqueue('m2', '{}');

    expect(wakes).toEqual({ consumer: 2, otherTable: 0, otherQueue: 0 });
    for (const stop of stops) stop();
    await producer.enqueue('m3', '{}');
    expect(wakes.consumer).toBe(2);
  });
});
