/**
 * Runbooks that reported success, each to be checked once their alarm had time to recover: due entries
 * `RUNBOOKCHECK#<day it is due>` / `<due time>#<incident id>` in the incidents table (shared/stores/due-index.ts).
 * Remediate schedules one when a runbook finishes successfully; the reconciler pages on-call for those whose alarm is
 * still in ALARM when they are due (shared/reconcile/runbook-checks.ts) and deletes each once checked. An alarm that
 * stays in ALARM sends no further event, so without the entry nothing would ever look at the incident again.
 *
 * Also the claim on an alarm episode's runbook ({@link EpisodeRunbookClaims}): one item per unbroken episode, so that
 * of its incidents only one starts the runbook, however many are remediated at once.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type IncidentDueList, createIncidentDueList } from './due-index.js';
import { conditionalWrite } from './dynamo.js';
import { RetryableError } from '../errors.js';

/** Past the reconciler's longest look-back (14 days), an entry nobody checked goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

/** `dueAt`: when the runbook finished plus RUNBOOK_VERIFY_MINUTES. */
export type RunbookChecks = IncidentDueList;

export function createRunbookCheckList(options: { client: DynamoDBDocumentClient; tableName: string }): RunbookChecks {
  return createIncidentDueList({ ...options, prefix: 'RUNBOOKCHECK#', ttlSeconds: DUE_TTL_SECONDS });
}

/** One unbroken episode of an alarm (no OK since `episodeStart`, its earliest open incident's ALARM) and who asks. */
export interface EpisodeRunbookClaim {
  alarmArn: string;
  /** When the episode's earliest open incident fired (ISO): the same for every incident of the episode. */
  episodeStart: string;
  incidentId: string;
}

/**
 * Which incident of an alarm episode starts its runbook. Two incidents of one episode remediated at the same moment
 * (concurrent executions) each see no plan stored by the other (attack pass 18, F7); the claim, one conditional write,
 * lets exactly one of them start it.
 */
export interface EpisodeRunbookClaims {
  /**
   * Claims the episode's runbook for `claim.incidentId` unless another incident holds it, and answers who holds it
   * now. The claimant itself is granted it again: a retried step, or a step resumed after a crash between the claim
   * and the runbook's start, must still start the runbook (SSM's client token makes a repeated start the same run).
   */
  claim(claim: EpisodeRunbookClaim): Promise<{ heldBy: string }>;
}

/**
 * The claims outlive the incidents' look-back; an episode still firing after that has its claimant among its open
 * incidents, whose stored plan the later ones count on (`episodeRunbookIncident`).
 */
const EPISODE_CLAIM_TTL_SECONDS = 15 * 86_400;

/** The ARN is hashed, as for an alarm's OK note: it can be 2,048 characters, a key at most 2,048 bytes. */
function episodeClaimKey(claim: Pick<EpisodeRunbookClaim, 'alarmArn' | 'episodeStart'>): { pk: string; sk: string } {
  return { pk: `RUNBOOKEPISODE#${createHash('sha256').update(claim.alarmArn).digest('hex').slice(0, 40)}`, sk: claim.episodeStart };
}

export function createEpisodeRunbookClaims(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): EpisodeRunbookClaims {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  return {
    async claim(claim) {
      const key = episodeClaimKey(claim);
      const now = clock();
      const written = await conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...key, incidentId: claim.incidentId, claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + EPISODE_CLAIM_TTL_SECONDS },
            ConditionExpression: 'attribute_not_exists(pk) OR incidentId = :incident',
            ExpressionAttributeValues: { ':incident': claim.incidentId },
          }),
        ),
      );
      if (written) return { heldBy: claim.incidentId };
      const held = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      const heldBy = held.Item?.incidentId;
      // Refused, then gone before the read (its TTL ran out in between): free again, which the step's retry claims.
      if (typeof heldBy !== 'string') throw new RetryableError(`the runbook claim of the alarm episode started ${claim.episodeStart} was refused, and its holder is gone`);
      return { heldBy };
    },
  };
}
