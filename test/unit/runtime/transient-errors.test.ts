import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError, RetryableError, ValidationError, isTransientAwsError, mayStillLand } from '../../../shared/errors.js';

describe('isTransientAwsError', () => {
  it('treats DynamoDB throttling and server faults as transient', () => {
    expect(isTransientAwsError(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('boom'), { name: 'InternalServerError', $fault: 'server' }))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('x'), { name: 'Whatever', $retryable: { throttling: true } }))).toBe(true);
  });

  it('treats the network failures the SDK itself retries (a reset, refused or timed-out connection, DNS) as transient once its retries are spent', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']) {
      expect(isTransientAwsError(Object.assign(new Error('socket hang up'), { code, $metadata: { attempts: 3 } })), code).toBe(true);
    }
    expect(isTransientAwsError(Object.assign(new Error('request timed out'), { name: 'RequestTimeout' }))).toBe(true);
  });

  it('leaves other errors with a code alone', () => {
    expect(isTransientAwsError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isTransientAwsError(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $fault: 'client' }))).toBe(false);
  });

  it('leaves conditions, validation and already-named errors alone', () => {
    expect(isTransientAwsError(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(false);
    expect(isTransientAwsError(new ValidationError('bad'))).toBe(false);
    expect(isTransientAwsError(new GitHubUnavailableError('down'))).toBe(false);
    expect(isTransientAwsError('text')).toBe(false);
  });

  it('treats a 429 by its status as throttling whatever its name (a proxy’s page has no error code: HTTP429) (session 42, attack-44c S1/S7)', () => {
    expect(isTransientAwsError(Object.assign(new Error('SSM answered 429'), { name: 'HTTP429', $fault: 'client', $metadata: { httpStatusCode: 429 } }))).toBe(true);
    expect(isTransientAwsError(Object.assign(new Error('SSM answered 403'), { name: 'HTTP403', $fault: 'client', $metadata: { httpStatusCode: 403 } }))).toBe(false);
  });
});

describe('mayStillLand (a write failed: may it still change the item?)', () => {
  it('says no for what DynamoDB turned down, and for the code’s own errors between writes that answered', () => {
    expect(mayStillLand(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }))).toBe(false);
    expect(mayStillLand(Object.assign(new Error('rate'), { name: 'ThrottlingException', $fault: 'client', $retryable: { throttling: true } }))).toBe(false);
    expect(mayStillLand(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }))).toBe(false);
    expect(mayStillLand(Object.assign(new Error('too big'), { name: 'ValidationException', $fault: 'client' }))).toBe(false);
    expect(mayStillLand(new ValidationError('bad'))).toBe(false);
    expect(mayStillLand(new TypeError('x is undefined'))).toBe(false);
  });

  it('says yes for a timeout, a dropped connection, an aborted request and a server error, in the error or its causes', () => {
    expect(mayStillLand(Object.assign(new Error('timed out'), { name: 'TimeoutError' }))).toBe(true);
    expect(mayStillLand(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 3 } }))).toBe(true);
    expect(mayStillLand(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(true);
    expect(mayStillLand(Object.assign(new Error('boom'), { name: 'InternalServerError', $fault: 'server' }))).toBe(true);
    expect(mayStillLand(new RetryableError('later', { cause: Object.assign(new Error('timed out'), { name: 'TimeoutError' }) }))).toBe(true);
  });
});
