import { describe, expect, it } from 'vitest';
import { pipelineDefinition } from '../../support/pipeline-asl.js';

/**
 * A Lambda step still running at its function's timeout is stopped by Lambda, which answers Sandbox.Timedout: no
 * handler answers early any more (shared/runtime/lambda.ts; attack-45a A4, session 43), and the local runtime answers
 * the same name (infra/local/lambda-invocation.ts). Each Lambda step must retry it, or a slow attempt is degraded.
 */
describe('incident pipeline: a Lambda step timed out by Lambda', () => {
  it('is retried by every state that invokes a Lambda function', () => {
    const states = Object.entries(pipelineDefinition.States as Record<string, { Type?: string; Resource?: string; Retry?: { ErrorEquals: string[] }[] }>)
      .filter(([, state]) => state.Type === 'Task' && (state.Resource?.includes(':lambda:') || state.Resource?.includes('FunctionArn')));
    expect(states.map(([name]) => name)).toEqual(expect.arrayContaining(['Classify', 'Analyze', 'Remediate', 'AwaitApproval', 'Notify']));
    for (const [name, state] of states) {
      expect({ name, retried: (state.Retry ?? []).some((retry) => retry.ErrorEquals.includes('Sandbox.Timedout')) }).toEqual({ name, retried: true });
    }
  });
});
