import * as z from '../zod.js';
import { AnalyzerConfigurationError, AnalyzerUnavailableError, RetryableError, errorMessage } from '../errors.js';
import { AnalyzerOutputError } from './errors.js';
import { type ModelConversation, type ModelDialect, type ModelTurn, type TurnResult, analyzeWithModel } from './model-loop.js';
import { ANALYSIS_TOOL_NAME, type Prompt } from './prompt.js';
import type { PromptVersion } from './prompt-versions.js';
import { analysisToolInputSchema, type OutcomeAnalyzer } from './schema.js';
import { oneLine } from './text.js';
import { estimateTokens } from './tokens.js';

/**
 * An analyzer on any OpenAI-compatible chat completions endpoint: Ollama (`http://127.0.0.1:11434/v1`), vLLM,
 * LM Studio, or a hosted gateway. Structured output the same way as on Bedrock, a forced function call whose
 * parameters are the zod result schema; servers or models without tool support get the schema as a
 * `response_format` (json_schema, then json_object), and a JSON object returned as plain content is accepted.
 * Validation, the single repair and the error names are shared with Bedrock through {@link analyzeWithModel}.
 */

export interface OpenAICompatibleAnalyzerOptions {
  /** Base URL up to and including the API version, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  /**
   * Sent as `Authorization: Bearer …` when set; local servers usually need none. A function reads it per request
   * (in AWS from a secret, through a cache of a few minutes, so a rotated key is used without a cold start).
   */
  apiKey?: string | (() => Promise<string>);
  maxTokens: number;
  temperature: number;
  /** Per-request timeout in milliseconds (default 60 000: local models on a CPU are slow, Lambda allows 180 s). */
  timeoutMs?: number;
  /** Input budget per call in estimated tokens (see `buildPrompt`; default 8000). */
  inputTokenBudget?: number;
  /** Prompt template (default: the current one); an experiment arm may choose another. */
  promptVersion?: PromptVersion;
  /** The HTTP client; the global `fetch` by default. Tests pass a mock, so no test touches the network. */
  fetch?: typeof fetch;
  /** Monotonic milliseconds, for latency (default `performance.now`). */
  now?: () => number;
}

/** How the analysis is requested: a forced function call, or a JSON answer constrained by `response_format`. */
export type StructuredOutputMode = 'tools' | 'json_schema' | 'json_object';

/** The next mode to try when a server rejects one as unsupported (400 naming tools or response_format). */
const DOWNGRADE: Record<StructuredOutputMode, StructuredOutputMode | null> = {
  tools: 'json_schema',
  json_schema: 'json_object',
  json_object: null,
};

/** A chat answer is a few kilobytes; a bigger body is not an answer to this request. */
const MAX_RESPONSE_BYTES = 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 60_000;

const FUNCTION_DESCRIPTION =
  'Record the analysis of a CI failure or alarm: root cause, fix steps, confidence, one proposed action from ' +
  'the allow-list, rationale, verbatim evidence lines from the log and optionally a small patch.';

/** Transient on the server's side (rate limit, overload, gateway errors): worth a retry with backoff. */
const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529]);

const toolCallSchema = z.object({
  id: z.nullish(z.string()),
  function: z.object({
    name: z.string(),
    // OpenAI sends a JSON string; some servers send the object itself.
    arguments: z.nullish(z.union([z.string(), z.record(z.string(), z.unknown())])),
  }),
});

const chatResponseSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.nullish(z.string()),
          tool_calls: z.nullish(z.array(toolCallSchema)),
        }),
        finish_reason: z.nullish(z.string()),
      }),
    )
    .check(z.minLength(1)),
  usage: z.nullish(z.object({ prompt_tokens: z.nullish(z.number()), completion_tokens: z.nullish(z.number()) })),
});

type ToolCall = z.infer<typeof toolCallSchema>;

type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> }
  | { role: 'tool'; tool_call_id: string; content: string };

/** The server rejected the structured-output mode itself; the caller tries the next one. */
class ModeUnsupportedError extends Error {
  override name = 'ModeUnsupportedError';
}

/** What stands in an endpoint's answer where it quoted the configured key. */
const MASKED_KEY = '[REDACTED:LLM_API_KEY]';

/** The `error.message` of an OpenAI-style error body, or the body's first line. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = parsed.error;
    if (typeof error === 'string') return oneLine(error, 200);
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
      return oneLine((error as { message: string }).message, 200);
    }
    if (typeof parsed.message === 'string') return oneLine(parsed.message, 200);
    if (typeof parsed.detail === 'string') return oneLine(parsed.detail, 200);
  } catch {
    // Not JSON: a proxy's HTML error page or plain text.
  }
  return oneLine(body, 200) || 'no details';
}

/**
 * Maps an HTTP failure to the named errors the state machine understands: rate limits and server errors are
 * {@link AnalyzerUnavailableError} (retried with backoff), everything the caller must fix is
 * {@link AnalyzerConfigurationError} (not retried; the message says which variable to check).
 */
export function mapOpenAIStatus(status: number, detail: string, endpoint: string, model: string): Error {
  if (RETRYABLE_STATUS.has(status)) {
    return new AnalyzerUnavailableError(`LLM endpoint ${endpoint} answered HTTP ${status} for model ${model}: ${detail}`);
  }
  if (status === 401 || status === 403) {
    return new AnalyzerConfigurationError(
      `LLM endpoint ${endpoint} refused the credentials (HTTP ${status}): check LLM_API_KEY — ${detail}`,
    );
  }
  if (status === 404) {
    return new AnalyzerConfigurationError(
      `LLM endpoint ${endpoint} has no model ${model} or no chat completions route (HTTP 404): check LLM_BASE_URL ` +
        `(usually ends in /v1) and LLM_MODEL (Ollama: ollama pull ${model}) — ${detail}`,
    );
  }
  return new AnalyzerConfigurationError(
    `LLM endpoint ${endpoint} rejected the request for model ${model} (HTTP ${status}): check LLM_MODEL, LLM_MAX_TOKENS ` +
      `and LLM_TEMPERATURE — ${detail}`,
  );
}

/** Maps a failure of `fetch` itself (no HTTP answer) to {@link AnalyzerUnavailableError}. */
export function mapOpenAINetworkError(error: unknown, endpoint: string, timeoutMs: number): Error {
  const name = error instanceof Error ? error.name : 'Error';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new AnalyzerUnavailableError(`LLM endpoint ${endpoint} did not answer within ${timeoutMs} ms`, { cause: error });
  }
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : name;
  const message = error instanceof Error ? error.message : String(error);
  return new AnalyzerUnavailableError(`LLM endpoint ${endpoint} unreachable (${code}): ${oneLine(message, 200)}`, { cause: error });
}

/** Reads at most `max` bytes of a body; more means the endpoint is not answering this request. */
async function readBounded(response: Response, max: number): Promise<string | null> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The analysis in a plain-content answer: a JSON object, possibly inside a ```json fence or after a sentence,
 * possibly wrapped as `{"name": "record_analysis", "arguments"|"parameters": {...}}` (how some local models
 * write a tool call as text). Null when there is no JSON object.
 */
export function parseContentAnswer(content: string): unknown {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n?```/.exec(content);
  const text = fenced?.[1] ?? content;
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const wrapper = parsed as { name?: unknown; arguments?: unknown; parameters?: unknown };
  if (wrapper.name === ANALYSIS_TOOL_NAME) {
    const inner = wrapper.arguments ?? wrapper.parameters;
    if (typeof inner === 'string') return parseContentAnswer(inner);
    if (inner && typeof inner === 'object') return inner;
  }
  return parsed;
}

function jsonModeInstruction(schema: unknown): string {
  return (
    `\n\nFunction calling is not available on this endpoint. Instead of calling ${ANALYSIS_TOOL_NAME}, answer with ` +
    `its arguments only: one JSON object, no prose, no code fence, matching this JSON schema:\n${JSON.stringify(schema)}`
  );
}

export function createOpenAICompatibleAnalyzer(options: OpenAICompatibleAnalyzerOptions): OutcomeAnalyzer {
  const { model, maxTokens, temperature } = options;
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const now = options.now ?? (() => performance.now());
  const schema = analysisToolInputSchema();
  // Learned per process: once a server says it cannot do tools, later incidents go straight to JSON mode.
  let preferredMode: StructuredOutputMode = 'tools';

  const body = (system: string, messages: ChatMessage[], mode: StructuredOutputMode) => ({
    model,
    messages: [{ role: 'system', content: mode === 'tools' ? system : system + jsonModeInstruction(schema) }, ...messages],
    max_tokens: maxTokens,
    temperature,
    stream: false,
    ...(mode === 'tools'
      ? {
          tools: [{ type: 'function', function: { name: ANALYSIS_TOOL_NAME, description: FUNCTION_DESCRIPTION, parameters: schema } }],
          tool_choice: { type: 'function', function: { name: ANALYSIS_TOOL_NAME } },
        }
      : {}),
    ...(mode === 'json_schema'
      ? { response_format: { type: 'json_schema', json_schema: { name: ANALYSIS_TOOL_NAME, schema, strict: false } } }
      : {}),
    ...(mode === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
  });

  /** The bearer key; a key that cannot be read now is the analyzer being unavailable or misconfigured, by its cause. */
  const apiKey = async (): Promise<string | undefined> => {
    const { apiKey: source } = options;
    if (typeof source !== 'function') return source;
    try {
      return await source();
    } catch (error) {
      const message = `the key for LLM endpoint ${endpoint} could not be read: ${errorMessage(error)}`;
      throw error instanceof RetryableError
        ? new AnalyzerUnavailableError(message, { cause: error })
        : new AnalyzerConfigurationError(message, { cause: error });
    }
  };

  /** One POST; returns the parsed chat response or throws a named error. */
  const post = async (payload: ReturnType<typeof body>, mode: StructuredOutputMode, stepSignal: AbortSignal | undefined) => {
    const key = await apiKey();
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(key ? { authorization: `Bearer ${key}` } : {}),
        },
        body: JSON.stringify(payload),
        signal: stepSignal ? AbortSignal.any([AbortSignal.timeout(timeoutMs), stepSignal]) : AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw mapOpenAINetworkError(error, endpoint, timeoutMs);
    }
    let text: string | null;
    try {
      text = await readBounded(response, MAX_RESPONSE_BYTES);
    } catch (error) {
      throw mapOpenAINetworkError(error, endpoint, timeoutMs);
    }
    if (text === null) throw new AnalyzerOutputError(`LLM endpoint ${endpoint} sent more than ${MAX_RESPONSE_BYTES} bytes`);
    // Some gateways quote the key they refused; what they answer becomes an error message, which the incident's
    // history, the API and the dashboard show. Masked before any cut, which could leave a part of it unrecognised.
    if (key) text = text.split(key).join(MASKED_KEY);
    if (!response.ok) {
      const detail = errorDetail(text);
      const unsupported =
        mode === 'tools' ? /tool|function/i : /response_format|json_schema|json_object|json mode|format/i;
      if ((response.status === 400 || response.status === 422) && unsupported.test(detail) && DOWNGRADE[mode]) {
        throw new ModeUnsupportedError(detail);
      }
      throw mapOpenAIStatus(response.status, detail, endpoint, model);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AnalyzerConfigurationError(
        `LLM endpoint ${endpoint} did not answer with JSON (${oneLine(text, 80)}): check that LLM_BASE_URL is an OpenAI-compatible API`,
      );
    }
    const parsed = chatResponseSchema.safeParse(json);
    if (!parsed.success) {
      throw new AnalyzerConfigurationError(
        `LLM endpoint ${endpoint} answered without chat completion choices: check that LLM_BASE_URL is an OpenAI-compatible API`,
      );
    }
    return parsed.data;
  };

  const dialect: ModelDialect = {
    provider: 'openai',
    label: `OpenAI-compatible endpoint ${endpoint}`,
    model,
    maxTokens,
    start(prompt: Prompt, signal?: AbortSignal, beforeRequest?: () => Promise<void>): ModelConversation {
      let mode = preferredMode;
      let messages: ChatMessage[] = [{ role: 'user', content: prompt.user }];
      let lastContent: string | null = null;
      let lastCall: ToolCall | null = null;
      let lastArguments = '';

      const toolCallOf = (calls: ToolCall[] | null | undefined) => calls?.find((call) => call.function.name === ANALYSIS_TOOL_NAME) ?? null;

      return {
        async send(): Promise<ModelTurn> {
          for (;;) {
            const payload = body(prompt.system, messages, mode);
            let data: Awaited<ReturnType<typeof post>>;
            // A request in a mode the server refused is a request all the same.
            await beforeRequest?.();
            try {
              data = await post(payload, mode, signal);
            } catch (error) {
              const next = DOWNGRADE[mode];
              if (!(error instanceof ModeUnsupportedError) || !next) throw error;
              mode = next;
              preferredMode = next;
              continue;
            }
            const choice = data.choices[0]!;
            const message = choice.message;
            lastContent = message.content ?? null;
            lastCall = toolCallOf(message.tool_calls);
            const args = lastCall?.function.arguments;
            lastArguments = typeof args === 'string' ? args : args ? JSON.stringify(args) : '';
            // Servers that omit usage still cost compute: count what was sent and received, conservatively.
            const usage = {
              inputTokens: data.usage?.prompt_tokens ?? estimateTokens(JSON.stringify(payload.messages)),
              outputTokens: data.usage?.completion_tokens ?? estimateTokens(`${lastContent ?? ''}${lastArguments}`),
            };
            return { usage, result: classify(choice.finish_reason ?? null, message.tool_calls ?? null) };
          }
        },
        retryAfterTruncation() {
          messages = [
            {
              role: 'user',
              content:
                `${prompt.user}\n\nYour previous answer was cut off at the output token limit. Answer again and be brief: ` +
                'a one-sentence root cause, at most three short fix steps, at most three evidence lines, no patch.',
            },
          ];
        },
        retryAfterNoAnswer(detail) {
          // A server that ignores tool_choice (Ollama does) answered in prose: ask for the JSON object under a
          // response_format instead, which such servers do enforce.
          if (mode === 'tools') mode = 'json_schema';
          messages = [
            ...messages,
            ...(lastContent ? [{ role: 'assistant' as const, content: lastContent }] : []),
            { role: 'user', content: `${oneLine(detail, 200)}. Answer only with the analysis as one JSON object matching the schema.` },
          ];
        },
        retryAfterInvalid(problem) {
          const id = lastCall?.id;
          if (mode === 'tools' && lastCall && id) {
            messages = [
              ...messages,
              { role: 'assistant', content: null, tool_calls: [{ id, type: 'function', function: { name: ANALYSIS_TOOL_NAME, arguments: lastArguments } }] },
              { role: 'tool', tool_call_id: id, content: `${problem}. Call ${ANALYSIS_TOOL_NAME} again with a corrected analysis.` },
            ];
            return;
          }
          messages = [
            ...messages,
            { role: 'assistant', content: lastContent ?? lastArguments },
            { role: 'user', content: `${problem}. Answer again with the corrected analysis as one JSON object.` },
          ];
        },
      };

      function classify(finishReason: string | null, calls: ToolCall[] | null): TurnResult {
        if (finishReason === 'content_filter') return { kind: 'refused', detail: 'content_filter' };
        if (finishReason === 'length') return { kind: 'truncated' };
        if (lastCall) {
          const args = lastCall.function.arguments;
          if (args && typeof args === 'object') return { kind: 'answer', arguments: args };
          // A string that is not JSON goes to the validator, which rejects it with a message fit for the repair.
          return { kind: 'answer', arguments: args ?? '' };
        }
        if (calls && calls.length > 0) {
          return { kind: 'no_answer', detail: `the model called ${oneLine(calls[0]!.function.name, 60)} instead of ${ANALYSIS_TOOL_NAME}` };
        }
        const fromContent = lastContent ? parseContentAnswer(lastContent) : null;
        if (fromContent !== null) return { kind: 'answer', arguments: fromContent };
        return {
          kind: 'no_answer',
          detail: lastContent ? `the model answered with text instead of ${ANALYSIS_TOOL_NAME}` : 'the model sent an empty answer',
        };
      }
    },
  };

  return {
    provider: 'openai',
    model,
    analyze(input) {
      return analyzeWithModel(dialect, input, {
        now,
        ...(options.inputTokenBudget === undefined ? {} : { maxInputTokens: options.inputTokenBudget }),
        ...(options.promptVersion === undefined ? {} : { promptVersion: options.promptVersion }),
      });
    },
  };
}
