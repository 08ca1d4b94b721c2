import { describe, expect, it } from 'vitest';
import { scratchStoreForFile } from '../support/harness.js';
import { holderFollowFailedForGood, reconcileRunbookChecksAt, runbookEpisode } from '../support/alarm-events.js';

/*
 * The take of a run check's page (takeCheckPage, session 44: attack-46b B4, B5): a reconciler run that took a page and
 * died before recording it (its publish refused here) holds the take a reconciler period at most; a run within it
 * leaves the entry, and the next one takes the page over, so it still goes, once.
 */

const scratch = scratchStoreForFile('guard-check-page-takes');

describe('a run check page taken by a run that died before recording it', () => {
  it("is left alone within a reconciler period and taken over after it: the followed run's outcome is paged once", async () => {
    const ep = await runbookEpisode(scratch.client, 'takes', 1, { status: 'InProgress' });
    const { deps, published, runner, first } = ep;
    await holderFollowFailedForGood(deps, first, 'Task timed out');
    runner.status = async (executionId) => ({ executionId, status: 'Failed', failureMessage: 'step failed' });
    const publish = deps.escalations.publish.bind(deps.escalations);
    deps.escalations.publish = async () => {
      throw new Error('SNS: Internal error');
    };
    const pagesBefore = published.length;
    const outcomePages = () => published.slice(pagesBefore).filter((p) => p.message.includes('finished: Failed'));

    expect((await reconcileRunbookChecksAt(ep, '14:30:00')).failed).toEqual([first.incidentId]);
    deps.escalations.publish = publish;
    const within = await reconcileRunbookChecksAt(ep, '14:32:00');
    expect(within).toMatchObject({ paged: [], failed: [], dropped: 0 });
    expect(outcomePages()).toHaveLength(0);

    expect((await reconcileRunbookChecksAt(ep, '14:35:00')).paged).toEqual([first.incidentId]);
    await reconcileRunbookChecksAt(ep, '14:40:00');
    expect(outcomePages()).toHaveLength(1);
  });
});
