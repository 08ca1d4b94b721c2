/**
 * The invocation's deadline reaches the AWS JSON API adapters the composition root builds once per container
 * (session 43): a step's SSM call is cut before the Lambda's timeout and fails with the error the state machine
 * retries, and the next invocation of the same warm container gets its own deadline, or none. The adapter is the real
 * one (shared/runtime/deps.ts's runbook runner), pointed at a stand-in SSM on loopback (`AWS_ENDPOINT_URL_SSM`); the
 * Secrets Manager reader the same way (session 44). A step still running at the timeout is left to Lambda, and
 * locally answered Sandbox.Timedout once it settled (attack-45a A4).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LambdaHandler, SandboxTimedOutError, invokeWithTimeout } from '../../../infra/local/lambda-invocation.js';
import { RetryableError } from '../../../shared/errors.js';
import { loadConfig } from '../../../shared/config.js';
import { createRunbookRunner, createWebhookVerifier } from '../../../shared/runtime/deps.js';
import { lambdaHandler, stepHandler } from '../../../shared/runtime/lambda.js';
import { recordTimeoutBounds } from '../../support/timeout-bounds.js';

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
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
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

/** What `work` settled to, after how long, and the bound each timed wait it started was given (what the deadline sets). */
async function outcomeOf(work: () => Promise<unknown>): Promise<{ ms: number; timeoutsMs: number[]; value?: unknown; error?: Error }> {
  const { boundsMs: timeoutsMs, restore } = recordTimeoutBounds();
  const started = Date.now();
  try {
    const value = await work();
    return { ms: Date.now() - started, timeoutsMs, value };
  } catch (error) {
    return { ms: Date.now() - started, timeoutsMs, error: error as Error };
  } finally {
    restore();
  }
}

describe('the invocation’s deadline in the AWS JSON API adapters (session 43)', () => {
  it('cuts an SSM call that hangs before the invocation’s timeout, failing with the error the state machine retries', async () => {
    const invoke = await statusHandler();
    answer = { hang: true };

    // 500 ms left: the deadline keeps a fifth back for the step to record its failure.
    const outcome = await outcomeOf(() => invoke({ getRemainingTimeInMillis: () => 500 }));

    // Cut by the adapter (its TimeoutError the cause), well before the invocation's timeout, at which Lambda itself
    // would stop the step (Sandbox.Timedout).
    expect(outcome.error).toBeInstanceOf(RetryableError);
    expect((outcome.error?.cause as Error).name).toBe('TimeoutError');
    expect(outcome.ms).toBeGreaterThanOrEqual(350);
    expect(outcome.timeoutsMs.length).toBeGreaterThan(0);
    expect(Math.max(...outcome.timeoutsMs)).toBeLessThanOrEqual(400);
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

  it('cuts a Secrets Manager read made during an invocation at its deadline, not at the fixed 6 s budget (session 44)', async () => {
    // The webhook secret, read through the composition root's reader as ingest reads it again when it is due.
    const config = loadConfig({ ...process.env, GITHUB_WEBHOOK_SECRET: '', GITHUB_WEBHOOK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/webhook-AbCdEf' });
    const invoke = lambdaHandler(async () => createWebhookVerifier(config)) as unknown as (event: unknown, context: object) => Promise<unknown>;
    answer = { hang: true };

    const outcome = await outcomeOf(() => invoke({}, { functionName: 'ingest-github', getRemainingTimeInMillis: () => 500 }));

    // Cut at the deadline (500 ms less a fifth): no attempt given more, not an attempt's 3 s nor the 6 s a read outside
    // an invocation may take.
    expect(outcome.error).toBeInstanceOf(RetryableError);
    expect(outcome.error?.message).toMatch(/GITHUB_WEBHOOK_SECRET_ARN could not be read right now \(TimeoutError\)/);
    expect(outcome.ms).toBeGreaterThanOrEqual(350);
    expect(outcome.timeoutsMs.length).toBeGreaterThan(0);
    expect(Math.max(...outcome.timeoutsMs)).toBeLessThanOrEqual(400);
  });
});

describe('a step still running at the invocation’s timeout (session 43)', () => {
  // Was (session 43, before attack-45a A4): the wrapper answered a RetryableError 5 ms before the timeout (middy's
  // early timeout), while the step's promise ran on and its late side effects came after its retry's. Now the wrapper
  // leaves the timeout to Lambda (Sandbox.Timedout, the environment reset), and the local runtime answers the same
  // error only once the attempt settled.
  it('is not answered by the Lambda wrapper: Lambda itself stops it at the function’s timeout', async () => {
    const handler = await stepHandler(
      () => new Promise<never>(() => undefined),
      () => ({}),
    );
    const invoke = handler as unknown as (event: unknown, context: object) => Promise<unknown>;
    let answered = false;
    void invoke({}, { functionName: 'classify', getRemainingTimeInMillis: () => 200 }).finally(() => { answered = true; });

    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(answered).toBe(false);
  });

  it('fails locally with the error the state machine retries, once the attempt settled, not beside it', async () => {
    // A step that outlives its deadline by a store call that ignores the signal, then records what it did.
    const events: string[] = [];
    const handler = await stepHandler(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        events.push('attempt wrote');
        return { ok: true };
      },
      () => ({}),
    );

    const outcome = await outcomeOf(() => invokeWithTimeout(handler as LambdaHandler, {}, { functionName: 'classify', timeoutMs: 200 }).finally(() => events.push('answered')));

    expect(outcome.error).toBeInstanceOf(SandboxTimedOutError);
    expect(outcome.error?.name).toBe('Sandbox.Timedout');
    expect(outcome.ms).toBeGreaterThanOrEqual(390);
    expect(events).toEqual(['attempt wrote', 'answered']);
  });

  it('answers a step that settles before its timeout with its own outcome', async () => {
    const handler = await stepHandler(
      async (input: unknown) => {
        if ((input as { fail?: boolean }).fail) throw new RetryableError('GitHub answered 502');
        return { ok: true };
      },
      () => ({}),
    );
    const invoke = (event: unknown) => invokeWithTimeout(handler as LambdaHandler, event, { functionName: 'classify', timeoutMs: 1_000 });

    expect(await invoke({})).toEqual({ ok: true });
    expect((await outcomeOf(() => invoke({ fail: true }))).error).toBeInstanceOf(RetryableError);
  });

  it('keeps the execution waiting for an attempt that never settles, and says so once after the grace', async () => {
    const lines: string[] = [];
    const handler = await stepHandler(
      () => new Promise<never>(() => undefined),
      () => ({}),
    );
    let answered = false;
    void invokeWithTimeout(handler as LambdaHandler, {}, { functionName: 'remediate', timeoutMs: 100, graceMs: 100, log: (line) => lines.push(line) })
      .catch(() => undefined)
      .finally(() => { answered = true; });

    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(answered).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/remediate is still running 100 ms past its 100 ms timeout: its execution waits for it/);
  });
});
