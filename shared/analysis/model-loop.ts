import type { AnalysisInput } from '../ports.js';
import { AnalyzerOutputError, ModelRequestsSpentError } from './errors.js';
import { type Prompt, buildPrompt } from './prompt.js';
import type { PromptVersion } from './prompt-versions.js';
import type { AnalysisOutcome, TokenUsage } from './schema.js';
import { oneLine } from './text.js';
import { validateAnalysis } from './validate.js';

/**
 * The provider-neutral half of a model-backed analyzer: build the prompt, call the model, validate the answer,
 * repair once, account for tokens and time. Each provider (Bedrock Converse, OpenAI-compatible chat) only
 * translates between its wire format and {@link ModelTurn}, so every provider gets the same validation, the same
 * single repair and the same errors.
 */

/** The first call plus one repair. More would double the cost of a bad incident for little gain. */
export const MAX_MODEL_ATTEMPTS = 2;
/**
 * Requests an incident may make of the model across every attempt of its analysis, retries included (see
 * `ModelRequestLedger`): the two of one analysis. A retry has what the attempts before it left.
 */
export const MODEL_REQUESTS_PER_INCIDENT = MAX_MODEL_ATTEMPTS;

/** One model reply, reduced to what the repair loop decides on. */
export type TurnResult =
  /** Structured output: the forced tool's arguments, or a JSON object the model returned as content. */
  | { kind: 'answer'; arguments: unknown }
  /** The reply was cut off at the output token limit. */
  | { kind: 'truncated' }
  /** The model answered, but not with the analysis (prose, another tool, unparsable JSON). */
  | { kind: 'no_answer'; detail: string }
  /** A guardrail or content filter stopped the answer; asking again would be judged the same way. */
  | { kind: 'refused'; detail: string };

export interface ModelTurn {
  result: TurnResult;
  usage: TokenUsage;
}

/**
 * One analysis conversation with a provider. `send` posts the conversation as it stands (throwing the named
 * errors of `shared/errors.ts` for transport and configuration failures); the `retryAfter…` methods change the
 * conversation for the repair call in the provider's idiom (a tool result with an error status, a user turn).
 */
export interface ModelConversation {
  send(): Promise<ModelTurn>;
  retryAfterTruncation(): void;
  retryAfterNoAnswer(detail: string): void;
  retryAfterInvalid(problem: string): void;
}

export interface ModelDialect {
  /** Provider name stored on the incident (`bedrock`, `openai`). */
  provider: string;
  /** How errors name the provider ("Bedrock", "OpenAI-compatible endpoint http://…"). */
  label: string;
  model: string;
  maxTokens: number;
  /**
   * `signal`: the step's deadline; every call of the conversation stops when it fires. `beforeRequest` is awaited
   * before each request the conversation sends, whatever the reason for it (see `AnalysisInput.beforeModelRequest`).
   */
  start(prompt: Prompt, signal?: AbortSignal, beforeRequest?: () => Promise<void>): ModelConversation;
}

export interface ModelLoopOptions {
  /** Input budget per call in estimated tokens (see `buildPrompt`). */
  maxInputTokens?: number;
  /** Optional extra cap on the user message in characters. */
  maxChars?: number;
  /** The prompt template (default: the current one). */
  promptVersion?: PromptVersion;
  /** Monotonic milliseconds, for latency. */
  now: () => number;
}

/**
 * Runs one analysis through `dialect`: at most {@link MAX_MODEL_ATTEMPTS} calls. A truncated, tool-less or
 * invalid answer (per {@link validateAnalysis}) gets one repair call; a refusal ends at once. What remains is an
 * {@link AnalyzerOutputError} carrying the tokens spent, which the fallback wrapper turns into the offline
 * analysis with a reason on the incident.
 */
export async function analyzeWithModel(dialect: ModelDialect, input: AnalysisInput, options: ModelLoopOptions): Promise<AnalysisOutcome> {
  const started = options.now();
  const elapsed = () => Math.max(0, Math.round(options.now() - started));
  const prompt = buildPrompt(input, {
    ...(options.maxInputTokens === undefined ? {} : { maxInputTokens: options.maxInputTokens }),
    ...(options.maxChars === undefined ? {} : { maxChars: options.maxChars }),
    ...(options.promptVersion === undefined ? {} : { version: options.promptVersion }),
  });
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const conversation = dialect.start(prompt, input.signal, input.beforeModelRequest);
  let problem = 'no answer';

  for (let attempt = 1; attempt <= MAX_MODEL_ATTEMPTS; attempt += 1) {
    let turn: ModelTurn;
    try {
      turn = await conversation.send();
    } catch (error) {
      // The requests this attempt made are spent all the same: the fallback counts their tokens.
      if (error instanceof ModelRequestsSpentError) throw new ModelRequestsSpentError(error.message, { usage, latencyMs: elapsed() });
      throw error;
    }
    usage.inputTokens += turn.usage.inputTokens;
    usage.outputTokens += turn.usage.outputTokens;
    const { result } = turn;
    switch (result.kind) {
      case 'refused':
        throw new AnalyzerOutputError(`${dialect.label} stopped the answer (${oneLine(result.detail, 100)}) for model ${dialect.model}`, {
          usage,
          latencyMs: elapsed(),
        });
      case 'truncated':
        problem = `the answer was cut off at the ${dialect.maxTokens}-token output limit`;
        conversation.retryAfterTruncation();
        break;
      case 'no_answer':
        problem = result.detail;
        conversation.retryAfterNoAnswer(result.detail);
        break;
      case 'answer':
        try {
          const validated = validateAnalysis(result.arguments, input, dialect.provider, dialect.model);
          return {
            ...validated,
            usage,
            latencyMs: elapsed(),
            promptVersion: prompt.version,
            attempts: attempt,
            estimatedInputTokens: prompt.estimatedInputTokens,
          };
        } catch (error) {
          if (!(error instanceof AnalyzerOutputError)) throw error;
          problem = error.message;
          conversation.retryAfterInvalid(problem);
        }
        break;
    }
  }
  throw new AnalyzerOutputError(
    `${dialect.label} model ${dialect.model} gave no usable analysis after ${MAX_MODEL_ATTEMPTS} attempts: ${oneLine(problem, 300)}`,
    { usage, latencyMs: elapsed() },
  );
}
