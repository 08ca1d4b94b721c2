import { createHash } from 'node:crypto';
import * as z from 'zod';
import { alarmStateChangeOf } from './trigger.js';

/**
 * A green run (or a successful check of another CI system) to record off the webhook request: ingest queues it
 * and answers GitHub at once; the outcome recorder resolves the scope's open incidents, updates the PR comment and
 * the learning counters (shared/steps/record-outcome.ts). Plain JSON, so it crosses Lambda's async invocation
 * queue and the local runtime's store queue the same way.
 */
export const workflowRecoveryMessageSchema = z.object({
  kind: z.literal('workflow_recovery'),
  /** Deterministic per green run: the same delivery queued twice is one message locally, one outcome everywhere. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  scope: z.string().min(1).max(1000),
  runId: z.number().int().positive().nullable(),
  runAttempt: z.number().int().positive().optional(),
  resolvedBy: z.string().min(1).max(200),
  installationId: z.number().int().nullable(),
  completedAt: z.iso.datetime({ offset: true }),
});
export type WorkflowRecoveryMessage = z.infer<typeof workflowRecoveryMessageSchema>;

export function workflowRecoveryMessage(recovery: Omit<WorkflowRecoveryMessage, 'kind' | 'id' | 'completedAt'> & { completedAt: Date }): WorkflowRecoveryMessage {
  const id = createHash('sha256').update(`${recovery.scope}\n${recovery.resolvedBy}`).digest('hex').slice(0, 32);
  return {
    kind: 'workflow_recovery',
    id,
    scope: recovery.scope,
    runId: recovery.runId,
    ...(recovery.runAttempt === undefined ? {} : { runAttempt: recovery.runAttempt }),
    resolvedBy: recovery.resolvedBy,
    installationId: recovery.installationId,
    completedAt: recovery.completedAt.toISOString(),
  };
}

/**
 * Tells a queued recovery apart from the EventBridge alarm events the same outcome recorder receives. An event shaped
 * as an alarm state change is always an alarm event, whatever else it carries: the local runtime passes alarm bodies
 * from its HTTP route through unvalidated, and such a body must not pass for a recovery that ingest queued.
 */
export function isWorkflowRecoveryMessage(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === 'workflow_recovery' && alarmStateChangeOf(event) === null;
}
