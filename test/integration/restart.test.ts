import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { startLocalRuntime } from '../../infra/local/runtime.js';

const env = { ...process.env, GITHUB_TOKEN: undefined, GITHUB_WEBHOOK_SECRET: 'restart-secret', POWERTOOLS_LOG_LEVEL: 'SILENT' };
let dataDir: string;

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('local runtime persistence', () => {
  it('keeps incidents and execution names across a restart, so a redelivery after it starts nothing', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'guard-restart-'));
    const first = await startLocalRuntime({ dataDir, port: 0, retryDelayMs: 0, env });
    const accepted = await deliverWebhook(first.url, loadWebhook('workflow_run-failure'), 'restart-secret');
    await first.idle();
    await first.close();

    const second = await startLocalRuntime({ dataDir, port: 0, retryDelayMs: 0, env });
    try {
      const incidents = (await (await fetch(`${second.url}/incidents`)).json()) as Incident[];
      const redelivered = await deliverWebhook(second.url, loadWebhook('workflow_run-failure'), 'restart-secret');
      await second.idle();

      expect(accepted.body.duplicate).toBe(false);
      expect(incidents.map((i) => [i.id, i.status])).toEqual([[accepted.body.incidentId, 'notified']]);
      expect(redelivered.body).toEqual({ incidentId: accepted.body.incidentId, duplicate: true });
    } finally {
      await second.close();
    }
  });
});
