import { describe, expect, it } from 'vitest';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryCommandAnswers, remediationDeps, stepDeps } from '../../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval, signedCommentDelivery } from '../../support/comment-commands.js';
import { overtakenCommand, type WaitEnd } from '../../support/overtaken-command.js';

const SECRET = 'overtaken-secret';
const COMMAND_COMMENT = 77;

/** A `/guard <command>` recorded while the wait's Notify read the incident, then the wait's end recorded over it. */
const overtakenBy = (command: string, waitEnd: WaitEnd) => overtakenCommand({ secret: SECRET, command, commentId: COMMAND_COMMENT, waitEnd });

describe('a /guard decision overtaken by the end of its wait, whose reply said it was not carried out yet', () => {
  it('is told, once, that it was not carried out: on-call rejected the proposal by e-mail', async () => {
    const { reconcile, replies, incidents } = await overtakenBy('/guard approve', { Error: 'ApprovalRejected', Cause: 'a real bug' });
    expect(replies()).toEqual([expect.stringMatching(/is recorded, but not carried out yet/)]);

    await reconcile('2026-11-20T10:20:00Z');
    await reconcile('2026-11-20T10:30:00Z');

    expect((await incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'rejected', decidedBy: null });
    expect(replies()).toEqual(['The `/guard approve` from `maintainer` was not carried out: on-call rejected the proposal by e-mail before the guard could resume its pipeline with it, and nothing was applied.']);
  });

  it('is told that the approval wait failed before it could be carried out', async () => {
    const { reconcile, replies } = await overtakenBy('/guard approve', { Error: 'ProvisionedThroughputExceededException', Cause: 'Rate exceeded' });

    await reconcile('2026-11-20T10:20:00Z');

    expect(replies()).toEqual(['The `/guard approve` from `maintainer` was not carried out: the approval wait failed before the guard could resume its pipeline with it, and nothing was applied.']);
  });
});

describe("a /guard approve whose write lost to the wait's end (Notify recorded it between the command's read and its write)", () => {
  it('is told the wait had ended, not that someone decided already', async () => {
    // Prepare: the command reads the proposal pending; the wait's timeout is recorded before the command's write.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers, fields: { approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', expiresAt: '2026-11-20T10:04:30.000Z', decidedAt: null, decidedBy: null, reason: null } } });
    const { deps } = stepDeps({ github: github.port, incidents: made.incidents, remediation: remediationDeps({ approvals: made.approvals }), clock: () => new Date('2026-11-20T10:04:40Z') });
    const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
    const command = made.deps();
    const replace = made.incidents.replaceApproval.bind(made.incidents);
    let ended = false;
    command.incidents = {
      ...made.incidents,
      async replaceApproval(...args) {
        if (!ended) {
          ended = true;
          await notifyStep({ trigger, approvalError: { Error: 'States.Timeout', Cause: '' } }, deps);
        }
        return replace(...args);
      },
    };

    // Act
    const answer = await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 88 }), command);

    // Assert
    expect(answer.statusCode).toBe(200);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval?.status).toBe('timed_out');
    const [reply] = [...github.comments.entries()].filter(([key]) => key.includes('command-answer:88 ')).map(([, body]) => body);
    expect(reply).toBe('The `/guard approve` from `maintainer` decided nothing: the approval wait of `gh-714523861-11862439017-1` had ended (at `2026-11-20T10:04:30.000Z`) before its pipeline could be resumed: nothing is applied.');
  });
});
