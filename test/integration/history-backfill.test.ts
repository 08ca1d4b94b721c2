import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createKbCommand } from '../../shared/cli/commands/kb.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { backfillHistoryKeys, type HistoryBackfill } from '../../shared/stores/history-backfill.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { scratchStoreForFile } from '../support/harness.js';
import { learningOn } from '../support/learning.js';

/**
 * Incidents stored before session 48 have no `historyKey` (the index the knowledge lookup's history reads): without
 * the backfill `guard kb migrate` runs, a repository's history restarts at the upgrade ("seen before", flaky evidence).
 */
const scratch = scratchStoreForFile('history-backfill');
const at = new Date('2026-11-20T10:00:00Z');

function failure(id: string, fields: Partial<Incident>): Incident {
  return newIncident(
    { id, source: 'github', status: 'notified', repository: 'acme/shop', repositoryId: 4401, branch: 'main', defaultBranch: 'main', fromFork: false, runEvent: 'push', category: 'network', template: 'Error: connect ECONNREFUSED', ...fields },
    at,
  );
}

/** Stores the incident as a release before session 48 did: everything but the history key. */
async function storedBeforeUpgrade(incident: Incident): Promise<void> {
  await createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 }).create(incident, null);
  await scratch.client.send(new UpdateCommand({ TableName: 'incidents', Key: { pk: `INCIDENT#${incident.id}`, sk: 'INCIDENT' }, UpdateExpression: 'REMOVE historyKey' }));
}

describe('the history of incidents stored before the upgrade', () => {
  it("puts them back into their repository's and the alarms' history, and leaves what has no scope out", async () => {
    // Prepare
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    await storedBeforeUpgrade(failure('gh-4401-1-1', { fingerprint: 'fp-backfill' }));
    await storedBeforeUpgrade(failure('gh-4401-2-1', { fingerprint: 'fp-backfill' }));
    await storedBeforeUpgrade(failure('cw-backfill-1', { source: 'cloudwatch', repository: null, repositoryId: null, fingerprint: 'fp-backfill-alarm' }));
    await storedBeforeUpgrade(failure('gh-none-1-1', { repositoryId: null, fingerprint: 'fp-backfill-none' }));
    await storedBeforeUpgrade(failure('gh-4401-3-1', { fingerprint: null }));
    const probe = failure('gh-4401-9-1', { fingerprint: 'fp-backfill' });
    const alarmProbe = failure('cw-backfill-9', { source: 'cloudwatch', repository: null, repositoryId: null, fingerprint: 'fp-backfill-alarm' });
    const before = (await incidents.listHistory(probe, 10)).length;

    // Act
    const first = await backfillHistoryKeys({ client: scratch.client, tableName: 'incidents' });
    const second = await backfillHistoryKeys({ client: scratch.client, tableName: 'incidents' });

    // Assert
    expect(before).toBe(0);
    expect((await incidents.listHistory(probe, 10)).map((entry) => entry.id).sort()).toEqual(['gh-4401-1-1', 'gh-4401-2-1']);
    expect((await incidents.listHistory(alarmProbe, 10)).map((entry) => entry.id)).toEqual(['cw-backfill-1']);
    expect(first).toMatchObject({ keyed: 3, keyless: 1 });
    expect(second).toMatchObject({ keyed: 0, keyless: 1 });
  });

  it('is what `guard kb migrate` runs after the knowledge base, and says how many incidents it keyed', async () => {
    // Prepare
    await storedBeforeUpgrade(failure('gh-4402-1-1', { repositoryId: 4402, fingerprint: 'fp-backfill-cli' }));
    const out: string[] = [];
    const io = { out: (line: string) => out.push(line), err: () => undefined } as never;
    const runs: HistoryBackfill[] = [];
    const backfill = async () => {
      const done = await backfillHistoryKeys({ client: scratch.client, tableName: 'incidents' });
      runs.push(done);
      return done;
    };

    // Act
    const code = await createKbCommand(async () => learningOn(scratch.client, () => at), backfill).run(['migrate', '--quiet'], io);

    // Assert
    expect(code).toBe(0);
    expect(runs).toEqual([expect.objectContaining({ keyed: 1 })]);
    expect(out.at(-1)).toBe("put 1 incidents stored before the upgrade into their repository's (or the alarms') history");
  });
});
