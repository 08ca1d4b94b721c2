/**
 * How long creating a pull request comment can take, and so how long the comment slot's claim must be honoured
 * (shared/stores/comment-slots.ts): one source for the GitHub client, which enforces the bound, and the slot, which
 * waits it out. The slot exists so that two executions never both POST a comment; a claim whose holder neither
 * recorded a comment nor released the slot (it crashed, or still runs) may be taken over only once no POST of that
 * holder can still reach GitHub. A holder that was `kill -9`ed posts nothing more, but the next writer cannot tell
 * it from a slow one, so every restart after a crash waits this lease out before it comments: it should be as short
 * as the bound allows, and no shorter.
 */

/**
 * Per-attempt limit on a comment POST (the client aborts the request through its signal). A comment of at most
 * 65,536 characters is answered in about a second; a connection that has said nothing for this long is treated as
 * lost (the next attempt first looks for the comment, so a POST that did land is updated, not repeated).
 */
export const COMMENT_POST_TIMEOUT_MS = 10_000;

/**
 * Time a creation may spend before its first POST: the bot's login (cached after the first call) and the look for
 * an existing comment, one page of comments in nearly every case. A look slower than this leaves the POSTs no room:
 * the creation fails with a retryable error, the slot is released, and the state machine's retry comes back.
 */
export const COMMENT_LOOK_ALLOWANCE_MS = 5_000;

/** The client's retry backoff unit when none is configured. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 1_000;

/** The wait before retry `attempt` (1, 2, …): `attempt²` units, as the client retries every write. */
export function retryBackoffMs(unitMs: number, attempt: number): number {
  return unitMs * attempt * attempt;
}

/** Room for clock skew between the holder and the next writer (two Lambdas), and for scheduling delays. */
export const COMMENT_SLOT_LEASE_MARGIN_MS = 5_000;

export interface CommentRetrySettings {
  /** The client's automatic retries (`GITHUB_RETRIES`): a comment is POSTed at most `retries + 1` times. */
  retries: number;
  /** The retry backoff unit (see {@link retryBackoffMs}); default {@link DEFAULT_RETRY_BASE_DELAY_MS}. */
  retryBaseDelayMs?: number;
  /** Tests shrink these; defaults {@link COMMENT_POST_TIMEOUT_MS} and {@link COMMENT_LOOK_ALLOWANCE_MS}. */
  timing?: CommentTiming;
}

export interface CommentTiming {
  postTimeoutMs?: number;
  lookAllowanceMs?: number;
}

/**
 * The longest one comment creation can run from its start until its last POST is answered or aborted: the look
 * before the first POST, every attempt's timeout, and the backoff between attempts. The client starts no POST later
 * than this bound minus one attempt's timeout after the creation began, so work that ran long (a slow look, pacing,
 * a rate-limit wait) shortens the time left for POSTs instead of extending the bound.
 */
export function commentCreationBoundMs(settings: CommentRetrySettings): number {
  const retries = Math.max(0, Math.floor(settings.retries));
  const unitMs = Math.max(0, settings.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS);
  const postMs = settings.timing?.postTimeoutMs ?? COMMENT_POST_TIMEOUT_MS;
  const lookMs = settings.timing?.lookAllowanceMs ?? COMMENT_LOOK_ALLOWANCE_MS;
  let backoffMs = 0;
  for (let attempt = 1; attempt <= retries; attempt += 1) backoffMs += retryBackoffMs(unitMs, attempt);
  return lookMs + (retries + 1) * postMs + backoffMs;
}

/** How long a claim without a comment id is honoured before another writer may take the slot over. */
export function commentSlotLeaseMs(settings: CommentRetrySettings): number {
  return commentCreationBoundMs(settings) + COMMENT_SLOT_LEASE_MARGIN_MS;
}

/**
 * The time an answer to a `/guard` command may take (shared/ingest/comment-commands.ts): the ingest Lambda stops at
 * 10 s, and the command before it had its share. Its GitHub client is aborted at the end of it.
 */
export const COMMAND_ANSWER_BUDGET_MS = 3_000;

/**
 * How long a claim on a command's reply is honoured (shared/stores/command-answers.ts): its holder's client is
 * aborted once the answer's budget is spent, so after it (and room for clock skew) no POST of the holder is on its way.
 */
export const COMMAND_ANSWER_LEASE_MS = COMMAND_ANSWER_BUDGET_MS + COMMENT_SLOT_LEASE_MARGIN_MS;
