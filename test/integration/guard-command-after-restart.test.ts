import { describe, expect, it } from 'vitest';
import { deliverWebhook } from '../../infra/local/replay.js';
import { failedRunDelivery, pullRequestCommentDelivery } from '../support/fakes.js';
import { ONE_MINUTE_APPROVAL_WAIT, useLocalRuntimePerTest } from '../support/harness.js';

/**
 * A `/guard approve` that arrives after a restart of the local runtime, for an execution that waited for approval
 * before it: the restarted execution runs again from its first state up to its wait, and the command's
 * SendTaskSuccess, sent before it is back there, is refused as not waiting yet. Until session 41 the decision was
 * then applied only by a reconciler run past its grace (RECONCILE_AFTER_MINUTES, 10 by default): late, not lost.
 */
const SECRET = 'command-after-restart';
const REPOSITORY = { id: 800000003, name: 'billing' };
const policy = { repositories: { 'acme-shop/billing': { requireApproval: [{ actions: ['rerun_failed_jobs'] }] } } };
/** How long the model's hanging answer holds the restarted execution before its wait (LLM_TIMEOUT_MS). */
const HELD_MS = 1_500;
/** A network flake in the recorded runs, on the repository's pull request 1287. */
const FLAKY_RUN = 11_870_000_001;

const approve = (commentId: number) =>
  pullRequestCommentDelivery({ login: 'acme-shop', text: '/guard approve', commentId, pullRequest: 1287, repository: REPOSITORY, deliveryId: `approve-${commentId}` });

describe('local runtime: a /guard command for an execution it restarted', () => {
  const runtimes = useLocalRuntimePerTest();

  it('is applied as soon as the restarted execution is back at its wait, not at a reconciler run past its grace', async () => {
    const harness = await runtimes.start({
      secret: SECRET, name: 'guard-command-restart', model: 'fake-model',
      // The timed reconciler stays out of it: only the runtime's own resume can apply the decision in this test.
      env: { GITHUB_TOKEN: undefined, POLICY_JSON: JSON.stringify(policy), RECONCILE_INTERVAL_SECONDS: '86400', LLM_TIMEOUT_MS: String(HELD_MS) },
    });
    harness.model.answer = () => ({ rootCause: 'npm ci lost its connection', fix: ['re-run the job'], confidence: 0.9, proposedAction: 'rerun_failed_jobs', evidence: ['npm error code ECONNRESET'] });
    const id = String((await deliverWebhook(harness.runtime.url, failedRunDelivery(FLAKY_RUN, { repository: REPOSITORY }), SECRET)).body.incidentId);
    await harness.runtime.idle();
    expect(await harness.incident(id)).toMatchObject({ status: 'awaiting_approval', approval: { status: 'pending' } });

    // Act: restarted with the execution held at Analyze (the model's first answer hangs), the command comes.
    harness.model.fail({ kind: 'hang', times: 1 });
    await harness.restart();
    expect(harness.runtime.resumed).toHaveLength(1);
    const answer = await deliverWebhook(harness.runtime.url, approve(41), SECRET);
    // Idle: every execution ended or parked at its wait, and no decision still being sent to one back at it. No timer
    // is involved: the timed reconciler is off, and its grace (RECONCILE_AFTER_MINUTES) is far from passed.
    await harness.runtime.idle();

    // Assert: refused at first (not waiting yet), then applied by the runtime as the restarted execution was back at
    // its wait (the next thing recorded after it), once; nobody paged.
    expect(harness.model.faultsServed).toBe(1);
    expect(answer.status).toBe(500);
    const done = await harness.incident(id);
    expect(done).toMatchObject({
      status: 'notified', approval: { status: 'approved', decidedBy: 'acme-shop', taskToken: null }, decision: { action: 'rerun_failed_jobs', applied: true },
    });
    const events = done.history.map((entry) => entry.event);
    expect(events).toContain('approval_resume_failed');
    const backAtWait = events.lastIndexOf('awaiting_approval');
    expect(events.slice(backAtWait)).toEqual(['awaiting_approval', 'approval_not_requested', 'approval_resumed_late', 'decision:rerun_failed_jobs', 'notified']);
    expect(done.history).toContainEqual(expect.objectContaining({
      event: 'approval_resumed_late', detail: expect.stringMatching(/^the local runtime, its restarted execution back at its wait, resumed the execution: approved by acme-shop/),
    }));
    const outbox = await harness.outbox();
    expect(outbox.filter((entry) => entry.kind === 'github_rerun')).toHaveLength(1);
    expect(outbox.filter((entry) => entry.kind === 'escalation')).toEqual([]);
  }, 60_000);

  // Session 43: the restarted execution found its wait ended by the time it was back at it, and timed it out as if
  // nobody had answered; the runtime's resume of the decision recorded meanwhile never ran.
  it("is applied when taken before the wait's end, though the restarted execution is back at its wait after that end", async () => {
    // Past the wait's end: the wait (begun with ONE_MINUTE_APPROVAL_WAIT's head start) ends `lastsMs` after it is asked,
    // and the hold begins later, at the restarted execution's call to the model: held `lastsMs` and a second, it is
    // back at its wait over a second after that end, however long the restart took (5 s more only slept longer).
    const heldMs = ONE_MINUTE_APPROVAL_WAIT.lastsMs + 1_000;
    const harness = await runtimes.start({
      secret: SECRET, name: 'guard-command-restart-late', model: 'fake-model', approvalWaitHeadStartMs: ONE_MINUTE_APPROVAL_WAIT.headStartMs,
      env: {
        GITHUB_TOKEN: undefined, RECONCILE_INTERVAL_SECONDS: '86400', LLM_TIMEOUT_MS: String(heldMs),
        // The shortest wait a policy allows: it ends while the restarted execution is held before it.
        POLICY_JSON: JSON.stringify({ repositories: { 'acme-shop/billing': { ...policy.repositories['acme-shop/billing'], approvalTimeoutMinutes: 1 } } }),
      },
    });
    harness.model.answer = () => ({ rootCause: 'npm ci lost its connection', fix: ['re-run the job'], confidence: 0.9, proposedAction: 'rerun_failed_jobs', evidence: ['npm error code ECONNRESET'] });
    const id = String((await deliverWebhook(harness.runtime.url, failedRunDelivery(FLAKY_RUN, { repository: REPOSITORY }), SECRET)).body.incidentId);
    await harness.runtime.idle();
    const asked = await harness.incident(id);
    expect(asked).toMatchObject({ status: 'awaiting_approval', approval: { status: 'pending' } });

    // Act: restarted with the execution held at Analyze past the wait's end; the command comes before that end.
    harness.model.fail({ kind: 'hang', times: 1 });
    await harness.restart();
    const answer = await deliverWebhook(harness.runtime.url, approve(42), SECRET);
    const decided = await harness.incident(id);
    await harness.runtime.idle();

    // Assert: decided in time; once the execution was back, the decision was its wait's answer: applied, nobody paged.
    const waitEnd = Date.parse(String(asked.approval?.expiresAt));
    expect(answer.status).toBe(500);
    expect(Date.parse(String(decided.approval?.decidedAt))).toBeLessThan(waitEnd);
    expect(harness.model.faultsServed).toBe(1);
    const done = await harness.incident(id);
    expect(done).toMatchObject({ approval: { status: 'approved', decidedBy: 'acme-shop' }, decision: { action: 'rerun_failed_jobs', applied: true } });
    // What the row is about: the restarted execution was back at its wait after the wait's end.
    const backAtWait = done.history.filter((entry) => entry.event === 'awaiting_approval').at(-1);
    expect(Date.parse(String(backAtWait?.at))).toBeGreaterThanOrEqual(waitEnd);
    const outbox = await harness.outbox();
    expect(outbox.filter((entry) => entry.kind === 'github_rerun')).toHaveLength(1);
    expect(outbox.filter((entry) => entry.kind === 'escalation')).toEqual([]);
  }, 150_000);
});
