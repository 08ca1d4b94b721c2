import { LOCAL_GATE_CALLER } from '../../shared/baselines/gate-access.js';
import { redactingLogger } from '../../shared/runtime/redacting-logger.js';
import { randomBytes, randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { RUNTIME_FILE, type RuntimeInfo } from '../../shared/cli/local-runtime.js';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { createEmfFileReader } from '../../shared/adapters/prometheus.js';
import { type ScheduledRunResult, scheduledReconcilerRun } from '../../shared/reconcile/redrive.js';
import { resumeDecisionOfWait } from '../../shared/reconcile/approval-resumes.js';
import { blankAsUnset, loadConfig } from '../../shared/config.js';
import { alarmStateChangeOf } from '../../shared/domain/trigger.js';
import { ConfigError, ValidationError } from '../../shared/errors.js';
import { createIncidents, createReconcilerDeps, documentClientFor, reconcilerOptions, serveDynamoInProcess, useLocalAdapters } from '../../shared/runtime/deps.js';
import { LOCAL_ADAPTERS } from '../../shared/runtime/local-adapters.js';
import { readPages } from '../../shared/stores/dynamo.js';
import { MAX_JSON_DEPTH, isLoopbackHost, jsonNestsDeeperThan } from '../../shared/validation.js';
import { type Learning, createLearning } from '../../shared/knowledge/learning.js';
import { inProcessTransport, startEmbeddedDynamo } from './embedded-dynamo.js';
import {
  LAMBDA_REFUSAL,
  OUTSIDE_FUNCTIONS,
  SNS_REFUSAL,
  SSM_REFUSAL,
  enforcingFunctionGrants,
  heldToServiceGrants,
  holdStepFunctionsToGrants,
  outsideFunctionGrants,
  runAsFunction,
} from './function-grants.js';
import { bearerMatches, createLearningApi } from './learning-api.js';
import { type BackAtWait, type ExecutionRecord, type ExecutionRegistry, type LocalTask, type LocalTokenTask, startLocalWorkflow } from './local-workflow.js';
import { LOCAL_ACCOUNT, type LambdaHandler, invokeWithTimeout, lambdaContext } from './lambda-invocation.js';
import { callsRefusedOnceAborted, startReconcilerTimer } from './reconciler-timer.js';
import { FUNCTION_TIMEOUT_SECONDS, type TimedFunction } from '../function-timeouts.js';
import type { FunctionName } from '../table-access.js';
import { namedByLoopback } from './loopback-requests.js';
import { bodyTooLargeMessage } from '../../shared/ingest/verify.js';
import { dashboardContentSecurityPolicy } from '../constructs/dashboard-headers.js';
import { startQueueConsumer } from './queue-consumer.js';
import { RECOVERY_QUEUE, createStoreWorkQueue } from '../../shared/stores/work-queue.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/**
 * The account the local runtime stands in for when its runbooks decide whose alarms they answer: that of the alarm
 * events in events/cloudwatch (AWS's example account), so the demo's alarms start their runbooks.
 */
const LOCAL_DEPLOYMENT_ACCOUNT = '123456789012';
/**
 * The time limit of AwaitApproval's invocation of notify, a token state whose TimeoutSeconds bounds the approval wait
 * rather than the invocation: as long as the lambdaContext default the invocation had before session 43.
 */
const NOTIFY_REQUEST_TIMEOUT_MS = 300_000;
/** Lambda's asynchronous invocation retries a failed event after one minute, then after two more. */
const ASYNC_INVOKE_RETRY_MS = 60_000;

/** The Lambda functions the local runtime loads, by ASL state name; the same handler exports deployed to AWS. */
const STEP_FUNCTIONS = {
  Classify: 'classify',
  KnowledgeLookup: 'knowledge-lookup',
  Analyze: 'analyze',
  Remediate: 'remediate',
  ApplyApproved: 'remediate',
  ApplyAfterDelay: 'remediate',
  Notify: 'notify',
} as const;

export interface LocalRuntimeOptions {
  /** Where tables, the outbox and recorded comments are kept (survives restarts). */
  dataDir: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /**
   * Loopback port of the embedded Step Functions API (SFN_ENDPOINT); 0, the default, picks a free one. `npm start`
   * keeps it the same across restarts, so the commands in an approval e-mail sent before a restart still work.
   */
  workflowPort?: number;
  /** Environment for the handlers; defaults to process.env. Same variable names as in AWS. */
  env?: Record<string, string | undefined>;
  /**
   * Milliseconds between retries of a failed step (AWS uses the ASL's seconds-long backoff) and, doubling, of a
   * failed queued recovery (unset: 250 ms for steps, AWS's one minute for recoveries).
   */
  retryDelayMs?: number;
  /** Milliseconds each Wait state waits instead of its seconds (tests); unset: as long as in AWS. */
  waitDelayMs?: number;
  /**
   * Milliseconds of every approval wait that are over as it begins (tests only: a one-minute wait, the shortest a
   * policy allows, then ends in seconds; see startLocalWorkflow's `tokenWaitHeadStartMs`). The policy's timeout, and
   * every end recorded or e-mailed, stay as they are, counted from the wait's recorded start. No setting reads it:
   * `npm start` never sets it, and in AWS Step Functions keeps the wait.
   */
  approvalWaitHeadStartMs?: number;
  /** The embedded store hands out what its caches share read-only, so a change to it throws (tests; see startEmbeddedDynamo). */
  readOnlyShared?: boolean;
  log?: (line: string) => void;
  /** Where each outbox entry is echoed as it is written; unset: stdout, where `npm start` shows them (tests pass a silent one). */
  echo?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  port: number;
  outboxPath: string;
  webhookSecret: string;
  env: Record<string, string>;
  incidents: ReturnType<typeof createIncidents>;
  /** Bearer token of `POST /gates/evaluate` and the experiments API (GATE_TOKEN, or generated at start). */
  gateToken: string;
  /** Knowledge base, experiments and baselines over the embedded tables. */
  learning: Learning;
  /** Executions recorded as running at start (cut off by a crash) that were restarted from their first state. */
  resumed: string[];
  /**
   * One reconciler run now (the runtime also runs it every RECONCILE_INTERVAL_SECONDS). `at` runs it as of a later
   * time: a replay that compresses a week into seconds sends the digests of the windows the week closes. Bounded as
   * the timer's runs are, by the reconcile function's AWS timeout: past it, it fails with ReconcilerRunStoppedError.
   */
  reconcile(at?: Date): Promise<ScheduledRunResult>;
  /** Resolves when every queued recovery is recorded and every started workflow execution has finished. */
  idle(): Promise<void>;
  /** DynamoDB calls the embedded store served since start, by operation. */
  dynamoCalls(): Promise<Record<string, number>>;
  /**
   * This process's DynamoDB calls since start by the function whose invocation made them, and under
   * `OUTSIDE_FUNCTIONS` (function-grants.ts) those made outside any: the stand-ins of Step Functions, GitHub and
   * Lambda's queue keep their state in the store, which are not DynamoDB calls in AWS.
   */
  dynamoCallsByFunction(): Record<string, number>;
  close(): Promise<void>;
}

let generation = 0;

/**
 * What Notify is invoked with for AwaitApproval: the state's `Payload`, told when the wait began (`waitStartedAt`), so
 * the end it records is the one this runtime enforces, also when it runs late: queued for a task slot, or again in an
 * execution resumed after a restart. The kept start wins over the Payload's (the ASL's `$$.State.EnteredTime`, which a
 * resumed execution evaluates anew as it re-enters). It is the start of this attempt's own wait (a failed request ends
 * the wait, and its retry begins another), so the retry count that tells Notify EnteredTime may predate the attempt
 * (`waitRetryCount`) does not go with it.
 */
export function approvalRequestOf(input: unknown, wait: { startedAt: string }): Record<string, unknown> {
  const request: Record<string, unknown> = { ...(input as { Payload?: Record<string, unknown> }).Payload, waitStartedAt: wait.startedAt };
  delete request.waitRetryCount;
  return request;
}

/** Imports a function's handler module with the current environment (a fresh module instance per runtime). */
async function importHandler(name: string, instance: number): Promise<LambdaHandler> {
  const url = `${pathToFileURL(join(root, 'functions', name, 'handler.ts')).href}?runtime=${instance}`;
  const module = (await import(url)) as { handler: LambdaHandler };
  return module.handler;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop buffering past the limit; the handler still answers 413 from the size alone.
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The dashboard's build output (`npm run build:web`, run by `npm start` and `npm test` first). */
const DASHBOARD_DIST = join(root, 'infra', 'dashboard', 'dist');
/** Only the flat files the build writes; no slashes, so nothing outside the build directory can be named. */
const DASHBOARD_FILE = /^\/[\w-]+\.(?:js|css|map|html)$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript', css: 'text/css', map: 'application/json', html: 'text/html' };

async function serveDashboard(res: ServerResponse, path: string) {
  // Locally the API is this server and nobody signs in; in AWS the stack writes its own config.json.
  if (path === '/config.json') return send(res, 200, { apiBase: '', auth: null });
  const file = path === '/' ? 'index.html' : path.slice(1);
  let body: Buffer;
  try {
    body = await readFile(join(DASHBOARD_DIST, file));
  } catch {
    if (path === '/') return send(res, 503, { message: 'the dashboard is not built: run "npm run build:web" (npm start does it first)' });
    return send(res, 404, { message: `no route for GET ${path}` });
  }
  const type = CONTENT_TYPES[file.split('.').pop() ?? ''] ?? 'application/octet-stream';
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'content-security-policy': dashboardContentSecurityPolicy(),
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-cache',
  });
  return res.end(body);
}

/**
 * The 413 answer of `POST /events/cloudwatch`. The route stands in for EventBridge, which bounds an event itself and
 * has no setting of this deployment: the webhook's answer named `-c maxWebhookBytes`, which raises nothing here.
 */
function alarmBodyTooLargeMessage(limit: number): string {
  return `body is over the ${limit}-byte limit of the local runtime's requests (MAX_WEBHOOK_BYTES); in AWS alarm events come through EventBridge, not this route`;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(`${JSON.stringify(body, null, 2)}\n`);
}

/**
 * Whether a request comes from a page of another site in a browser: a cross-origin form or `fetch` sends its
 * page's `Origin` (or `Sec-Fetch-Site: cross-site`). A `text/plain` POST needs no preflight, so without this
 * any web page the developer opens could post alarms to the local runtime. Clients outside a browser (curl, the
 * CLI, replays) send neither header.
 */
function fromAnotherSite(req: IncomingMessage, listeningHost: string): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  const page = URL.parse(origin);
  // A page of another site that rebinds its name to this machine sends matching Origin and Host: its own name.
  // The runtime's own pages are served under a loopback name (or the address it listens on, with a secret set).
  return page === null || page.host !== req.headers.host || !(isLoopbackHost(page.hostname) || page.hostname === listeningHost);
}

/**
 * Whether a request that reads incidents or posts an alarm may enter. In AWS the read API needs IAM or a Cognito
 * sign-in and EventBridge is the only alarm sender; locally, on a loopback address, any client of this machine
 * may stand in for them. On an address other machines reach, the client must show the runtime's `GATE_TOKEN`
 * (printed at start), or anyone on the network could read incidents or page on-call.
 */
export function allowedBeyondLoopback(authorization: string | undefined, listeningHost: string, gateToken: string): boolean {
  return isLoopbackHost(listeningHost) || bearerMatches(authorization, gateToken);
}

/**
 * Starts the embedded stack: dynalite with the three tables, the ASL run in-process with the real handlers,
 * an outbox for SNS, and an HTTP server with the API Gateway routes plus local inspection endpoints.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const log = options.log ?? (() => {});
  // A variable set blank counts as unset here too, as loadConfig reads it: `GATE_TOKEN=` in an .env file must not
  // become an empty bearer token nobody can present, nor `INCIDENTS_TABLE=` a table without a name.
  const source = blankAsUnset(options.env ?? process.env);
  // The default secret is in this repository: on an address other machines reach it would let anyone sign.
  if (!source.GITHUB_WEBHOOK_SECRET && !isLoopbackHost(options.host ?? '127.0.0.1')) {
    throw new ConfigError(`HOST=${options.host} reaches other machines: set GITHUB_WEBHOOK_SECRET (the default secret is public)`);
  }
  const dataDir = resolve(options.dataDir);
  const region = source.AWS_REGION ?? 'us-east-1';
  const stateMachineArn = `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:incident-pipeline`;
  const tableNames = {
    incidents: source.INCIDENTS_TABLE ?? 'incidents',
    baselines: source.BASELINES_TABLE ?? 'baselines',
    experiments: source.EXPERIMENTS_TABLE ?? 'experiments',
  };
  const dynamo = await startEmbeddedDynamo({ path: join(dataDir, 'dynamodb'), tableNames, region, readOnlyShared: options.readOnlyShared ?? false });

  const outboxPath = join(dataDir, 'outbox.jsonl');
  // Every function's EMF records, as CloudWatch would get them from stdout; GET /metrics/prometheus sums them.
  const metricsPath = join(dataDir, 'metrics.emf.jsonl');
  const webhookSecret = source.GITHUB_WEBHOOK_SECRET ?? 'pipeline-guard-local-secret';
  const env: Record<string, string> = {
    ...(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined)) as Record<string, string>),
    AWS_REGION: region,
    DEPLOYMENT_ACCOUNT_ID: source.DEPLOYMENT_ACCOUNT_ID ?? LOCAL_DEPLOYMENT_ACCOUNT,
    AWS_ACCESS_KEY_ID: source.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: source.AWS_SECRET_ACCESS_KEY ?? 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    INCIDENTS_TABLE: tableNames.incidents,
    BASELINES_TABLE: tableNames.baselines,
    EXPERIMENTS_TABLE: tableNames.experiments,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    STATE_MACHINE_ARN: stateMachineArn,
    OUTBOX_PATH: outboxPath,
    METRICS_EMF_PATH: metricsPath,
    GITHUB_WEBHOOK_SECRET: webhookSecret,
    POWERTOOLS_LOG_LEVEL: source.POWERTOOLS_LOG_LEVEL ?? 'WARN',
    // Locally the GATE_TOKEN holder is the operator: every repository, unless GATE_CALLERS narrows it.
    GATE_CALLERS: source.GATE_CALLERS ?? JSON.stringify({ [LOCAL_GATE_CALLER]: ['*'] }),
  };
  if (!env.GITHUB_TOKEN && !env.GITHUB_APP_ID) {
    env.RECORDED_RUNS_FILE = source.RECORDED_RUNS_FILE ?? join(root, 'events', 'recorded-runs.json');
    // The recorded runs carry no commit graph: without GitHub no commit can be shown on a default branch, so the
    // gate takes the GATE_TOKEN holder's word for it unless told to verify anyway (and then accepts no run).
    env.GATE_VERIFY_DEFAULT_BRANCH = source.GATE_VERIFY_DEFAULT_BRANCH ?? 'false';
  }
  delete env.ESCALATION_TOPIC_ARN;

  // Every DynamoDB client in this process (the handlers' too: they build theirs in the composition root) talks to
  // the store's thread by message; the HTTP endpoint stays for `guard` commands in other processes. A call made in a
  // function's invocation is held to that function's grants in the stack (function-grants.ts).
  const callsByFunction: Record<string, number> = {};
  const countCall = (fn: FunctionName | undefined) => {
    const name = fn ?? OUTSIDE_FUNCTIONS;
    callsByFunction[name] = (callsByFunction[name] ?? 0) + 1;
  };
  const transport = inProcessTransport({ requestHandler: enforcingFunctionGrants(dynamo.requestHandler, tableNames, log, countCall) });
  const stopServingInProcess = serveDynamoInProcess(dynamo.endpoint, transport);
  // The handlers' composition root wires these wherever OUTBOX_PATH, RECORDED_RUNS_FILE and METRICS_EMF_PATH (set above) name them.
  // GitHub's and Lambda's stand-ins keep their state in the embedded store: not a function's DynamoDB calls in AWS.
  // The stand-ins of SNS, SSM, Lambda and Step Functions refuse a call its function's role is not granted (function-grants.ts).
  const stopLocalAdapters = useLocalAdapters({
    ...LOCAL_ADAPTERS,
    outbox: (...args) => {
      const outbox = LOCAL_ADAPTERS.outbox(...args);
      return { ...outbox, publisher: heldToServiceGrants(outbox.publisher, { calls: { publish: 'sns:Publish' }, resource: 'the escalation topic', refusal: SNS_REFUSAL }, log) };
    },
    recordedGitHub: (...args) => outsideFunctionGrants(LOCAL_ADAPTERS.recordedGitHub(...args)),
    recoveryQueue: (client, tableName) =>
      heldToServiceGrants(outsideFunctionGrants(LOCAL_ADAPTERS.recoveryQueue(client, tableName)), { calls: { enqueue: 'lambda:InvokeFunction' }, resource: 'record-outcome', refusal: LAMBDA_REFUSAL }, log),
    runbookRunner: (...args) =>
      heldToServiceGrants(
        LOCAL_ADAPTERS.runbookRunner(...args),
        { calls: { start: 'ssm:StartAutomationExecution', status: 'ssm:GetAutomationExecution' }, resource: 'the allow-listed runbooks', refusal: SSM_REFUSAL },
        log,
      ),
    holdStepFunctions: (client) => holdStepFunctionsToGrants(client, log),
  }, options.echo ? { echo: options.echo } : {});
  const config = loadConfig(env);
  const documents = documentClientFor(config);
  // The state machine's DynamoDB tasks send raw attribute values (`{"S": …}`): a plain client on the same transport.
  const rawDynamo = new DynamoDBClient({ region, endpoint: dynamo.endpoint, requestHandler: transport.requestHandler, signer: transport.signer });
  const incidents = createIncidents(config);

  const registry: ExecutionRegistry = {
    async claim(record: ExecutionRecord) {
      try {
        await documents.send(new PutCommand({
          TableName: tableNames.incidents,
          Item: { pk: `EXECUTION#${record.name}`, sk: 'EXECUTION', ...record },
          ConditionExpression: 'attribute_not_exists(pk)',
        }));
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
    async get(name) {
      const response = await documents.send(new GetCommand({ TableName: tableNames.incidents, Key: { pk: `EXECUTION#${name}`, sk: 'EXECUTION' }, ConsistentRead: true }));
      return (response.Item as ExecutionRecord | undefined) ?? null;
    },
    async running() {
      const read = await readPages(
        paginateScan(
          { client: documents },
          {
            TableName: tableNames.incidents,
            FilterExpression: 'begins_with(pk, :prefix) AND #status = :running',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':prefix': 'EXECUTION#', ':running': 'RUNNING' },
          },
        ),
        // Unbounded on purpose, as before: a restart must resume every running execution, and the records have no
        // index to query them by, so the local table is scanned whole.
        { maxPages: Number.POSITIVE_INFINITY, limit: Number.POSITIVE_INFINITY },
      );
      return read.items as unknown as ExecutionRecord[];
    },
    async startWait(name, at) {
      const response = await documents.send(new UpdateCommand({
        TableName: tableNames.incidents,
        Key: { pk: `EXECUTION#${name}`, sk: 'EXECUTION' },
        UpdateExpression: 'SET waitStartedAt = if_not_exists(waitStartedAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      }));
      return String(response.Attributes?.waitStartedAt ?? at);
    },
    async endWait(name, nextToken) {
      await documents.send(new UpdateCommand({
        TableName: tableNames.incidents,
        Key: { pk: `EXECUTION#${name}`, sk: 'EXECUTION' },
        UpdateExpression: nextToken === undefined ? 'REMOVE waitStartedAt, carriedDecision' : 'SET taskToken = :token REMOVE waitStartedAt',
        ConditionExpression: 'attribute_exists(pk)',
        ...(nextToken === undefined ? {} : { ExpressionAttributeValues: { ':token': nextToken } }),
      }));
    },
    async keepDecision(name, decision) {
      await documents.send(new UpdateCommand({
        TableName: tableNames.incidents,
        Key: { pk: `EXECUTION#${name}`, sk: 'EXECUTION' },
        UpdateExpression: 'SET carriedDecision = :decision',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':decision': decision },
      }));
    },
    async finish(name, status, error) {
      await documents.send(new UpdateCommand({
        TableName: tableNames.incidents,
        Key: { pk: `EXECUTION#${name}`, sk: 'EXECUTION' },
        UpdateExpression: 'SET #status = :status, stoppedAt = :at, #error = :error REMOVE carriedDecision',
        ExpressionAttributeNames: { '#status': 'status', '#error': 'error' },
        ExpressionAttributeValues: { ':status': status, ':at': new Date().toISOString(), ':error': error },
      }));
    },
  };

  // Handlers read process.env at cold start, exactly as in Lambda. What this runtime sets is undone when it closes,
  // so a runtime started later in the same process (the chaos suites, the tests) starts from the environment it was
  // given, not from this one's settings (one suite's GITHUB_RETRIES=0 made a later one's GitHub faults fatal).
  // A setting given as undefined is unset while it runs: a GITHUB_TOKEN in the shell must not reach the handlers of
  // a runtime told to run without one.
  const unset = Object.keys(source).filter((key) => source[key] === undefined && !(key in env));
  const envBefore = new Map<string, string | undefined>([...Object.keys(env), ...unset, 'SFN_ENDPOINT'].map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  for (const key of unset) delete process.env[key];
  generation += 1;
  // The stages' handlers are filled in once the workflow's endpoint is known (below); nothing runs before that.
  const tasks: Record<string, LocalTask> = {};
  // The fallback path's one service integration (RecordNotifyFailed, a DynamoDB UpdateItem), against the embedded
  // store. Step Functions names a service integration's errors `<Service>.<error>` (DynamoDB.ConditionalCheckFailedException);
  // the ASL's Retry/Catch match those names, so the local stand-in reports them the same way.
  const dynamoUpdate: LocalTask = async (input) => {
    try {
      await rawDynamo.send(new UpdateItemCommand(input as UpdateItemCommandInput));
    } catch (error) {
      if (error instanceof Error) throw Object.assign(new Error(error.message, { cause: error }), { name: `DynamoDB.${error.name}` });
      throw error;
    }
    return {};
  };
  tasks.RecordNotifyFailed = dynamoUpdate;

  // AwaitApproval is `lambda:invoke.waitForTaskToken` on notify: the function gets the `Payload`, the state then waits.
  let notify: LambdaHandler | null = null;
  const tokenTasks: Record<string, LocalTokenTask> = {
    AwaitApproval: (input, wait) => invokeWithTimeout(notify as LambdaHandler, approvalRequestOf(input, wait), { functionName: 'notify', timeoutMs: NOTIFY_REQUEST_TIMEOUT_MS, log }),
  };
  // Set once the reconciler's dependencies exist (below), before any execution is resumed.
  let resumeDecisionAtWait: (wait: BackAtWait) => Promise<void> = async () => {};
  const workflow = await startLocalWorkflow({
    aslPath: join(root, 'statemachines', 'incident-pipeline.asl.json'),
    substitutions: {
      ...Object.fromEntries(
        Object.entries(STEP_FUNCTIONS).map(([state, fn]) => [`${state}FunctionArn`, `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${fn}`]),
      ),
      IncidentsTableName: tableNames.incidents,
    },
    stateMachineArn,
    tasks,
    tokenTasks,
    selfTimedTasks: Object.keys(STEP_FUNCTIONS),
    registry,
    retryDelayMs: options.retryDelayMs ?? 250,
    ...(options.waitDelayMs === undefined ? {} : { waitDelayMs: options.waitDelayMs }),
    ...(options.approvalWaitHeadStartMs === undefined ? {} : { tokenWaitHeadStartMs: options.approvalWaitHeadStartMs }),
    port: options.workflowPort ?? 0,
    onEvent: log,
    onBackAtWait: (wait) => resumeDecisionAtWait(wait),
  });
  env.SFN_ENDPOINT = workflow.endpoint;
  process.env.SFN_ENDPOINT = workflow.endpoint;
  // Imported after the endpoint is set: a handler reads its configuration once, at import, and notify's e-mailed
  // approval commands must name this endpoint (AWS's is the CLI's default; this one is not).
  const aslStates = JSON.parse(await readFile(join(root, 'statemachines', 'incident-pipeline.asl.json'), 'utf8')).States as Record<string, { TimeoutSeconds?: number }>;
  for (const [state, fn] of Object.entries(STEP_FUNCTIONS)) {
    const handler = await importHandler(fn, generation);
    const timeoutMs = (aslStates[state]?.TimeoutSeconds ?? 300) * 1000;
    // Timed out as Lambda times a function out: answered Sandbox.Timedout, and only once the attempt settled (session 43).
    tasks[state] = (input) => invokeWithTimeout(handler, input, { functionName: fn, timeoutMs, log });
  }
  notify = await importHandler('notify', generation);
  // The same reconciler run the scheduled Lambda makes in AWS (re-drives, then digests of ended escalation
  // windows, published to the outbox like escalations), on a timer.
  const reconcileLogger = { info() {}, warn: log, error: log };
  const reconcileDeps = createReconcilerDeps(loadConfig(env), reconcileLogger);
  // A `/guard` decision sent while a resumed execution ran again up to its wait was refused as not waiting yet, and
  // waits recorded: it is sent as the execution is back at its wait, not at the first reconciler run past its grace
  // (RECONCILE_AFTER_MINUTES), which left it minutes late.
  // A wait that ended while the runtime was down takes the decision vetted as taken in time only in-process (`answer`):
  // over the API it is refused as timed out, as any decision sent after the wait's end (session 43).
  resumeDecisionAtWait = async ({ input, token, endedAt, answer }) => {
    const incidentId = (input as { Payload?: { trigger?: { incidentId?: unknown } } }).Payload?.trigger?.incidentId;
    if (typeof incidentId !== 'string') return;
    // The in-process answer drives the state machine, whose own writes are not the reconciler's (SendTaskSuccess in AWS).
    const deps = answer ? { ...reconcileDeps, tasks: outsideFunctionGrants(answer) } : reconcileDeps;
    // The reconciler's work in AWS, held to its grants.
    await runAsFunction('reconcile', () =>
      resumeDecisionOfWait(deps, { incidentId, taskToken: token, ...(endedAt ? { endedAt } : {}) }, { afterMinutes: config.RECONCILE_AFTER_MINUTES }),
    );
  };
  // Executions cut off by a crash restart from their first state (stages are idempotent; see local-workflow.ts).
  const resumed = await workflow.resumeRunning();
  if (resumed.length > 0) log(`resumed ${resumed.length} execution(s) that were running when the runtime stopped`);
  // The timer's runs and the API's (`reconcile`) alike are bounded by the reconcile function's AWS timeout, each run's
  // ports refusing once it is let go (session 45; the API's since session 46).
  const reconcileTimer = startReconcilerTimer({
    run: (stopped, at) =>
      runAsFunction('reconcile', () => scheduledReconcilerRun({ ...callsRefusedOnceAborted(reconcileDeps, stopped), clock: () => at ?? new Date() }, reconcilerOptions(config))),
    intervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
    timeoutMs: FUNCTION_TIMEOUT_SECONDS.reconcile * 1000,
    log,
  });
  const ingest = await importHandler('ingest-github', generation);
  // Invoked with their AWS time limits, as the steps are (session 44): see infra/function-timeouts.ts.
  const invokeTimed = (handler: LambdaHandler, functionName: TimedFunction, event: unknown) =>
    invokeWithTimeout(handler, event, { functionName, timeoutMs: FUNCTION_TIMEOUT_SECONDS[functionName] * 1000, log });
  const recordOutcome = await importHandler('record-outcome', generation);
  // Green runs queued by ingest, delivered to record-outcome several at once, as Lambda's asynchronous invocation
  // does in AWS (two retries, one and two minutes apart, then a dead letter); the queue is in the embedded store, so
  // what a crash cut off is delivered now. The retries keep AWS's spacing unless a test shortens them: a delivery
  // that finds the PR comment claimed by an execution the crash cut off must outwait that claim's lease
  // (commentSlotLeaseMs in shared/github/comment-timing.ts, 45 s by default), and three tries 250 ms apart
  // dead-lettered such a recovery.
  const recoveries = startQueueConsumer({
    queue: outsideFunctionGrants(createStoreWorkQueue({ client: documents, tableName: tableNames.incidents, name: RECOVERY_QUEUE })),
    deliver: (message) => invokeTimed(recordOutcome, 'record-outcome', message),
    maxAttempts: 3,
    retryDelayMs: options.retryDelayMs ?? ASYNC_INVOKE_RETRY_MS,
    pollMs: 250,
    concurrency: 16,
    log,
  });
  const ingestAlarm = await importHandler('ingest-alarm', generation);
  const gateToken = source.GATE_TOKEN ?? randomBytes(24).toString('base64url');
  const learning = createLearning({
    client: documents,
    tables: { incidents: tableNames.incidents, experiments: tableNames.experiments, baselines: tableNames.baselines },
    clock: () => new Date(),
    logger: redactingLogger({ info() {}, warn: log, error: log }),
    ttlDays: config.INCIDENT_TTL_DAYS,
    learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS,
  });
  const readApi = await importHandler('read-api', generation);
  const scrapeMetrics = createEmfFileReader(metricsPath);
  const evaluateGate = await importHandler('evaluate-gate', generation);
  const learningApi = createLearningApi({
    learning,
    gateToken,
    evaluateGate: (event, context) => runAsFunction('evaluate-gate', () => evaluateGate(event, context)),
    context: lambdaContext,
  });

  async function route(req: IncomingMessage, res: ServerResponse) {
    // `//x` parses as a protocol-relative URL with host "x" and `//` throws: take the path as given, never a host.
    const url = URL.parse(`http://localhost${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`);
    if (!url) return send(res, 400, { message: 'malformed request target' });
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/healthz' && req.method === 'GET') return send(res, 200, { ok: true });
    const listeningHost = options.host ?? '127.0.0.1';
    const reads = req.method === 'GET' || req.method === 'HEAD';
    // Beyond loopback a read needs the GATE_TOKEN, which a rebound page does not have (see allowedBeyondLoopback).
    if (reads && isLoopbackHost(listeningHost) && !namedByLoopback(req)) return send(res, 403, { message: 'requests for another host name are refused' });
    if (!reads && fromAnotherSite(req, listeningHost)) return send(res, 403, { message: 'requests from other sites are refused' });
    if (path === '/webhooks/github') {
      if (req.method !== 'POST') return send(res, 405, { message: 'use POST' });
      const body = await readBody(req, config.MAX_WEBHOOK_BYTES);
      if (body === null) return send(res, 413, { message: bodyTooLargeMessage(config.MAX_WEBHOOK_BYTES) });
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      // API Gateway REST proxy event shape; base64 keeps the raw bytes the signature was computed over.
      const result = (await invokeTimed(
        ingest,
        'ingest-github',
        { resource: '/webhooks/github', path, httpMethod: 'POST', headers, body: body.toString('base64'), isBase64Encoded: true, requestContext: { requestId: randomUUID() } },
      )) as { statusCode: number; body: string };
      res.writeHead(result.statusCode, { 'content-type': 'application/json' });
      return res.end(`${result.body}\n`);
    }
    if (path === '/events/cloudwatch') {
      if (req.method !== 'POST') return send(res, 405, { message: 'use POST' });
      if (!allowedBeyondLoopback(req.headers.authorization, listeningHost, gateToken)) {
        return send(res, 401, { message: 'this runtime listens beyond loopback: send Authorization: Bearer $GATE_TOKEN' });
      }
      const body = await readBody(req, config.MAX_WEBHOOK_BYTES);
      if (body === null) return send(res, 413, { message: alarmBodyTooLargeMessage(config.MAX_WEBHOOK_BYTES) });
      const text = body.toString('utf8');
      if (jsonNestsDeeperThan(text)) return send(res, 400, { message: `body nests deeper than ${MAX_JSON_DEPTH} levels` });
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return send(res, 400, { message: 'body is not valid JSON' });
      }
      // The same handler exports the EventBridge rules invoke in AWS: record-outcome for OK, ingest-alarm for the rest
      // (it starts the pipeline for ALARM only). The handlers validate the event; their ValidationError is a 400.
      try {
        if (alarmStateChangeOf(json) === 'OK') return send(res, 200, await invokeTimed(recordOutcome, 'record-outcome', json));
        return send(res, 202, await invokeTimed(ingestAlarm, 'ingest-alarm', json));
      } catch (error) {
        if (error instanceof ValidationError) return send(res, 400, { message: error.message });
        throw error;
      }
    }
    // The request target as sent (URL parsing turns `/..` and `//` into `/`): odd targets stay 4xx, not the dashboard.
    const target = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && target === path && (path === '/' || path === '/config.json' || DASHBOARD_FILE.test(path))) return serveDashboard(res, path);
    if (reads && !allowedBeyondLoopback(req.headers.authorization, listeningHost, gateToken)) {
      return send(res, 401, { message: 'this runtime listens beyond loopback: send Authorization: Bearer $GATE_TOKEN' });
    }
    if (path === '/metrics/prometheus' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      return res.end(await scrapeMetrics());
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      // API Gateway's REST proxy event for the read-api Lambda: the same handler export answers in AWS.
      const query = Object.fromEntries(url.searchParams.entries());
      const result = (await invokeTimed(
        readApi,
        'read-api',
        { resource: '/{proxy+}', path, httpMethod: 'GET', headers: {}, queryStringParameters: Object.keys(query).length ? query : null, body: null, isBase64Encoded: false, requestContext: { requestId: randomUUID() } },
      )) as { statusCode: number; body: string; headers?: Record<string, string> };
      if (result.statusCode !== 404 || !result.body.includes('"no route for')) {
        res.writeHead(result.statusCode, { ...result.headers, 'content-type': 'application/json' });
        return res.end(req.method === 'HEAD' ? undefined : `${result.body}\n`);
      }
    }
    const learned = await learningApi(req, path, url);
    if (learned) return send(res, learned.status, learned.body);
    return send(res, 404, { message: `no route for ${req.method} ${path}` });
  }

  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log(`request failed: ${error instanceof Error ? error.stack : String(error)}`);
      if (!res.headersSent) send(res, 500, { message: 'internal error' });
      else res.end();
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  // How `guard kb`, `guard experiments` and `guard incidents` find this runtime with no variables set.
  const runtimeFile = join(dataDir, RUNTIME_FILE);
  const info: RuntimeInfo = { url, pid: process.pid, dynamodbEndpoint: dynamo.endpoint, region, tables: tableNames };
  await writeFile(runtimeFile, `${JSON.stringify(info, null, 2)}\n`);

  return {
    url,
    port,
    outboxPath,
    webhookSecret,
    env,
    incidents,
    gateToken,
    learning,
    resumed,
    reconcile: (at) => reconcileTimer.runNow(at),
    async idle() {
      await recoveries.idle();
      await workflow.idle();
    },
    dynamoCalls: () => dynamo.calls(),
    dynamoCallsByFunction: () => ({ ...callsByFunction }),
    async close() {
      await reconcileTimer.stop();
      await rm(runtimeFile, { force: true });
      await new Promise<void>((ok) => server.close(() => ok()));
      await recoveries.close();
      await workflow.close();
      rawDynamo.destroy();
      documents.destroy();
      stopServingInProcess();
      stopLocalAdapters();
      await dynamo.close();
      for (const [key, value] of envBefore) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
