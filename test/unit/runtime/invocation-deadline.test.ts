/**
 * The invocation's deadline reaches the AWS JSON API adapters the composition root builds once per container
 * (session 43): a step's SSM call is cut before the Lambda's timeout and fails with the error the state machine
 * retries, and the next invocation of the same warm container gets its own deadline, or none. The adapter is the real
 * one (shared/runtime/deps.ts's runbook runner), pointed at a stand-in SSM on loopback (`AWS_ENDPOINT_URL_SSM`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RetryableError } from '../../../shared/errors.js';
import { createRunbookRunner } from '../../../shared/runtime/deps.js';
import { stepHandler } from '../../../shared/runtime/lambda.js';

/** How the stand-in SSM answers the next request: never, or `{ … Success }` after `afterMs`. */
let answer: { hang: true } | { afterMs: number } = { hang: true };
const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    const now = answer;
    if ('hang' in now) return;
    setTimeout(() => {
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ AutomationExecution: { AutomationExecutionStatus: 'Success' } }));
    }, now.afterMs);
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  vi.stubEnv('AWS_ENDPOINT_URL_SSM', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('OUTBOX_PATH', '');
});

afterAll(() => {
  server.closeAllConnections();
  server.close();
  vi.unstubAllEnvs();
});

/** A step reading a runbook's status through the composition root's SSM runner, as a Lambda handler. */
async function statusHandler() {
  const handler = await stepHandler(
    async (_input, deps: { runner: ReturnType<typeof createRunbookRunner> }) => deps.runner.status('exec-1'),
    (config) => ({ runner: createRunbookRunner(config) }),
  );
  return (context: object) => (handler as unknown as (event: unknown, context: object) => Promise<{ status: string }>)({}, { functionName: 'remediate', ...context });
}

/** What `work` settled to, and after how long. */
async function outcomeOf(work: () => Promise<unknown>): Promise<{ ms: number; value?: unknown; error?: Error }> {
  const started = Date.now();
  try {
    const value = await work();
    return { ms: Date.now() - started, value };
  } catch (error) {
    return { ms: Date.now() - started, error: error as Error };
  }
}

describe('the invocation’s deadline in the AWS JSON API adapters (session 43)', () => {
  it('cuts an SSM call that hangs before the invocation’s timeout, failing with the error the state machine retries', async () => {
    const invoke = await statusHandler();
    answer = { hang: true };

    // 500 ms left: the deadline keeps a fifth back for the step to record its failure.
    const outcome = await outcomeOf(() => invoke({ getRemainingTimeInMillis: () => 500 }));

    // Cut by the adapter (its TimeoutError the cause), before middy's own early timeout 5 ms before the
    // invocation's, which a call not cut by the adapter ends with (a RetryableError without that cause).
    expect(outcome.error).toBeInstanceOf(RetryableError);
    expect((outcome.error?.cause as Error).name).toBe('TimeoutError');
    expect(outcome.ms).toBeGreaterThanOrEqual(350);
  });

  it('does not carry one invocation’s deadline into the next invocation of the warm container', async () => {
    const invoke = await statusHandler();
    answer = { hang: true };
    const first = await outcomeOf(() => invoke({ getRemainingTimeInMillis: () => 300 }));
    expect(first.error).toBeInstanceOf(RetryableError);

    // Past the first invocation's deadline: a call still bound by it would fail at once.
    answer = { afterMs: 400 };
    expect((await outcomeOf(() => invoke({}))).value).toMatchObject({ status: 'Success' });
    expect((await outcomeOf(() => invoke({ getRemainingTimeInMillis: () => 60_000 }))).value).toMatchObject({ status: 'Success' });
  });
});

describe('a step still running at the invocation’s timeout (session 43)', () => {
  it('fails with the error the state machine retries, not middy’s bare TimeoutError that only its Catch matches', async () => {
    // A step that outlives its deadline however it spends the time (a loop, a call that ignores the signal).
    const handler = await stepHandler(
      () => new Promise<never>(() => undefined),
      () => ({}),
    );
    const invoke = handler as unknown as (event: unknown, context: object) => Promise<unknown>;

    const outcome = await outcomeOf(() => invoke({}, { functionName: 'classify', getRemainingTimeInMillis: () => 200 }));

    expect(outcome.error).toBeInstanceOf(RetryableError);
    expect(outcome.error?.name).toBe('RetryableError');
    expect(outcome.error?.message).toMatch(/timeout/);
  });
});
