/**
 * A machine of the pipeline's approval wait for the local Step Functions' tests (test/unit/runtime/
 * local-workflow-timeout.test.ts, test/attack/attack-45a-late-decision.test.ts): AwaitApproval then Notify, its
 * input, a client of the runtime's endpoint, and what a runtime stopped while an execution waited leaves on record.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { ExecutionRegistry } from '../../infra/local/local-workflow.js';
import { pipelineDefinition } from './pipeline-asl.js';

const AWAIT_APPROVAL = pipelineDefinition.States.AwaitApproval as { Parameters: unknown; TimeoutSecondsPath: string };

/** An execution's input as the pipeline's AwaitApproval reads it: Remediate's result holds the wait's seconds. */
export const waitingInput = (timeoutSeconds: number) => JSON.stringify({ trigger: { source: 'github' }, execution: {}, Payload: { timeoutSeconds } });

/**
 * The machine's ASL file: AwaitApproval then Notify, after a `Prepare` task (a stand-in for the stages before the
 * wait) when asked; with `retried`, AwaitApproval retries a RetryableError once and also passes the context object's
 * state name.
 */
export function awaitApprovalAslFile(options: { prepare?: boolean; retried?: boolean } = {}): string {
  const prepare = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:prepare', ResultPath: null, Next: 'AwaitApproval' };
  const definition = {
    StartAt: options.prepare ? 'Prepare' : 'AwaitApproval',
    States: {
      ...(options.prepare ? { Prepare: prepare } : {}),
      AwaitApproval: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        // As statemachines/incident-pipeline.asl.json passes it (its own Parameters and timeout path, so the two cannot
        // drift): the timeout both in the Payload and where the path reads it, the wait's start from the context object.
        Parameters: options.retried ? { ...(AWAIT_APPROVAL.Parameters as object), 'stateName.$': '$$.State.Name' } : AWAIT_APPROVAL.Parameters,
        ...(options.retried ? { Retry: [{ ErrorEquals: ['RetryableError'], IntervalSeconds: 1, MaxAttempts: 1 }] } : {}),
        TimeoutSecondsPath: AWAIT_APPROVAL.TimeoutSecondsPath,
        ResultPath: '$.approval',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.approvalError', Next: 'Notify' }],
        Next: 'Notify',
      },
      Notify: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:notify', End: true },
    },
  };
  const path = join(mkdtempSync(join(tmpdir(), 'guard-asl-')), 'machine.asl.json');
  writeFileSync(path, JSON.stringify(definition));
  return path;
}

/** A Step Functions client of the local runtime's `endpoint`. */
export const localSfnClient = (endpoint: string) => new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

/**
 * What a runtime stopped while execution `name` of `stateMachineArn` waited leaves on record: the execution running
 * (started 3 s ago, its token `<name>#token-1`) and its wait of 1 second, begun 2 seconds ago: a wait that ended while
 * the runtime was down.
 */
export async function endedWaitOnRecord(registry: ExecutionRegistry, stateMachineArn: string, name: string) {
  await registry.claim({
    name, executionArn: `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`, status: 'RUNNING', startedAt: new Date(Date.now() - 3_000).toISOString(),
    stoppedAt: null, error: null, input: waitingInput(1), taskToken: `${name}#token-1`,
  });
  await registry.startWait(name, new Date(Date.now() - 2_000).toISOString());
}
