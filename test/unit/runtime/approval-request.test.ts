import { describe, expect, it } from 'vitest';
import { approvalRequestOf } from '../../../infra/local/runtime.js';

/**
 * The local runtime's AwaitApproval invokes Notify with the state's Payload and the start of the wait it keeps. A
 * retried request's Payload says so (`waitRetryCount`, from `$$.State.RetryCount`), for Notify to distrust EnteredTime;
 * passed on with the kept start, which is the retried attempt's own, it made Notify drop that start too, and count the
 * end from the end the failed attempt recorded with the same token (locally one token serves every attempt).
 */
describe('the local runtime’s approval request', () => {
  it('carries the start of the attempt’s own wait, and no retry count that would make Notify distrust it', () => {
    const payload = { trigger: { source: 'cloudwatch' }, timeoutSeconds: 3600, waitStartedAt: '2026-11-20T09:20:00.000Z', waitRetryCount: 2, approvalRequest: { taskToken: 't' } };

    const request = approvalRequestOf({ FunctionName: 'notify', Payload: payload }, { startedAt: '2026-11-20T10:00:00.000Z' });

    expect(request).toEqual({ trigger: { source: 'cloudwatch' }, timeoutSeconds: 3600, waitStartedAt: '2026-11-20T10:00:00.000Z', approvalRequest: { taskToken: 't' } });
  });
});
