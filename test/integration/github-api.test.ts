import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeLog, cleanLine } from '../../shared/logs/index.js';
import { EVENTS_DIR, deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { failedRunDelivery } from '../support/fakes.js';
import { useLocalRuntime } from '../support/harness.js';
import { longFailuresLog } from '../support/long-failures-log.js';

/**
 * The local runtime with a GitHub token: logs are downloaded from, and comments posted to, the API at
 * GITHUB_API_URL (here a local server that behaves like GitHub Enterprise Server's REST API).
 */
const SECRET = 'api-secret';
const RUN = 11862439017;
const JOB = 33216540871;
let sampleLog: string;

const incident = (id: string) => harness.incident(id);

const outbox = () => harness.outbox();

/**
 * A failure of a later run than the green run the first test delivers (run 483, completed 09:46:30), as a new
 * failure of the branch is: the recorded failure's own number and time are older than that green run, which would
 * make it a failure delivered after the run that fixed it (recorded resolved, not commented).
 */
const laterFailure = (runId: number) => failedRunDelivery(runId, { run: { run_number: 490, updated_at: '2026-11-20T10:30:00Z' } });

const harness = useLocalRuntime({ name: 'guard-api', secret: SECRET, github: { auth: 'token', prefix: '/api/v3' } });

beforeAll(async () => {
  sampleLog = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
  harness.github.serveFailedJob(RUN, JOB, sampleLog);
});

describe('local runtime against the GitHub REST API', () => {
  it('downloads the failed job log, and posts one PR comment that a green run later updates', async () => {
    await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await harness.runtime.idle();

    const created = await incident(`gh-714523861-${RUN}-1`);
    expect(created.status).toBe('notified');
    expect(created.jobs.map((j) => [j.jobId, j.logSource])).toEqual([[JOB, 'job_log']]);
    const first = created.failureLines[0];
    expect(cleanLine(sampleLog.split('\n')[(first?.line ?? 0) - 1] ?? '')).toContain(first?.text.trim().slice(0, 40));
    expect(harness.github.apiCalls()).toContain(`GET /api/v3/repos/acme-shop/checkout-service/actions/runs/${RUN}/attempts/1/jobs?per_page=100`);
    expect(harness.github.comments.get(1287)).toHaveLength(1);
    expect(harness.github.comments.get(1287)?.[0]?.body).toContain('<!-- pipeline-guard:incident-comment -->');

    await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-success'), SECRET);
    await harness.runtime.idle();

    const comments = harness.github.comments.get(1287) ?? [];
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/Fixed in run 11862977305/);
    expect(harness.github.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/comments'))).toHaveLength(1);
    expect(harness.github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(1);
  });

  it("compares a failure with the workflow's latest green run: a line the green run printed too does not lead", async () => {
    // Prepare: the green run of the same job on the default branch prints the same handled traceback as the failure.
    const WORKFLOW = 61835520;
    const noise = [
      'Traceback (most recent call last):',
      '  File "plugins/loader.py", line 12, in load',
      'ImportError: optional plugin acme_fast_json is not installed, using json',
    ];
    const at = (i: number) => `2026-11-20T09:15:${String(i).padStart(2, '0')}.0000000Z`;
    const stamp = (lines: string[]) => lines.map((text, i) => `${at(i)} ${text}`).join('\n');
    const green = stamp(['##[group]Run pytest', ...noise, '12 passed in 3.1s']);
    const failing = stamp([
      '##[group]Run pytest',
      ...noise,
      'Traceback (most recent call last):',
      '  File "app/totals.py", line 40, in total',
      'ZeroDivisionError: division by zero',
      '##[error]Process completed with exit code 1.',
    ]);
    harness.github.workflowRuns.set(WORKFLOW, [{ id: 555, run_attempt: 1, head_branch: 'main', conclusion: 'success' }]);
    harness.github.jobs.set('555/1', [{ id: 9001, name: 'unit', conclusion: 'success' }]);
    harness.github.logs.set(9001, { content: green });
    const steps = [
      { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1, started_at: '2026-11-20T09:14:58Z', completed_at: '2026-11-20T09:14:59Z' },
      { name: 'Unit tests', status: 'completed', conclusion: 'failure', number: 2, started_at: '2026-11-20T09:15:00Z', completed_at: '2026-11-20T09:15:06Z' },
    ];
    harness.github.jobs.set('888/1', [{ id: 9002, name: 'unit', conclusion: 'failure', steps }]);
    harness.github.logs.set(9002, { content: failing });
    const webhook = laterFailure(888);
    const withoutBaseline = await analyzeLog(failing);

    // Act
    await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();

    // Assert
    expect(withoutBaseline.failures[0]?.lines[0]?.text).toBe(noise[2]);
    const stored = await incident('gh-714523861-888-1');
    const job = stored.jobs[0];
    expect(job?.baseline).toBe(true);
    expect(job?.failures[0]?.lines[0]?.text).toBe('ZeroDivisionError: division by zero');
    expect(job?.step).toMatchObject({ number: 2, name: 'Unit tests' });
    expect(job?.diagnosis?.rootCause).toBe('A test failed in `app/totals.py:40`: `ZeroDivisionError: division by zero` (step 2 "Unit tests" of job "unit").');
    expect(harness.github.apiCalls()).toContain(`GET /api/v3/repos/acme-shop/checkout-service/actions/workflows/${WORKFLOW}/runs?branch=main&status=success&exclude_pull_requests=true&per_page=20`);
    const comment = harness.github.comments.get(1287)?.at(-1)?.body ?? '';
    expect(comment).toContain('**Why:** A test failed in `app/totals.py:40`: `ZeroDivisionError: division by zero`');
    expect(comment).toContain('/job/9002#step:2:5)');

    // A second failure of the same job reuses the stored baseline instead of downloading the green log again.
    const downloads = () => harness.github.apiCalls().filter((call) => call.endsWith('/actions/jobs/9001/logs')).length;
    expect(downloads()).toBe(1);
    (webhook.body.workflow_run as Record<string, unknown>).id = 889;
    harness.github.jobs.set('889/1', [{ id: 9003, name: 'unit', conclusion: 'failure', steps }]);
    harness.github.logs.set(9003, { content: failing });
    await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();
    expect((await incident('gh-714523861-889-1')).jobs[0]?.failures[0]?.lines[0]?.text).toBe('ZeroDivisionError: division by zero');
    expect(downloads()).toBe(1);
  });

  it("says a failure is also failing on the base branch when the default branch's latest run of the workflow failed", async () => {
    // Prepare: main's newest finished run of the same workflow failed too.
    const WORKFLOW = 61835520;
    harness.github.workflowRuns.set(WORKFLOW, [
      { id: 556, run_attempt: 1, head_branch: 'main', conclusion: 'failure', html_url: 'https://github.com/acme-shop/checkout-service/actions/runs/556' },
      ...(harness.github.workflowRuns.get(WORKFLOW) ?? []),
    ]);
    harness.github.serveFailedJob(891, 9004, sampleLog);
    const webhook = laterFailure(891);
    // Act
    await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();
    // Assert
    const stored = await incident('gh-714523861-891-1');
    expect(stored.baseBranchRun).toEqual({ runId: 556, conclusion: 'failure', url: 'https://github.com/acme-shop/checkout-service/actions/runs/556' });
    expect(harness.github.comments.get(1287)?.at(-1)?.body).toContain('also failing on the base branch `main` ([that run](https://github.com/acme-shop/checkout-service/actions/runs/556))');
  });

  it("keeps an incident of 8 failing jobs within DynamoDB's 400 KB item when every job's failures fill their bounds", async () => {
    // Prepare: each job prints failures of several toolchains whose lines are 500 characters of 3-byte UTF-8 (a
    // fork's run can print anything), more lines each than an incident keeps of a failure.
    const log = longFailuresLog('界'.repeat(470));
    const jobs = Array.from({ length: 8 }, (_, i) => ({ id: 9100 + i, name: `shard ${i}`, conclusion: 'failure' }));
    harness.github.jobs.set('893/1', jobs);
    for (const job of jobs) harness.github.logs.set(job.id, { content: log });
    const webhook = laterFailure(893);

    // Act
    await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();

    // Assert: classified and notified as any other failure, its leading failure whole.
    const stored = await incident('gh-714523861-893-1');
    expect(stored.stageErrors).toEqual([]);
    expect(stored.status).toBe('notified');
    expect(stored.jobs).toHaveLength(8);
    expect(stored.jobs[0]?.failures[0]?.lines).toHaveLength(25);
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(400 * 1024);
  });

  it('still ends with a recorded, notified incident when GitHub keeps failing', async () => {
    harness.github.fail({ method: 'GET', route: /\/actions\/runs\/777\/attempts\/1\/jobs$/, times: Infinity, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    harness.github.fail({ method: 'GET', route: /\/issues\/1287\/comments$/, times: Infinity, reply: { status: 503, body: { message: 'Unavailable' } } });
    const webhook = laterFailure(777);

    const response = await deliverWebhook(harness.runtime.url, webhook, SECRET);
    await harness.runtime.idle();

    expect(response.status).toBe(202);
    const degraded = await incident('gh-714523861-777-1');
    expect(degraded.stageErrors.map((e) => e.stage)).toContain('classify');
    expect(degraded.stageErrors.find((e) => e.stage === 'classify')?.error).toMatch(/GitHubUnavailableError/);
    // Notify could not comment either: the state machine marks it, and the reconciler's next run tells on-call.
    expect(degraded.notifyFailed).toBe(true);
    await harness.runtime.reconcile(new Date(Date.now() + 15 * 60_000));
    expect((await incident('gh-714523861-777-1')).status).toBe('notified');
    const escalations = (await outbox()).filter((e) => e.kind === 'escalation' && String(e.message).includes('gh-714523861-777-1'));
    expect(escalations.length).toBeGreaterThanOrEqual(1);
  });
});
