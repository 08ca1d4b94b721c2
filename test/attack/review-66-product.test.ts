import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { GitHubUnavailableError } from '../../shared/errors.js';
import { GitHubRequestError } from '../../shared/github/errors.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { resumeRecordedDecisions } from '../../shared/reconcile/approval-resumes.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { asRead } from '../../shared/remediation/approval-resume.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps, taskPort } from '../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval, signedCommentDelivery } from '../support/comment-commands.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { overtakenCommand } from '../support/overtaken-command.js';

/**
 * Review of session 66 (product66), on the embedded DynamoDB where the store's behaviour matters.
 */
const scratch = scratchStoreForFile('review-66-product');
const scope = 'acme/app|main|CI';
const clock = () => new Date('2026-11-20T09:00:00Z');

function failure(id: string, repositoryId: number | null, runId: number, createdAt: string, pullRequest: number): Incident {
  return newIncident(
    { id, source: 'github', repository: 'acme/app', repositoryId, workflowId: 77, headSha: `SHA${runId}`, workflowName: 'CI', runId, runAttempt: 1, pullRequest, createdAt },
    new Date(createdAt),
  );
}

describe('F1: the pull request alias after a crash between the incident write and the alias write', () => {
  it("the redelivery's create (the incident there already) writes the alias the crashed one never wrote", async () => {
    // Prepare: an incident stored before ids were recorded, and a newer one indexed by id whose first create died
    // after its Put landed, before the alias item's Put (write 2 of the crashing client).
    const pullRequest = 61;
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30, clock });
    const old = failure('gh-x-961-1', null, 961, '2026-11-20T07:00:00.000Z', pullRequest);
    await incidents.create(old, scope);
    const newer = failure('gh-7-962-1', 7, 962, '2026-11-20T08:00:00.000Z', pullRequest);
    const crashing = clientFailingAtWrite(scratch.client, 2, { error: () => new SimulatedCrash('killed'), thereafter: 'fail' });
    const dying = createIncidentStore({ client: crashing.client, tableName: 'incidents', ttlDays: 30, clock });
    expect(await diesOfCrash(dying.create(newer, scope))).toBe(true);

    // Act: the step retried (a fresh Lambda instance) creates the same incident again: it is there already.
    const retried = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30, clock });
    expect(await retried.create(newer, scope)).toBe(false);

    // Assert: the old incident, knowing only the name, finds the newer one.
    const listed = await incidents.listByPullRequest({ name: 'acme/app', id: null }, pullRequest, 10, { except: old.id });
    expect(listed.map((incident) => incident.id)).toEqual([newer.id]);
  });
});

describe("F2: a /guard approve whose write lost to the proposal asked again (AwaitApproval's retry, a new token)", () => {
  it('is not told someone decided already: nobody did, and the new request waits for an answer', async () => {
    // Prepare: the command reads the proposal pending with token-1; before its write, the request that failed is
    // asked again (Step Functions' retry gives a new token, Notify writes the proposal pending with it).
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: 'review-66', github: github.port, answers: () => answers });
    const command = made.deps();
    const replace = made.incidents.replaceApproval.bind(made.incidents);
    let askedAgain = false;
    command.incidents = {
      ...made.incidents,
      async replaceApproval(...args) {
        if (!askedAgain) {
          askedAgain = true;
          const pending = (await made.incidents.get(PENDING_INCIDENT))?.approval;
          if (!pending) throw new Error('no approval');
          await replace(PENDING_INCIDENT, asRead(pending), { ...pending, taskToken: 'token-2', requestedAt: '2026-11-20T10:04:50Z' });
        }
        return replace(...args);
      },
    };

    // Act
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-66', login: 'maintainer', body: '/guard approve', commentId: 91 }), command);

    // Assert: the proposal still waits under the new token, and the reply says to decide it again.
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'pending', taskToken: 'token-2' });
    const [reply] = [...github.comments.entries()].filter(([key]) => key.includes('command-answer:91 ')).map(([, body]) => body);
    expect(reply).not.toMatch(/already decided/);
    expect(reply).toMatch(/asked for approval again meanwhile/);
  });
});

/**
 * A /guard approve (comment `commentId`) recorded while the wait's Notify read the incident (its resume failed: 5xx),
 * then Notify records the e-mailed rejection over it (test/support/overtaken-command.ts).
 */
async function overtakenReply(commentId: number) {
  const { github, reconcile, replies } = await overtakenCommand({ secret: 'review-66', command: '/guard approve', commentId, waitEnd: { Error: 'ApprovalRejected', Cause: 'a real bug' } });
  expect(replies()).toEqual([expect.stringMatching(/is recorded, but not carried out yet/)]);
  return { github, reconcile, replies };
}

describe("F3: the reconciler's edit of an overtaken decision's reply, when GitHub fails it", () => {
  it('edits the reply on a later run: the entry is not dropped while its reply still says "not carried out yet"', async () => {
    // Prepare
    const { github, reconcile, replies } = await overtakenReply(93);
    const upsert = github.port.upsertComment.bind(github.port);
    let failed = false;
    github.port.upsertComment = async (...args) => {
      if (!failed) {
        failed = true;
        throw new GitHubUnavailableError('GitHub failed (502): update a comment');
      }
      return upsert(...args);
    };

    // Act: GitHub answers 502 to the first run's edit; a later run (past the retry's delay) meets the entry again.
    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T12:20:00Z');

    // Assert
    expect(failed).toBe(true);
    expect(replies()).toEqual([expect.stringMatching(/was not carried out: on-call rejected the proposal by e-mail/)]);
  });

  it("drops the entry when GitHub refuses for good (a locked pull request): no run tries again, none counts a failure", async () => {
    // Prepare
    const { github, reconcile } = await overtakenReply(94);
    let tries = 0;
    github.port.upsertComment = async () => {
      tries += 1;
      throw new GitHubRequestError('GitHub refused (403): update a comment: locked', 403);
    };

    // Act
    const first = await reconcile('2026-11-20T10:20:00Z');
    const later = await reconcile('2026-11-20T12:20:00Z');

    // Assert
    expect(tries).toBe(1);
    expect(first).toMatchObject({ gone: 1, failed: [] });
    expect(later).toMatchObject({ gone: 0, failed: [] });
  });
});

describe('F4: a second maintainer\'s same /guard approve, answered "not carried out yet", then overtaken', () => {
  // Fixed (session 67): the decision keeps every other comment's same command whose resume failed (alsoCommanded,
  // bounded), and the reconciler edits each reply, once.
  it("the second command's reply is edited too", async () => {
    // Prepare: both commands' resumes fail (Step Functions 5xx); on-call's e-mailed rejection ends the wait.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    github.permissions.set('second', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: 'review-66', github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-66', login: 'maintainer', body: '/guard approve', commentId: 97 }), made.deps()).catch(() => undefined);
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-66', login: 'second', body: '/guard approve', commentId: 98 }), made.deps()).catch(() => undefined);
    const reply = (commentId: number) => [...github.comments.entries()].filter(([key]) => key.includes(`command-answer:${commentId} `)).map(([, body]) => body);
    expect(reply(98)).toEqual([expect.stringMatching(/not carried out yet/)]);
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, approvalResumes: made.approvalResumes, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
    await notifyStep({ trigger, approvalError: { Error: 'ApprovalRejected', Cause: 'a real bug' } }, deps);

    // Act
    await resumeRecordedDecisions({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: taskPort(), clock: () => new Date('2026-11-20T10:20:00Z'), logger: deps.logger,
      metrics: deps.metrics, escalations: deps.escalations, escalationLedger: deps.escalationLedger, policyFile: deps.remediation.policyFile,
      githubWriter: async () => staticGitHubClients(github.port), answers,
    }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });

    // Assert: the first is told; so should the second be.
    expect(reply(97)).toEqual([expect.stringMatching(/was not carried out: on-call rejected/)]);
    expect(reply(98)).toEqual(['The `/guard approve` from `second` was not carried out: on-call rejected the proposal by e-mail before the guard could resume its pipeline with it, and nothing was applied.']);
  });
});

describe('F5: a /guard reject answered "not carried out yet", then the wait ends rejected (Notify keeps the rejection as its own)', () => {
  it('has its reply edited: the pipeline no longer waits for it, nothing is left to carry out', async () => {
    // Prepare: the reject's resume fails (5xx); the wait then ends rejected (on-call's e-mailed rejection, or the
    // command's own first try that reached the execution before the 5xx): Notify records the /guard rejection as
    // what ended it (its author kept), and the reconciler meets the decision's entry with nothing to resume.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: 'review-66', github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: 'review-66', login: 'maintainer', body: '/guard reject', commentId: 99 }), made.deps()).catch(() => undefined);
    const reply = () => [...github.comments.entries()].filter(([key]) => key.includes('command-answer:99 ')).map(([, body]) => body);
    expect(reply()).toEqual([expect.stringMatching(/not carried out yet/)]);
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, approvalResumes: made.approvalResumes, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
    await notifyStep({ trigger, approvalError: { Error: 'ApprovalRejected', Cause: 'a real bug' } }, deps);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'rejected', decidedBy: 'maintainer', taskToken: null });

    // Act
    const reconcile = (at: string) => resumeRecordedDecisions({
      approvalResumes: made.approvalResumes, incidents: made.incidents, approvals: made.approvals, tasks: taskPort(), clock: () => new Date(at), logger: deps.logger,
      metrics: deps.metrics, escalations: deps.escalations, escalationLedger: deps.escalationLedger, policyFile: deps.remediation.policyFile,
      githubWriter: async () => staticGitHubClients(github.port), answers,
    }, { maxPerRun: 5, afterMinutes: 5, lookbackHours: 48 });
    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T10:30:00Z');

    // Assert: one reply, no longer promising an edit that never comes.
    expect(reply()).toEqual([expect.stringMatching(/needs nothing more from the guard/)]);
  });
});
