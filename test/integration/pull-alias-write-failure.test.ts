import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { storeIncidentFromTrigger } from '../../shared/domain/incident-from-trigger.js';
import { PullAliasWriteError } from '../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { failedRunDelivery } from '../support/fakes.js';
import { throttlingClient } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * The pull request's alias item (PULLALIAS#…) is written after the write that indexes an incident by the repository's
 * id. Throttled, it failed that whole write as far as its caller could tell, though the incident was written: the
 * store now names the alias's failure (PullAliasWriteError, with what the write returned), and each caller handles it.
 */
const scratch = scratchStoreForFile('pull-alias-write-failure');
const clock = () => new Date('2026-11-29T12:00:00Z');
const throttled = (failAt: number) => createIncidentStore({ client: throttlingClient(scratch.client, failAt), tableName: 'incidents', ttlDays: 30, clock });
const store = () => createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30, clock });

let runs = 0;
async function unindexed(): Promise<Incident> {
  runs += 1;
  const incident = newIncident({ id: `gh-77-${runs}-1`, source: 'github', repositoryId: 77, runId: runs, runAttempt: 1, workflowName: 'CI' }, clock());
  await store().create(incident, null);
  return incident;
}

async function caught(work: Promise<unknown>): Promise<unknown> {
  return work.then(() => null, (error: unknown) => error);
}

describe('a pull request alias write that fails after the write indexing the incident by id', () => {
  it('update: the fields are written, and the failure is the alias\'s, with the updated incident', async () => {
    const incident = await unindexed();
    const error = await caught(throttled(2).update(incident.id, { repository: 'acme/app', pullRequest: 5, repositoryId: 77 }));
    expect(error).toBeInstanceOf(PullAliasWriteError);
    expect((error as PullAliasWriteError<Incident>).written).toMatchObject({ id: incident.id, pullRequest: 5 });
    expect(await store().get(incident.id)).toMatchObject({ pullRequest: 5, repository: 'acme/app' });
  });

  it('record: the fields are written, and the failure is the alias\'s', async () => {
    const incident = await unindexed();
    const error = await caught(throttled(2).record(incident.id, { repository: 'acme/app', pullRequest: 6 }, {}, { owner: { source: 'github', repositoryId: 77 } }));
    expect(error).toBeInstanceOf(PullAliasWriteError);
    expect(await store().get(incident.id)).toMatchObject({ pullRequest: 6 });
  });

  it('updateIfStatusMoves: the move is written, and the failure is the alias\'s, with the moved incident', async () => {
    const incident = await unindexed();
    const error = await caught(throttled(2).updateIfStatusMoves(incident.id, { status: 'classified', repository: 'acme/app', pullRequest: 7 }, {}, { owner: { source: 'github', repositoryId: 77 } }));
    expect(error).toBeInstanceOf(PullAliasWriteError);
    expect((error as PullAliasWriteError<Incident>).written).toMatchObject({ status: 'classified' });
    expect(await store().get(incident.id)).toMatchObject({ status: 'classified', pullRequest: 7 });
  });

  it('create: the incident is stored, and the failure is the alias\'s, with whether this write created it', async () => {
    const incident = newIncident({ id: 'gh-77-900-1', source: 'github', repository: 'acme/app', repositoryId: 77, pullRequest: 8, runId: 900, runAttempt: 1 }, clock());
    const error = await caught(throttled(2).create(incident, null));
    expect(error).toBeInstanceOf(PullAliasWriteError);
    expect((error as PullAliasWriteError<boolean>).written).toBe(true);
    expect(await store().get(incident.id)).toMatchObject({ pullRequest: 8 });
  });

  it('storeIncidentFromTrigger (ingest, classify, notify): reads it as created, with the alias left unwritten', async () => {
    const trigger = triggerFromWorkflowRun(failedRunDelivery(4401).body as never, 'alias-delivery');
    const stored = await storeIncidentFromTrigger(throttled(2), trigger, clock());
    expect(stored).toMatchObject({ created: true, aliasUnwritten: true });
    expect(await store().get(trigger.incidentId)).not.toBeNull();
    // Delivered again: there already, its alias written now.
    expect(await storeIncidentFromTrigger(store(), trigger, clock())).toMatchObject({ created: false, aliasUnwritten: false });
  });
});

describe("a write told the pull request alias its incident's creation wrote (ingest's, PullAliasOf)", () => {
  /** The store's PutItems of alias items, counted. */
  function countingAliasPuts(): { store: ReturnType<typeof store>; aliasPuts: () => number } {
    let puts = 0;
    const send = (command: { constructor: { name: string }; input?: { Item?: { pk?: unknown } } }) => {
      if (command.constructor.name === 'PutCommand' && String(command.input?.Item?.pk).startsWith('PULLALIAS#')) puts += 1;
      return scratch.client.send(command as never);
    };
    const client = new Proxy(scratch.client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) });
    return { store: createIncidentStore({ client, tableName: 'incidents', ttlDays: 30, clock }), aliasPuts: () => puts };
  }

  it('does not put that alias again, and puts any other', async () => {
    const incident = newIncident({ id: 'gh-78-910-1', source: 'github', repository: 'acme/app', repositoryId: 78, pullRequest: 9, runId: 910, runAttempt: 1 }, clock());
    await store().create(incident, null);
    const owner = { source: 'github' as const, repositoryId: 78 };

    // The same pull request: nothing put, by either write that moves or records.
    const same = countingAliasPuts();
    await same.store.record(incident.id, { repository: 'acme/app', pullRequest: 9 }, {}, { owner, pullAliasWritten: incident });
    await same.store.updateIfStatusMoves(incident.id, { status: 'classified', repository: 'acme/app', pullRequest: 9 }, {}, { owner, pullAliasWritten: incident });
    expect(same.aliasPuts()).toBe(0);

    // Another pull request than the one created with (a fork's, looked up by classify): its alias is put.
    const other = countingAliasPuts();
    await other.store.record(incident.id, { repository: 'acme/app', pullRequest: 10 }, {}, { owner, pullAliasWritten: incident });
    expect(other.aliasPuts()).toBe(1);

    // Not told: put, as before.
    const untold = countingAliasPuts();
    await untold.store.record(incident.id, { repository: 'acme/app', pullRequest: 9 }, {}, { owner });
    expect(untold.aliasPuts()).toBe(1);
  });
});
