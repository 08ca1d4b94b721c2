import { CloudWatchClient, ListTagsForResourceCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudWatchAlarmTags } from '../../../shared/adapters/alarm-tags.js';

const cloudwatch = mockClient(CloudWatchClient);
const ARN = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:payments-latency';

afterEach(() => cloudwatch.reset());

describe('createCloudWatchAlarmTags', () => {
  it('reads an alarm\'s tags with ListTagsForResource and caches them for a few minutes', async () => {
    cloudwatch.on(ListTagsForResourceCommand).resolves({ Tags: [{ Key: 'pipeline-guard', Value: 'enabled' }, { Key: 'team', Value: 'payments' }] });
    let now = new Date('2026-11-20T10:00:00Z');
    const tags = createCloudWatchAlarmTags(new CloudWatchClient({}), () => now);

    expect(await tags.tagsOf(ARN)).toEqual({ 'pipeline-guard': 'enabled', team: 'payments' });
    now = new Date('2026-11-20T10:04:00Z');
    await tags.tagsOf(ARN);
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(1);
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({ ResourceARN: ARN });

    now = new Date('2026-11-20T10:06:00Z');
    await tags.tagsOf(ARN);
    expect(cloudwatch.commandCalls(ListTagsForResourceCommand)).toHaveLength(2);
  });

  it('lets a failed read fail the delivery (EventBridge retries it) rather than guess the scope', async () => {
    cloudwatch.on(ListTagsForResourceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    await expect(createCloudWatchAlarmTags(new CloudWatchClient({})).tagsOf(ARN)).rejects.toThrow('Rate exceeded');
  });
});
