/**
 * Incidents whose 👍/👎 on the guard's comment are read once more when their experiment unit's outcome becomes final,
 * kept in the incidents table as due entries `REACTIONREAD#<day it is due>` / `<due time>#<incident id>`
 * (shared/stores/due-index.ts). GitHub sends no webhook for reactions, so the guard reads them only when it touches
 * its comment again: a vote made after the last touch was never read, and a `positive_feedback` unit lost it. The
 * reconciler reads the entries that are due (shared/reconcile/late-reactions.ts) and deletes each once read.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDueIndex } from './due-index.js';

/** An entry nobody read (the reconciler was off for longer than its look-back) expires a week after it was due. */
const DUE_TTL_SECONDS = 7 * 86_400;

export interface ReactionReadDue {
  incidentId: string;
  /** When the unit's outcome became final (its deadline). */
  dueAt: string;
}

export interface ReactionReads {
  /** Reads the incident's reactions once at or after `dueAt`; scheduling it again (a retried stage) adds nothing. */
  schedule(entry: ReactionReadDue): Promise<void>;
  /** The entries due by `now` within the look-back, oldest first, at most `limit`. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<ReactionReadDue[]>;
  /** Read, or nothing left to read: the entry goes. */
  done(entry: ReactionReadDue): Promise<void>;
}

export function createReactionReads(options: { client: DynamoDBDocumentClient; tableName: string }): ReactionReads {
  const index = createDueIndex({ ...options, prefix: 'REACTIONREAD#' });
  const keyOf = (entry: ReactionReadDue) => ({ id: entry.incidentId, dueAt: entry.dueAt });
  return {
    schedule: (entry) => index.put(keyOf(entry), { incidentId: entry.incidentId }, DUE_TTL_SECONDS),
    async due(now, limits) {
      return (await index.due(now, limits)).map((item) => ({ incidentId: String(item.incidentId), dueAt: String(item.dueAt) }));
    },
    done: (entry) => index.drop(keyOf(entry)),
  };
}
