import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Incident, countedClaimValue, readClaimValue } from '../../shared/domain/incident.js';
import { repositoryKey } from '../../shared/domain/repository-key.js';
import { createIncidentStore, incidentKey } from '../../shared/stores/incident-store.js';
import { failedRunDelivery } from '../support/fakes.js';
import { countedFailure, countMarksOn } from '../support/count-marks.js';
import { scratchStoreForFile } from '../support/harness.js';
import { handledAfter } from '../support/handling-time.js';
import { learningOn, networkRerunExperiment } from '../support/learning.js';

/**
 * Attack pass 73 on b119142a (count marks released once a claim records its counts made). The release is safe only
 * if no delivery that read the claim uncounted can still apply its counts after it: such a delivery's writes then
 * meet no mark and count again. Two deliveries of one event overlap when two incidents of one experiment unit (one
 * commit's workflows failing together) join it at once, when the reconciler's backstop follows up a recovery whose
 * delivery still runs, or when a Lambda invocation is retried beside an attempt still running.
 */
const scratch = scratchStoreForFile('guard-attack-73-marks');
const T0 = handledAfter(failedRunDelivery(0).body);

let documents: DynamoDBDocumentClient;
const read = async (table: string, key: Record<string, string>) => (await documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))).Item ?? {};

/**
 * The client held after its write number `after` is answered: `held` settles then, and its caller goes on only at
 * `resume()` (a delivery slowed between two writes: a GC pause, a throttled retry, a cold network path).
 */
function heldAfterWrite(client: DynamoDBDocumentClient, after: number) {
  let writes = 0;
  return heldAfter(client, (name) => /^(Put|Update|Delete)Command$/.test(name) && (writes += 1) === after);
}

/** The client held after the first answered call that `holds` (by its command's name), until `resume()`. */
function heldAfter(client: DynamoDBDocumentClient, holds: (command: string) => boolean) {
  let reached!: () => void;
  let resume!: () => void;
  let done = false;
  const held = new Promise<void>((resolve) => (reached = resolve));
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  const send = async (command: { constructor: { name: string } }) => {
    const answer = await client.send(command as never);
    if (!done && holds(command.constructor.name)) {
      done = true;
      reached();
      await resumed;
    }
    return answer;
  };
  return { client: new Proxy(client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) }) as DynamoDBDocumentClient, held, resume };
}

function failure(n: number, fields: Partial<Incident> = {}): Incident {
  return countedFailure('attack73', 730_000, n, T0, fields);
}

async function stored(incident: Incident): Promise<Incident> {
  const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });
  await incidents.create(incident, null);
  return incident;
}

/** The attempts an experiment counted, on its variants and on its deadline buckets, and the marks its partition keeps. */
async function unitCounts(id: string) {
  const experiments = learningOn(documents, () => T0).experiments;
  const sum = (rows: Array<{ attempts?: number }>) => rows.reduce((total, row) => total + Number(row.attempts ?? 0), 0);
  const partition = await documents.send(new QueryCommand({ TableName: 'experiments', KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `EXPERIMENT#${id}` }, ConsistentRead: true }));
  return { variants: sum(await experiments.counters(id)), buckets: sum(await experiments.unitCounters(id)), marks: (partition.Items ?? []).flatMap(countMarksOn) };
}

beforeAll(() => {
  documents = scratch.store.documents();
});

/**
 * A new experiment `id` whose unit `key` its creator has put and then stalls (`resume` lets it go on, `creating` is
 * its join); `join` joins the unit through `client` at `at`.
 */
async function unitWithStalledCreator(id: string, key: string) {
  await learningOn(documents, () => T0).experiments.create(networkRerunExperiment(id), T0);
  const join = (client: DynamoDBDocumentClient, at: Date) => learningOn(client, () => T0).experiments.claimUnit(id, key, 'short', new Date(T0.getTime() + 3_600_000), at);
  const creator = heldAfterWrite(documents, 1);
  const creating = join(creator.client, T0);
  await creator.held;
  return { creating, resume: creator.resume, join };
}

describe('two incidents of one experiment unit joining it at once (two workflows failing on one commit)', () => {
  it('counts the unit’s attempt once when the unit’s creator is slow to count and the other join finishes first', async () => {
    // Act: the creator's Put lands, then it stalls; the second incident's join runs to its end (counts, records, releases)
    const unit = await unitWithStalledCreator('attack73-unit', 'acme/storm@c0ffee');
    const joined = await unit.join(documents, new Date(T0.getTime() + 1_000));
    unit.resume();
    const created = await unit.creating;

    // Assert: one unit, one attempt
    expect({ created: created.created, joinedCreated: joined.created }).toEqual({ created: true, joinedCreated: false });
    // The last of the two to finish recorded the unit counted and took the marks off: nothing left on the counters.
    expect(await unitCounts('attack73-unit')).toEqual({ variants: 1, buckets: 1, marks: [] });
  });

  it('counts the unit’s attempt once when the second reads the unit before the first counted it, and counts after the first released', async () => {
    // Act: the creator's Put lands and it stalls; the second reads the unit and stalls; the creator finishes; then the second.
    // The second's Put is refused (the unit exists); its read of the unit comes next, whatever the call that reads it.
    const unit = await unitWithStalledCreator('attack73-unit-read', 'acme/storm@f00d');
    const second = heldAfter(documents, (name) => name === 'GetCommand' || name === 'UpdateCommand');
    const joining = unit.join(second.client, new Date(T0.getTime() + 1_000));
    await second.held;
    unit.resume();
    await unit.creating;
    second.resume();
    await joining;

    // Assert
    expect(await unitCounts('attack73-unit-read')).toEqual({ variants: 1, buckets: 1, marks: [] });
  });
});

describe('a recovery’s outcome followed up twice at once (its delivery still running when the backstop or a retry comes)', () => {
  it('counts the outcome once on the repository’s metrics when the first delivery stalls after taking the claim', async () => {
    const incident = await stored(failure(1, { status: 'resolved', timeToRecoverySeconds: 60 }));
    const first = heldAfterWrite(documents, 1);

    // Act: delivery 1 takes the claim and stalls; delivery 2 counts, records the claim counted, releases the marks
    const resolving = learningOn(first.client, () => T0).onResolved(incident);
    await first.held;
    await learningOn(documents, () => new Date(T0.getTime() + 60_000)).onResolved(incident);
    first.resume();
    await resolving;

    // Assert
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' });
    expect(Number(metrics.resolved)).toBe(1);
  });
});

describe('the knowledge stage run twice at once for one incident (a retried invocation beside one still running)', () => {
  it('counts the incident once on its metrics when both deliveries took the seen claim before either counted', async () => {
    const incident = await stored(failure(2));
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });

    // Act: both deliveries' writes of the result take (or find) the claim; then each counts in turn
    const one = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    const two = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    await learningOn(documents, () => T0).countSeen(incident, one.claimedAt as Date);
    await learningOn(documents, () => T0).countSeen(incident, two.claimedAt as Date);

    // Assert: counted once; the last delivery to finish recorded the claim counted and took the marks off
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' });
    expect({ incidents: Number(metrics.incidents), marks: countMarksOn(metrics) }).toEqual({ incidents: 1, marks: [] });
    expect(readClaimValue((await read('incidents', incidentKey(incident.id))).kbSeenAt)?.counted).toBe(true);
  });

  it('counts once by the marks, which stay, when a delivery that read the claim died before it finished', async () => {
    const incident = await stored(failure(4));
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });

    // Act: delivery 1 reads the claim and dies; delivery 2 (its retry) and 3 (a re-drive) count and finish
    await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    for (let delivery = 2; delivery <= 3; delivery += 1) {
      const { claimedAt } = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
      if (claimedAt) await learningOn(documents, () => T0).countSeen(incident, claimedAt);
    }

    // Assert: once; the claim is not recorded counted while delivery 1 may still count, so its marks stay
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' });
    expect({ incidents: Number(metrics.incidents), marks: countMarksOn(metrics).length }).toEqual({ incidents: 1, marks: 1 });
    expect(readClaimValue((await read('incidents', incidentKey(incident.id))).kbSeenAt)?.counted).toBe(false);
  });

  it('counts the incident once, keeping no mark, when the deliveries do not overlap (the release’s own case)', async () => {
    const incident = await stored(failure(3));
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });
    for (let delivery = 0; delivery < 2; delivery += 1) {
      const { claimedAt } = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
      if (claimedAt) await learningOn(documents, () => T0).countSeen(incident, claimedAt);
    }
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' });
    expect({ incidents: Number(metrics.incidents), marks: countMarksOn(metrics) }).toEqual({ incidents: 1, marks: [] });
    expect(readClaimValue((await read('incidents', incidentKey(incident.id))).kbSeenAt)?.counted).toBe(true);
  });
});

/**
 * The client failing its first write to the item whose `pk` starts with `pkPrefix` with `error`, before sending it
 * (a refusal: DynamoDB turned it down) or after (a timeout: the write landed, its answer was lost).
 */
function failingFirstWriteTo(client: DynamoDBDocumentClient, pkPrefix: string, error: Error, landed: boolean): DynamoDBDocumentClient {
  let failed = false;
  const send = async (command: { constructor: { name: string }; input: { Key?: { pk?: string } } }) => {
    const aimed = !failed && command.constructor.name === 'UpdateCommand' && String(command.input.Key?.pk ?? '').startsWith(pkPrefix);
    if (!aimed) return client.send(command as never);
    failed = true;
    if (landed) await client.send(command as never);
    throw error;
  };
  return new Proxy(client, { get: (target, name) => (name === 'send' ? send : Reflect.get(target, name)) }) as DynamoDBDocumentClient;
}

// Attack 73's Low, closed in session 74: a delivery whose count failed after it read the claim kept its reading, so
// no later delivery was alone to record the claim counted, and the marks stayed for the window on every counter.
describe('a delivery whose count fails after it read the seen claim, then its retry', () => {
  const throttled = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} });
  const timedOut = () => Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });

  it.each([
    ['a refused (throttled) count: its reading ends, the retry records the claim counted and takes the marks off', throttled, false, true, 0],
    ['a count that timed out (it may land yet): the reading stays, and the marks with it for the window', timedOut, true, false, 1],
  ])('%s', async (_name, error, landed, counted, marksLeft) => {
    const incident = await stored(failure(landed ? 7 : 6));
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });
    const failing = failingFirstWriteTo(documents, 'METRICS#', error(), landed);

    // Act: delivery 1 takes the claim, its metrics write fails; delivery 2 (its retry) counts and finishes
    const { claimedAt } = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    await expect(learningOn(failing, () => T0).countSeen(incident, claimedAt as Date)).rejects.toThrow(error().message);
    const retry = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    await learningOn(documents, () => T0).countSeen(incident, retry.claimedAt as Date);

    // Assert: counted once either way
    const metrics = await read('baselines', { pk: `METRICS#${repositoryKey(incident.repository as string)}`, sk: 'TOTAL' });
    expect({ incidents: Number(metrics.incidents), marks: countMarksOn(metrics).length }).toEqual({ incidents: 1, marks: marksLeft });
    expect(readClaimValue((await read('incidents', incidentKey(incident.id))).kbSeenAt)?.counted).toBe(counted);
  });
});

describe('a claim recorded counted, read where claims are read', () => {
  it('keeps its time, and an incident read back shows the claim as stored but not its count of readers', async () => {
    const at = new Date('2026-11-30T07:00:00.000Z');
    expect(readClaimValue(countedClaimValue(at))).toEqual({ at, counted: true });
    expect(readClaimValue(at.toISOString())).toEqual({ at, counted: false });
    expect(readClaimValue(undefined)).toBeNull();
    const incident = await stored(failure(5));
    const incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30, clock: () => T0 });
    const { claimedAt } = await incidents.record(incident.id, {}, {}, { claim: 'kbSeenAt' });
    await learningOn(documents, () => T0).countSeen(incident, claimedAt as Date);
    const readBack = (await incidents.get(incident.id)) as unknown as Record<string, unknown>;
    expect({ kbSeenAt: readBack.kbSeenAt, readers: Object.keys(readBack).filter((name) => name.startsWith('claimReaders#')) }).toEqual({ kbSeenAt: countedClaimValue(claimedAt as Date), readers: [] });
  });
});
