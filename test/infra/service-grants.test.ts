import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { type CfnPolicy, type CfnRole, Effect, ManagedPolicy, Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { EVERY_FUNCTIONS_ACTIONS, FUNCTION_SECRETS, FUNCTION_SERVICE_ACCESS } from '../../infra/service-access.js';
import type { PipelineGuardStack } from '../../infra/stack.js';
import { FUNCTION_NAMES, actionsOf, functionLogicalId, functionStatements, scratchDir, synth } from './support.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/remediation/${name}`, import.meta.url));

/** Every setting that adds a grant: runbooks with their role, a chat webhook, and a Bedrock model with a guardrail … */
const WITH_BEDROCK = {
  runbooksFile: fixture('runbooks.json'),
  runbookRoleArn: 'arn:aws:iam::123456789012:role/automation',
  chatWebhookFormat: 'slack',
  bedrockModelId: 'anthropic.claude-3-5-haiku-20241022-v1:0',
  bedrockGuardrailId: 'abc123def456',
  experimentModelIds: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
};
/** … or the OpenAI-compatible endpoint with its key in a secret (the two analyzers exclude each other). */
const WITH_OPENAI = { llmBaseUrl: 'https://llm.example.com/v1', llmModel: 'gpt-x', llmApiKeySecret: 'true' };

/** A role's actions the service table speaks for: not DynamoDB's (the table of tables), not every function's. */
function serviceActions(statements: ReturnType<typeof functionStatements>): string[] {
  const actions = statements.flatMap(actionsOf).filter((a) => !a.startsWith('dynamodb:') && !(EVERY_FUNCTIONS_ACTIONS as readonly string[]).includes(a));
  return [...new Set(actions)].sort();
}

/** The default stack, changed by `mutate` before synth; synth runs the validations (and throws what they find). */
function synthAfter(mutate: (stack: PipelineGuardStack) => void): () => unknown {
  const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
  mutate(stack);
  return () => Template.fromStack(stack);
}

describe('grants beyond DynamoDB: one table, infra/service-access.ts (session 48)', () => {
  const plain = synth();
  const withBedrock = synth(WITH_BEDROCK);
  const withOpenai = synth(WITH_OPENAI);

  it.each(FUNCTION_NAMES)('%s: a stack with every optional setting grants exactly its row, nothing the table does not hold', (name) => {
    const granted = new Set([...serviceActions(functionStatements(withBedrock, name)), ...serviceActions(functionStatements(withOpenai, name))]);

    expect([...granted].sort()).toEqual([...FUNCTION_SERVICE_ACCESS[name]].sort());
  });

  it.each(FUNCTION_NAMES)('%s: the default stack grants no more than its row', (name) => {
    for (const action of serviceActions(functionStatements(plain, name))) expect(FUNCTION_SERVICE_ACCESS[name], action).toContain(action);
  });

  it.each(FUNCTION_NAMES)('%s: of logs and X-Ray, exactly the actions every function gets (its log stream and events, trace segments)', (name) => {
    const everyFunctions = functionStatements(withBedrock, name)
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('logs:') || a.startsWith('xray:'));
    expect(everyFunctions.sort()).toEqual([...EVERY_FUNCTIONS_ACTIONS].sort());
  });

  // X-Ray's grant is a policy of its own (its "*" acknowledged to cdk-nag there alone); Lambda refuses to create a
  // function with active tracing whose role cannot send traces, so the function waits for that policy.
  it.each(FUNCTION_NAMES)('%s: traces actively, created after its X-Ray policy', (name) => {
    const fn = plain.stack.functions[name];
    const tracingPolicy = plain.stack.getLogicalId(fn.node.findChild('Tracing').node.defaultChild as CfnPolicy);
    const resource = plain.template.toJSON().Resources[functionLogicalId(plain.stack, fn)];
    expect(resource.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect(resource.DependsOn).toContain(tracingPolicy);
  });

  it('refuses at synth a grant the table does not hold, naming the function and the action', () => {
    const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [stack.topic.topicArn] }));

    expect(() => Template.fromStack(stack)).toThrow(/classify is granted sns:Publish, which its row of FUNCTION_SERVICE_ACCESS/);
  });

  // Session 48 review: the check looked at actions alone and let any logs:* or xray:* action through, on any resource.
  it('refuses an action of logs that is not every function\'s (reading log events), though logs is every function\'s service', () => {
    const run = synthAfter((stack) => stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['logs:GetLogEvents'], resources: ['*'] })));
    expect(run).toThrow(/classify is granted logs:GetLogEvents, which its row of FUNCTION_SERVICE_ACCESS/);
  });

  it('refuses an action of the row on "*": each grant is on its one resource', () => {
    const run = synthAfter((stack) => stack.functions.notify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })));
    expect(run).toThrow(/notify is granted sns:Publish on "\*", which is not the escalation topic/);
  });

  it('refuses an action of the row on another resource of the stack (the page-failure topic is not notify\'s)', () => {
    const run = synthAfter((stack) =>
      stack.functions.notify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [stack.pageFailureTopic.topicArn] })),
    );
    expect(run).toThrow(/notify is granted sns:Publish on .*PageFailureTopic.*, which is not the escalation topic/);
  });

  it('refuses "*" for DynamoDB too (the table of tables speaks for its actions, not for "*")', () => {
    const run = synthAfter((stack) => {
      stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['*'] }));
    });
    expect(run).toThrow(/classify is granted dynamodb:GetItem on "\*"/);
  });

  it('refuses a NotAction statement by name, instead of failing on it', () => {
    const run = synthAfter((stack) => stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ notActions: ['iam:*'], resources: [stack.topic.topicArn] })));
    expect(run).toThrow(/classify has a statement with NotAction/);
  });

  it('reads a customer managed policy attached to the role', () => {
    const run = synthAfter((stack) =>
      stack.functions.classify.role.addManagedPolicy(
        new ManagedPolicy(stack, 'Extra', { statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: [stack.topic.topicArn] })] }),
      ),
    );
    expect(run).toThrow(/classify is granted sns:Publish, which its row of FUNCTION_SERVICE_ACCESS/);
  });

  it('refuses a managed policy whose document synth cannot read (an AWS managed one)', () => {
    const run = synthAfter((stack) => stack.functions.classify.role.addManagedPolicy(ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')));
    expect(run).toThrow(/classify has the managed policy .*ReadOnlyAccess.*, whose statements synth cannot read/);
  });

  it('reads a policy attached to the role from outside it', () => {
    const run = synthAfter((stack) => {
      new Policy(stack, 'Outside', { roles: [stack.functions.classify.role], statements: [new PolicyStatement({ actions: ['sns:Publish'], resources: [stack.topic.topicArn] })] });
    });
    expect(run).toThrow(/classify is granted sns:Publish, which its row of FUNCTION_SERVICE_ACCESS/);
  });

  it('reads an inline policy of the role itself', () => {
    const run = synthAfter((stack) => {
      const role = stack.functions.classify.role.node.defaultChild as CfnRole;
      role.policies = [{ policyName: 'extra', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }] } }];
    });
    expect(run).toThrow(/classify is granted sns:Publish, which its row of FUNCTION_SERVICE_ACCESS/);
  });

  it('lets a Deny statement be: it grants nothing', () => {
    const run = synthAfter((stack) =>
      stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: ['*'] })),
    );
    expect(run).not.toThrow();
  });

  // Session 49: a secret was checked against the stack's secrets, not the function's: any function reading one
  // secret could be granted them all (classify the webhook secret, or the chat webhook's URL).
  it("refuses a secret of the stack that is not the function's (the webhook secret is ingest's alone)", () => {
    const run = synthAfter((stack) => {
      const webhookSecret = stack.node.findAll().find((c): c is Secret => c instanceof Secret && c.node.id === 'GitHubWebhookSecret') as Secret;
      stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [webhookSecret.secretArn] }));
    });
    expect(run).toThrow(/classify is granted secretsmanager:GetSecretValue on .*GitHubWebhookSecret.*, which is not its secrets/);
  });

  it('refuses to give a function a secret its row does not read, naming the setting', () => {
    const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    const webhookSecret = stack.node.findAll().find((c): c is Secret => c instanceof Secret && c.node.id === 'GitHubWebhookSecret') as Secret;

    expect(() => stack.functions.classify.useSecret('GITHUB_WEBHOOK_SECRET_ARN', webhookSecret)).toThrow(/classify reads no GITHUB_WEBHOOK_SECRET_ARN \(FUNCTION_SECRETS/);
  });

  it.each(FUNCTION_NAMES)("%s: a stack with every optional setting gives it exactly the secrets of its row", (name) => {
    const given = new Set<string>();
    for (const synthesized of [withBedrock, withOpenai]) {
      const variables = (synthesized.template.toJSON().Resources[functionLogicalId(synthesized.stack, synthesized.stack.functions[name])].Properties.Environment?.Variables ?? {}) as Record<string, unknown>;
      for (const key of Object.keys(variables)) if (key.endsWith('_SECRET_ARN')) given.add(key);
    }
    // Token or App key: one credential setting per stack, either of the two the row names.
    const expected = FUNCTION_SECRETS[name].filter((key) => key !== 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN');
    expect([...given].sort()).toEqual([...expected].sort());
  });

  it('refuses a secret given under another setting\'s name (the webhook secret as classify\'s GitHub token)', () => {
    const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    const webhookSecret = stack.node.findAll().find((c): c is Secret => c instanceof Secret && c.node.id === 'GitHubWebhookSecret') as Secret;

    expect(() => stack.functions.classify.useSecret('GITHUB_TOKEN_SECRET_ARN', webhookSecret)).toThrow(
      /classify is given .*GitHubWebhookSecret as GITHUB_TOKEN_SECRET_ARN, which is .*GitHubTokenSecret in this stack/,
    );
  });
});
