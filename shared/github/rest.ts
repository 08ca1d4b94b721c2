/**
 * One identity's REST access to GitHub (github.com or GitHub Enterprise Server, `GITHUB_API_URL`), which every port
 * of the adapter is built on: the ports by use (runs.ts, reruns.ts, comments.ts, labels.ts, fix-pull-requests.ts,
 * collaborators.ts) share it, so a Lambda bundles only the requests it makes (client.ts puts them all together).
 *
 * Octokit core with two plugins: `plugin-retry` repeats 5xx/network failures with backoff, `plugin-throttling`
 * paces writes and waits out rate limits (honouring `retry-after`). Both are bounded; what is left over surfaces
 * as `GitHubUnavailableError`, which the state machine retries, or `GitHubRequestError`, which it does not.
 *
 * It authenticates with a token or as one GitHub App installation (`@octokit/auth-app`: a JWT from the App key is
 * exchanged for an installation token, cached until shortly before it expires; see `clients.ts` for the factory
 * that picks the installation of each incident). Content-creating requests first take a unit from the shared
 * write budget (`writeLimiter`, DynamoDB), which throws the retryable `WriteBudgetExhaustedError` when spent.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import type * as z from '../zod.js';
import { ConfigError } from '../errors.js';
import type { GitHubWriteKind, WriteLimiter } from '../ports.js';
import { createInstallationTokenCache, type GitHubAppCredentials, type InstallationTokenCache } from './app-auth.js';
import { type CommentTiming, DEFAULT_RETRY_BASE_DELAY_MS } from './comment-timing.js';
import { GitHubRequestError, oneLine, rateLimitWaitSeconds, toGitHubError } from './errors.js';
import { createPacer } from './pacer.js';
import { appSchema, userSchema } from './schemas.js';

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

/** Pins the REST API version so a GitHub-side default change cannot silently alter response shapes. */
export const API_HEADERS = { 'x-github-api-version': '2022-11-28' } as const;

/** Statuses the retry plugin must leave alone: client errors are final, and 429 is the throttling plugin's job. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451];

type OctokitResult = Awaited<ReturnType<Octokit['request']>>;
type ThrottleGroup = NonNullable<ThrottlingOptions['write']>;

export type { OctokitResult };

export function sleep(ms: number): Promise<void> {
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
export function withStepSignal(own: AbortSignal, stepSignal: AbortSignal | undefined): AbortSignal {
  return stepSignal ? AbortSignal.any([own, stepSignal]) : own;
}

export function parseBody<T>(schema: z.ZodMiniType<T>, response: OctokitResult, what: string): T {
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


/** One identity's REST access: the settings its ports read, and the requests they make through its Octokit. */
export interface GitHubRest {
  readonly octokit: Octokit;
  /** Automatic retries per request; also the bound of a port's own retries of a non-idempotent write. */
  readonly retries: number;
  /** Unit of every wait, in ms (see `GitHubClientOptions.retryBaseDelayMs`). */
  readonly unitMs: number;
  /** Per-attempt limit on waiting for GitHub's answer (and for log data to keep flowing). */
  readonly timeoutMs: number;
  /** Tests' shorter comment timing (`GitHubClientOptions.commentTiming`), which the comments port reads. */
  readonly commentTiming: CommentTiming | undefined;
  readonly maxLogBytes: number;
  readonly userAgent: string;
  readonly fetchImpl: typeof fetch;
  readonly stepSignal: AbortSignal | undefined;
  /** Removes credentials from text built for errors. */
  scrub(text: string): string;
  /** Takes a unit of the shared write budget; a step past its deadline takes none (its write would be cut off). */
  acquire(kind: GitHubWriteKind): Promise<void>;
  /** One request, its failure mapped to `GitHubUnavailableError` or `GitHubRequestError` (`what` names it). */
  call(what: string, route: string, params: Record<string, unknown>): Promise<OctokitResult>;
  /** The login this client acts as, discovered once and cached. */
  botLogin(): Promise<string>;
}

/**
 * Builds one identity's REST access. Construct it once per process (cold start) and reuse it: the bot login is
 * cached and writes are paced per client.
 */
export function createGitHubRest(options: GitHubClientOptions): GitHubRest {
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

  return { octokit, retries, unitMs, timeoutMs, commentTiming: options.commentTiming, maxLogBytes, userAgent, fetchImpl, stepSignal, scrub, acquire, call, botLogin };
}
