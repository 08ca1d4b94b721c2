import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { type AnalysisSummary, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import type { GithubTrigger } from '../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryGuardStore, createMemoryRerunLedger, remediationDeps, stepDeps } from '../support/fakes.js';

/**
 * Attack pass 9, findings 5 and 6. A workflow on an event anyone can cause (`on: [push, issues]`, a triage bot that
 * calls an API) fails whenever an outsider's issue makes it time out, or its log (which echoes the issue) reads as a
 * network error; the guard re-runs such a failure automatically. Such re-runs used up what the repository's own
 * failures need:
 * - finding 5. Was: each took one of the repository's automatic-action slots (10 an hour, 50 a day by default), so
 *   ten issues an hour left the repository's own transient failures on `main` and its pull requests unre-run ("rate
 *   limit: 10 automatic actions in the last hour") and explained or paged instead.
 * - finding 6. Was: the `issues` run on `main` has `main`'s head commit, and the cap of automatic re-runs per workflow
 *   and commit (AUTO_RERUN_MAX, 1) was shared with the push's run of that commit: one issue opened after each push
 *   left the push's transient failure "already re-run automatically for this commit: needs a human", paging on-call.
 * Required: runs an outsider can repeat take their slots and their re-runs per commit from allowances of their own,
 * as their comments and model analyses do; the repository's circuit breaker still applies to them.
 */
const TRANSIENT: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the npm registry timed out', fix: ['re-run'], confidence: 0.8,
  proposedAction: 'rerun_failed_jobs', rationale: 'network errors are usually transient', evidence: [], latencyMs: 1,
};

/** A failed run of the workflow on main, of `event`, at a head commit named by `commit`. */
function failedRun(runId: number, event: string, commit: string): GithubTrigger {
  const body = structuredClone(loadWebhook('workflow_run-failure').body) as Record<string, any>;
  const headSha = createHash('sha1').update(commit).digest('hex');
  Object.assign(body.workflow_run, { id: runId, event, head_branch: 'main', pull_requests: [], head_sha: headSha });
  return triggerFromWorkflowRun(body as never, `delivery-${runId}`);
}

describe("re-runs of runs an outsider can repeat and the repository's own", () => {
  let github: ReturnType<typeof createFakeGitHub>;
  let deps: ReturnType<typeof stepDeps>['deps'];
  beforeEach(() => {
    github = createFakeGitHub();
    ({ deps } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation: remediationDeps({ guards: createMemoryGuardStore() }) }));
  });

  /** Remediates the failed run's incident, classified transient; the incident as remediate leaves it. */
  async function remediated(trigger: GithubTrigger) {
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', fingerprint: 'fp-net', analysis: TRANSIENT, failureLines: [{ line: 3, text: 'npm ERR! code ETIMEDOUT' }] }, deps.clock()),
      githubIncidentScope(trigger),
    );
    await remediateStep({ trigger }, deps);
    return deps.incidents.get(trigger.incidentId);
  }
  const reruns = () => github.calls.filter((c) => c.method === 'rerunFailedJobs');

  it("leave the repository's own failure a slot of the hour (finding 5)", async () => {
    // Prepare: an outsider's issues fail the `issues` workflow ten times within the hour; the guard re-runs each
    for (let run = 1; run <= 10; run += 1) await remediated(failedRun(7_000 + run, 'issues', `${run}`));

    // Act: a push to main fails with a transient error
    const own = await remediated(failedRun(8_000, 'push', 'push'));

    // Assert: it is re-run; the outsider's runs took their own slots
    expect(own?.decision, own?.plan?.reasons.join('; ')).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(reruns()).toHaveLength(11);
  });

  it("leave the push's run of the same commit its automatic re-run (finding 6)", async () => {
    // Prepare: right after a push to main, an outsider's issue fails the same workflow on main's head commit, and
    // the guard re-runs it
    await remediated(failedRun(7_001, 'issues', 'same'));

    // Act: the push's run of that commit fails with a transient error
    const own = await remediated(failedRun(8_000, 'push', 'same'));

    // Assert: it is re-run too
    expect(own?.decision, own?.plan?.reasons.join('; ')).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(reruns()).toHaveLength(2);
  });
});
