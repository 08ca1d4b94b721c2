import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { createIncidentStore, incidentKey } from '../../../shared/stores/incident-store.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A pull request's incidents are indexed by the repository's name, which is not its identity: `acme/web` renamed
 * (GitHub id 101), and a new repository created under the freed name (id 202), each with a pull request #7. Each
 * repository's read returns its own incidents only; an incident recorded without an id is its name's.
 */
const OLD_ID = 101;
const NEW_ID = 202;

function incident(id: string, repositoryId: number | null, createdAt: string): Incident {
  return newIncident({ id, source: 'github', repository: 'acme/web', repositoryId, pullRequest: 7, workflowName: `workflow ${id}` }, new Date(createdAt));
}

const before = incident('gh-old-1', OLD_ID, '2026-10-01T10:00:00.000Z');
const unknownId = incident('gh-old-0', null, '2026-09-01T10:00:00.000Z');
const after = [1, 2, 3].map((n) => incident(`gh-new-${n}`, NEW_ID, `2026-11-0${n}T10:00:00.000Z`));

/** A real document client (the SDK's paginator insists on one) over a table of `incidents`, without a network. */
function tableOf(incidents: Incident[]) {
  const items = incidents.map((stored) => ({ ...incidentKey(stored.id), ...stored }));
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
  client.send = (async (command: unknown) => {
    if (command instanceof QueryCommand) {
      // The index holds keys only, newest first.
      const newestFirst = [...items].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      return { Items: newestFirst.map(({ pk, sk }) => ({ pk, sk })) };
    }
    if (command instanceof BatchGetCommand) {
      const [table, request] = Object.entries(command.input.RequestItems ?? {})[0] as [string, { Keys: Array<{ pk: string }> }];
      return { Responses: { [table]: request.Keys.flatMap((key) => items.filter((item) => item.pk === key.pk)) } };
    }
    throw new Error('unexpected command');
  }) as typeof client.send;
  return createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
}

async function memoryOf(incidents: Incident[]) {
  const store = createMemoryStore();
  for (const stored of incidents) await store.create(stored, null, null);
  return store;
}

describe.each([
  ['DynamoDB', async (incidents: Incident[]) => tableOf(incidents)],
  ['memory', memoryOf],
])('a pull request\'s incidents, of one repository (%s adapter)', (_adapter, storeOf) => {
  it("returns none of another repository's incidents under the same name", async () => {
    // Prepare
    const store = await storeOf([unknownId, before, ...after]);

    // Act
    const ofNew = await store.listByPullRequest({ name: 'acme/web', id: NEW_ID }, 7, 10);
    const ofOld = await store.listByPullRequest({ name: 'Acme/Web', id: OLD_ID }, 7, 10);

    // Assert: the incident without an id is the name's, so each repository's
    expect(ofNew.map((found) => found.id)).toEqual(['gh-new-3', 'gh-new-2', 'gh-new-1', 'gh-old-0']);
    expect(ofOld.map((found) => found.id)).toEqual(['gh-old-1', 'gh-old-0']);
  });

  it("counts the window in the repository's own incidents: another's newer ones do not push them out", async () => {
    // Prepare
    const store = await storeOf([unknownId, before, ...after]);

    // Act
    const ofOld = await store.listByPullRequest({ name: 'acme/web', id: OLD_ID }, 7, 1);

    // Assert
    expect(ofOld.map((found) => found.id)).toEqual(['gh-old-1']);
  });

  it("counts the caller's own incident in the window only where it stands: older than the window, it takes no one's place", async () => {
    // Prepare
    const store = await storeOf([unknownId, before, ...after]);

    // Act: the caller holds the oldest of the new repository's incidents; the window is the two newest
    const ofNew = await store.listByPullRequest({ name: 'acme/web', id: NEW_ID }, 7, 2, { except: 'gh-new-1' });

    // Assert
    expect(ofNew.map((found) => found.id)).toEqual(['gh-new-3', 'gh-new-2']);
  });

  it('reads by name alone when the id is not known, as before', async () => {
    // Prepare
    const store = await storeOf([before, ...after]);

    // Act
    const byName = await store.listByPullRequest({ name: 'acme/web', id: null }, 7, 10, { except: 'gh-new-3' });

    // Assert
    expect(byName.map((found) => found.id)).toEqual(['gh-new-2', 'gh-new-1', 'gh-old-1']);
  });
});
