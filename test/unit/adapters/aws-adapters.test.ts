import { ExecutionAlreadyExists, InvalidToken, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSfnStarter, createSfnTaskControl } from '../../../shared/adapters/sfn.js';
import { TaskNotWaitingYetError, TaskTokenSpentError } from '../../../shared/errors.js';
import { createSnsPublisher } from '../../../shared/adapters/sns.js';
import { createDocumentClient } from '../../../shared/stores/dynamo.js';

const sfn = mockClient(SFNClient);
const sns = mockClient(SNSClient);
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:incident-pipeline';

afterEach(() => {
  sfn.reset();
  sns.reset();
});

describe('createSfnStarter', () => {
  it('starts an execution with the deterministic name and the JSON input', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${ARN}:gh-1-2-1`, startDate: new Date() });

    const result = await createSfnStarter(new SFNClient({}), ARN).start('gh-1-2-1', { trigger: { source: 'github' } });

    expect(result).toEqual({ executionId: `${ARN}:gh-1-2-1`, alreadyStarted: false });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: ARN, name: 'gh-1-2-1', input: '{"trigger":{"source":"github"}}',
    });
  });

  it('reports a redelivery instead of failing when the name was used', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} }));

    const result = await createSfnStarter(new SFNClient({}), ARN).start('gh-1-2-1', {});

    expect(result.alreadyStarted).toBe(true);
    expect(result.executionId).toBe('arn:aws:states:us-east-1:123456789012:execution:incident-pipeline:gh-1-2-1');
  });

  it('lets other errors through for the caller to answer 5xx and GitHub to redeliver', async () => {
    sfn.on(StartExecutionCommand).rejects(new Error('throttled'));

    await expect(createSfnStarter(new SFNClient({}), ARN).start('x', {})).rejects.toThrow('throttled');
  });
});

describe('createSfnTaskControl', () => {
  it.each([
    ['TaskTimedOut', new TaskTimedOut({ message: 'The task has already been closed', $metadata: {} })],
    ['InvalidToken', new InvalidToken({ message: 'Invalid Token', $metadata: {} })],
    ['TaskDoesNotExist', new TaskDoesNotExist({ message: 'Task does not exist anymore', $metadata: {} })],
  ])('answers %s (a token whose wait is over) with TaskTokenSpentError, to SendTaskSuccess and SendTaskFailure', async (_, refusal) => {
    sfn.on(SendTaskSuccessCommand).rejects(refusal);
    sfn.on(SendTaskFailureCommand).rejects(refusal);
    const tasks = createSfnTaskControl(new SFNClient({}));

    await expect(tasks.succeed('token-1', { approvedBy: 'maya' })).rejects.toBeInstanceOf(TaskTokenSpentError);
    await expect(tasks.fail('token-1', 'ApprovalRejected', 'no')).rejects.toBeInstanceOf(TaskTokenSpentError);
  });

  it("answers the local runtime's TaskNotWaitingYet (a restarted execution not back at its wait) with TaskNotWaitingYetError: the token is not spent", async () => {
    const refusal = Object.assign(new Error('the execution is not back at its wait yet'), { name: 'TaskNotWaitingYet' });
    sfn.on(SendTaskSuccessCommand).rejects(refusal);
    sfn.on(SendTaskFailureCommand).rejects(refusal);
    const tasks = createSfnTaskControl(new SFNClient({}));

    await expect(tasks.succeed('token-1', { approvedBy: 'maya' })).rejects.toBeInstanceOf(TaskNotWaitingYetError);
    await expect(tasks.fail('token-1', 'ApprovalRejected', 'no')).rejects.toBeInstanceOf(TaskNotWaitingYetError);
  });

  it('lets other errors through: a throttled call may be repeated', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(createSfnTaskControl(new SFNClient({})).succeed('token-1', {})).rejects.toMatchObject({ name: 'ThrottlingException' });
  });
});

describe('createSnsPublisher', () => {
  it('publishes with filterable message attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const result = await createSnsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:1:t').publish({
      subject: 'CI failed', message: 'body', attributes: { severity: 'high', repository: 'o/r' },
    });

    expect(result.messageId).toBe('m-1');
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:1:t', Subject: 'CI failed', Message: 'body',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' }, repository: { DataType: 'String', StringValue: 'o/r' } },
    });
  });
  it('never sends an attribute value SNS refuses: no character outside the Basic Multilingual Plane, none empty', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });

    // 255 letters then an emoji: cut at 256 UTF-16 units, the emoji's pair was split into a lone surrogate.
    await createSnsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:1:t').publish({
      subject: 'CI failed', message: 'body', attributes: { severity: 'high', branch: `${'b'.repeat(255)}\u{1F525}`, alarm: '\u{1F6A8}', account: '' },
    });

    const sent = sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes;
    expect(sent).toEqual({
      severity: { DataType: 'String', StringValue: 'high' },
      branch: { DataType: 'String', StringValue: `${'b'.repeat(255)}?` },
      alarm: { DataType: 'String', StringValue: '?' },
    });
  });
  it('sends a list as SNS takes a String.Array (its values as a JSON array, each made safe), and never an empty one', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' });

    // A grouped approval e-mail's `alarm`: one value per alarm it asks about (shared/notify/approval-group-mail.ts).
    await createSnsPublisher(new SNSClient({}), 'arn:aws:sns:us-east-1:1:t').publish({
      subject: 'Approval needed', message: 'body', attributes: { severity: 'high', alarm: ['payments-5xx', 'search \u{1F6A8} "5xx"', ''], repository: [] },
    });

    const sent = sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes;
    expect(sent).toEqual({
      severity: { DataType: 'String', StringValue: 'high' },
      alarm: { DataType: 'String.Array', StringValue: '["payments-5xx","search ? ?5xx?"]' },
    });
  });
});

describe('createDocumentClient', () => {
  it('needs no AWS credentials for the embedded server on this machine, and uses the normal chain elsewhere', async () => {
    const local = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:8000' });
    const remote = createDocumentClient({ region: 'us-east-1', endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' });

    expect(await local.config.credentials()).toMatchObject({ accessKeyId: 'local', secretAccessKey: 'local' });
    expect(await remote.config.credentials()).toMatchObject({ accessKeyId: 'test' });
  });
});
