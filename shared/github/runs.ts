/**
 * Reading a failed run: its jobs and their logs, its check-run annotations, the newest run of a workflow on a
 * branch, the pull requests of its commit, and whether a branch contains that commit (classify, ingest, the baselines).
 */
import { GitHubUnavailableError } from '../errors.js';
import { outsiderDecidesRun } from '../domain/incident.js';
import type { CommitPullRequest } from '../domain/commit-pull-request.js';
import type { CheckAnnotation, FailedJob, JobLogStream, RepoRef, RunReadingGitHubPort } from '../ports.js';
import { GitHubRequestError, toGitHubError } from './errors.js';
import { cappedStream } from './log-stream.js';
import { listingsOf } from './listings.js';
import { API_HEADERS, type GitHubRest, type OctokitResult, parseBody, withStepSignal } from './rest.js';
import { annotationsPageSchema, commitComparisonSchema, jobsPageSchema, pullsPageSchema, workflowRunsPageSchema } from './listing-schemas.js';

export type RunReadsPort = RunReadingGitHubPort;

/** Conclusions that make a job worth analysing; `success`, `skipped` and `neutral` are not failures. */
const FAILED_CONCLUSIONS = new Set(['failure', 'timed_out', 'cancelled', 'startup_failure']);

/** Page bounds (100 items a page): enough for any real run or PR, and a hard stop for a runaway listing. */
const MAX_JOB_PAGES = 10;
const MAX_ANNOTATION_PAGES = 5;
const MAX_PULL_PAGES = 3;

async function* emptyLog(): AsyncGenerator<Uint8Array, void, undefined> {}

/**
 * `stream` with the size a response announced (its Content-Length), when that is a plain byte count: a hint for
 * the analyzer, from a header it does not trust for anything else.
 */
function withAnnouncedSize(stream: AsyncGenerator<Uint8Array, void, undefined>, contentLength: string | number | null | undefined): JobLogStream {
  const bytes = typeof contentLength === 'number' ? contentLength : /^\d{1,15}$/.test(contentLength ?? '') ? Number(contentLength) : Number.NaN;
  return Number.isSafeInteger(bytes) ? Object.assign(stream, { bytes }) : stream;
}

/** Runs one lookup of a branch's newest run reads: the newest of them not from a fork is taken (see newestRun). */
const NEWEST_RUN_PAGE = 20;

export function runReadsOf(rest: GitHubRest): RunReadsPort {
  const { octokit, call, scrub, timeoutMs, maxLogBytes, userAgent, fetchImpl, stepSignal } = rest;
  const { pages } = listingsOf(rest);

  async function listJobs(repo: RepoRef, runId: number, attempt: number, keep: (conclusion: string) => boolean): Promise<FailedJob[]> {
    const what = `list jobs of run ${runId} attempt ${attempt} in ${repo.owner}/${repo.repo}`;
    const route = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs';
    const params = { owner: repo.owner, repo: repo.repo, run_id: runId, attempt_number: attempt };
    const kept: FailedJob[] = [];
    for await (const page of pages(what, route, params, jobsPageSchema, MAX_JOB_PAGES)) {
      for (const job of page.jobs) {
        if (!job.conclusion || !keep(job.conclusion)) continue;
        // On GitHub Actions a job *is* a check run: same id, which the annotations endpoint takes.
        kept.push({
          id: job.id,
          name: job.name,
          htmlUrl: job.html_url ?? null,
          conclusion: job.conclusion,
          checkRunId: job.id,
          steps: (job.steps ?? []).map((step) => ({
            number: step.number,
            name: step.name,
            conclusion: step.conclusion ?? null,
            startedAt: step.started_at ?? null,
            completedAt: step.completed_at ?? null,
          })),
        });
      }
    }
    return kept;
  }

  /**
   * The newest run of a workflow on a branch with this status (`success`, `completed`, …), of the repository's own
   * code. The branch filter matches a run's head branch by name, and `exclude_pull_requests` only empties a run's
   * pull request list: a fork's pull request from its own `main` is a run "on main", whose log its author writes.
   * As the green run failure lines are compared with, it would let them hide the lines of this repository's next
   * failures; runs whose head repository is not this one are skipped.
   */
  async function newestRun(repo: RepoRef, workflowId: number, branch: string, status: string) {
    const what = `find the latest ${status} run of workflow ${workflowId} on ${branch} in ${repo.owner}/${repo.repo}`;
    const response = await call(what, 'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
      owner: repo.owner,
      repo: repo.repo,
      workflow_id: workflowId,
      branch,
      status,
      exclude_pull_requests: true,
      per_page: NEWEST_RUN_PAGE,
    });
    // The branch's own runs only: not a fork's pull request from a branch of the same name, nor a run that may run a
    // fork's code as this repository's or that anyone can start (an issue, a star, a review): its log is an
    // outsider's to write or steer, its result an outsider's to decide.
    const run = parseBody(workflowRunsPageSchema, response, what).workflow_runs.find(
      (candidate) =>
        candidate.repository?.id !== undefined && candidate.head_repository?.id === candidate.repository.id && !outsiderDecidesRun(candidate.event),
    );
    return run ? { id: run.id, attempt: run.run_attempt ?? 1, conclusion: run.conclusion ?? null, url: run.html_url ?? null } : null;
  }


  async function openStorage(location: URL, what: string): Promise<AsyncIterable<Uint8Array> | null> {
    if (location.protocol !== 'https:' && location.protocol !== 'http:') {
      throw new GitHubRequestError(`GitHub redirected to an unsupported scheme: ${what}`, 302);
    }
    // Names the host only: the query string of a pre-signed URL is a credential.
    const where = `${what} (storage ${location.host})`;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    timer.unref();
    let response: Response;
    try {
      // Deliberately no Authorization header: the URL is pre-signed, and the token must never reach storage hosts.
      response = await fetchImpl(location, {
        headers: { 'user-agent': userAgent },
        redirect: 'follow',
        signal: withStepSignal(controller.signal, stepSignal),
      });
    } catch (error) {
      throw new GitHubUnavailableError(`GitHub log storage unreachable: ${where}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) {
      return response.body
        ? withAnnouncedSize(cappedStream(response.body, { maxBytes: maxLogBytes, idleTimeoutMs: timeoutMs, what: where }), response.headers.get('content-length'))
        : emptyLog();
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.status === 404 || response.status === 410) return null;
    // 403 here is an expired signature (the URL lives about a minute); a retry fetches a fresh one.
    if (response.status >= 500 || response.status === 403 || response.status === 408 || response.status === 429) {
      throw new GitHubUnavailableError(`GitHub log storage failed (${response.status}): ${where}`);
    }
    throw new GitHubRequestError(`GitHub log storage refused (${response.status}): ${where}`, response.status);
  }

  return {
    async listFailedJobs(repo, runId, attempt) {
      return listJobs(repo, runId, attempt, (conclusion) => FAILED_CONCLUSIONS.has(conclusion));
    },

    async listSucceededJobs(repo, runId, attempt) {
      return listJobs(repo, runId, attempt, (conclusion) => conclusion === 'success');
    },

    async latestSuccessfulRun(repo, workflowId, branch) {
      const run = await newestRun(repo, workflowId, branch, 'success');
      return run ? { id: run.id, attempt: run.attempt } : null;
    },

    async latestCompletedRun(repo, workflowId, branch) {
      return newestRun(repo, workflowId, branch, 'completed');
    },

    /**
     * The stream is lazy: iterate it to the end or break out (either releases the connection); a stream that is
     * never iterated holds its connection until it is garbage-collected.
     */
    async openJobLog(repo, jobId) {
      const what = `download log of job ${jobId} in ${repo.owner}/${repo.repo}`;
      let response: OctokitResult;
      try {
        response = await octokit.request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs', {
          owner: repo.owner,
          repo: repo.repo,
          job_id: jobId,
          headers: API_HEADERS,
          // Take the 302 ourselves: fetch keeps the Authorization header on a same-origin redirect (GHES can serve
          // logs from its own host), and the token must not travel with a pre-signed URL. Leave any body unread.
          request: { redirect: 'manual', parseSuccessResponseBody: false },
        });
      } catch (error) {
        const mapped = toGitHubError(error, what, scrub);
        // Logs expire (90 days by default) or were deleted: not an error, the caller falls back to annotations.
        if (mapped instanceof GitHubRequestError && (mapped.status === 404 || mapped.status === 410)) return null;
        throw mapped;
      }
      const body = response.data as ReadableStream<Uint8Array> | null | undefined;
      if (response.status >= 300 && response.status < 400) {
        await body?.cancel().catch(() => undefined);
        const location = response.headers.location;
        if (!location) throw new GitHubUnavailableError(`GitHub redirected without a location: ${what}`);
        return openStorage(new URL(location, response.url), what);
      }
      // Some servers answer with the log itself; stream it the same way.
      return body ? withAnnouncedSize(cappedStream(body, { maxBytes: maxLogBytes, idleTimeoutMs: timeoutMs, what }), response.headers['content-length']) : emptyLog();
    },

    async listAnnotations(repo, checkRunId) {
      const what = `list annotations of check run ${checkRunId} in ${repo.owner}/${repo.repo}`;
      const route = 'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations';
      const params = { owner: repo.owner, repo: repo.repo, check_run_id: checkRunId };
      const annotations: CheckAnnotation[] = [];
      for await (const page of pages(what, route, params, annotationsPageSchema, MAX_ANNOTATION_PAGES)) {
        for (const annotation of page) {
          annotations.push({
            path: annotation.path ?? '',
            startLine: annotation.start_line ?? null,
            level: annotation.annotation_level ?? 'notice',
            message: annotation.message ?? '',
          });
        }
      }
      return annotations;
    },

    async findPullRequestsForCommit(repo, sha, headRepositoryId) {
      const what = `list pull requests of commit ${sha} in ${repo.owner}/${repo.repo}`;
      const route = 'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls';
      const params = { owner: repo.owner, repo: repo.repo, commit_sha: sha };
      const found = new Map<number, CommitPullRequest>();
      try {
        for await (const page of pages(what, route, params, pullsPageSchema, MAX_PULL_PAGES)) {
          for (const pull of page) {
            // The endpoint also lists merged PRs that contain the commit and open PRs built on top of it; only
            // an open PR whose head is this commit is the one the failed run belongs to, and only one from the
            // run's head repository: a stranger's fork can open one at this repository's commit too.
            const head = pull.head;
            if (pull.state !== 'open' || head?.sha.toLowerCase() !== sha.toLowerCase()) continue;
            if (headRepositoryId !== null && head.repo?.id !== headRepositoryId) continue;
            if (!found.has(pull.number)) found.set(pull.number, { number: pull.number, headRepositoryId: head.repo?.id ?? null });
          }
        }
      } catch (error) {
        // 422 "No commit found for SHA": a commit GitHub does not know has no pull requests.
        if (error instanceof GitHubRequestError && error.status === 422) return [];
        throw error;
      }
      return [...found.values()];
    },


    async commitOnBranch(repo, branch, sha) {
      const what = `compare ${sha.slice(0, 12)} with ${branch} in ${repo.owner}/${repo.repo}`;
      try {
        const response = await call(what, 'GET /repos/{owner}/{repo}/compare/{basehead}', {
          owner: repo.owner,
          repo: repo.repo,
          basehead: `${branch}...${sha}`,
          // Only the status is read: one commit a page keeps the listing GitHub sends with it short.
          per_page: 1,
        });
        const comparison = parseBody(commitComparisonSchema, response, what);
        if (comparison.status === 'ahead' || comparison.status === 'diverged') return { status: 'off_branch' };
        // The branch's head is `sha` (identical) or a descendant of it (behind), so their merge base is the commit
        // itself, by its full name: one that does not begin with what was asked is not an answer about it.
        const resolved = comparison.merge_base_commit.sha;
        if (!resolved.startsWith(sha.toLowerCase())) {
          throw new GitHubRequestError(`GitHub answered with an unexpected body: ${what}: merge base ${resolved.slice(0, 12)} is not the commit asked about`, response.status);
        }
        return { status: 'on_branch', sha: resolved };
      } catch (error) {
        if (error instanceof GitHubRequestError && error.status === 404) return { status: 'unknown_commit' };
        throw error;
      }
    },

  };
}
