import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { createIncidentStore, type IncidentStore } from '../../shared/stores/incident-store.js';
import { INCIDENT_INDEXES } from '../../shared/stores/tables.js';
import { startScratchStore } from '../support/harness.js';

/**
 * A data directory (or a stack, `wholeItemIndexes`) from before the narrower projections has incident indexes of
 * whole items, and nothing re-creates them: the embedded store creates only the tables that are missing. The
 * incident store must answer the same over that layout as over the current one.
 */
const NOW = new Date('2026-11-20T12:00:00Z');
let current: IncidentStore;
let old: IncidentStore;
let oldProjections: string[];
let close: () => Promise<void>;

/** The incident table as every layout before fd3d588 created it: the same indexes, each projecting ALL. */
function oldLayout(TableName: string) {
  const indexes = Object.values(INCIDENT_INDEXES);
  const attributes = new Set(['pk', 'sk', ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])]);
  return new CreateTableCommand({
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  });
}

type Documents = ReturnType<typeof createDocumentClient>;

/** Six incidents of one scope, three of one pull request, two fingerprints; one since resolved, one notified. */
async function seed(client: Documents): Promise<IncidentStore> {
  for (let n = 0; n < 6; n += 1) {
    const created = new Date(Date.parse('2026-11-01T00:00:00Z') + n * 3_600_000);
    await createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => created }).create(
      newIncident(
        { id: `i-${n}`, source: 'github', repository: 'acme/web', repositoryId: 1, branch: 'main', fingerprint: `fp-${n % 2}`, pullRequest: n < 3 ? 7 : null, category: n % 2 ? 'test_failure' : 'compilation', headSha: `sha-${n}` },
        created,
      ),
      'acme/web#main#ci',
    );
  }
  const store = createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => NOW });
  await store.update('i-4', { status: 'resolved' });
  await store.update('i-1', { status: 'notified' });
  return store;
}

beforeAll(async () => {
  // A data directory from before: its incident table has whole-item indexes. Started again on it, the store keeps
  // them; next to it, a store of the current layout.
  const before = await startScratchStore('whole-item-indexes-old');
  const setup = before.documents();
  await setup.send(new DeleteTableCommand({ TableName: 'incidents' }));
  // dynalite removes a deleted table a tick after answering; until then the name cannot be created again.
  while (await setup.send(new DescribeTableCommand({ TableName: 'incidents' })).then(() => true, () => false)) await new Promise((r) => setTimeout(r, 10));
  await setup.send(oldLayout('incidents'));
  await before.reopen();
  const fresh = await startScratchStore('whole-item-indexes-current');
  close = async () => {
    await before.close();
    await fresh.close();
  };
  const client = before.documents();
  const described = await client.send(new DescribeTableCommand({ TableName: 'incidents' }));
  oldProjections = (described.Table?.GlobalSecondaryIndexes ?? []).map((index) => `${index.IndexName}:${index.Projection?.ProjectionType}`);
  old = await seed(client);
  current = await seed(fresh.documents());
}, 60_000);

afterAll(async () => {
  await close?.();
});

/** What a reader sees of the incidents it gets, without the write times (each layout was written at its own). */
const seen = (incidents: Array<Partial<Incident>>) => incidents.map(({ updatedAt: _u, ...rest }) => rest);

describe('incident store over whole-item indexes (a data directory or stack from before)', () => {
  it('keeps the whole-item indexes of an existing data directory', () => {
    expect(oldProjections).toEqual(Object.values(INCIDENT_INDEXES).map((index) => `${index.name}:ALL`));
  });

  it.each<[string, (store: IncidentStore) => Promise<Array<Partial<Incident>>>]>([
    ['listByPullRequest', (store) => store.listByPullRequest({ name: 'acme/web', id: 1 }, 7, 10)],
    ['listOpenInScope', (store) => store.listOpenInScope('acme/web#main#ci', 10)],
    ['listRecent', (store) => store.listRecent(4)],
    ['listHistory', (store) => store.listHistory({ source: 'github', repositoryId: 1, fingerprint: 'fp-1' }, 10)],
    ['search', async (store) => (await store.search({ category: 'test_failure', repository: 'acme/web' }, 2)).items],
    ['listUnfinished', (store) => store.listUnfinished({ createdAfter: new Date('2026-10-01T00:00:00Z'), updatedBefore: new Date('2027-01-01T00:00:00Z'), dueBy: new Date('2027-01-01T00:00:00Z'), limit: 10 })],
  ])('%s answers the same as over the current indexes', async (_name, read) => {
    const answer = seen(await read(old));

    expect(answer.length).toBeGreaterThan(0);
    expect(answer).toEqual(seen(await read(current)));
  });
});
