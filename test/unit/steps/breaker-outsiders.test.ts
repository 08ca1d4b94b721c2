import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { createMemoryGuardStore } from '../../support/fakes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * The circuit breaker counts the outcomes of the guard's automatic actions per repository. A run any outsider can
 * cause again and again (a workflow on `issues`) recovers or fails as they arrange it: its outcomes would let them
 * hold the breaker open for the repository's own failures, or closed while the guard's re-runs of those fail.
 */
describe('circuit breaker outcomes from runs outsiders can repeat', () => {
  const decision = { action: 'rerun_failed_jobs' as const, reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: '2026-11-20T09:00:00.000Z' };

  async function recovered(runEvent: string) {
    const incidents = createMemoryStore();
    const guards = createMemoryGuardStore();
    const incident = newIncident(
      { id: 'gh-1-900-1', source: 'github', repository: 'acme/app', workflowName: 'Triage', runId: 900, runAttempt: 1, fromFork: false, runEvent, decision, createdAt: '2026-11-20T09:00:00.000Z' },
      new Date('2026-11-20T09:00:00Z'),
    );
    await incidents.create(incident, 'acme/app|main|Triage', null);
    // Act: the guard's re-run (attempt 2) of the run passed
    const deps = { incidents, clock: () => new Date('2026-11-20T09:10:00Z'), github: staticGitHubClients(null), logger: silentLogger, guards };
    const result = await recordWorkflowRecovery({ scope: 'acme/app|main|Triage', runId: 900, runAttempt: 2, resolvedBy: 'run 900 (attempt 2)', installationId: null, completedAt: new Date('2026-11-20T09:10:00Z') }, deps);
    return { result, guards };
  }

  it.each(['issues', 'watch', 'issue_comment'])("counts no outcome of the guard's re-run of a %s run", async (runEvent) => {
    const { result, guards } = await recovered(runEvent);

    // Assert: resolved, and not counted for the breaker (before: one success counted; attacker's pass, session 29)
    expect(result.resolved).toEqual(['gh-1-900-1']);
    expect(guards.outcomes).toEqual([]);
  });

  it("counts the outcome of the guard's re-run of a push", async () => {
    const { guards } = await recovered('push');

    expect(guards.outcomes).toEqual([true]);
  });
});
