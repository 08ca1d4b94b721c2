/**
 * The one-comment-per-pull-request slot, kept in the incidents table (item `COMMENTSLOT#<owner/repo#pr>`), and
 * the one-comment-per-run slot of a comment on a pushed commit (`COMMENTSLOT#<owner/repo@sha#marker hash>`).
 *
 * Two executions for one pull request (CI and lint failing on the same push) both looked for the bot's comment,
 * found none and both POSTed one. Now the first to create claims the slot (one write that takes a free slot and
 * answers with the slot as it is) before its POST and records the comment id after it; the other sees the claim,
 * waits for the id and updates that comment.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamo.js';
import { repositoryKey } from '../domain/repository-key.js';
import { shortHash } from '../domain/trigger.js';

const SLOT_TTL_SECONDS = 400 * 86_400;
/** The claim time of a released slot: older than any lease, so the next claim takes it over. */
const RELEASED_AT = new Date(0).toISOString();

export interface CommentSlot {
  /** Set once the comment exists. */
  commentId: number | null;
  holder: string;
  claimedAt: string;
}

export interface CommentSlots {
  /**
   * Claims the right to create the comment; `won: false` returns the current slot (someone else holds it, or the
   * comment exists: `slot.commentId`). One UpdateItem in every case but the takeover of a lapsed claim.
   */
  claim(key: string): Promise<{ won: true; holder: string } | { won: false; slot: CommentSlot }>;
  /** The holder created the comment: every later writer updates this one. */
  record(key: string, holder: string, commentId: number): Promise<void>;
  /** The holder's POST failed: let the next writer create it. */
  release(key: string, holder: string): Promise<void>;
}

export function commentSlotKey(owner: string, repo: string, issueNumber: number): string {
  return `${repositoryKey(`${owner}/${repo}`)}#${issueNumber}`;
}

/**
 * The slot of the guard's comment on a commit for one run: the commit and the comment's marker (which names the run),
 * so each run that failed on the commit has its own comment and each gets one.
 */
export function commitCommentSlotKey(owner: string, repo: string, sha: string, marker: string): string {
  return `${repositoryKey(`${owner}/${repo}`)}@${sha.toLowerCase()}#${shortHash(marker)}`;
}

function slotOf(item: Record<string, unknown> | undefined, fallbackAt: string): CommentSlot {
  return {
    commentId: typeof item?.commentId === 'number' ? item.commentId : null,
    holder: typeof item?.holder === 'string' ? item.holder : '',
    claimedAt: typeof item?.claimedAt === 'string' ? item.claimedAt : fallbackAt,
  };
}

/**
 * `leaseMs`: how long a claim without a comment is honoured (shared/github/comment-timing.ts derives it from the
 * GitHub client's bound on one comment creation); after that its holder is taken to have died mid-creation.
 */
export function createDynamoCommentSlots(options: { client: DynamoDBDocumentClient; tableName: string; leaseMs: number; clock?: () => Date }): CommentSlots {
  const { client, tableName, leaseMs } = options;
  const clock = options.clock ?? (() => new Date());
  const keyOf = (key: string) => ({ pk: `COMMENTSLOT#${key}`, sk: 'COMMENTSLOT' });
  /** A slot claimed at `now` expires (DynamoDB TTL, epoch seconds) this long after. */
  const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + SLOT_TTL_SECONDS;

  /** Takes over a claim whose holder never created the comment within the lease; null when that no longer holds. */
  async function takeOver(key: string, holder: string, now: Date) {
    return conditionalWrite(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keyOf(key), holder, claimedAt: now.toISOString(), expiresAt: expiresAt(now) },
          ConditionExpression: 'attribute_not_exists(pk) OR (attribute_not_exists(commentId) AND claimedAt < :stale)',
          ExpressionAttributeValues: { ':stale': new Date(now.getTime() - leaseMs).toISOString() },
        }),
      ),
    );
  }

  return {
    async claim(key) {
      const holder = randomUUID();
      const now = clock();
      // Claims a free slot and answers with the slot as it now is, in one write: a slot that is held or has its
      // comment keeps its holder and claim time (if_not_exists), so the answer says who holds it. (A conditional
      // put answers a lost claim with nothing, which cost a GetItem after it, and a GetItem before it.)
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET holder = if_not_exists(holder, :holder), claimedAt = if_not_exists(claimedAt, :now), expiresAt = if_not_exists(expiresAt, :expires)',
          ExpressionAttributeValues: { ':holder': holder, ':now': now.toISOString(), ':expires': expiresAt(now) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const slot = slotOf(response.Attributes, now.toISOString());
      if (slot.commentId === null && slot.holder === holder) return { won: true, holder };
      if (slot.commentId === null && Date.parse(slot.claimedAt) < now.getTime() - leaseMs && (await takeOver(key, holder, now))) {
        return { won: true, holder };
      }
      return { won: false, slot };
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
      // Not released when the comment exists or another holder took the slot over. Released by dating the claim at the
      // epoch, a lapsed claim the next writer takes over, rather than deleted: the functions that comment are granted
      // no DeleteItem on the incidents table (infra/table-access.ts).
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'SET claimedAt = :released',
            ConditionExpression: 'holder = :holder AND attribute_not_exists(commentId)',
            ExpressionAttributeValues: { ':holder': holder, ':released': RELEASED_AT },
          }),
        ),
      );
    },
  };
}
