import { describe, expect, it } from 'vitest';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { SECRET, pullRequestFailure, pullRequestGreen, pushFailure, startAgainstFakeGitHub } from '../support/late-deliveries.js';

/**
 * A failure delivered after what superseded it (a later attempt of its run, or a later green run of its workflow and
 * branch), in the local runtime against the fake GitHub: recorded resolved, and nothing more is spent or said on it.
 */
describe('a failure delivered after what superseded it', () => {
  const runtimes = useLocalRuntimePerTest();

  it('is not analysed or remediated when a green attempt of its run was delivered first, and still ends recorded', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_501]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_501, 4_501, { attempt: 2, runNumber: 482, updatedAt: '2026-11-20T09:40:00Z' }), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_501, 4_501, { delivery: 'late-31501-1' }), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident('gh-714523861-31501-1');
    expect(incident).toMatchObject({ status: 'resolved', supersededBy: 'run 31501 (attempt 2)' });
    expect(incident.analysis ?? null).toBeNull();
    expect(incident.decision ?? null).toBeNull();
    const events = incident.history.map((entry) => entry.event);
    expect(events).not.toContain('analyzed');
    // Its execution ended through Notify, which recorded it: nothing lost.
    expect(events.at(-1)).toBe('notified');
    expect(harness.github.comments.get(4_501) ?? []).toEqual([]);
  });

  it('costs no GitHub call: what superseded it is checked before the job logs are downloaded', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_509]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_509, 4_509, { attempt: 2, runNumber: 482, updatedAt: '2026-11-20T09:40:00Z' }), SECRET);
    await harness.runtime.idle();
    const before = harness.github.apiCalls().length;
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_509, 4_509, { delivery: 'late-31509-1' }), SECRET);
    await harness.runtime.idle();

    expect(await harness.incident('gh-714523861-31509-1')).toMatchObject({ status: 'resolved', supersededBy: 'run 31509 (attempt 2)' });
    expect(harness.github.apiCalls().slice(before)).toEqual([]);
  });

  it('is not analysed or remediated when the next attempt of its run failed and was delivered first; that attempt is', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_503]);
    harness.github.runs.set(31_503, { status: 'completed', run_attempt: 2 });
    await deliverWebhook(harness.runtime.url, pushFailure(31_503, 2, 'dana-dev', 'attempt-31503-2'), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pushFailure(31_503, 1, 'dana-dev', 'late-31503-1'), SECRET);
    await harness.runtime.idle();

    const late = await harness.incident('gh-714523861-31503-1');
    expect(late).toMatchObject({ status: 'resolved', supersededBy: 'run 31503 (attempt 2)' });
    expect(late.analysis ?? null).toBeNull();
    expect(late.history.map((entry) => entry.event).at(-1)).toBe('notified');
    // The control: the attempt that superseded it was analysed and remediated.
    const current = await harness.incident('gh-714523861-31503-2');
    expect(current.analysis).toBeTruthy();
    expect(current.decision).toBeTruthy();
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation')).toEqual([]);
  });

  // Attempts further back: attempt 1 delivered after attempt 3, attempt 2 failed too.
  it('is superseded by attempt 3 when attempt 2, failed too, is not on record yet (delivered late as well)', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_505]);
    harness.github.runs.set(31_505, { status: 'completed', run_attempt: 3 });
    await deliverWebhook(harness.runtime.url, pushFailure(31_505, 3, 'dana-dev', 'attempt-31505-3'), SECRET);
    await harness.runtime.idle();
    const pagesBefore = (await harness.outbox()).filter((e) => e.kind === 'escalation').length;
    await deliverWebhook(harness.runtime.url, pushFailure(31_505, 1, 'dana-dev', 'late-31505-1'), SECRET);
    await harness.runtime.idle();

    const late = await harness.incident('gh-714523861-31505-1');
    expect(late).toMatchObject({ status: 'resolved', supersededBy: 'run 31505 (attempt 3)' });
    expect(late.analysis ?? null).toBeNull();
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation')).toHaveLength(pagesBefore);
  });

  it('is superseded when attempt 2 failed and attempt 3 passed, both delivered before it (covered by the next attempt and the green run)', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_507]);
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_507, 4_507, { attempt: 2 }), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_507, 4_507, { attempt: 3, runNumber: 482, updatedAt: '2026-11-20T09:50:00Z' }), SECRET);
    await harness.runtime.idle();
    const comments = (harness.github.comments.get(4_507) ?? []).map((c) => c.body);
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_507, 4_507, { delivery: 'late-31507-1' }), SECRET);
    await harness.runtime.idle();

    expect(await harness.incident('gh-714523861-31507-1')).toMatchObject({ status: 'resolved', supersededBy: 'run 31507 (attempt 3)' });
    // The pull request's comment still says what attempt 3 left it saying.
    expect((harness.github.comments.get(4_507) ?? []).map((c) => c.body)).toEqual(comments);
  });

  // Green runs of the scope that completed out of run-number order: a slow earlier run finished after a newer one.
  it('is resolved by a newer run that passed, when an earlier run that passed later was delivered after it', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, [31_511]);
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_513, 4_511, { runNumber: 483, updatedAt: '2026-11-20T09:30:00Z' }), SECRET);
    await harness.runtime.idle();
    await deliverWebhook(harness.runtime.url, pullRequestGreen(31_509, 4_511, { runNumber: 481, updatedAt: '2026-11-20T09:50:00Z' }), SECRET);
    await harness.runtime.idle();
    // Run 482 failed at 09:19:47, before run 483 passed; its delivery comes after both green runs.
    await deliverWebhook(harness.runtime.url, pullRequestFailure(31_511, 4_511, { delivery: 'late-31511-1' }), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident('gh-714523861-31511-1');
    expect(incident).toMatchObject({ status: 'resolved', resolvedBy: 'run 31513', supersededBy: 'run 31513' });
    expect(incident.analysis ?? null).toBeNull();
    expect(harness.github.comments.get(4_511) ?? []).toEqual([]);
  });

  // Other CIs' check runs: a later successful run of the same check on the same branch, delivered first.
  it('is resolved by a later successful check run of the same check and branch that another CI delivered first', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, []);
    await deliverWebhook(harness.runtime.url, loadWebhook('check_run-circleci-success'), SECRET);
    await harness.runtime.idle();
    const failed = await deliverWebhook(harness.runtime.url, loadWebhook('check_run-circleci-failure'), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident(String(failed.body.incidentId));
    expect(incident).toMatchObject({ status: 'resolved', resolvedBy: 'check run 33220411877', supersededBy: 'check run 33220411877' });
    expect(incident.analysis ?? null).toBeNull();
    expect(harness.github.comments.get(1_287) ?? []).toEqual([]);
    expect((await harness.outbox()).filter((e) => e.kind === 'escalation')).toEqual([]);
  });

  it('is handled as fresh when the successful check run delivered first completed before it failed (the control)', async () => {
    const harness = await startAgainstFakeGitHub(runtimes, []);
    const earlier = loadWebhook('check_run-circleci-success');
    Object.assign(earlier.body.check_run as Record<string, unknown>, { started_at: '2026-11-20T09:50:00Z', completed_at: '2026-11-20T09:55:00Z' });
    await deliverWebhook(harness.runtime.url, earlier, SECRET);
    await harness.runtime.idle();
    const failed = await deliverWebhook(harness.runtime.url, loadWebhook('check_run-circleci-failure'), SECRET);
    await harness.runtime.idle();

    const incident = await harness.incident(String(failed.body.incidentId));
    expect(incident.status).toBe('notified');
    expect(incident.supersededBy ?? null).toBeNull();
    expect((harness.github.comments.get(1_287) ?? []).map((c) => c.body.split('\n').find((line) => line.startsWith('###')))).toEqual([expect.stringContaining('❌')]);
  });
});
