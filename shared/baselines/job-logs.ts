/**
 * Green-run baselines per (repository, workflow, job): the templates of the lines a passing run of the same job
 * printed, so classify ranks a failing job's normal noise below what is new (see shared/logs/baseline.ts).
 *
 * Fetched when a failure needs one, not on every green webhook: the newest successful run of the workflow on the
 * base branch is looked up (one API call), its job of the same name downloaded (bounded), and the result cached
 * in the baselines table. A cached baseline is reused for {@link REFRESH_MS}; after that it is replaced only when
 * a newer green run exists. GitHub's budget is spent on the jobs that fail, at most once per job and interval.
 * Any error leaves the failure without a baseline — never without an analysis.
 */
import { LogBaseline } from '../logs/baseline.js';
import type { GitHubPort, RepoRef } from '../ports.js';
import type { StepLogger } from '../ports.js';
import type { BaselineStore } from './store.js';

/** How long a stored baseline is used before a newer green run is looked for. */
export const REFRESH_MS = 6 * 60 * 60 * 1000;
/** A green log is read up to this many bytes: the noise of a job shows in its first tens of megabytes. */
export const MAX_GREEN_LOG_BYTES = 32 * 1024 * 1024;

export interface JobBaselineRequest {
  repo: RepoRef;
  /** `owner/name`. */
  repository: string;
  workflowId: number | null;
  /** Part of the storage key; the workflow id when known, else its name. */
  workflow: string;
  job: string;
  /** The branch whose green runs define "normal" (the repository's default branch). */
  branch: string | null;
}

export interface JobBaselineDeps {
  github: Pick<GitHubPort, 'latestSuccessfulRun' | 'listSucceededJobs' | 'openJobLog'>;
  store: Pick<BaselineStore, 'jobLogBaseline' | 'saveJobLogBaseline'>;
  clock: () => Date;
  logger: StepLogger;
  maxBytes?: number;
}

export async function baselineForJob(request: JobBaselineRequest, deps: JobBaselineDeps): Promise<LogBaseline | null> {
  try {
    const stored = await deps.store.jobLogBaseline(request.repository, request.workflow, request.job);
    const age = stored ? deps.clock().getTime() - Date.parse(stored.at) : Number.POSITIVE_INFINITY;
    if (stored && age < REFRESH_MS) return new LogBaseline(stored.hashes);
    if (request.workflowId === null || !request.branch) return stored ? new LogBaseline(stored.hashes) : null;

    const green = await deps.github.latestSuccessfulRun(request.repo, request.workflowId, request.branch);
    if (!green || green.id === stored?.runId) {
      if (stored) await deps.store.saveJobLogBaseline(request.repository, request.workflow, request.job, { ...stored, at: deps.clock().toISOString() });
      return stored ? new LogBaseline(stored.hashes) : null;
    }
    const jobs = await deps.github.listSucceededJobs(request.repo, green.id, green.attempt);
    const twin = jobs.find((job) => job.name === request.job);
    if (!twin) return stored ? new LogBaseline(stored.hashes) : null;
    const log = await deps.github.openJobLog(request.repo, twin.id);
    if (!log) return stored ? new LogBaseline(stored.hashes) : null;
    const baseline = await LogBaseline.fromLog(log, { maxBytes: Math.min(deps.maxBytes ?? MAX_GREEN_LOG_BYTES, MAX_GREEN_LOG_BYTES) });
    await deps.store.saveJobLogBaseline(request.repository, request.workflow, request.job, {
      hashes: baseline.toJSON(),
      runId: green.id,
      at: deps.clock().toISOString(),
    });
    deps.logger.info('green-run baseline stored', { repository: request.repository, job: request.job, runId: green.id, templates: baseline.size });
    return baseline;
  } catch (error) {
    deps.logger.warn('green-run baseline unavailable', { repository: request.repository, job: request.job, error: String(error) });
    return null;
  }
}
