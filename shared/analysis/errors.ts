import type { TokenUsage } from './schema.js';

/**
 * The model answered, but not with a usable analysis (invalid or truncated tool input even after the repair
 * attempt, a guardrail intervention, no tool call). Not retryable: asking again with the same input is
 * unlikely to help, so the analyze step falls back to the offline analyzer. The name is matched by the state
 * machine's Catch and must not be added to `RETRYABLE_ERROR_NAMES`.
 */
export class AnalyzerOutputError extends Error {
  override name = 'AnalyzerOutputError';
  /** Tokens spent on the unusable answer(s), for cost accounting. */
  readonly usage: TokenUsage | undefined;
  readonly latencyMs: number | undefined;
  constructor(message: string, options?: { cause?: unknown; usage?: TokenUsage; latencyMs?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.usage = options?.usage;
    this.latencyMs = options?.latencyMs;
  }
}

/**
 * The incident's model requests are spent (see `ModelRequestLedger`): no more are made, and the analysis falls back
 * to the offline analyzer at once, with what the requests before spent. Not retryable: waiting gives none back.
 */
export class ModelRequestsSpentError extends AnalyzerOutputError {
  override name = 'ModelRequestsSpentError';
}
