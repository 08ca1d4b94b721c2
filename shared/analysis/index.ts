/**
 * The analyze stage's providers: the offline analyzer, Bedrock (Converse + forced tool use), any
 * OpenAI-compatible endpoint, the fallback wrapper, the prompt builder, the validator that applies policy to
 * whatever a model returns, patch checks, cost accounting and the `--explain` helper.
 */
export {
  analysisResultSchema,
  analysisToolInputSchema,
  ANALYSIS_LIMITS,
  type AnalysisOutcome,
  type OutcomeAnalyzer,
  type JsonValue,
  type ModelAnalysis,
  type TokenUsage,
} from './schema.js';
export { AnalyzerOutputError, ModelRequestsSpentError } from './errors.js';
export { createOfflineAnalyzer, analyzeOffline, type OfflineAnalyzerOptions } from './offline.js';
export { createBedrockAnalyzer, mapBedrockError, type BedrockAnalyzerOptions } from './bedrock.js';
export {
  createOpenAICompatibleAnalyzer,
  mapOpenAIStatus,
  mapOpenAINetworkError,
  parseContentAnswer,
  type OpenAICompatibleAnalyzerOptions,
  type StructuredOutputMode,
} from './openai.js';
export {
  analyzeWithModel,
  MAX_MODEL_ATTEMPTS,
  MODEL_REQUESTS_PER_INCIDENT,
  type ModelConversation,
  type ModelDialect,
  type ModelTurn,
  type TurnResult,
} from './model-loop.js';
export {
  createConfiguredAnalyzers,
  selectedAnalyzer,
  type AnalyzerKind,
  type AnalyzerOverrides,
  type ConfiguredAnalyzers,
  type ProviderDeps,
} from './providers.js';
export { checkPatch, forbiddenPathReason, PATCH_LIMITS, type AcceptedPatch, type PatchCheck } from './patch.js';
export {
  costOf,
  priceFor,
  usdFor,
  parsePriceOverrides,
  priceOverridesSchema,
  DEFAULT_PRICE_RULES,
  type AnalysisCost,
  type ModelPrice,
  type PriceOverrides,
} from './pricing.js';
export { estimateTokens, CHARS_PER_TOKEN_PROSE } from './tokens.js';
export {
  explainLog,
  formatExplanation,
  analysisInputFromLog,
  type Explanation,
  type ExplainOptions,
  type ExplainSource,
} from './explain.js';
export {
  withFallback,
  analyzeWithFallback,
  fallbackReason,
  reasonFromCaughtError,
  type FallbackOptions,
} from './fallback.js';
export {
  buildPrompt,
  neutralizeUntrusted,
  ANALYSIS_TOOL_NAME,
  PROVIDER_OVERHEAD_TOKENS,
  MAX_PROMPT_LINE_CHARS,
  type Prompt,
  type PromptOptions,
} from './prompt.js';
export { PROMPT_VERSION, PROMPT_VERSIONS, type PromptVersion, DEFAULT_INPUT_TOKEN_BUDGET, MIN_INPUT_TOKEN_BUDGET } from './prompt-versions.js';
export {
  validateAnalysis,
  NO_EVIDENCE_CONFIDENCE_CAP,
  INJECTION_CONFIDENCE_CAP,
  type ValidatedAnalysis,
} from './validate.js';
export { looksLikeInstruction, findInstructionLikeText } from './injection.js';
