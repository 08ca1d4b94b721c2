import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { RetryableError } from '../../../shared/errors.js';
import { readItems } from '../../../shared/stores/dynamo.js';
import { createIncidentStore } from '../../../shared/stores/incident-store.js';

type Key = { pk: string; sk: string };

/** A real document client (the SDK's paginators insist on one) whose calls `answer` handles, without a network. */
function answering(answer: (command: unknown) => Promise<unknown>): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  client.send = answer as typeof client.send;
  return client;
}

/**
 * A document client over a fixed table that answers BatchGetItem like DynamoDB under throttling: the first
 * `unprocessedRounds` answers process only the first key of the request and hand the rest back as unprocessed.
 */
function throttledTable(items: Array<Key & Record<string, unknown>>, unprocessedRounds: number) {
  const requests: Array<{ keys: Key[]; consistent: boolean | undefined }> = [];
  let rounds = 0;
  const client = answering(async (command) => {
      if (!(command instanceof BatchGetCommand)) throw new Error('unexpected command');
      const [table, request] = Object.entries(command.input.RequestItems ?? {})[0] as [string, { Keys: Key[]; ConsistentRead?: boolean }];
      requests.push({ keys: request.Keys, consistent: request.ConsistentRead });
      const served = rounds++ < unprocessedRounds ? request.Keys.slice(0, 1) : request.Keys;
      const left = request.Keys.slice(served.length);
      // Answers in another order than asked, as BatchGetItem may.
      const found = served.flatMap((key: Key) => items.filter((item) => item.pk === key.pk && item.sk === key.sk)).reverse();
      return { Responses: { [table]: found }, ...(left.length > 0 ? { UnprocessedKeys: { [table]: { Keys: left } } } : {}) };
  });
  return { client, requests };
}

const noWait = async () => {};
const item = (n: number) => ({ pk: `P#${n}`, sk: 'S', n });
const key = (n: number) => ({ pk: `P#${n}`, sk: 'S' });

describe('readItems', () => {
  it('asks again for unprocessed keys and returns the items in the order of the keys, without the missing ones', async () => {
    const table = throttledTable([item(1), item(2), item(3)], 2);

    const items = await readItems(table.client, 't', [key(3), key(9), key(1), key(2)], { consistentRead: true, sleep: noWait });

    expect(items.map((i) => i.n)).toEqual([3, 1, 2]);
    expect(table.requests.map((r) => r.keys.length)).toEqual([4, 3, 2]);
    expect(table.requests.every((r) => r.consistent === true)).toBe(true);
  });

  it('reads more than 100 keys in requests of 100', async () => {
    const all = Array.from({ length: 250 }, (_, n) => item(n));
    const table = throttledTable(all, 0);

    const items = await readItems(table.client, 't', all.map((_, n) => key(n)), { consistentRead: false, sleep: noWait });

    expect(items.map((i) => i.n)).toEqual(all.map((i) => i.n));
    expect(table.requests.map((r) => r.keys.length)).toEqual([100, 100, 50]);
  });

  it('throws a retryable error, never a short answer, when keys stay unprocessed', async () => {
    // Each round processes one key: ten keys outlast the six rounds.
    const all = Array.from({ length: 10 }, (_, n) => item(n));
    const table = throttledTable(all, Number.POSITIVE_INFINITY);
    const waits: number[] = [];

    const read = readItems(table.client, 't', all.map((_, n) => key(n)), { consistentRead: true, sleep: async (ms) => void waits.push(ms) });

    await expect(read).rejects.toBeInstanceOf(RetryableError);
    await expect(read).rejects.toMatchObject({ name: 'RetryableError' });
    // Six requests, five waits between them, each longer than the one before (jitter stays within a doubling).
    expect(table.requests).toHaveLength(6);
    expect(waits).toHaveLength(5);
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] as number);
  });
});

describe('incident store over an index that lags the table', () => {
  it('does not list as open an incident the table already has resolved', async () => {
    // The index still says "analyzed" for both; the table has since resolved one of them.
    const indexed: Array<Key & Record<string, unknown>> = [
      { pk: 'INCIDENT#a', sk: 'INCIDENT', scope: 's', createdAt: '2026-11-02', status: 'analyzed' },
      { pk: 'INCIDENT#b', sk: 'INCIDENT', scope: 's', createdAt: '2026-11-01', status: 'analyzed' },
    ];
    const stored = [
      { ...(indexed[0] as Key), id: 'a', status: 'resolved' },
      { ...(indexed[1] as Key), id: 'b', status: 'analyzed', headSha: 'abc' },
    ];
    const batch = throttledTable(stored, 0);
    const client = answering(async (command) => (command instanceof QueryCommand ? { Items: indexed } : batch.client.send(command as never)));
    const store = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });

    const open = await store.listOpenInScope('s', 10);

    expect(open.map((incident) => ({ id: incident.id, status: incident.status, headSha: incident.headSha }))).toEqual([{ id: 'b', status: 'analyzed', headSha: 'abc' }]);
    expect(batch.requests[0]?.consistent).toBe(true);
  });
});

describe('incident store search over an index whose incidents may be gone from the table', () => {
  it('pages on from the last index item read, so an incident that expired meanwhile is skipped, not read again', async () => {
    // The month index lists c, b, a (newest first); b expired from the table after the index listed it.
    const entry = (id: string, minute: number) => ({ pk: `INCIDENT#${id}`, sk: 'INCIDENT', month: '2026-11', createdAt: `2026-11-20T10:0${minute}:00.000Z`, status: 'analyzed' });
    const index = [entry('c', 3), entry('b', 2), entry('a', 1)];
    const table = throttledTable([{ ...(index[0] as Key), id: 'c' }, { ...(index[2] as Key), id: 'a' }], 0);
    const queries: Array<Record<string, unknown> | undefined> = [];
    const client = answering(async (command) => {
      if (!(command instanceof QueryCommand)) return table.client.send(command as never);
      queries.push(command.input.ExclusiveStartKey);
      const month = index.filter((i) => i.month === command.input.ExpressionAttributeValues?.[':month']);
      const start = command.input.ExclusiveStartKey ? month.findIndex((i) => i.pk === command.input.ExclusiveStartKey?.pk) + 1 : 0;
      const page = month.slice(start, start + 2);
      return { Items: page, ...(start + 2 < month.length ? { LastEvaluatedKey: page.at(-1) } : {}) };
    });
    const store = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30, clock: () => new Date('2026-11-21T00:00:00Z') });

    const first = await store.search({}, 2);
    const second = await store.search({}, 2, first.next);

    expect(first.items.map((i) => i.id)).toEqual(['c']);
    expect(first.next).toEqual({ id: 'b', createdAt: '2026-11-20T10:02:00.000Z' });
    expect(second.items.map((i) => i.id)).toEqual(['a']);
    expect(queries[1]).toMatchObject({ pk: 'INCIDENT#b' });
  });
});

describe('incident search over a month index that lags the table', () => {
  /** A store whose month index answers `pages` (November only), and whose table holds `stored`. */
  type Page = { items: Array<Key & Record<string, unknown>>; more: boolean; lastKey?: Key & Record<string, unknown> };
  function storeOver(november: Page[], stored: Array<Key & Record<string, unknown>>, october: Page[] = []) {
    const batch = throttledTable(stored, 0);
    const lastOf = (page: Page) => page.lastKey ?? page.items.at(-1);
    const client = answering(async (command) => {
      if (!(command instanceof QueryCommand)) return batch.client.send(command as never);
      const month = String(command.input.ExpressionAttributeValues?.[':month']);
      const pages = month === '2026-11' ? november : month === '2026-10' ? october : [];
      // The page after the one that ended at the start key.
      const start = command.input.ExclusiveStartKey;
      const page = pages[start ? pages.findIndex((p) => lastOf(p)?.pk === start.pk) + 1 : 0] ?? { items: [], more: false };
      const last = lastOf(page);
      return { Items: page.items, ...(page.more && last ? { LastEvaluatedKey: { pk: last.pk, sk: last.sk, month, createdAt: last.createdAt } } : {}) };
    });
    return { store: createIncidentStore({ client, tableName: 'incidents', ttlDays: 30, clock: () => new Date('2026-11-20T12:00:00Z') }), reads: batch.requests };
  }
  const indexed = (id: string, createdAt: string, status: string) => ({ pk: `INCIDENT#${id}`, sk: 'INCIDENT', month: '2026-11', createdAt, status });

  it('hands out only incidents that still match the filter as stored now, read consistently', async () => {
    // The index still says "analyzed" for both; the table has since notified one of them.
    const a = indexed('a', '2026-11-02', 'analyzed');
    const b = indexed('b', '2026-11-01', 'analyzed');
    const { store, reads } = storeOver([{ items: [a, b], more: false }], [
      { ...a, id: 'a', status: 'notified' },
      { ...b, id: 'b', status: 'analyzed' },
    ]);

    const page = await store.search({ status: 'analyzed' }, 10);

    expect(page.items.map((incident) => ({ id: incident.id, status: incident.status }))).toEqual([{ id: 'b', status: 'analyzed' }]);
    // An eventually consistent read may be older than the index: it would drop an incident that does match.
    expect(reads.map((read) => read.consistent)).toEqual([true]);
  });

  it('moves its cursor past incidents that no longer match, even when none of a full page does', async () => {
    // Two pages of the index; every incident of the first has moved on in the table since.
    const c = indexed('c', '2026-11-04', 'analyzed');
    const d = indexed('d', '2026-11-03', 'analyzed');
    const e = indexed('e', '2026-11-02', 'analyzed');
    const { store } = storeOver(
      [
        { items: [c, d], more: true },
        { items: [e], more: false },
      ],
      [{ ...c, id: 'c', status: 'notified' }, { ...d, id: 'd', status: 'resolved' }, { ...e, id: 'e', status: 'analyzed' }],
    );

    const page = await store.search({ status: 'analyzed' }, 2);

    expect(page.items).toEqual([]);
    expect(page.next).toEqual({ id: 'd', createdAt: '2026-11-03' });
  });

  it('hands out a cursor where its page bound stopped it, even when the filter left nothing on those pages', async () => {
    // 50 pages of an index partition in which nothing matches: DynamoDB answers each with no items, and a key.
    const last = (n: number) => indexed(`x${n}`, `2026-11-10T00:${String(59 - n).padStart(2, '0')}:00Z`, 'notified');
    const { store } = storeOver(Array.from({ length: 50 }, (_, n) => ({ items: [], more: true, lastKey: last(n) })), []);

    const first = await store.search({ status: 'analyzed' }, 10);
    const second = await store.search({ status: 'analyzed' }, 10, first.next);

    expect(first).toEqual({ items: [], next: { id: 'x19', createdAt: '2026-11-10T00:40:00Z' } });
    expect(second).toEqual({ items: [], next: { id: 'x39', createdAt: '2026-11-10T00:20:00Z' } });
  });

  it('goes on into the next month for a place to stop when its page bound ends with a month that held no match', async () => {
    // November's 20 pages (the bound) end the partition with nothing matching; October has more pages of nothing.
    const last = (month: string, n: number) => ({ ...indexed(`${month}-${n}`, `2026-${month}-10T00:${String(59 - n).padStart(2, '0')}:00Z`, 'notified'), month: `2026-${month}` });
    const november = Array.from({ length: 20 }, (_, n) => ({ items: [], more: n < 19, lastKey: last('11', n) }));
    const october = Array.from({ length: 5 }, (_, n) => ({ items: [], more: true, lastKey: last('10', n) }));
    const { store } = storeOver(november, [], october);

    const page = await store.search({ status: 'analyzed' }, 10);

    expect(page).toEqual({ items: [], next: { id: '10-0', createdAt: '2026-10-10T00:59:00Z' } });
  });
});
