import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { loadConfig } from '../../shared/config.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import type { IngestDeps } from '../../shared/ingest/github-webhook.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from './fakes.js';
import { createMemoryStore } from './memory-store.js';

/** GitHub's `X-Hub-Signature-256` of `body` under `secret`. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** The recorded webhook `name` (events/github), its body changed by `mutate`, signed with `secret` as GitHub would. */
export function signedWebhook(name: string, secret: string, mutate?: (body: Record<string, any>) => void) {
  const event = structuredClone(loadWebhook(name));
  mutate?.(event.body as Record<string, any>);
  const body = JSON.stringify(event.body);
  return { headers: { ...event.headers, 'X-Hub-Signature-256': webhookSignature(body, secret) }, body, isBase64Encoded: false };
}

/**
 * Ingest's dependencies around the parts a test chooses: a webhook verifier for `secret`, the body bound and the
 * re-drive bound the handler is configured with (the config loader's defaults), and a silent logger.
 */
export function ingestDeps(secret: string, parts: Pick<IngestDeps, 'incidents' | 'recoveries' | 'github' | 'clock' | 'workflow'>): IngestDeps {
  return {
    webhooks: new Webhooks({ secret }),
    maxBodyBytes: 1_048_576,
    maxRedrives: loadConfig({}).RECONCILE_MAX_ATTEMPTS,
    logger: silentLogger,
    ...parts,
  };
}

/**
 * A workflow starter that starts each execution name once and keeps what it started (`started`, oldest first), as
 * Step Functions' StartExecution does with a name; `describe` finds those it started, RUNNING.
 */
export function recordingWorkflow() {
  const started: Array<{ name: string; input: any }> = [];
  const workflow: IngestDeps['workflow'] = {
    async start(name, input) {
      const alreadyStarted = started.some((s) => s.name === name);
      if (!alreadyStarted) started.push({ name, input });
      return { executionId: `exec:${name}`, alreadyStarted };
    },
    async describe(name) {
      const execution = started.find((s) => s.name === name);
      return execution ? { status: 'RUNNING', input: execution.input } : null;
    },
  };
  return { workflow, started };
}

/**
 * Ingest's dependencies in memory: the incident store, the recovery queue it fills (drain it to record the green
 * runs), and a workflow starter that starts each execution name once.
 */
export function memoryIngest(secret: string) {
  const store = createMemoryStore();
  const recoveries = createRecordingRecoveryQueue();
  const started = new Set<string>();
  const deps = ingestDeps(secret, {
    recoveries,
    incidents: store,
    github: staticGitHubClients(createFakeGitHub().port),
    clock: () => new Date('2026-11-20T11:00:00Z'),
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
  });
  return { deps, store, recovered: () => recoveries.drain(deps) };
}
