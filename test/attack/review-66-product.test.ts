import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Review of session 66 (product66), on the embedded DynamoDB where the store's behaviour matters.
 */
const scratch = scratchStoreForFile('review-66-product');
const scope = 'acme/app|main|CI';
const clock = () => new Date('2026-11-20T09:00:00Z');

function failure(id: string, repositoryId: number | null, runId: number, createdAt: string, pullRequest: number): Incident {
  return newIncident(
    { id, source: 'github', repository: 'acme/app', repositoryId, workflowId: 77, headSha: `SHA${runId}`, workflowName: 'CI', runId, runAttempt: 1, pullRequest, createdAt },
    new Date(createdAt),
  );
}

describe('F1: the pull request alias after a crash between the incident write and the alias write', () => {
  it("the redelivery's create (the incident there already) writes the alias the crashed one never wrote", async () => {
    // Prepare: an incident stored before ids were recorded, and a newer one indexed by id whose first create died
    // after its Put landed, before the alias item's Put (write 2 of the crashing client).
    const pullRequest = 61;
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30, clock });
    const old = failure('gh-x-961-1', null, 961, '2026-11-20T07:00:00.000Z', pullRequest);
    await incidents.create(old, scope);
    const newer = failure('gh-7-962-1', 7, 962, '2026-11-20T08:00:00.000Z', pullRequest);
    const crashing = clientFailingAtWrite(scratch.client, 2, { error: () => new SimulatedCrash('killed'), thereafter: 'fail' });
    const dying = createIncidentStore({ client: crashing.client, tableName: 'incidents', ttlDays: 30, clock });
    expect(await diesOfCrash(dying.create(newer, scope))).toBe(true);

    // Act: the step retried (a fresh Lambda instance) creates the same incident again: it is there already.
    const retried = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30, clock });
    expect(await retried.create(newer, scope)).toBe(false);

    // Assert: the old incident, knowing only the name, finds the newer one.
    const listed = await incidents.listByPullRequest({ name: 'acme/app', id: null }, pullRequest, 10, { except: old.id });
    expect(listed.map((incident) => incident.id)).toEqual([newer.id]);
  });
});
