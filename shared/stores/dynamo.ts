import { ConditionalCheckFailedException, DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandOutput, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RetryableError, VersionedWriteConflictError, mayStillLand } from '../errors.js';
import { noteUnsettledWrite } from './unsettled-writes.js';
import { isLoopbackHost } from '../validation.js';

/** The embedded server on this machine accepts any credentials; the CLI must not need real ones for it. */
function isLoopback(endpoint: string): boolean {
  try {
    return isLoopbackHost(new URL(endpoint).hostname);
  } catch {
    return false;
  }
}

/** lib-dynamodb's translation settings of every document client here. */
const TRANSLATE_CONFIG = { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } };

/**
 * How a client reaches a store served in its own process (the local runtime's embedded one): a request handler
 * instead of HTTP, and a signer (nothing to authenticate to within one process); `documents`, when given, makes the
 * document client from the DynamoDB client (the local runtime's sends the stores' calls without the SDK's stack).
 */
export type InProcessTransport = Required<Pick<DynamoDBClientConfig, 'requestHandler' | 'signer'>> & {
  documents?: (client: DynamoDBClient, translateConfig: typeof TRANSLATE_CONFIG) => DynamoDBDocumentClient;
};

/**
 * One document client per process; `endpoint` points it at the embedded server in the local runtime, and
 * `transport` (locally) carries its calls to that server without HTTP.
 */
export function createDocumentClient(options: { region: string; endpoint?: string; transport?: InProcessTransport }): DynamoDBDocumentClient {
  const { documents, ...transport } = options.transport ?? {};
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...transport,
    ...(options.endpoint && isLoopback(options.endpoint) ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // No logger is configured, yet the SDK's logger middleware copies every input and output through the schema's
  // sensitive-data filter before handing it to the no-op logger: for a whole incident or a page of them on every
  // call (2 % of the local runtime's main thread, and its garbage). Without a logger it has nothing to do.
  client.middlewareStack.remove('loggerMiddleware');
  noteUnsettledAttempts(client);
  const translateConfig = structuredClone(TRANSLATE_CONFIG);
  return documents ? documents(client, translateConfig) : DynamoDBDocumentClient.from(client, translateConfig);
}

/**
 * The SDK retries an attempt that timed out or lost its connection as it does a throttled one, and answers with the
 * last attempt's outcome: a success, or a throttle, after a first attempt whose request DynamoDB may still apply. A
 * middleware inside the retry notes each attempt that ended so for the delivery whose counts sent it (see
 * shared/stores/unsettled-writes.ts), which then keeps its reading of their claim.
 */
function noteUnsettledAttempts(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (mayStillLand(error)) noteUnsettledWrite();
        throw error;
      }
    },
    // After the retry middleware (finalizeRequest, high), around the deserializer: every attempt, every error.
    { step: 'finalizeRequest', priority: 'low', name: 'unsettledAttemptMiddleware' },
  );
}

/**
 * Sends one conditional write (the stores' only concurrency control: no transactions locally). Resolves to the
 * response, or null when the condition did not hold — someone else got there first, which callers handle as an
 * answer, not an error. Every other error propagates.
 */
export async function conditionalWrite<T>(send: () => Promise<T>): Promise<T | null> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return null;
    throw error;
  }
}

/**
 * Sets a note item (an alarm's latest OK, a scope's latest green run) to `fields`, unless its `timeField` (an ISO
 * time, in `fields` too) holds that time or a later one already: one conditional write, so a late or redelivered
 * event never moves the note back. With `rankField` (a number, in `fields` too, on every such note) the note is
 * ordered by that first and by the time among equal ranks (a scope's green run of the newest run number). True when
 * it moved.
 */
export async function noteLatest(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  fields: Record<string, unknown>,
  timeField: string,
  rankField?: string,
): Promise<boolean> {
  const names = Object.keys(fields);
  const ranked: { names: Record<string, string>; values: Record<string, unknown> } = rankField ? { names: { '#rank': rankField }, values: { ':rank': fields[rankField] } } : { names: {}, values: {} };
  const moved = await conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `SET ${names.map((_, i) => `#n${i} = :v${i}`).join(', ')}`,
        // ISO strings of one format order as the instants do.
        ConditionExpression: rankField ? 'attribute_not_exists(#at) OR #rank < :rank OR (#rank = :rank AND #at < :at)' : 'attribute_not_exists(#at) OR #at < :at',
        ExpressionAttributeNames: { '#at': timeField, ...ranked.names, ...Object.fromEntries(names.map((name, i) => [`#n${i}`, name])) },
        ExpressionAttributeValues: { ':at': fields[timeField], ...ranked.values, ...Object.fromEntries(names.map((name, i) => [`:v${i}`, fields[name]])) },
      }),
    ),
  );
  return moved !== null;
}

/** Attempts a {@link reviseVersioned} may be given: each lost race costs a read and a write. */
export const MAX_VERSIONED_ATTEMPTS = 10;

/** What one attempt of {@link reviseVersioned} decided. */
export interface VersionedRevision<Answer> {
  /** The caller's answer: once the write lands, or at once when there is nothing to write. */
  answer: Answer;
  /** The change, written conditional on the version the attempt read; absent when there is nothing to write. */
  write?: () => Promise<unknown>;
}

/**
 * A read–change–write of one item under optimistic concurrency (no transactions locally): reads it, lets `revise`
 * (pure) decide, and sends the write, which carries a condition on the version it read. When another writer got
 * there first the item is read again and revised anew, at most `attempts` times in all; then a
 * {@link VersionedWriteConflictError}. `known` (undefined: not known) is the item as the caller just read it, for
 * the first attempt.
 */
export async function reviseVersioned<State, Answer>(revision: {
  /** The item and what it is, for the error. */
  what: string;
  read: () => Promise<State>;
  revise: (state: State) => VersionedRevision<Answer>;
  attempts: number;
  known?: State;
}): Promise<Answer> {
  const { what, read, revise, attempts, known } = revision;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > MAX_VERSIONED_ATTEMPTS) {
    throw new RangeError(`attempts of a versioned write must be a whole number from 1 to ${MAX_VERSIONED_ATTEMPTS}, got ${attempts}`);
  }
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const state = attempt === 0 && known !== undefined ? known : await read();
    const { answer, write } = revise(state);
    if (!write) return answer;
    const landed = await conditionalWrite(async () => {
      await write();
      return true;
    });
    if (landed) return answer;
  }
  throw new VersionedWriteConflictError(`${what} kept changing: ${attempts} conditional writes lost their race`);
}

/** One page of a Query or Scan, as the document client answers it. */
interface ItemPage {
  Items?: Record<string, unknown>[];
  LastEvaluatedKey?: Record<string, unknown>;
}

export interface PagesRead {
  /** At most `limit` items, in the order the pages gave them. */
  items: Record<string, unknown>[];
  /** Pages read: one request each. */
  pages: number;
  /** True when the last page is in; false when a bound stopped the read first. */
  ended: boolean;
  /**
   * When a bound stopped the read and every item it read is in `items`: the last page's `LastEvaluatedKey`, where a
   * later read goes on. A filtered page can end past its last item, or hold none: the key is still where it ended.
   */
  resumeAfter?: Record<string, unknown>;
}

/**
 * Reads the pages of one Query or Scan (the SDK's `paginateQuery` / `paginateScan`, which request a page only
 * when asked for it) until `limit` items are in, `maxPages` pages are read, or the last page is in. Every caller
 * names both bounds: a filter that matches little must not turn one request into reading a whole partition.
 */
export async function readPages(pages: AsyncIterable<ItemPage>, bounds: { maxPages: number; limit: number }): Promise<PagesRead> {
  const items: Record<string, unknown>[] = [];
  let read = 0;
  let lastKey: Record<string, unknown> | undefined;
  if (bounds.maxPages <= 0 || bounds.limit <= 0) return { items, pages: read, ended: false };
  for await (const page of pages) {
    read += 1;
    items.push(...(page.Items ?? []));
    if (!page.LastEvaluatedKey) return { items: items.slice(0, bounds.limit), pages: read, ended: true };
    lastKey = page.LastEvaluatedKey;
    // Checked after the page, never before asking for the next one: the paginator sends that request on demand.
    if (read >= bounds.maxPages || items.length >= bounds.limit) break;
  }
  const cut = items.length > bounds.limit;
  return { items: items.slice(0, bounds.limit), pages: read, ended: false, ...(lastKey && !cut ? { resumeAfter: lastKey } : {}) };
}

/** Keys one BatchGetItem request takes at most. */
const BATCH_GET_KEYS = 100;
/** Rounds of a batch's unprocessed keys (DynamoDB returns some under throttling) before the read gives up. */
const BATCH_GET_ROUNDS = 6;
const BATCH_GET_BACKOFF_MS = 25;

/**
 * The items with `keys` (`pk`/`sk`) from one table, in the order of `keys`; a key with no item is left out. Reads
 * in BatchGetItem requests of 100 keys and asks again, with backoff, for the keys DynamoDB leaves unprocessed
 * (it does under throttling): a key is never reported missing for being unprocessed. Throws a
 * {@link RetryableError} (the state machine retries the stage) when keys are still unprocessed after the last round.
 */
export async function readItems(
  client: DynamoDBDocumentClient,
  tableName: string,
  keys: ReadonlyArray<{ pk: string; sk: string }>,
  options: { consistentRead: boolean; sleep?: (ms: number) => Promise<void>; fields?: readonly string[] },
): Promise<Record<string, unknown>[]> {
  // Only these attributes (and the key, which the items are matched back by) when given.
  const fields = options.fields ? [...new Set(['pk', 'sk', ...options.fields])] : null;
  const projection = fields ? { ProjectionExpression: fields.map((_, i) => `#f${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(fields.map((field, i) => [`#f${i}`, field])) } : {};
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const found = new Map<string, Record<string, unknown>>();
  const keyOf = (item: { pk?: unknown; sk?: unknown }) => `${String(item.pk)}\u0000${String(item.sk)}`;
  for (let at = 0; at < keys.length; at += BATCH_GET_KEYS) {
    let pending: Array<Record<string, unknown>> = keys.slice(at, at + BATCH_GET_KEYS).map(({ pk, sk }) => ({ pk, sk }));
    for (let round = 0; pending.length > 0; round += 1) {
      if (round === BATCH_GET_ROUNDS) throw new RetryableError(`${pending.length} keys of ${tableName} still unprocessed after ${round} batch reads`);
      if (round > 0) await sleep(BATCH_GET_BACKOFF_MS * 2 ** (round - 1) * (0.5 + Math.random() / 2));
      const response: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead, ...projection } } }),
      );
      for (const item of response.Responses?.[tableName] ?? []) found.set(keyOf(item), item);
      pending = response.UnprocessedKeys?.[tableName]?.Keys ?? [];
    }
  }
  return keys.flatMap((key): Record<string, unknown>[] => {
    const item = found.get(keyOf(key));
    return item ? [item] : [];
  });
}

/** An update expression of `SET`, `ADD` and `REMOVE` clauses (each left out when empty). */
export function updateExpression(clauses: { set?: string[]; add?: string[]; remove?: string[] }): string {
  return [
    clauses.set?.length ? `SET ${clauses.set.join(', ')}` : '',
    clauses.add?.length ? `ADD ${clauses.add.join(', ')}` : '',
    clauses.remove?.length ? `REMOVE ${clauses.remove.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}
