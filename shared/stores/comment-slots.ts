/**
 * The one-comment-per-pull-request slot, kept in the incidents table (item `COMMENTSLOT#<owner/repo#pr>`).
 *
 * Two executions for one pull request (CI and lint failing on the same push) both looked for the bot's comment,
 * found none and both POSTed one. Now the first to create claims the slot with a conditional write before its POST
 * and records the comment id after it; the other sees the claim, waits for the id and updates that comment.
 */
import { randomUUID } from 'node:crypto';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamo.js';

/** A claim whose holder never recorded a comment (it crashed mid-POST) is taken over after this long. */
export const COMMENT_SLOT_LEASE_MS = 60_000;
const SLOT_TTL_SECONDS = 400 * 86_400;

export interface CommentSlot {
  /** Set once the comment exists. */
  commentId: number | null;
  holder: string;
  claimedAt: string;
}

export interface CommentSlots {
  /** Claims the right to create the comment; `won: false` returns the current slot (someone else holds it). */
  claim(key: string): Promise<{ won: true; holder: string } | { won: false; slot: CommentSlot }>;
  read(key: string): Promise<CommentSlot | null>;
  /** The holder created the comment: every later writer updates this one. */
  record(key: string, holder: string, commentId: number): Promise<void>;
  /** The holder's POST failed: let the next writer create it. */
  release(key: string, holder: string): Promise<void>;
}

export function commentSlotKey(owner: string, repo: string, issueNumber: number): string {
  return `${owner}/${repo}#${issueNumber}`.toLowerCase();
}

export function createDynamoCommentSlots(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): CommentSlots {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const keyOf = (key: string) => ({ pk: `COMMENTSLOT#${key}`, sk: 'COMMENTSLOT' });

  async function read(key: string): Promise<CommentSlot | null> {
    const response = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
    const item = response.Item;
    if (!item) return null;
    return { commentId: typeof item.commentId === 'number' ? item.commentId : null, holder: String(item.holder), claimedAt: String(item.claimedAt) };
  }

  return {
    read,
    async claim(key) {
      const holder = randomUUID();
      const now = clock();
      const claimed = await conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keyOf(key), holder, claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + SLOT_TTL_SECONDS },
            // Free, or claimed by a holder that never created the comment within the lease.
            ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(commentId) AND claimedAt < :stale)',
            ExpressionAttributeValues: { ':stale': new Date(now.getTime() - COMMENT_SLOT_LEASE_MS).toISOString() },
          }),
        ),
      );
      if (claimed) return { won: true, holder };
      const slot = await read(key);
      // Released between the two calls: report it as held without a comment; the caller waits and claims again.
      return { won: false, slot: slot ?? { commentId: null, holder: '', claimedAt: now.toISOString() } };
    },
    async record(key, holder, commentId) {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET commentId = :id, holder = :holder',
          ExpressionAttributeValues: { ':id': commentId, ':holder': holder },
        }),
      );
    },
    async release(key, holder) {
      // Not released when the comment exists or another holder took the slot over.
      await conditionalWrite(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: keyOf(key),
            ConditionExpression: 'holder = :holder AND attribute_not_exists(commentId)',
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    },
  };
}
