import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../infra/app.js';
import type { FunctionName } from '../../infra/constructs/guard-function.js';
import type { PipelineGuardStack } from '../../infra/stack.js';

export const FUNCTION_NAMES: FunctionName[] = [
  'ingest-github',
  'classify',
  'knowledge-lookup',
  'analyze',
  'remediate',
  'notify',
  'record-outcome',
  'evaluate-gate',
  'reconcile',
  'ingest-alarm',
  'read-api',
];

export interface Synthesized {
  stack: PipelineGuardStack;
  template: Template;
}

/**
 * The app exactly as `cdk synth` builds it (cdk-nag included), without bundling: synth takes a second or two
 * instead of bundling seven functions.
 */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const { stack } = buildApp({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  return { stack, template: Template.fromStack(stack) };
}

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every statement of every inline policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export function functionStatements({ stack, template }: Synthesized, name: FunctionName): PolicyStatementJson[] {
  return roleStatements(template, stack.getLogicalId(stack.functions[name].role.node.defaultChild as CfnRole));
}

export function functionLogicalId(stack: Stack, fn: { function: { node: { defaultChild?: unknown } } }): string {
  return stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
}

/** True when some statement allows `action` (exactly) on a resource equal to `resource`. */
export function allows(statements: PolicyStatementJson[], action: string, resource?: unknown): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      actionsOf(s).includes(action) &&
      (resource === undefined || resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(resource))),
  );
}

export function getAtt(logicalId: string, attribute = 'Arn') {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

export function ref(logicalId: string) {
  return { Ref: logicalId };
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
