import type { Config } from '../config.js';
import type { AlarmEvent } from '../domain/trigger.js';

/** Which alarms start the pipeline: opt-in by name prefix or tag; never autoscaling, muted or suppressed ones. */
export interface AlarmScope {
  prefixes: string[];
  tag: { key: string; value: string | null } | null;
  includeAutoscaling: boolean;
}

/** `ALARM_SCOPE_TAG=none` (context `alarmScopeTag=none`): no tag scope, only the name prefixes. */
export const NO_SCOPE_TAG = 'none';

export function alarmScopeFromConfig(config: Pick<Config, 'ALARM_NAME_PREFIXES' | 'ALARM_SCOPE_TAG' | 'ALARM_INCLUDE_AUTOSCALING'>): AlarmScope {
  const [key, ...rest] = config.ALARM_SCOPE_TAG.split('=');
  return {
    prefixes: config.ALARM_NAME_PREFIXES,
    tag: key && config.ALARM_SCOPE_TAG !== NO_SCOPE_TAG ? { key: key.trim(), value: rest.length > 0 ? rest.join('=').trim() : null } : null,
    includeAutoscaling: config.ALARM_INCLUDE_AUTOSCALING,
  };
}

/**
 * Application Auto Scaling and EC2 Auto Scaling name their target-tracking alarms `TargetTracking-…` and describe
 * them "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy …": they go to ALARM whenever capacity should
 * change, which is their job, not an incident.
 */
export function isAutoscalingAlarm(event: AlarmEvent): boolean {
  const description = event.detail.configuration?.description ?? '';
  return event.detail.alarmName.startsWith('TargetTracking-') || /For TargetTrackingScaling policy/i.test(description);
}

export const NOT_IN_SCOPE = 'not in scope: neither an ALARM_NAME_PREFIXES prefix nor the ALARM_SCOPE_TAG tag';

/**
 * Why this alarm state change is left alone, or null when it starts the pipeline: a prefix OR the tag opts it in.
 * The tags are the event's (tag propagation on), else `lookedUp` (read from CloudWatch by the caller).
 */
export function alarmOutOfScope(event: AlarmEvent, scope: AlarmScope, lookedUp?: Record<string, string>): string | null {
  const { detail } = event;
  if (detail.muteDetail) return `muted by ${detail.muteDetail.mutedByArn ?? 'an alarm mute rule'}: its actions are off, so is the guard`;
  if (detail.state.actionsSuppressedBy) return `CloudWatch suppresses this alarm's actions (${detail.state.actionsSuppressedBy})`;
  if (!scope.includeAutoscaling && isAutoscalingAlarm(event)) return 'a target-tracking autoscaling alarm (ALARM_INCLUDE_AUTOSCALING is off)';
  if (scope.prefixes.some((prefix) => detail.alarmName.startsWith(prefix))) return null;
  const tags = detail.alarmTags ?? lookedUp ?? {};
  if (scope.tag && Object.hasOwn(tags, scope.tag.key) && (scope.tag.value === null || tags[scope.tag.key] === scope.tag.value)) return null;
  return NOT_IN_SCOPE;
}

/**
 * Whether only the alarm's tags can still bring it into scope and its event does not carry them (tag propagation
 * off): then they are read from CloudWatch. Muted, suppressed and autoscaling alarms never cost a read.
 */
export function alarmTagsNeeded(event: AlarmEvent, scope: AlarmScope, verdict: string | null): boolean {
  return verdict === NOT_IN_SCOPE && scope.tag !== null && event.detail.alarmTags === undefined;
}
