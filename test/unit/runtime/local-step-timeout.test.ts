/**
 * A Lambda step that hangs past its state's TimeoutSeconds in the local runtime (session 43, attack-45a A4): as in AWS,
 * where Lambda stops it and answers Sandbox.Timedout, it is retried by the pipeline's own retrier, not caught and
 * degraded, and nothing of the timed-out attempt runs beside its retry. Wired as infra/local/runtime.ts wires its
 * task states: each invocation through invokeWithTimeout, the states named self-timed to the interpreter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterEach, beforeAll, afterAll, describe, expect, it, vi } from 'vitest';
import { type LambdaHandler, invokeWithTimeout } from '../../../infra/local/lambda-invocation.js';
import { startLocalWorkflow } from '../../../infra/local/local-workflow.js';
import { stepHandler } from '../../../shared/runtime/lambda.js';
import { memoryRegistry } from '../../support/execution-registry.js';
import { pipelineDefinition } from '../../support/pipeline-asl.js';

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:step-timeout-test';
const CLASSIFY = pipelineDefinition.States.Classify as { Retry: unknown[] };

/** Classify with the pipeline's retriers and a timeout of one second; its Catch goes to `Degraded`, as the pipeline's does. */
function aslFile(): string {
  const definition = {
    StartAt: 'Classify',
    States: {
      Classify: {
        Type: 'Task',
        Resource: 'arn:aws:lambda:us-east-1:000000000000:function:classify',
        TimeoutSeconds: 1,
        Retry: CLASSIFY.Retry,
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.classifyError', Next: 'Degraded' }],
        End: true,
      },
      Degraded: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:degraded', End: true },
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'guard-asl-')), 'machine.asl.json');
  writeFileSync(path, JSON.stringify(definition));
  return path;
}

beforeAll(() => {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('OUTBOX_PATH', '');
});
afterAll(() => vi.unstubAllEnvs());

describe('local runtime: a step hanging past its TimeoutSeconds (session 43)', () => {
  let close: (() => Promise<void>) | null = null;
  afterEach(async () => { await close?.(); close = null; });

  it('is retried as Sandbox.Timedout, not degraded, its late side effect before its retry’s', async () => {
    // Attempt 1 is held 1.5 s by a call that takes no signal, then writes; attempt 2 writes at once.
    const events: string[] = [];
    let attempts = 0;
    const handler = (await stepHandler(
      async () => {
        attempts += 1;
        const attempt = attempts;
        if (attempt === 1) await new Promise((resolve) => setTimeout(resolve, 1_500));
        events.push(`attempt ${attempt} wrote`);
        return { attempt };
      },
      () => ({}),
    )) as unknown as LambdaHandler;
    const registry = memoryRegistry();
    const lines: string[] = [];
    const workflow = await startLocalWorkflow({
      aslPath: aslFile(),
      substitutions: {},
      stateMachineArn: STATE_MACHINE,
      registry,
      retryDelayMs: 1,
      tasks: {
        Classify: (input) => invokeWithTimeout(handler, input, { functionName: 'classify', timeoutMs: 1_000, log: (line) => lines.push(line) }),
        Degraded: async () => { events.push('degraded'); return {}; },
      },
      selfTimedTasks: ['Classify'],
      onEvent: (line) => lines.push(line),
    });
    close = () => workflow.close();
    const client = new SFNClient({ endpoint: workflow.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

    await client.send(new StartExecutionCommand({ stateMachineArn: STATE_MACHINE, name: 'hanging-classify', input: JSON.stringify({ trigger: {} }) }));
    await vi.waitFor(async () => expect((await registry.get('hanging-classify'))?.status).not.toBe('RUNNING'), { timeout: 6_000, interval: 50 });

    expect((await registry.get('hanging-classify'))?.status).toBe('SUCCEEDED');
    expect(events).toEqual(['attempt 1 wrote', 'attempt 2 wrote']);
    expect(attempts).toBe(2);
    expect(lines.filter((line) => /still running/.test(line))).toEqual([]);
  });
});
