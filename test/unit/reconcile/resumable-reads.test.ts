import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { readReactionFeedback } from '../../../shared/knowledge/reactions.js';
import { resumableReads, resumeProgress } from '../../../shared/reconcile/resumable-reads.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createFakeGitHub } from '../../support/fakes.js';

const COMMENT = 99;
const reaction = (user: string) => ({ user, content: '+1', userType: 'User', createdAt: '2026-11-20T10:05:00Z' });

describe('what a paused late read of reactions kept, read back', () => {
  it('is taken when well-formed and of the same comment; anything else starts the read again', () => {
    const kept = { commentId: COMMENT, reactions: { '+1': { items: [reaction('maya')], pages: 1, more: false } }, permissions: [{ login: 'maya', role: 'write' }], acrossRuns: false };

    expect(resumeProgress(kept, COMMENT)).toEqual(kept);
    const fresh = { commentId: COMMENT, reactions: {}, permissions: [], acrossRuns: false };
    expect(resumeProgress(null, COMMENT)).toEqual(fresh);
    expect(resumeProgress(kept, COMMENT + 1)).toEqual({ ...fresh, commentId: COMMENT + 1 });
    expect(resumeProgress({ ...kept, permissions: [{ login: 'maya', role: 'owner' }] }, COMMENT)).toEqual(fresh);
    const tooMany = { ...kept, reactions: { '+1': { items: Array.from({ length: 501 }, (_, i) => reaction(`u${i}`)), pages: 5, more: true } } };
    expect(resumeProgress(tooMany, COMMENT)).toEqual(fresh);
  });

  it('says a list left part-read is read across runs', () => {
    const partRead = { commentId: COMMENT, reactions: { '+1': { items: [reaction('maya')], pages: 1, more: true } }, permissions: [], acrossRuns: false };

    expect(resumeProgress(partRead, COMMENT).acrossRuns).toBe(true);
  });
});

describe('a late read resumed over runs', () => {
  it('takes back no vote whose reaction is missing from lists read across runs', async () => {
    // Prepare: maya's 👍 was read on page 1 in an earlier run; lee's is on the comment now, maya's removed meanwhile
    const github = createFakeGitHub();
    github.permissions.set('maya', 'write');
    github.permissions.set('lee', 'write');
    github.reactions.push(reaction('lee'));
    const incident = newIncident(
      { id: 'gh-1-2-1', source: 'github', repository: 'acme/app', pullRequest: 7, notifications: [{ channel: 'github_comment', target: 'acme/app#7', outcome: 'created', detail: null, at: '2026-11-20T10:00:00Z', commentId: COMMENT }] },
      new Date('2026-11-20T10:00:00Z'),
    );
    const withdrawn: string[][] = [];
    const learning = {
      onFeedback: async () => ({ counted: true, previous: null }),
      withdrawReactionVotes: async (_incident: unknown, _commentId: number, reacting: ReadonlySet<string>) => (withdrawn.push([...reacting]), 0),
    } as unknown as Learning;
    const progress = resumeProgress({ commentId: COMMENT, reactions: { '+1': { items: [reaction('maya')], pages: 1, more: true } }, permissions: [], acrossRuns: false }, COMMENT);

    // Act
    await readReactionFeedback(incident, resumableReads(github.port, { left: 10 }, progress), { learning, logger: silentLogger, readAcrossRuns: progress.acrossRuns });

    // Assert: counted what it read, took nothing back
    expect(withdrawn).toEqual([]);
  });
});
