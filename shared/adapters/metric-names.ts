/**
 * Business metrics every stage emits (CloudWatch namespace {@link METRICS_NAMESPACE} through the embedded metric
 * format; `pipeline_guard_<snake_case>` in the local runtime's Prometheus text). The CloudWatch dashboard in the
 * stack charts exactly these names.
 */
export const METRICS_NAMESPACE = 'PipelineGuard';

/**
 * The `service` dimension of every metric (POWERTOOLS_SERVICE_NAME) unless configured otherwise. Two stacks in one
 * account and region share the namespace, so each stack but the default one sets its own (infra/stack.ts), and
 * its CloudWatch dashboard charts only its own.
 */
export const DEFAULT_METRICS_SERVICE = 'pipeline-guard';

export const METRIC = {
  /** Classify: one per incident, dimensions source and category. */
  incidents: 'Incidents',
  /** Notify: seconds from the failure to the first PR comment or escalation that reached someone. */
  timeToFirstComment: 'TimeToFirstComment',
  /** Outcome recording: seconds from the failure to recovery. */
  timeToRecovery: 'TimeToRecovery',
  /** Remediate: automatic actions started / reported done, dimension kind (the action). */
  actionsAttempted: 'ActionsAttempted',
  actionsSucceeded: 'ActionsSucceeded',
  /** Notify: escalations published to on-call. */
  escalations: 'Escalations',
  /** Analyze: model tokens and estimated cost, dimension provider. */
  llmInputTokens: 'LlmInputTokens',
  llmOutputTokens: 'LlmOutputTokens',
  llmCostUsd: 'LlmCostUsd',
  /** Analyze: failures an outsider controls analysed offline because their model budget was spent. */
  outsiderModelBudgetSpent: 'OutsiderModelBudgetSpent',
  /**
   * Quality gate: passing runs of a default branch left out of its baseline because GitHub did not confirm their
   * commit is on it, dimension reason (off_branch, unknown_commit, no_github_access, github_unavailable).
   */
  gateRunsUnverified: 'GateRunsUnverified',
} as const;

/**
 * Metrics only the reconciler emits (shared/reconcile), apart from {@link METRIC}: a bundle carries the whole of an
 * object it uses, so in METRIC these names would fill every stage's bundle too (classify has under 2 KB of room).
 */
export const RECONCILER_METRIC = {
  /** Digests of escalation windows that ended with repeats no page reported. */
  digests: 'EscalationDigests',
  /** Digests whose send kept failing, given up (shared/reconcile/digests.ts). */
  digestsAbandoned: 'EscalationDigestsAbandoned',
  /**
   * Incidents re-driven, and those it escalated instead (re-drive or start budget spent, start refused,
   * the notify function failed on them).
   */
  redriven: 'IncidentsRedriven',
  redriveExhausted: 'IncidentsRedriveExhausted',
  /**
   * Incidents whose re-drive or escalation kept failing, given up (paged through the fallback escalation
   * when that works; see shared/reconcile/redrive.ts).
   */
  redrivesAbandoned: 'IncidentRedrivesAbandoned',
  /**
   * Of those, the ones whose page failed too: recorded given up and paged to nobody. Alarmed at once (infra/stack.ts):
   * the one run that fails on such an incident is short of the reconciler-errors alarm's three in a row.
   */
  givenUpUnpaged: 'IncidentsGivenUpUnpaged',
  /** Vote changes left pending by a crash whose finish kept failing, given up (shared/reconcile/pending-votes.ts). */
  pendingVotesAbandoned: 'PendingVoteChangesAbandoned',
  /**
   * Recorded `/guard` decisions whose resume kept failing, given up: their executions wait out the approval timeout
   * (shared/reconcile/approval-resumes.ts).
   */
  approvalResumesAbandoned: 'ApprovalResumesAbandoned',
  /** Late reads of reactions that kept failing, given up (shared/reconcile/late-reactions.ts). */
  lateReactionReadsAbandoned: 'LateReactionReadsAbandoned',
  /** Recoveries whose follow-ups the reconciler's backstop kept failing at, given up (shared/reconcile/recovery-follow-ups.ts). */
  recoveryFollowUpsAbandoned: 'RecoveryFollowUpsAbandoned',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC] | (typeof RECONCILER_METRIC)[keyof typeof RECONCILER_METRIC];
