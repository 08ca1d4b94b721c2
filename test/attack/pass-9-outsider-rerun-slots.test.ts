import { describe, expect, it } from 'vitest';
import { type AnalysisSummary, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import type { GithubTrigger } from '../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryGuardStore, createMemoryRerunLedger, remediationDeps, stepDeps } from '../support/fakes.js';

/**
 * Attack pass 9, finding 5. A workflow on an event anyone can cause (`on: issues`, a triage bot that calls an API) fails
 * whenever an outsider's issue makes it time out, or its log (which echoes the issue) reads as a network error; the
 * guard re-runs such a failure automatically. Was: each re-run took one of the repository's automatic-action slots
 * (10 an hour, 50 a day by default), so ten issues an hour left the repository's own transient failures on `main` and
 * its pull requests unre-run ("rate limit: 10 automatic actions in the last hour") and explained or paged instead.
 * Required: runs an outsider can repeat take their slots from a share of their own, as their comments and model
 * analyses do; the repository's circuit breaker still applies to them.
 */
const TRANSIENT: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the npm registry timed out', fix: ['re-run'], confidence: 0.8,
  proposedAction: 'rerun_failed_jobs', rationale: 'network errors are usually transient', evidence: [], latencyMs: 1,
};

function failedRun(runId: number, event: string): GithubTrigger {
  const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
  Object.assign(body.workflow_run, { id: runId, event, head_branch: 'main', pull_requests: [], head_sha: runId.toString(16).padStart(40, 'a') });
  return triggerFromWorkflowRun(body as never, `delivery-${runId}`);
}

describe("re-runs of runs an outsider can repeat and the repository's automatic-action slots", () => {
  it("leave the repository's own failure its re-run", async () => {
    // Prepare: an outsider's issues fail the `issues` workflow ten times within the hour; the guard re-runs each
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    const { deps } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ guards }) });
    const remediated = async (trigger: GithubTrigger) => {
      await deps.incidents.create(
        newIncident({ ...githubIncidentFields(trigger), status: 'analyzed', category: 'network', fingerprint: 'fp-net', analysis: TRANSIENT, failureLines: [{ line: 3, text: 'npm ERR! code ETIMEDOUT' }] }, deps.clock()),
        githubIncidentScope(trigger),
      );
      await remediateStep({ trigger }, deps);
      return deps.incidents.get(trigger.incidentId);
    };
    for (let run = 1; run <= 10; run += 1) await remediated(failedRun(7_000 + run, 'issues'));

    // Act: a push to main fails with a transient error
    const own = await remediated(failedRun(8_000, 'push'));

    // Assert: it is re-run; the outsider's runs took their own slots
    expect(own?.decision, own?.plan?.reasons.join("; ")).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(github.calls.filter((c) => c.method === 'rerunFailedJobs')).toHaveLength(11);
  });
});
