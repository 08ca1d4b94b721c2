import { describe, expect, it } from 'vitest';
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
