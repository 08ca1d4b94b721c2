import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { type AlarmEvent, alarmTriggerFromEvent, alarmTriggerSchema } from '../../shared/domain/trigger.js';
import { FUNCTION_NAMES, actionsOf, functionLogicalId, functionStatements, readJson, resourcesOf, synth } from './support.js';

const alarmEvent = readJson<AlarmEvent>(join(PROJECT_ROOT, 'events', 'cloudwatch', 'alarm-state-alarm.json'));

describe('CloudWatch alarm rules', () => {
  const { stack, template } = synth();
  // Alarm rules match events; the reconciler's rule is a schedule (test/infra/reliability.test.ts).
  const rules = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties).filter((r) => r.EventPattern);
  const raised = rules.find((r) => r.EventPattern.detail.state.value[0] === 'ALARM');
  const recovered = rules.find((r) => r.EventPattern.detail.state.value[0] === 'OK');

  it('has one rule per state', () => {
    expect(rules).toHaveLength(2);
    expect(raised).toBeDefined();
    expect(recovered).toBeDefined();
  });

  it('matches alarm state changes, leaving out this stack’s own alarms', () => {
    for (const [rule, state] of [[raised, 'ALARM'], [recovered, 'OK']] as const) {
      expect(rule?.EventPattern).toEqual({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        detail: { state: { value: [state] }, alarmName: [{ 'anything-but': { prefix: 'PipelineGuard-' } }] },
      });
    }
    const ownAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName as string);
    expect(ownAlarms.length).toBeGreaterThan(0);
    for (const name of ownAlarms) expect(name.startsWith('PipelineGuard-'), name).toBe(true);
  });

  it('sends ALARM transitions, whole, to ingest-alarm, which names the execution (no Step Functions target)', () => {
    const target = raised?.Targets[0];
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionLogicalId(stack, stack.functions['ingest-alarm']), 'Arn'] });
    expect(target.Input).toBeUndefined();
    expect(target.InputTransformer).toBeUndefined();
    const targets = rules.flatMap((r) => r.Targets as Array<{ Arn: unknown }>);
    expect(JSON.stringify(targets)).not.toContain(stack.getLogicalId(stack.stateMachine.node.defaultChild as never));
  });

  it('names the execution from the alarm ARN and state change time: a redelivery maps to the same one', () => {
    const redelivered = { ...structuredClone(alarmEvent), id: 'another-eventbridge-id' };
    const next = structuredClone(alarmEvent);
    next.detail.state.timestamp = '2030-01-01T00:00:00.000+0000';
    const name = alarmTriggerFromEvent(alarmEvent).incidentId;
    expect(name).toMatch(/^cw-[0-9a-f]{40}$/);
    expect(alarmTriggerFromEvent(redelivered).incidentId).toBe(name);
    expect(alarmTriggerFromEvent(next).incidentId).not.toBe(name);
    expect(alarmTriggerSchema.parse(alarmTriggerFromEvent(alarmEvent)).event.detail.alarmName).toBe(alarmEvent.detail.alarmName);
  });

  it('lets ingest-alarm start and describe executions, with the events dead-letter queue for failed invocations', () => {
    const fnProps = template.toJSON().Resources[functionLogicalId(stack, stack.functions['ingest-alarm'])].Properties;
    expect(fnProps.DeadLetterConfig.TargetArn['Fn::GetAtt'][0]).toMatch(/^EventsDeadLetterQueue/);
    expect(fnProps.Environment.Variables.STATE_MACHINE_ARN).toEqual({ Ref: stack.getLogicalId(stack.stateMachine.node.defaultChild as never) });
  });

  it('sends OK transitions, whole, to record-outcome', () => {
    const target = recovered?.Targets[0];
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [functionLogicalId(stack, stack.functions['record-outcome']), 'Arn'] });
    expect(target.Input).toBeUndefined();
    expect(target.InputPath).toBeUndefined();
    expect(target.InputTransformer).toBeUndefined();
  });

  it('retries delivery and dead-letters what still fails', () => {
    for (const rule of [raised, recovered]) {
      const target = rule?.Targets[0];
      expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 20 });
      expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][0]).toMatch(/^EventsDeadLetterQueue/);
    }
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1_209_600 });
  });

});

/**
 * Alarm scope is a prefix OR a tag in AWS as locally: the rules narrow to the prefix only without a tag scope;
 * with one, every alarm but the stack's own reaches ingest-alarm, which may read alarm tags (and nothing else).
 */
describe('alarm scope in the rules and the grants', () => {
  const listTags = 'cloudwatch:ListTagsForResource';
  const alarmsOfAccount = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] };

  it.each([
    ['the default (tag scope pipeline-guard=enabled)', {}, [{ 'anything-but': { prefix: 'PipelineGuard-' } }], 'pipeline-guard=enabled', true],
    ['a prefix with the default tag scope: prefix OR tag', { alarmNamePrefix: 'prod-' }, [{ 'anything-but': { prefix: 'PipelineGuard-' } }], 'pipeline-guard=enabled', true],
    ['a prefix and its own tag', { alarmNamePrefix: 'prod-', alarmScopeTag: 'team=payments' }, [{ 'anything-but': { prefix: 'PipelineGuard-' } }], 'team=payments', true],
    ['a prefix without a tag scope (alarmScopeTag=none)', { alarmNamePrefix: 'prod-', alarmScopeTag: 'none' }, [{ prefix: 'prod-' }], 'none', false],
    // The same comma-separated list that ingest-alarm reads as ALARM_NAME_PREFIXES.
    ['two prefixes without a tag scope', { alarmNamePrefix: 'prod-, payments-', alarmScopeTag: 'none' }, [{ prefix: 'prod-' }, { prefix: 'payments-' }], 'none', false],
  ] as const)('%s', (_label, context, alarmName, scopeTag, readsTags) => {
    const synthesized = synth(context);
    const { stack, template } = synthesized;
    const patterns = Object.values(template.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern).filter(Boolean);
    expect(patterns).toHaveLength(2);
    for (const pattern of patterns) expect(pattern.detail.alarmName).toEqual(alarmName);

    const variables = template.toJSON().Resources[functionLogicalId(stack, stack.functions['ingest-alarm'])].Properties.Environment.Variables;
    expect(variables.ALARM_SCOPE_TAG).toBe(scopeTag);
    expect(variables.ALARM_NAME_PREFIXES).toBe('alarmNamePrefix' in context ? context.alarmNamePrefix.replace(/\s/g, '') : undefined);

    const reads = functionStatements(synthesized, 'ingest-alarm').filter((statement) => actionsOf(statement).includes(listTags));
    if (readsTags) {
      expect(reads).toHaveLength(1);
      expect(actionsOf(reads[0] as never)).toEqual([listTags]);
      expect(resourcesOf(reads[0] as never)).toEqual([alarmsOfAccount]);
    } else {
      expect(reads).toEqual([]);
    }
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'ingest-alarm')) {
      expect(functionStatements(synthesized, name).flatMap(actionsOf).some((action) => action.startsWith('cloudwatch:List')), name).toBe(false);
    }
  });

  it('refuses alarmScopeTag=none without a prefix: no alarm would be in scope', () => {
    expect(() => synth({ alarmScopeTag: 'none' })).toThrow(/alarmScopeTag=none needs alarmNamePrefix/);
  });
});
