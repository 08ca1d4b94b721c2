import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { GitHubUnavailableError, WriteBudgetExhaustedError } from '../../../shared/errors.js';
import type { WriteLimiter } from '../../../shared/ports.js';
import { FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

/**
 * `retry-after` honoured across attempts: a rate-limited answer sets the identity's hold in the shared write
 * budget, so a retry in a new attempt or another Lambda (here: a second client) does not write before the time
 * GitHub asked for. The hold's storage semantics are tested against dynalite in test/unit/stores.
 *
 * The clock is held (Date only: the requests, their sockets and timers run in real time), so a hold is asked for at
 * exactly the time GitHub named: no slack for the time a loaded machine takes between the answer and the hold.
 */
const repo = { owner: 'octo', repo: 'app' };
const MARKER = '<!-- pipeline-guard:run=42 -->';

/** The shared store's contract in memory: a hold only moves later, and `acquire` refuses until it passes. */
function sharedLimiter() {
  let untilMs = 0;
  const holds: number[] = [];
  const limiter: WriteLimiter = {
    async acquire() {
      const ms = untilMs - Date.now();
      if (ms > 0) throw new WriteBudgetExhaustedError(`held for ${Math.ceil(ms / 1000)} s`, { retryAfterSeconds: ms / 1000 });
    },
    async holdUntil(until) {
      holds.push(until.getTime());
      untilMs = Math.max(untilMs, until.getTime());
    },
  };
  return { limiter, holds };
}

const posts = (fake: FakeGitHub) => fake.apiCalls().filter((c) => c.startsWith('POST'));

/** The held clock's time, in milliseconds. */
const NOW = Date.parse('2026-11-20T14:00:00Z');

describe('GitHub client: rate-limit holds shared across attempts', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a secondary rate limit with retry-after holds the next attempt of another client until that time', async () => {
    // Prepare: no in-process retries, real seconds, so the first attempt gives up at once
    fake.fail({
      method: 'POST',
      route: /\/issues\/7\/comments$/,
      reply: { status: 403, headers: { 'retry-after': '30' }, body: { message: 'You have exceeded a secondary rate limit.' } },
    });
    const shared = sharedLimiter();
    const firstAttempt = clientFor(fake, { retries: 0, retryBaseDelayMs: 1000, writeLimiter: shared.limiter });
    const nextAttempt = clientFor(fake, { retries: 0, retryBaseDelayMs: 1000, writeLimiter: shared.limiter });

    // Act
    const first = await rejection(firstAttempt.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));
    const second = await rejection(nextAttempt.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));

    // Assert
    expect(first).toBeInstanceOf(GitHubUnavailableError);
    expect(second).toBeInstanceOf(WriteBudgetExhaustedError);
    expect((second as WriteBudgetExhaustedError).retryAfterSeconds).toBe(30);
    expect(Math.max(...shared.holds)).toBe(NOW + 30_000);
    expect(posts(fake)).toHaveLength(1);
  });

  it('an exhausted primary limit holds until x-ratelimit-reset', async () => {
    // Prepare
    const reset = NOW / 1000 + 120;
    fake.fail({
      method: 'POST',
      route: /\/issues\/7\/comments$/,
      reply: { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) }, body: { message: 'API rate limit exceeded' } },
    });
    const shared = sharedLimiter();
    const client = clientFor(fake, { retries: 0, retryBaseDelayMs: 1000, writeLimiter: shared.limiter });

    // Act
    await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));
    const next = await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));

    // Assert: the reset plus GitHub's one second, not a guess
    expect(Math.max(...shared.holds)).toBe((reset + 1) * 1000);
    expect(next).toBeInstanceOf(WriteBudgetExhaustedError);
    expect(posts(fake)).toHaveLength(1);
  });

  it('a 429 the throttling plugin does not recognise still sets the hold from retry-after', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/issues\/7\/comments$/, reply: { status: 429, headers: { 'retry-after': '12' }, body: { message: 'Too many requests' } } });
    const shared = sharedLimiter();
    const client = clientFor(fake, { retries: 0, retryBaseDelayMs: 1000, writeLimiter: shared.limiter });

    // Act
    const error = await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(Math.max(...shared.holds)).toBe(NOW + 12_000);
  });
});
