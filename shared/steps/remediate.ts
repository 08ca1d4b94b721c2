import { METRIC } from '../adapters/metric-names.js';
import { type AnalysisSummary, anyoneCanCause, type Incident, type StoredPlan, fromUntrustedHead } from '../domain/incident.js';
import { rerunKeyOf } from '../remediation/rerun-key.js';
import { githubIncidentId } from '../domain/trigger.js';
import { episodeRunbookClaimStands, episodeRunbookIncident, runbookHolderStarting, runbookStartUnconfirmed } from '../domain/alarm-incident.js';
import { type AlarmEpisode, type ClaimHolderStands, readAlarmEpisode, runFollowerOf } from '../stores/runbook-checks.js';
import { commitToCommentOn, rerunFoundStarted } from '../domain/handoff.js';
import { NotFoundError, RunbookHolderStartingError, WriteBudgetExhaustedError, errorMessage } from '../errors.js';
import { planWriteWait } from '../domain/write-wait.js';
import { type ApplyResult, applyPlan, failedBeforeRunbookStart, failedOutcome, followHoldersRun, outcomeWithoutEffects, recordDecision, recordRunbookExecution } from '../remediation/apply.js';
import { confirmRunbookStart } from '../remediation/runbook-start.js';
import { PatchRefusedError, buildFixFiles, repositoryAt } from '../remediation/fix-pr.js';
import { guardScope, guardSlotScope, recordActionOutcome } from '../remediation/guard-store.js';
import { type PlanInput, type RemediationPlan, planRemediation } from '../remediation/planner.js';
import { type RepositoryPolicy, type Severity, basePolicy, policyFor } from '../remediation/policy.js';
import { proposalDigest, proposalOf } from '../remediation/proposal-digest.js';
import { type RunbookMapping, runbookFor, runbookSeverity } from '../remediation/runbooks.js';
import { policyForVariant, variantParamsNote, variantParamsOf } from '../remediation/variant.js';
import type { VariantParams } from '../experiments/params.js';
import type { RemediationGitHubPort, RerunKey } from '../ports.js';
import type { RemediateDeps } from './deps.js';
import { fallbackAnalysisOf } from '../analysis/incident-analysis.js';
import { type PipelineState, type RemediateResult, approverOf, describeCaught, parseState, triggeringActorOf } from './state.js';

/** Actions that change something outside the guard: what "actions attempted/succeeded" count. */
const AUTOMATIC_KINDS: ReadonlySet<string> = new Set(['rerun_failed_jobs', 'open_fix_pr', 'run_runbook']);

/**
 * Whether this failed attempt was started by our own automatic re-run: the ledger recorded the attempt our re-run
 * created, or GitHub names our bot as the attempt's triggering actor (covers re-runs the ledger never saw, e.g.
 * from before it existed). An unknown bot login is not a reason to fail the step.
 */
async function startedByUs(
  state: PipelineState,
  incident: Incident,
  ledgerSaysOurs: boolean,
  github: RemediationGitHubPort | null,
  deps: RemediateDeps,
): Promise<boolean> {
  if (ledgerSaysOurs) return true;
  const actor = triggeringActorOf(state);
  if (!actor || !github || (incident.runAttempt ?? 1) <= 1) return false;
  try {
    return (await github.botLogin()).toLowerCase() === actor.toLowerCase();
  } catch (error) {
    deps.logger.warn('could not determine the bot login; relying on the re-run ledger', { error: errorMessage(error) });
    return false;
  }
}

/** The incident of the attempt before this one, the attempt a re-run retried. */
async function previousAttempt(incident: Incident, deps: RemediateDeps): Promise<Incident | null> {
  if (!incident.repositoryId || !incident.runId || !incident.runAttempt || incident.runAttempt <= 1) return null;
  return deps.incidents.get(githubIncidentId(incident.repositoryId, incident.runId, incident.runAttempt - 1));
}

/** Notes on the attempt our re-run retried that the re-run failed too, so its record tells the whole story. */
async function noteFailedRerun(incident: Incident, deps: RemediateDeps): Promise<void> {
  const previous = await previousAttempt(incident, deps);
  // A retried step must not repeat the note.
  if (!previous || previous.history.some((entry) => entry.event === 'rerun_failed' && entry.detail?.includes(incident.id))) return;
  await deps.incidents.update(previous.id, {}, {
    history: [{ at: deps.clock().toISOString(), event: 'rerun_failed', detail: `the automatic re-run failed again (incident ${incident.id})` }],
  });
}

/** Severity used by approval rules: alarms by their runbook mapping, security failures high, the rest medium. */
function severityOf(incident: Incident, runbook: RunbookMapping | null): Severity {
  if (incident.source === 'cloudwatch') return runbookSeverity(runbook);
  return incident.category === 'security_scan' ? 'high' : 'medium';
}

async function labelsOf(incident: Incident, github: RemediationGitHubPort | null, deps: RemediateDeps): Promise<string[]> {
  if (!github || !incident.repository || !incident.pullRequest) return [];
  const [owner, repo] = incident.repository.split('/') as [string, string];
  try {
    return await github.listIssueLabels({ owner, repo }, incident.pullRequest);
  } catch (error) {
    // Unknown labels must not block the pipeline, but they must not let actions through either: treat as paused.
    deps.logger.warn('could not read pull request labels; treating the kill switch as set', { error: errorMessage(error) });
    return ['(labels unavailable)'];
  }
}

/** Whether the pull request has the kill-switch label; labels that could not be read count as set (see labelsOf). */
function killSwitchLabelSet(labels: readonly string[], policy: RepositoryPolicy): boolean {
  return labels.some((label) => label.toLowerCase() === policy.killSwitchLabel.toLowerCase() || label === '(labels unavailable)');
}

/** Whether a person has stopped automatic actions: the kill switch (configuration or label) or dry run. */
function stoppedByPerson(policy: RepositoryPolicy, labels: readonly string[]): boolean {
  return policy.killSwitch || policy.dryRun || killSwitchLabelSet(labels, policy);
}

function variantOf(incident: Incident): PlanInput['variant'] {
  if (incident.experiment) {
    return { experimentId: incident.experiment.experimentId, variant: incident.experiment.variant, action: incident.experiment.action };
  }
  const recommendation = incident.knowledge?.recommendation;
  if (recommendation?.source === 'policy' && recommendation.experimentId && recommendation.variant) {
    return { experimentId: recommendation.experimentId, variant: recommendation.variant, action: recommendation.action, promoted: true };
  }
  return null;
}

/** The reason validation discarded the analysis patch, for the comment that says why no fix PR was opened. */
function patchRefusalOf(analysis: AnalysisSummary): { patchRefusal?: string } {
  const note = analysis.adjustments?.find((line) => line.startsWith('patch discarded: '));
  return note ? { patchRefusal: note.slice('patch discarded: '.length) } : {};
}

/**
 * Why the patch cannot become the commit a fix PR would make, read against the repository at the failing commit (a
 * new file or rename onto a path that exists, a deletion its hunks do not show whole, a diff that does not apply);
 * null when it can, or when no fix PR could follow (no patch, no GitHub, not the repository's own code, the policy
 * does not allow one). Checked before approval is asked for, so nobody is asked to approve a diff that would be
 * refused; the fix PR checks again when it is opened.
 */
async function refusalAtFailingCommit(incident: Incident, analysis: AnalysisSummary, github: RemediationGitHubPort | null, policy: RepositoryPolicy): Promise<string | null> {
  const patch = analysis.patch?.diff;
  if (!patch || !github || !incident.repository || !incident.headSha || fromUntrustedHead(incident) || !policy.actions.open_fix_pr.allowed) return null;
  const [owner, repo] = incident.repository.split('/') as [string, string];
  const ref = incident.headSha;
  try {
    await buildFixFiles(patch, repositoryAt(github, { owner, repo }, ref));
    return null;
  } catch (error) {
    if (error instanceof PatchRefusedError) return error.message.replace(/^patch refused: /, '');
    throw error;
  }
}

/**
 * Whether what `plan` would apply is not the proposal approved: the digest recorded with the approval (or, for an
 * approval sent with the task token by hand, with its request) against the digest of what this step holds now. A
 * re-analysis between the approval and this step must not slip a change in. Null when they agree, when the plan
 * touches nothing outside, and for an approval recorded before digests were.
 */
function changeSinceApproval(incident: Incident, plan: RemediationPlan): { approved: string; applying: string } | null {
  const approved = incident.approval?.digest;
  if (!approved || outcomeWithoutEffects(plan)) return null;
  const applying = proposalDigest(proposalOf(incident, plan.action));
  return applying === approved ? null : { approved, applying };
}

function toStoredPlan(plan: RemediationPlan, at: string): StoredPlan {
  return { ...plan, plannedAt: at };
}

/**
 * Remediate stage: plans (pure planner over the analysis, policy, guard counters and capabilities), then either
 * waits for approval or applies the plan. When resumed after an approval (`$.approval`), it applies the stored
 * plan as the approver. When the analyze stage failed (its Catch leads here) the offline analysis stands in.
 *
 * An experiment arm with `delaySeconds` makes a planned re-run wait: the step stores the plan and returns
 * `awaitingDelay`, the state machine's Wait state holds the execution (no Lambda runs meanwhile), and this step
 * runs again with that result at `$.remediation`: it re-plans with fresh guard counters and applies.
 */
export async function remediateStep(input: unknown, deps: RemediateDeps): Promise<RemediateResult> {
  const state = parseState(input);
  let incident: Incident | null = await deps.incidents.get(state.trigger.incidentId);
  if (!incident) throw new NotFoundError(`incident ${state.trigger.incidentId} not found`);
  // A retry after this step followed its dead holder's run (countedOnEpisodeRun): that run is its decision. Checked
  // before anything is planned: re-planned, the run's own failure (the breaker it opened) replaced it (attack-44b R8).
  const followed = incident.decision?.followedRun ? incident.decision : null;
  if (followed) return { incidentId: incident.id, action: followed.action, applied: followed.applied, awaitingApproval: false, awaitingDelay: false };
  const now = () => deps.clock().toISOString();

  const analyzeFailure = describeCaught(state.analyzeError);
  // On resume after approval (and on retries) the fallback analysis is already stored: do not redo it.
  const fallbackStored = incident.stageErrors.some((e) => e.stage === 'analyze');
  if (!incident.analysis || (analyzeFailure && !fallbackStored && !state.approval)) {
    const analysis = await fallbackAnalysisOf(incident, deps.fallbackAnalyzer, deps.config.LLM_PRICES_JSON, analyzeFailure ?? 'no analysis stored');
    incident = await deps.incidents.update(incident.id, { analysis }, {
      stageErrors: analyzeFailure ? [{ stage: 'analyze', error: analyzeFailure, at: now() }] : [],
      history: [{ at: now(), event: 'analyzed', detail: 'offline analysis used after the analyze stage failed' }],
    });
  }
  const analysis = incident.analysis!;
  const github = deps.github.forInstallation(incident.installationId, deps.signal);
  const rerunKey = rerunKeyOf(incident);
  const policy = policyFor(
    deps.remediation.policyFile,
    incident.repository,
    deps.config.DRY_RUN,
    basePolicy({ autoRerunMax: deps.config.AUTO_RERUN_MAX, rerunMinConfidence: deps.config.RERUN_MIN_CONFIDENCE }),
  );
  const params = variantParamsOf(incident);
  const variantPolicy = policyForVariant(policy, params);
  const scope = guardScope(incident);
  const slots = guardSlotScope(incident);
  const afterDelay = state.remediation?.awaitingDelay === true;

  const approval = state.approval && incident.plan ? state.approval : null;
  const approver = approverOf(approval ?? undefined);
  if (incident.status === 'resolved') {
    // It recovered before anything was applied (a green run, a person's re-run, the alarm back to OK before this
    // stage): nothing is left to do, and nothing should be done — a runbook must not start for an alarm already OK.
    const reason = approval
      ? `approved by ${approver}, but the incident recovered meanwhile`
      : afterDelay
        ? 'the incident recovered while the re-run waited'
        : 'the incident recovered before remediation';
    const outcome = { action: 'comment_only' as const, applied: false, reason, result: 'nothing applied' };
    await recordDecision(incident, outcome, false, approval ? approver : 'pipeline-guard', deps, 'skipped');
    return { incidentId: incident.id, action: outcome.action, applied: false, awaitingApproval: false, awaitingDelay: false };
  }

  // The ledger and the bot login only matter when a re-run is on the table; other incidents skip the lookups.
  const variant = variantOf(incident);
  const wantsRerun = (variant?.action ?? analysis.proposedAction) === 'rerun_failed_jobs' && rerunKey !== null && incident.runId !== null;
  // A later attempt may be our own re-run failing again: that matters for the breaker whatever is proposed now.
  const laterAttempt = rerunKey !== null && incident.runId !== null && (incident.runAttempt ?? 1) > 1;
  const storedRerun = incident.plan?.action === 'rerun_failed_jobs' && !incident.plan.dryRun ? incident.plan : null;
  const ledger =
    (wantsRerun || laterAttempt || storedRerun) && rerunKey
      ? await deps.reruns.lookup(rerunKey, { runId: incident.runId as number, attempt: incident.runAttempt ?? 1, incidentId: incident.id })
      : { count: 0, ownAttempt: false, claimedByIncident: false };
  // The ledger's claim on this attempt is not ours when the attempt before recorded that it found the run re-run
  // already (a person's re-run): remediate gives that claim back only after recording so, and a step of this attempt
  // may run in between, or after a crash there.
  const previous = laterAttempt && ledger.ownAttempt ? await previousAttempt(incident, deps) : null;
  const ledgerSaysOurs = ledger.ownAttempt && !rerunFoundStarted(previous?.decision);
  // Stored with the plan below: Notify routes the escalation by the same answer instead of asking the ledger again.
  const ownRerun = (wantsRerun || laterAttempt) && (await startedByUs(state, incident, ledgerSaysOurs, github, deps));
  if (ownRerun) {
    await noteFailedRerun(incident, deps);
    await recordActionOutcome(deps.remediation.guards, incident, false, `rerun-failed:${incident.id}`);
  }
  // Not ours, and counted nowhere, but the re-run the guard wanted: one more would chain re-runs as ours would.
  const rerunByPersonInstead = wantsRerun && laterAttempt && !ownRerun && rerunFoundStarted((previous ?? (await previousAttempt(incident, deps)))?.decision);
  // An earlier try of this step claimed the run's re-run (the state machine retried the step after GitHub's answer was
  // lost, or the local runtime resumed the execution after a crash) and may have started it. Planned again, with an
  // analysis or counters that moved on since (this incident's own rate-limit slot among them), it was recorded as not
  // taken and on-call was paged while GitHub ran it. The stored plan is applied again instead: the claim and the slot
  // are this incident's already, and the client looks at the run before it asks for a re-run. A stop a person set
  // since (the kill switch, in the configuration or as the label, or dry run) still stops it: retries of this step
  // can come long after the first try (WriteBudgetExhaustedError backs off up to 15 minutes, 22 times).
  const reapply = storedRerun !== null && ledger.claimedByIncident && !approval && !afterDelay;
  const labelsBefore = reapply ? await labelsOf(incident, github, deps) : null;
  if (storedRerun && labelsBefore && !stoppedByPerson(variantPolicy.policy, labelsBefore)) {
    const actor = incident.approval?.status === 'approved' && incident.approval.decidedBy ? incident.approval.decidedBy : 'pipeline-guard';
    return apply(incident, storedRerun, variantPolicy.policy, params, github, rerunKey, slots, actor, deps, state);
  }

  const runbookChoice = incident.alarm ? runbookFor(incident.alarm, deps.remediation.runbooks, deps.remediation.deployment) : null;
  const runbook = runbookChoice?.mapping ?? null;
  // The breaker is the repository's; the hourly and daily slots are those the action would take (guardSlotScope).
  const [counters, slotCounters, labels, repositoryRefusal] = await Promise.all([
    deps.remediation.guards.read(scope, policy.circuitBreaker.windowHours),
    slots === scope ? null : deps.remediation.guards.read(slots, policy.circuitBreaker.windowHours),
    labelsBefore ?? labelsOf(incident, github, deps),
    // After /guard approve the fix PR itself checks again; before it, nobody is asked to approve a refused diff.
    approval ? null : refusalAtFailingCommit(incident, analysis, github, variantPolicy.policy),
  ]);
  const planned = planRemediation({
    source: incident.source,
    repository: incident.repository,
    category: incident.category,
    severity: severityOf(incident, runbook),
    failureLineCount: incident.failureLines.length,
    stageErrors: incident.stageErrors.filter((e) => e.stage === 'classify').map((e) => e.error),
    analysis: {
      proposedAction: analysis.proposedAction,
      confidence: analysis.confidence,
      rationale: analysis.rationale,
      hasPatch: Boolean(analysis.patch) && repositoryRefusal === null,
      injection: Boolean(analysis.injection),
      ...(repositoryRefusal === null ? patchRefusalOf(analysis) : { patchRefusal: repositoryRefusal }),
    },
    evidence: { flaky: Boolean(incident.flaky) },
    knowledge: incident.knowledge,
    // An A/B variant (or a promoted winner) chooses among allow-listed actions only; the guards still apply.
    variant,
    policy: variantPolicy.policy,
    guards: {
      ...counters,
      ...(slotCounters ? { automaticActionsLastHour: slotCounters.automaticActionsLastHour, automaticActionsLastDay: slotCounters.automaticActionsLastDay } : {}),
      killSwitchLabelSet: killSwitchLabelSet(labels, policy),
      // A retry of this step after its claim was written must not see its own claim as someone else's re-run.
      rerunsForCommit: ledger.count - (ledger.claimedByIncident ? 1 : 0),
      ownRerun,
      rerunByPersonInstead,
    },
    capabilities: { github: github !== null, pullRequest: incident.pullRequest !== null, commit: commitToCommentOn(incident) !== null, rerun: rerunKey !== null, runbook },
    runbookRefused: runbookChoice?.refused ?? null,
    // Deny by default: only a commit known to live in this repository is acted on automatically.
    untrustedHead: fromUntrustedHead(incident),
    outsiderCanCause: incident.source === 'github' && anyoneCanCause(incident.runEvent),
    // After /guard approve the approved action is re-planned: guards may have changed while it waited.
    approved: approval && incident.plan ? { action: incident.plan.action, by: approver } : null,
  });
  const paramsNote = variantParamsNote(params);
  const plan: RemediationPlan = {
    ...planned,
    reasons: [...(paramsNote ? [paramsNote] : []), ...variantPolicy.notes, ...planned.reasons],
  };

  const at = now();
  // An approved runbook is one run of its episode like an automatic one (session 41): approved for a second incident
  // of the episode after the first's ran, it restarted the service twice, and it took no claim, so the episode's
  // later ALARMs did not count on it.
  const alarmEpisode = plan.action === 'run_runbook' && !plan.dryRun && !afterDelay ? await alarmEpisodeOf(incident, deps) : null;
  const approvedBy = approval ? `approved by ${approver}, but ` : '';
  const episode = alarmEpisode && episodeRunbookIncident(alarmEpisode.open, incident);
  // One unbroken episode (no OK since its first ALARM) is one problem: its runbook runs once. Run again for the
  // second incident it restarts the service twice; the first's runbook check pages if the alarm still fires.
  const countedOn = episode && episode.id !== incident.id ? episode : null;
  // A start not known to have happened is made again (countedOnEpisodeRun) only once this incident's own plan may
  // start a runbook, below: made now, it ran without the approval the plan needs (attack-43a F2).
  if (countedOn && !runbookStartUnconfirmed(countedOn)) return countedOnEpisodeRun(incident, countedOn, episodeRunReason(incident, countedOn, approvedBy), deps);
  if (plan.requiresApproval && !plan.dryRun) {
    await deps.incidents.update(
      incident.id,
      { plan: toStoredPlan(plan, at), ownRerun, status: 'awaiting_approval' },
      {
        audit: [{ at, actor: 'pipeline-guard', action: plan.action, status: 'awaiting_approval', detail: plan.reasons.join('; ').slice(0, 1000) }],
        history: [{ at, event: 'awaiting_approval', detail: `${plan.action}: ${plan.reasons.join('; ')}`.slice(0, 1000) }],
      },
    );
    return {
      incidentId: incident.id,
      action: plan.action,
      applied: false,
      awaitingApproval: true,
      awaitingDelay: false,
      approvalTimeoutSeconds: policy.approvalTimeoutMinutes * 60,
    };
  }
  const delaySeconds = params.delaySeconds ?? 0;
  if (!approval && !afterDelay && delaySeconds > 0 && plan.action === 'rerun_failed_jobs' && !plan.dryRun) {
    const reasons = [...plan.reasons, `the re-run waits ${delaySeconds} s (variant parameter delaySeconds); the guards are checked again after the wait`];
    await deps.incidents.update(incident.id, { plan: toStoredPlan({ ...plan, reasons }, at), ownRerun }, {
      audit: [{ at, actor: 'pipeline-guard', action: plan.action, status: 'planned', detail: reasons.join('; ').slice(0, 1000) }],
      history: [{ at, event: 'rerun_delayed', detail: `re-run in ${delaySeconds} s` }],
    });
    return { incidentId: incident.id, action: plan.action, applied: false, awaitingApproval: false, awaitingDelay: true, delaySeconds };
  }
  const unapproved = approval ? changeSinceApproval(incident, plan) : null;
  if (unapproved) {
    const reason = `approved by ${approver} as proposal ${unapproved.approved}, but what would be applied now is ${unapproved.applying}: the proposal changed after the approval, a human should look`;
    const outcome = { action: 'escalate' as const, applied: false, reason, result: 'nothing applied' };
    await recordDecision(incident, outcome, false, approver, deps, 'skipped');
    return { incidentId: incident.id, action: outcome.action, applied: false, awaitingApproval: false, awaitingDelay: false };
  }
  if (countedOn) return countedOnEpisodeRun(incident, countedOn, episodeRunReason(incident, countedOn, approvedBy), deps);
  if (alarmEpisode && incident.alarm) {
    // Two incidents of the episode planned at the same moment (concurrent executions) both found no run above; the
    // claim lets one start it. Taken after every reason not to start it (an approval to wait for above all: a claim
    // held while nobody answers would keep the episode's later incidents from running it).
    // One claim per alarm: its holder, read back, tells whether the episode it ran the runbook for is still this one.
    const { arn } = incident.alarm;
    let claimedApproved = false;
    const holderStands: ClaimHolderStands = async (holderId, held) => {
      claimedApproved = held.approved;
      return episodeRunbookClaimStands(await deps.incidents.get(holderId), alarmEpisode.latestOk, held.approved);
    };
    const { heldBy } = await deps.remediation.episodeRunbooks.claim({ alarmArn: arn, incidentId: incident.id, approved: Boolean(approval) }, holderStands);
    if (heldBy !== incident.id) {
      const reason = `${approvedBy}alarm ${incident.alarm.name} still fires since the start of its episode, whose runbook its incident ${heldBy} claimed first (no OK between): counted on that run, not started again`;
      return countedOnEpisodeRun(incident, await deps.incidents.get(heldBy), reason, deps, claimedApproved);
    }
    // Its status says it waits for approval until its decision: this says the claim's holder goes to its start to the
    // episode's later incidents that read it before their claim (`episodeRunbookIncident`); the claim item says so
    // from the claim's own write.
    if (approval && !incident.runbookClaimedAt) incident = await deps.incidents.update(incident.id, { runbookClaimedAt: at });
  }
  const actor = approval ? approver : 'pipeline-guard';
  let unstored: Planned | undefined;
  if (!approval && !afterDelay) {
    const fields = { plan: toStoredPlan(plan, at), ownRerun };
    const plannedAudit = { at, actor, action: plan.action, status: 'planned' as const, detail: plan.reasons.join('; ').slice(0, 1000) };
    // A plan that acts on nothing outside is stored with its decision in one write; one that acts is stored before
    // it acts, so a crash while it acts leaves the plan on the incident.
    if (outcomeWithoutEffects(plan)) unstored = { fields, audit: plannedAudit };
    else incident = await deps.incidents.update(incident.id, fields, { audit: [plannedAudit] });
  }
  return apply(incident, plan, variantPolicy.policy, params, github, rerunKey, slots, actor, deps, state, unstored);
}

/** The unbroken episode of `incident`'s alarm (`readAlarmEpisode`), null for an incident not an alarm's. */
async function alarmEpisodeOf(incident: Incident, deps: RemediateDeps): Promise<AlarmEpisode | null> {
  if (incident.source !== 'cloudwatch' || !incident.alarm?.arn) return null;
  return readAlarmEpisode(deps.incidents, incident.alarm.arn);
}

/**
 * Records that `incident` starts no runbook of its own, its episode's run, `holder`'s, counting for it; notify then
 * handles it as any comment. A holder whose start is not known to have happened has it made sure of first, by its own
 * client token (`confirmRunbookStart`): counted on a start that failed unrecorded, the episode's runbook never ran
 * (attack-42b G2). A retry of this step repeats the same start, which SSM answers with the same execution. The
 * execution it answers is written on the holder: a holder still in its retries follows it itself, and should it then
 * fail for good, the episode's next ALARM finds an execution whose outcome nobody recorded, and follows it (R5).
 *
 * A holder whose step is over (its Notify ran: `notified`) without recording its run's outcome (its start unconfirmed,
 * or its following of the execution failed on every try, attack-44b R9) follows that run nowhere, so one later
 * incident follows it and records its outcome as its own decision, which its Notify tells (`followHoldersRun`,
 * session 42). One: the follower takes the follow claim on the holder's run first, and the others count on it
 * (attack-44b R3, R4); a follower that ended without recording it holds nothing.
 */
async function countedOnEpisodeRun(incident: Incident, holder: Incident | null, reason: string, deps: RemediateDeps, claimedApproved = false): Promise<RemediateResult> {
  // Between its claim and its start the holder may still die before the start: counted on then, the episode ran
  // nothing (attack-44b R6). The state machine retries this until it went to its start or failed before it.
  if (holder && runbookHolderStarting(holder, claimedApproved)) {
    // Retries spent, Notify pages with this message: on-call is told the episode's runbook state is unknown.
    throw new RunbookHolderStartingError(
      `incident ${holder.id} claimed the runbook of this alarm's episode and had not gone to its start (nor decided) when last read: whether the episode's runbook runs is not known; incident ${incident.id} started none, look at ${holder.id} and the runbook's Automation executions`,
    );
  }
  if (holder && holderRunUnrecorded(holder)) {
    const follower = await followerOf(holder, incident, deps);
    if (follower !== incident.id) return countedOnly(incident, `${reason}; that run is followed by incident ${follower}`, 'nothing applied', deps);
    const followed = await followHoldersRun(holder, incident, reason, deps);
    if (followed) return recordFollowed(incident, holder, followed, deps);
  }
  const confirmed = holder && runbookStartUnconfirmed(holder) ? await confirmRunbookStart(holder, deps.remediation) : null;
  if (holder && confirmed?.known) await recordRunbookExecution(holder, confirmed.execution, deps);
  const result = confirmed ? `nothing applied; the start of incident ${holder?.id}'s runbook, made again with its client token, answered ${confirmed.execution}` : 'nothing applied';
  return countedOnly(incident, reason, result, deps);
}

async function countedOnly(incident: Incident, reason: string, result: string, deps: RemediateDeps): Promise<RemediateResult> {
  await recordDecision(incident, { action: 'comment_only', applied: false, reason, result }, false, 'pipeline-guard', deps, 'skipped');
  return { incidentId: incident.id, action: 'comment_only', applied: false, awaitingApproval: false, awaitingDelay: false };
}

/**
 * Whether `holder`'s runbook run is one nobody follows: its step is over (`notified`), it went to its start, and it
 * recorded no outcome of the run (no applied decision). Its execution is then followed by a later incident.
 */
function holderRunUnrecorded(holder: Incident): boolean {
  return holder.status === 'notified' && !holder.decision?.applied && (Boolean(holder.runbookExecutionId) || runbookStartUnconfirmed(holder));
}

/** The incident that follows `holder`'s run: `incident`, unless another took the follow claim first and still stands. */
function followerOf(holder: Incident, incident: Incident, deps: RemediateDeps): Promise<string> {
  return runFollowerOf(holder, incident.id, { episodeRunbooks: deps.remediation.episodeRunbooks, incidents: deps.incidents });
}

/**
 * Records the holder's run `incident` followed as its decision, and counts it in the action metrics as its holder's
 * step would have (attack-44b R10). Only then is a confirmed execution written on the holder: a retry of this step
 * before it makes the start, and follows it, again; after it, the decision's `followedRun` keeps it.
 */
async function recordFollowed(incident: Incident, holder: Incident, followed: ApplyResult, deps: RemediateDeps): Promise<RemediateResult> {
  await recordDecision(incident, followed, false, 'pipeline-guard', deps);
  const executionId = followed.followedRun?.executionId;
  if (executionId) {
    deps.metrics.count(METRIC.actionsAttempted, 1, { kind: 'run_runbook' });
    if (followed.action === 'run_runbook') deps.metrics.count(METRIC.actionsSucceeded, 1, { kind: 'run_runbook' });
    // A run still going when this step stopped following it is the reconciler's to follow to its end (session 43).
    if (followed.runNotEnded) await recordRunbookExecution(holder, executionId, deps);
    else if (holder.runbookExecutionId !== executionId) await deps.incidents.update(holder.id, { runbookExecutionId: executionId });
  }
  return { incidentId: incident.id, action: followed.action, applied: followed.applied, awaitingApproval: false, awaitingDelay: false };
}

/** Why `incident` counts on `holder`'s run, the first of its unbroken episode, with how that run stands. */
function episodeRunReason(incident: Incident, holder: Incident, approvedBy: string): string {
  const run = runbookStartUnconfirmed(holder)
    ? 'is not known to have started'
    : !holder.decision
      ? 'is running'
      : holder.decision.applied
        ? 'ran'
        : holder.runbookExecutionId
          ? `started as ${holder.runbookExecutionId}, its outcome not recorded`
          : 'failed';
  return `${approvedBy}alarm ${incident.alarm?.name ?? ''} still fires since its incident ${holder.id}, whose runbook ${run} (no OK between): counted on that run, not started again`;
}

/** A plan not stored yet, for the decision's write to store with it (see `recordDecision`). */
type Planned = NonNullable<Parameters<typeof recordDecision>[6]>;

async function apply(
  incident: Incident,
  plan: RemediationPlan,
  policy: RepositoryPolicy,
  params: VariantParams,
  github: RemediationGitHubPort | null,
  rerunKey: RerunKey | null,
  /** Whose automatic-action slots the action takes (`guardSlotScope`). */
  slots: string,
  actor: string,
  deps: RemediateDeps,
  state: PipelineState,
  planned?: Planned,
): Promise<RemediateResult> {
  let outcome;
  try {
    const rerunOptions = params.enableDebugLogging ? { enableDebugLogging: true } : {};
    outcome = await applyPlan({ incident, plan, policy, github, rerunKey, scope: slots, actor, rerunOptions }, deps);
  } catch (error) {
    const waiting = error instanceof WriteBudgetExhaustedError && plan.action === 'rerun_failed_jobs' ? await waitForBudget(incident, error, state, deps) : null;
    if (waiting) return waiting;
    if (AUTOMATIC_KINDS.has(plan.action) && !plan.dryRun) deps.metrics.count(METRIC.actionsAttempted, 1, { kind: plan.action });
    // Record the failed attempt, then let the state machine retry (transient) or catch it (anything else).
    await recordDecision(incident, failedOutcome(plan, error, await failedBeforeRunbookStart(incident, plan, deps)), plan.dryRun, actor, deps, 'failed');
    throw error;
  }
  await recordDecision(incident, outcome, plan.dryRun, actor, deps, undefined, planned);
  // After the record: a crash before it leaves the run's check, which finds the outcome recorded.
  if (outcome.runbookCheckToDrop) await deps.remediation.runbookChecks.done(outcome.runbookCheckToDrop);
  // After the record: from here the decision says the re-run was found started, whether or not the claim still is.
  if (outcome.rerunClaimToRelease && rerunKey) await deps.reruns.release(rerunKey, outcome.rerunClaimToRelease);
  if (AUTOMATIC_KINDS.has(plan.action) && !plan.dryRun) {
    deps.metrics.count(METRIC.actionsAttempted, 1, { kind: plan.action });
    if (outcome.applied) deps.metrics.count(METRIC.actionsSucceeded, 1, { kind: plan.action });
  }
  return { incidentId: incident.id, action: outcome.action, applied: outcome.applied, awaitingApproval: false, awaitingDelay: false };
}

/**
 * A re-run the GitHub write budget refused waits for it like the PR comment: WaitBeforeRerun holds the execution
 * for the budget's (or GitHub's) time, then ApplyAfterDelay re-plans with fresh guards and tries again. Bounded by
 * GITHUB_WRITE_WAIT_MINUTES and a round cap; past that (null here) the error goes to the state machine's Retry and
 * Catch, and Notify escalates with the incident's content.
 */
async function waitForBudget(incident: Incident, error: WriteBudgetExhaustedError, state: PipelineState, deps: RemediateDeps): Promise<RemediateResult | null> {
  const previous = state.remediation;
  const plan = planWriteWait({
    incidentId: incident.id,
    retryAfterSeconds: error.retryAfterSeconds,
    previous: previous && { pending: previous.budgetWaitRounds !== undefined, since: previous.budgetWaitSince, rounds: previous.budgetWaitRounds },
    now: deps.clock(),
    maxWaitMinutes: deps.config.GITHUB_WRITE_WAIT_MINUTES,
  });
  if (plan.kind === 'give_up') return null;
  if (plan.pendingRounds === 1) {
    const at = deps.clock().toISOString();
    await deps.incidents.update(incident.id, {}, { history: [{ at, event: 'rerun_waits_for_budget', detail: `re-run in ${plan.waitSeconds} s: ${error.message}`.slice(0, 500) }] });
  }
  return {
    incidentId: incident.id,
    action: 'rerun_failed_jobs',
    applied: false,
    awaitingApproval: false,
    awaitingDelay: true,
    delaySeconds: plan.waitSeconds,
    budgetWaitSince: plan.pendingSince,
    budgetWaitRounds: plan.pendingRounds,
  };
}
