import { describe, expect, it } from 'vitest';
import { deliverWebhook, loadAlarmEvent, readOutbox } from '../../infra/local/replay.js';
import type { LocalRuntime } from '../../infra/local/runtime.js';
import { githubIncidentScope } from '../../shared/domain/github-incident.js';
import { type Trigger, alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { automationClientToken } from '../../shared/remediation/runbooks.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { workflowRecoveryMessage } from '../../shared/domain/recovery.js';
import { RECOVERY_QUEUE, createStoreWorkQueue } from '../../shared/stores/work-queue.js';
import { failedRunDelivery } from '../support/fakes.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { writeLeftBehind } from '../support/left-behind.js';

/**
 * What a crash leaves behind, written into the embedded tables the way the runtime writes them, then a start on the
 * same data directory: resumed executions, a redelivery that re-drives, and the reconciler.
 */
const SECRET = 'crash-secret';
const runtimes = useLocalRuntimePerTest();
let dataDir: string;

/** The runtime started on what {@link leftBehind} wrote. */
async function restarted(env: Record<string, string> = {}): Promise<LocalRuntime> {
  const harness = await runtimes.start({ secret: SECRET, dataDir, env: { GITHUB_TOKEN: undefined, RECONCILE_AFTER_MINUTES: '1', ...env } });
  return harness.runtime;
}

function trigger(runId: number) {
  const event = failedRunDelivery(runId);
  return { event, trigger: triggerFromWorkflowRun(event.body as never, `delivery-${runId}`) };
}

/**
 * Writes incidents and execution records into the data directory, as a runtime killed mid-way leaves them: a run of
 * the sample failure (`runId`) or any other trigger, and what the killed runtime had written to its outbox.
 */
async function leftBehind(
  items: Array<({ runId: number } | { trigger: Trigger }) & { execution: 'RUNNING' | 'FAILED' | null; updatedMinutesAgo?: number }>,
  queued: Array<{ id: string; body: string }> = [],
  outbox: Array<Record<string, unknown>> = [],
) {
  dataDir = await runtimes.scratchDir('guard-crash');
  const incidents = items.map((item) => ({
    trigger: 'trigger' in item ? item.trigger : trigger(item.runId).trigger,
    at: new Date(Date.now() - (item.updatedMinutesAgo ?? 0) * 60_000),
    execution: item.execution ? { status: item.execution } : null,
  }));
  await writeLeftBehind(dataDir, { incidents, queued, outbox });
}

describe('local runtime after a crash', () => {
  it('resumes every execution recorded as running and notifies each incident once', async () => {
    await leftBehind([{ runId: 501, execution: 'RUNNING' }, { runId: 502, execution: 'RUNNING' }, { runId: 503, execution: 'RUNNING' }]);

    const runtime = await restarted();
    await runtime.idle();

    expect(runtime.resumed.sort()).toEqual(['gh-714523861-501-1', 'gh-714523861-502-1', 'gh-714523861-503-1']);
    for (const id of runtime.resumed) expect((await runtime.incidents.get(id))?.status).toBe('notified');
    // The three runs share one pull request: one comment, updated by the others.
    const comments = (await readOutbox(runtime.outboxPath)).filter((e) => e.kind === 'github_comment');
    expect(comments.filter((c) => c.outcome === 'created')).toHaveLength(1);
  });

  it('re-drives a redelivered failure whose execution failed, instead of answering only "duplicate"', async () => {
    await leftBehind([{ runId: 601, execution: 'FAILED' }]);
    const runtime = await restarted();

    const redelivered = await deliverWebhook(runtime.url, trigger(601).event, SECRET);
    await runtime.idle();
    const again = await deliverWebhook(runtime.url, trigger(601).event, SECRET);
    await runtime.idle();

    expect(redelivered.body).toEqual({ incidentId: 'gh-714523861-601-1', duplicate: true, redriven: 'gh-714523861-601-1-a1' });
    const incident = await runtime.incidents.get('gh-714523861-601-1');
    expect(incident).toMatchObject({ status: 'notified', executionAttempt: 1 });
    expect(again.body).toEqual({ incidentId: 'gh-714523861-601-1', duplicate: true });
  });

  it('reconciler: starts an accepted incident whose execution never started, once, and leaves fresh ones alone', async () => {
    await leftBehind([{ runId: 701, execution: null, updatedMinutesAgo: 5 }, { runId: 702, execution: null, updatedMinutesAgo: 0 }]);
    const runtime = await restarted();

    const first = await runtime.reconcile();
    await runtime.idle();
    const second = await runtime.reconcile();

    expect(first.redriven).toEqual(['gh-714523861-701-1']);
    expect((await runtime.incidents.get('gh-714523861-701-1'))?.status).toBe('notified');
    expect((await runtime.incidents.get('gh-714523861-702-1'))?.status).toBe('received');
    expect(second.redriven).toEqual([]);
  });

  it('delivers a green run queued before the crash to the outcome recorder at the next start', async () => {
    const { trigger: failed } = trigger(801);
    const green = workflowRecoveryMessage({
      scope: githubIncidentScope(failed),
      runId: 802,
      runAttempt: 1,
      resolvedBy: 'run 802',
      installationId: failed.installationId,
      completedAt: new Date(),
    });
    await leftBehind([{ runId: 801, execution: null }], [{ id: green.id, body: JSON.stringify(green) }]);

    const runtime = await restarted();
    await runtime.idle();

    expect(await runtime.incidents.get(failed.incidentId)).toMatchObject({ status: 'resolved', resolvedBy: 'run 802' });
    expect(await createStoreWorkQueue({ client: createDocumentClient({ region: 'us-east-1', endpoint: runtime.env.DYNAMODB_ENDPOINT as string }), tableName: 'incidents', name: RECOVERY_QUEUE }).peek(10)).toEqual([]);
  });

  it('retries a queued recovery that keeps failing, then keeps it as a dead letter instead of dropping it', async () => {
    await leftBehind([], [{ id: 'f'.repeat(32), body: JSON.stringify({ kind: 'workflow_recovery', id: 'not a valid message' }) }]);

    const runtime = await restarted();
    await runtime.idle();

    const queue = createStoreWorkQueue({ client: createDocumentClient({ region: 'us-east-1', endpoint: runtime.env.DYNAMODB_ENDPOINT as string }), tableName: 'incidents', name: RECOVERY_QUEUE });
    expect(await queue.peek(10)).toEqual([]);
    const dead = await queue.deadLetters();
    expect(dead).toEqual([expect.objectContaining({ id: 'f'.repeat(32), attempts: 3, error: expect.stringMatching(/ValidationError: not a queued workflow recovery/) })]);
  });

  it("does not start an alarm's runbook again when it resumes an execution that had started it", async () => {
    // The runtime was killed after the runbook request went out (the outbox line) and before the execution ended.
    const alarm = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
    const started = { id: 'a'.repeat(8), at: new Date().toISOString(), kind: 'runbook', target: 'Restart-Checkout-Api', document: 'Restart-Checkout-Api', parameters: {}, clientToken: automationClientToken(alarm.incidentId) };
    await leftBehind([{ trigger: alarm, execution: 'RUNNING' }], [], [started]);
    const runbooks = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];

    const runtime = await restarted({ RUNBOOKS_JSON: JSON.stringify(runbooks) });
    await runtime.idle();

    expect(runtime.resumed).toEqual([alarm.incidentId]);
    expect(await runtime.incidents.get(alarm.incidentId)).toMatchObject({ status: 'notified', decision: { action: 'run_runbook', applied: true } });
    expect((await readOutbox(runtime.outboxPath)).filter((entry) => entry.kind === 'runbook')).toEqual([started]);
  });
});
