import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { handleGithubWebhook, type IngestDeps } from '../../shared/ingest/github-webhook.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { loadWebhook } from '../../infra/local/replay.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from '../support/fakes.js';
import { createMemoryStore } from '../support/memory-store.js';

/**
 * Attack pass 9, finding 1. Anyone can open an issue, star a repository or review a public pull request, and a workflow
 * that also runs on such an event (`on: [push, issues]`, `on: [pull_request, pull_request_review]`) then runs on the
 * branch with this repository as its head. Its jobs are often conditional on the event, so the run passes with every
 * job skipped, as often as the outsider likes. Was: such a green run resolved the repository's own failures of that
 * workflow and branch (the PR comment said "fixed"; the circuit breaker, the knowledge entry and the experiment arm
 * counted a recovery of the action taken). Required: it resolves only failures of its own event.
 */
const SECRET = 'attack-pass-9-secret';
const FAILED = 'gh-714523861-11862439017-1';

function request(name: string, mutate: (run: Record<string, any>) => void) {
  const event = structuredClone(loadWebhook(name));
  mutate((event.body as Record<string, any>).workflow_run);
  const body = JSON.stringify(event.body);
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return { headers: { ...event.headers, 'X-Hub-Signature-256': signature }, body, isBase64Encoded: false };
}

describe('a green run of an event any outsider can cause', () => {
  let deps: IngestDeps;
  let store: ReturnType<typeof createMemoryStore>;
  let recoveries: ReturnType<typeof createRecordingRecoveryQueue>;

  beforeEach(() => {
    store = createMemoryStore();
    recoveries = createRecordingRecoveryQueue();
    const started = new Set<string>();
    deps = {
      recoveries,
      webhooks: new Webhooks({ secret: SECRET }),
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
  });

  it.each([
    ['issues', 'main', 'push'],
    ['watch', 'main', 'push'],
    ['discussion', 'main', 'push'],
    ['pull_request_review', 'feature/tax-rounding', 'pull_request'],
    ['pull_request_review_comment', 'feature/tax-rounding', 'pull_request'],
  ])("never resolves the repository's own failures (green %s run on %s, failed %s run)", async (event, branch, failedEvent) => {
    // Prepare: the repository's own run of the workflow fails on the branch.
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: branch, event: failedEvent })), deps);

    // Act: an outsider's issue, star or review starts the same workflow on the same branch, and it passes.
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: branch, event, pull_requests: [] })), deps);

    // Assert: the failure stays open
    expect(await recoveries.drain(deps)).toEqual([]);
    expect(store.items.get(FAILED)?.incident.status).toBe('received');
  });

  it("still resolves a failure of the same outsider's event", async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: 'main', event: 'issues' })), deps);

    // Act
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: 'main', event: 'issues', pull_requests: [] })), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([FAILED]);
  });

  it("still lets the repository's own green run resolve its failure", async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: 'main', event: 'push' })), deps);

    // Act
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: 'main', event: 'push', pull_requests: [] })), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([FAILED]);
  });
});
