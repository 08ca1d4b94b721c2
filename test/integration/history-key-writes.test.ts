import { describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { IncidentOwnerMismatchError } from '../../shared/errors.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Classify records an incident's fingerprint after ingest created it, and the write files the incident in its
 * history (`<scope>#<fingerprint>`, index byHistoryKey). The scope is the stored incident's (its source and
 * repository id, immutable after creation): a writer that names them has its write checked against them in the same
 * UpdateItem, rather than read back first (issue #15: one GetItem per incident).
 */
const scratch = scratchStoreForFile('guard-history-key-writes');

const at = new Date('2026-11-20T10:00:00Z');

function received(id: string, repositoryId: number | null) {
  return newIncident({ id, source: 'github', status: 'received', repository: 'acme/app', repositoryId, branch: 'main', fingerprint: null }, at);
}

describe("a fingerprint write's history key", () => {
  it('reads nothing back when the writer names the incident it holds', async () => {
    // Prepare
    const { client, calls } = scratch.store.countedDocuments();
    const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
    const incident = received('gh-810-9001-1', 810);
    await incidents.create(incident, null);
    calls.length = 0;

    // Act
    await incidents.record(incident.id, { status: 'classified', fingerprint: 'fp-hk-own' }, {}, { owner: incident });

    // Assert
    expect(calls).toEqual(['UpdateCommand']);
    const history = await incidents.listHistory({ source: 'github', repositoryId: 810, fingerprint: 'fp-hk-own' }, 5);
    expect(history.map((entry) => entry.id)).toEqual([incident.id]);
  });

  it("refuses, and writes nothing, when the writer names another repository as the incident's", async () => {
    // Prepare
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const incident = received('gh-811-9002-1', 811);
    await incidents.create(incident, null);

    // Act
    const write = incidents.record(incident.id, { status: 'classified', fingerprint: 'fp-hk-other' }, {}, { owner: { source: 'github', repositoryId: 812 } });

    // Assert
    await expect(write).rejects.toThrow(IncidentOwnerMismatchError);
    expect(await incidents.listHistory({ source: 'github', repositoryId: 812, fingerprint: 'fp-hk-other' }, 5)).toEqual([]);
    expect(await incidents.listHistory({ source: 'github', repositoryId: 811, fingerprint: 'fp-hk-other' }, 5)).toEqual([]);
    expect((await incidents.get(incident.id))?.fingerprint).toBeNull();
  });

  it('refuses an alarm named as the incident of a repository, and a repository as an alarm', async () => {
    // Prepare
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const incident = received('gh-813-9003-1', 813);
    const alarm = newIncident({ id: 'cw-hk-1', source: 'cloudwatch', status: 'received', fingerprint: null }, at);
    await incidents.create(incident, null);
    await incidents.create(alarm, null);

    // Act
    const asAlarm = incidents.update(incident.id, { fingerprint: 'fp-hk-alarm' }, {}, { owner: { source: 'cloudwatch', repositoryId: null } });
    const asRepository = incidents.update(alarm.id, { fingerprint: 'fp-hk-alarm' }, {}, { owner: { source: 'github', repositoryId: 813 } });
    // Both run at once; the second may settle while the first is awaited: handled now, asserted below.
    for (const write of [asAlarm, asRepository]) write.catch(() => undefined);

    // Assert
    await expect(asAlarm).rejects.toThrow(IncidentOwnerMismatchError);
    await expect(asRepository).rejects.toThrow(IncidentOwnerMismatchError);
    expect(await incidents.listHistory({ source: 'cloudwatch', repositoryId: null, fingerprint: 'fp-hk-alarm' }, 5)).toEqual([]);
    expect(await incidents.listHistory({ source: 'github', repositoryId: 813, fingerprint: 'fp-hk-alarm' }, 5)).toEqual([]);
  });

  it("refuses a repository named as the owner of an alarm that carries that repository's id", async () => {
    // Prepare: the source alone tells the alarm apart (the repository id matches; an alarm's scope is `alarms` whatever it carries)
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const alarm = newIncident({ id: 'cw-hk-3', source: 'cloudwatch', status: 'received', repositoryId: 815, fingerprint: null }, at);
    await incidents.create(alarm, null);

    // Act
    const write = incidents.record(alarm.id, { status: 'classified', fingerprint: 'fp-hk-alarm-rid' }, {}, { owner: { source: 'github', repositoryId: 815 } });

    // Assert
    await expect(write).rejects.toThrow(IncidentOwnerMismatchError);
    expect(await incidents.listHistory({ source: 'github', repositoryId: 815, fingerprint: 'fp-hk-alarm-rid' }, 5)).toEqual([]);
    expect(await incidents.listHistory({ source: 'cloudwatch', repositoryId: null, fingerprint: 'fp-hk-alarm-rid' }, 5)).toEqual([]);
    expect((await incidents.get(alarm.id))?.fingerprint).toBeNull();
  });

  it('(ordinary use) files an alarm, and an incident without a repository id in no history, as the stored incident says', async () => {
    // Prepare
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const alarm = newIncident({ id: 'cw-hk-2', source: 'cloudwatch', status: 'received', fingerprint: null }, at);
    const unnamed = received('gh-hk-unnamed', null);
    await incidents.create(alarm, null);
    await incidents.create(unnamed, null);

    // Act
    await incidents.record(alarm.id, { fingerprint: 'fp-hk-alarm-own' }, {}, { owner: alarm });
    await incidents.record(unnamed.id, { fingerprint: 'fp-hk-alarm-own' }, {}, { owner: unnamed });

    // Assert
    expect((await incidents.listHistory({ source: 'cloudwatch', repositoryId: null, fingerprint: 'fp-hk-alarm-own' }, 5)).map((entry) => entry.id)).toEqual([alarm.id]);
    expect((await incidents.get(unnamed.id))?.fingerprint).toBe('fp-hk-alarm-own');
  });

  it('(ordinary use) a status the incident may not move to still leaves the fingerprint written, checked the same way', async () => {
    // Prepare: resolved before classify records
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const incident = { ...received('gh-814-9004-1', 814), status: 'resolved' as const };
    await incidents.create(incident, null);

    // Act
    await incidents.record(incident.id, { status: 'classified', fingerprint: 'fp-hk-resolved' }, {}, { owner: incident });

    // Assert
    expect(await incidents.get(incident.id)).toMatchObject({ status: 'resolved', fingerprint: 'fp-hk-resolved' });
    expect((await incidents.listHistory({ source: 'github', repositoryId: 814, fingerprint: 'fp-hk-resolved' }, 5)).map((entry) => entry.id)).toEqual([incident.id]);
  });
});
