import { describe, expect, it } from 'vitest';
import { notifyStep } from '../../shared/steps/notify.js';
import { alarmTriggerAt, checkoutRunbookDeps, diedAfterPublish, failingPublish, mailedTokens } from '../support/alarm-approvals.js';

/*
 * attack-45a, target 3: the approval request's publish marks (session 43: `publishing` written before the publish,
 * taken back on a publish error; `lastSent` answering `{ at, certain }`).
 */
const runbookDeps = checkoutRunbookDeps;

describe('attack-45a: the publish mark of an approval request e-mailed again with its own token', () => {
  // attack-45a finding A1 (medium) (fixed, session 43): shared/notify/approval-mail.ts publishApprovalRequest takes its `publishing` mark
  // back on a publish error with an unconditional REMOVE (shared/stores/escalation-ledger.ts markPublish, `REMOVE #mark`
  // under `#owner = :id` only). When the same token's request is sent a second time (the ledger's resend: the local
  // runtime restarted the execution, which keeps its token, after the first attempt died between its publish and
  // `published`), a failure of that second publish erases the mark the FIRST attempt left, whose e-mail went out. The
  // state machine's retry (token-2) then reads `lastSent(token-1)` = null and its e-mail says nothing of the earlier
  // one on-call holds, whose commands no longer work: exactly what session 43's mark was for. Required: the take-back
  // removes only its own mark (conditional on `publishingAt = :at`, or kept once an earlier send of the window began),
  // so the retry's e-mail says it may replace the earlier request.
  it("keeps the first e-mail's trace when a resend with the same token fails to publish: the retry's e-mail says it may replace it", async () => {
    const { deps, published } = runbookDeps();
    // 1. token-1's request is e-mailed; the function dies before the ledger marks it published (never answers).
    await diedAfterPublish(deps, published, '2026-11-20T10:03:12.000Z', 'token-1');

    // 2. The execution restarted with its token (local runtime): token-1's request is sent again, and SNS fails it.
    const sns = failingPublish(deps);
    deps.clock = () => new Date('2026-11-20T10:04:00.000Z');
    await expect(notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-1' } }, deps)).rejects.toThrow('SNS is down');
    sns.heal();

    // 3. The state machine retries the failed attempt with a new token.
    deps.clock = () => new Date('2026-11-20T10:04:10.000Z');
    await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: 'token-2' } }, deps);

    // Required: on-call holds token-1's e-mail; token-2's says it may replace it.
    expect(mailedTokens(published)).toEqual(['token-1', 'token-2']);
    expect(published[1]!.subject).toMatch(/^\[Pipeline Guard\] \[(MAY REPLACE|REPLACES) EARLIER\] /);
  });

  // Its control, the only publish failing (its mark taken back, the retry replaces nothing), is the last test of
  // test/unit/steps/mailed-request-retried.test.ts: one test of that scenario since session 44.
});
