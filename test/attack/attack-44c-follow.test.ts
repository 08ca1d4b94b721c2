import { describe, expect, it } from 'vitest';
import { automationClientToken, parseRunbookMappings } from '../../shared/remediation/runbooks.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createEpisodeRunbookClaims } from '../../shared/stores/runbook-checks.js';
import { createMemoryIncidentDueList, createScriptedRunbookRunner, remediationDeps, scriptedAnalyzer, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { holderStartFailedForGood, twoAlarmsOfOneEpisode } from '../support/alarm-events.js';

/* Attack pass 44c on session 42's following of a dead runbook holder's run (D). */

const MEDIUM = [{ alarmNamePrefix: 'checkout-', document: 'Restart-Checkout-Api', parameters: {}, severity: 'medium' }];
const scratch = scratchStoreForFile('guard-a44c-claims');
const tokens = (runner: { started: Array<{ clientToken: string }> }) => runner.started.map((r) => r.clientToken);
let alarms = 0;

async function episode(status = 'Success', env: Record<string, string> = {}, policyFile: Record<string, unknown> = {}) {
  const runner = createScriptedRunbookRunner(status);
  const runbookChecks = createMemoryIncidentDueList();
  const { deps, published } = stepDeps({
    env,
    clock: () => new Date('2026-11-20T14:00:00Z'),
    analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }),
    remediation: remediationDeps({
      runbooks: parseRunbookMappings(JSON.stringify(MEDIUM)),
      policyFile,
      runner,
      runbookChecks,
      episodeRunbooks: createEpisodeRunbookClaims({ client: scratch.client, tableName: 'incidents' }),
    }),
  });
  const name = `checkout-a44c-${++alarms}`;
  const [first, second] = await twoAlarmsOfOneEpisode(deps, 'a44c', name);
  return { deps, published, runner, runbookChecks, first, second, name };
}

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
    console.log('S3 holder', holder?.status, holder?.decision?.action, holder?.decision?.result, '| starts', tokens(runner), '| second', later?.decision?.action, later?.decision?.reason, '|', later?.decision?.result, '| followedRun', later?.decision?.followedRun, '| pages', published.slice(before).map((p) => p.subject));
    // The holder's token is made sure of (the start the timeout may have made), and its outcome recorded somewhere.
    expect(tokens(runner)).toContain(automationClientToken(first.incidentId));
    expect(later?.decision?.followedRun?.holder).toBe(first.incidentId);
  });
});
