import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type Config, requireConfig } from '../config.js';
import { createBedrockAnalyzer } from './bedrock.js';
import { createOfflineAnalyzer } from './offline.js';
import { createOpenAICompatibleAnalyzer } from './openai.js';
import type { PromptVersion } from './prompt-versions.js';
import type { OutcomeAnalyzer } from './schema.js';

/** The providers `ANALYZER` can name. */
export type AnalyzerKind = 'offline' | 'bedrock' | 'openai';

/** Outside-world dependencies of the providers, injectable for tests and the CLI. */
export interface ProviderDeps {
  /** HTTP client of the OpenAI-compatible provider (global `fetch` by default). */
  fetch?: typeof fetch;
  /** Bedrock client (one is built from BEDROCK_REGION / AWS_REGION by default). */
  bedrockClient?: BedrockRuntimeClient;
  /** Reads the OpenAI-compatible endpoint's key where it is kept in a secret (LLM_API_KEY_SECRET_ARN); LLM_API_KEY wins. */
  apiKey?: () => Promise<string>;
}

export interface ConfiguredAnalyzers {
  kind: AnalyzerKind;
  /** The configured provider (the offline analyzer when that is what is configured). */
  analyzer: OutcomeAnalyzer;
  /** The end of every fallback chain: deterministic, no network. */
  fallbackAnalyzer: OutcomeAnalyzer;
  /**
   * The configured provider with an experiment arm's settings (model, prompt template, input budget); null for
   * the offline analyzer, which has none of them. Built once per distinct setting and reused.
   */
  analyzerFor(overrides: AnalyzerOverrides): OutcomeAnalyzer | null;
}

/** What an experiment arm may change about the analysis (README, "A/B experiments"). */
export interface AnalyzerOverrides {
  model?: string;
  promptVersion?: PromptVersion;
  inputTokenBudget?: number;
}

/** Distinct arm settings kept per process: experiments are few (at most 100 with 4 arms each are read). */
const MAX_ARM_ANALYZERS = 64;

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
  if (kind === 'offline') return { kind, analyzer: offline, fallbackAnalyzer: offline, analyzerFor: () => null };
  const build = buildProvider(kind, config, deps);
  const analyzer = build({});
  const arms = new Map<string, OutcomeAnalyzer>();
  return {
    kind,
    analyzer,
    fallbackAnalyzer: offline,
    analyzerFor(overrides) {
      const key = JSON.stringify([overrides.model ?? null, overrides.promptVersion ?? null, overrides.inputTokenBudget ?? null]);
      let found = arms.get(key);
      if (!found) {
        found = build(overrides);
        if (arms.size >= MAX_ARM_ANALYZERS) arms.delete(arms.keys().next().value as string);
        arms.set(key, found);
      }
      return found;
    },
  };
}

/**
 * A factory for the selected provider with the deployment's settings, into which an arm's overrides are merged.
 * The Bedrock client is built once and shared by every arm.
 */
function buildProvider(kind: 'bedrock' | 'openai', config: Config, deps: ProviderDeps): (overrides: AnalyzerOverrides) => OutcomeAnalyzer {
  if (kind === 'bedrock') {
    const { BEDROCK_MODEL_ID } = requireConfig(config, 'BEDROCK_MODEL_ID');
    // The state machine's Retry owns every retry: one the SDK made would reach the model without being charged to the
    // incident's model requests (AnalysisInput.beforeModelRequest).
    const client = deps.bedrockClient ?? new BedrockRuntimeClient({ region: config.BEDROCK_REGION ?? config.AWS_REGION, maxAttempts: 1 });
    return (overrides) =>
      createBedrockAnalyzer({
        client,
        modelId: overrides.model ?? BEDROCK_MODEL_ID,
        maxTokens: config.LLM_MAX_TOKENS,
        temperature: config.LLM_TEMPERATURE,
        inputTokenBudget: overrides.inputTokenBudget ?? config.LLM_INPUT_TOKEN_BUDGET,
        ...(overrides.promptVersion ? { promptVersion: overrides.promptVersion } : {}),
        ...(config.BEDROCK_GUARDRAIL_ID ? { guardrail: { id: config.BEDROCK_GUARDRAIL_ID, version: config.BEDROCK_GUARDRAIL_VERSION } } : {}),
      });
  }
  const { LLM_BASE_URL, LLM_MODEL } = requireConfig(config, 'LLM_BASE_URL', 'LLM_MODEL');
  return (overrides) =>
    createOpenAICompatibleAnalyzer({
      baseUrl: LLM_BASE_URL,
      model: overrides.model ?? LLM_MODEL,
      ...(config.LLM_API_KEY ? { apiKey: config.LLM_API_KEY } : deps.apiKey ? { apiKey: deps.apiKey } : {}),
      maxTokens: config.LLM_MAX_TOKENS,
      temperature: config.LLM_TEMPERATURE,
      timeoutMs: config.LLM_TIMEOUT_MS,
      inputTokenBudget: overrides.inputTokenBudget ?? config.LLM_INPUT_TOKEN_BUDGET,
      ...(overrides.promptVersion ? { promptVersion: overrides.promptVersion } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
}
