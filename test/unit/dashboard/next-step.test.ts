import { describe, expect, it } from 'vitest';
import { nextStep } from '../../../infra/dashboard/src/next-step.js';
import { type AnalysisSummary, type Incident, newIncident } from '../../../shared/domain/incident.js';

const NOW = new Date('2026-11-20T10:05:00Z');
const AT = NOW.toISOString();

const analysis: AnalysisSummary = {
  provider: 'offline',
  model: null,
  rootCause: 'The checkout API answers 5xx.',
  fix: ['Open the AWS/ApiGateway/5XXError graph.', 'Roll back the last deployment if it lines up.'],
  confidence: 0.4,
  proposedAction: 'escalate',
  rationale: 'no known fix',
  evidence: [],
  latencyMs: 3,
};

function pullRequestFailure(fields: Partial<Incident> = {}): Incident {
  return newIncident({ id: 'gh-1-2-1', source: 'github', repository: 'acme/app', pullRequest: 12, status: 'notified', ...fields }, NOW);
}

describe('what the dashboard says a person must do', () => {
  it('a proposal waiting for approval: the commands to reply on the pull request, with the digest shown', () => {
    const step = nextStep(
      pullRequestFailure({
        status: 'awaiting_approval',
        plan: { action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', reasons: [], requiresApproval: true, dryRun: false, experiment: null, plannedAt: AT },
        approval: { status: 'pending', taskToken: '[hidden]', requestedAt: AT, decidedAt: null, decidedBy: null, reason: null, digest: '0123456789ab', revision: 1 },
      }),
    );

    expect(step).toMatchObject({ human: true, commands: ['/guard approve gh-1-2-1 0123456789ab', '/guard reject gh-1-2-1 <reason>'] });
    expect(step.text).toBe('Waiting for approval to re-run the failed jobs. Someone with write access replies on acme/app#12 with one of:');
  });

  it('an escalated alarm: a person must look, on-call was sent it, and the analysis\'s steps', () => {
    const step = nextStep(
      newIncident(
        {
          id: 'cw-1',
          source: 'cloudwatch',
          status: 'notified',
          analysis,
          decision: { action: 'escalate', reason: 'a production alarm without a known fix needs a human', applied: true, result: null, dryRun: false, decidedAt: AT },
          notifications: [{ channel: 'sns', target: 'escalation-topic', outcome: 'published', detail: 'm-1', at: AT }],
        },
        NOW,
      ),
    );

    expect(step).toEqual({
      human: true,
      text: 'A person must look at this failure: a production alarm without a known fix needs a human. On-call was sent the escalation.',
      commands: [],
      steps: analysis.fix,
    });
  });

  it('a stage that failed needs a person; a failed knowledge lookup alone does not', () => {
    const degraded = nextStep(pullRequestFailure({ stageErrors: [{ stage: 'analyze', error: 'model timed out', at: AT }] }));
    const lookup = nextStep(
      pullRequestFailure({
        stageErrors: [{ stage: 'knowledge', error: 'throttled', at: AT }],
        decision: { action: 'comment_only', reason: 'a test failure', applied: true, result: null, dryRun: false, decidedAt: AT },
      }),
    );

    expect(degraded).toMatchObject({ human: true, text: "A person must look at this failure: the guard's analyze stage failed (model timed out)." });
    expect(lookup).toMatchObject({ human: false, text: 'Nothing for on-call: the pull request comment tells its author what failed.' });
  });

  it('a failure nobody was told of needs a person; a resolved one does not', () => {
    expect(nextStep(pullRequestFailure({ notifyFailed: true })).human).toBe(true);
    expect(nextStep(pullRequestFailure({ status: 'resolved', notifyFailed: true })).human).toBe(false);
  });

  it('a steered analysis\'s steps are not offered: the log\'s diagnosis is', () => {
    const step = nextStep(
      pullRequestFailure({
        analysis: { ...analysis, injection: { logLines: 1, answerSignals: [] } },
        decision: { action: 'escalate', reason: 'the log tried to steer the analyzer', applied: true, result: null, dryRun: false, decidedAt: AT },
        jobs: [
          {
            jobId: 1,
            jobName: 'test',
            url: null,
            category: 'test_failure',
            fingerprint: 'f',
            logSource: 'job_log',
            failures: [],
            diagnosis: { determined: true, rootCause: 'a test failed', fix: ['Run the failing test locally.'] },
          },
        ],
      }),
    );

    expect(step.steps).toEqual(['Run the failing test locally.']);
  });

  it('a comment still waiting for the write budget is not said to tell the author what failed', () => {
    const step = nextStep(
      pullRequestFailure({
        status: 'remediated',
        decision: { action: 'comment_only', reason: 'a test failure', applied: true, result: null, dryRun: false, decidedAt: AT },
        commentPending: { since: AT, retryAt: '2026-11-20T10:10:00.000Z', rounds: 1, reason: 'write budget spent' },
      }),
    );

    expect(step.human).toBe(false);
    expect(step.text).toMatch(/^Nothing yet: the pull request comment waits for GitHub's write budget/);
  });

  it('an incident the guard could not finish, escalated by its fallback, needs a person whatever it had decided', () => {
    // The reconciler's escalation of an incident whose every execution failed (no decision reached), and the state
    // machine's fallback topic after Notify failed for good (after a comment-only decision whose comment may be missing).
    const exhausted = nextStep(pullRequestFailure({ notifiedByFallback: true }));
    const notifyFailed = nextStep(
      pullRequestFailure({
        notifiedByFallback: true,
        decision: { action: 'comment_only', reason: 'a test failure', applied: true, result: null, dryRun: false, decidedAt: AT },
      }),
    );

    for (const step of [exhausted, notifyFailed]) {
      expect(step.human).toBe(true);
      expect(step.text).toMatch(/^A person must look at this failure: the guard could not finish handling it/);
    }
  });

  it('says why on-call was not paged once, not "not paged: not paged:" as Notify records it', () => {
    const step = nextStep(
      pullRequestFailure({
        pullRequest: null,
        decision: { action: 'comment_only', reason: 'a test failure', applied: true, result: null, dryRun: false, decidedAt: AT },
        notifications: [{ channel: 'sns', target: 'escalation-topic', outcome: 'skipped', detail: 'not paged: branch feature/x is not in escalation.branches', at: AT }],
      }),
    );

    expect(step.text).toBe('A person must look at this failure: the run has no pull request for the guard to comment on. On-call was not paged: branch feature/x is not in escalation.branches.');
  });
});
