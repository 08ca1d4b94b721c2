import { ListTagsForResourceCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { createExpiringCache } from '../expiring-cache.js';
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
  const cache = createExpiringCache<string, Record<string, string>>({ maxEntries: CACHE_ENTRIES, ttlMs: CACHE_MS, now: () => clock().getTime() });
  return {
    async tagsOf(alarmArn) {
      const cached = cache.get(alarmArn);
      if (cached) return cached;
      const response = await client.send(new ListTagsForResourceCommand({ ResourceARN: alarmArn }));
      const tags = Object.fromEntries((response.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']).filter(([key]) => key !== ''));
      cache.set(alarmArn, tags);
      return tags;
    },
  };
}
