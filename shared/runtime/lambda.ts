import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { type Config, loadConfig } from '../config.js';
import { RetryableError, isTransientAwsError } from '../errors.js';
import type { StepLogger } from '../ports.js';
import { redactingLogger } from './redacting-logger.js';
import { invocationEndOf, stepDeadlineSignal, withInvocationDeadline } from './step-deadline.js';

/** One logger per process; Powertools reads POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'pipeline-guard' });
/** What handlers and steps log through: the same logger, with secrets redacted from every field. */
export const safeLogger = redactingLogger(logger);

/**
 * The one wrapper of every Lambda handler export (session 44): the invocation's deadline known to the adapters built
 * once per container (step-deadline.ts), the Lambda context in the logs, and no early timeout. A handler still
 * running at the function's timeout is stopped by Lambda itself, which answers Sandbox.Timedout and resets the
 * execution environment, so nothing of the attempt runs on beside its retry (a step's Retry, Lambda's asynchronous
 * retry of the reconciler and record-outcome, a webhook's redelivery). Middy's early answer (a bare TimeoutError a
 * few ms before the timeout) left the handler's promise running in the warm container, and its late side effects
 * came after the retry's (attack-45a A4). The local runtime times its invocations out the same way
 * (infra/local/lambda-invocation.ts).
 */
export function lambdaHandler<E, R>(handle: (event: E, context: unknown) => Promise<R>) {
  return middy(withInvocationDeadline(handle), { timeoutEarlyInMillis: 0 }).use(injectLambdaContext(logger));
}

/**
 * Wraps a pure step `(input, deps) => result` as a Lambda handler: config and the stage's adapters (built by its
 * factory in the composition root, shared/runtime/deps.ts) are built once at cold start; errors propagate with
 * their names so the state machine's Retry/Catch can match them.
 */
export async function stepHandler<D, R>(
  step: (input: unknown, deps: D) => Promise<R>,
  createDeps: (config: Config, logger: StepLogger) => D | Promise<D>,
) {
  const deps = await createDeps(loadConfig(process.env), safeLogger);
  return lambdaHandler(async (event: unknown, context: unknown) => {
    // Per invocation: the step passes its deadline to every outbound request, the adapters built once read it (see step-deadline.ts).
    const signal = stepDeadlineSignal(context);
    const invocationEndsAt = invocationEndOf(context);
    try {
      return await step(event, signal ? { ...deps, signal, invocationEndsAt } : deps);
    } catch (error) {
      // A throttled or failing AWS call is transient: give it the name the ASL retries.
      if (isTransientAwsError(error)) throw new RetryableError(`transient AWS error: ${(error as Error).name}: ${(error as Error).message}`, { cause: error });
      throw error;
    }
  });
}
