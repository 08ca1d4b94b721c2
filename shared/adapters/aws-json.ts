import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { StandardRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { ConfigError } from '../errors.js';

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
  /**
   * When the call must be over (ms since the epoch), asked as each call starts: the invoking Lambda's deadline less
   * the margin its step keeps to record a failure (shared/runtime/step-deadline.ts), so a call is cut with a
   * TimeoutError the state machine retries rather than killed with the invocation (session 43). Undefined outside an
   * invocation (cold start, the CLI): the fixed budget.
   * @default none: the fixed budget
   */
  deadline?: () => number | undefined;
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
  /**
   * The endpoint's first label with `AWS_USE_FIPS_ENDPOINT=true`, as the service's SDK endpoint rules build it
   * (`https://secretsmanager-fips.{Region}.{dnsSuffix}` in @aws-sdk/client-secrets-manager's ruleset). Unset where
   * those rules are not at hand to copy: the setting is then refused at start-up rather than silently ignored.
   */
  fipsEndpointPrefix?: string;
}

/** An endpoint setting the adapter cannot honour as the SDK client did: refused when the client is built (cold start). */
export class AwsEndpointSettingError extends ConfigError {
  override name = 'AwsEndpointSettingError';
}

/**
 * The network failed before the service answered (fetch's `TypeError('fetch failed')`, the socket's error on its
 * `cause`). Named so the step's transient test (isTransientAwsError) and secretReadError know it without treating every
 * TypeError (a bug) as the network; `code` is the socket's (ECONNRESET, …), where the SDK's Node handler put it.
 */
export class AwsNetworkError extends Error {
  override name = 'AwsNetworkError';
  readonly code: string | undefined;
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    const code = (options.cause as { cause?: { code?: unknown } } | undefined)?.cause?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/**
 * A failure the service answered: `name` is its error code (e.g. AutomationDefinitionNotFoundException,
 * ResourceNotFoundException), and `$metadata` carries the status where the SDK's exceptions do, which is where its
 * error classification reads it.
 */
export class AwsServiceError extends Error {
  readonly statusCode: number;
  readonly $metadata: { httpStatusCode: number };
  /** As the SDK's exceptions: a 5xx is the server's fault (what isTransientAwsError reads), whatever its body said. */
  readonly $fault: 'client' | 'server';
  constructor(code: string, message: string, statusCode: number) {
    super(message);
    this.name = code;
    this.statusCode = statusCode;
    this.$metadata = { httpStatusCode: statusCode };
    this.$fault = statusCode >= 500 ? 'server' : 'client';
  }
}

/** The SDK's default (standard mode). */
const MAX_ATTEMPTS = 3;
/**
 * One attempt's bound: an answer that hangs is retried instead of holding the function to its timeout. Far under the
 * shortest function timeout (ingest's 10 s, which reads the webhook secret at cold start and on refresh inside
 * `verify`); these calls answer in well under a second.
 */
const ATTEMPT_TIMEOUT_MS = 3_000;
/**
 * The whole call's bound, retries included, where no invocation's deadline is known (cold start, the CLI): no retry
 * starts once it is spent, and the last attempt is cut to what is left, so a hanging service fails the call with time
 * left in the 10 s function to answer (a refresh keeps the values read before).
 */
const CALL_BUDGET_MS = 6_000;
/**
 * The whole call's bound when the invocation's deadline is known and further away (session 43). The deadline, not
 * this, keeps ingest (10 s) answering; a step (30 s to minutes) may then let the standard mode's third attempt run
 * after two that hung (three attempts' timeouts and their backoffs). Not more: with no attempt left, a longer wait
 * would only hold the step, and the state machine's Retry waits better.
 */
const CALL_BUDGET_WITH_DEADLINE_MS = MAX_ATTEMPTS * ATTEMPT_TIMEOUT_MS + 1_000;

/** Calls `operation` of `service` with `input` and resolves to its parsed output. */
export type AwsJsonCall = (operation: string, input: object) => Promise<unknown>;

export function createAwsJsonCall(service: AwsJsonService, options: AwsJsonClientOptions): AwsJsonCall {
  const { region } = options;
  const env = options.env ?? process.env;
  const endpoint = endpointOf(service, region, env);
  const hostname = endpoint.host;
  // Signed as sent: the endpoint setting's query (a proxy's `?tenant=a`) is part of the canonical request.
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of endpoint.searchParams) {
    const before = query[key];
    query[key] = before === undefined ? value : [...(Array.isArray(before) ? before : [before]), value];
  }
  const signer = new SignatureV4({ service: service.endpointPrefix, region, credentials: options.credentials ?? defaultProvider(), sha256: Hash.bind(null, 'sha256') });
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  // One per client, as an SDK client has: its retry quota is shared by the client's calls.
  const retries = options.retryStrategy ?? new StandardRetryStrategy(MAX_ATTEMPTS);

  async function attempt(operation: string, body: string, timeoutMs: number): Promise<unknown> {
    // Started before signing: the credential chain's first resolution counts against the attempt's time too.
    const signal = AbortSignal.timeout(timeoutMs);
    const signed = await signer.sign({
      method: 'POST',
      protocol: endpoint.protocol,
      hostname,
      path: endpoint.pathname,
      query,
      headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${service.targetPrefix}.${operation}` },
      body,
    });
    let response: Response;
    let text: string;
    try {
      response = await send(endpoint.href, { method: 'POST', headers: signed.headers, body, signal });
      text = await response.text();
    } catch (error) {
      // fetch's network failure; its timeout's abort (a TimeoutError) is already named as the SDK's classification reads it.
      if (error instanceof TypeError) throw new AwsNetworkError(`${service.label} ${operation}: ${error.message}`, { cause: error });
      throw error;
    }
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
    const now = Date.now();
    const invocationDeadline = options.deadline?.();
    const deadline = invocationDeadline === undefined ? now + CALL_BUDGET_MS : Math.min(now + CALL_BUDGET_WITH_DEADLINE_MS, invocationDeadline);
    // Named as a timed-out attempt is (AbortSignal.timeout's reason), which the step's transient test already knows.
    if (deadline <= now) throw new DOMException(`${service.label} ${operation}: not sent, the invocation's deadline has passed`, 'TimeoutError');
    let token = await retries.acquireInitialRetryToken(service.endpointPrefix);
    for (;;) {
      try {
        const output = await attempt(operation, body, Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now())));
        retries.recordSuccess(token);
        return output;
      } catch (error) {
        try {
          token = await retries.refreshRetryTokenForRetry(token, { errorType: retryErrorType(error) });
        } catch {
          // No retry left (attempts, quota) or not a retryable failure: the failure itself is the answer.
          throw error;
        }
        // The strategy's backoff has been waited (inside refreshRetryTokenForRetry): no retry once the budget is spent.
        if (Date.now() >= deadline) throw error;
      }
    }
  };
}

/**
 * The endpoint as the SDK client resolved it: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, else the
 * region's, in the partition's domain (the SDK's partition table), its FIPS one with `AWS_USE_FIPS_ENDPOINT=true`.
 * What the SDK refuses (FIPS with a custom endpoint, FIPS in a partition without it) is refused here too.
 */
function endpointOf(service: AwsJsonService, region: string, env: Readonly<Record<string, string | undefined>>): URL {
  const override = env[`AWS_ENDPOINT_URL_${service.endpointEnv}`] || env.AWS_ENDPOINT_URL;
  const fips = env.AWS_USE_FIPS_ENDPOINT?.trim().toLowerCase() === 'true';
  if (fips && override) throw new AwsEndpointSettingError(`${service.label}: AWS_USE_FIPS_ENDPOINT=true and a custom endpoint (AWS_ENDPOINT_URL*) are not supported together, as in the AWS SDK: unset one`);
  if (override) return new URL(override);
  const { dnsSuffix, supportsFIPS } = partition(region);
  if (!fips) return new URL(`https://${service.endpointPrefix}.${region}.${dnsSuffix}/`);
  if (!supportsFIPS) throw new AwsEndpointSettingError(`${service.label}: AWS_USE_FIPS_ENDPOINT=true, but region ${region}'s partition has no FIPS endpoints`);
  if (!service.fipsEndpointPrefix) {
    throw new AwsEndpointSettingError(`${service.label}: AWS_USE_FIPS_ENDPOINT=true is not supported by this function's ${service.label} client: unset it for this function and set AWS_ENDPOINT_URL_${service.endpointEnv} to ${service.label}'s FIPS endpoint for ${region} (see README)`);
  }
  return new URL(`https://${service.fipsEndpointPrefix}.${region}.${dnsSuffix}/`);
}

/**
 * The SDK's classification (its retry middleware's): throttling codes and 429, transient codes, 500/502/503/504 and
 * timeouts (AbortSignal.timeout's abort is a TimeoutError), other 5xx. A network failure (fetch's TypeError, named
 * AwsNetworkError here) is transient, as the SDK's Node handler's socket errors (ECONNRESET, …) are.
 */
function retryErrorType(error: unknown): 'THROTTLING' | 'TRANSIENT' | 'SERVER_ERROR' | 'CLIENT_ERROR' {
  if (!(error instanceof Error)) return 'CLIENT_ERROR';
  // The SDK's type for what it classifies: an Error whose `cause` is an Error, if any (isTransientError follows it).
  const sdkError = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError)) return 'THROTTLING';
  if (isTransientError(sdkError) || error instanceof AwsNetworkError) return 'TRANSIENT';
  if (isServerError(sdkError)) return 'SERVER_ERROR';
  return 'CLIENT_ERROR';
}
