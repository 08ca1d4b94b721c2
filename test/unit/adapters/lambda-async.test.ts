import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createLambdaRecoveryQueue } from '../../../shared/adapters/lambda-async.js';
import { workflowRecoveryMessage, workflowRecoveryMessageSchema } from '../../../shared/domain/recovery.js';

const lambda = mockClient(LambdaClient);
const message = workflowRecoveryMessage({
  scope: 'github:acme/shop:main:61835520',
  runId: 42,
  runAttempt: 1,
  resolvedBy: 'run 42',
  installationId: 7,
  completedAt: new Date('2026-11-20T10:00:00Z'),
});

afterEach(() => lambda.reset());

describe('createLambdaRecoveryQueue', () => {
  it('invokes the outcome recorder asynchronously (Event) with the message as JSON', async () => {
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });

    await createLambdaRecoveryQueue(new LambdaClient({}), 'guard-record-outcome').enqueue(message);

    const input = lambda.commandCalls(InvokeCommand)[0]?.args[0].input;
    expect(input).toMatchObject({ FunctionName: 'guard-record-outcome', InvocationType: 'Event' });
    const sent = JSON.parse(new TextDecoder().decode(input?.Payload as Uint8Array));
    expect(workflowRecoveryMessageSchema.parse(sent)).toEqual(message);
  });

  it('fails the delivery when Lambda did not queue the event, so GitHub can redeliver', async () => {
    lambda.on(InvokeCommand).rejects(new Error('Rate exceeded'));
    await expect(createLambdaRecoveryQueue(new LambdaClient({}), 'f').enqueue(message)).rejects.toThrow('Rate exceeded');
    lambda.on(InvokeCommand).resolves({ StatusCode: 200 });
    await expect(createLambdaRecoveryQueue(new LambdaClient({}), 'f').enqueue(message)).rejects.toThrow(/answered 200/);
  });
});

describe('workflowRecoveryMessage', () => {
  it('names a green run the same way every time, so a redelivery is the same message', () => {
    const again = workflowRecoveryMessage({ ...message, completedAt: new Date('2026-11-20T11:00:00Z') });
    expect(again.id).toBe(message.id);
    expect(workflowRecoveryMessage({ ...message, resolvedBy: 'run 43', completedAt: new Date() }).id).not.toBe(message.id);
  });
});
