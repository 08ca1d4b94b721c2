import { RetryableError, errorMessage } from '../errors.js';
import type { AnalysisInput, Analyzer } from '../ports.js';
import { AnalyzerOutputError } from './errors.js';
import type { AnalysisOutcome, OutcomeAnalyzer } from './schema.js';
import { oneLine } from './text.js';

export interface FallbackOptions {
  /**
   * Fall back on retryable errors too, instead of rethrowing them. Off by default so that in the state machine
   * a throttled provider surfaces as `AnalyzerUnavailableError` and the Analyze task's Retry (with backoff) gets
   * its chance. Turn it on where nothing retries: the CLI, a local run without the workflow, or a last attempt.
   */
  fallbackOnUnavailable?: boolean;
}

/** The one-line reason stored on the incident when the fallback produced the analysis. */
export function fallbackReason(provider: string, error: unknown): string {
  return oneLine(`${provider} analyzer failed: ${errorMessage(error)}`, 300);
}

/**
 * Runs the fallback analyzer and records why. Used by {@link withFallback}, and directly by the analyze step's
 * Catch path, where the primary's error arrives as the state machine's `{ Error, Cause }` (see
 * {@link reasonFromCaughtError}).
 */
export async function analyzeWithFallback(
  fallback: Analyzer,
  input: AnalysisInput,
  reason: string,
  failedAttempt?: AnalysisOutcome['failedAttempt'],
): Promise<AnalysisOutcome> {
  const result: AnalysisOutcome = await fallback.analyze(input);
  return { ...result, fallbackReason: oneLine(reason, 300), ...(failedAttempt ? { failedAttempt } : {}) };
}

/**
 * Turns the error object a Step Functions Catch puts in the state (`{ Error, Cause }`, where a Lambda's Cause is
 * the JSON `{ errorType, errorMessage, ... }`) into a one-line reason.
 */
export function reasonFromCaughtError(caught: { Error?: string; Cause?: string } | null | undefined): string {
  const name = caught?.Error ?? 'Error';
  const cause = caught?.Cause ?? '';
  let message = cause;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // A Cause that is not JSON (States.Timeout, States.TaskFailed) is already the message.
  }
  return oneLine(message ? `analyzer failed: ${name}: ${message}` : `analyzer failed: ${name}`, 300);
}

/**
 * Wraps a primary analyzer with a fallback.
 *
 * - Retryable errors (`AnalyzerUnavailableError`, any `RetryableError`) are rethrown so the state machine
 *   retries the Analyze task with backoff, unless {@link FallbackOptions.fallbackOnUnavailable} is set. When
 *   retries are exhausted the Catch path calls {@link analyzeWithFallback} with {@link reasonFromCaughtError},
 *   so the pipeline continues and the incident says why a model was not used.
 * - Everything else (configuration errors, unusable output, redaction unavailable, bugs) falls back at once:
 *   retrying cannot fix it, and an incident must never be lost to its analysis.
 *
 * The result keeps the primary's provider name on the wrapper but the fallback's provider on the result, plus a
 * one-line `fallbackReason` and any tokens the primary spent (`failedAttempt`) for cost accounting.
 */
export function withFallback(
  primary: Analyzer,
  fallback: Analyzer,
  onFallback?: (reason: string) => void,
  options: FallbackOptions = {},
): OutcomeAnalyzer {
  const primaryModel = 'model' in primary && typeof primary.model === 'string' ? primary.model : null;
  return {
    provider: primary.provider,
    model: primaryModel,
    async analyze(input) {
      try {
        return await primary.analyze(input);
      } catch (error) {
        if (error instanceof RetryableError && !options.fallbackOnUnavailable) throw error;
        const reason = fallbackReason(primary.provider, error);
        onFallback?.(reason);
        const failedAttempt =
          error instanceof AnalyzerOutputError && (error.usage || error.latencyMs !== undefined)
            ? {
                provider: primary.provider,
                model: primaryModel,
                ...(error.usage ? { usage: error.usage } : {}),
                ...(error.latencyMs !== undefined ? { latencyMs: error.latencyMs } : {}),
              }
            : undefined;
        return analyzeWithFallback(fallback, input, reason, failedAttempt);
      }
    },
  };
}
