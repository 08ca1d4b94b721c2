import { fileURLToPath } from 'node:url';
import { Template } from 'aws-cdk-lib/assertions';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import { EVERY_FUNCTIONS_PREFIXES, FUNCTION_SERVICE_ACCESS } from '../../infra/service-access.js';
import { FUNCTION_NAMES, actionsOf, functionStatements, scratchDir, synth } from './support.js';

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
  const actions = statements.flatMap(actionsOf).filter((a) => !a.startsWith('dynamodb:') && !EVERY_FUNCTIONS_PREFIXES.some((p) => a.startsWith(p)));
  return [...new Set(actions)].sort();
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

  it('refuses at synth a grant the table does not hold, naming the function and the action', () => {
    const { stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [stack.topic.topicArn] }));

    expect(() => Template.fromStack(stack)).toThrow(/classify is granted sns:Publish, which its row of FUNCTION_SERVICE_ACCESS/);
  });
});
