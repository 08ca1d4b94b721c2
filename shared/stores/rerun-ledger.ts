/**
 * The cap on automatic re-runs per (repository, workflow, head SHA), kept in the incidents table.
 *
 * One item per key holds the set of incidents that claimed a re-run and the run attempts those re-runs created.
 * A claim is a single conditional `ADD` to those sets: a new incident gets a slot only while fewer than `max` are
 * taken, and an incident that already holds one (a Step Functions retry of the same step) gets it again without
 * counting twice. Recording the attempt our re-run will create (`<run>#<attempt + 1>`) lets the failure of that
 * attempt be recognised as our own re-run's, whoever GitHub names as the actor.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RerunKey, RerunLedger } from '../ports.js';

/** Claims outlive any realistic CI retry window; TTL then removes them. */
const LEDGER_TTL_SECONDS = 30 * 86_400;

export function rerunLedgerKey(key: RerunKey): { pk: string; sk: string } {
  return { pk: `RERUN#${key.repositoryId}#${key.workflowId}#${key.headSha.toLowerCase()}`, sk: 'RERUN' };
}

function sizeOf(value: unknown): number {
  return value instanceof Set ? value.size : 0;
}

export function createDynamoRerunLedger(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  clock?: () => Date;
}): RerunLedger {
  const clock = options.clock ?? (() => new Date());
  const read = async (key: RerunKey) =>
    (
      await options.client.send(
        new GetCommand({ TableName: options.tableName, Key: rerunLedgerKey(key), ConsistentRead: true }),
      )
    ).Item;

  return {
    async claim(key, claim) {
      // With a cap of 0 nothing may be claimed; `attribute_not_exists` below would otherwise grant the first one.
      if (claim.max <= 0) return { granted: false, count: sizeOf((await read(key))?.claims) };
      try {
        const response = await options.client.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: rerunLedgerKey(key),
            UpdateExpression: 'ADD #claims :incident, #attempts :attempt SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(#claims) OR contains(#claims, :incidentId) OR size(#claims) < :max',
            ExpressionAttributeNames: { '#claims': 'claims', '#attempts': 'attempts', '#expiresAt': 'expiresAt' },
            ExpressionAttributeValues: {
              ':incident': new Set([claim.incidentId]),
              ':incidentId': claim.incidentId,
              ':attempt': new Set([`${claim.runId}#${claim.nextAttempt}`]),
              ':max': claim.max,
              ':expiresAt': Math.floor(clock().getTime() / 1000) + LEDGER_TTL_SECONDS,
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { granted: true, count: sizeOf(response.Attributes?.claims) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { granted: false, count: sizeOf((await read(key))?.claims) };
      }
    },

    async lookup(key, run) {
      const item = await read(key);
      const attempts = item?.attempts;
      const claims = item?.claims;
      return {
        count: sizeOf(claims),
        ownAttempt: attempts instanceof Set && attempts.has(`${run.runId}#${run.attempt}`),
        claimedByIncident: claims instanceof Set && claims.has(run.incidentId),
      };
    },
  };
}
