import { beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { experimentReport } from '../../shared/experiments/report.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { githubIncidentScope } from '../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { learningOn } from '../support/learning.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * GitHub sends no webhook for reactions: the guard reads the 👍/👎 on its comment when it touches the comment again.
 * A vote made after the last touch was never read, and a `positive_feedback` experiment's unit lost it. The
 * reconciler reads them once for a unit whose deadline has passed, bounded per run.
 */
const WINDOW_MINUTES = 60;
const harness = useLocalRuntime({
  secret: 'late-reactions-secret',
  github: { auth: 'token' },
  // The runs are the test's, at the times it names: no timer run in between. One incident's reactions a run.
  env: { RECONCILE_INTERVAL_SECONDS: '86400', RECONCILE_MAX_REACTION_READS_PER_RUN: '1' },
});

beforeAll(() => {
  harness.github.permissions.set('maya', 'write');
});

/** A reaction as GitHub lists it. */
function reaction(login: string, content: '+1' | '-1', at: Date) {
  return { id: Math.floor(Math.random() * 1e9), node_id: 'REA_x', content, created_at: at.toISOString(), user: { login, id: 1, type: 'User' } };
}

let units = 0;

/**
 * A `positive_feedback` experiment and one failing pull request assigned to it, notified at `failedAt` (the guard's
 * comment written then, and not touched since).
 */
async function unitNotifiedAt(failedAt: Date) {
  units += 1;
  const client = createDocumentClient({ region: 'us-east-1', endpoint: harness.runtime.env.DYNAMODB_ENDPOINT as string });
  const learning = learningOn(client, () => failedAt);
  const fingerprint = `feed${units}`.padEnd(12, '0');
  const id = `late-${units}`;
  await learning.experiments.create(
    { id, fingerprints: [fingerprint], variants: [{ name: 'short', action: 'comment_only', weight: 1, params: { commentDetail: 'short' } }, { name: 'full', action: 'comment_only', weight: 1 }], metric: { kind: 'positive_feedback', minutes: WINDOW_MINUTES }, minSamplePerVariant: 5 },
    failedAt,
  );
  const commentId = 9_000 + units;
  const incidentId = `gh-2-${8000 + units}-1`;
  const repository = `octo/late-${units}`;
  const created = newIncident(
    {
      id: incidentId, source: 'github', status: 'notified', repository, workflowName: 'CI', runId: 8000 + units, runAttempt: 1, headSha: String(units).padStart(40, 'd'),
      category: 'test_failure', fingerprint, fromFork: false, failedAt: failedAt.toISOString(), pullRequest: 7, installationId: null,
      notifications: [{ channel: 'github_comment', target: `${repository}#7`, outcome: 'created', detail: null, at: failedAt.toISOString(), commentId }],
    },
    failedAt,
  );
  const incidents = harness.runtime.incidents;
  await incidents.create(created, null);
  // Knowledge lookup assigns it to the experiment, as the pipeline does.
  const { experiment } = await learning.lookup(created, summarizeHistory(created, []));
  await incidents.update(incidentId, { experiment });
  return {
    commentId,
    incidentId,
    /** The unit's outcome once final, and the incident's feedback counters. */
    async outcome() {
      const report = await experimentReport(learning.experiments, id, new Date(failedAt.getTime() + 3 * WINDOW_MINUTES * 60_000));
      const arm = report.results.find((result) => result.name === experiment?.variant);
      const stored = (await incidents.get(incidentId)) as Incident;
      return { final: arm?.attempts, success: arm?.successes, up: stored.feedbackUp ?? 0 };
    },
  };
}

const minutesAfter = (at: Date, n: number) => new Date(at.getTime() + n * 60_000);
const reactionReads = () => harness.github.requests.filter((r) => r.method === 'GET' && /\/reactions$/.test(r.route)).length;

describe('the reconciler reads reactions nobody read before their unit was final', () => {
  it('counts a 👍 made after the guard last touched its comment once the deadline passed, and nothing twice on the next run', async () => {
    // Prepare: failed and commented on 30 minutes ago; maya 👍 five minutes after the comment, and nothing touched it since
    const failedAt = minutesAfter(new Date(), -30);
    const unit = await unitNotifiedAt(failedAt);
    harness.github.reactions.set(unit.commentId, [reaction('maya', '+1', minutesAfter(failedAt, 5))]);

    // Act: a run before the deadline, one after it, and one more
    const early = await harness.runtime.reconcile(minutesAfter(failedAt, 40));
    const late = await harness.runtime.reconcile(minutesAfter(failedAt, 70));
    const again = await harness.runtime.reconcile(minutesAfter(failedAt, 80));

    // Assert: counted once, by the one run after the deadline
    expect(await unit.outcome()).toEqual({ final: 1, success: 1, up: 1 });
    expect([early, late, again].map((run) => run.reactions?.read)).toEqual([[], [unit.incidentId], []]);
  });

  it('reads at most RECONCILE_MAX_REACTION_READS_PER_RUN incidents a run; the others wait for the next', async () => {
    const failedAt = minutesAfter(new Date(), -90);
    const first = await unitNotifiedAt(failedAt);
    const second = await unitNotifiedAt(failedAt);
    for (const unit of [first, second]) harness.github.reactions.set(unit.commentId, [reaction('maya', '+1', minutesAfter(failedAt, 5))]);

    const runs = [];
    for (let run = 0; run < 3; run += 1) runs.push((await harness.runtime.reconcile(minutesAfter(failedAt, 70 + run))).reactions?.read);

    expect(runs).toEqual([[first.incidentId], [second.incidentId], []]);
    expect([await first.outcome(), await second.outcome()]).toEqual([{ final: 1, success: 1, up: 1 }, { final: 1, success: 1, up: 1 }]);
  });

  it('leaves a unit alone whose comment the guard touched after the deadline: its reactions were read then', async () => {
    const failedAt = minutesAfter(new Date(), -150);
    const unit = await unitNotifiedAt(failedAt);
    const touched = minutesAfter(failedAt, 65).toISOString();
    await harness.runtime.incidents.update(unit.incidentId, {}, {
      notifications: [{ channel: 'github_comment', target: 'octo/late#7', outcome: 'updated', detail: 'recovery', at: touched, commentId: unit.commentId }],
    });
    const before = reactionReads();

    const run = await harness.runtime.reconcile(minutesAfter(failedAt, 70));

    expect(run.reactions?.read).toEqual([]);
    expect(reactionReads()).toBe(before);
  });
});

describe('a recovery that could not read the reactions on its comment', () => {
  it('leaves them to the reconciler, which counts a writer’s 👍 once', async () => {
    // Prepare: a failure commented on an hour ago, maya's 👍 on the comment, and GitHub failing every reaction list
    const failedAt = minutesAfter(new Date(), -60);
    const green = loadWebhook('workflow_run-success');
    const run = green.body.workflow_run as Record<string, unknown>;
    Object.assign(run, { id: 88_000_002, workflow_id: 88_000_000, head_branch: 'reactions-deferred', updated_at: new Date().toISOString() });
    green.headers['x-github-delivery'] = 'recovery-reactions-deferred';
    const scope = githubIncidentScope(triggerFromWorkflowRun(green.body as never, 'scope-of-the-green-run'));
    // The guard's comment on the pull request, which the recovery rewrites.
    const commentId = harness.github.addComment(7, harness.github.login, `${COMMENT_MARKER}\nPipeline Guard: CI failed`).id;
    const incidentId = 'gh-2-88000001-1';
    const repository = String((green.body.repository as { full_name: string }).full_name);
    await harness.runtime.incidents.create(
      newIncident(
        {
          id: incidentId, source: 'github', status: 'notified', repository, workflowName: 'CI', runId: 88_000_001, runAttempt: 1, headSha: 'e'.repeat(40),
          category: 'test_failure', fingerprint: 'defe11ed0000', fromFork: false, failedAt: failedAt.toISOString(), pullRequest: 7, installationId: null,
          notifications: [{ channel: 'github_comment', target: `${repository}#7`, outcome: 'created', detail: null, at: failedAt.toISOString(), commentId }],
        },
        failedAt,
      ),
      scope,
    );
    harness.github.reactions.set(commentId, [reaction('maya', '+1', minutesAfter(failedAt, 5))]);
    harness.github.fail({ method: 'GET', route: /\/issues\/comments\/\d+\/reactions$/, times: Infinity, reply: { status: 502, body: { message: 'Bad Gateway' } } });

    // Act: the green run is recorded while GitHub fails; GitHub answers again; the reconciler runs twice
    await deliverWebhook(harness.runtime.url, green, harness.runtime.webhookSecret);
    await harness.runtime.idle();
    const resolved = (await harness.runtime.incidents.get(incidentId)) as Incident;
    harness.github.clearFaults();
    const later = await harness.runtime.reconcile(minutesAfter(new Date(), 2));
    const again = await harness.runtime.reconcile(minutesAfter(new Date(), 3));

    // Assert: recorded resolved without the vote; the reconciler read it once and counted it once
    expect({ status: resolved.status, up: resolved.feedbackUp ?? 0 }).toEqual({ status: 'resolved', up: 0 });
    expect([later.reactions?.read, again.reactions?.read]).toEqual([[incidentId], []]);
    expect(((await harness.runtime.incidents.get(incidentId)) as Incident).feedbackUp).toBe(1);
  });
});
