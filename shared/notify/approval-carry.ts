/**
 * An e-mailed approval request speaks for its problem while it can be answered: a later incident of the problem
 * asking meanwhile (an alarm's next ALARM while it still fires, or back within the flap window of its OK) is counted
 * on it and e-mails nobody (shared/steps/notify.ts, `mailApprovalRequest`). The answer on-call gives to the e-mail
 * they hold reaches the execution of the incident that opened the request; once that incident recovered, the
 * remediate stage applies nothing to it, and the firing counted on the request waited out its timeout and paged,
 * although on-call had answered. So the answer is carried over: recorded as the decision of the problem's newest
 * incident waiting under that request, and listed for the reconciler, which resumes it as it resumes a `/guard`
 * decision whose handler died (shared/reconcile/approval-resumes.ts; Notify may not call Step Functions).
 *
 * Only what on-call was shown: the waiting incident's plan must do what the e-mailed one would have
 * ({@link actingProposalDigest}: the same runbook for the same alarm); another proposal is e-mailed to them instead.
 * One answer decides one incident (one runbook run): the holder's own while it still fires, else the newest counted.
 *
 * The other waits counted on the request end once the answer is applied: each with the same proposal is recorded
 * decided on the incident the answer went to (`decidedOn`) and listed for the reconciler, which ends its execution's
 * wait with {@link DECIDED_ON_ANOTHER} (a failure: AwaitApproval's Catch goes to Notify, never to ApplyApproved, so
 * the runbook does not run again, whatever Remediate's own claims say). Left waiting, each timed out and paged that
 * nobody answered, although on-call had. A wait whose timeout comes first (the reconciler down) ends the same way.
 *
 * The link between the two is written by the counted request, in this order: its own approval says which request it
 * is counted on, then the holder's timeline names it (an `approval_request_counted` entry), and the answer reads the
 * holder's timeline (one consistent read of one item), so it finds only requests that say so. A request counted while
 * the answer was being recorded reads the holder again after noting itself: answered and not carried to it, it is
 * e-mailed itself (its Notify took the claim over).
 */
import type { Decision, Incident } from '../domain/incident.js';
import { DECIDED_ON_ANOTHER, asRead, decidedOnAnotherInWords, waitEndedBy } from '../remediation/approval-resume.js';
import { actingProposalDigest } from '../remediation/proposal-digest.js';
import type { ApprovalResumes } from '../stores/approval-resumes.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { ACTION_WORDS, type ApprovalMailDeps, publishApprovalRequest } from './approval-mail.js';

/** The holder's timeline entry naming a request counted on it (its detail is the counted incident's id). */
const COUNTED = 'approval_request_counted';
/** The holder's timeline entry naming the incident its answer was carried over to (its detail is that id). */
const CARRIED = 'approval_carried_over';
/** The holder's timeline entry saying why its answer was carried over to nothing. */
const NOT_CARRIED = 'approval_not_carried_over';
/** Counted requests read when an answer comes, newest first: a flap's few; older ones have long been asked again. */
const COUNTED_READ = 10;
/** A counted wait's timeline entry saying the answer to the request it was counted on was applied on another incident. */
const DECIDED_ELSEWHERE = 'approval_decided_on_another';

export interface ApprovalCarryDeps extends ApprovalMailDeps {
  incidents: Pick<IncidentStore, 'get' | 'update' | 'replaceApproval'>;
  approvalResumes: Pick<ApprovalResumes, 'schedule'>;
  /** The reconciler's grace (`RECONCILE_AFTER_MINUTES`): a carried decision is listed that much earlier, for its next run. */
  reconcileAfterMinutes: number;
}

/** An answer to an e-mailed request, as its execution was resumed with it. */
export type EmailedDecision = { status: 'approved'; by: string; reason: null } | { status: 'rejected'; by: string | null; reason: string | null };

const countedOn = (holder: Incident): string[] => holder.history.filter((entry) => entry.event === COUNTED && entry.detail).map((entry) => entry.detail as string);
const carriedTo = (holder: Incident | null, incidentId: string): boolean => Boolean(holder?.history.some((entry) => entry.event === CARRIED && entry.detail === incidentId));

/**
 * Counts `incident`'s request (pending, just recorded) on the e-mailed one `holderId` holds: its approval names the
 * holder and its own execution (whose Region its commands answer in, should it be e-mailed later), then the holder's
 * timeline names it, each written once. True while the holder's request can still be answered, or its answer was
 * carried here; false when it was answered meanwhile without this one: nothing will carry that answer here, and this
 * request is e-mailed, unless that answer ended this wait meanwhile (decided on another incident).
 */
export async function countOnRequest(incident: Incident, holderId: string, executionArn: string | null, now: Date, deps: ApprovalCarryDeps): Promise<boolean> {
  const approval = incident.approval;
  if (approval?.status === 'pending' && approval.countedOn?.incidentId !== holderId) {
    await deps.incidents.replaceApproval(incident.id, asRead(approval), { ...approval, countedOn: { incidentId: holderId, executionArn } });
  }
  const holder = await deps.incidents.get(holderId);
  if (!holder) return false;
  if (!countedOn(holder).includes(incident.id)) {
    await deps.incidents.update(holderId, {}, { history: [{ at: now.toISOString(), event: COUNTED, detail: incident.id }] });
  }
  const after = await deps.incidents.get(holderId);
  const answerable = after?.approval?.status === 'pending' && !waitEndedBy(after.approval, now);
  if (answerable || carriedTo(after, incident.id)) return true;
  // The answer's Notify may have read this one's name and ended its wait meanwhile: e-mailed now, its request would
  // ask about a wait already decided.
  const own = (await deps.incidents.get(incident.id))?.approval;
  return own?.countedOn?.incidentId === holderId && own.decidedOn !== undefined;
}

/** Whether `incident` waits under `holder`'s request: counted on it, pending, open, and its wait not over. */
function waitsUnder(incident: Incident, holder: Incident, now: Date): incident is Incident & { approval: NonNullable<Incident['approval']> & { taskToken: string } } {
  const approval = incident.approval;
  return Boolean(
    approval?.status === 'pending' && approval.taskToken && approval.countedOn?.incidentId === holder.id &&
      incident.status !== 'resolved' && !incident.supersededBy && !waitEndedBy(approval, now),
  );
}

/** The incidents counted on `holder`'s request, newest first (at most {@link COUNTED_READ}). */
async function countedIncidents(holder: Incident, deps: ApprovalCarryDeps): Promise<Incident[]> {
  const newestFirst = [...new Set(countedOn(holder))].reverse().slice(0, COUNTED_READ);
  return (await Promise.all(newestFirst.map((id) => deps.incidents.get(id)))).filter((incident): incident is Incident => incident !== null);
}

/**
 * A decision listed for the reconciler's resumes as a `/guard` command lists its own, before it is recorded: a Notify
 * that dies in between leaves an entry that finds nothing to resume, never a decision nobody resumes. Listed the
 * reconciler's grace earlier, for its next run.
 */
async function listForResume(incidentId: string, now: Date, deps: ApprovalCarryDeps): Promise<void> {
  const listedAt = new Date(now.getTime() - deps.reconcileAfterMinutes * 60_000).toISOString();
  await deps.approvalResumes.schedule({ incidentId, decidedAt: now.toISOString() }, { listedAt });
}

/**
 * Ends the waits counted on `holder`'s request once its answer `decision` was applied on `appliedOn` (see the module
 * comment): each waiting one with the proposal `appliedOn` had is recorded decided on it, written only over its
 * pending approval as read, and listed for the reconciler first. A retried Notify finds them decided and skips them.
 * One with another proposal keeps waiting: the answer was not given to what it would do.
 */
async function endCountedWaits(holder: Incident, appliedOn: Incident, decision: EmailedDecision, counted: Incident[], deps: ApprovalCarryDeps): Promise<void> {
  const applied = actingProposalDigest(appliedOn);
  if (!applied) return;
  const now = deps.clock();
  const at = now.toISOString();
  for (const incident of counted) {
    if (incident.id === appliedOn.id || !waitsUnder(incident, holder, now) || actingProposalDigest(incident) !== applied) continue;
    const pending = incident.approval;
    const decided = {
      ...pending, status: decision.status, decidedAt: at, decidedBy: decision.by, reason: decision.reason, resumeListed: true as const, decidedOn: appliedOn.id,
    };
    await listForResume(incident.id, now, deps);
    await deps.incidents.replaceApproval(incident.id, asRead(pending), decided, { history: [{ at, event: DECIDED_ELSEWHERE, detail: decidedOnAnotherInWords(decided) }] });
  }
}

/**
 * The end of a wait decided on another incident ({@link endCountedWaits}) as Notify records it from AwaitApproval's
 * Catch: its execution ended by the reconciler with {@link DECIDED_ON_ANOTHER}, or its timeout first. Nothing was
 * applied for it and nobody needs to act on it (the incident the answer was applied on tells of its outcome), so its
 * decision is a record only. Null for any other end, or a wait not so decided.
 */
export function endDecidedOnAnother(incident: Incident, caughtError: string | undefined, at: string): { approval: NonNullable<Incident['approval']>; decision: Decision } | null {
  const approval = incident.approval;
  const decided = approval?.status === 'approved' || approval?.status === 'rejected';
  if (!approval?.decidedOn || !decided || (caughtError !== DECIDED_ON_ANOTHER && caughtError !== 'States.Timeout')) return null;
  return {
    approval: { ...approval, taskToken: null },
    decision: { action: 'comment_only', reason: decidedOnAnotherInWords(approval), applied: false, result: 'nothing applied', dryRun: false, decidedAt: at },
  };
}

/**
 * After `decision`, the answer given to `holder`'s e-mailed request, reached its execution: while its incident still
 * fired (or an approval applied something before it recovered) it was used there, and the waits counted on the
 * request end; after it recovered, it is carried over to the problem's newest incident waiting under that request,
 * and the other waits end (see the module comment). Each carry's outcome is noted on the holder's timeline once:
 * carried to which incident, or why to none (none waits; another proposal waits, which is e-mailed instead). A
 * retried Notify finds its earlier outcome (the note, or the waiting incident's decision naming the holder) and adds
 * nothing; `windowMinutes` is the approval timeout, for the e-mail's claim.
 */
export async function carryDecisionOver(holder: Incident, decision: EmailedDecision, windowMinutes: number, deps: ApprovalCarryDeps): Promise<void> {
  if (holder.pullRequest || !holder.plan) return;
  if (holder.status !== 'resolved' || (decision.status === 'approved' && holder.decision?.applied)) {
    return endCountedWaits(holder, holder, decision, await countedIncidents(holder, deps), deps);
  }
  if (holder.history.some((entry) => entry.event === CARRIED || entry.event === NOT_CARRIED)) return;
  const now = deps.clock();
  const at = now.toISOString();
  const answer = `${decision.status} by ${decision.by ?? 'on-call'} by e-mail after ${holder.id} had recovered`;
  const note = (event: string, detail: string) => deps.incidents.update(holder.id, {}, { history: [{ at, event, detail }] });
  const counted = await countedIncidents(holder, deps);
  // Recorded by an earlier try of this step that died before its note (and maybe before it ended the other waits).
  const carried = counted.find((incident) => incident.approval?.carriedFrom === holder.id);
  if (carried) {
    await endCountedWaits(holder, carried, decision, counted, deps);
    return void (await note(CARRIED, carried.id));
  }
  const waiting = counted.find((incident) => waitsUnder(incident, holder, now));
  if (!waiting) return void (await note(NOT_CARRIED, `${answer}, and no incident of its problem waits for approval under its request: nothing is applied`));
  const pending = waiting.approval;
  const shown = actingProposalDigest(holder);
  if (!shown || shown !== actingProposalDigest(waiting)) {
    // Not what on-call was shown: they are asked about it, with its own token.
    const mailed = await publishApprovalRequest(waiting, pending.taskToken, pending.countedOn?.executionArn ?? null, windowMinutes, deps);
    const why = `the answer to the e-mailed request of ${holder.id} is not carried over to another proposal`;
    await deps.incidents.update(waiting.id, {}, { notifications: [mailed], history: [{ at, event: 'approval_requested', detail: `sns:${mailed.outcome}: ${why}` }] });
    return void (await note(NOT_CARRIED, `${answer}; ${waiting.id} waits under its request with another proposal, which is e-mailed instead: nothing is applied for this answer`));
  }
  const action = waiting.plan ? (ACTION_WORDS[waiting.plan.action] ?? waiting.plan.action) : 'act';
  const detail = `${decision.status} by ${decision.by ?? 'on-call'} by e-mail on the request of ${holder.id}, which had recovered: carried over to "${action}" for this firing`;
  const decided = {
    ...pending, status: decision.status, decidedAt: at, decidedBy: decision.by, reason: decision.reason, resumeListed: true as const, carriedFrom: holder.id,
  };
  await listForResume(waiting.id, now, deps);
  const recorded = await deps.incidents.replaceApproval(waiting.id, asRead(pending), decided, {
    audit: [{ at, actor: decision.by ?? 'on-call', action: waiting.plan?.action ?? 'escalate', status: decision.status, detail }],
    history: [{ at, event: decision.status, detail }],
  });
  if (!recorded) return void (await note(NOT_CARRIED, `${answer}; the request of ${waiting.id} was decided or ended meanwhile: nothing is carried over`));
  await endCountedWaits(holder, waiting, decision, counted, deps);
  await note(CARRIED, waiting.id);
  deps.logger.info('an e-mailed approval decision carried over to the firing counted on its request', { from: holder.id, to: waiting.id, decision: decision.status });
}
