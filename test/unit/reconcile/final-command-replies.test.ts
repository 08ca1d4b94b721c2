import { describe, expect, it } from 'vitest';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { resumeRecordedDecisions } from '../../../shared/reconcile/approval-resumes.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps, taskPort } from '../../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval, signedCommentDelivery } from '../../support/comment-commands.js';
import { overtakenCommand } from '../../support/overtaken-command.js';

const SECRET = 'final-replies-secret';

describe('a /guard command whose reply the reconciler edited to the final outcome, delivered again', () => {
  it('keeps the final reply: the redelivery, finding nothing waiting, does not write "nothing is waiting" over it', async () => {
    // Prepare: the decision overtaken by on-call's e-mailed rejection, its reply edited by the reconciler.
    const { reconcile, replies, redeliver } = await overtakenCommand({ secret: SECRET, command: '/guard approve', commentId: 81, waitEnd: { Error: 'ApprovalRejected', Cause: 'a real bug' } });
    await reconcile('2026-11-20T10:20:00Z');
    const final = 'The `/guard approve` from `maintainer` was not carried out: on-call rejected the proposal by e-mail before the guard could resume its pipeline with it, and nothing was applied.';
    expect(replies()).toEqual([final]);

    // Act: GitHub delivers the command again (an operator's "Redeliver" in the hook's Recent Deliveries).
    const response = await redeliver();

    // Assert: refused (nothing waits), and the reply still says how the decision ended.
    expect(response.statusCode).toBe(200);
    expect(replies()).toEqual([final]);
  });
});

describe("a second maintainer's same /guard approve, told 'not carried out yet', whose wait then timed out", () => {
  it("has its reply edited with the first one's, each once, however many runs meet the decision", async () => {
    // Prepare: both commands' resumes fail (Step Functions 5xx); the wait times out with the decision recorded.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    github.permissions.set('second', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 85 }), made.deps()).catch(() => undefined);
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'second', body: '/guard approve', commentId: 86 }), made.deps()).catch(() => undefined);
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, approvalResumes: made.approvalResumes, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);
    const upsert = github.port.upsertComment.bind(github.port);
    let edits = 0;
    github.port.upsertComment = async (...args) => {
      edits += 1;
      return upsert(...args);
    };
    const reconcile = (at: string) => resumeRecordedDecisions({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: taskPort(), clock: () => new Date(at), logger: deps.logger,
      metrics: deps.metrics, escalations: deps.escalations, escalationLedger: deps.escalationLedger, policyFile: deps.remediation.policyFile,
      githubWriter: async () => staticGitHubClients(github.port), answers,
    }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });

    // Act: the decision's entry, then an entry listed for it again (a retried handler's), met by two runs.
    await reconcile('2026-11-20T10:20:00Z');
    await made.approvalResumes.schedule({ incidentId: PENDING_INCIDENT, decidedAt: (await made.incidents.get(PENDING_INCIDENT))?.approval?.decidedAt as string });
    await reconcile('2026-11-20T10:40:00Z');

    // Assert
    const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
    expect(reply(85)).toEqual(['The `/guard approve` from `maintainer` was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.']);
    expect(reply(86)).toEqual(['The `/guard approve` from `second` was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.']);
    expect(edits).toBe(2);
  });
});

describe('the same /guard approve from many maintainers, each resume failing', () => {
  it('keeps at most 5 other commands to edit on the decision, each comment once however often it is delivered', async () => {
    // Prepare
    const github = createFakeGitHub();
    const logins = ['maintainer', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6'];
    for (const login of logins) github.permissions.set(login, 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });

    // Act: every maintainer's command, and the second one delivered twice.
    for (const [n, login] of logins.entries()) {
      await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login, body: '/guard approve', commentId: 200 + n }), made.deps()).catch(() => undefined);
    }
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'm1', body: '/guard approve', commentId: 201 }), made.deps()).catch(() => undefined);

    // Assert
    const approval = (await made.incidents.get(PENDING_INCIDENT))?.approval;
    expect(approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', commandCommentId: 200 });
    expect(approval?.alsoCommanded).toEqual([201, 202, 203, 204, 205].map((commentId, i) => ({ commentId, by: `m${i + 1}` })));
  });
});
