/**
 * Incidents whose 👍/👎 on the guard's comment are read once more when their experiment unit's outcome becomes final,
 * kept in the incidents table as due entries `REACTIONREAD#<day it is due>` / `<due time>#<incident id>`
 * (shared/stores/due-index.ts). GitHub sends no webhook for reactions, so the guard reads them only when it touches
 * its comment again: a vote made after the last touch was never read, and a `positive_feedback` unit lost it. The
 * reconciler reads the entries that are due (shared/reconcile/late-reactions.ts) and deletes each once read; a read
 * its run's GitHub calls did not cover keeps what it read on its entry, and one that failed moves later.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DueKey, type IncidentDue, createDueIndex, storedRetries } from './due-index.js';

/** An entry nobody read (the reconciler was off for longer than its look-back) expires a week after it was due. */
const DUE_TTL_SECONDS = 7 * 86_400;

/** `dueAt`: when the unit's outcome became final (its deadline). */
export type ReactionReadDue = IncidentDue;

/** A due read as {@link ReactionReads.due} lists it. */
export interface ListedReactionRead extends ReactionReadDue {
  /** Its entry as stored: at `dueAt` until a read of it fails, later after each failure. */
  entry: DueKey;
  /** Reads of it that failed so far. */
  failures: number;
  /** What a read its run's calls did not cover had read, as stored (the reader checks it): null when none. */
  progress: unknown;
}

export interface ReactionReads {
  /** Reads the incident's reactions once at or after `dueAt`; scheduling it again (a retried stage) adds nothing. */
  schedule(entry: ReactionReadDue): Promise<void>;
  /** The entries due by `now` within the look-back, oldest first, at most `limit`. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<ListedReactionRead[]>;
  /** Read, or nothing left to read: the entry goes. */
  done(entry: ListedReactionRead): Promise<void>;
  /** Keeps what a read not finished had read on its entry, where it is; false when the entry is gone meanwhile. */
  keepProgress(entry: ListedReactionRead, progress: unknown): Promise<boolean>;
  /** A read that failed: its entry moves to `at`, its failures counted, with what it had read; false when it is gone. */
  retry(entry: ListedReactionRead, at: Date, progress: unknown): Promise<boolean>;
}

export function createReactionReads(options: { client: DynamoDBDocumentClient; tableName: string }): ReactionReads {
  const index = createDueIndex({ ...options, prefix: 'REACTIONREAD#' });
  return {
    schedule: (entry) => index.put({ id: entry.incidentId, dueAt: entry.dueAt }, { incidentId: entry.incidentId }, DUE_TTL_SECONDS),
    async due(now, limits) {
      return (await index.due(now, limits)).map((item) => ({
        incidentId: String(item.incidentId),
        // Kept on the entry once it moved; before, the entry is due at the deadline.
        dueAt: String(item.deadline ?? item.dueAt),
        ...storedRetries(item),
        progress: item.progress ?? null,
      }));
    },
    done: (entry) => index.drop(entry.entry),
    keepProgress: (entry, progress) => index.annotate(entry.entry, { progress }),
    retry: (entry, at, progress) =>
      index.move(
        entry.entry,
        { id: entry.entry.id, dueAt: at.toISOString() },
        { incidentId: entry.incidentId, deadline: entry.dueAt, failures: entry.failures + 1, ...(progress === null ? {} : { progress }) },
        DUE_TTL_SECONDS,
      ),
  };
}
