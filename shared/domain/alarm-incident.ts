/**
 * The incident fields a CloudWatch alarm trigger determines on its own, as github-incident.ts does for GitHub:
 * used by ingest (which stores the incident before the execution starts), classify and notify.
 */
import type { AlarmDetails, Incident } from './incident.js';
import { alarmShape } from './alarm-shape.js';
import { type AlarmTrigger, alarmArnOf, alarmScope } from './trigger.js';
import { redactSecrets } from '../logs/redact.js';

/** What the alarm is and measures, from its state-change event. */
export function alarmDetails(trigger: AlarmTrigger): AlarmDetails {
  const { event } = trigger;
  const shape = alarmShape(event);
  return {
    name: event.detail.alarmName,
    arn: alarmArnOf(event),
    account: event.account,
    region: event.region,
    state: event.detail.state.value,
    previousState: event.detail.previousState?.value ?? null,
    reason: safeRedact(event.detail.state.reason),
    stateChangedAt: event.detail.state.timestamp,
    ...shape,
    description: shape.description ? safeRedact(shape.description) : null,
  };
}

/** The incident fields of an alarm trigger: its details (reason and description redacted) and when it fired. */
export function alarmIncidentFields(trigger: AlarmTrigger): Pick<Incident, 'id' | 'source'> & Partial<Incident> {
  const alarm = alarmDetails(trigger);
  const changed = Date.parse(alarm.stateChangedAt);
  return {
    id: trigger.incidentId,
    source: 'cloudwatch',
    alarm,
    ...(Number.isNaN(changed) ? {} : { failedAt: new Date(changed).toISOString() }),
  };
}

export function alarmIncidentScope(trigger: AlarmTrigger): string {
  return alarmScope(alarmDetails(trigger).arn);
}

/** Redaction fails closed: if it cannot run, the text is withheld. */
function safeRedact(text: string): string {
  try {
    return redactSecrets(text);
  } catch {
    return '[withheld: redaction unavailable]';
  }
}
