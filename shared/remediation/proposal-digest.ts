/**
 * What `/guard approve` binds to. A proposal that waits for approval can change under the comment that shows it (a
 * re-drive or a restart runs the analysis again, and the model answers with another patch); the comment is then
 * edited, and a maintainer who read the earlier diff would approve one they never saw. So the request shows a short
 * digest of exactly what would be applied, the approval names it, and it decides only while the proposal still has
 * that digest; the remediate stage compares it once more before it applies anything.
 */
import { createHash } from 'node:crypto';
import type { ApprovalState, Incident, RemediationAction, StoredPlan } from '../domain/incident.js';

/**
 * Hex characters of the SHA-256 shown: 48 bits are quick to copy and still far too many to search for a second
 * patch (a model's answer steered by a log) that has the same digest as the one shown.
 */
const DIGEST_CHARS = 12;
/** A digest as a comment may give it; compared in lower case. */
export const PROPOSAL_DIGEST = /* @__PURE__ */ (() => new RegExp(`^[0-9a-f]{${DIGEST_CHARS}}$`, 'i'))();

/** What applying an action to an incident would do: the action, on that incident, with the patch a fix PR commits. */
export interface Proposal {
  incidentId: string;
  action: RemediationAction;
  /** The diff a fix PR commits; null for every other action, which commits nothing. */
  diff: string | null;
}

/** The digest of a proposal (see the module comment). */
export function proposalDigest(proposal: Proposal): string {
  // A JSON array keeps the fields apart: no diff can end one field and start the next.
  const canonical = JSON.stringify(['pipeline-guard-proposal-v1', proposal.incidentId, proposal.action, proposal.diff]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, DIGEST_CHARS);
}

/** What applying `action` to this incident would do, from what is stored on it now. */
export function proposalOf(incident: Pick<Incident, 'id' | 'analysis'>, action: RemediationAction): Proposal {
  return { incidentId: incident.id, action, diff: action === 'open_fix_pr' ? (incident.analysis?.patch?.diff ?? null) : null };
}

/** The digest of the incident's stored plan as it stands now; null when nothing is planned. */
export function plannedProposalDigest(incident: Pick<Incident, 'id' | 'analysis' | 'plan'>): string | null {
  return incident.plan ? proposalDigest(proposalOf(incident, incident.plan.action)) : null;
}

/**
 * The digest of what the incident's stored plan would do, whichever incident it is on: its action, what the action
 * acts on and, for a fix PR, the diff. A runbook answers its alarm (the allow-list maps the alarm's name to it), so two
 * firings of one alarm with the same plan have the same digest; any other action acts on the incident's own run, so
 * its digest is the incident's alone. Null when nothing is planned, or when the plan is no longer the one its approval
 * request showed (a re-analysis since): an approval given to one incident's request may then decide another's only if
 * the two digests agree (shared/notify/approval-carry.ts).
 */
export function actingProposalDigest(incident: Pick<Incident, 'id' | 'source' | 'alarm' | 'analysis' | 'plan' | 'approval'>): string | null {
  const planned = plannedProposalDigest(incident);
  if (!incident.plan || !planned || (incident.approval?.digest && incident.approval.digest !== planned)) return null;
  const { action } = incident.plan;
  const target = action === 'run_runbook' && incident.source === 'cloudwatch' && incident.alarm?.arn ? `alarm:${incident.alarm.arn}` : `incident:${incident.id}`;
  const canonical = JSON.stringify(['pipeline-guard-acting-proposal-v1', target, action, proposalOf(incident, action).diff]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, DIGEST_CHARS);
}

/**
 * The revision of an approval request that shows `digest`: 1 for the first proposal shown, one more each time a
 * request shows a different one. A request stored before digests were recorded counts as the first.
 */
export function revisionAfter(previous: ApprovalState | null | undefined, digest: string | null): number {
  const revision = previous?.revision ?? 1;
  return previous?.digest && previous.digest !== digest ? revision + 1 : revision;
}

export type ApprovalBinding = { ok: true; digest: string } | { ok: false; why: 'changing' | 'changed' | 'revised'; digest: string };

/**
 * Whether an approval naming `given` (null: it names none) may decide the proposal waiting on `incident`, with the
 * proposal's digest now:
 * - `changing`: the proposal differs from the one its request showed, and the request that shows it is yet to come;
 * - `changed`: the digest named is not the proposal's;
 * - `revised`: none named, and the proposal changed since it was first shown, so which one was read is unknown.
 * A request stored before digests were recorded is taken as showing the proposal as it is now.
 */
export function bindApproval(
  incident: Pick<Incident, 'id' | 'analysis' | 'approval'> & { plan: Pick<StoredPlan, 'action'> },
  given: string | null,
): ApprovalBinding {
  const digest = proposalDigest(proposalOf(incident, incident.plan.action));
  const shown = incident.approval?.digest;
  if (shown && shown !== digest) return { ok: false, why: 'changing', digest };
  if (given !== null) return given.toLowerCase() === digest ? { ok: true, digest } : { ok: false, why: 'changed', digest };
  return (incident.approval?.revision ?? 1) > 1 ? { ok: false, why: 'revised', digest } : { ok: true, digest };
}
