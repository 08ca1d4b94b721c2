import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A green run's recovery reads the scope's open incidents, does its follow-ups, then writes them resolved. Another
 * writer may end one in between (a later push supersedes it, an earlier recovery's delivery lands): its ending stands.
 */
describe("a green run's recovery of an incident another writer ended after the recovery read it", () => {
  const scope = 'acme/app|main|CI';
  const SUPERSEDED = {
    status: 'resolved', resolvedAt: '2026-11-20T09:05:00.000Z', timeToRecoverySeconds: null, resolvedBy: 'superseded by run 1000', supersededBy: 'run 1000',
  } as const;

  it('keeps the first ending: no resolvedBy, time to recovery, history entry or metric of its own', async () => {
    // Arrange: the incident is superseded right after the recovery listed it open.
    const store = createMemoryStore();
    const incident = newIncident(
      { id: 'gh-1-900-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC123', workflowName: 'CI', runId: 900, runAttempt: 1, createdAt: '2026-11-20T09:00:00.000Z' },
      new Date('2026-11-20T09:00:00Z'),
    );
    await store.create(incident, scope, null);
    const measured: string[] = [];
    const incidents = {
      ...store,
      async listOpenInScope(...args: Parameters<typeof store.listOpenInScope>) {
        const listed = await store.listOpenInScope(...args);
        await store.update(incident.id, SUPERSEDED, { history: [{ at: SUPERSEDED.resolvedAt, event: 'resolved', detail: 'superseded: run 1000' }] });
        return listed;
      },
    };
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
});
