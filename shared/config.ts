import { gateCallersSchema } from './baselines/gate-access.js';
import { MAX_BASELINE_RUNS } from './baselines/gate.js';
import { repositoryKey } from './domain/repository-key.js';
import * as z from './zod.js';
import { DEFAULT_INPUT_TOKEN_BUDGET, MIN_INPUT_TOKEN_BUDGET } from './analysis/prompt-versions.js';
import { type PriceOverrides, parsePriceOverrides } from './analysis/pricing.js';
import { ConfigError } from './errors.js';
import { DEFAULT_METRICS_SERVICE } from './adapters/metric-names.js';

const booleanFlag = z.pipe(z.optional(z.enum(['true', 'false', '1', '0', 'yes', 'no'])), z.transform((value) => value === 'true' || value === '1' || value === 'yes'));

/** A flag that is on unless set to a false value: for safeguards, which must be turned off on purpose. */
const onUnlessFalse = z.pipe(z.optional(z.enum(['true', 'false', '1', '0', 'yes', 'no'])), z.transform((value) => value !== 'false' && value !== '0' && value !== 'no'));

const positiveInt = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.positive()), fallback);
/** An integer setting from `min` to `max`, `fallback` when unset: one helper, as each spelt out took ~50 bytes of every bundle. */
const boundedInt = (min: number, max: number, fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(min), z.lte(max)), fallback);
/** A text setting that may be unset, never empty. */
const optionalText = z.optional(z.string().check(z.minLength(1)));

/** A GitHub organization or user name (Enterprise Managed Users add `_shortcode`). */
export const GITHUB_ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The settings that name a Secrets Manager secret: the functions read it, the stack grants and sets it. */
export type SecretArnKey =
  | 'GITHUB_TOKEN_SECRET_ARN'
  | 'GITHUB_WEBHOOK_SECRET_ARN'
  | 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN'
  | 'LLM_API_KEY_SECRET_ARN'
  | 'CHAT_WEBHOOK_URL_SECRET_ARN';

/** Incoming-webhook dialects: Slack and Mattermost take `{ text }` Markdown; Teams (Workflows) an Adaptive Card. */
export const CHAT_WEBHOOK_FORMATS = ['slack', 'mattermost', 'teams'] as const;
export type ChatWebhookFormat = (typeof CHAT_WEBHOOK_FORMATS)[number];

/**
 * A chat incoming-webhook URL: https, or http on loopback (the local runtime's test servers). One rule for the
 * setting and for the value read from its secret in AWS.
 */
export const chatWebhookUrlSchema = z
  .url()
  .check(z.refine((url) => url.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url), 'must be https (or http on loopback)'));

/**
 * An AWS Region code (`us-east-1`, `us-gov-west-1`, `ap-southeast-5`, the European Sovereign Cloud's `eusc-de-east-1`):
 * the first part is not always two letters. `cdk synth` checks the `bedrockRegion` context value with it and
 * {@link loadConfig} the BEDROCK_REGION it becomes, so a value set by hand on a function is refused as synth refuses it.
 */
export const awsRegionCode = z.string().check(z.regex(/^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/, 'must be an AWS Region code (e.g. us-east-1)'));

/** A GitHub login: a user's, or an App's `<slug>[bot]`. Synth's `githubBotLogin` and the runtime's GITHUB_BOT_LOGIN. */
export const githubLogin = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(\[bot\])?$/, "must be a GitHub login (a user's, or an App's <slug>[bot])"));

/** A comma-separated list of at most `maxChars`, items trimmed, empty items dropped; unset is an empty list. */
const commaList = (maxChars: number) =>
  z.pipe(
    z.optional(z.string().check(z.maxLength(maxChars))),
    z.transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter((item) => item.length > 0)),
  );

/** Gate settings of one repository; anything omitted falls back to the global DELTA_* values. */
export const gateRepositoriesSchema = z
  .record(
    z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, 'keys must be owner/repo')),
    z.strictObject({
      defaultBranch: z.optional(z.string().check(z.minLength(1), z.maxLength(255))),
      DELTA_COVERAGE: z.optional(z.number().check(z.positive())),
      DELTA_VULN_HIGH: z.optional(z.number().check(z.positive())),
      DELTA_VULN_CRITICAL: z.optional(z.number().check(z.positive())),
    }),
  )
  .check(
    // Names are case-insensitive: two spellings of one repository would leave which settings apply to chance.
    z.refine((settings) => new Set(Object.keys(settings).map(repositoryKey)).size === Object.keys(settings).length, 'keys must name each repository once (owner/repo is case-insensitive)'),
  );

/**
 * Every environment variable Pipeline Guard reads, in one place. Values are validated once at cold start;
 * a function that needs an optional one asks for it with {@link requireConfig} so the error names it.
 */
/** A setting holding a JSON document checked by `schema`; unset means an empty document. */
function jsonSetting<T extends z.ZodMiniType<Record<string, unknown>>>(schema: T) {
  return z.pipe(
    z.optional(z.string().check(z.maxLength(20_000))),
    z.transform((text, ctx): z.infer<T> => {
      if (!text) return {} as z.infer<T>;
      try {
        const parsed = schema.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
        ctx.issues.push({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'invalid', input: text });
      } catch {
        ctx.issues.push({ code: 'custom', message: 'not valid JSON', input: text });
      }
      return z.NEVER;
    }),
  );
}

const configSchema = z.object({
  INCIDENTS_TABLE: z._default(z.string().check(z.minLength(1)), 'incidents'),
  BASELINES_TABLE: z._default(z.string().check(z.minLength(1)), 'baselines'),
  EXPERIMENTS_TABLE: z._default(z.string().check(z.minLength(1)), 'experiments'),
  /** Local runtime only: the embedded DynamoDB-compatible server. */
  DYNAMODB_ENDPOINT: z.optional(z.url()),
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  /**
   * The AWS account this deployment runs in (the stack sets it; the local runtime defaults it to the example account
   * of events/cloudwatch). Runbooks start only for alarms of this account and AWS_REGION; unset, for none.
   */
  DEPLOYMENT_ACCOUNT_ID: z.optional(z.string().check(z.regex(/^\d{12}$/, 'must be a 12-digit AWS account id'))),

  STATE_MACHINE_ARN: optionalText,
  /** AWS: the outcome recorder ingest invokes asynchronously with a green run's recovery work (locally: a store queue). */
  RECOVERY_FUNCTION_NAME: z.optional(z.string().check(z.minLength(1), z.maxLength(170))),
  /** Reconciler: incidents neither notified nor resolved and untouched this long, whose execution is not running, are re-driven. */
  RECONCILE_AFTER_MINUTES: boundedInt(1, 1440, 10),
  /** Reconciler: re-drives per run (the rest wait for the next run). */
  RECONCILE_MAX_PER_RUN: boundedInt(1, 1000, 25),
  /** Reconciler: re-drives per incident; after that the failed-executions alarm is the last word. */
  RECONCILE_MAX_ATTEMPTS: boundedInt(0, 20, 3),
  /** Reconciler: digests of ended escalation windows sent per run (the rest wait for the next run). */
  RECONCILE_MAX_DIGESTS_PER_RUN: boundedInt(1, 1000, 25),
  /**
   * Reconciler: incidents whose 👍/👎 it reads per run once their experiment unit is final (nothing read them after
   * it), and the GitHub calls those reads may make in a run (each page of a list one); the rest wait for the next run. 0 reads none.
   */
  RECONCILE_MAX_REACTION_READS_PER_RUN: boundedInt(0, 1000, 10),
  RECONCILE_MAX_REACTION_CALLS_PER_RUN: boundedInt(1, 5000, 50),
  /**
   * Reconciler: vote changes a crash left between the vote and its counters that it finishes per run, once recorded
   * RECONCILE_AFTER_MINUTES ago; the rest wait for the next run. 0 finishes none.
   */
  RECONCILE_MAX_PENDING_VOTES_PER_RUN: boundedInt(0, 1000, 25),
  /**
   * Reconciler: how far back it looks for unfinished incidents, escalation windows that ended and reactions due. At
   * least 25: an alarm up to 24 hours old may lead a group (OLDEST_LEAD_HOURS in shared/notify/page-claims.ts), whose
   * digest falls due when the group ends and must still be in reach.
   */
  RECONCILE_LOOKBACK_HOURS: boundedInt(25, 24 * 14, 48),
  /** Local runtime only: seconds between reconciler runs (AWS: the EventBridge schedule, every 5 minutes). */
  RECONCILE_INTERVAL_SECONDS: boundedInt(1, 86_400, 60),
  /** Local runtime only: the embedded Step Functions endpoint that runs the same ASL in-process. */
  SFN_ENDPOINT: z.optional(z.url()),
  ESCALATION_TOPIC_ARN: optionalText,
  /** Local runtime only: EMF metric records are appended here (served as Prometheus text) instead of written to stdout. */
  METRICS_EMF_PATH: optionalText,
  /**
   * The `service` of every log line and the `service` dimension of every metric. The stack sets it per stack name, so
   * a staging stack's metrics stay off the production stack's CloudWatch dashboard in the same account.
   */
  POWERTOOLS_SERVICE_NAME: z._default(z.string().check(z.minLength(1), z.maxLength(250)), DEFAULT_METRICS_SERVICE),
  /**
   * Alarm scope (opt-in): alarms whose name starts with one of these comma-separated prefixes start the pipeline,
   * as do alarms carrying ALARM_SCOPE_TAG; every other alarm is ignored.
   */
  ALARM_NAME_PREFIXES: commaList(2000),
  /**
   * `key=value` (or `key` for any value): an alarm with this tag is in scope — the event's `alarmTags` (tag
   * propagation on), else its tags read from CloudWatch (AWS). `none`: no tag scope, only the prefixes.
   */
  ALARM_SCOPE_TAG: z._default(z.string().check(z.minLength(1), z.maxLength(400), z.regex(/^[^=]+(=.*)?$/)), 'pipeline-guard=enabled'),
  /** Target-tracking autoscaling alarms flip all day by design; they are ignored unless this is true. */
  ALARM_INCLUDE_AUTOSCALING: booleanFlag,
  /** An incoming webhook (Slack, Mattermost, Teams Workflows) that gets every escalation beside SNS/the outbox. */
  CHAT_WEBHOOK_URL: z.optional(chatWebhookUrlSchema),
  /** AWS: the Secrets Manager secret holding that URL (it is a credential: it never stands in the configuration). */
  CHAT_WEBHOOK_URL_SECRET_ARN: optionalText,
  CHAT_WEBHOOK_FORMAT: z._default(z.enum(CHAT_WEBHOOK_FORMATS), 'slack'),
  /** Local runtime only: notifications are appended here instead of published to SNS. */
  OUTBOX_PATH: optionalText,

  GITHUB_API_URL: z._default(z.url(), 'https://api.github.com'),
  /**
   * The accounts (organizations or users) whose repositories' deliveries are acted on; unset: every delivery the
   * webhook secret verifies. A public GitHub App can be installed by anyone, and GitHub signs their deliveries
   * with the App's secret: this keeps strangers' failures from becoming incidents, model calls and comments.
   */
  GITHUB_OWNERS: z.pipe(commaList(4000), z.array(z.string().check(z.regex(GITHUB_ACCOUNT_NAME, 'must be GitHub account names')))),
  GITHUB_TOKEN: optionalText,
  GITHUB_TOKEN_SECRET_ARN: optionalText,
  /** GitHub App id: with a private key, the functions act as the App's installations instead of with a token. */
  GITHUB_APP_ID: z.optional(z.coerce.number().check(z.int(), z.positive())),
  /** The App's private key (PEM; literal `\n` accepted). AWS: `GITHUB_APP_PRIVATE_KEY_SECRET_ARN` instead. */
  GITHUB_APP_PRIVATE_KEY: optionalText,
  GITHUB_APP_PRIVATE_KEY_SECRET_ARN: optionalText,
  GITHUB_WEBHOOK_SECRET: optionalText,
  GITHUB_WEBHOOK_SECRET_ARN: optionalText,
  /**
   * How long after a rotation (the current version's creation) deliveries signed with the previous webhook secret are
   * still accepted: time to set the new value in GitHub, after the 5 minutes a warm function takes to read it. Past it
   * only the current one verifies, so rotating after a leak revokes the leaked value (attack-47 I2).
   */
  WEBHOOK_SECRET_GRACE_MINUTES: boundedInt(10, 1440, 60),
  /** Retries per GitHub request inside one step; the state machine's Retry adds backoff across attempts. */
  GITHUB_RETRIES: boundedInt(0, 10, 2),
  /** Minimum spacing of GitHub writes from one process (GitHub asks for about 1 s between content writes). */
  GITHUB_WRITE_INTERVAL_MS: z._default(z.coerce.number().check(z.int(), z.gte(0)), 1000),
  /**
   * Content-creating GitHub requests (comments, comment edits, re-runs) per identity, across all executions
   * (counted in the incidents table). GitHub's secondary limits are about 80 a minute and 500 an hour.
   */
  GITHUB_WRITES_PER_MINUTE: positiveInt(20),
  GITHUB_WRITES_PER_HOUR: positiveInt(300),
  /** Re-runs per identity per minute, within the write budget: paces automatic re-runs across executions. */
  GITHUB_RERUNS_PER_MINUTE: positiveInt(5),
  /**
   * How long a PR comment (or an automatic re-run) waits for the write budget, in Wait states, before the incident
   * is escalated with its content instead. The budget alone never pages before this.
   */
  GITHUB_WRITE_WAIT_MINUTES: positiveInt(120),
  /** The login the bot comments as; discovered with `GET /user` (token) or `GET /app` (App: `<slug>[bot]`) when unset. */
  GITHUB_BOT_LOGIN: z.optional(githubLogin),
  /** Local runtime without a token: manifest of recorded runs whose job logs replace the API (events/recorded-runs.json). */
  RECORDED_RUNS_FILE: optionalText,

  /** Analysis provider; unset: bedrock with BEDROCK_MODEL_ID, else openai with LLM_BASE_URL, else offline. */
  ANALYZER: z.optional(z.enum(['offline', 'bedrock', 'openai'])),
  BEDROCK_MODEL_ID: optionalText,
  BEDROCK_REGION: z.optional(awsRegionCode),
  /** Optional Bedrock Guardrail applied to every analysis call. */
  BEDROCK_GUARDRAIL_ID: optionalText,
  BEDROCK_GUARDRAIL_VERSION: z._default(z.string().check(z.minLength(1)), 'DRAFT'),
  LLM_MAX_TOKENS: positiveInt(1024),
  LLM_TEMPERATURE: z._default(z.coerce.number().check(z.gte(0), z.lte(1)), 0),
  /** OpenAI-compatible chat endpoint up to the version, e.g. http://127.0.0.1:11434/v1 (Ollama), with its model. */
  LLM_BASE_URL: z.optional(z.url({ protocol: /^https?$/ })),
  LLM_MODEL: optionalText,
  LLM_API_KEY: optionalText,
  /** AWS: the Secrets Manager secret holding LLM_API_KEY, read per request from a cache of a few minutes. */
  LLM_API_KEY_SECRET_ARN: optionalText,
  /** Per-request timeout of the OpenAI-compatible endpoint (local models on a CPU are slow). */
  LLM_TIMEOUT_MS: boundedInt(1000, 170_000, 60_000),
  /** Input tokens per model call (estimated conservatively): system prompt, schema and packed log. */
  LLM_INPUT_TOKEN_BUDGET: boundedInt(MIN_INPUT_TOKEN_BUDGET, 1_000_000, DEFAULT_INPUT_TOKEN_BUDGET),
  /**
   * Models an experiment arm may choose (`params.model`), comma-separated, besides BEDROCK_MODEL_ID / LLM_MODEL. An
   * arm naming another model is analysed with the configured one and the analysis says so: in AWS the analyze
   * function may only invoke the models granted to it (CDK context `experimentModelIds`).
   */
  LLM_EXPERIMENT_MODELS: commaList(4000),
  /**
   * Model analyses per hour, across all executions, of failures whose run may execute code an outsider controls (a
   * fork's, or a `pull_request_target`, `issue_comment` or `workflow_run` run: see `countsAsEvidence`). Anyone can
   * make such runs fail on every push; past this, they get the offline analysis and the reason. 0: never a model.
   * At most 1000: the window's item keeps the id of every incident it counted.
   */
  LLM_OUTSIDER_ANALYSES_PER_HOUR: boundedInt(0, 1000, 10),
  /**
   * How many of those one repository's outsiders may take in the hour (its share of the pool), so that failures
   * an outsider makes on every push in one public repository leave the model to the others' pull requests. Unset:
   * half of LLM_OUTSIDER_ANALYSES_PER_HOUR, rounded up (see `outsiderRepositoryShare`).
   */
  LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(1000))),
  /** Price overrides for cost accounting, USD per 1M tokens: {"<model id>":{"input":0.8,"output":4}}. */
  LLM_PRICES_JSON: z.pipe(
    z.optional(z.string()),
    z.transform((json, context): PriceOverrides => {
      if (json === undefined) return {};
      try {
        return parsePriceOverrides(json);
      } catch (error) {
        context.issues.push({ code: 'custom', message: error instanceof Error ? error.message : 'invalid', input: json });
        return z.NEVER;
      }
    }),
  ),

  /** Webhook bodies larger than this are refused with 413 (GitHub caps payloads at 25 MB; ours are ~30 KB). */
  MAX_WEBHOOK_BYTES: positiveInt(1_048_576),
  /** Bytes of one job log read before the rest is skipped; the analyzer streams, so this bounds time, not memory. */
  MAX_LOG_BYTES: positiveInt(200 * 1024 * 1024),
  /**
   * Automatic re-runs per (workflow, head commit), across runs and attempts, persisted in the incidents table. A
   * failure of a re-run we started is never re-run again automatically.
   */
  AUTO_RERUN_MAX: z._default(z.coerce.number().check(z.int(), z.gte(0)), 1),
  /** Minimum analysis confidence before an automatic re-run. */
  RERUN_MIN_CONFIDENCE: z._default(z.coerce.number().check(z.gte(0), z.lte(1)), 0.6),
  DRY_RUN: booleanFlag,
  /** Remediation policy file (JSON, see README "The policy file"); POLICY_JSON holds the same inline. */
  POLICY_FILE: optionalText,
  POLICY_JSON: z.optional(z.string().check(z.minLength(2), z.maxLength(65_536))),
  /** Alarm → Systems Manager Automation document allow-list (JSON array, see README "Runbooks"). */
  RUNBOOKS_JSON: z.optional(z.string().check(z.minLength(2), z.maxLength(65_536))),
  /** How long the remediate step follows a runbook before reporting it still running. */
  RUNBOOK_WAIT_SECONDS: boundedInt(0, 840, 300),
  RUNBOOK_POLL_SECONDS: boundedInt(1, 300, 15),
  /**
   * How long after a runbook reported success its alarm may stay in ALARM before on-call is paged that it did not fix
   * it. An alarm returns to OK only after its evaluation periods of good datapoints (three of five minutes is common),
   * after whatever the runbook started has taken effect: 20 minutes covers that without leaving an outage unattended
   * for long. A team whose alarms have longer periods sets more.
   */
  RUNBOOK_VERIFY_MINUTES: boundedInt(5, 1440, 20),
  /**
   * How long after its start a runbook run the reconciler follows may stay unended (InProgress, Waiting: a stuck
   * approval step, a hung script) before on-call is paged, once, that it has not ended; the reconciler keeps following
   * it and tells its outcome when it ends (session 43). Two hours leaves a slow runbook room; at most a day, inside
   * the reconciler's shortest look-back.
   */
  RUNBOOK_NOT_ENDED_MINUTES: boundedInt(10, 1440, 120),
  INCIDENT_TTL_DAYS: positiveInt(400),
  /**
   * How long a learned knowledge entry is kept after it last was seen or learned something (DynamoDB TTL; attacker's
   * pass 50, L5: entries never expired, one per distinct failure line ever seen). 180 days: an entry keeps what
   * worked beyond its incidents (INCIDENT_TTL_DAYS) while its failure recurs, and a failure not seen for half a year
   * comes back, if at all, on a toolchain that has changed since. Imported entries do not expire.
   */
  KNOWLEDGE_RETENTION_DAYS: boundedInt(7, 3650, 180),

  /**
   * The dashboard's origin (`https://<distribution>.cloudfront.net`): the read API answers browsers from it (CORS).
   * Unset: no browser origin may read the API (the CLI and automation are not browsers).
   */
  DASHBOARD_ORIGIN: z.optional(z.url({ protocol: /^https?$/ })),

  /** Local runtime only: bearer token for `POST /gates/evaluate` and the experiments API (AWS uses IAM). */
  GATE_TOKEN: z.optional(z.string().check(z.minLength(16, 'at least 16 characters'))),
  /** Quality gate: allowed coverage drop (percentage points) against the rolling baseline. */
  DELTA_COVERAGE: z._default(z.coerce.number().check(z.positive()), 5.0),
  /** Quality gate: new high-severity vulnerabilities that fail the gate. */
  DELTA_VULN_HIGH: z._default(z.coerce.number().check(z.positive()), 3),
  /** Quality gate: new critical vulnerabilities that fail the gate. */
  DELTA_VULN_CRITICAL: z._default(z.coerce.number().check(z.positive()), 1),
  /** Accepted default-branch runs averaged into the baseline. */
  BASELINE_RUNS: boundedInt(1, MAX_BASELINE_RUNS, 10),
  /**
   * Which caller may use the gate for which repositories, as JSON: `{"arn:aws:sts::123456789012:assumed-role/ci-acme-*":
   * ["acme/app"]}`. Unset: nobody (the local runtime lets its GATE_TOKEN holder use every repository).
   */
  GATE_CALLERS: jsonSetting(gateCallersSchema),
  /** Per-repository gate settings as JSON: `{"owner/repo": {"defaultBranch": "main", "DELTA_COVERAGE": 2}}`. */
  GATE_REPOSITORIES: jsonSetting(gateRepositoriesSchema),
  /**
   * A passing run reported as the default branch's joins its baseline only once GitHub confirms that its commit is
   * on that branch (the compare API, with the GitHub credential). Off: the request's word is taken, as before.
   */
  GATE_VERIFY_DEFAULT_BRANCH: onUnlessFalse,
});

export type Config = z.infer<typeof configSchema>;

/** Every variable the configuration reads. */
export const CONFIG_VARIABLES = /* @__PURE__ */ (() => Object.keys(configSchema.shape) as ReadonlyArray<keyof Config>)();

/**
 * `env` with every blank variable (empty, or only spaces) set to `undefined`: a template or an `.env` file writes
 * `NAME=` for "not set". Read as given, a blank number was 0 (`Number('')`: a re-run at any confidence, no outsider
 * analyses, no reconciler attempts) and a blank text failed the whole configuration. {@link loadConfig} reads through
 * it, and so does code that reads variables outside the schema (the local runtime's `PORT`, `HOST`, `GUARD_DATA_DIR`,
 * its table names and defaults), so that `value ?? default` gives the default. The keys stay, so a caller that unsets
 * variables for its handlers sees them.
 */
export function blankAsUnset(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).map(([name, value]) => [name, value === undefined || value.trim() === '' ? undefined : value]));
}

/**
 * Parses the environment once; a blank variable counts as unset (its default applies). Throws {@link ConfigError}
 * naming the first bad variable.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(blankAsUnset(env));
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
