/**
 * A capped set of claims in one DynamoDB item: the re-run ledger's slots per commit and the model budget's per
 * window. A claim is a single conditional `ADD` of the incident's id, granted while fewer than `max` are in the set,
 * and again, without counting twice, for an incident already in it (a retried step, a re-driven or resumed
 * execution): concurrent executions, each its own Lambda process, cannot both take the last slot. The item also
 * keeps which incident claimed first: a set does not keep the order of its members. A granted claim also says
 * whether the incident held it before (the write returns the item as it was), so a retried step needs no read to know.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export interface CappedClaim {
  incidentId: string;
  /** Claims the set may hold; 0 grants none. */
  max: number;
  /** When the item may be deleted (epoch seconds, the table's TTL attribute); set by the first claim. */
  expiresAt: number;
  /** Other string sets of the item and a member added to each with a granted claim (the re-run's attempt). */
  alsoAdd?: Readonly<Record<string, string>>;
}

/** How many claims a stored set attribute holds. */
export function claimCount(value: unknown): number {
  return value instanceof Set ? value.size : 0;
}

export async function claimCapped(
  client: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  claim: CappedClaim,
): Promise<{ granted: boolean; count: number; first: boolean; claimedBefore: boolean }> {
  const refused = async () => {
    const item = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return { granted: false, count: claimCount(item.Item?.claims), first: false, claimedBefore: false };
  };
  // With a cap of 0 nothing may be claimed; `attribute_not_exists` below would otherwise grant the first one.
  if (claim.max <= 0) return refused();
  const extra = Object.entries(claim.alsoAdd ?? {});
  const adds = ['#claims :incident', ...extra.map((_, i) => `#also${i} :also${i}`)].join(', ');
  try {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `ADD ${adds} SET #expiresAt = if_not_exists(#expiresAt, :expiresAt), #first = if_not_exists(#first, :incidentId)`,
        ConditionExpression: 'attribute_not_exists(#claims) OR contains(#claims, :incidentId) OR size(#claims) < :max',
        ExpressionAttributeNames: { '#claims': 'claims', '#expiresAt': 'expiresAt', '#first': 'first', ...Object.fromEntries(extra.map(([name], i) => [`#also${i}`, name])) },
        ExpressionAttributeValues: {
          ':incident': new Set([claim.incidentId]),
          ':incidentId': claim.incidentId,
          ':max': claim.max,
          ':expiresAt': claim.expiresAt,
          ...Object.fromEntries(extra.map(([, member], i) => [`:also${i}`, new Set([member])])),
        },
        // The item as it was: whether this incident was in the set already, which the new item cannot tell.
        ReturnValues: 'ALL_OLD',
      }),
    );
    const before = response.Attributes;
    const claimedBefore = before?.claims instanceof Set && before.claims.has(claim.incidentId);
    return {
      granted: true,
      count: claimCount(before?.claims) + (claimedBefore ? 0 : 1),
      first: (before?.first ?? claim.incidentId) === claim.incidentId,
      claimedBefore,
    };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    return refused();
  }
}
