/**
 * The pipeline's ASL as the interpreter runs it in state-machine tests: every Task's resource substituted with a
 * stand-in ARN (each test replaces the tasks with local handlers), validated once.
 */
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { substitute } from '../../infra/local/local-workflow.js';
import { ASL_PATH } from '../../infra/stack.js';

export const pipelineDefinition = JSON.parse(
  substitute(readFileSync(ASL_PATH, 'utf8'), {
    ClassifyFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:classify',
    KnowledgeLookupFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:knowledge-lookup',
    AnalyzeFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:analyze',
    RemediateFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:remediate',
    NotifyFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:notify',
    EscalationTopicArn: 'arn:aws:sns:us-east-1:000000000000:escalations',
    IncidentsTableName: 'incidents',
  }),
) as { States: Record<string, unknown> };

export const pipelineMachine = new StateMachine(pipelineDefinition as never, { validationOptions: { checkArn: false } });
