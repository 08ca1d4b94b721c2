import { recordNotifyMetrics } from './notify-metrics.js';
import { isNewerPushFailure, supersededByPushFields } from '../domain/superseded-push.js';
import { type ApprovalState, type Incident, type NotificationRecord, type StageError, outsiderCanRepeat } from '../domain/incident.js';
import { ProposalChangedError, RetryableError, WriteBudgetExhaustedError, errorMessage, isRetryable, isTransientAwsError } from '../errors.js';
import { CommentsRefusedError, GitHubRequestError } from '../github/errors.js';
import { type WriteWaitPlan, planWriteWait } from '../domain/write-wait.js';
import { collectReactionFeedback } from '../knowledge/reactions.js';
import { COMMENT_MARKER, commitCommentMarker, renderComment } from '../notify/comment.js';
import { otherPullRequestIncidents, pullRequestComment } from '../notify/pull-request.js';
import { asStormPage, renderEscalation } from '../notify/escalation.js';
import { publishClaimedPage } from '../notify/claimed-page.js';
import { ACTION_WORDS, publishApprovalRequest, requestMailedAt } from '../notify/approval-mail.js';
import { groupApprovalRequest, groupMailedAt, holderAsking } from '../notify/approval-groups.js';
import { type ApprovalCarryDeps, type EmailedDecision, carryDecisionOver, countOnRequest, endDecidedOnAnother } from '../notify/approval-carry.js';
import { recordTakingOver } from '../notify/claim-take-over.js';
import { claimPage, inWindowByName } from '../notify/page-claims.js';
import { alarmEpisodeAfter } from '../domain/alarm-incident.js';
import type { NotifyDeps } from './deps.js';
import { storeIncidentFromTrigger } from '../domain/incident-from-trigger.js';
import { escalationFor, pageOccurrence, problemOf } from '../notify/escalation-policy.js';
import { commitToCommentOn, rerunUnderWay } from '../domain/handoff.js';
import { escalationRecordedSince } from '../domain/notifications.js';
import type { CommentOutcome, GitHubPort } from '../ports.js';
import { hasWriteAccess, isUserLogin } from '../github/roles.js';
import { policyFor } from '../remediation/policy.js';
import { type Unresumed, asRead, isUnresumed, waitEndedBy } from '../remediation/approval-resume.js';
import { rerunKeyOf } from '../remediation/rerun-key.js';
import { withdrawProposal } from '../remediation/approvals.js';
import { plannedProposalDigest, revisionAfter } from '../remediation/proposal-digest.js';
import { type CaughtError, type NotifyResult, type PipelineState, approverOf, describeCaught, parseState, triggeringActorOf } from './state.js';

function stageErrorsOf(state: PipelineState, at: string): StageError[] {
  const errors: StageError[] = [];
  const caught = {
    classify: state.classifyError,
    knowledge: state.knowledgeError,
    analyze: state.analyzeError,
    remediate: state.remediateError,
  } as const;
  for (const [stage, error] of Object.entries(caught)) {
    const text = describeCaught(error);
    if (text) errors.push({ stage, error: text, at });
  }
  return errors;
}

/** The incident as far as the earlier stages got; created from the trigger if classify never stored it. */
async function loadOrCreate(state: PipelineState, deps: NotifyDeps): Promise<Incident> {
  const existing = await deps.incidents.get(state.trigger.incidentId);
  if (existing) return existing;
  const { trigger } = state;
  const { incident, created } = await storeIncidentFromTrigger(deps.incidents, trigger, deps.clock());
  // Created here: it is what was just written. Created meanwhile by another execution: read theirs.
  if (created) return incident;
  return (await deps.incidents.get(trigger.incidentId)) as Incident;
}

/** What the incident records for a comment the pull request refused (GitHub's own message names nothing more). */
const COMMENTS_REFUSED_DETAIL = 'GitHub takes no more comments on this pull request: its conversation is locked, or it has 2,500 comments';

/** Why a write over the approval as read was refused twice: the step is retried, and reads it once more. */
const APPROVAL_CHANGED_AGAIN = 'the approval changed again while Notify wrote over it';

/**
 * An approval sent with the e-mailed commands (send-task-success): only the execution heard of it, so the incident
 * still said "pending" after the proposal was applied, and the hand-off kept asking for the approval. (`/guard
 * approve` on a pull request records it when it is given.) Written only over the pending request as read: a `/guard`
 * decision recorded since (its handler read the proposal pending too, and its resume then finds the token spent) is
 * kept, with a note that the execution went on with the e-mailed approval. Written over unconditionally, the decision
 * was lost from the incident while its handler and the reconciler still acted on it.
 */
async function recordMailedApproval(state: PipelineState, incident: Incident, deps: NotifyDeps, changedWhileWritten = false): Promise<Incident> {
  const previous = incident.approval;
  if (previous?.status !== 'pending' || state.approvalError) return incident;
  const at = deps.clock().toISOString();
  const by = approverOf(state.approval);
  if (await deps.incidents.replaceApproval(incident.id, asRead(previous), { ...previous, status: 'approved', taskToken: null, decidedAt: at, decidedBy: by })) {
    return (await deps.incidents.get(incident.id)) ?? incident;
  }
  const now = (await deps.incidents.get(incident.id)) ?? incident;
  const decided = now.approval;
  if (decided?.status === 'pending') {
    if (changedWhileWritten) throw new RetryableError(APPROVAL_CHANGED_AGAIN);
    return recordMailedApproval(state, now, deps, true);
  }
  const detail = `approved by ${by} by e-mail, which the execution went on with; ${decided?.status} by ${decided?.decidedBy ?? 'nobody'} recorded meanwhile is kept`;
  return deps.incidents.update(incident.id, {}, { history: [{ at, event: 'approval_decided_meanwhile', detail }] });
}

/**
 * The reason given with an e-mailed rejection (`send-task-failure --cause`), on one line and at most 300 characters;
 * null when none was given. Only a holder of the task token can send it, and it is shown as text, never as markup.
 */
function mailedRejectionCause(caught: CaughtError): string | null {
  const cause = (caught.Cause ?? '').replace(/\s+/g, ' ').trim();
  return cause ? cause.slice(0, 300) : null;
}

/**
 * How the approval wait ended, from the AwaitApproval Catch (`ApprovalRejected`, `States.Timeout`, …). Written only over
 * the approval as read: a `/guard` decision recorded between the read and the write (its handler could not resume the
 * execution, whose wait had ended) is read again and recorded as what it is, a decision that never reached the
 * execution. Written over unconditionally, it was lost, and on-call was told nobody had approved.
 */
async function recordApprovalOutcome(state: PipelineState, incident: Incident, deps: NotifyDeps, changedWhileWritten = false): Promise<Incident> {
  if (state.approval) return recordMailedApproval(state, incident, deps);
  const caught = state.approvalError;
  if (!caught || !incident.plan) return incident;
  const at = deps.clock().toISOString();
  const previous = incident.approval;
  const timedOut = caught.Error === 'States.Timeout';
  // The wait is over whatever ended it: the proposal no longer takes /guard commands.
  if (incident.repository && incident.pullRequest) await deps.remediation.approvals.take({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, incident.id);
  // A wait counted on another incident's e-mailed request, whose answer was applied elsewhere: nothing more to ask.
  const decidedElsewhere = endDecidedOnAnother(incident, caught.Error, at);
  if (decidedElsewhere && previous) {
    const detail = timedOut ? `its wait timed out before the reconciler ended it: ${decidedElsewhere.decision.reason}` : decidedElsewhere.decision.reason;
    // Over the approval as read, as below: the reconciler ending this wait meanwhile (its take, its forgotten token) is
    // read again and kept, not put back as it was read.
    const history = [{ at, event: 'approval_wait_ended', detail }];
    if (await deps.incidents.replaceApproval(incident.id, asRead(previous), decidedElsewhere.approval, { history }, { decision: decidedElsewhere.decision })) {
      return (await deps.incidents.get(incident.id)) ?? incident;
    }
    if (changedWhileWritten) throw new RetryableError(APPROVAL_CHANGED_AGAIN);
    return recordApprovalOutcome(state, (await deps.incidents.get(incident.id)) ?? incident, deps, true);
  }
  const rejected = caught.Error === 'ApprovalRejected';
  // Neither timed out nor rejected: the wait could not be set up (its request failed on every try, a task token or
  // index write refused). Nobody can answer it: recorded failed, not pending, and a human is asked to look.
  const failed = !timedOut && !rejected;
  // A `/guard reject` records its author before it ends the wait; without one the e-mailed command did
  // (send-task-failure), whose --cause is the only why given. A retried round reads it from the same input again. A
  // `/guard approve` recorded but never resumed is not the rejection's author: it reached nothing, and is said so.
  const guardRejection = previous?.status === 'rejected' && previous.decidedBy !== null;
  const mailedRejection = rejected && !guardRejection;
  const status = timedOut ? 'timed_out' as const : rejected ? 'rejected' as const : 'failed' as const;
  // A retried round reads its own write, which no longer names the decision it overtook: its decision still does.
  const ownWrite = previous?.status === status && previous.taskToken === null && previous.decidedBy === null;
  const overtaken = (mailedRejection || failed) && (previous?.status === 'approved' || previous?.status === 'rejected') && previous.decidedBy
    ? ` (${previous.decidedBy}'s ${previous.status === 'approved' ? 'approval' : 'rejection'} at ${previous.decidedAt ?? 'an unrecorded time'} did not reach the execution)`
    : ((ownWrite && incident.decision?.reason.match(/ \([^()]+ did not reach the execution\)$/)?.[0]) || '');
  // Kept for the reconciler, which tells the command's author how it ended (its reply said "not carried out yet").
  const overtook = (mailedRejection || failed) && (previous?.status === 'approved' || previous?.status === 'rejected') && previous.decidedBy && previous.decidedAt
    ? { decision: previous.status, by: previous.decidedBy, decidedAt: previous.decidedAt, ...commandsOf(previous) }
    : ownWrite ? previous?.overtook : undefined;
  const who = mailedRejection || failed ? null : (previous?.decidedBy ?? null);
  const rejectionCause = mailedRejection ? mailedRejectionCause(caught) : (previous?.reason ?? null);
  // A `/guard` decision recorded on the incident that never reached the execution (its handler and the reconciler
  // could not resume it): the wait timed out although a maintainer had decided, and that is what on-call is told.
  // Kept as recorded by an earlier round of this step (a retry, a round after the comment waited for the budget).
  const decided = previous?.status === 'approved' || previous?.status === 'rejected' ? previous.status : null;
  const unresumed = timedOut ? (previous?.unresumed ?? decided) : null;
  const action = ACTION_WORDS[incident.plan.action] ?? incident.plan.action;
  const reason = unresumed
    ? `${who ?? 'a maintainer'} ${unresumed} "${action}" at ${previous?.decidedAt ?? 'an unrecorded time'}, but the guard could not resume its execution with that decision before the approval wait timed out: nothing was applied`
    : timedOut
    ? `nobody approved "${action}" in time: a human should look`
    : rejected
      ? `${who ?? (mailedRejection ? 'on-call' : 'a maintainer')} rejected "${action}"${mailedRejection ? ' by e-mail' : ''}${rejectionCause ? `: ${rejectionCause}` : ''}${overtaken}`
      : `the approval step failed (${describeCaught(caught)}): a human should look${overtaken}`;
  const approval = {
    status,
    taskToken: null,
    requestedAt: previous?.requestedAt ?? at,
    decidedAt: failed && previous?.status !== 'failed' ? at : (previous?.decidedAt ?? at),
    decidedBy: who,
    // A failed wait's reason is the error that failed it (the read API and the dashboard show it with the status).
    // On one line (the page quotes it), and a decision it overtook named with it: the page says what failed in its words.
    reason: failed ? `${describeCaught(caught)?.replace(/\s+/g, ' ').slice(0, 300) ?? ''}${overtaken}`.trim() || null : rejectionCause,
    ...(unresumed ? { unresumed } : {}),
    ...(overtook ? { overtook } : {}),
    ...(unresumed && previous?.resumeAbandonedAt ? { resumeAbandonedAt: previous.resumeAbandonedAt } : {}),
    // The command of a decision kept as what ended the wait (a `/guard reject`): the reconciler edits its reply.
    ...((unresumed || (rejected && who)) && previous ? commandsOf(previous) : {}),
  };
  // A rejection asks nothing more of anyone: on a pull request its comment tells of it, and one sent with the
  // e-mailed command came from the on-call list the request went to, who would otherwise be paged about their own
  // answer (attack pass 17, F6). A rejection that never reached the execution is a rejection still: nothing was
  // applied, as it asked.
  const decision = { action: rejected || (unresumed === 'rejected' && incident.pullRequest) ? 'comment_only' as const : 'escalate' as const, reason, applied: false, result: 'nothing applied', dryRun: false, decidedAt: at };
  const audit = [{ at, actor: who ?? 'pipeline-guard', action: incident.plan.action, status: rejected ? 'rejected' as const : 'skipped' as const, detail: reason }];
  if (await deps.incidents.replaceApproval(incident.id, previous ? asRead(previous) : null, approval, { audit }, { decision })) {
    return (await deps.incidents.get(incident.id)) ?? incident;
  }
  if (changedWhileWritten) throw new RetryableError(APPROVAL_CHANGED_AGAIN);
  return recordApprovalOutcome(state, (await deps.incidents.get(incident.id)) ?? incident, deps, true);
}

/** The `/guard` comments whose replies wait to hear how a decision ended: its own command's, and the same ones after it. */
function commandsOf(approval: ApprovalState): Pick<ApprovalState, 'commandCommentId' | 'alsoCommanded'> {
  return {
    ...(approval.commandCommentId === undefined ? {} : { commandCommentId: approval.commandCommentId }),
    ...(approval.alsoCommanded?.length ? { alsoCommanded: approval.alsoCommanded } : {}),
  };
}

/**
 * The timeout AwaitApproval waits with (its Payload's `timeoutSeconds`, which its TimeoutSecondsPath reads), or null
 * when the input has none in the policy's range.
 */
function waitSecondsOf(input: unknown): number | null {
  const seconds = (input as { timeoutSeconds?: unknown }).timeoutSeconds;
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= 60 && seconds <= 7 * 86_400 ? seconds : null;
}

/**
 * When AwaitApproval's wait began (its Payload's `waitStartedAt`: `$$.State.EnteredTime` in Step Functions, the wait
 * it keeps in the local runtime), or null when the input has none or names a time after `now`, or when the request is
 * a retried attempt (`waitRetryCount`, `$$.State.RetryCount`, above 0). A retry is a new attempt with a new token and a
 * wait of its own, timed from that attempt; whether EnteredTime on it is the attempt's or the state's first entry the
 * AWS documentation does not say, and the first entry, hours earlier after write-budget retries, dated the end too
 * early (a command with a spent token then told "the wait ended" where "already decided" was right). Without a start,
 * the end counts from the first request with the token, which Step Functions makes as the attempt starts: right under
 * either reading. The local runtime gives the start of the attempt's own wait and no retry count.
 */
function waitStartOf(input: unknown, now: Date): Date | null {
  const retries = (input as { waitRetryCount?: unknown }).waitRetryCount;
  if (typeof retries === 'number' && retries > 0) return null;
  const given = (input as { waitStartedAt?: unknown }).waitStartedAt;
  const start = typeof given === 'string' ? Date.parse(given) : Number.NaN;
  return Number.isFinite(start) && start <= now.getTime() ? new Date(start) : null;
}

/** The incident after {@link supersedeEarlierPushes}, and its pull request's other incidents as that left them (when read). */
interface AfterSuperseding {
  incident: Incident;
  others?: Incident[];
}

/**
 * A pull request moves on when its author pushes: a failure of the same workflow on a later push
 * (`isNewerPushFailure`) supersedes the earlier push's open failures, whose proposals (re-run the old commit's jobs, a
 * fix on top of it) no longer apply. Either way round, as the two are notified: the newer failure records the older
 * ones superseded, and an older failure notified after one on record (its approval wait ran out, it was delivered
 * late) records itself so. A superseded failure writes no comment (the newer one's is the pull request's) and pages
 * nobody, also when its approval wait times out; its proposal leaves the pull request's waiting ones, so `/guard`
 * commands decide nothing for it. If the pull request's incidents cannot be read, the failure is handled as current.
 *
 * The two writes are not one, so the follow-up comes first: the proposal is withdrawn, then the failure is recorded
 * superseded. A round killed between them leaves a failure still open whose proposal is gone, which its retry (or the
 * next round to read it) supersedes as any other; taking is idempotent. The failure is recorded superseded only while
 * it is still open: one that a green run recovered since it was read was ended by someone else, and its recovery (time
 * to recovery, history) stands, with nothing paged. An earlier failure read resolved whose proposal still waits has it
 * withdrawn: left so by the code before this order (it wrote the failure resolved first, and a round killed before the
 * take left the proposal waiting), or by an approval request that ran as the failure was superseded.
 *
 * The pull request's incidents are read once a round: they come back, with what this round wrote to them, for the
 * pull request's comment (which must not show a failure open that this round superseded, nor one a green run ended).
 */
async function supersedeEarlierPushes(incident: Incident, deps: NotifyDeps): Promise<AfterSuperseding> {
  const { repository, pullRequest } = incident;
  if (incident.source !== 'github' || !repository || !pullRequest || incident.status === 'resolved') return { incident };
  let others: Incident[];
  try {
    others = await otherPullRequestIncidents({ id: incident.id, repositoryId: incident.repositoryId, repository, pullRequest }, deps.incidents);
  } catch (error) {
    if (isRetryable(error)) throw error;
    deps.logger.warn('could not read the pull request incidents: the failure is handled as current', { incidentId: incident.id, error: errorMessage(error) });
    return { incident };
  }
  const withdraw = (failure: Incident) => withdrawProposal(failure, deps.remediation.approvals);
  /** `older` superseded, or null when another writer ended it first (its ending stands). */
  const supersede = async (older: Incident, newer: Incident): Promise<Incident | null> => {
    await withdraw(older);
    const { fields, history } = supersededByPushFields(newer, deps.clock());
    const updated = await deps.incidents.updateIfStatusMoves(older.id, fields, { history: [history] });
    if (updated) {
      // Its approval request may have written it pending since it was read (and added its proposal): withdrawn as it
      // now stands. Nothing more to take when it was read pending, which is the usual case.
      if (older.approval?.status !== 'pending') await withdraw(updated);
      deps.logger.info('failure superseded by a later push to its pull request', { incidentId: older.id, supersededBy: fields.supersededBy });
      return updated;
    }
    deps.logger.info('failure ended by another writer before a later push superseded it: its ending stands', { incidentId: older.id });
    return null;
  };
  const newer = others.filter((other) => isNewerPushFailure(incident, other)).sort((a, b) => (b.runNumber ?? 0) - (a.runNumber ?? 0))[0];
  // Ended by another writer meanwhile: the round goes on with the incident as that left it (no comment, no page).
  if (newer) return { incident: (await supersede(incident, newer)) ?? (await deps.incidents.get(incident.id)) ?? incident, others };
  const left: Incident[] = [];
  for (const other of others) {
    const earlier = isNewerPushFailure(other, incident);
    if (earlier && other.status !== 'resolved') {
      // Ended by another writer meanwhile: the comment shows it as that left it (a read only in that race).
      const now = (await supersede(other, incident)) ?? (await deps.incidents.get(other.id));
      if (now) left.push(now);
    } else {
      if (earlier) await withdraw(other);
      left.push(other);
    }
  }
  return { incident, others: left };
}

/**
 * An approval request for an incident resolved by the time it would wait: recorded, and nobody asked. Its proposal is
 * taken from the pull request's waiting ones, where an earlier request with this token (retried) may have put it.
 */
async function approvalNotRequestedOfResolved(incident: Incident, at: string, deps: NotifyDeps): Promise<NotifyResult> {
  const why = incident.supersededBy ? `superseded by ${incident.supersededBy}` : `resolved (${incident.resolvedBy ?? 'recovered'})`;
  if (incident.repository && incident.pullRequest) await deps.remediation.approvals.take({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, incident.id);
  await deps.incidents.update(incident.id, {}, { history: [{ at, event: 'approval_not_requested', detail: `${why} before its approval request: nobody is asked` }] });
  return { incidentId: incident.id, status: 'resolved', notifications: 0 };
}

/**
 * A decision recorded between an approval request's read and its write, that the request does not carry (it is for
 * this very token, or carried to a retry's above): it stands, and nobody is asked or paged. The request's write would
 * have replaced it with a pending request, and the decision was lost (its author told at best to reply again).
 */
async function decidedWhileWritten(incident: Incident, at: string, deps: NotifyDeps): Promise<NotifyResult> {
  const decided = incident.approval;
  const detail = `${decided?.status} by ${decided?.decidedBy ?? 'a maintainer'} at ${decided?.decidedAt ?? 'an unrecorded time'} while this request was written: the decision stands, nobody is asked`;
  await deps.incidents.update(incident.id, {}, { history: [{ at, event: 'approval_not_requested', detail }] });
  return { incidentId: incident.id, status: incident.status, notifications: 0 };
}

/**
 * Approval request (the AwaitApproval task): stores the task token and tells humans what is proposed — on the
 * pull request, or by e-mail for alarms and runs without one. The execution then waits for the token, at most
 * `waitSeconds` (recorded as the approval's `expiresAt`: a command's handler told the token is spent after it knows
 * the wait timed out). `waitStartedAt`: when that wait began, which the request may run well after.
 */
async function requestApproval(
  state: PipelineState,
  taskToken: string,
  waitSeconds: number | null,
  waitStartedAt: Date | null,
  deps: NotifyDeps,
  changedWhileWritten = false,
): Promise<NotifyResult> {
  const at = deps.clock().toISOString();
  let incident = await loadOrCreate(state, deps);
  // Resolved since Remediate planned (a later push's failure superseded it, a green run recovered it): its proposal no
  // longer speaks for anything, so nobody is asked. Reopened as waiting, it took the pull request's comment back from
  // the newer failure and joined its waiting proposals until the wait ran out. The wait runs out unanswered instead,
  // and its timeout is recorded on the resolved incident, which pages nobody.
  if (incident.status === 'resolved') return approvalNotRequestedOfResolved(incident, at, deps);
  // A decision recorded for this very wait and not resumed yet (a `/guard` command's whose handler died, an e-mailed
  // answer carried over): a request made again with its token (a retried invocation, an execution the local runtime
  // restarted, which keeps its token) asks nobody, and the decision stands for the reconciler to resume. Written
  // over as pending, it was lost, and the wait timed out and paged although somebody had decided.
  if (isUnresumed(incident) && incident.approval.taskToken === taskToken) {
    await deps.incidents.update(incident.id, {}, { history: [{ at, event: 'approval_not_requested', detail: `${incident.approval.status} already (${incident.approval.decidedAt ?? 'at an unrecorded time'}): the decision waits to be resumed` }] });
    return { incidentId: incident.id, status: incident.status, notifications: 0 };
  }
  // The digest of what this request shows, and whether an earlier request of the incident showed something else
  // (a re-drive analysed it again): `/guard approve` is bound to it (shared/remediation/proposal-digest.ts).
  const digest = plannedProposalDigest(incident);
  if (isUnresumed(incident) && !incident.approval.decidedOn && (incident.approval.digest ?? null) === digest && !waitEndedBy(incident.approval, new Date(at))) {
    return carryDecisionToRetry(incident, taskToken, waitSeconds, waitStartedAt, at, deps);
  }
  const previous = incident.approval;
  // Decided while this request was being written (read anew after its write was refused), and the decision is none
  // the request carries: it stands. Written over as pending, it was lost (see `decidedWhileWritten`).
  if (changedWhileWritten && (previous?.status === 'approved' || previous?.status === 'rejected')) return decidedWhileWritten(incident, at, deps);
  const github = deps.github.forInstallation(incident.installationId, deps.signal);
  const onPullRequest = Boolean(incident.pullRequest && incident.repository && github);
  // A request with this token went out already: a retried invocation, or an execution the local runtime resumed
  // after a restart (it keeps its token), asks again. By e-mail, whoever was asked still holds the token: for the same
  // proposal a second e-mail would only page on-call once more; for another one the token would approve what its
  // reader never saw. (On the pull request the comment is updated in place and `/guard approve` names the digest.)
  const mailed = !onPullRequest && previous?.status === 'pending' && previous.taskToken === taskToken &&
    incident.history.some((entry) => entry.event === 'approval_requested' && entry.at >= previous.requestedAt);
  if (mailed && (previous.digest ?? null) !== digest) {
    throw new ProposalChangedError(`the proposal changed (${previous.digest ?? 'none'} to ${digest ?? 'none'}) after its approval request was e-mailed with this execution's task token`);
  }
  // The end of the wait counts from when the wait began, which this step may run well after (queued, retried, in an
  // execution resumed after a crash): from the start the runtime gives, else the end recorded by the first request
  // with this token, else (that first request, run as the wait begins) this step's clock. Counted from a late run's
  // clock, the recorded end came after the real one, and a `/guard approve` between the two was told "already
  // decided" although the wait had timed out and nothing was applied.
  const recorded = previous?.taskToken === taskToken ? previous.expiresAt : undefined;
  const endOf = (start: number) => (waitSeconds === null ? undefined : new Date(start + waitSeconds * 1000).toISOString());
  const expiresAt = waitStartedAt ? endOf(waitStartedAt.getTime()) : (recorded ?? endOf(Date.parse(at)));
  const pending = {
    status: 'awaiting_approval' as const,
    approval: {
      status: 'pending' as const, taskToken, requestedAt: mailed ? previous.requestedAt : at, ...(expiresAt ? { expiresAt } : {}),
      // Until when this invocation may still decide how the request is asked, for a later request of its problem (attack-46a A4).
      ...(deps.invocationEndsAt === undefined ? {} : { decidesBy: new Date(deps.invocationEndsAt).toISOString() }),
      decidedAt: null, decidedBy: null, reason: null, digest, revision: revisionAfter(previous, digest),
    },
  };
  // Written only while the status may move to waiting: resolved since it was read above (a green run, a later push),
  // it is handled as one read resolved (with `update` it got a pending approval and joined the waiting ones). Past
  // waiting but open (a re-driven execution's request), the approval is written and the status kept, as before.
  // Either way only over the approval as read: a `/guard approve|reject` (or a reconciler's, a retry's write) recorded
  // since is not replaced by this pending request; the request is made once more from what is recorded then.
  const asReadHere = previous ? asRead(previous) : null;
  const askAgain = () => {
    if (changedWhileWritten) throw new RetryableError(APPROVAL_CHANGED_AGAIN);
    return requestApproval(state, taskToken, waitSeconds, waitStartedAt, deps, true);
  };
  const waiting = await deps.incidents.updateIfStatusMoves(incident.id, pending, {}, { approvalAsRead: asReadHere });
  if (!waiting) {
    const now = (await deps.incidents.get(incident.id)) ?? incident;
    if (now.status === 'resolved') return approvalNotRequestedOfResolved(now, at, deps);
    if (!(await deps.incidents.replaceApproval(incident.id, asReadHere, pending.approval))) return askAgain();
  }
  incident = waiting ?? (await deps.incidents.get(incident.id)) ?? incident;
  if (incident.repository && incident.pullRequest) {
    await deps.remediation.approvals.add({ name: incident.repository, id: incident.repositoryId }, incident.pullRequest, incident.id);
    // Read again once the proposal waits: a green run or a later push that ended the failure between the write above and
    // the add withdrew nothing (the proposal was not among the waiting ones yet), and the add left it waiting for its
    // timeout. One that ends it after this read finds it added, and withdraws it (`withdrawProposal`). (Added before
    // the write instead, a `/guard` command in between found the incident not pending and took the proposal out again.)
    const now = await deps.incidents.get(incident.id);
    if (now?.status === 'resolved') return approvalNotRequestedOfResolved(now, at, deps);
  }
  if (mailed) return { incidentId: incident.id, status: 'awaiting_approval', notifications: 0 };
  const notifications: NotificationRecord[] = [];
  if (incident.pullRequest && incident.repository && github) {
    const [owner, repo] = incident.repository.split('/') as [string, string];
    const result = await github.upsertComment({ owner, repo }, incident.pullRequest, COMMENT_MARKER, await pullRequestComment(incident, deps.incidents, deps.logger));
    notifications.push({ channel: 'github_comment', target: `${incident.repository}#${incident.pullRequest}`, outcome: result.outcome, detail: 'approval request', at, commentId: result.commentId });
  } else {
    // Kept apart like the problem's pages: a stranger's run of an outsider-repeatable workflow must not hold the
    // claim a maintainer's run of it needs (see githubProblemKey).
    notifications.push(await mailApprovalRequest(state, incident, taskToken, await isStartedByWriter(state, incident, github, deps), deps, previous));
  }
  await recordApprovalRequested(incident.id, notifications, at, deps);
  return { incidentId: incident.id, status: 'awaiting_approval', notifications: notifications.length };
}

/** Tries of the write recording an approval request, and the wait before the second (doubled before each next). */
const RECORD_REQUEST_TRIES = 3;
const RECORD_REQUEST_BACKOFF_MS = 250;

/**
 * Records the approval request (its notifications and `approval_requested`), tried again in place on a transient
 * failure (a throttle that outlasted the SDK's own retries, a 5xx): the request went out with this attempt's task
 * token, and the state machine retries a failed step with a new one, so the e-mail on-call holds would answer nothing
 * (session 42; the retry's e-mail then says it replaces it). The write appends to lists, and one that answered an
 * error may have landed (a timeout after DynamoDB committed it) or still be on its way: named by this step's entry
 * (its clock's `at` and its notifications' detail), it lands once whichever try gets there first. Read back before
 * the next try instead (session 42), a write still in flight landed after the read, and the incident held two
 * `published` records of one e-mail (attack-44c S5; session 43). Past the tries, or once the step's deadline passed,
 * the step fails.
 */
async function recordApprovalRequested(incidentId: string, notifications: NotificationRecord[], at: string, deps: NotifyDeps): Promise<void> {
  const detail = notifications.map((n) => `${n.channel}:${n.outcome}`).join(', ');
  const writeId = `approval_requested ${at} ${detail}`;
  for (let tried = 1; ; tried += 1) {
    try {
      await deps.incidents.update(incidentId, {}, { notifications, history: [{ at, event: 'approval_requested', detail }] }, { writeId });
      return;
    } catch (error) {
      if (!isTransientAwsError(error) || tried >= RECORD_REQUEST_TRIES || deps.signal?.aborted) throw error;
      deps.logger.warn('recording the approval request failed: tried again in place', { incidentId, tried, error: errorMessage(error) });
      await new Promise((resolve) => setTimeout(resolve, RECORD_REQUEST_BACKOFF_MS * 2 ** (tried - 1)));
    }
  }
}

/**
 * A decision recorded for an earlier request of this very proposal, with a token Step Functions no longer takes: that
 * request failed and this is its retry, which waits on a new token (in AWS and under `npm start` alike), so the
 * decision, sent to the failed attempt's token, reached nothing (the command kept it: shared/ingest/comment-commands.ts).
 * It is carried to this token, its wait's end recorded anew, and listed for the reconciler's next run (Notify does not
 * call Step Functions); nobody is asked again. Written over as pending, it was lost, and the proposal asked again.
 * Written only over the decision as read; otherwise the request is made as usual.
 */
async function carryDecisionToRetry(
  incident: Unresumed,
  taskToken: string,
  waitSeconds: number | null,
  waitStartedAt: Date | null,
  at: string,
  deps: NotifyDeps,
): Promise<NotifyResult> {
  const decided = incident.approval;
  const start = waitStartedAt?.getTime() ?? Date.parse(at);
  const carried = {
    ...decided, taskToken, resumeTakenAt: null, ...(waitSeconds === null ? {} : { expiresAt: new Date(start + waitSeconds * 1000).toISOString() }),
  };
  const detail = `${decided.status} by ${decided.decidedBy ?? 'a maintainer'} at ${decided.decidedAt}, with the token of a request that failed: carried to its retry's token, to be resumed`;
  const listedAt = new Date(Date.parse(at) - deps.config.RECONCILE_AFTER_MINUTES * 60_000).toISOString();
  await deps.approvalResumes.schedule({ incidentId: incident.id, decidedAt: decided.decidedAt as string }, { listedAt });
  if (!(await deps.incidents.replaceApproval(incident.id, asRead(decided), carried, { history: [{ at, event: 'approval_carried_to_retry', detail }] }))) {
    // Changed since it was read (resumed, or rewritten): the retry that follows reads it anew.
    throw new RetryableError('the decision recorded for an earlier request changed while it was carried to its retry');
  }
  return { incidentId: incident.id, status: incident.status, notifications: 0 };
}

/**
 * The approval request by e-mail: one per problem while one can be answered. Two claims in the escalation ledger,
 * each for the approval timeout (as long as an e-mailed token may be answered):
 * - the problem's (`approval:<problem key>`, the key its pages have, a writer's run of a workflow outsiders can repeat
 *   apart from theirs): the first incident of the problem to ask opens it; a later one asking while that request can
 *   be answered (the same failure on another push, another ALARM of an alarm still firing, or of an alarm flapping
 *   back within ALARM_FLAP_MINUTES of its OK while the holder's e-mail can still be answered) is counted on it and
 *   e-mails nothing. An answer to the holder's e-mail given after the holder's incident recovered is carried over to
 *   the newest of them (shared/notify/approval-carry.ts); unanswered, its wait runs out, and pages then only if its
 *   incident is still open, once per problem and window like any page. Once the holder's incident recovered or was
 *   superseded, or its wait ended,
 *   its token applies nothing: the next request takes the claim over (a conditional write, checked when asked, so no
 *   release that a crash could skip). Only the incident holding the claim goes on to
 * - its request's (one item per incident and task token): it is published after the claim and recorded after that,
 *   so a crash in between lets the next try send it once more, and no further try sends a third
 *   (shared/notify/claimed-page.ts); a re-driven execution's new token is a request of its own.
 */
async function mailApprovalRequest(
  state: PipelineState,
  incident: Incident,
  taskToken: string,
  startedByWriter: boolean,
  deps: NotifyDeps,
  previous: Incident['approval'],
): Promise<NotificationRecord> {
  const at = deps.clock();
  const windowMinutes = policyFor(deps.remediation.policyFile, incident.repository, false).approvalTimeoutMinutes;
  const problem = problemOf(incident, startedByWriter);
  // A request e-mailed under the repository's name before problems were keyed by id still holds its window.
  const claim = await inWindowByName({
    key: `approval:${problem.key}`, incidentId: incident.id, at, windowMinutes, mayOpen: true, label: `approval requests of ${problem.label}`, digest: false,
  }, incident, deps);
  const executionArn = typeof state.execution?.arn === 'string' ? state.execution.arn : null;
  // The claim counts only while its holder's request can be answered: once that incident recovered, was superseded
  // or its wait ended, its token approves nothing, and this request (the one that can) takes the claim over. Counted,
  // this request is named to the holder, whose answer is then carried over to it (shared/notify/approval-carry.ts).
  // Never on an alarm's request not e-mailed alone (grouped on a digest, which leaves it out once its incident recovered:
  // a flap counted on it was asked nowhere, attack-44a H6); this request is asked itself instead.
  const asked = await recordTakingOver(
    claim,
    async (holder) => (awaitsApproval(holder, at) || firesAgainWithinFlap(incident, holder, at)) && holder !== null && (await mailedAlone(holder, deps)) && (await countOnRequest(incident, holder.id, executionArn, at, carryDeps(deps))),
    deps,
  );
  if (!asked.send && !asked.alreadySent) {
    const detail = `counted on the open approval request of this problem: asked ${asked.windowCount} time${asked.windowCount === 1 ? '' : 's'} since ${asked.windowStart ?? 'the request'}`;
    return { channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail, at: at.toISOString() };
  }
  // Pending with another token as read before this request wrote its own: an earlier attempt's (the state machine
  // retried it with a new token, or a re-drive started anew), whose e-mail, if the ledger says it went out, is dead.
  // Only the ledger knows: the attempt may have failed on the write recording the e-mail on the incident (session 42).
  // E-mailed alone, or by its group's digest (session 44).
  const earlierToken = previous?.status === 'pending' && previous.taskToken && previous.taskToken !== taskToken ? previous.taskToken : null;
  const replaces = earlierToken ? ((await requestMailedAt(incident.id, earlierToken, deps)) ?? (await groupMailedAt(incident, earlierToken, deps))) : null;
  // An alarm storm asks once more, not once per alarm: a later alarm of the group is e-mailed with the others. Not a
  // retry that replaces an e-mail: only its own e-mail says so (on a digest's next part it asked as if none was sent).
  const grouped = await groupApprovalRequest(incident, taskToken, deps, replaces !== null);
  if (grouped) {
    const when = grouped.part === 1 ? `at the group's end (${grouped.end})` : `by the reconciler's next run (part ${grouped.part} of the group's requests)`;
    const detail = `grouped with the approval request at ${grouped.start}: e-mailed with the group's other requests, each with its own commands, ${when}`;
    return { channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail, at: at.toISOString() };
  }
  return publishApprovalRequest(incident, taskToken, state.execution?.arn, windowMinutes, carryDeps(deps), replaces);
}

/** What e-mailing an approval request and carrying an answer over use of Notify's ports. */
function carryDeps(deps: NotifyDeps): ApprovalCarryDeps {
  return { ...deps, endpoint: deps.config.SFN_ENDPOINT, reconcileAfterMinutes: deps.config.RECONCILE_AFTER_MINUTES };
}

/**
 * The answer on-call gave by e-mail to this execution's request, carried over to the firing counted on it when this
 * incident had recovered (shared/notify/approval-carry.ts). A `/guard` decision on a pull request is not e-mailed.
 */
async function carryEmailedDecision(state: PipelineState, incident: Incident, deps: NotifyDeps): Promise<void> {
  const rejected = state.approvalError?.Error === 'ApprovalRejected';
  if (!state.approval && !rejected) return;
  const decision: EmailedDecision = state.approval
    ? { status: 'approved', by: approverOf(state.approval), reason: null }
    : { status: 'rejected', by: incident.approval?.decidedBy ?? null, reason: describeCaught(state.approvalError)?.replace(/^ApprovalRejected: /, '') || null };
  const windowMinutes = policyFor(deps.remediation.policyFile, incident.repository, false).approvalTimeoutMinutes;
  await carryDecisionOver(incident, decision, windowMinutes, carryDeps(deps));
}

/**
 * Whether `incident`, an alarm's, is a flap of `holder` (the same alarm's incident holding the problem's request; see
 * `alarmEpisodeAfter`) while on-call can still answer the holder's e-mail: its request pending and its wait not over.
 * Only then is it counted: an answer already given was to another firing (its token is spent, and it approved nothing
 * that runs now), so this firing is asked by e-mail again rather than approved by it or left with nobody able to
 * approve it.
 */
function firesAgainWithinFlap(incident: Incident, holder: Incident | null | undefined, now: Date): boolean {
  if (holder?.approval?.status !== 'pending' || waitEndedBy(holder.approval, now)) return false;
  return alarmEpisodeAfter(incident, holder) === 'flap';
}

/**
 * Whether `holder`'s pending request, an alarm's, is e-mailed alone: as decided before anything asked it
 * (`holderAsking`, waiting a moment for a holder between its claim and that decision: read at once, a second ALARM
 * handled in between took the claim over and on-call was asked twice, session 43 review defect 1), or its e-mail's
 * ledger item says it went out or began to (a request decided grouped that every part of its group's digest refused,
 * and one asked before the decision was kept). A request grouped on a digest is not: the digest leaves it out once its
 * incident recovered, and a flap counted on it was asked nowhere (attack-44a H6). Other sources' requests are never
 * grouped.
 */
async function mailedAlone(holder: Incident, deps: NotifyDeps): Promise<boolean> {
  const token = holder.approval?.taskToken;
  if (holder.source !== 'cloudwatch') return true;
  if (!token) return false;
  if (await requestMailedAt(holder.id, token, deps)) return true;
  return (await holderAsking(holder, token, deps))?.alone === true;
}

/**
 * Whether `holder`'s approval request can still be answered at `now`: it waits (pending, its wait not over) and its
 * incident is open. A recovered or superseded incident's token applies nothing.
 */
function awaitsApproval(holder: Incident | null | undefined, now: Date): boolean {
  const approval = holder?.approval;
  return Boolean(holder && approval?.status === 'pending' && !waitEndedBy(approval, now) && holder.status !== 'resolved' && !holder.supersededBy);
}

/**
 * Whether the failed attempt is one our own automatic re-run started: Remediate's answer, recorded on the incident
 * when it planned. An incident Remediate never planned for (or stored before it recorded that) asks the rerun ledger.
 */
async function isOwnRerun(incident: Incident, deps: NotifyDeps): Promise<boolean> {
  if (typeof incident.ownRerun === 'boolean') return incident.ownRerun;
  const key = rerunKeyOf(incident);
  if ((incident.runAttempt ?? 1) <= 1 || !key || !incident.runId) return false;
  try {
    const found = await deps.reruns.lookup(key, { runId: incident.runId, attempt: incident.runAttempt ?? 1, incidentId: incident.id });
    return found.ownAttempt;
  } catch (error) {
    // Unknown counts as a person's re-run: it may then only add to an open escalation, never page by itself.
    deps.logger.warn('rerun ledger unavailable; treating the attempt as a person\'s re-run', { error: errorMessage(error) });
    return false;
  }
}

/**
 * Whether a user with write access started the run, for a run an outsider may repeat (not a fork's): its escalations
 * are kept apart from the outsiders' (see `githubProblemKey`). Asked of GitHub (the actor's permission); a bot, an
 * unknown actor or a failed lookup counts as an outsider, whose failures page at most once a window. An outsider's
 * answer is kept a while (`deps.permissions`), so one outsider repeating a failing run costs no lookup per incident.
 */
async function isStartedByWriter(state: PipelineState, incident: Incident, github: GitHubPort | null, deps: NotifyDeps): Promise<boolean> {
  const actor = triggeringActorOf(state);
  if (!outsiderCanRepeat(incident) || incident.fromFork === true || !isUserLogin(actor) || !github || !incident.repository) return false;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  try {
    return hasWriteAccess(await deps.permissions.permission(github, { owner, repo }, actor));
  } catch (error) {
    deps.logger.warn("could not look up the run's actor's permission; escalating it as an outsider's", { incidentId: incident.id, error: errorMessage(error) });
    return false;
  }
}

/** The comment this round writes, where and how: the pull request's one comment, or its comment on the pushed commit. */
interface CommentWrite {
  channel: 'github_comment' | 'commit_comment';
  target: string;
  write(github: GitHubPort): Promise<{ outcome: CommentOutcome; commentId: number; url: string | null }>;
}

/**
 * Where this round explains the failure. A pull request's failure on its one comment (created once, then updated in
 * place). A push's on the pushed commit, where its author sees it: once per run, never edited; not while a re-run
 * of the guard's is under way (its result decides, and comes back as a new incident) nor once the failure recovered.
 * Neither for a failure delivered after what superseded it (`supersededBy`): the pull request's comment shows the
 * later attempt or the green run, and must not be rewritten from an older attempt delivered late.
 * `pullRequestIncidents`: the pull request's other incidents as this round read and wrote them, when it read them.
 */
function commentToWrite(incident: Incident, actor: string | null, startedByWriter: () => Promise<boolean>, pullRequestIncidents: Incident[] | undefined, deps: NotifyDeps): CommentWrite | null {
  if (incident.source !== 'github' || !incident.repository || incident.supersededBy) return null;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  const { pullRequest } = incident;
  if (pullRequest) {
    return {
      channel: 'github_comment',
      target: `${incident.repository}#${pullRequest}`,
      async write(github) {
        await collectReactionFeedback(incident, github, deps);
        const body = await pullRequestComment(incident, deps.incidents, deps.logger, pullRequestIncidents);
        // A run an outsider can repeat (a fork's pull request's, one a review started) draws on the outsiders' share of
        // the budget first: when that is spent its comment waits like any other (and a fork's failure never pages),
        // while the rest of the budget stays for the repository's own runs. One a writer started is the repository's
        // own: strangers who keep the share spent must not hold its comment back.
        if (outsiderCanRepeat(incident) && !(await startedByWriter())) await deps.outsiderWrites?.(incident.installationId)?.acquire('comment');
        return github.upsertComment({ owner, repo }, pullRequest, COMMENT_MARKER, body);
      },
    };
  }
  const sha = commitToCommentOn(incident);
  if (!sha || rerunUnderWay(incident.decision) || incident.status === 'resolved') return null;
  const marker = commitCommentMarker(incident);
  return {
    channel: 'commit_comment',
    target: `${incident.repository}@${sha}`,
    write: (github) => github.commentOnCommit({ owner, repo }, sha, marker, renderComment(incident, [], { marker, actor })),
  };
}

/**
 * Notify stage: one PR comment per pull request (created once, then updated in place), or for a push's run one
 * comment on its commit (see {@link commentToWrite}), and an SNS escalation
 * when a human must act — routed by the repository's escalation policy (shared/notify/escalation-policy.ts) and
 * sent once per problem and window (the escalation ledger); repeats are counted on the open escalation.
 */
export async function notifyStep(input: unknown, deps: NotifyDeps): Promise<NotifyResult> {
  const state = parseState(input);
  const taskToken = (input as { approvalRequest?: { taskToken?: unknown } }).approvalRequest?.taskToken;
  if (typeof taskToken === 'string' && taskToken.length > 0 && taskToken.length <= 4096) return requestApproval(state, taskToken, waitSecondsOf(input), waitStartOf(input, deps.clock()), deps);
  const at = () => deps.clock().toISOString();
  let incident = await loadOrCreate(state, deps);
  incident = await recordApprovalOutcome(state, incident, deps);
  await carryEmailedDecision(state, incident, deps);
  const superseding = await supersedeEarlierPushes(incident, deps);
  incident = superseding.incident;
  const newErrors = stageErrorsOf(state, at()).filter(
    (error) => !incident.stageErrors.some((known) => known.stage === error.stage && known.error === error.error),
  );
  if (newErrors.length > 0) incident = await deps.incidents.update(incident.id, {}, { stageErrors: newErrors });

  const notifications: NotificationRecord[] = [];
  /** Set when the write budget refused the comment: wait and come back, or (bound spent) escalate with content. */
  let budgetWait: WriteWaitPlan | null = null;
  let budgetReason = '';
  const previous = state.notify;
  const github = deps.github.forInstallation(incident.installationId, deps.signal);
  // Asked of GitHub at most once a round, by whichever needs it first: the comment's budget share or the ledger key.
  let writerLookup: Promise<boolean> | undefined;
  const startedByWriter = () => (writerLookup ??= isStartedByWriter(state, incident, github, deps));
  // Classify recorded it resolved (ResolvedAtClassify): a green run or later attempt on record ended it before it was
  // analysed, and whichever of classify and the outcome recorder wrote that ending first, there is nothing to say on the
  // pull request (the outcome recorder's follow-ups rewrite a comment that exists). Only classify's own ending left
  // `supersededBy` to say so; the recorder's, landed between classify's read and its write, had a comment created.
  const resolvedAtClassify = state.classify?.incidentStatus === 'resolved' && incident.status === 'resolved';
  const comment = resolvedAtClassify ? null : commentToWrite(incident, triggeringActorOf(state), startedByWriter, superseding.others, deps);
  if (comment && !github) {
    notifications.push({ channel: comment.channel, target: comment.target, outcome: 'skipped', detail: 'no GitHub credentials configured', at: at() });
  } else if (comment && github) {
    try {
      const result = await comment.write(github);
      notifications.push({ channel: comment.channel, target: comment.target, outcome: result.outcome, detail: result.url, at: at(), ...(comment.channel === 'github_comment' ? { commentId: result.commentId } : {}) });
    } catch (error) {
      if (error instanceof CommentsRefusedError && comment.channel === 'github_comment') {
        // A pull request that takes no comments (locked, or at GitHub's 2,500) says nothing about the guard: the comment
        // is recorded as not posted, and the escalation policy decides as for any pull request nobody was told on.
        notifications.push({ channel: comment.channel, target: comment.target, outcome: 'failed', detail: COMMENTS_REFUSED_DETAIL, at: at() });
      } else if (error instanceof GitHubRequestError && comment.channel === 'commit_comment') {
        // Refused for good (the App lacks Contents read, the commit is gone): nobody else was told, which pages.
        notifications.push({ channel: comment.channel, target: comment.target, outcome: 'failed', detail: error.message.slice(0, 500), at: at() });
      } else {
        // A spent budget is not a failure to notify: the comment waits for room (no content-free e-mail, no page).
        if (!(error instanceof WriteBudgetExhaustedError)) throw error;
        budgetReason = error.message;
        budgetWait = planWriteWait({
          incidentId: incident.id,
          retryAfterSeconds: error.retryAfterSeconds,
          previous: previous && { pending: previous.commentPending === true, since: previous.pendingSince, rounds: previous.pendingRounds },
          now: deps.clock(),
          maxWaitMinutes: deps.config.GITHUB_WRITE_WAIT_MINUTES,
        });
        if (budgetWait.kind === 'give_up') notifications.push({
          channel: comment.channel,
          target: comment.target,
          outcome: 'failed',
          detail: `not posted after waiting ${budgetWait.waitedMinutes} min for the GitHub write budget (${budgetWait.pendingRounds} tries): ${budgetReason}`,
          at: at(),
        });
      }
    }
  }

  const pendingPlan = budgetWait?.kind === 'wait' ? budgetWait : null;
  const pendingComment = pendingPlan ? commentPendingAfter(incident, pendingPlan, budgetReason, deps.clock()) : null;
  // The incident as this round leaves it: whether on-call is paged and what the page says the guard tried and needs
  // are the hand-off's of this, the one the dashboard shows once the round is recorded.
  const sofar: Incident = { ...incident, ...roundEnd(incident, pendingComment), notifications: [...incident.notifications, ...notifications] };
  // An earlier round of this execution (while the comment waited) already took the page decision to the ledger:
  // a second round must neither page twice nor count the same incident twice.
  const alreadyPaged = previous?.paged === true;
  const ownRerun = await isOwnRerun(incident, deps);
  // Of the escalation, only the ledger key depends on it, and a round that paged already records nothing there.
  const byWriter = !alreadyPaged && (await startedByWriter());
  const policy = policyFor(deps.remediation.policyFile, incident.repository, false).escalation;
  const { reasons, route } = escalationFor(sofar, { ownRerun, startedByWriter: byWriter, policy });
  // An earlier round was counted on (or sent) the guard's page of the whole deployment while the comment was coming:
  // this failure pages again only once it is a problem of its own, its comment given up and nobody told.
  const guardToldAlready = previous?.guardPaged === true && route.page && route.scope === 'deployment';
  let paged = alreadyPaged;
  let guardPaged = previous?.guardPaged === true;
  // A decision the reconciler gave up while the wait ran: on-call was told then (shared/reconcile/approval-resumes.ts),
  // once that telling is recorded. A give-up marked but not told (its page refused, its run dead in between) whose wait
  // times out before the reconciler's next run is paged here: that run finds the wait over and tells nobody.
  const abandonedAt = incident.approval?.status === 'timed_out' ? incident.approval.resumeAbandonedAt : undefined;
  const toldAtGiveUp = abandonedAt && escalationRecordedSince(incident.notifications, abandonedAt) ? abandonedAt : undefined;
  if (alreadyPaged || guardToldAlready) {
    // Nothing to add: the escalation of this incident was handled before the comment could be posted.
  } else if (route.page && toldAtGiveUp) {
    paged = true;
    notifications.push({ channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: `on-call was told when the reconciler gave the decision up, at ${toldAtGiveUp}`, at: at() });
  } else if (route.page) {
    if (route.scope === 'deployment') guardPaged = true;
    else paged = true;
    const occurrence = pageOccurrence(route, incident, deps.clock(), deps.remediation.policyFile);
    const claim = await claimPage(occurrence, incident, deps);
    if (claim.send) {
      // A publish that fails gives its send back and fails the step: the PR comment above is idempotent, and a retry
      // sends the page; a crash after it went out lets a retry send it once more, never more (the ledger's claim).
      const message = renderEscalation(sofar, `${route.why}.${claim.note}`, claim.tally, state.execution?.arn);
      const published = await publishClaimedPage(claim.storm ? asStormPage(message, claim.storm.alarms) : message, claim.claims, deps);
      notifications.push({ channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: published.messageId, at: at() });
    } else {
      notifications.push({ channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: claim.detail, at: at() });
    }
  } else if (reasons.length > 0 && incident.status !== 'resolved') {
    notifications.push({ channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: `not paged: ${route.why}`, at: at() });
  }

  const told = { ...(paged ? { paged } : {}), ...(guardPaged ? { guardPaged } : {}) };
  if (pendingPlan && pendingComment && comment) return deferComment(incident, comment, pendingPlan, pendingComment, told, notifications, deps);

  const updated = await deps.incidents.update(incident.id, roundEnd(incident, null), {
    notifications,
    history: [{ at: at(), event: 'notified', detail: notifications.map((n) => `${n.channel}:${n.outcome}`).join(', ') || 'nothing to send' }],
  });
  recordNotifyMetrics(incident, updated, notifications, deps.metrics);
  return { incidentId: updated.id, status: updated.status, notifications: updated.notifications.length, commentPending: false, ...told };
}

/**
 * The fields a notify round leaves changed on the incident (besides what it appends): notified, unless its comment
 * waits for the write budget (`pendingComment`) or the failure recovered meanwhile; a re-driven execution that got
 * through clears the earlier "nobody was told" mark, its comment posted or waiting (a wait is no failure: should a
 * later round fail for good, the state machine marks it again); and the comment's wait is set, or ended by a comment posted.
 */
function roundEnd(incident: Incident, pendingComment: Incident['commentPending']): Partial<Incident> {
  return {
    ...(incident.notifyFailed ? { notifyFailed: false } : {}),
    ...(pendingComment ? { commentPending: pendingComment } : incident.commentPending ? { commentPending: null } : {}),
    ...(pendingComment || incident.status === 'resolved' ? {} : { status: 'notified' as const }),
  };
}

/** The incident's `commentPending` after this round found the write budget spent and planned to wait. */
function commentPendingAfter(incident: Incident, plan: WriteWaitPlan & { kind: 'wait' }, reason: string, now: Date): NonNullable<Incident['commentPending']> {
  const retryAt = new Date(now.getTime() + plan.waitSeconds * 1000).toISOString();
  return { since: incident.commentPending?.since ?? plan.pendingSince, retryAt, rounds: plan.pendingRounds, reason };
}

/**
 * The comment waits for the write budget: the incident says so (for the API and the dashboard) and the state
 * machine waits `waitSeconds` before running Notify again. Only the first round adds a notification and a
 * history entry; later rounds move the next try. Nobody is paged for the wait itself.
 */
async function deferComment(
  incident: Incident,
  comment: Pick<CommentWrite, 'channel' | 'target'>,
  plan: WriteWaitPlan & { kind: 'wait' },
  pending: NonNullable<Incident['commentPending']>,
  told: Pick<NotifyResult, 'paged' | 'guardPaged'>,
  escalations: NotificationRecord[],
  deps: NotifyDeps,
): Promise<NotifyResult> {
  const at = deps.clock().toISOString();
  const first = !incident.commentPending;
  const detail = `waiting for the GitHub write budget; next try at ${pending.retryAt}: ${pending.reason}`;
  // The round's end as the page decision saw it: a comment that waits is no failed notify, so it also clears that mark.
  const updated = await deps.incidents.update(
    incident.id,
    roundEnd(incident, pending),
    first
      ? {
          notifications: [{ channel: comment.channel, target: comment.target, outcome: 'pending', detail, at }, ...escalations],
          history: [{ at, event: 'comment_pending', detail }],
        }
      : // Later rounds only record a page that went out now; repeated "not paged" notes would only pile up.
        { notifications: escalations.filter((n) => n.outcome === 'published') },
  );
  recordNotifyMetrics(incident, updated, escalations, deps.metrics);
  deps.logger.info('the comment waits for the GitHub write budget', { incidentId: incident.id, waitSeconds: plan.waitSeconds, round: plan.pendingRounds });
  return {
    incidentId: updated.id,
    status: updated.status,
    notifications: updated.notifications.length,
    commentPending: true,
    waitSeconds: plan.waitSeconds,
    pendingSince: plan.pendingSince,
    pendingRounds: plan.pendingRounds,
    ...told,
  };
}
