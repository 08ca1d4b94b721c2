import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { createFakeGitHub, createMemoryGuardStore } from '../../support/fakes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A green run's recovery reads the scope's open incidents, writes them resolved, then does its follow-ups. Another
 * writer may end one in between the read and the write (a later push supersedes it, an earlier recovery's delivery
 * lands): its ending stands, and the recovery does none of its follow-ups.
 */
describe("a green run's recovery of an incident another writer ended after the recovery read it", () => {
  const scope = 'acme/app|main|CI';
  const SUPERSEDED = {
    status: 'resolved', resolvedAt: '2026-11-20T09:05:00.000Z', timeToRecoverySeconds: null, resolvedBy: 'superseded by run 1000', supersededBy: 'run 1000',
  } as const;

  /** The store, superseding `id` just after a recovery listed it open. */
  function supersededOnceListed(store: ReturnType<typeof createMemoryStore>, id: string) {
    return {
      ...store,
      async listOpenInScope(...args: Parameters<typeof store.listOpenInScope>) {
        const listed = await store.listOpenInScope(...args);
        await store.update(id, SUPERSEDED, { history: [{ at: SUPERSEDED.resolvedAt, event: 'resolved', detail: 'superseded: run 1000' }] });
        return listed;
      },
    };
  }

  it('keeps the first ending: no resolvedBy, time to recovery, history entry or metric of its own', async () => {
    // Arrange: the incident is superseded right after the recovery listed it open.
    const store = createMemoryStore();
    const incident = newIncident(
      { id: 'gh-1-900-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC123', workflowName: 'CI', runId: 900, runAttempt: 1, createdAt: '2026-11-20T09:00:00.000Z' },
      new Date('2026-11-20T09:00:00Z'),
    );
    await store.create(incident, scope, null);
    const measured: string[] = [];
    const incidents = supersededOnceListed(store, incident.id);
    const deps = { incidents, clock: () => new Date('2026-11-20T09:10:00Z'), github: staticGitHubClients(null), logger: silentLogger, metrics: { measure: (name: string) => void measured.push(name), count() {} } };

    // Act
    const result = await recordWorkflowRecovery(
      { scope, runId: 901, runAttempt: 1, resolvedBy: 'run 901', installationId: null, completedAt: new Date('2026-11-20T09:10:00Z') },
      deps as never,
    );

    // Assert
    const stored = await store.get(incident.id);
    expect(stored).toMatchObject(SUPERSEDED);
    expect(stored?.history.filter((entry) => entry.event === 'resolved').map((entry) => entry.detail)).toEqual(['superseded: run 1000']);
    expect(result.resolved).toEqual([]);
    expect(measured).toEqual([]);
  });

  it('does none of its follow-ups: no circuit-breaker outcome, no learning, no PR comment saying it was fixed', async () => {
    // Arrange: a re-run the guard applied on a pull request, superseded right after the recovery listed it open.
    const store = createMemoryStore();
    const incident = newIncident(
      {
        id: 'gh-1-910-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC124', workflowName: 'CI', runId: 910, runAttempt: 1, pullRequest: 12,
        createdAt: '2026-11-20T09:00:00.000Z',
        decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: '2026-11-20T09:01:00.000Z' },
      },
      new Date('2026-11-20T09:00:00Z'),
    );
    await store.create(incident, scope, null);
    const incidents = supersededOnceListed(store, incident.id);
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    const learned: string[] = [];
    const learning = { onResolved: async (resolved: { id: string }) => void learned.push(resolved.id) };
    const deps = { incidents, clock: () => new Date('2026-11-20T09:10:00Z'), github: staticGitHubClients(github.port), logger: silentLogger, guards, learning };

    // Act
    await recordWorkflowRecovery(
      { scope, runId: 910, runAttempt: 2, resolvedBy: 'run 910 (attempt 2)', installationId: 5, completedAt: new Date('2026-11-20T09:10:00Z') },
      deps as never,
    );

    // Assert
    expect(guards.outcomes).toEqual([]);
    expect(learned).toEqual([]);
    expect(github.calls.filter((call) => call.method === 'upsertComment')).toEqual([]);
    expect((await store.get(incident.id))?.notifications ?? []).toEqual([]);
  });
});
