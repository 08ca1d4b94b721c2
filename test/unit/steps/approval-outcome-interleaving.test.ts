import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { guardHandoff } from '../../../shared/domain/handoff.js';
import { RetryableError } from '../../../shared/errors.js';
import { asRead } from '../../../shared/remediation/approval-resume.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { incidentTimeline } from '../../../shared/api/timeline.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps } from '../../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval } from '../../support/comment-commands.js';

const SECRET = 'interleaving-secret';

/** `/guard <decision>` by a maintainer on the pending proposal's pull request, signed as GitHub delivers it. */
function guardCommand(body: string) {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: PENDING_PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: 77, body, user: { login: 'maintainer', type: 'User' }, created_at: '2026-11-20T10:04:00Z', author_association: 'MEMBER' },
    repository: { id: INDEXED_REPOSITORY.id, full_name: INDEXED_REPOSITORY.name, name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

/**
 * The sample failure's proposal waiting for approval, Notify's dependencies on the same store, and a `/guard` command
 * delivered right after Notify's first read of the incident: it lands between Notify's read and its write. Step
 * Functions fails the command's resume (a 5xx): the decision stays recorded with its token, as the handler leaves it
 * for the reconciler.
 */
async function commandBetweenReadAndWrite(command: string) {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
  const { deps, published } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
  const commanded: string[] = [];
  const read = made.incidents.get.bind(made.incidents);
  deps.incidents = {
    ...made.incidents,
    async get(id) {
      const incident = await read(id);
      if (commanded.length === 0) {
        // The handler throws (the delivery is answered 500, for GitHub to redeliver) once its decision is recorded.
        commanded.push(await handleIssueCommentWebhook(guardCommand(command), made.deps()).then((answer) => `answered ${answer.statusCode}`, (error: Error) => `threw ${error.name}`));
      }
      return incident;
    },
  };
  const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
  return { deps, published, trigger, commanded, incidents: made.incidents };
}

describe("notify's record of the approval wait's end, with a /guard decision landing between its read and its write", () => {
  it('keeps a /guard approval recorded after the wait timed out, and tells on-call it never reached the execution', async () => {
    // Prepare: the wait timed out; Notify reads the proposal pending, then the maintainer's approval is recorded.
    const { deps, published, trigger, commanded, incidents } = await commandBetweenReadAndWrite('/guard approve');

    // Act
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    // Assert: the command was handled in the window (its resume failed), and its decision is on the record as
    // one that never reached the execution; it was written over as "nobody approved" before.
    expect(commanded).toEqual(['threw ServiceUnavailable']);
    const incident = (await incidents.get(PENDING_INCIDENT))!;
    expect(incident.approval).toMatchObject({ status: 'timed_out', unresumed: 'approved', decidedBy: 'maintainer', taskToken: null });
    expect(incident.decision?.reason).toMatch(/^maintainer approved "re-run the failed jobs" at .*could not resume its execution/);
    expect(published).toHaveLength(1);
    expect(published[0]?.message).not.toMatch(/nobody approved/);
  });

  it("records an e-mailed rejection as on-call's, not as the maintainer's approval recorded meanwhile", async () => {
    const { deps, trigger, incidents } = await commandBetweenReadAndWrite('/guard approve');

    await notifyStep({ trigger, approvalError: { Error: 'ApprovalRejected', Cause: 'a real bug' } }, deps);

    const incident = (await incidents.get(PENDING_INCIDENT))!;
    expect(incident.approval).toMatchObject({ status: 'rejected', decidedBy: null, reason: 'a real bug', taskToken: null });
    expect(incident.decision?.reason).toMatch(/^on-call rejected "re-run the failed jobs" by e-mail: a real bug/);
    expect(incident.decision?.reason).toMatch(/maintainer's approval at .* did not reach the execution/);
  });

  it("keeps a /guard rejection recorded after the e-mailed approval resumed the execution, and notes that the e-mail's approval went on", async () => {
    const { deps, trigger, incidents } = await commandBetweenReadAndWrite('/guard reject not now');

    await notifyStep({ trigger, approval: { approvedBy: 'on-call' } }, deps);

    const incident = (await incidents.get(PENDING_INCIDENT))!;
    expect(incident.approval).toMatchObject({ status: 'rejected', decidedBy: 'maintainer', reason: 'not now' });
    expect(incident.history.map((entry) => entry.detail ?? '').join('\n')).toMatch(/approved by on-call by e-mail, which the execution went on with; rejected by maintainer recorded meanwhile is kept/);
  });

  it("records an e-mailed approval over the pending request when no decision came in between (the write's condition holds)", async () => {
    const github = createFakeGitHub();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers });
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }) });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    await notifyStep({ trigger, approval: { approvedBy: 'on-call' } }, deps);

    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'on-call', taskToken: null });
  });
});

describe("notify's record of the approval wait's end, refused twice", () => {
  it('fails for the retry, writing nothing over what was recorded, when the approval changes again after its second read', async () => {
    // Prepare: each of Notify's reads is followed by another writer's change of the approval (a decision, then a
    // resumer's take of it), so each write over the approval as read is refused.
    const github = createFakeGitHub();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers });
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }) });
    const changes = [
      { status: 'approved' as const, decidedAt: '2026-11-20T10:04:00.000Z', decidedBy: 'maintainer' },
      { status: 'approved' as const, decidedAt: '2026-11-20T10:04:00.000Z', decidedBy: 'maintainer', resumeTakenAt: '2026-11-20T10:05:00.000Z' },
    ];
    const read = made.incidents.get.bind(made.incidents);
    deps.incidents = {
      ...made.incidents,
      async get(id) {
        const incident = await read(id);
        const change = changes.shift();
        if (incident?.approval && change) await made.incidents.replaceApproval(id, asRead(incident.approval), { ...incident.approval, ...change });
        return incident;
      },
    };
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act
    const outcome = notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    // Assert
    await expect(outcome).rejects.toThrow(RetryableError);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', resumeTakenAt: '2026-11-20T10:05:00.000Z', taskToken: 'token-1' });
  });
});

describe('an approval wait that could not be set up', () => {
  it('is recorded failed, not pending, and pages on-call: nobody can answer it', async () => {
    // Prepare: the request recorded its token, then failed (indexing the proposal threw; its retries alike), and
    // AwaitApproval's Catch sent the error on to Notify.
    const github = createFakeGitHub();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers });
    const { deps, published } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }) });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
    const throttled = Object.assign(new Error('the approvals table throttled every write'), { name: 'ProvisionedThroughputExceededException' });
    const add = made.approvals.add.bind(made.approvals);
    made.approvals.add = async () => {
      throw throttled;
    };
    await expect(notifyStep({ trigger, approvalRequest: { taskToken: 'token-2' } }, deps)).rejects.toThrow(throttled);
    made.approvals.add = add;

    await notifyStep({ trigger, approvalError: { Error: throttled.name, Cause: throttled.message } }, deps);

    const incident = (await made.incidents.get(PENDING_INCIDENT))!;
    expect(incident.approval).toMatchObject({ status: 'failed', taskToken: null });
    expect(incident.approval?.reason).toMatch(/ProvisionedThroughputExceededException/);
    expect(incident.decision).toMatchObject({ action: 'escalate', applied: false });
    const handoff = guardHandoff(incident);
    expect(handoff.mustAct).toBe(true);
    expect(handoff.why.map((reason) => reason.kind)).not.toContain('approval_pending');
    expect(incidentTimeline(incident).some((entry) => entry.title === 'approval failed')).toBe(true);
    expect(await made.approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([]);
    expect(published).toHaveLength(1);
  });
});
