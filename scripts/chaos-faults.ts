/**
 * Fault injection for `npm run chaos`: the local runtime in token mode against a fake GitHub REST server and an
 * OpenAI-compatible fake model (test/support), one fault per scenario:
 *
 *   github-500   GitHub answers 500 to job listings and comment writes for a while
 *   github-403   GitHub's secondary rate limit: 403 with `retry-after` on comment writes
 *   github-hang  GitHub accepts the connection and never answers (job listings, comment writes)
 *   model-500    the model answers 500
 *   model-hang   the model never answers
 *
 * Each prints accepted / notified / duplicated / lost / escalations / fallback e-mails and the time to drain, plus
 * what the fault cost (faults served, requests made). Sizes: CHAOS_FAULT_FAILURES (default 30 failures, each its own
 * pull request, and a redelivery of every fifth). A scenario passes when nothing was lost or duplicated, no fallback
 * e-mail went out and no escalation was caused by the fault alone.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RecordedWebhook, loadWebhook, readOutbox, signWebhook } from '../infra/local/replay.js';
import { startLocalRuntime } from '../infra/local/runtime.js';
import { BOT_LOGIN, FAKE_TOKEN, FakeGitHub } from '../test/support/fake-github.js';
import { FakeModel } from '../test/support/fake-model.js';
import type { Incident } from '../shared/domain/incident.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SECRET = 'chaos-fault-secret';
const FAILURES = Number(process.env.CHAOS_FAULT_FAILURES ?? 30);
const DRAIN_LIMIT_MS = Number(process.env.CHAOS_DRAIN_SECONDS ?? 600) * 1000;
const MODEL_TIMEOUT_MS = 5_000;
const RUN_BASE = 950_000;
const JOB_BASE = 7_000_000;
const PR_BASE = 40_000;

type Fault = { github?: Parameters<FakeGitHub['fail']>[0][]; model?: Parameters<FakeModel['fail']>[0] };

function failure(i: number): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = RUN_BASE + i;
  run.workflow_id = RUN_BASE + i;
  const repository = webhook.body.repository as { id: number; name: string };
  const repo = { id: repository.id, name: repository.name };
  run.pull_requests = [{ number: PR_BASE + i, head: { ref: `b${i}`, sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  webhook.headers['x-github-delivery'] = `chaos-fault-${i}`;
  return webhook;
}

/** The incident a prompt is about (its metadata's `incident: …` line). */
function incidentInPrompt(prompt: string): string {
  return /^incident: (\S+)$/m.exec(prompt)?.[1] ?? '';
}

async function post(baseUrl: string, webhook: RecordedWebhook) {
  const signed = signWebhook(webhook, SECRET);
  const response = await fetch(`${baseUrl}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as { incidentId?: string; duplicate?: boolean } };
}

/** Runs one fault scenario end to end and prints its figures; true when it met the bar. */
async function scenario(name: string, fault: Fault): Promise<boolean> {
  const github = await FakeGitHub.start();
  const model = await FakeModel.start();
  model.answer = () => ({ rootCause: 'A unit test assertion failed.', fix: ['Fix the assertion in the failing test.'], confidence: 0.7, proposedAction: 'comment_only' });
  const log = await readFile(join(root, 'events', 'logs', 'github-actions-jest-failure.log'), 'utf8');
  for (let i = 0; i < FAILURES; i++) {
    github.jobs.set(`${RUN_BASE + i}/1`, [{ id: JOB_BASE + i, name: 'test (node 22)', conclusion: 'failure' }]);
    github.logs.set(JOB_BASE + i, { content: log });
  }
  for (const f of fault.github ?? []) github.fail(f);
  if (fault.model) model.fail(fault.model);

  const dataDir = await mkdtemp(join(tmpdir(), `guard-chaos-${name}-`));
  const runtime = await startLocalRuntime({
    dataDir,
    port: 0,
    retryDelayMs: 200,
    env: {
      ...process.env,
      ...againstFakeGitHub(github),
      ANALYZER: 'openai',
      LLM_BASE_URL: model.baseUrl,
      LLM_MODEL: 'chaos-model',
      LLM_API_KEY: 'chaos-key',
      LLM_TIMEOUT_MS: String(MODEL_TIMEOUT_MS),
      GITHUB_WEBHOOK_SECRET: SECRET,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
  });
  const started = Date.now();
  const accepted = new Set<string>();
  let answeredDuplicate = 0;
  let errors = 0;
  try {
    const deliveries = Array.from({ length: FAILURES }, (_, i) => failure(i));
    const redeliveries = deliveries.filter((_, i) => i % 5 === 0);
    // All at once: a redelivery can arrive before its original, so "accepted" is every incident a 202 named.
    await Promise.all(
      [...deliveries, ...redeliveries].map(async (webhook) => {
        const response = await post(runtime.url, webhook);
        if (response.status !== 202) errors += 1;
        else {
          accepted.add(String(response.body.incidentId));
          if (response.body.duplicate) answeredDuplicate += 1;
        }
      }),
    );
    const drained = await Promise.race([runtime.idle().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), DRAIN_LIMIT_MS).unref())]);
    const drainSeconds = Math.round((Date.now() - started) / 100) / 10;

    const statuses: Record<string, number> = {};
    let notifyFailed = 0;
    for (const id of accepted) {
      const incident = await runtime.incidents.get(id);
      const status = incident?.status ?? 'missing';
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (incident && notifyFellBack(incident)) notifyFailed += 1;
    }
    const prs = Array.from({ length: FAILURES }, (_, i) => PR_BASE + i);
    const commented = prs.filter((pr) => (github.comments.get(pr) ?? []).length > 0).length;
    const duplicated = prs.reduce((sum, pr) => sum + Math.max(0, (github.comments.get(pr) ?? []).length - 1), 0);
    const outbox = await readOutbox(runtime.outboxPath);
    const escalations = outbox.filter((e) => e.kind === 'escalation');
    const posts = github.requests.filter((r) => r.method === 'POST' && /\/issues\/\d+\/comments$/.test(r.route));
    // The shortest gap between two POSTs of one comment: retries must wait out `retry-after` (5 s here).
    const gaps = prs.flatMap((pr) => {
      const times = posts.filter((r) => r.route.endsWith(`/issues/${pr}/comments`)).map((r) => r.at).sort((a, b) => a - b);
      return times.slice(1).map((t, k) => t - (times[k] as number));
    });
    const result = {
      failures: FAILURES,
      redelivered: redeliveries.length,
      accepted: accepted.size,
      answeredDuplicate,
      errors,
      notified: statuses.notified ?? 0,
      statuses,
      commented,
      duplicated,
      lost: accepted.size - (statuses.notified ?? 0),
      escalations: escalations.length,
      notifyFailed,
      drainSeconds: drained ? drainSeconds : `> ${DRAIN_LIMIT_MS / 1000} (not drained)`,
      githubRequests: github.requests.length,
      commentPosts: posts.length,
      ...(gaps.length ? { minSecondsBetweenPostsOfOneComment: Math.round(Math.min(...gaps) / 100) / 10 } : {}),
      modelRequests: model.prompts.length + model.faultsServed,
      modelFaults: model.faultsServed,
    };
    console.log(`${name}: ${JSON.stringify(result)}`);
    return drained && result.lost === 0 && duplicated === 0 && notifyFailed === 0 && errors === 0 && escalations.length === 0;
  } finally {
    await runtime.close();
    await github.close();
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Whether the notify function failed on the incident for good: the state machine marked it for the reconciler to page
 * (`notify_failed`). What a chaos run must never cause, like a fallback e-mail before.
 */
export const notifyFellBack = (incident: Incident): boolean => incident.history.some((entry) => entry.event === 'notify_failed');

const JOBS = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+\/attempts\/\d+\/jobs$/;
const COMMENT_POST = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/;

/** Token mode against the fake GitHub server, its write budget raised out of the way: the faults are what is measured. */
export function againstFakeGitHub(github: FakeGitHub): Record<string, string | undefined> {
  return {
    GITHUB_APP_ID: undefined,
    GITHUB_TOKEN: FAKE_TOKEN,
    GITHUB_API_URL: github.baseUrl,
    GITHUB_BOT_LOGIN: BOT_LOGIN,
    GITHUB_WRITE_INTERVAL_MS: '0',
    GITHUB_WRITES_PER_MINUTE: '10000',
    GITHUB_WRITES_PER_HOUR: '100000',
  };
}

export const faultSuites = {
  'github-500': () =>
    scenario('github-500', {
      // Per incident, not a shared count: each run's job listing fails 9 times and each PR's comment POST 6 times —
      // more than the client's own retries, so the state machine's retries take over too. (A shared count is used
      // up by whichever incidents the task slots run first, whose few fast local retries then all meet it.)
      github: Array.from({ length: FAILURES }, (_, i) => [
        { method: 'GET', route: new RegExp(`/actions/runs/${RUN_BASE + i}/attempts/\\d+/jobs$`), times: 9, reply: { status: 500, body: { message: 'Server Error' } } },
        { method: 'POST', route: new RegExp(`/issues/${PR_BASE + i}/comments$`), times: 6, reply: { status: 502, body: { message: 'Bad Gateway' } } },
      ]).flat(),
    }),
  'github-403': () =>
    scenario('github-403', {
      github: [
        {
          method: 'POST',
          route: COMMENT_POST,
          times: FAILURES,
          reply: {
            status: 403,
            headers: { 'retry-after': '5' },
            body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits' },
          },
        },
      ],
    }),
  'github-hang': () =>
    scenario('github-hang', {
      github: [
        { method: 'GET', route: JOBS, times: Math.ceil(FAILURES / 3), kind: 'hang' },
        { method: 'POST', route: COMMENT_POST, times: Math.ceil(FAILURES / 3), kind: 'hang' },
      ],
    }),
  // Two faults for each incident's analysis (told apart by the incident id in its prompt), so every incident retries
  // and none draws the three failed attempts that make the analysis fall back to the offline one.
  'model-500': () => scenario('model-500', { model: { kind: 'error', status: 500, times: 2, per: incidentInPrompt } }),
  'model-hang': () => scenario('model-hang', { model: { kind: 'hang', times: FAILURES } }),
};
