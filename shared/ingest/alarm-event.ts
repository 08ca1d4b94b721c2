import {
  type AlarmEvent,
  type AlarmTrigger,
  MAX_ALARM_CONFIGURATION_JSON_BYTES,
  MAX_ALARM_DESCRIPTION_CHARS,
  MAX_ALARM_DESCRIPTION_JSON_BYTES,
  MAX_ALARM_OTHER_RESOURCES_JSON_BYTES,
  MAX_ALARM_REASON_CHARS,
  MAX_ALARM_REASON_DATA_CHARS,
  MAX_ALARM_REASON_DATA_JSON_BYTES,
  MAX_ALARM_REASON_JSON_BYTES,
  MAX_ALARM_SUPPRESSED_REASON_CHARS,
  MAX_ALARM_SUPPRESSED_REASON_JSON_BYTES,
  MAX_ALARM_TAGS_JSON_BYTES,
  alarmArnOf,
  alarmEventSchema,
  alarmTriggerFromEvent,
  jsonBytes,
} from '../domain/trigger.js';
import { aheadDetail, alarmOverBy, recoveredAlarmFields, stateChangedAtOf, untrustedStamp } from '../domain/alarm-incident.js';
import { redactDeep } from '../logs/redact.js';
import { redactWithin } from './redact-within.js';
import { ValidationError } from '../errors.js';
import { redriveIfStalled, startRecordedIncident } from '../reconcile/redrive.js';
import type { AlarmTagReader, Clock, WorkflowStarter } from '../ports.js';
import type { StepLogger } from '../ports.js';
import { incidentFromTrigger, storeIncidentFromTrigger } from '../domain/incident-from-trigger.js';
import type { IncidentStore } from '../stores/incident-store.js';
import { firstIssue } from '../validation.js';
import { type AlarmScope, NOT_IN_SCOPE, alarmOutOfScope, alarmTagsNeeded } from './alarm-scope.js';

export interface AlarmIngestDeps {
  incidents: IncidentStore;
  workflow: WorkflowStarter;
  clock: Clock;
  logger: StepLogger;
  maxRedrives: number;
  /** Which alarms start the pipeline (opt-in; see alarm-scope.ts). */
  scope: AlarmScope;
  /**
   * Reads an alarm's tags when its event does not carry them (CloudWatch in AWS); null locally, where the event's
   * tags are all there is.
   */
  alarmTags: AlarmTagReader | null;
}

/**
 * The alarm's free text (reasons, reason data, description) can quote whatever the alarmed system logged. It is
 * redacted here, before it becomes the execution input that Step Functions keeps in its history for 90 days, and
 * kept within the bounds the stages validate it against (see {@link redactWithin}): in characters, and in bytes as
 * JSON, as is the rest of the event (metric queries, tags, further resources), so the execution input stays far
 * below Step Functions' 256 KB (`MAX_ALARM_EVENT_JSON_BYTES`).
 */
export function redactAlarmText(event: AlarmEvent): AlarmEvent {
  const { detail } = event;
  const { state, previousState, configuration, alarmTags } = detail;
  const [alarmArn, ...otherResources] = event.resources;
  return {
    ...event,
    // The first is the alarm's ARN, its identity (`alarmArnOf`), kept whole; nothing reads the others.
    resources: alarmArn === undefined ? [] : [alarmArn, ...withinJsonBytes(otherResources, MAX_ALARM_OTHER_RESOURCES_JSON_BYTES)],
    detail: {
      ...detail,
      state: {
        ...state,
        reason: redactWithin(state.reason, MAX_ALARM_REASON_CHARS, MAX_ALARM_REASON_JSON_BYTES),
        ...(state.reasonData === undefined ? {} : { reasonData: redactWithin(state.reasonData, MAX_ALARM_REASON_DATA_CHARS, MAX_ALARM_REASON_DATA_JSON_BYTES) }),
        ...(state.actionsSuppressedReason === undefined
          ? {}
          : { actionsSuppressedReason: redactWithin(state.actionsSuppressedReason, MAX_ALARM_SUPPRESSED_REASON_CHARS, MAX_ALARM_SUPPRESSED_REASON_JSON_BYTES) }),
      },
      ...(previousState
        ? {
            previousState: {
              ...previousState,
              ...(previousState.reason === undefined ? {} : { reason: redactWithin(previousState.reason, MAX_ALARM_REASON_CHARS, MAX_ALARM_REASON_JSON_BYTES) }),
            },
          }
        : {}),
      // Scope was decided on the whole event before this (`alarmOutOfScope`); the trigger keeps what fits.
      ...(alarmTags ? { alarmTags: Object.fromEntries(withinJsonBytes(Object.entries(alarmTags), MAX_ALARM_TAGS_JSON_BYTES)) } : {}),
      ...(configuration ? { configuration: boundedConfiguration(configuration) } : {}),
    },
  };
}

type AlarmConfiguration = NonNullable<AlarmEvent['detail']['configuration']>;

/**
 * The alarm's configuration, redacted, its description bounded as free text and the rest (metric queries, a
 * composite alarm's rule, fields not named in the schema) in {@link MAX_ALARM_CONFIGURATION_JSON_BYTES}: when it
 * takes more, the metric queries that fit, in order, and the rule, which a composite alarm's shape is read from.
 */
function boundedConfiguration(configuration: AlarmConfiguration): AlarmConfiguration {
  const { description, ...rest } = redactDeep(configuration) as AlarmConfiguration;
  const bounded = typeof description === 'string' ? { description: redactWithin(description, MAX_ALARM_DESCRIPTION_CHARS, MAX_ALARM_DESCRIPTION_JSON_BYTES) } : description === undefined ? {} : { description };
  if (Buffer.byteLength(JSON.stringify(rest)) <= MAX_ALARM_CONFIGURATION_JSON_BYTES) return { ...rest, ...bounded };
  const rule = typeof rest.alarmRule === 'string' ? redactWithin(rest.alarmRule, 2_048, MAX_ALARM_DESCRIPTION_JSON_BYTES) : undefined;
  const metricsBudget = MAX_ALARM_CONFIGURATION_JSON_BYTES - (rule === undefined ? 0 : jsonBytes(rule) + 20);
  return {
    ...(rest.metrics ? { metrics: withinJsonBytes(rest.metrics, metricsBudget) } : {}),
    ...(rule === undefined ? {} : { alarmRule: rule }),
    ...bounded,
  };
}

/** The leading items of `items` that take at most `maxJsonBytes` together as JSON (a comma between each two). */
function withinJsonBytes<T>(items: readonly T[], maxJsonBytes: number): T[] {
  const kept: T[] = [];
  let bytes = 2;
  for (const item of items) {
    bytes += Buffer.byteLength(JSON.stringify(item) ?? 'null') + 1;
    if (bytes > maxJsonBytes) break;
    kept.push(item);
  }
  return kept;
}

export type AlarmIngestResult =
  | { incidentId: string; duplicate: boolean; redriven?: string }
  /** Recorded, but its execution could not be started: the reconciler starts it, or escalates a start refused for good. */
  | { incidentId: string; duplicate: boolean; start: 'deferred' }
  /** The alarm was back to OK (at `recoveredAt`) before this ALARM was processed: recorded resolved, nothing started. */
  | { incidentId: string; duplicate: boolean; recoveredAt: string }
  | { ignored: string };

/**
 * A CloudWatch alarm entering ALARM, as EventBridge delivers it: the incident is written first (with its trigger,
 * so the reconciler can re-drive it), then one execution named after the alarm ARN and state change time
 * (`alarmIncidentId`). A redelivered event starts nothing new, in AWS as locally (an EventBridge → Step Functions
 * target cannot name executions, so every redelivery used to start a second pipeline and a second escalation).
 * An ALARM whose OK was already seen (EventBridge retries for up to 2 hours, so the OK can come first) starts
 * nothing: see {@link recordRecoveredAlarm}.
 */
export async function ingestAlarmEvent(event: unknown, deps: AlarmIngestDeps): Promise<AlarmIngestResult> {
  const parsed = alarmEventSchema.safeParse(event);
  if (!parsed.success) throw new ValidationError(`not a CloudWatch Alarm State Change event: ${firstIssue(parsed.error)}`);
  const state = parsed.data.detail.state.value;
  if (state !== 'ALARM') return { ignored: `alarm state ${state.slice(0, 40)} does not start the pipeline` };
  // Muted, suppressed, autoscaling and not-opted-in alarms create nothing: no incident, no page.
  let outOfScope = alarmOutOfScope(parsed.data, deps.scope);
  if (alarmTagsNeeded(parsed.data, deps.scope, outOfScope)) {
    // No reader (the local runtime has no CloudWatch): say so, since in AWS the alarm's own tags could opt it in.
    outOfScope = deps.alarmTags
      ? alarmOutOfScope(parsed.data, deps.scope, await deps.alarmTags.tagsOf(alarmArnOf(parsed.data)))
      : `${NOT_IN_SCOPE}: the event carries no alarmTags and no tags are read from CloudWatch here (add the tag to the event's detail.alarmTags, or name the alarm with an ALARM_NAME_PREFIXES prefix)`;
  }
  if (outOfScope) {
    deps.logger.info('alarm ignored', { alarm: parsed.data.detail.alarmName, reason: outOfScope });
    return { ignored: outOfScope };
  }
  const trigger = alarmTriggerFromEvent(redactAlarmText(parsed.data));
  // The alarm's latest OK, read before the incident is written. An OK noted after this read is caught by
  // record-outcome (it lists the alarm's open incidents after noting the OK) or, if it got there before this
  // incident was written, by classify, which reads the OK again before anything acts.
  const now = deps.clock();
  const firedAt = stateChangedAtOf(parsed.data, now);
  if (firedAt && untrustedStamp(firedAt)) deps.logger.warn('alarm time not trusted: read as now', { alarm: parsed.data.detail.alarmName, detail: aheadDetail(firedAt) });
  const okAt = firedAt ? await deps.incidents.latestAlarmOk(alarmArnOf(parsed.data)) : null;
  if (okAt && alarmOverBy(parsed.data, okAt, now)) return recordRecoveredAlarm(trigger, okAt, now, deps);
  const { created } = await storeIncidentFromTrigger(deps.incidents, trigger, now);
  // As for a webhook: a start that fails leaves the recorded incident to the reconciler, which starts it or escalates
  // a refusal for good once. Thrown, it also went to Lambda's retries and dead-letter queue, whose alarm paged on top.
  const started = await startRecordedIncident(trigger.incidentId, { trigger, incidentStored: true }, deps);
  const duplicate = !created || started.alreadyStarted;
  deps.logger.info('alarm accepted', { incidentId: trigger.incidentId, duplicate, alarm: parsed.data.detail.alarmName, deferred: started.deferred });
  if (started.deferred) return { incidentId: trigger.incidentId, duplicate, start: 'deferred' };
  if (!duplicate) return { incidentId: trigger.incidentId, duplicate };
  const redriven = await redriveIfStalled(trigger.incidentId, deps, deps.maxRedrives);
  return redriven ? { incidentId: trigger.incidentId, duplicate, redriven } : { incidentId: trigger.incidentId, duplicate };
}

/**
 * An ALARM processed after the OK that ended it: a retried or slow delivery (a tag lookup, a throttled Lambda), or a
 * redelivery after the incident was resolved. It is recorded, but as resolved already, and no execution starts.
 * Why record rather than drop: an accepted failure always ends recorded — the alarm did fire, for how long is its
 * time to recovery, and a flapping alarm shows only through these records. Why start nothing: the pipeline's path
 * ends in a runbook and a page, and a human is paged only when a human must act; for an alarm already back to OK
 * there is nothing to act on (a resolved incident pages nobody, and remediation applies nothing to one). The
 * incident is written in its final state in one write (a crash cannot leave it open for the reconciler to re-drive).
 * A redelivery of an ALARM whose incident exists changes nothing, and re-drives nothing.
 */
async function recordRecoveredAlarm(trigger: AlarmTrigger, okAt: Date, now: Date, deps: AlarmIngestDeps): Promise<AlarmIngestResult> {
  const { incident, scope } = incidentFromTrigger(trigger, now);
  const { fields, history } = recoveredAlarmFields(incident, okAt, 'the pipeline started', now);
  const created = await deps.incidents.create({ ...incident, ...fields, history: [...incident.history, history] }, scope, trigger);
  deps.logger.info('alarm already back to OK: recorded as resolved, nothing started', {
    incidentId: trigger.incidentId,
    duplicate: !created,
    alarm: trigger.event.detail.alarmName,
    firedAt: trigger.event.detail.state.timestamp,
    okAt: okAt.toISOString(),
  });
  return { incidentId: trigger.incidentId, duplicate: !created, recoveredAt: okAt.toISOString() };
}
