import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import type { Category } from '../../shared/logs/types.js';
import { experimentReport, renderExperimentReport } from '../../shared/experiments/report.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * When an experiment's outcomes count: an arm's unit (a failing commit, whatever its attempts) counts once, and
 * only once its outcome is final (recovered or voted up by its deadline, or the deadline passed), so an arm whose
 * recoveries take longer is not shown as failing while they are pending.
 */
const scratch = scratchStoreForFile('guard-experiment-outcomes');
const T0 = new Date('2026-11-02T09:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function setup(category: Category) {
  let now = T0;
  const client = scratch.store.documents();
  const learning = learningOn(client, () => now);
  const incidents = createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 });
  return {
    learning,
    client,
    incidents,
    at(when: Date) {
      now = when;
    },
    /** A failure at `failedAt`, through the knowledge stage: assigned to an arm, the assignment stored. */
    async fail(id: string, fields: { runId: number; attempt: number; sha: string; failedAt: Date; fingerprint?: string }): Promise<Incident> {
      now = fields.failedAt;
      const incident = newIncident(
        { id, source: 'github', repository: 'acme/app', repositoryId: 1, workflowName: 'CI', runId: fields.runId, runAttempt: fields.attempt, headSha: fields.sha, category, fromFork: false, failedAt: fields.failedAt.toISOString(), fingerprint: fields.fingerprint ?? null },
        fields.failedAt,
      );
      await incidents.create(incident, null);
      const { experiment, knowledge } = await learning.lookup(incident, summarizeHistory(incident, []));
      return incidents.update(id, { experiment, knowledge });
    },
    /** The incident's action (its arm's, or `action`) applied, as the remediation stage records it. */
    applied(incident: Incident, action = incident.experiment?.action ?? 'comment_only'): Promise<Incident> {
      return incidents.update(incident.id, { decision: { action, reason: 'test', applied: true, result: null, dryRun: false, decidedAt: now.toISOString() } });
    },
    /** The green run at `at`, recorded for the incident (and delivered again). */
    async recover(incident: Incident, at: Date) {
      now = at;
      const seconds = Math.round((at.getTime() - Date.parse(incident.failedAt)) / 1000);
      const resolved = await incidents.update(incident.id, { status: 'resolved', resolvedAt: at.toISOString(), timeToRecoverySeconds: seconds, resolvedBy: 'run 9' });
      await learning.onResolved(resolved);
      await learning.onResolved(resolved);
    },
    report: (id: string, when: Date) => experimentReport(learning.experiments, id, when),
  };
}

const arms = [
  { name: 'fast', action: 'comment_only' as const, weight: 1 },
  { name: 'slow', action: 'escalate' as const, weight: 1 },
];
const sha = (n: number) => n.toString(16).padStart(40, 'a');

describe('experiment outcomes count when final', () => {
  it('does not show the arm whose recoveries take longer as losing while they are pending', async () => {
    // Prepare: 40 commits fail at T0; the fast arm's recover after 5 minutes, the slow arm's after 50, all inside
    // the 60-minute window: the arms are equally good.
    const run = setup('network');
    await run.learning.experiments.create({ id: 'pending-bias', categories: ['network'], variants: arms, metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 }, T0);
    const failures = [];
    for (let i = 0; i < 40; i += 1) failures.push(await run.fail(`gh-1-${1000 + i}-1`, { runId: 1000 + i, attempt: 1, sha: sha(1000 + i), failedAt: T0 }));
    const fast = failures.filter((incident) => incident.experiment?.variant === 'fast');
    const slow = failures.filter((incident) => incident.experiment?.variant === 'slow');

    // Act: looked at after the fast arm's recoveries, before the slow arm's; then after every window closed
    for (const incident of fast) await run.recover(incident, minutes(5));
    const early = await run.report('pending-bias', minutes(10));
    for (const incident of slow) await run.recover(incident, minutes(50));
    const late = await run.report('pending-bias', minutes(150));

    // Assert: early, nothing is final and there is no winner (counting units when assigned showed all of the fast
    // arm's recovered against none of the slow arm's, and named it the winner); late, both arms recovered every unit
    // in time. The split is keyed with the experiment's secret: each arm gets at least 5 of 40 but once in 10 million.
    expect(Math.min(fast.length, slow.length)).toBeGreaterThanOrEqual(5);
    expect(early.decision.state).not.toBe('winner');
    expect(early.results.map((r) => [r.attempts, r.successes])).toEqual([[0, 0], [0, 0]]);
    expect(early.results.reduce((sum, r) => sum + r.pending, 0)).toBe(40);
    expect(late.results.every((r) => r.attempts > 0 && r.successes === r.attempts && r.pending === 0)).toBe(true);
    expect(late.decision.state).not.toBe('winner');
  });

  it('counts a commit once, however many of its attempts failed and recovered', async () => {
    // Prepare: attempt 1 of a run fails, its re-run (attempt 2) fails too; one green run resolves both
    const run = setup('dependency');
    await run.learning.experiments.create({ id: 'one-unit', categories: ['dependency'], variants: arms, metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 }, T0);
    const first = await run.fail('gh-1-2000-1', { runId: 2000, attempt: 1, sha: sha(2000), failedAt: T0 });
    const second = await run.fail('gh-1-2000-2', { runId: 2000, attempt: 2, sha: sha(2000), failedAt: minutes(10) });

    // Act
    await run.recover(first, minutes(20));
    await run.recover(second, minutes(20));
    const report = await run.report('one-unit', minutes(120));

    // Assert: one unit, one success and one recovery 20 minutes after its first failure, in the arm both attempts
    // were given (each attempt used to count: 2 recoveries, a mean of 15 minutes)
    expect(second.experiment?.variant).toBe(first.experiment?.variant);
    expect(report.results.find((r) => r.name === first.experiment?.variant)).toMatchObject({ assigned: 1, attempts: 1, successes: 1, recoveries: 1, meanTimeToRecoverySeconds: 1200 });
    expect(report.results.reduce((sum, r) => sum + r.assigned, 0)).toBe(1);
  });

  it('counts a unit that never recovers in time as a failure once its window closed, and a later recovery changes nothing', async () => {
    // Prepare
    const run = setup('timeout');
    await run.learning.experiments.create({ id: 'timeouts', categories: ['timeout'], variants: arms, metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 }, T0);
    const incident = await run.fail('gh-1-3000-1', { runId: 3000, attempt: 1, sha: sha(3000), failedAt: T0 });
    const arm = incident.experiment?.variant;

    // Act
    const during = await run.report('timeouts', minutes(30));
    await run.recover(incident, minutes(90));
    const after = await run.report('timeouts', minutes(150));

    // Assert
    expect(during.results.find((r) => r.name === arm)).toMatchObject({ assigned: 1, pending: 1, attempts: 0, successes: 0 });
    expect(after.results.find((r) => r.name === arm)).toMatchObject({ assigned: 1, pending: 0, attempts: 1, successes: 0 });
  });

  it('gives positive feedback a window: a 👍 in time is a success, one after it is not, and the outcomes become final', async () => {
    // Prepare
    const run = setup('lint');
    await run.learning.experiments.create({ id: 'thumbs', categories: ['lint'], variants: arms, metric: { kind: 'positive_feedback', minutes: 60 }, minSamplePerVariant: 5 }, T0);
    const inTime = await run.fail('gh-1-4000-1', { runId: 4000, attempt: 1, sha: sha(4000), failedAt: T0 });
    const tooLate = await run.fail('gh-1-4001-1', { runId: 4001, attempt: 1, sha: sha(4001), failedAt: T0 });

    // Act
    run.at(minutes(30));
    await run.learning.onFeedback(inTime, 'up', 'maintainer', null);
    run.at(minutes(90));
    await run.learning.onFeedback(tooLate, 'up', 'maintainer', null);
    const report = await run.report('thumbs', minutes(150));

    // Assert: two final outcomes, one success
    expect(report.results.reduce((sum, r) => sum + r.attempts, 0)).toBe(2);
    expect(report.results.reduce((sum, r) => sum + r.successes, 0)).toBe(1);
    expect(report.results.find((r) => r.name === inTime.experiment?.variant)?.successes).toBe(1);
  });

  it('still counts the success of an incident assigned before units were kept, in an experiment created before', async () => {
    // Prepare: a definition and an assignment as stored before this change: no `outcomes` field, no unit item
    const run = setup('out_of_memory');
    await run.learning.experiments.create({ id: 'legacy', categories: ['out_of_memory'], variants: arms, metric: { kind: 'recovered_within', minutes: 60 } }, T0);
    await run.client.send(new UpdateCommand({ TableName: 'experiments', Key: { pk: 'EXPERIMENTS', sk: 'EXP#legacy' }, UpdateExpression: 'REMOVE outcomes' }));
    await run.learning.experiments.addCounters('legacy', 'fast', { attempts: 1 });
    const experiment = { experimentId: 'legacy', variant: 'fast', action: 'comment_only' as const, params: {}, key: `acme/app|CI|${sha(5000)}`, assignedAt: T0.toISOString() };
    await run.incidents.create(newIncident({ id: 'gh-1-5000-1', source: 'github', repository: 'acme/app', workflowName: 'CI', headSha: sha(5000), category: 'out_of_memory', failedAt: T0.toISOString(), experiment }, T0), null);
    const incident = (await run.incidents.get('gh-1-5000-1')) as Incident;

    // Act
    await run.recover(incident, minutes(20));
    const report = await run.report('legacy', minutes(30));

    // Assert: its old counters, the success counted once, shown apart from the units counted when final
    expect(report.beforeUnits?.find((b) => b.name === 'fast')).toEqual({ name: 'fast', attempts: 1, successes: 1 });
    expect(report.results.find((r) => r.name === 'fast')).toMatchObject({ attempts: 0, successes: 0, pending: 0 });
  });
});

describe('after an experiment ends', () => {
  it('gives later incidents the promoted winner, or what they got before the experiment when it is stopped without one, never an arm by chance', async () => {
    // Prepare: before the experiment, a manual fix (comment) resolved this failure 5 times out of 5: the knowledge
    // base's recommendation. Then an experiment of two other actions, equally good: each of 30 commits recovers
    // in 5 minutes whatever its arm.
    const run = setup('infrastructure');
    const fingerprint = 'feedc0de01';
    for (let i = 0; i < 5; i += 1) {
      const earlier = await run.applied(await run.fail(`gh-1-${6000 + i}-1`, { runId: 6000 + i, attempt: 1, sha: sha(6000 + i), failedAt: T0, fingerprint }), 'comment_only');
      await run.recover(earlier, minutes(5));
    }
    await run.learning.experiments.create(
      { id: 'ends', categories: ['infrastructure'], variants: [{ name: 'rerun', action: 'rerun_failed_jobs', weight: 1 }, { name: 'page', action: 'escalate', weight: 1 }], metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 },
      minutes(10),
    );
    for (let i = 0; i < 30; i += 1) {
      const incident = await run.applied(await run.fail(`gh-1-${6100 + i}-1`, { runId: 6100 + i, attempt: 1, sha: sha(6100 + i), failedAt: minutes(20), fingerprint }));
      await run.recover(incident, minutes(25));
    }
    const during = await run.report('ends', minutes(200));

    // Act: stopped; a new commit fails. Then the rerun arm is promoted by name; another commit fails.
    await run.learning.experiments.stop('ends', minutes(200));
    const afterStop = await run.fail('gh-1-6200-1', { runId: 6200, attempt: 1, sha: sha(6200), failedAt: minutes(210), fingerprint });
    const sameCommitAgain = await run.fail('gh-1-6100-2', { runId: 6100, attempt: 2, sha: sha(6100), failedAt: minutes(211), fingerprint });
    await run.learning.experiments.promote('ends', 'rerun', minutes(220));
    const afterPromotion = await run.fail('gh-1-6201-1', { runId: 6201, attempt: 1, sha: sha(6201), failedAt: minutes(230), fingerprint });

    // Assert: the rule saw no difference. Stopped, a new incident (or another attempt of a commit in the experiment)
    // joins no arm and gets the recommendation it had before: the arms' outcomes used to count on the knowledge
    // entry as the actions' record, so whichever arm had more units (n of n beats 5 of 5) became the recommendation.
    expect(during.decision.state).not.toBe('winner');
    for (const incident of [afterStop, sameCommitAgain]) {
      expect(incident.experiment).toBeNull();
      expect(incident.knowledge?.recommendation).toMatchObject({ action: 'comment_only', source: 'knowledge' });
    }
    expect(afterPromotion.experiment).toBeNull();
    expect(afterPromotion.knowledge?.recommendation).toMatchObject({ action: 'rerun_failed_jobs', source: 'policy', experimentId: 'ends', variant: 'rerun' });
  });
});

describe('an experiment stored before units, deadlines and the assignment secret', () => {
  it('reads and reports it, showing its earlier counts apart from the outcomes counted when final, which alone the rule compares', async () => {
    // Prepare: the definition and counters as the store wrote them before (git show 720e0df:shared/experiments/
    // store.ts): no `outcomes`, no secret, a positive_feedback metric without a window, untyped params; each
    // incident counted an attempt when assigned and a success when voted up. Read by the old rule, 10 of 12
    // against 2 of 12 is a winner.
    const run = setup('configuration');
    await run.client.send(
      new PutCommand({
        TableName: 'experiments',
        Item: {
          pk: 'EXPERIMENTS', sk: 'EXP#old-shape', id: 'old-shape', description: '', categories: ['configuration'], fingerprints: [],
          variants: [{ name: 'rerun', action: 'rerun_failed_jobs', weight: 50, params: {} }, { name: 'debug', action: 'rerun_failed_jobs', weight: 50, params: { debugLogging: 'true' } }],
          metric: { kind: 'positive_feedback' }, minSamplePerVariant: 5, confidence: 0.95, maxSamplePerVariant: 50,
          status: 'running', createdAt: '2026-11-20T00:00:00.000Z', promotedVariant: null, promotedAt: null,
        },
      }),
    );
    for (const [variant, attempts, successes] of [['rerun', 12, 10], ['debug', 12, 2]] as const) {
      await run.client.send(new PutCommand({ TableName: 'experiments', Item: { pk: 'EXPERIMENT#old-shape', sk: `VARIANT#${variant}`, experimentId: 'old-shape', variant, attempts, successes } }));
    }

    // Act: six commits fail after the upgrade and join it; one of them is voted up in time
    const assigned = [];
    for (let i = 0; i < 6; i += 1) assigned.push(await run.fail(`gh-1-${8000 + i}-1`, { runId: 8000 + i, attempt: 1, sha: sha(8000 + i), failedAt: T0 }));
    run.at(minutes(30));
    await run.learning.onFeedback(assigned[0] as Incident, 'up', 'maintainer', null);
    const during = await run.report('old-shape', minutes(60));
    const after = await run.report('old-shape', minutes(8 * 24 * 60));

    // Assert: every commit joined an arm; the six are pending during their (default, one-week) window and final
    // after it, one success; the counts from before stay as they were, shown apart, and decide nothing (they
    // were read as final outcomes, the pending units as failures: the old rule's winner)
    expect(assigned.every((incident) => incident.experiment?.experimentId === 'old-shape')).toBe(true);
    expect(during.results.map((r) => r.attempts)).toEqual([0, 0]);
    expect(during.results.reduce((sum, r) => sum + r.pending, 0)).toBe(6);
    expect(after.results.reduce((sum, r) => sum + r.attempts, 0)).toBe(6);
    expect(after.results.reduce((sum, r) => sum + r.successes, 0)).toBe(1);
    expect(after.beforeUnits).toEqual([{ name: 'rerun', attempts: 12, successes: 10 }, { name: 'debug', attempts: 12, successes: 2 }]);
    expect(after.decision.state).toBe('collecting');
    expect(after.decision.reason).toContain('counted before units were kept');
    const text = renderExperimentReport(after);
    expect(text).toContain('success: positive feedback within 10080 min');
    expect(text).toContain('counted before units were kept (each incident when assigned, its success when it came; not compared): rerun 10/12, debug 2/12');
  });
});
