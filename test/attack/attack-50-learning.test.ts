import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { assessFlakiness } from '../../shared/baselines/flaky.js';
import { type AnalysisSummary, type Incident, newIncident } from '../../shared/domain/incident.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { entryFromRow, importRowSchema, importRows } from '../../shared/knowledge/import.js';
import { entryKey } from '../../shared/knowledge/store.js';
import { createKbCommand } from '../../shared/cli/commands/kb.js';
import { renderComment, verdictOf } from '../../shared/notify/comment.js';
import { followUpRecovery } from '../../shared/outcome/recovery-follow-ups.js';
import { createGuardStore, guardScope } from '../../shared/remediation/guard-store.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { interceptedSends, scratchStoreForFile } from '../support/harness.js';
import { historyBackfillOn, learningOn } from '../support/learning.js';

/**
 * Attack pass 50 (learning loop): what the guard learns from one failure and tells about the next, through the real
 * incident store, knowledge base and comment renderer on a scratch DynamoDB (dynalite). Earlier passes closed what a
 * fork, an `issues` run or an outsider's vote teaches (test/integration/learning-untrusted.test.ts,
 * pass-9-outsider-*); these rows are about what crosses from one repository, or one failure's history, to another.
 * An `it.fails` row is a finding the product still allows: it asserts the safe behaviour and fails until it is fixed.
 */
const scratch = scratchStoreForFile('attack-50-learning');

const at = new Date('2026-11-20T10:00:00Z');
const FINGERPRINT_LINE = 'Error: connect ECONNREFUSED 10.0.4.17:5432';

/** A failure of workflow CI whose top failure line is {@link FINGERPRINT_LINE} (fingerprint `fingerprint`). */
function failure(fields: Pick<Incident, 'id' | 'repository' | 'repositoryId' | 'branch' | 'fingerprint'> & Partial<Incident>): Incident {
  const runId = Number(fields.id.split('-')[2]);
  return newIncident(
    {
      source: 'github', status: 'notified', defaultBranch: 'main', workflowName: 'CI', runId, runAttempt: 1, fromFork: false, runEvent: 'push',
      runUrl: `https://github.com/${fields.repository}/actions/runs/${runId}`, category: 'network', template: FINGERPRINT_LINE,
      failureLines: [{ line: 40, text: FINGERPRINT_LINE }], jobs: [], headSha: 'c0ffee'.padEnd(40, '0'),
      ...fields,
    },
    at,
  );
}

/** `incident` as the knowledge stage leaves it: its history read from the store and summarized. */
async function withHistory(incident: Incident): Promise<Incident> {
  const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
  const earlier = await incidents.listHistory(incident, 51);
  return { ...incident, knowledge: summarizeHistory(incident, earlier) };
}

async function stored(...incidents: Incident[]): Promise<void> {
  const store = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
  for (const incident of incidents) await store.create(incident, null);
}

describe('L1 (medium): another repository\'s failure makes this pull request "also failing on the base branch"', () => {
  // The fingerprint is the failure's text alone, and the history of a fingerprint is read across every repository
  // the deployment watches. Repository `acme/infra` (private) fails on its `main` with the same line as a pull request
  // of `acme/site` (public): the PR comment then says "also failing on the base branch `main` (that run): probably not
  // caused by this change", linking the other repository's run. A reviewer is told a regression is not the change's
  // (and merges it), and the public pull request shows a private repository's name and run. Anyone who can make a
  // watched repository's `main` fail with a line gets this verdict on every other repository's pull requests.
  it("does not take another repository's failure on its main as this repository's base branch", async () => {
    // Prepare
    await stored(failure({ id: 'gh-900-5001-1', repository: 'acme/infra', repositoryId: 900, branch: 'main', fingerprint: 'fp-l1-cross' }));
    const pullRequest = await withHistory(failure({ id: 'gh-901-5002-1', repository: 'acme/site', repositoryId: 901, branch: 'feature/x', pullRequest: 12, fingerprint: 'fp-l1-cross' }));

    // Act
    const comment = renderComment(pullRequest);

    // Assert
    expect(verdictOf(pullRequest)).not.toBe('base_branch');
    expect(comment).not.toContain('acme/infra');
  });

  it("(ordinary use) still says so for this repository's own failure of the same fingerprint on main", async () => {
    // Prepare
    await stored(failure({ id: 'gh-902-5003-1', repository: 'acme/shop', repositoryId: 902, branch: 'main', fingerprint: 'fp-l1-own' }));
    const pullRequest = await withHistory(failure({ id: 'gh-902-5004-1', repository: 'acme/shop', repositoryId: 902, branch: 'feature/y', pullRequest: 13, fingerprint: 'fp-l1-own' }));

    // Act
    const comment = renderComment(pullRequest);

    // Assert
    expect(verdictOf(pullRequest)).toBe('base_branch');
    expect(comment).toContain('also failing on the base branch `main` ([that run](https://github.com/acme/shop/actions/runs/5003))');
  });
});

describe('L3 (medium): a fork picks its verdict by printing a line main once failed with', () => {
  // A fork's author writes its log, so its fingerprint (earlier passes keep its failures out of the history for that
  // reason, not the fingerprint itself). Printing `main`'s failure line ahead of the real one (the repository's CI logs
  // are public) makes the history hold this repository's failure on `main`, and the comment says the fork's failure is
  // "also failing on the base branch: probably not caused by this change": a maintainer merges a pull request whose
  // own tests fail.
  it("takes no base-branch verdict from the history of a fingerprint a fork's log chose", async () => {
    // Prepare
    await stored(failure({ id: 'gh-930-5301-1', repository: 'acme/lib', repositoryId: 930, branch: 'main', fingerprint: 'fp-l3-fork' }));
    const fork = await withHistory(
      failure({ id: 'gh-930-5302-1', repository: 'acme/lib', repositoryId: 930, branch: 'patch-1', pullRequest: 15, fromFork: true, runEvent: 'pull_request', fingerprint: 'fp-l3-fork' }),
    );

    // Act
    const comment = renderComment(fork);

    // Assert
    expect(verdictOf(fork)).not.toBe('base_branch');
    expect(comment).not.toContain('probably not caused by this change');
  });

  it("(ordinary use) a fork's failure is still 'also failing on the base branch' when GitHub shows main's latest run failed", async () => {
    // Prepare
    const fork = await withHistory(
      failure({
        id: 'gh-930-5303-1', repository: 'acme/lib', repositoryId: 930, branch: 'patch-2', pullRequest: 16, fromFork: true, runEvent: 'pull_request', fingerprint: 'fp-l3-fork-run',
        baseBranchRun: { runId: 5300, conclusion: 'failure', url: 'https://github.com/acme/lib/actions/runs/5300' },
      }),
    );

    // Act / Assert
    expect(verdictOf(fork)).toBe('base_branch');
  });
});

describe('L4 (low): a failure main recovered from long ago is "also failing on the base branch"', () => {
  // The history holds every earlier incident of the fingerprint, resolved or not, however old (the newest 50). A
  // pull request that brings back a failure `main` had and fixed last year is told "also failing on the base branch:
  // probably not caused by this change", though `main` is green: the one reading that should look at the change is
  // told not to.
  it('does not call a failure main has recovered from "also failing" there', async () => {
    // Prepare
    await stored(failure({ id: 'gh-940-5401-1', repository: 'acme/api', repositoryId: 940, branch: 'main', fingerprint: 'fp-l4-old', status: 'resolved', resolvedAt: at.toISOString(), resolvedBy: 'run 5402 (attempt 1)' }));
    const pullRequest = await withHistory(failure({ id: 'gh-940-5403-1', repository: 'acme/api', repositoryId: 940, branch: 'feature/w', pullRequest: 17, fingerprint: 'fp-l4-old' }));

    // Act / Assert
    expect(verdictOf(pullRequest)).not.toBe('base_branch');
  });
});

describe('L6 (low): a fork names its failing job after a flaky one and reads "probably flaky"', () => {
  // Flaky evidence is kept per job name (`job:<workflow>/<job>`) and only the repository's own runs add to it, but
  // any failure read it: a fork's pull request runs the workflow file of its head, so its author renamed the job
  // their change breaks after the repository's known-flaky one, and the comment said "probably flaky — these tests
  // failed and passed on the same commit before": a maintainer re-runs and merges on the next lucky pass. Fixed: a
  // fork's failure takes no flaky mark from job-name evidence (evidence named by a test would still count); the
  // repository's own runs read it as before.
  /** The repository's own e2e job failed and passed on one commit; then `fields`'s run fails its job named e2e. */
  async function markOf(repository: string, fields: { fromFork: boolean; runEvent: string }) {
    const learning = learningOn(scratch.client, () => at);
    const sha = 'e2e'.padEnd(40, '0');
    await learning.baselines.recordTestResults(repository, sha, [{ test: 'job:CI/e2e', passed: false }], at);
    await learning.baselines.recordTestResults(repository, sha, [{ test: 'job:CI/e2e', passed: true }], at);
    const job = { jobId: 1, jobName: 'e2e', url: null, category: 'test_failure' as const, fingerprint: 'fp-l6', logSource: 'job_log' as const, failures: [] };
    return assessFlakiness(learning.baselines, { repository, headSha: 'f0'.padEnd(40, '0'), workflowName: 'CI', jobs: [job], ...fields }, at, async () => null);
  }

  it("takes no flaky mark for a fork's failure from a job name its author chose", async () => {
    // Act: a fork's run whose failing job (its change's unit tests) is named e2e
    const mark = await markOf('acme/web', { fromFork: true, runEvent: 'pull_request' });

    // Assert
    expect(mark).toBeNull();
  });

  it("(ordinary use) still marks the repository's own failure of that job probably flaky", async () => {
    // Act
    const mark = await markOf('acme/web2', { fromFork: false, runEvent: 'pull_request' });

    // Assert
    expect(mark?.tests).toEqual([expect.objectContaining({ test: 'job:CI/e2e', flakes: 1 })]);
  });
});

describe('L7 (medium): a re-run is credited with the recovery of a commit pushed after it', () => {
  // The guard re-ran a failure's jobs; before the re-run's attempt passed or failed, its author pushed a fix, and that
  // commit's run (another run, on the same branch and workflow) passed. The recovery credited the re-run: the entry
  // learned "re-running the failed jobs fixed it", and the repository's automatic-fix rate counted a success. With a
  // workflow's `concurrency: cancel-in-progress` (the newer push cancels the re-run attempt, which is no failure) it
  // happens without anyone meaning it; a writer repeats it on purpose until the entry recommends re-running a real
  // bug (3 attempts, a lower bound ≥ 0.5), which the prompt and every comment of that failure then say.
  const rerun = { action: 'rerun_failed_jobs' as const, reason: 'flaky', applied: true, result: 'rerun requested', dryRun: false, decidedAt: at.toISOString() };

  async function resolvedBy(id: string, fingerprint: string, by: string) {
    const learning = learningOn(scratch.client, () => at);
    const incident = failure({ id, repository: 'acme/pay', repositoryId: 950, branch: 'feature/v', fingerprint, decision: rerun });
    await stored(incident);
    await learning.countSeen(incident, at);
    await learning.onResolved({ ...incident, status: 'resolved', resolvedAt: at.toISOString(), resolvedBy: by });
    return learning;
  }

  it("does not credit the re-run with another run's recovery", async () => {
    // Act: run 5502 (the pushed fix) resolves run 5501's failure
    const learning = await resolvedBy('gh-950-5501-1', 'fp-l7-push', 'run 5502');

    // Assert
    const entry = await learning.knowledge.get('fp-l7-push', 'repo:950');
    expect(entry?.actions.rerun_failed_jobs?.successes ?? 0).toBe(0);
    expect((await learning.baselines.metrics('acme/pay')).autoFixSuccesses).toBe(0);
  });

  it('(ordinary use) credits the re-run when its own attempt passed', async () => {
    // Act
    const learning = await resolvedBy('gh-951-5503-1', 'fp-l7-rerun', 'run 5503 (attempt 2)');

    // Assert
    expect((await learning.knowledge.get('fp-l7-rerun', 'repo:950'))?.actions.rerun_failed_jobs).toEqual({ attempts: 1, successes: 1 });
  });

  it("does not tell the next failure that re-running fixed it, from the history of another run's recovery", async () => {
    // Prepare: three failures the guard re-ran, each resolved by the run of a commit pushed meanwhile
    const runs = [5701, 5703, 5705];
    await stored(
      ...runs.map((runId) =>
        failure({ id: `gh-953-${runId}-1`, repository: 'acme/ledger', repositoryId: 953, branch: 'main', fingerprint: 'fp-l7-history', decision: rerun, status: 'resolved', resolvedBy: `run ${runId + 1}` }),
      ),
    );

    // Act: the next failure's history
    const next = await withHistory(failure({ id: 'gh-953-5707-1', repository: 'acme/ledger', repositoryId: 953, branch: 'main', fingerprint: 'fp-l7-history' }));

    // Assert: no "re-running the failed jobs fixed it 3 of 3 times" in the prompt and the comment
    expect(next.knowledge?.actionOutcomes.rerun_failed_jobs?.successes ?? 0).toBe(0);
    expect(next.knowledge?.summary).not.toContain('re-running the failed jobs fixed it');
  });

  it("(ordinary use) the history still says re-running fixed it when the re-run's own attempt passed", async () => {
    // Prepare
    await stored(failure({ id: 'gh-954-5801-1', repository: 'acme/ledger2', repositoryId: 954, branch: 'main', fingerprint: 'fp-l7-history-own', decision: rerun, status: 'resolved', resolvedBy: 'run 5801 (attempt 2)' }));

    // Act
    const next = await withHistory(failure({ id: 'gh-954-5803-1', repository: 'acme/ledger2', repositoryId: 954, branch: 'main', fingerprint: 'fp-l7-history-own' }));

    // Assert
    expect(next.knowledge?.actionOutcomes.rerun_failed_jobs).toEqual({ attempts: 1, successes: 1 });
  });

  /** The circuit breaker's outcomes of `repository` after its re-run failure's recovery by `by`. */
  async function breakerAfter(id: string, repository: string, by: string) {
    const guards = createGuardStore({ client: scratch.client, tableName: 'incidents', clock: () => at });
    const incidents = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    const incident = failure({ id, repository, repositoryId: 952, branch: 'feature/u', fingerprint: `fp-${id}`, decision: rerun });
    await stored(incident);
    const resolved = { ...incident, status: 'resolved' as const, resolvedAt: at.toISOString(), resolvedBy: by };
    await followUpRecovery(resolved, at, { incidents, guards, github: { forInstallation: () => null }, clock: () => at, logger: silentLogger }, {});
    return (await guards.read(guardScope(incident), 2)).recentOutcomes;
  }

  it("counts no re-run success for the circuit breaker from another run's recovery", async () => {
    // Act / Assert: re-runs that a pushed commit's recovery credited hold the breaker closed while re-running fixes nothing
    expect(await breakerAfter('gh-952-5601-1', 'acme/breaker-push', 'run 5602')).toEqual({ attempts: 0, failures: 0 });
  });

  it('(ordinary use) counts the re-run a success for the circuit breaker when its own attempt passed', async () => {
    expect(await breakerAfter('gh-952-5603-1', 'acme/breaker-rerun', 'run 5603 (attempt 2)')).toEqual({ attempts: 1, failures: 0 });
  });
});

describe('L2 (medium): the knowledge base is one for every repository', () => {
  // Entries were keyed by fingerprint alone (`KB#<fingerprint>`), and their counters, fix and fix record were fed by
  // the incidents of every watched repository. A writer of one repository (or, with GITHUB_OWNERS unset and a public
  // App, whoever installs it) taught the fix, the action record ("re-running fixed it 3 of 3 times") and the
  // recommendation shown and prompted for every other repository's failures of that text; and the first failure line
  // of a private repository (the entry's title) and its fix were shown in the "Known failures like this one" of a
  // public repository's pull request, a fork's included, whose author can print lines until one matches. Fixed: what
  // a repository learns is its own (`KB#<fingerprint>` / `ENTRY#repo:<id>`), the alarms' is theirs, and only what an
  // operator imported (and the curated entries) is shared; the old layout's learned entries are no longer read.
  const analysis: AnalysisSummary = {
    provider: 'bedrock', model: 'm', rootCause: 'The database at 10.0.4.17 refused connections.', fix: ['Restart the db-primary-7 container on build host ci-int-03.'],
    confidence: 0.8, proposedAction: 'comment_only', rationale: 'r', evidence: [], latencyMs: 1,
  };

  const rerunDecision = { action: 'rerun_failed_jobs' as const, reason: 'flaky', applied: true, result: 'rerun requested', dryRun: false, decidedAt: at.toISOString() };

  /** `incident` seen and recovered, with its analysis's fix learned. */
  async function learnedFrom(learning: ReturnType<typeof learningOn>, incident: Incident) {
    await stored(incident);
    await learning.countSeen(incident, at);
    await learning.onResolved({ ...incident, status: 'resolved', resolvedAt: at.toISOString(), resolvedBy: `run ${(incident.runId ?? 0) + 1} (attempt 1)` });
  }

  it("shows no entry learned from another repository's failures on this repository's incident", async () => {
    // Prepare: acme/infra's failure is seen and recovers; its fix is learned
    const learning = learningOn(scratch.client, () => at);
    await learnedFrom(learning, failure({ id: 'gh-910-5101-1', repository: 'acme/infra', repositoryId: 910, branch: 'main', fingerprint: 'fp-l2-kb', analysis }));

    // Act: a failure of the same line in another repository
    const site = failure({ id: 'gh-911-5103-1', repository: 'acme/site', repositoryId: 911, branch: 'feature/z', pullRequest: 14, fingerprint: 'fp-l2-kb' });
    const { knowledge } = await learning.lookup(site, summarizeHistory(site, []));

    // Assert
    expect(knowledge.entries?.filter((entry) => entry.source === 'learned')).toEqual([]);
  });

  it("(ordinary use) shows this repository's own learned entry and fix on its next failure", async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    await learnedFrom(learning, failure({ id: 'gh-912-5104-1', repository: 'acme/own', repositoryId: 912, branch: 'main', fingerprint: 'fp-l2-own', analysis }));

    // Act
    const next = failure({ id: 'gh-912-5106-1', repository: 'acme/own', repositoryId: 912, branch: 'feature/q', pullRequest: 18, fingerprint: 'fp-l2-own' });
    const { knowledge } = await learning.lookup(next, summarizeHistory(next, []));

    // Assert
    expect(knowledge.entries).toEqual([expect.objectContaining({ fingerprint: 'fp-l2-own', source: 'learned', match: 'exact', fix: analysis.fix, seen: 1 })]);
  });

  it('(ordinary use) an imported entry is still shared by every repository', async () => {
    // Prepare: an operator imports a row (`guard kb import`)
    const learning = learningOn(scratch.client, () => at);
    const row = { timestamp: '2026-11-01T00:00:00Z', title: 'Error: connect ECONNREFUSED 10.0.9.9:6379 (redis-l2)', description: '', solution: 'Start the redis service container before the tests', success: 'true' };
    expect(await importRows(learning.knowledge, [row], { clock: () => at })).toMatchObject({ imported: 1 });
    const { fingerprint, description: { template } } = entryFromRow(importRowSchema.parse(row));

    // Act: failures of that line in two repositories
    const lookups = await Promise.all(
      [913, 914].map(async (repositoryId) => {
        const incident = failure({ id: `gh-${repositoryId}-5107-1`, repository: `acme/r${repositoryId}`, repositoryId, branch: 'main', fingerprint, template });
        return (await learning.lookup(incident, summarizeHistory(incident, []))).knowledge.entries;
      }),
    );

    // Assert
    for (const entries of lookups) expect(entries).toEqual([expect.objectContaining({ fingerprint, source: 'imported', match: 'exact', fix: ['Start the redis service container before the tests'] })]);
  });

  it("keeps the alarms' learned knowledge to the alarms, and a repository's from the alarms", async () => {
    // Prepare: an alarm's failure and a repository's, of one fingerprint, are each seen and recover
    const learning = learningOn(scratch.client, () => at);
    const alarmAnalysis = { ...analysis, fix: ['Fail over the orders database to its standby.'] };
    const alarm = (id: string): Incident =>
      newIncident({ id, source: 'cloudwatch', status: 'notified', category: 'network', fingerprint: 'fp-l2-alarm', template: FINGERPRINT_LINE, failureLines: [{ line: 1, text: 'ALARM: orders-db-connections' }], analysis: alarmAnalysis }, at);
    await learnedFrom(learning, alarm('cw-orders-1'));
    await learnedFrom(learning, failure({ id: 'gh-915-5108-1', repository: 'acme/orders', repositoryId: 915, branch: 'main', fingerprint: 'fp-l2-alarm', analysis }));

    // Act
    const nextAlarm = alarm('cw-orders-2');
    const alarmEntries = (await learning.lookup(nextAlarm, summarizeHistory(nextAlarm, []))).knowledge.entries;
    const pullRequest = failure({ id: 'gh-916-5109-1', repository: 'acme/public', repositoryId: 916, branch: 'feature/p', pullRequest: 19, fingerprint: 'fp-l2-alarm' });
    const repositoryEntries = (await learning.lookup(pullRequest, summarizeHistory(pullRequest, []))).knowledge.entries;

    // Assert: the next alarm reads what the alarm taught, and nothing of the repository's; another repository neither
    expect(alarmEntries).toEqual([expect.objectContaining({ source: 'learned', match: 'exact', fix: alarmAnalysis.fix, title: 'ALARM: orders-db-connections' })]);
    expect(repositoryEntries).toEqual([]);
  });

  it("shows no earlier incident of another repository in this repository's history", async () => {
    // Prepare: private repository 700 recovered from the failure three times by re-running it (its own attempts passed)
    await stored(
      ...[7001, 7003, 7005].map((runId) =>
        failure({ id: `gh-700-${runId}-1`, repository: 'acme/private', repositoryId: 700, branch: 'main', fingerprint: 'fp-l2-history', decision: rerunDecision, status: 'resolved', resolvedBy: `run ${runId} (attempt 2)` }),
      ),
    );

    // Act: a public repository's pull request fails with the same line
    const pullRequest = await withHistory(failure({ id: 'gh-701-7101-1', repository: 'acme/public-site', repositoryId: 701, branch: 'feature/h', pullRequest: 21, fingerprint: 'fp-l2-history' }));

    // Assert: none of it reaches the prompt, the offline analysis or the comment ("Seen 3 times before …", gh-700-… ids)
    expect(pullRequest.knowledge).toMatchObject({ seenBefore: 0, matches: [], actionOutcomes: {}, summary: 'First time this failure has been seen.' });
  });

  it("(ordinary use) still shows this repository's own earlier incidents of the failure", async () => {
    // Prepare
    await stored(failure({ id: 'gh-702-7201-1', repository: 'acme/own-history', repositoryId: 702, branch: 'main', fingerprint: 'fp-l2-own-history', decision: rerunDecision, status: 'resolved', resolvedBy: 'run 7201 (attempt 2)' }));

    // Act
    const next = await withHistory(failure({ id: 'gh-702-7203-1', repository: 'acme/own-history', repositoryId: 702, branch: 'feature/o', pullRequest: 22, fingerprint: 'fp-l2-own-history' }));

    // Assert
    expect(next.knowledge).toMatchObject({ seenBefore: 1, matches: [expect.objectContaining({ incidentId: 'gh-702-7201-1' })], actionOutcomes: { rerun_failed_jobs: { attempts: 1, successes: 1 } } });
  });

  it('(ordinary use) an incident whose fingerprint classify records after it was created joins its own history, and leaves it with the fingerprint', async () => {
    // Prepare: stored by ingest without a fingerprint, as every incident is; classify records it
    const store = createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 });
    await stored(failure({ id: 'gh-705-7501-1', repository: 'acme/classified', repositoryId: 705, branch: 'main', fingerprint: null, status: 'received' }));
    await store.record('gh-705-7501-1', { status: 'classified', fingerprint: 'fp-l2-classified' });
    const next = failure({ id: 'gh-705-7505-1', repository: 'acme/classified', repositoryId: 705, branch: 'main', fingerprint: 'fp-l2-classified' });

    // Act
    const before = await withHistory(next);
    await store.record('gh-705-7501-1', { fingerprint: null });
    const after = await withHistory(next);

    // Assert
    expect(before.knowledge?.matches.map((match) => match.incidentId)).toEqual(['gh-705-7501-1']);
    expect(after.knowledge?.seenBefore).toBe(0);
  });

  it("keeps an alarm's history to the alarms, and a repository's from the alarms", async () => {
    // Prepare: an alarm and a repository failed with one fingerprint before
    const alarm = (id: string): Incident =>
      newIncident({ id, source: 'cloudwatch', status: 'resolved', category: 'network', fingerprint: 'fp-l2-alarm-history', template: FINGERPRINT_LINE, failureLines: [{ line: 1, text: 'ALARM: orders-db-latency' }] }, at);
    await stored(alarm('cw-history-1'), failure({ id: 'gh-703-7301-1', repository: 'acme/orders-history', repositoryId: 703, branch: 'main', fingerprint: 'fp-l2-alarm-history', status: 'resolved' }));

    // Act
    const nextAlarm = await withHistory(alarm('cw-history-2'));
    const pullRequest = await withHistory(failure({ id: 'gh-704-7401-1', repository: 'acme/other-history', repositoryId: 704, branch: 'feature/a', pullRequest: 23, fingerprint: 'fp-l2-alarm-history' }));

    // Assert
    expect(nextAlarm.knowledge?.matches.map((match) => match.incidentId)).toEqual(['cw-history-1']);
    expect(pullRequest.knowledge?.seenBefore).toBe(0);
  });

  it("reads no learned entry of the old layout (every repository's in one), retires it, and keeps an imported one", async () => {
    // Prepare: entries as they were stored before (`KB#<fingerprint>` / `ENTRY`, one category index partition)
    const learning = learningOn(scratch.client, () => at);
    const oldItem = (fingerprint: string, source: string, title: string) => ({
      pk: `KB#${fingerprint}`, sk: 'ENTRY', kind: 'knowledge', kbFingerprint: fingerprint, kbCategory: 'network', kbLastSeen: at.toISOString(), category: 'network', source,
      template: `${title} <num>`, title, fix: [`fix of ${title}`], action: 'comment_only', seen: 4, attempts_comment_only: 3, successes_comment_only: 3,
    });
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldItem('fp-l2-old-learned', 'learned', 'private-db-7 refused the connection') }));
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldItem('fp-l2-old-imported', 'imported', 'registry mirror refused the connection') }));

    // Act: a failure of each fingerprint
    const entriesOf = async (fingerprint: string, id: string) => {
      const incident = failure({ id, repository: 'acme/after', repositoryId: 917, branch: 'main', fingerprint });
      return (await learning.lookup(incident, summarizeHistory(incident, []))).knowledge.entries;
    };
    const learned = await entriesOf('fp-l2-old-learned', 'gh-917-5110-1');
    const imported = await entriesOf('fp-l2-old-imported', 'gh-917-5111-1');

    // Assert: the learned one is not shown, leaves the index and expires (TTL deletes it); the imported one is read as before
    expect(learned?.map((entry) => entry.title)).not.toContain('private-db-7 refused the connection');
    const old = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'KB#fp-l2-old-learned', sk: 'ENTRY' } }))).Item;
    expect(old?.kbCategory).toBeUndefined();
    expect(old?.expiresAt).toBeLessThanOrEqual(Math.floor(at.getTime() / 1000));
    expect(imported).toEqual([expect.objectContaining({ fingerprint: 'fp-l2-old-imported', source: 'imported', match: 'exact', fix: ['fix of registry mirror refused the connection'] })]);
    expect((await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: { pk: 'KB#fp-l2-old-imported', sk: 'ENTRY' } }))).Item?.expiresAt).toBeUndefined();
  });
});

describe('L2 migration: the entries stored before learned ones were kept per repository', () => {
  const oldLearned = (fingerprint: string, category: string, title: string) => ({
    pk: `KB#${fingerprint}`, sk: 'ENTRY', kind: 'knowledge', kbFingerprint: fingerprint, kbCategory: category, kbLastSeen: at.toISOString(), category, source: 'learned',
    template: title, title, fix: ['the private fix'], action: 'comment_only', seen: 9, attempts_comment_only: 4, successes_comment_only: 4,
  });

  it('`guard kb migrate` retires the learned entries no lookup met, and leaves the imported ones', async () => {
    // Prepare: two learned entries of the old layout and an imported one, in a category no other row uses
    const learning = learningOn(scratch.client, () => at);
    for (const n of [1, 2]) await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned(`fp-l2-sweep-${n}`, 'lint', `eslint: private rule ${n}`) }));
    const row = { timestamp: '2026-11-01T00:00:00Z', title: 'eslint: no-unused-vars in the l2 sweep', tags: 'lint', solution: 'Remove the unused variable' };
    await importRows(learning.knowledge, [row], { clock: () => at });
    const out: string[] = [];

    // Act
    const code = await createKbCommand(async () => learning, historyBackfillOn(scratch.client)).run(['migrate'], { out: (line: string) => out.push(line), err: () => undefined } as never);

    // Assert
    expect(code).toBe(0);
    // (Its next lines are about other rows of this file's scratch table.)
    expect(out[0]).toBe('retired 2 learned entries of the old layout (out of the index now, deleted by DynamoDB TTL within days)');
    expect((await learning.knowledge.listByCategory('lint')).map((entry) => entry.title)).toEqual(['eslint: no-unused-vars in the l2 sweep']);
    expect(await learning.knowledge.sweepOldLearned('lint', at)).toEqual({ retired: 0, reset: 0, forgotten: 0, complete: true });
  });

  it("shows no fix an imported entry took from a repository's learned outcomes before the upgrade", async () => {
    // Prepare: an imported entry without a fix of its own, whose fix record a repository's outcomes wrote
    const learning = learningOn(scratch.client, () => at);
    const fixRecord = { current: { fix: ['Restart private-db-7 on ci-int-03.'], successes: 2, failures: 0 }, challenger: null, history: [] };
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: { ...oldLearned('fp-l2-old-fixed', 'network', 'ECONNREFUSED from the l2 old fixed import'), source: 'imported', fix: fixRecord.current.fix, fixRecord, fixVersion: 1 } }));
    const incident = failure({ id: 'gh-918-5112-1', repository: 'acme/public2', repositoryId: 918, branch: 'feature/f', pullRequest: 20, fingerprint: 'fp-l2-old-fixed' });

    // Act
    const { knowledge } = await learning.lookup(incident, summarizeHistory(incident, []));

    // Assert
    expect(knowledge.entries).toEqual([expect.objectContaining({ source: 'imported', match: 'exact', fix: [] })]);
    expect(knowledge.summary).not.toContain('private-db-7');
  });

  it('an import of a fingerprint an old-layout learned entry holds starts the shared entry afresh', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const row = { timestamp: '2026-11-01T00:00:00Z', title: 'Error: l2 import over an old learned entry', solution: 'The imported fix', success: 'true' };
    const { fingerprint } = entryFromRow(importRowSchema.parse(row));
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: oldLearned(fingerprint, 'unknown', 'private-host-3 failed') }));

    // Act
    await importRows(learning.knowledge, [row], { clock: () => at });

    // Assert: the import's title, fix and counts, none of the old entry's
    expect(await learning.knowledge.get(fingerprint)).toMatchObject({ source: 'imported', title: 'Error: l2 import over an old learned entry', fix: ['The imported fix'], seen: 1, attempts: 1 });
  });
});

describe('L2 migration (review of pass 50): what an import counted before the upgrade can be imported again', () => {
  const migrate = async (learning: ReturnType<typeof learningOn>) => {
    const out: string[] = [];
    const code = await createKbCommand(async () => learning, historyBackfillOn(scratch.client)).run(['migrate'], { out: (line: string) => out.push(line), err: () => undefined } as never);
    return { code, out };
  };
  const rows = (title: string) => [
    { timestamp: '2026-11-01T00:00:00Z', title, tags: 'infrastructure', solution: 'Log in to the registry mirror', success: 'true' },
    { timestamp: '2026-11-02T00:00:00Z', title, tags: 'infrastructure', solution: 'Log in to the registry mirror', success: 'false' },
  ];
  const fingerprintOfRows = (title: string) => entryFromRow(importRowSchema.parse(rows(title)[0])).fingerprint;
  /**
   * Before the upgrade an import onto a fingerprint already learned counted its rows on the learned entry (source
   * stayed `learned`): the rows are recorded counted, the entry is of the old layout. Its fingerprint.
   */
  const importedOntoLearned = async (learning: ReturnType<typeof learningOn>, title: string) => {
    await importRows(learning.knowledge, rows(title), { clock: () => at });
    const fingerprint = fingerprintOfRows(title);
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: {
      pk: `KB#${fingerprint}`, sk: 'ENTRY', kind: 'knowledge', kbFingerprint: fingerprint, kbCategory: 'infrastructure', kbLastSeen: at.toISOString(), category: 'infrastructure',
      source: 'learned', template: title, title: 'private-registry-9 refused the pull', action: 'comment_only', seen: 11, attempts_comment_only: 6, successes_comment_only: 5,
    } }));
    return fingerprint;
  };

  it('(medium) counts an import again after `guard kb migrate` retired the learned entry it had been counted on', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const title = 'docker: pull access denied for the l2 reimport';
    const fingerprint = await importedOntoLearned(learning, title);
    await migrate(learning);

    // Act
    const again = await importRows(learning.knowledge, rows(title), { clock: () => at });

    // Assert
    expect(again).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await learning.knowledge.get(fingerprint)).toMatchObject({ source: 'imported', title, fix: ['Log in to the registry mirror'], seen: 2, attempts: 2, successes: 1 });
  });

  it('(medium) a lookup leaves an old learned entry with imported rows for `guard kb migrate`, which lets them be imported again', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const title = 'docker: pull access denied for the l2 lookup reimport';
    const fingerprint = await importedOntoLearned(learning, title);
    const incident = failure({ id: 'gh-919-5113-1', repository: 'acme/public3', repositoryId: 919, branch: 'feature/g', pullRequest: 21, fingerprint, category: 'infrastructure' });
    await learning.lookup(incident, summarizeHistory(incident, []));

    // Act
    const { out } = await migrate(learning);
    const again = await importRows(learning.knowledge, rows(title), { clock: () => at });

    // Assert
    expect(out[0]).toMatch(/^retired [1-9]\d* learned entries of the old layout/);
    expect(again).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await learning.knowledge.get(fingerprint)).toMatchObject({ source: 'imported', title, seen: 2, attempts: 2 });
  });

  it("(low) `guard kb migrate` takes from an imported entry what a repository's learning added to it before the upgrade", async () => {
    // Prepare: an imported entry (two rows) that learned outcomes, votes and a fix record of some repository joined
    const learning = learningOn(scratch.client, () => at);
    const title = 'docker: pull access denied for the l2 mixed import';
    await importRows(learning.knowledge, rows(title), { clock: () => at });
    const fingerprint = fingerprintOfRows(title);
    const fixRecord = { current: { fix: ['Restart private-registry-9.'], successes: 3, failures: 0 }, challenger: null, history: [] };
    await scratch.client.send(new UpdateCommand({
      TableName: 'incidents', Key: entryKey(fingerprint),
      UpdateExpression: 'SET fixRecord = :record, fixVersion = :one, fix = :fix, kbLastSeen = :seenAt ADD seen :four, attempts_comment_only :four, successes_comment_only :four, attempts_rerun_failed_jobs :four, feedbackUp :one',
      ExpressionAttributeValues: { ':record': fixRecord, ':one': 1, ':fix': fixRecord.current.fix, ':seenAt': '2026-11-25T00:00:00Z', ':four': 4 },
    }));

    // Act
    const { out } = await migrate(learning);
    const cleared = await learning.knowledge.get(fingerprint);
    await importRows(learning.knowledge, rows(title), { clock: () => at });

    // Assert: nothing learned is left; imported again, the entry holds the import's counts and fix alone
    expect(out.join('\n')).toMatch(/import .* again/);
    expect(cleared).toMatchObject({ source: 'imported', title, seen: 0, attempts: 0, feedbackUp: 0, actions: {} });
    expect(cleared?.fixOutcomes).toBeUndefined();
    expect(await learning.knowledge.get(fingerprint)).toMatchObject({ source: 'imported', seen: 2, attempts: 2, successes: 1, fix: ['Log in to the registry mirror'], feedbackUp: 0 });
  });

  it('(ordinary use) `guard kb migrate` leaves an imported entry nothing learned on as it is', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const title = 'docker: pull access denied for the l2 clean import';
    await importRows(learning.knowledge, rows(title), { clock: () => at });
    const fingerprint = fingerprintOfRows(title);
    const before = await learning.knowledge.get(fingerprint);

    // Act
    await migrate(learning);

    // Assert
    expect(await learning.knowledge.get(fingerprint)).toEqual(before);
    expect(await importRows(learning.knowledge, rows(title), { clock: () => at })).toMatchObject({ imported: 0, duplicates: 2 });
  });

  it('(medium) an import over an old learned entry with imported rows leaves those rows to be imported again', async () => {
    // Prepare: the old file's two rows counted on an old learned entry; a third row of the same failure comes later
    const learning = learningOn(scratch.client, () => at);
    const title = 'docker: pull access denied for the l2 import over rows';
    const fingerprint = await importedOntoLearned(learning, title);
    const third = { ...rows(title)[0], timestamp: '2026-11-03T00:00:00Z' };

    // Act: a day after (rows claimed moments ago are another delivery's, counting now, and stay)
    const dayAfter = new Date(at.getTime() + 86_400_000);
    await importRows(learning.knowledge, [third], { clock: () => dayAfter });
    const again = await importRows(learning.knowledge, rows(title), { clock: () => dayAfter });

    // Assert: the old rows are counted on the fresh shared entry, with the third
    expect(again).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await learning.knowledge.get(fingerprint)).toMatchObject({ source: 'imported', title, seen: 3, attempts: 3, successes: 2 });
  });

  it('(ordinary use) an import over an old learned entry keeps the rows another delivery of it counted moments ago', async () => {
    // Prepare: the old file's rows on an old learned entry, a day ago; a row of today's file counted a moment ago
    const title = 'docker: pull access denied for the l2 concurrent import';
    const fingerprint = await importedOntoLearned(learningOn(scratch.client, () => at), title);
    const dayAfter = new Date(at.getTime() + 86_400_000);
    const today = [{ ...rows(title)[0], timestamp: '2026-11-04T00:00:00Z' }, { ...rows(title)[0], timestamp: '2026-11-05T00:00:00Z' }];
    const counting = entryFromRow(importRowSchema.parse(today[0])).importId;
    await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: { pk: `KB#${fingerprint}`, sk: `IMPORT#${counting}`, kind: 'knowledge-import', claimedAt: dayAfter.toISOString(), countedAt: dayAfter.toISOString() } }));

    // Act
    await importRows(learningOn(scratch.client, () => dayAfter).knowledge, [today[1]!], { clock: () => dayAfter });

    // Assert
    expect(await importRows(learningOn(scratch.client, () => dayAfter).knowledge, [today[0]!], { clock: () => dayAfter })).toMatchObject({ imported: 0, duplicates: 1 });
  });

  it("(medium) `guard kb migrate` keeps the import rows of an entry an import replaced after the category page was read", async () => {
    // Prepare: the category page (an eventually consistent index) still shows the old learned entry an import has
    // since replaced with a fresh imported one
    const title = 'docker: pull access denied for the l2 stale page';
    await importRows(learningOn(scratch.client, () => at).knowledge, rows(title), { clock: () => at });
    const fingerprint = fingerprintOfRows(title);
    const stale = { pk: `KB#${fingerprint}`, sk: 'ENTRY', kbFingerprint: fingerprint, kbCategory: 'infrastructure', kbLastSeen: at.toISOString(), category: 'infrastructure', source: 'learned', template: title, title, seen: 4 };
    const staleIndex = interceptedSends(scratch.client, (command, send) => (command.input.IndexName ? Promise.resolve({ Items: [stale] }) : send()));

    // Act
    await learningOn(staleIndex, () => at).knowledge.sweepOldLearned('infrastructure', at);
    const again = await importRows(learningOn(scratch.client, () => at).knowledge, rows(title), { clock: () => at });

    // Assert: the import's rows are still recorded counted; its counts are not doubled
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
    expect(await learningOn(scratch.client, () => at).knowledge.get(fingerprint)).toMatchObject({ source: 'imported', seen: 2, attempts: 2 });
  });

  it('(low) `guard kb migrate` says when it stopped before the end of a category', async () => {
    // Prepare: a sweep of one page of one item over a category holding two old learned entries
    const learning = learningOn(scratch.client, () => at);
    for (const n of [1, 2]) await scratch.client.send(new PutCommand({ TableName: 'incidents', Item: {
      pk: `KB#fp-l2-pages-${n}`, sk: 'ENTRY', kind: 'knowledge', kbFingerprint: `fp-l2-pages-${n}`, kbCategory: 'out_of_memory', kbLastSeen: at.toISOString(), category: 'out_of_memory', source: 'learned', template: 't', title: 't', seen: 1,
    } }));
    const partial = await learning.knowledge.sweepOldLearned('out_of_memory', at, { maxPages: 1, pageSize: 1 });
    const stub = { knowledge: { sweepOldLearned: async () => ({ retired: 1, reset: 0, forgotten: 0, complete: false }) } };
    const out: string[] = [];

    // Act
    await createKbCommand(async () => stub as never, historyBackfillOn(scratch.client)).run(['migrate'], { out: (line: string) => out.push(line), err: () => undefined } as never);

    // Assert
    expect(partial).toEqual({ retired: 1, reset: 0, forgotten: 0, complete: false });
    expect(await learning.knowledge.sweepOldLearned('out_of_memory', at)).toEqual({ retired: 1, reset: 0, forgotten: 0, complete: true });
    expect(out.join('\n')).toMatch(/run `guard kb migrate` again/);
  });
});

describe('L5 (low): learned entries never expire', () => {
  // Every fingerprint a repository's own failure shows once becomes an entry (`countSeen`), and nothing removed it:
  // incidents expire after INCIDENT_TTL_DAYS, the votes with them, the entries never. The table grew with every
  // distinct failure line ever seen (a line with a value the normalizer keeps: a port, a test's random seed), though
  // lookups stay bounded (one category page, newest first). Fixed: a learned entry expires KNOWLEDGE_RETENTION_DAYS
  // (CDK `knowledgeRetentionDays`, 180 by default) after it was last seen or learned something; imported ones never.
  const day = 86_400;

  it('gives an entry seen once an expiry', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const once = failure({ id: 'gh-920-5201-1', repository: 'acme/shop', repositoryId: 920, branch: 'main', fingerprint: 'fp-l5-once' });

    // Act
    await learning.countSeen(once, at);

    // Assert
    const item = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: entryKey('fp-l5-once', 'repo:920') }))).Item;
    expect(item).toBeDefined();
    expect(item?.expiresAt).toEqual(expect.any(Number));
  });

  it('(ordinary use) refreshes the expiry when the entry learns something, by the retention set', async () => {
    // Prepare
    const later = new Date(at.getTime() + 30 * day * 1000);
    let now = at;
    const learning = learningOn(scratch.client, () => now);
    const incident = failure({ id: 'gh-921-5202-1', repository: 'acme/shop2', repositoryId: 921, branch: 'main', fingerprint: 'fp-l5-refresh' });
    await stored(incident);
    await learning.countSeen(incident, at);

    // Act: it recovers a month later
    now = later;
    await learning.onResolved({ ...incident, status: 'resolved', resolvedAt: later.toISOString(), resolvedBy: 'run 5203' });

    // Assert
    const item = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: entryKey('fp-l5-refresh', 'repo:921') }))).Item;
    expect(item?.expiresAt).toBe(Math.floor(later.getTime() / 1000) + 180 * day);
  });

  it('(ordinary use) reads an entry TTL has expired, and DynamoDB not yet deleted, as gone', async () => {
    // Prepare: seen 181 days ago
    const learning = learningOn(scratch.client, () => new Date(at.getTime() + 181 * day * 1000));
    await learningOn(scratch.client, () => at).countSeen(failure({ id: 'gh-922-5204-1', repository: 'acme/shop3', repositoryId: 922, branch: 'main', fingerprint: 'fp-l5-gone' }), at);

    // Act / Assert
    expect(await learningOn(scratch.client, () => at).knowledge.get('fp-l5-gone', 'repo:922')).not.toBeNull();
    expect(await learning.knowledge.get('fp-l5-gone', 'repo:922')).toBeNull();
  });

  it('starts afresh an entry whose expiry passed and DynamoDB has not deleted yet, instead of reviving its counts', async () => {
    // Prepare: seen twice, then not for 181 days (TTL deletes up to days after the expiry)
    const incident = failure({ id: 'gh-923-5205-1', repository: 'acme/shop4', repositoryId: 923, branch: 'main', fingerprint: 'fp-l5-revive' });
    await learningOn(scratch.client, () => at).countSeen(incident, at);
    await learningOn(scratch.client, () => at).countSeen({ ...incident, id: 'gh-923-5206-1', runId: 5206 }, at);
    const later = new Date(at.getTime() + 181 * day * 1000);
    const learning = learningOn(scratch.client, () => later);

    // Act
    await learning.countSeen({ ...incident, id: 'gh-923-5207-1', runId: 5207, createdAt: later.toISOString() }, later);

    // Assert
    expect(await learning.knowledge.get('fp-l5-revive', 'repo:923')).toMatchObject({ seen: 1, lastSeen: later.toISOString() });
    const item = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: entryKey('fp-l5-revive', 'repo:923') }))).Item;
    expect(item?.createdAt).toBe(later.toISOString());
  });

  it('(low) counts both of two sightings that meet one expired entry at once', async () => {
    // Prepare: seen once, then not for 181 days; two writes each find it expired before either deletes it
    const key = { fingerprint: 'fp-l5-race', scope: 'repo:925', repository: 'acme/shop6' };
    const description = { template: FINGERPRINT_LINE, category: 'network' as const, source: 'learned' as const };
    await learningOn(scratch.client, () => at).knowledge.recordSeen(key, description, at);
    const later = new Date(at.getTime() + 181 * day * 1000);
    let refused = 0;
    let bothRefused: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRefused = resolve));
    const racing = {
      send: async (command: { constructor: { name: string } }) => {
        const result = (scratch.client.send as (c: unknown) => Promise<unknown>)(command);
        if (command.constructor.name !== 'UpdateCommand' || refused >= 2) return result;
        try {
          return await result;
        } catch (error) {
          refused += 1;
          if (refused === 2) bothRefused();
          await barrier;
          throw error;
        }
      },
    } as unknown as typeof scratch.client;
    const learning = learningOn(racing, () => later);

    // Act
    await Promise.all([learning.knowledge.recordSeen(key, description, later), learning.knowledge.recordSeen(key, description, later)]);

    // Assert
    expect(await learningOn(scratch.client, () => later).knowledge.get('fp-l5-race', 'repo:925')).toMatchObject({ seen: 2 });
  });

  it('(low) counts a sighting the expired entry refused when another sighting restarts the entry before it looks again', async () => {
    // Prepare: seen once, then not for 181 days. This sighting's write is refused by the expiry; before it reads the
    // entry back, another sighting refuses, deletes and writes it afresh: it reads a live entry that holds no count of it
    const key = { fingerprint: 'fp-l5-restarted', scope: 'repo:927', repository: 'acme/shop8' };
    const description = { template: FINGERPRINT_LINE, category: 'network' as const, source: 'learned' as const };
    await learningOn(scratch.client, () => at).knowledge.recordSeen(key, description, at);
    const later = new Date(at.getTime() + 181 * day * 1000);
    const mark = { id: 'seen#gh-927-5301-1#knowledge', claimedAt: later };
    let restarted = false;
    const restartedMeanwhile = {
      send: async (command: { constructor: { name: string } }) => {
        const result = (scratch.client.send as (c: unknown) => Promise<unknown>)(command);
        if (command.constructor.name !== 'UpdateCommand' || restarted) return result;
        try {
          return await result;
        } catch (error) {
          restarted = true;
          await learningOn(scratch.client, () => later).knowledge.recordSeen(key, description, later, { id: 'seen#gh-927-5302-1#knowledge', claimedAt: later });
          throw error;
        }
      },
    } as unknown as typeof scratch.client;

    const seen = async () => (await learningOn(scratch.client, () => later).knowledge.get('fp-l5-restarted', 'repo:927'))?.seen;

    // Act: the sighting, then its redelivery (the same mark)
    await learningOn(restartedMeanwhile, () => later).knowledge.recordSeen(key, description, later, mark);
    const afterSighting = await seen();
    await learningOn(scratch.client, () => later).knowledge.recordSeen(key, description, later, mark);

    // Assert: counted once, on the fresh entry, and not again by the redelivery
    expect(restarted).toBe(true);
    expect({ afterSighting, afterRedelivery: await seen() }).toEqual({ afterSighting: 2, afterRedelivery: 2 });
  });

  it("(low) keeps a repository in the list of scopes as long as a vote keeps its entry", async () => {
    // Prepare: seen once, voted on a month later
    const key = { fingerprint: 'fp-l5-scope-vote', scope: 'repo:926', repository: 'acme/shop7' };
    await learningOn(scratch.client, () => at).knowledge.recordSeen(key, { template: FINGERPRINT_LINE, category: 'network', source: 'learned' }, at);
    await learningOn(scratch.client, () => new Date(at.getTime() + 30 * day * 1000)).knowledge.recordFeedback(key, 1, 0);
    const later = learningOn(scratch.client, () => new Date(at.getTime() + 200 * day * 1000));

    // Act / Assert: the entry lives on, and so does its scope for `kb --scope acme/shop7`
    expect(await later.knowledge.get('fp-l5-scope-vote', 'repo:926')).toMatchObject({ feedbackUp: 1 });
    expect((await later.knowledge.listScopes(500)).map((scope) => scope.scope)).toContain('repo:926');
  });

  it('(ordinary use) keeps counting on an entry whose expiry has not passed', async () => {
    // Prepare
    const incident = failure({ id: 'gh-924-5208-1', repository: 'acme/shop5', repositoryId: 924, branch: 'main', fingerprint: 'fp-l5-live' });
    await learningOn(scratch.client, () => at).countSeen(incident, at);
    const later = new Date(at.getTime() + 179 * day * 1000);

    // Act
    await learningOn(scratch.client, () => later).countSeen({ ...incident, id: 'gh-924-5209-1', runId: 5209 }, later);

    // Assert
    expect(await learningOn(scratch.client, () => later).knowledge.get('fp-l5-live', 'repo:924')).toMatchObject({ seen: 2 });
  });

  it('(ordinary use) gives an imported entry no expiry', async () => {
    // Prepare
    const learning = learningOn(scratch.client, () => at);
    const row = { timestamp: '2026-11-01T00:00:00Z', title: 'Error: l5 imported failure line', solution: 'Do the imported thing' };

    // Act
    await importRows(learning.knowledge, [row], { clock: () => at });

    // Assert
    const item = (await scratch.client.send(new GetCommand({ TableName: 'incidents', Key: entryKey(entryFromRow(importRowSchema.parse(row)).fingerprint) }))).Item;
    expect(item?.source).toBe('imported');
    expect(item?.expiresAt).toBeUndefined();
  });
});
