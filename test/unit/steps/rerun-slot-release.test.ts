import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import type { RerunKey, RerunLedger } from '../../../shared/ports.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * The cap on automatic re-runs of one commit (`autoRerunMax`) counts re-runs that did not fix the failure: a re-run of
 * ours that ended green gives its slot back, so the commit's next run that flakes the same way is re-run as well
 * (attack pass 15, F1), while a re-run of ours that failed keeps its slot.
 */
describe("a green run's recovery and the commit's re-run slot", () => {
  const scope = 'acme/app|main|CI';
  const rerun = { action: 'rerun_failed_jobs' as const, reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: '2026-11-20T09:00:00.000Z' };

  async function recover(options: { decision?: typeof rerun | null; greenAttempt: number; greenRunId?: number }) {
    const incidents = createMemoryStore();
    const released: Array<{ key: RerunKey; claim: { incidentId: string; runId: number; nextAttempt: number } }> = [];
    const reruns: Pick<RerunLedger, 'release'> = { release: async (key, claim) => void released.push({ key, claim }) };
    const incident = newIncident(
      {
        id: 'gh-1-900-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC123', workflowName: 'CI',
        runId: 900, runAttempt: 1, fromFork: false, runEvent: 'schedule', decision: options.decision === undefined ? rerun : options.decision, createdAt: '2026-11-20T09:00:00.000Z',
      },
      new Date('2026-11-20T09:00:00Z'),
    );
    await incidents.create(incident, scope, null);
    const deps = { incidents, clock: () => new Date('2026-11-20T09:10:00Z'), github: staticGitHubClients(null), logger: silentLogger, reruns };
    const result = await recordWorkflowRecovery(
      { scope, runId: options.greenRunId ?? 900, runAttempt: options.greenAttempt, resolvedBy: 'run 900', installationId: null, completedAt: new Date('2026-11-20T09:10:00Z') },
      deps,
    );
    return { result, released };
  }

  it('gives the slot back when the attempt our re-run created passed', async () => {
    const { result, released } = await recover({ greenAttempt: 2 });

    expect(result.resolved).toEqual(['gh-1-900-1']);
    expect(released).toEqual([{ key: { repositoryId: 1, workflowId: 77, headSha: 'ABC123' }, claim: { incidentId: 'gh-1-900-1', runId: 900, nextAttempt: 2 } }]);
  });

  it("keeps it when a later attempt passed (a person's re-run after ours failed)", async () => {
    const { result, released } = await recover({ greenAttempt: 3 });

    expect(result.resolved).toEqual(['gh-1-900-1']);
    expect(released).toEqual([]);
  });

  it('keeps it when another run passed (a new push), whatever became of our re-run', async () => {
    const { released } = await recover({ greenAttempt: 2, greenRunId: 901 });

    expect(released).toEqual([]);
  });

  it('has nothing to give back when the guard did not re-run the failure', async () => {
    const notApplied = { ...rerun, applied: false, result: 'proposed, not taken' };

    expect((await recover({ decision: notApplied, greenAttempt: 2 })).released).toEqual([]);
    expect((await recover({ decision: null, greenAttempt: 2 })).released).toEqual([]);
  });
});
