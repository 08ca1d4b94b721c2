import { describe, expect, it } from 'vitest';
import { TaskTokenSpentError } from '../../../shared/errors.js';
import { handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { createFakeGitHub, createMemoryCommandAnswers } from '../../support/fakes.js';
import { PENDING_INCIDENT, pendingApproval, signedCommentDelivery } from '../../support/comment-commands.js';

const SECRET = 'spent-as-read-secret';

describe("a /guard approve told its token is spent, with the decision kept for the request's retry meanwhile", () => {
  it('leaves the kept decision for the retry instead of writing the wait timed out over it', async () => {
    // Prepare: the proposal waits until 10:05:30. The maintainer's approval is recorded at 10:05:00; before its
    // SendTaskSuccess answers, the same command redelivered (10:05:10) is refused the token as spent before the wait's
    // end (its request failed, and AwaitApproval retries it with a new token) and keeps the decision for that retry.
    // The first handler's answer, also "spent", comes after 10:05:30.
    const github = createFakeGitHub();
    github.permissions.set('maintainer', 'maintain');
    const made = await pendingApproval({
      secret: SECRET, github: github.port, answers: createMemoryCommandAnswers,
      fields: { status: 'awaiting_approval', approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', expiresAt: '2026-11-20T10:05:30.000Z', decidedAt: null, decidedBy: null, reason: null } },
    });
    const delivery = signedCommentDelivery({ secret: SECRET, login: 'maintainer', body: '/guard approve', commentId: 501 });
    const spent = () => new TaskTokenSpentError('TaskTimedOut: Task Timed Out');
    const redelivered = { ...made.deps(), clock: () => new Date('2026-11-20T10:05:10Z'), tasks: { succeed: async () => { throw spent(); }, fail: async () => { throw spent(); } } };
    let now = new Date('2026-11-20T10:05:00Z');
    const first = {
      ...made.deps(),
      clock: () => now,
      tasks: {
        succeed: async () => {
          await handleIssueCommentWebhook(delivery, redelivered);
          now = new Date('2026-11-20T10:06:00Z');
          throw spent();
        },
        fail: async () => { throw spent(); },
      },
    };

    // Act
    await handleIssueCommentWebhook(delivery, first);

    // Assert: the decision stands, kept with its refused token for the retry to carry (it was written over as timed out).
    expect((await made.incidents.get(PENDING_INCIDENT))?.approval).toMatchObject({ status: 'approved', decidedBy: 'maintainer', taskToken: 'token-1', spentToken: 'token-1' });
  });
});
