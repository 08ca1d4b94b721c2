/**
 * Which incidents of a pull request wait for `/guard approve`. One item per pull request holds the set of
 * pending incident ids; taking an id out is a conditional delete, so of two concurrent commands only one
 * decides (the other is told it was already decided).
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { repositoryKey } from '../domain/repository-key.js';

/** Pending approvals outlive the longest approval timeout (7 days); TTL then removes stale ones. */
const TTL_SECONDS = 8 * 86_400;

export interface ApprovalIndex {
  add(repository: string, pullRequest: number, incidentId: string): Promise<void>;
  pending(repository: string, pullRequest: number): Promise<string[]>;
  /** Takes the incident off the pending set; false when it was not there (decided, timed out, never asked). */
  take(repository: string, pullRequest: number, incidentId: string): Promise<boolean>;
}

export function createApprovalIndex(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): ApprovalIndex {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const key = (repository: string, pullRequest: number) => ({ pk: `APPROVALS#${repositoryKey(repository)}#${pullRequest}`, sk: 'PENDING' });
  return {
    async add(repository, pullRequest, incidentId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(repository, pullRequest),
          UpdateExpression: 'ADD #incidents :id SET #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#incidents': 'incidents', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':id': new Set([incidentId]), ':expiresAt': Math.floor(clock().getTime() / 1000) + TTL_SECONDS },
        }),
      );
    },
    async pending(repository, pullRequest) {
      const response = await client.send(new GetCommand({ TableName: tableName, Key: key(repository, pullRequest), ConsistentRead: true }));
      const incidents = response.Item?.incidents;
      return incidents instanceof Set ? [...incidents].map(String).sort() : [];
    },
    async take(repository, pullRequest, incidentId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: key(repository, pullRequest),
            UpdateExpression: 'DELETE #incidents :id',
            ConditionExpression: 'contains(#incidents, :incidentId)',
            ExpressionAttributeNames: { '#incidents': 'incidents' },
            ExpressionAttributeValues: { ':id': new Set([incidentId]), ':incidentId': incidentId },
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
