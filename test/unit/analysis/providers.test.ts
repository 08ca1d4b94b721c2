import { BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  ANALYSIS_TOOL_NAME,
  createConfiguredAnalyzers,
  explainLog,
  formatExplanation,
  selectedAnalyzer,
} from '../../../shared/analysis/index.js';
import { loadConfig } from '../../../shared/config.js';
import { ConfigError } from '../../../shared/errors.js';
import type { LogAnalysis } from '../../../shared/logs/types.js';
import { createAnalyzers } from '../../../shared/runtime/deps.js';
import { errorReply, fetchMock, toolCallReply } from './fetch-mock.js';

const bedrock = mockClient(BedrockRuntimeClient);
// The mock replaces the client class's send for the whole process: this file's worker runs other files after it.
afterAll(() => bedrock.restore());

afterEach(() => {
  bedrock.reset();
});

describe('provider selection', () => {
  it.each([
    [{}, 'offline'],
    [{ BEDROCK_MODEL_ID: 'm' }, 'bedrock'],
    [{ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' }, 'openai'],
    [{ BEDROCK_MODEL_ID: 'm', LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'bedrock'],
    [{ ANALYZER: 'offline', BEDROCK_MODEL_ID: 'm' }, 'offline'],
    [{ ANALYZER: 'openai', BEDROCK_MODEL_ID: 'm', LLM_BASE_URL: 'http://localhost:8000/v1', LLM_MODEL: 'x' }, 'openai'],
  ])('%o selects %s, and the chain ends at the offline analyzer', (env, kind) => {
    // Act
    const config = loadConfig(env);
    const analyzers = createConfiguredAnalyzers(config);

    // Assert
    expect(selectedAnalyzer(config)).toBe(kind);
    expect(analyzers.kind).toBe(kind);
    expect(analyzers.analyzer.provider).toBe(kind);
    expect(analyzers.fallbackAnalyzer.provider).toBe('offline');
    expect(createAnalyzers(config).analyzer.provider).toBe(kind);
  });

  it.each([
    [{ ANALYZER: 'openai' }, 'missing environment variable LLM_BASE_URL'],
    [{ ANALYZER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }, 'missing environment variable LLM_MODEL'],
    [{ ANALYZER: 'bedrock' }, 'missing environment variable BEDROCK_MODEL_ID'],
  ])('%o fails at start naming the missing variable', (env, message) => {
    expect(() => createConfiguredAnalyzers(loadConfig(env))).toThrow(new ConfigError(message));
  });

  it.each([
    [{ ANALYZER: 'gpt' }, /ANALYZER/],
    [{ LLM_BASE_URL: 'ftp://models.internal/v1' }, /LLM_BASE_URL/],
    [{ LLM_INPUT_TOKEN_BUDGET: '1000' }, /LLM_INPUT_TOKEN_BUDGET/],
    [{ LLM_TIMEOUT_MS: '10' }, /LLM_TIMEOUT_MS/],
  ])('rejects %o naming the variable', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('passes the token budget and guardrail to Bedrock', async () => {
    // Prepare
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'slow down', $metadata: {} }));
    const config = loadConfig({ BEDROCK_MODEL_ID: 'us.anthropic.claude-3-5-haiku-20241022-v1:0', BEDROCK_GUARDRAIL_ID: 'gr1', BEDROCK_GUARDRAIL_VERSION: '2' });
    const { analyzer } = createConfiguredAnalyzers(config, { bedrockClient: new BedrockRuntimeClient({ region: 'us-east-1' }) });

    // Act
    await analyzer.analyze(sampleInput()).catch(() => undefined);

    // Assert
    expect(bedrock.commandCalls(ConverseCommand)[0]?.args[0].input.guardrailConfig).toEqual({ guardrailIdentifier: 'gr1', guardrailVersion: '2' });
  });
});

function sampleLog(): LogAnalysis {
  const lines = [
    { line: 212, text: ' FAIL  src/cart.test.ts > cart > applies the discount' },
    { line: 213, text: 'AssertionError: expected 90 to be 81 // Object.is equality' },
    { line: 214, text: '\u001b[31m ❯ src/cart.test.ts:42:23\u001b[39m' },
  ];
  return {
    failures: [
      { rule: 'vitest.failed', category: 'test_failure', startLine: 212, endLine: 214, lines, context: [], score: 10, fingerprint: 'f1', template: 't' },
    ],
    category: 'test_failure',
    evidence: lines[0]!,
    fingerprint: '0123456789abcdef0123',
    template: 't',
    lineCount: 300,
    bytesRead: 12_000,
    truncated: false,
  };
}

function sampleInput() {
  return {
    incidentId: 'i',
    source: 'github' as const,
    repository: 'acme/shop',
    workflowName: 'CI',
    branch: 'main',
    category: 'test_failure' as const,
    failureLines: sampleLog().failures[0]!.lines,
    jobs: [],
    alarm: null,
    knowledge: null,
  };
}

const modelAnswer = {
  rootCause: 'applyDiscount runs twice, so the total is 81 instead of 90.',
  fix: ['Remove the second applyDiscount call in src/cart.ts.'],
  prevention: 'Add a test for a single discount.',
  confidence: 0.8,
  proposedAction: 'comment_only',
  rationale: 'The assertion shows both totals.',
  evidence: ['AssertionError: expected 90 to be 81 // Object.is equality'],
};

describe('explainLog / formatExplanation', () => {
  it('explains with the offline analyzer when nothing is configured, at no cost', async () => {
    // Act
    const explanation = await explainLog(sampleLog(), { config: loadConfig({}), source: { repository: 'acme/shop' } });
    const text = formatExplanation(explanation);

    // Assert
    expect(explanation.configured).toBe('offline');
    expect(explanation.outcome.provider).toBe('offline');
    expect(explanation.input).toMatchObject({ repository: 'acme/shop', category: 'test_failure', incidentId: 'local/0123456789abcdef' });
    expect(explanation.cost).toMatchObject({ inputTokens: 0, outputTokens: 0, estimatedUsd: 0 });
    expect(text).toMatch(/^analysis by offline \(configured: offline\)/);
    expect(text).toContain('root cause: ');
    expect(text).toContain('tokens: none (no model was called) · cost $0');
    expect(text).not.toContain('\u001b');
  });

  it('explains with the configured model, with tokens and estimated cost', async () => {
    // Prepare
    const { fetch } = fetchMock(toolCallReply(modelAnswer));
    const config = loadConfig({
      LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      LLM_MODEL: 'llama3.1',
      LLM_PRICES_JSON: '{"llama3.1": {"input": 0.2, "output": 0.6}}',
    });

    // Act
    const explanation = await explainLog(sampleLog(), { config, deps: { fetch } });
    const text = formatExplanation(explanation);

    // Assert
    expect(explanation.outcome).toMatchObject({ provider: 'openai', model: 'llama3.1', prevention: modelAnswer.prevention });
    expect(explanation.cost).toMatchObject({ inputTokens: 1800, outputTokens: 240, estimatedUsd: 0.000504 });
    expect(text).toContain('analysis by openai · llama3.1 · prompt analysis-v2 (configured: openai)');
    expect(text).toContain(`root cause: ${modelAnswer.rootCause}`);
    expect(text).toContain('prevention: Add a test for a single discount.');
    expect(text).toContain('  > AssertionError: expected 90 to be 81 // Object.is equality');
    expect(text).toMatch(/tokens: 1800 in \/ 240 out in 1 call\(s\) · estimated cost \$0\.0005 · \d+\.\d s/);
  });

  it('falls back to the offline analysis at once when the provider is unavailable, and says why', async () => {
    // Prepare
    const { fetch, requests } = fetchMock(errorReply(503, 'model is loading'));
    const config = loadConfig({ ANALYZER: 'openai', LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1' });

    // Act
    const explanation = await explainLog(sampleLog(), { config, deps: { fetch } });

    // Assert
    expect(requests).toHaveLength(1);
    expect(explanation.outcome.provider).toBe('offline');
    expect(formatExplanation(explanation)).toMatch(/^fallback: openai analyzer failed: AnalyzerUnavailableError: .*HTTP 503.*model is loading$/m);
  });

  it('reports an unknown price honestly', async () => {
    // Prepare
    const { fetch } = fetchMock(toolCallReply(modelAnswer));
    const config = loadConfig({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5-coder' });

    // Act
    const text = formatExplanation(await explainLog(sampleLog(), { config, deps: { fetch } }));

    // Assert
    expect(text).toContain('estimated cost unknown (no price for this model; set LLM_PRICES_JSON)');
    expect(ANALYSIS_TOOL_NAME).toBe('record_analysis');
  });
});
