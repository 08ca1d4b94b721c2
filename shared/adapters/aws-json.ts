import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { StandardRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * One AWS service's JSON API (AWS JSON 1.1: a signed POST to the regional endpoint with the operation in
 * `X-Amz-Target`), for the few calls the functions make where the service's SDK client costs more of a bundle than
 * the bound affords: an SDK client registers every error class and operation schema of its service at import, a side
 * effect esbuild must keep (`@aws-sdk/client-ssm` was ≈75 KB of remediate; `@aws-sdk/client-secrets-manager` with
 * Powertools Parameters ≈18 KB of each function that reads a secret; docs/performance.md). Only public packages do the
 * AWS parts: the SDK's SigV4 signer, its default credential chain (the Lambda role's keys from the environment) and
 * its partition table (the endpoint's domain, e.g. amazonaws.com.cn in China). Retries are the SDK's standard mode, run
 * by the SDK's own `StandardRetryStrategy` on the SDK's classification of the error (three attempts, full-jitter
 * backoff, a longer base for throttling, the retry quota), as an SDK client's retry middleware runs them. A refusal
 * fails with the service's error code as the error's `name`, as the SDK's exceptions are named.
 */

/** The part of `fetch` used here (tests pass their own). */
export type AwsJsonFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<Response>;

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsJsonClientOptions {
  region: string;
  /** @default the SDK's default credential chain */
  credentials?: () => Promise<AwsCredentials>;
  /** @default globalThis.fetch */
  fetch?: AwsJsonFetch;
  /** @default the SDK's standard mode, three attempts (tests pass one whose backoff does not wait) */
  retryStrategy?: StandardRetryStrategy;
  /**
   * Where the SDK's own endpoint settings are read (`AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`), as the SDK
   * client these calls replace read them: they are the SDK's settings, not the guard's configuration.
   * @default process.env
   */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Where a service's JSON API is and how its operations are named. */
export interface AwsJsonService {
  /** The endpoint's first label and SigV4's service name: `ssm`, `secretsmanager`. */
  endpointPrefix: string;
  /** `X-Amz-Target`'s prefix before the operation: `AmazonSSM`, `secretsmanager`. */
  targetPrefix: string;
  /** Named in messages: `SSM`, `Secrets Manager`. */
  label: string;
  /** The SDK's name for the service in `AWS_ENDPOINT_URL_<SERVICE>`: `SSM`, `SECRETS_MANAGER`. */
  endpointEnv: string;
}

/**
 * A failure the service answered: `name` is its error code (e.g. AutomationDefinitionNotFoundException,
 * ResourceNotFoundException), and `$metadata` carries the status where the SDK's exceptions do, which is where its
 * error classification reads it.
 */
export class AwsServiceError extends Error {
  readonly statusCode: number;
  readonly $metadata: { httpStatusCode: number };
  constructor(code: string, message: string, statusCode: number) {
    super(message);
    this.name = code;
    this.statusCode = statusCode;
    this.$metadata = { httpStatusCode: statusCode };
  }
}

/** The SDK's default (standard mode). */
const MAX_ATTEMPTS = 3;
/** One attempt's bound: an answer that hangs is retried instead of holding the function to its timeout. */
const ATTEMPT_TIMEOUT_MS = 15_000;

/** Calls `operation` of `service` with `input` and resolves to its parsed output. */
export type AwsJsonCall = (operation: string, input: object) => Promise<unknown>;

export function createAwsJsonCall(service: AwsJsonService, options: AwsJsonClientOptions): AwsJsonCall {
  const { region } = options;
  const env = options.env ?? process.env;
  const override = env[`AWS_ENDPOINT_URL_${service.endpointEnv}`] || env.AWS_ENDPOINT_URL;
  const endpoint = new URL(override || `https://${service.endpointPrefix}.${region}.${partition(region).dnsSuffix}/`);
  const hostname = endpoint.host;
  const signer = new SignatureV4({ service: service.endpointPrefix, region, credentials: options.credentials ?? defaultProvider(), sha256: Hash.bind(null, 'sha256') });
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  // One per client, as an SDK client has: its retry quota is shared by the client's calls.
  const retries = options.retryStrategy ?? new StandardRetryStrategy(MAX_ATTEMPTS);

  async function attempt(operation: string, body: string): Promise<unknown> {
    const signed = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname,
      path: endpoint.pathname,
      query: {},
      headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${service.targetPrefix}.${operation}` },
      body,
    });
    const response = await send(endpoint.href, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    const text = await response.text();
    if (response.ok) return text ? (JSON.parse(text) as unknown) : {};
    // An error's body is JSON from the service, but may be a proxy's HTML page (a 502): its status still says what it is.
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    const fields = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const typed = typeof fields.__type === 'string' ? fields.__type : response.headers.get('x-amzn-errortype') ?? '';
    // `com.amazonaws.ssm#ThrottlingException` in the body, `ThrottlingException:http://…` in the header.
    const code = typed.split('#').at(-1)?.split(':')[0] || `HTTP${response.status}`;
    const message = typeof fields.message === 'string' ? fields.message : typeof fields.Message === 'string' ? fields.Message : `${service.label} ${operation} answered ${response.status}`;
    throw new AwsServiceError(code, message, response.status);
  }

  /** The SDK's retry middleware's loop: a token per call, renewed (after the backoff) for each retry the strategy allows. */
  return async function call(operation, input) {
    const body = JSON.stringify(input);
    let token = await retries.acquireInitialRetryToken(service.endpointPrefix);
    for (;;) {
      try {
        const output = await attempt(operation, body);
        retries.recordSuccess(token);
        return output;
      } catch (error) {
        try {
          token = await retries.refreshRetryTokenForRetry(token, { errorType: retryErrorType(error) });
        } catch {
          // No retry left (attempts, quota) or not a retryable failure: the failure itself is the answer.
          throw error;
        }
      }
    }
  };
}

/**
 * The SDK's classification (its retry middleware's): throttling codes and 429, transient codes, 500/502/503/504 and
 * timeouts (AbortSignal.timeout's abort is a TimeoutError), other 5xx. fetch fails with a TypeError when the network
 * does, where the SDK's Node handler fails with the socket's code (ECONNRESET, …): both are transient.
 */
function retryErrorType(error: unknown): 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR' {
  if (!(error instanceof Error)) return 'CLIENT_ERROR';
  // The SDK's type for what it classifies: an Error whose `cause` is an Error, if any (isTransientError follows it).
  const sdkError = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError)) return 'THROTTLING';
  if (isTransientError(sdkError) || error instanceof TypeError) return 'TRANSIENT';
  if (isServerError(sdkError)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}
