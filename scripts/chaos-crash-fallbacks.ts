/**
 * Crash points of `npm run chaos -- crash-points` on the paths the pipeline's own crash points do not reach: the
 * fallbacks, the escalation ledger's claimed pages, redeliveries and votes. `npm start` (a child process) is killed
 * with SIGKILL at the moment, then started again on the same GUARD_DATA_DIR:
 *
 *   notify-failed            Notify failed for good on every incident (GitHub refuses the PR comments) and
 *                            RecordNotifyFailed marked them; before the reconciler's page
 *   notify-failed-claimed    the reconciler claimed that page in the escalation ledger; its publish hangs (the outbox
 *                            is a named pipe nobody reads)
 *   notify-failed-published  the page is in the outbox; the chat webhook beside it hangs, so it is not recorded
 *   page-claimed             Notify's pages of the push failures claimed, their publishes hanging as above
 *   page-published           Notify's pages published, the chat webhook hanging, nothing recorded
 *   approval-claimed         every failure's re-run waits for approval; the pushes' e-mailed requests claimed in the
 *                            escalation ledger, their publishes hanging as above
 *   approval-published       the same requests published, the chat webhook hanging, nothing recorded
 *   deferred-start           incidents ingest recorded but could not start (`"start": "deferred"`), started by the
 *                            reconciler, killed while their executions classify; after the restart GitHub redelivers
 *                            every failure at once
 *   duplicates               every failure delivered three times at the same moment (its delivery twice, and the
 *                            same run under another delivery id), killed while classifying; after the restart all
 *                            three again at once
 *   votes                    `/guard feedback up` from three maintainers on every incident, killed once half were
 *                            answered (some between a vote's record and its counters); after the restart every
 *                            command delivered twice at once, and the reconciler finishes the pending changes
 *
 * Every accepted failure must end recorded and notified (by the reconciler's fallback where Notify failed; for the
 * approval points, asked and waiting), each push failure paged once (twice at most where the crash came after the page
 * or the approval e-mail went out and before it was recorded: the ledger's one re-send), the notify-failed page once per window (twice at most likewise), at most one comment per
 * pull request, one incident per run, no re-run; for `votes`, every maintainer's vote recorded and counted once on its
 * incident, none lost (see votesCounted).
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { triggerFromWorkflowRun } from '../shared/ingest/github-webhook.js';
import { entryKey } from '../shared/knowledge/store.js';
import { learnedKeyOf } from '../shared/knowledge/scope.js';
import { NOTIFY_FAILED_KEY } from '../shared/reconcile/notify-failed.js';
import { escalationLedgerKey } from '../shared/stores/escalation-ledger.js';
import { incidentKey } from '../shared/stores/incident-store.js';
import { FakeGitHub } from '../test/support/fake-github.js';
import { writeLeftBehind } from '../test/support/left-behind.js';
import { exited, startChild, stopBoth } from './chaos-child.js';
import {
  DEADLINE_MS, FAILURES, type Incident, PR_BASE, RERUNS_NEED_APPROVAL, SLOTS, asked, childStore, commandComment, crashPointEnv, failure, incidentOf, isPush, leftByBatch,
  post, serveFailures, sleep, waitUntil,
} from './chaos-crash-batch.js';

export const FALLBACK_POINTS = [
  'notify-failed', 'notify-failed-claimed', 'notify-failed-published', 'page-claimed', 'page-published', 'approval-claimed', 'approval-published',
  'deferred-start', 'duplicates', 'votes',
] as const;
export type FallbackPoint = (typeof FALLBACK_POINTS)[number];

/** Incidents untouched for this long are the reconciler's (its smallest setting), and it looks every second. */
const RECONCILER = { RECONCILE_AFTER_MINUTES: '1', RECONCILE_INTERVAL_SECONDS: '1' };
/** Up to this long for the moment to come: the reconciler's page comes a minute after the incidents were marked. */
const REACH_MS = 150_000;
const VOTERS = ['maintainer-a', 'maintainer-b', 'maintainer-c'];

interface StoredIncident extends Incident {
  notifyFailed?: boolean;
  notifiedByFallback?: boolean;
  feedbackUp?: number;
  fingerprint?: string | null;
  source?: 'github' | 'cloudwatch';
  repositoryId?: number | null;
  executionAttempt?: number;
}

/** A chat incoming webhook beside the outbox: answers 200, or while `hanging`, takes each message and never answers. */
async function startChatWebhook() {
  const received: string[] = [];
  const held: ServerResponse[] = [];
  let hanging = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      if (hanging) held.push(res);
      else res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/chaos`,
    received,
    hang(value: boolean) {
      hanging = value;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
type ChatWebhook = Awaited<ReturnType<typeof startChatWebhook>>;

/**
 * The outbox (the local stand-in for SNS) as a named pipe nobody reads: a publish blocks opening it, after the
 * escalation ledger claimed its send. Blocked opens hold libuv threads, so the child gets enough of them.
 */
function stallOutbox(dataDir: string) {
  execFileSync('mkfifo', [join(dataDir, 'outbox.jsonl')]);
}

/** A stalled outbox goes with the crash (nothing got through it): the restarted runtime writes a plain one again. */
async function unstallOutbox(dataDir: string) {
  const outbox = join(dataDir, 'outbox.jsonl');
  if ((await lstat(outbox).catch(() => null))?.isFIFO()) await rm(outbox);
}

/** Escalation ledger items whose send was claimed (the notify-failed problem apart from the rest). */
async function claimedPages(dataDir: string): Promise<{ notifyFailed: number; others: number }> {
  const { client, table } = await childStore(dataDir);
  try {
    const { Items = [] } = await client.send(
      new ScanCommand({ TableName: table, FilterExpression: 'begins_with(pk, :prefix) AND sends >= :one', ExpressionAttributeValues: { ':prefix': 'ESCALATION#', ':one': 1 } }),
    );
    const notifyFailed = Items.filter((item) => item.pk === escalationLedgerKey(NOTIFY_FAILED_KEY).pk).length;
    return { notifyFailed, others: Items.length - notifyFailed };
  } finally {
    client.destroy();
  }
}

interface Run {
  github: FakeGitHub;
  chat: ChatWebhook;
  dataDir: string;
  /** The running child's URL (the restarted one's after the restart). */
  url: string;
  ids: string[];
  /** Answers that named another incident than the first delivery of their run, or re-drove one. */
  strayAnswers: number;
  /** Runs delivered at once whose every answer said `duplicate`, none that it was new. */
  answeredOnlyDuplicate: number;
  /** Deliveries sent to the first start without waiting for them (votes), and how many were answered. */
  inFlight: Promise<unknown>[];
  answered: number;
  unansweredAtKill: number;
}

interface Scenario {
  onlyPullRequests: boolean;
  /** Every failure a network error whose automatic re-run waits for a person's approval. */
  approvals?: boolean;
  /** Settings of both starts, beyond crashPointEnv's. */
  env?: Record<string, string>;
  /** Before the first start: faults, a stalled outbox, incidents left behind. */
  prepare?(run: Run): Promise<void>;
  /** Sends the batch to the first start; by default each failure once, one after the other. */
  deliver?(run: Run): Promise<void>;
  /** The moment to kill at. */
  reached(run: Run): Promise<boolean>;
  /** After the restart: what GitHub or people send again; the ids it did not end. */
  afterRestart?(run: Run): Promise<string[]>;
  /** When an incident has ended; by default, notified (or resolved). */
  ended?(incident: StoredIncident): boolean;
  /** Pages each push failure may get (by default exactly one), and notify-failed pages in all (none): [fewest, most]. */
  pagesPerPush?: readonly [number, number];
  notifyFailedPages?: readonly [number, number];
  /** Figures of its own, and whether they hold. */
  check?(run: Run): Promise<{ figures: Record<string, number>; ok: boolean }>;
}

const notified = (incident: StoredIncident) => incident.status === 'notified' || incident.status === 'resolved';
const notifiedByFallback = (incident: StoredIncident) => incident.status === 'notified' && incident.notifiedByFallback === true && !incident.notifyFailed;
const hungOn = (github: FakeGitHub, route: RegExp, method = 'GET') => github.requests.filter((r) => r.method === method && route.test(r.route)).length;
const JOBS = /\/jobs$/;
const COMMENTS = /\/issues\/\d+\/comments$/;
/** GitHub refuses every PR comment for good: Notify fails on every pull request's incident. */
const refuseComments = (github: FakeGitHub) => github.fail({ method: 'POST', route: COMMENTS, times: Infinity, reply: { status: 422, body: { message: 'Validation Failed' } } });
/** The job listings hang: the executions stop in classify, as many as there are task slots. */
const classifyHangs = { prepare: async (run: Run) => run.github.fail({ method: 'GET', route: JOBS, kind: 'hang', times: Infinity }) };
const classifying = async (run: Run) => hungOn(run.github, JOBS) >= Math.min(FAILURES, SLOTS);
/** After the restart GitHub redelivers every failure, three times at once. */
const redeliveredThreeTimes = async (run: Run) => {
  await deliverThreeAtOnce(run, run.ids);
  return [];
};

async function deliverEach(run: Run, onlyPullRequests: boolean) {
  for (let i = 0; i < FAILURES; i++) {
    const response = await post(run.url, failure(i, onlyPullRequests));
    if (response.status === 202 && response.body.incidentId) run.ids.push(response.body.incidentId);
  }
}

/** Failure `i` under its own delivery id and under another one: GitHub's redelivery, and the same run sent twice. */
function threeAtOnce(i: number) {
  const again = failure(i, false);
  again.headers['x-github-delivery'] = `chaos-crash-point-${i}-again`;
  return [failure(i, false), failure(i, false), again];
}

/** Delivers every failure three times at once; each answer must name the run's one incident and re-drive nothing. */
async function deliverThreeAtOnce(run: Run, known: string[]) {
  const answers = await Promise.all(Array.from({ length: FAILURES }, (_, i) => Promise.all(threeAtOnce(i).map((webhook) => post(run.url, webhook)))));
  for (const [i, three] of answers.entries()) {
    const expected = known[i] ?? three[0]?.body.incidentId;
    run.strayAnswers += three.filter((answer) => answer.status !== 202 || answer.body.incidentId !== expected || 'redriven' in answer.body).length;
    if (known.length === 0 && !three.some((answer) => answer.body.duplicate === false)) run.answeredOnlyDuplicate += 1;
    if (known.length === 0 && expected) run.ids.push(expected);
  }
}

/** The `/guard feedback up` of voter `v` on incident `i`, as GitHub delivers it. */
const vote = (run: Run, i: number, v: number) =>
  commandComment(i, `/guard feedback up ${run.ids[i]}`, VOTERS[v] as string, 95_000 + i * VOTERS.length + v, `chaos-vote-${i}-${v}`);

/**
 * Every maintainer's vote recorded and counted exactly once on its incident, none lost: a vote the kill caught between
 * its record and its counters is pending on its vote item, and the restarted runtime's reconciler finishes it once it
 * is RECONCILE_AFTER_MINUTES old (shared/knowledge/votes.ts); a redelivery finds the vote recorded and counts nothing.
 * The knowledge entries likewise, or once more for a vote the kill caught after that counter's write and before its
 * mark (the documented bound), at most one per vote unanswered at the kill. Waits for the reconciler's run.
 */
async function votesCounted(run: Run) {
  const until = Date.now() + REACH_MS;
  for (;;) {
    const counted = await votesCountedNow(run);
    if (counted.ok || Date.now() > until) return counted;
    await sleep(1000);
  }
}

async function votesCountedNow(run: Run) {
  const incidents = await Promise.all(run.ids.map((id) => incidentOf(run.url, id) as Promise<StoredIncident>));
  const { client, table } = await childStore(run.dataDir);
  try {
    // Votes count on the entry the incident's repository learned (`KB#<fingerprint>` / `ENTRY#repo:<id>`).
    const byEntry = new Map<string, { key: ReturnType<typeof entryKey>; expected: number }>();
    for (const incident of incidents) {
      const learned = learnedKeyOf({ source: incident.source ?? 'github', repositoryId: incident.repositoryId ?? null, fingerprint: incident.fingerprint ?? null });
      if (!learned) continue;
      const key = entryKey(learned.fingerprint, learned.scope);
      const id = `${key.pk}/${key.sk}`;
      byEntry.set(id, { key, expected: (byEntry.get(id)?.expected ?? 0) + VOTERS.length });
    }
    let onKnowledge = 0;
    let entriesOverCounted = 0;
    for (const { key, expected } of byEntry.values()) {
      const entry = (await client.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item;
      onKnowledge += Number(entry?.feedbackUp ?? 0);
      if (Number(entry?.feedbackUp ?? 0) > expected) entriesOverCounted += 1;
    }
    const stored = await Promise.all(run.ids.map(async (id) => {
      const { Count = 0 } = await client.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :feedback)', ExpressionAttributeValues: { ':pk': incidentKey(id).pk, ':feedback': 'FEEDBACK#' }, ConsistentRead: true }),
      );
      return Count;
    }));
    const sent = run.ids.length * VOTERS.length;
    const onIncidents = incidents.reduce((sum, incident) => sum + (incident.feedbackUp ?? 0), 0);
    const figures = {
      votesSent: sent,
      votesRecorded: stored.reduce((a, b) => a + b, 0),
      votesUnansweredAtKill: run.unansweredAtKill,
      votesOnIncidents: onIncidents,
      votesOnKnowledge: onKnowledge,
      incidentsOverCounted: incidents.filter((incident) => (incident.feedbackUp ?? 0) > VOTERS.length).length,
      knowledgeEntriesOverCounted: entriesOverCounted,
    };
    const ok = figures.votesRecorded === sent && figures.incidentsOverCounted === 0 && onIncidents === sent &&
      onKnowledge >= sent && onKnowledge - sent <= run.unansweredAtKill;
    return { figures, ok };
  } finally {
    client.destroy();
  }
}

const SCENARIOS: Record<FallbackPoint, Scenario> = {
  'notify-failed': {
    onlyPullRequests: true,
    env: RECONCILER,
    prepare: async ({ github }) => refuseComments(github),
    reached: async (run) => (await Promise.all(run.ids.map((id) => incidentOf(run.url, id) as Promise<StoredIncident>))).every((incident) => incident.notifyFailed === true),
    ended: notifiedByFallback,
    notifyFailedPages: [1, 1],
  },
  'notify-failed-claimed': {
    onlyPullRequests: true,
    env: { ...RECONCILER, UV_THREADPOOL_SIZE: '64' },
    prepare: async ({ github, dataDir }) => {
      refuseComments(github);
      stallOutbox(dataDir);
    },
    reached: async ({ dataDir }) => (await claimedPages(dataDir)).notifyFailed > 0,
    ended: notifiedByFallback,
    notifyFailedPages: [1, 1],
  },
  'notify-failed-published': {
    onlyPullRequests: true,
    env: RECONCILER,
    prepare: async ({ github, chat }) => {
      refuseComments(github);
      chat.hang(true);
    },
    reached: async ({ chat }) => chat.received.length > 0,
    ended: notifiedByFallback,
    notifyFailedPages: [1, 2],
  },
  'page-claimed': {
    onlyPullRequests: false,
    env: { UV_THREADPOOL_SIZE: '64' },
    prepare: async ({ dataDir }) => stallOutbox(dataDir),
    reached: async ({ dataDir }) => (await claimedPages(dataDir)).others >= Math.ceil(FAILURES / 2),
  },
  'page-published': {
    onlyPullRequests: false,
    prepare: async ({ chat }) => chat.hang(true),
    reached: async ({ chat }) => chat.received.length >= Math.ceil(FAILURES / 2),
    pagesPerPush: [1, 2],
  },
  'approval-claimed': {
    onlyPullRequests: false,
    approvals: true,
    env: { UV_THREADPOOL_SIZE: '64' },
    prepare: async ({ dataDir }) => stallOutbox(dataDir),
    reached: async ({ dataDir }) => (await claimedPages(dataDir)).others >= Math.ceil(FAILURES / 2),
    ended: asked,
  },
  'approval-published': {
    onlyPullRequests: false,
    approvals: true,
    prepare: async ({ chat }) => chat.hang(true),
    reached: async ({ chat }) => chat.received.length >= Math.ceil(FAILURES / 2),
    ended: asked,
    pagesPerPush: [1, 2],
  },
  'deferred-start': {
    onlyPullRequests: false,
    env: RECONCILER,
    prepare: async (run) => {
      // What ingest leaves when StartExecution fails: the incident with its trigger, no execution, answered 202.
      const at = new Date(Date.now() - 5 * 60_000);
      const triggers = Array.from({ length: FAILURES }, (_, i) => {
        const webhook = failure(i, false);
        return triggerFromWorkflowRun(webhook.body as never, webhook.headers['x-github-delivery'] as string);
      });
      await writeLeftBehind(run.dataDir, { incidents: triggers.map((trigger) => ({ trigger, at, execution: null })) });
      run.ids.push(...triggers.map((trigger) => trigger.incidentId));
      await classifyHangs.prepare(run);
    },
    deliver: async () => {},
    reached: classifying,
    afterRestart: redeliveredThreeTimes,
  },
  duplicates: {
    onlyPullRequests: false,
    ...classifyHangs,
    deliver: (run) => deliverThreeAtOnce(run, []),
    reached: classifying,
    afterRestart: redeliveredThreeTimes,
    check: async (run) => {
      const incidents = await Promise.all(run.ids.map((id) => incidentOf(run.url, id) as Promise<StoredIncident>));
      const redriven = incidents.filter((incident) => (incident.executionAttempt ?? 0) > 0).length;
      return { figures: { incidents: new Set(run.ids).size, redriven }, ok: new Set(run.ids).size === FAILURES && redriven === 0 };
    },
  },
  votes: {
    onlyPullRequests: true,
    env: RECONCILER,
    prepare: async ({ github }) => {
      for (const voter of VOTERS) github.permissions.set(voter, 'write');
    },
    deliver: async (run) => {
      await deliverEach(run, true);
      const unnotified = await waitUntil(run.url, run.ids, notified, Date.now() + DEADLINE_MS);
      if (unnotified.length > 0) throw new Error(`${unnotified.length} failures were never notified before the votes`);
      for (let i = 0; i < run.ids.length; i++) {
        for (let v = 0; v < VOTERS.length; v++) {
          // The connection dies with the process: a vote not answered is one GitHub redelivers.
          run.inFlight.push(post(run.url, vote(run, i, v)).then(() => (run.answered += 1), () => null));
        }
      }
    },
    reached: async (run) => run.answered >= run.inFlight.length / 2,
    afterRestart: async (run) => {
      // Each twice at the same moment: GitHub's redelivery racing the maintainer's own retry.
      await Promise.all(run.ids.flatMap((_, i) => VOTERS.flatMap((_, v) => [post(run.url, vote(run, i, v)), post(run.url, vote(run, i, v))])));
      return [];
    },
    check: votesCounted,
  },
};

export async function crashAtFallback(point: FallbackPoint): Promise<boolean> {
  const scenario = SCENARIOS[point];
  const github = await FakeGitHub.start();
  await serveFailures(github, scenario.approvals === true);
  const chat = await startChatWebhook();
  const dataDir = await mkdtemp(join(tmpdir(), `guard-chaos-crash-${point}-`));
  const env = crashPointEnv(github, scenario.approvals ? RERUNS_NEED_APPROVAL : {}, { CHAT_WEBHOOK_URL: chat.url, ...scenario.env });
  const run: Run = { github, chat, dataDir, url: '', ids: [], strayAnswers: 0, answeredOnlyDuplicate: 0, inFlight: [], answered: 0, unansweredAtKill: 0 };
  let first: ChildProcess | undefined;
  let second: ChildProcess | undefined;
  try {
    await scenario.prepare?.(run);
    const started = await startChild(dataDir, env);
    first = started.child;
    run.url = started.url;
    await (scenario.deliver ?? ((r: Run) => deliverEach(r, scenario.onlyPullRequests)))(run);
    const cutAt = Date.now() + REACH_MS;
    while (!(await scenario.reached(run)) && Date.now() < cutAt) await sleep(50);
    const reached = Date.now() < cutAt;
    run.unansweredAtKill = run.inFlight.length - run.answered;
    first.kill('SIGKILL');
    await exited(first);
    await Promise.all(run.inFlight);
    github.clearFaults();
    chat.hang(false);
    await unstallOutbox(dataDir);

    const restartedAt = Date.now();
    const restarted = await startChild(dataDir, env);
    second = restarted.child;
    run.url = restarted.url;
    const strayLost = (await scenario.afterRestart?.(run)) ?? [];
    const lost = [...strayLost, ...(await waitUntil(restarted.url, run.ids, scenario.ended ?? notified, restartedAt + DEADLINE_MS))];

    const { pages, pagesOf, commentsOn, rerunsOf } = await leftByBatch(dataDir, github);
    const pullRequest = (i: number) => scenario.onlyPullRequests || !isPush(i);
    const pushes = run.ids.filter((_, i) => !pullRequest(i));
    const pulls = run.ids.map((_, i) => i).filter(pullRequest);
    const notifyFailedPages = pages.filter((page) => (page.attributes as { kind?: string } | undefined)?.kind === 'notify-failed').length;
    const [fewest, most] = scenario.pagesPerPush ?? [1, 1];
    const [fewestNotifyFailed, mostNotifyFailed] = scenario.notifyFailedPages ?? [0, 0];
    const own = await scenario.check?.(run);
    const result = {
      point,
      reached,
      accepted: run.ids.length,
      ended: run.ids.length - lost.length,
      lost: lost.length,
      pushes: pushes.length,
      pagedWithinAllowance: pushes.filter((id) => pagesOf(id) >= fewest && pagesOf(id) <= most).length,
      pushPagesSentTwice: pushes.filter((id) => pagesOf(id) > 1).length,
      pages: pages.length,
      notifyFailedPages,
      pullRequests: pulls.length,
      commentedAtMostOnce: pulls.filter((i) => commentsOn(i) <= 1).length,
      comments: pulls.reduce((sum, i) => sum + commentsOn(i), 0),
      reruns: github.reruns.length,
      runsRerunTwice: run.ids.filter((_, i) => rerunsOf(i) > 1).length,
      strayAnswers: run.strayAnswers,
      answeredOnlyDuplicate: run.answeredOnlyDuplicate,
      ...own?.figures,
      secondsAfterRestart: Math.round((Date.now() - restartedAt) / 100) / 10,
    };
    console.log(`crash-points: ${JSON.stringify(result)}`);
    const passed = reached && run.ids.length === FAILURES && lost.length === 0 && result.pagedWithinAllowance === pushes.length &&
      notifyFailedPages >= fewestNotifyFailed && notifyFailedPages <= mostNotifyFailed &&
      result.commentedAtMostOnce === pulls.length && result.reruns === 0 && run.strayAnswers === 0 && (own?.ok ?? true);
    if (!passed) {
      for (const [i, id] of run.ids.entries()) {
        const incident = (await incidentOf(restarted.url, id)) as StoredIncident;
        const where = pullRequest(i) ? `PR #${PR_BASE + i} (${commentsOn(i)} comments)` : `push (${pagesOf(id)} pages)`;
        console.log(`  ${id} ${where} ${incident.status}${incident.notifyFailed ? ' notifyFailed' : ''}${incident.notifiedByFallback ? ' byFallback' : ''} votes ${incident.feedbackUp ?? 0}`);
      }
    }
    return passed;
  } finally {
    await stopBoth(first, second);
    await github.close();
    await chat.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
