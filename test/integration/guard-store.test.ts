import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createGuardStore } from '../../shared/remediation/guard-store.js';
import { SimulatedCrash, clientFailingAtWrite, diesOfCrash } from '../support/failing-writes.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/** Guard counters against the embedded DynamoDB-compatible server: atomic under concurrency. */
let scratch: ScratchStore;
let now = new Date('2026-11-22T10:15:00Z');

beforeAll(async () => {
  scratch = await startScratchStore('guard-store');
});

afterAll(async () => {
  await scratch?.close();
});

function store(client: DynamoDBDocumentClient = scratch.documents()) {
  return createGuardStore({ client, tableName: 'incidents', clock: () => now });
}

/** The store's client, dying before its write number `crashAt` (1-based; 0: never): that write and every call after it fail. */
function crashingClient(crashAt: number) {
  return clientFailingAtWrite(scratch.documents(), crashAt, { error: () => new SimulatedCrash(`killed before write ${crashAt}`), thereafter: 'fail' });
}

describe('guard store', () => {
  it('grants exactly the hourly limit under 30 concurrent reservations', async () => {
    const guards = store();

    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => guards.reserve('acme/app', { perHour: 10, perDay: 100 }, `incident-${i}`)));

    expect(results.filter(Boolean)).toHaveLength(10);
    expect(await guards.read('acme/app', 24)).toMatchObject({ automaticActionsLastHour: 10, automaticActionsLastDay: 10 });
  });

  it('starts a fresh hourly budget next hour but keeps counting the day', async () => {
    const guards = store();
    now = new Date('2026-11-22T11:05:00Z');

    const granted = await guards.reserve('acme/app', { perHour: 10, perDay: 12 }, 'b-1');
    const afterDayFull = [await guards.reserve('acme/app', { perHour: 10, perDay: 12 }, 'b-2'), await guards.reserve('acme/app', { perHour: 10, perDay: 12 }, 'b-3')];

    expect(granted).toBe(true);
    expect(afterDayFull).toEqual([true, false]);
    // The refused reservation gave its hour slot back.
    expect(await guards.read('acme/app', 24)).toMatchObject({ automaticActionsLastHour: 2, automaticActionsLastDay: 12 });
  });

  it('takes one slot per claim however often a retried step asks', async () => {
    const guards = store();
    now = new Date('2026-11-22T15:00:00Z');

    const results = await Promise.all([1, 2, 3].map(() => guards.reserve('acme/retry', { perHour: 10, perDay: 100 }, 'incident-x')));

    expect(results).toEqual([true, true, true]);
    expect((await guards.read('acme/retry', 24)).automaticActionsLastHour).toBe(1);
  });

  it('sums action outcomes over the breaker window only, once per claim', async () => {
    const guards = store();
    now = new Date('2026-11-20T09:00:00Z');
    await guards.recordOutcome('acme/lib', false, 'c-0');
    now = new Date('2026-11-22T09:00:00Z');
    await Promise.all([guards.recordOutcome('acme/lib', true, 'c-1'), guards.recordOutcome('acme/lib', false, 'c-2'), guards.recordOutcome('acme/lib', false, 'c-3'), guards.recordOutcome('acme/lib', false, 'c-3')]);
    now = new Date('2026-11-22T12:00:00Z');

    expect((await guards.read('acme/lib', 24)).recentOutcomes).toEqual({ attempts: 3, failures: 2 });
    expect((await guards.read('acme/lib', 168)).recentOutcomes).toEqual({ attempts: 4, failures: 3 });
  });

  it('takes an incident’s slot once in its hour and its day when the step killed before any of its writes is retried', async () => {
    const limits = { perHour: 10, perDay: 100 };
    const reserved = async (scope: string, crashAt: number) => {
      now = new Date('2026-11-23T10:59:58Z');
      const crashing = crashingClient(crashAt);
      const crashed = await diesOfCrash(store(crashing.client).reserve(scope, limits, 'incident-k'));
      // Step Functions' retry of the killed task (in the next hour), and a re-drive after it
      const retries = [];
      for (const at of ['2026-11-23T11:00:03Z', '2026-11-23T11:20:00Z']) {
        now = new Date(at);
        retries.push(await store().reserve(scope, limits, 'incident-k'));
      }
      const counted = async (at: string) => {
        now = new Date(at);
        const counters = await store().read(scope, 1);
        return counters.automaticActionsLastHour;
      };
      // The slot counts in one of the two hours (the claim's: the killed try's, unless it died before its claim)
      const hourly = (await counted('2026-11-23T10:30:00Z')) + (await counted('2026-11-23T11:30:00Z'));
      return { crashed, writes: crashing.writes(), retries, hourly, daily: (await store().read(scope, 1)).automaticActionsLastDay };
    };

    // Prepare: without a crash
    const reference = await reserved('acme/slot-crash-0', 0);
    expect(reference).toMatchObject({ retries: [true, true], hourly: 1, daily: 1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await reserved(`acme/slot-crash-${crashAt}`, crashAt)) });

    // Assert: granted on the retries, one slot taken in an hour and one in the day
    for (const outcome of outcomes) {
      expect({ crashAt: outcome.crashAt, crashed: outcome.crashed, retries: outcome.retries, hourly: outcome.hourly, daily: outcome.daily }).toEqual({ crashAt: outcome.crashAt, crashed: true, retries: [true, true], hourly: 1, daily: 1 });
    }
  });

  it.each([
    { full: 'hour', limits: { perHour: 1, perDay: 100 } },
    { full: 'day', limits: { perHour: 10, perDay: 1 } },
  ])('refuses a retried step its slot when the $full it claimed in was full, as the killed try would have', async ({ full, limits }) => {
    const refused = async (scope: string, crashAt: number) => {
      now = new Date('2026-11-23T14:10:00Z');
      expect(await store().reserve(scope, limits, 'incident-first')).toBe(true);
      const crashing = crashingClient(crashAt);
      const crashed = await diesOfCrash(store(crashing.client).reserve(scope, limits, 'incident-late'));
      now = new Date('2026-11-23T14:11:00Z');
      const retried = await store().reserve(scope, limits, 'incident-late');
      const counters = await store().read(scope, 1);
      return { crashed, writes: crashing.writes(), retried, hour: counters.automaticActionsLastHour, day: counters.automaticActionsLastDay };
    };

    // Prepare: without a crash the hour's or the day's last slot is gone
    const reference = await refused(`acme/${full}-full-crash-0`, 0);
    expect(reference).toMatchObject({ crashed: false, retried: false, hour: 1, day: 1 });

    // Act: killed before each of its writes in turn
    const outcomes = [];
    for (let crashAt = 1; crashAt <= reference.writes; crashAt += 1) outcomes.push({ crashAt, ...(await refused(`acme/${full}-full-crash-${crashAt}`, crashAt)) });

    // Assert: refused, and the slots given back (the hour's, when the day was full)
    for (const outcome of outcomes) expect({ crashAt: outcome.crashAt, retried: outcome.retried, hour: outcome.hour, day: outcome.day }).toEqual({ crashAt: outcome.crashAt, retried: false, hour: 1, day: 1 });
  });

  it('grants a claim the version before this one put (no time kept) without counting it again: it took its slots then', async () => {
    // Prepare
    now = new Date('2026-11-23T16:00:00Z');
    await scratch.documents().send(new PutCommand({ TableName: 'incidents', Item: { pk: 'GUARD#acme/legacy', sk: 'CLAIM#slot:incident-old', expiresAt: 1_800_000_000 } }));

    // Act
    const granted = await store().reserve('acme/legacy', { perHour: 10, perDay: 100 }, 'incident-old');

    // Assert
    expect(granted).toBe(true);
    expect(await store().read('acme/legacy', 1)).toMatchObject({ automaticActionsLastHour: 0, automaticActionsLastDay: 0 });
  });
});
