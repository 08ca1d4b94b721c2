import { describe, expect, it } from 'vitest';
import { guardHandoff } from '../../../shared/domain/handoff.js';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';
import { askedAt } from '../../support/alarm-approvals.js';

/** A high-severity runbook: its approval request is e-mailed to on-call (an alarm has no pull request). */
const runbooks = parseRunbookMappings(JSON.stringify([{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', severity: 'high' }]));

describe('a runbook rejected with the e-mailed command (attack pass 17, F6)', () => {
  it('pages nobody, on a retried round too, and records on-call, by e-mail, with the cause on one line', async () => {
    // Prepare: the request went out; on-call answers with send-task-failure --error ApprovalRejected --cause '…'.
    const { deps, published } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks }) });
    const trigger = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
    const rejection = { Error: 'ApprovalRejected', Cause: 'the deploy is\n  being rolled back by hand' };

    // Act: Notify's round after the wait ended, and a retry of it.
    await notifyStep({ trigger, approvalError: rejection }, deps);
    await notifyStep({ trigger, approvalError: rejection }, deps);

    // Assert: only the request was e-mailed; the rejection is on the record, and nobody needs to act.
    expect(published).toHaveLength(1);
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    const reason = 'on-call rejected "run the allow-listed runbook" by e-mail: the deploy is being rolled back by hand';
    expect(incident.approval).toMatchObject({ status: 'rejected', decidedBy: null, reason: 'the deploy is being rolled back by hand' });
    expect(incident.decision).toMatchObject({ action: 'comment_only', applied: false, reason });
    expect(incident.audit?.at(-1)).toMatchObject({ status: 'rejected', detail: reason });
    expect(guardHandoff(incident).mustAct).toBe(false);
  });
});
