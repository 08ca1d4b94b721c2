import type { AnalysisSummary, IncidentSource, RemediationAction } from '../domain/incident.js';
import type { Category } from '../logs/types.js';

export interface RemediationPolicy {
  /**
   * Automatic re-runs allowed per (workflow, head SHA); a run attempt above this is not re-run again either,
   * whoever started it.
   */
  autoRerunMax: number;
  rerunMinConfidence: number;
  dryRun: boolean;
}

export interface PolicyInput {
  source: IncidentSource;
  category: Category | null;
  analysis: AnalysisSummary;
  runAttempt: number | null;
  failureLineCount: number;
  /** Stages that failed before remediation; a degraded incident always goes to a human. */
  stageErrors: string[];
  githubAvailable: boolean;
  /**
   * Whether the failure can be re-run through GitHub at all: an Actions run with a known workflow and commit.
   * Check runs of other CI systems are re-run in that system.
   */
  rerunSupported: boolean;
  /** The failed attempt is one our own automatic re-run started (ledger attempt, or our bot as triggering actor). */
  ownRerun: boolean;
  /** Automatic re-runs already made for this workflow and head commit (from the persisted ledger). */
  automaticRerunsForCommit: number;
}

export interface PolicyDecision {
  action: RemediationAction;
  reason: string;
  /** False when the action is decided but must not be executed (dry run). */
  execute: boolean;
}

function pct(value: number): string {
  return value.toFixed(2);
}

/**
 * The remediation policy: turns a proposal into the action actually taken. Pure, so every branch is
 * unit-tested; the analyzer's proposal is only an input, and nothing outside the allow-list can come out.
 */
export function decideRemediation(input: PolicyInput, policy: RemediationPolicy): PolicyDecision {
  const decision = decideAction(input, policy);
  if (policy.dryRun && decision.action === 'rerun_failed_jobs') {
    return { ...decision, reason: `dry run: would ${decision.reason}`, execute: false };
  }
  return decision;
}

function decideAction(input: PolicyInput, policy: RemediationPolicy): PolicyDecision {
  const { analysis } = input;
  if (input.stageErrors.length > 0) {
    return { action: 'escalate', reason: `pipeline stage failed (${input.stageErrors.join('; ')}), a human should look`, execute: true };
  }
  if (input.source === 'cloudwatch') {
    return { action: 'escalate', reason: 'alarm incidents go to a human: no runbook is configured for this alarm', execute: true };
  }
  if (input.failureLineCount === 0 && (input.category === null || input.category === 'unknown')) {
    return { action: 'escalate', reason: 'no failure lines could be found in the logs', execute: true };
  }
  switch (analysis.proposedAction) {
    case 'rerun_failed_jobs': {
      if (analysis.confidence < policy.rerunMinConfidence) {
        return {
          action: 'comment_only',
          reason: `re-run proposed, but confidence ${pct(analysis.confidence)} is below the ${pct(policy.rerunMinConfidence)} threshold`,
          execute: true,
        };
      }
      if (!input.rerunSupported) {
        return {
          action: 'comment_only',
          reason: 're-run proposed, but this check comes from another CI system: re-run it there',
          execute: true,
        };
      }
      if (input.ownRerun) {
        // Never chain automatic re-runs: the event our own re-run causes must not trigger another one.
        return {
          action: 'escalate',
          reason: 'failed again after our automatic re-run: the failure repeats, a human should look',
          execute: true,
        };
      }
      const attempt = input.runAttempt ?? 1;
      if (attempt > policy.autoRerunMax) {
        return {
          action: 'escalate',
          reason: `failed again after ${attempt - 1} automatic re-run(s) (limit ${policy.autoRerunMax}): needs a human`,
          execute: true,
        };
      }
      if (input.automaticRerunsForCommit >= policy.autoRerunMax) {
        return {
          action: 'escalate',
          reason: `this workflow was already re-run automatically ${input.automaticRerunsForCommit} time(s) for this commit (limit ${policy.autoRerunMax}): needs a human`,
          execute: true,
        };
      }
      if (!input.githubAvailable) {
        return { action: 'comment_only', reason: 're-run proposed, but no GitHub credentials are configured', execute: true };
      }
      return {
        action: 'rerun_failed_jobs',
        reason: `re-run the failed jobs: ${input.category ?? 'unknown'} failure looks transient (confidence ${pct(analysis.confidence)})`,
        execute: true,
      };
    }
    case 'open_fix_pr':
      return { action: 'comment_only', reason: 'fix PRs are not enabled by policy; the suggested fix is in the comment', execute: true };
    case 'run_runbook':
      return { action: 'escalate', reason: 'a runbook was proposed but none is allow-listed for this incident', execute: true };
    case 'escalate':
      return { action: 'escalate', reason: `the analysis asks for a human: ${analysis.rationale}`.slice(0, 300), execute: true };
    case 'comment_only':
      return { action: 'comment_only', reason: 'a code or configuration change is needed; explained on the pull request', execute: true };
  }
}
