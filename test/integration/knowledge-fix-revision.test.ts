import { describe, expect, it } from 'vitest';
import { type AnalysisSummary, type Incident, newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * A learned fix is revised by the outcomes of the incidents that proposed it (README, "Learning loop"): it is kept
 * while it works, retired once it fails more often than it works, and replaced by another fix that worked 3 times.
 */
const scratch = scratchStoreForFile('guard-knowledge-fix-revision');
const FINGERPRINT = 'f1e2d3c4b5';
const PIN = 'Pin the registry mirror in .npmrc.';
const CACHE = 'Clear the npm cache and retry the install with --prefer-online.';

function analysis(fix: string): AnalysisSummary {
  return { provider: 'bedrock', model: 'm', rootCause: 'The registry dropped the connection.', fix: [fix], confidence: 0.8, proposedAction: 'rerun_failed_jobs', rationale: 'r', evidence: [], latencyMs: 1 } as AnalysisSummary;
}

function setup(fingerprint = FINGERPRINT, firstRun = 9000) {
  const client = scratch.store.documents();
  const learning = learningOn(client);
  const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
  let run = firstRun;
  /** A failure whose analysis proposed `fix`, re-run by the guard: then resolved, or its re-run failed again. */
  async function outcome(fix: string, recovered: boolean, runEvent = 'push') {
    run += 1;
    const incident = newIncident(
      {
        id: `gh-1-${run}-1`, source: 'github', repository: 'acme/app', repositoryId: 1, workflowName: 'CI', runId: run, runAttempt: 1, headSha: String(run).padStart(40, 'e'),
        category: 'network', fingerprint, template: 'npm ERR! network ECONNRESET', failureLines: [{ line: 1, text: 'npm ERR! network ECONNRESET' }], fromFork: false, runEvent,
        analysis: analysis(fix), decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: new Date().toISOString() },
      },
      new Date(),
    );
    await incidents.create(incident, null);
    if (recovered) await learning.onResolved(await incidents.update(incident.id, { status: 'resolved', resolvedBy: 'run 1' }));
    else await learning.onRemediationFailed(incident as Incident);
    return incident.id;
  }
  /** A writer's `/guard feedback` on the incident's comment. */
  async function vote(incidentId: string, direction: 'up' | 'down', user = 'maya') {
    await learning.onFeedback((await incidents.get(incidentId)) as Incident, direction, user, null);
  }
  return { learning, outcome, vote, entry: () => learning.knowledge.get(fingerprint, 'repo:1') };
}

describe('a learned fix is revised by its outcomes', () => {
  it('retires a fix that fails repeatedly and replaces it with another that worked 3 times', async () => {
    // Prepare: PIN is learned from a recovery, then the re-runs after it fail 3 times
    const run = setup();
    await run.outcome(PIN, true);
    const learned = await run.entry();
    for (let i = 0; i < 3; i += 1) await run.outcome(PIN, false);
    const failing = await run.entry();

    // Act: another fix works, 3 times
    for (let i = 0; i < 3; i += 1) await run.outcome(CACHE, true);
    const revised = await run.entry();

    // Assert: the stored fix used to stay PIN whatever followed
    expect(learned?.fix).toEqual([PIN]);
    expect(failing?.fix).toEqual([]);
    expect(failing?.fixOutcomes).toEqual({ successes: 1, failures: 3 });
    expect(revised?.fix).toEqual([CACHE]);
    expect(revised?.fixOutcomes).toEqual({ successes: 3, failures: 0 });
  });

  it('takes no fix outcome from runs any outsider can cause again and again (a workflow on issues): they arrange them', async () => {
    // Prepare: PIN is learned from a push's recovery; another fingerprint has no fix yet
    const run = setup('c3d4e5f6a7', 9700);
    await run.outcome(PIN, true);
    const fresh = setup('d4e5f6a7b8', 9800);

    // Act: an outsider opens issues that make the `issues` workflow fail: the guard's re-runs of PIN fail again 3
    // times, then 3 of its runs pass with the analysis proposing CACHE (steered by what they wrote); and the same on
    // the fresh fingerprint, once
    for (let i = 0; i < 3; i += 1) await run.outcome(PIN, false, 'issues');
    for (let i = 0; i < 3; i += 1) await run.outcome(CACHE, true, 'issues');
    await fresh.outcome(CACHE, true, 'issues');

    // Assert: PIN stands with its one success (it used to be retired and replaced by CACHE, and CACHE learned on the
    // fresh fingerprint: attacker pass, session 28)
    expect(await run.entry()).toMatchObject({ fix: [PIN], fixOutcomes: { successes: 1, failures: 0 } });
    expect((await fresh.entry())?.fix ?? []).toEqual([]);
  });

  it("counts a writer's vote as the outcome of the fix the comment proposed, in place of the run's", async () => {
    // Prepare: PIN is learned; three later incidents proposing it recovered after the re-run, and a writer voted 👎 on
    // each (the re-run hid the real cause)
    const run = setup('a9b8c7d6e5', 9500);
    await run.outcome(PIN, true);
    const voted: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      voted.push(await run.outcome(PIN, true));
      await run.vote(voted[i] as string, 'down');
    }
    const overruled = await run.entry();
    const failedAgain = await run.outcome(PIN, false);
    await run.vote(failedAgain, 'down');
    const once = await run.entry();

    // Act: maya's 👎 on the first becomes a 👍; lee votes 👍 on the second, where maya's 👎 stands
    await run.vote(voted[0] as string, 'up');
    await run.vote(voted[1] as string, 'up', 'lee');

    // Assert: the three 👎 retired PIN (they used to count nothing: 4 successes); a 👎 on a failed re-run counts one
    // failure, not two; a 👍 counts a success in place of the failure, and a 👎 still standing keeps it a failure
    expect(overruled?.fixOutcomes).toEqual({ successes: 1, failures: 3 });
    expect(overruled?.fix).toEqual([]);
    expect(once?.fixOutcomes).toEqual({ successes: 1, failures: 4 });
    expect(await run.entry()).toMatchObject({ fix: [], fixOutcomes: { successes: 2, failures: 3 } });
  });
});
