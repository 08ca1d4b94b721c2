import { describe, expect, it } from 'vitest';
import type { AnalysisSummary } from '../../../shared/domain/incident.js';
import { type PolicyInput, decideRemediation } from '../../../shared/policy/decide.js';

const policy = { autoRerunMax: 1, rerunMinConfidence: 0.6, dryRun: false };

function analysis(overrides: Partial<AnalysisSummary> = {}): AnalysisSummary {
  return {
    provider: 'offline', model: null, rootCause: 'npm registry timed out', fix: ['re-run'], confidence: 0.8,
    proposedAction: 'rerun_failed_jobs', rationale: 'network failures are usually transient', evidence: [], latencyMs: 1,
    ...overrides,
  };
}

function input(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    source: 'github', category: 'network', analysis: analysis(), runAttempt: 1, failureLineCount: 3,
    stageErrors: [], githubAvailable: true, rerunSupported: true, ownRerun: false, automaticRerunsForCommit: 0, ...overrides,
  };
}

describe('decideRemediation', () => {
  it.each([
    ['a confident transient failure is re-run', input(), 'rerun_failed_jobs', true, /re-run the failed jobs/],
    ['low confidence only comments', input({ analysis: analysis({ confidence: 0.4 }) }), 'comment_only', true, /0\.40 is below the 0\.60/],
    ['a second failure after the automatic re-run escalates', input({ runAttempt: 2 }), 'escalate', true, /after 1 automatic re-run/],
    ['no GitHub credentials cannot re-run', input({ githubAvailable: false }), 'comment_only', true, /no GitHub credentials/],
    ['code failures are explained, not re-run', input({ category: 'test_failure', analysis: analysis({ proposedAction: 'comment_only' }) }), 'comment_only', true, /code or configuration change/],
    ['fix PRs are not enabled yet', input({ analysis: analysis({ proposedAction: 'open_fix_pr' }) }), 'comment_only', true, /not enabled/],
    ['a runbook without an allow-listed one escalates', input({ analysis: analysis({ proposedAction: 'run_runbook' }) }), 'escalate', true, /none is allow-listed/],
    ['alarms go to a human', input({ source: 'cloudwatch', runAttempt: null }), 'escalate', true, /alarm incidents/],
    ['a failed stage escalates whatever the proposal', input({ stageErrors: ['GitHubUnavailableError: 502'] }), 'escalate', true, /stage failed/],
    ['no failure lines and no category escalates', input({ category: 'unknown', failureLineCount: 0 }), 'escalate', true, /no failure lines/],
    ['the analysis asking for a human escalates', input({ analysis: analysis({ proposedAction: 'escalate', rationale: 'secret leaked' }) }), 'escalate', true, /secret leaked/],
    ['a failure of our own automatic re-run is never re-run again', input({ ownRerun: true, runAttempt: 2 }), 'escalate', true, /after our automatic re-run/],
    ['our own re-run stays final even when more re-runs are allowed', input({ ownRerun: true, runAttempt: 2, automaticRerunsForCommit: 1 }), 'escalate', true, /after our automatic re-run/],
    ['the commit already had its automatic re-run (another run of the workflow)', input({ automaticRerunsForCommit: 1 }), 'escalate', true, /already re-run automatically 1 time\(s\) for this commit \(limit 1\)/],
    ['a check run of another CI system is not re-run through GitHub', input({ rerunSupported: false }), 'comment_only', true, /another CI system/],
    ['low confidence wins over an unsupported re-run', input({ rerunSupported: false, analysis: analysis({ confidence: 0.3 }) }), 'comment_only', true, /below the/],
  ])('%s', (_name, given, action, execute, reason) => {
    const decision = decideRemediation(given, policy);

    expect(decision.action).toBe(action);
    expect(decision.execute).toBe(execute);
    expect(decision.reason).toMatch(reason);
  });

  it('records but does not execute a re-run in dry-run mode', () => {
    const decision = decideRemediation(input(), { ...policy, dryRun: true });

    expect(decision).toMatchObject({ action: 'rerun_failed_jobs', execute: false });
    expect(decision.reason).toMatch(/^dry run: would re-run/);
  });

  it('allows as many automatic re-runs as configured', () => {
    expect(decideRemediation(input({ runAttempt: 3 }), { ...policy, autoRerunMax: 3 }).action).toBe('rerun_failed_jobs');
    expect(decideRemediation(input({ runAttempt: 1 }), { ...policy, autoRerunMax: 0 }).action).toBe('escalate');
    expect(decideRemediation(input({ automaticRerunsForCommit: 2 }), { ...policy, autoRerunMax: 3 }).action).toBe('rerun_failed_jobs');
    expect(decideRemediation(input({ automaticRerunsForCommit: 3 }), { ...policy, autoRerunMax: 3 }).action).toBe('escalate');
  });
});
