import { describe, expect, it } from 'vitest';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { alarmTriggerAt, askedAt, mailedTokens } from '../../support/alarm-approvals.js';
import { createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';

/*
 * Session 42, gap 2 (found, not fixed: see the session's report). An approval request e-mailed to on-call by Notify
 * (AwaitApproval, `lambda:invoke.waitForTaskToken`) whose attempt then fails (here the request's last write, the
 * record of the e-mail: throttled, the write budget, a Lambda timeout) is retried by the state machine with a new
 * task token, as Step Functions gives a retried attempt. The path: requestApproval -> mailApprovalRequest ->
 * publishApprovalRequest published the e-mail with token-1 (its ledger item is per token), then
 * `incidents.update(notifications, approval_requested)` threw; the retry (token-2) writes the approval pending with
 * token-2 and, its ledger item being another token's, e-mails a second request. The first e-mail's commands
 * (`aws stepfunctions send-task-success --task-token token-1`) go to Step Functions directly, which refuses the spent
 * token: the guard never sees that answer, so the carried-decision rule (shared/remediation/approval-resume.ts), which
 * works on decisions the guard records, cannot reach it. On-call, told the task does not exist, may not answer the
 * second e-mail: the wait then times out and pages although on-call answered.
 */
const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }]));

describe('an e-mailed approval request whose Notify is retried after it e-mailed', () => {
  // Finding (session 42, gap 2): the first e-mail names the failed attempt's token, which answers nothing.
  it.fails("leaves on-call only e-mails whose commands answer the execution's wait", async () => {
    const { deps, published } = stepDeps({
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
      remediation: remediationDeps({ runbooks, runner: createScriptedRunbookRunner() }),
    });
    const update = deps.incidents.update.bind(deps.incidents);
    let recordFails = true;
    deps.incidents.update = async (id, fields, append) => {
      if (recordFails && append?.history?.some((entry) => entry.event === 'approval_requested')) {
        recordFails = false;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return update(id, fields, append);
    };

    // Act: the request with token-1; if its attempt fails, the state machine's retry asks with token-2.
    let waitsOn = 'token-1';
    const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1').then(() => null, (error: unknown) => error);
    if (first) {
      waitsOn = 'token-2';
      deps.clock = () => new Date('2026-11-20T10:03:20.000Z');
      await notifyStep({ trigger: alarmTriggerAt('2026-11-20T10:03:12.000Z'), approvalRequest: { taskToken: waitsOn } }, deps);
    }

    // Required: every e-mail on-call holds answers the wait the execution is in.
    expect(mailedTokens(published).length).toBeGreaterThan(0);
    expect(mailedTokens(published).every((token) => token === waitsOn)).toBe(true);
  });
});
