import { describe, expect, it } from 'vitest';
import { type TaskHandler, pipelineDefinition, runPipeline } from '../../support/pipeline-asl.js';

/**
 * Lambda throttling (Lambda.TooManyRequestsException: the account's or a function's concurrency is in use) lasts as
 * long as the burst that caused it, minutes rather than seconds. Giving up after a few seconds skips a stage and, at
 * Notify, sends the content-free fallback page for every incident of the burst: a page nobody needs to act on.
 */
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

const noWaits = Object.fromEntries(Object.keys(pipelineDefinition.States).map((name) => [name, 0]));

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
}
const states = pipelineDefinition.States as Record<string, { Type: string; Resource?: string; Parameters?: { FunctionName?: string }; Retry?: Retrier[] }>;

/** Tasks that invoke one of the pipeline's functions (plain ARN or the waitForTaskToken integration). */
const lambdaTasks = Object.entries(states).filter(
  ([, state]) => state.Type === 'Task' && (/:function:/.test(state.Resource ?? '') || /:function:/.test(state.Parameters?.FunctionName ?? '')),
);

/** Seconds the retrier waits in all before giving up, without jitter (IntervalSeconds × BackoffRate^n, capped). */
function nominalRetrySeconds(retrier: Retrier): number {
  let total = 0;
  for (let attempt = 0; attempt < (retrier.MaxAttempts ?? 3); attempt += 1) {
    const delay = (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** attempt;
    total += Math.min(delay, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  return total;
}

/** Throttled this many times, then answers like the plain-path stand-in. */
function throttled(times: number, then: TaskHandler = async () => ({})): TaskHandler & { attempts: () => number } {
  let attempts = 0;
  const handler = async (input: unknown) => {
    attempts += 1;
    if (attempts <= times) throw named('Lambda.TooManyRequestsException', 'Rate Exceeded.');
    return then(input);
  };
  return Object.assign(handler, { attempts: () => attempts });
}

describe('incident pipeline: Lambda throttling is waited out, not escalated', () => {
  it('finds the Lambda tasks it checks', () => {
    expect(lambdaTasks.map(([name]) => name).sort()).toEqual(
      ['Analyze', 'ApplyAfterDelay', 'ApplyApproved', 'AwaitApproval', 'Classify', 'KnowledgeLookup', 'Notify', 'Remediate'].sort(),
    );
  });

  it('gives every Lambda task a throttling retrier of at least ten minutes', () => {
    for (const [name, state] of lambdaTasks) {
      const retrier = state.Retry?.find((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException'));
      expect(retrier, name).toBeDefined();
      expect(nominalRetrySeconds(retrier as Retrier), name).toBeGreaterThanOrEqual(600);
    }
  });

  it('retries the Lambda service errors AWS lists as transient, ClientExecutionTimeoutException included', () => {
    for (const [name, state] of lambdaTasks) {
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      for (const error of ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.ClientExecutionTimeoutException']) {
        expect(retried, `${name} ${error}`).toContain(error);
      }
    }
  });

  it('a Notify throttled through a burst still notifies: no notify-failed fallback', async () => {
    const notify = throttled(6);
    const { states: visited, error } = await runPipeline({ Notify: notify }, noWaits);
    expect(error).toBeNull();
    expect(notify.attempts()).toBe(7);
    expect(visited).not.toContain('RecordNotifyFailed');
  });

  it('a Classify throttled through a burst still classifies instead of skipping to Notify', async () => {
    const classify = throttled(6);
    const { states: visited, calls, error } = await runPipeline({ Classify: classify }, noWaits);
    expect(error).toBeNull();
    expect(visited).toContain('Analyze');
    const notifyInput = calls.find((c) => c.state === 'Notify')?.input as Record<string, unknown>;
    expect(notifyInput.classifyError).toBeUndefined();
  });
});
