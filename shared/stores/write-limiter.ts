/**
 * The shared GitHub write budget, kept in the incidents table so every concurrent execution (each its own Lambda
 * process) draws from the same counters.
 *
 * GitHub's secondary rate limits allow about 80 content-creating requests a minute and 500 an hour per identity,
 * and punish bursts with 403s and long `retry-after` waits. A fixed-window counter per identity (installation or
 * token) keeps us well inside that: each unit is one conditional `ADD` (`used < max`), never a read-modify-write,
 * so two executions cannot both take the last unit. dynalite has no transactions, so the windows are taken one
 * after another; a unit taken in one window when the next is full is lost, which only errs on the slow side.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite } from './dynamo.js';
import { WriteBudgetExhaustedError } from '../errors.js';
import type { GitHubWriteKind, WriteLimiter } from '../ports.js';

export interface WriteBudgets {
  /** Content-creating requests of any kind (comments, comment edits, re-runs) per minute. */
  writesPerMinute: number;
  /** The same, per hour. */
  writesPerHour: number;
  /** Re-runs per minute on top of the above: each starts runners and a burst of check-run events. */
  rerunsPerMinute: number;
}

export const DEFAULT_WRITE_BUDGETS: WriteBudgets = { writesPerMinute: 20, writesPerHour: 300, rerunsPerMinute: 5 };

/**
 * The part of an identity's budget that comments on runs an outsider can repeat may use (a fork's pull request's,
 * or a run anyone can start, such as one on a pull request review: `outsiderCanRepeat`), counted apart (they draw on
 * the shared budget too): a quarter of each window, at least one. Anyone whose pull request's runs start without a
 * maintainer's approval can make them fail as often as they push, and anyone can review a pull request as often as
 * they like; without a share of their own, they spend the whole budget, and every other pull request's comment waits
 * until it escalates.
 */
export function outsiderShareOf(budgets: WriteBudgets): WriteBudgets {
  const quarter = (n: number) => Math.max(1, Math.floor(n / 4));
  return { writesPerMinute: quarter(budgets.writesPerMinute), writesPerHour: quarter(budgets.writesPerHour), rerunsPerMinute: quarter(budgets.rerunsPerMinute) };
}

interface Window {
  bucket: string;
  seconds: number;
  max: number;
}

function windowsFor(kind: GitHubWriteKind, budgets: WriteBudgets): Window[] {
  const windows: Window[] = [
    { bucket: 'writes', seconds: 60, max: budgets.writesPerMinute },
    { bucket: 'writes', seconds: 3600, max: budgets.writesPerHour },
  ];
  if (kind === 'rerun') windows.push({ bucket: 'reruns', seconds: 60, max: budgets.rerunsPerMinute });
  return windows;
}

/** Key of one counter; identities are built by us (`installation-<id>`, `token`), never from webhook text. */
export function writeCounterKey(identity: string, window: Window, startSeconds: number): { pk: string; sk: string } {
  return { pk: `GHLIMIT#${identity}#${window.bucket}#${window.seconds}`, sk: String(startSeconds) };
}

/**
 * Key of an identity's hold: the time before which GitHub told it not to write (`retry-after`, a rate-limit
 * reset). Kept beside the counters so a retry in a new attempt or another Lambda sees it too.
 */
export function writeHoldKey(identity: string): { pk: string; sk: string } {
  return { pk: `GHLIMIT#${identity}#hold`, sk: 'HOLD' };
}

export function createDynamoWriteLimiter(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Whose budget: GitHub counts secondary limits per user, token or App installation. */
  identity: string;
  budgets?: WriteBudgets;
  clock?: () => Date;
}): WriteLimiter {
  const budgets = options.budgets ?? DEFAULT_WRITE_BUDGETS;
  const clock = options.clock ?? (() => new Date());
  async function heldFor(nowMs: number): Promise<number> {
    const held = await options.client.send(
      new GetCommand({ TableName: options.tableName, Key: writeHoldKey(options.identity), ConsistentRead: true }),
    );
    const until = Number(held.Item?.notBeforeMs ?? 0);
    return until > nowMs ? until - nowMs : 0;
  }

  return {
    async acquire(kind) {
      const nowMs = clock().getTime();
      // GitHub's own word comes first: a unit taken now would be spent on a request GitHub refuses.
      const holdMs = await heldFor(nowMs);
      if (holdMs > 0) {
        throw new WriteBudgetExhaustedError(
          `GitHub asked ${options.identity} to hold off writes; room again in ${Math.ceil(holdMs / 1000)} s`,
          { retryAfterSeconds: holdMs / 1000 },
        );
      }
      const nowSeconds = Math.floor(nowMs / 1000);
      for (const window of windowsFor(kind, budgets)) {
        const start = nowSeconds - (nowSeconds % window.seconds);
        try {
          await options.client.send(
            new UpdateCommand({
              TableName: options.tableName,
              Key: writeCounterKey(options.identity, window, start),
              UpdateExpression: 'ADD #used :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
              ConditionExpression: 'attribute_not_exists(#used) OR #used < :max',
              ExpressionAttributeNames: { '#used': 'used', '#expiresAt': 'expiresAt' },
              // Counters are only needed for their window; TTL removes them a day later.
              ExpressionAttributeValues: { ':one': 1, ':max': window.max, ':expiresAt': start + window.seconds + 86_400 },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          const wait = start + window.seconds - nowSeconds;
          throw new WriteBudgetExhaustedError(
            `GitHub write budget spent for ${options.identity}: ${window.max} ${window.bucket} per ${window.seconds === 60 ? 'minute' : 'hour'} already used; room again in ${wait} s`,
            { cause: error, retryAfterSeconds: wait },
          );
        }
      }
    },

    async holdUntil(until) {
      const untilMs = until.getTime();
      // A failed condition means a later hold is already stored, which stands.
      await conditionalWrite(() =>
        options.client.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: writeHoldKey(options.identity),
            UpdateExpression: 'SET #until = :until, #expiresAt = :expiresAt',
            // Only ever later: a short retry-after arriving after a long one must not shorten the hold.
            ConditionExpression: 'attribute_not_exists(#until) OR #until < :until',
            ExpressionAttributeNames: { '#until': 'notBeforeMs', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: { ':until': untilMs, ':expiresAt': Math.ceil(untilMs / 1000) + 86_400 },
          }),
        ),
      );
    },
  };
}
