import { randomUUID } from 'node:crypto';
import type { FunctionName } from '../table-access.js';
import { runAsFunction } from './function-grants.js';

/** The account the local runtime's ARNs name. */
export const LOCAL_ACCOUNT = '000000000000';

/** A handler export as Lambda invokes it. */
export type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/**
 * A Lambda-like context. `timeoutMs` is the invocation's time limit (locally the ASL state's TimeoutSeconds, the
 * limit Step Functions enforces on the attempt), counted from now, so steps get the same deadline signal as in AWS.
 */
export function lambdaContext(functionName: string, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

/**
 * What Lambda answers for an invocation still running at the function's timeout; every Lambda step of the pipeline's
 * state machine retries it by this name.
 */
export class SandboxTimedOutError extends Error {
  override name = 'Sandbox.Timedout';
}

/** How long past its timeout an attempt may run before the runtime says it holds its execution. */
const OVERRUN_GRACE_MS = 10_000;

/**
 * One invocation of `handler` with Lambda's time limit, as the local runtime's task states run them (session 43). In
 * AWS a step still running at the function's timeout is stopped by Lambda, which answers Sandbox.Timedout and resets
 * the execution environment: nothing of the attempt runs on beside its retry (stepHandler leaves the timeout to
 * Lambda). A process cannot stop a promise, so the timeout is answered only once the attempt settled: its deadline
 * signal (shared/runtime/step-deadline.ts) aborted its outbound requests, and the in-process stores answer at once.
 * The late attempt's outcome is dropped, as Lambda drops it: the state's Retry sees Sandbox.Timedout either way.
 * Should the attempt not settle within `graceMs` of its timeout, that is logged once and the invocation keeps
 * waiting: an execution held is safer than a retry racing the attempt it replaces.
 */
export async function invokeWithTimeout(
  handler: LambdaHandler,
  event: unknown,
  options: { functionName: FunctionName; timeoutMs: number; graceMs?: number; log?: (line: string) => void },
): Promise<unknown> {
  // Held to the function's DynamoDB grants, as its role holds it in AWS (function-grants.ts).
  const attempt = runAsFunction(options.functionName, () => handler(event, lambdaContext(options.functionName, options.timeoutMs)));
  const settled = attempt.then(() => 'settled' as const, () => 'settled' as const);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timed out'>((resolve) => { timer = setTimeout(() => resolve('timed out'), options.timeoutMs); });
  const first = await Promise.race([settled, timedOut]);
  clearTimeout(timer);
  if (first === 'settled') return attempt;
  const graceMs = options.graceMs ?? OVERRUN_GRACE_MS;
  const held = setTimeout(() => {
    options.log?.(`${options.functionName} is still running ${graceMs} ms past its ${options.timeoutMs} ms timeout: its execution waits for it (a retry beside it would race it)`);
  }, graceMs);
  try {
    await settled;
  } finally {
    clearTimeout(held);
  }
  throw new SandboxTimedOutError(`Task timed out after ${options.timeoutMs / 1000} seconds (${options.functionName}; answered once the attempt settled)`);
}
