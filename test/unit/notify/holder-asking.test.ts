import { describe, expect, it, vi } from 'vitest';
import { holderAsking } from '../../../shared/notify/approval-groups.js';
import { shortHash } from '../../../shared/domain/trigger.js';
import { RetryableError } from '../../../shared/errors.js';
import { createMemoryEscalationLedger, steppedTime } from '../../support/fakes.js';

/** A holder of its problem's claim that has not decided how its request is asked, its Notify ending at `decidesBy`. */
const holder = (decidesBy?: number) => ({
  id: 'inc-holder',
  history: [],
  approval: { status: 'pending' as const, taskToken: 'tok-holder', requestedAt: '2026-11-21T10:00:00.000Z', decidedAt: null, decidedBy: null, reason: null, ...(decidesBy ? { decidesBy: new Date(decidesBy).toISOString() } : {}) },
});

/**
 * `act` with the real timers refused: the wait runs on the deps' clock and sleeps through them (session 45), so a case
 * takes no real time whatever it waits; a wait that slept in real time (setTimeout, as before) fails at once.
 */
async function withoutRealTimers<T>(act: () => Promise<T>): Promise<T> {
  const refuse = () => {
    throw new Error('a real timer was armed: the wait must sleep through deps.sleep, on deps.clock');
  };
  const timers = [vi.spyOn(globalThis, 'setTimeout').mockImplementation(refuse as never), vi.spyOn(globalThis, 'setInterval').mockImplementation(refuse as never)];
  try {
    return await act();
  } finally {
    for (const timer of timers) timer.mockRestore();
  }
}

describe('holderAsking (attack-46a A4)', () => {
  it('waits for an undecided holder until the end of its invocation, by the clock', async () => {
    // Prepare
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const started = time.clock().getTime();

    // Act
    const asking = await withoutRealTimers(() => holderAsking(holder(started + 500), 'tok-holder', { escalationLedger, ...time }));

    // Assess: taken to have died once its invocation ended, not after a count of reads nor the 10 s fallback.
    expect(asking).toBeNull();
    expect(time.clock().getTime() - started).toBeGreaterThanOrEqual(450);
    expect(time.clock().getTime() - started).toBeLessThan(3_000);
  });

  it("fails with RetryableError rather than take over a holder that may outlive this invocation", async () => {
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const now = time.clock().getTime();
    await expect(withoutRealTimers(() => holderAsking(holder(now + 60_000), 'tok-holder', { escalationLedger, ...time, invocationEndsAt: now + 30_000 }))).rejects.toBeInstanceOf(RetryableError);
  });

  it('answers alone once the publish mark of the holder’s request appears during the wait', async () => {
    // Prepare: the holder e-mails its request (claimed, then its publish begun) 300 ms into the wait.
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const occurrence = {
      key: `approval:inc-holder:${shortHash('tok-holder')}`, incidentId: 'inc-holder', at: time.clock(), windowMinutes: 60, mayOpen: true, label: 'approval request', digest: false,
    };
    time.after(300, () => void escalationLedger.record(occurrence).then(() => escalationLedger.publishing(occurrence, true)));

    // Act
    const asking = await withoutRealTimers(() => holderAsking(holder(time.clock().getTime() + 5_000), 'tok-holder', { escalationLedger, ...time }));

    // Assess
    expect(asking).toEqual({ alone: true });
  });
});
