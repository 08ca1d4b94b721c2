/**
 * The one local-runtime harness for integration tests: a scratch data directory and the embedded runtime on a free
 * port with test-friendly settings (no retry delays, silent logs), optionally against a fake GitHub REST server (a
 * token or a GitHub App) and a fake model, which the harness starts before the runtime and closes after it. Tests
 * add only what their scenario needs (`env`, the fakes' contents) instead of copying the set-up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { type RecordedWebhook, deliverWebhook, fetchIncident, readOutbox } from '../../infra/local/replay.js';
import type { LocalRuntime } from '../../infra/local/runtime.js';
import { type EmbeddedDynamo, inProcessTransport, startEmbeddedDynamo } from '../../infra/local/embedded-dynamo.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { TEST_APP_ID, TEST_APP_SLUG, testAppKeys } from './app-keys.js';
import { BOT_LOGIN, FAKE_TOKEN, FakeGitHub } from './fake-github.js';
import { FakeModel } from './fake-model.js';

export interface Harness {
  /** The running runtime (a new one after `restart`). */
  readonly runtime: LocalRuntime;
  /** The fake GitHub the runtime talks to (only with {@link HarnessOptions.github}); fill it before delivering. */
  readonly github: FakeGitHub;
  /** The fake model the analyzer calls (only with {@link HarnessOptions.model}). */
  readonly model: FakeModel;
  readonly dataDir: string;
  /** Stops the runtime gracefully and starts a new one on the same data directory and settings. */
  restart(): Promise<LocalRuntime>;
  incident(id: string): Promise<Incident>;
  outbox(): Promise<Array<Record<string, any>>>;
  /** Stops the runtime, closes the fakes and deletes the data directory. */
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Webhook secret the runtime verifies deliveries with. */
  secret: string;
  /**
   * A fake GitHub REST server (logs downloaded from it, comments posted to it): reached with a personal token, or as
   * a GitHub App (installation tokens from the App's key; a token in the outer environment is unset). `prefix` is
   * the API's path (`/api/v3`, GitHub Enterprise Server's).
   */
  github?: { auth: 'token' | 'app'; prefix?: string };
  /** The OpenAI-compatible analyzer against a fake model, which serves this model name. */
  model?: string;
  /** Extra or overriding settings for this scenario. */
  env?: Record<string, string | undefined>;
  /** Prefix of the scratch directory, for reading leftovers when a test fails. */
  name?: string;
  /** A data directory to start on instead of a new one (what a crashed runtime left); deleted at close all the same. */
  dataDir?: string;
  /** Address the runtime listens on (loopback unless given). */
  host?: string;
  /** How long the state machine's Wait states wait (as given; the runtime's own default when not). */
  waitDelayMs?: number;
  /**
   * How much of every approval wait is over as it begins ({@link ONE_MINUTE_APPROVAL_WAIT} for a scenario that waits
   * out a one-minute wait; unset, none: the wait lasts its whole timeout).
   */
  approvalWaitHeadStartMs?: number;
  /** The embedded Step Functions API's port, kept across restarts as `npm start` keeps it (a free one when not given). */
  workflowPort?: number;
}

/** The settings that point the runtime at a fake GitHub, with a token or as the test App. */
function githubSettings(github: FakeGitHub, auth: 'token' | 'app'): Record<string, string | undefined> {
  const common = { GITHUB_API_URL: github.baseUrl, GITHUB_RETRIES: '0', GITHUB_WRITE_INTERVAL_MS: '0' };
  if (auth === 'token') return { ...common, GITHUB_TOKEN: FAKE_TOKEN, GITHUB_BOT_LOGIN: BOT_LOGIN };
  github.app = { id: TEST_APP_ID, slug: TEST_APP_SLUG, publicKey: testAppKeys().publicKey };
  return {
    ...common,
    GITHUB_APP_ID: String(TEST_APP_ID),
    GITHUB_APP_PRIVATE_KEY: testAppKeys().privateKey,
    GITHUB_TOKEN: undefined,
    GITHUB_TOKEN_SECRET_ARN: undefined,
  };
}

/**
 * A one-minute approval wait (`approvalTimeoutMinutes: 1`, the shortest a policy allows) as the scenarios that wait one
 * out run it: begun `headStartMs` into its minute (HarnessOptions.approvalWaitHeadStartMs), it ends `lastsMs` after it
 * is asked. The policy, the e-mailed and recorded end, and every path past the end are the same; only the sleep is
 * shorter (session 51: five files slept ~6 minutes of the run's worker time in these waits). What is left stays well
 * above what the scenarios do while the wait runs (a storm of alarms, a restart: a few seconds on a loaded machine).
 */
export const ONE_MINUTE_APPROVAL_WAIT = { headStartMs: 40_000, lastsMs: 20_000 } as const;

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), `${options.name ?? 'guard-it'}-`)));
  const github = options.github ? await FakeGitHub.start(options.github.prefix ? { prefix: options.github.prefix } : {}) : null;
  const model = options.model !== undefined ? await FakeModel.start() : null;
  const fakes = {
    ...(github && options.github ? githubSettings(github, options.github.auth) : {}),
    ...(model ? { ANALYZER: 'openai', LLM_BASE_URL: model.baseUrl, LLM_MODEL: options.model, LLM_API_KEY: 'test-key' } : {}),
  };
  // Imported here, not at the top: half the files that import this module want only a scratch store, and the whole
  // runtime (every stage, the SDK clients, the embedded Step Functions) is ~0.6 s of CPU to import in each of them.
  const { startLocalRuntime } = await import('../../infra/local/runtime.js');
  const start = () =>
    startLocalRuntime({
      dataDir,
      port: 0,
      retryDelayMs: 0,
      // Tests run the store with its shared values read-only: a change to one throws here, not in a later read.
      readOnlyShared: true,
      // The outbox is read from its file; its echo on stdout is noise among the test runner's lines.
      echo: () => {},
      ...(options.host ? { host: options.host } : {}),
      ...(options.waitDelayMs === undefined ? {} : { waitDelayMs: options.waitDelayMs }),
      ...(options.workflowPort === undefined ? {} : { workflowPort: options.workflowPort }),
      ...(options.approvalWaitHeadStartMs === undefined ? {} : { approvalWaitHeadStartMs: options.approvalWaitHeadStartMs }),
      env: { ...process.env, ...fakes, GITHUB_WEBHOOK_SECRET: options.secret, POWERTOOLS_LOG_LEVEL: 'SILENT', ...options.env },
    });
  let runtime: LocalRuntime;
  try {
    runtime = await start();
  } catch (error) {
    await Promise.all([github?.close(), model?.close()]);
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const present = <T>(fake: T | null, option: string): T => {
    if (fake === null) throw new Error(`this harness was started without ${option}`);
    return fake;
  };
  return {
    get runtime() {
      return runtime;
    },
    get github() {
      return present(github, 'a fake GitHub (options.github)');
    },
    get model() {
      return present(model, 'a fake model (options.model)');
    },
    dataDir,
    async restart() {
      await runtime.close();
      runtime = await start();
      return runtime;
    },
    incident: (id) => fetchIncident(runtime.url, id),
    outbox: () => readOutbox(runtime.outboxPath),
    async close() {
      await runtime.close();
      await Promise.all([github?.close(), model?.close()]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The local runtime for the tests of one file (or `describe` block): started before them and closed after them, so
 * that they share it as they share one scenario. Read its fields inside hooks and tests, not at the top of the file;
 * a `beforeAll` registered after this call sees it started (the fakes' contents go there).
 */
export function useLocalRuntime(options: HarnessOptions, startTimeoutMs?: number): Harness {
  let started: Harness | undefined;
  beforeAll(async () => {
    started = await startHarness(options);
  }, startTimeoutMs);
  afterAll(async () => {
    await started?.close();
  });
  const current = (): Harness => {
    if (started === undefined) throw new Error('the local runtime starts in beforeAll: read it inside a hook or a test');
    return started;
  };
  return {
    get runtime() {
      return current().runtime;
    },
    get github() {
      return current().github;
    },
    get model() {
      return current().model;
    },
    get dataDir() {
      return current().dataDir;
    },
    restart: () => current().restart(),
    incident: (id) => current().incident(id),
    outbox: () => current().outbox(),
    close: () => current().close(),
  };
}

/**
 * Local runtimes that each test starts itself (its own settings, or a data directory it wrote first): what a test
 * started is closed after it, and the scratch directories it asked for are deleted even when it stopped before a
 * runtime started on them.
 */
export function useLocalRuntimePerTest(): {
  start(options: HarnessOptions): Promise<Harness>;
  /** A new scratch directory for this test (a data directory to write before a runtime starts on it). */
  scratchDir(name: string): Promise<string>;
} {
  const started: Harness[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const harness of started.splice(0)) await harness.close();
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return {
    async start(options) {
      const harness = await startHarness(options);
      started.push(harness);
      return harness;
    },
    async scratchDir(name) {
      const dir = await mkdtemp(join(tmpdir(), `${name}-`));
      dirs.push(dir);
      return dir;
    },
  };
}

/** A JSON request to the local runtime's API, with a bearer token when given (experiments, gate). */
export async function apiRequest<T>(baseUrl: string, method: string, path: string, body?: unknown, token: string | null = null): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** An incident straight from the runtime's store; a test that expects it fails with its id when it is missing. */
export async function storedIncident(runtime: LocalRuntime, id: string): Promise<Incident> {
  const found = await runtime.incidents.get(id);
  if (!found) throw new Error(`incident ${id} missing`);
  return found;
}

export interface ScratchStore {
  /** The running store (a new one after {@link reopen}). */
  readonly dynamo: EmbeddedDynamo;
  /** The scratch directory (the store lives in `db/` below it); tests may put their own files here. */
  dir: string;
  /** A document client for the scratch store (what the stores under test take). */
  documents(): ReturnType<typeof createDocumentClient>;
  /** A document client that also records the name of every command it sends (`calls`), for tests counting calls. */
  countedDocuments(): { client: ReturnType<typeof createDocumentClient>; calls: string[] };
  /** Stops the store and starts it again on the same directory, as a restarted runtime does (clients made after). */
  reopen(): Promise<void>;
  /** Stops the store and deletes its directory. */
  close(): Promise<void>;
}

/** A command as {@link interceptedSends} shows it: its class and its input. */
export interface SentCommand {
  constructor: { name: string };
  input: Record<string, unknown> & { Key?: Record<string, unknown>; UpdateExpression?: string };
}

/**
 * `client` with each command it is sent handed to `intercept` first, which sends it on with `send()` (or not): still a
 * DynamoDBDocumentClient (its prototype is `client`), as the SDK's paginators require of the client they page with
 * ("Invalid client, expected instance of DynamoDBDocumentClient"), so a store that pages through `paginateQuery` or
 * `paginateScan` can be watched or raced in a test.
 */
export function interceptedSends(client: DynamoDBDocumentClient, intercept: (command: SentCommand, send: () => Promise<unknown>) => Promise<unknown>): DynamoDBDocumentClient {
  const send = client.send.bind(client) as (command: unknown, ...rest: unknown[]) => Promise<unknown>;
  const intercepted: DynamoDBDocumentClient = Object.create(client);
  intercepted.send = ((command: SentCommand, ...rest: unknown[]) => intercept(command, () => send(command, ...rest))) as DynamoDBDocumentClient['send'];
  return intercepted;
}

/**
 * `client` with each Query it is sent reading at most `pageItems` items (fewer when the store asks for fewer), and
 * the Queries recorded as the store sent them (`pages`, their `Limit` the store's own): DynamoDB's own page is 1 MB,
 * which a test would need thousands of items to fill, so a store that reads one page where it must read them all,
 * or reads past its bound, shows it on a few items.
 */
export function pagedQueries(client: DynamoDBDocumentClient, pageItems: number): { client: DynamoDBDocumentClient; queries: () => number; pages: Array<Record<string, unknown>> } {
  const pages: Array<Record<string, unknown>> = [];
  const paged = interceptedSends(client, async (command, send) => {
    if (command.constructor.name !== 'QueryCommand') return send();
    pages.push({ ...command.input });
    const asked = command.input.Limit;
    command.input.Limit = typeof asked === 'number' ? Math.min(asked, pageItems) : pageItems;
    try {
      return await send();
    } finally {
      // The SDK's paginator sends its one input object again for each page: the store's Limit, not this cap, for the next.
      if (asked === undefined) delete command.input.Limit;
      else command.input.Limit = asked;
    }
  });
  return { client: paged, queries: () => pages.length, pages };
}

/** The embedded DynamoDB-compatible store alone, in a scratch directory, for store-level integration tests. */
export async function startScratchStore(
  name: string,
  tableNames: Record<string, string> = { incidents: 'incidents', baselines: 'baselines', experiments: 'experiments' },
): Promise<ScratchStore> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const start = () => startEmbeddedDynamo({ path: join(dir, 'db'), tableNames, region: 'us-east-1', readOnlyShared: true });
  let dynamo = await start();
  // The SDK's document client, all its middleware (serialising, parsing answers and errors, retries) as the stores run
  // in Lambda, carried to the store's thread by message instead of HTTP on loopback and unsigned, as the local
  // runtime's own raw client is (inProcessTransport's handler and signer; not its in-process document client, which
  // skips that middleware). Over HTTP, a call cost ~2.6 ms of CPU between the client and the store's thread; this way
  // ~1.1 ms (session 71: 1,200 puts, gets and queries, 2.9-3.5 s against 1.2-1.5 s), and 75 test files use this store.
  const documents = () => {
    const { requestHandler, signer } = inProcessTransport(dynamo);
    return createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint, transport: { requestHandler, signer } });
  };
  return {
    get dynamo() {
      return dynamo;
    },
    dir,
    documents,
    countedDocuments() {
      const calls: string[] = [];
      // A real client (paginators refuse any other), which names each command it is sent.
      const client = interceptedSends(documents(), (command, send) => {
        calls.push(command.constructor.name);
        return send();
      });
      return { client, calls };
    },
    async reopen() {
      await dynamo.close();
      dynamo = await start();
    },
    async close() {
      await dynamo.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A scratch store for the tests of one file: started before them and closed after them, with a document client
 * (`client`) closed first. Read its fields inside hooks and tests, not at the top of the file.
 */
export function scratchStoreForFile(name: string, tableNames?: Record<string, string>): { readonly store: ScratchStore; readonly client: ReturnType<typeof createDocumentClient> } {
  let store: ScratchStore | undefined;
  let client: ReturnType<typeof createDocumentClient> | undefined;
  beforeAll(async () => {
    store = await startScratchStore(name, tableNames);
    client = store.documents();
  });
  afterAll(async () => {
    client?.destroy();
    await store?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the scratch store starts in beforeAll: read it inside a hook or a test');
    return value;
  };
  return {
    get store() {
      return started(store);
    },
    get client() {
      return started(client);
    },
  };
}

/**
 * Delivers a failure, reads the incident while it waits for approval, delivers the approval `approve(id)` builds (a
 * writer's `/guard approve`), and returns the incident once decided with what GitHub was sent meanwhile: the pull
 * requests opened and the git objects (blobs, trees, commits) written since the failure's delivery.
 */
export async function failThenApprove(harness: Harness, secret: string, failure: RecordedWebhook, approve: (id: string) => RecordedWebhook) {
  const pullsBefore = harness.github.pulls.length;
  const objectsBefore = harness.github.gitObjects.size;
  const response = await deliverWebhook(harness.runtime.url, failure, secret);
  await harness.runtime.idle();
  const id = String(response.body.incidentId);
  const waiting = await harness.incident(id);
  await deliverWebhook(harness.runtime.url, approve(id), secret);
  await harness.runtime.idle();
  return {
    id,
    waiting,
    done: await harness.incident(id),
    pulls: harness.github.pulls.slice(pullsBefore),
    gitObjects: [...harness.github.gitObjects.values()].slice(objectsBefore),
  };
}
