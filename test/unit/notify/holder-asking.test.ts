import { describe, expect, it } from 'vitest';
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

// The wait runs on the deps' clock and sleeps through them (session 45): each case takes milliseconds, not the seconds it waits.
const REAL_TIME_BOUND_MS = 1_000;

describe('holderAsking (attack-46a A4)', () => {
  it('waits for an undecided holder until the end of its invocation, by the clock', async () => {
    // Prepare
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const started = time.clock().getTime();
    const realStart = Date.now();

    // Act
    const asking = await holderAsking(holder(started + 500), 'tok-holder', { escalationLedger, ...time });

    // Assess: taken to have died once its invocation ended, not after a count of reads nor the 10 s fallback.
    expect(asking).toBeNull();
    expect(time.clock().getTime() - started).toBeGreaterThanOrEqual(450);
    expect(time.clock().getTime() - started).toBeLessThan(3_000);
    expect(Date.now() - realStart).toBeLessThan(REAL_TIME_BOUND_MS);
  });

  it("fails with RetryableError rather than take over a holder that may outlive this invocation", async () => {
    const escalationLedger = createMemoryEscalationLedger();
    const time = steppedTime();
    const now = time.clock().getTime();
    const realStart = Date.now();
    await expect(holderAsking(holder(now + 60_000), 'tok-holder', { escalationLedger, ...time, invocationEndsAt: now + 30_000 })).rejects.toBeInstanceOf(RetryableError);
    expect(Date.now() - realStart).toBeLessThan(REAL_TIME_BOUND_MS);
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
    const asking = await holderAsking(holder(time.clock().getTime() + 5_000), 'tok-holder', { escalationLedger, ...time });

    // Assess
    expect(asking).toEqual({ alone: true });
  });
});
