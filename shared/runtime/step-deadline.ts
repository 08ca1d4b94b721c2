import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The deadline of one step invocation as an AbortSignal. Step Functions times a Task out at its TimeoutSeconds
 * and Lambda stops the function at its timeout, but neither stops requests the attempt already has in flight in a
 * warm process — and the retry starts beside them (GitHub saw 45 POSTs for one comment). The handler wrapper
 * derives this signal from `context.getRemainingTimeInMillis()` (AWS; locally the state's TimeoutSeconds) and
 * hands it to the step, which passes it to every outbound request.
 */

/** Time kept back from the remaining time so a step can still record what it did before it is cut off. */
export function deadlineMarginMs(remainingMs: number): number {
  return Math.min(10_000, Math.floor(remainingMs * 0.2));
}

/** The invocation's remaining time (ms) from its Lambda context; none without one. */
function remainingOf(context: unknown): number | undefined {
  const remaining = (context as { getRemainingTimeInMillis?: unknown } | null)?.getRemainingTimeInMillis;
  if (typeof remaining !== 'function') return undefined;
  const remainingMs = Number(remaining.call(context));
  return Number.isFinite(remainingMs) && remainingMs > 0 ? remainingMs : undefined;
}

/** When the invocation's outbound work must be over (ms since the epoch): its remaining time less the margin; none without a context. */
function deadlineOf(context: unknown): number | undefined {
  const remainingMs = remainingOf(context);
  return remainingMs === undefined ? undefined : Date.now() + remainingMs - deadlineMarginMs(remainingMs);
}

/** When Lambda (or the local runtime) stops the invocation (ms since the epoch), margin not taken off; none without a context. */
export function invocationEndOf(context: unknown): number | undefined {
  const remainingMs = remainingOf(context);
  return remainingMs === undefined ? undefined : Date.now() + remainingMs;
}

/** Aborts (reason: a TimeoutError) when the invocation has `remainingMs` left minus the margin; none without a context. */
export function stepDeadlineSignal(context: unknown): AbortSignal | undefined {
  const deadline = deadlineOf(context);
  return deadline === undefined ? undefined : AbortSignal.timeout(Math.max(1, deadline - Date.now()));
}

/**
 * The deadline of the invocation being handled, for the adapters built once per container and reused by every
 * invocation (the Secrets Manager and SSM JSON API clients), which no step hands a signal to (session 43). Scoped to
 * the invocation's asynchronous work rather than kept in a variable, so it ends with the invocation in a warm
 * container, and the local runtime's concurrent invocations in one process each see their own.
 */
const invocationDeadlines = new AsyncLocalStorage<number | undefined>();

/** `handler`, run with its invocation's deadline (from its Lambda context) known to {@link invocationDeadline}. */
export function withInvocationDeadline<E, C, R>(handler: (event: E, context: C) => R): (event: E, context: C) => R {
  return (event, context) => invocationDeadlines.run(deadlineOf(context), () => handler(event, context));
}

/** When the current invocation's outbound work must be over (ms since the epoch); undefined outside one (cold start, the CLI). */
export function invocationDeadline(): number | undefined {
  return invocationDeadlines.getStore();
}
