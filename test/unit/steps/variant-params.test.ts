import { describe, expect, it } from 'vitest';
import type { AnalysisSummary, ExperimentAssignment } from '../../../shared/domain/incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import type { GithubTrigger } from '../../../shared/domain/trigger.js';
import type { VariantParams } from '../../../shared/experiments/params.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, remediationDeps, stepDeps } from '../../support/fakes.js';

/** The remediate step applies an experiment arm's re-run and escalation parameters, under the same guards. */
const FLAKY: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the npm registry timed out', fix: ['re-run'], confidence: 0.8,
  proposedAction: 'rerun_failed_jobs', rationale: 'network errors are usually transient', evidence: [], latencyMs: 1,
};

function trigger(): GithubTrigger {
  const event = structuredClone(loadWebhook('workflow_run-failure'));
  return triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

function assignment(action: ExperimentAssignment['action'], params: VariantParams): ExperimentAssignment {
  return { experimentId: 'rerun-vs-debug', variant: 'arm', action, params, key: 'k', assignedAt: '2026-11-20T09:59:00Z' };
}

async function seed(deps: ReturnType<typeof stepDeps>['deps'], t: GithubTrigger, experiment: ExperimentAssignment, analysis = FLAKY, category = 'network') {
  await deps.incidents.create(
    newIncident(
      { ...githubIncidentFields(t, deps.clock()), status: 'analyzed', category: category as never, fingerprint: 'fp-net', analysis, experiment, failureLines: [{ line: 3, text: 'npm ERR! code ETIMEDOUT' }] },
      deps.clock(),
    ),
    githubIncidentScope(t),
  );
}

const reruns = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => c.method === 'rerunFailedJobs').map((c) => c.args[2]);

describe('remediateStep: experiment arm parameters', () => {
  it('asks GitHub for debug logging in the arm that has enableDebugLogging, and not in the other', async () => {
    // Prepare
    const withDebug = createFakeGitHub();
    const without = createFakeGitHub();
    const a = stepDeps({ github: withDebug.port });
    const b = stepDeps({ github: without.port });
    const t = trigger();
    await seed(a.deps, t, assignment('rerun_failed_jobs', { enableDebugLogging: true }));
    await seed(b.deps, t, assignment('rerun_failed_jobs', {}));

    // Act
    await remediateStep({ trigger: t }, a.deps);
    await remediateStep({ trigger: t }, b.deps);

    // Assert
    expect(reruns(withDebug)).toEqual([{ expectedAttempt: 1, enableDebugLogging: true }]);
    expect(reruns(without)).toEqual([{ expectedAttempt: 1 }]);
    const decision = (await a.deps.incidents.get(t.incidentId))?.decision;
    expect(decision?.result).toContain('requested with debug logging');
    expect(decision?.reason).toContain('variant parameters: enableDebugLogging=true');
  });

  it('keeps debug logging under the guards: the kill switch still stops the re-run', async () => {
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: { defaults: { killSwitch: true } } }) });
    const t = trigger();
    await seed(deps, t, assignment('rerun_failed_jobs', { enableDebugLogging: true }));

    const result = await remediateStep({ trigger: t }, deps);

    expect(result.action).not.toBe('rerun_failed_jobs');
    expect(reruns(github)).toEqual([]);
  });

  it('returns awaitingDelay with the arm\'s seconds instead of re-running, then re-runs when called after the wait', async () => {
    // Prepare
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const t = trigger();
    await seed(deps, t, assignment('rerun_failed_jobs', { delaySeconds: 300 }));

    // Act
    const first = await remediateStep({ trigger: t }, deps);
    const before = reruns(github).length;
    const after = await remediateStep({ trigger: t, remediation: first }, deps);

    // Assert
    expect(first).toEqual({ incidentId: t.incidentId, action: 'rerun_failed_jobs', applied: false, awaitingApproval: false, awaitingDelay: true, delaySeconds: 300 });
    expect(before).toBe(0);
    expect(after).toMatchObject({ action: 'rerun_failed_jobs', applied: true, awaitingDelay: false });
    expect(reruns(github)).toHaveLength(1);
    const stored = await deps.incidents.get(t.incidentId);
    expect(stored?.history.map((h) => h.event)).toContain('rerun_delayed');
  });

  it('does not re-run after the wait when the incident recovered meanwhile', async () => {
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const t = trigger();
    await seed(deps, t, assignment('rerun_failed_jobs', { delaySeconds: 60 }));
    const first = await remediateStep({ trigger: t }, deps);
    await deps.incidents.update(t.incidentId, { status: 'resolved' });

    const after = await remediateStep({ trigger: t, remediation: first }, deps);

    expect(after).toMatchObject({ action: 'comment_only', applied: false, awaitingDelay: false });
    expect(reruns(github)).toEqual([]);
  });

  it('caps maxReruns at the policy\'s autoRerunMax and says so', async () => {
    // Prepare: the commit was already re-run once; the arm asks for 3, the deployment allows 1
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const t = trigger();
    const key = { repositoryId: 714523861, workflowId: 61835520, headSha: t.workflowRun.headSha };
    await deps.reruns.claim(key, { incidentId: 'earlier', runId: 1, nextAttempt: 2, max: 1 });
    await seed(deps, t, assignment('rerun_failed_jobs', { maxReruns: 3 }));

    // Act
    const result = await remediateStep({ trigger: t }, deps);

    // Assert
    expect(result.action).toBe('escalate');
    expect(reruns(github)).toEqual([]);
    const plan = (await deps.incidents.get(t.incidentId))?.plan;
    expect(plan?.reasons.join(' ')).toContain('the variant allows 3 automatic re-runs per commit; the policy caps them at 1');
  });

  it('allows a second re-run for an arm with maxReruns 2 when the deployment allows 2, and not for the default arm', async () => {
    const run = async (params: VariantParams) => {
      const github = createFakeGitHub();
      const { deps } = stepDeps({ github: github.port, env: { AUTO_RERUN_MAX: '2' } });
      const t = trigger();
      await deps.reruns.claim({ repositoryId: 714523861, workflowId: 61835520, headSha: t.workflowRun.headSha }, { incidentId: 'earlier', runId: 1, nextAttempt: 2, max: 2 });
      await seed(deps, t, assignment('rerun_failed_jobs', params));
      return (await remediateStep({ trigger: t }, deps)).action;
    };

    expect(await run({ maxReruns: 2 })).toBe('rerun_failed_jobs');
    expect(await run({ maxReruns: 1 })).toBe('escalate');
  });

  it('escalates a low-confidence comment in the arm with a higher escalateBelowConfidence only', async () => {
    const unsure = { ...FLAKY, confidence: 0.5, proposedAction: 'comment_only' as const };
    const run = async (params: VariantParams) => {
      const { deps } = stepDeps({ github: createFakeGitHub().port });
      const t = trigger();
      await seed(deps, t, assignment('comment_only', params), unsure, 'test_failure');
      return (await remediateStep({ trigger: t }, deps)).action;
    };

    expect(await run({ escalateBelowConfidence: 0.7 })).toBe('escalate');
    expect(await run({})).toBe('comment_only');
  });
});
