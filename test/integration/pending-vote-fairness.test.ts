import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECONCILER_METRIC } from '../../shared/adapters/metric-names.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { finishPendingVotes } from '../../shared/reconcile/pending-votes.js';
import type { Metrics, StepLogger } from '../../shared/ports.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * The reconciler's sweep of pending vote changes (shared/reconcile/pending-votes.ts) is read oldest first and bounded
 * per run: changes whose finish fails every time (here: their incident cannot be read) must not hold back a newer
 * change for good, and one that never finishes is given up loudly without losing the change.
 */
const scratch = scratchStoreForFile('guard-pending-vote-fairness');
const AFTER_MINUTES = 10;
const MAX_PER_RUN = 25;
const RUN_EVERY_MS = 5 * 60_000;

class SimulatedCrash extends Error {}

/** The store's client, dying before its third write: after the vote's due entry and vote item, before any counter. */
function dyingAfterTheVote(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  let writes = 0;
  const send = (command: { constructor: { name: string } }) => {
    if (/^(Put|Update|Delete|BatchWrite)Command$/.test(command.constructor.name)) {
      writes += 1;
      if (writes === 3) return Promise.reject(new SimulatedCrash('killed after the vote was written'));
    }
    return client.send(command as never);
  };
  return new Proxy(client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) });
}

let documents: DynamoDBDocumentClient;
let incidents: ReturnType<typeof createIncidentStore>;
beforeAll(() => {
  documents = scratch.store.documents();
  incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
});

/** An incident with maya's 👍 recorded at `at` and its counters never moved: her applier died after the vote's write. */
async function pendingUpVote(id: string, at: Date): Promise<Incident> {
  const incident = newIncident({ id, source: 'github', repository: 'acme/fair', runId: 1, runAttempt: 1 }, at);
  await incidents.create(incident, null);
  const voted = learningOn(dyingAfterTheVote(documents), () => at).onFeedback(incident, 'up', 'maya', null, { via: 'command', writtenAt: at.toISOString() });
  await expect(voted).rejects.toBeInstanceOf(SimulatedCrash);
  return incident;
}

/** The incident store, unable to read the incidents in `unreadable`. */
function withUnreadable(unreadable: ReadonlySet<string>) {
  return {
    get: async (id: string) => {
      if (unreadable.has(id)) throw new Error('ProvisionedThroughputExceededException');
      return incidents.get(id);
    },
  };
}

function recordingMetrics(): Metrics & { total: (name: string) => number } {
  const counted: Array<{ name: string; value: number }> = [];
  return { count: (name, value) => counted.push({ name, value }), measure() {}, total: (name) => counted.filter((c) => c.name === name).reduce((sum, c) => sum + c.value, 0) };
}

function recordingLogger(): StepLogger & { errors: string[] } {
  const errors: string[] = [];
  return { info() {}, warn() {}, error: (message: string) => errors.push(message), errors };
}

/** Scheduled reconciler runs, every five minutes from `first`. */
async function runs(count: number, first: Date, deps: { incidents: ReturnType<typeof withUnreadable>; metrics?: Metrics; logger?: StepLogger }) {
  for (let run = 0; run < count; run += 1) {
    const now = new Date(first.getTime() + run * RUN_EVERY_MS);
    await finishPendingVotes(
      { votes: learningOn(documents, () => now), incidents: deps.incidents, clock: () => now, logger: deps.logger ?? silentLogger, metrics: deps.metrics ?? recordingMetrics() },
      { maxPerRun: MAX_PER_RUN, afterMinutes: AFTER_MINUTES, lookbackHours: 48 },
    );
  }
}

describe('pending vote changes: one change that cannot be finished holds back no other', () => {
  it('finishes a change recorded after a run\'s worth of changes that fail every time', async () => {
    // Prepare: 26 changes whose incident cannot be read, then one good change, recorded 30 seconds after the first
    const t0 = new Date('2026-11-10T09:00:00.000Z');
    const failing = new Set<string>();
    for (let i = 0; i <= MAX_PER_RUN; i += 1) {
      failing.add((await pendingUpVote(`gh-fair-${i}`, new Date(t0.getTime() + i * 1_000))).id);
    }
    const good = await pendingUpVote('gh-fair-good', new Date(t0.getTime() + 30_000));

    // Act: four runs, five minutes apart, the first once every change is older than the reconciler's afterMinutes
    await runs(4, new Date(t0.getTime() + (AFTER_MINUTES + 1) * 60_000), { incidents: withUnreadable(failing) });

    // Assert: the good change's counter moved and its entry is gone; the failing ones are still listed, for later
    expect((await incidents.get(good.id))?.feedbackUp).toBe(1);
    const later = new Date(t0.getTime() + 2 * 86_400_000);
    const left = await learningOn(documents, () => later).pendingChanges(later, { limit: 100, lookbackHours: 72 });
    expect(left.map((entry) => entry.incidentId).sort()).toEqual([...failing].sort());
  });

  it('gives up a change that keeps failing: an error and a metric, its entry gone, the change kept for the user\'s next vote', async () => {
    // Prepare
    const t0 = new Date('2026-11-12T09:00:00.000Z');
    const stuck = await pendingUpVote('gh-stuck', t0);
    const metrics = recordingMetrics();
    const logger = recordingLogger();

    // Act: runs every five minutes for half a day, the incident unreadable throughout
    await runs(150, new Date(t0.getTime() + (AFTER_MINUTES + 1) * 60_000), { incidents: withUnreadable(new Set([stuck.id])), metrics, logger });

    // Assert: given up once, loudly, after its failures; listed no more
    expect(metrics.total(RECONCILER_METRIC.pendingVotesAbandoned)).toBe(1);
    expect(logger.errors).toEqual([expect.stringContaining('given up')]);
    const dayLater = new Date(t0.getTime() + 86_400_000);
    expect(await learningOn(documents, () => dayLater).pendingChanges(dayLater, { limit: 100, lookbackHours: 48 })).toEqual([]);

    // Act: maya votes again once the incident can be read
    await learningOn(documents, () => dayLater).onFeedback(stuck, 'down', 'maya', null, { via: 'command', writtenAt: dayLater.toISOString() });

    // Assert: her earlier change was finished first, then this one: one down vote, no up vote
    expect(await incidents.get(stuck.id)).toMatchObject({ feedbackUp: 0, feedbackDown: 1 });
  });
});

describe('pending vote changes: moving a failed change later', () => {
  it('brings back no entry that went meanwhile: a change the user\'s next vote finished is not listed again', async () => {
    // Prepare: a pending change listed by a run, then finished by maya's next vote while that run failed on it
    const t0 = new Date('2026-11-14T09:00:00.000Z');
    const incident = await pendingUpVote('gh-moved-gone', t0);
    const runAt = new Date(t0.getTime() + (AFTER_MINUTES + 1) * 60_000);
    const votes = learningOn(documents, () => runAt);
    const [listed] = await votes.pendingChanges(runAt, { limit: 10, lookbackHours: 48 });
    await votes.onFeedback(incident, 'down', 'maya', null, { via: 'command', writtenAt: runAt.toISOString() });

    // Act: the run moves the change it failed on five minutes later
    const moved = await votes.retryPendingChange(listed!, new Date(runAt.getTime() + RUN_EVERY_MS));

    // Assert
    expect(moved).toBe(false);
    const later = new Date(runAt.getTime() + 3_600_000);
    expect(await learningOn(documents, () => later).pendingChanges(later, { limit: 10, lookbackHours: 48 })).toEqual([]);
  });
});
