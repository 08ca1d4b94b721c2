import { type AwsJsonClientOptions, createAwsJsonCall } from './aws-json.js';
import { createExpiringCache } from '../expiring-cache.js';
import { SECRET_MAX_AGE_SECONDS, type SecretReader, type SecretStage, type SecretVersion } from '../runtime/secrets.js';

/**
 * The one Secrets Manager call the functions make (GetSecretValue), over the service's JSON API
 * (shared/adapters/aws-json.ts) instead of `@aws-sdk/client-secrets-manager` behind Powertools Parameters: that client
 * and provider were ≈18 KB of every function that reads a secret, for this one call (docs/performance.md, session 42).
 * What Powertools' provider did is kept: a value is reused for SECRET_MAX_AGE_SECONDS, per version stage (the
 * previous version is never served from the current one's entry), and a failure is not kept. A refusal fails with the
 * service's error code as the error's `name` (`AwsServiceError`), which `secretReadError` explains. The version's
 * `CreatedDate` comes with its value: it dates a rotation, which bounds how long the previous webhook
 * secret is accepted (attack-47 I2).
 */

export interface SecretsManagerReaderOptions extends AwsJsonClientOptions {
  /** Milliseconds (`Date.now`), the cache's clock; tests pass their own. */
  now?: () => number;
}

/** GetSecretValue's output, as far as it is read: a binary secret has no `SecretString`. */
interface GetSecretValueOutput {
  SecretString?: unknown;
  /** Epoch seconds, as the JSON protocol sends timestamps. */
  CreatedDate?: unknown;
}

/** The version's creation time in epoch ms; undefined when the output holds none. */
function createdAtOf(output: GetSecretValueOutput): number | undefined {
  return typeof output.CreatedDate === 'number' && Number.isFinite(output.CreatedDate) ? output.CreatedDate * 1000 : undefined;
}

/** Secrets a function reads: the GitHub token or App key, the webhook secret, the chat URL, the LLM key, by stage. */
const MAX_CACHED_SECRETS = 16;

export function createSecretsManagerReader(options: SecretsManagerReaderOptions): SecretReader {
  const call = createAwsJsonCall({ endpointPrefix: 'secretsmanager', targetPrefix: 'secretsmanager', label: 'Secrets Manager', endpointEnv: 'SECRETS_MANAGER', fipsEndpointPrefix: 'secretsmanager-fips' }, options);
  const versions = createExpiringCache<string, SecretVersion>({ maxEntries: MAX_CACHED_SECRETS, ttlMs: SECRET_MAX_AGE_SECONDS * 1000, ...(options.now ? { now: options.now } : {}) });
  const keyOf = (arn: string, stage: SecretStage) => `${stage} ${arn}`;
  const read = async (arn: string, stage: SecretStage): Promise<SecretVersion> => {
    const key = keyOf(arn, stage);
    const kept = versions.get(key);
    if (kept !== undefined) return kept;
    const output = (await call('GetSecretValue', { SecretId: arn, VersionStage: stage })) as GetSecretValueOutput;
    const version = { value: typeof output.SecretString === 'string' ? output.SecretString : undefined, createdAt: createdAtOf(output) };
    if (version.value !== undefined) versions.set(key, version);
    return version;
  };
  return { read };
}
