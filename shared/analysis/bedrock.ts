import {
  ConverseCommand,
  type BedrockRuntimeClient,
  type ContentBlock,
  type ConverseCommandInput,
  type ConverseCommandOutput,
  type Message,
} from '@aws-sdk/client-bedrock-runtime';
import { AnalyzerConfigurationError, AnalyzerUnavailableError } from '../errors.js';
import { AnalyzerOutputError } from './errors.js';
import { ANALYSIS_TOOL_NAME, buildPrompt } from './prompt.js';
import { analysisToolInputSchema, type OutcomeAnalyzer, type TokenUsage } from './schema.js';
import { oneLine } from './text.js';
import { validateAnalysis } from './validate.js';

export interface BedrockAnalyzerOptions {
  /** Built once by the composition root (module scope) and reused across warm invocations. */
  client: BedrockRuntimeClient;
  /** A foundation model id or an inference profile id (e.g. `us.anthropic.claude-3-5-haiku-20241022-v1:0`). */
  modelId: string;
  maxTokens: number;
  temperature: number;
  guardrail?: { id: string; version: string };
  /** User message budget in characters (see `buildPrompt`). */
  promptBudgetChars?: number;
  /** Monotonic milliseconds, for latency (default `performance.now`). */
  now?: () => number;
}

/** The first call plus one repair. More would double the cost of a bad incident for little gain. */
const MAX_ATTEMPTS = 2;

const TOOL_DESCRIPTION =
  'Record the analysis of a CI failure or alarm: root cause, fix steps, confidence, one proposed action from ' +
  'the allow-list, rationale and verbatim evidence lines from the log.';

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
 * validator can check rather than prose to parse. A truncated or invalid answer gets one repair call; after
 * that {@link AnalyzerOutputError} tells the analyze step to use the fallback.
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

  const send = async (input: ConverseCommandInput): Promise<ConverseCommandOutput> => {
    try {
      return await client.send(new ConverseCommand(input));
    } catch (error) {
      throw mapBedrockError(error, modelId);
    }
  };

  return {
    provider: 'bedrock',
    model: modelId,
    async analyze(input) {
      const started = now();
      const elapsed = () => Math.max(0, Math.round(now() - started));
      const prompt = buildPrompt(input, options.promptBudgetChars === undefined ? {} : { maxChars: options.promptBudgetChars });
      const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
      const firstTurn: Message = { role: 'user', content: [{ text: prompt.user }] };
      let messages: Message[] = [firstTurn];
      let problem = 'no answer';

      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const response = await send(request(prompt.system, messages));
        usage.inputTokens += response.usage?.inputTokens ?? 0;
        usage.outputTokens += response.usage?.outputTokens ?? 0;
        const stopReason = response.stopReason;

        if (stopReason === 'guardrail_intervened' || stopReason === 'content_filtered') {
          // The guardrail will judge the same input the same way; asking again only costs tokens.
          throw new AnalyzerOutputError(`Bedrock stopped the answer (${stopReason}) for model ${modelId}`, { usage, latencyMs: elapsed() });
        }
        if (stopReason === 'model_context_window_exceeded') {
          throw new AnalyzerConfigurationError(
            `the prompt exceeded the context window of model ${modelId}: lower the prompt budget or choose a larger model`,
          );
        }

        const reply = response.output?.message;
        const content = reply?.content ?? [];
        if (stopReason === 'max_tokens') {
          // A cut-off tool call cannot be echoed back as a turn (its JSON is incomplete), so the repair starts the
          // conversation again and asks for a shorter answer.
          problem = `the answer was cut off at the ${maxTokens}-token output limit`;
          messages = [
            {
              role: 'user',
              content: [
                { text: prompt.user },
                {
                  text:
                    `Your previous answer was cut off at the output token limit. Call ${ANALYSIS_TOOL_NAME} again and be brief: ` +
                    'a one-sentence root cause, at most three short fix steps, at most three evidence lines.',
                },
              ],
            },
          ];
          continue;
        }

        const toolUse = toolUseOf(content);
        if (!toolUse) {
          problem = `the model did not call ${ANALYSIS_TOOL_NAME}`;
          // Any other tool call in the reply must still be answered with a tool result, or the next request is
          // rejected as a malformed conversation.
          const otherCalls: ContentBlock[] = content.flatMap((block) =>
            block.toolUse
              ? [{ toolResult: { toolUseId: block.toolUse.toolUseId, status: 'error' as const, content: [{ text: 'unknown tool' }] } }]
              : [],
          );
          messages = [
            ...messages,
            ...(reply && content.length > 0 ? [{ role: 'assistant' as const, content }] : []),
            { role: 'user', content: [...otherCalls, { text: `Answer only by calling the ${ANALYSIS_TOOL_NAME} tool.` }] },
          ];
          continue;
        }

        try {
          const result = validateAnalysis(toolUse.input, input, 'bedrock', modelId);
          return { ...result, usage, latencyMs: elapsed(), promptVersion: prompt.version, attempts: attempt };
        } catch (error) {
          if (!(error instanceof AnalyzerOutputError)) throw error;
          problem = error.message;
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
                    toolUseId: toolUse.toolUseId,
                    status: 'error',
                    content: [{ text: `${problem}. Call ${ANALYSIS_TOOL_NAME} again with a corrected analysis.` }],
                  },
                },
              ],
            },
          ];
        }
      }
      throw new AnalyzerOutputError(
        `Bedrock model ${modelId} gave no usable analysis after ${MAX_ATTEMPTS} attempts: ${oneLine(problem, 300)}`,
        { usage, latencyMs: elapsed() },
      );
    },
  };
}
