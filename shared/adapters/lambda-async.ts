import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { RecoveryQueue } from '../ports.js';

/**
 * Recovery work through Lambda's asynchronous invocation of the outcome recorder: the call returns once Lambda has
 * queued the event (202), so the webhook reply does not wait for the recovery. Lambda retries a failed or
 * throttled invocation on its own and, after the stack's retry bound, puts the event in the dead-letter queue,
 * which alarms (infra/stack.ts). A rejected call (throttled API, access denied) fails the delivery with a 500,
 * which GitHub lists for redelivery and the webhook-5xx alarm counts.
 */
export function createLambdaRecoveryQueue(client: LambdaClient, functionName: string): RecoveryQueue {
  return {
    async enqueue(message) {
      const response = await client.send(
        new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(JSON.stringify(message)) }),
      );
      if (response.StatusCode !== 202) throw new Error(`asynchronous invocation of ${functionName} answered ${response.StatusCode ?? 'no status'}`);
    },
  };
}
