import { type GuardSteps, type HandoffReason, type OnCallStep, commentPlaceName, guardHandoff, runbookNotEndedInWords, runbookUnverifiedInWords } from '../../../shared/domain/handoff.js';
import type { FallbackCause } from '../../../shared/domain/incident.js';
import type { Incident } from './types.js';

/** What a person has to do about an incident, as its page says it first and the list marks it. */
export interface NextStep {
  /** Whether the incident waits for a person (an approval, an escalation, a failure nobody was told of). */
  human: boolean;
  /** One or two sentences: what to do, or why nothing is needed. */
  text: string;
  /** Commands to copy, as written (a PR comment's `/guard …`). */
  commands: string[];
  /** Steps from the analysis or the log's diagnosis, for a person who must look at the failure. */
  steps: string[];
}

const ACTION_WORDS: Record<string, string> = {
  rerun_failed_jobs: 're-run the failed jobs',
  open_fix_pr: 'open a fix pull request',
  run_runbook: 'run the runbook',
  comment_only: 'comment on the pull request',
  escalate: 'escalate',
};

const words = (action: string) => ACTION_WORDS[action] ?? action;

/** Why a person must look, as the page says it after "A person must look at this failure:". */
function reasonWords(reason: HandoffReason): string | null {
  switch (reason.kind) {
    case 'guard_unfinished':
      return reason.cause ? UNFINISHED[reason.cause] : 'the guard could not finish handling it';
    case 'escalated':
      return reason.reason;
    case 'approval_unanswered':
      return 'nobody answered the approval request in time';
    case 'approval_failed':
      return `the guard could not set up the wait for approval${reason.error ? ` (${reason.error})` : ''}, so nobody can approve its proposal: nothing was applied`;
    case 'approval_unresumed':
      return `${reason.by ?? 'a maintainer'} ${reason.decision} the proposal${reason.action ? ` to ${words(reason.action)}` : ''} at ${reason.at ?? 'an unrecorded time'}, but the guard could not resume its execution with that decision ${reason.waitOver ? 'before the approval wait timed out, so nothing was applied' : 'and gave up trying: nothing is applied'}`;
    case 'stage_failed':
      return `the guard's ${reason.stage} stage failed (${reason.error})`;
    case 'undecided':
      return 'the guard stopped before it could decide what to do';
    case 'runbook_unverified':
      return runbookUnverifiedInWords(reason);
    case 'runbook_not_ended':
      return runbookNotEndedInWords(reason);
    case 'not_told':
      return reason.on ? `the guard could not comment on ${commentPlaceName(reason.on)}` : 'the run has no pull request for the guard to comment on';
    default:
      // awaiting_fallback, given_up_unpaged and approval_pending have their own notice.
      return null;
  }
}

/** What kept the guard from finishing, when its fallback told on-call instead. */
const UNFINISHED: Record<FallbackCause, string> = {
  notify_failed: "the guard's notify step failed, so the guard could not report it itself",
  pipeline_failed: "the guard's pipeline failed on every try, so it could not finish handling it",
  not_started: "the guard's pipeline would not start, so nothing was analysed or tried",
  reconcile_given_up: "the guard could not finish handling it, and its reconciler gave it up after its tries at it kept failing",
};

/** Who was told of an escalation: on-call paged (by Notify or the fallback), or why not (the escalation policy's reason). */
function told(onCall: OnCallStep | null): string {
  if (!onCall) return '';
  switch (onCall.outcome) {
    case 'paged':
      return 'On-call was sent the escalation.';
    case 'fallback_due':
      return "On-call is paged by the reconciler's fallback on its next run.";
    case 'given_up_unpaged':
      return 'Nobody was paged: the reconciler gave it up, and its page could not go out.';
    case 'fallback':
      if (onCall.paged === null) return 'On-call was told by the guard\'s fallback.';
      if (!onCall.paged) {
        return "On-call was not paged for this incident itself: it is counted on the fallback's page already sent for the same problem (one per escalation window; the rest are reported when it ends).";
      }
      // The notify fallback's page is content-free on purpose (shared/reconcile/notify-failed.ts): this page is the detail.
      return onCall.cause === 'notify_failed'
        ? 'On-call was paged by the fallback, with a notice that names this incident, not what failed: what the guard found is on this page.'
        : 'On-call was paged by the fallback with what the guard knew.';
    case 'not_paged': {
      // Notify records the policy's reason as "not paged: …".
      const detail = onCall.detail?.replace(/^not paged: /, '');
      return `On-call was not paged${detail ? `: ${detail}` : ''}.`;
    }
  }
}

/** Why nobody needs to act, from what the guard did. */
function nothingToDo(incident: Incident, tried: GuardSteps): string {
  if (incident.status === 'resolved') return 'Resolved: nothing to do.';
  const comment = tried.comment;
  if (comment?.state === 'pending') {
    const which = comment.on.kind === 'pull_request' ? 'the pull request comment' : `the comment on ${commentPlaceName(comment.on)}`;
    return `Nothing yet: ${which} waits for GitHub's write budget (since ${comment.since}, next try ${comment.retryAt}); past the wait the guard escalates with what it found.`;
  }
  const decision = tried.decision;
  switch (decision.kind) {
    case 'dry_run':
      return `Nothing: the guard would ${words(decision.action)} (dry run, not applied).`;
    case 'comment_only':
      return comment?.state === 'posted' && comment.on.kind === 'commit'
        ? `Nothing for on-call: the guard's comment on ${commentPlaceName(comment.on)} tells its author what failed.`
        : 'Nothing for on-call: the pull request comment tells its author what failed.';
    case 'acted':
      return `Nothing for now: the guard chose to ${words(decision.action)} and did; a failure after it comes back here.`;
    case 'not_acted':
      return `Nothing for on-call: the guard chose to ${words(decision.action)} but did not (${decision.reason}).`;
    default:
      return 'Nothing yet: the guard is still handling it.';
  }
}

/**
 * What the incident page says first: whether a person must act, and what to do. The on-call reader at 3 a.m. must
 * not have to work it out from the status ('notified' is also what an escalated alarm reads), the decision's
 * wording and the timeline. The facts are the guard's hand-off (shared/domain/handoff.ts), which the escalation
 * e-mail says in its own words.
 */
export function nextStep(incident: Incident): NextStep {
  const { mustAct, why, tried, needed } = guardHandoff(incident);
  if (!mustAct) return { human: false, text: nothingToDo(incident, tried), commands: [], steps: [] };
  const steps = needed.flatMap((action) => (action.kind === 'follow_steps' ? action.steps : []));
  const awaiting = why.find((reason) => reason.kind === 'awaiting_fallback');
  if (awaiting) {
    const error = awaiting.error ? ` (${awaiting.error})` : '';
    const sent = incident.source === 'github' ? 'its comment and any page' : 'its page';
    return {
      human: true,
      text:
        `Not reported yet: the guard's notify step failed after its retries${error}, so ${sent} may not have gone out. ` +
        "The reconciler's fallback pages on-call on its next run, with a notice that names this incident; until then this page may be the only notice, and what the guard found is here.",
      commands: [],
      steps,
    };
  }
  const givenUp = why.find((reason) => reason.kind === 'given_up_unpaged');
  if (givenUp) {
    const couldNot = givenUp.notifyFailed
      ? `tell on-call that the guard's notify step failed on this incident, so ${incident.source === 'github' ? 'its comment and any page' : 'its page'} may not have gone out`
      : 're-drive this incident or page on-call about it';
    return {
      human: true,
      text:
        `Given up at ${givenUp.at ?? 'an unrecorded time'} after ${givenUp.tries} tries (the last: ${givenUp.error}), and nobody was paged: the reconciler could not ${couldNot}. ` +
        "Nothing tries it again: look at the failure yourself (what the guard found is on this page), and at the reconciler's logs for this incident.",
      commands: [],
      steps,
    };
  }
  const approve = needed.find((action) => action.kind === 'approve');
  if (approve) {
    const action = words(approve.action ?? 'the proposed action');
    if (approve.onPullRequest) {
      const digest = approve.digest ? ` ${approve.digest}` : '';
      return {
        human: true,
        text: `Waiting for approval to ${action}. Someone with write access replies on ${approve.onPullRequest.repository}#${approve.onPullRequest.number} with one of:`,
        commands: [`/guard approve ${incident.id}${digest}`, `/guard reject ${incident.id} <reason>`],
        steps: [],
      };
    }
    return {
      human: true,
      text: `Waiting for approval to ${action}. The escalation e-mail has the two commands that approve or reject it (aws stepfunctions send-task-success / send-task-failure).`,
      commands: [],
      steps: [],
    };
  }
  // The escalation's reason of a decision that never reached the execution is that decision, said once by its own reason.
  const unresumed = why.some((reason) => reason.kind === 'approval_unresumed');
  const reasons = why
    .filter((reason) => !(unresumed && reason.kind === 'escalated'))
    .map(reasonWords)
    .filter((reason): reason is string => reason !== null);
  const carry = needed.find((action) => action.kind === 'carry_out_decision');
  const todo = carry ? carryOut(carry.decision, carry.action, carry.retry) : null;
  return { human: true, text: [`A person must look at this failure: ${reasons.join('; ')}.`, todo, told(tried.onCall)].filter(Boolean).join(' '), commands: [], steps };
}

/** What to do about a decision that never reached the execution: the timeline's approval_resume entries say why. */
function carryOut(decision: 'approved' | 'rejected', action: string | null, retry: string | null): string {
  if (decision === 'rejected') return 'Nothing needs undoing; the timeline says why the guard could not resume it.';
  const todo = `${action ? `To ${words(action)}` : 'To do what was proposed'}, do it by hand`;
  if (retry) return `${todo}, or reply ${retry} on the pull request for the guard to try again (not both); the timeline says why it could not resume it.`;
  return `${todo}: the execution has ended; the timeline says why the guard could not resume it.`;
}
