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
  // attack-44c finding S7 (fixed, session 42): fetch fails a reset connection as TypeError('fetch failed') with the socket's code on its `cause`; the adapter retries it itself, then throws it as it is, and isTransientAwsError (the Lambda wrapper's test, shared/runtime/lambda.ts, for turning it into RetryableError, the name the ASL retries) reads `code` on the error only: a runbook start or status read whose connection reset 3 times is no longer retried by the state machine, as the SDK's ECONNRESET error (code on the error) was
  it('a runbook start whose connection resets on every attempt fails as transient (state machine retries it)', async () => {
    let attempts = 0;
    const error = await startFailure(async () => {
      attempts += 1;
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    });
    console.log(`S7 network: ${attempts} attempts; ${String(error)}; isTransientAwsError=${isTransientAwsError(error)} isRetryable=${isRetryable(error)}`);
    expect(attempts).toBe(3);
    expect(isTransientAwsError(error)).toBe(true);
  });

  // attack-44c finding S7 (b) (fixed, session 42): a 503/502 answered by a proxy or load balancer without SSM's JSON error (name `HTTP503`, no `$fault`) is not transient for the step, where the SDK marked every 5xx `$fault: 'server'`
  it('a runbook start answered 503 with an HTML page on every attempt fails as transient (state machine retries it)', async () => {
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
  // attack-44c finding S8 (fixed, session 42): the SDK client honoured AWS_USE_FIPS_ENDPOINT (a GovCloud / FedRAMP deployment's setting): the adapter reads AWS_ENDPOINT_URL* only, so with AWS_USE_FIPS_ENDPOINT=true the secrets (the GitHub token, the webhook secret) and SSM are read from the non-FIPS endpoint
  it('reads a secret from the FIPS endpoint when AWS_USE_FIPS_ENDPOINT=true, as the SDK client did', async () => {
    const urls: string[] = [];
    const fetch: AwsJsonFetch = async (url) => {
      urls.push(url);
      return new Response(JSON.stringify({ SecretString: 'v' }), { status: 200 });
    };
    const read = createSecretsManagerReader({ region: 'us-gov-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: { AWS_USE_FIPS_ENDPOINT: 'true' } });
    await read.read('arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:guard/token-AbCdEf', 'AWSCURRENT');
    console.log('S8 endpoint', urls);
    expect(urls[0]).toBe('https://secretsmanager-fips.us-gov-west-1.amazonaws.com/');
  });
});

describe('attack-44c A: what is signed is what is sent', () => {
  // attack-44c finding S11 (fixed, session 42): an endpoint setting with a query (AWS_ENDPOINT_URL_SECRETS_MANAGER=https://vpce-proxy.example/?tenant=a) is sent with its query (endpoint.href) but signed with `query: {}`: the signature covers another request than the one sent, and a SigV4-checking endpoint refuses it (InvalidSignatureException → ConfigError "credentials were refused")
  const signedAsSent = async (endpoint: string) => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Hash } = await import('@smithy/hash-node');
    let sent: { url: string; headers: Record<string, string>; body: string } | null = null;
    const fetch: AwsJsonFetch = async (url, init) => {
      sent = { url, headers: init.headers, body: init.body };
      return new Response(JSON.stringify({ SecretString: 'v' }), { status: 200 });
    };
    const read = createSecretsManagerReader({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait(), env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint } });
    await read.read('arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf', 'AWSCURRENT');
    const request = sent!;
    const url = new URL(request.url);
    const amzDate = request.headers['x-amz-date']!;
    const signingDate = new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => !['authorization', 'x-amz-date', 'x-amz-security-token', 'x-amz-content-sha256'].includes(k.toLowerCase())));
    const verifier = new SignatureV4({ service: 'secretsmanager', region: 'eu-west-1', credentials, sha256: Hash.bind(null, 'sha256') });
    const expected = await verifier.sign(
      { method: 'POST', protocol: url.protocol, hostname: url.host, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: request.body },
      { signingDate },
    );
    console.log(`S11 ${endpoint}: sent`, '\n  sent auth    ', request.headers.authorization, '\n  as sent auth ', expected.headers.authorization);
    return { sent: request.headers.authorization, asSent: expected.headers.authorization };
  };

  it('signs the query string it sends', async () => {
    const { sent, asSent } = await signedAsSent('https://proxy.example.com/sm?tenant=a');
    expect(sent).toBe(asSent);
  });

  // Control for S11: the same check holds for an endpoint without a query.
  it('signs what it sends for an endpoint without a query', async () => {
    const { sent, asSent } = await signedAsSent('https://proxy.example.com/sm');
    expect(sent).toBe(asSent);
  });
});
