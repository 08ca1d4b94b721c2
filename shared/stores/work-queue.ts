/**
 * A durable work queue in the incidents table (items `QUEUE#<name>` / `<message id>`), the local runtime's stand-in
 * for Lambda's asynchronous invocation queue: a message is written before ingest answers, deleted only after its
 * consumer succeeded, so a `kill -9` at any point leaves it to the next start. A message that keeps failing is
 * moved to `DEADLETTER#<name>` after `maxAttempts`, as Lambda moves an event to its dead-letter queue.
 */
import type { RecoveryQueue } from '../ports.js';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, readPages } from './dynamo.js';

export interface QueuedMessage {
  id: string;
  body: string;
  /** Failed deliveries so far. */
  attempts: number;
  /** Not to be delivered before this time (epoch ms): the back-off after a failure. */
  visibleAt: number;
}

export interface WorkQueue {
  /** Idempotent: a message whose id is already queued is not queued twice. */
  enqueue(id: string, body: string): Promise<void>;
  /** Up to `limit` messages, oldest id order, including those not yet visible. */
  peek(limit: number): Promise<QueuedMessage[]>;
  delete(id: string): Promise<void>;
  /** The delivery failed: count it and hide the message until `visibleAt`. */
  defer(id: string, attempts: number, visibleAt: number, error: string): Promise<void>;
  /** Gives up on the message: kept under `DEADLETTER#<name>` with its last error for an operator. */
  deadLetter(message: QueuedMessage, error: string): Promise<void>;
  deadLetters(): Promise<Array<QueuedMessage & { error: string }>>;
  /**
   * Calls `listener` each time a message is queued in this process, through any work queue of the same table and
   * name, so a consumer need not poll an empty queue to see it soon. Returns the call that stops it.
   */
  watch(listener: () => void): () => void;
}

/**
 * Who waits for messages queued in this process, by table and queue: the local runtime's ingest handler queues
 * through its own work queue, its consumer reads through another. A hint to look now, never the only way a message
 * is found: messages a crash left behind, or another process queued, are found by the consumer's own looks.
 */
const watchers = new Map<string, Set<() => void>>();

export function createStoreWorkQueue(options: { client: DynamoDBDocumentClient; tableName: string; name: string; clock?: () => Date }): WorkQueue {
  const { client, tableName, name } = options;
  const clock = options.clock ?? (() => new Date());
  const queuePk = `QUEUE#${name}`;
  const watchKey = `${tableName}\u0000${queuePk}`;
  const deadPk = `DEADLETTER#${name}`;
  const toMessage = (item: Record<string, unknown>): QueuedMessage => ({
    id: String(item.sk),
    body: String(item.body),
    attempts: Number(item.attempts ?? 0),
    visibleAt: Number(item.visibleAt ?? 0),
  });
  async function list(pk: string, limit: number) {
    const read = await readPages(
      paginateQuery({ client }, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, Limit: limit }),
      // No filter: every page but the last holds at least one item, so `limit` pages is no tighter than `limit` items.
      { maxPages: limit, limit },
    );
    return read.items;
  }
  return {
    async enqueue(id, body) {
      // Already queued (a redelivery): the condition fails and the first message stands.
      const queued = await conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { pk: queuePk, sk: id, body, attempts: 0, visibleAt: 0, enqueuedAt: clock().toISOString() },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      if (queued) for (const listener of watchers.get(watchKey) ?? []) listener();
    },
    async peek(limit) {
      return (await list(queuePk, limit)).map(toMessage);
    },
    async delete(id) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: queuePk, sk: id } }));
    },
    async defer(id, attempts, visibleAt, error) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: { pk: queuePk, sk: id },
          UpdateExpression: 'SET attempts = :attempts, visibleAt = :visibleAt, lastError = :error',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':attempts': attempts, ':visibleAt': visibleAt, ':error': error.slice(0, 2000) },
        }),
      );
    },
    async deadLetter(message, error) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { pk: deadPk, sk: message.id, body: message.body, attempts: message.attempts, visibleAt: message.visibleAt, error: error.slice(0, 2000), deadAt: clock().toISOString() },
        }),
      );
      await client.send(new DeleteCommand({ TableName: tableName, Key: { pk: queuePk, sk: message.id } }));
    },
    async deadLetters() {
      return (await list(deadPk, 1000)).map((item) => ({ ...toMessage(item), error: String(item.error ?? '') }));
    },
    watch(listener) {
      const listeners = watchers.get(watchKey) ?? new Set();
      watchers.set(watchKey, listeners);
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && watchers.get(watchKey) === listeners) watchers.delete(watchKey);
      };
    },
  };
}

/** The local recovery queue's name; the runtime's consumer reads the same one. */
export const RECOVERY_QUEUE = 'recoveries';

/** Recovery messages into the store queue (the local runtime's {@link RecoveryQueue} adapter). */
export function storeRecoveryQueue(queue: WorkQueue): RecoveryQueue {
  return {
    async enqueue(message) {
      await queue.enqueue(message.id, JSON.stringify(message));
    },
  };
}
