import { Webhooks } from '@octokit/webhooks';
import { describe, expect, it } from 'vitest';
import { deliverWebhook, signWebhook } from '../../infra/local/replay.js';
import { loadConfig } from '../../shared/config.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { createPermissionCache } from '../../shared/github/permission-cache.js';
import { type CommentCommandDeps, handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import type { Learning } from '../../shared/knowledge/learning.js';
import { createApprovalResumeList, createApprovals, createIncidents, createTaskControl } from '../../shared/runtime/deps.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createFakeGitHub, createMemoryCommandAnswers, failedRunDelivery, pullRequestCommentDelivery } from '../support/fakes.js';
import { useLocalRuntimePerTest } from '../support/harness.js';

/**
 * A `/guard approve` whose handler dies after recording the decision, before Step Functions answered its
 * SendTaskSuccess (a Lambda timeout, OOM), on the local runtime: GitHub redelivers nothing by itself, so only the
 * reconciler is left to resume the execution. Was: nothing did, and the execution waited out its approval timeout,
 * then paged on-call that nobody approved.
 */
const SECRET = 'approval-resume-secret';
const REPOSITORY = { id: 800000002, name: 'ledger' };
const policy = { repositories: { 'acme-shop/ledger': { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } } };

/** The flaky failure of run `runId` (11870000001 is a network flake in the recorded runs) on acme-shop/ledger's pull request 1287, whose re-run the policy asks to approve. */
const failure = (runId: number) => failedRunDelivery(runId, { repository: REPOSITORY });

/** The ingest handler's own dependencies over the runtime's tables, with `tasks` for its Step Functions calls. */
function commandDeps(env: NodeJS.ProcessEnv, tasks: CommentCommandDeps['tasks']): CommentCommandDeps {
  const config = loadConfig(env);
  const github = createFakeGitHub();
  github.permissions.set('acme-shop', 'write');
  return {
    webhooks: new Webhooks({ secret: SECRET }),
    maxBodyBytes: 1_048_576,
    incidents: createIncidents(config),
    github: staticGitHubClients(github.port),
    clock: () => new Date(),
    logger: silentLogger,
    learning: {} as Learning,
    approvals: createApprovals(config),
    approvalResumes: createApprovalResumeList(config),
    answers: createMemoryCommandAnswers(),
    permissions: createPermissionCache(),
    tasks,
  };
}

/** acme-shop's `/guard approve` on pull request 1287, signed. */
function approveCommand() {
  const signed = signWebhook(
    pullRequestCommentDelivery({ login: 'acme-shop', text: '/guard approve', commentId: 31, pullRequest: 1287, repository: REPOSITORY, deliveryId: 'approve-31' }),
    SECRET,
  );
  return { ...signed, isBase64Encoded: false };
}

describe('local runtime: an approval whose handler died before resuming the execution', () => {
  const runtimes = useLocalRuntimePerTest();

  it('is resumed by the reconciler, once, with no redelivery: the fix is applied and nobody is paged', async () => {
    const harness = await runtimes.start({ secret: SECRET, name: 'guard-approval-resume', env: { GITHUB_TOKEN: undefined, POLICY_JSON: JSON.stringify(policy) } });
    const accepted = await deliverWebhook(harness.runtime.url, failure(11_870_000_001), SECRET);
    await harness.runtime.idle();
    const id = String(accepted.body.incidentId);
    expect(await harness.incident(id)).toMatchObject({ status: 'awaiting_approval', approval: { status: 'pending' } });

    // Its SendTaskSuccess never answers.
    let calledStepFunctions = false;
    const dies = () => ((calledStepFunctions = true), new Promise<void>(() => {}));
    void handleIssueCommentWebhook(approveCommand(), commandDeps(harness.runtime.env, { succeed: dies, fail: dies }));
    for (let waited = 0; !calledStepFunctions && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    expect(calledStepFunctions).toBe(true);
    expect(await harness.incident(id)).toMatchObject({ status: 'awaiting_approval', approval: { status: 'approved', decidedBy: 'acme-shop' } });

    // Two reconciler runs at once, past the grace that keeps them off a live handler.
    const later = new Date(Date.now() + 11 * 60_000);
    const runs = await Promise.all([harness.runtime.reconcile(later), harness.runtime.reconcile(later)]);
    await harness.runtime.idle();

    expect(runs.flatMap((run) => run.approvalResumes.resumed)).toEqual([id]);
    const done = await harness.incident(id);
    expect(done).toMatchObject({ status: 'notified', approval: { status: 'approved', decidedBy: 'acme-shop' }, decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(done.history.map((entry) => entry.event)).not.toContain('approval_too_late');
    const outbox = await harness.outbox();
    expect(outbox.filter((entry) => entry.kind === 'github_rerun')).toHaveLength(1);
    expect(outbox.filter((entry) => entry.kind === 'escalation')).toEqual([]);
    // Nothing left for a later run.
    const after = await harness.runtime.reconcile(new Date(later.getTime() + 60 * 60_000));
    expect(after.approvalResumes).toMatchObject({ resumed: [], spent: [], failed: [] });
  }, 60_000);

  it('is not put back as pending when Step Functions took its SendTaskSuccess and the answer was lost: the execution goes on, the reconciler finishes the record', async () => {
    const harness = await runtimes.start({ secret: SECRET, name: 'guard-approval-answer-lost', env: { GITHUB_TOKEN: undefined, POLICY_JSON: JSON.stringify(policy) } });
    const accepted = await deliverWebhook(harness.runtime.url, failure(11_870_000_001), SECRET);
    await harness.runtime.idle();
    const id = String(accepted.body.incidentId);

    // The runtime's Step Functions takes the call; the handler sees a network error instead of its answer.
    const stepFunctions = createTaskControl(loadConfig(harness.runtime.env));
    const lost = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    const answerLost: CommentCommandDeps['tasks'] = {
      succeed: async (token, output) => { await stepFunctions.succeed(token, output); throw lost(); },
      fail: async (token, error, cause) => { await stepFunctions.fail(token, error, cause); throw lost(); },
    };
    const deps = commandDeps(harness.runtime.env, answerLost);
    await expect(handleIssueCommentWebhook(approveCommand(), deps)).rejects.toThrow('socket hang up');
    const answered = await harness.incident(id);
    await harness.runtime.idle();
    const applied = await harness.incident(id);

    const later = new Date(Date.now() + 11 * 60_000);
    const run = await harness.runtime.reconcile(later);
    await harness.runtime.idle();

    // The execution ran on with the approval; the incident never said the proposal waited again, and it no longer
    // waits on the pull request once the reconciler found the token spent.
    expect(answered).toMatchObject({ approval: { status: 'approved', decidedBy: 'acme-shop' } });
    expect(answered.history.map((entry: { event: string }) => entry.event)).toContain('approval_resume_failed');
    expect(await deps.approvals.pending({ name: `acme-shop/${REPOSITORY.name}`, id: REPOSITORY.id }, 1287)).toEqual([]);
    expect(applied).toMatchObject({ approval: { status: 'approved', decidedBy: 'acme-shop' }, decision: { action: 'rerun_failed_jobs', applied: true } });
    expect(run.approvalResumes).toMatchObject({ resumed: [], spent: [id], failed: [] });
    const done = await harness.incident(id);
    expect(done).toMatchObject({ status: 'notified', approval: { status: 'approved', decidedBy: 'acme-shop', taskToken: null } });
    const outbox = await harness.outbox();
    expect(outbox.filter((entry) => entry.kind === 'github_rerun')).toHaveLength(1);
    expect(outbox.filter((entry) => entry.kind === 'escalation')).toEqual([]);
  }, 60_000);
});
