import { describe, expect, it } from 'vitest';
import { deliverWebhook, loadWebhook, type RecordedWebhook } from '../../infra/local/replay.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { SECRET, startAgainstFakeGitHub } from '../support/late-deliveries.js';

/** A failed run `runId` (attempt `attempt`) of the CI workflow on main, of `event`, at the recorded head commit. */
function mainRun(runId: number, attempt: number, event: string, conclusion: 'failure' | 'success', night: { runNumber: number; day: string; at: string }, actor = 'dana-dev'): RecordedWebhook {
  const webhook = structuredClone(loadWebhook(conclusion === 'failure' ? 'workflow_run-failure' : 'workflow_run-success'));
  const failed = loadWebhook('workflow_run-failure').body.workflow_run as Record<string, any>;
  const run = webhook.body.workflow_run as Record<string, any>;
  Object.assign(run, {
    id: runId, run_attempt: attempt, event, head_branch: 'main', head_sha: failed.head_sha, workflow_id: failed.workflow_id,
    pull_requests: [], triggering_actor: { login: actor, id: 7, type: 'User' },
    run_number: night.runNumber, created_at: `${night.day}T02:00:00Z`, run_started_at: `${night.day}T${night.at}`, updated_at: `${night.day}T${night.at}`,
  });
  webhook.headers['x-github-delivery'] = `p15-${runId}-${attempt}-${conclusion}`;
  return webhook;
}

const MONDAY_1 = { runNumber: 100, day: '2026-11-20', at: '02:10:00Z' };
const MONDAY_2 = { runNumber: 100, day: '2026-11-20', at: '02:40:00Z' };
const TUESDAY = { runNumber: 101, day: '2026-11-21', at: '02:10:00Z' };

const escalations = async (harness: { outbox(): Promise<Array<Record<string, any>>> }) => (await harness.outbox()).filter((e) => e.kind === 'escalation');

/**
 * Attack pass 15, finding 1. The automatic re-run cap is per (repository, workflow, head commit) and lives 30 days,
 * whichever run used it. A nightly cron on a quiet `main` runs on the same commit night after night: the guard re-runs
 * Monday's network flake (which passes), and Tuesday's flake of a *new run* finds the commit's one re-run spent:
 * "already re-run automatically for this commit: needs a human", and a scheduled run pages on-call. Nobody must act
 * (a re-run fixes it, as Monday's did), and no run would be re-run twice.
 */
describe('a new run of the same commit after the guard re-ran an earlier one that then passed', () => {
  const runtimes = useLocalRuntimePerTest();

  it("re-runs tonight's scheduled network flake on an unchanged main instead of paging on-call", async () => {
    // Run ids are even: startAgainstFakeGitHub serves them the npm network-failure log (a transient failure).
    const harness = await startAgainstFakeGitHub(runtimes, [52_000, 52_002]);
    harness.github.runs.set(52_000, { status: 'completed', run_attempt: 1 });
    harness.github.runs.set(52_002, { status: 'completed', run_attempt: 1 });

    // Monday night: the cron run flakes, the guard re-runs it, the re-run passes.
    await deliverWebhook(harness.runtime.url, mainRun(52_000, 1, 'schedule', 'failure', MONDAY_1), SECRET);
    await harness.runtime.idle();
    expect(harness.github.reruns.map((r) => r.runId)).toEqual([52_000]);
    harness.github.runs.set(52_000, { status: 'completed', run_attempt: 2 });
    await deliverWebhook(harness.runtime.url, mainRun(52_000, 2, 'schedule', 'success', MONDAY_2), SECRET);
    await harness.runtime.idle();
    expect((await harness.incident('gh-714523861-52000-1')).status).toBe('resolved');
    const pagesBefore = (await escalations(harness)).length;

    // Tuesday night: nobody pushed, so the new cron run has the same head commit, and flakes the same way.
    await deliverWebhook(harness.runtime.url, mainRun(52_002, 1, 'schedule', 'failure', TUESDAY), SECRET);
    await harness.runtime.idle();

    // Today: "rerun_failed_jobs proposed, not taken: this workflow was already re-run automatically 1 time(s) for this
    // commit (limit 1): needs a human", although knowledge says "Re-running the failed jobs fixed it 1 of 1 time", and
    // the scheduled run pages on-call.
    // Required: a different run is re-run like the first (or at least nobody is paged for a flake).
    expect((await escalations(harness)).length).toBe(pagesBefore);
    expect(harness.github.reruns.map((r) => r.runId)).toEqual([52_000, 52_002]);
  });
});
