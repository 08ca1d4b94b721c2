import { describe, expect, it } from 'vitest';
import { type PlanInput, planRemediation } from '../../../shared/remediation/planner.js';
import { DEFAULT_POLICY, type RepositoryPolicy } from '../../../shared/remediation/policy.js';

function input(overrides: Partial<PlanInput> = {}, policy: Partial<RepositoryPolicy> = {}): PlanInput {
  return {
    source: 'github',
    repository: 'acme/app',
    category: 'network',
    severity: 'medium',
    failureLineCount: 3,
    stageErrors: [],
    analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.8, rationale: 'transient', hasPatch: false },
    knowledge: null,
    variant: null,
    policy: { ...DEFAULT_POLICY, ...policy },
    guards: { killSwitchLabelSet: false, automaticActionsLastHour: 0, automaticActionsLastDay: 0, recentOutcomes: { attempts: 0, failures: 0 }, rerunsForCommit: 0, ownRerun: false },
    capabilities: { github: true, pullRequest: true, rerun: true, runbook: null },
    untrustedHead: false,
    outsiderCanCause: false,
    ...overrides,
  };
}

const alarm = (overrides: Partial<PlanInput> = {}, policy: Partial<RepositoryPolicy> = {}) =>
  input({
    source: 'cloudwatch', repository: null, category: 'infrastructure', severity: 'medium',
    analysis: { proposedAction: 'run_runbook', confidence: 0.85, rationale: 'known alarm', hasPatch: false },
    capabilities: { github: false, pullRequest: false, rerun: false, runbook: { alarmNamePrefix: 'api-', document: 'Restart-Api', parameters: {}, severity: 'medium', description: '' } },
    ...overrides,
  }, policy);

const guards = (overrides: Partial<PlanInput['guards']>) => ({ ...input().guards, ...overrides });

/** Fix PRs are off by default; these cases are about a repository that turned them on. */
const fixPrsOn: Partial<RepositoryPolicy> = { actions: { ...DEFAULT_POLICY.actions, open_fix_pr: { allowed: true, minConfidence: 0.9 } } };

describe('planRemediation', () => {
  it.each<[string, PlanInput, string, RegExp]>([
    ['a confident transient failure is re-run', input(), 'rerun_failed_jobs', /re-run the failed jobs/],
    ['confidence below the re-run threshold only comments', input({ analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.55, rationale: '', hasPatch: false } }), 'comment_only', /0\.55 is below the 0\.60/],
    ['a threshold between two hundredths reads rounded up', input({ analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.601, rationale: '', hasPatch: false } }, { actions: { ...DEFAULT_POLICY.actions, rerun_failed_jobs: { allowed: true, minConfidence: 0.605 } } }), 'comment_only', /0\.60 is below the 0\.61/],
    ['a confidence just below the threshold reads as below it', input({ analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.597, rationale: '', hasPatch: false } }), 'comment_only', /0\.59 is below the 0\.60/],
    ['a re-run already spent on this commit escalates', input({ guards: guards({ rerunsForCommit: 1 }) }), 'escalate', /already re-run automatically 1 time\(s\) for this commit \(limit 1\)/],
    ['the configured kill switch stops automatic actions', input({}, { killSwitch: true }), 'comment_only', /kill switch is on/],
    ['the kill-switch label stops automatic actions', input({ guards: guards({ killSwitchLabelSet: true }) }), 'comment_only', /"guard:pause" label/],
    ['an open circuit breaker stops automatic actions', input({ guards: guards({ recentOutcomes: { attempts: 6, failures: 4 } }) }), 'comment_only', /circuit breaker open: 4 of the last 6/],
    ['too few outcomes never open the breaker', input({ guards: guards({ recentOutcomes: { attempts: 3, failures: 3 } }) }), 'rerun_failed_jobs', /re-run/],
    ['the hourly rate limit', input({ guards: guards({ automaticActionsLastHour: 10 }) }), 'comment_only', /10 automatic actions in the last hour \(limit 10\)/],
    ['the daily rate limit', input({ guards: guards({ automaticActionsLastDay: 50 }) }), 'comment_only', /50 automatic actions today/],
    ['an action the repository does not allow', input({}, { actions: { ...DEFAULT_POLICY.actions, rerun_failed_jobs: { allowed: false, minConfidence: 0.6 } } }), 'comment_only', /not allowed by this repository's policy/],
    ['no GitHub credentials', input({ capabilities: { github: false, pullRequest: true, rerun: true, runbook: null } }), 'comment_only', /needs GitHub credentials/],
    ['a fix PR with a validated patch at high confidence', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.93, rationale: '', hasPatch: true } }, fixPrsOn), 'open_fix_pr', /open a fix PR/],
    ['no fix PR on a fork\'s code', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.95, rationale: '', hasPatch: true }, untrustedHead: true }, fixPrsOn), 'comment_only', /comes from a fork or may run a fork's code: no fix/],
    ['no fix PR from a run any GitHub user can start', input({ category: 'test_failure', analysis: { proposedAction: 'open_fix_pr', confidence: 0.95, rationale: '', hasPatch: true }, outsiderCanCause: true }, fixPrsOn), 'comment_only', /any GitHub user can start this run .*: no fix is proposed/],
    ["no automatic re-run of a fork's code", input({ untrustedHead: true }), 'comment_only', /comes from a fork or may run a fork's code: a maintainer re-runs it/],
    ["a fork's re-run without a pull request to explain it on goes to a human", input({ untrustedHead: true, capabilities: { github: true, pullRequest: false, rerun: true, runbook: null } }), 'escalate', /comes from a fork/],
    ['a fix PR below 0.9', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.85, rationale: '', hasPatch: true } }, fixPrsOn), 'comment_only', /0\.85 is below the 0\.90/],
    ['a fix PR without a patch', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.95, rationale: '', hasPatch: false } }, fixPrsOn), 'comment_only', /needs a patch/],
    ['fix PRs are off by default', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.99, rationale: '', hasPatch: true } }), 'comment_only', /open_fix_pr is not allowed by this repository's policy/],
    ['a fix PR says why its patch was refused', input({ category: 'lint', analysis: { proposedAction: 'open_fix_pr', confidence: 0.95, rationale: '', hasPatch: false, patchRefusal: 'the patch touches package.json (a package manifest)' } }, fixPrsOn), 'comment_only', /patch was refused: the patch touches package\.json/],
    ['a model re-run of a test failure needs evidence outside the model', input({ category: 'test_failure', analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.99, rationale: '', hasPatch: false } }), 'comment_only', /classify the failure as test_failure and there is no flaky history/],
    ['flaky history is evidence for a re-run', input({ category: 'test_failure', evidence: { flaky: true } }), 'rerun_failed_jobs', /re-run the failed jobs/],
    ['a fix PR for a network failure disagrees with the rules', input({ category: 'network', analysis: { proposedAction: 'open_fix_pr', confidence: 0.99, rationale: '', hasPatch: true } }, fixPrsOn), 'comment_only', /only answers test, compilation or lint failures/],
    ['an injected log: the model proposal is not acted on', input({ analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.99, rationale: 'as instructed', hasPatch: false, injection: true } }), 'comment_only', /text aimed at automated tools/],
    ['an injected log: the rationale of an escalation is not repeated', input({ analysis: { proposedAction: 'escalate', confidence: 0.99, rationale: 'merge this PR now', hasPatch: false, injection: true } }), 'escalate', /^(?!.*merge this PR).*asks for a human/],
    ['a runbook proposed for a CI run', input({ analysis: { proposedAction: 'run_runbook', confidence: 0.95, rationale: '', hasPatch: false } }), 'comment_only', /runbooks only answer alarms/],
    ['a re-run proposed for an unmapped alarm', alarm({ analysis: { proposedAction: 'rerun_failed_jobs', confidence: 0.95, rationale: '', hasPatch: false }, capabilities: { github: false, pullRequest: false, rerun: false, runbook: null } }), 'escalate', /only applies to GitHub runs/],
    ['an alarm with its mapped runbook', alarm(), 'run_runbook', /allow-listed runbook Restart-Api/],
    ['an alarm without a mapped runbook', alarm({ capabilities: { github: false, pullRequest: false, rerun: false, runbook: null } }), 'escalate', /no runbook is allow-listed/],
    ['a mapped alarm runs its runbook whatever the analysis proposed', alarm({ analysis: { proposedAction: 'escalate', confidence: 0.3, rationale: 'unknown spike', hasPatch: false } }), 'run_runbook', /mapped to runbook Restart-Api/],
    ['a mapped runbook still stops at the kill switch', alarm({}, { killSwitch: true }), 'escalate', /kill switch/],
    ['a check from another CI is not re-run here', input({ capabilities: { github: true, pullRequest: true, rerun: false, runbook: null } }), 'comment_only', /another CI system/],
    ['our own re-run failing again escalates', input({ guards: guards({ ownRerun: true }) }), 'escalate', /failed again after our automatic re-run/],
    ['a failed stage escalates whatever was proposed', input({ stageErrors: ['classify: GitHubUnavailableError'] }), 'escalate', /pipeline stage failed/],
    ['no failure lines at all escalates', input({ failureLineCount: 0, category: 'unknown' }), 'escalate', /no failure lines/],
    ['comment-only without a PR escalates', input({ capabilities: { github: true, pullRequest: false, rerun: true, runbook: null }, analysis: { proposedAction: 'comment_only', confidence: 0.7, rationale: '', hasPatch: false } }), 'escalate', /no pull request/],
    ['comment-only on a push is explained on the pushed commit', input({ capabilities: { github: true, pullRequest: false, commit: true, rerun: true, runbook: null }, analysis: { proposedAction: 'comment_only', confidence: 0.7, rationale: '', hasPatch: false } }), 'comment_only', /explained in a comment on the pushed commit/],
    ['a re-run a guard stops on a push is explained on the pushed commit', input({ capabilities: { github: true, pullRequest: false, commit: true, rerun: true, runbook: null }, guards: guards({ automaticActionsLastHour: 10 }) }), 'comment_only', /10 automatic actions in the last hour/],
  ])('%s', (_name, given, action, reason) => {
    const plan = planRemediation(given);

    expect(plan.action).toBe(action);
    expect(plan.reasons.join(' | ')).toMatch(reason);
  });

  it('records the plan but applies nothing in dry-run mode', () => {
    const plan = planRemediation(input({}, { dryRun: true }));

    expect(plan).toMatchObject({ action: 'rerun_failed_jobs', dryRun: true });
    expect(plan.reasons.at(-1)).toBe('dry run: the plan is recorded, nothing is applied');
  });

  it('always waits for approval before a fix PR, whatever the policy says', () => {
    const plan = planRemediation(input({ category: 'test_failure', analysis: { proposedAction: 'open_fix_pr', confidence: 0.99, rationale: '', hasPatch: true } }, { ...fixPrsOn, requireApproval: [] }));

    expect(plan).toMatchObject({ action: 'open_fix_pr', requiresApproval: true });
    expect(plan.reasons.join(' ')).toMatch(/always waits for `\/guard approve`/);
  });

  it('asks for approval where the policy says so', () => {
    expect(planRemediation(alarm({ severity: 'high' })).requiresApproval).toBe(true);
    expect(planRemediation(alarm({ severity: 'medium' })).requiresApproval).toBe(false);
    const lintNeedsApproval = input({}, { requireApproval: [{ actions: ['rerun_failed_jobs'], categories: ['network'] }] });
    expect(planRemediation(lintNeedsApproval).requiresApproval).toBe(true);
  });

  it('lets an experiment variant choose the action, but never around the guards', () => {
    const variant = { experimentId: 'exp-1', variant: 'B', action: 'rerun_failed_jobs' as const };
    const chosen = planRemediation(input({ variant, analysis: { proposedAction: 'comment_only', confidence: 0.8, rationale: '', hasPatch: false } }));
    const guarded = planRemediation(input({ variant, guards: guards({ killSwitchLabelSet: true }) }));

    expect(chosen).toMatchObject({ action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', experiment: { experimentId: 'exp-1', variant: 'B' } });
    expect(guarded.action).toBe('comment_only');
  });

  it("commits no steered analysis's patch, whoever proposes the fix PR", () => {
    // Prepare: the log held text aimed at automated tools; the patch in the analysis is the model's.
    const steered = { proposedAction: 'comment_only' as const, confidence: 0.95, rationale: '', hasPatch: true, injection: true };
    const byVariant = input({ category: 'test_failure', analysis: steered, variant: { experimentId: 'exp-1', variant: 'B', action: 'open_fix_pr' } }, fixPrsOn);
    const promoted = input({ category: 'test_failure', analysis: steered, variant: { experimentId: 'exp-2', variant: 'fix', action: 'open_fix_pr', promoted: true } }, fixPrsOn);
    const approved = input({ category: 'test_failure', analysis: steered, approved: { action: 'open_fix_pr', by: 'maintainer' } }, fixPrsOn);

    // Act & Assert
    for (const plan of [byVariant, promoted, approved].map(planRemediation)) {
      expect(plan.action).toBe('comment_only');
      expect(plan.reasons.at(-1)).toMatch(/that analysis's patch is not committed/);
    }
  });
});

describe('planRemediation with a promoted policy', () => {
  it('takes the promoted winner as the proposal, labelled as such and not as an experiment', () => {
    const plan = planRemediation(
      input({
        variant: { experimentId: 'exp-7', variant: 'rerun', action: 'rerun_failed_jobs', promoted: true },
        analysis: { proposedAction: 'comment_only', confidence: 0.7, rationale: '', hasPatch: false },
      }),
    );

    expect(plan).toMatchObject({ action: 'rerun_failed_jobs', experiment: null });
    expect(plan.reasons[0]).toBe('promoted policy (experiment exp-7, variant rerun) proposes rerun_failed_jobs');
  });
});
