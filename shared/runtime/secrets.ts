/**
 * Secrets Manager values for the functions: the GitHub token or App key and the webhook secret.
 *
 * Two things matter beyond reading a value. A failure says what is wrong (no value yet, not allowed, cannot be
 * decrypted, deleted) instead of one message for all, and a transient one (throttling, a 5xx, the network) is a
 * `RetryableError`. The webhook secret can be rotated without dropping deliveries: the verifier re-reads it every
 * few minutes and accepts the previous version (`AWSPREVIOUS`) beside the current one for a grace period after the
 * rotation, so the new value can be put into the secret first and into GitHub's webhook settings a few minutes later.
 */
import { verify } from '@octokit/webhooks-methods';
import { ConfigError, RetryableError, errorMessage } from '../errors.js';
import type { WebhookVerifier } from '../ingest/verify.js';

export type SecretStage = 'AWSCURRENT' | 'AWSPREVIOUS';

/**
 * One version of a secret: its value, and when the version was created (epoch ms; GetSecretValue's `CreatedDate`),
 * which dates a rotation. `undefined` when it is not known: the previous webhook secret is then never accepted.
 */
export interface SecretVersion {
  value: unknown;
  createdAt: number | undefined;
}

/** Reads one version stage of a secret: shared/adapters/secrets-manager.ts in AWS, a fake in tests. */
export interface SecretReader {
  read(arn: string, stage: SecretStage): Promise<SecretVersion>;
}

/** How long a read value is reused: rotation reaches every warm function within this. */
export const SECRET_MAX_AGE_SECONDS = 300;

const TRANSIENT = new Set(['ThrottlingException', 'InternalServiceError', 'InternalFailure', 'ServiceUnavailable', 'TimeoutError', 'RequestTimeout', 'AwsNetworkError']);

/** A 5xx or 429 by its status is transient whatever its body said: a proxy's HTML 503 has no error code (`HTTP503`). */
function transientStatus(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' && (status === 429 || status >= 500);
}

/** What a failed read means for the person deploying, by the error's name: the service's error code (`AwsServiceError`). */
export function secretReadError(setting: string, error: unknown): Error {
  const name = error instanceof Error ? error.name : 'Error';
  const where = `secret ${setting}`;
  switch (name) {
    case 'ResourceNotFoundException':
      // The service's message tells the two apart: a secret created without a value has no AWSCURRENT version yet
      // ("can't find the specified secret value for staging label: AWSCURRENT"); any other reading of it is an ARN
      // with no secret behind it where the function reads ("can't find the specified secret.").
      if (/secret value|staging label/i.test(errorMessage(error))) {
        return new ConfigError(`${where} has no value yet (${name}): put the value into the secret (see README, "Deploying")`);
      }
      return new ConfigError(
        `${where} was not found (${name}): check its ARN; a function reads secrets in its own region and account, and a deleted secret is not found either`,
      );
    case 'AccessDeniedException':
    case 'AccessDenied':
      return new ConfigError(`${where} may not be read by this function (${name}): its role needs secretsmanager:GetSecretValue on it, and kms:Decrypt if it uses a customer managed key`);
    case 'DecryptionFailure':
    case 'KMSAccessDeniedException':
    case 'KMSDisabledException':
    case 'KMSInvalidStateException':
    case 'KMSNotFoundException':
      return new ConfigError(`${where} cannot be decrypted (${name}): the secret's KMS key must be enabled and allow this function's role kms:Decrypt`);
    case 'InvalidRequestException':
      return new ConfigError(`${where} cannot be read now (${name}; is it scheduled for deletion?): restore it or point the stack at another secret`);
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new ConfigError(`${where} could not be read: the function's AWS credentials were refused (${name})`);
    default:
      // The network (AwsNetworkError; a TypeError from another reader's fetch), already retried by the adapter.
      if (TRANSIENT.has(name) || transientStatus(error) || error instanceof TypeError || /ECONNRESET|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(errorMessage(error))) {
        return new RetryableError(`${where} could not be read right now (${name}); it is read again on the next attempt`, { cause: error });
      }
      return new ConfigError(`${where} could not be read (${name}: ${errorMessage(error).slice(0, 200)})`);
  }
}

/** The current version of a secret, its value trimmed; a clear error when it is missing, empty or unreadable. */
async function readCurrentVersion(setting: string, arn: string, reader: SecretReader): Promise<{ value: string; createdAt: number | undefined }> {
  let version: SecretVersion;
  try {
    version = await reader.read(arn, 'AWSCURRENT');
  } catch (error) {
    throw secretReadError(setting, error);
  }
  const { value, createdAt } = version;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`secret ${setting} is empty: put the value into the secret (see README, "Deploying")`);
  }
  return { value: value.trim(), createdAt: Number.isFinite(createdAt) ? createdAt : undefined };
}

/** The current value of a secret, trimmed; a clear error when it is missing, empty or unreadable. */
export async function readSecret(setting: string, arn: string, reader: SecretReader): Promise<string> {
  return (await readCurrentVersion(setting, arn, reader)).value;
}

/** The previous version while a rotation is under way; none when there is none (or it cannot be read). */
async function readPreviousSecret(arn: string, reader: SecretReader): Promise<string | undefined> {
  try {
    const { value } = await reader.read(arn, 'AWSPREVIOUS');
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  } catch {
    // No AWSPREVIOUS version until the first rotation: the normal case, not an error.
    return undefined;
  }
}

const REFRESH_RETRY_MS = 30_000;

/** WEBHOOK_SECRET_GRACE_MINUTES' default (shared/config.ts), for verifiers built without the setting. */
const DEFAULT_GRACE_MINUTES = 60;

export interface RotatingVerifierOptions {
  setting: string;
  arn: string;
  reader: SecretReader;
  now?: () => number;
  /** WEBHOOK_SECRET_GRACE_MINUTES: how long after the current version's creation the previous one still verifies. */
  graceMinutes?: number;
  /** Called when a refresh fails and the values read before stay in use. */
  onRefreshError?: (error: unknown) => void;
  /** Called once when a previous version is refused because the current one's creation time is unknown. */
  onUndatedRotation?: (message: string) => void;
}

/**
 * Verification with one secret: `@octokit/webhooks-methods`' `verify`, the function `new Webhooks({ secret }).verify`
 * binds. The `Webhooks` class around it (event names, handlers, HTTP middleware: 11.5 KB of the ingest bundle) is
 * never used here: deliveries are verified, parsed and routed by shared/ingest.
 */
export function webhookVerifier(secret: string): WebhookVerifier {
  if (!secret) throw new ConfigError('the webhook secret is empty');
  return { verify: (payload, signature) => verify(secret, payload, signature) };
}

/**
 * `X-Hub-Signature-256` verification with the secret's current version, and its previous one until
 * `graceMinutes` after the current one was created, re-read every SECRET_MAX_AGE_SECONDS. The previous version used
 * to be accepted until the next rotation: rotating after a leak never revoked the leaked value (attack-47 I2). When
 * the current version's creation time is unknown the previous one is refused (fail closed), said once. Reads once up
 * front so a missing secret fails the cold start with its reason.
 */
export async function createRotatingWebhookVerifier(options: RotatingVerifierOptions): Promise<WebhookVerifier> {
  const now = options.now ?? Date.now;
  const graceMs = (options.graceMinutes ?? DEFAULT_GRACE_MINUTES) * 60_000;
  let undatedSaid = false;
  const load = async () => {
    const [current, previous] = await Promise.all([
      readCurrentVersion(options.setting, options.arn, options.reader),
      readPreviousSecret(options.arn, options.reader),
    ]);
    const rotating = previous !== undefined && previous !== current.value;
    if (rotating && current.createdAt === undefined && !undatedSaid) {
      undatedSaid = true;
      options.onUndatedRotation?.(`secret ${options.setting}: the current version's creation time is unknown, so its previous version is not accepted`);
    }
    // A verifier checks one secret: one per version.
    return {
      current: webhookVerifier(current.value),
      previous: rotating && current.createdAt !== undefined ? { verifier: webhookVerifier(previous), until: current.createdAt + graceMs } : undefined,
      readAt: now(),
    };
  };
  let loaded = await load();
  let refreshing: Promise<void> | null = null;
  const refresh = () => {
    refreshing ??= load()
      .then((next) => {
        loaded = next;
      })
      .catch((error: unknown) => {
        // Keep verifying with what was read before, and try again in half a minute rather than on every request.
        loaded = { ...loaded, readAt: now() - SECRET_MAX_AGE_SECONDS * 1000 + REFRESH_RETRY_MS };
        options.onRefreshError?.(error);
      })
      .finally(() => {
        refreshing = null;
      });
    return refreshing;
  };
  return {
    async verify(payload, signature) {
      if (now() - loaded.readAt >= SECRET_MAX_AGE_SECONDS * 1000) await refresh();
      if (await loaded.current.verify(payload, signature)) return true;
      // Judged at each delivery: a function warm since before the grace period ended stops accepting it on time.
      const { previous } = loaded;
      return previous !== undefined && now() < previous.until && (await previous.verifier.verify(payload, signature));
    },
  };
}
