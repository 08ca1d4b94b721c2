import { describe, expect, it } from 'vitest';
import type { ApprovalState, Incident, StoredPlan } from '../../../shared/domain/incident.js';
import { PROPOSAL_DIGEST, bindApproval, plannedProposalDigest, proposalDigest, proposalOf, revisionAfter } from '../../../shared/remediation/proposal-digest.js';

const ID = 'gh-714523861-11862439017-1';
const PATCH_A = ['--- a/src/tax.ts', '+++ b/src/tax.ts', '@@ -1 +1 @@', '-export const rate = 0.2;', '+export const rate = 0.19;', ''].join('\n');
const PATCH_B = PATCH_A.replace('0.19', '0.18');

function plan(action: StoredPlan['action']): StoredPlan {
  return { action, proposed: action, reasons: [], requiresApproval: true, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:00Z' };
}

function waiting(diff: string, approval: Partial<ApprovalState> = {}): Pick<Incident, 'id' | 'analysis' | 'approval'> & { plan: StoredPlan } {
  return {
    id: ID,
    plan: plan('open_fix_pr'),
    analysis: { provider: 'openai', model: 'm', rootCause: 'r', fix: [], confidence: 0.95, proposedAction: 'open_fix_pr', rationale: 'r', evidence: [], latencyMs: 1, patch: { diff, files: ['src/tax.ts'] } },
    approval: { status: 'pending', taskToken: 't', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null, ...approval },
  };
}

describe('proposal digest', () => {
  it('is 12 hex characters of a SHA-256 over the incident, the action and the diff a fix PR commits', () => {
    const digest = proposalDigest({ incidentId: ID, action: 'open_fix_pr', diff: PATCH_A });

    expect(digest).toMatch(PROPOSAL_DIGEST);
    expect(digest).toHaveLength(12);
    expect(proposalDigest({ incidentId: ID, action: 'open_fix_pr', diff: PATCH_A })).toBe(digest);
    expect(proposalDigest({ incidentId: ID, action: 'open_fix_pr', diff: PATCH_B })).not.toBe(digest);
    expect(proposalDigest({ incidentId: 'gh-714523861-999-1', action: 'open_fix_pr', diff: PATCH_A })).not.toBe(digest);
    expect(proposalDigest({ incidentId: ID, action: 'rerun_failed_jobs', diff: null })).not.toBe(proposalDigest({ incidentId: ID, action: 'run_runbook', diff: null }));
  });

  it('takes the patch only for a fix PR: a re-run commits nothing, so a new patch does not change it', () => {
    const rerun = (diff: string) => plannedProposalDigest({ ...waiting(diff), plan: plan('rerun_failed_jobs') });

    expect(proposalOf(waiting(PATCH_A), 'rerun_failed_jobs').diff).toBeNull();
    expect(rerun(PATCH_A)).toBe(rerun(PATCH_B));
    expect(plannedProposalDigest(waiting(PATCH_A))).not.toBe(plannedProposalDigest(waiting(PATCH_B)));
    expect(plannedProposalDigest({ ...waiting(PATCH_A), plan: null })).toBeNull();
  });

  it('counts a revision each time a request shows a different proposal', () => {
    const first = revisionAfter(null, 'aaaaaaaaaaaa');
    const same = revisionAfter({ ...waiting(PATCH_A).approval!, digest: 'aaaaaaaaaaaa', revision: first }, 'aaaaaaaaaaaa');
    const changed = revisionAfter({ ...waiting(PATCH_A).approval!, digest: 'aaaaaaaaaaaa', revision: same }, 'bbbbbbbbbbbb');
    const legacy = revisionAfter(waiting(PATCH_A).approval, 'bbbbbbbbbbbb');

    expect([first, same, changed, legacy]).toEqual([1, 1, 2, 1]);
  });
});

describe('binding an approval to the proposal shown', () => {
  const d1 = plannedProposalDigest(waiting(PATCH_A)) as string;
  const d2 = plannedProposalDigest(waiting(PATCH_B)) as string;

  it('takes the digest shown, in either case, and refuses another', () => {
    const shown = waiting(PATCH_A, { digest: d1, revision: 1 });

    expect(bindApproval(shown, d1)).toEqual({ ok: true, digest: d1 });
    expect(bindApproval(shown, d1.toUpperCase())).toEqual({ ok: true, digest: d1 });
    expect(bindApproval(shown, 'abcdefabcdef')).toEqual({ ok: false, why: 'changed', digest: d1 });
  });

  it('refuses the digest of the proposal shown before a re-analysis changed it', () => {
    const revised = waiting(PATCH_B, { digest: d2, revision: 2 });

    expect(bindApproval(revised, d1)).toEqual({ ok: false, why: 'changed', digest: d2 });
    expect(bindApproval(revised, d2)).toEqual({ ok: true, digest: d2 });
  });

  it('takes an approval without a digest only while the proposal never changed since it was first shown', () => {
    expect(bindApproval(waiting(PATCH_A, { digest: d1, revision: 1 }), null)).toEqual({ ok: true, digest: d1 });
    expect(bindApproval(waiting(PATCH_B, { digest: d2, revision: 2 }), null)).toEqual({ ok: false, why: 'revised', digest: d2 });
  });

  it('refuses any approval while a changed proposal is yet to be asked again, even one naming the new digest', () => {
    // The request showed PATCH_A; the analysis has since been rewritten to PATCH_B, whose request has not come yet.
    const changing = waiting(PATCH_B, { digest: d1, revision: 1 });

    expect(bindApproval(changing, d1)).toEqual({ ok: false, why: 'changing', digest: d2 });
    expect(bindApproval(changing, d2)).toEqual({ ok: false, why: 'changing', digest: d2 });
    expect(bindApproval(changing, null)).toEqual({ ok: false, why: 'changing', digest: d2 });
  });

  it('takes a request stored before digests were recorded as showing the proposal as it is', () => {
    expect(bindApproval(waiting(PATCH_A), null)).toEqual({ ok: true, digest: d1 });
    expect(bindApproval(waiting(PATCH_A), d2)).toEqual({ ok: false, why: 'changed', digest: d1 });
  });
});
