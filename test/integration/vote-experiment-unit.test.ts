import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { noMetrics } from '../../shared/adapters/metrics.js';
import { finishPendingVotes } from '../../shared/reconcile/pending-votes.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Votes on an experiment unit (a failing commit's attempts, experiments/assign.ts) through two of its incidents, against
 * the embedded store: a crash left one user's change pending on one incident while her change on the other was counted
 * (found by session 30's attacker pass).
 */
const scratch = scratchStoreForFile('guard-vote-experiment-unit');
const T0 = new Date('2026-11-03T09:00:00.000Z');
const EXPERIMENT = 's30-unit-votes';

class SimulatedCrash extends Error {}

/** The store's client, dying at the first write `dies` picks, as a killed process would; the writes before it land. */
function dyingClient(client: DynamoDBDocumentClient, dies: (input: Record<string, unknown>) => boolean): DynamoDBDocumentClient {
  let dead = false;
  const send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
    if (dead || (/^(Put|Update|Delete)Command$/.test(command.constructor.name) && dies(command.input))) {
      dead = true;
      return Promise.reject(new SimulatedCrash(`killed before ${command.constructor.name} ${JSON.stringify(command.input).slice(0, 120)}`));
    }
    return client.send(command as never);
  };
  return new Proxy(client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) });
}

let documents: DynamoDBDocumentClient;
let incidents: ReturnType<typeof createIncidentStore>;
beforeAll(async () => {
  documents = scratch.store.documents();
  incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
  await learningOn(documents, () => T0).experiments.create(
    { id: EXPERIMENT, categories: ['network'], variants: [{ name: 'a', action: 'comment_only', weight: 1 }, { name: 'b', action: 'comment_only', weight: 1, params: { commentDetail: 'short' } }], metric: { kind: 'positive_feedback', minutes: 600 }, minSamplePerVariant: 5 },
    T0,
  );
});

/** Attempt `attemptNumber` of run `run` of one failing commit: the same experiment unit for every attempt (assign.ts). */
async function attempt(run: number, attemptNumber: number): Promise<Incident> {
  const incident = newIncident(
    {
      id: `gh-1-${run}-${attemptNumber}`, source: 'github', repository: 'acme/unit-votes', workflowName: 'CI', runId: run, runAttempt: attemptNumber, headSha: String(run).padStart(40, 'e'),
      category: 'network', fingerprint: 'c0ffee5030', template: 'npm ERR! network ECONNRESET', failureLines: [{ line: 1, text: 'npm ERR! network ECONNRESET' }], fromFork: false, runEvent: 'push',
    },
    T0,
  );
  await incidents.create(incident, null);
  const { experiment } = await learningOn(documents, () => T0).lookup(incident, summarizeHistory(incident, []));
  return incidents.update(incident.id, { experiment });
}

/** The up votes on the incident's unit, as the experiment store keys it (`UNIT#<hash of the assignment key>`). */
async function unitUpVotes(incident: Incident): Promise<number> {
  const key = (incident.experiment as { key?: string } | null)?.key ?? '';
  const sk = `UNIT#${createHash('sha256').update(key).digest('hex').slice(0, 40)}`;
  const unit = (await documents.send(new GetCommand({ TableName: 'experiments', Key: { pk: `EXPERIMENT#${EXPERIMENT}`, sk }, ConsistentRead: true }))).Item;
  expect(unit).toBeDefined();
  return Number(unit?.upVotes ?? 0);
}

/** Every unit's successes of the experiment, summed over its variants. */
const successes = async () => (await learningOn(documents, () => T0).experiments.unitCounters(EXPERIMENT)).reduce((sum, variant) => sum + variant.successes, 0);

/** Maya's vote on `incident` by command at minute `minute`, through `client`. */
async function vote(client: DynamoDBDocumentClient, incident: Incident, value: 'up' | 'down', minute: number) {
  const at = new Date(T0.getTime() + minute * 60_000);
  return learningOn(client, () => at).onFeedback((await incidents.get(incident.id)) as Incident, value, 'maya', null, { via: 'command', writtenAt: at.toISOString() });
}

describe('votes on two incidents of one experiment unit', () => {
  it('without a crash: the unit stays a success while one of the two 👍 stands (the control for the next test)', async () => {
    const first = await attempt(41_100, 1);
    const second = await attempt(41_100, 2);
    const before = await successes();
    await vote(documents, first, 'up', 1);
    await vote(documents, second, 'up', 2);
    const bothUp = await unitUpVotes(first);
    await vote(documents, second, 'down', 40);

    expect(bothUp).toBe(2);
    expect(await unitUpVotes(first)).toBe(1);
    expect((await successes()) - before).toBe(1);
  });

  // Seqs rise per incident vote item, so a unit's mark of one user's votes is kept per incident: with one mark per user
  // on the unit, her counted 👍 on attempt 2 marked it above the seq of her 👍 on attempt 1 the crash left pending, and
  // the reconciler's finish of that change read as "finished by another applier" and was dropped for good.
  it('keeps the unit a success while a writer’s 👍 on attempt 1 stands, after a crash before that vote’s experiment step', async () => {
    const first = await attempt(41_000, 1);
    const second = await attempt(41_000, 2);
    expect(second.experiment).toMatchObject({ experimentId: EXPERIMENT, key: first.experiment?.key });
    const before = await successes();

    // Maya's 👍 on attempt 1, killed just before the unit's upVotes write.
    const dying = dyingClient(documents, (input) => input.TableName === 'experiments' && String(input.UpdateExpression).includes('upVotes'));
    await expect(vote(dying, first, 'up', 1)).rejects.toBeInstanceOf(SimulatedCrash);
    // Her 👍 on attempt 2, a minute later, counted at once.
    await vote(documents, second, 'up', 2);
    // The reconciler finishes the change the crash left pending.
    const later = new Date(T0.getTime() + 30 * 60_000);
    const finished = await finishPendingVotes({ votes: learningOn(documents, () => later), incidents, clock: () => later, logger: silentLogger, metrics: noMetrics }, { maxPerRun: 25, afterMinutes: 10, lookbackHours: 48 });
    expect(finished).toMatchObject({ finished: 1, failed: 0 });
    const bothUp = await unitUpVotes(first);
    // She takes back her 👍 on attempt 2; the one on attempt 1 stands.
    await vote(documents, second, 'down', 40);

    expect(bothUp).toBe(2);
    expect((await successes()) - before).toBe(1);
  });
});
