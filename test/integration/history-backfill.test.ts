import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createKbCommand } from '../../shared/cli/commands/kb.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { backfillHistoryKeys, type HistoryBackfill } from '../../shared/stores/history-backfill.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { interceptedSends, scratchStoreForFile } from '../support/harness.js';
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

  it('is what `guard kb migrate` runs once the knowledge base is swept, and says how many incidents it keyed', async () => {
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
    expect(out[0]).toMatch(/^retired \d+ learned entries/);
    expect(out).toContain("put 1 incidents stored before the upgrade into their repository's (or the alarms') history");
  });

  it('leaves an incident whose fingerprint a stage rewrote after the scan read it to that stage', async () => {
    // Prepare: classify records another fingerprint between the scan's page and the backfill's write
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    await storedBeforeUpgrade(failure('gh-4403-1-1', { repositoryId: 4403, fingerprint: 'fp-backfill-before' }));
    let rewritten = false;
    const racing = interceptedSends(scratch.client, async (command, send) => {
      if (!rewritten && command.input.UpdateExpression === 'SET #historyKey = :historyKey' && command.input.Key?.pk === 'INCIDENT#gh-4403-1-1') {
        rewritten = true;
        await incidents.update('gh-4403-1-1', { fingerprint: 'fp-backfill-after' });
      }
      return send();
    });

    // Act
    await backfillHistoryKeys({ client: racing, tableName: 'incidents' });

    // Assert
    expect(rewritten).toBe(true);
    const repository = { source: 'github' as const, repositoryId: 4403 };
    expect((await incidents.listHistory({ ...repository, fingerprint: 'fp-backfill-after' }, 10)).map((entry) => entry.id)).toEqual(['gh-4403-1-1']);
    expect(await incidents.listHistory({ ...repository, fingerprint: 'fp-backfill-before' }, 10)).toEqual([]);
  });

  it('waits for the run of `guard kb migrate` that finishes the knowledge base: each backfill reads the whole table', async () => {
    // Prepare: a knowledge base the sweep stops early in
    const stoppedEarly = { knowledge: { sweepOldLearned: async () => ({ retired: 1, reset: 0, forgotten: 0, complete: false }) } };
    let backfills = 0;
    const out: string[] = [];

    // Act
    const code = await createKbCommand(async () => stoppedEarly as never, async () => {
      backfills += 1;
      return { keyed: 0, keyless: 0, scanned: 0 };
    }).run(['migrate', '--quiet'], { out: (line: string) => out.push(line), err: () => undefined } as never);

    // Assert
    expect(code).toBe(0);
    expect(backfills).toBe(0);
    expect(out.at(-1)).toMatch(/run `guard kb migrate` again/);
  });
});
