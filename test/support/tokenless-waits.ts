import { type ApprovalState, type Incident, newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import type { scratchStoreForFile } from './harness.js';

/**
 * Incidents as the version before session 65 left a failed approval wait (status `pending`, its task token
 * dropped), stored on the embedded DynamoDB for the sweep's tests (`guard incidents sweep-waits`).
 */
export const FAILED_AT = '2026-11-01T10:20:00Z';
export const PLAN = { action: 'rerun_failed_jobs' as const, proposed: 'rerun_failed_jobs' as const, reasons: ['policy'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: '2026-11-01T10:00:00Z' };
export const DECISION = { action: 'escalate' as const, reason: 'the approval step failed (ThrottlingException: Rate exceeded): a human should look', applied: false, result: 'nothing applied', dryRun: false, decidedAt: FAILED_AT };
/** A wait recorded pending without a token (`decidedAt` null: the version left it unset on some paths). */
export const TOKENLESS: ApprovalState = { status: 'pending', taskToken: null, requestedAt: '2026-11-01T10:05:00Z', decidedAt: null, decidedBy: null, reason: null };

/**
 * A writer of notified pull-request incidents, each of its own repository (its own problem) unless `repositoryId`
 * is given; `firstRepositoryId` keeps two files' incidents apart.
 */
export function tokenlessWaitIncidents(scratch: ReturnType<typeof scratchStoreForFile>, clock: () => Date, firstRepositoryId: number) {
  let runs = 0;
  return async function stored(approval: ApprovalState, fields: Partial<Incident> = {}): Promise<string> {
    runs += 1;
    const repositoryId = fields.repositoryId ?? firstRepositoryId + runs;
    const incident = newIncident({
      id: `gh-${repositoryId}-${runs}-1`, source: 'github', repository: `acme/app-${repositoryId}`, repositoryId, workflowName: 'CI', workflowId: 7, branch: 'feature', runId: runs, runAttempt: 1,
      pullRequest: 40 + runs, status: 'notified', category: 'test_failure', fingerprint: `fp-${repositoryId}`, plan: PLAN, decision: DECISION, approval, ...fields,
    }, new Date('2026-11-01T10:00:00Z'));
    await createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 400, clock }).create(incident, null);
    return incident.id;
  };
}
