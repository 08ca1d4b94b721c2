import type { KnowledgeSummary, RemediationAction, StoredPlan } from '../domain/incident.js';
import type { Category } from '../logs/types.js';
import { AUTOMATIC_ACTIONS, type AutomaticAction, type RepositoryPolicy, type Severity } from './policy.js';
import type { RunbookMapping } from './runbooks.js';

/** Live counters the guards need; read from the guard store before planning. */
export interface GuardState {
  /** The kill-switch label is on the failing pull request (labels only people with triage/write access can set). */
  killSwitchLabelSet: boolean;
  automaticActionsLastHour: number;
  automaticActionsLastDay: number;
  /** Outcomes of this repository's automatic actions within the breaker's window. */
  recentOutcomes: { attempts: number; failures: number };
  /** Automatic re-runs already requested for this workflow and head SHA. */
  rerunsForCommit: number;
  /** The failed attempt is one our own automatic re-run started: re-runs are never chained. */
  ownRerun: boolean;
  /** The failed attempt is a person's re-run, found started when the guard meant to re-run: the re-run it wanted. */
  rerunByPersonInstead?: boolean;
}

export interface PlanInput {
  source: 'github' | 'cloudwatch';
  repository: string | null;
  category: Category | null;
  severity: Severity;
  failureLineCount: number;
  /** Stages that failed before planning; a degraded incident always goes to a human. */
  stageErrors: string[];
  analysis: {
    proposedAction: RemediationAction;
    confidence: number;
    rationale: string;
    hasPatch: boolean;
    /** Why the analysis patch was discarded, when it was (shown as the reason a fix PR is not opened). */
    patchRefusal?: string;
    /**
     * The log contained text aimed at automated tools, or the model's answer reads as steered: its proposal is
     * not acted on and its text is not repeated.
     */
    injection?: boolean;
  };
  /**
   * What the deterministic classification says, independent of any model: the category from the log rules and
   * whether the baselines hold flaky evidence for the failing tests or jobs. A model's proposal must agree.
   */
  evidence?: { flaky: boolean };
  knowledge: KnowledgeSummary | null;
  /**
   * The A/B variant the incident was assigned to, or a winner promoted from an earlier experiment to the default
   * policy for this kind of failure. It replaces the analysis's proposal; it does not bypass any guard.
   */
  variant: { experimentId: string; variant: string; action: RemediationAction; promoted?: boolean } | null;
  policy: RepositoryPolicy;
  guards: GuardState;
  /**
   * Set when re-planning after `/guard approve`: the approved action is the proposal and needs no further
   * approval or confidence, but every other guard (kill switch, breaker, rate limits, dry run) is checked again.
   */
  approved?: { action: RemediationAction; by: string } | null;
  /**
   * `rerun`: the failure is a GitHub Actions run (a check from another CI system is re-run there). `commit`: without
   * a pull request, a pushed commit the guard explains it on (shared/domain/handoff.ts `commitToCommentOn`).
   */
  capabilities: { github: boolean; pullRequest: boolean; commit?: boolean; rerun: boolean; runbook: RunbookMapping | null };
  /**
   * Why the runbook an alarm's name maps to is not this deployment's to run (`RunbookChoice.refused`: an alarm of
   * another account or region). Nothing automatic answers it: a human decides, told why.
   */
  runbookRefused?: string | null;
  /**
   * The failing run may have run a fork's code (see `fromUntrustedHead`): code nobody with write access has
   * reviewed. No fix is committed on top of it, and it is not re-run automatically: its author decides whether it
   * fails again, so a re-run would spend the repository's CI on it and its failures would trip the breaker.
   */
  untrustedHead: boolean;
  /**
   * Any GitHub user can start the failing run when they like (`anyoneCanCause`: a workflow on issues, discussions,
   * stars or reviews), and its log may quote what they wrote. The run is the repository's own code, but a patch
   * proposed from its log would be steered by an outsider's text, and its approver would read it as the guard's
   * proposal: no fix PR is planned from it.
   */
  outsiderCanCause: boolean;
}

/** The planner's output; the incident stores it with the time it was planned. */
export type RemediationPlan = Omit<StoredPlan, 'plannedAt'>;

/** Categories whose failures a re-run can plausibly fix: the cause is outside the code. */
export const TRANSIENT_CATEGORIES: readonly Category[] = ['network', 'infrastructure', 'timeout'];
/** Categories a code change can fix: a fix PR for a network outage is never the answer. */
export const CODE_CATEGORIES: readonly Category[] = ['test_failure', 'compilation', 'lint'];

function isAutomatic(action: RemediationAction): action is AutomaticAction {
  return (AUTOMATIC_ACTIONS as readonly string[]).includes(action);
}

/** Two decimals, rounded down: a confidence of 0.597 must not read "0.60 is below the 0.60 needed". */
const fmt = (n: number) => (Math.floor(n * 100 + 1e-9) / 100).toFixed(2);
/** A threshold, rounded up: with a 0.605 minimum, a 0.601 confidence reads "0.60 is below the 0.61 needed". */
const fmtThreshold = (n: number) => (Math.ceil(n * 100 - 1e-9) / 100).toFixed(2);

/** Whether the guard has somewhere to explain a GitHub failure: its pull request, or the pushed commit. */
function explainable(input: PlanInput): boolean {
  return input.source !== 'cloudwatch' && (input.capabilities.pullRequest || input.capabilities.commit === true);
}

/** Where a blocked automatic action goes: a human for alarms and failures with nowhere to explain them, else an explanation. */
function fallbackFor(input: PlanInput): RemediationAction {
  return explainable(input) ? 'comment_only' : 'escalate';
}

/**
 * Why the analysis alone may not take `action`: an action needs evidence outside the model. A re-run needs a
 * transient category from the log rules or flaky history; a fix PR needs a failure a code change can fix; a
 * runbook needs the operator's mapping (checked in {@link blockedBy}). Null when the evidence agrees.
 */
function disagreement(action: AutomaticAction, input: PlanInput): string | null {
  const category = input.category ?? 'unknown';
  if (action === 'rerun_failed_jobs' && !TRANSIENT_CATEGORIES.includes(category) && !input.evidence?.flaky) {
    return `the log rules classify the failure as ${category} and there is no flaky history: a re-run needs a network, infrastructure or timeout failure, or flaky evidence`;
  }
  if (action === 'open_fix_pr' && !CODE_CATEGORIES.includes(category)) {
    return `the log rules classify the failure as ${category}: a fix PR only answers test, compilation or lint failures`;
  }
  return null;
}

/** The first guard that blocks an automatic action, with its reason; null when every guard passes. */
function blockedBy(action: AutomaticAction, input: PlanInput, fromAnalysis: boolean): { reason: string; to: RemediationAction } | null {
  const { policy, guards, analysis } = input;
  const rule = policy.actions[action];
  if (fromAnalysis && !input.approved && analysis.injection) {
    return { reason: 'the log contained text aimed at automated tools, so the analysis proposal is not acted on', to: fallbackFor(input) };
  }
  // A fix PR commits the analysis's patch whoever proposes it (an experiment arm, a promoted policy, an approval
  // of such a proposal): a steered analysis's patch is never committed.
  if (action === 'open_fix_pr' && analysis.injection) {
    return { reason: "the log contained text aimed at automated tools: that analysis's patch is not committed, whoever proposes the fix PR", to: fallbackFor(input) };
  }
  if (fromAnalysis && !input.approved) {
    const why = disagreement(action, input);
    if (why) return { reason: why, to: fallbackFor(input) };
  }
  if (action === 'run_runbook' && input.source !== 'cloudwatch') return { reason: 'runbooks only answer alarms', to: fallbackFor(input) };
  if (action !== 'run_runbook' && input.source !== 'github') return { reason: `${action} only applies to GitHub runs`, to: 'escalate' };
  if (action === 'run_runbook' && !input.capabilities.runbook) return { reason: 'no runbook is allow-listed for this alarm', to: 'escalate' };
  if (action === 'rerun_failed_jobs' && !input.capabilities.rerun) {
    return { reason: 'this check comes from another CI system: re-run it there', to: fallbackFor(input) };
  }
  if (action === 'rerun_failed_jobs' && (guards.ownRerun || guards.rerunByPersonInstead)) {
    const after = guards.ownRerun ? 'our automatic re-run' : 'the re-run a person started as the guard meant to';
    return { reason: `it failed again after ${after}: the failure repeats, a human should look`, to: 'escalate' };
  }
  if (action !== 'run_runbook' && !input.capabilities.github) return { reason: `${action} needs GitHub credentials, none configured`, to: fallbackFor(input) };
  if (action === 'open_fix_pr' && input.untrustedHead) {
    return { reason: "the failing run comes from a fork or may run a fork's code: no fix is committed on top of untrusted code", to: fallbackFor(input) };
  }
  if (action === 'open_fix_pr' && input.outsiderCanCause) {
    return { reason: "any GitHub user can start this run and write what its log says: no fix is proposed from an outsider's text", to: fallbackFor(input) };
  }
  if (action === 'rerun_failed_jobs' && input.untrustedHead) {
    return { reason: "the failing run comes from a fork or may run a fork's code: a maintainer re-runs it, never the guard", to: fallbackFor(input) };
  }
  if (!rule.allowed) return { reason: `${action} is not allowed by this repository's policy`, to: fallbackFor(input) };
  if (action === 'open_fix_pr' && !analysis.hasPatch) {
    return {
      reason: analysis.patchRefusal
        ? `the proposed patch was refused: ${analysis.patchRefusal}`
        : 'a fix PR needs a patch, and the analysis has none that passed validation',
      to: fallbackFor(input),
    };
  }
  const operatorMapped = action === 'run_runbook' && input.capabilities.runbook !== null;
  if (!operatorMapped && !input.approved && analysis.confidence < rule.minConfidence) {
    return { reason: `confidence ${fmt(analysis.confidence)} is below the ${fmtThreshold(rule.minConfidence)} needed for ${action}`, to: fallbackFor(input) };
  }
  if (policy.killSwitch) return { reason: 'the kill switch is on in the configuration: no automatic actions', to: fallbackFor(input) };
  if (guards.killSwitchLabelSet) return { reason: `the repository has the "${policy.killSwitchLabel}" label: no automatic actions`, to: fallbackFor(input) };
  const { attempts, failures } = guards.recentOutcomes;
  const breaker = policy.circuitBreaker;
  if (attempts >= breaker.minSamples && failures / attempts > breaker.maxFailureRate) {
    return {
      reason: `circuit breaker open: ${failures} of the last ${attempts} automatic actions failed (limit ${fmt(breaker.maxFailureRate)})`,
      to: fallbackFor(input),
    };
  }
  if (guards.automaticActionsLastHour >= policy.rateLimits.perHour) {
    return { reason: `rate limit: ${guards.automaticActionsLastHour} automatic actions in the last hour (limit ${policy.rateLimits.perHour})`, to: fallbackFor(input) };
  }
  if (guards.automaticActionsLastDay >= policy.rateLimits.perDay) {
    return { reason: `rate limit: ${guards.automaticActionsLastDay} automatic actions today (limit ${policy.rateLimits.perDay})`, to: fallbackFor(input) };
  }
  if (action === 'rerun_failed_jobs' && guards.rerunsForCommit >= policy.autoRerunMax) {
    return {
      reason: `this workflow was already re-run automatically ${guards.rerunsForCommit} time(s) for this commit (limit ${policy.autoRerunMax}): needs a human`,
      to: 'escalate',
    };
  }
  return null;
}

function needsApproval(action: RemediationAction, input: PlanInput): boolean {
  return input.policy.requireApproval.some(
    (rule) =>
      (rule.actions as readonly string[]).includes(action) &&
      (!rule.categories || (input.category !== null && rule.categories.includes(input.category))) &&
      (!rule.severities || rule.severities.includes(input.severity)),
  );
}

/**
 * The remediation planner: pure, so every guard is table-tested. The analysis (or an experiment variant) only
 * proposes; the policy, the guards and the capabilities decide, and nothing outside the allow-list can result.
 */
export function planRemediation(input: PlanInput): RemediationPlan {
  const reasons: string[] = [];
  // A runbook mapping is the operator's standing decision for that alarm: it is proposed whatever the analysis
  // says, and the confidence gate does not apply (the other guards and approval rules do).
  const mapped = input.source === 'cloudwatch' && input.capabilities.runbook !== null;
  if (mapped) reasons.push(`the alarm is mapped to runbook ${input.capabilities.runbook?.document}`);
  if (input.approved) reasons.push(`approved by ${input.approved.by}`);
  const proposed = input.approved?.action ?? (mapped ? 'run_runbook' : (input.variant?.action ?? input.analysis.proposedAction));
  if (input.variant) {
    const { experimentId, variant, action, promoted } = input.variant;
    reasons.push(promoted ? `promoted policy (experiment ${experimentId}, variant ${variant}) proposes ${action}` : `experiment ${experimentId}: variant ${variant} proposes ${action}`);
  }
  const experiment = input.variant && !input.variant.promoted ? { experimentId: input.variant.experimentId, variant: input.variant.variant } : null;
  const done = (chosen: RemediationAction, reason: string): RemediationPlan => {
    reasons.push(reason);
    let action = chosen;
    // A comment that admits it does not know is not an answer: a human should look.
    if (action === 'comment_only' && input.analysis.confidence < input.policy.escalateBelowConfidence) {
      action = 'escalate';
      reasons.push(`confidence ${fmt(input.analysis.confidence)} is below ${fmt(input.policy.escalateBelowConfidence)}: escalated rather than only explained`);
    }
    // A fix PR puts generated code in a branch of the repository: a human always looks at the diff first.
    const alwaysApproved = action === 'open_fix_pr';
    const requiresApproval = isAutomatic(action) && !input.approved && (alwaysApproved || needsApproval(action, input));
    if (requiresApproval) {
      reasons.push(
        alwaysApproved
          ? 'a fix PR always waits for `/guard approve` from someone with write access, who sees the diff first'
          : `${action} needs approval from someone with write access (policy)`,
      );
    }
    if (input.policy.dryRun && isAutomatic(action)) reasons.push('dry run: the plan is recorded, nothing is applied');
    return { action, proposed, reasons, requiresApproval, dryRun: input.policy.dryRun && isAutomatic(action), experiment };
  };

  if (input.runbookRefused) return done('escalate', `runbook not started: ${input.runbookRefused}; a human decides`);
  if (input.stageErrors.length > 0) return done('escalate', `a pipeline stage failed (${input.stageErrors.join('; ')}): a human should look`);
  if (input.failureLineCount === 0 && (input.category === null || input.category === 'unknown') && input.source === 'github') {
    return done('escalate', 'no failure lines could be found in the logs');
  }
  if (proposed === 'escalate') {
    // A steered answer's rationale is the attacker's text: it is not repeated.
    return done('escalate', input.analysis.injection ? 'the analysis asks for a human' : `the analysis asks for a human: ${input.analysis.rationale}`.slice(0, 300));
  }
  if (proposed === 'comment_only') {
    if (!explainable(input)) return done('escalate', 'no automatic fix proposed and no pull request to explain it on: a human should look');
    return done('comment_only', `a code or configuration change is needed; explained ${input.capabilities.pullRequest ? 'on the pull request' : 'in a comment on the pushed commit'}`);
  }
  const fromAnalysis = !mapped && !input.variant && !input.approved;
  const blocked = blockedBy(proposed, input, fromAnalysis);
  if (blocked) return done(blocked.to, `${proposed} proposed, not taken: ${blocked.reason}`);
  const why: Record<AutomaticAction, string> = {
    rerun_failed_jobs: `re-run the failed jobs: the ${input.category ?? 'unknown'} failure looks transient (confidence ${fmt(input.analysis.confidence)})`,
    open_fix_pr: `open a fix PR for review from the analysis patch (confidence ${fmt(input.analysis.confidence)})`,
    run_runbook: `run the allow-listed runbook ${input.capabilities.runbook?.document ?? ''} for this alarm (confidence ${fmt(input.analysis.confidence)})`,
  };
  return done(proposed, why[proposed]);
}
