import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * Some OpenAI-compatible gateways quote the key they refused in their error ("Received API Key = …"). The error's
 * detail becomes the analysis' fallback reason, which the incident's history, the API and the dashboard show: the
 * configured key must not ride along with it. The key has no well-known format, so only knowing it can mask it.
 */
const SECRET = 'model-key-echo-secret';
const KEY = 'gw-7c1e9a4b2d8f6e3a5c0b9d8e7f6a5b4c';

const harness = useLocalRuntime({ name: 'guard-key-echo', secret: SECRET, github: { auth: 'token' }, model: 'echoing', env: { LLM_API_KEY: KEY } });

describe('a model endpoint that quotes the refused key', () => {
  it('keeps the key out of the incident, the outbox and the pull request comment', async () => {
    const webhook = structuredClone(loadWebhook('workflow_run-failure'));
    const run = (webhook.body as Record<string, any>).workflow_run;
    harness.github.serveFailedJob(run.id, 85_100_001, await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8'));
    harness.model.fail({
      kind: 'error',
      status: 401,
      times: 100,
      message: (authorization) => `Authentication Error, Invalid proxy server token passed. Received API Key = ${authorization.replace(/^Bearer /, '')}`,
    });

    const response = await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();

    expect(harness.model.faultsServed).toBeGreaterThan(0);
    const incident = await harness.incident(String(response.body.incidentId));
    expect(incident.analysis?.fallbackReason).toContain('refused the credentials');
    const everything = JSON.stringify([incident, await harness.outbox(), [...harness.github.comments.values()]]);
    expect(everything).not.toContain(KEY.slice(3, 19));
  });
});
