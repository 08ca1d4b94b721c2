import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import type { WriteLimiter } from '../../../shared/ports.js';
import { COMMENT_LOOK_ALLOWANCE_MS, COMMENT_POST_TIMEOUT_MS, COMMENT_SLOT_LEASE_MARGIN_MS, commentCreationBoundMs, commentSlotLeaseMs } from '../../../shared/github/comment-timing.js';
import { deadlineMarginMs, stepDeadlineSignal } from '../../../shared/runtime/step-deadline.js';
import { FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

/**
 * The step's deadline stops its GitHub requests: a request in flight is aborted, the retry plugins start no new
 * attempt, and no write takes a unit of the shared budget after the deadline.
 */
const repo = { owner: 'octo', repo: 'app' };
const MARKER = '<!-- pipeline-guard:run=42 -->';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('GitHub client: the step deadline', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('aborts a hanging request when the step deadline fires and starts no retry after it', async () => {
    // Prepare: GitHub never answers the listing; the attempt timeout alone would wait a minute, three times
    fake.fail({ method: 'GET', route: /\/issues\/7\/comments$/, kind: 'hang', times: Number.POSITIVE_INFINITY });
    const deadline = new AbortController();
    const acquired: string[] = [];
    const writeLimiter: WriteLimiter = { async acquire(kind) { acquired.push(kind); } };
    const client = clientFor(fake, { retries: 2, requestTimeoutMs: 60_000, signal: deadline.signal, writeLimiter });

    // Act
    const pending = rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));
    await until(() => fake.requests.length === 1);
    deadline.abort(new DOMException('step deadline reached', 'TimeoutError'));
    const error = await pending;

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls()).toEqual(['GET /repos/octo/app/issues/7/comments?per_page=100']);
    expect(acquired).toEqual([]);
  });

  it('starts nothing once the deadline has passed, so no budget unit is spent on a cut-off write', async () => {
    const deadline = new AbortController();
    deadline.abort(new DOMException('step deadline reached', 'TimeoutError'));
    const acquired: string[] = [];
    const writeLimiter: WriteLimiter = { async acquire(kind) { acquired.push(kind); } };
    const client = clientFor(fake, { signal: deadline.signal, writeLimiter });

    const error = await rejection(client.rerunFailedJobs(repo, 42));

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toMatch(/step deadline reached/);
    expect(fake.requests).toHaveLength(0);
    expect(acquired).toEqual([]);
  });

  it('a client without a deadline is unaffected', async () => {
    const client = clientFor(fake);

    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`);

    expect(result.outcome).toBe('created');
  });
});

describe('GitHub client: a comment creation ends within the comment slot\'s lease', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('aborts a comment POST that hangs after its own timeout, not after the client\'s 60 s one', async () => {
    fake.fail({ method: 'POST', route: /\/issues\/8\/comments$/, kind: 'hang', times: 1 });
    const client = clientFor(fake, { retries: 0, requestTimeoutMs: 60_000, commentTiming: { postTimeoutMs: 50, lookAllowanceMs: 1_000 } });

    const error = await rejection(client.upsertComment(repo, 8, MARKER, `${MARKER}\nanalysis`));

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toMatch(/no answer within 50 ms/);
    expect(fake.apiCalls().filter((call) => call.startsWith('POST'))).toHaveLength(1);
  });

  it('starts no POST once one could outlast the creation bound: a slow look for the comment leaves none started', async () => {
    // The look for an existing comment hangs until its 200 ms attempt timeout, longer than the 20 + 2 × 50 + 1 ms bound.
    fake.fail({ method: 'GET', route: /\/issues\/9\/comments$/, kind: 'hang', times: 1 });
    const client = clientFor(fake, { retries: 1, requestTimeoutMs: 200, commentTiming: { postTimeoutMs: 50, lookAllowanceMs: 20 } });

    const error = await rejection(client.upsertComment(repo, 9, MARKER, `${MARKER}\nanalysis`));

    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls().filter((call) => call.startsWith('POST'))).toEqual([]);
    expect(fake.comments.get(9) ?? []).toHaveLength(0);
  });

  it('derives the slot\'s lease from the same settings: every attempt\'s timeout, the backoff between, and a margin', () => {
    expect(commentCreationBoundMs({ retries: 2 })).toBe(COMMENT_LOOK_ALLOWANCE_MS + 3 * COMMENT_POST_TIMEOUT_MS + 1_000 + 4_000);
    expect(commentSlotLeaseMs({ retries: 2 })).toBe(commentCreationBoundMs({ retries: 2 }) + COMMENT_SLOT_LEASE_MARGIN_MS);
    expect(commentSlotLeaseMs({ retries: 0 })).toBeLessThan(commentSlotLeaseMs({ retries: 2 }));
  });
});

describe('stepDeadlineSignal', () => {
  it('keeps a margin of at most 10 s (a fifth of short limits) and needs a Lambda context', () => {
    expect(deadlineMarginMs(120_000)).toBe(10_000);
    expect(deadlineMarginMs(20_000)).toBe(4_000);
    expect(stepDeadlineSignal(undefined)).toBeUndefined();
    expect(stepDeadlineSignal({})).toBeUndefined();
  });

  it('fires with a TimeoutError when the remaining time minus the margin is up', async () => {
    const signal = stepDeadlineSignal({ getRemainingTimeInMillis: () => 20 });
    expect(signal?.aborted).toBe(false);

    await new Promise((resolve) => signal?.addEventListener('abort', resolve));

    expect((signal?.reason as Error).name).toBe('TimeoutError');
  });
});
