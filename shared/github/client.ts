/**
 * The GitHub REST adapter behind `GitHubPort`: github.com or GitHub Enterprise Server (`GITHUB_API_URL`).
 *
 * Octokit core with two plugins: `plugin-retry` repeats 5xx/network failures with backoff, `plugin-throttling`
 * paces writes and waits out rate limits (honouring `retry-after`). Both are bounded; what is left over surfaces
 * as `GitHubUnavailableError`, which the state machine retries, or `GitHubRequestError`, which it does not.
 *
 * It authenticates with a token or as one GitHub App installation (`@octokit/auth-app`: a JWT from the App key is
 * exchanged for an installation token, cached until shortly before it expires; see `clients.ts` for the factory
 * that picks the installation of each incident). Content-creating requests first take a unit from the shared
 * write budget (`writeLimiter`, DynamoDB), which throws the retryable `WriteBudgetExhaustedError` when spent.
 *
 * Non-idempotent writes (creating a comment, re-running jobs) are never repeated blindly: automatic retries are
 * off for them, and after an ambiguous failure (a 5xx or a dropped connection, where GitHub may have applied the
 * write before failing) the client looks at GitHub's state before trying again.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import type * as z from '../zod.js';
import { outsiderDecidesRun } from '../domain/incident.js';
import type { CommitPullRequest } from '../domain/commit-pull-request.js';
import { ConfigError, GitHubUnavailableError, ValidationError } from '../errors.js';
import type { BeforePage, CheckAnnotation, CommentReaction, CommentOutcome, FailedJob, FixPullRequest, GitHubPort, JobLogStream, RepoRef, RepositoryRole, WriteLimiter } from '../ports.js';
import { createInstallationTokenCache, type GitHubAppCredentials, type InstallationTokenCache } from './app-auth.js';
import { fitCommentBody, MAX_MARKER_CHARS } from './comment-limit.js';
import { COMMENT_POST_TIMEOUT_MS, type CommentTiming, commentCreationBoundMs, DEFAULT_RETRY_BASE_DELAY_MS, retryBackoffMs } from './comment-timing.js';
import { GitHubRequestError, oneLine, rateLimitWaitSeconds, toGitHubError } from './errors.js';
import { cappedStream } from './log-stream.js';
import { createPacer } from './pacer.js';
import { nextPageQuery } from './pagination.js';
import {
  annotationsPageSchema,
  type Comment,
  commentSchema,
  commentsPageSchema,
  jobsPageSchema,
  workflowRunsPageSchema,
  pullsPageSchema,
  appSchema,
  collaboratorsPageSchema,
  commitComparisonSchema,
  userSchema,
  workflowRunSchema,
  fileContentSchema,
  gitCommitSchema,
  gitObjectSchema,
  gitTreeSchema,
  labelsPageSchema,
  reactionsPageSchema,
  pullRequestListSchema,
  pullRequestSchema,
} from './schemas.js';

export { GitHubRequestError } from './errors.js';
export { GITHUB_COMMENT_MAX_CHARS } from './comment-limit.js';

/** A GitHub App installation to act as: the App's id and key, and the installation from the webhook payload. */
export interface GitHubAppInstallationAuth extends GitHubAppCredentials {
  installationId: number;
  /** Installation tokens, shared by the clients of one process; default: one cache per client. */
  tokenCache?: InstallationTokenCache;
}

export interface GitHubClientOptions {
  /** A token (PAT, fine-grained or Actions). Exactly one of `token` and `app`. */
  token?: string;
  /** Act as a GitHub App installation: installation tokens are fetched with a JWT and cached until they expire. */
  app?: GitHubAppInstallationAuth;
  /** `GITHUB_API_URL`; default https://api.github.com; GHES e.g. https://ghe.example.com/api/v3 */
  baseUrl?: string;
  /**
   * The login the bot comments as; else discovered once and cached: `GET /user` with a token, `GET /app` (with the
   * App's JWT) for an App, whose bot is `<app-slug>[bot]` (installation tokens cannot read /user).
   */
  botLogin?: string;
  /** Shared budget for content-creating requests (comments, re-runs) across executions; none in unit tests. */
  writeLimiter?: WriteLimiter;
  /**
   * The step's deadline (from the Lambda's remaining time): when it fires every request of this client stops and
   * no further write starts, so an attempt the state machine already timed out does not run beside its retry.
   */
  signal?: AbortSignal;
  /** Where the discovered bot login is kept; clients of one process (one per step invocation) share it. */
  loginCache?: { lookup?: Promise<string> | undefined };
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  userAgent?: string;
  /** A job log stream stops after this many bytes. Default 64 MiB. */
  maxLogBytes?: number;
  /** Automatic retries per request (5xx, network, rate limits). Default 3. */
  retries?: number;
  /**
   * Unit of every wait, in ms: retry backoff is (n+1)² units, rate-limit waits are `retry-after` seconds × this.
   * Default 1000 (seconds, as GitHub means them); tests shrink it to keep waits tiny.
   */
  retryBaseDelayMs?: number;
  /** A rate limit asking us to wait longer than this (seconds) fails fast instead; the state machine backs off. Default 60. */
  maxRateLimitWaitSeconds?: number;
  /** Per-attempt limit on waiting for GitHub's answer (and for log data to keep flowing). Default 30 000. */
  requestTimeoutMs?: number;
  /**
   * A comment POST's per-attempt limit and the time allowed before the first one: with `retries` they bound one
   * comment creation (shared/github/comment-timing.ts), the time the comment slot's claim is honoured. Tests
   * shrink them; the defaults are the ones the slot's lease is derived from.
   */
  commentTiming?: CommentTiming;
  /**
   * Minimum spacing of writes from this client, GitHub's best-practice 1 s by default; writes that notify people
   * (a new comment) get three times this. Tests set 0.
   */
  writeIntervalMs?: number;
}

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';
export const DEFAULT_MAX_LOG_BYTES = 64 * 1024 * 1024;

/** Conclusions that make a job worth analysing; `success`, `skipped` and `neutral` are not failures. */
const FAILED_CONCLUSIONS = new Set(['failure', 'timed_out', 'cancelled', 'startup_failure']);

/** Page bounds (100 items a page): enough for any real run or PR, and a hard stop for a runaway listing. */
const MAX_JOB_PAGES = 10;
const MAX_ANNOTATION_PAGES = 5;
const MAX_PULL_PAGES = 3;
const MAX_COMMENT_PAGES = 30;

const ROLES: readonly RepositoryRole[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

/**
 * A role from GitHub's answer: `role_name` distinguishes maintain and triage, which the base permission folds into
 * write and read; a custom role's name falls back to its base permission; anything else is no access.
 */
function repositoryRole(roleName: unknown, basePermission: unknown): RepositoryRole {
  const known = (value: unknown) => ROLES.find((role) => role === value);
  return known(roleName) ?? known(basePermission) ?? 'none';
}

/** The base permission a collaborator listing's `permissions` flags stand for. */
function basePermissionOf(flags: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean } | null | undefined): RepositoryRole {
  if (flags?.admin) return 'admin';
  if (flags?.maintain) return 'maintain';
  if (flags?.push) return 'write';
  if (flags?.triage) return 'triage';
  return flags?.pull ? 'read' : 'none';
}

/** Pins the REST API version so a GitHub-side default change cannot silently alter response shapes. */
const REACTIONS_ROUTE = 'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions';
const COLLABORATORS_ROUTE = 'GET /repos/{owner}/{repo}/collaborators';

const commentReaction = (r: z.infer<typeof reactionsPageSchema>[number]): CommentReaction => ({
  user: r.user?.login ?? '',
  content: r.content,
  userType: r.user?.type ?? null,
  createdAt: r.created_at ?? null,
});
const collaborator = (c: z.infer<typeof collaboratorsPageSchema>[number]) => ({ login: c.login, role: repositoryRole(c.role_name, basePermissionOf(c.permissions)) });

const API_HEADERS = { 'x-github-api-version': '2022-11-28' } as const;

/** Statuses the retry plugin must leave alone: client errors are final, and 429 is the throttling plugin's job. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

type OctokitResult = Awaited<ReturnType<Octokit['request']>>;
type ThrottleGroup = NonNullable<ThrottlingOptions['write']>;
type UpsertResult = { outcome: CommentOutcome; commentId: number; url: string | null };

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function normalizeBaseUrl(raw: string | undefined): string {
  const value = raw ?? DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`GITHUB_API_URL is not a URL: ${oneLine(value, 100)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`GITHUB_API_URL must be an http(s) URL, got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new ConfigError('GITHUB_API_URL must not have a query or fragment');
  return url.toString().replace(/\/+$/, '');
}

/**
 * Octokit plugin giving every attempt (not the whole retried call) its own deadline. Registered before the retry
 * plugin, so it sits inside it and a timed-out attempt is retried like any network failure. The timer is cleared
 * once the answer arrives, so a streamed body is not cut off by it.
 */
function attemptTimeout(timeoutMs: number, stepSignal: AbortSignal | undefined) {
  return function attemptTimeoutPlugin(octokit: Octokit): Record<string, never> {
    octokit.hook.wrap('request', async (request, options) => {
      // The step's deadline passed: no new attempt starts (retries of the plugins included).
      stepSignal?.throwIfAborted();
      // A request may carry its own limits (a comment POST: see createComment). Checked here, the innermost hook,
      // so time spent in the throttling plugin's queue or a rate-limit wait counts against `startBy` too.
      const own = options.request as { startBy?: number; attemptTimeoutMs?: number } | undefined;
      if (own?.startBy !== undefined && Date.now() > own.startBy) {
        throw new DOMException('too late to start this request: an attempt could outlast the comment slot\'s lease', 'TimeoutError');
      }
      const attemptMs = own?.attemptTimeoutMs ?? timeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(
        () => controller.abort(new DOMException(`no answer within ${attemptMs} ms`, 'TimeoutError')),
        attemptMs,
      );
      timer.unref();
      // before-after-hook hands every hook the same options object and ignores options passed inward, so the
      // signal has to be set on it. A fresh `request` object keeps it off Octokit's shared request defaults.
      options.request = { ...options.request, signal: withStepSignal(controller.signal, stepSignal) };
      try {
        return await request(options);
      } finally {
        clearTimeout(timer);
      }
    });
    return {};
  };
}

/** The attempt's own timer, and the step's deadline when there is one: whichever fires first aborts. */
function withStepSignal(own: AbortSignal, stepSignal: AbortSignal | undefined): AbortSignal {
  return stepSignal ? AbortSignal.any([own, stepSignal]) : own;
}

function parseBody<T>(schema: z.ZodMiniType<T>, response: OctokitResult, what: string): T {
  const result = schema.safeParse(response.data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new GitHubRequestError(
    `GitHub answered with an unexpected body: ${what}: ${where}${oneLine(issue?.message ?? 'invalid')}`,
    response.status,
    { cause: result.error },
  );
}

function sameLogin(a: string | undefined, b: string): boolean {
  // GitHub logins are case-insensitive.
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}

function sameBody(a: string | null | undefined, b: string): boolean {
  return (a ?? '').replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

async function* emptyLog(): AsyncGenerator<Uint8Array, void, undefined> {}

/**
 * `stream` with the size a response announced (its Content-Length), when that is a plain byte count: a hint for
 * the analyzer, from a header it does not trust for anything else.
 */
function withAnnouncedSize(stream: AsyncGenerator<Uint8Array, void, undefined>, contentLength: string | number | null | undefined): JobLogStream {
  const bytes = typeof contentLength === 'number' ? contentLength : /^\d{1,15}$/.test(contentLength ?? '') ? Number(contentLength) : Number.NaN;
  return Number.isSafeInteger(bytes) ? Object.assign(stream, { bytes }) : stream;
}

/**
 * Builds the GitHub adapter. Construct it once per process (cold start) and reuse it: the bot login is cached
 * and writes are paced per client.
 */
/** Runs one lookup of a branch's newest run reads: the newest of them not from a fork is taken (see newestRun). */
const NEWEST_RUN_PAGE = 20;

export function createGitHubClient(options: GitHubClientOptions): GitHubPort {
  const token = options.token?.trim() ?? '';
  const app = options.app;
  if (app && token) throw new ConfigError('configure either a GitHub token or a GitHub App, not both');
  if (!app && token === '') throw new ConfigError('GITHUB_TOKEN is empty: the GitHub client needs a token or a GitHub App');
  if (app && !(Number.isInteger(app.installationId) && app.installationId > 0)) {
    throw new ConfigError(`GitHub App installation id must be a positive integer, got ${String(app.installationId)}`);
  }
  const limiter = options.writeLimiter;
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const retries = Math.max(0, Math.floor(options.retries ?? 3));
  const unitMs = Math.max(0, options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS);
  const maxWaitSeconds = options.maxRateLimitWaitSeconds ?? 60;
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const commentPostMs = options.commentTiming?.postTimeoutMs ?? COMMENT_POST_TIMEOUT_MS;
  const creationBoundMs = commentCreationBoundMs({ retries, retryBaseDelayMs: unitMs, ...(options.commentTiming ? { timing: options.commentTiming } : {}) });
  const maxLogBytes = options.maxLogBytes ?? DEFAULT_MAX_LOG_BYTES;
  const writeIntervalMs = Math.max(0, options.writeIntervalMs ?? 1000);
  const userAgent = options.userAgent ?? 'pipeline-guard';
  const fetchImpl = options.fetch ?? globalThis.fetch;

  /**
   * Last line of defence: no text we build may carry a credential, whatever a lower layer put in a message. The
   * configured token by value (a token too short to be real would scrub ordinary words, so those are left alone),
   * and by shape GitHub's token prefixes and JWTs, which covers the installation tokens an App fetches at run time.
   */
  const scrub = (text: string): string =>
    (token.length >= 8 ? text.split(token).join('[REDACTED]') : text)
      .replace(/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})/g, '[REDACTED]')
      .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[REDACTED]');

  /**
   * Records GitHub's "not before" for this identity in the shared store, so a retry in a new attempt or another
   * Lambda does not fire before the time GitHub asked for. Best effort: this process waits it out regardless.
   */
  const holdWrites = async (waitSeconds: number): Promise<void> => {
    if (!limiter?.holdUntil || waitSeconds <= 0) return;
    await limiter.holdUntil(new Date(Date.now() + waitSeconds * unitMs)).catch(() => undefined);
  };

  // Retry only while the wait stays short: an hour-long primary-limit reset belongs to the state machine's backoff.
  const onLimit = async (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number): Promise<boolean> => {
    await holdWrites(retryAfter);
    return retryCount < retries && retryAfter <= maxWaitSeconds;
  };

  const stepSignal = options.signal;
  /** Takes a unit of the shared budget; a step past its deadline takes none (its write would be cut off). */
  const acquire = async (kind: 'comment' | 'rerun'): Promise<void> => {
    stepSignal?.throwIfAborted();
    await limiter?.acquire(kind);
  };

  const GuardOctokit = Octokit.plugin(attemptTimeout(timeoutMs, stepSignal), retry, throttling);
  const octokit = new GuardOctokit({
    ...(app
      ? {
          authStrategy: createAppAuth,
          auth: {
            appId: app.appId,
            privateKey: app.privateKey,
            installationId: app.installationId,
            cache: app.tokenCache ?? createInstallationTokenCache(),
          },
        }
      : { auth: token }),
    baseUrl,
    userAgent,
    request: options.fetch ? { fetch: options.fetch } : {},
    retry: { retries, retryAfterBaseValue: unitMs, doNotRetry: DO_NOT_RETRY },
    throttle: {
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
      retryAfterBaseValue: unitMs,
      write: createPacer(writeIntervalMs) as unknown as ThrottleGroup,
      notifications: createPacer(writeIntervalMs * 3) as unknown as ThrottleGroup,
      search: createPacer(writeIntervalMs * 2) as unknown as ThrottleGroup,
    },
  });

  async function call(what: string, route: string, params: Record<string, unknown>): Promise<OctokitResult> {
    try {
      return await octokit.request(route, { ...params, headers: API_HEADERS });
    } catch (error) {
      // A 429 or rate-limited 403 the throttling plugin did not take (no "secondary rate" wording) still sets the hold.
      const wait = rateLimitWaitSeconds(error, Date.now());
      if (wait !== null) await holdWrites(wait);
      throw toGitHubError(error, what, scrub);
    }
  }

  /** Pages of a listing, parsed, lazily: callers that find what they need stop fetching. */
  async function* pages<T>(
    what: string,
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodMiniType<T>,
    maxPages: number,
    beforePage?: BeforePage,
  ): AsyncGenerator<T, void, undefined> {
    let query: Record<string, string> = {};
    for (let page = 1; page <= maxPages; page += 1) {
      beforePage?.();
      const response = await call(what, route, { ...params, per_page: 100, ...query });
      yield parseBody(schema, response, what);
      const next = nextPageQuery(response.headers.link);
      if (!next) return;
      query = next;
    }
  }

  /** Page `page` of a listing (100 a page), and whether its `Link` header names a next one. */
  async function onePage<T>(what: string, route: string, params: Record<string, unknown>, schema: z.ZodMiniType<T[]>, page: number): Promise<{ items: T[]; more: boolean }> {
    const response = await call(what, route, { ...params, per_page: 100, page });
    return { items: parseBody(schema, response, what), more: nextPageQuery(response.headers.link) !== null };
  }

  /** At most `limit` items of a listing, and whether that was all of it (fewer than `limit` came back). */
  async function firstItems<T>(
    what: string,
    route: string,
    params: Record<string, unknown>,
    schema: z.ZodMiniType<T[]>,
    limit: number,
    beforePage?: BeforePage,
  ): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    for await (const page of pages(what, route, params, schema, Math.ceil(limit / 100), beforePage)) items.push(...page);
    return { items: items.slice(0, limit), complete: items.length < limit };
  }

  const loginCache = options.loginCache ?? {};
  function botLogin(): Promise<string> {
    if (options.botLogin) return Promise.resolve(options.botLogin);
    loginCache.lookup ??= (async () => {
      if (app) {
        // auth-app signs /app requests with the App's JWT; the bot user of an App is always `<slug>[bot]`.
        const what = 'discover the App bot login (GET /app)';
        return `${parseBody(appSchema, await call(what, 'GET /app', {}), what).slug}[bot]`;
      }
      const what = 'discover the bot login (GET /user)';
      try {
        return parseBody(userSchema, await call(what, 'GET /user', {}), what).login;
      } catch (error) {
        if (error instanceof GitHubRequestError) {
          throw new GitHubRequestError(
            `${error.message}; set GITHUB_BOT_LOGIN (GitHub App and Actions tokens cannot read /user)`,
            error.status,
            { cause: error },
          );
        }
        throw error;
      }
    })().catch((error: unknown) => {
      // Do not cache a failure: the next call (e.g. the state machine's retry) asks again.
      loginCache.lookup = undefined;
      throw error;
    });
    return loginCache.lookup;
  }

  /**
   * What writing the bot's comment `marker` in `thread` starts from: the marker checked, the body fitted to GitHub's
   * limit with the marker kept, the bot's login, and its comment there if it has one already.
   */
  async function openThread(thread: CommentThread, marker: string, body: string) {
    if (marker.trim() === '') throw new ValidationError('the comment marker must not be empty');
    if (marker.length > MAX_MARKER_CHARS) throw new ValidationError(`the comment marker is longer than ${MAX_MARKER_CHARS} characters`);
    const startedAt = Date.now();
    const text = fitCommentBody(body, marker);
    const login = await botLogin();
    return { thread, text, login, startedAt, existing: await findBotComment(thread, marker, login) };
  }

  function markedBy(body: string, marker: string): boolean {
    const text = body.trim();
    return text.startsWith(marker) || text.endsWith(marker);
  }

  /**
   * Where a comment of the bot's is listed (GET) and created (POST): an issue or pull request, or a commit. `label`
   * (`#12 in o/r`, `commit 0123abc… in o/r`) is what error messages name.
   */
  interface CommentThread {
    label: string;
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments' | '/repos/{owner}/{repo}/commits/{commit_sha}/comments';
    params: Record<string, string | number>;
  }

  const issueThread = (repo: RepoRef, issue_number: number): CommentThread => ({
    label: `#${issue_number} in ${repo.owner}/${repo.repo}`,
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    params: { owner: repo.owner, repo: repo.repo, issue_number },
  });

  const commitThread = (repo: RepoRef, commit_sha: string): CommentThread => ({
    label: `commit ${commit_sha.slice(0, 12)} in ${repo.owner}/${repo.repo}`,
    path: '/repos/{owner}/{repo}/commits/{commit_sha}/comments',
    params: { owner: repo.owner, repo: repo.repo, commit_sha },
  });

  async function findBotComment(thread: CommentThread, marker: string, login: string): Promise<Comment | undefined> {
    const what = `list comments of ${thread.label}`;
    for await (const page of pages(what, `GET ${thread.path}`, thread.params, commentsPageSchema, MAX_COMMENT_PAGES)) {
      // The author check matters: anyone can paste our marker into their own comment, and we must not adopt it.
      // The marker is where we put it (first, or last as fitCommentBody appends it), not anywhere: our incident
      // comment quotes log lines, and a job can print another comment's marker (a command answer's) in one.
      const found = page.find((comment) => markedBy(comment.body ?? '', marker) && sameLogin(comment.user?.login, login));
      if (found) return found;
    }
    return undefined;
  }

  /** Brings an existing bot comment to `text`. Null when it was deleted between listing and editing. */
  async function updateComment(repo: RepoRef, existing: Comment, text: string): Promise<UpsertResult | null> {
    if (sameBody(existing.body, text)) {
      return { outcome: 'unchanged', commentId: existing.id, url: existing.html_url ?? null };
    }
    const what = `update comment ${existing.id} in ${repo.owner}/${repo.repo}`;
    await acquire('comment');
    try {
      // PATCH with the full body is idempotent, so the retry plugin may repeat it freely.
      const response = await call(what, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: repo.owner,
        repo: repo.repo,
        comment_id: existing.id,
        body: text,
      });
      const comment = parseBody(commentSchema, response, what);
      return { outcome: 'updated', commentId: comment.id, url: comment.html_url ?? null };
    } catch (error) {
      if (error instanceof GitHubRequestError && error.status === 404) return null;
      throw error;
    }
  }

  /**
   * `startedAt`: when this upsert began (after the caller claimed the comment slot). No POST starts later than one
   * attempt's timeout before the creation bound, and each is aborted after that timeout, so none is still in flight
   * when the slot's lease (shared/github/comment-timing.ts) lets another writer take over. `adopt`: what a comment of
   * the bot's found on a retry becomes (the failed POST before it was applied); null posts again.
   */
  async function createComment(
    thread: CommentThread,
    marker: string,
    text: string,
    login: string,
    startedAt: number,
    adopt: (found: Comment) => Promise<UpsertResult | null>,
  ): Promise<UpsertResult> {
    const what = `comment on ${thread.label}`;
    const startBy = startedAt + creationBoundMs - commentPostMs;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      if (attempt > 0) {
        await sleep(retryBackoffMs(unitMs, attempt));
        // The failed POST may have been applied before GitHub answered: look before posting a second comment.
        const found = await findBotComment(thread, marker, login);
        const adopted = found ? await adopt(found) : null;
        if (adopted) return adopted.outcome === 'unchanged' ? { ...adopted, outcome: 'created' } : adopted;
      }
      await acquire('comment');
      try {
        const response = await call(what, `POST ${thread.path}`, {
          ...thread.params,
          body: text,
          // No blind retries: a 502 after GitHub stored the comment would otherwise post it twice.
          request: { retries: 0, startBy, attemptTimeoutMs: commentPostMs },
        });
        const comment = parseBody(commentSchema, response, what);
        return { outcome: 'created', commentId: comment.id, url: comment.html_url ?? null };
      } catch (error) {
        if (!(error instanceof GitHubUnavailableError)) throw error;
        lastError = error;
        // Past the point where a POST may start: the state machine's retry comes back after the lease instead.
        if (Date.now() > startBy) break;
      }
    }
    throw lastError;
  }

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

  async function readRun(repo: RepoRef, runId: number) {
    const what = `read run ${runId} in ${repo.owner}/${repo.repo}`;
    const response = await call(what, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner: repo.owner,
      repo: repo.repo,
      run_id: runId,
    });
    return parseBody(workflowRunSchema, response, what);
  }

  /**
   * The mode of each existing file at a tree, so a fix keeps an executable script executable. Walks one directory
   * level per request (a recursive listing truncates on large repositories), each directory read once. A path
   * that does not exist yet has no entry; a path that is not a regular file (a symlink, a submodule) is refused:
   * writing text there would replace what it points to.
   */
  async function fileModesAt(repo: RepoRef, rootTree: string, paths: readonly string[]): Promise<Map<string, string>> {
    const listings = new Map<string, Promise<z.infer<typeof gitTreeSchema>['tree']>>();
    const list = (sha: string) => {
      let listing = listings.get(sha);
      if (!listing) {
        const what = `list tree ${sha.slice(0, 12)}`;
        listing = call(what, 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: repo.owner, repo: repo.repo, tree_sha: sha })
          .then((response) => parseBody(gitTreeSchema, response, what).tree);
        listings.set(sha, listing);
      }
      return listing;
    };
    const modes = new Map<string, string>();
    for (const path of paths) {
      const parts = path.split('/');
      let sha: string | undefined = rootTree;
      for (const [index, part] of parts.entries()) {
        const entry: z.infer<typeof gitTreeSchema>['tree'][number] | undefined =
          sha === undefined ? undefined : (await list(sha)).find((e) => e.path === part);
        const last = index === parts.length - 1;
        if (!entry || (!last && entry.type !== 'tree')) break;
        if (!last) {
          sha = entry.sha;
          continue;
        }
        if (entry.mode !== '100644' && entry.mode !== '100755') {
          throw new GitHubRequestError(`${path} is not a regular file (mode ${entry.mode}): a fix does not rewrite it`, 422);
        }
        modes.set(path, entry.mode);
      }
    }
    return modes;
  }

  /** Follows the logs endpoint's redirect to storage and streams from there. */
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

    async upsertComment(repo, issueNumber, marker, body) {
      const { thread, text, login, startedAt, existing } = await openThread(issueThread(repo, issueNumber), marker, body);
      if (existing) {
        const result = await updateComment(repo, existing, text);
        if (result) return result;
      }
      return createComment(thread, marker, text, login, startedAt, (found) => updateComment(repo, found, text));
    },

    async commentOnCommit(repo, sha, marker, body) {
      const { thread, text, login, startedAt, existing } = await openThread(commitThread(repo, sha), marker, body);
      // Created once and left as it is: editing a commit comment takes Contents write, which the guard never asks.
      const kept = async (found: Comment) => ({ outcome: 'unchanged' as const, commentId: found.id, url: found.html_url ?? null });
      if (existing) return kept(existing);
      // Created by this call, or by its own earlier POST that a retry found: both are this call's comment.
      const created = await createComment(thread, marker, text, login, startedAt, kept);
      return { ...created, outcome: 'created' as const };
    },

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

    botLogin,

    async listCommentReactions(repo, commentId, content, limit, beforePage) {
      const what = `list ${content} reactions on comment ${commentId} in ${repo.owner}/${repo.repo}`;
      const { items } = await firstItems(what, REACTIONS_ROUTE, { owner: repo.owner, repo: repo.repo, comment_id: commentId, content }, reactionsPageSchema, limit, beforePage);
      return items.map(commentReaction);
    },

    async commentReactionsPage(repo, commentId, content, page) {
      const what = `list ${content} reactions on comment ${commentId} in ${repo.owner}/${repo.repo} (page ${page})`;
      const { items, more } = await onePage(what, REACTIONS_ROUTE, { owner: repo.owner, repo: repo.repo, comment_id: commentId, content }, reactionsPageSchema, page);
      return { items: items.map(commentReaction), more };
    },

    async addCommentReaction(repo, commentId, content) {
      const what = `react ${content} to comment ${commentId} in ${repo.owner}/${repo.repo}`;
      await acquire('comment');
      // Idempotent on GitHub's side (a repeat answers 200 with the existing reaction): retries may repeat it.
      await call(what, 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { owner: repo.owner, repo: repo.repo, comment_id: commentId, content });
    },

    async listIssueLabels(repo, issueNumber) {
      const what = `list labels of #${issueNumber} in ${repo.owner}/${repo.repo}`;
      const response = await call(what, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: issueNumber,
        per_page: 100,
      });
      return parseBody(labelsPageSchema, response, what).map((label) => label.name);
    },

    async readFile(repo, path, ref) {
      const what = `read ${path} at ${ref.slice(0, 12)} in ${repo.owner}/${repo.repo}`;
      try {
        const response = await call(what, 'GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path, ref });
        const file = parseBody(fileContentSchema, response, what);
        if (file.type !== 'file') return null;
        // The contents API omits the content of files over 1 MB; a fix PR never needs to rewrite one.
        if (file.encoding !== 'base64' || file.content === undefined) throw new GitHubRequestError(`${what}: file too large to patch`, 413);
        return Buffer.from(file.content, 'base64').toString('utf8');
      } catch (error) {
        if (error instanceof GitHubRequestError && error.status === 404) return null;
        throw error;
      }
    },

    async listAllFiles(repo, ref) {
      const what = `list the files at ${ref.slice(0, 12)} in ${repo.owner}/${repo.repo}`;
      const response = await call(what, 'GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: repo.owner, repo: repo.repo, tree_sha: ref, recursive: '1' });
      const listing = parseBody(gitTreeSchema, response, what);
      return { paths: listing.tree.filter((entry) => entry.type === 'blob').map((entry) => entry.path), complete: listing.truncated !== true };
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

    async createFixPullRequest(repo, request: FixPullRequest) {
      const base = { owner: repo.owner, repo: repo.repo };
      const find = async () => {
        const what = `look for a pull request from ${request.branch}`;
        const response = await call(what, 'GET /repos/{owner}/{repo}/pulls', { ...base, head: `${repo.owner}:${request.branch}`, state: 'all', per_page: 10 });
        return parseBody(pullRequestListSchema, response, what)[0];
      };
      // A retry of this step after the PR was opened must return it, not open a second one.
      const existing = await find();
      if (existing) return { number: existing.number, url: existing.html_url ?? null, outcome: 'existing' as const };

      const commitWhat = `read commit ${request.baseSha.slice(0, 12)}`;
      const baseCommit = parseBody(gitCommitSchema, await call(commitWhat, 'GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...base, commit_sha: request.baseSha }), commitWhat);
      const modes = await fileModesAt(repo, baseCommit.tree.sha, request.files.filter((file) => file.content !== null).map((file) => file.path));
      await acquire('comment');
      const treeWhat = 'create the fix tree';
      const tree = parseBody(gitObjectSchema, await call(treeWhat, 'POST /repos/{owner}/{repo}/git/trees', {
        ...base,
        base_tree: baseCommit.tree.sha,
        tree: request.files.map((file) =>
          file.content === null
            ? { path: file.path, mode: '100644', type: 'blob', sha: null }
            : { path: file.path, mode: modes.get(file.path) ?? '100644', type: 'blob', content: file.content },
        ),
      }), treeWhat);
      const commitCreateWhat = 'create the fix commit';
      const commit = parseBody(gitObjectSchema, await call(commitCreateWhat, 'POST /repos/{owner}/{repo}/git/commits', {
        ...base,
        message: request.commitMessage,
        tree: tree.sha,
        parents: [request.baseSha],
      }), commitCreateWhat);
      const refWhat = `create branch ${request.branch}`;
      try {
        await call(refWhat, 'POST /repos/{owner}/{repo}/git/refs', { ...base, ref: `refs/heads/${request.branch}`, sha: commit.sha });
      } catch (error) {
        // 422: the branch exists from an earlier try whose PR was never opened. It is ours (guard/fix-<incident>).
        if (!(error instanceof GitHubRequestError && error.status === 422)) throw error;
        await call(refWhat, 'PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...base, ref: `heads/${request.branch}`, sha: commit.sha, force: true });
      }
      const prWhat = `open the fix pull request from ${request.branch}`;
      let pull: z.infer<typeof pullRequestSchema>;
      try {
        pull = parseBody(pullRequestSchema, await call(prWhat, 'POST /repos/{owner}/{repo}/pulls', {
          ...base,
          title: request.title,
          head: request.branch,
          base: request.baseBranch,
          body: request.body,
          maintainer_can_modify: true,
          request: { retries: 0 },
        }), prWhat);
      } catch (error) {
        // An ambiguous failure may still have opened it: look before reporting failure.
        const opened = await find();
        if (!opened) throw error;
        pull = opened;
      }
      const labelWhat = `label #${pull.number}`;
      await call(labelWhat, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...base, issue_number: pull.number, labels: request.labels });
      return { number: pull.number, url: pull.html_url ?? null, outcome: 'created' as const };
    },

    async repositoryPermission(repo, username) {
      const what = `read the permission of ${username} on ${repo.owner}/${repo.repo}`;
      try {
        const response = await call(what, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
          owner: repo.owner,
          repo: repo.repo,
          username,
        });
        const body = (response.data ?? {}) as { role_name?: unknown; permission?: unknown };
        return repositoryRole(body.role_name, body.permission);
      } catch (error) {
        // 404: not a collaborator (or the user does not exist) — no permission, not a failure.
        if (error instanceof GitHubRequestError && error.status === 404) return 'none';
        throw error;
      }
    },

    async listCollaborators(repo, limit, beforePage) {
      const what = `list the collaborators of ${repo.owner}/${repo.repo}`;
      const { items, complete } = await firstItems(what, COLLABORATORS_ROUTE, { owner: repo.owner, repo: repo.repo, affiliation: 'all' }, collaboratorsPageSchema, limit, beforePage);
      return { collaborators: items.map(collaborator), complete };
    },

    async collaboratorsPage(repo, page) {
      const what = `list the collaborators of ${repo.owner}/${repo.repo} (page ${page})`;
      const { items, more } = await onePage(what, COLLABORATORS_ROUTE, { owner: repo.owner, repo: repo.repo, affiliation: 'all' }, collaboratorsPageSchema, page);
      return { items: items.map(collaborator), more };
    },
  };
}
