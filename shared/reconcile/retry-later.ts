/**
 * When the reconciler tries again a due entry whose work failed, and when it gives up. Its sweeps read their due
 * entries oldest first, bounded per run: an entry that fails every time and stays where it is holds back every entry
 * behind it, so a failed one moves later (shared/stores/due-index.ts `move`), behind the entries due now, and less and
 * less often: 5 minutes (about one scheduled run) doubling, at most 4 hours. After {@link MAX_FAILURES} failures,
 * about nine hours of them, an outage of DynamoDB or GitHub outlasted, the sweep gives the entry up loudly
 * (an error log and a metric), each as its module says.
 */

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
