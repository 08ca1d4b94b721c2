import { describe, expect, it, vi } from 'vitest';
import { parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { alarmTriggerAt, askedAt, mailedTokens, pauseLedgerRecord, releaseAfterFirstRead } from '../support/alarm-approvals.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';

/*
 * attack-45a, target 3: `mailedAlone(holder)` (shared/steps/notify.ts, session 43) reads the holder's request ledger
 * item instead of its timeline to decide whether a later request of the same alarm may be counted on the holder's.
 */
const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));

describe('attack-45a: a later request of the same alarm while the holder is still e-mailing its own', () => {
  // attack-45a finding A2 (medium) (fixed, session 43): shared/steps/notify.ts mailApprovalRequest counts a request on the holder's only
  // when `mailedAlone(holder)` finds the holder's request ledger item marked (`publishing`/`published`). The holder
  // writes that mark only in publishApprovalRequest, AFTER its problem claim, its group's ledger record and its request's
  // own `record`: in a normal storm (no crash, no failure) a second ALARM of the same alarm whose Notify runs in that
  // gap finds no mark, takes the problem's window over, and e-mails its own request (or, 29 s later as here, puts it on the holder's group digest, e-mailed at the group's end), while the holder goes on and
  // e-mails its own: on-call is asked twice for one problem, and the holder's answer is no longer carried to it. The
  // timeline check it replaced (`isGroupedRequest`) counted it on the holder. Required: a holder whose request is
  // still being made (claimed, not grouped, no outcome yet) holds: count on it (e.g. treat "owner of the problem
  // claim, no approval_grouped and no request outcome yet" as e-mailed alone, or mark the intent at the claim).
  it('e-mails on-call once: the second ALARM is counted on the request the holder is still e-mailing', async () => {
    const { deps, published } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
    // The holder pauses (no failure) at its request's own ledger record, after its problem claim.
    const { paused, release } = pauseLedgerRecord(deps, (occurrence) => occurrence.key.startsWith(`approval:${occurrence.incidentId}:`));
    const holder = askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    await vi.waitFor(() => expect(paused()).toBe(true));

    // The same alarm's next ALARM, 29 s later, is handled meanwhile; then the holder goes on.
    const second = await askedAt(deps, '2026-11-20T10:03:41.000Z', 'token-2');
    release();
    await holder;

    // Required: the second request is counted on the holder's (asked once): not taken over and e-mailed or put on
    // the group's digest (which the reconciler e-mails at the group's end, a second ask of the same problem).
    expect(mailedTokens(published)).toEqual(['token-1']);
    expect((await deps.incidents.get(second.incidentId))?.notifications.at(-1)?.detail).toMatch(/^counted on the open approval request/);
  });

  // Session 43 review, defect 1 (fixed, session 44): the gap before A2's, between the holder's problem claim and its
  // group's record (whether it is asked alone, as the group's lead, or grouped). Its request's ledger item has no mark
  // yet and the group's lead item names another incident or none, so the second ALARM took the claim over and was
  // asked itself: as the lead of a group the holder then joined, e-mailed at once, and the holder's request by the
  // group's digest. Required: the second ALARM waits for the holder's decision and is counted on it (alone, as here).
  it("e-mails on-call once: the second ALARM handled between the holder's problem claim and its group record is counted", async () => {
    const { deps, published } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
    const holderAt = '2026-11-20T10:03:12.000Z';
    const holderId = alarmTriggerAt(holderAt).incidentId;
    const { paused, release } = pauseLedgerRecord(deps, (occurrence) => occurrence.key === 'approval-group' && occurrence.incidentId === holderId);
    const holder = askedAt(deps, holderAt, 'token-1');
    await vi.waitFor(() => expect(paused()).toBe(true));

    // The holder goes on 300 ms after the second ALARM first reads it (far longer than either Notify takes here), on
    // the steps' clock, which the second's wait moves on (session 45).
    releaseAfterFirstRead(deps, holderId, 300, release);
    const second = await askedAt(deps, '2026-11-20T10:03:41.000Z', 'token-2');
    release();
    await holder;

    expect(mailedTokens(published)).toEqual(['token-1']);
    expect((await deps.incidents.get(second.incidentId))?.notifications.at(-1)?.detail).toMatch(/^counted on the open approval request/);
  });
});
