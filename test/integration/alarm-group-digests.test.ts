import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { EscalationDigests, EscalationMessage } from '../../shared/ports.js';
import { sendDueDigests } from '../../shared/reconcile/digests.js';
import { MAX_SEEN_PER_WINDOW, createDynamoEscalationDigests, createDynamoEscalationLedger, escalationLedgerKey } from '../../shared/stores/escalation-ledger.js';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { alarmPagedAt } from '../support/alarm-approvals.js';
import { compositeEvent } from '../support/alarm-events.js';
import { stepDeps } from '../support/fakes.js';
import { type ScratchStore, scratchStoreForFile, startScratchStore } from '../support/harness.js';

/** Alarm groups (shared/notify/page-claims.ts) against the escalation ledger's DynamoDB items and its digests. */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('alarm-group-digests');
});

afterAll(async () => {
  await store?.close();
});

const firedAt = alarmPagedAt;

/** The steps' deps over the escalation ledger's DynamoDB items, and the reconciler's side of them. */
function overTheLedger(over: ScratchStore = store) {
  const escalationLedger = createDynamoEscalationLedger({ client: over.documents(), tableName: 'incidents' });
  return { ...stepDeps({ escalationLedger }), digests: createDynamoEscalationDigests({ client: over.documents(), tableName: 'incidents' }) };
}

/** The digests of groups that started at `startPrefix` (a minute) due at `now`, claimed, first part first. */
async function claimDue(digests: EscalationDigests, now: Date, startPrefix: string) {
  const due = (await digests.due(now, { limit: 20, lookbackHours: 48 })).filter((entry) => entry.windowStart.startsWith(startPrefix));
  const claimed = await Promise.all(due.map((entry) => digests.claim(entry, now)));
  return claimed.filter((d) => d !== null).sort((a, b) => a.problemKey.localeCompare(b.problemKey));
}

describe('alarm group digests', () => {
  it("still names a group's grouped alarms when the next group opened before the reconciler sent its digest", async () => {
    const { deps, published, digests } = overTheLedger();
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

  it("names an alarm that fired within a group but reached Notify after its digest was claimed on the group's next digest, and pages nobody for it", async () => {
    // Alarms of their own: the test above's still fire, and their 24-hour windows would count these.
    const { deps, published, digests } = overTheLedger();
    await firedAt(deps, '2026-11-21T10:00:00.000Z', 'billing-a-5xx');
    await firedAt(deps, '2026-11-21T10:01:00.000Z', 'billing-b-5xx');
    await firedAt(deps, '2026-11-21T10:02:00.000Z', 'billing-c-5xx');
    expect(published).toHaveLength(2);
    const now = new Date('2026-11-21T10:06:00.000Z');
    const digest = (await claimDue(digests, now, '2026-11-21T10:00')).at(0);
    expect(digest?.members).toEqual(['billing-a-5xx', 'billing-b-5xx', 'billing-c-5xx']);

    // Fired at 10:03, inside the group; its Notify runs at 10:07 (a redrive), after the digest was claimed and sent.
    await digests.sent(digest!);
    const late = await firedAt(deps, '2026-11-21T10:03:00.000Z', 'billing-late-5xx', '2026-11-21T10:07:00.000Z');

    // On-call has the storm page: the late alarm takes its place in the group as on time (counted on that page) and is
    // named on the group's next digest, which the reconciler's next run sends.
    expect(published).toHaveLength(2);
    expect(late.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('next digest') });
    const next = await claimDue(digests, new Date('2026-11-21T10:10:00.000Z'), '2026-11-21T10:00');
    expect(next.map((d) => d.members)).toEqual([[expect.stringContaining('continues'), 'billing-late-5xx']]);
  });

  it('names the alarms of a group on its next digest once its digest names as many as it can remember (1,000)', async () => {
    const { deps, published, digests } = overTheLedger();
    await firedAt(deps, '2026-11-22T10:00:00.000Z', 'stock-a-5xx');
    // The group's digest item names as many alarms as it can remember but one (a storm of 999 alarms so far).
    await fillGroupDigest('2026-11-22T10:00:00.000Z', MAX_SEEN_PER_WINDOW - 1);

    await firedAt(deps, '2026-11-22T10:01:00.000Z', 'stock-b-5xx');
    await firedAt(deps, '2026-11-22T10:02:00.000Z', 'stock-c-5xx');

    // The lead's page and the storm page; the digest names the first 1,000 alarms and the group's next digest the rest.
    expect(published).toHaveLength(2);
    const sent = await claimDue(digests, new Date('2026-11-22T10:06:00.000Z'), '2026-11-22T10:00');
    expect(sent.map((d) => d.members?.length)).toEqual([MAX_SEEN_PER_WINDOW, 2]);
    expect(sent[0]?.members).toContain('stock-b-5xx');
    expect(sent[1]?.members).toContain('stock-c-5xx');
  });


  it("names a composite alarm whose child's group digest names as many alarms as it can remember on the group's next digest", async () => {
    const { deps, published, digests } = overTheLedger();
    await firedAt(deps, '2026-11-23T10:00:00.000Z', 'ship-a-5xx');
    await fillGroupDigest('2026-11-23T10:00:00.000Z', MAX_SEEN_PER_WINDOW);

    // A composite naming the child that led the group fires a minute later.
    const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(compositeEvent('g42', '2026-11-23T10:01:00.000+0000', [['ship-a-5xx', '2026-11-23T10:00:00.000+0000']], 'ship-service-health')));
    deps.clock = () => new Date('2026-11-23T10:01:00.000Z');
    for (const step of [classifyStep, analyzeStep, remediateStep, notifyStep]) await step({ trigger }, deps);

    // The child's group digest can name no more: not counted there, the composite joins the group as any alarm (its
    // second: grouped, no page) and is named on the group's next digest.
    expect(published.map((m) => m.subject)).toEqual([expect.stringContaining('ship-a-5xx')]);
    const composite = (await deps.incidents.get(trigger.incidentId))!;
    expect(composite.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('next digest') });
    const sent = await claimDue(digests, new Date('2026-11-23T10:06:00.000Z'), '2026-11-23T10:00');
    expect(sent.filter((d) => d.members?.includes('ship-service-health')).map((d) => d.problemKey)).toEqual(['alarm-group:2026-11-23T10:00:00.000Z:digest:2']);
  });

  it("sends the storm page for a group's third alarm handled after its digest went, saying the group's next digest names the rest", async () => {
    const { deps, published, digests } = overTheLedger();
    await firedAt(deps, '2026-11-25T10:00:00.000Z', 'cart-a-5xx');
    await firedAt(deps, '2026-11-25T10:01:00.000Z', 'cart-b-5xx');
    const digest = (await claimDue(digests, new Date('2026-11-25T10:06:00.000Z'), '2026-11-25T10:00')).at(0);
    await digests.sent(digest!);

    // Fired at 10:02, handled at 10:07: the group's third alarm, a storm on-call has not heard of yet.
    await firedAt(deps, '2026-11-25T10:02:00.000Z', 'cart-c-5xx', '2026-11-25T10:07:00.000Z');

    expect(published.map((m) => m.subject)).toEqual([expect.stringContaining('cart-a-5xx'), expect.stringContaining('[ALARM STORM')]);
    expect(published[1]?.message).toContain("the group's digests name them all (the next one at the reconciler's next run)");
  });

  it('pages once for an outage no group paged, handled after a newer group opened, and groups the rest of it with that page', async () => {
    const { deps, published, digests } = overTheLedger();
    await firedAt(deps, '2026-11-27T10:10:00.000Z', 'pay-new-5xx');
    // An earlier outage's alarms, never handled on time (a backlog drained at 10:12), and one that fired 4 minutes before the newer group.
    const late = [['10:00', 'pay-a-5xx'], ['10:01', 'pay-b-5xx'], ['10:02', 'pay-c-5xx'], ['10:03', 'pay-d-5xx'], ['10:06', 'pay-e-5xx']] as const;
    const handled = [];
    for (const [minute, name] of late) handled.push(await firedAt(deps, `2026-11-27T${minute}:00.000Z`, name, '2026-11-27T10:12:00.000Z'));

    // Nothing had paged about the earlier outage: its first alarm pages and leads a group at its own time, whose third
    // sends the storm page; the alarm of 10:06 is grouped with the newer group's page, which on-call has.
    expect(published.map((m) => m.subject)).toEqual([
      expect.stringContaining('pay-new-5xx'), expect.stringContaining('pay-a-5xx'), expect.stringMatching(/ALARM STORM: 3 alarms.*pay-c-5xx/),
    ]);
    expect(handled[4]?.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'skipped', detail: expect.stringContaining('grouped with the alarm page at 2026-11-27T10:10:00.000Z') });
    const sent = await claimDue(digests, new Date('2026-11-27T10:16:00.000Z'), '2026-11-27T10:');
    expect(sent.map((d) => d.members)).toEqual([['pay-a-5xx', 'pay-b-5xx', 'pay-c-5xx', 'pay-d-5xx'], ['pay-e-5xx', 'pay-new-5xx']]);
  });

  it('pages as its own an alarm handled more than half an hour after its group ended', async () => {
    const { deps, published } = overTheLedger();
    await firedAt(deps, '2026-11-28T10:00:00.000Z', 'tax-a-5xx');
    await firedAt(deps, '2026-11-28T10:06:00.000Z', 'tax-b-5xx');
    // Fired inside the first group, handled 36 minutes after it ended: its digest may be past the reconciler's look-back.
    const late = await firedAt(deps, '2026-11-28T10:01:00.000Z', 'tax-late-5xx', '2026-11-28T10:41:00.000Z');

    expect(published.map((m) => m.subject)).toEqual([expect.stringContaining('tax-a-5xx'), expect.stringContaining('tax-b-5xx'), expect.stringContaining('tax-late-5xx')]);
    expect(late.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'published' });
  });

  it("sends the storm page for a group's third alarm at its end when its second fired a minute before its lead", async () => {
    const { deps, published } = overTheLedger();
    await firedAt(deps, '2026-11-29T10:00:00.000Z', 'fee-a-5xx');
    // Handled after the lead (concurrent Notifies), fired a minute before it: the group's second.
    await firedAt(deps, '2026-11-29T09:59:00.000Z', 'fee-b-5xx', '2026-11-29T10:00:10.000Z');
    const third = await firedAt(deps, '2026-11-29T10:05:00.000Z', 'fee-c-5xx');

    expect(published.map((m) => m.subject)).toEqual([expect.stringContaining('fee-a-5xx'), expect.stringMatching(/ALARM STORM: 3 alarms.*fee-c-5xx/)]);
    expect(third.notifications.filter((n) => n.channel === 'sns').at(-1)).toMatchObject({ outcome: 'published' });
  });
});

/*
 * Session 41, in a deployment of their own: the tests above leave its alarm group with a start ahead of the wall clock
 * (their alarms of late November), which an alarm of these tests, dated before the wall clock, would be late for.
 */
describe('alarm group digests: late joins and split digests', () => {
  const late = scratchStoreForFile('alarm-group-digests-late');

  it("counts a late alarm on its own group, not the newer one, and its storm page says how many alarms its group has (session 41)", async () => {
    const { deps, published } = overTheLedger(late.store);
    await firedAt(deps, '2026-11-18T10:00:00.000Z', 'late-a-5xx');
    await firedAt(deps, '2026-11-18T10:10:00.000Z', 'late-new-5xx');
    // The first group's second and third alarms, handled late (a backlog drained at 10:12), after the newer group opened.
    await firedAt(deps, '2026-11-18T10:01:00.000Z', 'late-b-5xx', '2026-11-18T10:12:00.000Z');
    await firedAt(deps, '2026-11-18T10:02:00.000Z', 'late-c-5xx', '2026-11-18T10:12:00.000Z');
    // The newer group's second and third alarms, on time.
    await firedAt(deps, '2026-11-18T10:11:00.000Z', 'late-new-b-5xx', '2026-11-18T10:12:30.000Z');
    await firedAt(deps, '2026-11-18T10:12:00.000Z', 'late-new-c-5xx', '2026-11-18T10:12:40.000Z');

    // Each group's storm page names its own three alarms: the late ones fired in the first group, not the newer.
    expect(published.map((m) => m.subject)).toEqual([
      expect.stringContaining('late-a-5xx'), expect.stringContaining('late-new-5xx'),
      expect.stringMatching(/ALARM STORM: 3 alarms.*late-c-5xx/), expect.stringMatching(/ALARM STORM: 3 alarms.*late-new-c-5xx/),
    ]);
    // Handled after its group ended: its digest is due already (not "at 10:05"), and the count is the group's own.
    expect(published[2]?.message).toContain(
      "This is an alarm storm: 3 alarms of this deployment fired within 5 minutes of the alarm page at 2026-11-18T10:00:00.000Z; the ones handled late are counted on this page, and its digest, sent by the reconciler's next run, names them all.",
    );
    expect(published[3]?.message).toContain('This is an alarm storm: 3 alarms of this deployment fired within 5 minutes of the alarm page at 2026-11-18T10:10:00.000Z');
  });

  it("sends only the messages a split digest had not published when its second message failed (session 41)", async () => {
    const { deps, digests } = overTheLedger(late.store);
    await firedAt(deps, '2026-11-19T10:00:00.000Z', 'split-a-5xx');
    await firedAt(deps, '2026-11-19T10:01:00.000Z', 'split-b-5xx');
    // 1,000 names of 250 characters: more than 100 KB, so the digest goes out as three messages.
    await fillGroupDigest('2026-11-19T10:00:00.000Z', MAX_SEEN_PER_WINDOW, (i) => `filler-${String(i).padStart(4, '0')}-${'x'.repeat(238)}`, late.store);
    const published: EscalationMessage[] = [];
    let failNext = true;
    const publish = async (message: EscalationMessage) => {
      // The test before left digests of its own groups due as well: they go out, and are not looked at.
      if (!message.chat?.id?.includes('2026-11-19T10:00')) return { messageId: 'another-group' };
      // The second message of the first try is throttled; every other publish goes out.
      if (failNext && published.length === 1) {
        failNext = false;
        throw new Error('Throttling: Rate exceeded');
      }
      published.push(message);
      return { messageId: `m-${published.length}` };
    };
    const reconcilerDeps = { digests, incidents: deps.incidents, escalations: { publish }, logger: deps.logger, metrics: deps.metrics };
    const first = await sendDueDigests({ ...reconcilerDeps, clock: () => new Date('2026-11-19T10:06:00.000Z') }, { maxPerRun: 10, lookbackHours: 48 });
    expect(first.failed).toEqual(['alarm-group:2026-11-19T10:00:00.000Z:digest']);
    const retried = await sendDueDigests({ ...reconcilerDeps, clock: () => new Date('2026-11-19T10:30:00.000Z') }, { maxPerRun: 10, lookbackHours: 48 });
    expect(retried.sent).toEqual(['alarm-group:2026-11-19T10:00:00.000Z:digest']);

    // Each of the three messages reached on-call once: the retry sent the two the first try had not.
    expect(published.map((m) => /\((\d) of 3\)/.exec(m.subject)?.[1])).toEqual(['1', '2', '3']);
    const named = published.flatMap((m) => /Counted in this window[^:]*: (.*)\.$/m.exec(m.message)?.[1]?.split(', ') ?? []);
    expect(named).toHaveLength(MAX_SEEN_PER_WINDOW);
    expect(new Set(named).size).toBe(MAX_SEEN_PER_WINDOW);
  });
});


/**
 * The digest item of the group that started at `start`, made to name `size` alarms (fillers added to its own), each
 * filler named `fillerName(i)` in the digest; in `over`, this file's store unless named.
 */
async function fillGroupDigest(start: string, size: number, fillerName = (i: number) => `filler-${i}`, over: ScratchStore = store) {
  const key = escalationLedgerKey(`alarm-group:${start}:digest`);
  const { Item: item } = await over.documents().send(new GetCommand({ TableName: 'incidents', Key: key }));
  const own = [...((item?.seen as Set<string> | undefined) ?? [])];
  const filler = Array.from({ length: size - own.length }, (_, i) => `filler-${i}`);
  await over.documents().send(new PutCommand({
    TableName: 'incidents',
    Item: { ...item, ...key, windowCount: size, total: size, seen: new Set([...own, ...filler]), members: new Set([...((item?.members as Set<string> | undefined) ?? []), ...filler.map((_, i) => fillerName(i))]) },
  }));
}