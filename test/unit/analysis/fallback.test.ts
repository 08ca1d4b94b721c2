import { describe, expect, it, vi } from 'vitest';
import {
  AnalyzerOutputError,
  analyzeWithFallback,
  createOfflineAnalyzer,
  reasonFromCaughtError,
  withFallback,
  type AnalysisOutcome,
} from '../../../shared/analysis/index.js';
import { AnalyzerConfigurationError, AnalyzerUnavailableError, RedactionError } from '../../../shared/errors.js';
import type { AnalysisInput, Analyzer } from '../../../shared/ports.js';
import { testFailureInput } from './fixtures.js';

function failing(error: unknown): Analyzer & { model: string } {
  return {
    provider: 'bedrock',
    model: 'model-x',
    analyze: vi.fn(async () => {
      throw error;
    }),
  };
}

const modelResult: AnalysisOutcome = {
  rootCause: 'r',
  fix: ['f'],
  confidence: 0.7,
  proposedAction: 'comment_only',
  rationale: 'x',
  evidence: [],
  provider: 'bedrock',
  model: 'model-x',
};

describe('withFallback', () => {
  it("returns the primary's result when it succeeds", async () => {
    // Prepare
    const onFallback = vi.fn();
    const primary: Analyzer = { provider: 'bedrock', analyze: async (_input: AnalysisInput) => modelResult };

    // Act
    const result = await withFallback(primary, createOfflineAnalyzer(), onFallback).analyze(testFailureInput());

    // Assert
    expect(result).toBe(modelResult);
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('rethrows AnalyzerUnavailableError so the state machine retries with backoff', async () => {
    // Prepare
    const onFallback = vi.fn();
    const throttled = new AnalyzerUnavailableError('Bedrock ThrottlingException for model model-x: slow down');

    // Act / Assert
    await expect(withFallback(failing(throttled), createOfflineAnalyzer(), onFallback).analyze(testFailureInput())).rejects.toBe(
      throttled,
    );
    expect(onFallback).not.toHaveBeenCalled();
  });

  it('falls back on AnalyzerUnavailableError when told to (no Retry around it, or the last attempt)', async () => {
    // Prepare
    const throttled = new AnalyzerUnavailableError('Bedrock ThrottlingException for model model-x: slow down');

    // Act
    const result = await withFallback(failing(throttled), createOfflineAnalyzer(), undefined, {
      fallbackOnUnavailable: true,
    }).analyze(testFailureInput());

    // Assert
    expect(result.provider).toBe('offline');
    expect(result.fallbackReason).toBe(
      'bedrock analyzer failed: AnalyzerUnavailableError: Bedrock ThrottlingException for model model-x: slow down',
    );
  });

  it.each([
    ['a configuration error', new AnalyzerConfigurationError('Bedrock denied access to model model-x (AccessDeniedException)')],
    ['unusable output', new AnalyzerOutputError('Bedrock model model-x gave no usable analysis after 2 attempts')],
    ['redaction being unavailable', new RedactionError('redaction rules failed to load')],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'content')")],
  ])('falls back at once on %s, with a one-line reason', async (_label, error) => {
    // Prepare
    const onFallback = vi.fn();

    // Act
    const result = await withFallback(failing(error), createOfflineAnalyzer(), onFallback).analyze(testFailureInput());

    // Assert
    expect(result.provider).toBe('offline');
    expect(result.model).toBeNull();
    expect(result.fallbackReason).toBe(`bedrock analyzer failed: ${error.name}: ${error.message}`);
    expect(onFallback).toHaveBeenCalledWith(result.fallbackReason);
    expect(result.proposedAction).toBe('comment_only');
  });

  it("records the failed primary's tokens for cost accounting", async () => {
    // Prepare
    const error = new AnalyzerOutputError('invalid twice', { usage: { inputTokens: 3000, outputTokens: 400 }, latencyMs: 2100 });

    // Act
    const result = await withFallback(failing(error), createOfflineAnalyzer()).analyze(testFailureInput());

    // Assert
    expect(result.failedAttempt).toEqual({
      provider: 'bedrock',
      model: 'model-x',
      usage: { inputTokens: 3000, outputTokens: 400 },
      latencyMs: 2100,
    });
  });

  it('keeps a multi-line error message to one bounded line', async () => {
    // Prepare
    const error = new Error(`line one\nline two ${'x'.repeat(500)}`);

    // Act
    const result = await withFallback(failing(error), createOfflineAnalyzer()).analyze(testFailureInput());

    // Assert
    expect(result.fallbackReason).not.toContain('\n');
    expect(result.fallbackReason?.length).toBeLessThanOrEqual(300);
  });
});

describe('the Catch path', () => {
  it('turns a Lambda error caught by the state machine into a reason', () => {
    // Prepare
    const caught = {
      Error: 'AnalyzerUnavailableError',
      Cause: JSON.stringify({
        errorType: 'AnalyzerUnavailableError',
        errorMessage: 'Bedrock ThrottlingException for model m: Too many requests',
        trace: ['AnalyzerUnavailableError: ...', '    at send (bedrock.js:1:1)'],
      }),
    };

    // Act / Assert
    expect(reasonFromCaughtError(caught)).toBe(
      'analyzer failed: AnalyzerUnavailableError: Bedrock ThrottlingException for model m: Too many requests',
    );
    expect(reasonFromCaughtError({ Error: 'States.Timeout', Cause: 'Task timed out after 300 seconds' })).toBe(
      'analyzer failed: States.Timeout: Task timed out after 300 seconds',
    );
    expect(reasonFromCaughtError(undefined)).toBe('analyzer failed: Error');
  });

  it('continues with the fallback analysis and says why', async () => {
    // Act
    const result = await analyzeWithFallback(
      createOfflineAnalyzer(),
      testFailureInput(),
      reasonFromCaughtError({ Error: 'AnalyzerUnavailableError', Cause: '{"errorMessage":"retries exhausted"}' }),
    );

    // Assert
    expect(result.provider).toBe('offline');
    expect(result.fallbackReason).toBe('analyzer failed: AnalyzerUnavailableError: retries exhausted');
    expect(result.rootCause).toContain('applies the discount');
  });
});
