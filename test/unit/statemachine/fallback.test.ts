import { describe, expect, it } from 'vitest';
import { type TaskHandler, pipelineDefinition, runPipeline } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL run by the interpreter with stand-in tasks: what happens when notification fails. Every Task is
 * replaced, so these tests are about the state machine's paths, not the handlers. The reconciler's side (the page
 * for incidents Notify could not report) is tested in test/unit/reconcile and test/integration/notify-failed.test.ts.
 */
const named = (name: string, message = name) => Object.assign(new Error(message), { name });

/** Every Wait state shortened: these tests are about where the execution goes, not how long it waits. */
const noWaits = Object.fromEntries(Object.keys(pipelineDefinition.States).map((name) => [name, 0]));

const run = (overrides: Record<string, TaskHandler>) => runPipeline(overrides, noWaits);

/** What Notify's failure says: its message can hold any text (here a token) and be of any length. */
const CAUSE = `GitHub refused the comment: ghp_${'x'.repeat(36)} ${'detail '.repeat(5000)}`;

type Update = { UpdateExpression: string; ConditionExpression: string; Key: unknown; ExpressionAttributeValues: Record<string, any> };

describe('incident pipeline: notification fallback paths', () => {
  it('succeeds without the fallback when Notify succeeds', async () => {
    const { states, error } = await run({});
    expect(error).toBeNull();
    expect(states).not.toContain('RecordNotifyFailed');
  });

  it('when Notify fails for good: marks the incident notifyFailed with the error name only, and ends for the reconciler', async () => {
    const { states, calls, error, output } = await run({ Notify: async () => Promise.reject(named('GitHubRequestError', CAUSE)) });

    // Not a failed execution: the failed-executions alarm would page once per incident that arrives alone.
    expect(error).toBeNull();
    expect(output).toBeDefined();
    expect(states.slice(-2)).toEqual(['Notify', 'RecordNotifyFailed']);
    const update = calls.at(-1)?.input as Update;
    expect(update.Key).toEqual({ pk: { S: 'INCIDENT#gh-1-2-1' }, sk: { S: 'INCIDENT' } });
    expect(update.UpdateExpression).toContain('#notifyFailed = :true');
    expect(update.UpdateExpression).not.toContain('#status =');
    expect(update.ExpressionAttributeValues[':entry'].L[0].M.detail).toEqual({ S: 'GitHubRequestError' });
    expect(JSON.stringify(update)).not.toContain('ghp_');
  });

  it('publishes nothing itself: no state integrates with SNS (the reconciler pages, once per window)', () => {
    const resources = Object.values(pipelineDefinition.States as Record<string, { Resource?: string }>).map((state) => state.Resource ?? '');
    expect(resources.filter((resource) => resource.includes(':sns:'))).toEqual([]);
    expect(JSON.stringify(pipelineDefinition)).not.toContain('notifyError.Cause');
  });

  it('leaves an incident Notify already notified or that resolved meanwhile as it is, and ends successfully', async () => {
    const { states, calls, error } = await run({
      Notify: async () => Promise.reject(named('Sandbox.Timedout')),
      RecordNotifyFailed: async () => Promise.reject(named('DynamoDB.ConditionalCheckFailedException')),
    });
    expect(error).toBeNull();
    expect(states.filter((s) => s === 'RecordNotifyFailed')).toHaveLength(1);
    const update = calls.at(-1)?.input as Update;
    expect(update.ConditionExpression).toBe('attribute_not_exists(#status) OR NOT (#status IN (:notified, :resolved))');
    expect([update.ExpressionAttributeValues[':notified'], update.ExpressionAttributeValues[':resolved']]).toEqual([{ S: 'notified' }, { S: 'resolved' }]);
  });

  it('fails the execution when even recording notifyFailed fails (the alarm fires, the reconciler re-drives it)', async () => {
    const { states, error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      RecordNotifyFailed: async () => Promise.reject(named('DynamoDB.ResourceNotFoundException')),
    });
    expect(states.at(-1)).toBe('RecordNotifyFailed');
    expect(((error as Error).cause as Error).name).toBe('NotificationFailed');
  });

  it('retries throttled DynamoDB writes of the marker instead of failing at once', async () => {
    let attempts = 0;
    const { error } = await run({
      Notify: async () => Promise.reject(named('ValidationError')),
      RecordNotifyFailed: async () => {
        attempts += 1;
        if (attempts < 3) throw named('DynamoDB.ProvisionedThroughputExceededException');
        return {};
      },
    });
    expect(error).toBeNull();
    expect(attempts).toBe(3);
  });
});
