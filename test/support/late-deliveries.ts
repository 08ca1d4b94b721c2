import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENTS_DIR, type RecordedWebhook, loadWebhook } from '../../infra/local/replay.js';
import { BOT_LOGIN } from './fake-github.js';
import type { useLocalRuntimePerTest } from './harness.js';

/**
 * Deliveries of one repository's runs in any order (a failure, its later attempts, a later green run), for the tests of
 * late and reordered deliveries against the local runtime and the fake GitHub.
 */
export const SECRET = 'session30-secret';
const REPO_ID = 714523861;

/** A pull request failure of run `runId` (attempt `attempt`) on pull request `pr`, as GitHub delivers it. */
export function pullRequestFailure(runId: number, pr: number, options: { attempt?: number; delivery?: string } = {}): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, any>;
  run.id = runId;
  run.run_attempt = options.attempt ?? 1;
  const repo = { id: REPO_ID, name: 'checkout-service' };
  run.pull_requests = [{ number: pr, head: { ref: `b${pr}`, sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  webhook.headers['x-github-delivery'] = options.delivery ?? `s30-${runId}-${run.run_attempt}`;
  return webhook;
}

/** The green run that fixes it: run `runId` (a later run of the same workflow and branch, or a later attempt of the failed run). */
export function pullRequestGreen(runId: number, pr: number, options: { attempt?: number; runNumber?: number; updatedAt?: string; delivery?: string } = {}): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-success'));
  const run = webhook.body.workflow_run as Record<string, any>;
  const failed = loadWebhook('workflow_run-failure').body.workflow_run as Record<string, any>;
  run.id = runId;
  run.run_attempt = options.attempt ?? 1;
  run.run_number = options.runNumber ?? run.run_number;
  run.head_branch = failed.head_branch;
  run.workflow_id = failed.workflow_id;
  if (options.updatedAt) run.updated_at = options.updatedAt;
  const repo = { id: REPO_ID, name: 'checkout-service' };
  run.pull_requests = [{ number: pr, head: { ref: `b${pr}`, sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  webhook.headers['x-github-delivery'] = options.delivery ?? `s30-green-${runId}-${run.run_attempt}`;
  return webhook;
}

/** A failure of run `runId` pushed to main (no pull request), attempt `attempt`, started by `actor`. */
export function pushFailure(runId: number, attempt: number, actor: string, delivery: string): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, any>;
  Object.assign(run, { id: runId, run_attempt: attempt, event: 'push', head_branch: 'main', pull_requests: [], triggering_actor: { login: actor, id: 7, type: 'User' } });
  webhook.headers['x-github-delivery'] = delivery;
  return webhook;
}

/**
 * Settings for a runtime against the fake GitHub: the offline analyzer, room for every write and re-run, and the
 * policy's defaults `policyDefaults` besides rate limits no test reaches.
 */
export function roomyRuntimeEnv(policyDefaults: Record<string, unknown> = {}) {
  return {
    GITHUB_WRITES_PER_MINUTE: '10000', GITHUB_WRITES_PER_HOUR: '100000', GITHUB_RERUNS_PER_MINUTE: '10000', ANALYZER: 'offline', RERUN_MIN_CONFIDENCE: '0.3',
    POLICY_JSON: JSON.stringify({ defaults: { rateLimits: { perHour: 1000, perDay: 1000 }, ...policyDefaults } }), POLICY_FILE: undefined, CHAT_WEBHOOK_URL: undefined,
  };
}

/** The in-process runtime against the fake GitHub (token), the offline analyzer, and room for every write and re-run. */
export async function startAgainstFakeGitHub(runtimes: ReturnType<typeof useLocalRuntimePerTest>, runs: number[]) {
  const harness = await runtimes.start({ secret: SECRET, name: 'guard-s30', github: { auth: 'token' }, env: roomyRuntimeEnv() });
  const github = harness.github;
  github.login = BOT_LOGIN;
  // An App without Contents read: a push's failure that needs a human pages (as the crash points have it).
  github.refuseCommitComments = true;
  const jest = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
  const network = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-npm-network-failure.log'), 'utf8');
  for (const runId of runs) {
    for (const attempt of [1, 2, 3]) {
      const jobId = runId * 10 + attempt;
      github.jobs.set(`${runId}/${attempt}`, [{ id: jobId, name: 'test', conclusion: 'failure' }]);
      github.logs.set(jobId, { content: runId % 2 === 0 ? network : jest });
    }
  }
  return harness;
}
