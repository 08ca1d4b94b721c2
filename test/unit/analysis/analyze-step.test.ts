import { readFileSync } from 'node:fs';
import { AccessDeniedException, BedrockRuntimeClient, ConverseCommand, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ANALYSIS_TOOL_NAME, createBedrockAnalyzer, createOfflineAnalyzer } from '../../../shared/analysis/index.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { newIncident } from '../../../shared/domain/incident.js';
import { AnalyzerUnavailableError } from '../../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { analyzeStep } from '../../../shared/steps/analyze.js';
import { remediateStep } from '../../../shared/steps/remediate.js';
import { ASL_PATH } from '../../../infra/stack.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { stepDeps } from '../../support/fakes.js';

/**
 * The analyze stage with a real provider adapter (Bedrock, mocked at the SDK) and the real offline fallback:
 * cost accounting and a stored patch on success, a clear non-retried fallback on configuration errors, and the
 * retry-then-Catch path for throttling that still ends with an analysis and a decision.
 */

const MODEL = 'us.anthropic.claude-3-5-haiku-20241022-v1:0';
const bedrock = mockClient(BedrockRuntimeClient);

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
    newIncident({ ...githubIncidentFields(trigger), category: 'test_failure', fingerprint: 'fp-cart', failureLines: lines }, deps.clock()),
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
});
