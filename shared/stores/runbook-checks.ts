/**
 * Runbooks that reported success, each to be checked once their alarm had time to recover: due entries
 * `RUNBOOKCHECK#<day it is due>` / `<due time>#<incident id>` in the incidents table (shared/stores/due-index.ts).
 * Remediate schedules one when a runbook finishes successfully; the reconciler pages on-call for those whose alarm is
 * still in ALARM when they are due (shared/reconcile/runbook-checks.ts) and deletes each once checked. An alarm that
 * stays in ALARM sends no further event, so without the entry nothing would ever look at the incident again.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type IncidentDueList, createIncidentDueList } from './due-index.js';

/** Past the reconciler's longest look-back (14 days), an entry nobody checked goes. */
const DUE_TTL_SECONDS = 15 * 86_400;

/** `dueAt`: when the runbook finished plus RUNBOOK_VERIFY_MINUTES. */
export type RunbookChecks = IncidentDueList;

export function createRunbookCheckList(options: { client: DynamoDBDocumentClient; tableName: string }): RunbookChecks {
  return createIncidentDueList({ ...options, prefix: 'RUNBOOKCHECK#', ttlSeconds: DUE_TTL_SECONDS });
}
