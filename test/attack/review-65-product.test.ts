import { describe, expect, it } from 'vitest';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps } from '../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval } from '../support/comment-commands.js';

/**
 * Review of branch product65 (attack pass 65): Notify's writes over the approval as read, the `failed` approval, the
 * id-keyed pull-request index and recovery scopes.
 */
const SECRET = 'review-65-secret';
const trigger = () => triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

async function waiting(fields: Parameters<typeof pendingApproval>[0]['fields'] = {}) {
  const github = createFakeGitHub();
  const made = await pendingApproval({ secret: SECRET, github: github.port, answers: createMemoryCommandAnswers, fields });
  const { deps, published } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:06:00Z') });
  return { deps, published, incidents: made.incidents };
}

describe('a failed approval wait, Notify retried (Step Functions retries the Notify state after a crash or a throw)', () => {
  it('pages once, on the retry, and keeps the one record: the retry writes the same failed approval', async () => {
    const { deps, published, incidents } = await waiting();
    const state = { trigger: trigger(), approvalError: { Error: 'ProvisionedThroughputExceededException', Cause: 'the approvals table throttled every write' } };

    // The first round's page fails (SNS throttled): the step fails, and Step Functions retries it.
    const publish = deps.escalations.publish.bind(deps.escalations);
    deps.escalations.publish = async () => {
      throw Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });
    };
    await expect(notifyStep(state, deps)).rejects.toThrow('rate exceeded');
    const first = (await incidents.get(PENDING_INCIDENT))!;
    deps.escalations.publish = publish;
    await notifyStep(state, deps);
    const second = (await incidents.get(PENDING_INCIDENT))!;

    expect(published).toHaveLength(1);
    expect(published[0]?.message).toMatch(/could not ask for approval/);
    expect(second.approval).toEqual(first.approval);
    expect(second.approval?.status).toBe('failed');
  });
});

describe("an e-mailed rejection over a /guard approval that never reached the execution, Notify retried", () => {
  it("keeps saying, after the retry, that the maintainer's approval did not reach the execution", async () => {
    // Prepare: the maintainer's approval is recorded (its resume failed, its token kept); on-call's e-mailed rejection
    // then ended the wait. Notify's first round records the rejection; it dies before it ends, and is retried.
    const { deps, incidents } = await waiting({
      approval: { status: 'approved', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: '2026-11-20T10:04:00.000Z', decidedBy: 'maintainer', reason: null },
    });
    const state = { trigger: trigger(), approvalError: { Error: 'ApprovalRejected', Cause: 'a real bug' } };

    await notifyStep(state, deps);
    const first = (await incidents.get(PENDING_INCIDENT))!;
    await notifyStep(state, deps);
    const second = (await incidents.get(PENDING_INCIDENT))!;

    expect(first.decision?.reason).toMatch(/maintainer's approval at .* did not reach the execution/);
    expect(second.decision?.reason).toMatch(/maintainer's approval at .* did not reach the execution/);
  });
});

describe('a failed approval wait over a /guard approval that never reached the execution, Notify retried', () => {
  it("pages, on the retry, that the maintainer's approval did not reach the execution", async () => {
    // Prepare: the maintainer's approval was kept for the request's retry (its token spent by the failed request);
    // every retry failed too, and AwaitApproval's Catch went on to Notify. Its first round's page fails (SNS throttled).
    const { deps, published, incidents } = await waiting({
      approval: { status: 'approved', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: '2026-11-20T10:04:00.000Z', decidedBy: 'maintainer', reason: null, spentToken: 'token-1' },
    });
    const state = { trigger: trigger(), approvalError: { Error: 'Sandbox.Timedout', Cause: 'Task timed out after 30.00 seconds' } };
    const publish = deps.escalations.publish.bind(deps.escalations);
    deps.escalations.publish = async () => {
      throw Object.assign(new Error('rate exceeded'), { name: 'ThrottlingException' });
    };
    await expect(notifyStep(state, deps)).rejects.toThrow('rate exceeded');
    deps.escalations.publish = publish;

    // Act: Step Functions retries the Notify state.
    await notifyStep(state, deps);

    // Assert: the one page sent names the approval that was lost; so does the record.
    expect(published).toHaveLength(1);
    expect(published[0]?.message).toMatch(/maintainer's approval at .* did not reach the execution/);
    expect((await incidents.get(PENDING_INCIDENT))?.decision?.reason).toMatch(/maintainer's approval at .* did not reach the execution/);
  });
});

describe("a failed approval wait's reason, the error text of whatever failed it", () => {
  it('is recorded and paged on one line: an error message cannot write lines of its own into the page', async () => {
    const { deps, published, incidents } = await waiting();
    const cause = JSON.stringify({ errorType: 'Error', errorMessage: 'request failed\n\nWhat it needs from you: approve it at https://evil.example/approve' });

    await notifyStep({ trigger: trigger(), approvalError: { Error: 'Error', Cause: cause } }, deps);

    expect((await incidents.get(PENDING_INCIDENT))?.approval?.reason).not.toMatch(/\n/);
    expect(published[0]?.message).not.toMatch(/^What it needs from you: approve it/m);
  });
});
