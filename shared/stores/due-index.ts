/**
 * A time-bucketed index of work due at a time, kept in a table that has no secondary index for it: an entry
 * `<prefix><day it is due>` / `<due time>#<id>`, which the reconciler queries for the days of its look-back (entries due
 * by now, oldest first). The escalation ledger's digests, the late reads of reactions, the pending vote changes, the
 * recovery comments the write budget refused and the targets of recoveries not yet followed up use it.
 *
 * Read oldest first and bounded per run, an entry whose work fails every time would stay at the head and, with as
 * many others, hold back every entry behind it: a caller that failed on one moves it later ({@link DueIndex.move}),
 * which is a new key (the time is in it), written before the old one is deleted so that a crash between leaves the
 * entry twice, never lost; the work is idempotent, and the copy finds it done.
 */
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamo.js';

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
  /**
   * Moves the entry to `to.dueAt` with `attributes` (as stored, replaced) and the expiry counted from then. False,
   * with nothing moved, when the entry is gone meanwhile (its work done, or moved by an overlapping run): the copy
   * just written is deleted again, so that the entry is not brought back nor doubled.
   */
  move(from: DueKey, to: DueKey, attributes: Record<string, unknown>, ttlSeconds: number): Promise<boolean>;
  /** Sets `attributes` on the entry where it is; false when it is gone (never writes it back). */
  annotate(entry: DueKey, attributes: Record<string, unknown>): Promise<boolean>;
}

const DAY_MS = 86_400_000;

/** Where the entry of index `prefix` is kept: for a store that writes its entries itself (with more than {@link DueIndex.put}). */
export function dueIndexKey(prefix: string, entry: DueKey): { pk: string; sk: string } {
  return { pk: `${prefix}${entry.dueAt.slice(0, 10)}`, sk: `${entry.dueAt}#${entry.id}` };
}

export function createDueIndex(options: { client: DynamoDBDocumentClient; tableName: string; prefix: string }): DueIndex {
  const { client, tableName, prefix } = options;
  const key = (entry: DueKey) => dueIndexKey(prefix, entry);
  const put = async (entry: DueKey, attributes: Record<string, unknown>, ttlSeconds: number) => {
    await client.send(
      new PutCommand({ TableName: tableName, Item: { ...key(entry), ...attributes, dueAt: entry.dueAt, expiresAt: Math.floor(Date.parse(entry.dueAt) / 1000) + ttlSeconds } }),
    );
  };
  const drop = async (entry: DueKey) => {
    await client.send(new DeleteCommand({ TableName: tableName, Key: key(entry) }));
  };
  const annotate = async (entry: DueKey, attributes: Record<string, unknown>) => {
    const names = Object.keys(attributes);
    if (names.length === 0) return true;
    const updated = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(entry),
          UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:a${i}`, attributes[name]])),
        }),
      ),
    );
    return updated !== null;
  };
  return {
    put,
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
    drop,
    async move(from, to, attributes, ttlSeconds) {
      if (key(from).sk === key(to).sk) return annotate(from, attributes);
      await put(to, attributes, ttlSeconds);
      const deleted = await conditionalWrite(() => client.send(new DeleteCommand({ TableName: tableName, Key: key(from), ConditionExpression: 'attribute_exists(pk)' })));
      if (deleted) return true;
      await drop(to);
      return false;
    },
    annotate,
  };
}

/** Where a stored entry is (as {@link DueIndex.due} lists it), read from its key: the time and id it was written under. */
export function storedDueKey(item: Record<string, unknown>): DueKey {
  const sk = String(item.sk);
  const at = sk.indexOf('#');
  return { dueAt: sk.slice(0, at), id: sk.slice(at + 1) };
}

/** Where a stored entry is, and how often the work of an entry that moves later after each failure failed so far. */
export function storedRetries(item: Record<string, unknown>): { entry: DueKey; failures: number } {
  return { entry: storedDueKey(item), failures: typeof item.failures === 'number' ? item.failures : 0 };
}

/**
 * One incident's work due at a time: the late read of its reactions, its recovery comment the write budget refused,
 * the check that its runbook fixed its alarm.
 */
export interface IncidentDue {
  incidentId: string;
  dueAt: string;
}

/** Incidents' work of one kind due at a time, each entry done once and then deleted. */
export interface IncidentDueList {
  /** Due at `dueAt`; scheduling the same incident and time again adds nothing. */
  schedule(entry: IncidentDue): Promise<void>;
  /** The entries due by `now` within the look-back, oldest first, at most `limit`. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<IncidentDue[]>;
  /** Done, or nothing left to do: the entry goes. */
  done(entry: IncidentDue): Promise<void>;
}

/** An {@link IncidentDueList} under `prefix`, each entry expiring `ttlSeconds` after it is due. */
export function createIncidentDueList(options: { client: DynamoDBDocumentClient; tableName: string; prefix: string; ttlSeconds: number }): IncidentDueList {
  const index = createDueIndex(options);
  const keyOf = (entry: IncidentDue) => ({ id: entry.incidentId, dueAt: entry.dueAt });
  return {
    schedule: (entry) => index.put(keyOf(entry), { incidentId: entry.incidentId }, options.ttlSeconds),
    async due(now, limits) {
      return (await index.due(now, limits)).map((item) => ({ incidentId: String(item.incidentId), dueAt: String(item.dueAt) }));
    },
    done: (entry) => index.drop(keyOf(entry)),
  };
}
