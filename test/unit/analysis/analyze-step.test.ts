import { readFileSync } from 'node:fs';
import { AccessDeniedException, BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ANALYSIS_TOOL_NAME, MODEL_REQUESTS_PER_INCIDENT, createBedrockAnalyzer, createOfflineAnalyzer, createOpenAICompatibleAnalyzer } from '../../../shared/analysis/index.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { AnalyzerUnavailableError } from '../../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { ASL_PATH } from '../../../infra/pipeline-definition.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { stepDeps } from '../../support/fakes.js';
import { errorReply, fetchMock } from './fetch-mock.js';

/**
 * The analyze stage with a real provider adapter (Bedrock, mocked at the SDK) and the real offline fallback:
 * cost accounting and a stored patch on success, a clear non-retried fallback on configuration errors, and the
 * retry-then-Catch path for throttling that still ends with an analysis and a decision.
 */

const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const bedrock = mockClient(BedrockRuntimeClient);
// The mock replaces the client class's send for the whole process: this file's worker runs other files after it.
afterAll(() => bedrock.restore());

afterEach(() => {
  bedrock.reset();
});

const PATCH = ['--- a/src/cart.ts', '+++ b/src/cart.ts', '@@ -1,1 +1,1 @@', '-  return applyDiscount(applyDiscount(total));', '+  return applyDiscount(total);', ''].join('\n');

function bedrockAnalyzer() {
  return createBedrockAnalyzer({ client: new BedrockRuntimeClient({ region: 'us-east-1' }), modelId: MODEL, maxTokens: 1024, temperature: 0 });
}

async function seeded(env: Record<string, string> = {}) {
  const { deps } = stepDeps({ analyzer: bedrockAnalyzer(), fallbackAnalyzer: createOfflineAnalyzer(), env });
  const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'delivery-analyze');
  const lines = [
    { line: 212, text: ' FAIL  src/cart.test.ts > cart > applies the discount' },
    { line: 213, text: 'AssertionError: expected 90 to be 81 // Object.is equality' },
  ];
  await deps.incidents.create(
    newIncident({ ...githubIncidentFields(trigger, deps.clock()), category: 'test_failure', fingerprint: 'fp-cart', failureLines: lines }, deps.clock()),
    githubIncidentScope(trigger),
  );
  return { deps, trigger };
}

describe('analyze step with a model provider', () => {
  it('stores cost, latency and the validated patch on the incident', async () => {
    // Prepare
    bedrock.on(ConverseCommand).resolves({
      output: {
        message: {
          role: 'assistant',
          content: [
            {
              toolUse: {
                toolUseId: 't1',
                name: ANALYSIS_TOOL_NAME,
                input: {
                  rootCause: 'applyDiscount runs twice.',
                  fix: ['Call applyDiscount once.'],
                  confidence: 0.8,
                  proposedAction: 'open_fix_pr',
                  rationale: 'The totals differ by exactly one discount.',
                  evidence: ['AssertionError: expected 90 to be 81 // Object.is equality'],
                  patch: PATCH,
                },
              },
            },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens: 6000, outputTokens: 500, totalTokens: 6500 },
    });
    const { deps, trigger } = await seeded({ LLM_PRICES_JSON: `{"${MODEL}": {"input": 1, "output": 5}}` });

    // Act
    await analyzeStep({ trigger }, deps);

    // Assert
    const analysis = (await deps.incidents.get(trigger.incidentId))?.analysis;
    expect(analysis).toMatchObject({
      provider: 'bedrock',
      model: MODEL,
      proposedAction: 'open_fix_pr',
      usage: { inputTokens: 6000, outputTokens: 500 },
      cost: { inputTokens: 6000, outputTokens: 500, estimatedUsd: 0.0085 },
      patch: { diff: PATCH, files: ['src/cart.ts'] },
    });
    expect(analysis?.cost?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('records an access-denied error on the incident, does not retry it, and continues with the offline analysis', async () => {
    // Prepare
    bedrock.on(ConverseCommand).rejects(new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", $metadata: {} }));
    const { deps, trigger } = await seeded();

    // Act
    const result = await analyzeStep({ trigger }, deps);
    await remediateStep({ trigger, analysis: result }, deps);

    // Assert
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(1);
    expect(incident.analysis?.provider).toBe('offline');
    expect(incident.analysis?.fallbackReason).toMatch(
      /^bedrock analyzer failed: AnalyzerConfigurationError: Bedrock denied access to model .* enable model access/,
    );
    expect(incident.analysis?.cost).toEqual({ inputTokens: 0, outputTokens: 0, estimatedUsd: 0, latencyMs: expect.any(Number) });
    expect(incident.history.find((entry) => entry.event === 'analyzer_fallback')?.detail).toBe(incident.analysis?.fallbackReason);
    expect(incident.decision?.action).toBeDefined();
  });

  it('lets throttling through for the Retry, and after the Catch the remediate stage records it and analyses offline', async () => {
    // Prepare
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: {} }));
    const { deps, trigger } = await seeded();
    const asl = JSON.parse(readFileSync(ASL_PATH, 'utf8')) as { States: Record<string, { Retry?: Array<{ ErrorEquals: string[] }> }> };

    // Act
    const error = await analyzeStep({ trigger }, deps).catch((caught: unknown) => caught);
    const caught = { Error: (error as Error).name, Cause: JSON.stringify({ errorType: (error as Error).name, errorMessage: (error as Error).message }) };
    await remediateStep({ trigger, analyzeError: caught }, deps);

    // Assert
    expect(error).toBeInstanceOf(AnalyzerUnavailableError);
    expect(asl.States.Analyze?.Retry?.flatMap((retry) => retry.ErrorEquals)).toContain('AnalyzerUnavailableError');
    expect(asl.States.Analyze?.Retry?.flatMap((retry) => retry.ErrorEquals)).not.toContain('AnalyzerConfigurationError');
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(incident.analysis?.provider).toBe('offline');
    expect(incident.analysis?.fallbackReason).toMatch(/AnalyzerUnavailableError: Bedrock ThrottlingException/);
    expect(incident.stageErrors).toEqual([expect.objectContaining({ stage: 'analyze', error: expect.stringMatching(/ThrottlingException/) })]);
    expect(['comment_only', 'escalate']).toContain(incident.decision?.action);
  });

  /**
   * Runs the analyze stage as the state machine does: again after each AnalyzerUnavailableError, up to the Retry's
   * MaxAttempts more times; the result of the last attempt, or its error.
   */
  async function withRetries({ deps, trigger }: Awaited<ReturnType<typeof seeded>>) {
    const asl = JSON.parse(readFileSync(ASL_PATH, 'utf8')) as { States: Record<string, { Retry?: Array<{ ErrorEquals: string[]; MaxAttempts: number }> }> };
    const retries = asl.States.Analyze?.Retry?.find((retry) => retry.ErrorEquals.includes('AnalyzerUnavailableError'))?.MaxAttempts ?? 0;
    let outcome: unknown;
    for (let attempt = 0; attempt <= retries; attempt += 1) {
      outcome = await analyzeStep({ trigger }, deps).catch((error: unknown) => error);
      if (!(outcome instanceof AnalyzerUnavailableError)) return outcome;
    }
    return outcome;
  }

  it("charges every retried Bedrock request to the incident's model requests: a throttled model costs at most two", async () => {
    // Prepare: the model answers in prose, and its repair call is throttled, every time
    bedrock.on(ConverseCommand).callsFake((input: { messages: unknown[] }) => {
      if (input.messages.length > 1) throw new ThrottlingException({ message: 'Too many requests, please wait before trying again.', $metadata: {} });
      return { output: { message: { role: 'assistant', content: [{ text: 'The cart test failed.' }] } }, stopReason: 'end_turn', usage: { inputTokens: 6000, outputTokens: 40, totalTokens: 6040 } };
    });
    const seed = await seeded();
    const { deps, trigger } = seed;

    // Act
    const result = await withRetries(seed);

    // Assert: each of the five attempts used to make both calls again (10 requests, 5 of them answered and billed)
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(MODEL_REQUESTS_PER_INCIDENT);
    expect(result).toMatchObject({ provider: 'offline' });
    const incident = (await deps.incidents.get(trigger.incidentId))!;
    expect(incident.analysis?.fallbackReason).toMatch(/ModelRequestsSpentError: .*2 of 2 model requests/);
  });

  it("charges the OpenAI-compatible endpoint's retried and downgraded requests to the incident's model requests", async () => {
    // Prepare: a local server that cannot do tools (one downgrade), then is overloaded
    const mock = fetchMock(errorReply(400, 'this model does not support tools'), errorReply(503, 'model is loading'));
    const analyzer = createOpenAICompatibleAnalyzer({ baseUrl: 'http://127.0.0.1:11434/v1', model: 'llama3.1', maxTokens: 1024, temperature: 0, fetch: mock.fetch });
    const seed = await seeded();
    seed.deps.analyzer = analyzer;

    // Act
    const result = await withRetries(seed);

    // Assert: every attempt used to post again (6 requests)
    expect(mock.requests).toHaveLength(MODEL_REQUESTS_PER_INCIDENT);
    expect(result).toMatchObject({ provider: 'offline' });
  });

  it('keeps the model analysis an incident holds when it is analysed again with its model requests spent', async () => {
    // Prepare: analysed once by the model; a later attempt spent the last request (a re-driven execution)
    bedrock.on(ConverseCommand).resolves({
      output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: ANALYSIS_TOOL_NAME, input: { rootCause: 'applyDiscount runs twice.', fix: ['Call applyDiscount once.'], confidence: 0.8, proposedAction: 'comment_only', rationale: 'The totals differ by one discount.', evidence: [] } } }] } },
      stopReason: 'tool_use',
      usage: { inputTokens: 6000, outputTokens: 500, totalTokens: 6500 },
    });
    const { deps, trigger } = await seeded();
    await analyzeStep({ trigger }, deps);
    await deps.modelRequests.take(trigger.incidentId, MODEL_REQUESTS_PER_INCIDENT);

    // Act
    const again = await analyzeStep({ trigger }, deps);

    // Assert: no third request, and the offline analysis did not replace the model's
    expect(bedrock.commandCalls(ConverseCommand)).toHaveLength(1);
    expect(again.provider).toBe('bedrock');
    expect((await deps.incidents.get(trigger.incidentId))?.analysis).toMatchObject({ provider: 'bedrock', rootCause: 'applyDiscount runs twice.' });
  });
});
