import { describe, expect, it } from 'vitest';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createMemoryApprovalResumes, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { askedAt } from '../support/alarm-approvals.js';

/*
 * Session 42: the two gaps session 41 left in "one runbook run per alarm episode".
 * (1) An approved holder between its claim and its start marker (its rate-limit reservation): a second approved ALARM
 *     of the episode took the claim over and ran the runbook a second time.
 */

const HIGH = [{ alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'high' }];

/** An alarm whose runbook needs approval (high), e-mailed: its episode's first ALARM (10:03:12) and second (10:07) both asking. */
async function twoAskingIncidents() {
  const runner = createScriptedRunbookRunner();
  const { deps } = stepDeps({
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({ runbooks: parseRunbookMappings(JSON.stringify(HIGH)), runner }),
    approvalResumes: createMemoryApprovalResumes(),
  });
  const first = await askedAt(deps, '2026-11-20T10:03:12.000Z', 'token-1');
  const second = await askedAt(deps, '2026-11-20T10:07:00.000Z', 'token-2');
  return { deps, runner, first, second };
}

describe('session 42: an approved holder between its claim and its start', () => {
  it('runs once when the second approved ALARM is handled while the first reserves its rate-limit slot', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    let secondDone = false;
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId && !secondDone) {
        // The first holds the claim and has written nothing since: the second's approval is handled at this moment.
        secondDone = true;
        deps.clock = () => new Date('2026-11-20T10:09:01.000Z');
        await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);
      }
      return reserve(scope, limits, incidentId);
    };

    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    await remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps);

    // Before session 42: two runs (the first's status still said it waited, so it stood for nothing and the second took the claim over).
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(first.incidentId)]);
    expect((await deps.incidents.get(second.incidentId))?.decision).toMatchObject({ action: 'comment_only', reason: expect.stringContaining(first.incidentId) });
  });

  it('leaves the run to the next approved ALARM when the first approved one died in that gap on every try', async () => {
    const { deps, runner, first, second } = await twoAskingIncidents();
    const reserve = deps.remediation.guards.reserve.bind(deps.remediation.guards);
    deps.remediation.guards.reserve = async (scope, limits, incidentId) => {
      if (incidentId === first.incidentId) throw new Error('Task timed out');
      return reserve(scope, limits, incidentId);
    };
    deps.clock = () => new Date('2026-11-20T10:09:00.000Z');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expect(remediateStep({ trigger: first, approval: { approvedBy: 'oncall-ana' } }, deps)).rejects.toThrow('Task timed out');
    }
    await notifyStep({ trigger: first, approval: { approvedBy: 'oncall-ana' }, remediateError: { Error: 'Error', Cause: 'Task timed out' } }, deps);

    deps.clock = () => new Date('2026-11-20T10:10:00.000Z');
    await remediateStep({ trigger: second, approval: { approvedBy: 'oncall-ben' } }, deps);

    // Before session 42: no run at all (the first's decision that its step failed, written before it went to start the
    // runbook, read as the episode's run: "whose runbook failed ... counted on that run").
    expect(runner.started.map((r) => r.clientToken)).toEqual([automationClientToken(second.incidentId)]);
  });
});
