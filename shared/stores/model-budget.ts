/**
 * A budget of model analyses per fixed window, kept in the incidents table so every concurrent execution (each its
 * own Lambda process) draws from the same counter.
 *
 * One item per window holds the set of incidents it counted, as the re-run ledger does: a claim is a single
 * conditional `ADD` of the incident's id, granted while fewer than `max` are in the set, and again, without counting
 * twice, for an incident already in it (a retried analyze step, a re-driven or resumed execution). Windows are those
 * of the incident's creation, which a retry or re-drive does not move, so the incident finds its own claim again.
 * The write limiter's counters cannot tell a redelivered incident from a new one, and their exhaustion is a
 * retryable error (wait and try again), where a spent model budget means "analyse without the model now".
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ModelBudget } from '../ports.js';

/**
 * How long a window's item is kept after the window ends: longer than the reconciler looks back for unfinished
 * incidents (RECONCILE_LOOKBACK_HOURS, at most 14 days), so a re-driven incident still finds its claim.
 */
const CLAIMS_KEPT_SECONDS = 15 * 86_400;

/** Key of one window's item; `name` is built by us (`outsiders`), never from webhook text. */
export function modelBudgetKey(name: string, windowSeconds: number, windowStartSeconds: number): { pk: string; sk: string } {
  return { pk: `MODELBUDGET#${name}#${windowSeconds}`, sk: String(windowStartSeconds) };
}

function sizeOf(value: unknown): number {
  return value instanceof Set ? value.size : 0;
}

export function createDynamoModelBudget(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Which budget: `outsiders` for runs that may execute code an outsider controls. */
  name: string;
  /** Analyses per window; 0 grants none. */
  max: number;
  windowSeconds?: number;
}): ModelBudget {
  const windowSeconds = options.windowSeconds ?? 3600;
  return {
    async claim(incidentId, receivedAt) {
      const receivedSeconds = Math.floor(receivedAt.getTime() / 1000);
      const startSeconds = receivedSeconds - (receivedSeconds % windowSeconds);
      const key = modelBudgetKey(options.name, windowSeconds, startSeconds);
      const windowStart = new Date(startSeconds * 1000);
      const refused = async () => {
        const item = await options.client.send(new GetCommand({ TableName: options.tableName, Key: key, ConsistentRead: true }));
        return { granted: false, used: sizeOf(item.Item?.claims), max: options.max, windowStart };
      };
      // With a budget of 0 nothing may be claimed; `attribute_not_exists` below would otherwise grant the first one.
      if (options.max <= 0) return refused();
      try {
        const response = await options.client.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: key,
            UpdateExpression: 'ADD #claims :incident SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#claims) OR contains(#claims, :incidentId) OR size(#claims) < :max',
            ExpressionAttributeNames: { '#claims': 'claims', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: {
              ':incident': new Set([incidentId]),
              ':incidentId': incidentId,
              ':max': options.max,
              ':expiresAt': startSeconds + windowSeconds + CLAIMS_KEPT_SECONDS,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { granted: true, used: sizeOf(response.Attributes?.claims), max: options.max, windowStart };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return refused();
      }
    },
  };
}
