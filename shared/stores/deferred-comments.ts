/**
 * Recovery comments the GitHub write budget refused (or GitHub put off), kept in the incidents table as due entries
 * `RECOVERYCOMMENT#<day>` / `<time it was refused>#<incident id>` (shared/stores/due-index.ts). A green run recorded
 * while a burst of failures has spent the budget must still tell its pull request "Fixed": the failure's own comment
 * waits for room in its execution (shared/domain/write-wait.ts), the recovery has no execution to wait in, so the
 * reconciler posts it once there is room (shared/reconcile/recovery-comments.ts) and deletes the entry.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type IncidentDue, createDueIndex } from './due-index.js';

/** Past the reconciler's longest look-back (14 days), an entry nobody could post goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

export interface DeferredRecoveryComments {
  /** Due at `dueAt`; scheduling the same incident and time again adds nothing. */
  schedule(entry: IncidentDue): Promise<void>;
  /** The entries due by `now` within the look-back, oldest first, at most `limit`. */
  due(now: Date, options: { limit: number; lookbackHours: number }): Promise<IncidentDue[]>;
  /** Posted, or nothing left to post: the entry goes. */
  done(entry: IncidentDue): Promise<void>;
}

export function createDeferredRecoveryComments(options: { client: DynamoDBDocumentClient; tableName: string }): DeferredRecoveryComments {
  const index = createDueIndex({ ...options, prefix: 'RECOVERYCOMMENT#' });
  const keyOf = (entry: IncidentDue) => ({ id: entry.incidentId, dueAt: entry.dueAt });
  return {
    schedule: (entry) => index.put(keyOf(entry), { incidentId: entry.incidentId }, DUE_TTL_SECONDS),
    async due(now, limits) {
      return (await index.due(now, limits)).map((item) => ({ incidentId: String(item.incidentId), dueAt: String(item.dueAt) }));
    },
    done: (entry) => index.drop(keyOf(entry)),
  };
}
