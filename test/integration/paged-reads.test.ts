import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { OldLayoutImportRowsError } from '../../shared/knowledge/store.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createRecoveryTargets } from '../../shared/stores/recovery-targets.js';
import { pagedQueries, scratchStoreForFile } from '../support/harness.js';
import { learningOn } from '../support/learning.js';

/**
 * The stores' reads of a partition over several pages, against the embedded store with pages of a few items
 * ({@link pagedQueries}): a store must read every page it needs, and stop at its bound.
 */
const scratch = scratchStoreForFile('guard-paged-reads');
const at = new Date('2026-11-20T10:00:00Z');
const HOUR_MS = 3_600_000;

async function putAll(client: DynamoDBDocumentClient, items: Array<Record<string, unknown>>) {
  for (let k = 0; k < items.length; k += 25) {
    await client.send(new BatchWriteCommand({ RequestItems: { incidents: items.slice(k, k + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
}

/** Queries whose partition key value is `pk` among those a {@link pagedQueries} client sent. */
const pagesOf = (pages: Array<Record<string, unknown>>, pk: string) => pages.filter((input) => JSON.stringify(input.ExpressionAttributeValues).includes(`"${pk}"`));
const queriesOf = (pages: Array<Record<string, unknown>>, pk: string) => pagesOf(pages, pk).length;

describe('the experiment store reads every page of an experiment’s outcome buckets', () => {
  it('counts the units of five deadline buckets read two a page', async () => {
    // Prepare: five units whose deadlines end in five different hours (one bucket each)
    const id = 'paged-buckets';
    await learningOn(scratch.client, () => at).experiments.create(
      { id, categories: ['network'], variants: [{ name: 'a', action: 'comment_only', weight: 1 }, { name: 'b', action: 'comment_only', weight: 1, params: { commentDetail: 'short' } }], metric: { kind: 'positive_feedback', minutes: 600 }, minSamplePerVariant: 5 },
      at,
    );
    const experiments = learningOn(scratch.client, () => at).experiments;
    for (let unit = 0; unit < 5; unit += 1) await experiments.claimUnit(id, `unit-${unit}`, 'a', new Date(at.getTime() + (unit + 1) * HOUR_MS), at);
    const { client, pages } = pagedQueries(scratch.client, 2);

    // Act
    const units = await learningOn(client, () => at).experiments.unitCounters(id);

    // Assert
    expect(units).toEqual([{ name: 'a', attempts: 5, successes: 0 }]);
    expect(queriesOf(pages, `EXPERIMENT#${id}`)).toBe(3);
  });
});

describe('the votes read every page of an incident’s vote items, up to their bound', () => {
  const incidentOf = (id: string) => newIncident({ id, source: 'github', repository: 'acme/paged-votes', pullRequest: 7, category: 'network', fingerprint: 'fp-paged-votes' }, at);

  it('takes back the reaction votes of five users read two a page', async () => {
    // Prepare
    const incident = incidentOf('gh-960-1-1');
    await createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 }).create(incident, null);
    const learning = learningOn(scratch.client, () => at);
    for (let user = 0; user < 5; user += 1) {
      await learning.onFeedback(incident, 'up', `reactor-${user}`, null, { via: 'reaction', commentId: 99, reactedAt: at.toISOString() });
    }
    const { client } = pagedQueries(scratch.client, 2);

    // Act
    const withdrawn = await learningOn(client, () => new Date(at.getTime() + HOUR_MS)).withdrawReactionVotes(incident, 99, new Set());

    // Assert
    expect(withdrawn).toBe(5);
    const stored = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: { pk: `INCIDENT#${incident.id}`, sk: 'INCIDENT' }, ConsistentRead: true }))).Item;
    expect(stored).toMatchObject({ feedbackUp: 0 });
  });

  it('reads no more than 1,100 vote items of an incident: eleven pages of 100, not the twelfth', async () => {
    // Prepare: 1,150 votes given by command (none for a withdrawal to change)
    const incident = incidentOf('gh-960-2-1');
    const votes = Array.from({ length: 1_150 }, (_, k) => ({ pk: `INCIDENT#${incident.id}`, sk: `FEEDBACK#commander-${String(k).padStart(4, '0')}`, vote: 'up', via: 'command', at: at.toISOString() }));
    await putAll(scratch.client, votes);
    const { client, pages } = pagedQueries(scratch.client, 100);

    // Act
    const withdrawn = await learningOn(client, () => at).withdrawReactionVotes(incident, 99, new Set());

    // Assert
    expect(withdrawn).toBe(0);
    expect(queriesOf(pages, `INCIDENT#${incident.id}`)).toBe(11);
  });
});

describe('the recovery targets read each day’s entries over its pages, at most two a day', () => {
  const day = '2026-10-05';
  const recoveryOf = (n: number) => ({ scope: `acme/paged|main|CI-${n}`, resolvedBy: `run ${n}`, at: `${day}T09:0${n}:00.000Z` });

  it('lists two recoveries of a day after one of the day before, read two a page, and five only as far as two pages go', async () => {
    // Prepare: one recovery noted under the day before, five under the day
    const noted = new Date(`${day}T10:00:00Z`);
    const targets = createRecoveryTargets({ client: scratch.client, tableName: 'incidents', clock: () => noted });
    await targets.note({ scope: 'acme/paged|main|CI-e', resolvedBy: 'run e', at: '2026-10-04T09:00:00.000Z' }, ['gh-961-9-1']);
    for (let n = 0; n < 5; n += 1) await targets.note(recoveryOf(n), [`gh-961-${n}-1`]);
    const now = new Date(`${day}T12:00:00Z`);
    const paged = pagedQueries(scratch.client, 2);
    const pagedTargets = createRecoveryTargets({ client: paged.client, tableName: 'incidents', clock: () => now });

    // Act
    const three = await pagedTargets.unfinished(now, { notedBefore: noted, limit: 3 });
    const threeQueries = queriesOf(paged.pages, `RECOVERYTARGETS#${day}`);
    const all = await pagedTargets.unfinished(now, { notedBefore: noted, limit: 10 });

    // Assert: the day before's one leaves two to the day, which its first page holds (a day's cap of items under its
    // two pages, and what the earlier days found counted in it); the fifth of the day would need a third page
    expect(three.map((recovery) => recovery.resolvedBy)).toEqual(['run e', 'run 0', 'run 1']);
    expect(threeQueries).toBe(1);
    expect(all.map((recovery) => recovery.resolvedBy)).toEqual(['run e', 'run 0', 'run 1', 'run 2', 'run 3']);
    expect(queriesOf(paged.pages, `RECOVERYTARGETS#${day}`)).toBe(3);
  });
});

describe('`guard kb migrate` reads every page of a category and of an entry’s import rows, up to their bounds', () => {
  /** An entry of the old layout, seen `minutesAgo` before `at`: the newer first in its category's pages. */
  const oldLearned = (fingerprint: string, category: string, minutesAgo = 0) => ({
    pk: `KB#${fingerprint}`, sk: 'ENTRY', kind: 'knowledge', kbFingerprint: fingerprint, kbCategory: category, kbLastSeen: new Date(at.getTime() - minutesAgo * 60_000).toISOString(), category, source: 'learned', template: 't', title: 't', seen: 1,
  });
  const importRowsLeft = async (fingerprint: string) =>
    (await scratch.client.send(new QueryCommand({ TableName: 'incidents', KeyConditionExpression: 'pk = :pk AND begins_with(sk, :import)', ExpressionAttributeValues: { ':pk': `KB#${fingerprint}`, ':import': 'IMPORT#' }, Select: 'COUNT', ConsistentRead: true }))).Count;
  const importRow = (fingerprint: string, n: number) => ({ pk: `KB#${fingerprint}`, sk: `IMPORT#paged-${String(n).padStart(3, '0')}`, kind: 'knowledge-import', claimedAt: at.toISOString(), countedAt: at.toISOString() });

  it('retires the five old learned entries of a category read two a page, forgetting the five import rows of one', async () => {
    // Prepare
    for (let n = 0; n < 5; n += 1) await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned(`fp-paged-sweep-${n}`, 'timeout') }));
    await putAll(scratch.client, Array.from({ length: 5 }, (_, n) => importRow('fp-paged-sweep-0', n)));
    const { client } = pagedQueries(scratch.client, 2);

    // Act
    const sweep = await learningOn(client, () => at).knowledge.sweepOldLearned('timeout', at, { pageSize: 2 });

    // Assert
    expect(sweep).toEqual({ retired: 5, reset: 0, forgotten: 1, complete: true });
    expect(await importRowsLeft('fp-paged-sweep-0')).toBe(0);
    expect(await learningOn(scratch.client, () => at).knowledge.sweepOldLearned('timeout', at)).toEqual({ retired: 0, reset: 0, forgotten: 0, complete: true });
  });

  it('stops a sweep at its pages, and an entry’s import rows at 100 pages, leaving the rest for the next run', async () => {
    // Prepare: three old learned entries, the first with 201 import rows (100 pages of two, and one)
    for (let n = 0; n < 3; n += 1) await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned(`fp-paged-bound-${n}`, 'dependency', n) }));
    await putAll(scratch.client, Array.from({ length: 201 }, (_, n) => importRow('fp-paged-bound-0', n)));
    const { client, pages } = pagedQueries(scratch.client, 2);

    // Act: a sweep of one page of two entries
    const sweep = await learningOn(client, () => at).knowledge.sweepOldLearned('dependency', at, { pageSize: 2, maxPages: 1 });

    // Assert: the first entry keeps its last row and stays; the third is left to the next run. Its rows were asked
    // for 100 a page (here given two), and one row after them to see whether any is left.
    expect(sweep).toEqual({ retired: 1, reset: 0, forgotten: 0, complete: false });
    expect(await importRowsLeft('fp-paged-bound-0')).toBe(1);
    expect(pagesOf(pages, 'KB#fp-paged-bound-0').map((page) => page.Limit)).toEqual([...Array<number>(100).fill(100), 1]);
    expect(await learningOn(scratch.client, () => at).knowledge.sweepOldLearned('dependency', at)).toEqual({ retired: 2, reset: 0, forgotten: 1, complete: true });
  });

  it('refuses an import onto an old learned entry whose import rows to forget go past 100 pages, having forgotten those', async () => {
    // Prepare: an old learned entry with 201 import rows of an earlier import (100 pages of two, and one)
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned('fp-paged-import', 'configuration') }));
    await putAll(scratch.client, Array.from({ length: 201 }, (_, n) => importRow('fp-paged-import', n)));
    const { client } = pagedQueries(scratch.client, 2);
    const later = new Date(at.getTime() + HOUR_MS);

    // Act
    const importing = learningOn(client, () => later).knowledge.importOutcome('fp-paged-import', { template: 't', category: 'configuration', source: 'imported' }, 'new-import', { action: 'comment_only', success: null }, later, later);

    // Assert: its own row sorts first and is kept; 100 pages forgot 199 rows, the 101st held two to forget
    await expect(importing).rejects.toThrow(OldLayoutImportRowsError);
    expect(await importRowsLeft('fp-paged-import')).toBe(3);
  });

  it('reads no more than 100 pages of an old learned entry’s import rows for an import, though every row read is one counting now', async () => {
    // Prepare: an old learned entry with 201 import rows other deliveries claimed a moment ago (counting now: kept)
    const later = new Date(at.getTime() + HOUR_MS);
    const counting = (n: number) => ({ pk: 'KB#fp-paged-kept', sk: `IMPORT#paged-${String(n).padStart(3, '0')}`, kind: 'knowledge-import', claimedAt: later.toISOString() });
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned('fp-paged-kept', 'configuration') }));
    await putAll(scratch.client, Array.from({ length: 201 }, (_, n) => counting(n)));
    const { client, pages } = pagedQueries(scratch.client, 2);

    // Act
    const importing = learningOn(client, () => later).knowledge.importOutcome('fp-paged-kept', { template: 't', category: 'configuration', source: 'imported' }, 'new-import', { action: 'comment_only', success: null }, later, later);

    // Assert: 100 pages read (two a page here), none past them; what lies beyond may hold rows to forget, so the
    // import is refused, as when rows to forget go past the pages, and no row counting now is forgotten.
    const outcome = await importing.catch((error: unknown) => error);
    expect(pagesOf(pages, 'KB#fp-paged-kept').filter((page) => page.Limit === 100)).toHaveLength(100);
    expect(outcome).toBeInstanceOf(OldLayoutImportRowsError);
    expect(await importRowsLeft('fp-paged-kept')).toBe(202);
  });

  it('counts every page of an imported entry’s import rows: five rows read two a page are its five sightings, nothing learned', async () => {
    // Prepare: an imported entry seen five times, once by each of its five import rows
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: { ...oldLearned('fp-paged-count', 'security_scan'), source: 'imported', seen: 5 } }));
    await putAll(scratch.client, Array.from({ length: 5 }, (_, n) => importRow('fp-paged-count', n)));
    const { client } = pagedQueries(scratch.client, 2);

    // Act
    const sweep = await learningOn(client, () => at).knowledge.sweepOldLearned('security_scan', at);

    // Assert
    expect(sweep).toEqual({ retired: 0, reset: 0, forgotten: 0, complete: true });
  });
});
