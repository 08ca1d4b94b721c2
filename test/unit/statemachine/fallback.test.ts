import { describe, expect, it } from 'vitest';
import { type TaskHandler, pipelineDefinition, runPipeline } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL run by the interpreter with stand-in tasks: what happens when notification fails. Every Task is
 * replaced, so these tests are about the state machine's paths, not the handlers.
 */
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** Every Wait state shortened: these tests are about where the execution goes, not how long it waits. */
const noWaits = Object.fromEntries(Object.keys(pipelineDefinition.States).map((name) => [name, 0]));

const run = (overrides: Record<string, TaskHandler>) => runPipeline(overrides, noWaits);

describe('incident pipeline: notification fallback paths', () => {
  it('succeeds without the fallback when Notify succeeds', async () => {
    const { states, error } = await run({});
    expect(error).toBeNull();
    expect(states).not.toContain('EscalateFallback');
  });

  it('escalates through SNS and records notifiedByFallback when Notify fails for good', async () => {
    const { states, calls, error } = await run({ Notify: async () => Promise.reject(named('ValidationError', 'bad state')) });
    expect(error).toBeNull();
    expect(states.slice(-2)).toEqual(['EscalateFallback', 'RecordFallback']);
    const update = calls.find((c) => c.state === 'RecordFallback')?.input as { UpdateExpression: string; ConditionExpression: string; ExpressionAttributeValues: Record<string, unknown> };
    expect(update.UpdateExpression).toContain('#fallback = :fallback');
    // A late fallback never moves a resolved incident back to notified.
    expect(update.ConditionExpression).toBe('attribute_not_exists(#status) OR #status <> :resolved');
    expect(update.ExpressionAttributeValues[':resolved']).toEqual({ S: 'resolved' });
  });

  it('ends successfully when the incident was resolved meanwhile (the condition failed: nothing to record)', async () => {
    const { states, error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      RecordFallback: async () => Promise.reject(named('DynamoDB.ConditionalCheckFailedException')),
    });
    expect(error).toBeNull();
    expect(states.filter((s) => s === 'RecordFallback')).toHaveLength(1);
    expect(states).not.toContain('RecordNotifyFailed');
  });

  it('when Notify and the SNS fallback both fail: records notifyFailed and fails the execution (the alarm fires)', async () => {
    const { states, calls, error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      EscalateFallback: async () => Promise.reject(named('SNS.AuthorizationErrorException', 'not allowed')),
    });
    expect(states).not.toContain('RecordFallback');
    expect(states.at(-1)).toBe('RecordNotifyFailed');
    // The SNS publish was retried before giving up.
    expect(states.filter((s) => s === 'EscalateFallback').length).toBeGreaterThan(1);
    const update = calls.at(-1)?.input as { UpdateExpression: string; Key: unknown; ExpressionAttributeValues: Record<string, unknown> };
    expect(update.Key).toEqual({ pk: { S: 'INCIDENT#gh-1-2-1' }, sk: { S: 'INCIDENT' } });
    expect(update.UpdateExpression).toContain('#notifyFailed = :true');
    expect(update.UpdateExpression).not.toContain('#status');
    expect(update.ExpressionAttributeValues[':true']).toEqual({ BOOL: true });
    expect(error).toBeInstanceOf(Error);
    expect(((error as Error).cause as Error).name).toBe('NotificationFailed');
  });

  it('still fails the execution when even recording notifyFailed fails', async () => {
    const { states, error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      EscalateFallback: async () => Promise.reject(named('SNS.InternalErrorException')),
      RecordNotifyFailed: async () => Promise.reject(named('DynamoDB.ResourceNotFoundException')),
    });
    expect(states.at(-1)).toBe('RecordNotifyFailed');
    expect(((error as Error).cause as Error).name).toBe('NotificationFailed');
  });

  it('retries throttled DynamoDB writes of the fallback record instead of failing at once', async () => {
    let attempts = 0;
    const { error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      RecordFallback: async () => {
        attempts += 1;
        if (attempts < 3) throw named('DynamoDB.ProvisionedThroughputExceededException');
        return {};
      },
    });
    expect(error).toBeNull();
    expect(attempts).toBe(3);
  });
});
