/**
 * Which incidents of a pull request wait for `/guard approve`. One item per pull request holds the set of
 * pending incident ids; taking an id out is a conditional delete, so of two concurrent commands only one
 * decides (the other is told it was already decided).
 *
 * The item is keyed by the repository's GitHub id when it is known: a rename or a transfer to another owner keeps
 * the id, so a proposal made before the move still takes the command written after it. Keyed by name, it was not
 * found, and the proposal waited until it timed out. Items keyed by name (an incident recorded without the id, and
 * every proposal indexed before the id was used) are still read and taken.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Incident } from '../domain/incident.js';
import { type RepositoryIdentity, repositoryKey } from '../domain/repository-key.js';

/** Pending approvals outlive the longest approval timeout (7 days); TTL then removes stale ones. */
const TTL_SECONDS = 8 * 86_400;

/** A repository as a webhook or an incident names it: its full name, and GitHub's id when known. */
export type ApprovalRepository = RepositoryIdentity;

export interface ApprovalIndex {
  add(repository: ApprovalRepository, pullRequest: number, incidentId: string): Promise<void>;
  pending(repository: ApprovalRepository, pullRequest: number): Promise<string[]>;
  /** Takes the incident off the pending set; false when it was not there (decided, timed out, never asked). */
  take(repository: ApprovalRepository, pullRequest: number, incidentId: string): Promise<boolean>;
}

/**
 * Withdraws `failure`'s proposal while it waits for approval (a later push superseded the failure, a green run
 * recovered it): it leaves its pull request's waiting ones, so no `/guard approve` decides a fix for something that no
 * longer needs one, and its wait runs out unanswered. True when this call took it; taking twice changes nothing.
 */
export async function withdrawProposal(failure: Incident, approvals: Pick<ApprovalIndex, 'take'>): Promise<boolean> {
  if (failure.approval?.status !== 'pending' || !failure.repository || !failure.pullRequest) return false;
  return approvals.take({ name: failure.repository, id: failure.repositoryId }, failure.pullRequest, failure.id);
}

/**
 * The index keys a pull request's pending set may be under, the one written first: the repository's id when known,
 * then its name (a name holds a slash, so no name is an id key).
 */
export function approvalKeys(repository: ApprovalRepository, pullRequest: number): string[] {
  const byName = `APPROVALS#${repositoryKey(repository.name)}#${pullRequest}`;
  return repository.id === null ? [byName] : [`APPROVALS#ID#${repository.id}#${pullRequest}`, byName];
}

export function createApprovalIndex(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): ApprovalIndex {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const key = (pk: string) => ({ pk, sk: 'PENDING' });
  async function takeFrom(pk: string, incidentId: string): Promise<boolean> {
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(pk),
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
  }
  return {
    async add(repository, pullRequest, incidentId) {
      const [first, ...older] = approvalKeys(repository, pullRequest) as [string, ...string[]];
      // A proposal asked again (a re-drive) that was indexed by name before ids were used: under both keys, one command
      // would take it from each and two would decide. Taken off the name first, so it is never under both.
      for (const pk of older) await takeFrom(pk, incidentId);
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(first),
          UpdateExpression: 'ADD #incidents :id SET #expiresAt = :expiresAt',
          ExpressionAttributeNames: { '#incidents': 'incidents', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':id': new Set([incidentId]), ':expiresAt': Math.floor(clock().getTime() / 1000) + TTL_SECONDS },
        }),
      );
    },
    async pending(repository, pullRequest) {
      const items = await Promise.all(
        approvalKeys(repository, pullRequest).map((pk) => client.send(new GetCommand({ TableName: tableName, Key: key(pk), ConsistentRead: true }))),
      );
      const ids = items.flatMap((response) => (response.Item?.incidents instanceof Set ? [...response.Item.incidents].map(String) : []));
      return [...new Set(ids)].sort();
    },
    async take(repository, pullRequest, incidentId) {
      for (const pk of approvalKeys(repository, pullRequest)) {
        if (await takeFrom(pk, incidentId)) return true;
      }
      return false;
    },
  };
}
