import { describe, expect, it } from 'vitest';
import { bedrockGuardrailStatement, readSettings } from '../../infra/stack.js';
import { actionsOf, allows, functionLogicalId, functionStatements, resourcesOf, scratchDir, synth, testApp } from './support.js';

const settingsFrom = (context: Record<string, unknown>) => readSettings(testApp(context));
const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';

function analyzeEnvironment(synthesized: ReturnType<typeof synth>): Record<string, string> {
  const { stack, template } = synthesized;
  return template.toJSON().Resources[functionLogicalId(stack, stack.functions.analyze)].Properties.Environment.Variables;
}

/** Numeric context keys of the analyze function: the environment variable each sets, its default, a value to set, and its range. */
const NUMERIC_KEYS = [
  { key: 'llmInputTokenBudget', variable: 'LLM_INPUT_TOKEN_BUDGET', fallback: 8000, set: '12000', range: 'between 3000 and 1000000', refused: ['2999', '8000.5', 'lots', '1000001'] },
  { key: 'llmOutsiderAnalysesPerHour', variable: 'LLM_OUTSIDER_ANALYSES_PER_HOUR', fallback: 10, set: '0', range: 'between 0 and 1000', refused: ['-1', '2.5', 'lots', '1001'] },
] as const;

describe.each(NUMERIC_KEYS)('$key', ({ key, variable, fallback, set }) => {
  it(`defaults to ${fallback} and reaches the analyze function with a model`, () => {
    // Act
    const synthesized = synth({ bedrockModelId: MODEL, [key]: set });

    // Assert
    expect(settingsFrom({})[key]).toBe(fallback);
    expect(analyzeEnvironment(synthesized)).toMatchObject({ [variable]: set });
    expect(analyzeEnvironment(synth({ bedrockModelId: MODEL }))).toMatchObject({ [variable]: String(fallback) });
  });
});

describe('llmOutsiderRepositoryAnalysesPerHour', () => {
  it("reaches the analyze function when set, and leaves the config's default (half the pool) when not", () => {
    // Act
    const set = analyzeEnvironment(synth({ bedrockModelId: MODEL, llmOutsiderRepositoryAnalysesPerHour: '3' }));
    const unset = analyzeEnvironment(synth({ bedrockModelId: MODEL }));

    // Assert
    expect(set).toMatchObject({ LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR: '3' });
    expect(unset).not.toHaveProperty('LLM_OUTSIDER_REPOSITORY_ANALYSES_PER_HOUR');
    expect(settingsFrom({}).llmOutsiderRepositoryAnalysesPerHour).toBeUndefined();
  });
});

describe('numeric context keys out of range', () => {
  const cases = [
    ...NUMERIC_KEYS.flatMap(({ key, range, refused }) => refused.map((value) => ({ key, value, range }))),
    ...['-1', '2.5', 'lots', '1001'].map((value) => ({ key: 'llmOutsiderRepositoryAnalysesPerHour', value, range: 'between 0 and 1000' })),
  ];

  it.each(cases)('$key rejects $value naming the key', ({ key, value, range }) => {
    expect(() => settingsFrom({ [key]: value })).toThrow(`${key} must be a whole number ${range}`);
  });
});

describe('bedrockGuardrailId / bedrockGuardrailVersion', () => {
  it('passes the guardrail to analyze and grants ApplyGuardrail on that guardrail only', () => {
    // Prepare
    const context = { bedrockModelId: MODEL, bedrockRegion: 'us-west-2', bedrockGuardrailId: 'gr4x9k2mz1ab', bedrockGuardrailVersion: '3' };

    // Act
    const synthesized = synth(context);

    // Assert
    expect(analyzeEnvironment(synthesized)).toMatchObject({ BEDROCK_GUARDRAIL_ID: 'gr4x9k2mz1ab', BEDROCK_GUARDRAIL_VERSION: '3' });
    const guardrail = functionStatements(synthesized, 'analyze').filter((s) => actionsOf(s).includes('bedrock:ApplyGuardrail'));
    expect(guardrail).toHaveLength(1);
    expect(actionsOf(guardrail[0]!)).toEqual(['bedrock:ApplyGuardrail']);
    expect(JSON.stringify(resourcesOf(guardrail[0]!))).toBe(
      JSON.stringify([
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:us-west-2:', { Ref: 'AWS::AccountId' }, ':guardrail/gr4x9k2mz1ab']] },
      ]),
    );
    for (const other of ['classify', 'notify', 'remediate', 'ingest-github', 'knowledge-lookup', 'record-outcome'] as const) {
      expect(functionStatements(synthesized, other).flatMap(actionsOf), other).not.toContain('bedrock:ApplyGuardrail');
    }
  });

  it('defaults the version to DRAFT and sets nothing without a guardrail', () => {
    // Act
    const withGuardrail = analyzeEnvironment(synth({ bedrockModelId: MODEL, bedrockGuardrailId: 'gr4x9k2mz1ab' }));
    const withoutSynth = synth({ bedrockModelId: MODEL });

    // Assert
    expect(withGuardrail).toMatchObject({ BEDROCK_GUARDRAIL_ID: 'gr4x9k2mz1ab', BEDROCK_GUARDRAIL_VERSION: 'DRAFT' });
    expect(analyzeEnvironment(withoutSynth).BEDROCK_GUARDRAIL_ID).toBeUndefined();
    expect(functionStatements(withoutSynth, 'analyze').flatMap(actionsOf)).not.toContain('bedrock:ApplyGuardrail');
  });

  it('uses a guardrail ARN as given', () => {
    // Prepare
    const arn = 'arn:aws:bedrock:eu-west-1:123456789012:guardrail/gr4x9k2mz1ab';

    // Act
    const statement = bedrockGuardrailStatement(arn, 'us-east-1', '999999999999', 'aws').toStatementJson();

    // Assert
    expect(statement).toEqual({ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: arn });
  });

  it.each([
    [{ bedrockModelId: MODEL, bedrockGuardrailId: 'has spaces' }, /bedrockGuardrailId must be a guardrail id or ARN/],
    [{ bedrockModelId: MODEL, bedrockGuardrailId: 'gr1', bedrockGuardrailVersion: 'latest' }, /bedrockGuardrailVersion must be DRAFT or a version number/],
    [{ bedrockModelId: MODEL, bedrockGuardrailVersion: '2' }, /bedrockGuardrailVersion needs bedrockGuardrailId/],
    [{ bedrockGuardrailId: 'gr1' }, /bedrockGuardrailId needs bedrockModelId/],
  ])('rejects %o naming the key', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
  });
});

describe('llmBaseUrl / llmModel / llmPricesFile / experimentModelIds (settings that could not be set in AWS)', () => {
  it('deploys the OpenAI-compatible analyzer with its prices and the experiment models, and grants no Bedrock', async () => {
    // Prepare
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const prices = join(scratchDir('guard-prices-'), 'prices.json');
    writeFileSync(prices, JSON.stringify({ 'llama3.1:8b': { input: 0.1, output: 0.2 } }));

    // Act
    const synthesized = synth({ llmBaseUrl: 'https://llm.internal/v1', llmModel: 'llama3.1:70b', llmPricesFile: prices, experimentModelIds: 'llama3.1:8b, qwen2.5:7b' });

    // Assert
    expect(analyzeEnvironment(synthesized)).toMatchObject({
      ANALYZER: 'openai',
      LLM_BASE_URL: 'https://llm.internal/v1',
      LLM_MODEL: 'llama3.1:70b',
      LLM_PRICES_JSON: '{"llama3.1:8b":{"input":0.1,"output":0.2}}',
      LLM_EXPERIMENT_MODELS: 'llama3.1:8b,qwen2.5:7b',
    });
    expect(functionStatements(synthesized, 'analyze').flatMap(actionsOf)).not.toContain('bedrock:InvokeModel');
  });

  it('grants InvokeModel on each Bedrock experiment model as well as the configured one', () => {
    const synthesized = synth({ bedrockModelId: MODEL, experimentModelIds: 'amazon.nova-micro-v1:0' });

    const invoke = functionStatements(synthesized, 'analyze').filter((s) => actionsOf(s).includes('bedrock:InvokeModel'));
    expect(JSON.stringify(invoke.map(resourcesOf))).toContain('foundation-model/amazon.nova-micro-v1:0');
    expect(JSON.stringify(invoke.map(resourcesOf))).toContain('inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(analyzeEnvironment(synthesized)).toMatchObject({ ANALYZER: 'bedrock', LLM_EXPERIMENT_MODELS: 'amazon.nova-micro-v1:0' });
  });

  it('keeps the endpoint\'s key in a secret created empty that only analyze reads (llmApiKeySecret)', () => {
    // Act
    const synthesized = synth({ llmBaseUrl: 'https://llm.internal/v1', llmModel: 'llama3.1:70b', llmApiKeySecret: 'true' });

    // Assert
    const { template } = synthesized;
    const [secretId, secret] = Object.entries(template.findResources('AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('LlmApiKeySecret')) ?? [];
    expect(secret?.Properties.GenerateSecretString).toBeUndefined();
    expect(analyzeEnvironment(synthesized)).toMatchObject({ ANALYZER: 'openai', LLM_API_KEY_SECRET_ARN: { Ref: secretId } });
    expect(analyzeEnvironment(synthesized)).not.toHaveProperty('LLM_API_KEY');
    expect(allows(functionStatements(synthesized, 'analyze'), 'secretsmanager:GetSecretValue', { Ref: secretId })).toBe(true);
    expect(allows(functionStatements(synthesized, 'notify'), 'secretsmanager:GetSecretValue', { Ref: secretId })).toBe(false);
    template.hasOutput('LlmApiKeySecretArn', { Value: { Ref: secretId } });
    expect(Object.keys(synth({ llmBaseUrl: 'https://llm.internal/v1', llmModel: 'm' }).template.findResources('AWS::SecretsManager::Secret')).filter((id) => id.startsWith('LlmApiKeySecret'))).toHaveLength(0);
  });

  it.each([
    [{ llmApiKeySecret: 'true' }, /llmApiKeySecret needs llmBaseUrl/],
    [{ llmBaseUrl: 'https://llm.internal/v1', llmModel: 'm', llmApiKeySecret: 'sk-123' }, /llmApiKeySecret must be true or false/],
    [{ llmBaseUrl: 'https://llm.internal/v1' }, /llmBaseUrl and llmModel go together/],
    [{ llmBaseUrl: 'http://llm.internal/v1', llmModel: 'm' }, /llmBaseUrl must be an https URL/],
    [{ llmBaseUrl: 'https://llm.internal/v1', llmModel: 'm', bedrockModelId: MODEL }, /exclude each other/],
    [{ experimentModelIds: 'amazon.nova-micro-v1:0' }, /experimentModelIds needs bedrockModelId or llmBaseUrl/],
    [{ bedrockModelId: MODEL, experimentModelIds: 'has space' }, /is not a model id/],
    [{ llmPricesFile: '/nonexistent/prices.json' }, /llmPricesFile: cannot read/],
  ])('refuses %j naming the key', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
  });
});
