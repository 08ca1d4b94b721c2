import { describe, expect, it } from 'vitest';
import {
  ANALYSIS_TOOL_NAME,
  AnalyzerOutputError,
  PROMPT_VERSION,
  analysisToolInputSchema,
  createOfflineAnalyzer,
  createOpenAICompatibleAnalyzer,
  parseContentAnswer,
  withFallback,
  type OpenAICompatibleAnalyzerOptions,
} from '../../../shared/analysis/index.js';
import { AnalyzerConfigurationError, AnalyzerUnavailableError, ConfigError, RETRYABLE_ERROR_NAMES, RetryableError } from '../../../shared/errors.js';
import { type Reply, contentReply, errorReply, fetchMock, toolCallReply } from './fetch-mock.js';
import { goodModelAnswer, testFailureInput } from './fixtures.js';

const BASE = 'http://127.0.0.1:11434/v1';

const good = goodModelAnswer;

function analyzer(replies: Reply[], extra: Partial<OpenAICompatibleAnalyzerOptions> = {}) {
  const mock = fetchMock(...replies);
  let tick = 0;
  const instance = createOpenAICompatibleAnalyzer({
    baseUrl: BASE,
    model: 'llama3.1',
    maxTokens: 1024,
    temperature: 0,
    fetch: mock.fetch,
    // Each clock read advances 10 ms, so latency is deterministic.
    now: () => (tick += 10),
    ...extra,
  });
  return { analyzer: instance, requests: mock.requests };
}

describe('OpenAI-compatible analyzer', () => {
  it('posts one chat completion that forces the analysis function with the schema from zod', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([toolCallReply(good)], { baseUrl: `${BASE}/`, apiKey: 'sk-local-test' });

    // Act
    await subject.analyze(testFailureInput());

    // Assert
    expect(requests).toHaveLength(1);
    const [sent] = requests;
    expect(sent?.url).toBe(`${BASE}/chat/completions`);
    expect(sent?.method).toBe('POST');
    expect(sent?.headers).toMatchObject({ authorization: 'Bearer sk-local-test', 'content-type': 'application/json' });
    expect(sent?.body).toMatchObject({ model: 'llama3.1', max_tokens: 1024, temperature: 0, stream: false });
    expect(sent?.body.tools).toEqual([
      { type: 'function', function: { name: ANALYSIS_TOOL_NAME, description: expect.any(String), parameters: analysisToolInputSchema() } },
    ]);
    expect(sent?.body.tool_choice).toEqual({ type: 'function', function: { name: ANALYSIS_TOOL_NAME } });
    expect(sent?.body.response_format).toBeUndefined();
    expect(sent?.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(sent?.body.messages[1].content).toContain('<untrusted_log>');
  });

  it('sends no Authorization header without LLM_API_KEY', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([toolCallReply(good)]);

    // Act
    await subject.analyze(testFailureInput());

    // Assert
    expect(requests[0]?.headers.authorization).toBeUndefined();
  });

  it('reads a key kept in a secret for every request, so a rotated key is used at once', async () => {
    // Prepare
    const keys = ['sk-before-rotation', 'sk-after-rotation'];
    const { analyzer: subject, requests } = analyzer([toolCallReply(good)], { apiKey: async () => keys.shift() ?? 'none left' });

    // Act
    await subject.analyze(testFailureInput());
    await subject.analyze(testFailureInput());

    // Assert
    expect(requests.map((request) => request.headers.authorization)).toEqual(['Bearer sk-before-rotation', 'Bearer sk-after-rotation']);
  });

  it('names a key that cannot be read now unavailable (retried) and one that is missing a configuration error, sending nothing', async () => {
    // Prepare
    const throttled = analyzer([toolCallReply(good)], { apiKey: async () => Promise.reject(new RetryableError('secret LLM_API_KEY_SECRET_ARN could not be read right now')) });
    const empty = analyzer([toolCallReply(good)], { apiKey: async () => Promise.reject(new ConfigError('secret LLM_API_KEY_SECRET_ARN has no value yet')) });

    // Act
    const unavailable = await throttled.analyzer.analyze(testFailureInput()).catch((error: unknown) => error);
    const misconfigured = await empty.analyzer.analyze(testFailureInput()).catch((error: unknown) => error);

    // Assert
    expect(unavailable).toBeInstanceOf(AnalyzerUnavailableError);
    expect(misconfigured).toBeInstanceOf(AnalyzerConfigurationError);
    expect((misconfigured as Error).message).toContain('has no value yet');
    expect([...throttled.requests, ...empty.requests]).toHaveLength(0);
  });

  it('returns the validated function arguments with usage, latency and prompt version', async () => {
    // Prepare
    const { analyzer: subject } = analyzer([toolCallReply(good)]);

    // Act
    const result = await subject.analyze(testFailureInput());

    // Assert
    expect(result).toMatchObject({
      provider: 'openai',
      model: 'llama3.1',
      rootCause: good.rootCause,
      confidence: 0.85,
      proposedAction: 'comment_only',
      evidence: good.evidence,
      usage: { inputTokens: 1800, outputTokens: 240 },
      latencyMs: 10,
      promptVersion: PROMPT_VERSION,
      attempts: 1,
    });
  });

  it('accepts arguments sent as an object and a JSON answer sent as content', async () => {
    // Prepare
    const asObject = new Response(
      JSON.stringify({
        choices: [{ message: { role: 'assistant', tool_calls: [{ id: 'c', function: { name: ANALYSIS_TOOL_NAME, arguments: good } }] }, finish_reason: 'stop' }],
      }),
      { status: 200 },
    );
    const asContent = contentReply(`Here is the analysis:\n\`\`\`json\n${JSON.stringify(good)}\n\`\`\``);
    const asTextToolCall = contentReply(JSON.stringify({ name: ANALYSIS_TOOL_NAME, parameters: good }));

    // Act
    const results = await Promise.all([asObject, asContent, asTextToolCall].map((reply) => analyzer([reply]).analyzer.analyze(testFailureInput())));

    // Assert
    for (const result of results) expect(result).toMatchObject({ rootCause: good.rootCause, attempts: 1 });
  });

  it('asks for JSON under response_format when the model answers in prose instead of calling the function', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([contentReply('The cart test failed, probably a discount bug.'), contentReply(JSON.stringify(good))]);

    // Act
    const result = await subject.analyze(testFailureInput());

    // Assert
    expect(result).toMatchObject({ rootCause: good.rootCause, attempts: 2, usage: { inputTokens: 3600, outputTokens: 480 } });
    const repair = requests[1]?.body;
    expect(repair?.tools).toBeUndefined();
    expect(repair?.response_format).toEqual({ type: 'json_schema', json_schema: { name: ANALYSIS_TOOL_NAME, schema: analysisToolInputSchema(), strict: false } });
    expect(repair?.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair?.messages[0].content).toContain('Function calling is not available on this endpoint');
    expect(repair?.messages[3].content).toContain('one JSON object');
  });

  it('switches to json_schema at once when the server cannot do tools, and remembers it', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([
      errorReply(400, 'registry.ollama.ai/library/gemma:2b does not support tools'),
      contentReply(JSON.stringify(good)),
    ]);

    // Act
    const first = await subject.analyze(testFailureInput());
    const second = await subject.analyze(testFailureInput());

    // Assert
    expect(first).toMatchObject({ rootCause: good.rootCause, attempts: 1, usage: { inputTokens: 1800, outputTokens: 240 } });
    expect(second.attempts).toBe(1);
    expect(requests.map((r) => (r.body.tools ? 'tools' : r.body.response_format?.type))).toEqual(['tools', 'json_schema', 'json_schema']);
  });

  it('falls back from json_schema to json_object when response_format json_schema is rejected', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([
      errorReply(400, 'tools are not supported'),
      errorReply(400, "response_format.type 'json_schema' is not supported"),
      contentReply(JSON.stringify(good)),
    ]);

    // Act
    const result = await subject.analyze(testFailureInput());

    // Assert
    expect(result.rootCause).toBe(good.rootCause);
    expect(requests.map((r) => (r.body.tools ? 'tools' : r.body.response_format?.type))).toEqual(['tools', 'json_schema', 'json_object']);
  });

  it('answers an invalid function call with a tool message carrying the validation error, once', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([
      toolCallReply({ ...good, proposedAction: 'merge' }, { id: 'call_bad' }),
      toolCallReply({ ...good, fix: [] }, { id: 'call_bad2' }),
    ]);

    // Act
    const error = await subject.analyze(testFailureInput()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(AnalyzerOutputError);
    expect((error as AnalyzerOutputError).message).toMatch(/no usable analysis after 2 attempts: invalid analysis: fix/);
    expect((error as AnalyzerOutputError).usage).toEqual({ inputTokens: 3600, outputTokens: 480 });
    const repair = requests[1]?.body;
    expect(repair?.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant', 'tool']);
    expect(repair?.messages[2].tool_calls[0]).toMatchObject({ id: 'call_bad', function: { name: ANALYSIS_TOOL_NAME } });
    expect(repair?.messages[3]).toMatchObject({ tool_call_id: 'call_bad' });
    expect(repair?.messages[3].content).toMatch(/proposedAction: must be one of/);
    expect(requests).toHaveLength(2);
  });

  it('repairs a truncated answer by asking again, briefly, from the start', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([toolCallReply('{"rootCause": "appl', { finish: 'length' }), toolCallReply(good)]);

    // Act
    const result = await subject.analyze(testFailureInput());

    // Assert
    expect(result.attempts).toBe(2);
    expect(requests[1]?.body.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user']);
    expect(requests[1]?.body.messages[1].content).toContain('cut off at the output token limit');
  });

  it('does not repeat an answer stopped by the content filter', async () => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([contentReply('', 'content_filter')]);

    // Act / Assert
    await expect(subject.analyze(testFailureInput())).rejects.toThrow(/stopped the answer \(content_filter\)/);
    expect(requests).toHaveLength(1);
  });

  it('counts tokens conservatively when the server reports no usage', async () => {
    // Prepare
    const { analyzer: subject } = analyzer([contentReply(JSON.stringify(good), 'stop', false)]);

    // Act
    const result = await subject.analyze(testFailureInput());

    // Assert
    expect(result.usage?.inputTokens).toBeGreaterThan(1000);
    expect(result.usage?.outputTokens).toBeGreaterThan(50);
  });

  it.each([
    [429, 'rate limited'],
    [500, 'internal error'],
    [502, 'bad gateway'],
    [503, 'model is loading'],
  ])('HTTP %i is a retryable AnalyzerUnavailableError', async (status, message) => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([errorReply(status, message)]);

    // Act
    const error = await subject.analyze(testFailureInput()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(AnalyzerUnavailableError);
    expect(RETRYABLE_ERROR_NAMES).toContain((error as Error).name);
    expect((error as Error).message).toContain(`HTTP ${status}`);
    expect((error as Error).message).toContain(message);
    expect(requests).toHaveLength(1);
  });

  it.each([
    [401, 'invalid api key', /refused the credentials \(HTTP 401\): check LLM_API_KEY/],
    [403, 'forbidden', /refused the credentials \(HTTP 403\): check LLM_API_KEY/],
    [404, 'model "llama3.1" not found, try pulling it first', /check LLM_BASE_URL \(usually ends in \/v1\) and LLM_MODEL \(Ollama: ollama pull llama3.1\)/],
    [400, 'max_tokens must be at most 512', /rejected the request for model llama3.1 \(HTTP 400\): check LLM_MODEL, LLM_MAX_TOKENS/],
  ])('HTTP %i is an AnalyzerConfigurationError that says what to check', async (status, message, expected) => {
    // Prepare
    const { analyzer: subject, requests } = analyzer([errorReply(status, message)]);

    // Act
    const error = await subject.analyze(testFailureInput()).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(AnalyzerConfigurationError);
    expect(RETRYABLE_ERROR_NAMES).not.toContain((error as Error).name);
    expect((error as Error).message).toMatch(expected);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('sk-');
    expect(requests).toHaveLength(1);
  });

  it('maps a refused connection and a timeout to AnalyzerUnavailableError', async () => {
    // Prepare
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:11434'), { code: 'ECONNREFUSED' }) });
    const hanging: Reply = (_request, signal) =>
      new Promise<Response>((_resolve, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));

    // Act
    const errors = await Promise.all([
      analyzer([refused]).analyzer.analyze(testFailureInput()).catch((caught: unknown) => caught),
      analyzer([hanging], { timeoutMs: 5 }).analyzer.analyze(testFailureInput()).catch((caught: unknown) => caught),
    ]);

    // Assert
    expect(errors[0]).toBeInstanceOf(AnalyzerUnavailableError);
    expect((errors[0] as Error).message).toMatch(/unreachable \(ECONNREFUSED\)/);
    expect(errors[1]).toBeInstanceOf(AnalyzerUnavailableError);
    expect((errors[1] as Error).message).toMatch(/did not answer within 5 ms/);
  });

  it('calls a non-JSON or non-chat answer a configuration error', async () => {
    // Prepare
    const html = new Response('<html><body>Welcome to nginx</body></html>', { status: 200 });
    const notChat = new Response(JSON.stringify({ models: [] }), { status: 200 });

    // Act
    const errors = await Promise.all(
      [html, notChat].map((reply) => analyzer([reply]).analyzer.analyze(testFailureInput()).catch((caught: unknown) => caught)),
    );

    // Assert
    for (const error of errors) {
      expect(error).toBeInstanceOf(AnalyzerConfigurationError);
      expect((error as Error).message).toMatch(/check that LLM_BASE_URL is an OpenAI-compatible API/);
    }
  });

  it('ends at the offline analyzer with the reason when wrapped in the fallback chain', async () => {
    // Prepare
    const { analyzer: subject } = analyzer([errorReply(404, 'model "llama3.1" not found')]);

    // Act
    const result = await withFallback(subject, createOfflineAnalyzer()).analyze(testFailureInput());

    // Assert
    expect(result.provider).toBe('offline');
    expect(result.fallbackReason).toMatch(/^openai analyzer failed: AnalyzerConfigurationError: .*HTTP 404/);
  });
});

describe('parseContentAnswer', () => {
  it('finds the JSON object in fenced, prefixed or wrapped content and returns null for prose', () => {
    expect(parseContentAnswer('{"a":1}')).toEqual({ a: 1 });
    expect(parseContentAnswer('Sure!\n```json\n{"a":2}\n```')).toEqual({ a: 2 });
    expect(parseContentAnswer(`{"name":"${ANALYSIS_TOOL_NAME}","arguments":"{\\"a\\":3}"}`)).toEqual({ a: 3 });
    expect(parseContentAnswer('no json here')).toBeNull();
    expect(parseContentAnswer('[1, 2]')).toBeNull();
    expect(parseContentAnswer('{not json}')).toBeNull();
  });
});
