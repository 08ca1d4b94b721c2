import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { TABLES } from '../../shared/stores/tables.js';

export interface EmbeddedDynamo {
  endpoint: string;
  /** DynamoDB calls served since start, by operation (GetItem, UpdateItem, …). */
  calls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** Another local runtime (or a `guard` command holding the tables) has the data directory open. */
export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError';
}

/**
 * Starts dynalite (a DynamoDB-compatible server) persisted under `path`, in a worker thread (see
 * `dynalite-worker.mjs`: the store's work then overlaps the handlers' on a second core), and creates the three
 * tables from the same definitions the CDK stack uses. dynalite lacks transactions and TTL expiry: the code uses
 * neither. Throws {@link DataDirectoryInUseError} when another process has `path` open.
 */
export async function startEmbeddedDynamo(options: { path: string; tableNames: Record<string, string>; region: string }): Promise<EmbeddedDynamo> {
  await mkdir(options.path, { recursive: true });
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { path: options.path },
    execArgv: [],
    // The store's garbage is short-lived request objects: a small young generation holds them as well and keeps
    // ~60 MB of RSS the default one reserves (240 incidents: 274 instead of 337 MB, the same CPU).
    resourceLimits: { maxYoungGenerationSizeMb: 6 },
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the embedded DynamoDB worker exited with ${code} before listening`)));
    worker.once('message', (message: { port?: number; error?: string }) => {
      if (message.port) resolve(message.port);
      else if (message.error === 'locked') reject(new DataDirectoryInUseError(`${options.path} is in use by another local runtime (one npm start per GUARD_DATA_DIR)`));
      else reject(new Error(`the embedded DynamoDB could not start: ${message.error ?? 'no reason given'}`));
    });
  });
  worker.removeAllListeners('exit');
  worker.removeAllListeners('error');
  worker.on('error', (error) => console.error(`embedded DynamoDB worker failed: ${error.message}`));
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ region: options.region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  for (const table of TABLES) {
    const TableName = options.tableNames[table.logicalName] ?? table.logicalName;
    try {
      await client.send(new DescribeTableCommand({ TableName }));
      continue;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    const attributes = new Set<string>([table.partitionKey, table.sortKey]);
    for (const index of table.indexes) {
      attributes.add(index.partitionKey);
      attributes.add(index.sortKey);
    }
    await client.send(
      new CreateTableCommand({
        TableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: [
          { AttributeName: table.partitionKey, KeyType: 'HASH' },
          { AttributeName: table.sortKey, KeyType: 'RANGE' },
        ],
        ...(table.indexes.length
          ? {
              GlobalSecondaryIndexes: table.indexes.map((index) => ({
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: 'HASH' },
                  { AttributeName: index.sortKey, KeyType: 'RANGE' },
                ],
                Projection: { ProjectionType: 'ALL' },
              })),
            }
          : {}),
      }),
    );
  }
  client.destroy();
  return {
    endpoint,
    calls() {
      return new Promise((resolve) => {
        const answer = (message: { calls?: Record<string, number> }) => {
          if (!message.calls) return;
          worker.off('message', answer);
          resolve(message.calls);
        };
        worker.on('message', answer);
        worker.postMessage('calls');
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('close');
      });
      await worker.terminate();
    },
  };
}
