/**
 * `npm run chaos -- crash-recovery`: green runs are answered once their recovery is queued (the work is done off
 * the request). N failures are notified, then their N green runs are sent and the runtime (`npm start`'s entry
 * point) is killed with SIGKILL after half were accepted; on restart every accepted green run must still resolve
 * its incident, within 2 minutes. Size: CHAOS_RECOVERIES (default 100).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RecordedWebhook, loadWebhook, signWebhook } from '../infra/local/replay.js';
import { exited, startChild } from './chaos-child.js';
import { pollJson } from './chaos-poll.js';

const SECRET = 'chaos-recovery-secret';
const RECOVERIES = Number(process.env.CHAOS_RECOVERIES ?? 100);
const CONCURRENCY = 20;
const RUN_BASE = 960_000;
const env = { ...process.env, GITHUB_TOKEN: undefined, GITHUB_APP_ID: undefined, GITHUB_WEBHOOK_SECRET: SECRET, POWERTOOLS_LOG_LEVEL: 'SILENT' };

/** Run `i` of its own workflow and branch: the failure is run RUN_BASE + i, its green run RUN_BASE + RECOVERIES + i. */
function run(i: number, conclusion: 'failure' | 'success'): RecordedWebhook {
  const webhook = structuredClone(loadWebhook(conclusion === 'failure' ? 'workflow_run-failure' : 'workflow_run-success'));
  const body = webhook.body.workflow_run as Record<string, unknown>;
  body.id = RUN_BASE + (conclusion === 'failure' ? 0 : RECOVERIES) + i;
  body.workflow_id = RUN_BASE + i;
  body.head_branch = `chaos-recovery-${i}`;
  body.pull_requests = [];
  webhook.headers['x-github-delivery'] = `chaos-recovery-${conclusion}-${i}`;
  return webhook;
}

async function post(baseUrl: string, webhook: RecordedWebhook) {
  const signed = signWebhook(webhook, SECRET);
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as { incidentId?: string; recovery?: string } };
}

async function statusOf(baseUrl: string, id: string): Promise<string | undefined> {
  return (await pollJson<{ status?: string }>(`${baseUrl}/incidents/${id}`)).status;
}

/** Polls until every id has `status`, or the deadline passes; the ids still waiting. */
async function waitFor(baseUrl: string, ids: Iterable<string>, status: string, deadline: number): Promise<Set<string>> {
  const pending = new Set(ids);
  while (pending.size > 0 && Date.now() < deadline) {
    for (const id of [...pending]) if ((await statusOf(baseUrl, id)) === status) pending.delete(id);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 500));
  }
  return pending;
}

async function pool<T>(items: T[], work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < items.length) await work(items[next++] as T);
  }));
}

async function crashRecovery(): Promise<boolean> {
  const dataDir = await mkdtemp(join(tmpdir(), 'guard-chaos-recovery-'));
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    const started = await startChild(dataDir, env);
    first = started.child;
    const incidents = new Map<number, string>();
    await pool(Array.from({ length: RECOVERIES }, (_, i) => i), async (i) => {
      const response = await post(started.url, run(i, 'failure'));
      if (response.status === 202 && response.body.incidentId) incidents.set(i, response.body.incidentId);
    });
    const unnotified = await waitFor(started.url, incidents.values(), 'notified', Date.now() + 600_000);
    if (unnotified.size > 0) throw new Error(`${unnotified.size} failures were never notified before the green runs`);

    const accepted = new Set<string>();
    const killAfter = Math.ceil(RECOVERIES / 2);
    let killed = false;
    await pool(Array.from({ length: RECOVERIES }, (_, i) => i), async (i) => {
      if (killed) return;
      try {
        const response = await post(started.url, run(i, 'success'));
        if (response.status === 202 && response.body.recovery === 'queued') accepted.add(incidents.get(i) as string);
      } catch {
        // The connection died with the process: not accepted, GitHub would redeliver.
      }
      if (!killed && accepted.size >= killAfter) {
        killed = true;
        first?.kill('SIGKILL');
      }
    });
    await exited(first);
    const restartedAt = Date.now();
    const restarted = await startChild(dataDir, env);
    second = restarted.child;
    const pending = await waitFor(restarted.url, accepted, 'resolved', restartedAt + 120_000);
    const result = {
      failuresNotified: incidents.size,
      greenRunsSent: RECOVERIES,
      acceptedBeforeKill: accepted.size,
      resolvedAfterRestart: accepted.size - pending.size,
      lost: pending.size,
      secondsAfterRestart: Math.round((Date.now() - restartedAt) / 100) / 10,
    };
    console.log(`crash-recovery: ${JSON.stringify(result)}`);
    return pending.size === 0;
  } finally {
    first?.kill('SIGKILL');
    second?.kill('SIGTERM');
    await exited(second);
    await rm(dataDir, { recursive: true, force: true });
  }
}

export const recoverySuites = { 'crash-recovery': crashRecovery };
