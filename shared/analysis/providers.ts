import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type Config, requireConfig } from '../config.js';
import { createBedrockAnalyzer } from './bedrock.js';
import { createOfflineAnalyzer } from './offline.js';
import { createOpenAICompatibleAnalyzer } from './openai.js';
import type { OutcomeAnalyzer } from './schema.js';

/** The providers `ANALYZER` can name. */
export type AnalyzerKind = 'offline' | 'bedrock' | 'openai';

/** Outside-world dependencies of the providers, injectable for tests and the CLI. */
export interface ProviderDeps {
  /** HTTP client of the OpenAI-compatible provider (global `fetch` by default). */
  fetch?: typeof fetch;
  /** Bedrock client (one is built from BEDROCK_REGION / AWS_REGION by default). */
  bedrockClient?: BedrockRuntimeClient;
}

export interface ConfiguredAnalyzers {
  kind: AnalyzerKind;
  /** The configured provider (the offline analyzer when that is what is configured). */
  analyzer: OutcomeAnalyzer;
  /** The end of every fallback chain: deterministic, no network. */
  fallbackAnalyzer: OutcomeAnalyzer;
}

/** `ANALYZER`, or when unset: Bedrock if a model id is set, else an OpenAI-compatible endpoint if one is set, else offline. */
export function selectedAnalyzer(config: Config): AnalyzerKind {
  if (config.ANALYZER) return config.ANALYZER;
  if (config.BEDROCK_MODEL_ID) return 'bedrock';
  if (config.LLM_BASE_URL) return 'openai';
  return 'offline';
}

/**
 * Builds the analyzers the configuration asks for. A provider that is selected but incompletely configured
 * fails here, at cold start, naming the missing variable (BEDROCK_MODEL_ID; LLM_BASE_URL, LLM_MODEL).
 */
export function createConfiguredAnalyzers(config: Config, deps: ProviderDeps = {}): ConfiguredAnalyzers {
  const offline = createOfflineAnalyzer();
  const kind = selectedAnalyzer(config);
  if (kind === 'bedrock') {
    const { BEDROCK_MODEL_ID } = requireConfig(config, 'BEDROCK_MODEL_ID');
    const analyzer = createBedrockAnalyzer({
      // The state machine's Retry owns backoff; one SDK retry covers a dropped connection without stacking delays.
      client: deps.bedrockClient ?? new BedrockRuntimeClient({ region: config.BEDROCK_REGION ?? config.AWS_REGION, maxAttempts: 2 }),
      modelId: BEDROCK_MODEL_ID,
      maxTokens: config.LLM_MAX_TOKENS,
      temperature: config.LLM_TEMPERATURE,
      inputTokenBudget: config.LLM_INPUT_TOKEN_BUDGET,
      ...(config.BEDROCK_GUARDRAIL_ID ? { guardrail: { id: config.BEDROCK_GUARDRAIL_ID, version: config.BEDROCK_GUARDRAIL_VERSION } } : {}),
    });
    return { kind, analyzer, fallbackAnalyzer: offline };
  }
  if (kind === 'openai') {
    const { LLM_BASE_URL, LLM_MODEL } = requireConfig(config, 'LLM_BASE_URL', 'LLM_MODEL');
    const analyzer = createOpenAICompatibleAnalyzer({
      baseUrl: LLM_BASE_URL,
      model: LLM_MODEL,
      ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : {}),
      maxTokens: config.LLM_MAX_TOKENS,
      temperature: config.LLM_TEMPERATURE,
      timeoutMs: config.LLM_TIMEOUT_MS,
      inputTokenBudget: config.LLM_INPUT_TOKEN_BUDGET,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    return { kind, analyzer, fallbackAnalyzer: offline };
  }
  return { kind, analyzer: offline, fallbackAnalyzer: offline };
}
