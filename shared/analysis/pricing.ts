import * as z from '../zod.js';
import { firstIssue } from '../validation.js';
import type { AnalysisOutcome, TokenUsage } from './schema.js';

/**
 * Estimated cost of an analysis from the tokens the provider reported and a price table.
 *
 * The default table holds approximate on-demand list prices in USD per 1M tokens, us-east-1, checked
 * 2026-11-22 against https://aws.amazon.com/bedrock/pricing/ (Nova, Llama) and Anthropic's pricing page
 * https://platform.claude.com/docs/en/about-claude/pricing, whose Claude prices Bedrock matches for on-demand
 * use (cross-checked with the Bedrock model ids in LangChain's `bedrock_anthropic_callback` cost table). From
 * Claude Haiku 4.5 / Sonnet 4.5 on, Bedrock's Regional and geographic (`us.`, `eu.` …) endpoints cost 10% more
 * than the `global.` inference profile; both are listed. Prices change and differ by Region: override or extend
 * the table with `LLM_PRICES_JSON` (see {@link parsePriceOverrides}); a model with no price gets a null cost,
 * never a guess.
 */

export interface ModelPrice {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M output tokens. */
  output: number;
}

interface PriceRule {
  /** Matched against the model id without its geography prefix (`us.`, `eu.`, `global.` …). */
  pattern: RegExp;
  price: ModelPrice;
  /** Price through the `global.` inference profile, where it differs. */
  globalPrice?: ModelPrice;
}

/** Geography prefixes of Bedrock's system-defined inference profiles. */
const PROFILE_PREFIX = /^(us|us-gov|eu|apac|jp|au|ca|global)\./;

/** First match wins, so more specific families come first. */
export const DEFAULT_PRICE_RULES: readonly PriceRule[] = [
  // Anthropic Claude (Haiku-class)
  { pattern: /^anthropic\.claude-3-haiku/, price: { input: 0.25, output: 1.25 } },
  { pattern: /^anthropic\.claude-3-5-haiku/, price: { input: 0.8, output: 4 } },
  { pattern: /^anthropic\.claude-haiku-4-5/, price: { input: 1.1, output: 5.5 }, globalPrice: { input: 1, output: 5 } },
  // Anthropic Claude (Sonnet-class)
  { pattern: /^anthropic\.claude-sonnet-4-5/, price: { input: 3.3, output: 16.5 }, globalPrice: { input: 3, output: 15 } },
  { pattern: /^anthropic\.claude-(3-sonnet|3-5-sonnet|3-7-sonnet|sonnet-4)/, price: { input: 3, output: 15 } },
  // Anthropic Claude (Opus-class)
  { pattern: /^anthropic\.claude-opus-4-5/, price: { input: 5.5, output: 27.5 }, globalPrice: { input: 5, output: 25 } },
  { pattern: /^anthropic\.claude-(3-opus|opus-4)/, price: { input: 15, output: 75 } },
  // Amazon Nova
  { pattern: /^amazon\.nova-micro/, price: { input: 0.035, output: 0.14 } },
  { pattern: /^amazon\.nova-lite/, price: { input: 0.06, output: 0.24 } },
  { pattern: /^amazon\.nova-pro/, price: { input: 0.8, output: 3.2 } },
  // Meta Llama
  { pattern: /^meta\.llama3-2-1b/, price: { input: 0.1, output: 0.1 } },
  { pattern: /^meta\.llama3-2-3b/, price: { input: 0.15, output: 0.15 } },
  { pattern: /^meta\.llama3(-1)?-8b/, price: { input: 0.22, output: 0.22 } },
  { pattern: /^meta\.llama3-2-11b/, price: { input: 0.16, output: 0.16 } },
  { pattern: /^meta\.llama3-(1-70b|2-90b|3-70b)/, price: { input: 0.72, output: 0.72 } },
  { pattern: /^meta\.llama3-1-405b/, price: { input: 2.4, output: 2.4 } },
];

const priceSchema = z.strictObject({
  input: z.number().check(z.nonnegative()),
  output: z.number().check(z.nonnegative()),
});

/** `LLM_PRICES_JSON`: model id → USD per 1M input/output tokens, e.g. `{"llama3.1":{"input":0,"output":0}}`. */
export const priceOverridesSchema = z.record(z.string().check(z.minLength(1)), priceSchema);

export type PriceOverrides = z.infer<typeof priceOverridesSchema>;

/** Parses `LLM_PRICES_JSON`; the message names what is wrong (the config loader adds the variable's name). */
export function parsePriceOverrides(json: string): PriceOverrides {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('must be JSON: {"<model id>": {"input": <USD per 1M tokens>, "output": <USD per 1M tokens>}}');
  }
  const parsed = priceOverridesSchema.safeParse(value);
  if (!parsed.success) throw new Error(firstIssue(parsed.error));
  return parsed.data;
}

/**
 * The price of a model: an override for the exact id, then for the id without its geography prefix, then the
 * default table. Null when nothing matches (an unknown or local model).
 */
export function priceFor(model: string | null, overrides: PriceOverrides = {}): ModelPrice | null {
  if (!model) return null;
  const base = model.replace(PROFILE_PREFIX, '');
  const override = overrides[model] ?? overrides[base];
  if (override) return override;
  const rule = DEFAULT_PRICE_RULES.find((candidate) => candidate.pattern.test(base));
  if (!rule) return null;
  return model.startsWith('global.') && rule.globalPrice ? rule.globalPrice : rule.price;
}

/** USD for `usage` at `price`, rounded to a millionth of a dollar. */
export function usdFor(usage: TokenUsage, price: ModelPrice): number {
  const usd = (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
  return Math.round(usd * 1_000_000) / 1_000_000;
}

/** What an analysis cost: every model call counted, including those of a primary that failed. */
export interface AnalysisCost {
  inputTokens: number;
  outputTokens: number;
  /** Null when a model was called whose price is unknown; 0 when no model was called. */
  estimatedUsd: number | null;
  latencyMs: number;
}

/**
 * Cost of an outcome: the answering model's usage plus, after a fallback, what the failed primary spent (it was
 * paid for even though its answer was not used). `latencyMs` is the caller's wall-clock time for the whole
 * analysis, fallback included.
 */
export function costOf(outcome: AnalysisOutcome, latencyMs: number, overrides: PriceOverrides = {}): AnalysisCost {
  const spends: Array<{ model: string | null; usage: TokenUsage }> = [];
  if (outcome.usage) spends.push({ model: outcome.model, usage: outcome.usage });
  if (outcome.failedAttempt?.usage) spends.push({ model: outcome.failedAttempt.model, usage: outcome.failedAttempt.usage });
  let usd: number | null = 0;
  for (const spend of spends) {
    if (spend.usage.inputTokens === 0 && spend.usage.outputTokens === 0) continue;
    const price = priceFor(spend.model, overrides);
    usd = price === null || usd === null ? null : usd + usdFor(spend.usage, price);
  }
  return {
    inputTokens: spends.reduce((sum, spend) => sum + spend.usage.inputTokens, 0),
    outputTokens: spends.reduce((sum, spend) => sum + spend.usage.outputTokens, 0),
    estimatedUsd: usd === null ? null : Math.round(usd * 1_000_000) / 1_000_000,
    latencyMs: Math.max(0, Math.round(latencyMs)),
  };
}
