import { readFileSync } from 'node:fs';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import type { FunctionName } from '../../infra/constructs/guard-function.js';
import { ASL_PATH } from '../../infra/pipeline-definition.js';
import { allows, functionLogicalId, getAtt, ref, resourcesOf, roleStatements, synth } from './support.js';

interface AslState {
  Type: string;
  Resource?: string;
  TimeoutSeconds?: number;
  Retry?: unknown[];
  Catch?: unknown[];
  Branches?: AslMachine[];
  Iterator?: AslMachine;
  ItemProcessor?: AslMachine;
}
interface AslMachine {
  StartAt: string;
  States: Record<string, AslState>;
}

const aslText = readFileSync(ASL_PATH, 'utf8');
const asl = JSON.parse(aslText) as AslMachine;

/** Every state, including those nested in Parallel branches and Map processors. */
function allStates(machine: AslMachine): Array<[string, AslState]> {
  return Object.entries(machine.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...(state.Branches ?? []).flatMap(allStates),
    ...(state.Iterator ? allStates(state.Iterator) : []),
    ...(state.ItemProcessor ? allStates(state.ItemProcessor) : []),
  ]);
}

const PLACEHOLDER_FUNCTIONS: Record<string, FunctionName> = {
  ClassifyFunctionArn: 'classify',
  KnowledgeLookupFunctionArn: 'knowledge-lookup',
  AnalyzeFunctionArn: 'analyze',
  RemediateFunctionArn: 'remediate',
  NotifyFunctionArn: 'notify',
};

describe('incident pipeline definition (statemachines/incident-pipeline.asl.json)', () => {
  const synthesized = synth();
  const { stack, template } = synthesized;
  const stateMachineId = stack.getLogicalId(stack.stateMachine.node.defaultChild as CfnStateMachine);
  const properties = template.toJSON().Resources[stateMachineId].Properties;
  const substitutions = properties.DefinitionSubstitutions as Record<string, unknown>;

  it('is inlined verbatim into the template (not an S3 asset)', () => {
    expect(properties.DefinitionString).toBe(aslText);
    expect(properties.DefinitionS3Location).toBeUndefined();
  });

  it('has a substitution for every ${X} in the file, and none unused', () => {
    const placeholders = new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    expect(placeholders.size).toBeGreaterThan(0);
    expect(Object.keys(substitutions).sort()).toEqual([...placeholders].sort());
  });

  it('leaves no ${ once CloudFormation applies the substitutions, and stays valid JSON', () => {
    // CloudFormation substitutes DefinitionSubstitutions at deploy time; do what it does with stand-in values.
    const substituted = Object.keys(substitutions).reduce(
      (text, key) => text.split(`\${${key}}`).join(`resolved-${key}`),
      properties.DefinitionString as string,
    );
    expect(substituted).not.toContain('${');
    expect(() => JSON.parse(substituted)).not.toThrow();
  });

  it('substitutes the real resources', () => {
    for (const [placeholder, name] of Object.entries(PLACEHOLDER_FUNCTIONS)) {
      expect(substitutions[placeholder], placeholder).toEqual(getAtt(functionLogicalId(stack, stack.functions[name])));
    }
    expect(substitutions.IncidentsTableName).toEqual(ref(stack.getLogicalId(stack.tables.incidents.table.node.defaultChild as never)));
  });

  it('gives every Task state a Retry and a Catch', () => {
    const tasks = allStates(asl).filter(([, state]) => state.Type === 'Task');
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    for (const [name, state] of tasks) {
      expect(state.Retry?.length, `${name} Retry`).toBeGreaterThan(0);
      expect(state.Catch?.length, `${name} Catch`).toBeGreaterThan(0);
    }
  });

  it('deploys the write-budget wait: Notify loops through WaitForWriteBudget, and a spent budget is not retried into the fallback', () => {
    const deployed = JSON.parse(properties.DefinitionString as string) as { States: Record<string, Record<string, any>> };
    const notify = deployed.States.Notify as { Next: string; Retry: Array<{ ErrorEquals: string[] }> };
    expect(notify.Next).toBe('CommentPending');
    expect(notify.Retry.flatMap((r) => r.ErrorEquals)).not.toContain('WriteBudgetExhaustedError');
    expect(deployed.States.CommentPending).toMatchObject({ Type: 'Choice', Default: 'Done' });
    expect(deployed.States.CommentPending?.Choices[0].Next).toBe('WaitForWriteBudget');
    expect(deployed.States.WaitForWriteBudget).toMatchObject({ Type: 'Wait', SecondsPath: '$.notify.waitSeconds', Next: 'Notify' });
    // A re-run the budget refused again after its wait goes back through the Choice that can wait again.
    expect(deployed.States.ApplyAfterDelay?.Next).toBe('NeedsApproval');
  });

  it('tells Notify when the approval wait began ($$.State.EnteredTime), so the end it records is the end Step Functions enforces', () => {
    // Counted from Notify's own clock instead, a request that ran late (Lambda's invoke retried, throttled) recorded an
    // end after the real one, and a `/guard approve` between the two was told "already decided" though nothing applied.
    const deployed = JSON.parse(properties.DefinitionString as string) as { States: Record<string, Record<string, any>> };
    const payload = deployed.States.AwaitApproval?.Parameters.Payload as Record<string, unknown>;
    expect(payload['waitStartedAt.$']).toBe('$$.State.EnteredTime');
    expect(payload['timeoutSeconds.$']).toBe(deployed.States.AwaitApproval?.TimeoutSecondsPath);
  });

  it("tells Notify whether the approval request is a retried attempt ($$.State.RetryCount), whose wait EnteredTime may not date", () => {
    // A retried attempt waits anew; EnteredTime on it may be the state's first entry (the AWS docs do not say).
    const deployed = JSON.parse(properties.DefinitionString as string) as { States: Record<string, Record<string, any>> };
    const payload = deployed.States.AwaitApproval?.Parameters.Payload as Record<string, unknown>;
    expect(payload['waitRetryCount.$']).toBe('$$.State.RetryCount');
  });

  it("keeps each function's timeout below its Task's TimeoutSeconds, so Lambda's timeout reaches Retry/Catch", () => {
    for (const [name, state] of allStates(asl)) {
      const placeholder = /^\$\{(\w+)\}$/.exec(state.Resource ?? '')?.[1];
      const fn = placeholder ? PLACEHOLDER_FUNCTIONS[placeholder] : undefined;
      if (!fn) continue;
      const timeout = template.toJSON().Resources[functionLogicalId(stack, stack.functions[fn])].Properties.Timeout as number;
      expect(state.TimeoutSeconds, name).toBeDefined();
      expect(timeout, name).toBeLessThan(state.TimeoutSeconds ?? 0);
    }
  });

  it('retries RunbookHolderStartingError on the Remediate tasks, without jitter, for longer than a holder between its claim and its start retries its own timeouts (attack-44b R6)', () => {
    interface Retrier { ErrorEquals: string[]; IntervalSeconds?: number; MaxAttempts?: number; BackoffRate?: number; MaxDelaySeconds?: number; JitterStrategy?: string }
    const deployed = JSON.parse(properties.DefinitionString as string) as { States: Record<string, { Retry?: Retrier[]; TimeoutSeconds?: number }> };
    /** The longest a retrier waits in all (no jitter: FULL jitter could make each wait next to nothing). */
    const waits = (r: Retrier) => Array.from({ length: r.MaxAttempts ?? 3 }, (_, i) => Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** i, r.MaxDelaySeconds ?? Infinity)).reduce((a, b) => a + b, 0);
    for (const name of ['Remediate', 'ApplyApproved']) {
      const state = deployed.States[name]!;
      const named = state.Retry?.find((r) => r.ErrorEquals.includes('RunbookHolderStartingError'));
      expect(named, name).toBeDefined();
      expect(named?.JitterStrategy, name).toBeUndefined();
      // The holder's step dies at its reservation by timing out on each try: each attempt lasts up to the Task's
      // TimeoutSeconds (above the function's timeout), with its Lambda retrier's waits between them.
      const timeouts = state.Retry?.find((r) => r.ErrorEquals.includes('Sandbox.Timedout'));
      expect(timeouts, name).toBeDefined();
      const holderSpan = ((timeouts?.MaxAttempts ?? 3) + 1) * (state.TimeoutSeconds ?? 0) + waits(timeouts!);
      expect(waits(named!), name).toBeGreaterThan(holderSpan);
    }
  });

  describe("the state machine role (CDK cannot infer it from a string definition)", () => {
    const statements = roleStatements(template, stack.getLogicalId(stack.stateMachine.role.node.defaultChild as CfnRole));

    it('may invoke exactly the five pipeline functions, unqualified', () => {
      const invoke = statements.filter((s) => ([] as string[]).concat(s.Action).includes('lambda:InvokeFunction'));
      const resources = invoke.flatMap(resourcesOf);
      expect(resources).toEqual(
        expect.arrayContaining(Object.values(PLACEHOLDER_FUNCTIONS).map((name) => getAtt(functionLogicalId(stack, stack.functions[name])))),
      );
      expect(resources).toHaveLength(5);
      expect(JSON.stringify(resources)).not.toContain(':*');
      for (const name of ['ingest-github', 'record-outcome'] as const) {
        expect(allows(statements, 'lambda:InvokeFunction', getAtt(functionLogicalId(stack, stack.functions[name]))), name).toBe(false);
      }
    });

    it('may not publish: the fallback for a failed Notify is a marker the reconciler pages for, through the ledger', () => {
      expect(allows(statements, 'sns:Publish')).toBe(false);
      expect(allows(statements, 'kms:GenerateDataKey')).toBe(false);
      expect(aslText).not.toContain('arn:aws:states:::sns:');
    });

    it('may only UpdateItem on the incidents table', () => {
      const dynamo = statements.filter((s) => ([] as string[]).concat(s.Action).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: getAtt(stack.getLogicalId(stack.tables.incidents.table.node.defaultChild as never)),
        },
      ]);
    });
  });
});
