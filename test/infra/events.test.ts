import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlarmTriggerInput } from '../../infra/constructs/alarm-trigger-input.js';
import { PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import { type AlarmEvent, alarmTriggerFromEvent, alarmTriggerSchema } from '../../shared/domain/trigger.js';
import { functionLogicalId, readJson, synth } from './support.js';

const alarmEvent = readJson<AlarmEvent>(join(PROJECT_ROOT, 'events', 'cloudwatch', 'alarm-state-alarm.json'));

/**
 * What EventBridge does with an InputTransformer: `<key>` from InputPathsMap, and the reserved
 * `<aws.events.event.json>` replaced by the whole event as JSON.
 */
function applyInputTransformer(transformer: { InputPathsMap: Record<string, string>; InputTemplate: string }, event: AlarmEvent): unknown {
  let text = transformer.InputTemplate.split('<aws.events.event.json>').join(JSON.stringify(event));
  for (const [key, path] of Object.entries(transformer.InputPathsMap)) {
    const value = path
      .replace(/^\$\./, '')
      .split('.')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], event);
    text = text.split(`<${key}>`).join(String(value));
  }
  return JSON.parse(text);
}

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

  it('starts the pipeline with the trigger shape the workflow validates', () => {
    const target = raised?.Targets[0];
    expect(target.Arn).toEqual({ Ref: stack.getLogicalId(stack.stateMachine.node.defaultChild as never) });
    expect(target.InputTransformer).toEqual({
      InputPathsMap: { id: '$.id' },
      InputTemplate: '{"trigger":{"source":"cloudwatch","incidentId":"cw-<id>","event":<aws.events.event.json>}}',
    });
    expect(target.InputTransformer.InputTemplate).toBe(AlarmTriggerInput.INPUT_TEMPLATE);
  });

  it('produces, for a real alarm event, exactly what the local runtime builds', () => {
    const input = applyInputTransformer(raised?.Targets[0].InputTransformer, alarmEvent) as { trigger: unknown };
    expect(alarmTriggerSchema.parse(input.trigger)).toEqual(alarmTriggerSchema.parse(alarmTriggerFromEvent(alarmEvent)));
    expect(input.trigger).toEqual(JSON.parse(JSON.stringify(alarmTriggerFromEvent(alarmEvent))));
    expect((input.trigger as { event: AlarmEvent }).event.detail.alarmName).toBe(alarmEvent.detail.alarmName);
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

  it('narrows both rules to alarmNamePrefix when it is given', () => {
    const narrowed = synth({ alarmNamePrefix: 'prod-' }).template;
    const patterns = Object.values(narrowed.findResources('AWS::Events::Rule')).map((r) => r.Properties.EventPattern).filter(Boolean);
    expect(patterns).toHaveLength(2);
    for (const pattern of patterns) expect(pattern.detail.alarmName).toEqual([{ prefix: 'prod-' }]);
  });
});
