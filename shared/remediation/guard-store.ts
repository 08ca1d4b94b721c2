/**
 * Live counters behind the remediation guards, in the incidents table: automatic actions per scope per hour and
 * per day (rate limits), and outcomes of automatic actions per hour (circuit breaker). Every write is a single
 * atomic `ADD`, conditional where a limit applies; no read-modify-write, no transactions.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, readItems } from '../stores/dynamo.js';
import { repositoryKey } from '../domain/repository-key.js';
import { type Incident, outsiderCanRepeat } from '../domain/incident.js';

/** Buckets outlive the longest window they serve (a day, a week of breaker history); TTL then removes them. */
const BUCKET_TTL_SECONDS = 8 * 86_400;

/** The scope guard counters are kept per: the repository, or the alarm. */
export function guardScope(incident: { repository: string | null; alarm: { name: string } | null; id: string }): string {
  return incident.repository ? repositoryKey(incident.repository) : `alarm:${incident.alarm?.name ?? incident.id}`;
}

/**
 * The scope whose hourly and daily automatic-action slots an incident's action takes: its {@link guardScope}, or for a
 * run any outsider can cause again and again (`outsiderCanRepeat`: a workflow on `issues`, a review's run) a share of
 * its own beside it. Their re-runs taking the repository's slots, ten issues an hour left the repository's own
 * transient failures unre-run. The circuit breaker stays the repository's.
 */
export function guardSlotScope(incident: Incident): string {
  const scope = guardScope(incident);
  return outsiderCanRepeat(incident) ? `${scope}#outsiders` : scope;
}

/**
 * Counts an automatic action's outcome for the incident's circuit breaker (`claim`: once per outcome), except for a
 * run any outsider can cause again and again (a workflow on `issues`, a fork's): its failures and passes are theirs to
 * arrange, and would open the breaker for the repository's own failures or hold it closed.
 */
export async function recordActionOutcome(guards: Pick<GuardStore, 'recordOutcome'>, incident: Incident, succeeded: boolean, claim: string): Promise<void> {
  if (outsiderCanRepeat(incident)) return;
  await guards.recordOutcome(guardScope(incident), succeeded, claim);
}

export interface GuardCounters {
  automaticActionsLastHour: number;
  automaticActionsLastDay: number;
  recentOutcomes: { attempts: number; failures: number };
}

export interface GuardStore {
  read(scope: string, breakerWindowHours: number): Promise<GuardCounters>;
  /**
   * Takes one automatic-action slot in the current hour and day, unless either is full. Returns false when a
   * limit is reached (another execution may have taken the last slot since `read`). Idempotent per `claim`
   * (e.g. the incident): each slot carries the claim's mark in the write that counts it, in the hour and day the
   * claim was first taken, so a step retried after a crash between the claim and a count takes the slot it had not
   * (or is refused it, as the killed try would have been), and none twice.
   */
  reserve(scope: string, limits: { perHour: number; perDay: number }, claim: string): Promise<boolean>;
  /**
   * Counts the outcome of an automatic action for the circuit breaker, once per `claim`, in the hour it was first
   * claimed: counted again after a crash or a failure between the claim and the count, the hour's counter keeps
   * the claim's mark and counts it once.
   */
  recordOutcome(scope: string, succeeded: boolean, claim: string): Promise<void>;
}

/** The attribute that marks a claim's count on a bucket (an hour's or a day's item, which expires with it). */
const markName = (claim: string) => `counted#${claim}`;
const hourKey = (at: Date) => at.toISOString().slice(0, 13).replace(/[-T]/g, '');
const dayKey = (at: Date) => at.toISOString().slice(0, 10).replace(/-/g, '');

export function createGuardStore(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): GuardStore {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  const key = (scope: string, sk: string) => ({ pk: `GUARD#${scope}`, sk });
  const expiresAt = () => Math.floor(clock().getTime() / 1000) + BUCKET_TTL_SECONDS;

  async function increment(scope: string, sk: string, limit: number | null, add: Record<string, number>, mark?: string) {
    const names: Record<string, string> = { '#expiresAt': 'expiresAt', ...(mark ? { '#mark': markName(mark) } : {}) };
    const values: Record<string, unknown> = { ':expiresAt': expiresAt() };
    const adds = Object.entries(add).map(([field, value], i) => {
      names[`#c${i}`] = field;
      values[`:v${i}`] = value;
      return `#c${i} :v${i}`;
    });
    if (limit !== null) values[':limit'] = limit;
    if (mark) values[':marked'] = true;
    // A mark lives on its hour's item, which expires with it: a handful of outcomes an hour per scope.
    const conditions = [...(limit !== null ? ['(attribute_not_exists(#c0) OR #c0 < :limit)'] : []), ...(mark ? ['attribute_not_exists(#mark)'] : [])];
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(scope, sk),
        UpdateExpression: `ADD ${adds.join(', ')} SET #expiresAt = :expiresAt${mark ? ', #mark = :marked' : ''}`,
        ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Takes a claim unless it is taken, in one write that answers when it was first taken: every delivery of the claim
   * then counts on the items of the same hour and day, where the claim's mark keeps each count once. Null for a claim
   * put before claims kept their time (a put with only expiresAt): it was counted then.
   */
  async function takeClaim(scope: string, claim: string): Promise<Date | null> {
    const now = clock();
    const response = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key(scope, `CLAIM#${claim}`),
        UpdateExpression: 'SET claimedAt = if_not_exists(claimedAt, :now), expiresAt = if_not_exists(expiresAt, :expiresAt)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':expiresAt': expiresAt() },
        ReturnValues: 'UPDATED_OLD',
      }),
    );
    const before = response.Attributes ?? {};
    if (typeof before.claimedAt === 'string') return new Date(before.claimedAt);
    return before.expiresAt !== undefined ? null : now;
  }

  /**
   * Takes a slot on a bucket for a claim, unless the bucket is full: one conditional `ADD` that also writes the
   * claim's mark. True when the slot is the claim's (taken now, or by an earlier delivery of it).
   */
  async function takeSlot(scope: string, sk: string, limit: number, claim: string): Promise<boolean> {
    try {
      await increment(scope, sk, limit, { count: 1 }, claim);
      return true;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // Refused: by the claim's own mark (an earlier delivery took the slot), or by the limit.
      const bucket = await client.send(new GetCommand({ TableName: tableName, Key: key(scope, sk), ConsistentRead: true }));
      return bucket.Item?.[markName(claim)] === true;
    }
  }

  /** Gives a claim's slot on a bucket back, once: the `ADD` of -1 takes the claim's mark off with it. */
  async function giveBack(scope: string, sk: string, claim: string): Promise<void> {
    await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key(scope, sk),
          UpdateExpression: 'ADD #count :minusOne REMOVE #mark',
          ConditionExpression: 'attribute_exists(#mark)',
          ExpressionAttributeNames: { '#count': 'count', '#mark': markName(claim) },
          ExpressionAttributeValues: { ':minusOne': -1 },
        }),
      ),
    );
  }

  return {
    async read(scope, breakerWindowHours) {
      const now = clock();
      const hours = Array.from({ length: breakerWindowHours }, (_, i) => hourKey(new Date(now.getTime() - i * 3_600_000)));
      const keys = [key(scope, `ACTIONS#H#${hourKey(now)}`), key(scope, `ACTIONS#D#${dayKey(now)}`), ...hours.map((h) => key(scope, `OUTCOMES#H#${h}`))];
      const items = new Map<string, Record<string, unknown>>();
      for (const item of await readItems(client, tableName, keys, { consistentRead: false })) items.set(String(item.sk), item);
      const count = (sk: string, field: string) => Number(items.get(sk)?.[field] ?? 0);
      let attempts = 0;
      let failures = 0;
      for (const h of hours) {
        attempts += count(`OUTCOMES#H#${h}`, 'attempts');
        failures += count(`OUTCOMES#H#${h}`, 'failures');
      }
      return {
        automaticActionsLastHour: count(`ACTIONS#H#${hourKey(now)}`, 'count'),
        automaticActionsLastDay: count(`ACTIONS#D#${dayKey(now)}`, 'count'),
        recentOutcomes: { attempts, failures },
      };
    },

    async reserve(scope, limits, claim) {
      const slot = `slot:${claim}`;
      const claimedAt = await takeClaim(scope, slot);
      // A claim put before claims kept their time took its slots then.
      if (!claimedAt) return true;
      const release = () => client.send(new DeleteCommand({ TableName: tableName, Key: key(scope, `CLAIM#${slot}`) }));
      // In the hour and day of the claim, whenever this delivery comes: a step killed after its claim, retried in the
      // next hour, takes the slot it had not taken yet (and keeps the one it had) rather than going unlimited.
      const hour = `ACTIONS#H#${hourKey(claimedAt)}`;
      if (!(await takeSlot(scope, hour, limits.perHour, slot))) {
        await release();
        return false;
      }
      if (await takeSlot(scope, `ACTIONS#D#${dayKey(claimedAt)}`, limits.perDay, slot)) return true;
      // Give the hour slot back so a full day does not also eat into the next hours' budget.
      await giveBack(scope, hour, slot);
      await release();
      return false;
    },

    async recordOutcome(scope, succeeded, claim) {
      // The claim keeps when it was taken: a delivery that finds it counts in the same hour, under the same mark.
      const claimedAt = await takeClaim(scope, `outcome:${claim}`);
      if (!claimedAt) return;
      await conditionalWrite(() => increment(scope, `OUTCOMES#H#${hourKey(claimedAt)}`, null, { attempts: 1, failures: succeeded ? 0 : 1 }, `outcome:${claim}`));
    },
  };
}
