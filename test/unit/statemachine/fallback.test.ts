import { describe, expect, it } from 'vitest';
import { pipelineDefinition, pipelineMachine } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL run by the interpreter with stand-in tasks: what happens when notification fails. Every Task is
 * replaced, so these tests are about the state machine's paths, not the handlers.
 */
const definition = pipelineDefinition;
const machine = pipelineMachine;
const retryIntervalOverrides = Object.fromEntries(Object.keys(definition.States).map((name) => [name, 0]));

const named = (name: string, message = name) => Object.assign(new Error(message), { name });
const input = { trigger: { source: 'github', incidentId: 'gh-1-2-1' } };

type Handler = (input: unknown) => Promise<unknown>;

async function run(overrides: Record<string, Handler>) {
  const calls: Array<{ state: string; input: unknown }> = [];
  const recorded = (state: string, handler: Handler): Handler => async (value) => {
    calls.push({ state, input: value });
    return handler(value);
  };
  const ok: Handler = async () => ({});
  const handlers: Record<string, Handler> = {
    Classify: ok,
    KnowledgeLookup: ok,
    Analyze: async () => ({ incidentStatus: 'analyzed' }),
    Remediate: async () => ({ awaitingApproval: false }),
    Notify: ok,
    EscalateFallback: async () => ({ MessageId: 'm-1' }),
    RecordFallback: ok,
    RecordNotifyFailed: ok,
    ...overrides,
  };
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(Object.entries(handlers).map(([state, h]) => [state, recorded(state, h)])) as never,
      retryIntervalOverrides,
      waitTimeOverrides: Object.fromEntries(Object.keys(definition.States).map((name) => [name, 0])),
    },
    context: {
      Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:incident-pipeline:gh-1-2-1', Name: 'gh-1-2-1', StartTime: '2026-01-01T00:00:00.000Z', Input: input as never, RoleArn: 'arn:aws:iam::000000000000:role/test' },
      StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:incident-pipeline', Name: 'incident-pipeline' },
    },
  });
  let error: unknown = null;
  let output: unknown = null;
  try {
    output = await execution.result;
  } catch (caught) {
    error = caught;
  }
  return { calls, states: calls.map((c) => c.state), error, output };
}

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
