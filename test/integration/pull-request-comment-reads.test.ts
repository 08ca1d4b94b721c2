import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { pullRequestComment } from '../../shared/notify/pull-request.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** The reads behind a pull request's comment against the embedded store: notify holds its own incident already. */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('guard-pr-comment-reads');
});

afterAll(async () => {
  await store?.close();
});

function incident(id: string, pullRequest: number, createdAt: string): Incident {
  return newIncident({ id, source: 'github', repository: 'acme/web', pullRequest, workflowName: `workflow ${id}`, failureLines: [{ line: 1, text: `failure of ${id}` }] }, new Date(createdAt));
}

describe('pull request comment reads', () => {
  it('reads no whole incident when the pull request has only the one being notified', async () => {
    const { client, calls } = store.countedDocuments();
    const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
    const only = incident('pronly', 31, '2026-11-01T10:00:00.000Z');
    await incidents.create(only, 'acme/web#main#ci');
    calls.length = 0;

    const body = await pullRequestComment(only, incidents, silentLogger);

    expect(body).toContain('workflow pronly');
    expect(calls).toEqual(['QueryCommand']);
  });

  it('reads the other incidents of the pull request whole, and not the one being notified', async () => {
    const { client, calls } = store.countedDocuments();
    const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
    const earlier = incident('prearlier', 32, '2026-11-01T10:00:00.000Z');
    const current = incident('prcurrent', 32, '2026-11-01T11:00:00.000Z');
    await incidents.create(earlier, 'acme/web#main#ci');
    await incidents.create(current, 'acme/web#main#ci');
    calls.length = 0;

    const others = await incidents.listByPullRequest({ name: 'acme/web', id: null }, 32, 10, { except: current.id });
    const body = await pullRequestComment(current, incidents, silentLogger);

    expect(others.map((other) => other.id)).toEqual([earlier.id]);
    expect(body).toContain('workflow prearlier');
    expect(calls).toEqual(['QueryCommand', 'BatchGetCommand', 'QueryCommand', 'BatchGetCommand']);
  });
});
