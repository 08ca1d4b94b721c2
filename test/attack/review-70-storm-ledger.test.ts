/**
 * Review of storm70 (bb0863e5): the escalation ledger counts first on a key whose window it last found open, and reads
 * only when that count is refused. The claim: a count that lands is the count the read would have led to, with the
 * same answer and item. Checked here where a hint can go wrong — a hint kept by one ledger while other ledgers (other
 * Lambda containers) open, replace, claim or fill the window; the window's end exactly at the occurrence; a digest made
 * full by the count itself; a crash between the count and the due entry; concurrent deliveries from two ledgers.
 *
 * Each scenario runs twice on two keys of the same history: once with long-lived ledgers (their hints kept across the
 * steps), once with a new ledger for every call (no hint: every record reads first, the behaviour before storm70).
 * Answers and stored items must be the same. All pass on storm70's code: no finding, none open. Each can fail, as seen
 * with one of count's conditions changed (mutants, not committed): without `NOT contains(#seen, :id)` (which only the
 * count-first path relies on; a reader checks `seen` itself) the stale, replaced, crash and concurrent rows failed;
 * without the digest-claim condition the concurrent row; with `size(#seen) <=` the full-digest row; with
 * `#windowStart > :cutoff` or `startedBy` ignored the clock-edge row.
 */
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationOccurrence, EscalationTally } from '../../shared/ports.js';
import { MAX_SEEN_PER_WINDOW, createDynamoEscalationLedger, escalationLedgerKey } from '../../shared/stores/escalation-ledger.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('review-70-storm-ledger');
});

afterAll(async () => {
  await store?.close();
});

const ledger = () => createDynamoEscalationLedger({ client: store.documents(), tableName: 'incidents' });
const occurrence = (key: string, incidentId: string, at: string, extra: Partial<EscalationOccurrence> = {}): EscalationOccurrence => ({
  key, incidentId, at: new Date(at), windowMinutes: 60, mayOpen: true, label: 'review-70', digest: true, ...extra,
});
const itemOf = async (key: string) => {
  const item = (await store.documents().send(new GetCommand({ TableName: 'incidents', Key: escalationLedgerKey(key), ConsistentRead: true }))).Item;
  if (!item) return undefined;
  const { pk: _pk, ...rest } = item;
  return rest;
};
const dueOf = async (key: string, dueAt: string) => {
  const day = dueAt.slice(0, 10);
  const items = await store.documents().send(new GetCommand({ TableName: 'incidents', Key: { pk: `DIGEST#${day}`, sk: `${dueAt}#${key}` }, ConsistentRead: true }));
  return items.Item !== undefined;
};

/** A step of a scenario: a record by one of two long-lived ledgers, or a write by someone else on the item. */
type Step =
  | { by: 0 | 1; occurrence: Omit<EscalationOccurrence, 'key'> }
  | { other: (key: string) => Promise<unknown> };

/** Runs `steps` with hinting ledgers on `key`-h and with a new ledger per call on `key`-r: their answers, their items. */
async function both(key: string, steps: Step[]): Promise<Array<[EscalationTally | null, EscalationTally | null]>> {
  const hinted = [ledger(), ledger()];
  const answers: Array<[EscalationTally | null, EscalationTally | null]> = [];
  for (const step of steps) {
    if ('other' in step) {
      await step.other(`${key}-h`);
      await step.other(`${key}-r`);
      continue;
    }
    const withHint = await hinted[step.by]!.record({ ...step.occurrence, key: `${key}-h` });
    const reading = await ledger().record({ ...step.occurrence, key: `${key}-r` });
    answers.push([withHint, reading]);
  }
  expect(await itemOf(`${key}-h`)).toEqual(await itemOf(`${key}-r`));
  for (const [withHint, reading] of answers) expect(withHint).toEqual(reading);
  return answers;
}

const at = (incidentId: string, time: string, extra: Partial<EscalationOccurrence> = {}) => {
  const { key: _key, ...rest } = occurrence('', incidentId, time, extra);
  return rest;
};

describe('review-70: the ledger\'s count-first hint (storm70) answers and stores as reading first does', () => {
  it('a hint kept across windows: another ledger opened the next window, the stale one counts on it; the opener retried', async () => {
    const answers = await both('stale', [
      { by: 0, occurrence: at('a', '2026-11-20T10:00:00Z') },
      { by: 1, occurrence: at('b', '2026-11-20T10:10:00Z') },
      // Both ledgers now hint "open". The window passes; ledger 1 opens the next one.
      { by: 1, occurrence: at('c', '2026-11-20T11:05:00Z') },
      // Ledger 0 still hints the old window open: its count lands on the new window, as a read would have led it to.
      { by: 0, occurrence: at('d', '2026-11-20T11:06:00Z') },
      // The new window's opener retried on ledger 0 (hinted): it may send again, not be counted.
      { by: 0, occurrence: at('c', '2026-11-20T11:07:00Z') },
      // A redelivery of d on the other ledger: seen, not counted twice.
      { by: 1, occurrence: at('d', '2026-11-20T11:08:00Z') },
      // The old window's opener, late on ledger 0: a repeat of the new window.
      { by: 0, occurrence: at('a', '2026-11-20T11:09:00Z') },
    ]);
    expect(answers.map(([tally]) => tally?.send)).toEqual([true, false, true, false, true, false, false]);
    expect(answers[6]![0]).toMatchObject({ windowCount: 3, total: 5 });
  });

  it('a window replaced (takeOver) or closed between the hint and the count', async () => {
    const answers = await both('replaced', [
      { by: 0, occurrence: at('a', '2026-11-20T10:00:00Z') },
      { by: 0, occurrence: at('b', '2026-11-20T10:01:00Z') },
      // Another container takes the window over for e: seen is only e now.
      { other: (key) => ledger().takeOver(occurrence(key, 'e', '2026-11-20T10:02:00Z'), { owner: 'a', windowStart: '2026-11-20T10:00:00.000Z' }) },
      // The taken-over opener and the earlier repeat, hinted: counted on e's window, as a reader counts them.
      { by: 0, occurrence: at('a', '2026-11-20T10:03:00Z') },
      { by: 0, occurrence: at('b', '2026-11-20T10:04:00Z') },
      // e's retry on the hinted ledger: e owns the window and may send once more.
      { by: 0, occurrence: at('e', '2026-11-20T10:05:00Z') },
      // A re-run that may only be counted, after e's window ended: not counted, window not opened.
      { by: 0, occurrence: at('f', '2026-11-20T11:02:00.001Z', { mayOpen: false }) },
      // Then one that may open, hinted "closed" by the line above: opens.
      { by: 0, occurrence: at('g', '2026-11-20T11:03:00Z') },
    ]);
    expect(answers.map(([tally]) => tally?.send)).toEqual([true, false, false, false, true, false, true]);
  });

  it('clock edges: the occurrence exactly at the window\'s end is counted, a millisecond later opens the next', async () => {
    const answers = await both('edge', [
      { by: 0, occurrence: at('a', '2026-11-20T10:00:00Z') },
      { by: 0, occurrence: at('b', '2026-11-20T11:00:00Z') },
      { by: 0, occurrence: at('c', '2026-11-20T11:00:00.001Z') },
      // A late occurrence from before the window, hinted, with the group's `startedBy` before the window: not counted.
      { by: 0, occurrence: at('d', '2026-11-20T11:00:30Z', { startedBy: new Date('2026-11-20T11:00:00Z'), beforeDigest: true, member: 'alarm-d' }) },
      { by: 0, occurrence: at('e', '2026-11-20T11:00:40Z', { startedBy: new Date('2026-11-20T11:00:00.001Z'), beforeDigest: true, member: 'alarm-e' }) },
    ]);
    expect(answers.map(([tally]) => [tally?.send, tally?.windowCount])).toEqual([[true, 1], [false, 2], [true, 1], [false, 1], [false, 2]]);
  });

  it('a digest made full by the count itself: the last remembered one is counted, the next refused as full', async () => {
    const seen = new Set(Array.from({ length: MAX_SEEN_PER_WINDOW - 2 }, (_, i) => `s-${i}`));
    const put = (key: string) =>
      store.documents().send(
        new PutCommand({
          TableName: 'incidents',
          Item: { ...escalationLedgerKey(key), windowStart: '2026-11-20T10:00:00.000Z', owner: 's-0', windowCount: seen.size, total: seen.size, sends: 1, seen, label: 'review-70' },
        }),
      );
    const group = { beforeDigest: true as const, member: 'alarm' };
    const answers = await both('full', [
      { other: put },
      // The read: 999 remembered after it, and the hint says "open".
      { by: 0, occurrence: at('x', '2026-11-20T10:10:00Z', group) },
      // The count that fills the window (1,000): lands.
      { by: 0, occurrence: at('y', '2026-11-20T10:11:00Z', group) },
      // Refused by the count (full), read: digestFull, not counted.
      { by: 0, occurrence: at('z', '2026-11-20T10:12:00Z', group) },
      // Not for the digest: counted, not remembered.
      { by: 0, occurrence: at('w', '2026-11-20T10:13:00Z') },
      // y redelivered: remembered, not counted again.
      { by: 0, occurrence: at('y', '2026-11-20T10:14:00Z', group) },
    ]);
    expect(answers.map(([tally]) => [tally?.windowCount, tally?.digestFull ?? false])).toEqual([
      [999, false], [1000, false], [1000, true], [1001, false], [1001, false],
    ]);
  });

  it('a crash between the count and its due entry: the retry, hinted, writes the due entry as a reading retry does', async () => {
    for (const suffix of ['h', 'r']) {
      const key = `crash-${suffix}`;
      let failDue = false;
      const client = new Proxy(store.documents(), {
        get: (target, name, receiver) =>
          name === 'send'
            ? (command: object) => {
                const pk = (command as { input?: { Key?: { pk?: string }; Item?: { pk?: string } } }).input;
                const isDue = String(pk?.Key?.pk ?? pk?.Item?.pk ?? '').startsWith('DIGEST#');
                if (failDue && isDue) return Promise.reject(new Error('review-70: crashed before the due entry'));
                return target.send(command as never);
              }
            : Reflect.get(target, name, receiver),
      });
      const made = () => createDynamoEscalationLedger({ client, tableName: 'incidents' });
      const hinted = made();
      const use = () => (suffix === 'h' ? hinted : made());
      await use().record(occurrence(key, 'a', '2026-11-20T10:00:00Z'));
      failDue = true;
      await expect(use().record(occurrence(key, 'b', '2026-11-20T10:01:00Z'))).rejects.toThrow(/crashed before the due entry/);
      failDue = false;
      expect(await dueOf(key, '2026-11-20T11:00:00.000Z')).toBe(false);
      expect(await use().record(occurrence(key, 'b', '2026-11-20T10:02:00Z'))).toMatchObject({ send: false, windowCount: 2 });
      expect(await dueOf(key, '2026-11-20T11:00:00.000Z')).toBe(true);
    }
    const { lastSeen: _h, ...hintItem } = (await itemOf('crash-h')) ?? {};
    const { lastSeen: _r, ...readItem } = (await itemOf('crash-r')) ?? {};
    expect(hintItem).toEqual(readItem);
  });

  it('concurrent deliveries from two hinting ledgers, and a digest claimed in the middle: counts as two reading ones', async () => {
    const claim = (key: string) =>
      store.documents().send(
        new UpdateCommand({
          TableName: 'incidents', Key: escalationLedgerKey(key), UpdateExpression: 'SET digestFor = windowStart, digestClaimedAt = :at', ExpressionAttributeValues: { ':at': '2026-11-20T10:30:00Z' },
        }),
      );
    const run = async (key: string, make: (i: number) => ReturnType<typeof ledger>) => {
      const ids = Array.from({ length: 12 }, (_, i) => `c-${i}`);
      const group = (id: string, time: string) => occurrence(key, id, time, { beforeDigest: true, member: `alarm-${id}` });
      // Opened, then both ledgers hint "open" (each read once).
      await make(0).record(group('opener', '2026-11-20T10:00:00Z'));
      await Promise.all([make(0).record(group('warm-0', '2026-11-20T10:00:01Z')), make(1).record(group('warm-1', '2026-11-20T10:00:02Z'))]);
      // Each id delivered twice at once, by both ledgers: counted once.
      const first = await Promise.all(ids.flatMap((id, i) => [make(0).record(group(id, `2026-11-20T10:01:${String(i).padStart(2, '0')}Z`)), make(1).record(group(id, `2026-11-20T10:01:${String(i).padStart(2, '0')}Z`))]));
      await claim(key);
      const late = await Promise.all(['l-0', 'l-1'].map((id, i) => make(i).record(group(id, '2026-11-20T10:40:00Z'))));
      return { first, late, item: await itemOf(key) };
    };
    const hinted = [ledger(), ledger()];
    const h = await run('concurrent-h', (i) => hinted[i]!);
    const r = await run('concurrent-r', () => ledger());
    const { lastSeen: _h, lastIncident: _hi, ...hintItem } = h.item ?? {};
    const { lastSeen: _r, lastIncident: _ri, ...readItem } = r.item ?? {};
    expect(hintItem).toEqual(readItem);
    expect(hintItem).toMatchObject({ windowCount: 15 });
    expect(h.first.filter((tally) => tally.send)).toHaveLength(0);
    expect(h.late.map((tally) => tally.digestClaimed)).toEqual([true, true]);
    expect(r.late.map((tally) => tally.digestClaimed)).toEqual([true, true]);
  });
});
