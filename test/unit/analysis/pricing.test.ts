import { describe, expect, it } from 'vitest';
import {
  type AnalysisOutcome,
  CHARS_PER_TOKEN_PROSE,
  costOf,
  estimateTokens,
  parsePriceOverrides,
  priceFor,
  usdFor,
} from '../../../shared/analysis/index.js';
import { loadConfig } from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';

const outcome = (fields: Partial<AnalysisOutcome>): AnalysisOutcome => ({
  rootCause: 'r',
  fix: ['f'],
  confidence: 0.5,
  proposedAction: 'comment_only',
  rationale: '',
  evidence: [],
  provider: 'bedrock',
  model: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  ...fields,
});

describe('priceFor', () => {
  it.each([
    ['anthropic.claude-3-5-haiku-20241022-v1:0', { input: 0.8, output: 4 }],
    ['us.anthropic.claude-3-5-haiku-20241022-v1:0', { input: 0.8, output: 4 }],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', { input: 1, output: 5 }],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', { input: 1.1, output: 5.5 }],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 3, output: 15 }],
    ['eu.anthropic.claude-sonnet-4-5-20250929-v1:0', { input: 3.3, output: 16.5 }],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', { input: 3, output: 15 }],
    ['us.anthropic.claude-sonnet-4-20250514-v1:0', { input: 3, output: 15 }],
    ['amazon.nova-micro-v1:0', { input: 0.035, output: 0.14 }],
    ['us.amazon.nova-pro-v1:0', { input: 0.8, output: 3.2 }],
    ['meta.llama3-1-8b-instruct-v1:0', { input: 0.22, output: 0.22 }],
    ['us.meta.llama3-3-70b-instruct-v1:0', { input: 0.72, output: 0.72 }],
  ])('knows %s', (model, price) => {
    expect(priceFor(model)).toEqual(price);
  });

  it('has no price for unknown or local models, and takes overrides by exact or unprefixed id first', () => {
    // Prepare
    const overrides = parsePriceOverrides(
      '{"llama3.1": {"input": 0, "output": 0}, "anthropic.claude-3-5-haiku-20241022-v1:0": {"input": 0.9, "output": 4.5}}',
    );

    // Act / Assert
    expect(priceFor('llama3.1')).toBeNull();
    expect(priceFor(null)).toBeNull();
    expect(priceFor('llama3.1', overrides)).toEqual({ input: 0, output: 0 });
    expect(priceFor('us.anthropic.claude-3-5-haiku-20241022-v1:0', overrides)).toEqual({ input: 0.9, output: 4.5 });
  });
});

describe('cost per incident at the default budget (the README figures)', () => {
  it.each([
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 0.0115],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 0.01265],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 0.0092],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 0.0345],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 0.03795],
    ['amazon.nova-pro-v1:0', 0.00864],
  ])('8000 input + 700 output tokens on %s cost $%f', (model, usd) => {
    expect(usdFor({ inputTokens: 8000, outputTokens: 700 }, priceFor(model)!)).toBeCloseTo(usd, 6);
  });
});

describe('costOf', () => {
  it('prices the answering model and adds what a failed primary spent', () => {
    // Prepare
    const fallback = outcome({
      provider: 'offline',
      model: null,
      failedAttempt: { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0', usage: { inputTokens: 10_000, outputTokens: 2000 } },
    });

    // Act
    const answered = costOf(outcome({ usage: { inputTokens: 6000, outputTokens: 500 } }), 1234.4);
    const failed = costOf(fallback, 900);

    // Assert
    expect(answered).toEqual({ inputTokens: 6000, outputTokens: 500, estimatedUsd: 0.0068, latencyMs: 1234 });
    expect(failed).toEqual({ inputTokens: 10_000, outputTokens: 2000, estimatedUsd: 0.06, latencyMs: 900 });
  });

  it('is free without a model call and unknown for a model without a price', () => {
    // Act
    const offline = costOf(outcome({ provider: 'offline', model: null }), 3);
    const local = costOf(outcome({ provider: 'openai', model: 'llama3.1', usage: { inputTokens: 5000, outputTokens: 300 } }), 4000);

    // Assert
    expect(offline).toEqual({ inputTokens: 0, outputTokens: 0, estimatedUsd: 0, latencyMs: 3 });
    expect(local).toEqual({ inputTokens: 5000, outputTokens: 300, estimatedUsd: null, latencyMs: 4000 });
  });
});

describe('LLM_PRICES_JSON', () => {
  it('is parsed into the configuration', () => {
    // Act
    const config = loadConfig({ LLM_PRICES_JSON: '{"my-model": {"input": 1.5, "output": 2}}' });

    // Assert
    expect(config.LLM_PRICES_JSON).toEqual({ 'my-model': { input: 1.5, output: 2 } });
    expect(loadConfig({}).LLM_PRICES_JSON).toEqual({});
  });

  it.each([
    ['not json', /must be JSON/],
    ['{"m": {"input": -1, "output": 2}}', /m\.input/],
    ['{"m": {"input": 1}}', /m\.output/],
    ['{"m": {"input": 1, "output": 2, "cached": 0.1}}', /m/],
  ])('rejects %s at start with the variable name', (value, detail) => {
    // Act
    const load = () => loadConfig({ LLM_PRICES_JSON: value });

    // Assert
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/invalid environment variable LLM_PRICES_JSON/);
    expect(load).toThrow(detail);
  });
});

describe('estimateTokens', () => {
  it('counts conservatively: more tokens than characters / 4 on logs, and about 3.5 characters per token at most on prose', () => {
    // Prepare
    const logLine = '    at Object.<anonymous> (/home/runner/work/shop/shop/src/cart.test.ts:42:23)';
    const prose = 'The discount is applied twice because the cart total calls the helper again after the promotion step.';

    // Act
    const logTokens = estimateTokens(logLine);
    const proseTokens = estimateTokens(prose);

    // Assert
    expect(estimateTokens('')).toBe(0);
    expect(logTokens).toBeGreaterThan(logLine.length / 3);
    expect(prose.length / proseTokens).toBeLessThanOrEqual(CHARS_PER_TOKEN_PROSE);
    expect(estimateTokens('a\nb')).toBe(3);
    expect(estimateTokens('😀')).toBe(2);
  });
});
