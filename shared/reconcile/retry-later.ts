/**
 * When the reconciler tries again a due entry whose work failed, and when it gives up. Its sweeps read their due
 * entries oldest first, bounded per run: an entry that fails every time and stays where it is holds back every entry
 * behind it, so a failed one moves later (shared/stores/due-index.ts `move`), behind the entries due now, and less and
 * less often: 5 minutes (about one scheduled run) doubling, at most 4 hours. After {@link MAX_FAILURES} failures,
 * about nine hours of them, an outage of DynamoDB or GitHub outlasted, the sweep gives the entry up loudly
 * (an error log and a metric), each as its module says.
 */
import { errorMessage } from '../errors.js';
import type { Clock, StepLogger } from '../ports.js';

/** Failures of one entry's work after which its sweep gives it up. */
export const MAX_FAILURES = 8;
const FIRST_RETRY_MS = 5 * 60_000;
const LONGEST_RETRY_MS = 4 * 3_600_000;

/** When an entry whose work failed for the `failures`th time at `now` is due again; null: give it up. */
export function retryAfterFailure(now: Date, failures: number): Date | null {
  if (failures >= MAX_FAILURES) return null;
  return new Date(now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1), LONGEST_RETRY_MS));
}

/**
 * {@link retryAfterFailure} for work whose failure is most often one throttled call, and whose first retry must not
 * wait for it (an incident's re-drive or escalation, ./redrive.ts): due at once after the first failure, so the next
 * run tries it again; after the `failures`th, as retryAfterFailure after the one before (5 minutes doubling, at most
 * 4 hours). Given up at the same {@link MAX_FAILURES}: tries at 0, 5, 10, 20, 40, 80, 160 and 320 minutes.
 */
export function retryFromNextRun(now: Date, failures: number): Date | null {
  if (failures >= MAX_FAILURES) return null;
  return failures <= 1 ? now : retryAfterFailure(now, failures - 1);
}

/** One due entry whose work failed, as its sweep gives it up or moves it later (see {@link afterFailure}). */
export interface FailedEntry {
  /** The entry's failures before this one. */
  failures: number;
  /** Tried again from the next run ({@link retryFromNextRun}) rather than 5 minutes after its first failure ({@link retryAfterFailure}). */
  fromNextRun?: boolean;
  /** What names the entry in the warning of a retry, and in the error log of a give-up (which may say more). */
  named: { retried: Record<string, unknown>; givenUp: Record<string, unknown> };
  /**
   * Moves the entry to `retryAt` in its store, as failed `failures` times, the last at `failedAt`; `counted` adds it to
   * the run's failures, when the sweep counts them here.
   */
  retry: { message: string; move(retryAt: Date, failures: number, failedAt: Date): Promise<unknown>; counted?(): void };
  /** Takes the entry off its store after its `failures`th failure, at `failedAt`; `counted` adds it to the run's give-ups. */
  giveUp: { message: string; drop(failures: number, failedAt: Date): Promise<unknown>; counted(): void };
}

/**
 * The tail every sweep runs after an entry's work failed: given up after {@link MAX_FAILURES} failures (dropped,
 * counted, an error log), else moved to {@link retryAfterFailure}'s time, or {@link retryFromNextRun}'s (counted, a
 * warning). The store calls, the counts and the messages are the sweep's; a store call that fails is thrown to the
 * sweep, which leaves the entry where it is for the next run (and, for a give-up, logs no give-up: the next run gives
 * it up again).
 */
export async function afterFailure(entry: FailedEntry, error: unknown, deps: { clock: Clock; logger: Pick<StepLogger, 'warn' | 'error'> }): Promise<void> {
  const failures = entry.failures + 1;
  const failedAt = deps.clock();
  const retryAt = (entry.fromNextRun ? retryFromNextRun : retryAfterFailure)(failedAt, failures);
  if (!retryAt) {
    await entry.giveUp.drop(failures, failedAt);
    entry.giveUp.counted();
    deps.logger.error(entry.giveUp.message, { ...entry.named.givenUp, failures, error: errorMessage(error) });
    return;
  }
  entry.retry.counted?.();
  deps.logger.warn(entry.retry.message, { ...entry.named.retried, failures, retryAt: retryAt.toISOString(), error: errorMessage(error) });
  await entry.retry.move(retryAt, failures, failedAt);
}
