import type { AnalyzerOverrides } from '../analysis/providers.js';
import type { Config } from '../config.js';
import type { Analyzer, Clock, EscalationLedger, EscalationPublisher, GitHubClients, Metrics, ModelRequestLedger, RemediationGitHubPort, OutsiderModelBudgets, RerunLedger, RunReadingGitHubPort, Sleep, StepLogger, WriteLimiter } from '../ports.js';
import type { IncidentRecords, IncidentStore, OwnIncidentRecords } from '../stores/incident-store.js';
import type { GreenRunNotes } from '../stores/green-run-notes.js';
import type { PermissionCache } from '../github/permission-cache.js';
import type { Learning } from '../knowledge/learning.js';
import type { AnalysisCosts } from '../experiments/analysis-cost.js';
import type { FailureBaselines } from '../baselines/store.js';
import type { ApprovalIndex } from '../remediation/approvals.js';
import type { ApprovalResumes } from '../stores/approval-resumes.js';
import type { GuardStore } from '../remediation/guard-store.js';
import type { PolicyFile } from '../remediation/policy.js';
import type { RunbookRunner } from '../remediation/runbook-runner.js';
import type { EpisodeRunbookClaims, RunbookChecks } from '../stores/runbook-checks.js';
import type { DeploymentHome, RunbookMapping } from '../remediation/runbooks.js';

/** The remediation ports: what remediate needs beyond the common ones, and the pending approvals notify keeps. */
export interface RemediationDeps {
  policyFile: PolicyFile;
  /** The runbook allow-list: alarm name prefix → Automation document. */
  runbooks: RunbookMapping[];
  /** Where the runbooks run: only this account's and region's alarms may start one. */
  deployment: DeploymentHome;
  guards: GuardStore;
  /** Proposals waiting for `/guard approve` per pull request. */
  approvals: ApprovalIndex;
  runner: RunbookRunner;
  /** Runbooks that reported success, for the reconciler to check that their alarm recovered. */
  runbookChecks: RunbookChecks;
  /** Which incident of an alarm episode starts its runbook: one, however many are remediated at once. */
  episodeRunbooks: EpisodeRunbookClaims;
}

/** Everything a pipeline step may touch, chosen once by a composition root (AWS or local). */
export interface StepDeps {
  config: Config;
  incidents: IncidentStore;
  /** Each scope's latest green run, for a failure delivered after it (shared/stores/green-run-notes.ts). */
  greenRuns: GreenRunNotes;
  /**
   * GitHub access for an incident's App installation (`github.forInstallation(incident.installationId)`); null
   * from it when no credentials are configured (the step then degrades, never fails).
   */
  github: GitHubClients;
  /** Automatic re-runs claimed per (workflow, head SHA), shared by all executions. */
  reruns: RerunLedger;
  analyzer: Analyzer;
  /** Deterministic analyzer used when the configured provider failed. */
  fallbackAnalyzer: Analyzer;
  /**
   * The configured provider with an experiment arm's model, prompt template or input budget; null (or absent)
   * when the provider takes none of them (the offline analyzer).
   */
  analyzerFor?: (overrides: AnalyzerOverrides) => Analyzer | null;
  /**
   * Model analyses per hour of failures an outsider controls (`drawsOnOutsiderModelBudget`), and each repository's
   * share of them, shared by all executions; past either they are analysed offline.
   */
  outsiderModelBudget: OutsiderModelBudgets;
  /** Model requests per incident, across every attempt of its analysis (`MODEL_REQUESTS_PER_INCIDENT`). */
  modelRequests: ModelRequestLedger;
  escalations: EscalationPublisher;
  /** One open escalation per problem and window (counts of repeats), shared by all executions. */
  escalationLedger: EscalationLedger;
  /** Decisions for the reconciler to resume: an e-mailed answer carried over to another firing (shared/notify/approval-carry.ts). */
  approvalResumes: Pick<ApprovalResumes, 'schedule'>;
  /**
   * Repository permissions asked of GitHub, kept by this process a while when they deny write access
   * (shared/github/permission-cache.ts): whether the actor who started a run is a writer picks its escalation key.
   */
  permissions: PermissionCache;
  clock: Clock;
  /** Waits on {@link StepDeps.clock}: a Notify's wait for the holder of its problem's request (shared/notify/approval-groups.ts). */
  sleep: Sleep;
  logger: StepLogger;
  /**
   * Knowledge base, experiments and baselines (shared/knowledge/learning.ts). Optional so a step test without
   * tables still runs; knowledge lookup then reports the incident history only.
   */
  learning?: Learning;
  remediation: RemediationDeps;
  /** Business metrics (EMF in AWS; locally also Prometheus text). */
  metrics: Metrics;
  /**
   * This invocation's deadline (the Lambda's remaining time minus a margin; set by the handler wrapper, absent in
   * unit tests). Steps pass it to every outbound request (`github.forInstallation(id, signal)`, the analyzer), so
   * an attempt the state machine timed out stops its requests instead of running beside its retry.
   */
  signal?: AbortSignal;
  /**
   * When this invocation ends at the latest (ms since the epoch: Lambda's own timeout, set by the handler wrapper,
   * absent in unit tests): an approval request's Notify records it, so a later request of its problem knows how long
   * it may still decide (attack-46a A4).
   */
  invocationEndsAt?: number;
}

export const silentLogger: StepLogger = { info() {}, warn() {}, error() {} };

/*
 * What each stage uses of StepDeps. Its Lambda builds only these ports (shared/runtime/deps.ts), so a bundle
 * carries neither the AWS clients nor the libraries of ports its stage never touches.
 */
/**
 * Classify reads and records baselines only (green-run templates, flaky evidence): its Lambda carries no knowledge
 * lookup, experiments or injection detector.
 */
export type ClassifyDeps = Pick<StepDeps, 'config' | 'clock' | 'logger' | 'metrics' | 'signal'> & {
  /** Whether what supersedes a failure is on record: the one read of the green-run notes classify makes. */
  greenRuns: Pick<GreenRunNotes, 'laterOnRecord'>;
  /** Reads a failed run and never writes: its Lambda carries no comment slots and no GitHub writes. */
  github: GitHubClients<RunReadingGitHubPort>;
  /** Its own incident by id (and an alarm's OK mark): classify lists none, so its Lambda carries no index queries. */
  incidents: IncidentRecords;
  learning?: { baselines: FailureBaselines };
};
export type KnowledgeLookupDeps = Pick<StepDeps, 'incidents' | 'clock' | 'logger' | 'learning'>;
/** Analyze charges an analysis's cost to its experiment arm and uses nothing else of the learning loop. */
export type AnalyzeDeps = Pick<
  StepDeps,
  'config' | 'analyzer' | 'fallbackAnalyzer' | 'analyzerFor' | 'outsiderModelBudget' | 'modelRequests' | 'clock' | 'logger' | 'metrics' | 'signal'
> & {
  /** Its own incident, by id: analyze lists and searches none, so its Lambda carries no index queries. */
  incidents: IncidentRecords;
  learning?: AnalysisCosts;
};
/**
 * Remediate runs the offline analysis itself when the analyze stage failed. It re-runs and opens fix PRs but never
 * comments and never reads the pending approvals (notify and ingest do): neither the comment slots nor the approval
 * index are built into its Lambda. Of the incidents' indexes it queries one: an alarm's open incidents.
 */
export type RemediateDeps = Pick<StepDeps, 'config' | 'reruns' | 'fallbackAnalyzer' | 'clock' | 'logger' | 'metrics' | 'signal'> & {
  /**
   * Its own incident, by id, and an alarm's open incidents (whether an earlier one of the same unbroken episode runs
   * its runbook already): remediate searches nothing else.
   */
  incidents: OwnIncidentRecords & Pick<IncidentStore, 'listOpenInScope'>;
  github: GitHubClients<RemediationGitHubPort>;
  remediation: RemediateRemediationDeps;
};
/** What remediate uses of {@link RemediationDeps}. */
export type RemediateRemediationDeps = Omit<RemediationDeps, 'approvals'>;
/** Notify reads the policy file and the pending approvals, never runs runbooks or touches guard counters. */
export type NotifyDeps = Pick<
  StepDeps,
  'config' | 'incidents' | 'github' | 'reruns' | 'escalations' | 'escalationLedger' | 'approvalResumes' | 'permissions' | 'clock' | 'sleep' | 'logger' | 'metrics' | 'signal' | 'invocationEndsAt'
> & {
  remediation: Pick<RemediationDeps, 'policyFile' | 'approvals'>;
  /**
   * The budget share of comments on runs an outsider can repeat, for the incident's installation (see `outsiderShareOf`);
   * absent where GitHub writes have no budget (the recorded stand-in, tests).
   */
  outsiderWrites?: (installationId: number | null) => WriteLimiter | null;
};
