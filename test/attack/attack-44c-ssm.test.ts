import { StandardRetryStrategy } from '@smithy/core/retry';
import { describe, expect, it } from 'vitest';
import type { AwsJsonFetch } from '../../shared/adapters/aws-json.js';
import { createSecretsManagerReader } from '../../shared/adapters/secrets-manager.js';
import { createSsmAutomationClient } from '../../shared/adapters/ssm-automation.js';
import { isRetryable, isTransientAwsError } from '../../shared/errors.js';

/* Attack pass 44c on session 42's AWS JSON adapter as SSM's client, compared with the SDK client it replaced (A). */

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };
const noWait = () => new StandardRetryStrategy({ maxAttempts: 3, backoff: { setDelayBase: () => undefined, computeNextBackoffDelay: () => 0 } });
const start = { DocumentName: 'Restart-Checkout-Api', Parameters: {}, ClientToken: '10f15e62-5699-5028-a2c0-c0eaacd298c3' };

async function startFailure(fetch: AwsJsonFetch): Promise<unknown> {
  const ssm = createSsmAutomationClient({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: {} });
  return ssm.startAutomationExecution(start).then(() => null, (error: unknown) => error);
}

describe('attack-44c A: SSM failures the step must retry', () => {
  // attack-44c finding S7: fetch fails a reset connection as TypeError('fetch failed') with the socket's code on its `cause`; the adapter retries it itself, then throws it as it is, and isTransientAwsError (the Lambda wrapper's test, shared/runtime/lambda.ts, for turning it into RetryableError, the name the ASL retries) reads `code` on the error only: a runbook start or status read whose connection reset 3 times is no longer retried by the state machine, as the SDK's ECONNRESET error (code on the error) was
  it.fails('a runbook start whose connection resets on every attempt fails as transient (state machine retries it)', async () => {
    let attempts = 0;
    const error = await startFailure(async () => {
      attempts += 1;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    });
    console.log(`S7 network: ${attempts} attempts; ${String(error)}; isTransientAwsError=${isTransientAwsError(error)} isRetryable=${isRetryable(error)}`);
    expect(attempts).toBe(3);
    expect(isTransientAwsError(error)).toBe(true);
  });

  // attack-44c finding S7 (b): a 503/502 answered by a proxy or load balancer without SSM's JSON error (name `HTTP503`, no `$fault`) is not transient for the step, where the SDK marked every 5xx `$fault: 'server'`
  it.fails('a runbook start answered 503 with an HTML page on every attempt fails as transient (state machine retries it)', async () => {
    let attempts = 0;
    const error = await startFailure(async () => {
      attempts += 1;
      return new Response('<html><body>503 Service Unavailable</body></html>', { status: 503, headers: { 'content-type': 'text/html' } });
    });
    console.log(`S7 503: ${attempts} attempts; ${String(error)}; isTransientAwsError=${isTransientAwsError(error)}`);
    expect(attempts).toBe(3);
    expect(isTransientAwsError(error)).toBe(true);
  });

  // Held: SSM's own JSON-coded 5xx (InternalServerError) stays transient for the step.
  it('a runbook start answered InternalServerError on every attempt fails as transient', async () => {
    const error = await startFailure(async () => new Response(JSON.stringify({ __type: 'InternalServerError', message: 'oops' }), { status: 500 }));
    expect(isTransientAwsError(error)).toBe(true);
  });
});

describe('attack-44c A: the SDK endpoint settings the adapter honours', () => {
  // attack-44c finding S8: the SDK client honoured AWS_USE_FIPS_ENDPOINT (a GovCloud / FedRAMP deployment's setting): the adapter reads AWS_ENDPOINT_URL* only, so with AWS_USE_FIPS_ENDPOINT=true the secrets (the GitHub token, the webhook secret) and SSM are read from the non-FIPS endpoint
  it.fails('reads a secret from the FIPS endpoint when AWS_USE_FIPS_ENDPOINT=true, as the SDK client did', async () => {
    const urls: string[] = [];
    const fetch: AwsJsonFetch = async (url) => {
      urls.push(url);
      return new Response(JSON.stringify({ SecretString: 'v' }), { status: 200 });
    };
    const read = createSecretsManagerReader({ region: 'us-gov-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: { AWS_USE_FIPS_ENDPOINT: 'true' } });
    await read('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:guard/token-AbCdEf', 'AWSCURRENT');
    console.log('S8 endpoint', urls);
    expect(urls[0]).toBe('https://secretsmanager-fips.us-gov-west-1.amazonaws.com/');
  });
});
