import { type CommentPlace, type HandoffReason, commentPlaceName, degradingStageErrors, guardHandoff, runbookNotEndedInWords, runbookUnverifiedInWords, stageErrorName } from '../domain/handoff.js';
import { type FallbackCause, type Incident, type RemediationAction, outsiderCanRepeat, unresumedDecision } from '../domain/incident.js';
import type { EscalationOccurrence } from '../ports.js';
import { type EscalationPolicy, type PolicyFile, policyFor } from '../remediation/policy.js';
import { repositoryKey } from '../domain/repository-key.js';
import { waitedMinutesBetween } from '../domain/write-wait.js';
import { PLANNED } from './escalation.js';

/** What the notify stage knows when it decides whether on-call hears about an incident. */
export interface RouteInput {
  incident: Incident;
  /** Why a human is needed (the decision, a failed stage, …) in plain words for them; empty when nobody is. */
  reasons: string[];
  /** A pipeline stage other than knowledge lookup failed: the guard itself is degraded. */
  guardDegraded: boolean;
  /**
   * The pull request (or, without one, on-call by e-mail) was asked for an approval and nobody answered in time, or
   * the answer never reached the execution: nobody's decision was carried out.
   */
  unanswered?: boolean;
  /** The pull request comment was written (so the PR's author has been told). */
  commented: boolean;
  /** The failed attempt is one our own automatic re-run started. */
  ownRerun: boolean;
  /**
   * The run was started by a user with write access to the repository (its `triggering_actor`); false when not, or
   * not known. Only asked of runs an outsider may repeat (see {@link githubProblemKey}).
   */
  startedByWriter?: boolean;
  policy: EscalationPolicy;
}

export type Route =
  | { page: false; why: string }
  | {
      page: true;
      /** The problem this occurrence belongs to: one escalation per key and window. */
      key: string;
      /** False when this occurrence may only add to an open escalation, never open one. */
      mayOpen: boolean;
      label: string;
      why: string;
      /**
       * `deployment`: the problem is the guard's, whatever repository it was handling (see {@link
       * degradedGuardProblem}): its window and digest are the deployment's defaults, not one repository's.
       */
      scope?: 'deployment';
    };

/** `main` matches `main`; `release/*` matches every branch starting `release/`; `*` matches every branch. */
export function branchWatched(patterns: readonly string[], branch: string | null): boolean {
  if (!branch) return patterns.includes('*');
  return patterns.some((pattern) => (pattern.endsWith('*') ? branch.startsWith(pattern.slice(0, -1)) : pattern === branch));
}

/**
 * The problem a GitHub failure belongs to: the repository and the failure's fingerprint (the same failure on a
 * re-run, on another branch or on tonight's cron is the same problem). Without a fingerprint, the workflow.
 *
 * Whoever writes the log writes the fingerprint (and a fork its branch and workflow names). A run an outsider may
 * steer or repeat (see `outsiderCanRepeat`: a fork's, a `pull_request_target`/`issue_comment`/`workflow_run` run that
 * may run a fork's code as this repository's `main`, or a run of an event anyone can cause, such as `issues`) is keyed
 * by what the repository decides instead: its workflow, or for a fork's runs (which only page while the guard is
 * degraded) the repository. Keyed by fingerprint, every new line a stranger's pull request, comment or issue printed
 * opened a new escalation and paged again.
 *
 * Such a workflow's runs that a user with write access started (`startedByWriter`) are a problem apart from the
 * outsiders' runs of it: one key for both let a stranger's failure open the window, and a maintainer's failure of the
 * same workflow then reached on-call only in the digest. Outsiders cannot start a run as a writer, so they still page
 * at most once a window and workflow.
 *
 * The repository is named by GitHub's id when known (`gh:id-<id>:…`), which a rename or a transfer keeps and no other
 * repository ever gets: keyed by name, a renamed repository's failure paged again within the window, and a repository
 * created under a renamed account's old name had its failures counted on the other's page. Without an id, the name.
 */
export function githubProblemKey(incident: Incident, startedByWriter = false): string {
  const repo = problemRepository(incident);
  if (outsiderCanRepeat(incident)) {
    if (incident.fromFork === true) return `gh:${repo}:outside:fork`;
    return `gh:${repo}:${startedByWriter ? 'writer' : 'outside'}:workflow:${incident.workflowId ?? incident.workflowName ?? 'unknown'}`;
  }
  const what = incident.fingerprint ?? `workflow:${incident.workflowId ?? incident.workflowName ?? 'unknown'}:${incident.branch ?? '-'}`;
  return `gh:${repo}:${what}`;
}

function problemRepository(incident: Pick<Incident, 'repository' | 'repositoryId'>): string {
  return typeof incident.repositoryId === 'number' ? `id-${incident.repositoryId}` : repositoryKey(incident.repository ?? 'unknown');
}

/**
 * The key a problem keyed by the repository's id (`key`, as {@link githubProblemKey} makes it, maybe inside a longer
 * key) had under the repository's name, before problems were keyed by id (session 66); null when it names no id.
 */
export function nameKeyedProblem(key: string, incident: Pick<Incident, 'repository' | 'repositoryId'>): string | null {
  if (typeof incident.repositoryId !== 'number') return null;
  const byId = `gh:id-${incident.repositoryId}:`;
  const at = key.indexOf(byId);
  return at < 0 ? null : `${key.slice(0, at)}gh:${repositoryKey(incident.repository ?? 'unknown')}:${key.slice(at + byId.length)}`;
}

/** The pipeline's stages in the order they run: a degraded guard's problem is the first of them that failed. */
const STAGE_ORDER = ['classify', 'knowledge', 'analyze', 'remediate'];
function stageRank(stage: string): number {
  const rank = STAGE_ORDER.indexOf(stage);
  return rank < 0 ? STAGE_ORDER.length : rank;
}

/**
 * The problem of a degraded guard whose failure its author was told of: the guard's own, one for the whole
 * deployment, by the first stage that failed and its error's name (`guard-degraded:classify:GitHubUnavailableError`),
 * as the notify function's failure is one problem (`guard-notify-failed`). With no log read there is no fingerprint,
 * and the failure's own key named its branch: one outside cause (GitHub's outage, its rate limit spent) paged once
 * per pull request and repository. The error's message is left out: it varies by incident. Runs an outsider can
 * repeat (see {@link githubProblemKey}) are a problem apart, so a stranger who breaks a stage cannot take the page
 * the repository's own failures would send.
 */
export function degradedGuardProblem(incident: Incident, startedByWriter = false): { key: string; label: string } {
  const [first] = [...degradingStageErrors(incident)].sort((a, b) => stageRank(a.stage) - stageRank(b.stage));
  const stage = first?.stage ?? 'unknown';
  const error = (first && stageErrorName(first)) ?? 'unknown';
  const outside = outsiderCanRepeat(incident) && !startedByWriter;
  return {
    key: `guard-degraded:${stage}:${error}${outside ? ':outside' : ''}`,
    label: `the guard's ${stage} step failing (${error})${outside ? ' on runs outsiders can repeat' : ''}`,
  };
}

/**
 * The problem an incident belongs to, as the escalation ledger keys it (one escalation per key and window): an
 * alarm's ARN, or a GitHub failure's {@link githubProblemKey}; and what it is in a few words.
 */
export function problemOf(incident: Incident, startedByWriter = false): { key: string; label: string } {
  if (incident.source === 'cloudwatch') {
    const arn = incident.alarm?.arn ?? incident.alarm?.name ?? incident.id;
    // The run of a dead holder, followed once by this incident (session 42): counted on the holder's page, which said
    // its start failed, on-call never heard that the runbook ran and how it ended. Its end is a problem apart from
    // the page that it still ran, whoever records it (a later ALARM, or the reconciler's check): counted on that page,
    // on-call never heard how it ended (attack-45b B1, session 43).
    const followed = incident.decision?.followedRun;
    if (followed) {
      const ended = followed.executionId && !incident.decision?.runNotEnded ? `:ended:${followed.executionId}` : '';
      return { key: `alarm:${arn}:run-of:${followed.holder}${ended}`, label: `the runbook run of alarm ${incident.alarm?.name ?? arn}` };
    }
    return { key: `alarm:${arn}`, label: `alarm ${incident.alarm?.name ?? arn}` };
  }
  return { key: githubProblemKey(incident, startedByWriter), label: `${incident.workflowName || 'workflow'} in ${incident.repository ?? 'unknown'}` };
}

/**
 * Why on-call is asked about an incident the guard decided to escalate, in plain words: what the guard could not do.
 * The decision's own reason is the planner's record (experiments, confidences, the model's rationale): it says how
 * the decision was reached, which the incident's timeline keeps, not why this person gets the message.
 */
export function escalationInWords(incident: Incident, facts: { ownRerun: boolean; unanswered: boolean }): string {
  const approval = incident.approval;
  const unresumed = unresumedDecision(approval);
  if (unresumed) return unresumedInWords(unresumed, approval?.decidedBy ?? null, approval?.decidedAt ?? null, incident.plan?.action ?? null);
  if (approval?.status === 'failed') {
    return `the guard could not ask for approval of what it proposed (${approval.reason}): nothing was applied`;
  }
  if (facts.unanswered) {
    // Without a pull request (an alarm's, a push's) the request went to on-call by e-mail: there is no PR to point at.
    return incident.pullRequest
      ? 'the guard asked on the pull request for approval of what it proposed, and nobody answered in time'
      : 'the guard e-mailed on-call for approval of what it proposed, and nobody answered in time';
  }
  if (facts.ownRerun) return 'it failed again after the guard re-ran it, so it is not a passing glitch';
  const followed = incident.decision?.followedRun;
  if (followed) return `the runbook run of its incident ${followed.holder}, whose step ended before it recorded how the run ended, was followed: ${incident.decision?.result ?? ''}`;
  if (incident.source === 'cloudwatch') return 'the alarm is firing and the guard has no automatic fix it may apply';
  if (incident.failureLines.length === 0) return 'the guard could not find the lines in the logs that say why it failed';
  return 'the guard has no safe automatic fix for this failure';
}

/**
 * A maintainer's `/guard` decision that never reached the execution, as on-call reads it: before its wait timed out,
 * or given up by the reconciler while the wait still runs.
 */
function unresumedInWords(
  { decision, waitOver }: { decision: 'approved' | 'rejected'; waitOver: boolean },
  by: string | null,
  at: string | null,
  action: RemediationAction | null,
): string {
  const what = action ? ` "${PLANNED[action]}"` : ' the proposal';
  const decided = `${by ?? 'a maintainer'} ${decision}${what} at ${at ?? 'an unrecorded time'}, but the guard could not resume its execution with that decision`;
  return waitOver
    ? `${decided} before the approval wait timed out, so nothing was applied`
    : `${decided} and gave up trying: nothing is applied, and the execution waits until its approval times out`;
}

/**
 * Whether on-call is paged for this incident — pure, so every rule is table-tested. The ledger then decides
 * whether this occurrence opens an escalation or is counted on the one already open for the same problem.
 *
 * - Nobody needs to act (a comment explains it, a re-run is under way, it recovered): no page.
 * - A pull request failure goes to the pull request, unless the policy asks for on-call too, the guard itself
 *   is degraded (a failed stage: the comment may be wrong or missing) or the PR was asked for an approval and
 *   nobody answered in time.
 * - A degraded guard pages. When the failure's author was told (its comment went out) and the failure would not page
 *   by itself (a pull request's, a push to a branch the policy does not watch), on-call acts on the guard only: the
 *   problem is the failed stage across the deployment ({@link degradedGuardProblem}), one page a window for an outage
 *   however many pull requests, branches and repositories fail meanwhile. When nobody was told, or the failure pages
 *   by itself (a watched branch, a schedule, the policy's pull requests), it is on-call's too: its own problem.
 * - A fork's failure never pages (unless the guard is degraded): the fork's author acts on it, and the fork's
 *   `main` is not this repository's `main`, though a fork PR's run without a pull request found names it so.
 * - A failure without a pull request pages when its branch is watched or it is a scheduled run.
 * - A re-run attempt that a person started never opens an escalation: the person is already on it. Only our own
 *   automatic re-run failing again may open one — the guard has run out of things to try.
 */
export function routeEscalation(input: RouteInput): Route {
  const { incident } = input;
  if (incident.status === 'resolved') return { page: false, why: 'it has already recovered' };
  if (input.reasons.length === 0) return { page: false, why: 'nobody needs to act' };
  const why = input.reasons.join('; ');
  const { key, label } = problemOf(incident, input.startedByWriter === true);
  if (incident.source === 'cloudwatch') return { page: true, key, mayOpen: true, label, why };
  if (!input.guardDegraded) return routeByPolicy(input, key, label, why);
  // A failure on-call hears of by itself (a watched branch's, a schedule's) stays its own page, or the outage's one
  // page would hide, in a count, a failure the policy says a person must act on.
  if (input.commented && !input.unanswered && !routeByPolicy(input, key, label, why).page) {
    const problem = degradedGuardProblem(incident, input.startedByWriter === true);
    const counted = `${why}; this is the one page for ${problem.label}: the incidents it fails on alike, in any repository, are counted on it`;
    return { page: true, ...problem, mayOpen: true, why: counted, scope: 'deployment' };
  }
  return { page: true, key: `${key}:degraded`, mayOpen: true, label, why };
}

/** {@link routeEscalation} for a GitHub failure while the guard is whole: the repository's escalation policy decides. */
function routeByPolicy(input: RouteInput, key: string, label: string, why: string): Route {
  const { incident, policy } = input;
  // Known forks only: an incident stored before `fromFork` existed still pages. Not paging is the unsafe way to be
  // wrong here, while an automatic action (remediation's `fromUntrustedHead`) is the unsafe way to be wrong there.
  if (incident.fromFork === true) {
    return { page: false, why: "the failing commit is a fork's: its author is the one to act, and a fork's branch named like a watched one is not that branch" };
  }
  if (incident.pullRequest && input.commented && !policy.pullRequests && !input.unanswered) {
    return { page: false, why: 'the pull request comment tells its author (escalation.pullRequests is off)' };
  }
  const scheduled = incident.runEvent === 'schedule';
  if (scheduled && !policy.scheduled) return { page: false, why: 'scheduled runs do not page (escalation.scheduled is off)' };
  if (!scheduled && !incident.pullRequest && !branchWatched(policy.branches, incident.branch)) {
    return { page: false, why: `branch ${incident.branch ?? '(none)'} is not in escalation.branches` };
  }
  const rerunByPerson = (incident.runAttempt ?? 1) > 1 && !input.ownRerun;
  const toldOnThePullRequest = incident.pullRequest && input.commented && !input.unanswered;
  return { page: true, key, mayOpen: !rerunByPerson, label, why: toldOnThePullRequest ? `${why}; the escalation policy sends pull request failures to on-call too` : why };
}

/** What kept the guard from finishing, when its fallback told on-call instead, after "Why you are getting this:". */
const UNFINISHED_IN_WORDS: Record<FallbackCause, string> = {
  notify_failed: "the guard's notify step failed, so it could not report it itself",
  pipeline_failed: 'the guard could not finish handling it',
  not_started: 'the guard could not finish handling it',
  reconcile_given_up: 'the guard could not finish handling it, and its reconciler gave it up',
};

/**
 * One reason of the hand-off in the words on-call reads after "Why you are getting this:" (null: said by another
 * reason, or merged with its kind). The planner's own reason stays on the incident's decision.
 */
function reasonInWords(reason: HandoffReason, incident: Incident, facts: { ownRerun: boolean; unanswered: boolean; stagesFailed: string }): string | null {
  switch (reason.kind) {
    case 'awaiting_fallback':
      return "the guard's notify step failed, so nobody may have been told";
    case 'approval_pending':
      return "a proposal of the guard's waits for a person's approval";
    case 'given_up_unpaged':
      return "the guard's reconciler gave it up, and could not page about it";
    case 'guard_unfinished':
      return reason.cause ? UNFINISHED_IN_WORDS[reason.cause] : 'the guard could not finish handling it';
    case 'escalated':
    case 'approval_unanswered':
    case 'approval_unresumed':
    case 'approval_failed':
      // The approval's timeout is the escalation's reason: escalationInWords says it (a decision that never reached
      // the execution included).
      return escalationInWords(incident, facts);
    case 'stage_failed':
      // One sentence for every failed stage, standing where the first of them does.
      return facts.stagesFailed;
    case 'undecided':
      return 'the guard stopped before it could decide what to do';
    case 'runbook_unverified':
      return runbookUnverifiedInWords(reason);
    case 'runbook_not_ended':
      return runbookNotEndedInWords(reason);
    case 'not_told': {
      if (reason.on === null) return 'nobody else was told: the run has no pull request';
      const waited = commentWaitMinutes(incident, reason.on);
      if (waited !== null) {
        return `nobody else was told: the guard could not comment on the ${reason.on.kind === 'pull_request' ? 'pull request' : 'commit'} within ${waited} minutes (GitHub's write limit stayed spent)`;
      }
      return `nobody else was told: the guard could not comment on ${commentPlaceName(reason.on)}`;
    }
  }
}

/** How long the comment waited for GitHub's write budget before it was given up (its records' times), or null. */
function commentWaitMinutes(incident: Incident, on: CommentPlace): number | null {
  const channel = on.kind === 'pull_request' ? 'github_comment' : 'commit_comment';
  const comments = incident.notifications.filter((n) => n.channel === channel);
  const gaveUp = comments.findLast((n) => n.outcome === 'failed');
  const waitStarted = comments.find((n) => n.outcome === 'pending');
  if (!gaveUp || !waitStarted) return null;
  return waitedMinutesBetween(Date.parse(waitStarted.at), Date.parse(gaveUp.at));
}

/**
 * What the escalation ledger records of a page `route` decided on `incident`: its problem's window and digest are
 * the repository's escalation policy, or the deployment's defaults for a problem of the whole deployment.
 */
export function pageOccurrence(route: Extract<Route, { page: true }>, incident: Pick<Incident, 'id' | 'repository'>, at: Date, policyFile: PolicyFile): EscalationOccurrence {
  const { windowMinutes, digest } = policyFor(policyFile, route.scope === 'deployment' ? null : incident.repository, false).escalation;
  return { key: route.key, incidentId: incident.id, at, windowMinutes, mayOpen: route.mayOpen, label: route.label, digest };
}

/** Whether and why on-call is paged about `incident`, and what the page says on-call is asked for. */
export interface EscalationDecision {
  /** Why a person must act, in plain words for them; empty exactly when the hand-off says nobody must. */
  reasons: string[];
  route: Route;
}

/**
 * Whether on-call is paged about `incident`, as the notify round leaves it (its comment posted, waiting or given up):
 * a person must act exactly when the hand-off says so (shared/domain/handoff.ts, which the dashboard and the
 * escalation e-mail also follow), and the escalation policy says whether that person is on-call ({@link
 * routeEscalation}). Notify worked its reasons out from its own run before, a third copy of the rule that
 * disagreed with the other two.
 */
export function escalationFor(incident: Incident, facts: { ownRerun: boolean; startedByWriter?: boolean; policy: EscalationPolicy }): EscalationDecision {
  const { why, tried } = guardHandoff(incident);
  // A decision that never reached the execution pages as an unanswered request does: the pull request's answer was lost.
  // So does a wait that could not be set up: nobody can answer it, whatever the pull request's comment says.
  const unanswered = why.some((reason) => reason.kind === 'approval_unanswered' || reason.kind === 'approval_unresumed' || reason.kind === 'approval_failed');
  const failedStages = [...new Set(why.flatMap((reason) => (reason.kind === 'stage_failed' ? [reason.stage] : [])))];
  const stagesFailed = `the guard itself failed while handling it (its ${failedStages.join(' and ')} step${failedStages.length > 1 ? 's' : ''}), so what it says may be incomplete`;
  const words = why.map((reason) => reasonInWords(reason, incident, { ownRerun: facts.ownRerun, unanswered, stagesFailed }));
  const reasons = [...new Set(words.filter((text): text is string => text !== null))];
  // A comment waiting for the budget is coming: route as if it were there (the wait alone never pages).
  const commented = tried.comment?.state === 'posted' || tried.comment?.state === 'pending';
  const route = routeEscalation({
    incident, reasons, guardDegraded: failedStages.length > 0, unanswered, commented, ownRerun: facts.ownRerun, startedByWriter: facts.startedByWriter === true, policy: facts.policy,
  });
  return { reasons, route };
}
