/**
 * One reply per `/guard` command comment, kept in the incidents table (item `COMMANDANSWER#<repository id>#<pr>#<comment
 * id>`: GitHub's repository id, which a rename or transfer between two deliveries does not change).
 *
 * The reply saying why a command decided nothing was found by its marker and created when none was listed: two
 * deliveries of one command at once (GitHub's redelivery racing the original) both listed none and both posted one.
 * Now a delivery claims the command's reply (one write) before it may create it and records the reply's id after; a
 * delivery that finds the reply recorded updates it, and one that finds it being created leaves it to its creator.
 *
 * A command carried out is marked `done`, for good: a refusal is never written over it afterwards (a later delivery
 * finds nothing waiting any more), and a reply that said it decided nothing is edited to say it was carried out.
 * Either the `done` mark or the reply's id is written second, on the same item, and that write answers with the
 * other: whoever writes second edits the reply, so a refusal posted while the command was being carried out does not
 * stay.
 *
 * A reply the reconciler edited to how a decision ended without being carried out (the wait timed out, on-call
 * rejected by e-mail, nothing left to resume) is final too: its claim keeps that text (`finalBody`), a refusal's claim
 * no longer takes the reply (a redelivery found nothing waiting and wrote "nothing is waiting" over the outcome), and a
 * refusal that claimed it before writes the final text again once its record finds it. Marked `finalWritten` once the
 * edit is recorded, the reply is edited once, whatever the runs that meet its decision again. The reconciler keeps the
 * final text of every command of a decision (`keepFinal`) before it edits the first reply: a run stopped between two
 * edits leaves each unwritten text for the next run (`pendingFinal`).
 *
 * Every write is an UpdateItem of the attributes it owns, none a put of the whole record: an attribute a newer version
 * keeps on it (as `finalBody` was new to the version before) outlives this version's writes during a deploy.
 */
import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamo.js';

/** Longer than GitHub lets a delivery be redelivered (3 days); TTL then removes the record. */
const ANSWER_TTL_SECONDS = 30 * 86_400;

export interface CommandAnswerKey {
  repositoryId: number;
  pullRequest: number;
  commentId: number;
}

/** What a delivery about to refuse a command may do with its reply. */
export type AnswerClaim =
  /** Create the reply, then {@link CommandAnswers.record} it (or {@link CommandAnswers.release} on failure). */
  | { kind: 'create'; holder: string }
  /** The reply exists: update it, then record it again (see {@link CommandAnswers.record}). */
  | { kind: 'update'; replyId: number }
  /** Another delivery is creating the reply now. */
  | { kind: 'busy' }
  /** The command was carried out: it is told nothing more. */
  | { kind: 'done' };

/** A claim for the final reply: its text, kept so that a refusal written over it meanwhile writes it again. */
export interface FinalReply {
  final: string;
}

export interface CommandAnswers {
  /**
   * Claims the command's reply for a refusal, or with `final` for the final outcome ('done' once that was recorded, or
   * the command carried out); one UpdateItem in every case but the takeover of a lapsed claim.
   */
  claim(key: CommandAnswerKey, final?: FinalReply): Promise<AnswerClaim>;
  /**
   * The reply `replyId` now says what its writer meant (`final`: the final outcome); `done` when the command was carried
   * out meanwhile, `final` the final text claimed meanwhile, or null.
   */
  record(key: CommandAnswerKey, replyId: number, options?: { final?: boolean }): Promise<{ done: boolean; final: string | null }>;
  /** The holder could not create the reply: the next delivery may. */
  release(key: CommandAnswerKey, holder: string): Promise<void>;
  /** The command was carried out: the reply to edit, if one was recorded. */
  markDone(key: CommandAnswerKey): Promise<{ replyId: number | null }>;
  /**
   * Keeps `final` as the reply's final text before it is written, without claiming the reply: a writer about to edit
   * several commands' replies keeps every text first, so a run stopped after some edits leaves the others' texts to
   * {@link pendingFinal}. Nothing once the command was carried out or its final reply recorded written.
   */
  keepFinal(key: CommandAnswerKey, final: string): Promise<void>;
  /**
   * The final text claimed for the reply and not recorded written (its writer found the reply being created, and that
   * delivery may have died or failed to post), or null: none claimed, written already, or the command carried out.
   */
  pendingFinal(key: CommandAnswerKey): Promise<string | null>;
}

function numberOr(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/**
 * `leaseMs`: how long a claim without a reply is honoured; after it the holder is taken to have stopped before
 * creating one (a reply it did post is then found by its marker, and updated rather than posted again).
 */
export function createDynamoCommandAnswers(options: { client: DynamoDBDocumentClient; tableName: string; leaseMs: number; clock?: () => Date }): CommandAnswers {
  const { client, tableName, leaseMs } = options;
  const clock = options.clock ?? (() => new Date());
  const keyOf = ({ repositoryId, pullRequest, commentId }: CommandAnswerKey) => ({
    pk: `COMMANDANSWER#${repositoryId}#${pullRequest}#${commentId}`,
    sk: 'COMMANDANSWER',
  });
  const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + ANSWER_TTL_SECONDS;

  /** Takes over a claim whose holder created no reply within the lease; false when that no longer holds. */
  async function takeOver(key: CommandAnswerKey, stale: string, holder: string, now: Date): Promise<boolean> {
    const taken = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET holder = :holder, claimedAt = :now',
          ConditionExpression: 'holder = :stale AND attribute_not_exists(replyId) AND attribute_not_exists(done)',
          ExpressionAttributeValues: { ':holder': holder, ':now': now.toISOString(), ':stale': stale },
        }),
      ),
    );
    return taken !== null;
  }

  /**
   * Sets the reply's id or the `done` mark and answers with the item as it now is: of the two writes, the second one
   * reads the first (see the module's comment), so whoever writes second edits the reply.
   */
  async function setAndRead(key: CommandAnswerKey, attribute: 'replyId' | 'done', value: number | boolean, finalWritten = false): Promise<Record<string, unknown>> {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keyOf(key),
        UpdateExpression: `SET #attribute = :value, expiresAt = if_not_exists(expiresAt, :expires)${finalWritten ? ', finalWritten = :written' : ''}`,
        ExpressionAttributeNames: { '#attribute': attribute },
        ExpressionAttributeValues: { ':value': value, ':expires': expiresAt(clock()), ...(finalWritten ? { ':written': true } : {}) },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return response.Attributes ?? {};
  }

  return {
    async claim(key, final) {
      const holder = randomUUID();
      const now = clock();
      // Takes a free claim and answers with the item as it now is, in one write; a held claim keeps its holder and
      // time (if_not_exists), so the answer says who holds it. A command carried out is not claimed at all, nor a final
      // reply by a refusal, nor by the final outcome once it was written.
      const response = await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'SET holder = if_not_exists(holder, :holder), claimedAt = if_not_exists(claimedAt, :now), expiresAt = if_not_exists(expiresAt, :expires)' +
              (final ? ', finalBody = :final' : ''),
            ConditionExpression: `attribute_not_exists(done) AND attribute_not_exists(${final ? 'finalWritten' : 'finalBody'})`,
            ExpressionAttributeValues: { ':holder': holder, ':now': now.toISOString(), ':expires': expiresAt(now), ...(final ? { ':final': final.final } : {}) },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      if (!response) return { kind: 'done' };
      const item = response.Attributes ?? {};
      const replyId = numberOr(item.replyId);
      if (replyId !== null) return { kind: 'update', replyId };
      if (item.holder === holder) return { kind: 'create', holder };
      const claimedAt = typeof item.claimedAt === 'string' ? Date.parse(item.claimedAt) : Number.NaN;
      const lapsed = !(claimedAt >= now.getTime() - leaseMs);
      if (lapsed && typeof item.holder === 'string' && (await takeOver(key, item.holder, holder, now))) return { kind: 'create', holder };
      return { kind: 'busy' };
    },

    async record(key, replyId, options = {}) {
      const item = await setAndRead(key, 'replyId', replyId, options.final === true);
      return { done: item.done === true, final: typeof item.finalBody === 'string' ? item.finalBody : null };
    },

    async release(key, holder) {
      // An UpdateItem, not a delete (ingest may not delete): a claim taken over, or whose reply exists, stays.
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'REMOVE holder, claimedAt',
            ConditionExpression: 'holder = :holder AND attribute_not_exists(replyId)',
            ExpressionAttributeValues: { ':holder': holder },
          }),
        ),
      );
    },

    async markDone(key) {
      return { replyId: numberOr((await setAndRead(key, 'done', true)).replyId) };
    },

    async keepFinal(key, final) {
      await conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keyOf(key),
            UpdateExpression: 'SET finalBody = :final, expiresAt = if_not_exists(expiresAt, :expires)',
            ConditionExpression: 'attribute_not_exists(done) AND attribute_not_exists(finalWritten)',
            ExpressionAttributeValues: { ':final': final, ':expires': expiresAt(clock()) },
          }),
        ),
      );
    },

    async pendingFinal(key) {
      const { Item: item } = await client.send(new GetCommand({ TableName: tableName, Key: keyOf(key), ConsistentRead: true }));
      if (!item || item.done === true || item.finalWritten === true) return null;
      return typeof item.finalBody === 'string' ? item.finalBody : null;
    },
  };
}
