/**
 * The incidents each recovery (a green run, an alarm's OK) set out to resolve, kept in the incidents table beside them
 * (one item `RECOVERY#<hash of the recovery>`, in no index) for the recovery's next delivery. The outcome recorder
 * writes an incident resolved first, with a conditional write that decides whether this recovery's ending stands, and
 * does the follow-ups (circuit breaker, learning, the PR comment) only then (shared/steps/record-outcome.ts). Killed
 * between the two, the incident is no longer open, so the redelivery would not find it among the scope's open ones:
 * it finds it here. Its own module, built only for the outcome recorder.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';

/**
 * Longer than any redelivery: Lambda retries an asynchronous invocation for up to 6 hours, and the local queue delivers
 * again at the next start.
 */
const TARGETS_TTL_SECONDS = 7 * 86_400;

export interface RecoveryTargets {
  /**
   * Adds `incidentIds` to the targets of `recovery` (a key naming one recovery, the same on each of its deliveries)
   * and returns the targets its earlier deliveries noted: one write (a read when there is nothing to add).
   */
  note(recovery: string, incidentIds: readonly string[]): Promise<string[]>;
}

/** The item holding one recovery's targets; the key is hashed (a scope is up to 1,000 characters). */
export function recoveryTargetsKey(recovery: string): { pk: string; sk: string } {
  return { pk: `RECOVERY#${createHash('sha256').update(recovery).digest('hex').slice(0, 40)}`, sk: 'TARGETS' };
}

function idsOf(item: Record<string, unknown> | undefined): string[] {
  return item?.incidents instanceof Set ? [...item.incidents].map(String) : [];
}

export function createRecoveryTargets(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): RecoveryTargets {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  return {
    async note(recovery, incidentIds) {
      const key = recoveryTargetsKey(recovery);
      if (incidentIds.length === 0) return idsOf((await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item);
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'ADD #incidents :ids SET #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#incidents': 'incidents', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':ids': new Set(incidentIds), ':expiresAt': Math.floor(clock().getTime() / 1000) + TARGETS_TTL_SECONDS },
          // The item as it was: what the earlier deliveries noted.
          ReturnValues: 'ALL_OLD',
        }),
      );
      return idsOf(response.Attributes);
    },
  };
}
