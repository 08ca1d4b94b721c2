import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../shared/domain/incident.js';
import { type IncidentStore, createIncidentStore } from '../../shared/stores/incident-store.js';
import { failedRunIncident } from '../support/fakes.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';
import { createMemoryStore } from '../support/memory-store.js';

/*
 * attack-45a, target 1: `IncidentStore.update(..., { writeId })` (session 43), the approval request's record named by
 * its entry, with ONE slot per incident (`lastWriteId`).
 */
let scratch: ScratchStore;
let store: IncidentStore;
beforeAll(async () => {
  scratch = await startScratchStore('guard-attack-45a-write-id');
  store = createIncidentStore({ client: scratch.documents(), tableName: 'incidents', ttlDays: 30 });
});
afterAll(async () => {
  await scratch?.close();
});

const PENDING: ApprovalState = { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null };

describe.each([
  ['DynamoDB', () => store],
  ['in memory', () => createMemoryStore()],
])('attack-45a: update with a writeId after another named write (%s)', (name, storeOf) => {
  // attack-45a finding A5 (low) (fixed, session 43): shared/stores/incident-store.ts update/conditionalUpdate refuses a named write only
  // when the item's single `lastWriteId` equals it (`#writeId <> :writeId`; test/support/memory-store.ts the same).
  // Two Notify attempts of one incident alive at once (attempt 1 answered RetryableError by middy's early timeout while
  // still running, finding A4, and the state machine's retry) each name their record: attempt 1's first try is still in
  // flight, its second try lands (slot = W1), the retry's record lands (slot = W2), then attempt 1's first try lands:
  // W1 <> W2, so its `approval_requested` and notifications are appended a second time, the attack-44c S5 double
  // record the write id was made to end. Required: a write id already made is refused whatever was written since (a
  // short list of recent ids, e.g. `NOT contains(#writeIds, :writeId)` with a bounded list, or the entry's own id).
  it('lands a named write once even when another named write landed between its two tries', async () => {
    const incidents = storeOf();
    const incident = failedRunIncident(945_001, `delivery-attack-45a-${name}`, { approval: PENDING });
    await incidents.create(incident, null);
    const entry = (at: string) => ({ history: [{ at, event: 'approval_requested', detail: 'sns:published' }] });
    const w1 = 'approval_requested 2026-11-20T10:00:01.000Z sns:published';
    const w2 = 'approval_requested 2026-11-20T10:00:09.000Z sns:published';

    await incidents.update(incident.id, {}, entry('2026-11-20T10:00:01.000Z'), { writeId: w1 }); // attempt 1, try 2
    await incidents.update(incident.id, {}, entry('2026-11-20T10:00:09.000Z'), { writeId: w2 }); // the retry's record
    await incidents.update(incident.id, {}, entry('2026-11-20T10:00:01.000Z'), { writeId: w1 }); // attempt 1, try 1, late

    const requested = (await incidents.get(incident.id))?.history.filter((h) => h.event === 'approval_requested').map((h) => h.at);
    expect(requested).toEqual(['2026-11-20T10:00:01.000Z', '2026-11-20T10:00:09.000Z']);
  });

  // Control (held): the retry in place with no other named write between lands once.
  it('control: a named write tried again lands once', async () => {
    const incidents = storeOf();
    const incident = failedRunIncident(945_002, `delivery-attack-45a-control-${name}`, { approval: PENDING });
    await incidents.create(incident, null);
    const entry = { history: [{ at: '2026-11-20T10:00:01.000Z', event: 'approval_requested', detail: 'sns:published' }] };
    await incidents.update(incident.id, {}, entry, { writeId: 'w1' });
    await incidents.update(incident.id, {}, entry, { writeId: 'w1' });
    expect((await incidents.get(incident.id))?.history.filter((h) => h.event === 'approval_requested')).toHaveLength(1);
  });
});
