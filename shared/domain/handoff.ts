import { type Decision, type FallbackCause, type Incident, type RemediationAction, unresumedDecision } from './incident.js';
import { commentShown, escalationPublished } from './notifications.js';

/**
 * What the guard hands over to a person about an incident: whether one must act, what the guard already did and
 * what to do next. The dashboard's "what to do" (infra/dashboard/src/next-step.ts) and the escalation's "What the
 * guard tried" / "What it needs from you" (shared/notify/escalation.ts) each say it in their own words, from this one
 * answer: worked out twice, they told the on-call reader different things about the same incident.
 *
 * Whether a person must act, from what the incident records: an approval waits, the guard escalated, could not
 * finish or asked and got no answer, a stage other than the knowledge lookup failed, or the pipeline ended and nobody
 * was told (no comment on the pull request or on the pushed commit, or nowhere to comment) while no re-run of the
 * guard's is under way. This is the one rule: Notify pages from these reasons, of the incident as its round leaves it
 * (shared/notify/escalation-policy.ts). Whom that person is (on-call or the pull request's author) is the escalation
 * policy's to say, not this.
 *
 * Pure and with type-only imports of the incident: the dashboard's browser bundle includes it.
 */

/** An action that changes something outside: its result decides what happens next. */
export type AutomaticAction = Exclude<RemediationAction, 'comment_only' | 'escalate'>;

/** What the guard decided, and whether it did it. */
export type DecisionStep =
  /** No decision yet: still being handled, or (`finished`) the pipeline ended without one. */
  | { kind: 'undecided'; finished: boolean }
  /** A proposal waits for a person's approval (`action`: what would be done, when the plan says). */
  | { kind: 'awaiting_approval'; action: RemediationAction | null }
  | { kind: 'dry_run'; action: RemediationAction }
  /** Only explained it (in its comment when that is there, see the comment step). */
  | { kind: 'comment_only' }
  | { kind: 'escalated'; reason: string }
  /**
   * Started, or followed, a runbook run (`executionId`, null when not recorded) that had not ended when its step stopped
   * following it (`runNotEnded`): the reconciler follows it and tells its outcome.
   */
  | { kind: 'run_not_ended'; executionId: string | null }
  | { kind: 'acted'; action: AutomaticAction }
  /** Chose an automatic action and did not take it: it failed, or was refused (`result` says, when recorded). */
  | { kind: 'not_acted'; action: AutomaticAction; reason: string; result: string | null };

/** Where the guard explains a GitHub failure: its pull request's comment, or a comment on the pushed commit. */
export type CommentPlace = { kind: 'pull_request'; number: number } | { kind: 'commit'; sha: string };

/** The guard's comment on a GitHub failure, and where (`on`). */
export type CommentStep =
  | { state: 'posted'; on: CommentPlace }
  /** Waiting for GitHub's write budget: posted at `retryAt` or, past the wait, given up and escalated. */
  | { state: 'pending'; on: CommentPlace; since: string; retryAt: string }
  /** Not there: not posted yet, or it could not be (no credentials, no permission, the write budget stayed spent). */
  | { state: 'not_posted'; on: CommentPlace }
  /** Notify failed before it recorded the comment: it may or may not be there. */
  | { state: 'unknown'; on: CommentPlace }
  /** No pull request, and no pushed commit the guard comments on (a scheduled run, a re-run of its own under way, …). */
  | { state: 'nowhere_to_comment' };

/**
 * Whether on-call was told: paged, not paged (`detail`: the policy's reason), told by the reconciler's fallback after
 * the guard failed (`cause`; `paged`: this incident's page went out, or it was counted on the open page of the same
 * problem; both null on incidents told before that was recorded), not yet: Notify failed and the fallback's page
 * is due (`fallback_due`), or never: the reconciler gave the incident up and its page could not go out either
 * (`given_up_unpaged`).
 */
export type OnCallStep =
  | { outcome: 'paged' }
  | { outcome: 'not_paged'; detail: string | null }
  | { outcome: 'fallback'; cause: FallbackCause | null; paged: boolean | null }
  | { outcome: 'fallback_due' }
  | { outcome: 'given_up_unpaged' };

export interface GuardSteps {
  decision: DecisionStep;
  /** GitHub failures only. */
  comment: CommentStep | null;
  /** Null while nothing was sent to on-call and nothing was decided about it. */
  onCall: OnCallStep | null;
}

/** Why a person must act. */
export type HandoffReason =
  /**
   * Notify failed after its retries (`error`: the error's name, when recorded; `since`: when): what it was to send may
   * not have gone out, and the reconciler's fallback page is due. Until then the dashboard may be the only notice.
   */
  | { kind: 'awaiting_fallback'; error: string | null; since: string | null }
  /**
   * The reconciler gave the incident up after `tries` failed tries (the last failing with `error`, at `at`) and the
   * page about it failed too: nobody was paged, and nothing tries it again. `notifyFailed`: it was trying to tell
   * on-call that Notify failed on it; else to re-drive it, or to page that its pipeline could not finish.
   */
  | { kind: 'given_up_unpaged'; at: string | null; tries: number; error: string; notifyFailed: boolean }
  | { kind: 'approval_pending' }
  /**
   * The guard's own handling failed and the reconciler's fallback told on-call instead (its decision did not play
   * out): `cause` says what failed, null on incidents told before it was recorded.
   */
  | { kind: 'guard_unfinished'; cause: FallbackCause | null }
  | { kind: 'escalated'; reason: string }
  /**
   * The runbook reported success (`result`, as its decision records it), and the reconciler found its alarm still in
   * ALARM at `at`, RUNBOOK_VERIFY_MINUTES or more after it finished: it did not fix it.
   */
  | { kind: 'runbook_unverified'; result: string; at: string }
  /** A runbook run of the alarm's still goes (see DecisionStep's `run_not_ended`): it may act while a person does. */
  | { kind: 'runbook_not_ended'; executionId: string | null }
  | { kind: 'approval_unanswered' }
  /**
   * The wait for approval could not be set up (its request failed on every try; `error`: what failed it, as recorded):
   * the proposal asked for an approval nobody can give, and nothing was applied.
   */
  | { kind: 'approval_failed'; error: string | null }
  /**
   * A maintainer decided (`decision`, by `by` at `at`) with a `/guard` command, but the guard could not resume the
   * execution with it before its approval wait timed out (`waitOver`), or gave up trying while the wait still runs:
   * nothing was applied.
   */
  | { kind: 'approval_unresumed'; decision: 'approved' | 'rejected'; by: string | null; at: string | null; action: RemediationAction | null; waitOver: boolean }
  | { kind: 'stage_failed'; stage: string; error: string }
  /** The pipeline ended without a decision (and without a failed stage to say why). */
  | { kind: 'undecided' }
  /** Nobody was told: the comment could not be posted (`on`), or there is nowhere to comment (null). */
  | { kind: 'not_told'; on: CommentPlace | null };

/** What a person should do, the first thing first; `follow_steps` goes with it when there are steps. */
export type PersonAction =
  | { kind: 'approve'; action: RemediationAction | null; onPullRequest: { repository: string; number: number } | null; digest: string | null }
  | { kind: 'look_at_alarm' }
  /** The guard's analysis is incomplete (a stage failed): read the run's log. */
  | { kind: 'read_log' }
  | { kind: 'read_comment'; on: CommentPlace }
  /** Notify failed before it said whether the guard's comment is there (`on`): look there, and at the run. */
  | { kind: 'check_comment'; on: CommentPlace }
  /** The run's failure, which no comment explains (`on`: where the guard's comment is missing, if it had a place). */
  | { kind: 'look_at_run'; on: CommentPlace | null }
  /** Fix steps from the analysis (unless withheld) or the log's diagnosis. */
  | { kind: 'follow_steps'; steps: string[] }
  /**
   * A maintainer's decision never reached the execution (see `approval_unresumed`): an approved `action` is done by
   * hand if still wanted; a rejection needs nothing undone. Either way, why the guard could not resume it.
   */
  | {
    kind: 'carry_out_decision'; decision: 'approved' | 'rejected'; by: string | null; action: RemediationAction | null;
    /** While the wait still runs, the command that has the guard try the decision again (on its pull request); else null. */
    retry: string | null;
  };

export interface Handoff {
  mustAct: boolean;
  /** Empty exactly when nobody must act. */
  why: HandoffReason[];
  tried: GuardSteps;
  /** Empty exactly when nobody must act. */
  needed: PersonAction[];
}

/**
 * The stage errors that leave the guard's work incomplete: all but the knowledge lookup's, which is skipped with a
 * note and never needs a person by itself (in a burst, 829 lookup timeouts once became 829 pages). What pages, what
 * the dashboard asks of a person and how urgent an escalation reads all go by these.
 */
export function degradingStageErrors(incident: Pick<Incident, 'stageErrors'>): Incident['stageErrors'] {
  return incident.stageErrors.filter((error) => error.stage !== 'knowledge');
}

/** What a Lambda or Step Functions error name looks like (`ValidationError`, `Sandbox.Timedout`, `States.Timeout`). */
const ERROR_NAME = /^[A-Za-z][\w.-]{0,99}$/;

/**
 * The name of the error a stage failed with, as its stage error records it (`GitHubUnavailableError: GitHub
 * answered 502` → `GitHubUnavailableError`); null when what precedes the message is not a name. The message is
 * left out: it varies from one incident to the next, and may quote what an outsider wrote.
 */
export function stageErrorName(error: Incident['stageErrors'][number]): string | null {
  const name = error.error.split(':', 1)[0] ?? '';
  return ERROR_NAME.test(name) ? name : null;
}

/**
 * The name of the error Notify failed with, as the state machine recorded it (a `notify_failed` history entry); null
 * when none or not a name. Only the name is kept: the exception's message may hold unredacted text of any length.
 */
export function notifyErrorOf(incident: Pick<Incident, 'history'>): string | null {
  const detail = incident.history.findLast((entry) => entry.event === 'notify_failed')?.detail;
  return detail && ERROR_NAME.test(detail) ? detail : null;
}

/**
 * Whether the reconciler's fallback page is still due: Notify failed for good (marked by the state machine, not yet
 * cleared by the fallback), the failure has not recovered, since the reconciler looks at unfinished incidents only,
 * and the reconciler has not given the incident up (it lists it no more).
 */
export function fallbackPageDue(incident: Pick<Incident, 'notifyFailed' | 'status' | 'reconcileRetry'>): boolean {
  return incident.notifyFailed === true && incident.status !== 'resolved' && incident.reconcileRetry?.dueAt !== null;
}

/**
 * The reconciler gave this incident up and could not page about it either (shared/reconcile/redrive.ts records it
 * given up, `reconcileRetry.dueAt` null, without telling it notified), while it is still unfinished: nobody was
 * paged and nothing tries it again. Null otherwise: never given up, paged about when it was (recorded notified), or
 * ended since (recovered, or notified by an execution a redelivery started).
 */
export function givenUpUnpaged(
  incident: Pick<Incident, 'reconcileRetry' | 'status' | 'notifyFailed' | 'history'>,
): Extract<HandoffReason, { kind: 'given_up_unpaged' }> | null {
  const retry = incident.reconcileRetry;
  if (!retry || retry.dueAt !== null || incident.status === 'notified' || incident.status === 'resolved') return null;
  const at = retry.failedAt ?? incident.history.findLast((entry) => entry.event === 'reconcile_given_up')?.at ?? null;
  return { kind: 'given_up_unpaged', at, tries: retry.failures, error: retry.error, notifyFailed: incident.notifyFailed === true };
}

/**
 * Whether Notify failed on this incident for good: marked by the state machine, or told on-call by that fallback,
 * or by the reconciler's page when it gave the incident up (the state machine's `notify_failed` entry says why).
 */
function notifyGaveOut(incident: Incident): boolean {
  const cause = incident.fallbackEscalation?.cause;
  return incident.notifyFailed === true || cause === 'notify_failed' ||
    (cause === 'reconcile_given_up' && incident.history.some((entry) => entry.event === 'notify_failed'));
}

type RerunDecision = Pick<Decision, 'action' | 'applied' | 'dryRun' | 'result'> | null | undefined;

/**
 * Whether a re-run the guard started is under way: its result decides (a failure after it comes back as a new
 * incident), so nobody needs telling yet. Not when the run had already been re-run by someone else.
 */
export function rerunUnderWay(decision: RerunDecision): boolean {
  return decision?.action === 'rerun_failed_jobs' && decision.applied && !decision.dryRun && !rerunFoundStarted(decision);
}

/** The guard meant to re-run the run and found it re-run already, by a person (apply.ts): it started nothing. */
export function rerunFoundStarted(decision: RerunDecision): boolean {
  return decision?.action === 'rerun_failed_jobs' && /already re-run/.test(decision.result ?? '');
}

/**
 * The pipeline is past its decision: Notify has run (it sets `notified`, or left its comment waiting for GitHub's
 * write budget, which only it does) or a fallback told on-call instead. A comment still waiting does not make the
 * decision that was or was not taken any less final: Notify decides whom to page in that first round.
 */
function pipelineEnded(incident: Incident): boolean {
  return incident.status === 'notified' || Boolean(incident.commentPending) || incident.notifiedByFallback === true;
}

function decisionStep(incident: Incident): DecisionStep {
  if (incident.approval?.status === 'pending') return { kind: 'awaiting_approval', action: incident.plan?.action ?? incident.decision?.action ?? null };
  const decision = incident.decision;
  if (!decision) return { kind: 'undecided', finished: pipelineEnded(incident) };
  if (decision.dryRun) return { kind: 'dry_run', action: decision.action };
  if (decision.action === 'comment_only') return { kind: 'comment_only' };
  // Not "escalated" (decided so, applied): "nothing automatic" while the runbook still runs (attack-46b B3, session 44).
  if (decision.runNotEnded && decision.applied) return { kind: 'run_not_ended', executionId: decision.followedRun?.executionId ?? incident.runbookExecutionId ?? null };
  if (decision.action === 'escalate') return { kind: 'escalated', reason: decision.reason };
  return decision.applied ? { kind: 'acted', action: decision.action } : { kind: 'not_acted', action: decision.action, reason: decision.reason, result: decision.result };
}

/**
 * The commit a failed run without a pull request is explained on, where its author sees it: a push's head commit, of
 * this repository's own code (a push needs write access; a fork's commit is the fork's). Not a check run of another
 * CI system, nor a scheduled, dispatched or other event's run, whose commit's author did not start it. Null otherwise.
 */
export function commitToCommentOn(incident: Pick<Incident, 'source' | 'pullRequest' | 'runEvent' | 'headSha' | 'repository' | 'fromFork' | 'checkRun'>): string | null {
  // Known to be this repository's own commit: an origin not recorded counts as a fork's, as everywhere else.
  const pushed = incident.source === 'github' && !incident.pullRequest && incident.runEvent === 'push' && !incident.checkRun && incident.fromFork === false;
  return pushed && incident.repository && incident.headSha ? incident.headSha : null;
}

/** `pull request #12`, `commit 0a1b2c3`: a comment's place as people name it. */
export function commentPlaceName(on: CommentPlace): string {
  return on.kind === 'pull_request' ? `pull request #${on.number}` : `commit ${on.sha.slice(0, 7)}`;
}

const CHANNEL: Record<CommentPlace['kind'], 'github_comment' | 'commit_comment'> = { pull_request: 'github_comment', commit: 'commit_comment' };

/**
 * Where the guard explains the failure: its pull request; else the pushed commit, unless the pipeline ended without
 * a try there (Notify records every one): a re-run of the guard's was under way, the failure had recovered, or Notify
 * ran before it commented on commits.
 */
function commentPlaceOf(incident: Incident): CommentPlace | null {
  if (incident.pullRequest) return { kind: 'pull_request', number: incident.pullRequest };
  const sha = commitToCommentOn(incident);
  if (!sha) return null;
  const tried = incident.notifications.some((n) => n.channel === 'commit_comment');
  return tried || !pipelineEnded(incident) || notifyGaveOut(incident) ? { kind: 'commit', sha } : null;
}

function commentStep(incident: Incident): CommentStep | null {
  if (incident.source !== 'github') return null;
  const on = commentPlaceOf(incident);
  if (!on) return { state: 'nowhere_to_comment' };
  const posted = commentShown(incident.notifications, CHANNEL[on.kind]);
  // Notify failed after its retries: a comment it did not record may still have gone out, and one that waited for
  // the write budget never will (the execution ended).
  if (notifyGaveOut(incident)) return posted ? { state: 'posted', on } : { state: 'unknown', on };
  // The wait first: a comment an earlier round posted is out of date while the new one waits.
  if (incident.commentPending) return { state: 'pending', on, since: incident.commentPending.since, retryAt: incident.commentPending.retryAt };
  return posted ? { state: 'posted', on } : { state: 'not_posted', on };
}

function onCallStep(incident: Incident): OnCallStep | null {
  const escalations = incident.notifications.filter((n) => n.channel === 'sns');
  if (escalations.some(escalationPublished)) return { outcome: 'paged' };
  if (incident.notifiedByFallback) {
    const told = incident.fallbackEscalation;
    return { outcome: 'fallback', cause: told?.cause ?? null, paged: told?.paged ?? null };
  }
  if (givenUpUnpaged(incident)) return { outcome: 'given_up_unpaged' };
  if (fallbackPageDue(incident)) return { outcome: 'fallback_due' };
  const skipped = escalations.find((n) => n.outcome === 'skipped');
  return skipped ? { outcome: 'not_paged', detail: skipped.detail } : null;
}

/** The history entry the reconciler writes when a runbook that reported success left its alarm in ALARM. */
export const RUNBOOK_UNVERIFIED_EVENT = 'runbook_unverified';

/**
 * The runbook reported success and its alarm still fired when the reconciler checked (the incident may have recovered
 * since, by other hands); null otherwise.
 */
export function runbookUnverified(incident: Incident): Extract<HandoffReason, { kind: 'runbook_unverified' }> | null {
  const decision = incident.decision;
  if (decision?.action !== 'run_runbook' || !decision.applied) return null;
  const checked = incident.history.findLast((entry) => entry.event === RUNBOOK_UNVERIFIED_EVENT);
  return checked ? { kind: 'runbook_unverified', result: decision.result ?? 'the runbook finished: Success', at: checked.at } : null;
}

/** A `runbook_unverified` reason in the words of the page and the dashboard. */
export function runbookUnverifiedInWords(reason: Extract<HandoffReason, { kind: 'runbook_unverified' }>): string {
  return `the runbook ran and reported success (${reason.result}), but the alarm still fired at ${reason.at}: it did not fix it`;
}

/** A `runbook_not_ended` reason in the words of the page and the dashboard. */
export function runbookNotEndedInWords(reason: Extract<HandoffReason, { kind: 'runbook_not_ended' }>): string {
  return `the runbook run ${reason.executionId ?? '(execution not recorded)'} has not ended, and the alarm still fires: the run may still act; Pipeline Guard keeps following it and tells its outcome once it ends`;
}

/** Why a person must act, in the order the dashboard lists them. */
function reasonsOf(incident: Incident, tried: GuardSteps): HandoffReason[] {
  const givenUp = givenUpUnpaged(incident);
  if (givenUp) return [givenUp];
  if (fallbackPageDue(incident)) return [{ kind: 'awaiting_fallback', error: notifyErrorOf(incident), since: incident.notifyFailedAt ?? null }];
  if (incident.status === 'resolved') return [];
  if (incident.approval?.status === 'pending') return [{ kind: 'approval_pending' }];
  const why: HandoffReason[] = [];
  if (incident.notifiedByFallback) why.push({ kind: 'guard_unfinished', cause: incident.fallbackEscalation?.cause ?? null });
  if (tried.decision.kind === 'escalated') why.push({ kind: 'escalated', reason: tried.decision.reason });
  if (tried.decision.kind === 'run_not_ended') why.push({ kind: 'runbook_not_ended', executionId: tried.decision.executionId });
  const unverified = runbookUnverified(incident);
  if (unverified) why.push(unverified);
  const approval = incident.approval;
  // A rejection that never reached the execution asks nothing of anyone where its pull request tells of it (as a
  // rejection that did); without one, Notify escalated it, and what to check is said as for an approval.
  const unresumed = unresumedDecision(approval);
  const rejectionTold = unresumed?.decision === 'rejected' && Boolean(incident.pullRequest);
  if (unresumed && !rejectionTold) {
    why.push({ kind: 'approval_unresumed', ...unresumed, by: approval?.decidedBy ?? null, at: approval?.decidedAt ?? null, action: incident.plan?.action ?? null });
  } else if (approval?.status === 'timed_out' && !rejectionTold) {
    why.push({ kind: 'approval_unanswered' });
  } else if (approval?.status === 'failed') {
    why.push({ kind: 'approval_failed', error: approval.reason });
  }
  for (const error of degradingStageErrors(incident)) why.push({ kind: 'stage_failed', stage: error.stage, error: error.error });
  if (tried.decision.kind === 'undecided' && tried.decision.finished && incident.stageErrors.length === 0 && !incident.notifiedByFallback) why.push({ kind: 'undecided' });
  const comment = tried.comment;
  // A comment that could not be posted is known from its record; a run with nowhere to comment once the pipeline ended.
  const refused = comment?.state === 'not_posted' &&
    incident.notifications.some((n) => n.channel === CHANNEL[comment.on.kind] && (n.outcome === 'skipped' || n.outcome === 'failed'));
  const unexplained = refused || (comment?.state === 'nowhere_to_comment' && pipelineEnded(incident));
  if (comment && unexplained && !rerunUnderWay(incident.decision)) why.push({ kind: 'not_told', on: comment.state === 'not_posted' ? comment.on : null });
  return why;
}

/** The fix steps a person can start from: the analysis's (unless withheld), else the first job's diagnosis. */
function fixSteps(incident: Incident): string[] {
  if (incident.analysis && !incident.analysis.injection && incident.analysis.fix.length > 0) return incident.analysis.fix;
  return incident.jobs.find((job) => job.diagnosis?.fix.length)?.diagnosis?.fix ?? [];
}

function neededFor(incident: Incident, why: readonly HandoffReason[], tried: GuardSteps): PersonAction[] {
  if (why.length === 0) return [];
  if (why.some((reason) => reason.kind === 'approval_pending')) {
    const onPullRequest = incident.source === 'github' && incident.repository && incident.pullRequest ? { repository: incident.repository, number: incident.pullRequest } : null;
    const action = tried.decision.kind === 'awaiting_approval' ? tried.decision.action : null;
    return [{ kind: 'approve', action, onPullRequest, digest: incident.approval?.digest ?? null }];
  }
  const unresumed = why.find((reason) => reason.kind === 'approval_unresumed');
  if (unresumed) {
    const command = unresumed.decision === 'approved' ? 'approve' : 'reject';
    const retry = !unresumed.waitOver && incident.pullRequest ? `/guard ${command} ${incident.id}` : null;
    return [{ kind: 'carry_out_decision', decision: unresumed.decision, by: unresumed.by, action: unresumed.action, retry }];
  }
  const comment = tried.comment;
  const first: PersonAction =
    incident.source === 'cloudwatch'
      ? { kind: 'look_at_alarm' }
      : why.some((reason) => reason.kind === 'stage_failed')
        ? { kind: 'read_log' }
        : comment?.state === 'posted'
          ? { kind: 'read_comment', on: comment.on }
          : comment?.state === 'unknown'
            ? { kind: 'check_comment', on: comment.on }
            : { kind: 'look_at_run', on: comment && comment.state !== 'nowhere_to_comment' ? comment.on : null };
  const steps = fixSteps(incident);
  return steps.length > 0 ? [first, { kind: 'follow_steps', steps }] : [first];
}

/** The hand-off of `incident` (see the module's comment). */
export function guardHandoff(incident: Incident): Handoff {
  const tried: GuardSteps = { decision: decisionStep(incident), comment: commentStep(incident), onCall: onCallStep(incident) };
  const why = reasonsOf(incident, tried);
  return { mustAct: why.length > 0, why, tried, needed: neededFor(incident, why, tried) };
}
