/** What a reconciler run past its time limit meets at its next call on a port: the local stand-in for Lambda stopping it. */
export class ReconcilerRunStoppedError extends Error {
  override name = 'ReconcilerRunStoppedError';
}

/**
 * `run` bounded by `timeoutMs`, as Lambda bounds an invocation: its answer or its failure, or past the limit a
 * {@link ReconcilerRunStoppedError}, with `stopped` aborted so that its ports refuse its later calls. A process cannot
 * stop a promise: a run past its limit is let go, beside whatever call it still has in flight.
 */
async function withinLimit<T>(run: (stopped: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const stopped = new AbortController();
  // A run that throws before it returns a promise fails as one that rejects.
  const attempt = Promise.resolve(stopped.signal).then(run);
  let limit: NodeJS.Timeout | undefined;
  const overran = new Promise<never>((_, reject) => {
    limit = setTimeout(() => {
      const error = new ReconcilerRunStoppedError(`reconciler run stopped at its ${timeoutMs} ms timeout`);
      stopped.abort(error);
      reject(error);
    }, timeoutMs);
    limit.unref();
  });
  try {
    return await Promise.race([attempt, overran]);
  } finally {
    clearTimeout(limit);
    // A run let go fails later (its calls refused) with nobody waiting for it: not an unhandled rejection.
    attempt.catch(() => {});
  }
}

/**
 * The local runtime's reconciler runs, each bounded by the reconcile function's time limit (session 45): one every
 * `intervalMs`, as EventBridge invokes the reconcile function in AWS, never two of the timer's at once, and any asked
 * for now (`runNow`, the runtime API's `reconcile()`), beside the timer's as a manual invocation runs beside the
 * schedule in AWS. In AWS Lambda stops a run at its timeout and the next one runs anew; locally a run that hung (a
 * store call that never answers) held the timer for good, and no escalation digest, re-drive or runbook check ran
 * again, and an API run that hung never answered. A run past its limit is let go (see `withinLimit`), its `stopped`
 * signal aborted so that its ports refuse its later calls ({@link callsRefusedOnceAborted}): the timer logs it and
 * runs anew at its next tick, `runNow` fails with the {@link ReconcilerRunStoppedError}.
 */
export function startReconcilerTimer<T>(options: {
  /** One run; `at` is the time a run asked for now is made as of (unset: now). */
  run: (stopped: AbortSignal, at?: Date) => Promise<T>;
  intervalMs: number;
  /** The reconcile function's time limit in AWS (infra/function-timeouts.ts). */
  timeoutMs: number;
  log: (line: string) => void;
}): { runNow(at?: Date): Promise<T>; stop(): Promise<void> } {
  const runNow = (at?: Date) => withinLimit((stopped) => options.run(stopped, at), options.timeoutMs);
  // The timer's run in flight, until it settles or reaches its limit: stop() waits for it, so a run that fires during
  // a stop never calls a closed store (one let go at its limit calls none either: its ports refuse).
  let timedRun: Promise<void> | null = null;
  const boundedRun = async () => {
    try {
      await runNow();
    } catch (error) {
      if (error instanceof ReconcilerRunStoppedError) {
        options.log(`reconciler run still running at its ${options.timeoutMs} ms timeout: let go (its later calls are refused), the next run goes on without it`);
      } else {
        options.log(`reconciler run failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const timer = setInterval(() => {
    if (timedRun) return;
    timedRun = boundedRun().finally(() => {
      timedRun = null;
    });
  }, options.intervalMs);
  timer.unref();
  return {
    runNow,
    async stop() {
      clearInterval(timer);
      await timedRun;
    },
  };
}

/**
 * `deps` whose ports (its functions, and the methods of its objects) throw {@link ReconcilerRunStoppedError} once
 * `stopped` is aborted, instead of reaching a store: a reconciler run let go at its limit does nothing more.
 */
export function callsRefusedOnceAborted<T extends object>(deps: T, stopped: AbortSignal): T {
  const refusing = (call: (...args: unknown[]) => unknown, self: unknown) => (...args: unknown[]) => {
    if (stopped.aborted) throw stopped.reason instanceof Error ? stopped.reason : new ReconcilerRunStoppedError('reconciler run stopped');
    return call.apply(self, args);
  };
  const fenced = Object.entries(deps).map(([name, port]: [string, unknown]) => {
    if (typeof port === 'function') return [name, refusing(port as (...args: unknown[]) => unknown, undefined)];
    if (port === null || typeof port !== 'object') return [name, port];
    return [name, new Proxy(port, {
      get(target, key) {
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? refusing(value as (...args: unknown[]) => unknown, target) : value;
      },
    })];
  });
  return Object.fromEntries(fenced) as T;
}
