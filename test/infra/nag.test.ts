import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.js';
import type { PipelineGuardStack } from '../../infra/stack.js';
import { rememberCleanTemplates, scratchDir } from './support.js';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; severity: string }> }>;
}

/**
 * Synthesizes the app as `cdk synth` does: buildApp registers cdk-nag's AwsSolutions pack as a validation plugin,
 * and an unacknowledged error makes synth throw. The report file lists what was found. CloudFormation Validate's
 * clean verdicts are remembered for the run as support.ts's synth() remembers them (its verdict is the template's:
 * a template this or another file had validated clean is not validated again); cdk-nag runs on every synth, its
 * verdict being the construct tree's (its acknowledgements are construct metadata, not template text).
 */
function synthWithNag(context: Record<string, unknown>, mutate?: (stack: PipelineGuardStack) => void) {
  const outdir = scratchDir('guard-nag-');
  const { app, stack } = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  rememberCleanTemplates(app);
  mutate?.(stack);
  return {
    run: () => app.synth(),
    report: () => JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport,
  };
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['default context', {}],
    [
      'every optional setting',
      {
        alertEmail: 'oncall@example.com',
        bedrockModelId: 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0',
        bedrockRegion: 'eu-west-1',
        bedrockGuardrailId: 'gr4x9k2mz1ab',
        githubBotLogin: 'guard-bot',
        alarmNamePrefix: 'prod-',
      },
    ],
    ['the dashboard site', { dashboard: 'true' }],
    [
      'the OpenAI-compatible analyzer with a key and a chat webhook',
      { llmBaseUrl: 'https://llm.internal/v1', llmModel: 'llama3.1:70b', llmApiKeySecret: 'true', chatWebhookFormat: 'slack' },
    ],
    ['prefix-only alarm scope', { alarmNamePrefix: 'prod-', alarmScopeTag: 'none' }],
  ])('reports no unacknowledged finding with %s', (_label, context) => {
    const { run, report } = synthWithNag(context);
    expect(run).not.toThrow();
    const errors = report().pluginReports.flatMap((r) =>
      r.violations.filter((v) => v.severity === 'error' || v.severity === 'fatal').map((v) => `${r.pluginName}: ${v.ruleName}`),
    );
    expect(errors).toEqual([]);
  });

  // The probe is on the state machine's role: a function's role is held to its rows of infra/service-access.ts by a
  // validation of its own (session 48), which would refuse the probe before cdk-nag's report; this one only cdk-nag
  // reports. On a named bucket, so that the one finding is the action's wildcard.
  it('fails synth on a new, unacknowledged finding (the check is live)', () => {
    const { run, report } = synthWithNag({}, (stack) => {
      stack.stateMachine.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['arn:aws:s3:::guard-nag-probe'] }));
    });
    expect(run).toThrow(/AwsSolutions-IAM5\[Action::s3:\*\]/);
    const nag = report().pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Action::s3:*]']);
  });

  // X-Ray's "*" is acknowledged on the function's Tracing policy alone (session 48 review): the same grant in the
  // role's default policy, which the check of the function's rows lets through, is still a finding.
  it('reports a "*" outside the function\'s Tracing policy, though X-Ray\'s actions may be on "*"', () => {
    const { run, report } = synthWithNag({}, (stack) => {
      stack.functions.classify.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['xray:PutTraceSegments'], resources: ['*'] }));
    });
    expect(run).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
    const nag = report().pluginReports.find((r) => r.pluginName === 'AwsSolutions');
    expect(nag?.violations.map((v) => v.ruleName)).toEqual(['AwsSolutions-IAM5[Resource::*]']);
  });
});
