import { readFileSync } from 'node:fs';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEmfMetrics } from '../adapters/metrics.js';
import { createCloudWatchAlarmTags } from '../adapters/alarm-tags.js';
import { alarmScopeFromConfig } from '../ingest/alarm-scope.js';
import { createLambdaRecoveryQueue } from '../adapters/lambda-async.js';
import { createSfnStarter, createSfnTaskControl } from '../adapters/sfn.js';
import { createSnsPublisher } from '../adapters/sns.js';
import { createSsmAutomationClient } from '../adapters/ssm-automation.js';
import { createSecretsManagerReader } from '../adapters/secrets-manager.js';
import { createChatWebhook, withChatWebhook } from '../adapters/chat-webhook.js';
import { createOfflineAnalyzer } from '../analysis/offline.js';
import { createConfiguredAnalyzers } from '../analysis/providers.js';
import { type Config, type SecretArnKey, chatWebhookUrlSchema, requireConfig } from '../config.js';
import { ConfigError, errorMessage } from '../errors.js';
import * as z from '../zod.js';
import { normalizePrivateKey } from '../github/app-auth.js';
import { type GitHubAuth, createGitHubClientsOf, staticGitHubClients, writeIdentity } from '../github/clients.js';
import { createGitHubClient } from '../github/client.js';
import { createRemediationGitHubClient } from '../github/remediation-client.js';
import { createRunReadingGitHubClient } from '../github/run-reads-client.js';
import type { GitHubClientOptions } from '../github/rest.js';
import { rotatingGitHubClients } from '../github/rotating-clients.js';
import { createPermissionCache } from '../github/permission-cache.js';
import { withCommentSlots } from '../github/comment-slot.js';
import { COMMAND_ANSWER_LEASE_MS, commentSlotLeaseMs, type CommentRetrySettings } from '../github/comment-timing.js';
import { createDynamoCommentSlots } from '../stores/comment-slots.js';
import { type CommandAnswers, createDynamoCommandAnswers } from '../stores/command-answers.js';
import type { AlarmTagReader, EscalationDigests, EscalationLedger, EscalationPublisher, GitHubClients, GitHubPort, Metrics, RemediationGitHubPort, OutsiderModelBudgets, RecoveryQueue, RerunLedger, RunReadingGitHubPort, Sleep, StepLogger, TaskTokenControl, WorkflowStarter } from '../ports.js';
import { type ApprovalIndex, createApprovalIndex } from '../remediation/approvals.js';
import { type GuardStore, createGuardStore } from '../remediation/guard-store.js';
import { type PolicyFile, parsePolicyFile } from '../remediation/policy.js';
import { type RunbookRunner, createSsmRunbookRunner } from '../remediation/runbook-runner.js';
import { parseRunbookMappings } from '../remediation/runbooks.js';
import type { RunbookStartPorts } from '../remediation/runbook-start.js';
import type { DigestDeps } from '../reconcile/digests.js';
import type { ExhaustedEscalationDeps, RedriveDeps, ScheduledRunOptions } from '../reconcile/redrive.js';
import type { LateReactionDeps } from '../reconcile/late-reactions.js';
import type { RecoveryCommentDeps } from '../reconcile/recovery-comments.js';
import type { ApprovalResumeDeps } from '../reconcile/approval-resumes.js';
import type { RunbookCheckDeps } from '../reconcile/runbook-checks.js';
import type { RecoveryFollowUpPassDeps } from '../reconcile/recovery-follow-ups.js';
import { type ReactionReads, createReactionReads } from '../stores/reaction-reads.js';
import { type DeferredRecoveryComments, createDeferredRecoveryComments } from '../stores/deferred-comments.js';
import { type RecoveryTargets, createRecoveryTargets as createRecoveryTargetsStore } from '../stores/recovery-targets.js';
import { type RunbookChecks, createEpisodeRunbookClaims, createRunbookCheckList } from '../stores/runbook-checks.js';
import { type ApprovalResumes, createApprovalResumes } from '../stores/approval-resumes.js';
import type {
  AnalyzeDeps,
  ClassifyDeps,
  KnowledgeLookupDeps,
  NotifyDeps,
  RemediateDeps,
  RemediateRemediationDeps,
  StepDeps,
} from '../steps/deps.js';
import { type InProcessTransport, createDocumentClient } from '../stores/dynamo.js';
import { type IncidentRecords, type OwnIncidentRecords, createIncidentRecords, createIncidentStore, createOpenIncidentsInScope, createOwnIncidentRecords } from '../stores/incident-store.js';
import { createGreenRunNotes, createGreenRunReads } from '../stores/green-run-notes.js';
import type { GateDeps } from '../baselines/evaluate.js';
import { createBaselineStore, createFailureBaselines } from '../baselines/store.js';
import { type Learning, type RecoveryOutcomes, createLearning, createRecoveryOutcomes } from '../knowledge/learning.js';
import { type Votes, createVotes } from '../knowledge/votes.js';
import { createFixVerdicts } from '../knowledge/fix-verdict.js';
import { createEntryFeedback, createKnowledgeStore, createLearnedEntryWrites } from '../knowledge/store.js';
import { createExperimentStore } from '../experiments/store.js';
import { createAnalysisCosts } from '../experiments/analysis-cost.js';
import { ENTRY_LOOKUP, type EntryLookup } from '../knowledge/lookup.js';
import { createDynamoEscalationDigests, createDynamoEscalationLedger } from '../stores/escalation-ledger.js';
import { createDynamoModelBudget } from '../stores/model-budget.js';
import { createDynamoModelRequestLedger } from '../stores/model-requests.js';
import { outsiderModelBudgets } from '../analysis/outsider-budget.js';
import { createDynamoRerunLedger } from '../stores/rerun-ledger.js';
import { type WriteBudgets, createDynamoWriteLimiter, outsiderShareOf } from '../stores/write-limiter.js';
import { SECRET_MAX_AGE_SECONDS, type SecretReader, createRotatingWebhookVerifier, readSecret, webhookVerifier } from './secrets.js';
import type { WebhookVerifier } from '../ingest/verify.js';
import type { LocalAdapters } from './local-adapters.js';
import { invocationDeadline } from './step-deadline.js';

/**
 * Transports to DynamoDB endpoints served inside this process, by endpoint: the local runtime registers its
 * embedded store's (calls go to the store's thread as messages, not HTTP on loopback). Never set in AWS.
 */
const inProcessStores = new Map<string, InProcessTransport>();

/** Clients for `endpoint` built from now on use `transport`; the returned function ends that. */
export function serveDynamoInProcess(endpoint: string, transport: InProcessTransport): () => void {
  inProcessStores.set(endpoint, transport);
  return () => {
    if (inProcessStores.get(endpoint) === transport) inProcessStores.delete(endpoint);
  };
}

/**
 * Clients built so far, by configuration and in-process transport. A Lambda handler builds all its stores from one
 * configuration at cold start: they share one client, so one connection pool and one TLS handshake to DynamoDB
 * instead of one per store. Keyed weakly by the configuration, so a test's configuration takes its clients with it.
 */
const documentClients = new WeakMap<Config, Map<InProcessTransport | undefined, DynamoDBDocumentClient>>();

/** The DynamoDB document client for the configured tables (the embedded server locally, via DYNAMODB_ENDPOINT). */
export function documentClientFor(config: Config): DynamoDBDocumentClient {
  const endpoint = config.DYNAMODB_ENDPOINT;
  // Looked up on every call: a store served in-process from now on, or no longer, gets a client of its own.
  const transport = endpoint ? inProcessStores.get(endpoint) : undefined;
  let byTransport = documentClients.get(config);
  if (!byTransport) documentClients.set(config, (byTransport = new Map()));
  let client = byTransport.get(transport);
  if (!client) {
    client = createDocumentClient({ region: config.AWS_REGION, ...(endpoint ? { endpoint } : {}), ...(transport ? { transport } : {}) });
    byTransport.set(transport, client);
  }
  return client;
}

/**
 * The composition root. Every adapter is chosen here from configuration: AWS services by default, the
 * embedded local parts when the local runtime sets their endpoints/paths. Handlers call this once at cold start.
 *
 * The local stand-ins (outbox, recorded GitHub, store queue) are not imported here but handed over by the local
 * runtime ({@link useLocalAdapters}): every Lambda bundle is built from this module, and what it imports ships in
 * all of them whether AWS ever runs it or not. The choice between AWS and local, and the wiring, stay here.
 */

/** One entry per {@link useLocalAdapters} call not yet ended: runtimes in one process (tests) start and stop apart. */
const localAdapterUses: Array<{ adapters: LocalAdapters; echo: (line: string) => void }> = [];

/**
 * The local runtime's stand-ins, used from now on wherever the configuration names one; the returned function ends
 * that. `echo`: where each outbox entry is echoed (the console's stdout, as the runtime shows them; a command that says
 * what it did itself passes none to echo).
 */
export function useLocalAdapters(adapters: LocalAdapters, options: { echo?: (line: string) => void } = {}): () => void {
  const use = { adapters, echo: options.echo ?? ((line: string) => console.log(line)) };
  localAdapterUses.push(use);
  return () => {
    const at = localAdapterUses.indexOf(use);
    if (at >= 0) localAdapterUses.splice(at, 1);
  };
}

/** The stand-ins a local setting asks for; in AWS (where nothing hands them over) the setting is a configuration error. */
function localUse(setting: 'OUTBOX_PATH' | 'METRICS_EMF_PATH'): (typeof localAdapterUses)[number] {
  const use = localAdapterUses.at(-1);
  if (!use) throw new ConfigError(`${setting} is set, but it names a local stand-in that only the local runtime provides (npm start)`);
  return use;
}

function local(setting: 'OUTBOX_PATH' | 'METRICS_EMF_PATH'): LocalAdapters {
  return localUse(setting).adapters;
}

/** The outbox file (the local stand-in for SNS, SSM and GitHub's writes), echoing each entry as its user asked. */
function outboxAt(path: string) {
  const use = localUse('OUTBOX_PATH');
  return use.adapters.outbox(path, { echo: use.echo });
}

/**
 * The AWS JSON API clients' settings (Secrets Manager, SSM): built once per container, each call bounded by the
 * deadline of the invocation making it (session 43).
 */
function awsJsonOptions(config: Config) {
  return { region: config.AWS_REGION, deadline: invocationDeadline };
}

let secretReader: SecretReader | undefined;

function secretReaderFor(config: Config): SecretReader {
  return (secretReader ??= createSecretsManagerReader(awsJsonOptions(config)));
}

/** A credential set in plain (the local runtime, tests) or read from the secret its `*_SECRET_ARN` names. */
async function secretValue(
  config: Config,
  plain: 'GITHUB_TOKEN' | 'GITHUB_WEBHOOK_SECRET' | 'GITHUB_APP_PRIVATE_KEY',
  arnKey: 'GITHUB_TOKEN_SECRET_ARN' | 'GITHUB_WEBHOOK_SECRET_ARN' | 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN',
): Promise<string | undefined> {
  if (config[plain]) return config[plain];
  return secretSource(config, arnKey)?.();
}

/**
 * A secret read when its value is needed rather than at cold start, through the reader's cache of a few minutes: for
 * settings a deployment may fill in or rotate later without failing the functions that only sometimes use them.
 */
function secretSource(config: Config, arnKey: SecretArnKey): (() => Promise<string>) | undefined {
  const arn = config[arnKey];
  if (!arn) return undefined;
  const reader = secretReaderFor(config);
  return () => readSecret(arnKey, arn, reader);
}

/** Token or GitHub App, from configuration; undefined when neither is configured. Both at once is a mistake. */
async function githubAuth(config: Config): Promise<GitHubAuth | undefined> {
  const wantsApp = config.GITHUB_APP_ID !== undefined;
  const hasKey = Boolean(config.GITHUB_APP_PRIVATE_KEY || config.GITHUB_APP_PRIVATE_KEY_SECRET_ARN);
  if (hasKey && !wantsApp) throw new ConfigError('missing environment variable GITHUB_APP_ID (a GitHub App private key is configured)');
  if (wantsApp && (config.GITHUB_TOKEN || config.GITHUB_TOKEN_SECRET_ARN)) {
    throw new ConfigError('GITHUB_APP_ID and GITHUB_TOKEN (or GITHUB_TOKEN_SECRET_ARN) are both set: configure one way to authenticate');
  }
  if (wantsApp) {
    const key = await secretValue(config, 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN');
    if (!key) throw new ConfigError('missing environment variable GITHUB_APP_PRIVATE_KEY_SECRET_ARN (or GITHUB_APP_PRIVATE_KEY)');
    const setting = config.GITHUB_APP_PRIVATE_KEY ? 'GITHUB_APP_PRIVATE_KEY' : 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN';
    return { kind: 'app', appId: config.GITHUB_APP_ID as number, privateKey: normalizePrivateKey(key, setting) };
  }
  const token = await secretValue(config, 'GITHUB_TOKEN', 'GITHUB_TOKEN_SECRET_ARN');
  return token ? { kind: 'token', token: githubToken(token, config.GITHUB_TOKEN ? 'GITHUB_TOKEN' : 'GITHUB_TOKEN_SECRET_ARN') } : undefined;
}

/**
 * A token is one header-safe word (attack-46a A5): the Secrets Manager console stores a new secret as key/value JSON
 * (`{"token":"ghp_…"}`) by default, which would otherwise be sent as the token and fail every call. Refused as an
 * empty value is: at cold start a clear error naming the setting, on a re-read the clients read before stay in use.
 */
const GITHUB_TOKEN_FORM = z.string().check(z.maxLength(1024), z.regex(/^[A-Za-z0-9._~+/=-]+$/));

function githubToken(raw: string, setting: string): string {
  // Trimmed first, as the client and readSecret trim: a value set from a file or a CRLF env file ends in a line end,
  // and was taken before the form check (attack-46d D4). Whitespace or braces inside are still refused.
  const value = raw.trim();
  if (!GITHUB_TOKEN_FORM.safeParse(value).success) {
    throw new ConfigError(`${setting} is not a GitHub token (one word of letters, digits and _-.~+/=; a secret stored as key/value JSON must hold the plain token)`);
  }
  return value;
}

/**
 * GitHub access by installation: the REST client (token or GitHub App) with the shared write budget in the
 * incidents table; else, in the local runtime without credentials, the recorded stand-in; else no access.
 */
export async function createGitHub(config: Config, logger?: StepLogger): Promise<GitHubClients> {
  const documents = documentClientFor(config);
  // Every client claims the pull request's comment slot before creating a comment (one comment per PR). The claim
  // is honoured for as long as the client may still be creating one (its POST timeout, retries and backoff).
  // One set of retry settings for both, so the lease is the bound of the client that holds the claim.
  const retrySettings = { retries: config.GITHUB_RETRIES };
  const leaseMs = commentSlotLeaseMs(retrySettings);
  const slots = createDynamoCommentSlots({ client: documents, tableName: config.INCIDENTS_TABLE, leaseMs });
  return withCommentSlots(await createGitHubAccess(config, documents, retrySettings, { budgetWrites: true, logger, ports: WHOLE_ADAPTER }), slots);
}

/**
 * GitHub access for remediate, which re-runs runs and opens fix PRs but never comments: {@link createGitHub}'s
 * write budget, with only the ports remediate uses and without the comment slots, whose store and claims would only
 * ride along in its bundle. The type leaves commenting out, so a comment from there cannot bypass the slot.
 */
export async function createNonCommentingGitHub(config: Config, logger?: StepLogger): Promise<GitHubClients<RemediationGitHubPort>> {
  return createGitHubAccess(config, documentClientFor(config), { retries: config.GITHUB_RETRIES }, { budgetWrites: true, logger, ports: REMEDIATION_PORTS });
}

/**
 * GitHub access for classify, which reads a failed run and never writes: {@link createGitHub}'s write budget (a rate
 * limit met on a read still holds the identity's writes back, as it does for every client), with only the run reads
 * and without the comment slots, whose store and claims would only ride along in its bundle.
 */
export async function createRunReadingGitHub(config: Config, logger?: StepLogger): Promise<GitHubClients<RunReadingGitHubPort>> {
  return createGitHubAccess(config, documentClientFor(config), { retries: config.GITHUB_RETRIES }, { budgetWrites: true, logger, ports: RUN_READING_PORTS });
}

/**
 * GitHub access opened on first use and kept: one that failed to open (a credential not yet readable) is
 * opened again by the next use, rather than failing the function from cold start.
 */
function openedWhenNeeded(open: () => Promise<GitHubClients>): () => Promise<GitHubClients> {
  let opening: Promise<GitHubClients> | undefined;
  return () => {
    opening ??= open().catch((error: unknown) => {
      opening = undefined;
      throw error;
    });
    return opening;
  };
}

/**
 * GitHub access for a function that only reads (the quality gate): no comment slots and no write budget, so it
 * needs no incidents table. Its callers are given ports that cannot write (see `GateGitHub`).
 */
export async function createGitHubReader(config: Config, logger?: StepLogger): Promise<GitHubClients> {
  return createGitHubAccess(config, documentClientFor(config), { retries: config.GITHUB_RETRIES }, { budgetWrites: false, logger, ports: WHOLE_ADAPTER });
}

/**
 * Which GitHub ports an access hands out: `build` makes them from a client's options; `recorded` is the recorded
 * stand-in (a whole `GitHubPort`, local runs) as such a port.
 */
interface GitHubPorts<Port> {
  build(options: GitHubClientOptions): Port;
  recorded(port: GitHubPort): Port;
}

const WHOLE_ADAPTER: GitHubPorts<GitHubPort> = { build: createGitHubClient, recorded: (port) => port };
const REMEDIATION_PORTS: GitHubPorts<RemediationGitHubPort> = { build: createRemediationGitHubClient, recorded: (port) => port };
const RUN_READING_PORTS: GitHubPorts<RunReadingGitHubPort> = { build: createRunReadingGitHubClient, recorded: (port) => port };

async function createGitHubAccess<Port extends object>(
  config: Config,
  documents: ReturnType<typeof documentClientFor>,
  retrySettings: Pick<CommentRetrySettings, 'retries' | 'retryBaseDelayMs'>,
  { budgetWrites, logger, ports }: { budgetWrites: boolean; logger?: StepLogger | undefined; ports: GitHubPorts<Port> },
): Promise<GitHubClients<Port>> {
  const auth = await githubAuth(config);
  if (auth) {
    const budgets = writeBudgetsOf(config);
    const build = (credential: GitHubAuth) => createGitHubClientsOf(ports.build, {
      auth: credential,
      client: {
        baseUrl: config.GITHUB_API_URL,
        maxLogBytes: config.MAX_LOG_BYTES,
        ...retrySettings,
        writeIntervalMs: config.GITHUB_WRITE_INTERVAL_MS,
        ...(config.GITHUB_BOT_LOGIN ? { botLogin: config.GITHUB_BOT_LOGIN } : {}),
      },
      ...(budgetWrites
        ? { writeLimiter: (identity: string) => createDynamoWriteLimiter({ client: documents, tableName: config.INCIDENTS_TABLE, identity, budgets }) }
        : {}),
    });
    if (config.GITHUB_TOKEN || config.GITHUB_APP_PRIVATE_KEY) return build(auth);
    // From Secrets Manager: read again every few minutes, so a rotated token or App key needs no cold start.
    // A failed re-read is logged (attack-46a A2) by the setting and the error's name, never a value: the old
    // credential runs on, and whoever rotated it must learn the new one is not being read before revoking the old.
    const setting = auth.kind === 'app' ? 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN' : 'GITHUB_TOKEN_SECRET_ARN';
    const onRereadError = (error: unknown) =>
      logger?.warn(`GitHub credential re-read failed (${setting}); using the one read before`, { setting, error: error instanceof Error ? error.name : 'Error' });
    return rotatingGitHubClients({ credential: auth, read: async () => (await githubAuth(config)) ?? auth, build, same: sameGitHubAuth, maxAgeMs: SECRET_MAX_AGE_SECONDS * 1000, onRereadError });
  }
  if (config.RECORDED_RUNS_FILE && config.OUTBOX_PATH) {
    return staticGitHubClients(
      ports.recorded(local('OUTBOX_PATH').recordedGitHub({
        manifestPath: config.RECORDED_RUNS_FILE,
        comments: { client: documents, tableName: config.INCIDENTS_TABLE },
        outbox: outboxAt(config.OUTBOX_PATH),
        ...(config.GITHUB_BOT_LOGIN ? { botLogin: config.GITHUB_BOT_LOGIN } : {}),
      })),
    );
  }
  return staticGitHubClients<Port>(null);
}

function sameGitHubAuth(a: GitHubAuth, b: GitHubAuth): boolean {
  if (a.kind === 'token') return b.kind === 'token' && a.token === b.token;
  return b.kind === 'app' && a.appId === b.appId && a.privateKey === b.privateKey;
}

function writeBudgetsOf(config: Config): WriteBudgets {
  return { writesPerMinute: config.GITHUB_WRITES_PER_MINUTE, writesPerHour: config.GITHUB_WRITES_PER_HOUR, rerunsPerMinute: config.GITHUB_RERUNS_PER_MINUTE };
}

/**
 * The share of the write budget for comments on runs an outsider can repeat (`outsiderShareOf`), counted beside the budget of
 * the identity the GitHub client writes as ({@link writeIdentity}); null where writes are not budgeted (no
 * credentials, the recorded stand-in).
 */
function createOutsiderWrites(config: Config): NotifyDeps['outsiderWrites'] {
  const app = config.GITHUB_APP_ID !== undefined;
  if (!app && !config.GITHUB_TOKEN && !config.GITHUB_TOKEN_SECRET_ARN) return undefined;
  const client = documentClientFor(config);
  const budgets = outsiderShareOf(writeBudgetsOf(config));
  return (installationId) => {
    if (app && installationId === null) return null;
    // `#forks`: the counters' name from when only forks' comments drew on the share, kept so a deploy does not reset them.
    const identity = `${writeIdentity(app ? installationId : null)}#forks`;
    return createDynamoWriteLimiter({ client, tableName: config.INCIDENTS_TABLE, identity, budgets });
  };
}

/** The persisted cap on automatic re-runs per (workflow, head SHA), in the incidents table. */
export function createRerunLedger(config: Config): RerunLedger {
  const client = documentClientFor(config);
  return createDynamoRerunLedger({ client, tableName: config.INCIDENTS_TABLE });
}

/** One open escalation per problem and window, in the incidents table (the embedded server locally). */
export function createEscalationLedger(config: Config): EscalationLedger {
  return createDynamoEscalationLedger({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/** The reconciler's side of the ledger: digests of escalation windows that have ended. */
export function createEscalationDigests(config: Config): EscalationDigests {
  return createDynamoEscalationDigests({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/**
 * Verifies `X-Hub-Signature-256`: with a plain secret (local runtime, tests), or with the Secrets Manager secret's
 * current version and, for WEBHOOK_SECRET_GRACE_MINUTES after a rotation, its previous one, re-read every few minutes
 * so it can be rotated without a cold start.
 */
export async function createWebhookVerifier(config: Config, logger?: StepLogger): Promise<WebhookVerifier> {
  if (config.GITHUB_WEBHOOK_SECRET) return webhookVerifier(config.GITHUB_WEBHOOK_SECRET);
  const arn = config.GITHUB_WEBHOOK_SECRET_ARN;
  if (!arn) throw new ConfigError('missing environment variable GITHUB_WEBHOOK_SECRET_ARN');
  return createRotatingWebhookVerifier({
    setting: 'GITHUB_WEBHOOK_SECRET_ARN',
    arn,
    reader: secretReaderFor(config),
    graceMinutes: config.WEBHOOK_SECRET_GRACE_MINUTES,
    onRefreshError: (error) => logger?.warn('webhook secret refresh failed; verifying with the values read before', { error: errorMessage(error) }),
    onUndatedRotation: (message) => logger?.warn(message),
  });
}

/**
 * The chat webhook's URL: the setting, or in AWS its secret, read when a message goes out (through the reader's
 * cache of a few minutes), so a secret filled in or rotated after deployment is used without a cold start. A
 * secret without a value, or without an https URL in it, fails that chat message, never the escalation.
 */
function chatWebhookUrl(config: Config): string | (() => Promise<string>) | undefined {
  if (config.CHAT_WEBHOOK_URL) return config.CHAT_WEBHOOK_URL;
  const read = secretSource(config, 'CHAT_WEBHOOK_URL_SECRET_ARN');
  if (!read) return undefined;
  return async () => {
    const value = await read();
    // The value is a credential: the error names the rule, never the value.
    if (!chatWebhookUrlSchema.safeParse(value).success) {
      throw new ConfigError('secret CHAT_WEBHOOK_URL_SECRET_ARN does not hold an https URL (http only on loopback)');
    }
    return value;
  };
}

export function createEscalations(config: Config, logger?: StepLogger): EscalationPublisher {
  const primary = config.ESCALATION_TOPIC_ARN
    ? createSnsPublisher(new SNSClient({ region: config.AWS_REGION }), config.ESCALATION_TOPIC_ARN)
    : config.OUTBOX_PATH
      ? outboxAt(config.OUTBOX_PATH).publisher
      : null;
  if (!primary) throw new ConfigError('missing environment variable ESCALATION_TOPIC_ARN');
  const url = chatWebhookUrl(config);
  if (!url) return primary;
  return withChatWebhook(primary, createChatWebhook({ url, format: config.CHAT_WEBHOOK_FORMAT }), (error) =>
    logger?.warn('chat webhook failed; the escalation went out by SNS/outbox', { error: error instanceof Error ? error.message : String(error) }),
  );
}

function sfnClient(config: Config): SFNClient {
  if (!config.SFN_ENDPOINT) return new SFNClient({ region: config.AWS_REGION });
  const client = new SFNClient({ region: config.AWS_REGION, endpoint: config.SFN_ENDPOINT });
  // The embedded state machine's: the local runtime holds a function's calls to its grants in the stack.
  localAdapterUses.at(-1)?.adapters.holdStepFunctions?.(client);
  return client;
}

export function createWorkflowStarter(config: Config): WorkflowStarter {
  const { STATE_MACHINE_ARN } = requireConfig(config, 'STATE_MACHINE_ARN');
  return createSfnStarter(sfnClient(config), STATE_MACHINE_ARN);
}

/**
 * Where ingest queues a green run's recovery work: Lambda's asynchronous invocation of record-outcome in AWS; in
 * the local runtime (it sets OUTBOX_PATH) the queue in the embedded store that the runtime's consumer drains.
 */
export function createRecoveryQueue(config: Config): RecoveryQueue {
  if (config.RECOVERY_FUNCTION_NAME) return createLambdaRecoveryQueue(new LambdaClient({ region: config.AWS_REGION }), config.RECOVERY_FUNCTION_NAME);
  if (config.OUTBOX_PATH) return local('OUTBOX_PATH').recoveryQueue(documentClientFor(config), config.INCIDENTS_TABLE);
  throw new ConfigError('missing environment variable RECOVERY_FUNCTION_NAME');
}

/** Resumes executions waiting for approval (SendTaskSuccess / SendTaskFailure). */
export function createTaskControl(config: Config): TaskTokenControl {
  return createSfnTaskControl(sfnClient(config));
}

/** The configured analyzer and the offline one that ends every fallback chain (see `shared/analysis/providers.ts`). */
export function createAnalyzers(config: Config): Pick<StepDeps, 'analyzer' | 'fallbackAnalyzer' | 'analyzerFor'> {
  const apiKey = secretSource(config, 'LLM_API_KEY_SECRET_ARN');
  const { analyzer, fallbackAnalyzer, analyzerFor } = createConfiguredAnalyzers(config, apiKey ? { apiKey } : {});
  return { analyzer, fallbackAnalyzer, analyzerFor };
}

/**
 * Model analyses per hour of failures an outsider controls (LLM_OUTSIDER_ANALYSES_PER_HOUR) and each repository's
 * share (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR), counted in the incidents table (the embedded server locally),
 * like the GitHub write budget.
 */
export function createOutsiderModelBudget(config: Config): OutsiderModelBudgets {
  const client = documentClientFor(config);
  return outsiderModelBudgets(config, (name, max) => createDynamoModelBudget({ client, tableName: config.INCIDENTS_TABLE, name, max }));
}

/** Business metrics as EMF: stdout in Lambda (CloudWatch extracts them), the local runtime's file when it sets one. */
export function createMetrics(config: Config): Metrics {
  return createEmfMetrics({ serviceName: config.POWERTOOLS_SERVICE_NAME, ...(config.METRICS_EMF_PATH ? { write: local('METRICS_EMF_PATH').emfFileWriter(config.METRICS_EMF_PATH) } : {}) });
}

/**
 * An alarm's tags for alarm scope, when its event does not carry them: CloudWatch in AWS, cached per alarm for a
 * few minutes. Null without a tag scope, and locally (no CloudWatch: the event's tags are all there is).
 */
export function createAlarmTags(config: Config): AlarmTagReader | null {
  if (config.OUTBOX_PATH || alarmScopeFromConfig(config).tag === null) return null;
  return createCloudWatchAlarmTags(new CloudWatchClient({ region: config.AWS_REGION }));
}

/** What re-drives an incident (alarm ingest of a redelivery, the reconciler): the store and the workflow. */
export function createRedriveDeps(config: Config, logger: StepLogger): RedriveDeps {
  return { incidents: createIncidents(config), workflow: createWorkflowStarter(config), clock: () => new Date(), logger };
}

/**
 * A scheduled reconciler run's dependencies: re-drive, plus the digests of ended escalation windows, published
 * like escalations (topic, chat webhook; the outbox locally), grouped by the policy file's escalation rules, and the
 * late reads of reactions: GitHub read-only (opened on the first read a run makes, so a credential that cannot be read
 * leaves those reads for a later run, not the re-drives undone) and the votes they record; and the recovery comments
 * the write budget refused, written with GitHub's write access and its budget (opened likewise, on the first to write);
 * and the `/guard` decisions recorded but not resumed: Step Functions' task responses and the approval index; and the
 * follow-ups of recoveries no delivery finished: their noted targets, learning's outcome counters and the circuit
 * breaker's, as record-outcome has them.
 */
export function createReconcilerDeps(
  config: Config,
  logger: StepLogger,
): RedriveDeps & DigestDeps & ExhaustedEscalationDeps & LateReactionDeps & RecoveryCommentDeps & ApprovalResumeDeps & RunbookCheckDeps & RecoveryFollowUpPassDeps {
  const github = openedWhenNeeded(() => createGitHubReader(config, logger));
  const votes = createVoteDeps(config, logger);
  return {
    ...createRedriveDeps(config, logger),
    config,
    metrics: createMetrics(config),
    digests: createEscalationDigests(config),
    stepFunctions: { endpoint: config.SFN_ENDPOINT, region: config.AWS_REGION },
    escalations: createEscalations(config, logger),
    escalationLedger: createEscalationLedger(config),
    policyFile: policyFileOf(config),
    reactionReads: createLateReactionReads(config),
    github,
    votes,
    deferredComments: createDeferredComments(config),
    runbookChecks: createRunbookChecks(config),
    runbookRunner: createRunbookRunner(config),
    remediation: runbookStartsOf(config),
    episodeRunbooks: createEpisodeRunbookClaims({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE }),
    githubWriter: openedWhenNeeded(() => createGitHub(config, logger)),
    approvalResumes: createApprovalResumeList(config),
    approvals: createApprovals(config),
    tasks: createTaskControl(config),
    answers: createCommandAnswers(config),
    recoveryTargets: createRecoveryTargets(config),
    learning: { ...votes, ...createRecoveryOutcomeCounts(config) },
    guards: createGuards(config),
  };
}

export function reconcilerOptions(config: Config): ScheduledRunOptions {
  return {
    afterMinutes: config.RECONCILE_AFTER_MINUTES,
    maxPerRun: config.RECONCILE_MAX_PER_RUN,
    maxAttempts: config.RECONCILE_MAX_ATTEMPTS,
    lookbackHours: config.RECONCILE_LOOKBACK_HOURS,
    maxDigestsPerRun: config.RECONCILE_MAX_DIGESTS_PER_RUN,
    maxReactionReadsPerRun: config.RECONCILE_MAX_REACTION_READS_PER_RUN,
    maxReactionCallsPerRun: config.RECONCILE_MAX_REACTION_CALLS_PER_RUN,
    maxPendingVotesPerRun: config.RECONCILE_MAX_PENDING_VOTES_PER_RUN,
    runbookNotEndedMinutes: config.RUNBOOK_NOT_ENDED_MINUTES,
  };
}

/** The reconciler's late reads of reactions (in the incidents table): scheduled by the learning loop and recoveries. */
export function createLateReactionReads(config: Config): ReactionReads {
  return createReactionReads({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/** Runbooks that reported success, for the reconciler to check their alarm recovered (in the incidents table). */
export function createRunbookChecks(config: Config): RunbookChecks {
  return createRunbookCheckList({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/** Recovery comments the GitHub write budget refused, for the reconciler to post (in the incidents table). */
export function createDeferredComments(config: Config): DeferredRecoveryComments {
  return createDeferredRecoveryComments({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/** What each recovery set out to resolve, for its redelivery (in the incidents table). */
export function createRecoveryTargets(config: Config): RecoveryTargets {
  return createRecoveryTargetsStore({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

export function createIncidents(config: Config, clock: () => Date = () => new Date()) {
  const client = documentClientFor(config);
  return createIncidentStore({ client, tableName: config.INCIDENTS_TABLE, ttlDays: config.INCIDENT_TTL_DAYS, clock });
}

/** An alarm's open incidents: the one index query remediate makes. */
function createOpenIncidentsInScopeOf(config: Config) {
  return createOpenIncidentsInScope({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE, ttlDays: config.INCIDENT_TTL_DAYS });
}

/** The incidents by key only, for a stage that never lists or searches them (classify, analyze). */
function createIncidentRecordsOf(config: Config, clock: () => Date): IncidentRecords {
  const client = documentClientFor(config);
  return createIncidentRecords({ client, tableName: config.INCIDENTS_TABLE, ttlDays: config.INCIDENT_TTL_DAYS, clock });
}

/** Remediate's own incident by key (read, updated) and its alarm's latest OK: none of the other by-key writes. */
function createOwnIncidentRecordsOf(config: Config, clock: () => Date): OwnIncidentRecords {
  return createOwnIncidentRecords({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE, ttlDays: config.INCIDENT_TTL_DAYS, clock });
}

/**
 * Knowledge base, experiments and baselines over one document client. Every function that records outcomes or
 * looks up knowledge builds it once at cold start.
 */
export function createLearningDeps(config: Config, logger: StepLogger, clock: () => Date = () => new Date(), entryLookup?: EntryLookup): Learning {
  const client = documentClientFor(config);
  return createLearning({
    client,
    tables: { incidents: config.INCIDENTS_TABLE, experiments: config.EXPERIMENTS_TABLE, baselines: config.BASELINES_TABLE },
    clock,
    logger,
    ...(entryLookup ? { entryLookup } : {}),
    ttlDays: config.INCIDENT_TTL_DAYS,
    learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS,
  });
}

/**
 * The learning loop's three stores without the loop: what the read API reports (knowledge entries, experiments,
 * repository metrics). Its Lambda then carries none of the outcome, vote and lookup code.
 */
export function createLearningStores(config: Config): Pick<Learning, 'knowledge' | 'experiments' | 'baselines'> {
  const client = documentClientFor(config);
  return {
    knowledge: createKnowledgeStore({ client, tableName: config.INCIDENTS_TABLE, learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS }),
    experiments: createExperimentStore({ client, tableName: config.EXPERIMENTS_TABLE }),
    baselines: createBaselineStore({ client, tableName: config.BASELINES_TABLE }),
  };
}

/**
 * The learning loop's vote recorder alone, for ingest's `/guard feedback` commands: the stores a vote moves (of the
 * knowledge store, only the entry's feedback writes), without the lookup and outcome paths (and their matcher) that
 * ingest never runs.
 */
export function createVoteDeps(config: Config, logger: StepLogger, clock: () => Date = () => new Date()): Votes {
  const client = documentClientFor(config);
  const knowledge = createEntryFeedback({ client, tableName: config.INCIDENTS_TABLE, learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS, clock });
  return createVotes({
    client,
    tables: { incidents: config.INCIDENTS_TABLE },
    clock,
    logger,
    knowledge,
    verdicts: createFixVerdicts({ client, tableName: config.INCIDENTS_TABLE, knowledge }),
    experiments: createExperimentStore({ client, tableName: config.EXPERIMENTS_TABLE }),
    baselines: createBaselineStore({ client, tableName: config.BASELINES_TABLE }),
    ttlDays: config.INCIDENT_TTL_DAYS,
  });
}

/**
 * The quality gate's dependencies: the baselines, and GitHub opened on the first request whose acceptance depends on
 * it (GATE_VERIFY_DEFAULT_BRANCH). A credential that cannot be read is tried again by the next such request rather
 * than failing every request from cold start: the gate still answers, and only leaves runs unaccepted meanwhile.
 */
export function createGateDeps(config: Config, logger: StepLogger): GateDeps {
  // The baseline store alone: the learning loop around it (knowledge base, votes, experiments) is never used here.
  const baselines = createBaselineStore({ client: documentClientFor(config), tableName: config.BASELINES_TABLE });
  return { baselines, config, clock: () => new Date(), github: openedWhenNeeded(() => createGitHubReader(config, logger)), logger, metrics: createMetrics(config) };
}

/**
 * A recovery's outcome for learning alone (knowledge entry, fix record, repository metrics, experiment), counted once
 * per incident: the reconciler's backstop counts what a recovery no delivery finished left uncounted.
 */
function createRecoveryOutcomeCounts(config: Config): RecoveryOutcomes {
  const client = documentClientFor(config);
  // The entry writes alone: the reconciler's bundle carries no lookup, import or migration of entries.
  const knowledge = createLearnedEntryWrites({ client, tableName: config.INCIDENTS_TABLE, learnedRetentionDays: config.KNOWLEDGE_RETENTION_DAYS });
  return createRecoveryOutcomes({
    client,
    tables: { incidents: config.INCIDENTS_TABLE },
    clock: () => new Date(),
    knowledge,
    verdicts: createFixVerdicts({ client, tableName: config.INCIDENTS_TABLE, knowledge }),
    experiments: createExperimentStore({ client, tableName: config.EXPERIMENTS_TABLE }),
    baselines: createBaselineStore({ client, tableName: config.BASELINES_TABLE }),
  });
}

/** Rate-limit and circuit-breaker counters (in the incidents table). */
export function createGuards(config: Config, clock: () => Date = () => new Date()): GuardStore {
  const client = documentClientFor(config);
  return createGuardStore({ client, tableName: config.INCIDENTS_TABLE, clock });
}

/** Pending `/guard approve` proposals per pull request (in the incidents table). */
export function createApprovals(config: Config, clock: () => Date = () => new Date()): ApprovalIndex {
  const client = documentClientFor(config);
  return createApprovalIndex({ client, tableName: config.INCIDENTS_TABLE, clock });
}

/** `/guard` decisions recorded but maybe not resumed (ingest lists them, the reconciler resumes them), in the incidents table. */
export function createApprovalResumeList(config: Config): ApprovalResumes {
  return createApprovalResumes({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE });
}

/** Which reply answers each `/guard` command comment (ingest). */
export function createCommandAnswers(config: Config): CommandAnswers {
  return createDynamoCommandAnswers({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE, leaseMs: COMMAND_ANSWER_LEASE_MS });
}

/** The remediation policy file, from POLICY_FILE or POLICY_JSON; a bad file fails at cold start with the variable's name. */
export function policyFileOf(config: Config): PolicyFile {
  let policyText: string | undefined = config.POLICY_JSON;
  if (config.POLICY_FILE) {
    try {
      policyText = readFileSync(config.POLICY_FILE, 'utf8');
    } catch (error) {
      throw new ConfigError(`POLICY_FILE ${config.POLICY_FILE} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return policyText ? named(config.POLICY_FILE ? 'POLICY_FILE' : 'POLICY_JSON', () => parsePolicyFile(policyText as string)) : {};
}

function named<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new ConfigError(`invalid environment variable ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * The remediation policy file, runbook allow-list, guard counters and runbook runner. A bad policy or runbook
 * file fails at cold start with the variable's name rather than at the first incident. No approval index: only
 * notify and ingest keep the pending approvals, and they build their own ({@link createApprovals}).
 */
export function createRemediationDeps(config: Config, clock: () => Date = () => new Date()): RemediateRemediationDeps {
  const runner = createRunbookRunner(config);
  return {
    policyFile: policyFileOf(config),
    ...runbookStartsOf(config),
    guards: createGuards(config, clock),
    runner,
    runbookChecks: createRunbookChecks(config),
    episodeRunbooks: createEpisodeRunbookClaims({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE, clock }),
  };
}

/**
 * Which runbook start an incident makes: the allow-list (a bad file fails at cold start, named) and where runbooks run.
 * Remediate's, and the reconciler's, which makes a holder's start again to learn its run (session 43).
 */
function runbookStartsOf(config: Config): RunbookStartPorts {
  return {
    runbooks: named('RUNBOOKS_JSON', () => parseRunbookMappings(config.RUNBOOKS_JSON)),
    deployment: { account: config.DEPLOYMENT_ACCOUNT_ID ?? null, region: config.AWS_REGION },
  };
}

/**
 * The runbook runner: SSM Automation, or the local runtime's runner (its outbox) when OUTBOX_PATH is set. Remediate
 * starts and follows runs; the reconciler reads the status of a holder's run nobody followed (session 42).
 */
export function createRunbookRunner(config: Config): RunbookRunner {
  return config.OUTBOX_PATH
    ? local('OUTBOX_PATH').runbookRunner(outboxAt(config.OUTBOX_PATH))
    : createSsmRunbookRunner(createSsmAutomationClient(awsJsonOptions(config)));
}

/*
 * One factory per pipeline stage, building exactly the ports its type in shared/steps/deps.ts names. Each stage's
 * handler imports only its own, so esbuild leaves out the AWS clients and libraries of every other port (the
 * classify bundle has no SSM, SNS or Bedrock client; see docs/performance.md, "Start-up and bundles").
 */

/** What every stage has: configuration, a clock, the logger and the incident store. */
/** Each scope's latest green run (shared/stores/green-run-notes.ts), noted by record-outcome (classify builds only its read, createGreenRunReads). */
export function createGreenRuns(config: Config, clock: () => Date = () => new Date()) {
  return createGreenRunNotes({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE, clock });
}

function stageBasics(config: Config, logger: StepLogger) {
  const clock = () => new Date();
  return { config, clock, logger, incidents: createIncidents(config, clock) };
}

export async function createClassifyDeps(config: Config, logger: StepLogger): Promise<ClassifyDeps> {
  const clock = () => new Date();
  return {
    config,
    clock,
    logger,
    incidents: createIncidentRecordsOf(config, clock),
    greenRuns: createGreenRunReads({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE }),
    github: await createRunReadingGitHub(config, logger),
    learning: { baselines: createFailureBaselines({ client: documentClientFor(config), tableName: config.BASELINES_TABLE }) },
    metrics: createMetrics(config),
  };
}

export function createKnowledgeLookupDeps(config: Config, logger: StepLogger): KnowledgeLookupDeps {
  const basics = stageBasics(config, logger);
  return { ...basics, learning: createLearningDeps(config, logger, basics.clock, ENTRY_LOOKUP) };
}

export function createAnalyzeDeps(config: Config, logger: StepLogger): AnalyzeDeps {
  const clock = () => new Date();
  const basics = { config, clock, logger, incidents: createIncidentRecordsOf(config, clock) };
  return {
    ...basics,
    ...createAnalyzers(config),
    outsiderModelBudget: createOutsiderModelBudget(config),
    // On the incident's item, in the incidents table (the embedded server locally).
    modelRequests: createDynamoModelRequestLedger({ client: documentClientFor(config), tableName: config.INCIDENTS_TABLE }),
    // Of the learning loop, only the analysis's cost: its Lambda carries no knowledge base, votes or experiment store.
    learning: createAnalysisCosts({ client: documentClientFor(config), tables: { incidents: config.INCIDENTS_TABLE, experiments: config.EXPERIMENTS_TABLE }, clock: basics.clock }),
    metrics: createMetrics(config),
  };
}

export async function createRemediateDeps(config: Config, logger: StepLogger): Promise<RemediateDeps> {
  const clock = () => new Date();
  // Its own incident by key, and an alarm's open incidents (a runbook runs once per unbroken episode): no other query or write.
  const basics = { config, clock, logger, incidents: { ...createOwnIncidentRecordsOf(config, clock), ...createOpenIncidentsInScopeOf(config) } };
  return {
    ...basics,
    github: await createNonCommentingGitHub(config, logger),
    reruns: createRerunLedger(config),
    // Only the offline analyzer: remediate runs it when the analyze stage failed, never the configured provider.
    fallbackAnalyzer: createOfflineAnalyzer(),
    remediation: createRemediationDeps(config, basics.clock),
    metrics: createMetrics(config),
  };
}

/** Waiting in real time, on the real clock every stage is given (`() => new Date()`), in AWS and locally. */
const sleepInRealTime: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The only stage that publishes escalations, so the only one that requires the topic (and fails at cold start without it). */
export async function createNotifyDeps(config: Config, logger: StepLogger): Promise<NotifyDeps> {
  const basics = stageBasics(config, logger);
  const outsiderWrites = createOutsiderWrites(config);
  return {
    ...basics,
    sleep: sleepInRealTime,
    github: await createGitHub(config, logger),
    reruns: createRerunLedger(config),
    escalations: createEscalations(config, logger),
    escalationLedger: createEscalationLedger(config),
    // Kept across the invocations of a warm function, as the ingest function keeps the commenters'.
    permissions: createPermissionCache(),
    remediation: { policyFile: policyFileOf(config), approvals: createApprovals(config, basics.clock) },
    approvalResumes: createApprovalResumeList(config),
    metrics: createMetrics(config),
    ...(outsiderWrites ? { outsiderWrites } : {}),
  };
}
