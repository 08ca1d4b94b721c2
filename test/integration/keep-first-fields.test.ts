import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createMemoryStore } from '../support/memory-store.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/**
 * `keepFirst` (session 44, attack-46b B1): a field so named is written only where the incident has none, in the same
 * write as the rest, against the embedded DynamoDB-compatible server and in the tests' memory store alike.
 */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('guard-keep-first');
});

afterAll(async () => {
  await store?.close();
});

const T0 = new Date('2026-11-20T14:00:00Z');

describe.each([
  ['the DynamoDB store', () => createIncidentStore({ client: store.documents(), tableName: 'incidents', ttlDays: 30 })],
  ['the memory store', () => createMemoryStore(() => T0)],
])('keepFirst in %s', (_name, make) => {
  it('keeps the first runbookStartAnsweredAt and writes the other fields of the same update', async () => {
    const incidents = make();
    const id = `keep-first-${_name.length}`;
    await incidents.create(newIncident({ id, source: 'cloudwatch' }, T0), null);
    const keep = { keepFirst: ['runbookStartAnsweredAt' as const] };
    await incidents.update(id, { runbookExecutionId: 'exec-1', runbookStartAnsweredAt: '2026-11-20T14:00:00.000Z' }, {}, keep);
    const later = await incidents.update(id, { runbookRunCheckAt: '2026-11-20T16:40:00.000Z', runbookStartAnsweredAt: '2026-11-20T16:20:00.000Z' }, {}, keep);
    expect(later).toMatchObject({ runbookStartAnsweredAt: '2026-11-20T14:00:00.000Z', runbookRunCheckAt: '2026-11-20T16:40:00.000Z' });
    expect((await incidents.get(id))?.runbookStartAnsweredAt).toBe('2026-11-20T14:00:00.000Z');
  });
});
