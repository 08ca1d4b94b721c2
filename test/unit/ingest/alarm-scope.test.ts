import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { alarmShape } from '../../../shared/domain/alarm-shape.js';
import { type AlarmEvent, alarmEventSchema } from '../../../shared/domain/trigger.js';
import { NOT_IN_SCOPE, alarmOutOfScope, alarmScopeFromConfig, alarmTagsNeeded } from '../../../shared/ingest/alarm-scope.js';
import { alarmDetails } from '../../../shared/domain/alarm-incident.js';
import { alarmCategory } from '../../../shared/steps/classify.js';

const root = join(import.meta.dirname, '..', '..', '..');
const load = (name: string): AlarmEvent => alarmEventSchema.parse(JSON.parse(readFileSync(join(root, 'events', 'cloudwatch', `${name}.json`), 'utf8')));
const scope = (env: Record<string, string> = {}) => alarmScopeFromConfig(loadConfig(env));

describe('alarm scope (opt-in)', () => {
  it('takes an alarm carrying the default opt-in tag and leaves an untagged one alone', () => {
    const tagged = load('alarm-state-alarm');
    const untagged = structuredClone(tagged);
    delete untagged.detail.alarmTags;

    expect(alarmOutOfScope(tagged, scope())).toBeNull();
    expect(alarmOutOfScope(untagged, scope())).toMatch(/not in scope/);
    expect(alarmOutOfScope(untagged, scope({ ALARM_NAME_PREFIXES: 'billing-, checkout-' }))).toBeNull();
    expect(alarmOutOfScope(tagged, scope({ ALARM_SCOPE_TAG: 'team=payments' }))).toMatch(/not in scope/);
    expect(alarmOutOfScope(tagged, scope({ ALARM_SCOPE_TAG: 'team' }))).toBeNull();
  });

  it.each([
    ['alarm-muted', /muted by arn:aws:cloudwatch:us-east-1:123456789012:alarm-mute-rule:weekly-maintenance/],
    ['alarm-composite-suppressed', /suppresses this alarm's actions \(WaitPeriod\)/],
    ['alarm-autoscaling', /target-tracking autoscaling/],
  ])('ignores %s even when it is in scope', (name, reason) => {
    expect(alarmOutOfScope(load(name), scope({ ALARM_NAME_PREFIXES: 'TargetTracking-,checkout-,db-,orders-' }))).toMatch(reason);
  });

  it('takes an alarm by its tags read from CloudWatch when its event does not carry them, and asks only when the tag alone decides', () => {
    const untagged = load('alarm-state-alarm');
    delete untagged.detail.alarmTags;
    const verdict = alarmOutOfScope(untagged, scope());

    expect(alarmTagsNeeded(untagged, scope(), verdict)).toBe(true);
    expect(alarmOutOfScope(untagged, scope(), { 'pipeline-guard': 'enabled' })).toBeNull();
    expect(alarmOutOfScope(untagged, scope(), { team: 'payments' })).toBe(NOT_IN_SCOPE);
    // A prefix match, a muted alarm, an event that carries its tags, or no tag scope: nothing to read.
    expect(alarmTagsNeeded(untagged, scope({ ALARM_NAME_PREFIXES: 'checkout-' }), alarmOutOfScope(untagged, scope({ ALARM_NAME_PREFIXES: 'checkout-' })))).toBe(false);
    expect(alarmTagsNeeded(load('alarm-muted'), scope(), alarmOutOfScope(load('alarm-muted'), scope()))).toBe(false);
    const otherTags = load('alarm-state-alarm');
    otherTags.detail.alarmTags = { team: 'payments' };
    expect(alarmTagsNeeded(otherTags, scope(), alarmOutOfScope(otherTags, scope()))).toBe(false);
    expect(alarmTagsNeeded(untagged, scope({ ALARM_SCOPE_TAG: 'none', ALARM_NAME_PREFIXES: 'billing-' }), NOT_IN_SCOPE)).toBe(false);
  });

  it('has no tag scope with ALARM_SCOPE_TAG=none: only the prefixes opt alarms in', () => {
    expect(scope({ ALARM_SCOPE_TAG: 'none' }).tag).toBeNull();
    expect(alarmOutOfScope(load('alarm-state-alarm'), scope({ ALARM_SCOPE_TAG: 'none' }))).toBe(NOT_IN_SCOPE);
    expect(alarmOutOfScope(load('alarm-state-alarm'), scope({ ALARM_SCOPE_TAG: 'none', ALARM_NAME_PREFIXES: 'checkout-' }))).toBeNull();
  });

  it('takes autoscaling alarms when ALARM_INCLUDE_AUTOSCALING is set', () => {
    expect(alarmOutOfScope(load('alarm-autoscaling'), scope({ ALARM_NAME_PREFIXES: 'TargetTracking-', ALARM_INCLUDE_AUTOSCALING: 'true' }))).toBeNull();
  });
});

describe('alarm shape', () => {
  it('describes a metric-math alarm by its returned expression and inputs, not its first input metric', () => {
    const shape = alarmShape(load('alarm-metric-math'));
    expect(shape).toMatchObject({
      kind: 'math',
      metric: 'Total Network Traffic',
      namespace: null,
      expression: 'e1 = SUM(METRICS())',
      threshold: 10000,
      inputs: ['AWS/EC2 NetworkIn InstanceId=i-0a1b2c3d4e5f60718 Maximum/300s', 'AWS/EC2 NetworkOut InstanceId=i-0a1b2c3d4e5f60718 Maximum/300s'],
      datapoints: [45628],
    });
  });

  it('shows a composite alarm\'s rule and the children that fired', () => {
    const shape = alarmShape(load('alarm-composite'));
    expect(shape).toMatchObject({ kind: 'composite', rule: 'ALARM(orders-api-5xx) OR ALARM(orders-db-cpu)', children: ['orders-api-5xx'] });
  });

  it('reads an anomaly alarm\'s band from reasonData', () => {
    const shape = alarmShape(load('alarm-anomaly'));
    expect(shape).toMatchObject({ kind: 'anomaly', metric: 'CPUUtilization', band: { lower: 0.020599444741798756, upper: 0.3006915352732461 }, expression: 'ad1 = ANOMALY_DETECTION_BAND(m1, 0.8)' });
  });

  it('takes the category from what the alarm measures, not from its name', () => {
    const event = load('alarm-state-alarm');
    event.detail.alarmName = 'checkout-api-oom-and-latency';
    const details = alarmDetails({ source: 'cloudwatch', incidentId: 'cw-1', event });
    expect(details).toMatchObject({ kind: 'metric', metric: '5XXError', threshold: 25 });
    expect(alarmCategory(details)).toBe('infrastructure');
    expect(alarmCategory(alarmDetails({ source: 'cloudwatch', incidentId: 'cw-2', event: load('alarm-muted') }))).toBe('timeout');
  });
});
