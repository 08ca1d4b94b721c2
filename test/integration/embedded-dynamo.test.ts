import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, DataDirectoryOutdatedError, type EmbeddedDynamo, EmbeddedStoreClosedError, asRequestHandler, inProcessTransport, startEmbeddedDynamo } from '../../infra/local/embedded-dynamo.js';
import { InProcessDocumentClient } from '../../infra/local/in-process-documents.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';

const tableNames = { incidents: 'incidents', baselines: 'baselines', experiments: 'experiments' };
const dirs: string[] = [];

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : (await stat(path)).size;
  }
  return total;
}

afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('embedded DynamoDB (dynalite in a worker thread)', () => {
  it('says the data directory is in use instead of failing on the first call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const first = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    try {
      const second = startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
      await expect(second).rejects.toBeInstanceOf(DataDirectoryInUseError);
      await expect(second).rejects.toThrow(`${dir} is in use by another local runtime: stop that one, or start this one on another directory (GUARD_DATA_DIR=…; one npm start per data directory)`);
    } finally {
      await first.close();
    }
    // Closed cleanly: the directory opens again.
    const again = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    // The first store's worker may now serve this one: the closed store refuses to answer with its counts.
    await expect(first.calls()).rejects.toBeInstanceOf(EmbeddedStoreClosedError);
    await expect(first.heapStatistics()).rejects.toBeInstanceOf(EmbeddedStoreClosedError);
    await again.close();
  });

  it('says a data directory whose tables lack an index the stores now query is outdated, instead of failing every such query', async () => {
    // Prepare: a data directory whose incident table has every index but the history's (created before it was added)
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const first = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: first.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const { Table: table } = await client.send(new DescribeTableCommand({ TableName: 'incidents' }));
      await client.send(new DeleteTableCommand({ TableName: 'incidents' }));
      while (await client.send(new DescribeTableCommand({ TableName: 'incidents' })).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 10));
      const indexes = (table?.GlobalSecondaryIndexes ?? []).filter((index) => index.IndexName !== 'byHistoryKey');
      await client.send(
        new CreateTableCommand({
          TableName: 'incidents', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: table?.AttributeDefinitions?.filter((a) => a.AttributeName !== 'historyKey'), KeySchema: table?.KeySchema,
          GlobalSecondaryIndexes: indexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
        }),
      );
    } finally {
      client.destroy();
      await first.close();
    }

    // Act
    const again = startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });

    // Assert: refused with what to do, and the directory is released
    await expect(again).rejects.toBeInstanceOf(DataDirectoryOutdatedError);
    await expect(again).rejects.toThrow(`${dir} was created before indexes its tables now need: incidents (byHistoryKey)`);
    await expect(startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' })).rejects.toBeInstanceOf(DataDirectoryOutdatedError);
  });

  it('lets exactly one of several runtimes started at the same moment have the folder; the others say it is in use', async () => {
    // Before, each worker probed the folder (open, close) and then let dynalite open it lazily: runtimes starting
    // together all passed the probe, and the losers failed their first call with "Database is closed".
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    for (let round = 0; round < 3; round++) {
      const starts = await Promise.allSettled(Array.from({ length: 3 }, () => startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' })));
      const started = starts.filter((s): s is PromiseFulfilledResult<Awaited<ReturnType<typeof startEmbeddedDynamo>>> => s.status === 'fulfilled');
      const refused = starts.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => s.reason as Error);
      for (const s of started) await s.value.close();
      expect(started).toHaveLength(1);
      for (const reason of refused) expect(reason, reason.message).toBeInstanceOf(DataDirectoryInUseError);
    }
  });

  it('serves 1,200 rewrites and queries and keeps the folder near its live size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    // By message, as the local runtime sends nearly all its calls: what this checks is the store's folder and counts,
    // which the transport does not change (HTTP's answers are compared with these below). Over HTTP the client and
    // the store's thread spent ~3.5 s more of CPU on the 36 MB (session 71: 10.5 s against 7.1 s for this test).
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, ...inProcessTransport(dynamo) }),
    );
    try {
      const payload = 'x'.repeat(30_000);
      for (let round = 0; round < 60; round++) {
        await Promise.all(
          Array.from({ length: 20 }, (_, i) => client.send(new PutCommand({ TableName: 'incidents', Item: { pk: `P#${i}`, sk: 'S', payload, round } }))),
        );
        for (let i = 0; i < 20; i++) {
          const page = await client.send(new QueryCommand({ TableName: 'incidents', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `P#${i}` }, Limit: 1 }));
          expect(page.Items?.[0]?.round).toBe(round);
        }
      }
      // 1,200 writes of 30 KB (36 MB) of which 600 KB are live: with snapshots pinned by open iterators the folder kept
      // every version.
      expect(await dirBytes(dir)).toBeLessThan(16 * 1024 * 1024);
      // The calls it served, by operation (what bench:local divides by incidents); start-up made the tables.
      const calls = await dynamo.calls();
      expect(calls.PutItem).toBe(1_200);
      expect(calls.Query).toBe(1_200);
      expect(calls.CreateTable).toBe(3);
    } finally {
      client.destroy();
      await dynamo.close();
    }
  }, 120_000);

  it("bounds the store thread's old generation below the size at which V8 lets a heap grow to 4× what it keeps", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, requestHandler: asRequestHandler(dynamo.requestHandler), credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }));
    try {
      const payload = 'x'.repeat(10_000);
      for (let round = 0; round < 20; round++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => client.send(new PutCommand({ TableName: 'incidents', Item: { pk: `H#${i}`, sk: 'S', payload, round } }))));
        await Promise.all(Array.from({ length: 20 }, (_, i) => client.send(new GetCommand({ TableName: 'incidents', Key: { pk: `H#${i}`, sk: 'S' } }))));
      }
      const heap = await dynamo.heapStatistics();
      const mb = (bytes: number) => bytes / 1024 / 1024;
      // V8 (heap-controller.cc, MaxGrowingFactor) allows a growth factor of 4 from a 2 GB limit up (Node's default
      // on a machine with a few GB), 1.3–2 below it: the store's heap swung between 50 and 97 MB while keeping ~20.
      expect(mb(heap.heap_size_limit)).toBeLessThan(1024);
      // …and the limit stays far above what the store keeps, so it is never reached.
      expect(mb(heap.used_heap_size) * 8).toBeLessThan(mb(heap.heap_size_limit));
    } finally {
      client.destroy();
      await dynamo.close();
    }
  });

  it('answers calls sent in-process (handler, unsigned) exactly as over HTTP: items, conditional failures, unknown tables', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const overHttp = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials }));
    const inProcess = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials, ...inProcessTransport(dynamo) }),
    );
    try {
      const callsBefore = await dynamo.calls();
      await inProcess.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'P#1', sk: 'S', text: 'naïve — ünïcode', n: 1 } }));
      const updated = await inProcess.send(
        new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 }, ReturnValues: 'ALL_NEW' }),
      );
      expect(updated.Attributes).toEqual({ pk: 'P#1', sk: 'S', text: 'naïve — ünïcode', n: 2 });
      // Written in-process, read over HTTP (one store), and the other way round.
      expect((await overHttp.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' } }))).Item).toEqual(updated.Attributes);
      await overHttp.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'P#2', sk: 'S', n: 7 } }));
      expect((await inProcess.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'P#2', sk: 'S' } }))).Item).toEqual({ pk: 'P#2', sk: 'S', n: 7 });
      // Errors are the service's, parsed by the SDK into the same classes.
      const conditional = inProcess.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'P#1', sk: 'S' }, ConditionExpression: 'attribute_not_exists(pk)' }));
      await expect(conditional).rejects.toBeInstanceOf(ConditionalCheckFailedException);
      await expect(inProcess.send(new GetCommand({ TableName: 'nope', Key: { pk: 'x', sk: 'y' } }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      // Index entries follow the item in-process too: moved, changed, and deleted with it; each index holds only
      // its projection (`status` is in both, `n` in neither).
      const byFingerprint = async (fingerprint: string) =>
        (await inProcess.send(new QueryCommand({ TableName: 'incidents', IndexName: 'byFingerprint', KeyConditionExpression: 'fingerprint = :f', ExpressionAttributeValues: { ':f': fingerprint } }))).Items;
      await inProcess.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'P#3', sk: 'S', fingerprint: 'fp-a', createdAt: '2026-11-20', month: '2026-11', status: 'one', n: 1 } }));
      expect(await byFingerprint('fp-a')).toEqual([{ pk: 'P#3', sk: 'S', fingerprint: 'fp-a', createdAt: '2026-11-20', status: 'one' }]);
      await inProcess.send(new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#3', sk: 'S' }, UpdateExpression: 'SET fingerprint = :b, #s = :two', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':b': 'fp-b', ':two': 'two' } }));
      expect(await byFingerprint('fp-a')).toEqual([]);
      expect(await byFingerprint('fp-b')).toEqual([expect.objectContaining({ pk: 'P#3', status: 'two' })]);
      const byMonth = await overHttp.send(new QueryCommand({ TableName: 'incidents', IndexName: 'byMonth', KeyConditionExpression: '#m = :m', ExpressionAttributeNames: { '#m': 'month' }, ExpressionAttributeValues: { ':m': '2026-11' } }));
      expect(byMonth.Items).toEqual([{ pk: 'P#3', sk: 'S', month: '2026-11', createdAt: '2026-11-20', status: 'two' }]);
      await inProcess.send(new DeleteCommand({ TableName: 'incidents', Key: { pk: 'P#3', sk: 'S' } }));
      expect(await byFingerprint('fp-b')).toEqual([]);
      // Counted like HTTP calls (bench:local's calls per incident).
      const calls = await dynamo.calls();
      expect((calls.PutItem ?? 0) - (callsBefore.PutItem ?? 0)).toBe(4);
      expect((calls.GetItem ?? 0) - (callsBefore.GetItem ?? 0)).toBe(3);
    } finally {
      overHttp.destroy();
      inProcess.destroy();
      await dynamo.close();
    }
    await expect(dynamo.requestHandler.handle({ headers: {}, body: '{}' })).rejects.toThrow(/closed/);
  });

  it("answers the stores' document commands sent without the SDK's middleware as the SDK's client does: outputs, paging, errors", async () => {
    // Two stores fed the same calls: one through the local runtime's document client (createDocumentClient with the
    // in-process transport), one through lib-dynamodb over the SDK's stack. Every answer must be the same.
    const stores = await Promise.all(
      [0, 1].map(async () => {
        const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
        dirs.push(dir);
        return startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
      }),
    );
    const [direct, viaSdk] = [
      createDocumentClient({ region: 'us-east-1', endpoint: (stores[0] as EmbeddedDynamo).endpoint, transport: inProcessTransport(stores[0] as EmbeddedDynamo) }),
      DynamoDBDocumentClient.from(
        new DynamoDBClient({ region: 'us-east-1', endpoint: (stores[1] as EmbeddedDynamo).endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, ...inProcessTransport(stores[1] as EmbeddedDynamo) }),
        { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
      ),
    ] as const;
    expect(direct).toBeInstanceOf(InProcessDocumentClient);
    expect(viaSdk).not.toBeInstanceOf(InProcessDocumentClient);
    const outcome = async (client: DynamoDBDocumentClient, command: object) => {
      try {
        const { $metadata, ...output } = (await client.send(command as never)) as Record<string, unknown> & { $metadata: { httpStatusCode?: number } };
        return { output, status: $metadata.httpStatusCode };
      } catch (error) {
        const e = error as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string; Item?: unknown };
        return { error: { class: Object.getPrototypeOf(e).constructor.name, name: e.name, message: e.message, fault: e.$fault, status: e.$metadata?.httpStatusCode, item: e.Item } };
      }
    };
    const same = async (make: () => object) => {
      const [a, b] = [await outcome(direct, make()), await outcome(viaSdk, make())];
      expect(a).toEqual(b);
      return a;
    };
    try {
      const item = { pk: 'P#1', sk: 'S', text: 'naïve — ünïcode', n: 1.5, big: 2 ** 40, flags: new Set(['a', 'b']), nested: { list: [1, 'two', null, true, { deep: ['x'] }] }, empty: '', gone: undefined };
      expect(await same(() => new PutCommand({ TableName: 'incidents', Item: item, ReturnValues: 'ALL_OLD' }))).toHaveProperty('status', 200);
      await same(() => new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' } }));
      // Bytes (which JSON cannot carry: the SDK's serialiser base64s them), and a map whose members are named B and BS.
      const binary = { pk: 'P#bin', sk: 'S', bytes: new Uint8Array([0, 1, 254, 255]), set: new Set([new Uint8Array([1]), new Uint8Array([2, 3])]), named: { B: 'b', BS: ['x'] } };
      expect(await same(() => new PutCommand({ TableName: 'incidents', Item: binary }))).toHaveProperty('status', 200);
      expect((await same(() => new GetCommand({ TableName: 'incidents', Key: { pk: 'P#bin', sk: 'S' } }))).output).toMatchObject({ Item: { bytes: new Uint8Array([0, 1, 254, 255]), named: { B: 'b' } } });
      await same(() => new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#bin', sk: 'S' }, UpdateExpression: 'SET bytes = :b', ExpressionAttributeValues: { ':b': new Uint8Array([9]) }, ReturnValues: 'ALL_NEW' }));
      await same(() => new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#bin', sk: 'S' }, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'set' }, ExpressionAttributeValues: { ':s': new Set([new Uint8Array([4])]) }, ReturnValues: 'UPDATED_NEW' }));
      await same(() => new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, ProjectionExpression: '#n, nested.list[4]', ExpressionAttributeNames: { '#n': 'n' } }));
      await same(() => new GetCommand({ TableName: 'incidents', Key: { pk: 'missing', sk: 'S' } }));
      for (const ReturnValues of ['ALL_NEW', 'UPDATED_OLD', 'UPDATED_NEW', 'ALL_OLD', 'NONE'] as const) {
        await same(() => new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, UpdateExpression: 'ADD n :one, flags :c SET #t = :t', ExpressionAttributeNames: { '#t': 'text' }, ExpressionAttributeValues: { ':one': 1, ':c': new Set(['c']), ':t': ReturnValues }, ReturnValues }));
      }
      // Conditional failures, with and without the item, and the service's validation errors.
      const failed = await same(() => new PutCommand({ TableName: 'incidents', Item: { pk: 'P#1', sk: 'S' }, ConditionExpression: 'attribute_not_exists(pk)' }));
      expect(failed.error).toMatchObject({ class: 'ConditionalCheckFailedException', name: 'ConditionalCheckFailedException', status: 400 });
      await same(() => new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, UpdateExpression: 'SET n = :n', ConditionExpression: 'n = :zero', ExpressionAttributeValues: { ':n': 1, ':zero': 0 }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
      expect((await same(() => new GetCommand({ TableName: 'nope', Key: { pk: 'x', sk: 'y' } }))).error).toMatchObject({ class: 'ResourceNotFoundException' });
      expect((await same(() => new UpdateCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, UpdateExpression: 'SET n = :unused' }))).error).toMatchObject({ name: 'ValidationException' });
      await same(() => new GetCommand({ TableName: 'incidents', Key: { pk: 'P#1' } }));
      // Queries and scans: pages, filters, indexes, counts.
      for (let i = 0; i < 7; i++) {
        await same(() => new PutCommand({ TableName: 'incidents', Item: { pk: `Q#${i}`, sk: 'S', fingerprint: 'fp', createdAt: `2026-11-2${i}`, month: '2026-11', status: i % 2 ? 'odd' : 'even', scope: 'r', n: i } }));
      }
      let start: Record<string, unknown> | undefined;
      let pages = 0;
      do {
        const page = await same(() => new QueryCommand({ TableName: 'incidents', IndexName: 'byMonth', KeyConditionExpression: '#m = :m', FilterExpression: '#s = :s', ExpressionAttributeNames: { '#m': 'month', '#s': 'status' }, ExpressionAttributeValues: { ':m': '2026-11', ':s': 'odd' }, Limit: 2, ScanIndexForward: false, ExclusiveStartKey: start }));
        start = (page.output as { LastEvaluatedKey?: Record<string, unknown> }).LastEvaluatedKey;
        pages += 1;
      } while (start);
      expect(pages).toBeGreaterThan(2);
      await same(() => new QueryCommand({ TableName: 'incidents', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'Q#3' }, ConsistentRead: true, Select: 'COUNT' }));
      await same(() => new ScanCommand({ TableName: 'incidents', Limit: 3 }));
      // Batches, with keys of two tables, a missing one, and writes.
      await same(() => new BatchWriteCommand({ RequestItems: { incidents: [{ PutRequest: { Item: { pk: 'B#1', sk: 'S', v: 1 } } }, { DeleteRequest: { Key: { pk: 'Q#0', sk: 'S' } } }], baselines: [{ PutRequest: { Item: { pk: 'B#2', sk: 'S' } } }] } }));
      const batch = await same(() => new BatchGetCommand({ RequestItems: { incidents: { Keys: [{ pk: 'B#1', sk: 'S' }, { pk: 'Q#0', sk: 'S' }] }, baselines: { Keys: [{ pk: 'B#2', sk: 'S' }], ProjectionExpression: 'pk' } } }));
      expect((batch.output as { Responses: Record<string, unknown[]> }).Responses.incidents).toEqual([{ pk: 'B#1', sk: 'S', v: 1 }]);
      await same(() => new DeleteCommand({ TableName: 'incidents', Key: { pk: 'P#1', sk: 'S' }, ReturnValues: 'ALL_OLD' }));
      // What the SDK refuses before sending, it refuses the same way.
      await same(() => new PutCommand({ TableName: 'incidents', Item: { pk: 'C#1', sk: 'S', when: new Date(0) } }));
      // The same calls reached the store: the counts bench:local reports are the same (DescribeTable aside: the
      // start polls it until each new table is active, as often as that takes).
      const [a, b] = (await Promise.all(stores.map((store) => store.calls()))).map(({ DescribeTable: _polls, ...calls }) => calls);
      expect(a).toEqual(b);
      expect(a).toEqual({ CreateTable: 3, PutItem: 10, GetItem: 6, UpdateItem: 9, Query: 5, Scan: 1, BatchWriteItem: 1, BatchGetItem: 1, DeleteItem: 1 });
    } finally {
      direct.destroy();
      viaSdk.destroy();
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it('reads every item as last written and every index as the items are (the store keeps decoded items)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    let dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1', readOnlyShared: true });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const clientsOf = (store: typeof dynamo) => ({
      inProcess: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: store.endpoint, credentials, ...inProcessTransport(store) })),
      overHttp: DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: store.endpoint, credentials })),
    });
    let { inProcess, overHttp } = clientsOf(dynamo);
    const key = { pk: 'P#1', sk: 'S' };
    const get = async (client = inProcess, k: Record<string, string> = key) => (await client.send(new GetCommand({ TableName: 'incidents', Key: k }))).Item;
    const byFingerprint = async (fingerprint: string) =>
      (await inProcess.send(new QueryCommand({ TableName: 'incidents', IndexName: 'byFingerprint', KeyConditionExpression: 'fingerprint = :f', ExpressionAttributeValues: { ':f': fingerprint } }))).Items;
    const byCategory = async (category: string) =>
      (await inProcess.send(new QueryCommand({ TableName: 'incidents', IndexName: 'byKnowledgeCategory', KeyConditionExpression: 'kbCategory = :c', ExpressionAttributeValues: { ':c': category } }))).Items;
    try {
      await inProcess.send(new PutCommand({ TableName: 'incidents', Item: { ...key, fingerprint: 'fp', createdAt: '2026-11-20', month: '2026-11', status: 'one', n: 0, notes: ['a'] } }));
      // Reads and conditional updates side by side: each update reads the item the one before it wrote.
      const updates = Array.from({ length: 20 }, () =>
        inProcess.send(new UpdateCommand({ TableName: 'incidents', Key: key, UpdateExpression: 'ADD n :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } })),
      );
      const reads = Array.from({ length: 20 }, () => get());
      await Promise.all(updates);
      const seen = (await Promise.all(reads)).map((item) => item?.n as number);
      expect(seen.every((n) => n >= 0 && n <= 20)).toBe(true);
      expect(await get()).toEqual({ ...key, fingerprint: 'fp', createdAt: '2026-11-20', month: '2026-11', status: 'one', n: 20, notes: ['a'] });
      // What one reader got is not changed by the next write (the answer is the value, not a shared object).
      const before = await get();
      await inProcess.send(new UpdateCommand({ TableName: 'incidents', Key: key, UpdateExpression: 'SET notes = list_append(notes, :b), #s = :two', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':b': ['b'], ':two': 'two' } }));
      expect(before).toMatchObject({ status: 'one', notes: ['a'] });
      expect(await get(overHttp)).toMatchObject({ status: 'two', notes: ['a', 'b'], n: 20 });
      // Index entries follow the item, whichever of its attributes an update changes.
      expect(await byFingerprint('fp')).toEqual([expect.objectContaining({ pk: 'P#1', status: 'two' })]);
      await inProcess.send(new UpdateCommand({ TableName: 'incidents', Key: key, UpdateExpression: 'SET #s = :three', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':three': 'three' } }));
      expect(await byFingerprint('fp')).toEqual([expect.objectContaining({ pk: 'P#1', status: 'three' })]);
      // A whole-item index follows every attribute.
      await inProcess.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'KB#1', sk: 'S', kbCategory: 'c', kbLastSeen: '2026-11-20', hits: 1 } }));
      await inProcess.send(new UpdateCommand({ TableName: 'incidents', Key: { pk: 'KB#1', sk: 'S' }, UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': 1 } }));
      expect(await byCategory('c')).toEqual([{ pk: 'KB#1', sk: 'S', kbCategory: 'c', kbLastSeen: '2026-11-20', hits: 2 }]);
      // Deleted, written over HTTP, rewritten and deleted in a batch: each read sees the last of them.
      await inProcess.send(new DeleteCommand({ TableName: 'incidents', Key: key }));
      expect(await get()).toBeUndefined();
      expect(await byFingerprint('fp')).toEqual([]);
      await overHttp.send(new PutCommand({ TableName: 'incidents', Item: { ...key, n: 1 } }));
      expect(await get()).toEqual({ ...key, n: 1 });
      await inProcess.send(new BatchWriteCommand({ RequestItems: { incidents: [{ PutRequest: { Item: { ...key, n: 2 } } }, { DeleteRequest: { Key: { pk: 'KB#1', sk: 'S' } } }] } }));
      expect(await get()).toEqual({ ...key, n: 2 });
      expect(await get(inProcess, { pk: 'KB#1', sk: 'S' })).toBeUndefined();
      expect(await byCategory('c')).toEqual([]);
      // What was written is what the next start reads from the folder.
      inProcess.destroy();
      overHttp.destroy();
      await dynamo.close();
      dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1', readOnlyShared: true });
      ({ inProcess, overHttp } = clientsOf(dynamo));
      expect(await get()).toEqual({ ...key, n: 2 });
    } finally {
      inProcess.destroy();
      overHttp.destroy();
      await dynamo.close();
    }
  });

  it('answers every read of the experiments table as last written, whichever call wrote it (the store keeps those answers)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const raw = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials, ...inProcessTransport(dynamo) });
    const inProcess = DynamoDBDocumentClient.from(raw);
    const overHttp = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials }));
    const TableName = 'experiments';
    const definition = { pk: 'EXPERIMENTS', sk: 'EXP#a' };
    const policy = { pk: 'POLICY', sk: 'DEFAULT' };
    // The reads the pipeline makes at every incident (definitions, promoted policies) and the other read calls.
    const reads = async () => ({
      query: (await inProcess.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'EXPERIMENTS' }, Limit: 50 }))).Items,
      get: (await inProcess.send(new GetCommand({ TableName, Key: definition }))).Item,
      batch: (await inProcess.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [policy, definition] } } }))).Responses?.[TableName]?.sort((a, b) => String(a.pk).localeCompare(String(b.pk))),
      scan: (await inProcess.send(new ScanCommand({ TableName }))).Items?.length,
    });
    const readTwice = async () => {
      const first = await reads();
      expect(await reads()).toEqual(first);
      return first;
    };
    try {
      await inProcess.send(new PutCommand({ TableName, Item: { ...definition, status: 'running' } }));
      await inProcess.send(new PutCommand({ TableName, Item: { ...policy, variant: 'a' } }));
      expect(await readTwice()).toEqual({
        query: [{ ...definition, status: 'running' }],
        get: { ...definition, status: 'running' },
        batch: [{ ...definition, status: 'running' }, { ...policy, variant: 'a' }],
        scan: 2,
      });

      await inProcess.send(new UpdateCommand({ TableName, Key: definition, UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'stopped' } }));
      expect(await readTwice()).toMatchObject({ query: [{ status: 'stopped' }], get: { status: 'stopped' }, batch: [{ status: 'stopped' }, { variant: 'a' }], scan: 2 });

      await inProcess.send(new PutCommand({ TableName, Item: { ...definition, status: 'promoted' } }));
      expect(await readTwice()).toMatchObject({ query: [{ status: 'promoted' }], get: { status: 'promoted' }, batch: [{ status: 'promoted' }, { variant: 'a' }] });

      // Another process's writer (a `guard experiments` command) reaches the store over HTTP.
      await overHttp.send(new PutCommand({ TableName, Item: { ...policy, variant: 'b' } }));
      expect((await readTwice()).batch).toEqual([{ ...definition, status: 'promoted' }, { ...policy, variant: 'b' }]);

      await inProcess.send(new BatchWriteCommand({ RequestItems: { [TableName]: [{ PutRequest: { Item: { pk: 'EXPERIMENTS', sk: 'EXP#b', status: 'running' } } }, { DeleteRequest: { Key: policy } }] } }));
      expect(await readTwice()).toMatchObject({ query: [{ sk: 'EXP#a' }, { sk: 'EXP#b', status: 'running' }], batch: [{ status: 'promoted' }], scan: 2 });

      await inProcess.send(new DeleteCommand({ TableName, Key: definition }));
      expect(await readTwice()).toEqual({ query: [{ pk: 'EXPERIMENTS', sk: 'EXP#b', status: 'running' }], get: undefined, batch: [], scan: 1 });

      // The store has no transactions: TransactWriteItems is refused and changes nothing (a write it made would reach
      // LevelDB through the same puts and deletes that drop the kept answers).
      const transact = raw.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName, Item: { pk: { S: 'EXPERIMENTS' }, sk: { S: 'EXP#c' } } } }] }));
      await expect(transact).rejects.toMatchObject({ $metadata: { httpStatusCode: 400 } });
      expect((await readTwice()).scan).toBe(1);

      // A write of another table leaves the answers exact too.
      await inProcess.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'EXPERIMENTS', sk: 'EXP#b' } }));
      expect((await readTwice()).query).toEqual([{ pk: 'EXPERIMENTS', sk: 'EXP#b', status: 'running' }]);
    } finally {
      inProcess.destroy();
      overHttp.destroy();
      await dynamo.close();
    }
  });

  it('keeps serving what tables exist after one is created and deleted (the store caches table descriptions)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: asRequestHandler(dynamo.requestHandler) });
    const documents = DynamoDBDocumentClient.from(client);
    try {
      const definition = {
        TableName: 'scratch',
        BillingMode: 'PAY_PER_REQUEST' as const,
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' as const }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' as const }],
      };
      for (let round = 0; round < 2; round++) {
        await client.send(new CreateTableCommand(definition));
        // CREATING, then ACTIVE a moment later: the description read while creating is not served after.
        let status: string | undefined;
        for (let wait = 0; wait < 50 && status !== 'ACTIVE'; wait++) {
          status = (await client.send(new DescribeTableCommand({ TableName: 'scratch' }))).Table?.TableStatus;
          if (status !== 'ACTIVE') await new Promise((r) => setTimeout(r, 20));
        }
        expect(status).toBe('ACTIVE');
        await documents.send(new PutCommand({ TableName: 'scratch', Item: { pk: `round-${round}` } }));
        // Many reads of the description in a row: the same answers as the first.
        for (let i = 0; i < 5; i++) expect((await documents.send(new GetCommand({ TableName: 'scratch', Key: { pk: `round-${round}` } }))).Item).toEqual({ pk: `round-${round}` });
        await client.send(new DeleteTableCommand({ TableName: 'scratch' }));
        // Deleted: gone at once, not served from a kept description (dynalite removes it when the deletion ends).
        let gone = false;
        for (let wait = 0; wait < 50 && !gone; wait++) {
          gone = await documents.send(new GetCommand({ TableName: 'scratch', Key: { pk: 'x' } })).then(() => false, (error: unknown) => error instanceof ResourceNotFoundException);
          if (!gone) await new Promise((r) => setTimeout(r, 20));
        }
        expect(gone).toBe(true);
        // Item calls say "not found" while the table is still DELETING; the name is free again once DescribeTable
        // says so too (as in DynamoDB, where a table's deletion also ends after DeleteTable answers).
        let described = true;
        for (let wait = 0; wait < 100 && described; wait++) {
          described = await client.send(new DescribeTableCommand({ TableName: 'scratch' })).then(() => true, (error: unknown) => !(error instanceof ResourceNotFoundException));
          if (described) await new Promise((r) => setTimeout(r, 20));
        }
        expect(described).toBe(false);
      }
    } finally {
      documents.destroy();
      await dynamo.close();
    }
  });

  it('finishes a table creation that a stop interrupted before dynalite marked the table ACTIVE', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-dynamo-'));
    dirs.push(dir);
    await (await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' })).close();
    // What a store closed between dynalite's two writes of a new table leaves: the description, still CREATING.
    const requireFromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
    const { Level } = requireFromDynalite('level') as { Level: new (path: string, options: object) => LevelDb };
    const level = new Level(dir, { valueEncoding: 'json' });
    const table = await level.get('table~incidents');
    table.TableStatus = 'CREATING';
    for (const index of table.GlobalSecondaryIndexes ?? []) index.IndexStatus = 'CREATING';
    await level.put('table~incidents', table);
    await level.close();

    const dynamo = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    const client = new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, requestHandler: asRequestHandler(dynamo.requestHandler) });
    const documents = DynamoDBDocumentClient.from(client);
    try {
      const described = (await client.send(new DescribeTableCommand({ TableName: 'incidents' }))).Table;
      expect(described?.TableStatus).toBe('ACTIVE');
      expect(described?.GlobalSecondaryIndexes?.map((index) => index.IndexStatus)).toEqual(table.GlobalSecondaryIndexes?.map(() => 'ACTIVE'));
      await documents.send(new PutCommand({ TableName: 'incidents', Item: { pk: 'i-1', sk: 'incident' } }));
      expect((await documents.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'i-1', sk: 'incident' } }))).Item).toEqual({ pk: 'i-1', sk: 'incident' });
    } finally {
      documents.destroy();
      await dynamo.close();
    }
  });
});

/** The little of a LevelDB (the `level` package dynalite stores in) the test above uses. */
interface LevelDb {
  get(key: string): Promise<{ TableStatus: string; GlobalSecondaryIndexes?: Array<{ IndexStatus: string }> }>;
  put(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}
