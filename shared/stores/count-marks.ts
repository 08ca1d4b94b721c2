import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { mayStillLand } from '../errors.js';
import { conditionalWrite } from './dynamo.js';
import { watchUnsettledWrites } from './unsettled-writes.js';

/**
 * Counts on a shared counter item (a knowledge entry, a repository's metrics, an experiment variant) made once per
 * event whatever the crashes and redeliveries, without transactions (the local stand-in has none): the `ADD` writes
 * the event's mark on the counter item in the same conditional update, and an event whose mark is there counts
 * nothing. So an outcome can take its claim on the incident first and apply its counts after it, and a delivery that
 * finds the claim taken (the first one died between the two, or failed for now) applies them all again: the ones
 * already made are refused by their marks, the others made once.
 *
 * Marks go in one string set per UTC hour of the event's claim (`countMarks#<hour>`), which each marked write names
 * from the claim's time, so every delivery of the event looks in the same set. The marks are needed only while a
 * delivery may still apply the event again: a claim older than {@link MARK_WINDOW_HOURS} is not applied again
 * ({@link withinMarkWindow}), and each marked write removes the sets of the hours before that, so an item carries
 * the marks of the last hours' events only. A set of an hour no write followed in the day after it stays (a few ids
 * of a quiet item). Sooner still, once all of an event's counts are made and its claim records so (every delivery
 * reads the claim first), no delivery needs its marks: {@link releasableMarks} collects the writes that take them off
 * again, run by {@link releaseOnceCounted}. Without that, a counter item every event writes (an experiment's variant, a
 * busy repository's metrics, a frequent fingerprint's entry) carried one mark (~60 bytes) per event of the window,
 * against DynamoDB's 400 KB item limit and a write's cost, which grows with the item (session 73: 3,000 failures of
 * one repository in an hour, 120–150 KB per item, and `npm start` fell behind the 20 failures a second it kept up with).
 */
export interface CountMark {
  /** The event and what it counts, e.g. `outcome#<incident>#metrics`: one id per counter item and event. */
  id: string;
  /** When the event's claim was taken on its incident: the same on every delivery. */
  claimedAt: Date;
  /**
   * Where a store that wrote this mark notes the write that takes it off its item again ({@link noteRelease}), for
   * an event that records on its incident when all its counts are made (shared/stores/incident-claims.ts, `finishClaim`):
   * after that record no delivery needs the marks. Without it the mark stays for the mark window.
   */
  releases?: MarkRelease[];
}

/** A write that takes one mark off its counter item. */
export type MarkRelease = () => Promise<unknown>;

/**
 * How long after its claim an event's counts may be applied again: longer than its deliveries are retried (a
 * recovery's redeliveries and a stage's retries take minutes; the reconciler's last re-drive of an execution comes
 * about five and a half hours after its first failure). A webhook someone redelivers by hand later than this (GitHub
 * allows three days) after a crash between the claim and the counts counts those that were missing not at all, as
 * before the marks: never twice.
 */
export const MARK_WINDOW_HOURS = 8;
/** Hours of older sets each marked write removes, before the window. */
const PRUNED_HOURS = 16;
const HOUR_MS = 3_600_000;

const setName = (time: number) => `countMarks#${new Date(time).toISOString().slice(0, 13)}`;

/** Whether an event claimed at `claimedAt` may still be applied again at `now` (its marks are kept). */
export function withinMarkWindow(claimedAt: Date, now: Date): boolean {
  const age = now.getTime() - claimedAt.getTime();
  return Number.isFinite(age) && age < MARK_WINDOW_HOURS * HOUR_MS;
}

/**
 * The marks of an event's counts, one per counter item (`step`: `<event>#<step>`), from its claim: taken at `at`,
 * now (`first`) or by an earlier delivery. Null when an earlier delivery's claim is too old to apply again (its marks
 * may be gone: {@link withinMarkWindow}).
 */
export function marksOfClaim(event: string, claim: { at: Date; first: boolean }, now: Date): ((step: string) => CountMark) | null {
  if (!claim.first && !withinMarkWindow(claim.at, now)) return null;
  return (step) => ({ id: `${event}#${step}`, claimedAt: claim.at });
}

/** The clauses a marked counter write adds to its update: `ADD`, `REMOVE` and a condition, with their names and values. */
export interface MarkClauses {
  add: string;
  remove: string;
  condition: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export function markClauses(mark: CountMark): MarkClauses {
  const claimed = mark.claimedAt.getTime();
  const names: Record<string, string> = { '#countMarks': setName(claimed) };
  const old: string[] = [];
  for (let hour = 1; hour <= PRUNED_HOURS; hour += 1) {
    names[`#countMarksOld${hour}`] = setName(claimed - (MARK_WINDOW_HOURS + hour) * HOUR_MS);
    old.push(`#countMarksOld${hour}`);
  }
  return {
    add: '#countMarks :countMarkSet',
    remove: old.join(', '),
    condition: 'NOT contains(#countMarks, :countMark)',
    names,
    values: { ':countMark': mark.id, ':countMarkSet': new Set([mark.id]) },
  };
}

/**
 * The update that takes a mark off its counter item again (`DELETE` from its hour's set; an emptied set goes with its
 * last element), for an event whose count is also recorded where every delivery reads first, so that no delivery
 * depends on the mark any more. For an event that many of come within the window onto one item (a bulk import of one
 * fingerprint's history), it keeps the item's size from growing with each of them towards DynamoDB's 400 KB limit.
 */
function releaseClauses(mark: CountMark): { delete: string; names: Record<string, string>; values: Record<string, unknown> } {
  return {
    delete: '#countMarks :countMarkSet',
    names: { '#countMarks': setName(mark.claimedAt.getTime()) },
    values: { ':countMarkSet': new Set([mark.id]) },
  };
}

/**
 * The marks of one claim's counts (`marks`, from {@link marksOfClaim}), each collecting in `releases` the write that
 * takes it off the item it was written on, to run once the claim is recorded as counted.
 */
export function releasableMarks(marks: (step: string) => CountMark): { mark: (step: string) => CountMark; releases: MarkRelease[] } {
  const releases: MarkRelease[] = [];
  return { mark: (step) => ({ ...marks(step), releases }), releases };
}

/** Takes the mark off the counter item `key` (an item gone meanwhile stays gone: DELETE would create it). */
export function releaseMark(client: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>, mark: CountMark): Promise<unknown> {
  const release = releaseClauses(mark);
  return conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `DELETE ${release.delete}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: release.names,
        ExpressionAttributeValues: release.values,
      }),
    ),
  );
}

/** Notes, on a mark that collects them, the release of its write on the counter item `key` (see CountMark.releases). */
export function noteRelease(mark: CountMark | null | undefined, client: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>): void {
  mark?.releases?.push(() => releaseMark(client, tableName, key, mark));
}

/**
 * The attribute beside a claim (on its incident, or an experiment unit's `claimedAt`) that counts the deliveries that
 * read the claim while its counts were not all made and have not finished since: each adds one in the write that
 * takes or reads the claim, and {@link recordCountedUnlessRead} takes it off again. A release is safe only once no such
 * delivery remains: one that read the claim uncounted and counts after the release meets no mark and counts again
 * (attack pass 73: two incidents of one commit joining its experiment unit at once, a recovery followed up by its
 * delivery and by the reconciler's backstop at once, a retried invocation beside one still running).
 */
export const CLAIM_READERS_PREFIX = 'claimReaders#';

export function claimReadersName(claim: string): string {
  return `${CLAIM_READERS_PREFIX}${claim}`;
}

/**
 * Ends this delivery's reading of the claim `claim` on the item `key` (see {@link CLAIM_READERS_PREFIX}) and, when no
 * other delivery that read it uncounted is left, records it counted (`counted`, its stored value): true when recorded.
 * A delivery left (one still counting, or one that died reading it) leaves the recording to the last to finish, or
 * to none: the marks then stay for the mark window, as before session 73, and every later delivery counts once by them.
 */
export async function recordCountedUnlessRead(client: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>, claim: string, counted: string): Promise<boolean> {
  const names = { '#claim': claim, '#readers': claimReadersName(claim) };
  // The usual case, this delivery the only one reading: one write takes its reading off and records the claim counted.
  const alone = await conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #claim = :counted ADD #readers :less',
        ConditionExpression: 'attribute_exists(#claim) AND #readers = :one',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':counted': counted, ':less': -1, ':one': 1 },
      }),
    ),
  );
  if (alone !== null) return true;
  const left = await endClaimReading(client, tableName, key, claim);
  if (left === null || left > 0) return false;
  // A delivery that read the claim between the two writes is still counting: it records it counted when it finishes.
  const recorded = await conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'SET #claim = :counted',
        ConditionExpression: 'attribute_exists(#claim) AND (attribute_not_exists(#readers) OR #readers <= :none)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':counted': counted, ':none': 0 },
      }),
    ),
  );
  return recorded !== null;
}

/**
 * Takes this delivery's one off the claim's readers (see {@link CLAIM_READERS_PREFIX}) without recording the claim
 * counted: how many are left, or null when the claim is gone or this very write applied already (the SDK retried it
 * after an attempt whose answer was lost). Once: the write names itself in `claimReaders#<claim>#ended` and applies
 * only while its name is not there, since a second decrement would let another delivery's reading end early.
 */
export async function endClaimReading(client: DynamoDBDocumentClient, tableName: string, key: Record<string, unknown>, claim: string): Promise<number | null> {
  const readers = claimReadersName(claim);
  const ending = randomUUID();
  const ended = await conditionalWrite(() =>
    client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: 'ADD #readers :less, #ended :endings',
        ConditionExpression: 'attribute_exists(#claim) AND NOT contains(#ended, :ending)',
        ExpressionAttributeNames: { '#claim': claim, '#readers': readers, '#ended': `${readers}#ended` },
        ExpressionAttributeValues: { ':less': -1, ':endings': new Set([ending]), ':ending': ending },
        ReturnValues: 'UPDATED_NEW',
      }),
    ),
  );
  return ended === null ? null : Number(ended.Attributes?.[readers] ?? 0);
}

/**
 * Makes an event's counts (`counts`, the writes that carry its marks), then `finish` (the record of the claim counted
 * and the releases). When the counts fail and none of their writes can still land (none had an attempt end
 * unsettled: shared/stores/unsettled-writes.ts; nor is the failure such an end: mayStillLand in shared/errors.ts),
 * this delivery's reading ends first (`endReading`, see {@link endClaimReading}), so that its retry, alone then,
 * records the claim counted and takes the marks off; otherwise the reading stays, as a crash leaves it, and the marks
 * stay for the window: a release before such a write lands would let it count again. The counts write one after
 * another: a write still in flight when another fails could land after the retry's release, unmarked (attack 74c's
 * S74c-2, an `it.fails` row while no store writes its counts in parallel).
 */
export async function countThenFinish(counts: () => Promise<void>, endReading: () => Promise<unknown>, finish: () => Promise<void>): Promise<void> {
  const failed = await watchUnsettledWrites(counts);
  if (failed !== null) {
    // Best effort: a reading left is what a crash leaves. The counts' failure is the one reported.
    if (!failed.unsettled && !mayStillLand(failed.error)) await endReading().catch(() => undefined);
    throw failed.error;
  }
  await finish();
}

/**
 * Runs `releases`, one after another, once `recordCounted` (the write that records the claim counted on its incident)
 * applied. A write that fails fails the caller, as a count's does: its redelivery finds the claim counted and counts
 * nothing (a mark left behind then waits for the window's pruning), or else counts again, once by the marks.
 */
export async function releaseOnceCounted(recordCounted: () => Promise<boolean>, releases: readonly MarkRelease[]): Promise<void> {
  if (!(await recordCounted())) return;
  for (const release of releases) await release();
}

/** Whether a stored counter item carries the mark (for a write that reads the item first). */
export function markedOn(item: Record<string, unknown> | undefined, mark: CountMark): boolean {
  const set = item?.[setName(mark.claimedAt.getTime())];
  return set instanceof Set && set.has(mark.id);
}

/** Sends a marked write: true when it counted, false when its mark was there (counted before). */
export async function countOnce(send: () => Promise<unknown>): Promise<boolean> {
  return (await conditionalWrite(send)) !== null;
}
