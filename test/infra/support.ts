import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll } from 'vitest';
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
 * The temporary files of the test file that imports this module: one directory, removed when the file's tests end.
 * An App given no outdir makes a `cdk.out*` directory of its own in the OS temp directory, which CDK removes only
 * when the process exits normally, and a test worker does not; so every App here gets an outdir in this one.
 */
const scratch = mkdtempSync(join(tmpdir(), 'guard-infra-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A fresh directory (for a settings file, or an App's cloud assembly) that is removed after the test file. */
export function scratchDir(prefix = 'dir-'): string {
  return mkdtempSync(join(scratch, prefix));
}

/** An App for reading settings (`readSettings(testApp(context))`), writing its assembly under {@link scratchDir}. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: scratchDir('cdk.out-'), context });
}

/**
 * The app exactly as `cdk synth` builds it (cdk-nag included), without bundling: synth takes a second or two
 * instead of bundling seven functions.
 */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [], ...context } });
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
