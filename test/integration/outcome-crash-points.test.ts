import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalysisSummary, type Incident, type JobFailureSummary, newIncident } from '../../shared/domain/incident.js';
import { knowledgeScopeOf } from '../../shared/knowledge/scope.js';
import { repositoryKey } from '../../shared/domain/repository-key.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { entryKey } from '../../shared/knowledge/store.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { githubIncidentFields, githubIncidentScope } from '../../shared/domain/github-incident.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { knowledgeLookupStep } from '../../shared/steps/knowledge-lookup.js';
import { recordWorkflowRecovery } from '../../shared/steps/record-outcome.js';
import { createGuardStore } from '../../shared/remediation/guard-store.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createRecoveryTargets } from '../../shared/stores/recovery-targets.js';
import { failedRunDelivery } from '../support/fakes.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash, throttlingClient } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { learningOn, networkRerunExperiment } from '../support/learning.js';
import { handledAfter } from '../support/handling-time.js';

/**
 * Nothing lost and nothing counted twice between a recovery and learning's counters (shared/knowledge/learning.ts
 * onResolved): the process dies before each write of the recovery in turn (the outcome's claim, the knowledge entry,
 * the fix record, the repository metrics, the commit's test evidence and its flaky roll-up, the experiment unit and
 * variant, the incident's `resolved`), as a `kill -9` or a Lambda timeout would, and the recovery is delivered again.
 * Every counter then moved exactly as it does without the crash: once.
 */
const scratch = scratchStoreForFile('guard-outcome-crash-points');
// Handled after the failed run's delivery ended: a clock 17 days before it read each failure as stamped ahead (session 44).
const T0 = handledAfter(failedRunDelivery(0).body);
const PIN = 'Pin the registry mirror in .npmrc.';
const EXPERIMENT = 'outcome-crash';

/**
 * The store's client, dying before its write number `crashAt` (1-based; 0: never), as a killed process would: that
 * write and every call after it fail.
 */
function crashingClient(client: DynamoDBDocumentClient, crashAt: number): { client: DynamoDBDocumentClient; writes: () => number } {
  return clientFailingAtWrite(client, crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'fail' });
}

function analysis(): AnalysisSummary {
  return { provider: 'bedrock', model: 'm', rootCause: 'The registry dropped the connection.', fix: [PIN], confidence: 0.8, proposedAction: 'rerun_failed_jobs', rationale: 'r', evidence: [], latencyMs: 1 } as AnalysisSummary;
}

function job(category: Incident['category'] & string, fingerprint: string): JobFailureSummary {
  return { jobId: 1, jobName: 'build', url: null, category, fingerprint, logSource: 'job_log', failures: [] };
}

let documents: DynamoDBDocumentClient;
beforeAll(async () => {
  documents = scratch.store.documents();
  await learningOn(documents, () => T0).experiments.create(networkRerunExperiment(EXPERIMENT), T0);
});

/**
 * Failure number `n`, its own (fingerprint, repository, commit): its job failed on the commit, the guard re-ran it,
 * and the re-run is about to pass. In the experiment (category `network`) or out of it (`dependency`): an incident
 * in an experiment counts no action on its knowledge entry, one out of it no experiment counters.
 */
async function failed(n: number, inExperiment: boolean) {
  const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
  const learning = learningOn(documents, () => T0);
  const category = inExperiment ? 'network' : 'dependency';
  const fingerprint = `0c7c0e${String(n).padStart(4, '0')}`;
  const repository = `acme/outcomes-${n}`;
  const runId = 30_000 + n;
  const headSha = String(runId).padStart(40, 'a');
  const scope = `${repository}#main#CI`;
  const incident = newIncident(
    {
      id: `gh-1-${runId}-1`, source: 'github', repository, repositoryId: 1, workflowName: 'CI', runId, runAttempt: 1, headSha, branch: 'main',
      category, fingerprint, template: 'npm ERR! network ECONNRESET', failureLines: [{ line: 1, text: 'npm ERR! network ECONNRESET' }], fromFork: false, runEvent: 'push',
      jobs: [job(category, fingerprint)], analysis: analysis(),
      decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: T0.toISOString() },
    },
    T0,
  );
  await incidents.create(incident, scope);
  const { experiment } = await learning.lookup(incident, summarizeHistory(incident, []));
  expect(experiment?.experimentId ?? null).toBe(inExperiment ? EXPERIMENT : null);
  if (experiment) await incidents.update(incident.id, { experiment });
  // Classify recorded the job as failed on the commit: its pass now is flaky evidence.
  await learning.baselines.recordTestResults(repository, headSha, [{ test: 'job:CI/build', passed: false }], T0);
  return { incident, repository, fingerprint, headSha, scope, runId };
}

type Failure = Awaited<ReturnType<typeof failed>>;

/** Every counter the recovery moves, as stored. */
async function counters({ repository, fingerprint, headSha }: Failure) {
  const read = async (table: string, key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};
  const entry = await read('incidents', entryKey(fingerprint, 'repo:1'));
  const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(repository)}`, sk: 'TOTAL' });
  const tests = await read('baselines', { pk: `TESTS#${repositoryKey(repository)}#${headSha}`, sk: 'job:CI/build' });
  const flaky = await read('baselines', { pk: `FLAKY#${repositoryKey(repository)}`, sk: 'job:CI/build' });
  const fixRecord = (entry.fixRecord as { current?: { successes: number; failures: number } } | undefined)?.current;
  const experiments = learningOn(documents, () => T0).experiments;
  const variants = await experiments.counters(EXPERIMENT);
  const units = await experiments.unitCounters(EXPERIMENT);
  const sum = (rows: Array<Record<string, unknown>>, name: string) => rows.reduce((total, row) => total + Number(row[name] ?? 0), 0);
  const breaker = await createGuardStore({ client: documents, tableName: 'incidents', clock: () => new Date(T0.getTime() + 15 * 60_000) }).read(repositoryKey(repository), 2);
  return {
    breakerAttempts: breaker.recentOutcomes.attempts,
    entryAttempts: Number(entry.attempts_rerun_failed_jobs ?? 0),
    entrySuccesses: Number(entry.successes_rerun_failed_jobs ?? 0),
    fixSuccesses: fixRecord?.successes ?? 0,
    resolved: Number(metrics.resolved ?? 0),
    autoFixSuccesses: Number(metrics.autoFixSuccesses ?? 0),
    actionsTaken: Number(metrics.actionsTaken ?? 0),
    testPasses: Number(tests.passes ?? 0),
    flakes: Number(flaky.flakes ?? 0),
    variantRecoveries: sum(variants, 'recoveries'),
    unitSuccesses: sum(units, 'successes'),
  };
}
type Counters = Awaited<ReturnType<typeof counters>>;
const minus = (a: Counters, b: Counters) => Object.fromEntries(Object.entries(a).map(([name, value]) => [name, value - b[name as keyof Counters]])) as Counters;

/**
 * The recovery's deps on `client`: its incident store, the targets its redelivery reads back, learning loop and
 * circuit breaker counters, no GitHub installation to comment with.
 */
function outcomeDeps(client: DynamoDBDocumentClient, at: Date) {
  return {
    guards: createGuardStore({ client, tableName: 'incidents', clock: () => at }),
    incidents: createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 }),
    recoveryTargets: createRecoveryTargets({ client, tableName: 'incidents', clock: () => at }),
    learning: learningOn(client, () => at),
    clock: () => at,
    github: { forInstallation: () => null },
    logger: silentLogger,
  };
}

/** Failure `n`'s re-run passes; the process dies before write `crashAt` (0: it lives), and the recovery is delivered again. */
async function recover(n: number, inExperiment: boolean, crashAt: number) {
  const failure = await failed(n, inExperiment);
  const before = await counters(failure);
  const crashing = crashingClient(documents, crashAt);
  const passedAt = new Date(T0.getTime() + 10 * 60_000);
  const recovery = { scope: failure.scope, runId: failure.runId, runAttempt: 2, resolvedBy: `run ${failure.runId} (attempt 2)`, installationId: null, completedAt: passedAt };
  const crashed = await diesOfCrash(recordWorkflowRecovery(recovery, outcomeDeps(crashing.client, passedAt)));
  // The restarted runtime: the recovery again (Lambda's retry of the asynchronous invocation, the local queue's redelivery).
  const again = new Date(passedAt.getTime() + 2 * 60_000);
  await recordWorkflowRecovery(recovery, outcomeDeps(documents, again));
  const incident = await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).get(failure.incident.id);
  return { crashed, writes: crashing.writes(), moved: minus(await counters(failure), before), status: incident?.status };
}

describe.each([
  { name: 'out of an experiment', inExperiment: false, first: 100 },
  { name: 'in an experiment', inExperiment: true, first: 200 },
])('a recovery $name, killed before any of its writes', ({ inExperiment, first }) => {
  it('counts every counter once after the redelivery', async () => {
    // Prepare: the recovery without a crash, for what it moves and how many writes it makes
    const reference = await recover(first, inExperiment, 0);
    expect(reference.crashed).toBe(false);
    expect(reference.moved).toEqual({
      breakerAttempts: 1,
      entryAttempts: inExperiment ? 0 : 1,
      entrySuccesses: inExperiment ? 0 : 1,
      fixSuccesses: 1,
      resolved: 1,
      autoFixSuccesses: 1,
      actionsTaken: 1,
      testPasses: 1,
      flakes: 1,
      variantRecoveries: inExperiment ? 1 : 0,
      unitSuccesses: inExperiment ? 1 : 0,
    });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await recover(first + crashAt, inExperiment, crashAt)) });

    // Assert: every counter moved by the recovery exactly once, and the incident resolved
    for (const outcome of outcomes) {
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, status: outcome.status, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: true, status: 'resolved', moved: reference.moved });
    }
  });
});

/** The same failure's re-run failed too; the process dies before write `crashAt`, and the next attempt's stage is retried. */
async function rerunFailed(n: number, crashAt: number) {
  const failure = await failed(n, false);
  const before = await counters(failure);
  const crashing = crashingClient(documents, crashAt);
  const attempt = await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).get(failure.incident.id);
  const later = new Date(T0.getTime() + 10 * 60_000);
  await learningOn(crashing.client, () => later).onRemediationFailed(attempt as Incident).catch((error: unknown) => {
    if (!(error instanceof SimulatedCrash)) throw error;
  });
  const crashed = crashAt > 0 && crashing.writes() >= crashAt;
  // The stage again (Step Functions' retry of the killed task), and once more (a re-drive): counted once in all.
  await learningOn(documents, () => new Date(later.getTime() + 60_000)).onRemediationFailed(attempt as Incident);
  await learningOn(documents, () => new Date(later.getTime() + 120_000)).onRemediationFailed(attempt as Incident);
  const after = await counters(failure);
  const metrics = (await documents.send(new GetCommand({ TableName: 'baselines', Key: { pk: `METRICS#${repositoryKey(failure.repository)}`, sk: 'TOTAL' }, ConsistentRead: true }))).Item ?? {};
  const fixRecord = ((await documents.send(new GetCommand({ TableName: 'incidents', Key: entryKey(failure.fingerprint, 'repo:1'), ConsistentRead: true }))).Item?.fixRecord ?? {}) as { current?: { failures: number } };
  return { crashed, writes: crashing.writes(), moved: { ...minus(after, before), autoFixAttempts: Number(metrics.autoFixAttempts ?? 0), fixFailures: fixRecord.current?.failures ?? 0 } };
}

describe('a failed re-run’s outcome, killed before any of its writes', () => {
  it('counts every counter once after the stage is retried', async () => {
    // Prepare: without a crash
    const reference = await rerunFailed(300, 0);
    expect(reference.moved).toMatchObject({ entryAttempts: 1, entrySuccesses: 0, actionsTaken: 1, autoFixAttempts: 1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await rerunFailed(300 + crashAt, crashAt)) });

    // Assert
    for (const outcome of outcomes) expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: true, moved: reference.moved });
  });
});

describe('an analysis’s cost on its experiment arm, killed before any of its writes', () => {
  it('is charged once after the stage is retried', async () => {
    const charged = async (n: number, crashAt: number) => {
      const { incident } = await failed(n, true);
      const stored = (await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).get(incident.id)) as Incident;
      const analysed = { ...stored, analysis: { ...analysis(), cost: { inputTokens: 1000, outputTokens: 200, estimatedUsd: 0.01 } } } as Incident;
      const analyses = async () => (await learningOn(documents, () => T0).experiments.counters(EXPERIMENT)).reduce((sum, variant) => sum + Number(variant.analyses ?? 0), 0);
      const before = await analyses();
      const crashing = crashingClient(documents, crashAt);
      await learningOn(crashing.client, () => T0).onAnalyzed(analysed).catch((error: unknown) => {
        if (!(error instanceof SimulatedCrash)) throw error;
      });
      await learningOn(documents, () => new Date(T0.getTime() + 60_000)).onAnalyzed(analysed);
      return { writes: crashing.writes(), moved: (await analyses()) - before };
    };
    // The claim, the arm's counters, the claim's reader ended and the claim recorded counted (one write when no other
    // delivery reads it), the counters' mark released: killed before each.
    const reference = await charged(400, 0);
    expect(reference).toEqual({ writes: 4, moved: 1 });
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) expect({ crashAt, moved: (await charged(400 + crashAt, crashAt)).moved }).toEqual({ crashAt, moved: 1 });
  });
});

describe('a knowledge stage killed before any of its writes', () => {
  it('counts the incident seen once after the stage is retried', async () => {
    const seen = async (n: number, crashAt: number) => {
      const event = failedRunDelivery(500_000 + n, { run: { workflow_id: 600_000 + n } });
      const trigger = triggerFromWorkflowRun(event.body as never, `delivery-seen-${n}`);
      const fingerprint = `5ee0${String(n).padStart(6, '0')}`;
      const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
      const incident = newIncident({ ...githubIncidentFields(trigger, T0), category: 'dependency', fingerprint, template: 'npm ERR! peer dep', failureLines: [{ line: 1, text: 'npm ERR! peer dep' }] }, T0);
      await incidents.create(incident, githubIncidentScope(trigger), trigger);
      const read = async () => ({
        entrySeen: Number((await documents.send(new GetCommand({ TableName: 'incidents', Key: entryKey(fingerprint, knowledgeScopeOf(incident)), ConsistentRead: true }))).Item?.seen ?? 0),
        metricsIncidents: Number((await documents.send(new GetCommand({ TableName: 'baselines', Key: { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' }, ConsistentRead: true }))).Item?.incidents ?? 0),
      });
      const before = await read();
      const crashing = crashingClient(documents, crashAt);
      const stageDeps = (client: DynamoDBDocumentClient, at: Date) => ({ incidents: createIncidentStore({ client, tableName: 'incidents', ttlDays: 30 }), learning: learningOn(client, () => at), clock: () => at, logger: silentLogger });
      await knowledgeLookupStep({ trigger }, stageDeps(crashing.client, T0)).catch((error: unknown) => {
        if (!(error instanceof SimulatedCrash)) throw error;
      });
      // Killed, the task is retried by Step Functions; done, it may still run again (a re-drive).
      await knowledgeLookupStep({ trigger }, stageDeps(documents, new Date(T0.getTime() + 60_000)));
      const after = await read();
      return { writes: crashing.writes(), moved: { entrySeen: after.entrySeen - before.entrySeen, metricsIncidents: after.metricsIncidents - before.metricsIncidents } };
    };
    const reference = await seen(1, 0);
    expect(reference.moved).toEqual({ entrySeen: 1, metricsIncidents: 1 });
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) expect({ crashAt, moved: (await seen(1 + crashAt, crashAt)).moved }).toEqual({ crashAt, moved: reference.moved });
  });
});

describe('a recovery whose store refuses one of its writes for now', () => {
  it('fails, and its redelivery counts every counter once', async () => {
    // Prepare: the recovery without a failure, for what it moves and how many writes it makes
    const reference = await recover(600, true, 0);

    // Act: each of its writes refused once by a throttle; the recovery is delivered again
    const outcomes = [];
    for (let failAt = 1; failAt <= reference.writes; failAt += 1) {
      const failure = await failed(600 + failAt, true);
      const before = await counters(failure);
      const passedAt = new Date(T0.getTime() + 10 * 60_000);
      const recovery = { scope: failure.scope, runId: failure.runId, runAttempt: 2, resolvedBy: `run ${failure.runId} (attempt 2)`, installationId: null, completedAt: passedAt };
      const first = await recordWorkflowRecovery(recovery, outcomeDeps(throttlingClient(documents, failAt), passedAt)).then(
        () => 'recorded',
        (error: unknown) => (error as Error).name,
      );
      await recordWorkflowRecovery(recovery, outcomeDeps(documents, new Date(passedAt.getTime() + 60_000)));
      const incident = await createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 }).get(failure.incident.id);
      outcomes.push({ failAt, first, status: incident?.status, moved: minus(await counters(failure), before) });
    }

    // Assert: the first delivery failed (so it was delivered again), and every counter moved once
    for (const outcome of outcomes) {
      expect(outcome).toEqual({ failAt: outcome.failAt, first: 'ProvisionedThroughputExceededException', status: 'resolved', moved: reference.moved });
    }
  });
});
