import type { AuditEntry, Decision, FollowedRun, Incident, RemediationAction } from '../domain/incident.js';
import { errorMessage } from '../errors.js';
import type { RemediationGitHubPort, RerunClaimRequest, RerunKey } from '../ports.js';
import type { RemediateDeps } from '../steps/deps.js';
import type { IncidentDue } from '../stores/due-index.js';
import { scheduleRunbookVerify } from '../stores/runbook-checks.js';
import { PatchRefusedError, FIX_PR_LABELS, buildFixFiles, fixBranchName, fixPrBody, repositoryAt } from './fix-pr.js';
import { defusePlainReferences } from '../notify/markdown.js';
import type { RemediationPlan } from './planner.js';
import type { RepositoryPolicy } from './policy.js';
import { recordActionOutcome } from './guard-store.js';
import { followRunbook, succeeded } from './runbook-runner.js';
import { confirmRunbookStart, runbookStartOf } from './runbook-start.js';

export interface ApplyContext {
  incident: Incident;
  plan: RemediationPlan;
  policy: RepositoryPolicy;
  github: RemediationGitHubPort | null;
  rerunKey: RerunKey | null;
  /** The scope whose automatic-action slots the action takes (`guardSlotScope`): the repository's, the alarm's, or outsiders' runs'. */
  scope: string;
  /** `pipeline-guard`, or the login of whoever approved the plan. */
  actor: string;
  /** How a re-run is requested (an experiment arm's `enableDebugLogging`). */
  rerunOptions?: { enableDebugLogging?: boolean };
}

export interface ApplyResult {
  action: RemediationAction;
  applied: boolean;
  result: string;
  reason: string;
  /**
   * The re-run claim to give back once this decision is recorded: GitHub said a person had re-run the run already.
   * Released after the record (remediate), never before: the person's attempt, failing in between, would find
   * neither our claim nor a decision saying the re-run was found started, and be re-run again.
   */
  rerunClaimToRelease?: Omit<RerunClaimRequest, 'max'>;
  /** A failed runbook step had not gone to its start (`Decision.failedBeforeRunbookStart`). */
  failedBeforeRunbookStart?: boolean;
  /** The run of another incident this decision followed and records (`Decision.followedRun`). */
  followedRun?: FollowedRun;
  /** The run had not ended when the step stopped following it (`Decision.runNotEnded`). */
  runNotEnded?: boolean;
  /** The check of the run scheduled with its execution (`recordRunbookExecution`), to drop once this decision is recorded. */
  runbookCheckToDrop?: IncidentDue;
}

/**
 * Executes a plan. Each automatic action first takes a slot from the shared rate limit (the planner read the
 * counters, but another execution may have used the last slot since), and each step is appended to the audit
 * trail. An action that cannot be carried out becomes an escalation with the reason, never a silent no-op.
 */
export async function applyPlan(context: ApplyContext, deps: RemediateDeps): Promise<ApplyResult> {
  const { incident, plan, policy } = context;
  const reason = plan.reasons.join('; ');
  const settled = outcomeWithoutEffects(plan);
  if (settled) return settled;

  const escalate = (why: string): ApplyResult => ({
    action: 'escalate',
    applied: true,
    result: 'escalation is published by the notify stage',
    reason: `${plan.action} planned, not applied: ${why}`,
  });
  if (!(await deps.remediation.guards.reserve(context.scope, policy.rateLimits, incident.id))) {
    return escalate('the rate limit was reached by another execution meanwhile');
  }

  switch (plan.action) {
    case 'rerun_failed_jobs':
      return rerun(context, deps, reason, escalate);
    case 'open_fix_pr':
      return openFixPr(context, deps, reason, escalate);
    case 'run_runbook':
      return runRunbook(context, deps, reason, escalate);
  }
  // comment_only and escalate were settled above; an action this switch does not know is escalated, never dropped.
  return escalate(`no way to apply ${plan.action}`);
}

async function rerun(
  { incident, policy, github, rerunKey, rerunOptions }: ApplyContext,
  deps: RemediateDeps,
  reason: string,
  escalate: (why: string) => ApplyResult,
): Promise<ApplyResult> {
  if (!github || !rerunKey || !incident.repository || !incident.runId) return escalate('the run cannot be re-run from here');
  const [owner, repo] = incident.repository.split('/') as [string, string];
  const attempt = incident.runAttempt ?? 1;
  // The conditional claim is the authority: a concurrent execution for the same commit may have taken the last
  // slot since the planner read the ledger. The same incident (a retry of this step) is granted again, and the claim
  // says so: an earlier try that claimed the re-run may have started it (GitHub applied the POST but its answer was
  // lost and the state machine retried the step, or the local runtime resumed the execution after a crash).
  const claimed = { incidentId: incident.id, runId: incident.runId, nextAttempt: attempt + 1 };
  const claim = await deps.reruns.claim(rerunKey, { ...claimed, max: policy.autoRerunMax });
  if (!claim.granted) {
    return escalate(`another execution already used the automatic re-run for this commit (${claim.count} of ${policy.autoRerunMax}): needs a human`);
  }
  const debug = rerunOptions?.enableDebugLogging === true;
  const outcome = await github.rerunFailedJobs({ owner, repo }, incident.runId, { expectedAttempt: attempt, ...(debug ? { enableDebugLogging: true } : {}) });
  // Moved on with no earlier try of ours holding the claim (every request follows one): a person re-ran it. Kept, the
  // claim would take their attempt for our re-run ("failed again after our automatic re-run") and count it. Given
  // back by remediate once this decision is recorded (see ApplyResult.rerunClaimToRelease).
  const personRerun = outcome === 'already_rerun' && !claim.claimedBefore;
  const counted = `(automatic re-run ${claim.count} of ${policy.autoRerunMax} for this commit)`;
  // That re-run is ours and under way: read as somebody else's, Notify paged on-call for a flake the re-run may fix.
  const result =
    outcome === 'requested'
      ? `re-run of run ${incident.runId} requested${debug ? ' with debug logging' : ''} ${counted}`
      : claim.claimedBefore
        ? `re-run of run ${incident.runId} requested by an earlier try of this step, whose answer was lost ${counted}`
        : `run ${incident.runId} was already re-run past attempt ${attempt}; no second re-run requested`;
  return { action: 'rerun_failed_jobs', applied: true, reason, result, ...(personRerun ? { rerunClaimToRelease: claimed } : {}) };
}

async function openFixPr(
  { incident, github }: ApplyContext,
  deps: RemediateDeps,
  reason: string,
  escalate: (why: string) => ApplyResult,
): Promise<ApplyResult> {
  const patch = incident.analysis?.patch?.diff;
  if (!github || !patch || !incident.repository || !incident.headSha || !incident.branch) return escalate('no patch, branch or GitHub access');
  const [owner, repo] = incident.repository.split('/') as [string, string];
  try {
    const files = await buildFixFiles(patch, repositoryAt(github, { owner, repo }, incident.headSha));
    // The workflow's name is the failing branch's to choose (a fork's, a PR author's): `CI fixes #12` in a commit
    // message would close issue 12 once the commit reached the default branch.
    const title = `Pipeline Guard: fix ${incident.category ?? 'CI'} failure in ${defusePlainReferences(incident.workflowName ?? 'CI')}`.slice(0, 200);
    const pull = await github.createFixPullRequest({ owner, repo }, {
      baseBranch: incident.branch,
      baseSha: incident.headSha,
      branch: fixBranchName(incident.id),
      title,
      body: fixPrBody(incident),
      labels: [...FIX_PR_LABELS],
      commitMessage: `${title}\n\nProposed by Pipeline Guard for incident ${incident.id}. Review before merging.`,
      files,
    });
    return { action: 'open_fix_pr', applied: true, reason, result: `fix PR #${pull.number} ${pull.outcome === 'existing' ? 'already open' : 'opened'} for review${pull.url ? `: ${pull.url}` : ''}` };
  } catch (error) {
    if (error instanceof PatchRefusedError) return escalate(error.message);
    throw error;
  }
}

async function runRunbook(
  { incident }: ApplyContext,
  deps: RemediateDeps,
  reason: string,
  escalate: (why: string) => ApplyResult,
): Promise<ApplyResult> {
  const start = runbookStartOf(incident, deps.remediation);
  if (!start) return escalate('no runbook is allow-listed for this alarm');
  const { mapping } = start;
  // After the claim and the rate-limit slot, before the start: from here the episode's later incidents count on this
  // start and may make it again with its token, even before it answers or when its answer is lost (attack-43a F1, F3).
  // The write answers the incident as it stands: the alarm's OK may have resolved it since the step read it (during
  // the rate-limit reservation), ending its episode, and no runbook starts for an alarm already OK (attack-44b R7).
  const current = incident.runbookStartAttemptedAt
    ? await deps.incidents.get(incident.id)
    : await deps.incidents.update(incident.id, { runbookStartAttemptedAt: deps.clock().toISOString() });
  if (current?.status === 'resolved') return { action: 'comment_only', applied: false, reason: 'the incident recovered before its runbook started', result: 'nothing applied' };
  const { executionId } = await deps.remediation.runner.start(start.request);
  // Before the run is followed (minutes): the episode's later incidents read from it that this start happened. An
  // earlier try, or a later incident that made this start again, may have recorded it and its check already.
  const check =
    current?.runbookExecutionId === executionId && current.runbookRunCheckAt
      ? { incidentId: incident.id, dueAt: current.runbookRunCheckAt }
      : await recordRunbookExecution(incident, executionId, deps);
  return followRunbookRun(incident, incident, mapping.document, executionId, deps, reason, check);
}

/**
 * Follows `holder`'s runbook run (`executionId`) to its end, records its outcome on the guard's counters (under the
 * holder's key: one outcome per run), and schedules the runbook check of `decidedOn`, the incident whose decision
 * records the run: the holder itself, or the later incident that made the dead holder's start again (session 42).
 */
async function followRunbookRun(
  holder: Incident,
  decidedOn: Incident,
  document: string,
  executionId: string,
  deps: RemediateDeps,
  reason: string,
  /** The holder's check of the run (`recordRunbookExecution`), which the holder's own decision makes needless. */
  runCheck?: IncidentDue,
): Promise<ApplyResult> {
  const final = await followRunbook(deps.remediation.runner, executionId, {
    pollMs: deps.config.RUNBOOK_POLL_SECONDS * 1000,
    timeoutMs: deps.config.RUNBOOK_WAIT_SECONDS * 1000,
  });
  const ok = succeeded(final.status);
  const ended = !final.status.includes('still running');
  if (ended) await recordActionOutcome(deps.remediation.guards, holder, ok, `runbook:${holder.id}`);
  const summary = `runbook ${document} (${executionId}) finished: ${final.status}${final.failureMessage ? ` — ${final.failureMessage}` : ''}`;
  // A run still going keeps its check: the reconciler follows it to its end (session 43).
  const dropped = !ended ? { runNotEnded: true } : runCheck ? { runbookCheckToDrop: runCheck } : {};
  // The run was applied and did not succeed: said so, not "planned, not applied" (attack-44b).
  if (!ok) return { action: 'escalate', applied: true, reason: `${reason}; the runbook ran and did not succeed: ${summary}`, result: summary, ...dropped };
  // "Success" says the document's steps ran, not that the alarm recovered, and an alarm that stays in ALARM sends no
  // further event: the reconciler looks again once the alarm had time to return to OK. Scheduled before the decision
  // is recorded, so a crash between leaves a check of an incident whose retried step records it, never none.
  const dueAt = await scheduleRunbookVerify(deps.remediation.runbookChecks, decidedOn.id, deps.clock(), deps.config.RUNBOOK_VERIFY_MINUTES);
  // The same entry when both fall due at once (RUNBOOK_WAIT_SECONDS 0): kept, it is the check of the success.
  const kept = runCheck?.incidentId === decidedOn.id && runCheck.dueAt === dueAt;
  return { action: 'run_runbook', applied: true, reason, result: summary, ...(kept ? {} : dropped) };
}

/**
 * Writes on `holder` the execution its start answered, made by its own step or again with its client token by a later
 * incident while the holder's step still runs (between its retries), after scheduling the holder's runbook check of
 * that run. The holder follows the run itself, on this try or its next; should its step end without recording the
 * run's outcome (its own SSM calls fail on every try, or its Lambda dies after this write), the reconciler's check
 * follows the run then and tells on-call how it ended (attack-44b R5, session 42). Scheduled first (session 43):
 * written the other way round, a step that died between the two left a recorded execution with no check, and its
 * retry, finding the execution recorded, scheduled none; nobody followed the run unless a later ALARM came. Due once
 * the holder's own following would have ended (RUNBOOK_WAIT_SECONDS) and its alarm had time to recover. When the
 * start answered is written with it (`runbookStartAnsweredAt`, session 44): the run started no later, which the
 * reconciler counts RUNBOOK_NOT_ENDED_MINUTES from where SSM reports no start time. Kept as first written for the
 * same run (`keepFirst`, one write): each later ALARM following the run wrote its own time, and the page went late, or
 * never while the ALARMs came faster than the bound (attack-46b B1, session 44).
 */
export async function recordRunbookExecution(holder: Incident, executionId: string, deps: RemediateDeps): Promise<IncidentDue> {
  const dueMs = deps.config.RUNBOOK_WAIT_SECONDS * 1000 + deps.config.RUNBOOK_VERIFY_MINUTES * 60_000;
  const now = deps.clock();
  const check = { incidentId: holder.id, dueAt: new Date(now.getTime() + dueMs).toISOString() };
  await deps.remediation.runbookChecks.schedule(check);
  const sameRun = (holder.runbookExecutionId ?? executionId) === executionId;
  await deps.incidents.update(holder.id, { runbookExecutionId: executionId, runbookRunCheckAt: check.dueAt, runbookStartAnsweredAt: now.toISOString() }, {}, sameRun ? { keepFirst: ['runbookStartAnsweredAt'] } : {});
  return check;
}

/**
 * Follows the runbook run of `holder`, whose own step is over without recording the run's outcome, for `incident`'s
 * decision (session 42): the execution the holder recorded (its following of it failed on every try, attack-44b R9),
 * else the one its start, made again with its client token, answers (`confirmRunbookStart`). Followed to its end as
 * the holder's step would have (its runbook check scheduled for `incident`), the outcome names the run it followed
 * (`followedRun`), so that a retry of `incident`'s step keeps it. A start SSM refuses for other parameters (the
 * mapping changed since the holder's start) ran a run nobody can follow by its token: escalated once as a run whose
 * outcome is not known (attack-44b R13). Null when no runbook is allow-listed for the holder's alarm any more and it
 * recorded no execution: there is nothing to follow.
 */
export async function followHoldersRun(holder: Incident, incident: Incident, reason: string, deps: RemediateDeps): Promise<ApplyResult | null> {
  const document = runbookStartOf(holder, deps.remediation)?.mapping.document ?? 'of the alarm';
  const confirmed = holder.runbookExecutionId ? { execution: holder.runbookExecutionId, known: true } : await confirmRunbookStart(holder, deps.remediation);
  if (!confirmed) return null;
  const followedRun = { holder: holder.id, ...(confirmed.known ? { executionId: confirmed.execution } : {}) };
  if (!confirmed.known) {
    const result = `runbook ${document}: the start of incident ${holder.id}'s run, made again with its client token, was refused for other parameters (the runbook mapping changed since): that run happened and its outcome is not known; look it up among the document's executions`;
    return { action: 'escalate', applied: true, reason, result, followedRun };
  }
  return { ...(await followRunbookRun(holder, incident, document, confirmed.execution, deps, reason)), followedRun };
}

/**
 * The outcome of a plan that touches nothing outside (a dry run, a comment, an escalation the notify stage sends),
 * known without applying anything; null for a plan whose applying acts.
 */
export function outcomeWithoutEffects(plan: RemediationPlan): ApplyResult | null {
  const reason = plan.reasons.join('; ');
  if (plan.dryRun) return { action: plan.action, applied: false, result: 'dry run: nothing applied', reason };
  if (plan.action === 'comment_only') return { action: plan.action, applied: true, result: 'explained in the notification', reason };
  if (plan.action === 'escalate') return { action: plan.action, applied: true, result: 'escalation is published by the notify stage', reason };
  return null;
}

/**
 * Stores the decision and appends the audit entry and history line in one update. `planned`: the plan itself, when
 * it was not stored before (its applying touched nothing outside, so nothing could happen between the two), written
 * by the same update with its audit entry ahead of the decision's.
 */
export async function recordDecision(
  incident: Incident,
  outcome: ApplyResult,
  dryRun: boolean,
  actor: string,
  deps: RemediateDeps,
  status: AuditEntry['status'] = outcome.applied ? 'applied' : 'skipped',
  planned?: { fields: Pick<Incident, 'plan' | 'ownRerun'>; audit: AuditEntry },
): Promise<Incident> {
  const at = deps.clock().toISOString();
  const decision: Decision = {
    action: outcome.action,
    reason: outcome.reason,
    applied: outcome.applied,
    result: outcome.result,
    dryRun,
    decidedAt: at,
    ...(outcome.followedRun ? { followedRun: outcome.followedRun } : {}),
  };
  if (outcome.failedBeforeRunbookStart) decision.failedBeforeRunbookStart = true;
  if (outcome.runNotEnded) decision.runNotEnded = true;
  const fields = { ...planned?.fields, decision };
  return deps.incidents.update(
    incident.id,
    incident.status === 'resolved' ? fields : { ...fields, status: 'remediated' },
    {
      audit: [...(planned ? [planned.audit] : []), { at, actor, action: outcome.action, status, detail: `${outcome.reason} — ${outcome.result}`.slice(0, 1000) }],
      history: [{ at, event: `decision:${outcome.action}`, detail: `${outcome.reason} — ${outcome.result}`.slice(0, 1000) }],
    },
  );
}

export function failedOutcome(plan: RemediationPlan, error: unknown, beforeRunbookStart = false): ApplyResult {
  const failed: ApplyResult = { action: plan.action, applied: false, reason: plan.reasons.join('; '), result: `failed: ${errorMessage(error)}`.slice(0, 300) };
  return beforeRunbookStart ? { ...failed, failedBeforeRunbookStart: true } : failed;
}

/**
 * Whether `incident`'s runbook step, which just failed, had not gone to its start: no start marker, read back now
 * (this try may have written it). Unknown (the read failed too) counts as gone to it: a failed decision not saying
 * so counts as a run, which starts no second one (attack-44b R11).
 */
export async function failedBeforeRunbookStart(incident: Incident, plan: RemediationPlan, deps: RemediateDeps): Promise<boolean> {
  if (plan.action !== 'run_runbook' || plan.dryRun || incident.runbookStartAttemptedAt) return false;
  const current = await deps.incidents.get(incident.id).catch(() => null);
  return Boolean(current && !current.runbookStartAttemptedAt && !current.runbookExecutionId);
}
