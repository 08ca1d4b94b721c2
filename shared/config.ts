import { z } from 'zod';
import { ConfigError } from './errors.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * Every environment variable Pipeline Guard reads, in one place. Values are validated once at cold start;
 * a function that needs an optional one asks for it with {@link requireConfig} so the error names it.
 */
const configSchema = z.object({
  INCIDENTS_TABLE: z.string().min(1).default('incidents'),
  BASELINES_TABLE: z.string().min(1).default('baselines'),
  EXPERIMENTS_TABLE: z.string().min(1).default('experiments'),
  /** Local runtime only: the embedded DynamoDB-compatible server. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default('us-east-1'),

  STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Local runtime only: the embedded Step Functions endpoint that runs the same ASL in-process. */
  SFN_ENDPOINT: z.url().optional(),
  ESCALATION_TOPIC_ARN: z.string().min(1).optional(),
  /** Local runtime only: notifications are appended here instead of published to SNS. */
  OUTBOX_PATH: z.string().min(1).optional(),

  GITHUB_API_URL: z.url().default('https://api.github.com'),
  GITHUB_TOKEN: z.string().min(1).optional(),
  GITHUB_TOKEN_SECRET_ARN: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET_ARN: z.string().min(1).optional(),
  /** Retries per GitHub request inside one step; the state machine's Retry adds backoff across attempts. */
  GITHUB_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  /** Minimum spacing of GitHub writes from one process (GitHub asks for about 1 s between content writes). */
  GITHUB_WRITE_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  /** The login the bot comments as; discovered with `GET /user` when unset. */
  GITHUB_BOT_LOGIN: z.string().min(1).optional(),
  /** Local runtime without a token: manifest of recorded runs whose job logs replace the API (events/recorded-runs.json). */
  RECORDED_RUNS_FILE: z.string().min(1).optional(),

  ANALYZER: z.enum(['offline', 'bedrock']).optional(),
  BEDROCK_MODEL_ID: z.string().min(1).optional(),
  BEDROCK_REGION: z.string().min(1).optional(),
  /** Optional Bedrock Guardrail applied to every analysis call. */
  BEDROCK_GUARDRAIL_ID: z.string().min(1).optional(),
  BEDROCK_GUARDRAIL_VERSION: z.string().min(1).default('DRAFT'),
  LLM_MAX_TOKENS: positiveInt(1024),
  LLM_TEMPERATURE: z.coerce.number().min(0).max(1).default(0),

  /** Webhook bodies larger than this are refused with 413 (GitHub caps payloads at 25 MB; ours are ~30 KB). */
  MAX_WEBHOOK_BYTES: positiveInt(1_048_576),
  /** Bytes of one job log read before the rest is skipped; the analyzer streams, so this bounds time, not memory. */
  MAX_LOG_BYTES: positiveInt(200 * 1024 * 1024),
  /** Automatic re-runs per workflow run (all attempts together). */
  AUTO_RERUN_MAX: z.coerce.number().int().min(0).default(1),
  /** Minimum analysis confidence before an automatic re-run. */
  RERUN_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.6),
  DRY_RUN: booleanFlag,
  INCIDENT_TTL_DAYS: positiveInt(400),
});

export type Config = z.infer<typeof configSchema>;

/** Parses the environment once. Throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join('.') ?? 'unknown';
    throw new ConfigError(`invalid environment variable ${name}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Narrows optional settings a particular function cannot run without, failing with the variable's name. */
export function requireConfig<K extends keyof Config>(
  config: Config,
  ...keys: K[]
): Config & { [P in K]-?: NonNullable<Config[P]> } {
  for (const key of keys) {
    const value = config[key];
    if (value === undefined || value === '') throw new ConfigError(`missing environment variable ${String(key)}`);
  }
  return config as Config & { [P in K]-?: NonNullable<Config[P]> };
}
