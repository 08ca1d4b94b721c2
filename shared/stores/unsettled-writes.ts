import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whether a write sent while a delivery makes its counts had an attempt end in a way that may still land (a timeout,
 * a dropped connection, a server error: mayStillLand in shared/errors.ts), whatever that write's outcome after the
 * SDK's retries. Such an attempt may still be applied after the delivery failed, so the delivery keeps its reading of
 * the claim (countThenFinish in count-marks.ts): a release of the marks before it lands would let it count again. The
 * document client notes each such attempt (shared/stores/dynamo.ts); a delivery's own writes are the ones sent within
 * its `watchUnsettledWrites`.
 */
const deliveries = new AsyncLocalStorage<{ unsettled: boolean }>();

/** Runs `writes`; `unsettled` is then true when any attempt of a write they sent ended unsettled (see above). */
export async function watchUnsettledWrites(writes: () => Promise<void>): Promise<{ unsettled: boolean; error: unknown } | null> {
  const watch = { unsettled: false };
  try {
    await deliveries.run(watch, writes);
    return null;
  } catch (error) {
    return { unsettled: watch.unsettled, error };
  }
}

/** Notes, for the delivery whose writes are watched (if any), an attempt that ended unsettled. */
export function noteUnsettledWrite(): void {
  const watch = deliveries.getStore();
  if (watch !== undefined) watch.unsettled = true;
}
