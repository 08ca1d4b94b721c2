/** What a reconciler run past its time limit meets at its next call on a port: the local stand-in for Lambda stopping it. */
export class ReconcilerRunStoppedError extends Error {
  override name = 'ReconcilerRunStoppedError';
}

/**
 * The local runtime's scheduled reconciler runs: one every `intervalMs`, as EventBridge invokes the reconcile function
 * in AWS, never two of the timer's at once, each bounded by the function's time limit (session 45). In AWS Lambda stops
 * a run at its timeout and the next schedule runs anew; locally a run that hung (a store call that never answers) held
 * the timer for good, and no escalation digest, re-drive or runbook check ran again. A process cannot stop a promise:
 * a run past its limit is let go (logged), its `stopped` signal aborted so that its ports refuse its later calls
 * ({@link callsRefusedOnceAborted}), and the next tick runs anew beside whatever call it still has in flight, as a
 * `reconcile()` of the runtime's API already runs beside the timer's.
 */
export function startReconcilerTimer(options: {
  run: (stopped: AbortSignal) => Promise<unknown>;
  intervalMs: number;
  /** The reconcile function's time limit in AWS (infra/function-timeouts.ts). */
  timeoutMs: number;
  log: (line: string) => void;
}): { stop(): Promise<void> } {
  // The timer's run in flight, until it settles or reaches its limit: stop() waits for it, so a run that fires during
  // a stop never calls a closed store (one let go at its limit calls none either: its ports refuse).
  let timedRun: Promise<void> | null = null;
  const boundedRun = async () => {
    const stopped = new AbortController();
    // A run that throws before it returns a promise fails as one that rejects.
    const attempt = Promise.resolve(stopped.signal).then(options.run)
      .then(() => 'settled' as const)
      .catch((error: unknown) => {
        if (!stopped.signal.aborted) options.log(`reconciler run failed: ${error instanceof Error ? error.message : String(error)}`);
        return 'settled' as const;
      });
    let limit: NodeJS.Timeout | undefined;
    const overran = new Promise<'overran'>((resolve) => {
      limit = setTimeout(() => resolve('overran'), options.timeoutMs);
      limit.unref();
    });
    const first = await Promise.race([attempt, overran]);
    clearTimeout(limit);
    if (first === 'settled') return;
    stopped.abort(new ReconcilerRunStoppedError(`reconciler run stopped at its ${options.timeoutMs} ms timeout`));
    options.log(`reconciler run still running at its ${options.timeoutMs} ms timeout: let go (its later calls are refused), the next run goes on without it`);
  };
  const timer = setInterval(() => {
    if (timedRun) return;
    timedRun = boundedRun().finally(() => {
      timedRun = null;
    });
  }, options.intervalMs);
  timer.unref();
  return {
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
