import { dirname, join } from 'node:path';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { createOutbox } from '../adapters/outbox.js';
import { createSfnStarter } from '../adapters/sfn.js';
import { createSnsPublisher } from '../adapters/sns.js';
import { createBedrockAnalyzer, createOfflineAnalyzer } from '../analysis/index.js';
import { type Config, requireConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { createGitHubClient } from '../github/client.js';
import { createRecordedGitHub } from '../github/recorded.js';
import type { Analyzer, EscalationPublisher, GitHubPort, WorkflowStarter } from '../ports.js';
import type { StepDeps, StepLogger } from '../steps/deps.js';
import { createDocumentClient } from '../stores/dynamo.js';
import { createIncidentStore } from '../stores/incident-store.js';

/**
 * The composition root. Every adapter is chosen here from configuration: AWS services by default, the
 * embedded local parts when the local runtime sets their endpoints/paths. Handlers call this once at cold start.
 */

async function secretValue(config: Config, plain: 'GITHUB_TOKEN' | 'GITHUB_WEBHOOK_SECRET', arnKey: 'GITHUB_TOKEN_SECRET_ARN' | 'GITHUB_WEBHOOK_SECRET_ARN') {
  if (config[plain]) return config[plain];
  const arn = config[arnKey];
  if (!arn) return undefined;
  let value: unknown;
  try {
    value = await getSecret(arn, { maxAge: 300 });
  } catch (error) {
    // A secret created without a value has no AWSCURRENT version yet: say what to do, not just what failed.
    throw new ConfigError(
      `secret ${arnKey} has no value yet (${error instanceof Error ? error.name : 'error'}): put the value into the secret (see README, "Deploying")`,
    );
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`secret ${arnKey} is empty: put the value into the secret (see README, "Deploying")`);
  }
  return value.trim();
}

export async function createGitHub(config: Config): Promise<GitHubPort | null> {
  const token = await secretValue(config, 'GITHUB_TOKEN', 'GITHUB_TOKEN_SECRET_ARN');
  if (token) {
    return createGitHubClient({
      token,
      baseUrl: config.GITHUB_API_URL,
      maxLogBytes: config.MAX_LOG_BYTES,
      retries: config.GITHUB_RETRIES,
      writeIntervalMs: config.GITHUB_WRITE_INTERVAL_MS,
      ...(config.GITHUB_BOT_LOGIN ? { botLogin: config.GITHUB_BOT_LOGIN } : {}),
    });
  }
  if (config.RECORDED_RUNS_FILE && config.OUTBOX_PATH) {
    return createRecordedGitHub({
      manifestPath: config.RECORDED_RUNS_FILE,
      commentsPath: join(dirname(config.OUTBOX_PATH), 'github-comments.json'),
      outbox: createOutbox(config.OUTBOX_PATH, { echo: (line) => console.log(line) }),
    });
  }
  return null;
}

export function createWebhookSecret(config: Config): Promise<string | undefined> {
  return secretValue(config, 'GITHUB_WEBHOOK_SECRET', 'GITHUB_WEBHOOK_SECRET_ARN');
}

export function createEscalations(config: Config): EscalationPublisher {
  if (config.ESCALATION_TOPIC_ARN) {
    return createSnsPublisher(new SNSClient({ region: config.AWS_REGION }), config.ESCALATION_TOPIC_ARN);
  }
  if (config.OUTBOX_PATH) return createOutbox(config.OUTBOX_PATH, { echo: (line) => console.log(line) }).publisher;
  throw new ConfigError('missing environment variable ESCALATION_TOPIC_ARN');
}

export function createWorkflowStarter(config: Config): WorkflowStarter {
  const { STATE_MACHINE_ARN } = requireConfig(config, 'STATE_MACHINE_ARN');
  const client = new SFNClient({ region: config.AWS_REGION, ...(config.SFN_ENDPOINT ? { endpoint: config.SFN_ENDPOINT } : {}) });
  return createSfnStarter(client, STATE_MACHINE_ARN);
}

export function createAnalyzers(config: Config): { analyzer: Analyzer; fallbackAnalyzer: Analyzer } {
  const offline = createOfflineAnalyzer();
  const wantsBedrock = config.ANALYZER === 'bedrock' || (config.ANALYZER === undefined && config.BEDROCK_MODEL_ID);
  if (!wantsBedrock) return { analyzer: offline, fallbackAnalyzer: offline };
  const { BEDROCK_MODEL_ID } = requireConfig(config, 'BEDROCK_MODEL_ID');
  const bedrock = createBedrockAnalyzer({
    // The state machine's Retry owns backoff; one SDK retry covers a dropped connection without stacking delays.
    client: new BedrockRuntimeClient({ region: config.BEDROCK_REGION ?? config.AWS_REGION, maxAttempts: 2 }),
    modelId: BEDROCK_MODEL_ID,
    maxTokens: config.LLM_MAX_TOKENS,
    temperature: config.LLM_TEMPERATURE,
    ...(config.BEDROCK_GUARDRAIL_ID ? { guardrail: { id: config.BEDROCK_GUARDRAIL_ID, version: config.BEDROCK_GUARDRAIL_VERSION } } : {}),
  });
  return { analyzer: bedrock, fallbackAnalyzer: offline };
}

export function createIncidents(config: Config, clock: () => Date = () => new Date()) {
  const client = createDocumentClient({
    region: config.AWS_REGION,
    ...(config.DYNAMODB_ENDPOINT ? { endpoint: config.DYNAMODB_ENDPOINT } : {}),
  });
  return createIncidentStore({ client, tableName: config.INCIDENTS_TABLE, ttlDays: config.INCIDENT_TTL_DAYS, clock });
}

/** Stands in for the publisher in functions that are not given a topic; using it is a wiring bug. */
const noEscalations: EscalationPublisher = {
  publish() {
    return Promise.reject(new ConfigError('missing environment variable ESCALATION_TOPIC_ARN'));
  },
};

/**
 * Dependencies of the pipeline steps. Only the notify function publishes escalations, so only it requires the
 * topic (and fails at cold start without it); the others are not granted it.
 */
export async function createStepDeps(
  config: Config,
  logger: StepLogger,
  options: { publishesEscalations?: boolean } = {},
): Promise<StepDeps> {
  const clock = () => new Date();
  return {
    config,
    incidents: createIncidents(config, clock),
    github: await createGitHub(config),
    ...createAnalyzers(config),
    escalations: options.publishesEscalations ? createEscalations(config) : noEscalations,
    clock,
    logger,
  };
}
