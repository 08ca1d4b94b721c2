/**
 * Resuming an execution with a `/guard` decision recorded on its incident: shared by the command's handler (its
 * redelivery, another maintainer's same command) and the reconciler, which resumes the decisions whose handler died
 * before Step Functions answered (shared/reconcile/approval-resumes.ts).
 *
 * A decision keeps its task token, and its proposal its approval-index entry, until the execution is resumed. A
 * worker other than the recording handler first marks the decision `resumeTakenAt` (a conditional write on the
 * approval as it read it, so of two such workers at once one takes it), then calls Step Functions, then forgets
 * the token: the recording handler, told the token is spent, knows from the mark that the execution was resumed, not
 * timed out, and every later write over the decision is conditional on the take its writer made.
 */
import type { ApprovalState, HistoryEntry, Incident } from '../domain/incident.js';
import type { TaskTokenControl } from '../ports.js';
import type { ApprovalResumes } from '../stores/approval-resumes.js';
import type { ExpectedApproval, IncidentStore } from '../stores/incident-store.js';
import type { ApprovalIndex } from './approvals.js';

/** A decided approval with the task token its execution still waits on. */
export type UnresumedApproval = ApprovalState & { taskToken: string };

/** An incident whose approval was decided, with the task token its execution still waits on. */
export type Unresumed = Incident & { approval: UnresumedApproval };

export function isUnresumed(incident: Incident | null): incident is Unresumed {
  const status = incident?.approval?.status;
  return (status === 'approved' || status === 'rejected') && Boolean(incident?.approval?.taskToken);
}

/** The fields {@link IncidentStore.replaceApproval} compares: the approval as it was read, its take included. */
export function asRead(approval: ApprovalState): ExpectedApproval {
  return {
    status: approval.status, taskToken: approval.taskToken ?? null, decidedAt: approval.decidedAt ?? null, resumeTakenAt: approval.resumeTakenAt ?? null,
    spentToken: approval.spentToken ?? null, requestedAt: approval.requestedAt,
  };
}

/**
 * Marks the incident's decision taken at `at` by this worker, written only over the decision as read (its earlier
 * take included): the decision so marked, or null when it changed since (another worker took it, or it was resumed).
 */
export async function takeDecision(
  incident: Unresumed,
  at: string,
  incidents: Pick<IncidentStore, 'replaceApproval'>,
  history: HistoryEntry[] = [],
): Promise<UnresumedApproval | null> {
  const taken = { ...incident.approval, resumeTakenAt: at };
  return (await incidents.replaceApproval(incident.id, asRead(incident.approval), taken, history.length > 0 ? { history } : {})) ? taken : null;
}

/**
 * Whether the approval's wait had ended by `now` (its recorded `expiresAt`): a token Step Functions calls spent after
 * it was spent by the timeout, not by an earlier call that reached the execution. False when no end was recorded.
 */
export function waitEndedBy(approval: Pick<ApprovalState, 'expiresAt'>, now: Date): boolean {
  return approval.expiresAt !== undefined && now.getTime() >= Date.parse(approval.expiresAt);
}

/**
 * Whether a token Step Functions calls spent was the token of a request that failed, which AwaitApproval retries with
 * a new token (as Step Functions gives a retried attempt), rather than one resumed already or timed out: the wait's
 * recorded end is still ahead, the incident still waits for approval (an execution resumed with the decision moved it
 * on), and no worker took the decision before (`takenBefore`, the take as read: one whose call may have reached the
 * execution before it died). Read as "resumed already", the decision was forgotten before the retry could carry it,
 * the retry asked again, and the approval was lost while its author was told it went through.
 */
export function spentByFailedRequest(incident: Unresumed, takenBefore: string | null | undefined, now: Date): boolean {
  return incident.status === 'awaiting_approval' && incident.approval.expiresAt !== undefined && !waitEndedBy(incident.approval, now) && !takenBefore;
}

/**
 * A decision kept for its request's retry ({@link keepForRetry}) whose token is still the one refused: sending it again
 * reaches nothing, and reading the refusal as "resumed already" would lose it. Both resumers (the reconciler, the
 * command again) leave it to the retry, or to the wait's end.
 */
export function keptForRetry(incident: Unresumed, now: Date): boolean {
  return incident.approval.spentToken === incident.approval.taskToken && spentByFailedRequest(incident, incident.approval.resumeTakenAt, now);
}

/**
 * Keeps a decision refused for a failed request's token ({@link spentByFailedRequest}): recorded, listed, its take given
 * back (`takenBefore`) and the refused token noted (`spentToken`), written only over the decision as sent. The retry
 * carries it to its new token (shared/steps/notify.ts); the wait's end, if the retry never comes, ends it as a timeout.
 */
export async function keepForRetry(
  incidentId: string,
  decided: UnresumedApproval,
  takenBefore: string | null,
  incidents: Pick<IncidentStore, 'replaceApproval'>,
  at: string,
): Promise<void> {
  const detail = 'resuming the execution failed (TaskTokenSpentError before the wait ended: its request failed, and is asked again with a new token, which the decision is carried to): the decision stands';
  await incidents.replaceApproval(incidentId, asRead(decided), { ...decided, resumeTakenAt: takenBefore, spentToken: decided.taskToken }, {
    history: [{ at, event: 'approval_resume_failed', detail }],
  });
}

/**
 * The error a wait counted on another incident's e-mailed request is ended with once that request's answer was applied
 * elsewhere (`decidedOn`): AwaitApproval's Catch takes it to Notify, never to ApplyApproved, so nothing runs twice.
 */
export const DECIDED_ON_ANOTHER = 'ApprovalDecidedOnAnother';

/** Why a wait counted on another incident's request ended: its answer, and where it was applied. */
export function decidedOnAnotherInWords(decided: Pick<ApprovalState, 'status' | 'decidedBy' | 'countedOn' | 'decidedOn'>): string {
  const holder = decided.countedOn?.incidentId ?? 'another incident';
  return `${decided.status} by ${decided.decidedBy ?? 'on-call'} by e-mail on the request of ${holder}, which this firing was counted on, ` +
    `and decided on ${decided.decidedOn ?? holder}: nothing is applied for this firing`;
}

/**
 * SendTaskSuccess, or SendTaskFailure for a rejection, with the decision as it was recorded; a decision applied on
 * another incident ends the wait with {@link DECIDED_ON_ANOTHER}, whatever it was.
 */
export function sendDecision(decided: UnresumedApproval, tasks: TaskTokenControl): Promise<void> {
  if (decided.decidedOn) return tasks.fail(decided.taskToken, DECIDED_ON_ANOTHER, decidedOnAnotherInWords(decided));
  const by = decided.decidedBy ?? 'a maintainer';
  return decided.status === 'approved'
    ? tasks.succeed(decided.taskToken, { approvedBy: by })
    : tasks.fail(decided.taskToken, 'ApprovalRejected', decided.reason ?? `rejected by ${by}`);
}

export interface ResumedDeps {
  incidents: Pick<IncidentStore, 'replaceApproval'>;
  approvals: Pick<ApprovalIndex, 'take'>;
  approvalResumes: Pick<ApprovalResumes, 'done'>;
}

/**
 * The execution was resumed (or its wait is over): its token is spent, and the decision is no longer one to resume.
 * The token is forgotten only while the approval is still that decision with the take as read (Notify, recording a
 * timeout, or another worker may have written a later state since), then the proposal leaves the index, then the
 * decision's entry for the reconciler goes. In that order: a worker that dies between them leaves an index entry the
 * next command finds not waiting, and takes, and a due entry the reconciler finds nothing to resume for, and drops.
 */
export async function markResumed(incident: Incident, decided: ApprovalState, deps: ResumedDeps, history: HistoryEntry[] = []): Promise<void> {
  await deps.incidents.replaceApproval(incident.id, asRead(decided), { ...decided, taskToken: null }, history.length > 0 ? { history } : {});
  if (incident.repository && incident.pullRequest) {
    await deps.approvals.take({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, incident.id);
  }
  if (decided.decidedAt) await deps.approvalResumes.done({ incidentId: incident.id, decidedAt: decided.decidedAt });
}
