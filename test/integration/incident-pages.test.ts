import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Incident, type IncidentStatus, newIncident } from '../../shared/domain/incident.js';
import { type IncidentCursor, type IncidentStore, createIncidentStore } from '../../shared/stores/incident-store.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/**
 * The incident store's multi-page reads against the embedded DynamoDB-compatible server: month partitions walked
 * in order, index pages followed until the limit or the page bound, cursors that hand every incident out once.
 * The store reads index pages of at least 25 items, so a few dozen incidents per month take several pages.
 */
let scratch: ScratchStore;
let store: IncidentStore;
let client: ReturnType<ScratchStore['documents']>;
const NOW = new Date('2026-11-20T12:00:00Z');

/** Incidents per month (months with none included): 40 in September, none in October, 60 in November. */
const SEPTEMBER = 40;
const NOVEMBER = 60;
/** Resolved incidents of one scope, more than the five index pages a scope lookup reads, and one open one before them. */
const RESOLVED_IN_SCOPE = 130;

/** The n-th minute of a month of 2026. */
function at(month: string, n: number): Date {
  return new Date(Date.parse(`2026-${month}-01T00:00:00Z`) + n * 60_000);
}

async function seed(id: string, created: Date, fields: Partial<Incident>, scope: string | null = null): Promise<void> {
  await createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => created }).create(
    newIncident({ id, source: 'github', repository: 'acme/web', repositoryId: 1, fingerprint: `fp-${id}`, ...fields }, created),
    scope,
  );
}

beforeAll(async () => {
  scratch = await startScratchStore('incident-pages');
  client = scratch.documents();
  store = createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => NOW });
  for (let n = 0; n < SEPTEMBER; n += 1) {
    await seed(`sep-${n}`, at('09', n), { status: n % 2 === 0 ? 'analyzed' : 'resolved', repository: n % 4 === 0 ? 'acme/api' : 'acme/web' });
  }
  for (let n = 0; n < NOVEMBER; n += 1) {
    await seed(`nov-${n}`, at('11', n), { status: n % 3 === 0 ? 'classified' : 'notified' });
  }
  await seed('scope-open', at('10', 0), { status: 'analyzed' }, 'acme/web#main#ci');
  // Two incidents of one pull request in their own scope and month, with what no index holds (head commit, job lines).
  for (const n of [1, 2]) {
    await seed(
      `pr-${n}`,
      at('08', n),
      { status: 'analyzed', pullRequest: 42, headSha: `sha-${n}`, failureLines: [{ line: n, text: `error ${n}` }] },
      'acme/web#feature#ci',
    );
  }
  for (let n = 1; n <= RESOLVED_IN_SCOPE; n += 1) await seed(`scope-${n}`, at('10', n), { status: 'resolved' }, 'acme/web#main#ci');
}, 120_000);

afterAll(async () => {
  await scratch?.close();
});

const ids = (incidents: Array<{ id: string }>) => incidents.map((incident) => incident.id);

describe('incident store pages (embedded DynamoDB)', () => {
  it('hands out whole incidents from indexes that hold only keys and filter attributes', async () => {
    const whole = (incidents: Incident[]) => incidents.map((i) => ({ id: i.id, headSha: i.headSha, failureLines: i.failureLines }));
    const newestFirst = [
      { id: 'pr-2', headSha: 'sha-2', failureLines: [{ line: 2, text: 'error 2' }] },
      { id: 'pr-1', headSha: 'sha-1', failureLines: [{ line: 1, text: 'error 1' }] },
    ];
    const inAugust = createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => at('08', 10) });

    expect(whole(await store.listByPullRequest({ name: 'acme/web', id: 1 }, 42, 10))).toEqual(newestFirst);
    expect(whole(await store.listOpenInScope('acme/web#feature#ci', 10))).toEqual(newestFirst);
    expect(whole(await inAugust.listRecent(2))).toEqual(newestFirst);
    expect(whole((await inAugust.search({ status: 'analyzed', since: at('08', 0) }, 10)).items)).toEqual(newestFirst);
    const unfinished = await inAugust.listUnfinished({ createdAfter: at('07', 0), updatedBefore: new Date('2027-01-01T00:00:00Z'), dueBy: at('08', 10), limit: 10 });
    expect(whole(unfinished)).toEqual([...newestFirst].reverse());
  });

  it('lists the most recent incidents newest first across month partitions, up to the limit', async () => {
    const recent = await store.listRecent(70);

    const expected = [...Array.from({ length: NOVEMBER }, (_, n) => `nov-${NOVEMBER - 1 - n}`), `scope-${RESOLVED_IN_SCOPE}`, `scope-${RESOLVED_IN_SCOPE - 1}`];
    expect(ids(recent).slice(0, NOVEMBER + 2)).toEqual(expected);
    expect(recent).toHaveLength(70);
  });

  it('hands out every matching incident exactly once when a search is followed by its cursors', async () => {
    const seen: string[] = [];
    let cursor: IncidentCursor | null = null;
    let calls = 0;
    do {
      const page = await store.search({ repository: 'acme/api' }, 4, cursor);
      seen.push(...ids(page.items));
      cursor = page.next;
      calls += 1;
    } while (cursor && calls < 50);

    const expected = Array.from({ length: SEPTEMBER / 4 }, (_, k) => `sep-${SEPTEMBER - 4 - 4 * k}`);
    expect(seen).toEqual(expected);
  });

  it('searches by status from a given instant, newest first', async () => {
    const page = await store.search({ status: 'classified', since: at('11', 30) }, 100);

    expect(ids(page.items)).toEqual(Array.from({ length: 10 }, (_, k) => `nov-${57 - 3 * k}`));
    expect(page.next).toBeNull();
  });

  it.each([
    ['a since a thousand years back', { since: new Date('1000-01-01T00:00:00Z') }, null],
    ['a forged cursor dated in the year 9999', { since: new Date('2020-01-01T00:00:00Z') }, { id: 'x', createdAt: '9999-12-31T00:00:00Z' }],
  ])('walks at most the search window of months, given %s', async (_, filter, cursor) => {
    // Prepare: a filter nothing matches, so every month walked is read
    const { client: counting, calls } = scratch.countedDocuments();
    const counted = createIncidentStore({ client: counting, tableName: 'incidents', ttlDays: 400, clock: () => NOW });

    // Act
    const page = await counted.search({ repository: 'nobody/here', ...filter }, 50, cursor);

    // Assert: a query per month of the window (14 months and the current one) and at most 20 index pages more,
    // not one per month since the year 1000 (12,364 calls before)
    expect(page.items).toEqual([]);
    expect(calls.length).toBeLessThanOrEqual(15 + 20);
  });

  it.each(['0001-01-01T00:00:00Z', '0099-12-31T23:59:59Z', '0000-03-01T00:00:00Z'])('walks the months of a forged cursor dated %s as written (attack-47 R1)', async (createdAt) => {
    // Before: Date.UTC read the years 0-99 as 1900-1999, and DynamoDB refused the start key of another month.
    const page = await store.search({}, 50, { id: 'x', createdAt });

    expect(page).toEqual({ items: [], next: null });
  });

  it('lists unfinished incidents oldest month first, without the notified and resolved ones', async () => {
    const unfinished = await store.listUnfinished({ createdAfter: new Date('2026-08-15T00:00:00Z'), updatedBefore: new Date('2027-01-01T00:00:00Z'), dueBy: NOW, limit: 1000 });

    const statuses = new Set<IncidentStatus>(unfinished.map((incident) => incident.status));
    expect([...statuses].sort()).toEqual(['analyzed', 'classified']);
    expect(ids(unfinished).slice(0, 3)).toEqual(['sep-0', 'sep-2', 'sep-4']);
    expect(unfinished).toHaveLength(SEPTEMBER / 2 + 1 + NOVEMBER / 3);
    expect(await store.listUnfinished({ createdAfter: new Date('2026-08-15T00:00:00Z'), updatedBefore: new Date('2027-01-01T00:00:00Z'), dueBy: NOW, limit: 25 })).toHaveLength(25);
  });

  it("lists only incidents due for the reconciler, and the ones not due ahead of them do not use up the limit", async () => {
    // Sixty incidents whose re-drive failed and waits another hour, and one the reconciler gave up, all older than
    // one whose wait is over and one that never failed: June, a month no other test reads.
    const june = createIncidentStore({ client, tableName: 'incidents', ttlDays: 400, clock: () => at('06', 0) });
    const create = (id: string, n: number, reconcileRetry?: Incident['reconcileRetry']) =>
      june.create({ ...newIncident({ id, source: 'github', repository: 'acme/web' }, at('06', n)), ...(reconcileRetry ? { reconcileRetry } : {}) }, null);
    const later = { failures: 3, error: 'ThrottlingException', dueAt: new Date(NOW.getTime() + 3_600_000).toISOString() };
    for (let n = 0; n < 60; n += 1) await create(`jun-waiting-${n}`, n, later);
    await create('jun-given-up', 60, { failures: 8, error: 'ThrottlingException', dueAt: null });
    await create('jun-waited', 61, { failures: 2, error: 'ThrottlingException', dueAt: NOW.toISOString() });
    await create('jun-never-failed', 62);

    const due = await store.listUnfinished({ createdAfter: at('06', 0), updatedBefore: NOW, dueBy: NOW, limit: 2 });

    expect(ids(due)).toEqual(['jun-waited', 'jun-never-failed']);
  });

  it("keeps updatedAt on a write with keepUpdatedAt (the reconciler's bookkeeping of a failed try), and moves it otherwise", async () => {
    const retry = { failures: 1, error: 'ThrottlingException', dueAt: NOW.toISOString() };
    await store.create(newIncident({ id: 'jun-kept', source: 'github' }, at('06', 70)), null);
    await store.create(newIncident({ id: 'jun-moved', source: 'github' }, at('06', 71)), null);

    await store.record('jun-kept', { reconcileRetry: retry }, {}, { keepUpdatedAt: true });
    await store.record('jun-moved', { reconcileRetry: retry });

    expect(await store.get('jun-kept')).toMatchObject({ reconcileRetry: retry, updatedAt: at('06', 70).toISOString() });
    expect(await store.get('jun-moved')).toMatchObject({ reconcileRetry: retry, updatedAt: NOW.toISOString() });
  });

  it('reads a bounded number of index pages for one scope: an open incident behind many resolved ones is not reached', async () => {
    const open = await store.listOpenInScope('acme/web#main#ci', 5);

    expect(open).toEqual([]);
    const history = await store.listHistory({ source: 'github', repositoryId: 1, fingerprint: 'fp-nov-7' }, 5);
    expect(ids(history)).toEqual(['nov-7']);
  });
});
