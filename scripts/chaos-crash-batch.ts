/**
 * The batch every crash point of `npm run chaos -- crash-points` sends: FAILURES failed runs, each of its own
 * workflow, half pushes to main and half pull requests', against the fake GitHub REST API of the tests; how they are
 * delivered to `npm start`, read back, and what they left on GitHub and in the outbox.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type RecordedWebhook, loadWebhook, readOutbox, signWebhook } from '../infra/local/replay.js';
import { baselineKeys } from '../shared/baselines/store.js';
import { RUNTIME_FILE, runtimeInfoSchema } from '../shared/cli/local-runtime.js';
import { createDocumentClient } from '../shared/stores/dynamo.js';
import { countMarksOn } from '../test/support/count-marks.js';
import { BOT_LOGIN, type FakeGitHub } from '../test/support/fake-github.js';
import { againstFakeGitHub } from './chaos-faults.js';
import { pollJson } from './chaos-poll.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const SECRET = 'chaos-crash-point-secret';
export const FAILURES = Number(process.env.CHAOS_CRASH_POINT_FAILURES ?? 12);
/** The local runtime's task slots: at most this many calls of one stage hang at once, the rest queue behind them. */
export const SLOTS = 8;
export const RUN_BASE = 970_000;
const JOB_BASE = 8_000_000;
export const PR_BASE = 50_000;
export const DEADLINE_MS = 180_000;
const REPOSITORY = 'acme-shop/checkout-service';

export interface Incident {
  status?: string;
  notifications?: Array<{ channel: string; outcome: string }>;
  history?: Array<{ event: string }>;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A proposal that waits for approval and was asked for (e-mailed for a push, on the comment for a pull request). */
export const asked = (incident: Incident) => incident.status === 'awaiting_approval' && (incident.notifications ?? []).length > 0;

/** The policy under which every automatic re-run waits for a person's approval. */
export const RERUNS_NEED_APPROVAL = { requireApproval: [{ actions: ['rerun_failed_jobs'] }] };
export const isPush = (i: number) => i % 2 === 0;

/** Failure `i`: a push to main (even `i`) or a pull request's run (odd `i`), of its own workflow. */
export function failure(i: number, onlyPullRequests: boolean): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  run.id = RUN_BASE + i;
  run.workflow_id = RUN_BASE + i;
  if (isPush(i) && !onlyPullRequests) {
    Object.assign(run, { event: 'push', head_branch: 'main', pull_requests: [] });
  } else {
    const repository = webhook.body.repository as { id: number; name: string };
    const repo = { id: repository.id, name: repository.name };
    run.pull_requests = [{ number: PR_BASE + i, head: { ref: `b${i}`, sha: run.head_sha, repo }, base: { ref: 'main', sha: run.head_sha, repo } }];
  }
  webhook.headers['x-github-delivery'] = `chaos-crash-point-${i}`;
  return webhook;
}

/**
 * The green run that fixes pull request failure `i`: a later run of the same workflow and branch (run
 * RUN_BASE + FAILURES + i), on the same pull request.
 */
export function green(i: number): RecordedWebhook {
  const webhook = structuredClone(loadWebhook('workflow_run-success'));
  const run = webhook.body.workflow_run as Record<string, unknown>;
  const failed = failure(i, true).body.workflow_run as Record<string, unknown>;
  Object.assign(run, { id: RUN_BASE + FAILURES + i, workflow_id: failed.workflow_id, head_branch: failed.head_branch, pull_requests: failed.pull_requests });
  webhook.headers['x-github-delivery'] = `chaos-crash-point-green-${i}`;
  return webhook;
}

/** A `/guard …` command `login` wrote on failure `i`'s pull request (comment `commentId`), as GitHub delivers it. */
export function commandComment(i: number, command: string, login: string, commentId: number, deliveryId: string): RecordedWebhook {
  const repository = loadWebhook('workflow_run-failure').body.repository as Record<string, unknown>;
  return {
    headers: { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-github-delivery': deliveryId },
    body: {
      action: 'created',
      issue: { number: PR_BASE + i, pull_request: { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${PR_BASE + i}` } },
      comment: { id: commentId, body: command, user: { login, type: 'User' }, author_association: 'OWNER' },
      repository,
    },
  };
}

export async function post(url: string, webhook: RecordedWebhook) {
  const signed = signWebhook(webhook, SECRET);
  const response = await fetch(`${url}/webhooks/github`, { method: 'POST', headers: signed.headers, body: signed.body });
  return { status: response.status, body: (await response.json()) as { incidentId?: string; duplicate?: boolean; redriven?: string } };
}

export async function incidentOf(url: string, id: string): Promise<Incident> {
  return pollJson<Incident>(`${url}/incidents/${id}`);
}

/** Polls until `done` holds for every id or the deadline passes; the ids it never held for. */
export async function waitUntil(url: string, ids: string[], done: (incident: Incident) => boolean, deadline: number): Promise<string[]> {
  let pending = [...ids];
  while (pending.length > 0 && Date.now() < deadline) {
    const states = await Promise.all(pending.map((id) => incidentOf(url, id)));
    pending = pending.filter((_, k) => !done(states[k] as Incident));
    if (pending.length > 0) await sleep(250);
  }
  return pending;
}

/**
 * The fake GitHub's side of the batch: each run completed, with one failed job whose log is a distinct failing test
 * (or, with `networkFailures`, a distinct network error): distinct problems, each of which pages once (letters: the
 * fingerprint masks numbers). Maintainers may approve and vote.
 */
export async function serveFailures(github: FakeGitHub, networkFailures: boolean): Promise<void> {
  github.login = BOT_LOGIN;
  // An App without Contents read: a push's failure cannot be explained on its commit, so each that needs a human
  // pages, as the crash points count (with the permission, a comment on the commit tells its author instead).
  github.refuseCommitComments = true;
  github.permissions.set('maintainer', 'write');
  const log = await readFile(join(root, 'events', 'logs', networkFailures ? 'github-actions-npm-network-failure.log' : 'github-actions-jest-failure.log'), 'utf8');
  for (let i = 0; i < FAILURES; i++) {
    github.runs.set(RUN_BASE + i, { status: 'completed', run_attempt: 1 });
    github.jobs.set(`${RUN_BASE + i}/1`, [{ id: JOB_BASE + i, name: 'test', conclusion: 'failure' }]);
    const name = [...String(i)].map((digit) => String.fromCharCode(97 + Number(digit))).join('');
    github.logs.set(JOB_BASE + i, { content: log.replaceAll('applies the discount', `applies discount ${name}`).replaceAll('network aborted', `network aborted ${name}`) });
  }
}

/**
 * The settings of `npm start` for a crash point: against the fake GitHub, the offline analyzer (its verdict for a
 * network failure is what an automatic re-run needs; the model's is capped), and room for every failure's re-run in
 * the hour (the crash, not the rate limit, is what is measured). `extra` adds or overrides.
 */
export function crashPointEnv(github: FakeGitHub, policyDefaults: Record<string, unknown> = {}, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...againstFakeGitHub(github),
    GITHUB_RERUNS_PER_MINUTE: '10000',
    GITHUB_WEBHOOK_SECRET: SECRET,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ANALYZER: 'offline',
    RERUN_MIN_CONFIDENCE: '0.3',
    POLICY_JSON: JSON.stringify({ defaults: { rateLimits: { perHour: 1000, perDay: 1000 }, ...policyDefaults } }),
    ...extra,
  };
}

/** What the batch left: the pages in the outbox, the comments and re-runs on the fake GitHub. */
/** The child's embedded store, reached as `guard` reaches it (its runtime.json): the incidents table as `table`. */
export async function childStore(dataDir: string) {
  const info = runtimeInfoSchema.parse(JSON.parse(await readFile(join(dataDir, RUNTIME_FILE), 'utf8')));
  return { client: createDocumentClient({ region: info.region, endpoint: info.dynamodbEndpoint }), table: info.tables.incidents, tables: info.tables };
}

/**
 * The batch's repository's metrics in the restarted runtime's store: the incidents its knowledge stage counted (each
 * accepted failure once, whatever the kill interrupted) and the count marks still on the item (those of a delivery
 * the kill caught while it counted stay for the mark window: shared/stores/count-marks.ts).
 */
export async function repositoryCounts(dataDir: string): Promise<{ incidents: number; marks: number }> {
  const { client, tables } = await childStore(dataDir);
  try {
    const item = (await client.send(new GetCommand({ TableName: tables.baselines, Key: baselineKeys.metrics(REPOSITORY), ConsistentRead: true }))).Item ?? {};
    return { incidents: Number(item.incidents ?? 0), marks: countMarksOn(item).length };
  } finally {
    client.destroy();
  }
}

export async function leftByBatch(dataDir: string, github: FakeGitHub) {
  const pages = (await readOutbox(join(dataDir, 'outbox.jsonl'))).filter((e) => e.kind === 'escalation');
  return {
    pages,
    pagesOf: (id: string) => pages.filter((e) => String(e.message).includes(`Incident: ${id} `)).length,
    commentsOn: (i: number) => (github.comments.get(PR_BASE + i) ?? []).length,
    rerunsOf: (i: number) => github.reruns.filter((r) => r.runId === RUN_BASE + i).length,
  };
}
