/**
 * A GitHub write (the PR comment, an automatic re-run) that waits for the shared write budget instead of failing.
 *
 * When the budget is spent (or GitHub asked us to hold off), the step does not fail: it records the write as
 * pending and returns how long to wait; the state machine parks the execution in a Wait state (nothing runs or is
 * billed meanwhile) and runs the step again. The rounds are counted in the execution state, so the wait is bounded
 * twice: by time since the first round (`GITHUB_WRITE_WAIT_MINUTES`) and by a number of rounds (a Step Functions
 * history holds 25,000 events; each round adds about ten). Only when that bound is spent does the incident
 * escalate — with its full content, because the budget alone never pages.
 */

/** Hard cap on rounds of one execution, whatever the time bound (each round is a Task and a Wait). */
export const MAX_WRITE_WAIT_ROUNDS = 200;
/** One Wait never exceeds this, so a long hold is re-checked (GitHub's hold may be lifted or shortened). */
export const MAX_WRITE_WAIT_SECONDS = 900;

/** What the previous round returned, as far as the wait needs it: whether it waited, since when, how often. */
export interface WriteWaitState {
  pending: boolean;
  since?: string | undefined;
  rounds?: number | undefined;
}

export type WriteWaitPlan =
  | { kind: 'wait'; waitSeconds: number; pendingSince: string; pendingRounds: number }
  | { kind: 'give_up'; pendingSince: string; pendingRounds: number; waitedMinutes: number };

/** `waitedMs` in minutes to a tenth, as the wait reports it. */
function waitedMinutesOf(waitedMs: number): number {
  return Math.round(waitedMs / 6_000) / 10;
}

/** How long a write waited, from `sinceMs` to `untilMs`, in minutes to a tenth as the wait reports it: never negative. */
export function waitedMinutesBetween(sinceMs: number, untilMs: number): number {
  return waitedMinutesOf(Math.max(0, untilMs - sinceMs));
}

/** Spreads the waiters of one burst over a few seconds (same incident and round: same spread, so tests are stable). */
function spreadSeconds(key: string, retryAfterSeconds: number): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  const span = Math.min(15, Math.ceil(retryAfterSeconds / 4));
  return span > 0 ? hash % (span + 1) : 0;
}

/**
 * The next step for a write the budget refused: wait `waitSeconds` (GitHub's or the budget's own time, spread a
 * little so a burst of waiters does not come back in the same second), or give up once the bound is spent.
 */
export function planWriteWait(input: {
  incidentId: string;
  retryAfterSeconds: number;
  previous: WriteWaitState | undefined;
  now: Date;
  maxWaitMinutes: number;
}): WriteWaitPlan {
  const since = input.previous?.pending && input.previous.since ? input.previous.since : input.now.toISOString();
  const rounds = (input.previous?.pending ? (input.previous.rounds ?? 0) : 0) + 1;
  const waitedMs = Math.max(0, input.now.getTime() - Date.parse(since));
  const base = Math.min(MAX_WRITE_WAIT_SECONDS, Math.max(1, Math.ceil(input.retryAfterSeconds)));
  const waitSeconds = base + spreadSeconds(`${input.incidentId}#${rounds}`, base);
  const boundMs = input.maxWaitMinutes * 60_000;
  if (rounds > MAX_WRITE_WAIT_ROUNDS || waitedMs + waitSeconds * 1000 > boundMs) {
    return { kind: 'give_up', pendingSince: since, pendingRounds: rounds, waitedMinutes: waitedMinutesOf(waitedMs) };
  }
  return { kind: 'wait', waitSeconds, pendingSince: since, pendingRounds: rounds };
}
