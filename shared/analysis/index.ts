/**
 * The analyze stage's providers: the offline analyzer, Bedrock (Converse + forced tool use), the fallback
 * wrapper, the prompt builder and the validator that applies policy to whatever a model returns.
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
export { AnalyzerOutputError } from './errors.js';
export { createOfflineAnalyzer, analyzeOffline, type OfflineAnalyzerOptions } from './offline.js';
export { createBedrockAnalyzer, mapBedrockError, type BedrockAnalyzerOptions } from './bedrock.js';
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
  PROMPT_VERSION,
  DEFAULT_PROMPT_BUDGET_CHARS,
  MAX_PROMPT_LINE_CHARS,
  type Prompt,
  type PromptOptions,
} from './prompt.js';
export {
  validateAnalysis,
  NO_EVIDENCE_CONFIDENCE_CAP,
  INJECTION_CONFIDENCE_CAP,
  type ValidatedAnalysis,
} from './validate.js';
export { looksLikeInstruction, findInstructionLikeText } from './injection.js';
