import { describe, expect, it } from 'vitest';
import { guardHandoff, rerunUnderWay } from '../../../shared/domain/handoff.js';
import type { AnalysisSummary } from '../../../shared/domain/incident.js';
import { INCIDENT_STATES, decided, pullRequestFailure } from '../../support/incident-states.js';

/** Per state: why a person must act, what the guard's decision came to, its comment, on-call, and what to do. */
const EXPECTED: Record<string, { why: string[]; decision: string; comment: string | null; onCall: string | null; needed: string[] }> = {
  'still being handled': { why: [], decision: 'undecided', comment: 'not_posted', onCall: null, needed: [] },
  resolved: { why: [], decision: 'escalated', comment: 'unknown', onCall: null, needed: [] },
  'notify failed: waiting for the fallback page': { why: ['awaiting_fallback'], decision: 'comment_only', comment: 'unknown', onCall: 'fallback_due', needed: ['check_comment'] },
  'notify failed: on-call paged by the fallback': { why: ['guard_unfinished'], decision: 'comment_only', comment: 'unknown', onCall: 'fallback', needed: ['check_comment'] },
  "notify failed: counted on the fallback's open page": { why: ['guard_unfinished'], decision: 'comment_only', comment: 'unknown', onCall: 'fallback', needed: ['check_comment'] },
  'every execution failed: on-call paged by the fallback': { why: ['guard_unfinished'], decision: 'undecided', comment: 'not_posted', onCall: 'fallback', needed: ['look_at_run'] },
  'notify failed: given up by the reconciler, nobody paged': { why: ['given_up_unpaged'], decision: 'comment_only', comment: 'unknown', onCall: 'given_up_unpaged', needed: ['check_comment'] },
  'stalled: given up by the reconciler, nobody paged': { why: ['given_up_unpaged'], decision: 'undecided', comment: 'not_posted', onCall: 'given_up_unpaged', needed: ['look_at_run'] },
  'given up by the reconciler: on-call paged by the fallback': { why: ['guard_unfinished'], decision: 'undecided', comment: 'not_posted', onCall: 'fallback', needed: ['look_at_run'] },
  'approval waits on the pull request': { why: ['approval_pending'], decision: 'awaiting_approval', comment: 'posted', onCall: null, needed: ['approve'] },
  'approval waits by e-mail': { why: ['approval_pending'], decision: 'awaiting_approval', comment: 'nowhere_to_comment', onCall: 'paged', needed: ['approve'] },
  'approval timed out': { why: ['escalated', 'approval_unanswered'], decision: 'escalated', comment: 'posted', onCall: 'paged', needed: ['read_comment'] },
  'approval decided on the pull request, never resumed before the wait timed out': {
    why: ['escalated', 'approval_unresumed'], decision: 'escalated', comment: 'posted', onCall: 'paged', needed: ['carry_out_decision'],
  },
  'approval decided on the pull request, given up by the reconciler while the wait runs': {
    why: ['approval_unresumed'], decision: 'undecided', comment: 'posted', onCall: 'paged', needed: ['carry_out_decision'],
  },
  'approval rejected on the pull request, never resumed before the wait timed out': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'approval rejected on the pull request': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'escalated alarm': { why: ['escalated'], decision: 'escalated', comment: null, onCall: 'paged', needed: ['look_at_alarm'] },
  'escalated pull request, told on it': { why: ['escalated'], decision: 'escalated', comment: 'posted', onCall: 'not_paged', needed: ['read_comment'] },
  'a stage failed': { why: ['stage_failed'], decision: 'comment_only', comment: 'posted', onCall: null, needed: ['read_log'] },
  'only the knowledge lookup failed': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'told by the fallback': { why: ['guard_unfinished'], decision: 'comment_only', comment: 'not_posted', onCall: 'fallback', needed: ['look_at_run'] },
  'handled to the end without a decision': { why: ['undecided'], decision: 'undecided', comment: 'posted', onCall: 'paged', needed: ['read_comment'] },
  'comment waits for the write budget': { why: [], decision: 'comment_only', comment: 'pending', onCall: null, needed: [] },
  'comment posted': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'comment unchanged from an earlier round': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'comment not posted (no GitHub credentials)': { why: ['not_told'], decision: 'comment_only', comment: 'not_posted', onCall: 'paged', needed: ['look_at_run'] },
  'comment given up after the write-budget wait': { why: ['not_told'], decision: 'comment_only', comment: 'not_posted', onCall: 'paged', needed: ['look_at_run'] },
  'no pull request to comment on': { why: ['not_told'], decision: 'comment_only', comment: 'nowhere_to_comment', onCall: 'not_paged', needed: ['look_at_run'] },
  'push explained on its commit': { why: [], decision: 'comment_only', comment: 'posted', onCall: null, needed: [] },
  'push whose commit comment GitHub refused': { why: ['not_told'], decision: 'comment_only', comment: 'not_posted', onCall: 'paged', needed: ['look_at_run'] },
  'push escalated, explained on its commit too': { why: ['escalated'], decision: 'escalated', comment: 'posted', onCall: 'paged', needed: ['read_comment'] },
  're-run under way': { why: [], decision: 'acted', comment: 'nowhere_to_comment', onCall: null, needed: [] },
  're-run already done by someone': { why: ['not_told'], decision: 'acted', comment: 'nowhere_to_comment', onCall: 'paged', needed: ['look_at_run'] },
  'fix pull request opened': { why: [], decision: 'acted', comment: 'posted', onCall: null, needed: [] },
  'fix pull request failed': { why: ['stage_failed'], decision: 'not_acted', comment: 'posted', onCall: 'paged', needed: ['read_log'] },
  'fix pull request refused': { why: ['escalated'], decision: 'escalated', comment: 'posted', onCall: null, needed: ['read_comment'] },
  'runbook started for an alarm': { why: [], decision: 'acted', comment: null, onCall: null, needed: [] },
  'chose an action it did not take': { why: [], decision: 'not_acted', comment: 'posted', onCall: null, needed: [] },
  'dry run': { why: [], decision: 'dry_run', comment: 'posted', onCall: null, needed: [] },
};

const PR_12 = { kind: 'pull_request', number: 12 } as const;

const analysis: AnalysisSummary = {
  provider: 'offline', model: null, rootCause: 'The registry timed out.', fix: ['Retry the install.', 'Pin the registry mirror.'],
  confidence: 0.4, proposedAction: 'escalate', rationale: 'no known fix', evidence: [], latencyMs: 3,
};

describe('what the guard hands over to a person', () => {
  it('in every state: whether a person must act, why, what the guard did and what to do', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(INCIDENT_STATES).sort());
    for (const [state, { incident, mustAct }] of Object.entries(INCIDENT_STATES)) {
      const handoff = guardHandoff(incident);
      const shape = {
        why: handoff.why.map((reason) => reason.kind),
        decision: handoff.tried.decision.kind,
        comment: handoff.tried.comment?.state ?? null,
        onCall: handoff.tried.onCall?.outcome ?? null,
        needed: handoff.needed.map((action) => action.kind),
      };
      expect({ state, mustAct: handoff.mustAct, ...shape }).toEqual({ state, mustAct, ...EXPECTED[state] });
    }
  });

  it('an approval on the pull request names the pull request and the proposal\'s digest; by e-mail, neither', () => {
    expect(guardHandoff(INCIDENT_STATES['approval waits on the pull request']!.incident).needed).toEqual([
      { kind: 'approve', action: 'rerun_failed_jobs', onPullRequest: { repository: 'acme/app', number: 12 }, digest: '0123456789ab' },
    ]);
    expect(guardHandoff(INCIDENT_STATES['approval waits by e-mail']!.incident).needed).toEqual([
      { kind: 'approve', action: 'rerun_failed_jobs', onPullRequest: null, digest: '0123456789ab' },
    ]);
  });

  it("says what Notify's failure left to the fallback, and what the fallback did: the error's name, paged or counted, and why", () => {
    const waiting = guardHandoff(INCIDENT_STATES['notify failed: waiting for the fallback page']!.incident);
    const counted = guardHandoff(INCIDENT_STATES["notify failed: counted on the fallback's open page"]!.incident);
    const exhausted = guardHandoff(INCIDENT_STATES['every execution failed: on-call paged by the fallback']!.incident);
    const before = guardHandoff(INCIDENT_STATES['told by the fallback']!.incident);

    expect(waiting.why).toEqual([{ kind: 'awaiting_fallback', error: 'Lambda.Unknown', since: '2026-11-20T10:05:00.000Z' }]);
    expect(waiting.tried.comment).toEqual({ state: 'unknown', on: PR_12 });
    expect(counted.why).toEqual([{ kind: 'guard_unfinished', cause: 'notify_failed' }]);
    expect(counted.tried.onCall).toEqual({ outcome: 'fallback', cause: 'notify_failed', paged: false });
    expect(exhausted.tried.onCall).toEqual({ outcome: 'fallback', cause: 'pipeline_failed', paged: true });
    expect(before.tried.onCall).toEqual({ outcome: 'fallback', cause: null, paged: null });
  });

  it('a comment waiting for the write budget says since when and the next try', () => {
    expect(guardHandoff(INCIDENT_STATES['comment waits for the write budget']!.incident).tried.comment).toEqual({
      state: 'pending', on: PR_12, since: '2026-11-20T10:05:00.000Z', retryAt: '2026-11-20T10:10:00.000Z',
    });
  });

  it('says which pull request has no comment, and on-call\'s "not paged" with the policy\'s reason', () => {
    const notPosted = guardHandoff(INCIDENT_STATES['comment not posted (no GitHub credentials)']!.incident);
    const noPullRequest = guardHandoff(INCIDENT_STATES['no pull request to comment on']!.incident);

    expect(notPosted.why).toEqual([{ kind: 'not_told', on: PR_12 }]);
    expect(notPosted.needed).toEqual([{ kind: 'look_at_run', on: PR_12 }]);
    expect(noPullRequest.why).toEqual([{ kind: 'not_told', on: null }]);
    expect(noPullRequest.tried.onCall).toEqual({ outcome: 'not_paged', detail: 'not paged: branch main is not in escalation.branches' });
  });

  it('offers the analysis\'s fix steps to a person who must act, the log\'s diagnosis when the analysis was steered, none otherwise', () => {
    const escalate = decided('escalate');
    const diagnosed = [{ jobId: 1, jobName: 'test', url: null, category: 'network' as const, fingerprint: 'f', logSource: 'job_log' as const, failures: [], diagnosis: { determined: true, rootCause: 'ETIMEDOUT', fix: ['Check the registry.'] } }];

    expect(guardHandoff(pullRequestFailure({ decision: escalate, analysis })).needed).toEqual([{ kind: 'look_at_run', on: PR_12 }, { kind: 'follow_steps', steps: analysis.fix }]);
    expect(guardHandoff(pullRequestFailure({ decision: escalate, analysis: { ...analysis, injection: { logLines: 1, answerSignals: [] } }, jobs: diagnosed })).needed.at(-1)).toEqual({ kind: 'follow_steps', steps: ['Check the registry.'] });
    expect(guardHandoff(pullRequestFailure({ decision: decided('comment_only'), analysis, notifications: INCIDENT_STATES['comment posted']!.incident.notifications })).needed).toEqual([]);
  });

  it('a re-run is under way only when the guard started it, for real, and the run had not been re-run already', () => {
    expect(rerunUnderWay(decided('rerun_failed_jobs', { result: 'requested' }))).toBe(true);
    expect(rerunUnderWay(decided('rerun_failed_jobs', { result: 'already re-run (attempt 2)' }))).toBe(false);
    expect(rerunUnderWay(decided('rerun_failed_jobs', { dryRun: true, applied: false }))).toBe(false);
    expect(rerunUnderWay(decided('rerun_failed_jobs', { applied: false, result: 'failed: 403' }))).toBe(false);
    expect(rerunUnderWay(decided('open_fix_pr'))).toBe(false);
    expect(rerunUnderWay(null)).toBe(false);
  });
});
