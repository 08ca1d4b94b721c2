/**
 * The pipeline's ASL as the interpreter runs it in state-machine tests: every Task's resource substituted with a
 * stand-in ARN (each test replaces the tasks with local handlers), validated once.
 */
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { substitute } from '../../infra/local/local-workflow.js';
import { ASL_PATH } from '../../infra/pipeline-definition.js';

export const pipelineDefinition = JSON.parse(
  substitute(readFileSync(ASL_PATH, 'utf8'), {
    ClassifyFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:classify',
    KnowledgeLookupFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:knowledge-lookup',
    AnalyzeFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:analyze',
    RemediateFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:remediate',
    NotifyFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:notify',
    IncidentsTableName: 'incidents',
  }),
) as { States: Record<string, unknown> };

export const pipelineMachine = new StateMachine(pipelineDefinition as never, { validationOptions: { checkArn: false } });

export type TaskHandler = (input: unknown) => Promise<unknown>;

const INPUT = { trigger: { source: 'github', incidentId: 'gh-1-2-1' } };
const ok: TaskHandler = async () => ({});

/** Every Task of the pipeline as a stand-in that succeeds on the plain path (nothing waits, nothing fails). */
const PLAIN_PATH: Record<string, TaskHandler> = {
  Classify: ok,
  KnowledgeLookup: ok,
  Analyze: async () => ({ incidentStatus: 'analyzed' }),
  Remediate: async () => ({ awaitingApproval: false, awaitingDelay: false }),
  ApplyAfterDelay: async () => ({ awaitingApproval: false, awaitingDelay: false, applied: true }),
  Notify: ok,
  RecordNotifyFailed: ok,
};

export interface PipelineRun {
  calls: Array<{ state: string; input: unknown }>;
  states: string[];
  output: Record<string, unknown> | null;
  error: unknown;
  elapsedMs: number;
}

/**
 * One execution of the pipeline's ASL in the interpreter: `handlers` replace the plain-path stand-ins, retries take
 * no time, and `waits` shortens the named Wait states (ms); a Wait left out waits as long as in AWS.
 */
export async function runPipeline(handlers: Record<string, TaskHandler>, waits: Record<string, number> = {}): Promise<PipelineRun> {
  const calls: PipelineRun['calls'] = [];
  const tasks = Object.entries({ ...PLAIN_PATH, ...handlers }).map(([state, handler]) => [
    state,
    async (value: unknown) => (calls.push({ state, input: value }), handler(value)),
  ]);
  const execution = pipelineMachine.run(INPUT as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(tasks) as never,
      retryIntervalOverrides: Object.fromEntries(Object.keys(pipelineDefinition.States).map((name) => [name, 0])),
      waitTimeOverrides: waits,
    },
    context: {
      Execution: { Id: 'arn:aws:states:us-east-1:000000000000:execution:incident-pipeline:gh-1-2-1', Name: 'gh-1-2-1', StartTime: '2026-01-01T00:00:00.000Z', Input: INPUT as never, RoleArn: 'arn:aws:iam::000000000000:role/test' },
      StateMachine: { Id: 'arn:aws:states:us-east-1:000000000000:stateMachine:incident-pipeline', Name: 'incident-pipeline' },
    },
  });
  const started = performance.now();
  let output: PipelineRun['output'] = null;
  let error: unknown = null;
  try {
    output = (await execution.result) as Record<string, unknown>;
  } catch (caught) {
    error = caught;
  }
  return { calls, states: calls.map((c) => c.state), output, error, elapsedMs: performance.now() - started };
}

/** {@link runPipeline} for tests of paths that succeed: a failed execution fails the test with its error. */
export async function runPipelineToEnd(handlers: Record<string, TaskHandler>, waits: Record<string, number> = {}) {
  const run = await runPipeline(handlers, waits);
  if (run.error) throw run.error;
  return { ...run, output: run.output as Record<string, unknown> };
}
