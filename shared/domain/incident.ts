import type { Category, LogLine, StepRef } from '../logs/types.js';
import type { VariantParams } from '../experiments/params.js';
import type { RemediationAction } from './actions.js';

export type IncidentSource = 'github' | 'cloudwatch';

/** Lifecycle: received → classified → analyzed → remediated → notified; resolved after a recovery. */
export type IncidentStatus = 'received' | 'classified' | 'analyzed' | 'awaiting_approval' | 'remediated' | 'notified' | 'resolved';

/**
 * The states an incident may leave for each status: status only moves forward. A stage that finishes late (a
 * retry, a re-driven or resumed execution, a slow log download) never moves an incident back, and nothing leaves
 * `resolved`. The incident store conditions every status update on this table, so the rule holds under races
 * that a read-then-write in the step could not see.
 */
export const STATUS_MAY_LEAVE: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  received: ['received'],
  classified: ['received', 'classified'],
  analyzed: ['received', 'classified', 'analyzed'],
  awaiting_approval: ['received', 'classified', 'analyzed', 'awaiting_approval'],
  remediated: ['received', 'classified', 'analyzed', 'awaiting_approval', 'remediated'],
  notified: ['received', 'classified', 'analyzed', 'awaiting_approval', 'remediated', 'notified'],
  resolved: ['received', 'classified', 'analyzed', 'awaiting_approval', 'remediated', 'notified'],
};

/** Whether an incident in `from` may be set to `to` (see {@link STATUS_MAY_LEAVE}). */
export function mayMoveTo(from: IncidentStatus | undefined, to: IncidentStatus): boolean {
  return from === undefined || STATUS_MAY_LEAVE[to].includes(from);
}

export { REMEDIATION_ACTIONS, type RemediationAction } from './actions.js';

export interface JobFailureSummary {
  jobId: number;
  jobName: string;
  /** Link to the job's log page on GitHub. */
  url: string | null;
  category: Category;
  fingerprint: string;
  /** Where the lines came from: the job log, or check-run annotations when the log was unavailable. */
  logSource: 'job_log' | 'annotations' | 'check_run_output' | 'unavailable';
  failures: Array<{ rule: string; category: Category; startLine: number; endLine: number; lines: LogLine[] }>;
  /** The step that failed (number from the jobs API, name, first log line), when the log or the API marks steps. */
  step?: StepRef | null;
  /** Calibrated confidence that the first failure line explains the failure (see shared/logs/confidence.ts). */
  confidence?: number;
  /** The deterministic root-cause sentence and rule-specific fix (see shared/logs/diagnosis.ts). */
  diagnosis?: {
    determined: boolean;
    rootCause: string;
    fix: string[];
    /** What failed in a few words (the test or message, and where): the PR comment's first line. Absent before it was stored. */
    summary?: string;
  };
  /** Whether a green run of the same job was compared (its normal noise ranked below new lines). */
  baseline?: boolean;
}

export interface AlarmDetails {
  name: string;
  arn: string;
  account: string;
  region: string;
  state: string;
  previousState: string | null;
  reason: string;
  stateChangedAt: string;
  /**
   * `stateChangedAt` was more than CLOCK_SKEW_MS ahead of the clock that handled the ALARM: not trusted, the
   * incident's `failedAt` is when it was handled (shared/domain/alarm-incident.ts, `stateChangedAtOf`).
   */
  stampAhead?: true;
  /** `stateChangedAt` was before EARLIEST_EVENT_TIME: not trusted either, `failedAt` is when it was handled. */
  stampEarly?: true;
  metric: string | null;
  namespace: string | null;
  threshold: number | null;
  /** What kind of alarm it is: one metric, a metric-math expression, an anomaly band, or a composite of alarms. */
  kind?: 'metric' | 'math' | 'anomaly' | 'composite';
  /** The alarm's description, as its owner wrote it. */
  description?: string | null;
  /** Metric-math and anomaly alarms: the expression the alarm evaluates (`e1 = SUM(METRICS())`). */
  expression?: string | null;
  /** The metrics the alarm reads (`AWS/EC2 NetworkIn InstanceId=i-0abc Maximum/300s`), the evaluated one first. */
  inputs?: string[];
  /** Composite alarms: the rule, and the child alarms that fired (from reasonData.triggeringAlarms). */
  rule?: string | null;
  children?: string[];
  /** Anomaly alarms: the expected band at the breaching datapoint (reasonData recentLower/UpperThresholds). */
  band?: { lower: number; upper: number } | null;
  /** The datapoints that breached (reasonData.recentDatapoints), newest last. */
  datapoints?: number[];
  /** Seconds per datapoint and statistic, from reasonData. */
  period?: number | null;
  statistic?: string | null;
}

export interface CheckRunDetails {
  id: number;
  name: string;
  /** The CI system's GitHub App (slug and display name). */
  appSlug: string;
  appName: string;
  /** The CI system's own page for the build, when it gave one. */
  detailsUrl: string | null;
}

export interface AnalysisSummary {
  provider: string;
  model: string | null;
  rootCause: string;
  fix: string[];
  confidence: number;
  proposedAction: RemediationAction;
  rationale: string;
  /** How to keep the failure from recurring, when the analyzer said. */
  prevention?: string;
  evidence: string[];
  latencyMs: number;
  /**
   * Set when the offline analyzer stood in: the configured provider failed, or the model budget of failures an
   * outsider controls, or its repository's share of it, was spent (LLM_OUTSIDER_ANALYSES_PER_HOUR,
   * LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR).
   */
  fallbackReason?: string;
  /** Model token usage (cost accounting), when a model was called. */
  usage?: { inputTokens: number; outputTokens: number };
  promptVersion?: string;
  /** What validation changed in a model's answer (evidence dropped, confidence capped, …). */
  adjustments?: string[];
  /**
   * Cost accounting, on every analysis: tokens of every model call (a failed primary's included), estimated USD
   * from the price table (null for a model without a price, 0 when no model was called) and wall-clock latency.
   */
  cost?: { inputTokens: number; outputTokens: number; estimatedUsd: number | null; latencyMs: number };
  /** A model-proposed unified diff that passed patch validation (≤ 20 KB, ≤ 10 files); for a later fix PR. */
  patch?: { diff: string; files: string[] };
  /**
   * Set when the log held text aimed at automated tools (`logLines`: how many lines) or the answer itself reads
   * as steered (`answerSignals`: which signals). The answer's text is then never published and its proposal
   * never acted on; only signal names are stored here, never the injected text.
   */
  injection?: { logLines: number; answerSignals: string[] };
}

export interface KnowledgeMatch {
  incidentId: string;
  fingerprint: string;
  createdAt: string;
  status: IncidentStatus;
  action: RemediationAction | null;
  /** Whether the incident recovered after that action (null while unknown). */
  recovered: boolean | null;
  timeToRecoverySeconds: number | null;
  /** Where that failure happened: the PR comment says when the same failure is also on the base branch. */
  branch?: string | null;
  runUrl?: string | null;
  /**
   * Its repository: a fingerprint is the failure's text alone, and its history spans every repository watched, so
   * another repository's `main` is not this one's base branch.
   */
  repository?: string | null;
  repositoryId?: number | null;
}

/** A knowledge-base entry found for an incident: the same fingerprint (`exact`) or a similar template. */
export interface KnowledgeEntryMatch {
  fingerprint: string;
  source: 'curated' | 'learned' | 'imported';
  match: 'exact' | 'similar';
  /** Jaccard similarity of the templates (1 for an exact match). */
  score: number;
  title: string;
  category: Category;
  fix: string[];
  prevention: string | null;
  action: RemediationAction;
  attempts: number;
  successes: number;
  /** 95 % Wilson lower bound of the action's success rate. */
  confidence: number;
  seen: number;
  lastSeen: string | null;
}

/** What knowledge suggests doing, and why (an experiment's variant, a promoted policy, or measured outcomes). */
export interface KnowledgeRecommendation {
  action: RemediationAction;
  source: 'experiment' | 'policy' | 'knowledge';
  detail: string;
  params?: VariantParams;
  /** The experiment and variant behind an `experiment` or promoted `policy` recommendation. */
  experimentId?: string;
  variant?: string;
}

export interface KnowledgeSummary {
  matches: KnowledgeMatch[];
  seenBefore: number;
  /** e.g. `{ rerun_failed_jobs: { attempts: 4, successes: 3 } }` */
  actionOutcomes: Partial<Record<RemediationAction, { attempts: number; successes: number }>>;
  summary: string;
  /** Knowledge-base entries, exact first, then the top similar ones with their scores. */
  entries?: KnowledgeEntryMatch[];
  recommendation?: KnowledgeRecommendation | null;
}

/** An incident's A/B assignment, recorded once at knowledge lookup. */
export interface ExperimentAssignment {
  experimentId: string;
  variant: string;
  action: RemediationAction;
  params: VariantParams;
  /** The stable key the variant was derived from (repository|workflow|sha, or the incident id). */
  key: string;
  assignedAt: string;
}

/** Why classify marked an incident flaky: tests that failed and passed on the same commit before. */
export interface FlakyMark {
  tests: Array<{ test: string; flakes: number; lastSha: string; lastAt: string }>;
  detail: string;
}

export interface Decision {
  action: RemediationAction;
  reason: string;
  applied: boolean;
  result: string | null;
  dryRun: boolean;
  decidedAt: string;
  /**
   * On a failed `run_runbook` decision: its step had not gone to its start (no `runbookStartAttemptedAt` when it
   * failed, read back then), so it started nothing (session 42). Absent on failed decisions recorded before, which may
   * have started it with the answer lost (no marker before session 41) and count as a run (attack-44b R11).
   */
  failedBeforeRunbookStart?: boolean;
  /**
   * The runbook run of another incident, its episode's holder whose step ended without recording the run's outcome,
   * that this decision followed and records (session 42): a retry of the step keeps this decision before it plans
   * anything. No `executionId` when SSM's refusal of the holder's token said only that the run happened.
   */
  followedRun?: FollowedRun;
  /**
   * The runbook run this decision records had not ended when its step stopped following it (RUNBOOK_WAIT_SECONDS):
   * its outcome is not recorded yet, and the reconciler follows the run on its check (session 43).
   */
  runNotEnded?: boolean;
}

/** A runbook run an incident's decision followed for its episode's holder (`Decision.followedRun`). */
export interface FollowedRun {
  holder: string;
  executionId?: string;
}

export interface NotificationRecord {
  /** `github_comment`: the pull request's comment; `commit_comment`: the comment on a push's commit; `sns`: a page. */
  channel: 'github_comment' | 'commit_comment' | 'sns';
  target: string;
  /** `pending`: the comment waits for the GitHub write budget and is posted when it has room. */
  outcome: 'created' | 'updated' | 'unchanged' | 'published' | 'skipped' | 'failed' | 'pending';
  detail: string | null;
  at: string;
  /** The bot's PR comment, so its 👍/👎 reactions can be read later. */
  commentId?: number;
}

/**
 * Why the reconciler told on-call instead of the pipeline: Notify failed, every execution failed, none would start,
 * or the reconciler's own tries at the incident (its re-drive, or one of those pages) kept failing and it gave the
 * incident up (`reconcile_given_up`).
 */
export type FallbackCause = 'notify_failed' | 'pipeline_failed' | 'not_started' | 'reconcile_given_up';

/** See {@link Incident.reconcileRetry}. */
export interface ReconcileRetry {
  /** The reconciler's tries at the incident that failed, over its life. */
  failures: number;
  /** The last failure's error name (never its message, which may hold unredacted text). */
  error: string;
  /** When the reconciler tries it again; null: it gave the incident up (see its history). */
  dueAt: string | null;
  /** When the last of them failed (absent on records written before it was kept). */
  failedAt?: string;
}

/** Whether the reconciler may try the incident by `dueBy` (ISO): none of its tries failed, or the wait after the last is over. */
/**
 * A maintainer's `/guard` decision that never reached its execution: the wait timed out over it (`waitOver`), or the
 * reconciler gave up resuming it while the wait still runs (the decision recorded with its token, and
 * `resumeAbandonedAt`). Null for any other approval, a decision resumed since included.
 */
export function unresumedDecision(approval: ApprovalState | null | undefined): { decision: 'approved' | 'rejected'; waitOver: boolean } | null {
  if (!approval) return null;
  if (approval.status === 'timed_out') return approval.unresumed ? { decision: approval.unresumed, waitOver: true } : null;
  if ((approval.status === 'approved' || approval.status === 'rejected') && approval.taskToken && approval.resumeAbandonedAt) {
    return { decision: approval.status, waitOver: false };
  }
  return null;
}

/** The longest an approval request takes to record its task token: one Notify invocation (its TimeoutSeconds, 900 s). */
export const APPROVAL_SETUP_MS = 900_000;

/**
 * The incident with its approval as it stands at `now`. Versions before session 65 recorded a wait that could not be
 * set up as `pending` without a task token (its error only in the decision's reason), and it read as "pending, reply
 * /guard approve" to a wait nobody can answer. Nothing writes that now (a pending request is written with its token),
 * so one older than a setup takes is such a wait: read as `failed`, with the error the decision names.
 */
export function approvalAsStands(incident: Incident, now: Date): Incident {
  const approval = incident.approval;
  if (approval?.status !== 'pending' || approval.taskToken || now.getTime() - Date.parse(approval.requestedAt) < APPROVAL_SETUP_MS) return incident;
  const error = /^the approval step failed \((.+)\): a human should look/.exec(incident.decision?.reason ?? '')?.[1] ?? 'recorded pending without a task token';
  return { ...incident, approval: { ...approval, status: 'failed', reason: error.slice(0, 300) } };
}

export function isDueForReconciler(incident: Pick<Incident, 'reconcileRetry'>, dueBy: string): boolean {
  const retry = incident.reconcileRetry;
  return !retry || (retry.dueAt !== null && retry.dueAt <= dueBy);
}

export interface FallbackEscalation {
  cause: FallbackCause;
  paged: boolean;
  at: string;
}

export interface StageError {
  stage: string;
  error: string;
  at: string;
}

/** One entry of the append-only audit trail of remediation: who did what, when, with what result. */
export interface AuditEntry {
  at: string;
  /** `pipeline-guard`, or the GitHub login of the person who approved or rejected. */
  actor: string;
  action: RemediationAction;
  status: 'planned' | 'awaiting_approval' | 'approved' | 'rejected' | 'applied' | 'skipped' | 'failed';
  detail: string;
}

/** A remediation plan as the planner makes it and the incident stores it (see shared/remediation/planner.ts). */
export interface StoredPlan {
  /** What will be done. */
  action: RemediationAction;
  /** What was proposed (by the analysis, an experiment variant or a promoted policy). */
  proposed: RemediationAction;
  /** Why, one line per guard that decided something, in the order they were checked. */
  reasons: string[];
  requiresApproval: boolean;
  /** Recorded but not applied. */
  dryRun: boolean;
  experiment: { experimentId: string; variant: string } | null;
  plannedAt: string;
}

/** A `/guard` comment that commanded a decision recorded already, and the login that wrote it. */
export interface AlsoCommanded {
  commentId: number;
  by: string;
}

/** Replies kept to edit per decision besides its own command's: a pull request's commenters cannot grow the item unbounded. */
export const MAX_ALSO_COMMANDED = 5;

export interface ApprovalState {
  /** `failed`: the wait could not be set up (its request failed on every try): nobody can answer it, on-call was paged. */
  status: 'pending' | 'approved' | 'rejected' | 'timed_out' | 'failed';
  /**
   * Step Functions task token: while pending, and once decided until the execution is resumed with the decision (a
   * `/guard` command whose handler died before SendTaskSuccess answered leaves it for the command's redelivery).
   */
  taskToken: string | null;
  requestedAt: string;
  /**
   * When the execution's wait ends unanswered: the request's time plus the timeout it waits with (the policy's
   * `approvalTimeoutMinutes`). A token Step Functions calls spent after it was the timeout's. Absent on requests
   * stored before it was recorded.
   */
  expiresAt?: string;
  /**
   * When the Notify invocation that wrote this pending request ends at the latest (its Lambda timeout; every step
   * stops there, session 43): a later request of its problem waiting for its decision on how it is asked waits no
   * longer (attack-46a A4). Absent where the invocation's end is unknown (the CLI, unit tests) and on requests stored
   * before session 44.
   */
  decidesBy?: string;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: string | null;
  /**
   * Digest of the proposal the request showed, and then of the one approved (shared/remediation/proposal-digest.ts);
   * absent on requests stored before digests were recorded.
   */
  digest?: string | null;
  /** 1 for the proposal first shown; one more each time a request of this incident showed a different one. */
  revision?: number;
  /**
   * When a handler other than the one that recorded the decision (its redelivery, another maintainer's same command)
   * set out to resume it. Written before its SendTaskSuccess, so the recording handler, told by Step Functions that the
   * token is spent, knows the execution was resumed with the decision rather than timed out.
   */
  resumeTakenAt?: string | null;
  /**
   * The token Step Functions refused this decision for as spent before the wait's recorded end: its request failed
   * and is retried with a new token, which the retry carries the decision to (shared/steps/notify.ts). While the
   * decision still has this token, nobody sends it (shared/remediation/approval-resume.ts, `keptForRetry`).
   */
  spentToken?: string;
  /**
   * With `timed_out`: the decision a `/guard` command recorded (by `decidedBy` at `decidedAt`) that never reached the
   * execution, whose wait timed out first (its handler and the reconciler could not resume it). Absent otherwise.
   */
  unresumed?: 'approved' | 'rejected';
  /**
   * With `rejected` (by e-mail) or `failed`: the `/guard` decision recorded before it (by `by` at `decidedAt`, from
   * comment `commandCommentId`) that never reached the execution, whose wait ended otherwise first. The reconciler, meeting
   * that decision's entry, edits the command's reply to say so (it said "recorded, not carried out yet").
   */
  overtook?: { decision: 'approved' | 'rejected'; by: string; decidedAt: string; commandCommentId?: number; alsoCommanded?: AlsoCommanded[] };
  /**
   * When the reconciler gave up resuming the execution with this decision (its tries kept failing) and told on-call,
   * while the wait still ran: the wait's timeout, later, pages nobody again. Kept when the wait then times out.
   */
  resumeAbandonedAt?: string;
  /**
   * The `/guard` command that recorded the decision listed it for the reconciler's resumes itself (shared/stores/
   * approval-resumes.ts). A decision without it was recorded by a version that did not, and the reconciler lists it.
   */
  resumeListed?: true;
  /**
   * The id of the `/guard` comment that recorded the decision: the reconciler, carrying it out or giving it up, edits
   * that command's reply (shared/notify/command-reply.ts). Absent on decisions recorded before it was kept.
   */
  commandCommentId?: number;
  /**
   * The same decision commanded again from other comments (another maintainer's same `/guard approve`) whose resume
   * failed too, so their replies also said "recorded, not carried out yet": the reconciler edits each of them as it
   * edits `commandCommentId`'s. At most {@link MAX_ALSO_COMMANDED}, the first ones.
   */
  alsoCommanded?: AlsoCommanded[];
  /**
   * On an e-mailed request counted on the problem's open one instead of being e-mailed
   * (shared/notify/approval-carry.ts): the incident holding that request, and this request's own execution, which names
   * the Region its e-mail's commands answer in should it be e-mailed after all.
   */
  countedOn?: { incidentId: string; executionArn: string | null };
  /**
   * The decision was given to the e-mailed request of this incident, which had recovered, and carried over to this
   * one, the problem's newest firing counted on that request (shared/notify/approval-carry.ts).
   */
  carriedFrom?: string;
  /**
   * On a request counted on the problem's e-mailed one, whose answer was applied on this incident instead (the holder,
   * or the firing the answer was carried over to): this wait ends with nothing applied here (shared/notify/
   * approval-carry.ts), so one answer runs the runbook once and nobody is paged for a wait on-call did answer.
   */
  decidedOn?: string;
}

/**
 * Every field of {@link ApprovalState} this version knows (the compiler keeps the list whole): a write that continues
 * one request sets and removes only these, so a field a newer version keeps on the approval outlives this version's writes.
 */
export const APPROVAL_FIELDS = Object.keys({
  status: true, taskToken: true, requestedAt: true, expiresAt: true, decidesBy: true, decidedAt: true, decidedBy: true, reason: true, digest: true,
  revision: true, resumeTakenAt: true, spentToken: true, unresumed: true, overtook: true, resumeAbandonedAt: true, resumeListed: true,
  commandCommentId: true, alsoCommanded: true, countedOn: true, carriedFrom: true, decidedOn: true,
} satisfies Record<keyof ApprovalState, true>) as Array<keyof ApprovalState>;

export interface HistoryEntry {
  at: string;
  event: string;
  detail?: string;
}

export interface Incident {
  id: string;
  source: IncidentSource;
  status: IncidentStatus;
  repository: string | null;
  repositoryId: number | null;
  branch: string | null;
  headSha: string | null;
  workflowName: string | null;
  workflowId: number | null;
  runId: number | null;
  runAttempt: number | null;
  /** The Actions run's `run_number` (see the trigger), when GitHub gave it: a green run with a lower one resolves nothing here. */
  runNumber?: number | null;
  runUrl: string | null;
  pullRequest: number | null;
  /** The repository's default branch (the usual base of its pull requests), when the event said. */
  defaultBranch?: string | null;
  /** The default branch's newest finished run of the same workflow, read when a run on another branch fails. */
  baseBranchRun?: { runId: number; conclusion: string | null; url: string | null } | null;
  /** What started the run (`pull_request`, `push`, `schedule`, `workflow_dispatch`, …), when GitHub said. */
  runEvent?: string | null;
  installationId: number | null;
  /** Set when the failure is a check run of another CI system (CircleCI, Buildkite, …) rather than an Actions run. */
  checkRun?: CheckRunDetails | null;
  alarm: AlarmDetails | null;
  category: Category | null;
  fingerprint: string | null;
  template: string | null;
  failureLines: LogLine[];
  jobs: JobFailureSummary[];
  evidence: LogLine | null;
  knowledge: KnowledgeSummary | null;
  analysis: AnalysisSummary | null;
  decision: Decision | null;
  plan?: StoredPlan | null;
  /**
   * Set by Remediate when it plans: whether this failed attempt is one our own automatic re-run started (the re-run
   * ledger recorded the attempt, or GitHub names our bot as its actor). Notify routes by it; absent on incidents
   * Remediate never planned for (and on those stored before it recorded this), for which Notify asks the ledger.
   */
  ownRerun?: boolean;
  /**
   * The SSM Automation execution this incident's runbook step started, recorded as soon as the start answered,
   * before the run is followed and its decision recorded: an incident whose decision was then lost still says its
   * start happened, so the later incidents of its alarm's episode count on it without asking SSM again
   * (`runbookStartUnconfirmed`). Absent on incidents that started none (and on those stored before session 41).
   */
  runbookExecutionId?: string;
  /**
   * When the runbook check of this incident's run is due: scheduled before `runbookExecutionId` is written, by its own
   * step or by the later incident whose start answered it (session 43), so that a run whose execution is known is
   * always followed by the reconciler should no step record its outcome. Its own step drops it once it recorded that.
   */
  runbookRunCheckAt?: string;
  /**
   * When a start answered `runbookExecutionId` (written with it): the run started no later. The reconciler counts
   * RUNBOOK_NOT_ENDED_MINUTES from it when SSM reports no start time, not from the incident's first try, which a later
   * incident's start may follow by hours (session 44). Absent on incidents recorded before.
   */
  runbookStartAnsweredAt?: string;
  /**
   * When this incident's runbook step first went to start its runbook: written after its claim and its rate-limit
   * slot, before the start is sent. The start may have happened from then on (its answer, or the write of
   * `runbookExecutionId`, lost), so the episode's later incidents count on it and may make it again with its client
   * token; before it, the step may still find a reason not to start (the rate limit), so nobody else starts it. The
   * write that sets it reads the status back: an incident its alarm's OK resolved meanwhile starts nothing (a resolved
   * incident's marker counts for no run).
   */
  runbookStartAttemptedAt?: string;
  /**
   * When this incident's approved runbook step took its alarm's runbook claim (session 42). Its status still says it
   * waits for approval until its decision (an e-mailed approval is recorded by Notify, after the step), so without it
   * the holder stood for nothing between its claim and `runbookStartAttemptedAt`, and a second approved ALARM of the
   * episode took the claim over and ran the runbook again. Not written by an automatic step: its status says it runs.
   */
  runbookClaimedAt?: string;
  /** The failing commit comes from a fork (a pull request from another repository). */
  fromFork?: boolean;
  /** The repository id the failing commit lives in (null when unknown); differs from `repositoryId` for a fork. */
  headRepositoryId?: number | null;
  approval?: ApprovalState | null;
  /** Append-only remediation audit trail. */
  audit?: AuditEntry[];
  notifications: NotificationRecord[];
  /**
   * Set by the reconciler when it told on-call instead of the pipeline: every execution failed, the execution would
   * not start, or Notify failed (shared/reconcile).
   */
  notifiedByFallback?: boolean;
  /**
   * How the reconciler's fallback told on-call, set with `notifiedByFallback`: why it stepped in, and whether this
   * incident's page went out (`paged`) or the incident was counted on the open page of the same problem (one page per
   * escalation window; the rest are reported when it ends). Absent on incidents told before it was recorded.
   */
  fallbackEscalation?: FallbackEscalation;
  /**
   * Set by the state machine when Notify failed after its retries: nobody may have been told. The reconciler tells
   * on-call (once per window for all such incidents) and clears it (shared/reconcile/notify-failed.ts).
   */
  notifyFailed?: boolean;
  notifyFailedAt?: string;
  /**
   * The PR comment is waiting for the GitHub write budget (the execution sits in a Wait state): since when, the
   * next try, and how many tries so far. Cleared when it is posted or the wait is given up.
   */
  commentPending?: { since: string; retryAt: string; rounds: number; reason: string } | null;
  /** Re-drives by the reconciler: execution `<id>` is attempt 0, `<id>-a<n>` attempt n (see shared/reconcile). */
  executionAttempt?: number;
  /** Starts of an execution that Step Functions refused, counted by the reconciler against the incident's budget. */
  startFailures?: number;
  /**
   * The reconciler's failed tries at this incident (its re-drive, or the escalation in place of one), so that one
   * failing every time is tried less and less often instead of holding back the incidents listed after it
   * (shared/reconcile/redrive.ts). Absent while none failed.
   */
  reconcileRetry?: ReconcileRetry;
  stageErrors: StageError[];
  history: HistoryEntry[];
  /**
   * Entries dropped from the front of each list when it went over its bound (shared/domain/incident-lists.ts): the
   * lists keep the most recent ones. Absent while nothing was dropped.
   */
  historyDropped?: number;
  auditDropped?: number;
  notificationsDropped?: number;
  stageErrorsDropped?: number;
  createdAt: string;
  updatedAt: string;
  /** When the failure happened (run completion, alarm state change); time to recovery counts from here. */
  failedAt: string;
  resolvedAt: string | null;
  timeToRecoverySeconds: number | null;
  resolvedBy: string | null;
  /**
   * Set (with `resolved`) on a failure delivered after a later attempt of its run, or after a green run that speaks for
   * it (shared/domain/recovery.ts, `supersededFields`): what superseded it, e.g. `run 42 (attempt 2)`. Such a failure
   * is recorded but comments, re-runs and pages nothing: the later attempt's own incident or recovery tells that story.
   */
  supersededBy?: string | null;
  /** Set by knowledge lookup when a running experiment covers this incident. */
  experiment?: ExperimentAssignment | null;
  /** Set by classify when the failing tests or jobs have flaky evidence. */
  flaky?: FlakyMark | null;
  /** Human feedback from users with write access (`/guard feedback up|down`), counted with `ADD`. */
  feedbackUp?: number;
  feedbackDown?: number;
  /** Requests made of a model for this incident, every attempt's (`ModelRequestLedger`), counted with `ADD`. */
  modelRequests?: number;
  /**
   * The outcome this incident counts on its entry's fix record (`none` while it counts none), and the one its run
   * showed: a writer's vote overrules the run's (shared/knowledge/fix-verdict.ts).
   */
  fixOutcome?: 'success' | 'failure' | 'none';
  runFixOutcome?: 'success' | 'failure' | 'none';
}

/**
 * Once-only markers an incident item can carry, each set by the first write that takes it (the knowledge base's
 * counters, experiment outcomes, metrics: see shared/stores/incident-claims.ts and `IncidentStore.record`).
 */
export type ClaimName =
  | 'kbSeenAt'
  | 'outcomeAt'
  | 'experimentAssignedAt'
  | 'experimentFeedbackAt'
  | 'experimentCostAt'
  | 'falsePositiveAt'
  | 'failedJobsRecordedAt';

/**
 * What a marker stores: when it was taken, then (once every count it guards is made) that time followed by
 * {@link COUNTED}. A delivery that finds it counted counts nothing, so the counts' marks can leave their counter items
 * (shared/stores/count-marks.ts) instead of staying there for the mark window: a counter every incident of a busy
 * repository writes otherwise carried one mark per incident of the last hours, and every write of it rewrote them all.
 */
const COUNTED = ' counted';

/** The stored value of a marker taken at `at` whose counts are all made. */
export function countedClaimValue(at: Date): string {
  return `${at.toISOString()}${COUNTED}`;
}

/** A stored marker's value read: when it was taken and whether its counts are all made; null when none is stored. */
export function readClaimValue(value: unknown): { at: Date; counted: boolean } | null {
  if (typeof value !== 'string') return null;
  const counted = value.endsWith(COUNTED);
  return { at: new Date(counted ? value.slice(0, -COUNTED.length) : value), counted };
}

/** What a knowledge lookup reads of an earlier incident with the same fingerprint (`summarizeHistory`). */
export const HISTORY_FIELDS = ['id', 'fingerprint', 'createdAt', 'status', 'decision', 'timeToRecoverySeconds', 'branch', 'runUrl'] as const;
export type IncidentHistoryEntry = Pick<Incident, (typeof HISTORY_FIELDS)[number] | 'fromFork' | 'runEvent' | 'repository' | 'repositoryId' | 'runId' | 'resolvedBy'>;

export function newIncident(
  fields: Pick<Incident, 'id' | 'source'> & Partial<Incident>,
  now: Date,
): Incident {
  const at = now.toISOString();
  return {
    status: 'received',
    repository: null,
    repositoryId: null,
    branch: null,
    headSha: null,
    workflowName: null,
    workflowId: null,
    runId: null,
    runAttempt: null,
    runUrl: null,
    pullRequest: null,
    installationId: null,
    checkRun: null,
    alarm: null,
    category: null,
    fingerprint: null,
    template: null,
    failureLines: [],
    jobs: [],
    evidence: null,
    knowledge: null,
    analysis: null,
    decision: null,
    notifications: [],
    stageErrors: [],
    history: [{ at, event: 'received' }],
    createdAt: at,
    updatedAt: at,
    failedAt: at,
    resolvedAt: null,
    timeToRecoverySeconds: null,
    resolvedBy: null,
    ...fields,
  };
}

/**
 * Events whose runs GitHub reports with this repository as the head while the workflow, running with the
 * repository's secrets, may check out a pull request's fork or use its artifacts: `pull_request_target`,
 * `issue_comment` (a `/deploy`-style command on a PR) and `workflow_run` (a follow-up to a fork's run).
 */
const RUNS_FORK_CODE_AS_BASE: ReadonlySet<string> = new Set(['pull_request_target', 'issue_comment', 'workflow_run']);

/**
 * Whether a run of this event may run a fork's code while GitHub names this repository (and its base branch) as
 * its head ({@link RUNS_FORK_CODE_AS_BASE}). Such a run speaks neither for the repository's incidents nor for its
 * branch: not as the green run of a job's normal log, nor as the base branch's latest state, nor as a recovery.
 */
export function runsForkCodeAsBase(event: string | null | undefined): boolean {
  return RUNS_FORK_CODE_AS_BASE.has(event ?? '');
}

/**
 * Whether the failing run may have run a fork's code: a GitHub incident whose head repository is not known to be
 * this one (a check suite with no head branch and no pull request, or an incident stored before the field
 * existed), or a run of an event in {@link RUNS_FORK_CODE_AS_BASE}. Such a run gets no automatic action. Paging
 * asks the opposite question (see `routeEscalation`).
 */
export function fromUntrustedHead(incident: Pick<Incident, 'source' | 'fromFork' | 'runEvent'>): boolean {
  if (incident.source !== 'github') return false;
  return incident.fromFork !== false || runsForkCodeAsBase(incident.runEvent);
}

/**
 * Whether an incident ran this repository's code and workflow, so that a writer's vote on it may teach the knowledge
 * base. A fork's pull request runs the fork's code and workflow, whose author chooses the job names, the log and so
 * the fingerprint; so may a run of an event in {@link RUNS_FORK_CODE_AS_BASE}, where the event is known (incidents
 * stored before it was kept carry none). Unknown origin still counts: learning is not an action. What a run itself
 * shows (seen, recovered, failed again, flaky) teaches only when no outsider can repeat it either
 * ({@link outsiderCanRepeat}).
 */
export function countsAsEvidence(incident: Pick<Incident, 'fromFork'> & { runEvent?: string | null }): boolean {
  return incident.fromFork !== true && !runsForkCodeAsBase(incident.runEvent);
}

/**
 * Events any GitHub user can cause in a public repository, as often as they like: a run of the repository's own
 * code, but one whose failures an outsider can repeat (a workflow on `issues` that fails on each new issue), with a
 * log that may quote what they wrote.
 */
const ANYONE_CAN_CAUSE: ReadonlySet<string> = new Set([
  'issues', 'issue_comment', 'discussion', 'discussion_comment', 'watch', 'fork', 'gollum',
  'pull_request_review', 'pull_request_review_comment',
]);

/**
 * Whether an outsider can make this incident's run fail again and again: a run that does not count as evidence
 * ({@link countsAsEvidence}), or one of an event anyone can cause ({@link ANYONE_CAN_CAUSE}). Such runs draw on the
 * outsiders' model budget, their escalations are keyed by what the repository decides (its workflow), not by what
 * their logs say, and they teach the learning loop nothing: no flaky evidence for the repository's jobs (a failure
 * then a passing re-run on one commit, as the outsider times them), no knowledge-base entry, no action's outcome, no
 * fix outcome, no history of what fixed it, no experiment arm.
 */
export function outsiderCanRepeat(incident: Pick<Incident, 'fromFork'> & { runEvent?: string | null }): boolean {
  return !countsAsEvidence(incident) || anyoneCanCause(incident.runEvent);
}

/** Whether any GitHub user can start a run of this event ({@link ANYONE_CAN_CAUSE}), whenever they like. */
export function anyoneCanCause(event: string | null | undefined): boolean {
  return ANYONE_CAN_CAUSE.has(event ?? '');
}

/**
 * Whether an outsider may decide how a run of this event, reported with this repository as its head, turns out:
 * it may run their code ({@link runsForkCodeAsBase}), or they start it when they like ({@link anyoneCanCause}), and a
 * workflow's jobs are often conditional on the event. Such a run is neither a recovery of the branch's own failures
 * nor the branch's state.
 */
export function outsiderDecidesRun(event: string | null | undefined): boolean {
  return runsForkCodeAsBase(event) || anyoneCanCause(event);
}
