import { beforeEach, describe, expect, it } from 'vitest';
import { handleGithubWebhook } from '../../shared/ingest/github-webhook.js';
import { memoryIngest, signedWebhook } from '../support/ingest.js';

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

const request = (name: string, mutate: (run: Record<string, any>) => void) => signedWebhook(name, SECRET, (body) => mutate(body.workflow_run));

describe('a green run of an event any outsider can cause', () => {
  let ingest: ReturnType<typeof memoryIngest>;
  beforeEach(() => {
    ingest = memoryIngest(SECRET);
  });

  it.each([
    ['issues', 'main', 'push'],
    ['watch', 'main', 'push'],
    ['discussion', 'main', 'push'],
    ['pull_request_review', 'feature/tax-rounding', 'pull_request'],
    ['pull_request_review_comment', 'feature/tax-rounding', 'pull_request'],
  ])("never resolves the repository's own failures (green %s run on %s, failed %s run)", async (event, branch, failedEvent) => {
    // Prepare: the repository's own run of the workflow fails on the branch.
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: branch, event: failedEvent })), ingest.deps);

    // Act: an outsider's issue, star or review starts the same workflow on the same branch, and it passes.
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: branch, event, pull_requests: [] })), ingest.deps);

    // Assert: the failure stays open
    expect(await ingest.recovered()).toEqual([]);
    expect(ingest.store.items.get(FAILED)?.incident.status).toBe('received');
  });

  it("still resolves a failure of the same outsider's event", async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: 'main', event: 'issues' })), ingest.deps);

    // Act
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: 'main', event: 'issues', pull_requests: [] })), ingest.deps);

    // Assert
    expect(await ingest.recovered()).toEqual([FAILED]);
  });

  it("still lets the repository's own green run resolve its failure", async () => {
    // Prepare
    await handleGithubWebhook(request('workflow_run-failure', (run) => Object.assign(run, { head_branch: 'main', event: 'push' })), ingest.deps);

    // Act
    await handleGithubWebhook(request('workflow_run-success', (run) => Object.assign(run, { head_branch: 'main', event: 'push', pull_requests: [] })), ingest.deps);

    // Assert
    expect(await ingest.recovered()).toEqual([FAILED]);
  });
});
