import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { TEST_APP_SLUG } from '../support/app-keys.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * The local runtime acting as a GitHub App against a GitHub Enterprise-style REST API: installation tokens from
 * the App key, one living PR comment across failures, re-runs and recovery, and at most one automatic re-run per
 * (workflow, head SHA) however the webhooks arrive.
 */
const SECRET = 'app-secret';
const INSTALLATION = 51234987;
const PR = 1287;
const RUN = 11862439017;
const PUSH_RUN = 11862439999;
const BOT = `${TEST_APP_SLUG}[bot]`;
const NETWORK_LOG = [
  '2026-11-20T09:15:01.1000000Z ##[group]Run npm ci',
  '2026-11-20T09:16:12.2000000Z npm ERR! code ETIMEDOUT',
  '2026-11-20T09:16:12.2000000Z npm ERR! syscall connect',
  '2026-11-20T09:16:12.2000000Z npm ERR! network request to https://registry.npmjs.org/@acme%2fmoney failed, reason: connect ETIMEDOUT 104.16.2.35:443',
  '2026-11-20T09:16:12.3000000Z ##[error]Process completed with exit code 1.',
  '',
].join('\n');

const incident = (id: string) => harness.incident(id);

async function deliver(name: string, mutate?: (body: Record<string, any>) => void) {
  const webhook = structuredClone(loadWebhook(name));
  mutate?.(webhook.body);
  const response = await deliverWebhook(harness.runtime.url, webhook, SECRET);
  await harness.runtime.idle();
  return response;
}

/** Run `run` (attempt 1) fails on the network in job `jobId`; GitHub starts its re-run but answers 502, once. */
function networkFailureWithLostRerunAnswer(run: number, jobId: number): void {
  harness.github.runs.set(run, { status: 'completed', run_attempt: 1 });
  harness.github.serveFailedJob(run, jobId, NETWORK_LOG);
  harness.github.fail({ method: 'POST', route: new RegExp(`/actions/runs/${run}/rerun-failed-jobs$`), afterApplying: true, reply: { status: 502, body: { message: 'Bad Gateway' } } });
}

const commentPosts = () => harness.github.requests.filter((r) => r.method === 'POST' && r.route.endsWith(`/issues/${PR}/comments`));
const commentEdits = () => harness.github.requests.filter((r) => r.method === 'PATCH' && r.route.includes('/issues/comments/'));
const prComments = () => harness.github.comments.get(PR) ?? [];

const harness = useLocalRuntime({
  secret: SECRET,
  name: 'guard-app',
  github: { auth: 'app', prefix: '/api/v3' },
  // The offline analyzer proposes a re-run for a network failure; the threshold keeps this test about GitHub.
  // acme-shop/ledger has room for one automatic action an hour.
  env: { RERUN_MIN_CONFIDENCE: '0.3', POLICY_JSON: JSON.stringify({ repositories: { 'acme-shop/ledger': { rateLimits: { perHour: 1 } } } }) },
});

beforeAll(async () => {
  harness.github.login = BOT;
  harness.github.userStatus = 403;
  harness.github.runs.set(RUN, { status: 'completed', run_attempt: 1 });
  harness.github.runs.set(PUSH_RUN, { status: 'completed', run_attempt: 1 });
  for (const [key, id] of [[`${RUN}/1`, 501], [`${RUN}/2`, 502], [`${PUSH_RUN}/1`, 503]] as const) {
    harness.github.jobs.set(key, [{ id, name: 'test (node 22)', conclusion: 'failure' }]);
    harness.github.logs.set(id, { content: NETWORK_LOG });
  }
});

describe('local runtime as a GitHub App', () => {
  it('re-runs once per commit, keeps one PR comment through failures and recovery, and acts as the installation', async () => {
    // Act 1: a transient failure on the PR.
    await deliver('workflow_run-failure');

    // Assert 1: one re-run, one comment.
    const first = await incident(`gh-714523861-${RUN}-1`);
    expect(first.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect(harness.github.reruns).toEqual([{ runId: RUN, attempt: 2, installationId: INSTALLATION }]);
    expect(commentPosts()).toHaveLength(1);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.user.login).toBe(BOT);

    // Act 2: GitHub redelivers the same failure; then our re-run (attempt 2) fails too.
    harness.github.runs.set(RUN, { status: 'completed', run_attempt: 2 });
    const redelivered = await deliver('workflow_run-failure');
    await deliver('workflow_run-rerun-failure');

    // Assert 2: nothing re-run again, the same comment now tells about attempt 2.
    expect(redelivered.body).toEqual({ incidentId: `gh-714523861-${RUN}-1`, duplicate: true });
    const second = await incident(`gh-714523861-${RUN}-2`);
    expect(second.decision).toMatchObject({ action: 'escalate' });
    expect(second.decision?.reason).toMatch(/after our automatic re-run/);
    expect(harness.github.reruns).toHaveLength(1);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.body).toMatch(/attempt 2/);

    // Act 3: the push run of the same commit fails the same way.
    await deliver('workflow_run-failure', (b) => {
      b.workflow_run.id = PUSH_RUN;
      b.workflow_run.event = 'push';
      b.workflow_run.updated_at = '2026-11-20T09:30:00Z';
    });

    // Assert 3: the commit had its automatic re-run already.
    const push = await incident(`gh-714523861-${PUSH_RUN}-1`);
    expect(push.decision?.reason).toMatch(/already re-run automatically 1 time/);
    expect(harness.github.reruns).toHaveLength(1);

    // Act 4: a green run on the branch.
    const editsBefore = commentEdits().length;
    const green = await deliver('workflow_run-success');

    // Assert 4: every open incident of the workflow resolved; the one comment updated once more.
    expect(green.body).toMatchObject({ recovery: 'queued' });
    await harness.runtime.idle();
    for (const id of [`gh-714523861-${PUSH_RUN}-1`, `gh-714523861-${RUN}-1`, `gh-714523861-${RUN}-2`]) {
      expect(await incident(id)).toMatchObject({ status: 'resolved', resolvedBy: 'run 11862977305' });
    }
    expect(commentEdits().length).toBe(editsBefore + 1);
    expect(commentPosts()).toHaveLength(1);
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.body).toMatch(/Fixed in run 11862977305/);

    // Assert (throughout): every repository call acted for the webhook's installation, never with /user.
    const repoCalls = harness.github.requests.filter((r) => r.route.startsWith('/repos/'));
    expect(repoCalls.length).toBeGreaterThan(0);
    expect(repoCalls.every((r) => harness.github.installationOf(r) === INSTALLATION)).toBe(true);
    expect(harness.github.requests.some((r) => r.route === '/user')).toBe(false);
  });

  it('counts content writes in the shared budget in the incidents table', async () => {
    // Act
    const documents = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: harness.runtime.env.DYNAMODB_ENDPOINT, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    );
    const scan = await documents.send(new ScanCommand({ TableName: harness.runtime.env.INCIDENTS_TABLE }));
    documents.destroy();

    // Assert: one unit per comment write and per re-run, across all the executions above.
    const used = (scan.Items ?? [])
      .filter((item) => String(item.pk) === `GHLIMIT#installation-${INSTALLATION}#writes#3600`)
      .reduce((sum, item) => sum + Number(item.used), 0);
    expect(used).toBe(commentPosts().length + commentEdits().length + harness.github.reruns.length);
    const ledger = (scan.Items ?? []).find((item) => String(item.pk).startsWith('RERUN#714523861#61835520#'));
    expect(ledger?.claims).toEqual(new Set([`gh-714523861-${RUN}-1`]));
  });

  it('turns a failed CircleCI check into an incident on the same PR comment, and resolves it when the check passes', async () => {
    // Act
    const failed = await deliver('check_run-circleci-failure');

    // Assert
    const check = await incident('ghc-714523861-33219875501');
    expect(failed.body).toEqual({ incidentId: 'ghc-714523861-33219875501', duplicate: false });
    expect(check).toMatchObject({ status: 'notified', category: 'network', pullRequest: PR });
    expect(check.jobs[0]?.logSource).toBe('check_run_output');
    expect(check.decision?.action).not.toBe('rerun_failed_jobs');
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.body).toMatch(/CircleCI Checks/);

    // Act
    const passed = await deliver('check_run-circleci-success');

    // Assert
    expect(passed.body).toMatchObject({ recovery: 'queued' });
    await harness.runtime.idle();
    expect(await incident('ghc-714523861-33219875501')).toMatchObject({ status: 'resolved', resolvedBy: 'check run 33220411877' });
    expect(prComments()).toHaveLength(1);
    expect(prComments()[0]?.body).toMatch(/Fixed in check run 33220411877/);
    expect(harness.github.reruns).toHaveLength(1);
  });

  it("takes a re-run whose answer was lost for its own: it pages nobody while the re-run runs", async () => {
    // A push to main (no pull request: a failure there pages) of another workflow and commit, failing on the network.
    const run = 11862440123;
    // GitHub starts the re-run but the answer is lost (502): the step fails and the state machine retries it.
    networkFailureWithLostRerunAnswer(run, 504);

    await deliver('workflow_run-failure', (b) => {
      Object.assign(b.workflow_run, { id: run, workflow_id: 61835599, head_sha: 'c0ffee5a1e5d9f0b7d2a4c6e8f0a1b3c5d7e9f01', event: 'push', pull_requests: [] });
    });

    const pushed = await incident(`gh-714523861-${run}-1`);
    expect(harness.github.reruns.filter((r) => r.runId === run)).toHaveLength(1);
    expect(pushed.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true, result: expect.stringMatching(/re-run of run \d+ requested/) });
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation' && String(e.message).includes(pushed.id))).toEqual([]);
  });

  it('does not take back a re-run an earlier try of the step started: its own rate-limit slot does not refuse it', async () => {
    // A push to main of a repository with room for one automatic action an hour, failing on the network.
    const run = 11862440456;
    // The re-run takes the hour's slot, GitHub starts it and the answer is lost: the state machine retries the step.
    networkFailureWithLostRerunAnswer(run, 505);

    await deliver('workflow_run-failure', (b) => {
      Object.assign(b.repository, { id: 800000002, name: 'ledger', full_name: 'acme-shop/ledger' });
      Object.assign(b.workflow_run, { id: run, workflow_id: 61835600, event: 'push', pull_requests: [] });
      b.workflow_run.head_repository.id = 800000002;
    });

    const pushed = await incident(`gh-800000002-${run}-1`);
    expect(harness.github.reruns.filter((r) => r.runId === run)).toHaveLength(1);
    expect(pushed.decision).toMatchObject({ action: 'rerun_failed_jobs', applied: true });
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation' && String(e.message).includes(pushed.id))).toEqual([]);
  });
});
