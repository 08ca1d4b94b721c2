/**
 * The cap on automatic re-runs per (repository, workflow, head SHA), kept in the incidents table.
 *
 * One item per key holds the set of incidents that claimed a re-run and the run attempts those re-runs created
 * ({@link claimCapped}: a new incident gets a slot only while fewer than `max` are taken, and an incident that
 * already holds one, a Step Functions retry of the same step, gets it again without counting twice). Recording the attempt our re-run will create (`<run>#<attempt + 1>`) lets the failure of that
 * attempt be recognised as our own re-run's, whoever GitHub names as the actor. A claim whose re-run was never
 * requested (a person's re-run was found under way) is released, slot and attempt: that attempt is not ours.
 */
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RerunKey, RerunLedger } from '../ports.js';
import { claimCapped, claimCount } from './capped-claims.js';

/** Claims outlive any realistic CI retry window; TTL then removes them. */
const LEDGER_TTL_SECONDS = 30 * 86_400;

export function rerunLedgerKey(key: RerunKey): { pk: string; sk: string } {
  return { pk: `RERUN#${key.repositoryId}#${key.workflowId}#${key.headSha.toLowerCase()}${key.outsiders ? '#outsiders' : ''}`, sk: 'RERUN' };
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
      const { granted, count, claimedBefore } = await claimCapped(options.client, options.tableName, rerunLedgerKey(key), {
        incidentId: claim.incidentId,
        max: claim.max,
        expiresAt: Math.floor(clock().getTime() / 1000) + LEDGER_TTL_SECONDS,
        alsoAdd: { attempts: `${claim.runId}#${claim.nextAttempt}` },
      });
      return { granted, count, claimedBefore };
    },

    async release(key, claim) {
      await options.client.send(
        new UpdateCommand({
          TableName: options.tableName,
          Key: rerunLedgerKey(key),
          UpdateExpression: 'DELETE #claims :incident, #attempts :attempt',
          ExpressionAttributeNames: { '#claims': 'claims', '#attempts': 'attempts' },
          ExpressionAttributeValues: { ':incident': new Set([claim.incidentId]), ':attempt': new Set([`${claim.runId}#${claim.nextAttempt}`]) },
        }),
      );
    },

    async lookup(key, run) {
      const item = await read(key);
      const attempts = item?.attempts;
      const claims = item?.claims;
      return {
        count: claimCount(claims),
        ownAttempt: attempts instanceof Set && attempts.has(`${run.runId}#${run.attempt}`),
        claimedByIncident: claims instanceof Set && claims.has(run.incidentId),
      };
    },
  };
}
