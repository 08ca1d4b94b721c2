import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUseError, startEmbeddedDynamo } from '../../infra/local/embedded-dynamo.js';

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
      await expect(startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' })).rejects.toBeInstanceOf(DataDirectoryInUseError);
    } finally {
      await first.close();
    }
    // Closed cleanly: the directory opens again.
    const again = await startEmbeddedDynamo({ path: dir, tableNames, region: 'us-east-1' });
    await again.close();
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
    const client = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: dynamo.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
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
  });
});
