/**
 * Pipeline Guard's AWS stack: webhook API, alarm rules, the incident pipeline state machine, its functions,
 * tables, escalation topic, secrets and alarms.
 *
 * ## Configuration (CDK context: `npx cdk deploy -c key=value`, or the "context" block of cdk.json)
 *
 * Every key, its default and its effect: the table under "Deploying to AWS" in the README, the one list of them.
 * {@link readSettings} reads and checks each; a wrong value fails synth with the key's name ({@link SettingsError}).
 *
 * Alarm scope is opt-in: an alarm starts the pipeline when its name has the prefix or it carries the tag. The
 * EventBridge rules leave out this stack's own alarms (named `<stack name>-…`), so a failing pipeline cannot feed
 * itself, and narrow to the prefix only when there is no tag scope (`alarmScopeTag=none`); ingest-alarm applies
 * the scope in code, as the local runtime does, reading the tags of alarms whose events carry none.
 */
import { FUNCTION_TIMEOUT_SECONDS } from './function-timeouts.js';
import { ASL_PATH } from './pipeline-definition.js';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Arn, ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  type MethodOptions,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { Alarm, type CfnAlarm, ComparisonOperator, Metric, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Match, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Effect, type IGrantable, ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnSecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { CfnMicrosoftTeamsChannelConfiguration, LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { type CfnStateMachine, DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { TABLES, type TableDefinition } from '../shared/stores/tables.js';
import { gateCallersSchema } from '../shared/baselines/gate-access.js';
import type * as z from '../shared/zod.js';
import { CHAT_WEBHOOK_FORMATS, type ChatWebhookFormat, GITHUB_ACCOUNT_NAME, awsRegionCode, gateRepositoriesSchema, githubLogin } from '../shared/config.js';
import { type FunctionName, GuardFunction, type GuardFunctionProps } from './constructs/guard-function.js';
import { GrantTargets } from './constructs/grant-targets.js';
import { FUNCTION_TABLE_ACCESS } from './table-access.js';
import { GuardTable } from './constructs/guard-table.js';
import { DashboardSite } from './constructs/dashboard-site.js';
import { OperationsDashboard } from './constructs/operations-dashboard.js';
import { parsePolicyFile } from '../shared/remediation/policy.js';
import { parsePriceOverrides } from '../shared/analysis/pricing.js';
import { parseRunbookMappings } from '../shared/remediation/runbooks.js';
import { NO_SCOPE_TAG } from '../shared/ingest/alarm-scope.js';
import { DEFAULT_METRICS_SERVICE, METRICS_NAMESPACE, RECONCILER_METRIC } from '../shared/adapters/metric-names.js';

/**
 * Teams copies a channel id as `19:…@thread.tacv2`; CloudFormation accepts it only URL-encoded
 * (`19%3a…%40thread.tacv2`, see AWS::Chatbot::MicrosoftTeamsChannelConfiguration). Either form is accepted.
 */
export function teamsChannelIdForCloudFormation(channelId: string): string {
  return channelId.includes('%') ? channelId : encodeURIComponent(channelId);
}

/** Settings read from CDK context; see the table at the top of this file. */
export interface GuardSettings {
  readonly alertEmail?: string;
  /** Subscribed to the page-failure topic: `pageFailureEmail`, else `alertEmail`. */
  readonly pageFailureEmail?: string;
  readonly bedrockModelId?: string;
  readonly bedrockRegion?: string;
  readonly githubApiUrl: string;
  readonly githubBotLogin?: string;
  /** Authenticate as this GitHub App (installation tokens) instead of with a token. */
  readonly githubAppId?: number;
  readonly logRetentionDays: RetentionDays;
  readonly dryRun: boolean;
  /** Keep every incident index projecting whole items (a stack deployed before the narrower projections). */
  readonly wholeItemIndexes: boolean;
  readonly autoRerunMax: number;
  readonly rerunMinConfidence: number;
  /** The shared GitHub write budget per installation or token, and how long a write waits for it. */
  readonly githubWrites: { readonly perMinute: number; readonly perHour: number; readonly rerunsPerMinute: number; readonly waitMinutes: number };
  /**
   * Quality gate thresholds, the number of default-branch runs in its baseline, and whether GitHub must confirm
   * that a run's commit is on the default branch before it joins the baseline.
   */
  readonly gate: {
    readonly deltaCoverage: number;
    readonly deltaVulnHigh: number;
    readonly deltaVulnCritical: number;
    readonly baselineRuns: number;
    readonly verifyDefaultBranch: boolean;
  };
  readonly maxWebhookBytes: number;
  /** Minutes after a webhook secret rotation that the previous secret still verifies (attack-47 I2). */
  readonly webhookSecretGraceMinutes: number;
  /** Accounts whose repositories' deliveries are acted on (context `githubOwners`); empty: every verified one. */
  readonly githubOwners: string[];
  readonly maxLogBytes: number;
  readonly llmMaxTokens: number;
  readonly llmTemperature: number;
  readonly llmInputTokenBudget: number;
  /** Model analyses per hour of failures an outsider controls (LLM_OUTSIDER_ANALYSES_PER_HOUR). */
  readonly llmOutsiderAnalysesPerHour: number;
  /** One repository's share of them (LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR); unset: the config's default, half. */
  readonly llmOutsiderRepositoryAnalysesPerHour?: number;
  readonly bedrockGuardrail?: { readonly id: string; readonly version: string };
  /**
   * The OpenAI-compatible analyzer (context `llmBaseUrl` + `llmModel`); `keySecret`: its key is kept in a secret
   * the stack creates empty (context `llmApiKeySecret`).
   */
  readonly openai?: { readonly baseUrl: string; readonly model: string; readonly keySecret: boolean };
  /** Model prices for cost accounting (context `llmPricesFile`), validated at synth. */
  readonly llmPricesJson?: string;
  /** Models experiment arms may choose (context `experimentModelIds`). */
  readonly experimentModelIds: string[];
  /** Alarm name prefixes in scope (context `alarmNamePrefix`, comma-separated as ALARM_NAME_PREFIXES); may be empty. */
  readonly alarmNamePrefixes: string[];
  /** `key=value` tag that opts an alarm in (EventBridge `alarmTags`; needs tag propagation on the alarm). */
  readonly alarmScopeTag: string;
  /** Target-tracking autoscaling alarms start the pipeline too (they are ignored by default). */
  readonly alarmIncludeAutoscaling: boolean;
  /** The remediation policy file's JSON, validated at synth (context `policyFile`). */
  readonly policyJson?: string;
  /** Which IAM callers may use the quality gate for which repositories (context `gateCallersFile`), validated at synth. */
  readonly gateCallersJson?: string;
  /** Per-repository gate settings, the default branch included (context `gateRepositoriesFile`), validated at synth. */
  readonly gateRepositoriesJson?: string;
  /** The runbook allow-list's JSON, validated at synth (context `runbooksFile`), and the documents it names. */
  readonly runbooks?: { readonly json: string; readonly documents: string[] };
  /** Role the Automation documents assume (their AutomationAssumeRole); remediate may pass only this role. */
  readonly runbookRoleArn?: string;
  readonly runbookWaitSeconds: number;
  /** Minutes after a runbook's success its alarm may still fire before on-call is paged that it did not fix it. */
  readonly runbookVerifyMinutes: number;
  /** Minutes after its start a runbook run the reconciler follows may stay unended before on-call is paged that it has not ended. */
  readonly runbookNotEndedMinutes: number;
  /** Days a learned knowledge entry is kept after it last was seen or learned something (KNOWLEDGE_RETENTION_DAYS). */
  readonly knowledgeRetentionDays: number;
  /** Days an incident is kept (DynamoDB TTL), the votes on it with it (INCIDENT_TTL_DAYS). */
  readonly incidentTtlDays: number;
  /** Deploy the web dashboard (S3 + CloudFront + Cognito) and its Cognito-authorized read API. */
  readonly dashboard: boolean;
  readonly dashboardDomainPrefix?: string;
  /** Chat channels fed by the escalation topic (context slackWorkspaceId/slackChannelId, teamsTeamId/teamsChannelId/teamsTenantId). */
  readonly chat?: {
    readonly slack?: { readonly workspaceId: string; readonly channelId: string };
    readonly teams?: { readonly teamId: string; readonly channelId: string; readonly tenantId: string };
  };
  /** An incoming webhook fed every escalation, its URL kept in a secret the stack creates empty (context `chatWebhookFormat`). */
  readonly chatWebhookFormat?: ChatWebhookFormat;
}

/** The read API's routes, the same in AWS and in the local runtime (shared/api/read-api.ts). */
export const READ_ROUTES = ['/incidents', '/incidents/{id}', '/metrics', '/metrics/{owner}/{repo}', '/experiments', '/experiments/{id}', '/knowledge', '/knowledge/scopes'] as const;

/** Room for the policy and runbook files in the remediate function's environment (Lambda: 4 KB in all). */
const REMEDIATION_FILES_MAX_BYTES = 2800;
/** Room for the gate callers and gate repositories files in the evaluate-gate function's environment. */
const GATE_FILES_MAX_BYTES = 3000;

/** Webhook API stage throttling (requests per second, burst). */
export const WEBHOOK_RATE_LIMIT = 500;
export const WEBHOOK_BURST_LIMIT = 1000;

/** Lambda's synchronous request limit is 6 MB including the API Gateway event envelope around the body. */
const MAX_WEBHOOK_BYTES_LIMIT = 5 * 1024 * 1024;

/** Geography prefixes of Bedrock's system-defined cross-Region inference profiles (`us.anthropic.…`). */
const INFERENCE_PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\.(.+)$/;
/** What an experiment arm's `params.model` accepts (shared/experiments/params.ts); ARNs are not model ids here. */
const EXPERIMENT_MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/;

/** A guardrail id (`abc123def456`) or its ARN; both are accepted by Converse's `guardrailIdentifier`. */
const GUARDRAIL_ID = /^[a-z0-9]{1,64}$/;
const GUARDRAIL_ARN = /^arn:aws[\w-]*:bedrock:[a-z0-9-]+:\d{12}:guardrail\/[a-z0-9]{1,64}$/;

/**
 * `bedrock:ApplyGuardrail` on the one guardrail the analyzer uses: Converse with a `guardrailConfig` needs it in
 * addition to `InvokeModel`. An id is resolved to its ARN in the Bedrock region of this account.
 */
export function bedrockGuardrailStatement(guardrailId: string, region: string, account: string, partition: string): PolicyStatement {
  const arn = GUARDRAIL_ARN.test(guardrailId) ? guardrailId : `arn:${partition}:bedrock:${region}:${account}:guardrail/${guardrailId}`;
  return new PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [arn] });
}

/** The stack's name unless `-c stackName=…` says otherwise (a staging and a production stack in one account). */
export const DEFAULT_STACK_NAME = 'PipelineGuard';

/**
 * The Cognito sign-in domain prefix when `dashboardDomainPrefix` is not given. Prefixes are unique per region across
 * all of AWS, so a second stack in the account (`-c stackName=…`) needs its own: the default stack keeps the prefix
 * it always had, any other adds a digest of its name (a digest, not the name: a prefix allows only 63 lower-case
 * letters, digits and inner hyphens, and a stack name may be 128 characters of either case). Such a stack deployed
 * before the digest has `pipeline-guard-<account>` and must keep it with `dashboardDomainPrefix`: CloudFormation
 * replaces a domain by creating the new one first, and a user pool takes only one (README, `dashboardDomainPrefix`).
 */
export function defaultDashboardDomainPrefix(stackName: string, account: string): string {
  if (stackName === DEFAULT_STACK_NAME) return `pipeline-guard-${account}`;
  return `pipeline-guard-${account}-${createHash('sha256').update(stackName).digest('hex').slice(0, 10)}`;
}

/**
 * The `service` dimension of the stack's metrics (and of its log lines). Stacks in one account and region share the
 * CloudWatch namespace, so each needs its own for its dashboard to chart only its own incidents, actions and costs;
 * the default stack keeps the one it always had, so its dashboard keeps its history.
 */
export function metricsServiceOf(stackName: string): string {
  return stackName === DEFAULT_STACK_NAME ? DEFAULT_METRICS_SERVICE : `${DEFAULT_METRICS_SERVICE}-${stackName}`;
}

/** A context value (`-c key=value` or cdk.json) that is missing, malformed or names a file that cannot be read. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

/** A chat context key, the form CloudFormation takes its value in, and that form in words for the error. */
type ChatId = readonly [key: string, pattern: RegExp, what: string];

const SLACK_ID = /^[A-Z0-9]{1,255}$/;
const SLACK_ID_TEXT = 'a Slack id (letters and digits, e.g. T012ABCDEFG)';
/**
 * Teams' team and tenant ids are GUIDs (AWS::Chatbot::MicrosoftTeamsChannelConfiguration): checked here, another
 * value got past synth's own checks and failed only in the template's validation, after every function was bundled.
 */
const GUID = /^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$/;
const TEAMS_GUID_TEXT = 'a GUID such as 1b2c3d4e-aaaa-bbbb-cccc-0123456789ab (from the chat applications console)';

/** Chat channel ids from context: each chat system needs all of its ids, or none. */
function chatSettings(raw: (key: string) => string | undefined): GuardSettings['chat'] {
  const group = (ids: readonly ChatId[]) => {
    const keys = ids.map(([key]) => key);
    const values = keys.map((key) => raw(key));
    if (values.every((v) => v === undefined)) return undefined;
    ids.forEach(([key, pattern, what], i) => {
      if (values[i] === undefined) throw new SettingsError(`context value ${key} is missing: ${keys.join(', ')} go together`);
      if (!pattern.test(values[i] as string)) throw new SettingsError(`context value ${key} must be ${what}, got "${values[i]}"`);
    });
    return values as string[];
  };
  const slack = group([
    ['slackWorkspaceId', SLACK_ID, SLACK_ID_TEXT],
    ['slackChannelId', SLACK_ID, SLACK_ID_TEXT],
  ]);
  const teams = group([
    ['teamsTeamId', GUID, TEAMS_GUID_TEXT],
    ['teamsChannelId', /^[\w:@.%-]{1,255}$/, 'a Microsoft Teams channel id (19:…@thread.tacv2, from the chat applications console)'],
    ['teamsTenantId', GUID, TEAMS_GUID_TEXT],
  ]);
  if (!slack && !teams) return undefined;
  return {
    ...(slack ? { slack: { workspaceId: slack[0] as string, channelId: slack[1] as string } } : {}),
    ...(teams ? { teams: { teamId: teams[0] as string, channelId: teams[1] as string, tenantId: teams[2] as string } } : {}),
  };
}

/** The opt-in alarm tag, `key=value` or `key` (`none`: prefix scope only); the same default as ALARM_SCOPE_TAG locally. */
function alarmScopeTag(value: string | undefined): string {
  if (value === undefined) return 'pipeline-guard=enabled';
  if (!/^[^=\s]{1,128}(=[^\s]{0,256})?$/.test(value)) throw new SettingsError(`context value alarmScopeTag must be key=value or key, got "${value}"`);
  return value;
}

/**
 * The alarm name prefixes, comma-separated as ingest-alarm reads them (ALARM_NAME_PREFIXES): the rules must match
 * the same list, or a prefix that ingest-alarm accepts would never reach it.
 */
function alarmNamePrefixes(value: string | undefined): string[] {
  const prefixes = (value ?? '').split(',').map((prefix) => prefix.trim()).filter((prefix) => prefix.length > 0);
  for (const prefix of prefixes) {
    // CloudWatch alarm names are at most 255 characters.
    if (prefix.length > 255) throw new SettingsError(`context value alarmNamePrefix: "${prefix.slice(0, 40)}…" is longer than an alarm name can be (255)`);
  }
  return prefixes;
}

/** Without a tag scope the prefixes are the whole scope: none either would take no alarm at all. */
function alarmScope(prefixes: string[], tag: string): string {
  if (tag === NO_SCOPE_TAG && prefixes.length === 0) throw new SettingsError('context value alarmScopeTag=none needs alarmNamePrefix: no alarm would be in scope');
  return tag;
}

/** An IAM role ARN in any partition (`arn:aws:iam::123456789012:role/path/name`). */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/**
 * The role the runbooks assume, checked against the allow-list it serves: remediate may pass only this role, so a
 * mapping that names another one as its literal AutomationAssumeRole would fail at its first alarm, not here.
 */
function runbookRole(value: string | undefined, runbooksJson: string | undefined): string | undefined {
  if (value !== undefined && !ROLE_ARN.test(value)) {
    throw new SettingsError(`context value runbookRoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${value}"`);
  }
  if (value !== undefined && runbooksJson === undefined) {
    throw new SettingsError('context value runbookRoleArn needs runbooksFile: the role is passed only to the allow-listed Automation documents');
  }
  for (const mapping of runbooksJson === undefined ? [] : parseRunbookMappings(runbooksJson)) {
    for (const role of mapping.parameters.AutomationAssumeRole ?? []) {
      if (role.includes('{{') || role === value) continue;
      throw new SettingsError(
        `context value runbooksFile: ${mapping.document} assumes ${role}, but remediate may pass only the runbookRoleArn role (${value ?? 'none given'}): set -c runbookRoleArn=${role}`,
      );
    }
  }
  return value;
}

/**
 * Reads and validates the context values once. `-c key=value` always yields strings while cdk.json may hold
 * numbers or booleans, so both are accepted; a bad value fails synth with the key's name.
 */
export function readSettings(scope: Construct): GuardSettings {
  const raw = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new SettingsError(`context value ${key} must be a string, number or boolean`);
  };
  const number = (key: string, fallback: number, check: (n: number) => boolean, expected: string): number => {
    const value = raw(key);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || !check(parsed)) throw new SettingsError(`context value ${key} must be ${expected}, got "${value}"`);
    return parsed;
  };
  const boolean = (key: string, fallback: boolean): boolean => {
    const value = raw(key)?.toLowerCase();
    if (value === undefined) return fallback;
    if (value === 'true' || value === '1' || value === 'yes') return true;
    if (value === 'false' || value === '0' || value === 'no') return false;
    throw new SettingsError(`context value ${key} must be true or false, got "${value}"`);
  };
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  const checked = (key: string, schema: z.ZodMiniType<string>): string | undefined => {
    const value = raw(key);
    if (value === undefined) return undefined;
    const result = schema.safeParse(value);
    if (!result.success) throw new SettingsError(`context value ${key} ${result.error.issues[0]?.message ?? 'is invalid'}, got "${value}"`);
    return result.data;
  };

  // Lambda caps all environment variables of a function at 4 KB together; a policy file must leave room for the rest.
  const jsonFile = (key: string, validate: (text: string) => unknown): string | undefined => {
    const path = raw(key);
    if (path === undefined) return undefined;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new SettingsError(`context value ${key}: cannot read ${path} (${error instanceof Error ? error.message : String(error)})`);
    }
    try {
      validate(text);
    } catch (error) {
      throw new SettingsError(`context value ${key}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return JSON.stringify(JSON.parse(text));
  };
  const runbooksFrom = (json: string | undefined) =>
    json === undefined ? undefined : { json, documents: [...new Set(parseRunbookMappings(json).map((m) => m.document))] };
  const policyJson = jsonFile('policyFile', (text) => parsePolicyFile(text));
  const runbooksJson = jsonFile('runbooksFile', (text) => parseRunbookMappings(text));
  const gateCallersJson = jsonFile('gateCallersFile', (text) => gateCallersSchema.parse(JSON.parse(text)));
  const gateRepositoriesJson = jsonFile('gateRepositoriesFile', (text) => gateRepositoriesSchema.parse(JSON.parse(text)));
  // Both go into the remediate function's environment, which Lambda caps at 4 KB with every other variable
  // (about 1 KB of table names, ARNs and settings once resolved). Notify gets the policy alone, beside fewer others.
  const sharedBytes = Buffer.byteLength(policyJson ?? '') + Buffer.byteLength(runbooksJson ?? '');
  if (sharedBytes > REMEDIATION_FILES_MAX_BYTES) {
    throw new SettingsError(
      `context values policyFile and runbooksFile: ${sharedBytes} bytes of compact JSON together, over the ${REMEDIATION_FILES_MAX_BYTES} that fit in the remediate function's 4 KB environment`,
    );
  }
  // Both go into evaluate-gate's environment beside about 700 bytes of settings, table name and secret ARN.
  const gateBytes = Buffer.byteLength(gateCallersJson ?? '') + Buffer.byteLength(gateRepositoriesJson ?? '');
  if (gateBytes > GATE_FILES_MAX_BYTES) {
    throw new SettingsError(
      `context values gateCallersFile and gateRepositoriesFile: ${gateBytes} bytes of compact JSON together, over the ${GATE_FILES_MAX_BYTES} that fit in the evaluate-gate function's 4 KB environment (a caller pattern with * can cover several roles)`,
    );
  }
  const emailAddress = (key: string): string | undefined => {
    const value = raw(key);
    if (value !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) throw new SettingsError(`context value ${key} must be an e-mail address, got "${value}"`);
    return value;
  };
  const alertEmail = emailAddress('alertEmail');
  // The same address by default: a subscription of its own still hears this alarm when the escalation topic fails.
  const pageFailureEmail = emailAddress('pageFailureEmail') ?? alertEmail;
  const githubApiUrl = raw('githubApiUrl') ?? 'https://api.github.com';
  if (!URL.canParse(githubApiUrl) || new URL(githubApiUrl).protocol !== 'https:') {
    throw new SettingsError(`context value githubApiUrl must be an https URL, got "${githubApiUrl}"`);
  }
  const bedrockModelId = raw('bedrockModelId');
  if (bedrockModelId?.startsWith('arn:')) {
    throw new SettingsError(
      'context value bedrockModelId must be a model id or a cross-Region inference profile id (e.g. us.anthropic.…), not an ARN',
    );
  }
  const guardrailId = raw('bedrockGuardrailId');
  const guardrailVersion = raw('bedrockGuardrailVersion');
  if (guardrailId !== undefined && !GUARDRAIL_ID.test(guardrailId) && !GUARDRAIL_ARN.test(guardrailId)) {
    throw new SettingsError(`context value bedrockGuardrailId must be a guardrail id or ARN, got "${guardrailId}"`);
  }
  if (guardrailVersion !== undefined && !/^(DRAFT|[1-9]\d{0,7})$/.test(guardrailVersion)) {
    throw new SettingsError(`context value bedrockGuardrailVersion must be DRAFT or a version number, got "${guardrailVersion}"`);
  }
  if (guardrailVersion !== undefined && guardrailId === undefined) {
    throw new SettingsError('context value bedrockGuardrailVersion needs bedrockGuardrailId');
  }
  if (guardrailId !== undefined && bedrockModelId === undefined) {
    throw new SettingsError('context value bedrockGuardrailId needs bedrockModelId: guardrails apply to Bedrock calls only');
  }
  const llmBaseUrl = raw('llmBaseUrl');
  const llmModel = raw('llmModel');
  if ((llmBaseUrl === undefined) !== (llmModel === undefined)) {
    throw new SettingsError('context values llmBaseUrl and llmModel go together: the OpenAI-compatible analyzer needs both');
  }
  if (llmBaseUrl !== undefined && (!URL.canParse(llmBaseUrl) || new URL(llmBaseUrl).protocol !== 'https:')) {
    throw new SettingsError(`context value llmBaseUrl must be an https URL, got "${llmBaseUrl}"`);
  }
  if (llmBaseUrl !== undefined && bedrockModelId !== undefined) {
    throw new SettingsError('context values llmBaseUrl and bedrockModelId exclude each other: choose one analyzer');
  }
  const llmApiKeySecret = boolean('llmApiKeySecret', false);
  if (llmApiKeySecret && llmBaseUrl === undefined) {
    throw new SettingsError('context value llmApiKeySecret needs llmBaseUrl: the key is for the OpenAI-compatible endpoint');
  }
  const chatWebhookFormat = raw('chatWebhookFormat');
  if (chatWebhookFormat !== undefined && !CHAT_WEBHOOK_FORMATS.includes(chatWebhookFormat as ChatWebhookFormat)) {
    throw new SettingsError(`context value chatWebhookFormat must be one of ${CHAT_WEBHOOK_FORMATS.join(', ')}, got "${chatWebhookFormat}"`);
  }
  const llmPricesJson = jsonFile('llmPricesFile', (text) => parsePriceOverrides(text));
  const githubOwners = (raw('githubOwners') ?? '').split(',').map((owner) => owner.trim()).filter((owner) => owner.length > 0);
  for (const owner of githubOwners) {
    if (!GITHUB_ACCOUNT_NAME.test(owner)) throw new SettingsError(`context value githubOwners: "${owner}" is not a GitHub account name`);
  }
  const experimentModelIds = (raw('experimentModelIds') ?? '').split(',').map((model) => model.trim()).filter((model) => model.length > 0);
  for (const model of experimentModelIds) {
    if (!EXPERIMENT_MODEL_ID.test(model)) throw new SettingsError(`context value experimentModelIds: "${model}" is not a model id`);
  }
  if (experimentModelIds.length > 0 && bedrockModelId === undefined && llmBaseUrl === undefined) {
    throw new SettingsError('context value experimentModelIds needs bedrockModelId or llmBaseUrl: the offline analyzer has no model to vary');
  }
  // The runtime configuration's own schemas: what synth lets through, loadConfig takes at cold start.
  const bedrockRegion = checked('bedrockRegion', awsRegionCode);
  const githubBotLogin = checked('githubBotLogin', githubLogin);
  const prefixes = alarmNamePrefixes(raw('alarmNamePrefix'));
  const dashboardDomainPrefix = raw('dashboardDomainPrefix');
  if (dashboardDomainPrefix !== undefined && !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(dashboardDomainPrefix)) {
    throw new SettingsError(`context value dashboardDomainPrefix must be lower-case letters, digits and hyphens, got "${dashboardDomainPrefix}"`);
  }
  const retentionValues = Object.values(RetentionDays).filter((v): v is RetentionDays => typeof v === 'number');
  const logRetentionDays = number(
    'logRetentionDays',
    RetentionDays.ONE_MONTH,
    (n) => retentionValues.includes(n as RetentionDays),
    `a CloudWatch Logs retention (${retentionValues.join(', ')})`,
  ) as RetentionDays;

  const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));
  return {
    ...optional('alertEmail', alertEmail),
    ...optional('pageFailureEmail', pageFailureEmail),
    ...optional('bedrockModelId', bedrockModelId),
    ...optional('bedrockRegion', bedrockRegion),
    githubApiUrl,
    ...optional('githubBotLogin', githubBotLogin),
    ...optional(
      'githubAppId',
      raw('githubAppId') === undefined ? undefined : number('githubAppId', 0, positiveInt, 'a positive whole number (the App ID from the App settings)'),
    ),
    logRetentionDays,
    dryRun: boolean('dryRun', false),
    wholeItemIndexes: boolean('wholeItemIndexes', false),
    autoRerunMax: number('autoRerunMax', 1, (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0'),
    rerunMinConfidence: number('rerunMinConfidence', 0.6, (n) => n >= 0 && n <= 1, 'between 0 and 1'),
    githubWrites: {
      perMinute: number('githubWritesPerMinute', 20, positiveInt, 'a positive whole number'),
      perHour: number('githubWritesPerHour', 300, positiveInt, 'a positive whole number'),
      rerunsPerMinute: number('githubRerunsPerMinute', 5, positiveInt, 'a positive whole number'),
      waitMinutes: number('githubWriteWaitMinutes', 120, positiveInt, 'a positive whole number of minutes'),
    },
    gate: {
      deltaCoverage: number('gateDeltaCoverage', 5, (n) => n > 0, 'a positive number'),
      deltaVulnHigh: number('gateDeltaVulnHigh', 3, (n) => n > 0, 'a positive number'),
      deltaVulnCritical: number('gateDeltaVulnCritical', 1, (n) => n > 0, 'a positive number'),
      baselineRuns: number('gateBaselineRuns', 10, (n) => Number.isInteger(n) && n >= 1 && n <= 100, 'a whole number between 1 and 100'),
      verifyDefaultBranch: boolean('gateVerifyDefaultBranch', true),
    },
    maxWebhookBytes: number(
      'maxWebhookBytes',
      1_048_576,
      (n) => positiveInt(n) && n <= MAX_WEBHOOK_BYTES_LIMIT,
      `a whole number between 1 and ${MAX_WEBHOOK_BYTES_LIMIT}`,
    ),
    githubOwners,
    webhookSecretGraceMinutes: number('webhookSecretGraceMinutes', 60, (n) => Number.isInteger(n) && n >= 10 && n <= 1440, 'a whole number of minutes between 10 and 1440'),
    maxLogBytes: number('maxLogBytes', 200 * 1024 * 1024, positiveInt, 'a positive whole number'),
    llmMaxTokens: number('llmMaxTokens', 1024, positiveInt, 'a positive whole number'),
    llmTemperature: number('llmTemperature', 0, (n) => n >= 0 && n <= 1, 'between 0 and 1'),
    llmInputTokenBudget: number(
      'llmInputTokenBudget',
      8000,
      (n) => Number.isInteger(n) && n >= 3000 && n <= 1_000_000,
      'a whole number between 3000 and 1000000',
    ),
    llmOutsiderAnalysesPerHour: number(
      'llmOutsiderAnalysesPerHour',
      10,
      (n) => Number.isInteger(n) && n >= 0 && n <= 1000,
      'a whole number between 0 and 1000',
    ),
    ...optional(
      'llmOutsiderRepositoryAnalysesPerHour',
      raw('llmOutsiderRepositoryAnalysesPerHour') === undefined
        ? undefined
        : number('llmOutsiderRepositoryAnalysesPerHour', 0, (n) => Number.isInteger(n) && n >= 0 && n <= 1000, 'a whole number between 0 and 1000'),
    ),
    ...optional('bedrockGuardrail', guardrailId === undefined ? undefined : { id: guardrailId, version: guardrailVersion ?? 'DRAFT' }),
    ...optional('openai', llmBaseUrl === undefined || llmModel === undefined ? undefined : { baseUrl: llmBaseUrl, model: llmModel, keySecret: llmApiKeySecret }),
    ...optional('llmPricesJson', llmPricesJson),
    experimentModelIds,
    alarmNamePrefixes: prefixes,
    alarmScopeTag: alarmScope(prefixes, alarmScopeTag(raw('alarmScopeTag'))),
    alarmIncludeAutoscaling: boolean('alarmIncludeAutoscaling', false),
    ...optional('policyJson', policyJson),
    ...optional('gateCallersJson', gateCallersJson),
    ...optional('gateRepositoriesJson', gateRepositoriesJson),
    ...optional('runbooks', runbooksFrom(runbooksJson)),
    ...optional('runbookRoleArn', runbookRole(raw('runbookRoleArn'), runbooksJson)),
    dashboard: boolean('dashboard', false),
    ...optional('dashboardDomainPrefix', dashboardDomainPrefix),
    ...optional('chat', chatSettings(raw)),
    ...optional('chatWebhookFormat', chatWebhookFormat as ChatWebhookFormat | undefined),
    runbookWaitSeconds: number('runbookWaitSeconds', 300, (n) => Number.isInteger(n) && n >= 0 && n <= 780, 'a whole number of seconds between 0 and 780'),
    runbookVerifyMinutes: number('runbookVerifyMinutes', 20, (n) => Number.isInteger(n) && n >= 5 && n <= 1440, 'a whole number of minutes between 5 and 1440'),
    runbookNotEndedMinutes: number('runbookNotEndedMinutes', 120, (n) => Number.isInteger(n) && n >= 10 && n <= 1440, 'a whole number of minutes between 10 and 1440'),
    knowledgeRetentionDays: number('knowledgeRetentionDays', 180, (n) => Number.isInteger(n) && n >= 7 && n <= 3650, 'a whole number of days between 7 and 3650'),
    incidentTtlDays: number('incidentTtlDays', 400, (n) => Number.isInteger(n) && n >= 7 && n <= 3650, 'a whole number of days between 7 and 3650'),
  };
}

/**
 * IAM resources for calling one Bedrock model. A plain model id needs its foundation-model ARN in the Bedrock
 * region. A cross-Region inference profile (`us.…`) needs the profile ARN plus the foundation model in every
 * destination Region the profile may route to; those Regions are AWS's to change, so the model ARN takes a Region
 * wildcard and a `bedrock:InferenceProfileArn` condition limits it to calls made through this one profile.
 */
export function bedrockInvokeStatements(modelId: string, region: string, account: string, partition: string): PolicyStatement[] {
  const actions = ['bedrock:InvokeModel'];
  const profile = INFERENCE_PROFILE_PREFIX.exec(modelId);
  if (!profile) {
    return [new PolicyStatement({ actions, resources: [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`] })];
  }
  const profileArn = `arn:${partition}:bedrock:${region}:${account}:inference-profile/${modelId}`;
  return [
    new PolicyStatement({ actions, resources: [profileArn] }),
    new PolicyStatement({
      actions,
      resources: [`arn:${partition}:bedrock:*::foundation-model/${profile[2]}`],
      conditions: { StringEquals: { 'bedrock:InferenceProfileArn': profileArn } },
    }),
  ];
}

export class PipelineGuardStack extends Stack {
  readonly settings: GuardSettings;
  readonly tables: Record<TableDefinition['logicalName'], GuardTable>;
  readonly functions: Record<FunctionName, GuardFunction>;
  readonly stateMachine: StateMachine;
  readonly api: RestApi;
  readonly topic: Topic;
  /** Where the alarm on pages that failed goes, apart from the escalation topic (see the constructor). */
  readonly pageFailureTopic: Topic;
  /** With `-c dashboard=true`: the site and the Cognito-authorized API it reads. */
  readonly dashboardSite?: DashboardSite;
  readonly dashboardApi?: RestApi;
  readonly operationsDashboard: OperationsDashboard;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const settings = readSettings(this);
    this.settings = settings;
    const retention = settings.logRetentionDays;

    // ---- Tables: built from the same definitions the local runtime creates.
    const tables = Object.fromEntries(
      TABLES.map((definition) => [definition.logicalName, new GuardTable(this, `${pascal(definition.logicalName)}Table`, { definition, wholeItemIndexes: settings.wholeItemIndexes })]),
    ) as Record<TableDefinition['logicalName'], GuardTable>;
    this.tables = tables;
    const { incidents } = tables;

    // ---- Escalation topic: pages, digests and the stack's own alarms.
    const { topic, key: topicKey } = this.alarmPublishableTopic('EscalationTopic', { displayName: 'Pipeline Guard escalations', keyDescription: 'Pipeline Guard escalation topic encryption' });
    this.topic = topic;
    // What the functions' grants may name (GRANT_TARGETS, infra/service-access.ts): named where each is made.
    const grantTargets = GrantTargets.of(this).name('the escalation topic', topic.topicArn).name("the escalation topic's key", topicKey.keyArn);
    // ---- Page-failure topic: the alarm on an incident given up whose page failed (IncidentsGivenUpUnpaged) reports a
    // failure of the escalation path itself. Published to the escalation topic, it would be lost with the page when
    // that topic, its key or its subscription is what failed; here it has its own topic, key and subscription.
    const { topic: pageFailureTopic } = this.alarmPublishableTopic('PageFailureTopic', {
      displayName: 'Pipeline Guard pages that failed',
      keyDescription: 'Pipeline Guard page-failure topic encryption',
    });
    this.pageFailureTopic = pageFailureTopic;
    if (settings.pageFailureEmail) pageFailureTopic.addSubscription(new EmailSubscription(settings.pageFailureEmail));
    // Topic.grantPublish would add kms:GenerateDataKey*; SNS only needs the plain data key to encrypt a message.
    const grantPublish = (grantee: IGrantable) => {
      grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [topicKey.keyArn] }),
      );
    };
    if (settings.alertEmail) topic.addSubscription(new EmailSubscription(settings.alertEmail));
    if (settings.chat) this.addChatChannels(settings.chat, topic);

    // ---- Secrets.
    // The webhook secret is generated: the operator copies it into GitHub's webhook settings (README, "Deploying"),
    // and a strong random value is exactly what that field wants.
    const webhookSecret = new Secret(this, 'GitHubWebhookSecret', {
      description: 'Pipeline Guard: GitHub webhook secret. Generated; paste the value into the webhook settings in GitHub.',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    // The GitHub credential is created empty: a token secret, or with `githubAppId` the App's private key. A
    // generated value would look real and fail only later, as a 401 from GitHub. Empty (no AWSCURRENT version), the
    // functions that read it fail at cold start with a message naming the secret until the operator runs
    // put-secret-value. CDK's Secret always generates a value when given none, so the generator is removed.
    const credentialSecret = settings.githubAppId
      ? new Secret(this, 'GitHubAppPrivateKeySecret', {
          description: `Pipeline Guard: GitHub App ${settings.githubAppId} private key (PEM, plain text). Created empty; put the key in.`,
        })
      : new Secret(this, 'GitHubTokenSecret', {
          description: 'Pipeline Guard: GitHub token (plain text) for logs, re-runs and PR comments. Created empty; put the token in.',
        });
    (credentialSecret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
    const credentialKey = settings.githubAppId ? 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN' : 'GITHUB_TOKEN_SECRET_ARN';
    for (const secret of [webhookSecret, credentialSecret]) {
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason:
          'GitHub issues these credentials (webhook secret set in the repository settings, token from a GitHub App or PAT); Secrets Manager rotation cannot change them in GitHub, so they are rotated there and put here.',
      });
    }
    // Credentials of other services, created empty on request for the same reason. The functions read them when a
    // message or a model call needs them (cached 5 minutes), not at cold start: while one is empty only the chat
    // post fails (the escalation still goes out) or the analysis falls back to the offline analyzer.
    const emptySecret = (id: string, description: string, issuer: string) => {
      const secret = new Secret(this, id, { description });
      (secret.node.defaultChild as CfnSecret).addPropertyDeletionOverride('GenerateSecretString');
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: `${issuer} issues this credential; Secrets Manager rotation cannot change it there, so it is rotated there and put here.`,
      });
      return secret;
    };
    const llmKeySecret = settings.openai?.keySecret
      ? emptySecret('LlmApiKeySecret', 'Pipeline Guard: key of the OpenAI-compatible analysis endpoint (plain text). Created empty; put the key in.', 'The LLM provider')
      : undefined;
    const chatWebhookSecret = settings.chatWebhookFormat
      ? emptySecret(
          'ChatWebhookUrlSecret',
          `Pipeline Guard: ${settings.chatWebhookFormat} incoming webhook URL for escalations (plain text). Created empty; put the URL in.`,
          'The chat system',
        )
      : undefined;

    // ---- Functions.
    const metricsService = metricsServiceOf(this.stackName);
    const fn = (id: string, props: Omit<GuardFunctionProps, 'logRetention' | 'serviceName'>) =>
      new GuardFunction(this, id, { ...props, logRetention: retention, serviceName: metricsService });
    // Where GitHub is and which App the credential belongs to: every function that talks to GitHub needs both.
    const githubEndpoint: Record<string, string> = {
      GITHUB_API_URL: settings.githubApiUrl,
      ...(settings.githubAppId ? { GITHUB_APP_ID: String(settings.githubAppId) } : {}),
    };
    const github: Record<string, string> = {
      ...githubEndpoint,
      // Every function that writes to GitHub draws from the same budget, so they all need the same numbers.
      GITHUB_WRITES_PER_MINUTE: String(settings.githubWrites.perMinute),
      GITHUB_WRITES_PER_HOUR: String(settings.githubWrites.perHour),
      GITHUB_RERUNS_PER_MINUTE: String(settings.githubWrites.rerunsPerMinute),
      GITHUB_WRITE_WAIT_MINUTES: String(settings.githubWrites.waitMinutes),
    };
    const botLogin: { GITHUB_BOT_LOGIN?: string } = settings.githubBotLogin ? { GITHUB_BOT_LOGIN: settings.githubBotLogin } : {};
    // Every function that writes a learned knowledge entry (a sighting, an outcome, a vote) refreshes its expiry by it.
    const knowledgeRetention = { KNOWLEDGE_RETENTION_DAYS: String(settings.knowledgeRetentionDays) };

    const classify = fn('Classify', {
      name: 'classify',
      description: 'Downloads failed job logs, finds the failure lines, classifies and fingerprints the incident',
      memorySize: 1024,
      timeout: Duration.minutes(5),
      environment: { ...github, MAX_LOG_BYTES: String(settings.maxLogBytes) },
    })
      .useTables(tables)
      .useSecret(credentialKey, credentialSecret);

    const knowledgeLookup = fn('KnowledgeLookup', {
      name: 'knowledge-lookup',
      description: 'Finds earlier incidents with the same fingerprint and what fixed them',
      timeout: Duration.seconds(30),
      environment: knowledgeRetention,
    })
      .useTables(tables);

    const modelSettings = {
      LLM_MAX_TOKENS: String(settings.llmMaxTokens),
      LLM_TEMPERATURE: String(settings.llmTemperature),
      LLM_INPUT_TOKEN_BUDGET: String(settings.llmInputTokenBudget),
      LLM_OUTSIDER_ANALYSES_PER_HOUR: String(settings.llmOutsiderAnalysesPerHour),
      ...(settings.llmOutsiderRepositoryAnalysesPerHour === undefined
        ? {}
        : { LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: String(settings.llmOutsiderRepositoryAnalysesPerHour) }),
      ...(settings.llmPricesJson ? { LLM_PRICES_JSON: settings.llmPricesJson } : {}),
      ...(settings.experimentModelIds.length > 0 ? { LLM_EXPERIMENT_MODELS: settings.experimentModelIds.join(',') } : {}),
    };
    const analyzeEnvironment = settings.openai
      ? { ANALYZER: 'openai', LLM_BASE_URL: settings.openai.baseUrl, LLM_MODEL: settings.openai.model, ...modelSettings }
      : settings.bedrockModelId
      ? {
          ANALYZER: 'bedrock',
          BEDROCK_MODEL_ID: settings.bedrockModelId,
          BEDROCK_REGION: settings.bedrockRegion ?? this.region,
          ...modelSettings,
          ...(settings.bedrockGuardrail
            ? { BEDROCK_GUARDRAIL_ID: settings.bedrockGuardrail.id, BEDROCK_GUARDRAIL_VERSION: settings.bedrockGuardrail.version }
            : {}),
        }
      : { ANALYZER: 'offline' };
    const analyze = fn('Analyze', {
      name: 'analyze',
      description: 'Root cause, fix and confidence from Bedrock or the offline analyzer',
      memorySize: 512,
      // Below the Analyze task's 300 s so Lambda's timeout surfaces as a retryable task error.
      timeout: Duration.minutes(3),
      environment: analyzeEnvironment,
    })
      .useTables(tables);
    if (llmKeySecret) analyze.useSecret('LLM_API_KEY_SECRET_ARN', llmKeySecret);
    if (settings.bedrockModelId) {
      const bedrockRegion = settings.bedrockRegion ?? this.region;
      for (const modelId of [...new Set([settings.bedrockModelId, ...settings.experimentModelIds])]) {
        for (const statement of bedrockInvokeStatements(modelId, bedrockRegion, this.account, this.partition)) {
          grantTargets.name('the configured models', ...statement.resources);
          analyze.role.addToPrincipalPolicy(statement);
        }
      }
      if (settings.bedrockGuardrail) {
        const statement = bedrockGuardrailStatement(settings.bedrockGuardrail.id, bedrockRegion, this.account, this.partition);
        grantTargets.name('the guardrail', ...statement.resources);
        analyze.role.addToPrincipalPolicy(statement);
      }
      for (const profile of [settings.bedrockModelId, ...settings.experimentModelIds].map((id) => INFERENCE_PROFILE_PREFIX.exec(id))) {
        if (!profile) continue;
        Validations.of(analyze).acknowledge({
          id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/${profile[2]}]`,
          reason:
            'A cross-Region inference profile routes to this one model in destination Regions that AWS manages; the Region wildcard is limited by a bedrock:InferenceProfileArn condition to calls through the configured profile.',
        });
      }
    }

    const remediate = fn('Remediate', {
      name: 'remediate',
      description: 'Plans the remediation under the policy, waits for approval or applies it (re-run, fix PR, runbook, escalation)',
      // It follows a runbook for up to runbookWaitSeconds; the Remediate task allows 900 s.
      timeout: Duration.seconds(settings.runbookWaitSeconds + 90),
      environment: {
        ...github,
        // The bot login tells our own re-runs apart (their triggering actor) from a person's.
        ...botLogin,
        AUTO_RERUN_MAX: String(settings.autoRerunMax),
        RERUN_MIN_CONFIDENCE: String(settings.rerunMinConfidence),
        DRY_RUN: String(settings.dryRun),
        RUNBOOK_WAIT_SECONDS: String(settings.runbookWaitSeconds),
        RUNBOOK_VERIFY_MINUTES: String(settings.runbookVerifyMinutes),
        // Runbooks start here only for this account's and region's alarms (AWS_REGION is Lambda's own).
        DEPLOYMENT_ACCOUNT_ID: this.account,
        ...(settings.policyJson ? { POLICY_JSON: settings.policyJson } : {}),
        ...(settings.runbooks ? { RUNBOOKS_JSON: settings.runbooks.json } : {}),
      },
    })
      .useTables(tables)
      .useSecret(credentialKey, credentialSecret);
    // Execution ids are generated by SSM at start: this account's, in this region, and only read.
    const automationExecutions = `arn:${this.partition}:ssm:${this.region}:${this.account}:automation-execution/*`;
    const readAutomationExecutions = () => new PolicyStatement({ actions: ['ssm:GetAutomationExecution'], resources: [automationExecutions] });
    const runbookDocuments = (documents: readonly string[]) =>
      documents.flatMap((document) => [
        `arn:${this.partition}:ssm:${this.region}:${this.account}:automation-definition/${document}:*`,
        `arn:${this.partition}:ssm:${this.region}::automation-definition/${document}:*`,
      ]);
    if (settings.runbooks) {
      grantTargets.name('the runbook documents', ...runbookDocuments(settings.runbooks.documents)).name("this account's automation executions", automationExecutions);
    }
    if (settings.runbookRoleArn) grantTargets.name('the runbook role', settings.runbookRoleArn);
    const automationExecutionsWildcard = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-execution/*]';
    /**
     * Starts of the allow-listed documents only (AWS-owned documents have no account in their ARN), with their role,
     * and reads of this account's executions.
     */
    const grantRunbookRuns = (grantee: GuardFunction, documents: readonly string[]) => {
      grantee.role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['ssm:StartAutomationExecution'], resources: runbookDocuments(documents) }),
      );
      if (settings.runbookRoleArn) {
        grantee.role.addToPrincipalPolicy(
          new PolicyStatement({
            actions: ['iam:PassRole'],
            resources: [settings.runbookRoleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
          }),
        );
      }
      grantee.role.addToPrincipalPolicy(readAutomationExecutions());
      const reason =
        'Automation definitions are versioned (:*) and execution ids are generated by SSM at start; both wildcards stay inside the allow-listed documents and this account.';
      for (const document of documents) {
        Validations.of(grantee).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:automation-definition/${document}:*]`, reason });
        Validations.of(grantee).acknowledge({ id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>::automation-definition/${document}:*]`, reason });
      }
      Validations.of(grantee).acknowledge({ id: automationExecutionsWildcard, reason });
    };
    if (settings.runbooks && settings.runbooks.documents.length > 0) grantRunbookRuns(remediate, settings.runbooks.documents);

    const notify = fn('Notify', {
      name: 'notify',
      description: 'Creates or updates the PR comment and publishes escalations',
      timeout: Duration.seconds(60),
      environment: {
        ...github,
        ...botLogin,
        ESCALATION_TOPIC_ARN: topic.topicArn,
        // Who is paged for what (the policy's `escalation` rules, per repository) is decided here, not in remediate.
        ...(settings.policyJson ? { POLICY_JSON: settings.policyJson } : {}),
      },
    })
      .useTables(tables)
      .useSecret(credentialKey, credentialSecret);
    grantPublish(notify);
    // Both functions that publish escalations post them to the chat webhook too: notify, and the reconciler's digests.
    const useChatWebhook = (publisher: GuardFunction) => {
      if (!chatWebhookSecret || !settings.chatWebhookFormat) return;
      publisher.setEnv('CHAT_WEBHOOK_FORMAT', settings.chatWebhookFormat).useSecret('CHAT_WEBHOOK_URL_SECRET_ARN', chatWebhookSecret);
    };
    useChatWebhook(notify);

    // ---- State machine: the ASL file is the definition (the local runtime runs the same file).
    const pipelineFunctions = [classify, knowledgeLookup, analyze, remediate, notify];
    const pipelineLogs = new LogGroup(this, 'PipelineLogs', {
      // The /aws/vendedlogs/ prefix keeps Step Functions log delivery from growing the account's CloudWatch Logs
      // resource policy, which has a 5120-character limit.
      logGroupName: `/aws/vendedlogs/states/${this.stackName}-incident-pipeline`,
      retention,
      // A group of a fixed name left behind by a deleted stack would fail the next deployment of that stack name
      // ("already exists"); it holds state transitions only, never execution data, so it goes with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stateMachine = new StateMachine(this, 'IncidentPipeline', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Pipeline Guard incident pipeline (statemachines/incident-pipeline.asl.json)',
      // Inline (fromString, not fromFile) so the definition is in the template, where tests and reviewers see it.
      definitionBody: DefinitionBody.fromString(readFileSync(ASL_PATH, 'utf8')),
      definitionSubstitutions: {
        ClassifyFunctionArn: classify.functionArn,
        KnowledgeLookupFunctionArn: knowledgeLookup.functionArn,
        AnalyzeFunctionArn: analyze.functionArn,
        RemediateFunctionArn: remediate.functionArn,
        NotifyFunctionArn: notify.functionArn,
        IncidentsTableName: incidents.tableName,
      },
      tracingEnabled: true,
      // Every state transition is logged, without the state data: inputs and outputs carry log excerpts, PR text
      // and alarm reasons, which stay in the incidents table and the execution history (same account, 90 days)
      // rather than being copied into a second store with its own readers.
      logs: { destination: pipelineLogs, level: LogLevel.ALL, includeExecutionData: false },
    });
    this.stateMachine = stateMachine;
    // CDK cannot infer permissions from a string definition: exactly what the ASL calls, nothing more. The Task
    // resources are the unqualified function ARNs, so no `:*` version/alias wildcard is needed.
    stateMachine.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: pipelineFunctions.map((f) => f.functionArn) }),
    );
    // Its one service integration: RecordNotifyFailed marks an incident Notify could not report. It publishes nothing:
    // the reconciler pages for such incidents, through the escalation ledger.
    stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [incidents.table.tableArn] }));
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Added by CDK for logging and tracing: the CloudWatch Logs vended-delivery actions (logs:CreateLogDelivery, …) and xray:PutTraceSegments support no resource-level permissions.',
    });

    // ---- Webhook ingest and API.
    const ingest = fn('IngestGitHub', {
      name: 'ingest-github',
      description: 'Verifies GitHub webhooks, deduplicates and starts one pipeline execution per failed run',
      // GitHub gives up on a delivery after 10 s; answering later is pointless.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['ingest-github']),
      environment: {
        ...github,
        ...botLogin,
        ...knowledgeRetention,
        MAX_WEBHOOK_BYTES: String(settings.maxWebhookBytes),
        WEBHOOK_SECRET_GRACE_MINUTES: String(settings.webhookSecretGraceMinutes),
        ...(settings.githubOwners.length > 0 ? { GITHUB_OWNERS: settings.githubOwners.join(',') } : {}),
      },
    })
      .useTables(tables)
      .useSecret('GITHUB_WEBHOOK_SECRET_ARN', webhookSecret)
      .useSecret(credentialKey, credentialSecret)
      .setEnv('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    grantTargets
      .name('the pipeline', stateMachine.stateMachineArn)
      // As grantExecution names them: `execution:<the state machine's name>:*`.
      .name(
        "the pipeline's executions",
        `${this.formatArn({ service: 'states', resource: 'execution', resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`,
      );
    stateMachine.grantStartExecution(ingest);
    // A redelivery of a stalled incident looks at its execution and re-drives it (shared/reconcile/redrive.ts).
    stateMachine.grantExecution(ingest, 'states:DescribeExecution');
    // `/guard approve|reject` resumes an execution waiting on its approval task token (shared/adapters/sfn.ts sends
    // these two; grantTaskResponse would add SendTaskHeartbeat, which nothing sends).
    ingest.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [stateMachine.stateMachineArn] }),
    );

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention });
    const api = new RestApi(this, 'WebhookApi', {
      restApiName: `${this.stackName}-webhooks`,
      description: 'Pipeline Guard: GitHub webhook receiver',
      endpointTypes: [EndpointType.REGIONAL],
      // Access and execution logging need the account-level API Gateway CloudWatch role. It is a per-region
      // account setting, so it is retained when the stack goes: other APIs may rely on it.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: 'v1',
        // Sized for an organization-wide install: GitHub sends several deliveries per workflow run (requested,
        // in_progress, completed, plus check runs and jobs), and a busy org's push storm reaches hundreds a second.
        // GitHub does not retry a 429, so the limit must sit above real traffic; it still bounds what a flood of
        // forged requests (rejected by the HMAC check, but still invocations) can cost, and 4xx/429 alarm below.
        throttlingRateLimit: WEBHOOK_RATE_LIMIT,
        throttlingBurstLimit: WEBHOOK_BURST_LIMIT,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
        // Errors only, never request data: webhook bodies are untrusted and can carry secrets from PR text.
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    this.api = api;
    const githubWebhook = api.root.addResource('webhooks').addResource('github');
    const webhookMethod = githubWebhook.addMethod('POST', new LambdaIntegration(ingest.function, { proxy: true, allowTestInvoke: false }));
    const githubAuth =
      'GitHub cannot send IAM, Cognito or token credentials with a webhook; each delivery is authenticated by its X-Hub-Signature-256 HMAC, verified in the ingest function on the raw body before anything is parsed or stored.';
    Validations.of(webhookMethod).acknowledge(
      { id: 'AwsSolutions-APIG4', reason: githubAuth },
      { id: 'AwsSolutions-COG4', reason: githubAuth },
    );

    // ---- Adaptive quality gate: CI calls it with SigV4-signed requests (IAM auth); see README "Quality gates".
    const { verifyDefaultBranch } = settings.gate;
    const evaluateGate = fn('EvaluateGate', {
      name: 'evaluate-gate',
      description: 'Judges a build\'s coverage and vulnerability counts against the rolling default-branch baseline',
      timeout: Duration.seconds(10),
      // Without it nobody may use the gate: the repository in a request is checked against the caller's identity.
      environment: {
        ...(settings.gateCallersJson ? { GATE_CALLERS: settings.gateCallersJson } : {}),
        ...(settings.gateRepositoriesJson ? { GATE_REPOSITORIES: settings.gateRepositoriesJson } : {}),
        DELTA_COVERAGE: String(settings.gate.deltaCoverage),
        DELTA_VULN_HIGH: String(settings.gate.deltaVulnHigh),
        DELTA_VULN_CRITICAL: String(settings.gate.deltaVulnCritical),
        BASELINE_RUNS: String(settings.gate.baselineRuns),
        GATE_VERIFY_DEFAULT_BRANCH: String(verifyDefaultBranch),
        // It only reads from GitHub (the compare API): the credential, but not the write budget's settings.
        ...(verifyDefaultBranch ? githubEndpoint : {}),
      },
    }).useTables(tables);
    if (verifyDefaultBranch) evaluateGate.useSecret(credentialKey, credentialSecret);
    const gateMethod = api.root
      .addResource('gates')
      .addResource('evaluate')
      .addMethod('POST', new LambdaIntegration(evaluateGate.function, { proxy: true, allowTestInvoke: false }), {
        authorizationType: AuthorizationType.IAM,
      });
    Validations.of(gateMethod).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Callers are CI jobs with AWS credentials (GitHub OIDC role), authorized by IAM (execute-api:Invoke on this method); there are no end users to put in a Cognito pool.',
    });
    Validations.of(api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason:
          'Validation happens in the ingest function, which must answer a missing signature with 401 and a bad body with 400/413 and a one-line reason; a gateway validator would answer 400 first and hide those.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason:
          'One POST route authenticated by HMAC and throttled at the stage; a WAF web ACL would add a fixed monthly cost without adding a check the signature does not already make. Attach one if your account policy requires it.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "The account-level API Gateway logging role needs exactly this AWS-maintained policy (logs:CreateLogGroup/PutLogEvents for API Gateway's own log groups); it is what enables the access and error logs.",
      },
    );

    // ---- Read API: incidents, metrics, experiments, knowledge (shared/api/read-api.ts). IAM-signed for the CLI and
    // automation on this API; with the dashboard, the same function again behind a Cognito authorizer.
    const dashboardSite = settings.dashboard
      ? new DashboardSite(this, 'DashboardSite', {
          domainPrefix: settings.dashboardDomainPrefix ?? defaultDashboardDomainPrefix(this.stackName, this.account),
          logRetention: retention,
        })
      : undefined;
    const readApi = fn('ReadApi', {
      name: 'read-api',
      description: 'Read API: incidents with their timelines, metrics, experiments and knowledge search',
      memorySize: 512,
      // API Gateway gives up after 29 s.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['read-api']),
      environment: dashboardSite ? { DASHBOARD_ORIGIN: dashboardSite.url } : {},
    })
      .useTables(tables);
    const readIntegration = new LambdaIntegration(readApi.function, { proxy: true, allowTestInvoke: false });
    const addReadRoutes = (target: RestApi, options: MethodOptions) => {
      const methods: Method[] = [];
      for (const route of READ_ROUTES) {
        const resource = target.root.resourceForPath(route);
        methods.push(resource.addMethod('GET', readIntegration, options));
      }
      return methods;
    };
    for (const method of addReadRoutes(api, { authorizationType: AuthorizationType.IAM })) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason: 'The CLI and automation sign requests with AWS credentials (IAM, execute-api:Invoke); people use the dashboard API, which has the Cognito authorizer.',
      });
    }
    if (dashboardSite) {
      const dashboardLogs = new LogGroup(this, 'DashboardApiAccessLogs', { retention });
      const dashboardApi = new RestApi(this, 'DashboardApi', {
        restApiName: `${this.stackName}-dashboard`,
        description: 'Pipeline Guard: read API for the dashboard (Cognito user pool authorizer)',
        endpointTypes: [EndpointType.REGIONAL],
        cloudWatchRole: false,
        defaultCorsPreflightOptions: { allowOrigins: [dashboardSite.url], allowMethods: ['GET', 'OPTIONS'], allowHeaders: ['Authorization'], maxAge: Duration.hours(1) },
        deployOptions: {
          stageName: 'v1',
          throttlingRateLimit: 50,
          throttlingBurstLimit: 100,
          accessLogDestination: new LogGroupLogDestination(dashboardLogs),
          accessLogFormat: AccessLogFormat.jsonWithStandardFields({
            caller: false, httpMethod: true, ip: true, protocol: true, requestTime: true, resourcePath: true, responseLength: true, status: true, user: true,
          }),
          loggingLevel: MethodLoggingLevel.ERROR,
          dataTraceEnabled: false,
          metricsEnabled: true,
          tracingEnabled: true,
        },
      });
      // The logging role is the account-level setting the webhook API created above.
      dashboardApi.node.addDependency(api);
      addReadRoutes(dashboardApi, dashboardSite.methodOptions);
      const preflight = 'CORS preflight (OPTIONS) cannot carry credentials by the browser\'s rules; it returns only the CORS headers, never data.';
      for (const method of dashboardApi.methods.filter((m) => m.httpMethod === 'OPTIONS')) {
        Validations.of(method).acknowledge({ id: 'AwsSolutions-APIG4', reason: preflight }, { id: 'AwsSolutions-COG4', reason: preflight });
      }
      Validations.of(dashboardApi).acknowledge(
        { id: 'AwsSolutions-APIG2', reason: 'Read-only GET routes; the read-api function validates every query parameter with zod and answers 400 with the reason.' },
        { id: 'AwsSolutions-APIG3', reason: 'Every data route needs a Cognito token and the stage is throttled; attach a WAF web ACL if your account policy requires it.' },
      );
      dashboardSite.publish(dashboardApi);
      this.dashboardSite = dashboardSite;
      this.dashboardApi = dashboardApi;
      new CfnOutput(this, 'DashboardApiUrl', { value: dashboardApi.url, description: 'Read API for the dashboard (Cognito ID token in Authorization)' });
    }

    // ---- Alarms → pipeline (ALARM) and → outcome recorder (OK).
    const eventsDlq = new Queue(this, 'EventsDeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(eventsDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the alarm rules and of record-outcome; an alarm on its depth pages the operator.',
    });
    // The outcome recorder: alarms returning to OK (EventBridge) and green runs that ingest hands over, both as
    // asynchronous invocations. Lambda keeps the event in its own queue, retries a failed one twice and a
    // throttled one until maxEventAge, then moves it to the dead-letter queue (which alarms). Chosen over an SQS
    // queue + consumer: the same durability and dead-lettering with no new queue to poll, and the SDK client is
    // the one the project already has; a recovery is idempotent, so at-least-once delivery is enough.
    const recordOutcome = fn('RecordOutcome', {
      name: 'record-outcome',
      description: 'Records recoveries on open incidents: a green run queued by ingest, or an alarm back to OK (time to recovery, PR comment)',
      // Up to 25 incidents per green run, each with a PR comment update through GitHub's retries.
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['record-outcome']),
      deadLetterQueue: eventsDlq,
      environment: { ...github, ...botLogin, ...knowledgeRetention },
    })
      .useTables(tables)
      // The PR comment of a resolved incident is updated.
      .useSecret(credentialKey, credentialSecret);
    recordOutcome.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6) });
    // A green run's recovery is done off the webhook request: ingest invokes record-outcome asynchronously.
    ingest.setEnv('RECOVERY_FUNCTION_NAME', recordOutcome.function.functionName);
    grantTargets.name('record-outcome', recordOutcome.function.functionArn);
    ingest.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [recordOutcome.function.functionArn] }));

    // This stack's alarms are named `<stack>-…` and kept out of the pipeline so a failing pipeline cannot feed itself.
    // Scope is a prefix OR a tag, applied by ingest-alarm as locally. The rule can only narrow to the prefix when
    // there is no tag scope: an alarm's tags are in its event only with tag propagation on, so with a tag scope
    // every alarm state change but our own goes to ingest-alarm, which reads the tags of those whose event has none.
    const ownAlarmPrefix = `${this.stackName}-`;
    const tagScope = settings.alarmScopeTag !== NO_SCOPE_TAG;
    const alarmNameFilter = tagScope ? Match.anythingButPrefix(ownAlarmPrefix) : Match.anyOf(...settings.alarmNamePrefixes.map((prefix) => Match.prefix(prefix)));
    const alarmStateRule = (id: string, state: 'ALARM' | 'OK', description: string) =>
      new Rule(this, id, {
        description,
        eventPattern: {
          source: ['aws.cloudwatch'],
          detailType: ['CloudWatch Alarm State Change'],
          detail: { state: { value: [state] }, alarmName: alarmNameFilter },
        },
      });
    // A delivery that fails this long is stale as an incident; after that it waits in the DLQ, which alarms.
    const delivery = { deadLetterQueue: eventsDlq, retryAttempts: 20, maxEventAge: Duration.hours(2) };
    // Alarms enter through code, as locally: a Step Functions target cannot name executions, so a redelivered
    // ALARM would start a second pipeline. ingest-alarm names the execution after the alarm ARN and state change time.
    const ingestAlarm = fn('IngestAlarm', {
      name: 'ingest-alarm',
      description: 'Records an alarm entering ALARM and starts one pipeline execution named after the state change',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS['ingest-alarm']),
      deadLetterQueue: eventsDlq,
      // The scope is applied in code (the same in both runtimes): a prefix or the opt-in tag; autoscaling, muted
      // and suppressed alarms are left alone.
      environment: {
        RECONCILE_MAX_ATTEMPTS: '3',
        ALARM_SCOPE_TAG: settings.alarmScopeTag,
        ALARM_INCLUDE_AUTOSCALING: String(settings.alarmIncludeAutoscaling),
        ...(settings.alarmNamePrefixes.length > 0 ? { ALARM_NAME_PREFIXES: settings.alarmNamePrefixes.join(',') } : {}),
      },
    })
      .useTables(tables)
      .setEnv('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(ingestAlarm);
    stateMachine.grantExecution(ingestAlarm, 'states:DescribeExecution');
    if (tagScope) {
      // Read-only, alarms of this account and region; alarm names are the operator's, so they cannot be listed ahead.
      const alarmsOfAccount = `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*`;
      grantTargets.name("this account's alarms", alarmsOfAccount);
      ingestAlarm.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['cloudwatch:ListTagsForResource'], resources: [alarmsOfAccount] }));
      Validations.of(ingestAlarm).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:*]',
        reason: 'ListTagsForResource (read-only) on the alarms of this account and region: any alarm may carry the opt-in tag.',
      });
    }
    alarmStateRule('AlarmRaisedRule', 'ALARM', 'Pipeline Guard: a CloudWatch alarm went to ALARM; start the incident pipeline').addTarget(
      new LambdaFunction(ingestAlarm.function, delivery),
    );
    alarmStateRule('AlarmRecoveredRule', 'OK', 'Pipeline Guard: a CloudWatch alarm returned to OK; record the recovery').addTarget(
      new LambdaFunction(recordOutcome.function, delivery),
    );

    // ---- Reconciler: re-drives unfinished incidents whose execution is not running (a throttled StartExecution,
    // an ingest that timed out after the durable write, a failed execution). GitHub never redelivers on its own.
    // It also sends the digests of escalation windows that have ended (shared/reconcile/digests.ts): it publishes to
    // the escalation topic like notify, and deletes the due entries it has dealt with. And it reads the 👍/👎 on the
    // guard's comments of experiment units that became final since the guard last read them
    // (shared/reconcile/late-reactions.ts): the votes move the experiment's and the repository's counters as a
    // vote by command does. And it posts the recovery comments a spent write budget refused (shared/reconcile/recovery-comments.ts).
    // And it resumes the executions whose /guard decision was recorded but whose handler died before resuming them
    // (shared/reconcile/approval-resumes.ts).
    const reconciler = fn('Reconcile', {
      name: 'reconcile',
      description: 'Re-drives unfinished incidents; resumes /guard decisions left unresumed; sends digests of ended escalation windows; reads late reactions; finishes vote changes a crash left pending; posts deferred recovery comments (bounded per run)',
      timeout: Duration.seconds(FUNCTION_TIMEOUT_SECONDS.reconcile),
      environment: {
        RECONCILE_AFTER_MINUTES: '10',
        RECONCILE_MAX_PER_RUN: '25',
        RECONCILE_MAX_ATTEMPTS: '3',
        RECONCILE_LOOKBACK_HOURS: '48',
        RECONCILE_MAX_DIGESTS_PER_RUN: '25',
        RECONCILE_MAX_REACTION_READS_PER_RUN: '10',
        RECONCILE_MAX_REACTION_CALLS_PER_RUN: '50',
        RECONCILE_MAX_PENDING_VOTES_PER_RUN: '25',
        RUNBOOK_NOT_ENDED_MINUTES: String(settings.runbookNotEndedMinutes),
        // A run it followed to a success is checked as remediate checks its own (session 43).
        RUNBOOK_VERIFY_MINUTES: String(settings.runbookVerifyMinutes),
        // The holder's start it makes again is the one remediate made: the same allow-list, in this account only.
        DEPLOYMENT_ACCOUNT_ID: this.account,
        ...(settings.runbooks ? { RUNBOOKS_JSON: settings.runbooks.json } : {}),
        ESCALATION_TOPIC_ARN: topic.topicArn,
        // Its pages about incidents the pipeline could not finish are grouped by the policy's escalation rules.
        ...(settings.policyJson ? { POLICY_JSON: settings.policyJson } : {}),
        // It reads from GitHub (reactions, permissions) and posts the recovery comments the write budget refused
        // (shared/reconcile/recovery-comments.ts): the budget's settings too, shared with every other writer.
        ...github,
        ...botLogin,
        ...knowledgeRetention,
      },
    })
      .useTables(tables)
      .useSecret(credentialKey, credentialSecret)
      .setEnv('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    grantPublish(reconciler);
    useChatWebhook(reconciler);
    stateMachine.grantStartExecution(reconciler);
    stateMachine.grantExecution(reconciler, 'states:DescribeExecution');
    // Resuming a recorded /guard decision: the same two task responses as ingest, on this state machine only.
    reconciler.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'], resources: [stateMachine.stateMachineArn] }),
    );
    // The runbook run of a holder whose step ended without its outcome, followed by its runbook check (session 42,
    // attack-44b R5): its status, as remediate reads it; and the holder's start made again with its client token when
    // its execution id was never written, which answers the run its step started (attack-45b B9, session 43).
    if (settings.runbooks && settings.runbooks.documents.length > 0) grantRunbookRuns(reconciler, settings.runbooks.documents);
    // grantExecution scopes DescribeExecution to this state machine's executions (`execution:<name>:*`); the name
    // is only known at deploy time, so cdk-nag sees a wildcard.
    const smLogicalId = this.resolve(this.getLogicalId(stateMachine.node.defaultChild as CfnStateMachine)) as string;
    const executionsWildcard = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${smLogicalId}"}]}]}:*]`;
    for (const grantee of [ingest, reconciler, ingestAlarm]) {
      Validations.of(grantee).acknowledge({
        id: executionsWildcard,
        reason: 'DescribeExecution on the executions of this one state machine; execution names are per incident and attempt, so they cannot be listed ahead.',
      });
    }
    new Rule(this, 'ReconcileSchedule', {
      description: 'Pipeline Guard: re-drive unfinished incidents every 5 minutes',
      schedule: Schedule.rate(Duration.minutes(5)),
    }).addTarget(new LambdaFunction(reconciler.function, { retryAttempts: 2, maxEventAge: Duration.minutes(10) }));

    // ---- Operational alarms → the escalation topic (the one on pages that failed: the page-failure topic).
    const alarm = (id: string, name: string, metric: IMetric, description: string, evaluationPeriods = 1, to: Topic = topic) => {
      const created = new Alarm(this, id, {
        alarmName: `${ownAlarmPrefix}${name}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(to));
      return created;
    };
    const fiveMinutes = { period: Duration.minutes(5), statistic: 'Sum' };
    alarm(
      'FailedExecutionsAlarm',
      'pipeline-failed-executions',
      stateMachine.metricFailed(fiveMinutes),
      'An incident pipeline execution failed even after its fallback path: an incident may be unrecorded or un-notified.',
    );
    alarm(
      'WebhookServerErrorsAlarm',
      'webhook-5xx',
      api.metricServerError(fiveMinutes),
      'The webhook API answered 5xx: GitHub deliveries are failing (GitHub shows them under Recent Deliveries for redelivery).',
    );
    // 429s (throttled) and other 4xx (bad signatures, rejected payloads) are deliveries GitHub will not retry:
    // a sustained rate means lost failures or a misconfigured webhook secret.
    const webhook4xx = alarm(
      'WebhookClientErrorsAlarm',
      'webhook-4xx',
      api.metricClientError(fiveMinutes),
      'The webhook API answered 4xx (throttled 429, bad signature 401, rejected payload): GitHub does not retry these deliveries.',
    );
    (webhook4xx.node.defaultChild as CfnAlarm).threshold = 25;
    alarm(
      'EventsDeadLetterAlarm',
      'events-dead-letters',
      eventsDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      'Alarm events, or green-run recoveries queued by ingest, could not be delivered to the pipeline or the outcome recorder; they wait in the dead-letter queue.',
    );

    // The reconciler is what finds incidents whose execution never started or failed; one that keeps failing leaves
    // them un-notified with nothing else to say so. A run that left work undone fails (functions/reconcile), and the
    // next run retries it, so only failures in three runs in a row page: then a human must act.
    alarm(
      'ReconcilerErrorsAlarm',
      'reconciler-errors',
      reconciler.function.metricErrors(fiveMinutes),
      'The reconciler failed in every run for 15 minutes: unfinished incidents are not re-driven and digests are not sent (see the reconcile function\'s log).',
      3,
    );
    // An incident the reconciler gave up, whose page failed too, fails one run and is listed no more: short of the
    // alarm above, nobody would hear of it. Its own topic: the page that failed went to the escalation topic.
    alarm(
      'ReconcilerGaveUpUnpagedAlarm',
      'reconciler-gave-up-unpaged',
      new Metric({ namespace: METRICS_NAMESPACE, metricName: RECONCILER_METRIC.givenUpUnpaged, dimensionsMap: { service: metricsService }, ...fiveMinutes }),
      'The reconciler gave an incident up and its page failed too: nobody was paged about it, and nothing tries it again. The dashboard lists it as needing a person; see the reconcile function\'s log, and check the escalation topic, its key and its subscriptions.',
      1,
      pageFailureTopic,
    );

    this.operationsDashboard = new OperationsDashboard(this, 'Operations', { stateMachine, service: metricsService });

    // ---- Outputs.
    const output = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    output('WebhookUrl', api.urlForPath('/webhooks/github'), 'Payload URL for the GitHub webhook (content type application/json)');
    output('GateUrl', api.urlForPath('/gates/evaluate'), 'Quality gate endpoint (POST, IAM-signed); grant callers execute-api:Invoke on it');
    output('GateInvokeArn', api.arnForExecuteApi('POST', '/gates/evaluate', 'v1'), 'Resource for the execute-api:Invoke permission of CI roles that call the gate');
    output('ApiUrl', api.url, 'Read API for the CLI (GUARD_API_URL; SigV4-signed, grant execute-api:Invoke on GET routes)');
    output('OperationsDashboardName', this.operationsDashboard.dashboard.dashboardName, 'CloudWatch dashboard of the business metrics');
    output('StateMachineArn', stateMachine.stateMachineArn, 'Incident pipeline state machine');
    output('EscalationTopicArn', topic.topicArn, 'SNS topic for escalations; subscribe more endpoints here');
    output('PageFailureTopicArn', pageFailureTopic.topicArn, 'SNS topic of the alarm on an incident given up whose page failed; subscribe endpoints apart from the escalation topic\'s here');
    output('GitHubWebhookSecretArn', webhookSecret.secretArn, 'Generated webhook secret: read it and paste it into the GitHub webhook');
    if (settings.githubAppId) {
      output('GitHubAppPrivateKeySecretArn', credentialSecret.secretArn, 'Empty until you put the GitHub App private key (.pem) into it');
    } else {
      output('GitHubTokenSecretArn', credentialSecret.secretArn, 'Empty until you put a GitHub token into it');
    }
    if (llmKeySecret) output('LlmApiKeySecretArn', llmKeySecret.secretArn, 'Empty until you put the OpenAI-compatible endpoint\'s key into it');
    if (chatWebhookSecret) output('ChatWebhookUrlSecretArn', chatWebhookSecret.secretArn, 'Empty until you put the incoming webhook URL into it');
    for (const table of Object.values(tables)) {
      output(`${pascal(table.definition.logicalName)}TableName`, table.tableName, `DynamoDB table ${table.definition.logicalName}`);
    }
    output('EventsDeadLetterQueueUrl', eventsDlq.queueUrl, 'Alarm events and green-run recoveries that could not be delivered');

    const functions = {
      'ingest-github': ingest,
      classify,
      'knowledge-lookup': knowledgeLookup,
      analyze,
      remediate,
      notify,
      'record-outcome': recordOutcome,
      'evaluate-gate': evaluateGate,
      reconcile: reconciler,
      'ingest-alarm': ingestAlarm,
      'read-api': readApi,
    };
    // Every function that writes to the incidents table (an incident, a vote, a record kept beside one) dates its
    // expiry by it; the read API only reads.
    for (const [name, guardFunction] of Object.entries(functions) as Array<[keyof typeof functions, GuardFunction]>) {
      const access = FUNCTION_TABLE_ACCESS[name].incidents;
      if (access && access !== 'read') guardFunction.setEnv('INCIDENT_TTL_DAYS', String(settings.incidentTtlDays));
    }
    this.functions = functions;
  }

  /**
   * Slack and Microsoft Teams through Amazon Q Developer in chat applications (AWS Chatbot), subscribed to the
   * escalation topic. Notify publishes each escalation per protocol: e-mail gets text, Chatbot the custom
   * notification JSON. The channel role has no permissions and the guardrail denies everything: the channels
   * receive notifications and nobody can run AWS commands from chat through them.
   */
  /**
   * A topic this account's CloudWatch alarms in this region may publish to (and only they, of AWS services: the
   * confused-deputy conditions), encrypted with a customer-managed key of its own, because alarms cannot publish to a
   * topic encrypted with the AWS-managed aws/sns key (its key policy cannot name cloudwatch.amazonaws.com). TLS only.
   */
  private alarmPublishableTopic(id: string, options: { displayName: string; keyDescription: string }): { topic: Topic; key: Key } {
    const key = new Key(this, `${id}Key`, { description: options.keyDescription, enableKeyRotation: true });
    const fromOwnAlarms = {
      StringEquals: { 'aws:SourceAccount': this.account },
      ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
    };
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromOwnAlarms,
      }),
    );
    const topic = new Topic(this, id, { displayName: options.displayName, masterKey: key, enforceSSL: true });
    // enforceSSL creates the topic policy with only its TLS deny: without this allow, the stack's own alarms could
    // not publish and would page nobody.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowOwnCloudWatchAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromOwnAlarms,
      }),
    );
    return { topic, key };
  }

  private addChatChannels(chat: NonNullable<GuardSettings['chat']>, topic: Topic): void {
    const role = new Role(this, 'ChatChannelRole', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description: 'Pipeline Guard chat channels: notifications only, no permissions',
    });
    const guardrail = new ManagedPolicy(this, 'ChatNoActionsGuardrail', {
      description: 'Pipeline Guard chat channels may not act on AWS',
      statements: [new PolicyStatement({ effect: Effect.DENY, actions: ['*'], resources: ['*'] })],
    });
    if (chat.slack) {
      new SlackChannelConfiguration(this, 'SlackChannel', {
        slackChannelConfigurationName: `${this.stackName}-escalations`.slice(0, 128),
        slackWorkspaceId: chat.slack.workspaceId,
        slackChannelId: chat.slack.channelId,
        notificationTopics: [topic],
        role,
        guardrailPolicies: [guardrail],
        loggingLevel: LoggingLevel.ERROR,
      });
    }
    if (chat.teams) {
      new CfnMicrosoftTeamsChannelConfiguration(this, 'TeamsChannel', {
        configurationName: `${this.stackName}-escalations`.slice(0, 128),
        teamId: chat.teams.teamId,
        teamsChannelId: teamsChannelIdForCloudFormation(chat.teams.channelId),
        teamsTenantId: chat.teams.tenantId,
        iamRoleArn: role.roleArn,
        snsTopicArns: [topic.topicArn],
        guardrailPolicies: [guardrail.managedPolicyArn],
        loggingLevel: 'ERROR',
      });
    }
  }
}

function pascal(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, _dash: string, letter: string) => letter.toUpperCase());
}
