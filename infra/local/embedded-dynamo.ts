import { mkdir } from 'node:fs/promises';
import type { HeapInfo } from 'node:v8';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import type { InProcessTransport } from '../../shared/stores/dynamo.js';
import { InProcessDocumentClient, type StoreRequestHandler } from './in-process-documents.js';
import { type IndexDefinition, projectionOf, TABLES } from '../../shared/stores/tables.js';

/** An index's projection in CreateTable's terms (the stack creates the same from the same definition). */
function createTableProjection(index: IndexDefinition): { ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE'; NonKeyAttributes?: string[] } {
  const { type, nonKeyAttributes } = projectionOf(index);
  return { ProjectionType: type, ...(nonKeyAttributes ? { NonKeyAttributes: nonKeyAttributes } : {}) };
}

/** A DynamoDB client's `requestHandler` setting for {@link EmbeddedDynamo.requestHandler}. */
export function asRequestHandler(handler: StoreRequestHandler): InProcessTransport['requestHandler'] {
  return handler as unknown as InProcessTransport['requestHandler'];
}

/**
 * In-process calls are not signed: the store is in this process, and dynalite never checks a signature, only
 * that a request carries a SigV4-shaped Authorization header and a date — given here. Signing was 6 % of the
 * runtime's main thread.
 */
const UNSIGNED: Record<string, string> = {
  authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=in-process',
  'x-amz-date': '20260101T000000Z',
};

/**
 * DynamoDB client settings for calls to the embedded store from this process: its handler, no signing, and document
 * clients that send the stores' commands to the handler without the SDK's middleware ({@link InProcessDocumentClient}).
 */
export function inProcessTransport(dynamo: Pick<EmbeddedDynamo, 'requestHandler'>): InProcessTransport {
  return {
    requestHandler: asRequestHandler(dynamo.requestHandler),
    signer: { sign: async (request) => request },
    documents: (client, translateConfig) => new InProcessDocumentClient(client, translateConfig, dynamo.requestHandler),
  };
}

interface StoreAnswer {
  id: number;
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * DynamoDB calls from this process to the store worker as messages instead of HTTP on loopback: the worker hands
 * them to the same dynalite request handler its HTTP server runs (same validation, same answers), without the
 * HTTP client, the socket writes and the HTTP parsing on both threads. Requests still go through the SDK's
 * middleware stack (serialisation, retries, error parsing; signing as the client's signer does it), as they
 * would to DynamoDB. When the worker is gone, pending and later calls fail instead of waiting forever.
 */
function messageRequestHandler(port: MessagePort): StoreRequestHandler & { close(): void } {
  const pending = new Map<number, { resolve: (answer: StoreAnswer) => void; reject: (error: Error) => void }>();
  let next = 0;
  let closed = false;
  port.on('message', (answer: StoreAnswer) => {
    const waiting = pending.get(answer.id);
    pending.delete(answer.id);
    waiting?.resolve(answer);
  });
  return {
    async handle(request, options) {
      if (closed) throw new Error('the embedded DynamoDB is closed');
      const signal = options?.abortSignal;
      if (signal?.aborted) throw Object.assign(new Error('Request aborted'), { name: 'AbortError' });
      const id = next++;
      const headers: Record<string, string> = { ...UNSIGNED };
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      // The SDK serialises JSON into a Uint8Array of its own (strings too, from older serialisers): a plain copy of
      // just those bytes goes over, transferred, not cloned.
      const body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body instanceof Uint8Array ? new Uint8Array(request.body) : new Uint8Array(0);
      let onAbort = () => {};
      const answer = await new Promise<StoreAnswer>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        onAbort = () => {
          if (pending.delete(id)) reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
        };
        signal?.addEventListener?.('abort', onAbort, { once: true });
        port.postMessage({ id, headers, body }, [body.buffer]);
      }).finally(() => signal?.removeEventListener?.('abort', onAbort));
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: answer.body } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    // Each client destroys its handler; the port is the store's and closes with it.
    destroy() {},
    close() {
      if (closed) return;
      closed = true;
      port.close();
      for (const waiting of pending.values()) waiting.reject(new Error('the embedded DynamoDB is closed'));
      pending.clear();
    },
  };
}

/**
 * The store worker's old-generation limit, set for the growth factor it brings. V8 lets an isolate's heap grow to up
 * to 4× what survived its last full collection when the limit is 2 GB or more (Node's default here: 4 GB), and 1.3–2×
 * below that (heap-controller.cc, MaxGrowingFactor; on Node's 64-bit builds 1.3 at 256 MB, 1.4 at 512 MB). The store
 * keeps ~20 MB alive (its bounded caches and the calls in flight: heap snapshots after 1,000 and 2,000 incidents),
 * yet its heap swung between 50 and 97 MB during `npm run bench:local`, and the pages it freed stayed in the process's
 * RSS; with this limit it stays at 32–44 MB. 512 MB is twenty times what it keeps: only the growth factor changes.
 */
const STORE_OLD_GENERATION_MB = 512;

/** Asks the store worker for its call counts or its heap: the answer is the next message that carries that key. */
function ask<K extends 'calls' | 'heap'>(worker: Worker, key: K): Promise<K extends 'calls' ? Record<string, number> : HeapInfo> {
  return new Promise((resolve) => {
    const answer = (message: Record<string, unknown>) => {
      if (!message?.[key]) return;
      worker.off('message', answer);
      resolve(message[key] as never);
    };
    worker.on('message', answer);
    worker.postMessage(key);
  });
}

export interface EmbeddedDynamo {
  /** The store's HTTP endpoint, for other processes (`guard` commands) and clients without {@link requestHandler}. */
  endpoint: string;
  /** In-process transport to the store for DynamoDB clients in this process (`requestHandler`): no HTTP. */
  requestHandler: StoreRequestHandler;
  /** DynamoDB calls served since start, by operation (GetItem, UpdateItem, …). */
  calls(): Promise<Record<string, number>>;
  /** The store thread's V8 heap (`v8.getHeapStatistics()` in its isolate). */
  heapStatistics(): Promise<HeapInfo>;
  close(): Promise<void>;
}

/** Another local runtime (or a `guard` command holding the tables) has the data directory open. */
export class DataDirectoryInUseError extends Error {
  override name = 'DataDirectoryInUseError';
}

/**
 * A closed store's counts asked for: its worker thread may already serve the process's next store, whose counts it
 * would answer with.
 */
export class EmbeddedStoreClosedError extends Error {
  override name = 'EmbeddedStoreClosedError';
  constructor() {
    super('the embedded DynamoDB store is closed: read its calls and heap before closing it');
  }
}

/**
 * The data directory's tables lack an index the stores query (one added since it was created): dynalite cannot add an
 * index to a table, and a query of a missing one fails every time, so the runtime does not start on it.
 */
export class DataDirectoryOutdatedError extends Error {
  override name = 'DataDirectoryOutdatedError';
}

/** What the worker's store takes from this process's environment as it opens (dynalite-worker.mjs, STORE_ENVIRONMENT). */
const STORE_ENVIRONMENT = ['AWS_ACCOUNT_ID', 'AWS_REGION', 'AWS_DEFAULT_REGION'] as const;

/**
 * Store workers whose store closed cleanly, each waiting for this process's next store. A worker's start is most of a
 * store's (a V8 isolate, Node's bootstrap and dynalite's modules: ~140 of the ~230 ms of CPU of the store's part of
 * a local runtime's start), and the tests start hundreds of stores one after another. A worker keeps nothing of a
 * store it closed: it opens the next one as it opened its first (dynalite-worker.mjs, openStore), with the settings
 * and environment of that store's start; only the parses of expressions it keeps (templates, not values) serve any
 * store. Kept unreferenced, so a waiting worker never holds the process open.
 */
const waitingWorkers = new Map<Worker, () => void>();
/** Two: a test or a tool that runs two stores side by side finds both workers at its next start. */
const MAX_WAITING_WORKERS = 2;

function keepForNextStore(worker: Worker): void {
  if (waitingWorkers.size >= MAX_WAITING_WORKERS) {
    void worker.terminate();
    return;
  }
  // A waiting worker that dies (it should not) is forgotten, not handed out.
  const gone = () => waitingWorkers.delete(worker);
  waitingWorkers.set(worker, gone);
  worker.once('exit', gone);
  worker.unref();
}

/** A worker that waits for a store, or a new one. */
function storeWorker(): Worker {
  for (const [kept, gone] of waitingWorkers) {
    waitingWorkers.delete(kept);
    kept.off('exit', gone);
    kept.ref();
    return kept;
  }
  return new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    // Not the tsx loader (plain JavaScript); only profiling flags, so `--cpu-prof` covers the store's thread too.
    execArgv: process.execArgv.filter((arg) => arg.startsWith('--cpu-prof')),
    // The store's garbage is short-lived request objects: a small young generation holds them as well and keeps
    // ~60 MB of RSS the default one reserves (240 incidents: 274 instead of 337 MB, the same CPU).
    resourceLimits: { maxYoungGenerationSizeMb: 6, maxOldGenerationSizeMb: STORE_OLD_GENERATION_MB },
  });
}

/**
 * Starts dynalite (a DynamoDB-compatible server) persisted under `path`, in a worker thread (see
 * `dynalite-worker.mjs`: the store's work then overlaps the handlers' on a second core), and creates the three
 * tables from the same definitions the CDK stack uses. dynalite lacks transactions and TTL expiry: the code uses
 * neither. Throws {@link DataDirectoryInUseError} when another process has `path` open, and
 * {@link DataDirectoryOutdatedError} when its tables lack a declared index.
 */
export async function startEmbeddedDynamo(options: {
  path: string;
  tableNames: Record<string, string>;
  region: string;
  /**
   * The decoded items and table descriptions the store shares between calls are handed out read-only, so code that
   * changes one throws instead of corrupting every later read of it (store-caches.mjs). For tests: a proxy per value
   * read costs the store's hot path, so `npm start` leaves it off.
   */
  readOnlyShared?: boolean;
}): Promise<EmbeddedDynamo> {
  await mkdir(options.path, { recursive: true });
  const channel = new MessageChannel();
  const worker = storeWorker();
  const port = await new Promise<number>((resolve, reject) => {
    const settle = (finish: () => void) => {
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('message', onMessage);
      finish();
    };
    const onError = (error: Error) => settle(() => reject(error));
    const onExit = (code: number) => settle(() => reject(new Error(`the embedded DynamoDB worker exited with ${code} before listening`)));
    const onMessage = (message: { port?: number; error?: string }) =>
      settle(() => {
        if (message.port) resolve(message.port);
        else if (message.error === 'locked') reject(new DataDirectoryInUseError(`${options.path} is in use by another local runtime: stop that one, or start this one on another directory (GUARD_DATA_DIR=…; one npm start per data directory)`));
        else reject(new Error(`the embedded DynamoDB could not start: ${message.error ?? 'no reason given'}`));
      });
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('message', onMessage);
    const environment = Object.fromEntries(STORE_ENVIRONMENT.map((name) => [name, process.env[name]]));
    worker.postMessage(
      {
        open: {
          path: options.path,
          requests: channel.port2,
          readOnlyShared: options.readOnlyShared ?? false,
          // Read with the same requests at every incident and rarely written: its read answers are kept until a write.
          answerCachedTables: [options.tableNames.experiments ?? 'experiments'],
          environment,
        },
      },
      [channel.port2],
    );
  });
  const onWorkerError = (error: Error) => console.error(`embedded DynamoDB worker failed: ${error.message}`);
  worker.on('error', onWorkerError);
  const endpoint = `http://127.0.0.1:${port}`;
  const requestHandler = messageRequestHandler(channel.port1);
  const onWorkerExit = () => requestHandler.close();
  worker.once('exit', onWorkerExit);
  const client = new DynamoDBClient({
    region: options.region,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: asRequestHandler(requestHandler),
    signer: { sign: async (request) => request },
  });
  const outdated: string[] = [];
  for (const table of TABLES) {
    const TableName = options.tableNames[table.logicalName] ?? table.logicalName;
    try {
      const described = await client.send(new DescribeTableCommand({ TableName }));
      const held = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      const missing = table.indexes.filter((index) => !held.has(index.name)).map((index) => index.name);
      if (missing.length > 0) outdated.push(`${TableName} (${missing.join(', ')})`);
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
                Projection: createTableProjection(index),
              })),
            }
          : {}),
      }),
    );
    // dynalite marks a new table ACTIVE a tick after answering; until then every item call fails as if the
    // table did not exist.
    await waitUntilTableExists({ client, maxWaitTime: 10, minDelay: 0.01, maxDelay: 0.1 }, { TableName });
  }
  client.destroy();
  let closed = false;
  const dynamo: EmbeddedDynamo = {
    endpoint,
    requestHandler,
    calls: () => (closed ? Promise.reject(new EmbeddedStoreClosedError()) : ask(worker, 'calls')),
    heapStatistics: () => (closed ? Promise.reject(new EmbeddedStoreClosedError()) : ask(worker, 'heap')),
    async close() {
      closed = true;
      requestHandler.close();
      const closedCleanly = await new Promise<boolean>((resolve) => {
        const settle = (clean: boolean) => {
          worker.off('message', onMessage);
          worker.off('exit', onExit);
          resolve(clean);
        };
        const onMessage = (message: { closed?: boolean; error?: string }) => {
          if (message?.closed) settle(message.error === undefined);
        };
        const onExit = () => settle(false);
        worker.on('message', onMessage);
        worker.on('exit', onExit);
        worker.postMessage('close');
      });
      worker.off('error', onWorkerError);
      worker.off('exit', onWorkerExit);
      if (closedCleanly) keepForNextStore(worker);
      else await worker.terminate();
    },
  };
  if (outdated.length > 0) {
    await dynamo.close();
    throw new DataDirectoryOutdatedError(
      `${options.path} was created before indexes its tables now need: ${outdated.join('; ')}. The local store cannot add an index to a table: start on an empty data directory (GUARD_DATA_DIR=…, or move this one away)`,
    );
  }
  return dynamo;
}
