import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../shared/domain/incident.js';
import { cleanLine } from '../../shared/logs/index.js';
import { EVENTS_DIR, deliverWebhook, loadWebhook, fetchIncident, readOutbox } from '../../infra/local/replay.js';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.js';
import { BOT_LOGIN, FAKE_TOKEN, FakeGitHub } from '../support/fake-github.js';

/**
 * The local runtime with a GitHub token: logs are downloaded from, and comments posted to, the API at
 * GITHUB_API_URL (here a local server that behaves like GitHub Enterprise Server's REST API).
 */
const SECRET = 'api-secret';
const RUN = 11862439017;
const JOB = 33216540871;
let github: FakeGitHub;
let runtime: LocalRuntime;
let dataDir: string;
let sampleLog: string;

const incident = (id: string) => fetchIncident(runtime.url, id);

const outbox = () => readOutbox(runtime.outboxPath);

beforeAll(async () => {
  github = await FakeGitHub.start({ prefix: '/api/v3' });
  sampleLog = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
  github.jobs.set(`${RUN}/1`, [{ id: JOB, name: 'test (node 22)', conclusion: 'failure' }]);
  github.logs.set(JOB, { content: sampleLog });
  dataDir = await mkdtemp(join(tmpdir(), 'guard-api-'));
  runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    retryDelayMs: 0,
    env: {
      ...process.env,
      GITHUB_TOKEN: FAKE_TOKEN,
      GITHUB_API_URL: github.baseUrl,
      GITHUB_BOT_LOGIN: BOT_LOGIN,
      GITHUB_RETRIES: '0',
      GITHUB_WRITE_INTERVAL_MS: '0',
      GITHUB_WEBHOOK_SECRET: SECRET,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  });
});

afterAll(async () => {
  await runtime?.close();
  await github?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('local runtime against the GitHub REST API', () => {
  it('downloads the failed job log, and posts one PR comment that a green run later updates', async () => {
    await deliverWebhook(runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await runtime.idle();

    const created = await incident(`gh-714523861-${RUN}-1`);
    expect(created.status).toBe('notified');
    expect(created.jobs.map((j) => [j.jobId, j.logSource])).toEqual([[JOB, 'job_log']]);
    const first = created.failureLines[0];
    expect(cleanLine(sampleLog.split('\n')[(first?.line ?? 0) - 1] ?? '')).toContain(first?.text.trim().slice(0, 40));
    expect(github.apiCalls()).toContain(`GET /api/v3/repos/acme-shop/checkout-service/actions/runs/${RUN}/attempts/1/jobs?per_page=100`);
    expect(github.comments.get(1287)).toHaveLength(1);
    expect(github.comments.get(1287)?.[0]?.body).toContain('<!-- pipeline-guard:incident-comment -->');

    await deliverWebhook(runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await runtime.idle();
    await deliverWebhook(runtime.url, loadWebhook('workflow_run-success'), SECRET);

    const comments = github.comments.get(1287) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/Fixed in run 11862977305/);
    expect(github.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/comments'))).toHaveLength(1);
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it('still ends with a recorded, notified incident when GitHub keeps failing', async () => {
    github.fail({ method: 'GET', route: /\/actions\/runs\/777\/attempts\/1\/jobs$/, times: Infinity, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    github.fail({ method: 'GET', route: /\/issues\/1287\/comments$/, times: Infinity, reply: { status: 503, body: { message: 'Unavailable' } } });
    const webhook = structuredClone(loadWebhook('workflow_run-failure'));
    (webhook.body.workflow_run as Record<string, unknown>).id = 777;

    const response = await deliverWebhook(runtime.url, webhook, SECRET);
    await runtime.idle();

    expect(response.status).toBe(202);
    const degraded = await incident('gh-714523861-777-1');
    expect(degraded.stageErrors.map((e) => e.stage)).toContain('classify');
    expect(degraded.stageErrors.find((e) => e.stage === 'classify')?.error).toMatch(/GitHubUnavailableError/);
    expect(degraded.status).toBe('notified');
    const escalations = (await outbox()).filter((e) => e.kind === 'escalation' && String(e.message).includes('gh-714523861-777-1'));
    expect(escalations.length).toBeGreaterThanOrEqual(1);
  });
});
