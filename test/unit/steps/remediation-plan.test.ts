import { Webhooks } from '@octokit/webhooks';
import { describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../../shared/domain/incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { alarmTriggerFromEvent, alarmEventSchema } from '../../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { parseRunbookMappings } from '../../../shared/remediation/runbooks.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { recordAlarmRecovery } from '../../../shared/steps/record-outcome.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';
import { loadAlarmEvent, loadWebhook, signWebhook } from '../../../infra/local/replay.js';
import { TaskTokenSpentError } from '../../../shared/errors.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import type { ApprovalResumes } from '../../../shared/stores/approval-resumes.js';
import { resumeDecisionsAt } from '../../support/alarm-approvals.js';
import { createFakeGitHub, createMemoryCommandAnswers, createMemoryGuardStore, createScriptedRunbookRunner, pullRequestCommentDelivery, remediationDeps, scriptedAnalyzer, stepDeps } from '../../support/fakes.js';
import { handledAfter } from '../../support/handling-time.js';

const PATCH = ['--- a/src/tax.ts', '+++ b/src/tax.ts', '@@ -1 +1 @@', '-export const rate = 0.2;', '+export const rate = 0.19;', ''].join('\n');

function analysis(overrides: Partial<AnalysisSummary>): AnalysisSummary {
  return {
    provider: 'scripted', model: null, rootCause: 'the tax rate constant is wrong', fix: ['use 0.19'], confidence: 0.95,
    proposedAction: 'open_fix_pr', rationale: 'one-line fix', evidence: ['Expected: 107.1'], latencyMs: 1, ...overrides,
  };
}

/** Fix PRs are off by default: a repository opts in, and each one then waits for `/guard approve`. */
const FIX_PRS_ON = { defaults: { actions: { open_fix_pr: { allowed: true } } } };

async function githubIncident(
  deps: ReturnType<typeof stepDeps>['deps'],
  fields: Partial<AnalysisSummary>,
  category: 'test_failure' | 'network' = fields.proposedAction === 'rerun_failed_jobs' ? 'network' : 'test_failure',
  runEvent?: string,
) {
  const body = structuredClone(loadWebhook('workflow_run-failure')).body as { workflow_run: { event: string } };
  if (runEvent) body.workflow_run.event = runEvent;
  const trigger = triggerFromWorkflowRun(body as never, 'd-1');
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(trigger, deps.clock()), category, fingerprint: 'fp', failureLines: [{ line: 77, text: '● Invoice totals' }], analysis: analysis(fields) }, deps.clock()),
    githubIncidentScope(trigger),
  );
  return trigger;
}

describe('remediate: plan, then apply', () => {
  it('opens a labelled fix PR from the validated patch at the failing commit', async () => {
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } });

    const waiting = await remediateStep({ trigger }, deps);
    const openedBeforeApproval = github.calls.some((c) => c.method === 'createFixPullRequest');
    const result = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    expect(waiting).toMatchObject({ action: 'open_fix_pr', applied: false, awaitingApproval: true });
    expect(openedBeforeApproval).toBe(false);
    expect(result).toMatchObject({ action: 'open_fix_pr', applied: true });
    const [, request] = github.calls.find((c) => c.method === 'createFixPullRequest')?.args as [unknown, Record<string, any>];
    expect(request).toMatchObject({
      baseBranch: 'feature/tax-rounding', baseSha: '9f2c4e1ab37d5c6e8f901b2a3c4d5e6f7a8b9c0d', branch: `guard/fix-${trigger.incidentId}`,
      labels: ['autofix', 'needs-review'], files: [{ path: 'src/tax.ts', content: 'export const rate = 0.19;\n' }],
    });
    expect(request.body).toContain('never merged by Pipeline Guard');
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident?.decision?.result).toMatch(/fix PR #4242 opened for review/);
    expect(incident?.audit?.map((a) => [a.status, a.action])).toEqual([['awaiting_approval', 'open_fix_pr'], ['applied', 'open_fix_pr']]);
  });

  it.each(['issues', 'discussion', 'watch', 'pull_request_review'])(
    'proposes no fix PR from a %s run, which any GitHub user can start and write the log of (attacker pass, session 35)',
    async (event) => {
      // Prepare: the repository's own workflow on an event outsiders cause; its log may quote the issue they wrote.
      const github = createFakeGitHub();
      github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
      const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
      const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } }, 'test_failure', event);

      // Act
      const result = await remediateStep({ trigger }, deps);

      // Assert: nothing waits for an approver, and the decision says why
      expect(trigger.workflowRun.headRepositoryId).toBe(trigger.repository.id);
      expect(result.action).toBe('comment_only');
      expect(result.awaitingApproval).toBeFalsy();
      expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toMatch(/any GitHub user can start this run/);
    },
  );

  it("names the workflow in the fix PR's title and commit without a reference GitHub would act on", async () => {
    // Prepare: the failing branch names its workflow; in a commit message `fixes #12` closes issue 12 on merge.
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } });
    await deps.incidents.update(trigger.incidentId, { workflowName: 'CI fixes #12 and acme/infra#7 for @ops, closes https://github.com/acme/app/issues/9' });

    // Act
    await remediateStep({ trigger }, deps);
    await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    // Assert
    const [, request] = github.calls.find((c) => c.method === 'createFixPullRequest')?.args as [unknown, Record<string, string>];
    for (const text of [request.title, request.commitMessage]) {
      expect(text).toContain('CI fixes #\u200b12 and acme/infra#\u200b7 for @\u200bops');
      expect(text).not.toMatch(/#\d|@ops|https:\/\//);
      expect(text).toContain('closes https:\u200b//github.com/acme/app/issues/9');
    }
  });

  it('escalates instead of committing a patch that no longer applies', async () => {
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } });

    await remediateStep({ trigger }, deps);
    // The file changes while the proposal waits for approval.
    github.files.set('src/tax.ts', 'export const rate = 0.25;\n');
    const result = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    expect(result.action).toBe('escalate');
    expect(github.calls.some((c) => c.method === 'createFixPullRequest')).toBe(false);
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toMatch(/does not apply cleanly to src\/tax\.ts/);
  });

  it('asks nobody to approve a patch that does not apply at the failing commit: the plan falls back and says why', async () => {
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.25;\n');
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } });

    const result = await remediateStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'comment_only', awaitingApproval: false });
    expect(github.calls.some((c) => c.method === 'createFixPullRequest')).toBe(false);
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident?.status).not.toBe('awaiting_approval');
    expect(incident?.decision?.reason).toMatch(/the proposed patch was refused: it does not apply cleanly to src\/tax\.ts/);
  });

  it('takes no automatic action while the kill-switch label is on the pull request', async () => {
    const github = createFakeGitHub();
    github.labels.add('guard:pause');
    const { deps } = stepDeps({ github: github.port });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });

    const result = await remediateStep({ trigger }, deps);

    expect(result.action).toBe('comment_only');
    expect(github.calls.some((c) => c.method === 'rerunFailedJobs')).toBe(false);
  });

  it('escalates when the rate limit fills between planning and applying', async () => {
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    guards.reserve = async () => false;
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ guards }) });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });

    const result = await remediateStep({ trigger }, deps);

    expect(result.action).toBe('escalate');
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toMatch(/rate limit was reached by another execution/);
  });

  it('waits for approval where the policy asks for it, then applies as the approver', async () => {
    const github = createFakeGitHub();
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs' as const] }] } };
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile }) });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });

    const waiting = await remediateStep({ trigger }, deps);
    const pending = await deps.incidents.get(trigger.incidentId);
    const resumed = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    expect(waiting).toMatchObject({ action: 'rerun_failed_jobs', applied: false, awaitingApproval: true, approvalTimeoutSeconds: 240 * 60 });
    expect(pending?.status).toBe('awaiting_approval');
    expect(resumed).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(github.calls.filter((c) => c.method === 'rerunFailedJobs')).toHaveLength(1);
    const audit = (await deps.incidents.get(trigger.incidentId))?.audit ?? [];
    expect(audit.map((a) => [a.actor, a.status])).toEqual([['pipeline-guard', 'awaiting_approval'], ['dana-dev', 'applied']]);
  });
});

describe('remediate: resuming after approval', () => {
  it('checks the guards again: a kill switch set while the proposal waited stops it', async () => {
    const github = createFakeGitHub();
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs' as const] }] } };
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile }) });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });
    await remediateStep({ trigger }, deps);
    github.labels.add('guard:pause');

    const resumed = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    expect(resumed.action).toBe('comment_only');
    expect(github.calls.some((c) => c.method === 'rerunFailedJobs')).toBe(false);
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toMatch(/approved by dana-dev.*guard:pause/);
  });

  it('applies nothing when the incident recovered while waiting', async () => {
    const github = createFakeGitHub();
    const policyFile = { defaults: { requireApproval: [{ actions: ['rerun_failed_jobs' as const] }] } };
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile }) });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });
    await remediateStep({ trigger }, deps);
    await deps.incidents.update(trigger.incidentId, { status: 'resolved' });

    const resumed = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    expect(resumed).toMatchObject({ action: 'comment_only', applied: false });
    expect(github.calls.some((c) => c.method === 'rerunFailedJobs')).toBe(false);
  });
});

describe('approval: a proposal is approved and applied as it was shown', () => {
  const REVISED = PATCH.replace('0.19', '0.18');
  const comment = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => c.method === 'upsertComment').at(-1)?.args[3] as string;

  /** `request`: more of the AwaitApproval Payload the request is made with. */
  async function waitingFixPr(request: Record<string, unknown> = {}) {
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
    const { deps } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await githubIncident(deps, { patch: { diff: PATCH, files: ['src/tax.ts'] } });
    await remediateStep({ trigger }, deps);
    await notifyStep({ trigger, ...request, approvalRequest: { taskToken: 'token-1' } }, deps);
    const requested = await deps.incidents.get(trigger.incidentId);
    return { github, deps, trigger, requested };
  }

  it('records when the wait of the request ends, from the timeout the execution waits with', async () => {
    // As AwaitApproval's Payload passes it (its TimeoutSecondsPath), 6 hours.
    const { requested } = await waitingFixPr({ timeoutSeconds: 21_600 });

    expect(requested?.approval).toMatchObject({ status: 'pending', requestedAt: '2026-11-20T10:00:00.000Z', expiresAt: '2026-11-20T16:00:00.000Z' });
  });

  it('records the end of the wait from when the wait began, not from when a late request ran', async () => {
    // Prepare: AwaitApproval's wait began at 09:50 (its Payload's waitStartedAt); the request runs at 10:00, ten
    // minutes late (a task queued behind others, a resumed execution). Step Functions ends the wait at 15:50.
    const { requested } = await waitingFixPr({ timeoutSeconds: 21_600, waitStartedAt: '2026-11-20T09:50:00.000Z' });

    // Assert: the end a `/guard` command is judged by is the one the wait keeps.
    expect(requested?.approval).toMatchObject({ status: 'pending', expiresAt: '2026-11-20T15:50:00.000Z' });
  });

  /*
   * A retried AwaitApproval (its request failed: GitHub 5xx, the write budget, Lambda throttled) runs a new attempt,
   * with a new token and a wait of its own that Step Functions times out from that attempt. `$$.State.EnteredTime` on
   * it is the state's first entry or the attempt's: the AWS documentation does not say. Taken as the start, the first
   * entry recorded an end up to hours early (the earlier attempts and their backoff), and a `/guard` command answered
   * after it with a spent token was told the wait had ended where "already decided" was right.
   */
  it.each([
    ['the state\'s first entry', '2026-11-20T09:20:00.000Z'],
    ['the retried attempt\'s own entry', '2026-11-20T09:59:59.000Z'],
  ])('records the end of a retried wait from its own attempt, when EnteredTime is %s', async (_, enteredTime) => {
    // Prepare: the third retry runs at 10:00 (the clock), with a new token, for a 6-hour wait.
    const { requested } = await waitingFixPr({ timeoutSeconds: 21_600, waitStartedAt: enteredTime, waitRetryCount: 3 });

    // Assert: counted from this attempt (its request, which Step Functions makes as the attempt starts), whichever
    // entry EnteredTime names.
    expect(requested?.approval).toMatchObject({ status: 'pending', taskToken: 'token-1', expiresAt: '2026-11-20T16:00:00.000Z' });
  });

  it('counts the wait of a first attempt (RetryCount 0) from EnteredTime, however late its request runs', async () => {
    const { requested } = await waitingFixPr({ timeoutSeconds: 21_600, waitStartedAt: '2026-11-20T09:50:00.000Z', waitRetryCount: 0 });

    expect(requested?.approval).toMatchObject({ status: 'pending', expiresAt: '2026-11-20T15:50:00.000Z' });
  });

  it('keeps the recorded end of the wait when the request with the same task token runs again later', async () => {
    // Prepare: the request was made at 10:00 for a 6-hour wait; its step runs again 10 minutes later with the same
    // token (a retried invocation, an execution resumed after a crash), whose wait still ends at 16:00.
    const { deps, trigger } = await waitingFixPr({ timeoutSeconds: 21_600 });
    deps.clock = () => new Date('2026-11-20T10:10:00Z');

    // Act
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-1' } }, deps);

    // Assert
    expect((await deps.incidents.get(trigger.incidentId))?.approval).toMatchObject({ status: 'pending', taskToken: 'token-1', expiresAt: '2026-11-20T16:00:00.000Z' });
  });

  /*
   * A request that fails after it was recorded (GitHub 5xx on the comment, the write budget) is retried by Step
   * Functions with a new token, in AWS and (since session 41) under `npm start`; the failed attempt's token is spent.
   * A `/guard approve` read in between decides with that token. Was: told the wait had ended, its decision written off
   * as too late, and the proposal asked again by the retry: lost, although the wait had hours to run.
   */
  it('applies a /guard approve sent with the token of a request that failed: the retry carries it to its own token, and the reconciler resumes it', async () => {
    // Prepare: the request of a 6-hour wait, made with token-1 at 10:00; that attempt then failed (token-1 is spent).
    const { github, deps, trigger } = await waitingFixPr({ timeoutSeconds: 21_600 });
    const approvalResumes = deps.approvalResumes as ApprovalResumes;
    github.permissions.set('maintainer', 'write');
    const sent: Array<[string, unknown]> = [];
    const tasks = {
      async succeed(token: string, output: Record<string, unknown>) {
        if (token !== 'token-2') throw new TaskTokenSpentError('TaskTimedOut: Task Timed Out');
        sent.push([token, output]);
      },
      async fail() { throw new Error('nothing is rejected here'); },
    };
    const command = signWebhook(pullRequestCommentDelivery({ login: 'maintainer', text: '/guard approve', commentId: 7, pullRequest: 1287, repository: { id: 714523861, name: 'checkout-service' }, deliveryId: 'c-7' }), 'retry-secret');

    // Act: the command, then the retried request (token-2), then the reconciler's next run.
    const answer = await handleIssueCommentWebhook({ ...command, isBase64Encoded: false }, {
      ...deps, webhooks: new Webhooks({ secret: 'retry-secret' }), maxBodyBytes: 1_048_576, github: deps.github, approvals: deps.remediation.approvals,
      answers: createMemoryCommandAnswers(), tasks, learning: {} as Learning, approvalResumes,
    });
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-2' } }, deps);
    const carried = await deps.incidents.get(trigger.incidentId);
    const run = await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:01:00.000Z');

    // Assert: kept (not too late), carried to token-2 without asking again, and resumed with it.
    expect(answer.statusCode).toBe(202);
    expect(carried?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-2' });
    expect(carried?.history.map((entry) => entry.event)).toEqual(expect.arrayContaining(['approval_carried_to_retry']));
    expect(carried?.history.map((entry) => entry.event)).not.toContain('approval_too_late');
    expect(github.calls.filter((c) => c.method === 'upsertComment' && String(c.args[3]).includes('waiting for approval'))).toHaveLength(1);
    expect(run.resumed).toEqual([trigger.incidentId]);
    expect(sent).toEqual([['token-2', { approvedBy: 'maintainer' }]]);
    expect((await deps.incidents.get(trigger.incidentId))?.approval).toMatchObject({ status: 'approved', taskToken: null });
  });

  // The approval request's write was not conditional on the approval it read: a /guard approve recorded between the
  // retried request's read and its write was replaced by the new pending request, and the decision was lost (its
  // author told it was kept for the retry; the wait then ran out and paged).
  it('honours a /guard approve recorded between the retried request reading the approval and writing it: carried to the new token, not asked again', async () => {
    // Prepare: the request with token-1 failed; the command lands while its retry (token-2) is between its read and write
    const { github, deps, trigger } = await waitingFixPr({ timeoutSeconds: 21_600 });
    const approvalResumes = deps.approvalResumes as ApprovalResumes;
    github.permissions.set('maintainer', 'write');
    const sent: Array<[string, unknown]> = [];
    const tasks = {
      async succeed(token: string, output: Record<string, unknown>) {
        if (token !== 'token-2') throw new TaskTokenSpentError('TaskTimedOut: Task Timed Out');
        sent.push([token, output]);
      },
      async fail() { throw new Error('nothing is rejected here'); },
    };
    const command = signWebhook(pullRequestCommentDelivery({ login: 'maintainer', text: '/guard approve', commentId: 8, pullRequest: 1287, repository: { id: 714523861, name: 'checkout-service' }, deliveryId: 'c-8' }), 'retry-secret');
    const answers: Array<{ statusCode: number }> = [];
    const write = deps.incidents.updateIfStatusMoves.bind(deps.incidents);
    deps.incidents.updateIfStatusMoves = async (...args) => {
      if (answers.length === 0 && args[1].approval?.taskToken === 'token-2') {
        answers.push(await handleIssueCommentWebhook({ ...command, isBase64Encoded: false }, {
          ...deps, webhooks: new Webhooks({ secret: 'retry-secret' }), maxBodyBytes: 1_048_576, github: deps.github, approvals: deps.remediation.approvals,
          answers: createMemoryCommandAnswers(), tasks, learning: {} as Learning, approvalResumes,
        }));
      }
      return write(...args);
    };

    // Act: the retried request, the command landing inside it; then the reconciler's next run
    await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-2' } }, deps);
    const carried = await deps.incidents.get(trigger.incidentId);
    const run = await resumeDecisionsAt(deps, approvalResumes, tasks, '2026-11-20T10:01:00.000Z');

    // Assert: the decision stands, carried to token-2; nobody is asked again; the reconciler resumes it
    expect(answers.map((answer) => answer.statusCode)).toEqual([202]);
    expect(carried?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-2' });
    expect(carried?.history.map((entry) => entry.event)).toEqual(expect.arrayContaining(['approval_carried_to_retry']));
    expect(github.calls.filter((c) => c.method === 'upsertComment' && String(c.args[3]).includes('waiting for approval'))).toHaveLength(1);
    expect(run.resumed).toEqual([trigger.incidentId]);
    expect(sent).toEqual([['token-2', { approvedBy: 'maintainer' }]]);
  });

  it('leaves a /guard approve resumed between a repeated request (same token) reading the approval and writing it: not pending again, not indexed again', async () => {
    // Prepare: the request with token-1 went out; its invocation runs again (a Lambda retry) and the command lands
    // between that one's read and its write, and resumes the execution
    const { github, deps, trigger } = await waitingFixPr({ timeoutSeconds: 21_600 });
    github.permissions.set('maintainer', 'write');
    const sent: string[] = [];
    const tasks = { async succeed(token: string) { sent.push(token); }, async fail() { throw new Error('nothing is rejected here'); } };
    const command = signWebhook(pullRequestCommentDelivery({ login: 'maintainer', text: '/guard approve', commentId: 9, pullRequest: 1287, repository: { id: 714523861, name: 'checkout-service' }, deliveryId: 'c-9' }), 'retry-secret');
    const answers: Array<{ statusCode: number }> = [];
    const write = deps.incidents.updateIfStatusMoves.bind(deps.incidents);
    deps.incidents.updateIfStatusMoves = async (...args) => {
      if (answers.length === 0 && args[1].approval?.status === 'pending') {
        answers.push(await handleIssueCommentWebhook({ ...command, isBase64Encoded: false }, {
          ...deps, webhooks: new Webhooks({ secret: 'retry-secret' }), maxBodyBytes: 1_048_576, github: deps.github, approvals: deps.remediation.approvals,
          answers: createMemoryCommandAnswers(), tasks, learning: {} as Learning, approvalResumes: deps.approvalResumes as ApprovalResumes,
        }));
      }
      return write(...args);
    };
    const comments = github.calls.filter((c) => c.method === 'upsertComment').length;

    // Act
    const again = await notifyStep({ trigger, timeoutSeconds: 21_600, approvalRequest: { taskToken: 'token-1' } }, deps);

    // Assert
    const stored = await deps.incidents.get(trigger.incidentId);
    expect(answers.map((answer) => answer.statusCode)).toEqual([202]);
    expect(sent).toEqual(['token-1']);
    expect(again).toMatchObject({ notifications: 0 });
    expect(stored?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer' });
    expect(stored?.history.at(-1)?.detail).toMatch(/^approved by maintainer at \S+ while this request was written: the decision stands, nobody is asked$/);
    expect(await deps.remediation.approvals.pending({ name: stored?.repository as string, id: stored?.repositoryId ?? null }, 1287)).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(comments);
  });

  it('shows the digest of the proposal in the request, and counts a revision when a later request shows another', async () => {
    // Prepare: the proposal was asked for; a re-drive analysed the failure again, and the model wrote another patch.
    const { github, deps, trigger, requested } = await waitingFixPr();
    const firstComment = comment(github);
    await deps.incidents.update(trigger.incidentId, { analysis: analysis({ patch: { diff: REVISED, files: ['src/tax.ts'] } }) });

    // Act
    await remediateStep({ trigger }, deps);
    await notifyStep({ trigger, approvalRequest: { taskToken: 'token-2' } }, deps);

    // Assert
    const again = await deps.incidents.get(trigger.incidentId);
    const [first, second] = [requested?.approval?.digest, again?.approval?.digest];
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(second).toMatch(/^[0-9a-f]{12}$/);
    expect(second).not.toBe(first);
    expect([requested?.approval?.revision, again?.approval?.revision]).toEqual([1, 2]);
    expect(firstComment).toContain(`/guard approve ${trigger.incidentId} ${first}`);
    expect(comment(github)).toContain(`/guard approve ${trigger.incidentId} ${second}`);
    expect(comment(github)).toContain('+export const rate = 0.18;');
  });

  /** A fix PR proposed for a push (no pull request), planned and waiting for its approval request. */
  async function proposedForPush(deps: ReturnType<typeof stepDeps>['deps']) {
    const push = structuredClone(loadWebhook('workflow_run-failure')).body as Record<string, any>;
    push.workflow_run.pull_requests = [];
    const trigger = triggerFromWorkflowRun(push as never, 'd-push');
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: 'fp', analysis: analysis({ patch: { diff: PATCH, files: ['src/tax.ts'] } }) }, deps.clock()),
      githubIncidentScope(trigger),
    );
    await remediateStep({ trigger }, deps);
    return trigger;
  }

  /** A fix PR proposed for a push: its approval request is e-mailed with the task token. */
  async function mailedFixPr() {
    const github = createFakeGitHub();
    github.files.set('src/tax.ts', 'export const rate = 0.2;\n');
    const { deps, published } = stepDeps({ github: github.port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const trigger = await proposedForPush(deps);
    await notifyStep({ trigger, approvalRequest: { taskToken: 'token-1' } }, deps);
    return { deps, published, trigger };
  }

  it('shows the change in the e-mailed request, as the comment on a pull request does: the commands approve exactly it (session 35)', async () => {
    // Act: a push has no pull request to show the proposal on
    const { published } = await mailedFixPr();

    // Assert
    const message = published[0]?.message ?? '';
    expect(message).toContain("send-task-success --task-token 'token-1'");
    expect(message).toContain('The change that would be committed (1 file: src/tax.ts):');
    expect(message).toContain('    -export const rate = 0.2;\n    +export const rate = 0.19;');
    expect(message).toContain("run it with the repository's secrets: approve only a change you would run yourself");
    expect(published[0]?.chat?.content.description ?? '').not.toContain('rate = 0.19');
  });

  it('e-mails a request once: the same token asking again for the same proposal (a retry, a resumed execution) sends nothing', async () => {
    const { deps, published, trigger } = await mailedFixPr();

    await remediateStep({ trigger }, deps);
    const again = await notifyStep({ trigger, approvalRequest: { taskToken: 'token-1' } }, deps);

    expect(again).toMatchObject({ status: 'awaiting_approval', notifications: 0 });
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toContain("send-task-success --task-token 'token-1'");
    expect((await deps.incidents.get(trigger.incidentId))?.approval).toMatchObject({ status: 'pending', taskToken: 'token-1', revision: 1 });
  });

  it('e-mails a request at most twice however often a crash comes between the e-mail and its record', async () => {
    // Prepare: the first two tries die after the e-mail went out, before the incident recorded it (the store's write
    // of the request's history fails as the crash would cut it).
    const { deps, published } = stepDeps({ github: createFakeGitHub().port, remediation: remediationDeps({ policyFile: FIX_PRS_ON }) });
    const update = deps.incidents.update.bind(deps.incidents);
    let crashes = 2;
    deps.incidents.update = async (id, fields, lists) => {
      if (lists?.history?.some((entry) => entry.event === 'approval_requested') && crashes-- > 0) throw new Error('killed before the request was recorded');
      return update(id, fields, lists);
    };
    const trigger = await proposedForPush(deps);

    // Act: the step tried three times with the execution's one token (two retries after the crashes)
    for (let attempt = 0; attempt < 3; attempt += 1) await notifyStep({ trigger, approvalRequest: { taskToken: 'token-1' } }, deps).catch(() => null);

    // Assert: the e-mail and the one re-send the ledger allows; the third try records the request without a third
    expect(published).toHaveLength(2);
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident?.history.filter((entry) => entry.event === 'approval_requested')).toHaveLength(1);
    expect(incident?.notifications.at(-1)).toMatchObject({ channel: 'sns', outcome: 'skipped' });
  });

  it('records an approval sent with the e-mailed commands: the finished incident no longer reads as waiting for it', async () => {
    // Prepare: on-call approved the e-mailed proposal with its send-task-success command; the fix PR was opened.
    const { deps, trigger } = await mailedFixPr();
    await remediateStep({ trigger, approval: { approvedBy: 'on-call' } }, deps);

    // Act
    await notifyStep({ trigger, approval: { approvedBy: 'on-call' } }, deps);

    // Assert
    const done = await deps.incidents.get(trigger.incidentId);
    expect(done?.approval).toMatchObject({ status: 'approved', decidedBy: 'on-call', taskToken: null });
    expect(nextStep(done!).text).not.toMatch(/Waiting for approval/);
  });

  it("records an e-mailed approval on its execution's incident alone, whatever the output names (attacker pass, session 28)", async () => {
    // Prepare: two fix PRs wait for e-mailed approvals; the approval of the first names the second in its output
    const first = await mailedFixPr();
    const other = structuredClone(loadWebhook('workflow_run-failure')).body as Record<string, any>;
    Object.assign(other.workflow_run, { id: 11862439999, pull_requests: [] });
    const otherTrigger = triggerFromWorkflowRun(other as never, 'd-other');
    const { deps } = first;
    await deps.incidents.create(
      newIncident({ ...githubIncidentFields(otherTrigger, deps.clock()), category: 'test_failure', fingerprint: 'fp', analysis: analysis({ patch: { diff: PATCH, files: ['src/tax.ts'] } }) }, deps.clock()),
      githubIncidentScope(otherTrigger),
    );
    await remediateStep({ trigger: otherTrigger }, deps);
    await notifyStep({ trigger: otherTrigger, approvalRequest: { taskToken: 'token-9' } }, deps);
    const forged = { approvedBy: 'on-call', incidentId: otherTrigger.incidentId, trigger: otherTrigger, approval: { status: 'approved' } };

    // Act
    await remediateStep({ trigger: first.trigger, approval: forged }, deps);
    await notifyStep({ trigger: first.trigger, approval: forged }, deps);

    // Assert: the first is approved and its fix PR opened; the second still waits for its own token
    expect((await deps.incidents.get(first.trigger.incidentId))?.approval).toMatchObject({ status: 'approved', decidedBy: 'on-call' });
    expect((await deps.incidents.get(otherTrigger.incidentId))?.approval).toMatchObject({ status: 'pending', taskToken: 'token-9' });
    expect((await deps.incidents.get(otherTrigger.incidentId))?.decision?.applied ?? false).toBe(false);
  });

  it('ends the wait instead of e-mailing another proposal under a token already sent: that token would approve it unread', async () => {
    const { deps, published, trigger } = await mailedFixPr();
    await deps.incidents.update(trigger.incidentId, { analysis: analysis({ patch: { diff: REVISED, files: ['src/tax.ts'] } }) });

    await remediateStep({ trigger }, deps);
    const asked = notifyStep({ trigger, approvalRequest: { taskToken: 'token-1' } }, deps);

    await expect(asked).rejects.toMatchObject({ name: 'ProposalChangedError' });
    expect(published).toHaveLength(1);
  });

  it('commits nothing when the patch changed after the approval, and says so', async () => {
    // Prepare: approved as asked for (the digest the request recorded), then the analysis was rewritten.
    const { github, deps, trigger, requested } = await waitingFixPr();
    await deps.incidents.update(trigger.incidentId, {
      approval: { ...requested!.approval!, status: 'approved', taskToken: null, decidedBy: 'dana-dev', decidedAt: '2026-11-20T10:05:00Z' },
      analysis: analysis({ patch: { diff: REVISED, files: ['src/tax.ts'] } }),
    });

    // Act
    const resumed = await remediateStep({ trigger, approval: { approvedBy: 'dana-dev' } }, deps);

    // Assert
    expect(resumed).toMatchObject({ action: 'escalate', applied: false });
    expect(github.calls.some((c) => c.method === 'createFixPullRequest')).toBe(false);
    const after = await deps.incidents.get(trigger.incidentId);
    expect(after?.decision?.reason).toMatch(new RegExp(`approved by dana-dev as proposal ${requested?.approval?.digest}, but what would be applied now is [0-9a-f]{12}`));
    expect(after?.audit?.at(-1)).toMatchObject({ actor: 'dana-dev', status: 'skipped', action: 'escalate' });
  });
});

describe('remediate: alarm runbooks', () => {
  const runbooks = parseRunbookMappings(JSON.stringify([
    { alarmNamePrefix: 'checkout-api-', document: 'Restart-Checkout-Api', parameters: { Alarm: ['{{alarm.name}}'] }, severity: 'medium' },
  ]));

  async function alarmIncident(deps: ReturnType<typeof stepDeps>['deps']) {
    const trigger = alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
    // Handled after the alarm changed state (10:03:12), not at the steps' default clock before it.
    deps.clock = () => handledAfter(trigger);
    await classifyStep({ trigger }, deps);
    return trigger;
  }

  it('starts the mapped runbook, follows it to success and records the outcome for the breaker', async () => {
    const runner = createScriptedRunbookRunner('Success');
    const guards = createMemoryGuardStore();
    const { deps } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner, guards }) });
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);

    const result = await remediateStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'run_runbook', applied: true });
    expect(runner.started).toEqual([expect.objectContaining({ document: 'Restart-Checkout-Api', parameters: { Alarm: ['checkout-api-5xx-rate'] } })]);
    expect(guards.outcomes).toEqual([true]);
  });

  it("starts no runbook for an alarm of another account and region, and escalates it with the reason in its timeline", async () => {
    // Prepare: the analysis asks for the runbook too; the deployment runs in another account and region than the alarm's.
    const runner = createScriptedRunbookRunner('Success');
    const { deps } = stepDeps({
      analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.95 }),
      remediation: remediationDeps({ runbooks, runner, deployment: { account: '999999999999', region: 'eu-west-1' } }),
    });
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);

    // Act
    const result = await remediateStep({ trigger }, deps);

    // Assert
    expect(result).toMatchObject({ action: 'escalate', awaitingApproval: false });
    expect(runner.started).toEqual([]);
    const after = await deps.incidents.get(trigger.incidentId);
    const why = 'the alarm belongs to account 123456789012 in us-east-1, and this deployment runs its runbooks in account 999999999999 in eu-west-1';
    expect(after?.decision?.reason).toContain(why);
    expect(after?.history.at(-1)).toMatchObject({ event: 'decision:escalate', detail: expect.stringContaining(why) });
  });

  it('starts no runbook when the alarm went back to OK before remediation', async () => {
    const runner = createScriptedRunbookRunner('Success');
    const { deps } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner }) });
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);
    await deps.incidents.update(trigger.incidentId, { status: 'resolved' });

    const result = await remediateStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'comment_only', applied: false });
    expect(runner.started).toEqual([]);
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.reason).toBe('the incident recovered before remediation');
  });

  it('starts no runbook and pages nobody when the alarm\'s OK came before classify stored the incident', async () => {
    // A re-driven execution stores the incident at classify; the OK (10:22:40) was recorded before, with nothing open.
    const runner = createScriptedRunbookRunner('Success');
    // Handled after the OK: an alarm's time ahead of the handling clock is not trusted.
    const { deps, published } = stepDeps({ clock: () => new Date('2026-11-20T10:25:00Z'), analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner }) });
    expect(await recordAlarmRecovery(loadAlarmEvent('alarm-state-ok'), deps)).toEqual({ resolved: [] });
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);

    const result = await remediateStep({ trigger }, deps);
    await notifyStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'comment_only', applied: false });
    expect(runner.started).toEqual([]);
    expect(published).toEqual([]);
    expect(await deps.incidents.get(trigger.incidentId)).toMatchObject({
      status: 'resolved', category: expect.any(String), resolvedBy: 'alarm OK before classify', resolvedAt: '2026-11-20T10:22:40.000Z', timeToRecoverySeconds: 19 * 60 + 28,
    });
  });

  it('still starts the runbook when the alarm\'s last OK came before this ALARM', async () => {
    const runner = createScriptedRunbookRunner('Success');
    const { deps } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner }) });
    const earlierOk = structuredClone(loadAlarmEvent('alarm-state-ok')) as { detail: { state: { timestamp: string } } };
    earlierOk.detail.state.timestamp = '2026-11-20T09:40:00.000+0000';
    await recordAlarmRecovery(earlierOk, deps);
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);

    expect(await remediateStep({ trigger }, deps)).toMatchObject({ action: 'run_runbook', applied: true });
    expect((await deps.incidents.get(trigger.incidentId))?.status).not.toBe('resolved');
  });

  it('escalates when the runbook fails', async () => {
    const runner = createScriptedRunbookRunner('Failed');
    const { deps } = stepDeps({ analyzer: scriptedAnalyzer({ proposedAction: 'run_runbook', confidence: 0.85 }), remediation: remediationDeps({ runbooks, runner }) });
    const trigger = await alarmIncident(deps);
    await analyzeStep({ trigger }, deps);

    const result = await remediateStep({ trigger }, deps);

    expect(result.action).toBe('escalate');
    expect((await deps.incidents.get(trigger.incidentId))?.decision?.result).toMatch(/Restart-Checkout-Api \(exec-1\) finished: Failed — step failed/);
  });
});

describe('remediate: the plan is stored before anything acts on it', () => {
  /** Counts the incident writes of `deps` from now on. */
  function countWrites(deps: ReturnType<typeof stepDeps>['deps']): string[][] {
    const writes: string[][] = [];
    const update = deps.incidents.update.bind(deps.incidents);
    deps.incidents.update = (id, fields, append) => {
      writes.push(Object.keys(fields).sort());
      return update(id, fields, append);
    };
    return writes;
  }

  it('stores a plan that acts on nothing outside together with its decision, in one write', async () => {
    const github = createFakeGitHub();
    github.labels.add('guard:pause');
    const { deps } = stepDeps({ github: github.port });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });
    const writes = countWrites(deps);

    const result = await remediateStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'comment_only', applied: true });
    expect(writes).toEqual([['decision', 'ownRerun', 'plan', 'status']]);
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident).toMatchObject({ status: 'remediated', plan: { action: 'comment_only' }, decision: { action: 'comment_only', applied: true } });
    expect(incident?.audit?.map((a) => a.status)).toEqual(['planned', 'applied']);
  });

  it('stores a plan that acts (a re-run) before it acts: a crash while re-running leaves the plan on the incident', async () => {
    const github = createFakeGitHub();
    const { deps } = stepDeps({ github: github.port });
    const trigger = await githubIncident(deps, { proposedAction: 'rerun_failed_jobs', confidence: 0.9 });
    const rerun = github.port.rerunFailedJobs.bind(github.port);
    let storedWhenRerunning: string | undefined;
    github.port.rerunFailedJobs = async (...args) => {
      storedWhenRerunning = (await deps.incidents.get(trigger.incidentId))?.plan?.action;
      return rerun(...args);
    };
    const writes = countWrites(deps);

    const result = await remediateStep({ trigger }, deps);

    expect(result).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(storedWhenRerunning).toBe('rerun_failed_jobs');
    expect(writes).toEqual([['ownRerun', 'plan'], ['decision', 'status']]);
  });
});
