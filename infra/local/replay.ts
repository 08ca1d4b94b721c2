import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incident } from '../../shared/domain/incident.js';
import { parseOutbox } from '../../shared/adapters/outbox.js';

export const EVENTS_DIR = resolve(fileURLToPath(new URL('../../events', import.meta.url)));

export interface RecordedWebhook {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** Reads a recorded webhook (`events/github/<name>.json`: headers + body). */
export function loadWebhook(name: string): RecordedWebhook {
  return JSON.parse(readFileSync(join(EVENTS_DIR, 'github', `${name}.json`), 'utf8')) as RecordedWebhook;
}

/** Reads a recorded EventBridge event (`events/cloudwatch/<name>.json`). */
export function loadAlarmEvent(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EVENTS_DIR, 'cloudwatch', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Serializes and signs a webhook body the way GitHub does (HMAC-SHA256 of the exact bytes sent). */
export function signWebhook(webhook: RecordedWebhook, secret: string): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(webhook.body);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { headers: { ...webhook.headers, 'x-hub-signature-256': signature }, body };
}

/** POSTs a signed webhook to a running Pipeline Guard (local or deployed). */
export async function deliverWebhook(baseUrl: string, webhook: RecordedWebhook, secret: string) {
  const signed = signWebhook(webhook, secret);
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function deliverAlarm(baseUrl: string, event: Record<string, unknown>) {
  const response = await fetch(`${baseUrl}/events/cloudwatch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Reads an incident through the local API (or a deployed one's equivalent route). */
export async function fetchIncident(baseUrl: string, id: string): Promise<Incident> {
  return (await (await fetch(`${baseUrl}/incidents/${id}`)).json()) as Incident;
}

/** The local runtime's outbox (SNS stand-in, and GitHub without a token): one JSON object per line, oldest first. */
export async function readOutbox(path: string): Promise<Array<Record<string, any>>> {
  return parseOutbox(await readFile(path, 'utf8').catch(() => ''));
}

/**
 * The line of a resolved incident's PR comment that says how it ended ("Fixed in run … after 27 min." or "Passed in
 * …"), or null when the comment has none.
 */
export function resolutionLine(commentBody: string): string | null {
  return commentBody.split('\n').find((line) => /^(Fixed|Passed) in \S/.test(line)) ?? null;
}
