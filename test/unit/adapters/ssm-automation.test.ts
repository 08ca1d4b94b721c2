import { StandardRetryStrategy } from '@smithy/core/retry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AwsEndpointSettingError, AwsNetworkError } from '../../../shared/adapters/aws-json.js';
import { type SsmFetch, createSsmAutomationClient } from '../../../shared/adapters/ssm-automation.js';
import { ConfigError, isTransientAwsError } from '../../../shared/errors.js';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };

interface Sent {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records what it was sent and answers from `answers`, in order (the last one repeats). */
function fakeFetch(...answers: Array<{ status: number; body?: unknown; headers?: Record<string, string> } | Error>) {
  const sent: Sent[] = [];
  const fetch: SsmFetch = async (url, init) => {
    sent.push({ url: String(url), headers: Object.fromEntries(Object.entries(init.headers).map(([k, v]) => [k.toLowerCase(), v])), body: JSON.parse(init.body) });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)] as (typeof answers)[number];
    if (answer instanceof Error) throw answer;
    return new Response(answer.body === undefined ? '' : JSON.stringify(answer.body), { status: answer.status, headers: answer.headers ?? {} });
  };
  return { fetch, sent };
}

/**
 * The SDK's standard strategy with a backoff that does not wait: it records the delay base the strategy gave each
 * retry (the SDK's throttling base is the longer one).
 */
function noWait() {
  const bases: number[] = [];
  let base = 0;
  const backoff = {
    setDelayBase: (delay: number) => void (base = delay),
    computeNextBackoffDelay: () => {
      bases.push(base);
      return 0;
    },
  };
  return { retryStrategy: new StandardRetryStrategy({ maxAttempts: 3, backoff }), bases };
}

describe('SSM Automation over its JSON API', () => {
  it('sends the operation as AWS JSON 1.1 to the regional endpoint, signed with SigV4 for ssm', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { AutomationExecutionId: 'exec-1' } });
    const ssm = createSsmAutomationClient({ region: 'eu-west-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const output = await ssm.startAutomationExecution({ DocumentName: 'AWS-RestartECSService', Parameters: { Service: ['checkout'] }, ClientToken: 'token-1' });

    expect(output).toEqual({ AutomationExecutionId: 'exec-1' });
    expect(sent).toHaveLength(1);
    const [request] = sent as [Sent];
    expect(request.url).toBe('https://ssm.eu-west-1.amazonaws.com/');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers['x-amz-target']).toBe('AmazonSSM.StartAutomationExecution');
    expect(request.headers['x-amz-security-token']).toBe('session-token');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/ssm\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(request.body).toEqual({ DocumentName: 'AWS-RestartECSService', Parameters: { Service: ['checkout'] }, ClientToken: 'token-1' });
  });

  it('uses the partition’s domain for the region (China)', async () => {
    const { fetch, sent } = fakeFetch({ status: 200, body: { AutomationExecution: { AutomationExecutionStatus: 'Success' } } });
    const ssm = createSsmAutomationClient({ region: 'cn-north-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    await ssm.getAutomationExecution({ AutomationExecutionId: 'exec-1' });

    expect(sent[0]?.url).toBe('https://ssm.cn-north-1.amazonaws.com.cn/');
    expect(sent[0]?.headers['x-amz-target']).toBe('AmazonSSM.GetAutomationExecution');
  });

  it('fails with the service’s error code as the name and its message, without retrying a refusal', async () => {
    const { fetch, sent } = fakeFetch({ status: 400, body: { __type: 'com.amazonaws.ssm#AutomationDefinitionNotFoundException', message: 'no such document' } });
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const failure = await ssm.startAutomationExecution({ DocumentName: 'missing', Parameters: {}, ClientToken: 't' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('AutomationDefinitionNotFoundException');
    expect((failure as Error).message).toBe('no such document');
    expect((failure as { statusCode?: number }).statusCode).toBe(400);
    expect(sent).toHaveLength(1);
  });

  it('reads the code from x-amzn-errortype when the body has none', async () => {
    const { fetch } = fakeFetch({ status: 403, body: { Message: 'not allowed' }, headers: { 'x-amzn-errortype': 'AccessDeniedException:http://internal.amazon.com/' } });
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const failure = (await ssm.getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error)) as Error;

    expect(failure.name).toBe('AccessDeniedException');
    expect(failure.message).toBe('not allowed');
  });

  it('retries throttling, 5xx answers and network failures with backoff, as the SDK’s standard mode does', async () => {
    const { fetch, sent } = fakeFetch(
      { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' } },
      new TypeError('fetch failed'),
      { status: 200, body: { AutomationExecutionId: 'exec-9' } },
    );
    const { retryStrategy, bases } = noWait();
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy });

    expect(await ssm.startAutomationExecution({ DocumentName: 'd', Parameters: {}, ClientToken: 't' })).toEqual({ AutomationExecutionId: 'exec-9' });
    expect(sent).toHaveLength(3);
    // The strategy classed the first failure as throttling (its longer base) and the network failure as transient.
    expect(bases).toHaveLength(2);
    expect(bases[0]).toBeGreaterThan(bases[1] as number);
  });

  it('does not retry a 5xx the SDK does not retry (501), as its standard mode', async () => {
    const { fetch, sent } = fakeFetch({ status: 501, body: { __type: 'NotImplemented', message: 'no' } });
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const failure = (await ssm.getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error)) as Error;

    expect(sent).toHaveLength(1);
    expect(failure.name).toBe('NotImplemented');
  });

  it('gives up after three attempts with the last failure', async () => {
    const { fetch, sent } = fakeFetch({ status: 503, body: { __type: 'InternalServerError', message: 'try later' } });
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const failure = (await ssm.getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error)) as Error;

    expect(sent).toHaveLength(3);
    expect(failure.name).toBe('InternalServerError');
  });

  it('names a network failure that outlasts its retries AwsNetworkError, with the socket’s code (session 42, attack-44c S7)', async () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) });
    const { fetch, sent } = fakeFetch(reset);
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy: noWait().retryStrategy });

    const failure = await ssm.getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error);

    expect(sent).toHaveLength(3);
    expect(failure).toBeInstanceOf(AwsNetworkError);
    expect((failure as AwsNetworkError).code).toBe('ECONNRESET');
    expect((failure as Error).cause).toBe(reset);
  });
});

/** The timeout each signal of AbortSignal.timeout was made with, while the deadline tests run (an attempt's bound). */
const signalTimeouts = new WeakMap<AbortSignal, number>();

/**
 * A fetch whose first `hangs` attempts never answer (each ends when its signal aborts, with the signal's reason) and
 * whose later ones answer `{}`; records when each attempt began and ended, from `started`, and its signal's timeout.
 */
function hangingFetch(hangs: number) {
  const started = Date.now();
  const attempts: Array<{ at: number; endedAt?: number; timeoutMs?: number | undefined }> = [];
  const fetch: SsmFetch = (_url, init) => {
    const attempt: (typeof attempts)[number] = { at: Date.now() - started, timeoutMs: init.signal && signalTimeouts.get(init.signal) };
    attempts.push(attempt);
    if (attempts.length > hangs) return Promise.resolve(new Response('{}', { status: 200 }));
    return new Promise((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => {
        attempt.endedAt = Date.now() - started;
        reject(init.signal?.reason);
      });
    });
  };
  return { fetch, attempts, started };
}

describe('an AWS JSON API call bounded by the invocation’s deadline (session 43)', () => {
  let restoreTimeouts = () => {};
  beforeEach(() => {
    const made = AbortSignal.timeout.bind(AbortSignal);
    const spy = vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
      const signal = made(ms);
      signalTimeouts.set(signal, ms);
      return signal;
    });
    restoreTimeouts = () => spy.mockRestore();
  });
  afterEach(() => restoreTimeouts());
  const client = (fetch: SsmFetch, deadline: () => number | undefined, retryStrategy = noWait().retryStrategy) =>
    createSsmAutomationClient({ region: 'us-east-1', credentials: async () => credentials, fetch, retryStrategy, deadline });

  it('aborts a call whose deadline comes before one attempt’s 3 s at the deadline, as a TimeoutError the step retries', async () => {
    const { fetch, attempts, started } = hangingFetch(3);
    const deadline = started + 300;

    const failure = (await client(fetch, () => deadline).getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error)) as Error;
    const elapsed = Date.now() - started;

    expect(failure.name).toBe('TimeoutError');
    expect(isTransientAwsError(failure)).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(attempts).toHaveLength(1);
    // Cut at the deadline, not at the attempt's 3 s: however late the attempt starts, no more than was left.
    expect(attempts[0]?.timeoutMs).toBeLessThanOrEqual(deadline - started);
  });

  it('fails at once, sending nothing, a call started once the deadline (the margin kept to record the failure) has passed', async () => {
    const { fetch, attempts, started } = hangingFetch(0);
    // Counted: what the call asks for before it sends (the credential chain's first resolution can take seconds).
    let credentialsAsked = 0;
    let retryTokens = 0;
    const { retryStrategy } = noWait();
    const acquire = retryStrategy.acquireInitialRetryToken.bind(retryStrategy);
    retryStrategy.acquireInitialRetryToken = (scope) => ((retryTokens += 1), acquire(scope));
    const ssm = createSsmAutomationClient({ region: 'us-east-1', credentials: async () => ((credentialsAsked += 1), credentials), fetch, retryStrategy, deadline: () => started - 1 });

    // Act: the call against a turn of the event loop, which a call that waits for anything (a timer, I/O) loses.
    const call = ssm.getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error);
    const failure = (await Promise.race([call, new Promise((resolve) => setImmediate(() => resolve(new Error('still running after a turn of the event loop'))))])) as Error;

    expect(failure.name).toBe('TimeoutError');
    expect(failure.message).toContain('SSM GetAutomationExecution');
    expect(isTransientAwsError(failure)).toBe(true);
    expect(attempts).toHaveLength(0);
    expect({ credentialsAsked, retryTokens }).toEqual({ credentialsAsked: 0, retryTokens: 0 });
  });

  it('keeps the fixed budgets (3 s an attempt, 6 s a call) without a deadline; minutes before one, the third attempt runs', async () => {
    const withoutDeadline = hangingFetch(2);
    const minutesLeft = hangingFetch(2);
    const farDeadline = minutesLeft.started + 300_000;
    // A backoff before the retry, so the second attempt starts well past 3 s into the call: what the first left of the
    // 6 s is then clearly under a fresh attempt's 3 s.
    const backoffMs = 500;
    const waitsBeforeRetry = new StandardRetryStrategy({ maxAttempts: 3, backoff: { setDelayBase: () => {}, computeNextBackoffDelay: () => backoffMs } });

    const failing = client(withoutDeadline.fetch, () => undefined, waitsBeforeRetry).getAutomationExecution({ AutomationExecutionId: 'e' }).catch((error: unknown) => error as Error);
    // No earlier than the call's own start (taken before its first await), so its 6 s end no later than this + 6 s.
    const callStartedBy = Date.now() - withoutDeadline.started;
    const [failure, answer] = await Promise.all([failing, client(minutesLeft.fetch, () => farDeadline).getAutomationExecution({ AutomationExecutionId: 'e' })]);
    const elapsed = Date.now() - withoutDeadline.started;

    expect((failure as Error).name).toBe('TimeoutError');
    expect(withoutDeadline.attempts).toHaveLength(2);
    expect(withoutDeadline.attempts[0]?.endedAt).toBeGreaterThanOrEqual(2_900);
    expect(elapsed).toBeGreaterThanOrEqual(5_900);
    // The call's 6 s counted from its start, however late each attempt starts: an attempt is cut at 3 s, the second
    // at what the first left of the 6 s. The second's timeout is taken after the first's abort and the backoff's
    // timer (which Node may fire a few ms early by the clock: 5 ms of slack), so at most the call's end less that; a
    // loaded machine only takes it later, and smaller. A fresh 3 s is over it by about the backoff.
    const [first, second] = withoutDeadline.attempts;
    expect(withoutDeadline.attempts.map((attempt) => attempt.timeoutMs)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(Math.max(first!.timeoutMs!, second!.timeoutMs!)).toBeLessThanOrEqual(3_000);
    expect(second!.timeoutMs).toBeLessThanOrEqual(callStartedBy + 6_000 - (first!.endedAt! + backoffMs - 5));
    expect(answer).toEqual({});
    expect(minutesLeft.attempts).toHaveLength(3);
  }, 15_000);
});

describe('SSM endpoint settings refused at start-up (session 42, attack-44c S8)', () => {
  const build = (region: string, env: Record<string, string>) => () => createSsmAutomationClient({ region, credentials: async () => credentials, env });

  it('refuses AWS_USE_FIPS_ENDPOINT=true, whose SSM hostnames this client does not resolve, and says what to set instead', () => {
    expect(build('us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).toThrow(AwsEndpointSettingError);
    expect(build('us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).toThrow(/AWS_ENDPOINT_URL_SSM/);
    expect(build('us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'true' })).toThrow(ConfigError);
  });

  it('refuses FIPS with a custom endpoint, as the SDK does', () => {
    expect(build('us-east-1', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_ENDPOINT_URL_SSM: 'https://ssm.example.com' })).toThrow(/not supported together/);
  });

  it('builds without FIPS or with it set false', () => {
    expect(build('us-gov-west-1', { AWS_USE_FIPS_ENDPOINT: 'false' })).not.toThrow();
  });
});
