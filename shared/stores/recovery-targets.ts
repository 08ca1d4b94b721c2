/**
 * The incidents each recovery (a green run, an alarm's OK) set out to resolve, kept in the incidents table beside them
 * for the recovery's next delivery and for the reconciler. The outcome recorder writes an incident resolved first,
 * with a conditional write that decides whether this recovery's ending stands, and does the follow-ups (circuit
 * breaker, learning, the PR comment) only then (shared/steps/record-outcome.ts). Killed between the two, the incident is
 * no longer open, so the redelivery would not find it among the scope's open ones: it finds it here.
 *
 * The item is a due entry (shared/stores/due-index.ts) `RECOVERYTARGETS#<day of the recovery>` / `<time of the
 * recovery>#<hash of the recovery>`: every delivery of one recovery computes the same key, and the reconciler lists
 * the entries of its look-back. A recovery stamped too far back or ahead of the clock noting it is keyed by that day
 * instead (`keyTimeOf`), its own time kept as `recoveryAt`. The recovery deletes it once all its follow-ups are done, as last noted (its `mark`, new
 * on every note, still the one the deleter read: a concurrent delivery's later note, with targets the deleter never saw,
 * keeps the entry for that delivery or the reconciler), so an entry still there some
 * minutes after its last note is a recovery whose deliveries all stopped short (killed, or retried until they went to
 * the dead-letter queue): the reconciler does the follow-ups left (shared/reconcile/recovery-follow-ups.ts). Noting
 * the targets was one write already; the backstop adds none per incident, and one delete per recovery.
 *
 * The reconciler lists the entries of every day one can be noted on (session 41): a delivery redriven from the
 * dead-letter queue on its last day notes its recovery's entry under a day two weeks back, which a look-back of the
 * last hours never read, so the backstop helped only a delivery that came back by itself. Its tries that failed are
 * counted on the entry where it is (`failures`, `retryAt`; not moved, as other due entries are: every delivery of the
 * recovery computes this key), and one given up is marked (`givenUpAt`) and listed no more, but kept for a redriven
 * delivery until it expires; the listing skips both with a filter, so they do not take the run's bound. A new note
 * clears them: the recovery was delivered again, and its tries start over.
 */
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { createHash, randomUUID } from 'node:crypto';
import { type DueKey, dueIndexKey } from './due-index.js';
import { conditionalWrite, readPages } from './dynamo.js';
import { eventTimeAt } from '../domain/event-time.js';

const PREFIX = 'RECOVERYTARGETS#';

/**
 * Longer than the dead-letter queue keeps a recovery (14 days): one redriven from it on its last day still finds what
 * its earlier deliveries resolved. Counted from the last note, so from the last delivery.
 */
const TARGETS_TTL_SECONDS = 15 * 86_400;

/** One recovery, the same on each of its deliveries: its scope, the name it resolves by, its time (ISO). */
export interface RecoveryKey {
  scope: string;
  resolvedBy: string;
  at: string;
}

/**
 * A recovery as its entry was read: `mark` is the last note's (new on every note; null for none, or an entry written
 * before marks were), which {@link RecoveryTargets.finished} deletes only if it is still the entry's.
 */
export interface ReadRecovery extends RecoveryKey {
  mark: string | null;
  /** The time its entry is keyed by, when not the recovery's own (see {@link keyTimeOf}); from the entry or its note. */
  keyAt?: string;
}

/**
 * A recovery whose follow-ups were not all recorded done: what it noted, when it last did, and how often the
 * reconciler's tries at them failed since.
 */
export interface UnfinishedRecovery extends ReadRecovery {
  incidentIds: string[];
  notedAt: string;
  failures: number;
}

/** What a delivery's note found: the targets its earlier deliveries noted, and the mark of the entry now (null: none). */
export interface NotedTargets {
  earlier: string[];
  mark: string | null;
  /** The time the entry is keyed by, for {@link ReadRecovery.keyAt}. */
  keyAt: string;
}

export interface RecoveryTargets {
  /**
   * Adds `incidentIds` to the targets of `recovery` and returns the targets its earlier deliveries noted, with the
   * entry's mark: one write (a read when there is nothing to add).
   */
  note(recovery: RecoveryKey, incidentIds: readonly string[]): Promise<NotedTargets>;
  /**
   * The follow-ups of the recovery as read (`recovery.mark`) are all done: its entry goes, unless noted again since
   * (false, the entry left for whoever noted it; not an error). A later delivery notes it anew if it finds any open.
   */
  finished(recovery: ReadRecovery): Promise<boolean>;
  /**
   * Of the recovery as read, `incidentIds` need nothing more (followed up, or not its to follow up): they are taken off
   * its targets, so that the reconciler reads the rest on its next run. False when noted again since, or gone.
   */
  settled(recovery: ReadRecovery, incidentIds: readonly string[]): Promise<boolean>;
  /**
   * Recoveries last noted at or before `notedBefore` and not finished, of any day an entry lives in, oldest first, at
   * most `limit`: those whose tries wait (`retry`) until their time, those given up never.
   */
  unfinished(now: Date, options: { notedBefore: Date; limit: number }): Promise<UnfinishedRecovery[]>;
  /** The reconciler's tries at the follow-ups failed `failures` times: listed again from `retryAt`. False when it is gone. */
  retry(recovery: ReadRecovery, retryAt: Date, failures: number): Promise<boolean>;
  /** Given up after `failures` tries, at `at`: listed no more, kept for a redriven delivery. False when it is gone. */
  givenUp(recovery: ReadRecovery, failures: number, at: Date): Promise<boolean>;
}

const DAY_MS = 86_400_000;

/**
 * The days before today whose entries are listed: a recovery is noted by its deliveries, the last at most as long
 * after it as the dead-letter queue keeps it (14 days), and its entry lives on {@link TARGETS_TTL_SECONDS} after that.
 */
const LISTED_DAYS = TARGETS_TTL_SECONDS / 86_400;

/**
 * Pages of one day read per run, each up to DynamoDB's 1 MB: a day's entries waiting for their retry or given up are
 * read and skipped, and would take thousands to fill one.
 */
const MAX_PAGES_PER_DAY = 2;

/**
 * How far back from the clock noting it a recovery's own time may key its entry: the dead-letter queue keeps a
 * recovery 14 days, and an entry keyed so is still listed a day after its note. Ahead, the one rule's skew
 * (shared/domain/event-time.ts): the clocks of CloudWatch, GitHub and Lambda differ by seconds, and such an entry is
 * listed a moment later.
 */
const KEYED_BACK_MS = (LISTED_DAYS - 1) * DAY_MS;

/**
 * The time the entry of `recovery`, noted at `now`, is keyed by: the recovery's own, so every delivery finds the same
 * entry; but one stamped further back or ahead (a replayed OK stamped weeks back, a third-party check run's
 * completed_at in the future) is keyed by the start of the day noting it, as the listing, which covers the days from
 * LISTED_DAYS before today up to now, reads it while it lives (keyed by its own time it was never listed, and its
 * follow-ups never finished nor given up: attack-43b F5). Deliveries of such a recovery on other days note other
 * entries, each listed and followed up on its own.
 */
export function keyTimeOf(recovery: RecoveryKey, now: Date): string {
  const { at, untrusted } = eventTimeAt(recovery.at, now);
  if (!untrusted && at.getTime() >= now.getTime() - KEYED_BACK_MS) return recovery.at;
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS).toISOString();
}

/** Where the recovery's targets are; the recovery is hashed (a scope is up to 1,000 characters). */
function entryOf(recovery: RecoveryKey & { keyAt?: string }): DueKey {
  const id = createHash('sha256').update(`${recovery.scope}\n${recovery.resolvedBy}\n${recovery.at}`).digest('hex').slice(0, 40);
  return { id, dueAt: recovery.keyAt ?? recovery.at };
}

/** The item holding one recovery's targets, keyed by `keyAt` when given, else by the recovery's own time. */
export function recoveryTargetsKey(recovery: RecoveryKey & { keyAt?: string }): { pk: string; sk: string } {
  return dueIndexKey(PREFIX, entryOf(recovery));
}

function idsOf(item: Record<string, unknown> | undefined): string[] {
  return item?.incidents instanceof Set ? [...item.incidents].map(String) : [];
}

function markOf(item: Record<string, unknown> | undefined): string | null {
  return typeof item?.mark === 'string' ? item.mark : null;
}

/** The condition that the entry is as `recovery` read it: its mark the same (none for none). */
function asLastNoted(recovery: ReadRecovery): { condition: string; names: Record<string, string>; values: Record<string, string> } {
  return recovery.mark === null
    ? { condition: 'attribute_not_exists(#mark)', names: { '#mark': 'mark' }, values: {} }
    : { condition: '#mark = :mark', names: { '#mark': 'mark' }, values: { ':mark': recovery.mark } };
}

export function createRecoveryTargets(options: { client: DynamoDBDocumentClient; tableName: string; clock?: () => Date }): RecoveryTargets {
  const { client, tableName } = options;
  const clock = options.clock ?? (() => new Date());
  /**
   * Updates the entry as the reconciler read it: not one noted again since, whose delivery's tries start over and
   * whose targets the reader never saw, and never one gone (it would be written back). False when it is either.
   */
  const updateAsRead = async (recovery: ReadRecovery, update: { expression: string; names: Record<string, string>; values: Record<string, unknown> }) => {
    const asRead = asLastNoted(recovery);
    const updated = await conditionalWrite(() =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: recoveryTargetsKey(recovery),
          UpdateExpression: update.expression,
          ConditionExpression: `attribute_exists(pk) AND ${asRead.condition}`,
          ExpressionAttributeNames: { ...asRead.names, ...update.names },
          ExpressionAttributeValues: { ...asRead.values, ...update.values },
        }),
      ),
    );
    return updated !== null;
  };
  /** Sets the reconciler's tries on the entry as it read it. */
  const countTries = (recovery: ReadRecovery, tries: { failures: number; retryAt?: string; givenUpAt?: string }) => {
    const names = Object.keys(tries);
    return updateAsRead(recovery, {
      expression: `SET ${names.map((name) => `#${name} = :${name}`).join(', ')}`,
      names: Object.fromEntries(names.map((name) => [`#${name}`, name])),
      values: Object.fromEntries(Object.entries(tries).map(([name, value]) => [`:${name}`, value])),
    });
  };
  return {
    async note(recovery, incidentIds) {
      const now = clock();
      const keyAt = keyTimeOf(recovery, now);
      const key = recoveryTargetsKey({ ...recovery, keyAt });
      if (incidentIds.length === 0) {
        const item = (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
        return { earlier: idsOf(item), mark: markOf(item), keyAt };
      }
      const mark = randomUUID();
      const response = await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression:
            'ADD #incidents :ids SET #scope = :scope, #resolvedBy = :resolvedBy, #at = :at, #keyAt = :keyAt, #notedAt = :notedAt, #mark = :mark, #expiresAt = :expiresAt REMOVE #failures, #retryAt, #givenUpAt',
          ExpressionAttributeNames: {
            '#incidents': 'incidents', '#scope': 'scope', '#resolvedBy': 'resolvedBy', '#at': 'recoveryAt', '#keyAt': 'dueAt', '#notedAt': 'notedAt', '#mark': 'mark', '#expiresAt': 'expiresAt',
            '#failures': 'failures', '#retryAt': 'retryAt', '#givenUpAt': 'givenUpAt',
          },
          ExpressionAttributeValues: {
            ':ids': new Set(incidentIds),
            ':scope': recovery.scope,
            ':resolvedBy': recovery.resolvedBy,
            ':at': recovery.at,
            ':keyAt': keyAt,
            ':notedAt': now.toISOString(),
            ':mark': mark,
            ':expiresAt': Math.floor(now.getTime() / 1000) + TARGETS_TTL_SECONDS,
          },
          // The item as it was: what the earlier deliveries noted.
          ReturnValues: 'ALL_OLD',
        }),
      );
      return { earlier: idsOf(response.Attributes), mark, keyAt };
    },
    async finished(recovery) {
      const asRead = asLastNoted(recovery);
      const deleted = await conditionalWrite(() =>
        client.send(
          new DeleteCommand({
            TableName: tableName,
            Key: recoveryTargetsKey(recovery),
            ConditionExpression: asRead.condition,
            ExpressionAttributeNames: asRead.names,
            ...(recovery.mark === null ? {} : { ExpressionAttributeValues: asRead.values }),
          }),
        ),
      );
      return deleted !== null;
    },
    async unfinished(now, { notedBefore, limit }) {
      const found: Array<Record<string, unknown>> = [];
      const today = Math.floor(now.getTime() / DAY_MS);
      for (let day = today - LISTED_DAYS; day <= today && found.length < limit; day += 1) {
        // No Limit: DynamoDB counts it before the filter, and the entries skipped would take the bound.
        const pages = paginateQuery(
          { client },
          {
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND sk <= :now',
            FilterExpression: '#notedAt <= :before AND (attribute_not_exists(#retryAt) OR #retryAt <= :now) AND attribute_not_exists(#givenUpAt)',
            ExpressionAttributeNames: { '#notedAt': 'notedAt', '#retryAt': 'retryAt', '#givenUpAt': 'givenUpAt' },
            ExpressionAttributeValues: { ':pk': `${PREFIX}${new Date(day * DAY_MS).toISOString().slice(0, 10)}`, ':now': now.toISOString(), ':before': notedBefore.toISOString() },
            ConsistentRead: true,
          },
        );
        found.push(...(await readPages(pages, { maxPages: MAX_PAGES_PER_DAY, limit: limit - found.length })).items);
      }
      return found.map((item) => {
        // An entry noted before session 41's recoveryAt is keyed by the recovery's own time.
        const at = String(item.recoveryAt ?? item.dueAt);
        return {
          scope: String(item.scope), resolvedBy: String(item.resolvedBy), at, ...(item.dueAt === at ? {} : { keyAt: String(item.dueAt) }),
          incidentIds: idsOf(item), notedAt: String(item.notedAt), mark: markOf(item), failures: typeof item.failures === 'number' ? item.failures : 0,
        };
      });
    },
    settled: async (recovery, incidentIds) =>
      incidentIds.length === 0 || updateAsRead(recovery, { expression: 'DELETE #incidents :ids', names: { '#incidents': 'incidents' }, values: { ':ids': new Set(incidentIds) } }),
    retry: (recovery, retryAt, failures) => countTries(recovery, { failures, retryAt: retryAt.toISOString() }),
    givenUp: (recovery, failures, at) => countTries(recovery, { failures, givenUpAt: at.toISOString() }),
  };
}
