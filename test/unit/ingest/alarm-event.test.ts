import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAlarmEvent } from '../../../shared/ingest/alarm-event.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore } from '../../support/memory-store.js';

const EVENT = JSON.parse(readFileSync(join(import.meta.dirname, '../../../events/cloudwatch/alarm-state-alarm.json'), 'utf8')) as Record<string, any>;

describe('alarm ingest', () => {
  it('redacts the alarm text before it becomes the execution input', async () => {
    // Prepare: a reason that quotes a token the alarmed service logged.
    const token = `ghp_${'A1b2C3d4E5f6G7h8I9j0'.repeat(2).slice(0, 36)}`;
    const event = structuredClone(EVENT);
    event.detail.alarmName = 'guard-checkout-5xx';
    event.detail.state.reason = `Threshold Crossed: 1 datapoint [5.0] after deploy with GITHUB_TOKEN=${token}`;
    event.detail.state.reasonData = JSON.stringify({ note: `token ${token}` });
    event.detail.extra = { deep: { deeper: { deepest: { note: `token ${token}` } } } };
    const started: unknown[] = [];
    const deps = {
      incidents: createMemoryStore(),
      workflow: { async start(_name: string, input: unknown) { started.push(input); return { alreadyStarted: false, executionId: 'arn' }; } },
      clock: () => new Date('2026-11-20T10:00:00Z'),
      logger: silentLogger,
      maxRedrives: 3,
      scope: { prefixes: ['guard-'], tag: null, includeAutoscaling: false },
      alarmTags: null,
    };
    // Act
    const result = await ingestAlarmEvent(event, deps as never);
    // Assert
    expect(result).toMatchObject({ duplicate: false });
    expect(started).toHaveLength(1);
    expect(JSON.stringify(started[0])).not.toContain(token);
    expect(JSON.stringify(started[0])).toContain('Threshold Crossed: 1 datapoint [5.0]');
    expect(JSON.stringify(started[0])).not.toContain('deepest');
  });

  it('reads the tags of an alarm whose event carries none (tag propagation off): prefix OR tag', async () => {
    const started: string[] = [];
    const asked: string[] = [];
    const tagsByAlarm: Record<string, Record<string, string>> = {
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-latency': { 'pipeline-guard': 'enabled' },
      'arn:aws:cloudwatch:us-east-1:123456789012:alarm:search-latency': { team: 'search' },
    };
    const deps = {
      incidents: createMemoryStore(),
      workflow: { async start(name: string) { started.push(name); return { alreadyStarted: false, executionId: name }; } },
      clock: () => new Date('2026-11-20T10:00:00Z'),
      logger: silentLogger,
      maxRedrives: 3,
      scope: { prefixes: ['checkout-'], tag: { key: 'pipeline-guard', value: 'enabled' }, includeAutoscaling: false },
      alarmTags: { async tagsOf(arn: string) { asked.push(arn); return tagsByAlarm[arn] ?? {}; } },
    };
    const untagged = (name: string) => {
      const event = structuredClone(EVENT);
      delete event.detail.alarmTags;
      event.detail.alarmName = name;
      event.resources = [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`];
      return event;
    };

    const results = await Promise.all(['checkout-5xx', 'payments-latency', 'search-latency'].map((name) => ingestAlarmEvent(untagged(name), deps as never)));

    expect(results.map((r) => 'ignored' in r)).toEqual([false, false, true]);
    expect(started).toHaveLength(2);
    // The prefix decides without a read; only the other two alarms were looked up.
    expect(asked).toEqual(['arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-latency', 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:search-latency']);
  });
});
