import { createHmac } from 'node:crypto';
import { Webhooks } from '@octokit/webhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { type CommentCommandDeps, handleIssueCommentWebhook } from '../../../shared/ingest/comment-commands.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import type { Learning } from '../../../shared/knowledge/learning.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { githubIncidentFields, githubIncidentScope } from '../../../shared/domain/github-incident.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import { createMemoryStore } from '../../support/memory-store.js';
import { createFakeGitHub, createMemoryApprovalIndex } from '../../support/fakes.js';

const SECRET = 'attack-secret';
const INCIDENT = 'gh-714523861-11862439017-1';

function delivery(login: string, body: string, options: { id?: number; association?: string; createdAt?: string } = {}) {
  const payload = JSON.stringify({
    action: 'created',
    issue: { number: 1287, pull_request: { url: 'x' } },
    comment: {
      id: options.id ?? 1,
      body,
      user: { login, type: 'User' },
      author_association: options.association ?? 'MEMBER',
      ...(options.createdAt ? { created_at: options.createdAt } : {}),
    },
    repository: { full_name: 'acme-shop/checkout-service', name: 'checkout-service', owner: { login: 'acme-shop' } },
  });
  const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
  return { headers: { 'x-github-event': 'issue_comment', 'x-hub-signature-256': signature }, body: payload, isBase64Encoded: false };
}

async function setup() {
  const github = createFakeGitHub();
  github.permissions.set('maintainer', 'maintain');
  const incidents = createMemoryStore();
  const trigger = triggerFromWorkflowRun(structuredClone(loadWebhook('workflow_run-failure')).body as never, 'd');
  await incidents.create(
    newIncident({
      ...githubIncidentFields(trigger),
      plan: { action: 'rerun_failed_jobs', proposed: 'rerun_failed_jobs', reasons: ['policy'], requiresApproval: true, dryRun: false, experiment: null, plannedAt: '2026-11-20T10:00:00Z' },
      approval: { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null },
    }, new Date('2026-11-20T10:00:00Z')),
    githubIncidentScope(trigger),
  );
  const tasks: unknown[] = [];
  const approvals = createMemoryApprovalIndex();
  await approvals.add('acme-shop/checkout-service', 1287, INCIDENT);
  const deps: CommentCommandDeps = {
    webhooks: new Webhooks({ secret: SECRET }),
    maxBodyBytes: 1_048_576,
    incidents,
    github: staticGitHubClients(github.port),
    clock: () => new Date('2026-11-20T10:05:00Z'),
    logger: silentLogger,
    learning: {} as Learning,
    approvals,
    tasks: {
      async succeed(token, output) {
        tasks.push(['succeed', token, output]);
      },
      async fail(token, error, cause) {
        tasks.push(['fail', token, error, cause]);
      },
    },
  };
  return { deps, github, tasks };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('answering a /guard command does not hold the webhook past its budget', () => {
  it('answers the delivery when GitHub is slow to take the 👍 on a carried-out approval', async () => {
    vi.useFakeTimers();
    const { deps, github, tasks } = await setup();
    // GitHub takes 30 s (the client's per-request timeout) to answer the reaction.
    github.port.addCommentReaction = () => new Promise((resolve) => setTimeout(resolve, 30_000));

    let response: Awaited<ReturnType<typeof handleIssueCommentWebhook>> | undefined;
    void handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps).then((r) => {
      response = r;
    });
    // The ingest Lambda is stopped at 10 s; the answer must leave the rest of that for the command itself.
    await vi.advanceTimersByTimeAsync(5_000);

    expect(tasks).toHaveLength(1);
    expect(response).toEqual({ statusCode: 202, body: { incidentId: INCIDENT, decision: 'approve' } });
  });

  it('answers the delivery when GitHub is slow to take a reply', async () => {
    vi.useFakeTimers();
    const { deps, github } = await setup();
    await deps.approvals.add('acme-shop/checkout-service', 1287, 'gh-714523861-999-1');
    github.port.upsertComment = () => new Promise(() => undefined);

    let response: Awaited<ReturnType<typeof handleIssueCommentWebhook>> | undefined;
    void handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps).then((r) => {
      response = r;
    });
    await vi.advanceTimersByTimeAsync(5_000);

    expect(response?.statusCode).toBe(409);
  });
});

describe('a redelivered command', () => {
  it('a carried-out approval delivered again is not told on the pull request that it decided nothing', async () => {
    const { deps, github, tasks } = await setup();

    const first = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);
    const again = await handleIssueCommentWebhook(delivery('maintainer', '/guard approve'), deps);

    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(409);
    expect(tasks).toHaveLength(1);
    // The comment carries our 👍: a reply under it saying it "decided nothing" contradicts it.
    expect(github.calls.filter((c) => c.method === 'addCommentReaction')).toHaveLength(1);
    expect(github.calls.filter((c) => c.method === 'upsertComment').map((c) => c.args[3])).toEqual([]);
  });
});
