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

/** The fix steps a person can start from: the analysis's (unless withheld), else the first job's diagnosis. */
function stepsOf(incident: Incident): string[] {
  if (incident.analysis && !incident.analysis.injection && incident.analysis.fix.length > 0) return incident.analysis.fix;
  return incident.jobs.find((job) => job.diagnosis?.fix.length)?.diagnosis?.fix ?? [];
}

/** Who was told of an escalation: on-call paged, or why not (the escalation policy's reason). */
function told(incident: Incident): string {
  const escalations = incident.notifications.filter((n) => n.channel === 'sns');
  if (escalations.some((n) => n.outcome === 'published')) return 'On-call was sent the escalation.';
  const skipped = escalations.find((n) => n.outcome === 'skipped');
  if (skipped) return `On-call was not paged${skipped.detail ? `: ${skipped.detail}` : ''}.`;
  if (incident.notifiedByFallback) return 'On-call was sent what the guard knew by its fallback.';
  return '';
}

/**
 * What the incident page says first: whether a person must act, and what to do. The on-call reader at 3 a.m. must
 * not have to work it out from the status ('notified' is also what an escalated alarm reads), the decision's
 * wording and the timeline.
 */
export function nextStep(incident: Incident): NextStep {
  const none = (text: string): NextStep => ({ human: false, text, commands: [], steps: [] });
  if (incident.status === 'resolved') return none('Resolved: nothing to do.');
  if (incident.notifyFailed) {
    return {
      human: true,
      text: 'Nobody has been told of this failure: every notification path failed. The guard tries again; until it gets through, this page is the only notice.',
      commands: [],
      steps: stepsOf(incident),
    };
  }
  if (incident.approval?.status === 'pending') {
    const action = words(incident.plan?.action ?? incident.decision?.action ?? 'the proposed action');
    if (incident.source === 'github' && incident.repository && incident.pullRequest) {
      const digest = incident.approval.digest ? ` ${incident.approval.digest}` : '';
      return {
        human: true,
        text: `Waiting for approval to ${action}. Someone with write access replies on ${incident.repository}#${incident.pullRequest} with one of:`,
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
  const reasons: string[] = [];
  // Set when the guard's own handling failed and a fallback told on-call instead (the state machine's topic after
  // Notify failed for good, the reconciler after every execution failed): whatever it had decided did not play out.
  if (incident.notifiedByFallback) reasons.push('the guard could not finish handling it');
  if (incident.decision?.action === 'escalate') reasons.push(incident.decision.reason);
  if (incident.approval?.status === 'timed_out') reasons.push('nobody answered the approval request in time');
  for (const error of incident.stageErrors) {
    // A failed knowledge lookup is skipped with a note, never an escalation (as Notify routes it).
    if (error.stage !== 'knowledge') reasons.push(`the guard's ${error.stage} stage failed (${error.error})`);
  }
  if (reasons.length > 0) {
    return { human: true, text: [`A person must look at this failure: ${reasons.join('; ')}.`, told(incident)].filter(Boolean).join(' '), commands: [], steps: stepsOf(incident) };
  }
  if (incident.commentPending) {
    return none(`Nothing yet: the pull request comment waits for GitHub's write budget (since ${incident.commentPending.since}, next try ${incident.commentPending.retryAt}); past the wait the guard escalates with what it found.`);
  }
  const decision = incident.decision;
  if (!decision) return none('Nothing yet: the guard is still handling it.');
  if (decision.dryRun) return none(`Nothing: the guard would ${words(decision.action)} (dry run, not applied).`);
  if (decision.action === 'comment_only') return none('Nothing for on-call: the pull request comment tells its author what failed.');
  if (decision.applied) return none(`Nothing for now: the guard chose to ${words(decision.action)} and did; a failure after it comes back here.`);
  return none(`Nothing for on-call: the guard chose to ${words(decision.action)} but did not (${decision.reason}).`);
}
