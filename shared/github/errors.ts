/**
 * How GitHub failures are reported to the rest of Pipeline Guard.
 *
 * Two outcomes only, because the state machine decides on `error.name`:
 * - `GitHubUnavailableError` (shared/errors.ts): 5xx, 408, 429, rate limits, timeouts, network failures. The
 *   client has already spent its own bounded retries; the ASL `Retry` backs off and tries the step again.
 * - `GitHubRequestError` (here): GitHub understood the request and refused it (401, 403, 404, 422, …).
 *   Retrying cannot help, so the step goes straight to its `Catch` fallback.
 */
import { GitHubUnavailableError } from '../errors.js';

/** GitHub refused a request for a reason retries will not fix (bad credentials, missing permission, invalid input). */
export class GitHubRequestError extends Error {
  override name = 'GitHubRequestError';
  /** HTTP status GitHub answered with (the status of the unexpected answer when its body was malformed). */
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

/**
 * GitHub refuses new comments on this pull request, whoever writes them: its conversation is locked, or it holds
 * GitHub's 2,500 comments ("Commenting is disabled on issues with more than 2500 comments"), which anyone may post on
 * a public pull request. A fact about that pull request, not about the guard: Notify records its comment as not
 * posted and goes on, where failing made the notify-failed page (one a window for the whole deployment) an
 * outsider's to trigger, and the real failures of that window only a digest.
 */
export class CommentsRefusedError extends GitHubRequestError {
  override name = 'CommentsRefusedError';
}

/** GitHub's words, on a 403, for a pull request that takes no more comments. */
const COMMENTS_REFUSED = /\bissue is locked\b|\bcommenting is disabled\b/i;

/** Shape of an `@octokit/request-error` RequestError, read structurally so we never depend on its class identity. */
interface HttpErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpErrorLike(error: unknown): error is HttpErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * GitHub signals rate limiting on 403 as well as 429: primary limits set `x-ratelimit-remaining: 0`, secondary
 * limits send `retry-after` and/or a message mentioning the secondary rate limit. Those are transient, unlike a
 * 403 for a missing permission.
 */
export function isRateLimited(error: HttpErrorLike): boolean {
  if (error.status === 429) return true;
  if (error.status !== 403) return false;
  const headers = error.response?.headers ?? {};
  if (headers['retry-after'] !== undefined) return true;
  if (String(headers['x-ratelimit-remaining']) === '0') return true;
  return /rate limit/i.test(error.message);
}

/**
 * How long GitHub asked us to wait after a rate-limited answer, in seconds: `retry-after`, else the primary
 * limit's `x-ratelimit-reset` (epoch seconds) when nothing remains, else a minute (GitHub's advice for a
 * secondary limit that names no time). Null for an answer that is not a rate limit.
 */
export function rateLimitWaitSeconds(error: unknown, nowMs: number): number | null {
  if (!isHttpErrorLike(error) || !isRateLimited(error)) return null;
  const headers = error.response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter;
  const reset = Number(headers['x-ratelimit-reset']);
  if (String(headers['x-ratelimit-remaining']) === '0' && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, Math.ceil(reset - nowMs / 1000) + 1);
  }
  return 60;
}

/** One line, bounded: GitHub error bodies can carry documentation links and multi-line validation details. */
export function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * What the deployer checks when GitHub refuses the credential itself, or the permission a call needs: these refusals
 * come from the deployment's settings, not from the repository, and end up in the incident's timeline and e-mail.
 */
function refusalAdvice(status: number, message: string): string {
  if (status === 401) {
    return ' (GitHub did not accept the credential: check the token, GITHUB_TOKEN or in AWS the GitHubTokenSecretArn secret, or the App id and its private key)';
  }
  if (status === 403 && /not accessible by (?:integration|personal access token)/i.test(message)) {
    return ' (the App or token lacks the permission this request needs: see the permission table under "GitHub" in the README)';
  }
  return '';
}

/**
 * Maps whatever a GitHub call threw to one of the two named errors. `what` describes the call without secrets
 * (e.g. "list jobs of run 42 attempt 1 in octo/repo"); `scrub` removes the token from any text as a last line of
 * defence, since network errors can quote request details.
 */
export function toGitHubError(error: unknown, what: string, scrub: (text: string) => string): Error {
  if (error instanceof GitHubUnavailableError || error instanceof GitHubRequestError) return error;
  if (isHttpErrorLike(error)) {
    const detail = scrub(oneLine(error.message));
    const transient =
      error.status >= 500 || error.status === 408 || error.status === 0 || isRateLimited(error);
    if (transient) {
      const reason = isRateLimited(error) ? 'rate limited' : `failed (${error.status})`;
      return new GitHubUnavailableError(`GitHub ${reason}: ${what}: ${detail}`, { cause: error });
    }
    const Refusal = error.status === 403 && COMMENTS_REFUSED.test(error.message) ? CommentsRefusedError : GitHubRequestError;
    return new Refusal(`GitHub refused (${error.status}): ${what}: ${detail}${refusalAdvice(error.status, error.message)}`, error.status, { cause: error });
  }
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    // Octokit already turns fetch's network TypeErrors into status-500 errors; timeouts and aborts arrive raw.
    return new GitHubUnavailableError(`GitHub unreachable: ${what}: ${scrub(oneLine(error.message))}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(scrub(String(error)));
}
