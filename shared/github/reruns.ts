/** Re-running a run's failed jobs (remediate), once, whatever retries and redeliveries ask. */
import { GitHubUnavailableError } from '../errors.js';
import type { GitHubPort, RepoRef } from '../ports.js';
import { retryBackoffMs } from './comment-timing.js';
import { type GitHubRest, parseBody, sleep } from './rest.js';
import { workflowRunSchema } from './schemas.js';

export type RerunsPort = Pick<GitHubPort, 'rerunFailedJobs'>;

export function rerunsOf(rest: GitHubRest): RerunsPort {
  const { call, acquire, retries, unitMs } = rest;

  async function readRun(repo: RepoRef, runId: number) {
    const what = `read run ${runId} in ${repo.owner}/${repo.repo}`;
    const response = await call(what, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: repo.owner,
      repo: repo.repo,
      run_id: runId,
    });
    return parseBody(workflowRunSchema, response, what);
  }

  return {
    async rerunFailedJobs(repo, runId, rerunOptions = {}) {
      const what = `re-run failed jobs of run ${runId} in ${repo.owner}/${repo.repo}`;
      const before = await readRun(repo, runId);
      // A run that is not completed is already being re-run (possibly by an earlier try of this very step);
      // GitHub would refuse a second re-run, and we must not queue one after it finishes.
      if (before.status && before.status !== 'completed') return 'already_rerun';
      // A completed run past the attempt that failed was re-run already (by an earlier try of this step whose
      // re-run has finished by now, or by a person): re-running it again would be a second re-run.
      const expected = rerunOptions.expectedAttempt;
      if (expected !== undefined && (before.run_attempt ?? expected) > expected) return 'already_rerun';
      let lastError: unknown;
      for (let attempt = 0; attempt <= retries; attempt += 1) {
        if (attempt > 0) {
          await sleep(retryBackoffMs(unitMs, attempt));
          // The failed POST may have been applied: a new attempt number or a run no longer completed says so. That
          // re-run is the one this call asked for, not somebody else's (read so, Notify paged on-call for it).
          const now = await readRun(repo, runId);
          const advanced = (now.run_attempt ?? 0) > (before.run_attempt ?? 0);
          if (advanced || (now.status && now.status !== 'completed')) return 'requested';
        }
        await acquire('rerun');
        try {
          await call(what, 'POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs', {
            owner: repo.owner,
            repo: repo.repo,
            run_id: runId,
            // Sent only when asked for: false is GitHub's default, and an absent field keeps the request as before.
            ...(rerunOptions.enableDebugLogging ? { enable_debug_logging: true } : {}),
            request: { retries: 0 },
          });
          return 'requested';
        } catch (error) {
          if (!(error instanceof GitHubUnavailableError)) throw error;
          lastError = error;
        }
      }
      throw lastError;
    },

  };
}
