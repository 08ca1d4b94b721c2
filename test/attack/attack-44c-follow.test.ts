import { describe, expect, it } from 'vitest';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { CHECKOUT_RUNBOOK, alarmEvent, holderStartFailedForGood, runbookEpisode } from '../support/alarm-events.js';
import { alarmEventSchema, alarmTriggerFromEvent } from '../../shared/domain/trigger.js';
import { analyzeStep } from '../../shared/steps/analyze.js';
import { classifyStep } from '../../shared/steps/classify.js';

/* Attack pass 44c on session 42's following of a dead runbook holder's run (D). */

const scratch = scratchStoreForFile('guard-a44c-claims');
const tokens = (runner: { started: Array<{ clientToken: string }> }) => runner.started.map((r) => r.clientToken);
let alarms = 0;

/** Two ALARMs of one episode of an automatic runbook's alarm, classified and analysed; the runner answers `status`. */
const episode = (status = 'Success', env: Record<string, string> = {}, policyFile: Record<string, unknown> = {}) => runbookEpisode(scratch.client, 'a44c', ++alarms, { status, env, policyFile });

describe('attack-44c D: a dead holder whose run the next ALARM does not plan to follow', () => {
  // Held: the breaker opened by the dead holder's unconfirmed start does not keep the next ALARM from following its run.
  it("follows the dead holder's unconfirmed run when the next ALARM's plan is escalate because the breaker opened", async () => {
    const { deps, published, runner, first, second } = await episode('Failed', {}, { defaults: { circuitBreaker: { minSamples: 1 } } });
    await holderStartFailedForGood(deps, first);
    const holder = await deps.incidents.get(first.incidentId);
    const before = published.length;
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const later = await deps.incidents.get(second.incidentId);
    console.log('held: breaker holder', holder?.status, holder?.decision?.action, holder?.decision?.result, '| starts', tokens(runner), '| second', later?.decision?.action, later?.decision?.reason, '|', later?.decision?.result, '| followedRun', later?.decision?.followedRun, '| pages', published.slice(before).map((p) => p.subject));
    // The holder's token is made sure of (the start the timeout may have made), and its outcome recorded somewhere.
    expect(tokens(runner)).toContain(automationClientToken(first.incidentId));
    expect(later?.decision?.followedRun?.holder).toBe(first.incidentId);
  });
});

describe('attack-44c D: a later ALARM whose own plan is not run_runbook', () => {
  // Held: an alarm's plan comes from its runbook mapping, not the analysis: a later ALARM analysed as `escalate` (confidence 0.3) still plans run_runbook and follows the dead holder's started run by its execution id, making no start.
  it("follows the dead holder's started run by its execution id when the next ALARM plans escalate", async () => {
    const runner = createScriptedRunbookRunner('Failed');
    let analyses = 0;
    const analyzer = {
      provider: 'scripted',
      async analyze() {
        analyses += 1;
        // The first ALARM's analysis proposes the runbook; the later one's is unsure.
        return { rootCause: 'r', fix: ['s'], confidence: analyses === 1 ? 0.85 : 0.3, proposedAction: analyses === 1 ? 'run_runbook' : 'escalate', rationale: 'r', evidence: [], provider: 'scripted', model: null };
      },
    } as never;
    const { deps, published } = stepDeps({
      clock: () => new Date('2026-11-20T14:00:00Z'),
      analyzer,
      remediation: remediationDeps({
        runbooks: parseRunbookMappings(JSON.stringify(CHECKOUT_RUNBOOK)),
        runner,
        runbookChecks: createMemoryIncidentDueList(),
        episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }),
      }),
    });
    const name = `checkout-a44c-${++alarms}`;
    const at = (minute: string) => `2026-11-20T10:${minute}:00.000+0000`;
    const [first, second] = [
      alarmEvent('a44c', 'ALARM', at('00'), { name }),
      alarmEvent('a44c', 'ALARM', at('07'), { name, previous: { value: 'INSUFFICIENT_DATA', at: at('05') } }),
    ].map((event) => alarmTriggerFromEvent(alarmEventSchema.parse(event)));
    await classifyStep({ trigger: first }, deps);
    await analyzeStep({ trigger: first }, deps);
    // The holder's start answers exec-1; reading its status is throttled on every try: it fails for good, notified.
    const status = deps.remediation.runner.status.bind(deps.remediation.runner);
    deps.remediation.runner.status = async () => {
      throw new Error('ThrottlingException: Rate exceeded');
    };
    for (let attempt = 0; attempt < 4; attempt += 1) await expect(remediateStep({ trigger: first }, deps)).rejects.toThrow('Rate exceeded');
    deps.remediation.runner.status = status;
    await notifyStep({ trigger: first, remediateError: { Error: 'Error', Cause: 'ThrottlingException: Rate exceeded' } }, deps);
    const holder = await deps.incidents.get(first!.incidentId);

    await classifyStep({ trigger: second }, deps);
    await analyzeStep({ trigger: second }, deps);
    const before = published.length;
    await remediateStep({ trigger: second }, deps);
    await notifyStep({ trigger: second }, deps);
    const later = await deps.incidents.get(second!.incidentId);
    console.log('held: escalate-analysis holder', holder?.status, holder?.runbookExecutionId, holder?.decision?.result, '| analyses', analyses, '| second audit', JSON.stringify(later?.audit?.map((a) => a.action)), '| decision', later?.decision?.action, later?.decision?.reason, '—', later?.decision?.result, '| followedRun', later?.decision?.followedRun, '| pages', published.slice(before).map((p) => p.subject));
    expect(holder?.status).toBe('notified');
    expect(holder?.runbookExecutionId).toBe('exec-1');
    expect(new Set(tokens(runner)).size).toBe(1);
    expect(later?.decision?.followedRun).toMatchObject({ holder: first!.incidentId, executionId: 'exec-1' });
  });
});
