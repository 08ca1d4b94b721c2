/**
 * Recovery comments the GitHub write budget refused (or GitHub put off), kept in the incidents table as due entries
 * `RECOVERYCOMMENT#<day>` / `<time it was refused>#<incident id>` (shared/stores/due-index.ts). A green run recorded
 * while a burst of failures has spent the budget must still tell its pull request "Fixed": the failure's own comment
 * waits for room in its execution (shared/domain/write-wait.ts), the recovery has no execution to wait in, so the
 * reconciler posts it once there is room (shared/reconcile/recovery-comments.ts) and deletes the entry.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type IncidentDueList, createIncidentDueList } from './due-index.js';

/** Past the reconciler's longest look-back (14 days), an entry nobody could post goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

/** Scheduled by the outcome recorder; an entry goes once posted, or once there is nothing left to post. */
export type DeferredRecoveryComments = IncidentDueList;

export function createDeferredRecoveryComments(options: { client: DynamoDBDocumentClient; tableName: string }): DeferredRecoveryComments {
  return createIncidentDueList({ ...options, prefix: 'RECOVERYCOMMENT#', ttlSeconds: DUE_TTL_SECONDS });
}
