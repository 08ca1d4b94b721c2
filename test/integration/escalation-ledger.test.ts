import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEEN_PER_WINDOW, createDynamoEscalationDigests, createDynamoEscalationLedger, escalationLedgerKey } from '../../shared/stores/escalation-ledger.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** The escalation ledger against the embedded DynamoDB-compatible server: conditional writes, no transactions. */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('escalation-ledger');
});

afterAll(async () => {
  await store?.close();
});

const ledger = () => createDynamoEscalationLedger({ client: store.documents(), tableName: 'incidents' });
const occurrence = (key: string, incidentId: string, at: string, mayOpen = true) => ({ key, incidentId, at: new Date(at), windowMinutes: 60, mayOpen, label: 'test' });

describe('escalation ledger', () => {
  it('lets exactly one of 20 concurrent occurrences of a problem page, and counts all 20', async () => {
    const l = ledger();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => l.record(occurrence('p1', `i-${i}`, '2026-11-20T09:12:00Z'))));

    expect(results.filter((r) => r.send)).toHaveLength(1);
    const after = await l.record(occurrence('p1', 'i-late', '2026-11-20T09:40:00Z'));
    expect(after).toMatchObject({ send: false, windowCount: 21, total: 21, windowStart: '2026-11-20T09:12:00.000Z' });
  });

  it('never counts a retried step twice, and lets the opener send again on retry', async () => {
    const l = ledger();
    const first = await l.record(occurrence('p2', 'a', '2026-11-20T10:00:00Z'));
    const openerRetry = await l.record(occurrence('p2', 'a', '2026-11-20T10:01:00Z'));
    await l.record(occurrence('p2', 'b', '2026-11-20T10:02:00Z'));
    const repeatRetry = await l.record(occurrence('p2', 'b', '2026-11-20T10:03:00Z'));

    expect([first.send, openerRetry.send, repeatRetry.send]).toEqual([true, true, false]);
    expect(repeatRetry.windowCount).toBe(2);
  });

  it('lets the opener send again after a crash between publish and record, once: later retries send nothing', async () => {
    const l = ledger();
    const tries = [];
    for (const minute of ['00', '01', '02', '03']) tries.push(await l.record(occurrence('p5', 'a', `2026-11-20T10:${minute}:00Z`)));

    expect(tries.map((t) => t.send)).toEqual([true, true, false, false]);
    expect(tries[3]).toMatchObject({ alreadySent: true, windowCount: 1, total: 1 });
  });

  it('says when the page went out once its publish was marked, and nothing for a claim alone or one given back (session 42)', async () => {
    const l = ledger();
    await l.record(occurrence('p8', 'a', '2026-11-20T10:00:00Z'));
    await l.published(occurrence('p8', 'a', '2026-11-20T10:00:00Z'));
    await l.record(occurrence('p9', 'a', '2026-11-20T10:00:00Z'));
    await l.unsent(occurrence('p9', 'a', '2026-11-20T10:00:00Z'));
    // Claimed, its publish failed and the claim could not be given back (or the function died): nothing went out.
    await l.record(occurrence('mark-claimed-only', 'a', '2026-11-20T10:00:00Z'));
    // Marked by another incident than the window's owner: not this window's page.
    await l.record(occurrence('mark-other-incident', 'a', '2026-11-20T10:00:00Z'));
    await l.published(occurrence('mark-other-incident', 'b', '2026-11-20T10:00:00Z'));

    expect(await l.lastSent('p8')).toEqual({ at: '2026-11-20T10:00:00.000Z', certain: true });
    expect(await l.lastSent('p9')).toBeNull();
    expect(await l.lastSent('mark-claimed-only')).toBeNull();
    expect(await l.lastSent('mark-other-incident')).toBeNull();
    expect(await l.lastSent('never-recorded')).toBeNull();
  });

  it('says a page may have gone out when its publish was marked begun and never marked done, and nothing once the mark was taken back (session 43)', async () => {
    const l = ledger();
    // The function died between the publish and its mark.
    await l.record(occurrence('mark-begun', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-begun', 'a', '2026-11-20T10:00:00Z'), true);
    // Begun, then done.
    await l.record(occurrence('mark-begun-done', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-begun-done', 'a', '2026-11-20T10:00:00Z'), true);
    await l.published(occurrence('mark-begun-done', 'a', '2026-11-20T10:00:00Z'));
    // Begun, and its publish answered an error.
    await l.record(occurrence('mark-taken-back', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-taken-back', 'a', '2026-11-20T10:00:00Z'), true);
    await l.publishing(occurrence('mark-taken-back', 'a', '2026-11-20T10:00:00Z'), false);
    // Begun by another incident than the window's owner: not this window's page.
    await l.record(occurrence('mark-begun-other', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-begun-other', 'b', '2026-11-20T10:00:00Z'), true);
    // Begun in a window the next one replaced.
    await l.record(occurrence('mark-begun-next-window', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-begun-next-window', 'a', '2026-11-20T10:00:00Z'), true);
    await l.record(occurrence('mark-begun-next-window', 'a', '2026-11-20T12:00:00Z'));

    expect(await l.lastSent('mark-begun')).toEqual({ at: '2026-11-20T10:00:00.000Z', certain: false });
    expect(await l.lastSent('mark-begun-done')).toEqual({ at: '2026-11-20T10:00:00.000Z', certain: true });
    expect(await l.lastSent('mark-taken-back')).toBeNull();
    expect(await l.lastSent('mark-begun-other')).toBeNull();
    expect(await l.lastSent('mark-begun-next-window')).toBeNull();
  });

  it("keeps the first send's publish mark when the re-send's publish fails and takes its own back (attack-45a A1, session 43)", async () => {
    const l = ledger();
    await l.record(occurrence('mark-resent', 'a', '2026-11-20T10:00:00Z'));
    await l.publishing(occurrence('mark-resent', 'a', '2026-11-20T10:00:00Z'), true);
    // The opener's re-send, after it died between its publish and `published`: its publish answers an error.
    await l.record(occurrence('mark-resent', 'a', '2026-11-20T10:01:00Z'));
    await l.publishing(occurrence('mark-resent', 'a', '2026-11-20T10:01:00Z'), true);
    await l.publishing(occurrence('mark-resent', 'a', '2026-11-20T10:01:00Z'), false);

    expect(await l.lastSent('mark-resent')).toEqual({ at: '2026-11-20T10:00:00.000Z', certain: false });
  });

  it('names the opener of the latest window from the write that opened it, counted occurrences aside (attack-45a A2, session 43)', async () => {
    const l = ledger();
    await l.record(occurrence('opener', 'lead', '2026-11-20T10:00:00Z'));
    await l.record(occurrence('opener', 'later', '2026-11-20T10:01:00Z'));
    expect(await l.opener('opener')).toEqual({ owner: 'lead', windowStart: '2026-11-20T10:00:00.000Z' });
    await l.takeOver(occurrence('opener', 'next', '2026-11-20T10:02:00Z'), { owner: 'lead', windowStart: '2026-11-20T10:00:00.000Z' });
    expect(await l.opener('opener')).toEqual({ owner: 'next', windowStart: '2026-11-20T10:02:00.000Z' });
    expect(await l.opener('never-opened')).toBeNull();
  });

  it('forgets the publish mark of a window when the next window opens (attack-44c S6)', async () => {
    const l = ledger();
    await l.record(occurrence('mark-next-window', 'a', '2026-11-20T10:00:00Z'));
    await l.published(occurrence('mark-next-window', 'a', '2026-11-20T10:00:00Z'));
    await l.record(occurrence('mark-next-window', 'a', '2026-11-20T12:00:00Z'));

    expect(await l.lastSent('mark-next-window')).toBeNull();
  });

  it('takes the one re-send for only one of many concurrent retries of the opener', async () => {
    const l = ledger();
    await l.record(occurrence('p6', 'a', '2026-11-20T10:00:00Z'));
    const retries = await Promise.all(Array.from({ length: 8 }, () => l.record(occurrence('p6', 'a', '2026-11-20T10:01:00Z'))));

    expect(retries.filter((r) => r.send)).toHaveLength(1);
  });

  it('gives back a send whose publish failed, so the retry still has the page and one re-send', async () => {
    const l = ledger();
    const first = await l.record(occurrence('p7', 'a', '2026-11-20T10:00:00Z'));
    await l.unsent(occurrence('p7', 'a', '2026-11-20T10:00:00Z'));
    // Given back twice, or by another incident: never below what was really used.
    await l.unsent(occurrence('p7', 'a', '2026-11-20T10:00:00Z'));
    await l.unsent(occurrence('p7', 'b', '2026-11-20T10:00:00Z'));
    const retries = [];
    for (const minute of ['01', '02', '03']) retries.push((await l.record(occurrence('p7', 'a', `2026-11-20T10:${minute}:00Z`))).send);

    expect(first.send).toBe(true);
    expect(retries).toEqual([true, true, false]);
  });

  it("lets one of many concurrent take-overs replace the window its holder opened, and names the holder on its answers", async () => {
    const l = ledger();
    const first = await l.record(occurrence('p9', 'a', '2026-11-20T10:00:00Z'));
    const counted = await l.record(occurrence('p9', 'b', '2026-11-20T10:05:00Z'));
    expect(counted).toMatchObject({ send: false, owner: 'a', windowStart: first.windowStart });

    const from = { owner: 'a', windowStart: String(first.windowStart) };
    const takers = await Promise.all(['b', 'c', 'd'].map((id) => l.takeOver(occurrence('p9', id, '2026-11-20T10:06:00Z'), from)));
    const taken = takers.filter((t) => t !== null);
    expect(taken).toHaveLength(1);
    expect(taken[0]).toMatchObject({ send: true, windowCount: 1, total: 3, windowStart: '2026-11-20T10:06:00.000Z', previousSentAt: '2026-11-20T10:00:00.000Z' });
    // The window taken over names its new holder, whose retry may re-send; the old holder's window is gone.
    const holder = taken[0]!.owner!;
    expect(await l.record(occurrence('p9', holder, '2026-11-20T10:07:00Z'))).toMatchObject({ send: true, owner: holder });
    expect(await l.takeOver(occurrence('p9', 'e', '2026-11-20T10:08:00Z'), from)).toBeNull();
  });

  it('opens the next window after it passed, with the total since first seen (the digest)', async () => {
    const l = ledger();
    await l.record(occurrence('p3', 'a', '2026-11-20T10:00:00Z'));
    await l.record(occurrence('p3', 'b', '2026-11-20T10:30:00Z'));
    const next = await l.record(occurrence('p3', 'c', '2026-11-20T11:30:00Z'));

    expect(next).toMatchObject({ send: true, windowCount: 1, total: 3, firstSeen: '2026-11-20T10:00:00.000Z', previousSentAt: '2026-11-20T10:00:00.000Z' });
  });

  it("keeps counting a problem whose window already remembers thousands of incidents, within DynamoDB's 400 KB item", async () => {
    // Prepare: a window that an outsider's stream of failures (a workflow on `issues` failing on each new issue) has
    // filled with 5,280 incident ids of the longest kind, as the ledger wrote them before it stopped remembering.
    const id = (i: number) => `gh-714523861-${String(i).padStart(62, '0')}-1`;
    const opened = '2026-11-20T10:00:00.000Z';
    await store.documents().send(new PutCommand({
      TableName: 'incidents',
      Item: {
        ...escalationLedgerKey('p9'), windowStart: opened, owner: id(0), windowCount: 5_280, total: 5_280, sends: 1, firstSeen: opened,
        lastSentAt: opened, lastSeen: opened, label: 'test', seen: new Set(Array.from({ length: 5_280 }, (_, i) => id(i))),
      },
    }));
    const l = ledger();

    // Act
    const tallies = [];
    for (let i = 5_280; i < 5_340; i += 1) tallies.push(await l.record(occurrence('p9', id(i), '2026-11-20T11:00:00Z')));

    // Assert: every one counted on the open window, none paged, and the item as small as it was.
    expect(tallies.map((t) => t.send)).toEqual(tallies.map(() => false));
    expect(tallies.at(-1)).toMatchObject({ windowCount: 5_340, total: 5_340, windowStart: opened });
    const item = (await store.documents().send(new GetCommand({ TableName: 'incidents', Key: escalationLedgerKey('p9') }))).Item;
    expect((item?.seen as Set<string>).size).toBe(5_280);
    expect(MAX_SEEN_PER_WINDOW).toBeLessThanOrEqual(1_000);
  });

  it('refuses an occurrence that must be named in the digest once the window remembers no more (its digest is full), and counts the others', async () => {
    // Prepare: a window that remembers MAX_SEEN_PER_WINDOW occurrences, each named.
    const opened = '2026-11-20T10:00:00.000Z';
    const ids = Array.from({ length: MAX_SEEN_PER_WINDOW }, (_, i) => `cw-${i}`);
    await store.documents().send(new PutCommand({
      TableName: 'incidents',
      Item: {
        ...escalationLedgerKey('p10'), windowStart: opened, owner: ids[0], windowCount: ids.length, total: ids.length, sends: 1, firstSeen: opened,
        lastSentAt: opened, lastSeen: opened, label: 'test', seen: new Set(ids), members: new Set(ids.map((id) => `alarm-${id}`)),
      },
    }));
    const l = ledger();

    // Act
    const named = await l.record({ ...occurrence('p10', 'cw-named', '2026-11-20T10:01:00Z'), beforeDigest: true, member: 'alarm-cw-named' });
    const counted = await l.record({ ...occurrence('p10', 'cw-counted', '2026-11-20T10:01:00Z'), member: 'alarm-cw-counted' });

    // Assert: the one that must be named is refused (it would be in no digest); the other is counted as before.
    expect(named).toMatchObject({ send: false, digestFull: true, windowCount: MAX_SEEN_PER_WINDOW });
    expect(counted).toMatchObject({ send: false, windowCount: MAX_SEEN_PER_WINDOW + 1 });
    expect(counted.digestFull).toBeUndefined();
  });

  it('counts an occurrence only on a window that started by its `startedBy`, and still answers with that window (session 41)', async () => {
    const l = ledger();
    await l.record(occurrence('p11', 'newer', '2026-11-20T10:10:00Z'));
    const earlier = await l.record({ ...occurrence('p11', 'earlier', '2026-11-20T10:02:00Z'), startedBy: new Date('2026-11-20T10:03:00Z') });
    const inTime = await l.record({ ...occurrence('p11', 'in-time', '2026-11-20T10:09:30Z'), startedBy: new Date('2026-11-20T10:10:30Z') });

    expect(earlier).toMatchObject({ send: false, windowCount: 1, windowStart: '2026-11-20T10:10:00.000Z' });
    expect(inTime).toMatchObject({ send: false, windowCount: 2 });
  });

  it('counts on a window it found open without reading it first, with the answers and items a reading ledger gives (storm70)', async () => {
    // Every case the read sets apart before counting, in one sequence: an opener and its retries, repeats and their
    // retries, one that may only be counted, one whose window started after it, named ones before and after the digest
    // is claimed, and the window passing. Read by one ledger that keeps its hint of open windows across the calls, and
    // by a new ledger for each call (no hint: each record reads the item first), on two keys of the same history.
    type Step = { incidentId: string; at: string; mayOpen?: boolean; beforeDigest?: true; startedBy?: string; member?: string; claimDigest?: true };
    const steps: Step[] = [
      { incidentId: 'a', at: '2026-11-20T10:00:00Z', member: 'alarm-a' },
      { incidentId: 'a', at: '2026-11-20T10:00:30Z', member: 'alarm-a' },
      { incidentId: 'b', at: '2026-11-20T10:01:00Z', member: 'alarm-b', beforeDigest: true },
      { incidentId: 'b', at: '2026-11-20T10:01:30Z', member: 'alarm-b', beforeDigest: true },
      { incidentId: 'c', at: '2026-11-20T10:02:00Z', mayOpen: false },
      { incidentId: 'd', at: '2026-11-20T09:59:00Z', startedBy: '2026-11-20T09:59:30Z' },
      { incidentId: 'a', at: '2026-11-20T10:03:00Z', member: 'alarm-a' },
      { incidentId: 'e', at: '2026-11-20T10:04:00Z', member: 'alarm-e', beforeDigest: true, claimDigest: true },
      { incidentId: 'f', at: '2026-11-20T10:05:00Z', member: 'alarm-f' },
      { incidentId: 'g', at: '2026-11-20T11:30:00Z', mayOpen: false },
      { incidentId: 'h', at: '2026-11-20T11:31:00Z', member: 'alarm-h' },
      { incidentId: 'i', at: '2026-11-20T11:32:00Z', member: 'alarm-i', beforeDigest: true },
    ];
    const hinted = ledger();
    const read = async (key: string) => (await store.documents().send(new GetCommand({ TableName: 'incidents', Key: escalationLedgerKey(key), ConsistentRead: true }))).Item;
    const claim = (key: string) =>
      store.documents().send(
        new UpdateCommand({
          TableName: 'incidents', Key: escalationLedgerKey(key), UpdateExpression: 'SET digestFor = windowStart, digestClaimedAt = :at', ExpressionAttributeValues: { ':at': '2026-11-20T10:03:30Z' },
        }),
      );
    const gets: string[] = [];
    const counting = createDynamoEscalationLedger({
      client: new Proxy(store.documents(), {
        get: (target, name, receiver) => (name === 'send' ? (command: object) => (command instanceof GetCommand && gets.push('get'), target.send(command as never)) : Reflect.get(target, name, receiver)),
      }),
      tableName: 'incidents',
    });
    const answers: Array<[unknown, unknown]> = [];
    for (const [at, step] of steps.entries()) {
      if (step.claimDigest) await Promise.all([claim('p12-hint'), claim('p12-read')]);
      const of = (key: string) => ({
        ...occurrence(key, step.incidentId, step.at, step.mayOpen ?? true),
        ...(step.member ? { member: step.member } : {}),
        ...(step.beforeDigest ? { beforeDigest: true } : {}),
        ...(step.startedBy ? { startedBy: new Date(step.startedBy) } : {}),
      });
      answers.push([await hinted.record(of('p12-hint')), await ledger().record(of('p12-read'))]);
      if (at === 0 || at === 2 || at === 3) await counting.record(of('p12-gets'));
    }
    const { pk: _hintPk, ...hintItem } = (await read('p12-hint')) ?? {};
    const { pk: _readPk, ...readItem } = (await read('p12-read')) ?? {};

    for (const [withHint, reading] of answers) expect(withHint).toEqual(reading);
    expect(hintItem).toEqual(readItem);
    expect(answers.map(([tally]) => (tally as { send: boolean }).send)).toEqual([true, true, false, false, false, false, false, false, false, false, true, false]);
    // On a third key, the opener read the item; the repeat after it was counted without a read; the repeat's retry was
    // refused that count and read the item (a reading ledger: three reads).
    expect(gets).toEqual(['get', 'get']);
  });

  it('does not open a window for an occurrence that may only be counted', async () => {
    const l = ledger();
    const alone = await l.record(occurrence('p4', 'rerun', '2026-11-20T10:00:00Z', false));
    const opener = await l.record(occurrence('p4', 'first', '2026-11-20T10:05:00Z'));

    expect(alone.send).toBe(false);
    expect(opener.send).toBe(true);
  });
});

describe('escalation digests (the reconciler\'s side of the ledger)', () => {
  const client = () => store.documents();
  const digests = () => createDynamoEscalationDigests({ client: client(), tableName: 'incidents' });
  const withDigest = (key: string, incidentId: string, at: string) => ({ ...occurrence(key, incidentId, at), digest: true });
  const lookback = { limit: 50, lookbackHours: 48 };
  const dueFor = async (key: string, now: string) => (await digests().due(new Date(now), lookback)).filter((d) => d.problemKey === key);
  /** The due digest, at `now`, of problem `key`'s window opened at `opened` with one repeat at `repeated`. */
  const dueWithRepeat = async (key: string, opened: string, repeated: string, now: string) => {
    await ledger().record(withDigest(key, 'a', opened));
    await ledger().record(withDigest(key, 'b', repeated));
    return (await dueFor(key, now))[0];
  };

  it('is due when the window ends with repeats, is claimed by one of many concurrent runs, and is never due again once sent', async () => {
    const l = ledger();
    await l.record(withDigest('d1', 'a', '2026-11-21T10:00:00Z'));
    await l.record(withDigest('d1', 'b', '2026-11-21T10:20:00Z'));
    await l.record(withDigest('d1', 'c', '2026-11-21T10:40:00Z'));
    // A retried step of a counted repeat writes the same entry again, not a second one.
    await l.record(withDigest('d1', 'c', '2026-11-21T10:41:00Z'));

    expect(await dueFor('d1', '2026-11-21T10:59:00Z')).toEqual([]);
    const due = await dueFor('d1', '2026-11-21T11:05:00Z');
    expect(due).toEqual([{ problemKey: 'd1', windowStart: '2026-11-21T10:00:00.000Z', dueAt: '2026-11-21T11:00:00.000Z' }]);

    const claims = await Promise.all(Array.from({ length: 8 }, () => digests().claim(due[0]!, new Date('2026-11-21T11:05:00Z'))));
    const won = claims.filter((c) => c !== null);
    expect(won).toHaveLength(1);
    expect(won[0]).toMatchObject({ label: 'test', repeats: 2, total: 3, firstSeen: '2026-11-21T10:00:00.000Z', lastSeen: '2026-11-21T10:40:00.000Z', lastIncidentId: 'c' });

    await digests().sent(won[0]!);
    expect(await dueFor('d1', '2026-11-21T11:10:00Z')).toEqual([]);
    expect(await digests().claim(due[0]!, new Date('2026-11-21T11:30:00Z'))).toBeNull();
  });

  it("says when a digest naming a member was claimed, and keeps saying it once sent; nothing for one unclaimed or a member it does not name (session 44)", async () => {
    const l = ledger();
    await l.record({ ...withDigest('d-named', 'a', '2026-11-21T10:00:00Z'), member: 'inc-1 0123456789abcdef' });
    await l.record({ ...withDigest('d-named', 'b', '2026-11-21T10:10:00Z'), member: 'inc-2 0123456789abcdef' });
    expect(await l.digestClaimedNaming('d-named', 'inc-1 0123456789abcdef')).toBeNull();

    const [due] = await dueFor('d-named', '2026-11-21T11:05:00Z');
    const digest = await digests().claim(due!, new Date('2026-11-21T11:05:00Z'));
    expect(await l.digestClaimedNaming('d-named', 'inc-1 0123456789abcdef')).toBe('2026-11-21T11:05:00.000Z');
    expect(await l.digestClaimedNaming('d-named', 'inc-3 0123456789abcdef')).toBeNull();

    await digests().sent(digest!);
    expect(await l.digestClaimedNaming('d-named', 'inc-2 0123456789abcdef')).toBe('2026-11-21T11:05:00.000Z');
    expect(await l.digestClaimedNaming('d-none', 'inc-1 0123456789abcdef')).toBeNull();
  });

  it('names each member apart when their names share their first 200 characters, each at most 255 bytes on the item', async () => {
    // Prepare: CloudWatch alarm names run to 255 characters; four share their first 200, two of them in three-byte characters.
    const l = ledger();
    const ascii = 'orders-prod-'.repeat(17).slice(0, 200);
    const wide = '監視'.repeat(100);
    const members = [`${ascii}-api-5xx`, `${ascii}-${'x'.repeat(54)}`, `${wide}-api`, `${wide}-db`];

    // Act
    for (const [i, member] of members.entries()) await l.record({ ...withDigest('d-long-names', `m-${i}`, `2026-11-21T10:0${i}:00Z`), member });
    const [due] = await dueFor('d-long-names', '2026-11-21T11:05:00Z');
    const digest = await digests().claim(due!, new Date('2026-11-21T11:05:00Z'));

    // Assert: four names; those of at most 255 bytes whole, the longer ones cut but still apart.
    expect(digest?.members).toHaveLength(4);
    expect(digest?.members).toEqual(expect.arrayContaining(members.slice(0, 2)));
    for (const member of digest?.members ?? []) expect(Buffer.byteLength(member)).toBeLessThanOrEqual(255);
  });

  it('has nothing due for a window without repeats, or when the policy turned digests off', async () => {
    const l = ledger();
    await l.record(withDigest('d2', 'a', '2026-11-21T10:00:00Z'));
    await l.record(occurrence('d3', 'a', '2026-11-21T10:00:00Z'));
    await l.record(occurrence('d3', 'b', '2026-11-21T10:10:00Z'));

    expect(await dueFor('d2', '2026-11-21T12:00:00Z')).toEqual([]);
    expect(await dueFor('d3', '2026-11-21T12:00:00Z')).toEqual([]);
  });

  it('drops the entry when a newer window\'s page already carried the counts', async () => {
    const l = ledger();
    await l.record(withDigest('d4', 'a', '2026-11-21T10:00:00Z'));
    await l.record(withDigest('d4', 'b', '2026-11-21T10:30:00Z'));
    const next = await l.record(withDigest('d4', 'c', '2026-11-21T11:10:00Z'));
    expect(next).toMatchObject({ send: true, total: 3 });

    const [due] = await dueFor('d4', '2026-11-21T11:15:00Z');
    expect(await digests().claim(due!, new Date('2026-11-21T11:15:00Z'))).toBeNull();
    expect(await dueFor('d4', '2026-11-21T11:16:00Z')).toEqual([]);
  });

  it('can be claimed again after a failed send is released, or after a claim outlived its lease', async () => {
    const due = await dueWithRepeat('d5', '2026-11-21T10:00:00Z', '2026-11-21T10:30:00Z', '2026-11-21T11:01:00Z');

    const first = await digests().claim(due!, new Date('2026-11-21T11:01:00Z'));
    await digests().release(first!);
    const second = await digests().claim(due!, new Date('2026-11-21T11:02:00Z'));
    expect(second).not.toBeNull();
    // The run holding the second claim died before marking it sent: a minute later it is still held ...
    expect(await digests().claim(due!, new Date('2026-11-21T11:03:00Z'))).toBeNull();
    // ... and past the lease another run may take it; the dead run's late clean-up then changes nothing.
    const third = await digests().claim(due!, new Date('2026-11-21T11:13:00Z'));
    expect(third).not.toBeNull();
    await digests().sent(second!);
    expect(await dueFor('d5', '2026-11-21T11:14:00Z')).toHaveLength(1);
    await digests().sent(third!);
    expect(await dueFor('d5', '2026-11-21T11:14:00Z')).toEqual([]);
  });

  it("remembers the messages of a split digest its claim's holder published, for the next claim of the window only (session 41)", async () => {
    const due = await dueWithRepeat('d9', '2026-11-10T10:00:00Z', '2026-11-10T10:20:00Z', '2026-11-10T11:05:00Z');
    const first = await digests().claim(due!, new Date('2026-11-10T11:05:00Z'));
    await digests().messagePublished(first!, 'part-one');
    // A holder whose claim was given back records nothing.
    await digests().messagePublished({ ...first!, claim: '2026-11-10T11:04:00.000Z' }, 'stale');
    await digests().release(first!);

    const again = await digests().claim(due!, new Date('2026-11-10T11:10:00Z'));
    expect(again?.publishedMessages).toEqual(['part-one']);
    await digests().sent(again!);
    const item = (await client().send(new GetCommand({ TableName: 'incidents', Key: escalationLedgerKey('d9') }))).Item;
    expect(item?.digestMessagesSent).toBeUndefined();
  });

  it('lists a digest whose send failed again at the time it is retried, with its window and failures, until it is sent', async () => {
    const l = ledger();
    await l.record(withDigest('d9', 'a', '2026-11-21T10:00:00Z'));
    await l.record(withDigest('d9', 'b', '2026-11-21T10:30:00Z'));
    const [due] = await dueFor('d9', '2026-11-21T11:01:00Z');

    expect(await digests().retry(due!, new Date('2026-11-21T11:06:00Z'))).toBe(true);

    expect(await dueFor('d9', '2026-11-21T11:05:00Z')).toEqual([]);
    const [again] = await dueFor('d9', '2026-11-21T11:06:01Z');
    expect(again).toEqual({ problemKey: 'd9', windowStart: '2026-11-21T10:00:00.000Z', dueAt: '2026-11-21T11:00:00.000Z', failures: 1, retryAt: '2026-11-21T11:06:00.000Z' });
    const claimed = await digests().claim(again!, new Date('2026-11-21T11:06:01Z'));
    await digests().sent(claimed!);
    expect(await dueFor('d9', '2026-11-21T12:00:00Z')).toEqual([]);
    // A run that listed it before it moved finds it gone: nothing is brought back.
    expect(await digests().retry(due!, new Date('2026-11-21T11:11:00Z'))).toBe(false);
    expect(await dueFor('d9', '2026-11-21T12:00:00Z')).toEqual([]);
  });

  it('returns at most the limit, oldest first, across the days of the look-back', async () => {
    const l = ledger();
    for (const [key, day] of [['d6', '2026-11-19'], ['d7', '2026-11-20'], ['d8', '2026-11-20']] as const) {
      await l.record(withDigest(key, 'a', `${day}T23:30:00Z`));
      await l.record(withDigest(key, 'b', `${day}T23:40:00Z`));
    }
    const due = (await digests().due(new Date('2026-11-21T09:00:00Z'), { limit: 2, lookbackHours: 48 })).map((d) => d.problemKey);
    expect(due).toEqual(['d6', 'd7']);
  });
});
