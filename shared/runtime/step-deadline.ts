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

/** Aborts (reason: a TimeoutError) when the invocation has `remainingMs` left minus the margin; none without a context. */
export function stepDeadlineSignal(context: unknown): AbortSignal | undefined {
  const remaining = (context as { getRemainingTimeInMillis?: unknown } | null)?.getRemainingTimeInMillis;
  if (typeof remaining !== 'function') return undefined;
  const remainingMs = Number(remaining.call(context));
  if (!Number.isFinite(remainingMs) || remainingMs <= 0) return undefined;
  return AbortSignal.timeout(Math.max(1, remainingMs - deadlineMarginMs(remainingMs)));
}
