import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuardStore } from '../../shared/remediation/guard-store.js';
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

function store() {
  return createGuardStore({ client: scratch.documents(), tableName: 'incidents', clock: () => now });
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
});
