/**
 * Write pacing for `@octokit/plugin-throttling`.
 *
 * The plugin gates every write (and, separately, every notification-triggering write such as a new comment) on a
 * Bottleneck group with a fixed `minTime` (1 s and 3 s, GitHub's best-practice spacing). Its default groups are
 * module globals shared by every Octokit instance, so they cannot be tuned per client. The plugin accepts
 * replacement groups through its `write` / `notifications` / `search` options and only ever calls
 * `group.key(id).schedule(jobOptions, task, ...args)` on them, so this small pacer stands in for a Bottleneck
 * group: one per client, with the spacing as an option (tests set it to 0).
 *
 * This paces one process only; across concurrent executions the shared write budget in DynamoDB
 * (`shared/stores/write-limiter.ts`) bounds content-creating requests.
 */

type Task = (...args: unknown[]) => unknown;

export interface PacerLimiter {
  schedule(...args: unknown[]): Promise<unknown>;
}

export interface Pacer {
  key(id?: string): PacerLimiter;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs scheduled tasks one after another, starting each at least `minIntervalMs` after the previous one started. */
export function createPacer(minIntervalMs: number): Pacer {
  let queue: Promise<unknown> = Promise.resolve();
  let lastStart = Number.NEGATIVE_INFINITY;

  const limiter: PacerLimiter = {
    schedule(...args: unknown[]): Promise<unknown> {
      // Bottleneck's signature is schedule([jobOptions], task, ...taskArgs).
      const [first, ...rest] = args;
      const [task, taskArgs] =
        typeof first === 'function' ? [first as Task, rest] : [rest[0] as Task, rest.slice(1)];
      const run = queue.then(async () => {
        const wait = lastStart + minIntervalMs - Date.now();
        if (wait > 0) await sleep(wait);
        lastStart = Date.now();
        return task(...taskArgs);
      });
      // A failed task must not stall the queue for the ones behind it.
      queue = run.catch(() => undefined);
      return run;
    },
  };
  return { key: () => limiter };
}
