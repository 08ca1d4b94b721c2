import { type AwsJsonClientOptions, createAwsJsonCall } from './aws-json.js';
import { createExpiringCache } from '../expiring-cache.js';
import { SECRET_MAX_AGE_SECONDS, type SecretReader, type SecretStage } from '../runtime/secrets.js';

/**
 * The one Secrets Manager call the functions make (GetSecretValue), over the service's JSON API
 * (shared/adapters/aws-json.ts) instead of `@aws-sdk/client-secrets-manager` behind Powertools Parameters: that client
 * and provider were ≈18 KB of every function that reads a secret, for this one call (docs/performance.md, session 42).
 * What Powertools' provider did is kept: a value is reused for SECRET_MAX_AGE_SECONDS, per version stage (the
 * previous version is never served from the current one's entry), and a failure is not kept. A refusal fails with the
 * service's error code as the error's `name` (`AwsServiceError`), which `secretReadError` explains.
 */

export interface SecretsManagerReaderOptions extends AwsJsonClientOptions {
  /** Milliseconds (`Date.now`), the cache's clock; tests pass their own. */
  now?: () => number;
}

/** GetSecretValue's output, as far as it is read: a binary secret has no `SecretString`. */
interface GetSecretValueOutput {
  SecretString?: unknown;
}

/** Secrets a function reads: the GitHub token or App key, the webhook secret, the chat URL, the LLM key, by stage. */
const MAX_CACHED_SECRETS = 16;

export function createSecretsManagerReader(options: SecretsManagerReaderOptions): SecretReader {
  const call = createAwsJsonCall({ endpointPrefix: 'secretsmanager', targetPrefix: 'secretsmanager', label: 'Secrets Manager', endpointEnv: 'SECRETS_MANAGER', fipsEndpointPrefix: 'secretsmanager-fips' }, options);
  const values = createExpiringCache<string, string | undefined>({ maxEntries: MAX_CACHED_SECRETS, ttlMs: SECRET_MAX_AGE_SECONDS * 1000, ...(options.now ? { now: options.now } : {}) });
  const keyOf = (arn: string, stage: SecretStage) => `${stage} ${arn}`;
  return async (arn, stage) => {
    const key = keyOf(arn, stage);
    const kept = values.get(key);
    if (kept !== undefined) return kept;
    const output = (await call('GetSecretValue', { SecretId: arn, VersionStage: stage })) as GetSecretValueOutput;
    const value = typeof output.SecretString === 'string' ? output.SecretString : undefined;
    if (value !== undefined) values.set(key, value);
    return value;
  };
}
