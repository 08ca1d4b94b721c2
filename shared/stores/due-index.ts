/**
 * A time-bucketed index of work due at a time, kept in a table that has no secondary index for it: an entry
 * `<prefix><day it is due>` / `<due time>#<id>`, which the reconciler queries for the days of its look-back (entries due
 * by now, oldest first). The escalation ledger's digests and the late reads of reactions use it.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

/** An entry: what is due (`id`, unique within the index) and when (an ISO time). */
export interface DueKey {
  id: string;
  dueAt: string;
}

export interface DueIndex {
  /** Writes the entry with `attributes`, expiring `ttlSeconds` after it is due; the same id and time is the same entry. */
  put(entry: DueKey, attributes: Record<string, unknown>, ttlSeconds: number): Promise<void>;
  /** The entries due by `now` in the days of the look-back, oldest first, at most `limit`, as stored. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<Array<Record<string, unknown>>>;
  drop(entry: DueKey): Promise<void>;
}

const DAY_MS = 86_400_000;

export function createDueIndex(options: { client: DynamoDBDocumentClient; tableName: string; prefix: string }): DueIndex {
  const { client, tableName, prefix } = options;
  const key = (entry: DueKey) => ({ pk: `${prefix}${entry.dueAt.slice(0, 10)}`, sk: `${entry.dueAt}#${entry.id}` });
  return {
    async put(entry, attributes, ttlSeconds) {
      await client.send(
        new PutCommand({ TableName: tableName, Item: { ...key(entry), ...attributes, dueAt: entry.dueAt, expiresAt: Math.floor(Date.parse(entry.dueAt) / 1000) + ttlSeconds } }),
      );
    },
    async due(now, { limit, lookbackHours }) {
      const found: Array<Record<string, unknown>> = [];
      const first = Math.floor((now.getTime() - lookbackHours * 3_600_000) / DAY_MS);
      for (let day = first; day <= Math.floor(now.getTime() / DAY_MS) && found.length < limit; day += 1) {
        const response = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk <= :now',
            ExpressionAttributeValues: { ':pk': `${prefix}${new Date(day * DAY_MS).toISOString().slice(0, 10)}`, ':now': now.toISOString() },
            Limit: limit - found.length,
            ConsistentRead: true,
          }),
        );
        found.push(...(response.Items ?? []));
      }
      return found;
    },
    async drop(entry) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: key(entry) }));
    },
  };
}
