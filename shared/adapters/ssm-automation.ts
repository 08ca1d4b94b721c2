import { partition } from '@aws-sdk/core/client';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { StandardRetryStrategy, isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * The two Systems Manager Automation calls remediate makes (starting an allow-listed runbook, reading its status),
 * sent over SSM's documented wire protocol (AWS JSON 1.1: a signed POST to the regional endpoint with the operation in
 * `X-Amz-Target`) instead of through `@aws-sdk/client-ssm`. That client registers all 141 of SSM's error classes and
 * every operation's schema at import, a side effect esbuild must keep: ≈75 KB of the remediate bundle, which the
 * bound of 700 KB could no longer afford (docs/performance.md, "remediate's SSM client"). Only public packages do the
 * AWS parts: the SDK's SigV4 signer, its default credential chain (the Lambda role's keys from the environment) and
 * its partition table (the endpoint's domain, e.g. amazonaws.com.cn in China). Retries are the SDK's standard mode,
 * run by the SDK's own `StandardRetryStrategy` on the SDK's classification of the error (three attempts, full-jitter
 * backoff, a longer base for throttling, the retry quota), as an SDK client's retry middleware runs them; a retried
 * start is safe because StartAutomationExecution is idempotent by its ClientToken. A refusal fails with the service's
 * error code as the error's `name`, as the SDK's exceptions are named.
 */

/** StartAutomationExecution's input, as far as remediate sets it (SSM API reference). */
export interface StartAutomationExecutionInput {
  DocumentName: string;
  DocumentVersion?: string;
  Parameters: Record<string, string[]>;
  ClientToken: string;
}

/** GetAutomationExecution's output, as far as remediate reads it. */
export interface GetAutomationExecutionOutput {
  AutomationExecution?: { AutomationExecutionStatus?: string; FailureMessage?: string };
}

/** Port: what the runbook runner needs of SSM. */
export interface SsmAutomationApi {
  startAutomationExecution(input: StartAutomationExecutionInput): Promise<{ AutomationExecutionId?: string }>;
  getAutomationExecution(input: { AutomationExecutionId: string }): Promise<GetAutomationExecutionOutput>;
}

/** The part of `fetch` used here (tests pass their own). */
export type SsmFetch = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<Response>;

interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SsmAutomationClientOptions {
  region: string;
  /** @default the SDK's default credential chain */
  credentials?: () => Promise<Credentials>;
  /** @default globalThis.fetch */
  fetch?: SsmFetch;
  /** @default the SDK's standard mode, three attempts (tests pass one whose backoff does not wait) */
  retryStrategy?: StandardRetryStrategy;
}

/**
 * A failure SSM answered: `name` is its error code (e.g. AutomationDefinitionNotFoundException), and `$metadata`
 * carries the status where the SDK's exceptions do, which is where its error classification reads it.
 */
export class SsmServiceError extends Error {
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

export function createSsmAutomationClient(options: SsmAutomationClientOptions): SsmAutomationApi {
  const { region } = options;
  const hostname = `ssm.${region}.${partition(region).dnsSuffix}`;
  const signer = new SignatureV4({ service: 'ssm', region, credentials: options.credentials ?? defaultProvider(), sha256: Hash.bind(null, 'sha256') });
  const send = options.fetch ?? ((url, init) => fetch(url, init));
  // One per client, as an SDK client has: its retry quota is shared by the client's calls.
  const retries = options.retryStrategy ?? new StandardRetryStrategy(MAX_ATTEMPTS);

  async function attempt(operation: string, body: string): Promise<unknown> {
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'https:',
      hostname,
      path: '/',
      query: {},
      headers: { host: hostname, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonSSM.${operation}` },
      body,
    });
    const response = await send(`https://${hostname}/`, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    const text = await response.text();
    if (response.ok) return text ? (JSON.parse(text) as unknown) : {};
    // An error's body is JSON from SSM, but may be a proxy's HTML page (a 502): its status still says what it is.
    let parsed: unknown = {};
    try {
      parsed = JSON.parse(text);
    } catch {}
    const fields = (parsed && typeof parsed === 'object' ? parsed : {}) as Record<string, unknown>;
    const typed = typeof fields.__type === 'string' ? fields.__type : response.headers.get('x-amzn-errortype') ?? '';
    // `com.amazonaws.ssm#ThrottlingException` in the body, `ThrottlingException:http://…` in the header.
    const code = typed.split('#').at(-1)?.split(':')[0] || `HTTP${response.status}`;
    const message = typeof fields.message === 'string' ? fields.message : typeof fields.Message === 'string' ? fields.Message : `SSM ${operation} answered ${response.status}`;
    throw new SsmServiceError(code, message, response.status);
  }

  /** The SDK's retry middleware's loop: a token per call, renewed (after the backoff) for each retry the strategy allows. */
  async function call(operation: string, input: object): Promise<unknown> {
    const body = JSON.stringify(input);
    let token = await retries.acquireInitialRetryToken('ssm');
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
  }

  return {
    startAutomationExecution: async (input) => (await call('StartAutomationExecution', input)) as { AutomationExecutionId?: string },
    getAutomationExecution: async (input) => (await call('GetAutomationExecution', input)) as GetAutomationExecutionOutput,
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
