import { describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../../shared/domain/incident.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { commandAnswerMarker } from '../../../shared/notify/command-reply.js';
import { createFakeGitHub, createMemoryCommandAnswers } from '../../support/fakes.js';
import { INDEXED_REPOSITORY, PENDING_INCIDENT, PENDING_PULL_REQUEST, pendingApproval, reconcilerOver, signedCommentDelivery } from '../../support/comment-commands.js';

/**
 * A rolling deploy runs this version next to the one before (session 67), which writes an approval whole (SET approval
 * = its object): of this version's fields it erases what it does not know and did not read back — `overtook` and
 * `alsoCommanded` (session 68) when it builds the approval anew (its Notify's record of the wait's end) — and it keeps
 * fields it does not know when it spreads the approval it read. This version's readers must take both items: one
 * missing the new fields, one carrying fields neither version knows.
 */
const SECRET = 'older-version';
const TIMED_OUT_TEXT = 'The `/guard approve` from `maintainer` was not carried out: the approval wait timed out before the guard could resume its pipeline with it, and nothing was applied.';

describe('an approval the version before wrote whole', () => {
  it("missing alsoCommanded and overtook (its Notify's wait timed out, built anew): the reconciler tells the decision's command, and ends", async () => {
    // Prepare: a decision whose resume failed ("not carried out yet"); the old version's Notify then records the
    // wait's timeout over it with only the fields it knows.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const made = await pendingApproval({ secret: SECRET, github: github.port, answers: () => answers, taskError: Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' }) });
    await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 701 }), made.deps()).catch(() => undefined);
    const decided = (await made.incidents.get(PENDING_INCIDENT))?.approval as ApprovalState;
    const writtenWhole = {
      status: 'timed_out', taskToken: null, requestedAt: decided.requestedAt, decidedAt: decided.decidedAt, decidedBy: decided.decidedBy, reason: 'timed out',
      unresumed: 'approved', commandCommentId: 701,
    } as ApprovalState;
    await made.incidents.update(PENDING_INCIDENT, { approval: writtenWhole });

    // Act
    const result = await reconcilerOver(made, github.port, () => answers)('2026-11-20T10:20:00Z');

    // Assert
    expect(result).toMatchObject({ gone: 1, failed: [], abandoned: [] });
    expect(github.comments.get(`acme-shop/checkout-service#${PENDING_PULL_REQUEST} ${commandAnswerMarker(701)}`)).toBe(TIMED_OUT_TEXT);
    expect(made.approvalResumes.entries.size).toBe(0);
  });

  it('carrying fields neither version knows: a command decides and resumes it, the fields kept, and the reconciler finds nothing to do', async () => {
    // Prepare: the pending request as a version with more fields wrote it, spread whole by the version before.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const answers = createMemoryCommandAnswers();
    const unknown = { laterMark: 'kept', laterReplies: [{ commentId: 9, by: 'someone' }] };
    const made = await pendingApproval({
      secret: SECRET, github: github.port, answers: () => answers,
      fields: { approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null, ...unknown } as ApprovalState },
    });

    // Act
    const response = await handleIssueCommentWebhook(signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 702 }), made.deps());
    const result = await reconcilerOver(made, github.port, () => answers)('2026-11-20T10:20:00Z');

    // Assert
    expect(response.statusCode).toBe(202);
    expect(made.tasks).toEqual([['succeed', 'token-1', expect.anything()]]);
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', taskToken: null, decidedBy: 'maintainer', ...unknown });
    expect(result).toMatchObject({ resumed: [], failed: [] });
    expect(await made.approvals.pending(INDEXED_REPOSITORY, PENDING_PULL_REQUEST)).toEqual([]);
  });
});
