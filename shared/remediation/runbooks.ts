import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import type { AlarmDetails } from '../domain/incident.js';
import { SEVERITIES, type Severity } from './policy.js';
import { parseJsonDocument } from '../validation.js';

/**
 * The runbook allow-list: which Systems Manager Automation document an alarm may start, with which
 * parameters. Nothing else can be started, whatever an analyzer proposes.
 */
const mappingSchema = z.strictObject({
  /** Matches alarms whose name starts with this prefix; the longest matching prefix wins. */
  alarmNamePrefix: z.string().check(z.minLength(1), z.maxLength(255)),
  /** Automation document name or ARN (e.g. `AWS-RestartEC2Instance`, or your own document). */
  document: z.string().check(z.regex(/^[A-Za-z0-9_.:/-]{3,256}$/)),
  documentVersion: z.optional(z.string().check(z.regex(/^(\$DEFAULT|\$LATEST|\d{1,5})$/))),
  /** Parameter values; `{{alarm.name}}`, `{{alarm.region}}`, `{{alarm.account}}`, `{{alarm.metric}}` are filled in. */
  parameters: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9]{1,50}$/)), z.array(z.string().check(z.maxLength(512))).check(z.maxLength(10))), {}),
  severity: z._default(z.enum(SEVERITIES), 'high'),
  description: z._default(z.string().check(z.maxLength(500)), ''),
});

export const runbookMappingsSchema = z.array(mappingSchema).check(z.maxLength(100));
export type RunbookMapping = z.infer<typeof mappingSchema>;

export function parseRunbookMappings(text: string | undefined): RunbookMapping[] {
  if (!text) return [];
  return parseJsonDocument(runbookMappingsSchema, text, 'runbook mapping file');
}

/** The mapping for an alarm, by longest name prefix; null when the alarm has no runbook. */
export function runbookFor(alarm: Pick<AlarmDetails, 'name'>, mappings: RunbookMapping[]): RunbookMapping | null {
  let best: RunbookMapping | null = null;
  for (const mapping of mappings) {
    if (alarm.name.startsWith(mapping.alarmNamePrefix) && (!best || mapping.alarmNamePrefix.length > best.alarmNamePrefix.length)) {
      best = mapping;
    }
  }
  return best;
}

const PLACEHOLDERS: Record<string, (alarm: AlarmDetails) => string> = {
  'alarm.name': (alarm) => alarm.name,
  'alarm.region': (alarm) => alarm.region,
  'alarm.account': (alarm) => alarm.account,
  'alarm.metric': (alarm) => alarm.metric ?? '',
};

/** Fills the documented placeholders only; anything else in braces is left as written. */
export function runbookParameters(mapping: RunbookMapping, alarm: AlarmDetails): Record<string, string[]> {
  const fill = (value: string) =>
    value.replace(/\{\{\s*(alarm\.[a-z]+)\s*\}\}/g, (whole, key: string) => PLACEHOLDERS[key]?.(alarm) ?? whole);
  return Object.fromEntries(Object.entries(mapping.parameters).map(([name, values]) => [name, values.map(fill)]));
}

export function runbookSeverity(mapping: RunbookMapping | null): Severity {
  return mapping?.severity ?? 'high';
}

/**
 * SSM's ClientToken must be a UUID and makes StartAutomationExecution idempotent: derived from the incident,
 * a retried step cannot start the runbook twice.
 */
export function automationClientToken(incidentId: string): string {
  const hex = createHash('sha256').update(`pipeline-guard:${incidentId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
