import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { jobEvidenceNames } from '../../shared/baselines/flaky.js';
import { baselineKeys, createBaselineStore } from '../../shared/baselines/store.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { type Incident, newIncident, readClaimValue } from '../../shared/domain/incident.js';
import { repositoryKey } from '../../shared/domain/repository-key.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { entryFromRow, importRowSchema, importRows } from '../../shared/knowledge/import.js';
import { knowledgeScopeOf } from '../../shared/knowledge/scope.js';
import { createKnowledgeStore, entryKey } from '../../shared/knowledge/store.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { knowledgeLookupStep } from '../../shared/steps/knowledge-lookup.js';
import { createIncidentStore, incidentKey } from '../../shared/stores/incident-store.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash, throttlingClient } from '../support/failing-writes.js';
import { createFakeGitHub, failedRunDelivery, stepDeps } from '../support/fakes.js';
import { countMarksOn } from '../support/count-marks.js';
import { scratchStoreForFile } from '../support/harness.js';
import { learningOn, networkRerunExperiment } from '../support/learning.js';
import { handledAfter } from '../support/handling-time.js';

/**
 * Nothing lost and nothing counted twice where an event is claimed once and then counted on other items: an
 * experiment unit (its attempt on the variant and on its deadline's bucket), an imported history row (its entry's
 * counts), classify's record of a failure's jobs on their commit (the commit's fail count and the flaky roll-up).
 * The process dies before each of the event's writes in turn, as a `kill -9` or a Lambda timeout would, and the
 * event comes again (the stage retried, the file imported again): every counter then moved as without the crash,
 * once (see shared/stores/count-marks.ts). Classify also fails, to be retried, when a write is refused for now.
 */
const scratch = scratchStoreForFile('guard-claim-count-crash-points');
// Handled after the failed run's delivery ended: a clock 17 days before it read each failure as stamped ahead (session 44).
const T0 = handledAfter(failedRunDelivery(0).body);
const EXPERIMENT = 'unit-crash';

/** The store's client, dying before its write number `crashAt` (1-based; 0: never): that write and every call after it fail. */
function crashingClient(client: DynamoDBDocumentClient, crashAt: number) {
  return clientFailingAtWrite(client, crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'fail' });
}

let documents: DynamoDBDocumentClient;
const read = async (table: string, key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};

beforeAll(async () => {
  documents = scratch.store.documents();
  await learningOn(documents, () => T0).experiments.create(networkRerunExperiment(EXPERIMENT), T0);
});

describe('an experiment unit joined by knowledge lookup, killed before any of its writes', () => {
  it('counts the unit’s attempt once, on its variant and on its deadline’s bucket, after the stage is retried', async () => {
    const attempts = async () => {
      const experiments = learningOn(documents, () => T0).experiments;
      const sum = (rows: Array<{ attempts?: number }>) => rows.reduce((total, row) => total + Number(row.attempts ?? 0), 0);
      return { variant: sum(await experiments.counters(EXPERIMENT)), buckets: sum(await experiments.unitCounters(EXPERIMENT)) };
    };
    const joined = async (n: number, crashAt: number) => {
      const runId = 40_000 + n;
      const incident = newIncident(
        { id: `gh-1-${runId}-1`, source: 'github', repository: `acme/units-${n}`, workflowName: 'CI', runId, runAttempt: 1, headSha: String(runId).padStart(40, 'b'), branch: 'main', category: 'network', fingerprint: `0e1f${String(n).padStart(6, '0')}`, fromFork: false, runEvent: 'push' },
        T0,
      );
      const before = await attempts();
      const crashing = crashingClient(documents, crashAt);
      const crashed = await diesOfCrash(learningOn(crashing.client, () => T0).lookup(incident, summarizeHistory(incident, [])));
      // Step Functions' retry of the killed task, and a re-drive after it.
      for (const minutes of [1, 2]) {
        const { experiment } = await learningOn(documents, () => new Date(T0.getTime() + minutes * 60_000)).lookup(incident, summarizeHistory(incident, []));
        expect(experiment?.experimentId).toBe(EXPERIMENT);
      }
      const after = await attempts();
      return { crashed, writes: crashing.writes(), moved: { variant: after.variant - before.variant, buckets: after.buckets - before.buckets } };
    };

    // Prepare: without a crash
    const reference = await joined(1, 0);
    expect(reference.moved).toEqual({ variant: 1, buckets: 1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await joined(1 + crashAt, crashAt)) });

    // Assert
    for (const outcome of outcomes) expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: true, moved: reference.moved });
  });
});

describe('a knowledge import killed before any of its writes', () => {
  it('counts each row once on its entry when the file is imported again, and says so', async () => {
    const imported = async (n: number, crashAt: number) => {
      const row = { timestamp: '2026-10-01T10:00:00Z', title: `Disk quota exceeded on the ${'abcdefghij'[n]} runner pool`, description: 'No space left on device', service: 'ci', severity: 'high', resolution_time: '30', solution: 'Re-ran the job', tags: 'infrastructure', success: 'true' };
      const { fingerprint } = entryFromRow(importRowSchema.parse(row));
      const counts = async () => {
        const entry = await read('incidents', entryKey(fingerprint));
        return { seen: Number(entry.seen ?? 0), attempts: Number(entry.attempts_rerun_failed_jobs ?? 0), successes: Number(entry.successes_rerun_failed_jobs ?? 0) };
      };
      const before = await counts();
      const crashing = crashingClient(documents, crashAt);
      const crashed = await diesOfCrash(importRows(createKnowledgeStore({ client: crashing.client, tableName: 'incidents', learnedRetentionDays: 180 }), [row], { clock: () => T0 }));
      // The operator imports the file again, and once more.
      const again = await importRows(createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 }), [row], { clock: () => new Date(T0.getTime() + 60_000) });
      const thrice = await importRows(createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 }), [row], { clock: () => new Date(T0.getTime() + 120_000) });
      const after = await counts();
      return {
        crashed,
        writes: crashing.writes(),
        imported: again.imported + thrice.imported,
        moved: { seen: after.seen - before.seen, attempts: after.attempts - before.attempts, successes: after.successes - before.successes },
      };
    };

    // Prepare: without a crash; the imports again find the row imported
    const reference = await imported(0, 0);
    expect(reference).toMatchObject({ imported: 0, moved: { seen: 1, attempts: 1, successes: 1 } });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await imported(crashAt, crashAt)) });

    // Assert: counted once, and the import that recorded the row counted says it imported it: the imports again,
    // unless the crash came only after that record (before the last write, which takes the row's mark off the entry)
    expect(reference.writes).toBe(4);
    for (const outcome of outcomes) {
      const recordedBeforeCrash = outcome.crashAt === reference.writes;
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, imported: outcome.imported, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: true, imported: recordedBeforeCrash ? 0 : 1, moved: reference.moved });
    }
  });
});

describe('a bulk import of one fingerprint’s history', () => {
  it('leaves no mark per row on the entry, so its size does not grow with the rows imported', async () => {
    // Prepare: 60 rows describing the same failure, each its own history row
    const rows = Array.from({ length: 60 }, (_, i) => ({ timestamp: `2026-09-01T${String(i % 24).padStart(2, '0')}:${String(i).padStart(2, '0')}:00Z`, title: 'Runner lost communication with the server', description: 'The runner has received a shutdown signal', service: 'ci', severity: 'high', resolution_time: '10', solution: 'Re-ran the job', tags: 'infrastructure', success: 'true' }));
    const { fingerprint } = entryFromRow(importRowSchema.parse(rows[0]));

    // Act
    const summary = await importRows(createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 }), rows, { clock: () => T0 });

    // Assert: every row counted once, and the entry keeps no mark of a row whose count is recorded on the row
    const entry = await read('incidents', entryKey(fingerprint));
    expect({ imported: summary.imported, seen: Number(entry.seen) }).toEqual({ imported: 60, seen: 60 });
    expect(countMarksOn(entry)).toEqual([]);
  });
});


describe('one repository failing again and again on one commit (a busy repository in a storm)', () => {
  it('counts each failure once on the shared counters, which keep no mark of a failure whose counts are all made', async () => {
    // Prepare: 25 failed runs of job `build` on one commit of one repository, all one failure (one fingerprint)
    const sha = 'd'.repeat(40);
    const fingerprint = '5eedc0de00';
    const failures = await Promise.all(
      Array.from({ length: 25 }, async (_, i) => {
        const trigger = triggerFromWorkflowRun(failedRunDelivery(900_000 + i, { run: { workflow_id: 910_000, head_sha: sha } }).body as never, `delivery-storm-${i}`);
        const incident = newIncident({ ...githubIncidentFields(trigger, T0), category: 'dependency', fingerprint, template: 'npm ERR! peer dep', failureLines: [{ line: 1, text: 'npm ERR! peer dep' }] }, T0);
        await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).create(incident, githubIncidentScope(trigger), trigger);
        return { trigger, incident };
      }),
    );
    const { trigger, incident } = failures[0] as (typeof failures)[number];
    const repository = trigger.repository.fullName;
    const [test] = jobEvidenceNames({ workflowName: trigger.workflowRun.name, jobs: [{ jobName: 'build' } as never] }) as [string];
    const github = createFakeGitHub();
    github.port.listFailedJobs = async () => [{ id: 1, name: 'build', htmlUrl: null, conclusion: 'failure', checkRunId: 1, steps: [] }];
    const deps = stepDeps({ github: github.port, clock: () => T0, incidents: createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 }), learning: learningOn(documents, () => T0) }).deps;

    // Act: classify and the knowledge stage for each, one after another; then each again (a re-drive of every stage)
    for (let round = 0; round < 2; round += 1) {
      for (const failure of failures) {
        await classifyStep({ trigger: failure.trigger, incidentStored: true }, deps);
        await knowledgeLookupStep({ trigger: failure.trigger }, deps);
      }
    }

    // Assert: the commit's fails of the job, the repository's incidents and the entry's sightings each counted 25
    // times, none of the three items keeping a mark, and every incident's two claims recorded counted
    const testItem = await read('baselines', baselineKeys.test(repository, sha, test));
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(repository)}`, sk: 'TOTAL' });
    // The entry of the failure as classify fingerprinted it (from the job's log, not the fingerprint it was created with).
    const classified = (await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).get(incident.id)) as Incident;
    const entry = await read('incidents', entryKey(classified.fingerprint as string, knowledgeScopeOf(classified)));
    expect({ fails: testItem.fails, incidents: metrics.incidents, seen: entry.seen }).toEqual({ fails: 25, incidents: 25, seen: 25 });
    expect({ test: countMarksOn(testItem), metrics: countMarksOn(metrics), entry: countMarksOn(entry) }).toEqual({ test: [], metrics: [], entry: [] });
    const claims = await Promise.all(failures.map(async (failure) => read('incidents', incidentKey(failure.incident.id))));
    expect(claims.map((item) => [readClaimValue(item.failedJobsRecordedAt)?.counted, readClaimValue(item.kbSeenAt)?.counted])).toEqual(failures.map(() => [true, true]));
  });
});

describe('the units of one experiment, each joined once and joined again', () => {
  it('counts each unit’s attempt once, and its variant’s and its bucket’s counters keep no mark of a counted unit', async () => {
    // Prepare: an experiment of its own, so that its partition holds only these units' counts
    const id = 'unit-storm';
    const experiments = learningOn(documents, () => T0).experiments;
    await experiments.create(networkRerunExperiment(id), T0);
    const deadline = new Date(T0.getTime() + 3_600_000);

    // Act: 20 units joined, then each joined again (a retried knowledge stage)
    for (let round = 0; round < 2; round += 1) {
      for (let unit = 0; unit < 20; unit += 1) await experiments.claimUnit(id, `acme/storm#${unit}`, unit % 2 === 0 ? 'short' : 'full', deadline, new Date(T0.getTime() + round * 60_000));
    }

    // Assert
    const sum = (rows: Array<{ attempts?: number }>) => rows.reduce((total, row) => total + Number(row.attempts ?? 0), 0);
    expect({ variants: sum(await experiments.counters(id)), buckets: sum(await experiments.unitCounters(id)) }).toEqual({ variants: 20, buckets: 20 });
    const partition = await documents.send(new QueryCommand({ TableName: 'experiments', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EXPERIMENT#${id}` }, ConsistentRead: true }));
    expect((partition.Items ?? []).flatMap(countMarksOn)).toEqual([]);
  });
});

/**
 * Failure number `n` of job `build`, on a commit where the job passed before (a re-run that passed): its incident
 * stored, classify not run yet. `classify` runs the stage on `client` at `at`; `counts` reads the commit's fails of
 * the job and the job's flaky roll-up.
 */
async function failedOnPassedCommit(n: number) {
  const event = failedRunDelivery(800_000 + n, { run: { workflow_id: 810_000 + n, head_sha: String(800_000 + n).padStart(40, 'c') } });
  const trigger = triggerFromWorkflowRun(event.body as never, `delivery-classify-${n}`);
  await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).create(newIncident(githubIncidentFields(trigger, T0), T0), githubIncidentScope(trigger), trigger);
  const repository = trigger.repository.fullName;
  const sha = trigger.workflowRun.headSha;
  const [test] = jobEvidenceNames({ workflowName: trigger.workflowRun.name, jobs: [{ jobName: 'build' } as never] }) as [string];
  await createBaselineStore({ client: documents, tableName: 'baselines' }).recordTestResults(repository, sha, [{ test, passed: true }], T0);
  const github = createFakeGitHub();
  github.port.listFailedJobs = async () => [{ id: 1, name: 'build', htmlUrl: null, conclusion: 'failure', checkRunId: 1, steps: [] }];
  return {
    counts: async () => ({ fails: Number((await read('baselines', baselineKeys.test(repository, sha, test))).fails ?? 0), flakes: Number((await read('baselines', baselineKeys.flaky(repository, test))).flakes ?? 0) }),
    classify: (client: DynamoDBDocumentClient, at: Date) =>
      classifyStep(
        { trigger, incidentStored: true },
        stepDeps({ github: github.port, clock: () => at, incidents: createIncidentStore({ client, tableName: 'incidents', ttlDays: 30, clock: () => at }), learning: learningOn(client, () => at) }).deps,
      ),
  };
}

/**
 * Which of classify's writes (1-based, as clientFailingAtWrite counts them) is the pull request's alias item: its
 * failure is the alias's alone (PullAliasWriteError), and classify carries on with the classification recorded.
 */
async function aliasWriteOfClassify(n: number): Promise<number> {
  const { classify } = await failedOnPassedCommit(n);
  const writes: string[] = [];
  const recording = new Proxy(documents, {
    get: (target, name) => (name === 'send'
      ? (command: { constructor: { name: string }; input?: { Item?: { pk?: unknown } } }) => {
        if (/^(Put|Update|Delete|BatchWrite)Command$/.test(command.constructor.name)) writes.push(String(command.input?.Item?.pk ?? ''));
        return target.send(command as never);
      }
      : Reflect.get(target, name)),
  });
  await classify(recording, T0);
  const at = writes.findIndex((pk) => pk.startsWith('PULLALIAS#'));
  if (at < 0) throw new Error('classify wrote no pull request alias');
  return at + 1;
}

describe('classify killed before any of its writes, on a commit whose job passed before', () => {
  it('counts the job’s failure on the commit and the flaky roll-up once after the stage is retried', async () => {
    const classified = async (n: number, crashAt: number) => {
      const { counts, classify } = await failedOnPassedCommit(n);
      const before = await counts();
      const crashing = crashingClient(documents, crashAt);
      const crashed = await diesOfCrash(classify(crashing.client, T0));
      // Step Functions' retry of the killed task, and a re-drive after it.
      await classify(documents, new Date(T0.getTime() + 60_000));
      await classify(documents, new Date(T0.getTime() + 120_000));
      const after = await counts();
      return { crashed, writes: crashing.writes(), moved: { fails: after.fails - before.fails, flakes: after.flakes - before.flakes } };
    };

    // Prepare: without a crash
    const reference = await classified(0, 0);
    expect(reference.moved).toEqual({ fails: 1, flakes: 1 });
    const aliasWrite = await aliasWriteOfClassify(50);

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await classified(crashAt, crashAt)) });

    // Assert
    // (Killed at the alias write, the simulation's classify carries on as with any failure of it: a real kill ends it
    // there, and the retry counts the same.)
    for (const outcome of outcomes) {
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: outcome.crashAt !== aliasWrite, moved: reference.moved });
    }
  });
});

describe('classify whose store refuses one of its writes for now', () => {
  it('fails, and its retry counts the job’s failure and the flaky roll-up once', async () => {
    // Prepare: the stage without a failure, for how many writes it makes
    const aliasWrite = await aliasWriteOfClassify(99);
    const reference = await failedOnPassedCommit(100);
    const counting = clientFailingAtWrite(documents, 0, { error: () => new Error('never'), thereafter: 'answer' });
    await reference.classify(counting.client, T0);

    // Act: each of its writes refused once by a throttle; Step Functions retries the stage when it failed
    const outcomes = [];
    for (let failAt = 1; failAt <= counting.writes(); failAt += 1) {
      const { counts, classify } = await failedOnPassedCommit(100 + failAt);
      const before = await counts();
      const first = await classify(throttlingClient(documents, failAt), T0).then(
        () => 'classified',
        (error: unknown) => (error as Error).name,
      );
      if (first !== 'classified') await classify(documents, new Date(T0.getTime() + 60_000));
      const after = await counts();
      outcomes.push({ failAt, first, moved: { fails: after.fails - before.fails, flakes: after.flakes - before.flakes } });
    }

    // Assert: the first try failed (so it was retried), but for the alias item's write, whose failure is not classify's,
    // and both counters moved once
    for (const outcome of outcomes) {
      const first = outcome.failAt === aliasWrite ? 'classified' : 'ProvisionedThroughputExceededException';
      expect(outcome).toEqual({ failAt: outcome.failAt, first, moved: { fails: 1, flakes: 1 } });
    }
  });
});

describe('classify whose baselines keep refusing its writes for now', () => {
  it('fails to be retried early on, then classifies without the flaky evidence rather than lose the classification', async () => {
    // Prepare: the baselines table throttles every write; the incidents table answers
    const { counts, classify } = await failedOnPassedCommit(300);
    const throttle = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException', $retryable: {} });
    const baselinesRefused = new Proxy(documents, {
      get(target, key, receiver) {
        if (key !== 'send') return Reflect.get(target, key, receiver);
        return async (command: { input?: { TableName?: string } }) => {
          if (command.input?.TableName === 'baselines' && command.constructor.name !== 'GetCommand' && command.constructor.name !== 'QueryCommand') throw throttle();
          return target.send(command as never);
        };
      },
    });
    const before = await counts();

    // Act: Step Functions' first try and a retry soon after, then a retry a minute after the first try
    const outcome = async (at: Date) => classify(baselinesRefused, at).then((r) => `classified as ${r.category}`, (error: unknown) => (error as Error).name);
    const first = await outcome(T0);
    const soon = await outcome(new Date(T0.getTime() + 10_000));
    const late = await outcome(new Date(T0.getTime() + 60_000));

    // Assert: the early tries fail for the retry; the late one classifies (the counts are the only loss)
    expect({ first, soon }).toEqual({ first: 'ProvisionedThroughputExceededException', soon: 'ProvisionedThroughputExceededException' });
    expect(late).toMatch(/^classified as /);
    expect(await counts()).toEqual(before);
  });
});

describe('a knowledge import meeting rows another import holds or an older version counted', () => {
  const rowFor = (title: string) => ({ timestamp: '2026-10-02T10:00:00Z', title, description: 'Out of memory', service: 'ci', severity: 'high', resolution_time: '30', solution: 'Re-ran the job', tags: 'infrastructure', success: 'true' });
  const seenOf = async (row: Record<string, unknown>) => Number((await read('incidents', entryKey(entryFromRow(importRowSchema.parse(row)).fingerprint))).seen ?? 0);

  it('never counts again a row an import before the claims kept a time counted, however often it is imported', async () => {
    // Prepare: the row as the version before this one left it: imported, its claim without a time
    const row = rowFor('Legacy import of the worker pool OOM');
    const { fingerprint, importId } = entryFromRow(importRowSchema.parse(row));
    await documents.send(new UpdateCommand({ TableName: 'incidents', Key: { pk: `KB#${fingerprint}`, sk: `IMPORT#${importId}` }, UpdateExpression: 'SET #kind = :kind', ExpressionAttributeNames: { '#kind': 'kind' }, ExpressionAttributeValues: { ':kind': 'knowledge-import' } }));
    const store = createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 });

    // Act: imported again, then once more a minute later
    const again = await importRows(store, [row], { clock: () => T0 });
    const later = await importRows(store, [row], { clock: () => new Date(T0.getTime() + 60_000) });

    // Assert
    expect([again, later].map((s) => ({ imported: s.imported, duplicates: s.duplicates }))).toEqual([{ imported: 0, duplicates: 1 }, { imported: 0, duplicates: 1 }]);
    expect(await seenOf(row)).toBe(0);
  });

  it('counts a row the file holds twice once, and calls the second a duplicate, not one another import holds', async () => {
    // Prepare: an export that repeats a row (two rows with the same content are the same history row)
    const row = rowFor('Repeated row of the worker pool OOM');
    const store = createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 });

    // Act: both copies in flight at once, as the import's workers take them
    const summary = await importRows(store, [row, { ...row }], { clock: () => T0, concurrency: 2 });

    // Assert: "held" would tell the operator to import the file again, for nothing
    expect({ imported: summary.imported, duplicates: summary.duplicates, held: summary.held, seen: await seenOf(row) }).toEqual({ imported: 1, duplicates: 1, held: 0, seen: 1 });
  });

  it('leaves a row another import claimed moments ago to it, and says so, instead of counting it a second time', async () => {
    // Prepare: import A claimed the row and has not counted it yet (or stopped just now)
    const row = rowFor('Concurrent import of the worker pool OOM');
    const { fingerprint, importId } = entryFromRow(importRowSchema.parse(row));
    await documents.send(new UpdateCommand({ TableName: 'incidents', Key: { pk: `KB#${fingerprint}`, sk: `IMPORT#${importId}` }, UpdateExpression: 'SET #kind = :kind, #claimedAt = :at', ExpressionAttributeNames: { '#kind': 'kind', '#claimedAt': 'claimedAt' }, ExpressionAttributeValues: { ':kind': 'knowledge-import', ':at': T0.toISOString() } }));
    const store = createKnowledgeStore({ client: documents, tableName: 'incidents', learnedRetentionDays: 180 });

    // Act: import B five seconds later; then, the claim left two minutes (A stopped), import C
    const b = await importRows(store, [row], { clock: () => new Date(T0.getTime() + 5_000) });
    const seenAfterB = await seenOf(row);
    const c = await importRows(store, [row], { clock: () => new Date(T0.getTime() + 120_000) });

    // Assert: B counts nothing and says the row is held; C, after A's claim went stale, counts it once
    expect({ imported: b.imported, duplicates: b.duplicates, held: b.held, seen: seenAfterB }).toEqual({ imported: 0, duplicates: 0, held: 1, seen: 0 });
    expect({ imported: c.imported, held: c.held, seen: await seenOf(row) }).toEqual({ imported: 1, held: 0, seen: 1 });
  });
});

describe("a commit's test evidence in the baselines table", () => {
  it('expires 30 days after it was first recorded, claims included, while the flaky roll-up stays', async () => {
    // Prepare: a gate request's report of up to 1,000 tests is an item a test on its commit, and a claim.
    const store = createBaselineStore({ client: documents, tableName: 'baselines' });
    const repository = 'acme/evidence-ttl';
    const sha = 'e'.repeat(40);
    const expected = Math.floor(T0.getTime() / 1000) + 30 * 86_400;

    // Act: the results, then the same test failing a day later on the same commit
    await store.claimTestReport(repository, sha, 'report-1', T0);
    await store.recordTestResults(repository, sha, [{ test: 'test_totals', passed: true }], T0);
    await store.recordTestResults(repository, sha, [{ test: 'test_totals', passed: false }], new Date(T0.getTime() + 86_400_000));

    // Assert: kept from the first record, not pushed back by later ones; the roll-up, read by later commits, has none
    expect((await read('baselines', baselineKeys.test(repository, sha, 'test_totals'))).expiresAt).toBe(expected);
    expect((await read('baselines', { pk: `TESTREPORT#${repository}#${sha}`, sk: 'report-1' })).expiresAt).toBe(expected);
    const rollUp = await read('baselines', baselineKeys.flaky(repository, 'test_totals'));
    expect(rollUp.flakes).toBe(1);
    expect(rollUp.expiresAt).toBeUndefined();
  });
});
