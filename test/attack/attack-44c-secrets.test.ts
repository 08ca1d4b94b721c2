import { StandardRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import type { AwsJsonFetch } from '../../shared/adapters/aws-json.js';
import { createSecretsManagerReader } from '../../shared/adapters/secrets-manager.js';
import { ConfigError, RetryableError } from '../../shared/errors.js';
import { readSecret } from '../../shared/runtime/secrets.js';
import { recordTimeoutBounds } from '../support/timeout-bounds.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:guard/webhook-secret-AbCdEf';

/** The SDK's standard strategy with a backoff that does not wait. */
const noWait = () => new StandardRetryStrategy({ maxAttempts: 3, backoff: { setDelayBase: () => undefined, computeNextBackoffDelay: () => 0 } });

function answering(status: number, body: string, headers: Record<string, string> = {}) {
  let calls = 0;
  const fetch: AwsJsonFetch = async () => {
    calls += 1;
    return new Response(body, { status, headers });
  };
  return { fetch, calls: () => calls };
}

async function failureOf(fetch: AwsJsonFetch): Promise<unknown> {
  const read = createSecretsManagerReader({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: {} });
  try {
    await readSecret('GITHUB_WEBHOOK_SECRET_ARN', ARN, read);
  } catch (error) {
    return error;
  }
  return null;
}

describe('attack-44c A: Secrets Manager over its JSON API', () => {
  // attack-44c finding S1 (fixed, session 42): a 5xx/429 answered without a JSON error code (a proxy's or load balancer's HTML page) is named `HTTP503` and secretReadError calls it a ConfigError (permanent: "could not be read (HTTP503…)") instead of a RetryableError, though the adapter itself retried it as transient.
  for (const [status, page] of [
    [503, '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>'],
    [502, '<html><body>502 Bad Gateway</body></html>'],
    [504, ''],
    [429, '<html>Too Many Requests</html>'],
  ] as const) {
    it(`a read that ends on a ${status} with no JSON error code is retryable, not a configuration error`, async () => {
      const { fetch, calls } = answering(status, page, { 'content-type': 'text/html' });
      const error = await failureOf(fetch);
      console.log(`S1 ${status}: ${calls()} attempt(s); ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`);
      expect(calls()).toBe(3); // the adapter did treat it as transient
      expect(error).toBeInstanceOf(RetryableError);
      expect(error).not.toBeInstanceOf(ConfigError);
    });
  }

  // Held: a JSON-coded 500 (InternalServiceError) after its retries is retryable.
  it('a JSON-coded InternalServiceError after its retries is retryable', async () => {
    const { fetch, calls } = answering(500, JSON.stringify({ __type: 'InternalServiceError', message: 'oops' }));
    const error = await failureOf(fetch);
    expect(calls()).toBe(3);
    expect(error).toBeInstanceOf(RetryableError);
  });

  // attack-44c finding S2 (fixed, session 42): one attempt is bounded at 15 s (ATTEMPT_TIMEOUT_MS), longer than the ingest function's whole 10 s timeout (infra/stack.ts IngestGitHub), which reads the webhook secret on cold start and re-reads it every 300 s inside `verify`: a connection that hangs holds the ingest function to its timeout instead of failing the read (and keeping the values read before) while there is time left.
  it('a read whose answer hangs gives up within the ingest function’s 10 s timeout', async () => {
    const fetch: AwsJsonFetch = (_url, init) =>
      new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    // What each attempt was given to answer (AbortSignal.timeout's bound): the read's whole time, the backoff not
    // waiting here, rather than how long it took on this machine.
    const { boundsMs, restore } = recordTimeoutBounds();
    const error = await failureOf(fetch).finally(restore);
    const givenMs = boundsMs.reduce((sum, ms) => sum + ms, 0);
    console.log(`S2: failed after attempts given ${boundsMs.join(' + ')} ms: ${(error as Error)?.name}`);
    expect(error).toBeInstanceOf(RetryableError);
    expect(boundsMs.length).toBeGreaterThan(0);
    // The function would time out at 10 s: half a second kept to answer.
    expect(givenMs).toBeLessThan(9_500);
  }, 20_000);
});
