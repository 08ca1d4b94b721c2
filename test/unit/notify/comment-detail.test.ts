import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import type { Incident } from '../../../shared/domain/incident.js';
import { pullRequestComment } from '../../../shared/notify/pull-request.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore } from '../../support/memory-store.js';

/** An experiment arm's `commentDetail` decides which comment the pull request gets. */
function incident(commentDetail?: 'short' | 'full', pending = false): Incident {
  const base = newIncident(
    {
      id: 'gh-1-2-1', source: 'github', repository: null, pullRequest: null, workflowName: 'CI', runId: 2, runAttempt: 1, category: 'network',
      failureLines: [{ line: 8, text: 'npm error code ECONNRESET' }],
      analysis: { provider: 'openai', model: 'm', rootCause: 'The registry reset the connection.', fix: ['Re-run the job.'], confidence: 0.9, proposedAction: 'rerun_failed_jobs', rationale: 'transient', evidence: [], latencyMs: 1 },
    } as never,
    new Date('2026-11-20T10:00:00Z'),
  );
  return {
    ...base,
    experiment: { experimentId: 'detail', variant: 'arm', action: 'comment_only', params: commentDetail ? { commentDetail } : {}, key: 'k', assignedAt: '2026-11-20T10:00:00Z' },
    ...(pending ? { approval: { status: 'pending', taskToken: 't', requestedAt: 'x', decidedAt: null, decidedBy: null, reason: null }, plan: { action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', reasons: ['policy'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: 'x' } } : {}),
  } as Incident;
}

describe('comment detail per experiment arm', () => {
  const store = createMemoryStore(() => new Date());

  it('leaves the log excerpt and fix steps out of the short comment only', async () => {
    const short = await pullRequestComment(incident('short'), store, silentLogger);
    const full = await pullRequestComment(incident(), store, silentLogger);

    expect(short).toContain('registry reset the connection');
    expect(short).not.toContain('npm error code ECONNRESET');
    // The fix steps are the analysis' numbered list (the comment's wording for it changed with issue 13).
    expect(short).not.toContain('1. Re\\-run the job');
    expect(full).toContain('npm error code ECONNRESET');
    expect(full).toContain('1. Re\\-run the job');
    expect(short.length).toBeLessThan(full.length);
  });

  it('shows a proposal waiting for approval in full, whatever the arm says', async () => {
    const comment = await pullRequestComment(incident('short', true), store, silentLogger);

    expect(comment).toContain('waiting for approval');
  });

  it("tells the approver of a fix PR that approving runs it with the repository's secrets (attacker pass, session 35)", async () => {
    // Prepare: the commit goes to a branch of the repository itself, where its push and pull-request workflows run
    const pending = incident('full', true);
    const fixPr = { ...pending, plan: { ...pending.plan, action: 'open_fix_pr', proposed: 'open_fix_pr' } } as Incident;

    // Act
    const comment = await pullRequestComment(fixPr, store, silentLogger);

    // Assert
    expect(comment).toContain("run it with the repository's secrets: approve only a change you would run yourself");
  });
});
