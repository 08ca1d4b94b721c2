import { describe, expect, it } from 'vitest';
import { stepDeps } from '../../support/fakes.js';
import { alarmPagedAt, recoveredAt } from '../../support/alarm-approvals.js';

const firedAt = alarmPagedAt;

const lastPage = (incident: Awaited<ReturnType<typeof firedAt>>) => incident.notifications.filter((n) => n.channel === 'sns').at(-1);

describe('alarm pages: a new episode pages again, a flap is counted', () => {
  it('pages again for an ALARM hours after the OK that resolved the paged incident', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');

    const again = await firedAt(deps, '2026-11-20T15:00:00.000Z');

    expect(published).toHaveLength(2);
    expect(lastPage(again)).toMatchObject({ outcome: 'published' });
  });

  it('counts an ALARM within 15 minutes of that OK on the page on-call has (a flap), and pages the ALARM after a quiet spell', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');

    const flap = await firedAt(deps, '2026-11-20T10:24:00.000Z');
    expect(published).toHaveLength(1);
    expect(lastPage(flap)).toMatchObject({ outcome: 'skipped', detail: expect.stringMatching(/^counted on the open escalation of this problem: seen 2 times/) });

    // The flap recovers; 25 minutes after the paged incident's OK the alarm fires again: a new episode.
    await recoveredAt(deps, '2026-11-20T10:27:00.000Z');
    await firedAt(deps, '2026-11-20T10:35:00.000Z');
    expect(published).toHaveLength(2);
  });

  it('counts an ALARM long after that OK while the flap counted since still fires (no OK after it)', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');
    await recoveredAt(deps, '2026-11-20T10:10:00.000Z');
    await firedAt(deps, '2026-11-20T10:20:00.000Z');

    // ALARM, INSUFFICIENT_DATA, ALARM: the alarm has not recovered since 10:20.
    await firedAt(deps, '2026-11-20T11:50:00.000Z');

    expect(published).toHaveLength(1);
  });

  it('counts an ALARM while the paged incident still fires (no OK between), however much later', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z');

    await firedAt(deps, '2026-11-20T16:00:00.000Z');

    expect(published).toHaveLength(1);
  });
});

describe('alarm pages: a group of alarms pages its lead and one storm page', () => {
  it('groups the second alarm with the first page, sends one storm page for the third, and counts the rest on it', async () => {
    const { deps, published } = stepDeps();
    const incidents = [];
    for (const [k, at] of ['10:00:00', '10:00:20', '10:01:00', '10:04:00'].entries()) incidents.push(await firedAt(deps, `2026-11-20T${at}.000Z`, `orders-${k}-5xx`));

    expect(published.map((p) => p.subject)).toEqual([expect.stringContaining('] [ALARM] orders-0-5xx'), expect.stringMatching(/^\[Pipeline Guard\] \[ALARM STORM: 3 alarms\] \[ALARM\] orders-2-5xx/)]);
    expect(published[0]?.message).toContain('grouped with this page');
    expect(incidents.map((i) => lastPage(i)?.detail)).toEqual([
      'm-1',
      expect.stringMatching(/^grouped with the alarm page at 2026-11-20T10:00:00.000Z/),
      'm-2',
      expect.stringMatching(/^counted on the alarm storm page of the group that started at 2026-11-20T10:00:00.000Z: alarm 4/),
    ]);
  });

  it('pages an alarm that fired long before the group started and reached Notify late (a wait, a redrive): the group never told of it', async () => {
    const { deps, published } = stepDeps();
    for (const [k, at] of ['10:00:00', '10:01:00', '10:02:00'].entries()) await firedAt(deps, `2026-11-20T${at}.000Z`, `orders-${k}-5xx`);
    expect(published).toHaveLength(2);

    // Fired at 08:00; its Notify runs at 10:03 (its pipeline was re-driven), while the 10:00 group is open.
    await firedAt(deps, '2026-11-20T08:00:00.000Z', 'orders-late-5xx', '2026-11-20T10:03:00.000Z');

    expect(published).toHaveLength(3);
    expect(published[2]?.subject).toContain('orders-late-5xx');
  });

  it('groups an alarm handled after the lead although it fired up to a minute before it (concurrent Notifies), and pages one fired earlier', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:30.000Z', 'orders-lead-5xx', '2026-11-20T10:00:40.000Z');
    // Fired 25 s before the lead, handled after it: the same outage, grouped with the lead's page.
    const early = await firedAt(deps, '2026-11-20T10:00:05.000Z', 'orders-early-5xx', '2026-11-20T10:00:41.000Z');
    expect(published).toHaveLength(1);
    expect(lastPage(early)?.detail).toMatch(/^grouped with the alarm page at 2026-11-20T10:00:30.000Z/);

    // Fired two minutes before the lead: not grouped on a page that was never about it.
    await firedAt(deps, '2026-11-20T09:58:30.000Z', 'orders-earlier-5xx', '2026-11-20T10:00:42.000Z');
    expect(published.map((p) => p.subject)).toEqual([expect.stringContaining('orders-lead-5xx'), expect.stringContaining('orders-earlier-5xx')]);
  });

  it('starts a new group five minutes after the first alarm of the last one', async () => {
    const { deps, published } = stepDeps();
    await firedAt(deps, '2026-11-20T10:00:00.000Z', 'orders-a-5xx');
    await firedAt(deps, '2026-11-20T10:01:00.000Z', 'orders-b-5xx');

    await firedAt(deps, '2026-11-20T10:05:30.000Z', 'orders-c-5xx');

    expect(published.map((p) => p.subject)).toEqual([expect.stringContaining('orders-a-5xx'), expect.stringContaining('[ALARM] orders-c-5xx')]);
  });

  it('pages an alarm stamped ahead of the clock as its own, and leaves the group to the real alarms', async () => {
    const { deps, published } = stepDeps();
    // Stamped a day ahead (a forged or replayed event, a wrong clock), handled at 10:00.
    await firedAt(deps, '2026-11-21T10:00:00.000Z', 'orders-skewed-5xx', '2026-11-20T10:00:00.000Z');

    await firedAt(deps, '2026-11-20T10:00:10.000Z', 'orders-a-5xx');
    const grouped = await firedAt(deps, '2026-11-20T10:01:00.000Z', 'orders-b-5xx');

    expect(published.map((p) => p.subject)).toEqual([expect.stringContaining('orders-skewed-5xx'), expect.stringContaining('orders-a-5xx')]);
    expect(lastPage(grouped)?.detail).toMatch(/^grouped with the alarm page at 2026-11-20T10:00:10.000Z/);
  });
});
