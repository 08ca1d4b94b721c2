/**
 * Runbooks that reported success, each to be checked once their alarm had time to recover: due entries
 * `RUNBOOKCHECK#<day it is due>` / `<due time>#<incident id>` in the incidents table (shared/stores/due-index.ts).
 * Remediate schedules one when a runbook finishes successfully; the reconciler pages on-call for those whose alarm is
 * still in ALARM when they are due (shared/reconcile/runbook-checks.ts) and deletes each once checked. An alarm that
 * stays in ALARM sends no further event, so without the entry nothing would ever look at the incident again.
 *
 * Also the claim on an alarm's runbook ({@link EpisodeRunbookClaims}): one item per alarm, held by the incident that
 * starts the runbook for the alarm's current episode, so that of its incidents only one starts it, however many are
 * remediated at once and in whatever order.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type IncidentDueList, createIncidentDueList } from './due-index.js';
import { conditionalWrite } from './dynamo.js';
import { RetryableError } from '../errors.js';
import { OPEN_ALARM_INCIDENTS_READ, notEndedByOk } from '../domain/alarm-incident.js';
import type { Incident } from '../domain/incident.js';
import { alarmScope } from '../domain/trigger.js';
import type { IncidentStore } from './incident-store.js';

/** Past the reconciler's longest look-back (14 days), an entry nobody checked goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

/** `dueAt`: when the runbook finished plus RUNBOOK_VERIFY_MINUTES. */
export type RunbookChecks = IncidentDueList;

export function createRunbookCheckList(options: { client: DynamoDBDocumentClient; tableName: string }): RunbookChecks {
  return createIncidentDueList({ ...options, prefix: 'RUNBOOKCHECK#', ttlSeconds: DUE_TTL_SECONDS });
}

/**
 * Schedules the check of `incidentId`'s runbook run that reported success, due once its alarm had `verifyMinutes`
 * (RUNBOOK_VERIFY_MINUTES) from `now` to recover; answers its due time. One rule for the runbook step, which saw the
 * run end, and the reconciler, which followed a run that outlived its step to its end (attack-45b B2, session 43: it
 * scheduled none, and a slow runbook's "success" with the alarm still firing was never paged).
 */
export async function scheduleRunbookVerify(runbookChecks: Pick<RunbookChecks, 'schedule'>, incidentId: string, now: Date, verifyMinutes: number): Promise<string> {
  const dueAt = new Date(now.getTime() + verifyMinutes * 60_000).toISOString();
  await runbookChecks.schedule({ incidentId, dueAt });
  return dueAt;
}

export interface AlarmEpisode {
  /** Of the alarm's OPEN_ALARM_INCIDENTS_READ newest open incidents, those no OK has ended. */
  open: Incident[];
  /** The alarm's latest OK noted, if any. */
  latestOk: Date | null;
}

/**
 * An alarm's unbroken episode as remediate (which incident's run it counts on) and the reconciler (whose check pages)
 * read it, one read for both: its open incidents that no OK has ended (`notEndedByOk`), and its latest OK.
 */
export async function readAlarmEpisode(incidents: Pick<IncidentStore, 'listOpenInScope' | 'latestAlarmOk'>, alarmArn: string): Promise<AlarmEpisode> {
  const [open, latestOk] = await Promise.all([incidents.listOpenInScope(alarmScope(alarmArn), OPEN_ALARM_INCIDENTS_READ), incidents.latestAlarmOk(alarmArn)]);
  return { open: notEndedByOk(open, latestOk), latestOk };
}

/** An alarm's runbook claimed for one of its incidents. */
export interface EpisodeRunbookClaim {
  alarmArn: string;
  incidentId: string;
  /**
   * Claimed by an approved step, which goes to its start with the claim. Written on the claim item by the write that
   * takes it: the incident's status still says it waits for approval, and its own `runbookClaimedAt`, a second write,
   * came too late for a claimant reading between the two (attack-44b R12: it took the claim over, two runs).
   */
  approved?: boolean;
}

/** What the claim item says of its holder, besides its id. */
export interface HeldClaim {
  /** Its holder claimed it approved (`EpisodeRunbookClaim.approved`); false on claims stored before session 42. */
  approved: boolean;
}

/** Whether the incident holding the claim still holds it for the alarm's current episode (`episodeRunbookClaimStands`). */
export type ClaimHolderStands = (holderId: string, held: HeldClaim) => Promise<boolean>;

/**
 * Which incident of an alarm's episode starts its runbook. Two incidents of one episode remediated at the same moment
 * (concurrent executions) each see no plan stored by the other (attack pass 18, F7); the claim, one conditional write,
 * lets exactly one of them start it.
 *
 * One claim per alarm, not per computed episode start: incidents of one episode delivered out of order, or more of
 * them than remediate reads, computed different starts and claimed apart (attack pass 20, F2, F3). The episode is
 * told by the holder instead: a claimant takes the claim over only when its holder no longer stands (its episode
 * ended by an OK, or it ended without starting the runbook: F4), by a write conditioned on the holder it saw, so that
 * of several claimants that saw the same holder exactly one takes it.
 */
export interface EpisodeRunbookClaims {
  /**
   * Claims the alarm's runbook for `claim.incidentId` unless another incident holds it and `holderStands` says it
   * still does, and answers who holds it now. The claimant itself is granted it again: a retried step, or a step
   * resumed after a crash between the claim and the runbook's start, must still start the runbook (SSM's client token
   * makes a repeated start the same run).
   */
  claim(claim: EpisodeRunbookClaim, holderStands: ClaimHolderStands): Promise<{ heldBy: string }>;
  /**
   * Claims the follow of `holder`'s runbook run for `followerId` ({@link runFollowerOf}) unless another follower holds
   * it and `followerStands` says it still does; answers who holds it now.
   */
  claimRunFollow(holder: RunbookClaimHolder, followerId: string, followerStands: (followerId: string) => Promise<boolean>): Promise<{ heldBy: string }>;
  /**
   * Takes `holder`'s check page `page` of `subject` (the execution or incident it tells of) for `taker` unless another
   * took it and `takenLately` says its take still holds; true when `taker` holds it.
   */
  takeCheckPage(holder: RunbookClaimHolder, page: CheckPage, subject: string, taker: string, takenLately: (otherTaker: string) => Promise<boolean>): Promise<boolean>;
}

/** The incident whose runbook run a follow claim or a check page's take is about. */
export type RunbookClaimHolder = Pick<Incident, 'id' | 'alarm'>;

/**
 * The pages of a run check each taken by one reconciler run (shared/reconcile/runbook-checks.ts): a followed run's
 * outcome (`ended`, of its execution), that it has not ended (`not-ended`, of its execution), that a runbook's success
 * did not fix its alarm (`unverified`, of its incident).
 */
export type CheckPage = 'ended' | 'not-ended' | 'unverified';

/** What a claim writes: its claimant, and whether it claimed approved (`EpisodeRunbookClaim.approved`). */
type ClaimTaken = Pick<EpisodeRunbookClaim, 'incidentId' | 'approved'>;

/** One conditional claim on the item keyed by `scope`, as {@link EpisodeRunbookClaims.claim} claims an alarm's. */
export type ScopedClaim = (scope: string, claim: ClaimTaken, holderStands: ClaimHolderStands) => Promise<{ heldBy: string }>;

/**
 * The claim store's operations over one scoped claim (the DynamoDB item's, or the in-memory one's), each scope built
 * here once. The follow claims and page takes are scoped by their alarm's ARN with a suffix, as before session 45 the
 * callers suffixed it themselves: the scopes, and so the hashed keys, are byte for byte the same, and a claim written
 * before the deploy (a run followed while it is in flight) is still found. An incident with no alarm scopes by ''.
 */
export function episodeRunbookClaimsOver(claimScoped: ScopedClaim): EpisodeRunbookClaims {
  const alarmOf = (holder: RunbookClaimHolder) => holder.alarm?.arn ?? '';
  return {
    claim: (claim, holderStands) => claimScoped(claim.alarmArn, claim, holderStands),
    claimRunFollow: (holder, followerId, followerStands) => claimScoped(`${alarmOf(holder)}#run-of:${holder.id}`, { incidentId: followerId }, followerStands),
    async takeCheckPage(holder, page, subject, taker, takenLately) {
      const { heldBy } = await claimScoped(`${alarmOf(holder)}#${page}-page:${subject}`, { incidentId: taker }, takenLately);
      return heldBy === taker;
    },
  };
}

/**
 * The claims outlive the incidents' look-back; an episode still firing after that has its claimant among its open
 * incidents, whose stored plan the later ones count on (`episodeRunbookIncident`). A later claimant refreshes nothing:
 * the TTL bounds the table to one item per alarm that ran a runbook in the last 15 days.
 */
const EPISODE_CLAIM_TTL_SECONDS = 15 * 86_400;

/** Rounds of write, read and take-over: each lost round means another claimant moved the claim meanwhile. */
const CLAIM_ROUNDS = 3;

/** The ARN is hashed, as for an alarm's OK note: it can be 2,048 characters, a key at most 2,048 bytes. */
function episodeClaimKey(alarmArn: string): { pk: string; sk: string } {
  return { pk: `RUNBOOKEPISODE#${createHash('sha256').update(alarmArn).digest('hex').slice(0, 40)}`, sk: 'RUNBOOKCLAIM' };
}

export function createEpisodeRunbookClaims(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): EpisodeRunbookClaims {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  /** Writes the claim for `incidentId` if `condition` holds; true when written. */
  const claimIf = async (key: { pk: string; sk: string }, claim: ClaimTaken, condition: string, values: Record<string, string>) => {
    const now = clock();
    const { incidentId } = claim;
    const approved = claim.approved ? { approved: true } : {};
    const written = await conditionalWrite(() =>
      client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...key, incidentId, ...approved, claimedAt: now.toISOString(), expiresAt: Math.floor(now.getTime() / 1000) + EPISODE_CLAIM_TTL_SECONDS },
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    return written !== null;
  };
  return episodeRunbookClaimsOver(async (scope, claim, holderStands) => {
    const key = episodeClaimKey(scope);
    for (let round = 0; round < CLAIM_ROUNDS; round += 1) {
      if (await claimIf(key, claim, 'attribute_not_exists(pk) OR incidentId = :incident', { ':incident': claim.incidentId })) return { heldBy: claim.incidentId };
      const held = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
      const holder = held.Item?.incidentId;
      // Refused, then gone before the read (its TTL ran out in between): free again, for the next round.
      if (typeof holder !== 'string') continue;
      if (await holderStands(holder, { approved: held.Item?.approved === true })) return { heldBy: holder };
      if (await claimIf(key, claim, 'incidentId = :holder', { ':holder': holder })) return { heldBy: claim.incidentId };
    }
    // Contended on each round (taken over by others, or gone between the write and the read): the step's retry claims again.
    throw new RetryableError(`the runbook claim of alarm ${scope} moved on each of ${CLAIM_ROUNDS} tries`);
  });
}

/**
 * The incident that follows `holder`'s runbook run, whose own step ended without recording its outcome: `followerId`
 * (a later incident of its episode, or the holder itself for the reconciler's runbook check), unless another took the
 * follow claim first and still stands, its step running towards the run's outcome or its decision recording it. The
 * claim is one conditional write on the claim store's item of its own key (one per holder, beside its alarm's runbook
 * claim): a third ALARM of the episode handled while the second follows the run, or two remediated at once, recorded
 * the one run twice (attack-44b R3, R4), and a later ALARM and the reconciler would both record it (R5, session 42).
 */
export async function runFollowerOf(
  holder: RunbookClaimHolder,
  followerId: string,
  deps: { episodeRunbooks: Pick<EpisodeRunbookClaims, 'claimRunFollow'>; incidents: Pick<IncidentStore, 'get'> },
): Promise<string> {
  const followerStands = async (id: string) => {
    const follower = await deps.incidents.get(id);
    // One whose decision says the run had not ended when it stopped following it recorded no outcome (session 43).
    const recorded = Boolean(follower?.decision?.followedRun) && !follower?.decision?.runNotEnded;
    return recorded || (follower !== null && follower.status !== 'notified' && follower.status !== 'resolved');
  };
  return (await deps.episodeRunbooks.claimRunFollow(holder, followerId, followerStands)).heldBy;
}
