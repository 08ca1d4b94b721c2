/**
 * One incident in each state that changes whether a person must act and what the guard says it tried: the table the
 * shared hand-off (shared/domain/handoff.ts) is tested on, and on which the dashboard's "what to do" and the
 * escalation's "What it needs from you" must agree. `mustAct` is what each should say.
 */
import { type Decision, type FallbackCause, type Incident, type NotificationRecord, newIncident } from '../../shared/domain/incident.js';

const NOW = new Date('2026-11-20T10:05:00Z');
const AT = NOW.toISOString();

export const decided = (action: Decision['action'], fields: Partial<Decision> = {}): Decision => ({
  action,
  reason: `the planner chose ${action}`,
  applied: true,
  result: null,
  dryRun: false,
  decidedAt: AT,
  ...fields,
});

export const commented = (outcome: NotificationRecord['outcome'], detail: string | null = null): NotificationRecord => ({
  channel: 'github_comment',
  target: 'acme/app#12',
  outcome,
  detail,
  at: AT,
});

export const escalation = (outcome: NotificationRecord['outcome'], detail: string | null = null): NotificationRecord => ({
  channel: 'sns',
  target: 'escalation-topic',
  outcome,
  detail,
  at: AT,
});

/** The commit a push's failed run ran on. */
export const PUSHED_SHA = 'c0ffee5a1e5d9f0b7d2a4c6e8f0a1b3c5d7e9f01';

export const commitCommented = (outcome: NotificationRecord['outcome'], detail: string | null = null): NotificationRecord => ({
  channel: 'commit_comment',
  target: `acme/app@${PUSHED_SHA}`,
  outcome,
  detail,
  at: AT,
});

/** A pull request's failed run, as Notify leaves it (status notified) unless `fields` say otherwise. */
export function pullRequestFailure(fields: Partial<Incident> = {}): Incident {
  const run = { repository: 'acme/app', workflowName: 'CI', branch: 'feature/x', pullRequest: 12, runId: 2, runAttempt: 1, runUrl: 'https://github.com/acme/app/actions/runs/2' };
  const failure = { category: 'test_failure' as const, failureLines: [{ line: 40, text: 'FAIL src/cart.test.ts' }] };
  return newIncident({ id: 'gh-1-2-1', source: 'github', status: 'notified', ...run, ...failure, ...fields }, NOW);
}

/** A run without a pull request (a push, a schedule), as Notify leaves it. */
export function pushFailure(fields: Partial<Incident> = {}): Incident {
  return pullRequestFailure({ pullRequest: null, branch: 'main', runEvent: 'push', fromFork: false, ...fields });
}

/** A CloudWatch alarm, as Notify leaves it. */
export function alarm(fields: Partial<Incident> = {}): Incident {
  const details = {
    name: 'checkout-5xx', arn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-5xx', account: '123456789012', region: 'us-east-1',
    state: 'ALARM', previousState: 'OK', reason: 'Threshold crossed', stateChangedAt: AT, metric: '5XXError', namespace: 'AWS/ApiGateway', threshold: 5,
  };
  return newIncident({ id: 'cw-1', source: 'cloudwatch', status: 'notified', category: 'infrastructure', alarm: details, ...fields }, NOW);
}

/** When the reconciler gave an incident up, after 8 failed tries over five hours and twenty minutes. */
const GIVEN_UP_AT = '2026-11-20T15:25:00.000Z';
const givenUp = { failures: 8, error: 'ThrottlingException', dueAt: null, failedAt: GIVEN_UP_AT };

/**
 * As the reconciler leaves an incident it gave up whose page could not go out either: still unfinished, given up
 * (`reconcileRetry.dueAt` null) and a `reconcile_given_up` entry. The incident Notify failed on, or one stalled in
 * analysis whose re-drive kept failing.
 */
function givenUpUnpaged(notify: boolean): Incident {
  const entry = { at: GIVEN_UP_AT, event: 'reconcile_given_up', detail: "the reconciler's tries failed 8 times (the last: ThrottlingException), and so did its page; given up" };
  if (!notify) return pullRequestFailure({ status: 'analyzed', reconcileRetry: givenUp, history: [entry] });
  const marked = notifyFailed();
  return { ...marked, reconcileRetry: givenUp, history: [...marked.history, entry] };
}

/** Notify failed after its retries, as the state machine's RecordNotifyFailed leaves the incident. */
function notifyFailed(): Incident {
  return pullRequestFailure({
    status: 'remediated', notifyFailed: true, notifyFailedAt: AT, decision: decided('comment_only'),
    history: [{ at: AT, event: 'notify_failed', detail: 'Lambda.Unknown' }],
  });
}

/**
 * As the reconciler's fallback leaves an incident it told on-call of: `paged`, or counted on the page of the same
 * problem already sent in the window. Notify failed on it after a comment-only decision; every execution failed
 * before any decision.
 */
function toldByFallback(cause: FallbackCause, paged: boolean): Incident {
  const told = { notifiedByFallback: true, fallbackEscalation: { cause, paged, at: AT } };
  if (cause === 'reconcile_given_up') {
    const detail = "the reconciler's tries failed 8 times (the last: ThrottlingException); given up";
    return pullRequestFailure({ ...told, reconcileRetry: givenUp, history: [{ at: GIVEN_UP_AT, event: 'escalated_reconcile_given_up', detail }] });
  }
  if (cause !== 'notify_failed') return pullRequestFailure({ ...told, history: [{ at: AT, event: 'escalated_after_redrives', detail: '4 executions failed' }] });
  const { history } = notifyFailed();
  return pullRequestFailure({ ...told, decision: decided('comment_only'), history: [...history, { at: AT, event: 'escalated_notify_failed', detail: 'notify failed (Lambda.Unknown)' }] });
}

const pendingApproval = { status: 'pending' as const, taskToken: '[hidden]', requestedAt: AT, decidedAt: null, decidedBy: null, reason: null, digest: '0123456789ab', revision: 1 };
const rerunPlan = { action: 'rerun_failed_jobs' as const, proposed: 'rerun_failed_jobs' as const, reasons: [], requiresApproval: true, dryRun: false, experiment: null, plannedAt: AT };

export interface IncidentState {
  incident: Incident;
  mustAct: boolean;
}

export const INCIDENT_STATES: Record<string, IncidentState> = {
  'still being handled': { mustAct: false, incident: pullRequestFailure({ status: 'analyzed' }) },
  resolved: { mustAct: false, incident: pullRequestFailure({ status: 'resolved', decision: decided('escalate'), notifyFailed: true }) },
  'notify failed: waiting for the fallback page': { mustAct: true, incident: notifyFailed() },
  'notify failed: on-call paged by the fallback': { mustAct: true, incident: toldByFallback('notify_failed', true) },
  "notify failed: counted on the fallback's open page": { mustAct: true, incident: toldByFallback('notify_failed', false) },
  'every execution failed: on-call paged by the fallback': { mustAct: true, incident: toldByFallback('pipeline_failed', true) },
  'notify failed: given up by the reconciler, nobody paged': { mustAct: true, incident: givenUpUnpaged(true) },
  'stalled: given up by the reconciler, nobody paged': { mustAct: true, incident: givenUpUnpaged(false) },
  'given up by the reconciler: on-call paged by the fallback': { mustAct: true, incident: toldByFallback('reconcile_given_up', true) },
  'approval waits on the pull request': {
    mustAct: true,
    incident: pullRequestFailure({ status: 'awaiting_approval', plan: rerunPlan, approval: pendingApproval, notifications: [commented('created', 'approval request')] }),
  },
  'approval waits by e-mail': {
    mustAct: true,
    incident: pushFailure({ status: 'awaiting_approval', plan: rerunPlan, approval: pendingApproval, notifications: [escalation('published', 'm-1')] }),
  },
  'approval timed out': {
    mustAct: true,
    incident: pullRequestFailure({
      plan: rerunPlan,
      approval: { ...pendingApproval, status: 'timed_out', taskToken: null },
      decision: decided('escalate', { reason: 'nobody approved "re-run the failed jobs" in time: a human should look', applied: false }),
      notifications: [commented('updated'), escalation('published', 'm-1')],
    }),
  },
  'approval decided on the pull request, never resumed before the wait timed out': {
    mustAct: true,
    incident: pullRequestFailure({
      plan: rerunPlan,
      approval: { ...pendingApproval, status: 'timed_out', taskToken: null, decidedBy: 'octocat', decidedAt: '2026-11-20T09:58:00.000Z', unresumed: 'approved' },
      decision: decided('escalate', { reason: 'octocat approved "re-run the failed jobs" at 2026-11-20T09:58:00.000Z, but the guard could not resume its execution', applied: false }),
      notifications: [commented('updated'), escalation('published', 'm-1')],
    }),
  },
  'approval decided on the pull request, given up by the reconciler while the wait runs': {
    // Its tries kept failing; on-call was paged at the give-up (shared/reconcile/approval-resumes.ts).
    mustAct: true,
    incident: pullRequestFailure({
      status: 'awaiting_approval',
      plan: rerunPlan,
      approval: { ...pendingApproval, status: 'approved', decidedBy: 'octocat', decidedAt: '2026-11-20T09:58:00.000Z', resumeAbandonedAt: '2026-11-20T19:40:00.000Z' },
      notifications: [commented('updated'), escalation('published', 'm-1')],
    }),
  },
  'approval rejected on the pull request, never resumed before the wait timed out': {
    // Nothing was applied, as the rejection asked: its pull request's comment says so, and nobody needs to act.
    mustAct: false,
    incident: pullRequestFailure({
      plan: rerunPlan,
      approval: { ...pendingApproval, status: 'timed_out', taskToken: null, decidedBy: 'octocat', decidedAt: '2026-11-20T09:58:00.000Z', unresumed: 'rejected' },
      decision: decided('comment_only', { reason: 'octocat rejected "re-run the failed jobs" at 2026-11-20T09:58:00.000Z, but the guard could not resume its execution', applied: false }),
      notifications: [commented('updated')],
    }),
  },
  'approval rejected on the pull request': {
    mustAct: false,
    incident: pullRequestFailure({
      approval: { ...pendingApproval, status: 'rejected', taskToken: null, decidedBy: 'octocat' },
      decision: decided('comment_only', { reason: 'octocat rejected "re-run the failed jobs"', applied: false, result: 'nothing applied' }),
      notifications: [commented('updated')],
    }),
  },
  'escalated alarm': { mustAct: true, incident: alarm({ decision: decided('escalate', { reason: 'a production alarm without a known fix needs a human' }), notifications: [escalation('published', 'm-1')] }) },
  'escalated pull request, told on it': {
    mustAct: true,
    incident: pullRequestFailure({ decision: decided('escalate'), notifications: [commented('created'), escalation('skipped', 'not paged: the pull request comment tells its author (escalation.pullRequests is off)')] }),
  },
  'a stage failed': {
    mustAct: true,
    incident: pullRequestFailure({ stageErrors: [{ stage: 'analyze', error: 'model timed out', at: AT }], decision: decided('comment_only'), notifications: [commented('created')] }),
  },
  'only the knowledge lookup failed': {
    mustAct: false,
    incident: pullRequestFailure({ stageErrors: [{ stage: 'knowledge', error: 'throttled', at: AT }], decision: decided('comment_only'), notifications: [commented('created')] }),
  },
  'told by the fallback': { mustAct: true, incident: pullRequestFailure({ notifiedByFallback: true, decision: decided('comment_only') }) },
  'handled to the end without a decision': { mustAct: true, incident: pullRequestFailure({ notifications: [commented('created'), escalation('published', 'm-1')] }) },
  'comment waits for the write budget': {
    mustAct: false,
    incident: pullRequestFailure({
      status: 'remediated',
      decision: decided('comment_only'),
      commentPending: { since: AT, retryAt: '2026-11-20T10:10:00.000Z', rounds: 1, reason: 'write budget spent' },
      notifications: [commented('pending', 'waiting for the GitHub write budget')],
    }),
  },
  'comment posted': { mustAct: false, incident: pullRequestFailure({ decision: decided('comment_only'), notifications: [commented('created')] }) },
  'comment unchanged from an earlier round': { mustAct: false, incident: pullRequestFailure({ decision: decided('comment_only'), notifications: [commented('unchanged')] }) },
  'comment not posted (no GitHub credentials)': {
    mustAct: true,
    incident: pullRequestFailure({ decision: decided('comment_only'), notifications: [commented('skipped', 'no GitHub credentials configured'), escalation('published', 'm-1')] }),
  },
  'comment given up after the write-budget wait': {
    mustAct: true,
    incident: pullRequestFailure({ decision: decided('comment_only'), notifications: [commented('pending'), commented('failed', 'not posted after waiting 30 min'), escalation('published', 'm-1')] }),
  },
  'no pull request to comment on': {
    mustAct: true,
    incident: pushFailure({ decision: decided('comment_only'), notifications: [escalation('skipped', 'not paged: branch main is not in escalation.branches')] }),
  },
  'push explained on its commit': { mustAct: false, incident: pushFailure({ headSha: PUSHED_SHA, decision: decided('comment_only'), notifications: [commitCommented('created')] }) },
  'push whose commit comment GitHub refused': {
    mustAct: true,
    incident: pushFailure({ headSha: PUSHED_SHA, decision: decided('comment_only'), notifications: [commitCommented('failed', 'GitHub refused (403): Resource not accessible by integration'), escalation('published', 'm-1')] }),
  },
  'push escalated, explained on its commit too': {
    mustAct: true,
    incident: pushFailure({ headSha: PUSHED_SHA, decision: decided('escalate'), notifications: [commitCommented('created'), escalation('published', 'm-1')] }),
  },
  're-run under way': { mustAct: false, incident: pushFailure({ decision: decided('rerun_failed_jobs', { result: 'requested' }) }) },
  're-run already done by someone': { mustAct: true, incident: pushFailure({ decision: decided('rerun_failed_jobs', { result: 'already re-run (attempt 2)' }), notifications: [escalation('published', 'm-1')] }) },
  'fix pull request opened': { mustAct: false, incident: pullRequestFailure({ decision: decided('open_fix_pr', { result: 'fix PR #13 opened for review' }), notifications: [commented('created')] }) },
  'fix pull request failed': {
    mustAct: true,
    incident: pullRequestFailure({
      decision: decided('open_fix_pr', { applied: false, result: 'failed: GitHub answered 422' }),
      stageErrors: [{ stage: 'remediate', error: 'GitHub answered 422', at: AT }],
      notifications: [commented('created'), escalation('published', 'm-1')],
    }),
  },
  'fix pull request refused': {
    mustAct: true,
    incident: pullRequestFailure({ decision: decided('escalate', { reason: 'open_fix_pr planned, not applied: the patch touches a workflow file' }), notifications: [commented('created')] }),
  },
  'runbook started for an alarm': { mustAct: false, incident: alarm({ decision: decided('run_runbook', { result: 'runbook started' }) }) },
  'chose an action it did not take': { mustAct: false, incident: pullRequestFailure({ decision: decided('run_runbook', { applied: false, result: 'nothing applied' }), notifications: [commented('created')] }) },
  'dry run': { mustAct: false, incident: pullRequestFailure({ decision: decided('rerun_failed_jobs', { applied: false, dryRun: true, result: 'dry run: nothing applied' }), notifications: [commented('created')] }) },
};
