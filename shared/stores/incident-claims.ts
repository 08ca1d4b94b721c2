import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClaimName, countedClaimValue, readClaimValue } from '../domain/incident.js';
import { type CountMark, type MarkRelease, claimReadersName, countThenFinish, endClaimReading, marksOfClaim, recordCountedUnlessRead, releasableMarks, releaseOnceCounted } from './count-marks.js';
import { incidentKey } from './incident-store.js';

/**
 * Once-only markers on the incident item (their names are `ClaimName`, domain/incident.ts). Without transactions
 * (dynalite has none) an event that counts on several items takes its marker on the incident first and its counts
 * after it, each count carrying the marker's mark (shared/stores/count-marks.ts): a delivery that finds the marker
 * taken applies them again, and the marks keep each once.
 */

/**
 * Takes the marker unless it is taken, in one write, and says when it was taken: now (`first`), or by an earlier
 * delivery. That time names the marks of the counts the event makes (shared/stores/count-marks.ts), so a delivery
 * that finds the marker taken applies them again and the marks keep each once: a delivery that died after the claim
 * loses nothing. Null when the incident is gone, or when its counts are all made (see {@link finishClaim}).
 */
export async function takeClaim(
  client: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  claim: ClaimName,
  at: Date,
): Promise<{ at: Date; first: boolean } | null> {
  try {
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: incidentKey(incidentId),
        // Read as a delivery still counting (claimReadersName), until finishClaim: no release comes before it finishes.
        UpdateExpression: 'SET #claim = if_not_exists(#claim, :at) ADD #readers :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#claim': claim, '#readers': claimReadersName(claim) },
        ExpressionAttributeValues: { ':at': at.toISOString(), ':one': 1 },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const before = readClaimValue(response.Attributes?.[claim]);
    if (before?.counted) return null;
    return before ? { at: before.at, first: false } : { at, first: true };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return null;
    throw error;
  }
}

/**
 * Records on the incident that every count of the marker taken at `claimedAt` is made (unless another delivery that
 * read it uncounted is still counting: see recordCountedUnlessRead), then takes the counts' marks
 * off their counter items (`releases`, see releasableMarks in shared/stores/count-marks.ts): every delivery takes or
 * reads the marker first and, finding it counted, counts nothing, so none needs the marks any more. Otherwise a
 * counter that every incident of a busy repository writes (its metrics, a recurring failure's entry) carried a mark
 * per incident of the mark window, ~60 bytes each, which each of its writes read and wrote again: at 20 failures a
 * second `npm start` fell behind after ~3,000 of them, and such an item reaches DynamoDB's 400 KB limit after
 * ~7,000 incidents in the window.
 */
export async function finishClaim(
  client: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  claim: ClaimName,
  claimedAt: Date,
  releases: readonly MarkRelease[],
): Promise<void> {
  const recordCounted = () => recordCountedUnlessRead(client, tableName, incidentKey(incidentId), claim, countedClaimValue(claimedAt));
  await releaseOnceCounted(recordCounted, releases);
}

/** A claim taken (`first`: by this delivery), the marks of its counts, and how they are made. */
export interface ClaimCounts {
  first: boolean;
  mark: (step: string) => CountMark;
  /**
   * Makes the counts (`counts`, whose writes carry `mark`'s marks), then records the claim counted and releases the
   * marks they wrote (see {@link finishClaim}); counts that fail with no write left that may still land end this
   * delivery's reading (countThenFinish in shared/stores/count-marks.ts), so that the next delivery can finish alone.
   */
  count: (counts: () => Promise<void>) => Promise<void>;
}

/**
 * The counts of the marker `claim` taken on the incident at `taken.at` (by this delivery when `first`): their marks,
 * named `<claim>#<incident>#<step>`, and their finish; null when it was taken too long ago to count again.
 */
export function claimCounts(client: DynamoDBDocumentClient, tableName: string, incidentId: string, claim: ClaimName, taken: { at: Date; first: boolean }, now: Date): ClaimCounts | null {
  const marks = marksOfClaim(`${claim}#${incidentId}`, taken, now);
  if (!marks) return null;
  const { mark, releases } = releasableMarks(marks);
  return {
    first: taken.first,
    mark,
    count: (counts) =>
      countThenFinish(
        counts,
        () => endClaimReading(client, tableName, incidentKey(incidentId), claim),
        () => finishClaim(client, tableName, incidentId, claim, taken.at, releases),
      ),
  };
}

/** One conditional write of a marker on an existing incident: true when it applied. */
async function changeMarker(
  client: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  claim: ClaimName,
  change: { expression: string; condition: string; values?: Record<string, unknown>; names?: Record<string, string> },
): Promise<boolean> {
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: incidentKey(incidentId),
        UpdateExpression: change.expression,
        ConditionExpression: `attribute_exists(pk) AND ${change.condition}`,
        ExpressionAttributeNames: { '#claim': claim, ...change.names },
        ...(change.values ? { ExpressionAttributeValues: change.values } : {}),
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/**
 * Takes (`take`) or gives back (`give`) a marker for one vote change, while `level` (a condition on the incident's
 * vote counters, with its values) holds: true when it applied. The change's id is kept beside the marker
 * (`<claim>By`), so a change finished again after its applier crashed finds the marker it moved as its own and moves
 * what it counts again, instead of losing it (votes.ts's outbox: the change's count marks keep that once).
 * The level keeps a stale change from taking a marker the counters no longer call for.
 */
export async function moveClaimForChange(
  client: DynamoDBDocumentClient,
  tableName: string,
  incidentId: string,
  claim: ClaimName,
  change: { id: string; at: Date; move: 'take' | 'give' },
  level: { condition: string; values: Record<string, unknown> } | null,
): Promise<boolean> {
  const owned = `#by = :change`;
  const move =
    change.move === 'take'
      ? { expression: 'SET #claim = :at, #by = :change', condition: `(attribute_not_exists(#claim) OR ${owned})`, values: { ':at': change.at.toISOString() } }
      : { expression: 'REMOVE #claim SET #by = :change', condition: `(attribute_exists(#claim) OR ${owned})`, values: {} };
  return changeMarker(client, tableName, incidentId, claim, {
    expression: move.expression,
    condition: `${move.condition}${level ? ` AND ${level.condition}` : ''}`,
    values: { ...move.values, ':change': change.id, ...level?.values },
    names: { '#by': `${claim}By` },
  });
}
