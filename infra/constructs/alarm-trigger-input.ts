import { type IRuleRef, RuleTargetInput, type RuleTargetInputProperties } from 'aws-cdk-lib/aws-events';

/**
 * The state machine input for a CloudWatch alarm state change:
 * `{ "trigger": { "source": "cloudwatch", "incidentId": "cw-<event id>", "event": <the whole event> } }`,
 * the shape `alarmTriggerSchema` (shared/domain/trigger.ts) validates and `alarmTriggerFromEvent` builds locally.
 *
 * Why not `RuleTargetInput.fromObject` with `EventField.fromPath('$')`: EventBridge documents dot-notation paths
 * below the root, not `$` itself, as InputPathsMap values. Its reserved variable `<aws.events.event.json>` is the
 * documented way to embed the full event (`<aws.events.event>` is the event *without* `detail`, which would drop
 * the alarm name and state). `fromObject` cannot emit it unquoted (it only unquotes its own `<fN>` keys), so the
 * template is written here verbatim. EventBridge event ids are UUIDs, so `cw-<id>` already equals what
 * `alarmIncidentId` produces locally.
 */
export class AlarmTriggerInput extends RuleTargetInput {
  static readonly INPUT_TEMPLATE =
    '{"trigger":{"source":"cloudwatch","incidentId":"cw-<id>","event":<aws.events.event.json>}}';
  static readonly INPUT_PATHS_MAP = { id: '$.id' };

  constructor() {
    super();
  }

  override bind(_rule: IRuleRef): RuleTargetInputProperties {
    return { inputPathsMap: { ...AlarmTriggerInput.INPUT_PATHS_MAP }, inputTemplate: AlarmTriggerInput.INPUT_TEMPLATE };
  }
}
