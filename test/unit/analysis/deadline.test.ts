import { describe, expect, it } from 'vitest';
import { createOpenAICompatibleAnalyzer } from '../../../shared/analysis/index.js';
import { testFailureInput } from './fixtures.js';

/** The step's deadline (AnalysisInput.signal) cancels a model call still in flight instead of leaving it running. */
describe('analyzer: the step deadline', () => {
  it('aborts the model request when the step deadline fires, long before its own timeout', async () => {
    // Prepare: an endpoint that never answers; only an abort ends the request
    const seen: AbortSignal[] = [];
    const hanging = ((_url: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal as AbortSignal;
        seen.push(signal);
        signal.addEventListener('abort', () => reject(signal.reason));
      })) as typeof fetch;
    const analyzer = createOpenAICompatibleAnalyzer({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1', maxTokens: 1024, temperature: 0, fetch: hanging, timeoutMs: 600_000 });
    const deadline = new AbortController();

    // Act
    const result = analyzer.analyze({ ...testFailureInput(), signal: deadline.signal }).then(
      () => null,
      (error: unknown) => error,
    );
    while (seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    deadline.abort(new DOMException('step deadline reached', 'TimeoutError'));
    const error = await result;

    // Assert
    expect(error).toBeInstanceOf(Error);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.aborted).toBe(true);
  });
});
