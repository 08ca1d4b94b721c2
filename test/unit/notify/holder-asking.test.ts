import { describe, expect, it } from 'vitest';
import { holderAsking } from '../../../shared/notify/approval-groups.js';
import { shortHash } from '../../../shared/domain/trigger.js';
import { RetryableError } from '../../../shared/errors.js';
import { createMemoryEscalationLedger } from '../../support/fakes.js';

/** A holder of its problem's claim that has not decided how its request is asked, its Notify ending at `decidesBy`. */
const holder = (decidesBy?: number) => ({
  id: 'inc-holder',
  history: [],
  approval: { status: 'pending' as const, taskToken: 'tok-holder', requestedAt: '2026-11-21T10:00:00.000Z', decidedAt: null, decidedBy: null, reason: null, ...(decidesBy ? { decidesBy: new Date(decidesBy).toISOString() } : {}) },
});

describe('holderAsking (attack-46a A4)', () => {
  it('waits for an undecided holder until the end of its invocation, by the clock', async () => {
    // Prepare
    const escalationLedger = createMemoryEscalationLedger();
    const started = Date.now();

    // Act
    const asking = await holderAsking(holder(started + 500), 'tok-holder', { escalationLedger });

    // Assess: taken to have died once its invocation ended, not after a count of reads nor the 10 s fallback.
    expect(asking).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("fails with RetryableError rather than take over a holder that may outlive this invocation", async () => {
    const escalationLedger = createMemoryEscalationLedger();
    const now = Date.now();
    await expect(holderAsking(holder(now + 60_000), 'tok-holder', { escalationLedger, invocationEndsAt: now + 30_000 })).rejects.toBeInstanceOf(RetryableError);
  });

  it('answers alone once the publish mark of the holder’s request appears during the wait', async () => {
    // Prepare: the holder e-mails its request (claimed, then its publish begun) 300 ms into the wait.
    const escalationLedger = createMemoryEscalationLedger();
    const occurrence = {
      key: `approval:inc-holder:${shortHash('tok-holder')}`, incidentId: 'inc-holder', at: new Date(), windowMinutes: 60, mayOpen: true, label: 'approval request', digest: false,
    };
    setTimeout(() => void escalationLedger.record(occurrence).then(() => escalationLedger.publishing(occurrence, true)), 300);

    // Act
    const asking = await holderAsking(holder(Date.now() + 5_000), 'tok-holder', { escalationLedger });

    // Assess
    expect(asking).toEqual({ alone: true });
  });
});
