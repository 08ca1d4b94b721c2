import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { buildApp, synthForCli } from '../../infra/app.js';
import { bedrockInvokeStatements, readSettings } from '../../infra/stack.js';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { loadConfig } from '../../shared/config.js';
import { FUNCTION_TABLE_ACCESS } from '../../infra/table-access.js';
import { actionsOf, functionLogicalId, functionStatements, readJson, rememberCleanTemplates, resourcesOf, scratchDir, synth, testApp } from './support.js';

const settingsFrom = (context: Record<string, unknown>) => readSettings(testApp(context));

/** The keys of the README's context table (under "Deploying to AWS"): its first column, several keys to a row. */
function readmeContextKeys(): Set<string> {
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('| context key | default | effect |'));
  const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
  return new Set(rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1] as string)));
}

describe('CDK context settings', () => {
  it('are the keys the README documents, no more and no fewer', () => {
    // Every key readSettings asks for (and app.ts's stackName), recorded from a scope whose context is empty.
    const asked = new Set<string>(['stackName']);
    readSettings({ node: { tryGetContext: (key: string) => void asked.add(key) } } as never);

    expect([...readmeContextKeys()].sort()).toEqual([...asked].sort());
  });

  it('has documented defaults', () => {
    expect(settingsFrom({})).toEqual({
      githubApiUrl: 'https://api.github.com',
      logRetentionDays: 30,
      dryRun: false,
      wholeItemIndexes: false,
      autoRerunMax: 1,
      rerunMinConfidence: 0.6,
      githubWrites: { perMinute: 20, perHour: 300, rerunsPerMinute: 5, waitMinutes: 120 },
      gate: { deltaCoverage: 5, deltaVulnHigh: 3, deltaVulnCritical: 1, baselineRuns: 10, verifyDefaultBranch: true },
      maxWebhookBytes: 1_048_576,
      githubOwners: [],
      webhookSecretGraceMinutes: 60,
      maxLogBytes: 209_715_200,
      llmMaxTokens: 1024,
      llmTemperature: 0,
      llmInputTokenBudget: 8000,
      llmOutsiderAnalysesPerHour: 10,
      experimentModelIds: [],
      runbookWaitSeconds: 300,
      runbookVerifyMinutes: 20,
      runbookNotEndedMinutes: 120,
      knowledgeRetentionDays: 180,
      incidentTtlDays: 400,
      dashboard: false,
      alarmNamePrefixes: [],
      alarmScopeTag: 'pipeline-guard=enabled',
      alarmIncludeAutoscaling: false,
    });
  });

  it('accepts -c strings as well as cdk.json numbers and booleans', () => {
    expect(settingsFrom({ dryRun: 'true', autoRerunMax: '0', logRetentionDays: '90' })).toMatchObject({
      dryRun: true,
      autoRerunMax: 0,
      logRetentionDays: 90,
    });
    expect(settingsFrom({ dryRun: true, autoRerunMax: 3, logRetentionDays: 7 })).toMatchObject({
      dryRun: true,
      autoRerunMax: 3,
      logRetentionDays: 7,
    });
  });

  it.each([
    [{ logRetentionDays: '31' }, /logRetentionDays/],
    [{ autoRerunMax: '-1' }, /autoRerunMax/],
    [{ dryRun: 'maybe' }, /dryRun/],
    [{ maxWebhookBytes: String(10 * 1024 * 1024) }, /maxWebhookBytes/],
    [{ githubApiUrl: 'http://github.example.com/api/v3' }, /githubApiUrl must be an https URL/],
    [{ alertEmail: 'not-an-address' }, /alertEmail/],
    [{ pageFailureEmail: 'oncall at example.com' }, /pageFailureEmail must be an e-mail address/],
    [{ rerunMinConfidence: '1.5' }, /rerunMinConfidence/],
    [{ bedrockModelId: 'arn:aws:bedrock:us-east-1::foundation-model/x' }, /bedrockModelId/],
    [{ githubOwners: 'acme-shop, not/an-account' }, /githubOwners: "not\/an-account" is not a GitHub account name/],
    [{ bedrockRegion: 'us-east' }, /bedrockRegion must be an AWS Region code/],
    [{ githubBotLogin: 'pipeline guard' }, /githubBotLogin must be a GitHub login/],
    [{ alarmNamePrefix: 'x'.repeat(256) }, /alarmNamePrefix: "x+…" is longer than an alarm name can be/],
    [{ runbookRoleArn: 'automation' }, /runbookRoleArn must be an IAM role ARN/],
    [{ runbookRoleArn: 'arn:aws:iam::123456789012:role/automation' }, /runbookRoleArn needs runbooksFile/],
  ])('rejects %o naming the key', (context, message) => {
    expect(() => settingsFrom(context)).toThrow(message);
  });

  it('accepts the Region codes, bot logins and role ARNs deployers give', () => {
    expect(settingsFrom({ bedrockRegion: 'us-gov-west-1', githubBotLogin: 'pipeline-guard[bot]' })).toMatchObject({
      bedrockRegion: 'us-gov-west-1',
      githubBotLogin: 'pipeline-guard[bot]',
    });
    expect(settingsFrom({ bedrockRegion: 'ap-southeast-5', githubBotLogin: 'ci-bot_acme' })).toMatchObject({ bedrockRegion: 'ap-southeast-5' });
  });

  it('accepts the Region codes of every partition, the European Sovereign Cloud\'s four-letter one included', () => {
    // The codes as the AWS SDK's partition table spells them (regionRegex of aws, aws-cn, aws-us-gov, aws-iso-e, aws-eusc).
    for (const region of ['eu-central-1', 'cn-northwest-1', 'us-isob-east-1', 'eu-isoe-west-1', 'eusc-de-east-1']) {
      expect(settingsFrom({ bedrockRegion: region })).toMatchObject({ bedrockRegion: region });
    }
  });

  // One rule in two places drifts: the runtime took what synth refused. Both now read the schemas in shared/config.ts.
  it('refuses at synth exactly the bedrockRegion and githubBotLogin values the runtime configuration refuses', () => {
    const regions = ['us-east-1', 'eusc-de-east-1', 'us-gov-west-1', 'us-east', 'US-EAST-1', 'eu-central-100', 'a-b-1'];
    for (const region of regions) {
      const atRunTime = (() => { try { loadConfig({ BEDROCK_REGION: region }); return true; } catch { return false; } })();
      const atSynth = (() => { try { settingsFrom({ bedrockRegion: region }); return true; } catch { return false; } })();
      expect(atSynth, region).toBe(atRunTime);
    }
    const logins = ['guard-bot', 'pipeline-guard[bot]', 'ci-bot_acme', 'pipeline guard', '-bot', 'bot[app]', 'x'.repeat(101)];
    for (const login of logins) {
      const atRunTime = (() => { try { loadConfig({ GITHUB_BOT_LOGIN: login }); return true; } catch { return false; } })();
      const atSynth = (() => { try { settingsFrom({ githubBotLogin: login }); return true; } catch { return false; } })();
      expect(atSynth, login).toBe(atRunTime);
    }
  });

  it('reports a bad setting to cdk synth as its message alone, with a non-zero exit code', () => {
    const outdir = scratchDir('cdk.out-');
    const lines: string[] = [];
    expect(synthForCli({ outdir, context: { policyFile: join(outdir, 'nope.json') } }, (line) => lines.push(line))).toBe(1);
    expect(synthForCli({ outdir, context: { stackName: '1-bad' } }, (line) => lines.push(line))).toBe(1);
    expect(lines).toEqual([
      `context value policyFile: cannot read ${join(outdir, 'nope.json')} (ENOENT: no such file or directory, open '${join(outdir, 'nope.json')}')`,
      'context stackName must start with a letter and hold only letters, digits and hyphens (at most 128): got "1-bad"',
    ]);
  });

  it('passes the settings into the functions that read them', () => {
    const synthesized = synth({
      githubApiUrl: 'https://ghes.example.com/api/v3',
      githubBotLogin: 'guard-bot',
      dryRun: 'true',
      autoRerunMax: '2',
      maxWebhookBytes: '2097152',
      logRetentionDays: '14',
      githubOwners: 'acme-shop, acme-labs',
      webhookSecretGraceMinutes: '30',
    });
    const { stack, template } = synthesized;
    const env = (name: keyof typeof stack.functions) =>
      template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables;
    expect(env('remediate')).toMatchObject({ DRY_RUN: 'true', AUTO_RERUN_MAX: '2', GITHUB_API_URL: 'https://ghes.example.com/api/v3' });
    expect(env('ingest-github')).toMatchObject({ MAX_WEBHOOK_BYTES: '2097152', WEBHOOK_SECRET_GRACE_MINUTES: '30', GITHUB_BOT_LOGIN: 'guard-bot', GITHUB_OWNERS: 'acme-shop,acme-labs' });
    expect(env('notify')).toMatchObject({ GITHUB_BOT_LOGIN: 'guard-bot' });
    expect(env('classify').GITHUB_BOT_LOGIN).toBeUndefined();
    const retentions = Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays);
    expect(new Set(retentions)).toEqual(new Set([14]));
  });

  it('gives every function that writes learned knowledge the retention an owner sets (attacker\'s pass 50, L5)', () => {
    const { stack, template } = synth({ knowledgeRetentionDays: '365' });
    const env = (name: keyof typeof stack.functions) =>
      template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables;
    for (const name of ['knowledge-lookup', 'record-outcome', 'ingest-github', 'reconcile'] as const) expect(env(name), name).toMatchObject({ KNOWLEDGE_RETENTION_DAYS: '365' });
    expect(() => settingsFrom({ knowledgeRetentionDays: '3' })).toThrow(/knowledgeRetentionDays/);
  });

  it('gives every function that writes to the incidents table the incident expiry an owner sets (INCIDENT_TTL_DAYS)', () => {
    const { stack, template } = synth({ incidentTtlDays: '90' });
    const env = (name: keyof typeof stack.functions) =>
      template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables;
    const withIncidents = (Object.keys(stack.functions) as Array<keyof typeof stack.functions>).filter((name) => FUNCTION_TABLE_ACCESS[name].incidents && FUNCTION_TABLE_ACCESS[name].incidents !== 'read');
    expect(withIncidents.length).toBeGreaterThan(5);
    for (const name of withIncidents) expect(env(name), name).toMatchObject({ INCIDENT_TTL_DAYS: '90' });
    expect(loadConfig({ INCIDENT_TTL_DAYS: env('classify').INCIDENT_TTL_DAYS }).INCIDENT_TTL_DAYS).toBe(90);
    expect(env('read-api').INCIDENT_TTL_DAYS).toBeUndefined();
    expect(() => settingsFrom({ incidentTtlDays: '3' })).toThrow(/incidentTtlDays/);
  });

  it('gives the log groups the dashboard adds the same retention', () => {
    const { template } = synth({ dashboard: 'true', logRetentionDays: '7' });
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    // The functions', the pipeline's, both APIs' access logs and the dashboard upload's.
    expect(groups.length).toBe(11 + 1 + 2 + 1);
    expect(new Set(groups.map((g) => g.Properties.RetentionInDays))).toEqual(new Set([7]));
  });

  it('gives every function that writes to GitHub the same write budget, and the gate its thresholds', () => {
    const { stack, template } = synth({
      githubWritesPerMinute: '40', githubWritesPerHour: '900', githubRerunsPerMinute: '8', githubWriteWaitMinutes: '30',
      gateDeltaCoverage: '2.5', gateDeltaVulnHigh: '1', gateDeltaVulnCritical: '1', gateBaselineRuns: '20',
    });
    const env = (name: keyof typeof stack.functions) =>
      template.toJSON().Resources[functionLogicalId(stack, stack.functions[name])].Properties.Environment.Variables;
    const budget = { GITHUB_WRITES_PER_MINUTE: '40', GITHUB_WRITES_PER_HOUR: '900', GITHUB_RERUNS_PER_MINUTE: '8', GITHUB_WRITE_WAIT_MINUTES: '30' };
    for (const name of ['classify', 'remediate', 'notify', 'ingest-github', 'record-outcome'] as const) expect(env(name), name).toMatchObject(budget);
    expect(env('evaluate-gate')).toMatchObject({ DELTA_COVERAGE: '2.5', DELTA_VULN_HIGH: '1', DELTA_VULN_CRITICAL: '1', BASELINE_RUNS: '20' });
    expect(() => synth({ githubWritesPerMinute: '0' })).toThrow(/githubWritesPerMinute/);
    const dir = scratchDir('guard-gate-');
    const repositories = { 'acme/app': { defaultBranch: 'trunk', DELTA_COVERAGE: 2 } };
    writeFileSync(join(dir, 'gate.json'), JSON.stringify(repositories));
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ 'not a repo': {} }));
    const withRepositories = synth({ gateRepositoriesFile: join(dir, 'gate.json') });
    const gateEnv = withRepositories.template.toJSON().Resources[functionLogicalId(withRepositories.stack, withRepositories.stack.functions['evaluate-gate'])]
      .Properties.Environment.Variables;
    expect(JSON.parse(gateEnv.GATE_REPOSITORIES)).toEqual(repositories);
    expect(() => synth({ gateRepositoriesFile: join(dir, 'bad.json') })).toThrow(/gateRepositoriesFile/);
    expect(() => synth({ gateBaselineRuns: '500' })).toThrow(/gateBaselineRuns/);
  });

  it('lets the gate read the GitHub credential to verify default-branch runs, and takes both away with gateVerifyDefaultBranch=false', () => {
    const verifying = synth();
    const unverified = synth({ gateVerifyDefaultBranch: 'false' });
    const gateOf = (synthesized: ReturnType<typeof synth>) => ({
      env: synthesized.template.toJSON().Resources[functionLogicalId(synthesized.stack, synthesized.stack.functions['evaluate-gate'])].Properties.Environment.Variables,
      reads: functionStatements(synthesized, 'evaluate-gate').flatMap(actionsOf).filter((action) => action.startsWith('secretsmanager:')),
    });

    expect(gateOf(verifying).env).toMatchObject({ GATE_VERIFY_DEFAULT_BRANCH: 'true', GITHUB_API_URL: 'https://api.github.com', GITHUB_TOKEN_SECRET_ARN: expect.anything() });
    expect(gateOf(verifying).reads).toContain('secretsmanager:GetSecretValue');
    expect(gateOf(unverified).env.GATE_VERIFY_DEFAULT_BRANCH).toBe('false');
    expect(Object.keys(gateOf(unverified).env).filter((key) => key.startsWith('GITHUB_'))).toEqual([]);
    expect(gateOf(unverified).reads).toEqual([]);
    expect(() => synth({ gateVerifyDefaultBranch: 'sometimes' })).toThrow(/gateVerifyDefaultBranch/);
  });
});

describe('alertEmail', () => {
  it('subscribes the address to the escalation topic only when given (and to the page-failure topic, with no pageFailureEmail)', () => {
    const { stack, template } = synth({ alertEmail: 'oncall@example.com' });
    const topics = [stack.topic, stack.pageFailureTopic].map((topic) => ({ Ref: stack.getLogicalId(topic.node.defaultChild as never) }));
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const TopicArn of topics) template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn });
    synth().template.resourceCountIs('AWS::SNS::Subscription', 0);
  });
});

describe('bedrockModelId', () => {
  it('switches analyze to Bedrock and grants InvokeModel on that foundation model only', () => {
    const synthesized = synth({ bedrockModelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', bedrockRegion: 'eu-central-1' });
    const { stack, template } = synthesized;
    const variables = template.toJSON().Resources[functionLogicalId(stack, stack.functions.analyze)].Properties.Environment.Variables;
    expect(variables).toMatchObject({
      ANALYZER: 'bedrock',
      BEDROCK_MODEL_ID: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      BEDROCK_REGION: 'eu-central-1',
      LLM_MAX_TOKENS: '1024',
      LLM_TEMPERATURE: '0',
    });
    const bedrock = functionStatements(synthesized, 'analyze').filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
    expect(bedrock).toHaveLength(1);
    expect(actionsOf(bedrock[0]!)).toEqual(['bedrock:InvokeModel']);
    expect(JSON.stringify(resourcesOf(bedrock[0]!))).toBe(
      JSON.stringify([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:eu-central-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0']] }]),
    );
    for (const other of ['classify', 'notify', 'remediate', 'ingest-github'] as const) {
      expect(functionStatements(synthesized, other).flatMap(actionsOf).some((a) => a.startsWith('bedrock:')), other).toBe(false);
    }
  });

  it('grants a cross-Region inference profile and its model only through that profile', () => {
    const statements = bedrockInvokeStatements('us.anthropic.claude-sonnet-4-v1:0', 'us-east-1', '123456789012', 'aws').map((s) =>
      s.toStatementJson(),
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-v1:0',
      },
      {
        Effect: 'Allow',
        Action: 'bedrock:InvokeModel',
        Resource: 'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-v1:0',
        Condition: {
          StringEquals: {
            'bedrock:InferenceProfileArn': 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-v1:0',
          },
        },
      },
    ]);
    expect(bedrockInvokeStatements('amazon.nova-pro-v1:0', 'us-east-1', '1', 'aws')).toHaveLength(1);
  });
});

describe('stackName', () => {
  it('names the stack and prefixes its alarms, so a second copy can live in the same account and region', () => {
    const { stack, template } = synth({ stackName: 'PipelineGuard-staging' });
    expect(stack.stackName).toBe('PipelineGuard-staging');
    const alarmNames = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(alarmNames.length).toBeGreaterThan(0);
    for (const name of alarmNames) expect(name.startsWith('PipelineGuard-staging-'), name).toBe(true);
  });

  it('defaults to PipelineGuard and refuses names CloudFormation would refuse', () => {
    expect(synth().stack.stackName).toBe('PipelineGuard');
    expect(() => synth({ stackName: 'staging_1' })).toThrow(/stackName/);
    expect(() => synth({ stackName: '1staging' })).toThrow(/stackName/);
  });
});

describe('template validation', () => {
  // cdk.json's validateAgainstDefaultRules makes aws-cdk-lib's CloudFormation Validate findings errors. The tests'
  // synth remembers the templates it found clean for the run (test/infra/support.ts): a template it has not seen
  // clean, such as the default stack with one function's memory below Lambda's minimum, still fails synth.
  it('fails synth on a template CloudFormation Validate refuses, after clean ones were remembered', () => {
    synth();
    const { app, stack } = buildApp({ outdir: scratchDir('cdk.out-'), context: { 'aws:cdk:bundling-stacks': [] } });
    rememberCleanTemplates(app);
    (stack.functions.classify.function.node.defaultChild as CfnFunction).addPropertyOverride('MemorySize', 1);

    expect(() => Template.fromStack(stack)).toThrow(/MemorySize: 1 is less than the minimum of 128 \(CloudFormation Validate\)/);
  });
});

describe('feature flags', () => {
  it('synthesizes with the recommended flags of the installed aws-cdk-lib, read from cdk.json as the CLI does', () => {
    const recommended = readJson<Record<string, unknown>>(join(PROJECT_ROOT, 'node_modules', 'aws-cdk-lib', 'recommended-feature-flags.json'));
    const { stack } = synth();
    for (const [flag, value] of Object.entries(recommended)) expect(stack.node.tryGetContext(flag), flag).toEqual(value);
  });
});
