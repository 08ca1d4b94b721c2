import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { handleIssueCommentWebhook } from '../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../shared/steps/notify.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps } from '../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval } from '../support/comment-commands.js';
import { interceptedSends, scratchStoreForFile } from '../support/harness.js';

/**
 * Notify's record of how an approval wait ended is written only over the approval it read, on the embedded DynamoDB
 * the local runtime runs: a `/guard approve` whose handler recorded its decision between Notify's read and its write
 * (and could not resume the execution, whose wait had timed out) is kept, and on-call is told of it. Written over
 * unconditionally, the decision was lost and the page said nobody had approved.
 */
const scratch = scratchStoreForFile('approval-outcome-as-read');
const SECRET = 'outcome-secret';

function approveDelivery() {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: PENDING_PULL_REQUEST, pull_request: { url: 'x' } },
    comment: { id: 91, body: '/guard approve', user: { login: 'maintainer', type: 'User' }, created_at: '2026-11-20T10:04:00Z', author_association: 'MEMBER' },
    repository: { id: INDEXED_REPOSITORY.id, full_name: INDEXED_REPOSITORY.name, name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

describe("notify's record of a timed-out approval wait, on the embedded DynamoDB", () => {
  it("keeps a /guard approval recorded between Notify's read and its write, and pages with it", async () => {
    // Prepare: the proposal waits on the DynamoDB store; the command's resume fails (Step Functions answers 5xx).
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const store = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const made = await pendingApproval({
      secret: SECRET, github: github.port, answers: createMemoryCommandAnswers, incidents: store, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }),
    });
    // The command is delivered once Notify has read the incident, before it writes: between its read and its write.
    const handled: string[] = [];
    const notifyClient = interceptedSends(scratch.client, async (command, send) => {
      const read = await send();
      if (command.constructor.name === 'GetCommand' && handled.length === 0) {
        handled.push(await handleIssueCommentWebhook(approveDelivery(), made.deps()).then((answer) => `answered ${answer.statusCode}`, (error: Error) => `threw ${error.name}`));
      }
      return read;
    });
    const { deps, published } = stepDeps({
      github: github.port,
      incidents: createIncidentStore({ client: notifyClient, tableName: 'incidents', ttlDays: 30 }),
      remediation: remediationDeps({ approvals: made.approvals }),
      clock: () => new Date('2026-11-20T10:06:00Z'),
    });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');

    // Act: AwaitApproval's Catch hands Notify the timeout.
    await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);

    // Assert
    expect(handled).toEqual(['threw ServiceUnavailable']);
    const incident = await store.get(PENDING_INCIDENT);
    expect(incident?.approval).toMatchObject({ status: 'timed_out', unresumed: 'approved', decidedBy: 'maintainer', taskToken: null });
    expect(incident?.decision).toMatchObject({ action: 'escalate', applied: false, reason: expect.stringMatching(/^maintainer approved "re-run the failed jobs"/) });
    expect(published).toHaveLength(1);
    expect(published[0]?.message).not.toMatch(/nobody answered/);
  });
});
