import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { loadConfig } from '../../shared/config.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import type { IngestDeps } from '../../shared/ingest/github-webhook.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from './fakes.js';
import { createMemoryStore } from './memory-store.js';

/** The recorded webhook `name` (events/github), its body changed by `mutate`, signed with `secret` as GitHub would. */
export function signedWebhook(name: string, secret: string, mutate: (body: Record<string, any>) => void) {
  const event = structuredClone(loadWebhook(name));
  mutate(event.body as Record<string, any>);
  const body = JSON.stringify(event.body);
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  return { headers: { ...event.headers, 'X-Hub-Signature-256': signature }, body, isBase64Encoded: false };
}

/**
 * Ingest's dependencies in memory: the incident store, the recovery queue it fills (drain it to record the green
 * runs), and a workflow starter that starts each execution name once.
 */
export function memoryIngest(secret: string) {
  const store = createMemoryStore();
  const recoveries = createRecordingRecoveryQueue();
  const started = new Set<string>();
  const deps: IngestDeps = {
    recoveries,
    webhooks: new Webhooks({ secret }),
    maxBodyBytes: 1_048_576,
    maxRedrives: loadConfig({}).RECONCILE_MAX_ATTEMPTS,
    incidents: store,
    github: staticGitHubClients(createFakeGitHub().port),
    clock: () => new Date('2026-11-20T11:00:00Z'),
    logger: silentLogger,
    workflow: {
      async start(name) {
        const alreadyStarted = started.has(name);
        started.add(name);
        return { executionId: `exec:${name}`, alreadyStarted };
      },
      async describe() {
        return null;
      },
    },
  };
  return { deps, store, recovered: () => recoveries.drain(deps) };
}
