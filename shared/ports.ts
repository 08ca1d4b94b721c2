/**
 * Ports: every outside system Pipeline Guard talks to, as a small interface. Each has an AWS adapter and a
 * local one; `shared/runtime/deps.ts` (AWS) and `infra/local/` (embedded runtime) choose between them.
 */
import type { AlarmDetails, KnowledgeSummary, RemediationAction } from './domain/incident.js';
import type { Category, LogLine } from './logs/types.js';

export interface RepoRef {
  owner: string;
  repo: string;
}

export interface FailedJob {
  id: number;
  name: string;
  /** Link to the job on GitHub. */
  htmlUrl: string | null;
  conclusion: string | null;
  /** The job's check-run id (equal to the job id on GitHub Actions); used for annotations. */
  checkRunId: number;
}

export interface CheckAnnotation {
  path: string;
  startLine: number | null;
  level: string;
  message: string;
}

export type CommentOutcome = 'created' | 'updated' | 'unchanged';

export interface GitHubPort {
  /** Jobs of one run attempt that did not succeed (failure, timed_out, cancelled, startup_failure). */
  listFailedJobs(repo: RepoRef, runId: number, attempt: number): Promise<FailedJob[]>;
  /**
   * Opens a job's log as a byte stream (the API answers with a redirect to storage; it is followed).
   * Resolves to null when the log is gone or not available (404, 410).
   */
  openJobLog(repo: RepoRef, jobId: number): Promise<AsyncIterable<Uint8Array> | null>;
  /** Check-run annotations, the fallback evidence when a log is unavailable. */
  listAnnotations(repo: RepoRef, checkRunId: number): Promise<CheckAnnotation[]>;
  /** Open pull requests whose head is this commit (works for forks, where the payload's list is empty). */
  findPullRequestsForCommit(repo: RepoRef, sha: string): Promise<number[]>;
  /**
   * Creates the bot's comment on an issue/PR, or updates it in place. The comment is found by `marker`
   * *and* authored by the bot itself; an identical body is left alone.
   */
  upsertComment(
    repo: RepoRef,
    issueNumber: number,
    marker: string,
    body: string,
  ): Promise<{ outcome: CommentOutcome; commentId: number; url: string | null }>;
  /** Re-runs the failed jobs of a run (POST .../rerun-failed-jobs). */
  rerunFailedJobs(repo: RepoRef, runId: number): Promise<void>;
}

export interface EscalationMessage {
  subject: string;
  /** Plain text, reads well as an email: summary first, then links and what was tried. */
  message: string;
  /** Message attributes subscribers can filter on: severity, repository, category, source. */
  attributes: Record<string, string>;
}

export interface EscalationPublisher {
  publish(message: EscalationMessage): Promise<{ messageId: string }>;
}

export interface WorkflowStarter {
  /**
   * Starts one workflow execution. `name` is deterministic for a failure, so a second start with the same
   * name starts nothing and reports `alreadyStarted`.
   */
  start(name: string, input: unknown): Promise<{ executionId: string; alreadyStarted: boolean }>;
}

/** What an analyzer sees. Every text field is already redacted. */
export interface AnalysisInput {
  incidentId: string;
  source: 'github' | 'cloudwatch';
  repository: string | null;
  workflowName: string | null;
  branch: string | null;
  category: Category | null;
  failureLines: LogLine[];
  /** Per job: name and the failure lines with their rule names. */
  jobs: Array<{ name: string; category: Category; rules: string[]; lines: LogLine[] }>;
  alarm: AlarmDetails | null;
  knowledge: KnowledgeSummary | null;
}

export interface AnalysisResult {
  rootCause: string;
  fix: string[];
  confidence: number;
  proposedAction: RemediationAction;
  rationale: string;
  /** Log lines quoted from the excerpt that support the root cause. */
  evidence: string[];
  provider: string;
  model: string | null;
}

export interface Analyzer {
  readonly provider: string;
  analyze(input: AnalysisInput): Promise<AnalysisResult>;
}

/** Time is a dependency so tests and the demo control it. */
export type Clock = () => Date;
