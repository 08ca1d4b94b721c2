import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash } from '../support/failing-writes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { learningOn, networkRerunExperiment } from '../support/learning.js';

/**
 * Nothing lost and nothing counted twice where an event is claimed once and then counted on other items: an
 * experiment unit (its attempt on the variant and on its deadline's bucket). The process dies before each of the
 * event's writes in turn, as a `kill -9` or a Lambda timeout would, and the event comes again (the stage retried):
 * every counter then moved as without the crash, once (see shared/stores/count-marks.ts).
 */
const scratch = scratchStoreForFile('guard-claim-count-crash-points');
const T0 = new Date('2026-11-03T09:00:00.000Z');
const EXPERIMENT = 'unit-crash';

/** The store's client, dying before its write number `crashAt` (1-based; 0: never): that write and every call after it fail. */
function crashingClient(client: DynamoDBDocumentClient, crashAt: number) {
  return clientFailingAtWrite(client, crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'fail' });
}

let documents: DynamoDBDocumentClient;

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
