import {
  ConverseCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { AnalyzerConfigurationError, AnalyzerUnavailableError } from '../errors.js';
import { type ModelConversation, type ModelDialect, type ModelTurn, analyzeWithModel } from './model-loop.js';
import { ANALYSIS_TOOL_NAME } from './prompt.js';
import type { PromptVersion } from './prompt-versions.js';
import { analysisToolInputSchema, type OutcomeAnalyzer } from './schema.js';
import { oneLine } from './text.js';

export interface BedrockAnalyzerOptions {
  /** Built once by the composition root (module scope) and reused across warm invocations. */
  client: BedrockRuntimeClient;
  /** A foundation model id or an inference profile id (e.g. `us.anthropic.claude-3-5-haiku-20241022-v1:0`). */
  modelId: string;
  maxTokens: number;
  temperature: number;
  guardrail?: { id: string; version: string };
  /** Input budget per call in estimated tokens (see `buildPrompt`; default 8000). */
  inputTokenBudget?: number;
  /** Prompt template (default: the current one); an experiment arm may choose another. */
  promptVersion?: PromptVersion;
  /** An additional cap on the user message in characters. */
  promptBudgetChars?: number;
  /** Monotonic milliseconds, for latency (default `performance.now`). */
  now?: () => number;
}

const TOOL_DESCRIPTION =
  'Record the analysis of a CI failure or alarm: root cause, fix steps, confidence, one proposed action from ' +
  'the allow-list, rationale, verbatim evidence lines from the log and optionally a small patch.';

/** Transient on Bedrock's side: worth the state machine's Retry with backoff. */
const RETRYABLE_EXCEPTIONS = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelNotReadyException',
  'ModelTimeoutException',
  // 424 "error while processing the model": documented as transient.
  'ModelErrorException',
  // Tokens-per-minute quotas: the request succeeds once the window moves on.
  'ServiceQuotaExceededException',
]);

/** Network-level failures from the HTTP handler; the request may not even have reached Bedrock. */
const NETWORK_ERRORS = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED', 'EHOSTUNREACH']);

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

/**
 * Maps an SDK failure to the named errors the state machine understands: {@link AnalyzerUnavailableError} is
 * retried with backoff, {@link AnalyzerConfigurationError} is not (the Catch path records the one-line message
 * on the incident and continues with the offline analysis). Errors that are neither are returned unchanged.
 */
export function mapBedrockError(error: unknown, modelId: string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const shape = error as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : 'Error';
  const detail = oneLine(typeof shape.message === 'string' ? shape.message : String(error), 200);
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : null;
  const code = typeof shape.code === 'string' ? shape.code : null;
  const options = { cause: error };

  if (RETRYABLE_EXCEPTIONS.has(name)) {
    return new AnalyzerUnavailableError(`Bedrock ${name} for model ${modelId}: ${detail}`, options);
  }
  if (NETWORK_ERRORS.has(name) || (code !== null && NETWORK_CODES.has(code))) {
    return new AnalyzerUnavailableError(`Bedrock unreachable (${code ?? name}): ${detail}`, options);
  }
  switch (name) {
    case 'AccessDeniedException':
      return new AnalyzerConfigurationError(
        `Bedrock denied access to model ${modelId} (AccessDeniedException): enable model access for it in this region ` +
          `and allow bedrock:InvokeModel on it — ${detail}`,
        options,
      );
    case 'ResourceNotFoundException':
      return new AnalyzerConfigurationError(
        `Bedrock model ${modelId} not found or not available (ResourceNotFoundException): check BEDROCK_MODEL_ID and BEDROCK_REGION — ${detail}`,
        options,
      );
    case 'ValidationException': {
      const hint = /on-demand throughput/i.test(detail)
        ? 'use an inference profile id (e.g. "us." + the model id) in BEDROCK_MODEL_ID'
        : /tool/i.test(detail)
          ? 'choose a model that supports forced tool use in the Converse API'
          : 'check BEDROCK_MODEL_ID, LLM_MAX_TOKENS and LLM_TEMPERATURE for this model';
      return new AnalyzerConfigurationError(`Bedrock rejected the request for model ${modelId} (ValidationException): ${hint} — ${detail}`, options);
    }
    default:
      break;
  }
  if (CREDENTIAL_ERRORS.has(name)) {
    return new AnalyzerConfigurationError(`Bedrock credentials are missing or invalid (${name}) — ${detail}`, options);
  }
  if (shape.$retryable !== undefined && shape.$retryable !== null) {
    return new AnalyzerUnavailableError(`Bedrock ${name} for model ${modelId}: ${detail}`, options);
  }
  if (status !== null && (status >= 500 || status === 429)) {
    return new AnalyzerUnavailableError(`Bedrock ${name} (HTTP ${status}) for model ${modelId}: ${detail}`, options);
  }
  if (status !== null && status >= 400) {
    return new AnalyzerConfigurationError(`Bedrock refused the request for model ${modelId} (${name}, HTTP ${status}) — ${detail}`, options);
  }
  return error;
}

function toolUseOf(content: ContentBlock[]): { toolUseId: string | undefined; input: unknown } | null {
  for (const block of content) {
    if (block.toolUse && block.toolUse.name === ANALYSIS_TOOL_NAME) return { toolUseId: block.toolUse.toolUseId, input: block.toolUse.input };
  }
  return null;
}

/**
 * An {@link Analyzer} on Amazon Bedrock's Converse API. Structured output comes from tool use: one tool whose
 * input schema is generated from the zod result schema, forced with `toolChoice`, so the answer is JSON the
 * validator can check rather than prose to parse. The repair and validation loop is shared with the other
 * providers ({@link analyzeWithModel}); this adapter only speaks Converse.
 */
export function createBedrockAnalyzer(options: BedrockAnalyzerOptions): OutcomeAnalyzer {
  const { client, modelId, maxTokens, temperature, guardrail } = options;
  const now = options.now ?? (() => performance.now());
  const inputSchema = analysisToolInputSchema();

  const request = (system: string, messages: Message[]): ConverseCommandInput => ({
    modelId,
    system: [{ text: system }],
    messages,
    inferenceConfig: { maxTokens, temperature },
    toolConfig: {
      tools: [{ toolSpec: { name: ANALYSIS_TOOL_NAME, description: TOOL_DESCRIPTION, inputSchema: { json: inputSchema } } }],
      toolChoice: { tool: { name: ANALYSIS_TOOL_NAME } },
    },
    ...(guardrail ? { guardrailConfig: { guardrailIdentifier: guardrail.id, guardrailVersion: guardrail.version } } : {}),
  });

  const send = async (input: ConverseCommandInput, signal: AbortSignal | undefined): Promise<ConverseCommandOutput> => {
    try {
      return await client.send(new ConverseCommand(input), signal ? { abortSignal: signal } : {});
    } catch (error) {
      throw mapBedrockError(error, modelId);
    }
  };

  const dialect: ModelDialect = {
    provider: 'bedrock',
    label: 'Bedrock',
    model: modelId,
    maxTokens,
    start(prompt, signal, beforeRequest): ModelConversation {
      let messages: Message[] = [{ role: 'user', content: [{ text: prompt.user }] }];
      let content: ContentBlock[] = [];
      let toolUseId: string | undefined;
      return {
        async send(): Promise<ModelTurn> {
          await beforeRequest?.();
          const response = await send(request(prompt.system, messages), signal);
          const usage = { inputTokens: response.usage?.inputTokens ?? 0, outputTokens: response.usage?.outputTokens ?? 0 };
          const stopReason = response.stopReason;
          content = response.output?.message?.content ?? [];
          toolUseId = undefined;
          if (stopReason === 'guardrail_intervened' || stopReason === 'content_filtered') {
            return { usage, result: { kind: 'refused', detail: stopReason } };
          }
          if (stopReason === 'model_context_window_exceeded') {
            throw new AnalyzerConfigurationError(
              `the prompt exceeded the context window of model ${modelId}: lower LLM_INPUT_TOKEN_BUDGET or choose a larger model`,
            );
          }
          if (stopReason === 'max_tokens') return { usage, result: { kind: 'truncated' } };
          const toolUse = toolUseOf(content);
          if (!toolUse) return { usage, result: { kind: 'no_answer', detail: `the model did not call ${ANALYSIS_TOOL_NAME}` } };
          toolUseId = toolUse.toolUseId;
          return { usage, result: { kind: 'answer', arguments: toolUse.input } };
        },
        retryAfterTruncation() {
          // A cut-off tool call cannot be echoed back as a turn (its JSON is incomplete), so the repair starts the
          // conversation again and asks for a shorter answer.
          messages = [
            {
              role: 'user',
              content: [
                { text: prompt.user },
                {
                  text:
                    `Your previous answer was cut off at the output token limit. Call ${ANALYSIS_TOOL_NAME} again and be brief: ` +
                    'a one-sentence root cause, at most three short fix steps, at most three evidence lines, no patch.',
                },
              ],
            },
          ];
        },
        retryAfterNoAnswer() {
          // Any other tool call in the reply must still be answered with a tool result, or the next request is
          // rejected as a malformed conversation.
          const otherCalls: ContentBlock[] = content.flatMap((block) =>
            block.toolUse
              ? [{ toolResult: { toolUseId: block.toolUse.toolUseId, status: 'error' as const, content: [{ text: 'unknown tool' }] } }]
              : [],
          );
          messages = [
            ...messages,
            ...(content.length > 0 ? [{ role: 'assistant' as const, content }] : []),
            { role: 'user', content: [...otherCalls, { text: `Answer only by calling the ${ANALYSIS_TOOL_NAME} tool.` }] },
          ];
        },
        retryAfterInvalid(problem) {
          // The tool call must be answered with a tool result; an error status plus the validation message is
          // the conventional way to ask a model to correct its arguments.
          messages = [
            ...messages,
            { role: 'assistant', content },
            {
              role: 'user',
              content: [
                {
                  toolResult: {
                    toolUseId,
                    status: 'error',
                    content: [{ text: `${problem}. Call ${ANALYSIS_TOOL_NAME} again with a corrected analysis.` }],
                  },
                },
              ],
            },
          ];
        },
      };
    },
  };

  return {
    provider: 'bedrock',
    model: modelId,
    analyze(input) {
      return analyzeWithModel(dialect, input, {
        now,
        ...(options.inputTokenBudget === undefined ? {} : { maxInputTokens: options.inputTokenBudget }),
        ...(options.promptBudgetChars === undefined ? {} : { maxChars: options.promptBudgetChars }),
        ...(options.promptVersion === undefined ? {} : { promptVersion: options.promptVersion }),
      });
    },
  };
}
