import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoEscalationDigests, createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { alarmPagedAt } from '../support/alarm-approvals.js';
import { stepDeps } from '../support/fakes.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** Alarm groups (shared/notify/page-claims.ts) against the escalation ledger's DynamoDB items and its digests. */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('alarm-group-digests');
});

afterAll(async () => {
  await store?.close();
});

const firedAt = alarmPagedAt;

describe('alarm group digests', () => {
  it("still names a group's grouped alarms when the next group opened before the reconciler sent its digest", async () => {
    const escalationLedger = createDynamoEscalationLedger({ client: store.documents(), tableName: 'incidents' });
    const digests = createDynamoEscalationDigests({ client: store.documents(), tableName: 'incidents' });
    const { deps, published } = stepDeps({ escalationLedger });
    await firedAt(deps, '2026-11-20T10:00:00.000Z', 'orders-a-5xx');
    await firedAt(deps, '2026-11-20T10:01:00.000Z', 'orders-b-5xx');
    await firedAt(deps, '2026-11-20T10:02:00.000Z', 'orders-c-5xx');
    // The outage goes on: an alarm fires just after the group's five minutes, before the reconciler's next run.
    await firedAt(deps, '2026-11-20T10:05:30.000Z', 'orders-d-5xx');
    // The storm page and its lead only: orders-d-5xx leads a group that continues the storm (named in that group's digest, below).
    expect(published).toHaveLength(2);

    const due = await digests.due(new Date('2026-11-20T10:07:00.000Z'), { limit: 10, lookbackHours: 48 });
    const claimed = (await Promise.all(due.map((entry) => digests.claim(entry, new Date('2026-11-20T10:07:00.000Z'))))).filter((d) => d !== null);

    // orders-b-5xx paged nobody ("named in its digest"): the first group's digest must still name it.
    expect(claimed).toHaveLength(1);
    expect(claimed[0]?.members).toEqual(['orders-a-5xx', 'orders-b-5xx', 'orders-c-5xx']);
    // The continuing group's digest, due when it ends (10:10:30), names orders-d-5xx alone with the storm going on.
    const later = new Date('2026-11-20T10:11:00.000Z');
    const next = (await Promise.all((await digests.due(later, { limit: 10, lookbackHours: 48 })).map((entry) => digests.claim(entry, later)))).filter((d) => d !== null);
    expect(next.map((d) => d.members)).toEqual([[expect.stringContaining('goes on'), 'orders-d-5xx']]);
  });

  it('pages an alarm that fired within a group but reached Notify after its digest was claimed, instead of counting it there', async () => {
    // Alarms of their own: the test above's still fire, and their 24-hour windows would count these.
    const escalationLedger = createDynamoEscalationLedger({ client: store.documents(), tableName: 'incidents' });
    const digests = createDynamoEscalationDigests({ client: store.documents(), tableName: 'incidents' });
    const { deps, published } = stepDeps({ escalationLedger });
    await firedAt(deps, '2026-11-21T10:00:00.000Z', 'billing-a-5xx');
    await firedAt(deps, '2026-11-21T10:01:00.000Z', 'billing-b-5xx');
    await firedAt(deps, '2026-11-21T10:02:00.000Z', 'billing-c-5xx');
    expect(published).toHaveLength(2);
    const now = new Date('2026-11-21T10:06:00.000Z');
    const due = await digests.due(now, { limit: 10, lookbackHours: 48 });
    const digest = (await Promise.all(due.filter((entry) => entry.windowStart.startsWith('2026-11-21')).map((entry) => digests.claim(entry, now)))).find((d) => d !== null);
    expect(digest?.members).toEqual(['billing-a-5xx', 'billing-b-5xx', 'billing-c-5xx']);

    // Fired at 10:03, inside the group; its Notify runs at 10:07 (a redrive), after the digest was claimed and sent.
    await digests.sent(digest!);
    const late = await firedAt(deps, '2026-11-21T10:03:00.000Z', 'billing-late-5xx', '2026-11-21T10:07:00.000Z');

    expect(published).toHaveLength(3);
    expect(published[2]?.subject).toContain('billing-late-5xx');
    expect(late.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'published' });
  });
});
