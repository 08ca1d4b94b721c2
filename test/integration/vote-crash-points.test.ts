import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalysisSummary, type Incident, newIncident } from '../../shared/domain/incident.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { entryKey } from '../../shared/knowledge/store.js';
import { noMetrics } from '../../shared/adapters/metrics.js';
import { finishPendingVotes } from '../../shared/reconcile/pending-votes.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { repositoryKey } from '../../shared/domain/repository-key.js';
import { learningOn } from '../support/learning.js';
import { SimulatedCrash, clientFailingAtWrite } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Nothing lost and nothing counted twice between a vote and its counters (shared/knowledge/votes.ts): a writer's 👍
 * becomes a 👎, which moves every counter a vote moves (the incident's, the knowledge entry's, the fix outcome on the
 * entry's record, the false-positive metric, the experiment unit), and the process dies before each of the change's
 * writes in turn, as a `kill -9` or a Lambda timeout would; GitHub delivers the unanswered command again. After the
 * reconciler's run every counter has moved by the
 * change exactly as without the crash: the incident's own counters by the user's mark on the incident, the others by
 * the change's count marks on their items (shared/stores/count-marks.ts).
 */
const scratch = scratchStoreForFile('guard-vote-crash-points');
const T0 = new Date('2026-11-03T09:00:00.000Z');
const PIN = 'Pin the registry mirror in .npmrc.';
const AFTER_MINUTES = 10;
const EXPERIMENT = 'vote-crash';

/** The store's client, dying before its write number `crashAt` (1-based; 0: never), as a killed process would. */
function crashingClient(client: DynamoDBDocumentClient, crashAt: number): { client: DynamoDBDocumentClient; writes: () => number } {
  return clientFailingAtWrite(client, crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'answer' });
}

function analysis(): AnalysisSummary {
  return { provider: 'bedrock', model: 'm', rootCause: 'The registry dropped the connection.', fix: [PIN], confidence: 0.8, proposedAction: 'rerun_failed_jobs', rationale: 'r', evidence: [], latencyMs: 1 } as AnalysisSummary;
}

let documents: DynamoDBDocumentClient;
let incidents: ReturnType<typeof createIncidentStore>;
beforeAll(() => {
  documents = scratch.store.documents();
  incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
});

let experimentCreated = false;

/**
 * Incident number `n` of its own failure (fingerprint, repository): a fix learned from an earlier recovery, then
 * this one recovered after the guard's re-run with the same fix proposed, in a `positive_feedback` experiment; maya's
 * 👍 on it counted.
 */
async function votedUp(n: number): Promise<{ incident: Incident; repository: string; fingerprint: string }> {
  const learning = learningOn(documents, () => T0);
  if (!experimentCreated) {
    await learning.experiments.create(
      { id: EXPERIMENT, categories: ['network'], variants: [{ name: 'short', action: 'comment_only', weight: 1, params: { commentDetail: 'short' } }, { name: 'full', action: 'comment_only', weight: 1 }], metric: { kind: 'positive_feedback', minutes: 600 }, minSamplePerVariant: 5 },
      T0,
    );
    experimentCreated = true;
  }
  const fingerprint = `c0ffee${String(n).padStart(4, '0')}`;
  const repository = `acme/votes-${n}`;
  const failed = (run: number) =>
    newIncident(
      {
        id: `gh-1-${run}-1`, source: 'github', repository, repositoryId: 1, workflowName: 'CI', runId: run, runAttempt: 1, headSha: String(run).padStart(40, 'e'),
        category: 'network', fingerprint, template: 'npm ERR! network ECONNRESET', failureLines: [{ line: 1, text: 'npm ERR! network ECONNRESET' }], fromFork: false, runEvent: 'push',
        analysis: analysis(), decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: T0.toISOString() },
      },
      T0,
    );
  for (const run of [20_000 + n * 2, 20_001 + n * 2]) {
    const incident = failed(run);
    await incidents.create(incident, null);
    const { experiment } = await learning.lookup(incident, summarizeHistory(incident, []));
    await incidents.update(incident.id, { experiment });
    await learning.onResolved(await incidents.update(incident.id, { status: 'resolved', resolvedBy: 'run 1' }));
  }
  const incident = (await incidents.get(`gh-1-${20_001 + n * 2}-1`)) as Incident;
  expect(incident.experiment?.experimentId).toBe(EXPERIMENT);
  await learning.onFeedback(incident, 'up', 'maya', null);
  return { incident: (await incidents.get(incident.id)) as Incident, repository, fingerprint };
}

/** Every counter the change moves, as stored. */
async function counters(incidentId: string, repository: string, fingerprint: string) {
  const read = async (table: string, key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};
  const incident = await read('incidents', { pk: `INCIDENT#${incidentId}`, sk: 'INCIDENT' });
  const entry = await read('incidents', entryKey(fingerprint, 'repo:1'));
  const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(repository)}`, sk: 'TOTAL' });
  const fixRecord = (entry.fixRecord as { current?: { successes: number; failures: number } } | undefined)?.current;
  const units = await learningOn(documents, () => T0).experiments.unitCounters(EXPERIMENT);
  return {
    incidentUp: Number(incident.feedbackUp ?? 0),
    incidentDown: Number(incident.feedbackDown ?? 0),
    entryUp: Number(entry.feedbackUp ?? 0),
    entryDown: Number(entry.feedbackDown ?? 0),
    fixSuccesses: fixRecord?.successes ?? 0,
    fixFailures: fixRecord?.failures ?? 0,
    falsePositives: Number(metrics.falsePositives ?? 0),
    experimentSuccesses: units.reduce((sum, variant) => sum + variant.successes, 0),
  };
}
type Counters = Awaited<ReturnType<typeof counters>>;
const minus = (a: Counters, b: Counters) => Object.fromEntries(Object.entries(a).map(([name, value]) => [name, value - b[name as keyof Counters]])) as Counters;

/**
 * Maya's 👍 becomes a 👎 by command, the process dying before write `crashAt` (0: it lives); GitHub delivers the
 * command again (its answer never came), then the reconciler runs.
 */
async function downVote(n: number, crashAt: number) {
  const { incident, repository, fingerprint } = await votedUp(n);
  const before = await counters(incident.id, repository, fingerprint);
  const crashing = crashingClient(documents, crashAt);
  const votedAt = new Date(T0.getTime() + 60_000);
  const command = { via: 'command', writtenAt: votedAt.toISOString() } as const;
  const crashed = await learningOn(crashing.client, () => votedAt).onFeedback(incident, 'down', 'maya', null, command).then(() => false, (error: unknown) => {
    if (!(error instanceof SimulatedCrash)) throw error;
    return true;
  });
  // The restarted runtime: the redelivery, and its reconciler once the change is older than its afterMinutes.
  const later = new Date(votedAt.getTime() + (AFTER_MINUTES + 1) * 60_000);
  const votes = learningOn(documents, () => later);
  if (crashed) await votes.onFeedback(incident, 'down', 'maya', null, command);
  await finishPendingVotes({ votes, incidents, clock: () => later, logger: silentLogger, metrics: noMetrics }, { maxPerRun: 25, afterMinutes: AFTER_MINUTES, lookbackHours: 48 });
  const pendingLeft = await votes.pendingChanges(later, { limit: 100, lookbackHours: 48 });
  return { crashed, writes: crashing.writes(), moved: minus(await counters(incident.id, repository, fingerprint), before), pendingLeft };
}

describe('a vote and its counters, killed between any two of its writes', () => {
  it('counts every counter once after the reconciler', async () => {
    // Prepare: the change without a crash, for what it moves and how many writes it makes
    const reference = await downVote(0, 0);
    expect(reference.crashed).toBe(false);
    expect(reference.moved).toEqual({ incidentUp: -1, incidentDown: 1, entryUp: -1, entryDown: 1, fixSuccesses: -1, fixFailures: 1, falsePositives: 1, experimentSuccesses: -1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await downVote(crashAt, crashAt)) });

    // Assert: every counter moved by the change once, and nothing left pending
    for (const outcome of outcomes) {
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, pendingLeft: outcome.pendingLeft, moved: outcome.moved }).toEqual({ crashAt: outcome.crashAt, crashed: true, pendingLeft: [], moved: reference.moved });
    }
  }, 120_000);
});

describe('a vote item', () => {
  it('expires with its incident: it carries an expiresAt of the incidents’ time to live', async () => {
    // Prepare / Act: maya's 👍, recorded with ttlDays 400 at T0
    const { incident } = await votedUp(1_000);

    // Assert: DynamoDB's TTL takes the vote item away too, 400 days from when it was written
    const item = (await documents.send(new GetCommand({ TableName: 'incidents', Key: { pk: `INCIDENT#${incident.id}`, sk: 'FEEDBACK#maya' }, ConsistentRead: true }))).Item;
    expect(item?.vote).toBe('up');
    expect(item?.expiresAt).toBe(Math.floor(T0.getTime() / 1000) + 400 * 86_400);
  });
});
