import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError, ValidationError, isTransientAwsError } from '../../../shared/errors.js';

describe('isTransientAwsError', () => {
  it('treats DynamoDB throttling and server faults as transient', () => {
    expect(isTransientAwsError(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('boom'), { name: 'InternalServerError', $fault: 'server' }))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: true } }))).toBe(true);
  });

  it('leaves conditions, validation and already-named errors alone', () => {
    expect(isTransientAwsError(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(false);
    expect(isTransientAwsError(new ValidationError('bad'))).toBe(false);
    expect(isTransientAwsError(new GitHubUnavailableError('down'))).toBe(false);
    expect(isTransientAwsError('text')).toBe(false);
  });
});
