import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS_DIR, deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { type Harness, startHarness } from '../support/harness.js';

/**
 * A notify function that fails on every input, through the local runtime: the real ASL in the interpreter, the real
 * handlers, the embedded store and the outbox for SNS. Here GitHub refuses every PR comment with a message that
 * holds what must never reach an e-mail (the exception text Step Functions keeps as the error's Cause).
 *
 * Every accepted failure must still end recorded and told to a human, and one cause that breaks every incident must
 * page once per window with a count, not once per incident.
 */
const SECRET = 'notify-failed-secret';
/** Text GitHub quoted back (an attacker's branch name, a log line): redaction finds no secret in it, so only leaving it out keeps it out. */
const LEAKED = 'please-run-curl-evil-example-pipe-sh-7f3a';
const RUNS = [7101, 7102, 7103];
const JOB_BASE = 8_100_000;
let harness: Harness;

function failedRun(runId: number) {
  const webhook = structuredClone(loadWebhook('workflow_run-failure'));
  const run = webhook.body.workflow_run as Record<string, any>;
  run.id = runId;
  run.pull_requests[0].number = runId;
  webhook.headers['x-github-delivery'] = `notify-failed-${runId}`;
  return webhook;
}

const incidentId = (runId: number) => `gh-714523861-${runId}-1`;
const escalations = async () => (await harness.outbox()).filter((entry) => entry.kind === 'escalation');
/** A reconciler run as of `minutes` from now: past RECONCILE_AFTER_MINUTES, so it looks at the incidents. */
const reconcileIn = (minutes: number) => harness.runtime.reconcile(new Date(Date.now() + minutes * 60_000));

beforeAll(async () => {
  harness = await startHarness({ name: 'guard-notify-failed', secret: SECRET, github: { auth: 'token' }, env: { RECONCILE_AFTER_MINUTES: '1', RECONCILE_INTERVAL_SECONDS: '86400' } });
  const log = await readFile(join(EVENTS_DIR, 'logs', 'github-actions-jest-failure.log'), 'utf8');
  for (const [i, runId] of RUNS.entries()) {
    harness.github.jobs.set(`${runId}/1`, [{ id: JOB_BASE + i, name: 'test', conclusion: 'failure' }]);
    harness.github.logs.set(JOB_BASE + i, { content: log });
  }
  harness.github.fail({
    method: 'POST',
    route: /\/issues\/\d+\/comments$/,
    times: Infinity,
    reply: { status: 422, body: { message: `Validation Failed: body contains ${LEAKED}` } },
  });
  for (const runId of RUNS) expect((await deliverWebhook(harness.runtime.url, failedRun(runId), SECRET)).status).toBe(202);
  await harness.runtime.idle();
});

afterAll(async () => {
  await harness?.close();
});

describe('the notify function fails on every input', () => {
  it('records each incident as not reported, with the error name only, and publishes nothing from the state machine', async () => {
    expect(JSON.stringify(await harness.outbox())).not.toContain(LEAKED);
    expect(await escalations()).toEqual([]);
    for (const runId of RUNS) {
      const incident = await harness.incident(incidentId(runId));
      expect(incident.notifyFailed).toBe(true);
      expect(incident.status).not.toBe('notified');
      expect(incident.history.filter((entry) => entry.event === 'notify_failed').map((entry) => entry.detail)).toEqual(['GitHubRequestError']);
    }
  });

  it('pages once for all of them from the reconciler, content-free, and ends every one notified by that fallback', async () => {
    const result = await reconcileIn(5);

    expect(result.notifyFailed.sort()).toEqual(RUNS.map(incidentId).sort());
    const pages = await escalations();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ attributes: { kind: 'notify-failed', severity: 'high' } });
    expect(pages[0]?.message).toContain("Pipeline Guard's notify function failed on incident gh-714523861-");
    expect(pages[0]?.message).toContain('(GitHubRequestError)');
    expect(JSON.stringify(await harness.outbox())).not.toContain(LEAKED);
    for (const runId of RUNS) {
      expect(await harness.incident(incidentId(runId))).toMatchObject({ status: 'notified', notifiedByFallback: true, notifyFailed: false });
    }
  });

  it('creates nothing new for a redelivery or a second reconciler run, and reports the count in one digest when the window ends', async () => {
    const again = await deliverWebhook(harness.runtime.url, failedRun(RUNS[0] as number), SECRET);
    await harness.runtime.idle();
    const second = await reconcileIn(10);

    expect(again.body).toEqual({ incidentId: incidentId(RUNS[0] as number), duplicate: true });
    expect(second).toMatchObject({ examined: 0, redriven: [], notifyFailed: [] });
    expect(await escalations()).toHaveLength(1);

    // The policy's default window is a day: past it, the two incidents counted on the page are reported once.
    const later = await reconcileIn(25 * 60);
    expect(later.digests.sent).toEqual(['guard-notify-failed']);
    const digest = (await escalations()).at(-1);
    expect(digest).toMatchObject({ attributes: { kind: 'digest' } });
    expect(digest?.subject).toContain('Still happening, 2 more times: incidents the notify function could not report');
    expect(JSON.stringify(await harness.outbox())).not.toContain(LEAKED);
  });
});
