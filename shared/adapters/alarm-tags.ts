import { ListTagsForResourceCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { AlarmTagReader, Clock } from '../ports.js';

/** Tags change rarely and a flapping alarm fires many times an hour: one read per alarm per few minutes. */
const CACHE_MS = 5 * 60_000;
/** Bounded: an account with many alarms cannot grow a warm Lambda's memory without limit. */
const CACHE_ENTRIES = 1_000;

/**
 * An alarm's tags from CloudWatch (`cloudwatch:ListTagsForResource`), for alarms whose state-change events do not
 * carry them (tag propagation off). Cached per alarm ARN for a few minutes in the warm function.
 */
export function createCloudWatchAlarmTags(client: CloudWatchClient, clock: Clock = () => new Date()): AlarmTagReader {
  const cache = new Map<string, { tags: Record<string, string>; until: number }>();
  return {
    async tagsOf(alarmArn) {
      const now = clock().getTime();
      const cached = cache.get(alarmArn);
      if (cached && cached.until > now) return cached.tags;
      const response = await client.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }));
      const tags = Object.fromEntries((response.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']).filter(([key]) => key !== ''));
      cache.delete(alarmArn);
      if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
      cache.set(alarmArn, { tags, until: now + CACHE_MS });
      return tags;
    },
  };
}

