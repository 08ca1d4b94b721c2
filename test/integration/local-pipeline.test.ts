import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { cleanLine } from '../../shared/logs/index.js';
import { EVENTS_DIR, deliverAlarm, deliverWebhook, loadAlarmEvent, loadWebhook } from '../../infra/local/replay.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * The local runtime end to end, with its real embedded parts: dynalite, the ASL interpreter running the
 * handler exports, the outbox and the recorded-run GitHub stand-in (no token configured).
 */
const FAILURE_ID = 'gh-714523861-11862439017-1';

async function getJson<T>(path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${harness.runtime.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
}

const outbox = () => harness.outbox();

const harness = useLocalRuntime({ secret: 'it-secret', env: { GITHUB_TOKEN: undefined } });

describe('local runtime: GitHub failure → incident → PR comment', () => {
  it('turns a signed workflow_run failure into a notified incident pointing at the failing log line', async () => {
    const response = await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), 'it-secret');
    await harness.runtime.idle();

    expect(response).toEqual({ status: 202, body: { incidentId: FAILURE_ID, duplicate: false } });
    const { body: incident } = await getJson<Incident>(`/incidents/${FAILURE_ID}`);
    expect(incident).toMatchObject({ id: FAILURE_ID, source: 'github', status: 'notified', repository: 'acme-shop/checkout-service', runId: 11862439017, runAttempt: 1, pullRequest: 1287, category: 'test_failure' });
    expect(incident.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    const log = (await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8')).split('\n');
    const first = incident.failureLines[0];
    expect(first).toBeDefined();
    // The line number points into the raw job log, and that line holds the reported text.
    expect(cleanLine(log[(first?.line ?? 0) - 1] ?? '')).toContain(first?.text.trim().slice(0, 40));
    expect(incident.failureLines.map((l) => l.text).join('\n')).toMatch(/●|FAIL|Expected|toBe/);
    expect(incident.analysis).toMatchObject({ provider: 'offline' });
    expect(incident.analysis?.rootCause.length).toBeGreaterThan(10);
    expect(incident.decision?.action).toBeDefined();
    expect(incident.notifications.some((n) => n.channel === 'github_comment' && n.outcome === 'created')).toBe(true);
    const comments = (await outbox()).filter((e) => e.kind === 'github_comment');
    expect(comments).toHaveLength(1);
    expect(comments[0]?.target).toBe('acme-shop/checkout-service#1287');
    expect(comments[0]?.body).toContain('<!-- pipeline-guard:incident-comment -->');
    expect(comments[0]?.body).toContain(first?.text.trim().slice(0, 30));
  });

  it('creates nothing new when the same webhook is redelivered', async () => {
    const response = await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), 'it-secret');
    await harness.runtime.idle();

    expect(response.body).toEqual({ incidentId: FAILURE_ID, duplicate: true });
    const { body: incidents } = await getJson<Incident[]>('/incidents');
    expect(incidents.filter((i) => i.source === 'github')).toHaveLength(1);
    expect((await outbox()).filter((e) => e.kind === 'github_comment')).toHaveLength(1);
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const forged = structuredClone(loadWebhook('workflow_run-failure'));
    (forged.body.workflow_run as Record<string, unknown>).run_attempt = 9;

    const response = await deliverWebhook(harness.runtime.url, forged, 'wrong-secret');

    expect(response.status).toBe(401);
    expect((await getJson(`/incidents/gh-714523861-11862439017-9`)).status).toBe(404);
  });

  it('answers 400 for a body that is not JSON and 404 for unknown routes', async () => {
    const alarm = await fetch(`${harness.runtime.url}/events/cloudwatch`, { method: 'POST', body: '{nope' });
    expect(alarm.status).toBe(400);
    expect(((await alarm.json()) as { message: string }).message).toBe('body is not valid JSON');
    expect((await fetch(`${harness.runtime.url}/nowhere`)).status).toBe(404);
    expect((await getJson('/healthz')).body).toEqual({ ok: true });
  });

  it('resolves the incident and updates the same comment when the workflow goes green', async () => {
    const response = await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-success'), 'it-secret');

    // The reply only queues the recovery; the runtime's queue consumer records it (record-outcome).
    expect(response).toMatchObject({ status: 202, body: { recovery: 'queued' } });
    await harness.runtime.idle();
    const { body: incident } = await getJson<Incident>(`/incidents/${FAILURE_ID}`);
    expect(incident).toMatchObject({ status: 'resolved', resolvedBy: 'run 11862977305' });
    expect(incident.timeToRecoverySeconds).toBeGreaterThanOrEqual(0);
    const comments = (await outbox()).filter((e) => e.kind === 'github_comment');
    expect(comments.map((c) => c.outcome)).toEqual(['created', 'updated']);
    expect(comments[1]?.body).toMatch(/Fixed in run 11862977305/);
  });
});

describe('local runtime: CloudWatch alarm → escalation → recovery', () => {
  it('escalates an alarm and resolves it when the alarm returns to OK', async () => {
    const fired = await deliverAlarm(harness.runtime.url, loadAlarmEvent('alarm-state-alarm'));
    await harness.runtime.idle();

    expect(fired.status).toBe(202);
    const id = String(fired.body.incidentId);
    const { body: incident } = await getJson<Incident>(`/incidents/${id}`);
    expect(incident).toMatchObject({ source: 'cloudwatch', status: 'notified', decision: { action: 'escalate' } });
    expect(incident.alarm).toMatchObject({ name: 'checkout-api-5xx-rate', state: 'ALARM', metric: '5XXError', threshold: 25 });
    const escalation = (await outbox()).filter((e) => e.kind === 'escalation').at(-1);
    expect(escalation?.subject).toContain('checkout-api-5xx-rate');
    expect(escalation?.attributes).toMatchObject({ severity: 'high', source: 'cloudwatch' });
    // The first state records the execution ARN; the e-mail links the execution in the console.
    expect(String(escalation?.message)).toMatch(/Execution: https:\/\/us-east-1\.console\.aws\.amazon\.com\/states\/home\?region=us-east-1#\/v2\/executions\/details\/arn:aws:states:us-east-1:\d{12}:execution:incident-pipeline:cw-/);

    const again = await deliverAlarm(harness.runtime.url, loadAlarmEvent('alarm-state-alarm'));
    expect(again.body).toEqual({ incidentId: id, duplicate: true });
    // EventBridge gives a redelivered or replayed event a new id: the state change names the execution, not the event.
    const replayed = await deliverAlarm(harness.runtime.url, { ...loadAlarmEvent('alarm-state-alarm'), id: '11111111-2222-3333-4444-555555555555' });
    expect(replayed.body).toEqual({ incidentId: id, duplicate: true });
    expect((await outbox()).filter((e) => e.kind === 'escalation' && String(e.subject).includes('checkout-api-5xx-rate'))).toHaveLength(1);

    const ok = await deliverAlarm(harness.runtime.url, loadAlarmEvent('alarm-state-ok'));
    expect(ok).toEqual({ status: 200, body: { resolved: [id] } });
    const { body: recovered } = await getJson<Incident>(`/incidents/${id}`);
    expect(recovered).toMatchObject({ status: 'resolved', alarm: { state: 'OK', previousState: 'ALARM' } });
    expect(recovered.timeToRecoverySeconds).toBe(19 * 60 + 28);
  });

  it('lists incidents newest first', async () => {
    const { body } = await getJson<Incident[]>('/incidents');

    expect(body.map((i) => i.source)).toEqual(['cloudwatch', 'github']);
  });

  it('tells browsers and proxies to keep no copy of what the read API returns', async () => {
    for (const path of ['/incidents', `/incidents/${FAILURE_ID}`, '/incidents/gh-0-0-0']) {
      const response = await fetch(`${harness.runtime.url}${path}`);
      await response.body?.cancel();
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});
