import { describe, expect, it } from 'vitest';
import { type AnalysisSummary, newIncident } from '../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import type { GithubTrigger } from '../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { remediateStep } from '../../shared/steps/remediate.js';
import { createFakeGitHub, createMemoryRerunLedger, remediationDeps, stepDeps } from '../support/fakes.js';
import { SimulatedCrash, incidentsKilledOnResolving } from '../support/failing-writes.js';
import { pullRequestFailure } from '../support/late-deliveries.js';

const TRANSIENT: AnalysisSummary = {
  provider: 'scripted', model: null, rootCause: 'the npm registry timed out', fix: ['re-run'], confidence: 0.9,
  proposedAction: 'rerun_failed_jobs', rationale: 'network errors are usually transient', evidence: [], latencyMs: 1,
};

/** Pull request 7100's failed run `runId`, at commit `sha`, run number `runNumber`. */
function failed(runId: number, sha: string, runNumber: number): GithubTrigger {
  const hook = pullRequestFailure(runId, 7_100);
  const run = hook.body.workflow_run as Record<string, any>;
  Object.assign(run, { head_sha: sha, run_number: runNumber });
  run.pull_requests[0].head.sha = sha;
  return triggerFromWorkflowRun(hook.body as never, `delivery-${runId}`);
}

/**
 * Attack pass 16, F4 and a crash. `supersedeEarlierPushes` resolved the earlier push's failure first, then took its
 * proposal off the pull request's pending approvals. A Notify killed between the two (a Lambda timeout, kill -9 of
 * `npm start`) is retried by Step Functions; the retry read the earlier failure resolved and skipped it (`older.status
 * !== 'resolved'`), so its proposal stayed in the pending set for the index's TTL (8 days), its incident still reading
 * `approval: pending` with its task token. `/guard approve` on the pull request then found two proposals waiting (the
 * stale one and the newer push's) and decided neither without an incident id; naming the stale one resumed a
 * superseded execution. Required: the retry finishes what the killed round began.
 *
 * Since session 39 the follow-up comes first: the proposal is taken, then the failure recorded superseded. A kill
 * between the two leaves the proposal gone and the failure still open, which the retry supersedes as any other.
 */
describe("a later push's failure whose Notify dies between taking the earlier one's proposal and superseding it", () => {
  it('leaves the earlier proposal off the pending approvals at once, and the retry supersedes it, notified once and paging nobody', async () => {
    const github = createFakeGitHub();
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } };
    const remediation = remediationDeps({ policyFile } as never);
    const { deps, published } = stepDeps({ github: github.port, reruns: createMemoryRerunLedger(), remediation });
    const prepare = async (trigger: GithubTrigger) => {
      await deps.incidents.create(
        newIncident({ ...githubIncidentFields(trigger, deps.clock()), status: 'analyzed', category: 'network', fingerprint: `fp-${trigger.workflowRun.id}`, analysis: TRANSIENT, failureLines: [{ line: 3, text: 'npm ERR! code ETIMEDOUT' }] }, deps.clock()),
        githubIncidentScope(trigger),
      );
      expect(await remediateStep({ trigger }, deps)).toMatchObject({ awaitingApproval: true });
    };

    // Commit A's run fails; the re-run waits for /guard approve on the pull request.
    const older = failed(71_000, 'a'.repeat(40), 482);
    await prepare(older);
    await notifyStep({ trigger: older, approvalRequest: { taskToken: 'token-a' } }, deps);
    const olderIncident = await deps.incidents.get(older.incidentId);
    const repo = { name: olderIncident!.repository!, id: olderIncident!.repositoryId };
    expect(await remediation.approvals.pending(repo, 7_100)).toEqual([older.incidentId]);

    // Commit B's run fails. Its Notify dies on the write that records A superseded (after A's proposal was taken).
    const newer = failed(71_002, 'b'.repeat(40), 483);
    await prepare(newer);
    const store = deps.incidents;
    deps.incidents = incidentsKilledOnResolving(store, older.incidentId);
    const comments = github.calls.filter((call) => call.method === 'upsertComment').length;
    await expect(notifyStep({ trigger: newer }, deps)).rejects.toThrow(SimulatedCrash);
    expect(await remediation.approvals.pending(repo, 7_100)).not.toContain(older.incidentId);
    expect((await store.get(older.incidentId))?.status).not.toBe('resolved');
    deps.incidents = store;

    // Step Functions retries the Notify.
    await notifyStep({ trigger: newer }, deps);

    expect(await remediation.approvals.pending(repo, 7_100)).not.toContain(older.incidentId);
    expect(await deps.incidents.get(older.incidentId)).toMatchObject({ status: 'resolved', supersededBy: expect.stringMatching(/^run 71002 /) });
    const notified = await deps.incidents.get(newer.incidentId);
    expect(notified?.status).toBe('notified');
    expect(notified?.history.filter((entry) => entry.event === 'notified')).toHaveLength(1);
    expect(github.calls.filter((call) => call.method === 'upsertComment')).toHaveLength(comments + 1);
    expect(published).toEqual([]);
  });
});
