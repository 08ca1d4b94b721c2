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

/**
 * The account and region this deployment starts its runbooks in (Systems Manager runs a document where it is called).
 * `account` is null when the configuration does not say (DEPLOYMENT_ACCOUNT_ID unset): then no alarm is its own.
 */
export interface DeploymentHome {
  account: string | null;
  region: string;
}

/**
 * Why an alarm is not this deployment's to act on; null when it is. A cross-account or cross-region EventBridge rule
 * forwards other accounts' alarms to the guard's bus, and alarm names repeat across accounts (a staging copy of
 * production's `checkout-api-5xx-rate`): matched by name alone, such an alarm would restart this account's service.
 */
export function alarmOutsideDeployment(alarm: Pick<AlarmDetails, 'account' | 'region'>, home: DeploymentHome): string | null {
  if (home.account === null) return `this deployment's account is not configured (DEPLOYMENT_ACCOUNT_ID): no runbook runs for any alarm`;
  if (alarm.account === home.account && alarm.region === home.region) return null;
  return `the alarm belongs to account ${alarm.account || 'unknown'} in ${alarm.region || 'an unknown region'}, and this deployment runs its runbooks in account ${home.account} in ${home.region}: it starts none for another account's or region's alarm`;
}

/** A runbook lookup: the mapping to run, or none, and why a mapping the alarm's name matches is not run. */
export interface RunbookChoice {
  mapping: RunbookMapping | null;
  /** Set when a mapping matches the alarm's name but the alarm is not this deployment's ({@link alarmOutsideDeployment}). */
  refused: string | null;
}

/** The mapping for an alarm, by longest name prefix, for an alarm of the deployment's own account and region only. */
export function runbookFor(alarm: Pick<AlarmDetails, 'name' | 'account' | 'region'>, mappings: RunbookMapping[], home: DeploymentHome): RunbookChoice {
  let best: RunbookMapping | null = null;
  for (const mapping of mappings) {
    if (alarm.name.startsWith(mapping.alarmNamePrefix) && (!best || mapping.alarmNamePrefix.length > best.alarmNamePrefix.length)) {
      best = mapping;
    }
  }
  const refused = best ? alarmOutsideDeployment(alarm, home) : null;
  return refused ? { mapping: null, refused } : { mapping: best, refused: null };
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
