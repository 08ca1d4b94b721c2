import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApprovalState } from '../../shared/domain/incident.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type IncidentStore, WRITE_IDS, WRITE_IDS_KEPT, createIncidentStore, incidentKey } from '../../shared/stores/incident-store.js';
import { asRead } from '../../shared/remediation/approval-resume.js';
import { failedRunIncident } from '../support/fakes.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';
import { createMemoryStore } from '../support/memory-store.js';

let scratch: ScratchStore;
let store: IncidentStore;

beforeAll(async () => {
  scratch = await startScratchStore('guard-replace-approval');
  store = createIncidentStore({ client: scratch.documents(), tableName: 'incidents', ttlDays: 30 });
});

afterAll(async () => {
  await scratch?.close();
});

const PENDING: ApprovalState = { status: 'pending', taskToken: 'token-1', requestedAt: '2026-11-20T10:00:00Z', decidedAt: null, decidedBy: null, reason: null };
const APPROVED: ApprovalState = { ...PENDING, status: 'approved', decidedAt: '2026-11-20T10:05:00Z', decidedBy: 'maintainer' };

describe('replaceApproval (DynamoDB)', () => {
  it('writes over the approval as read, once, and not over a later one (a null decision time matches one stored as null)', async () => {
    const incident = failedRunIncident(910_001, 'delivery-replace', { approval: PENDING });
    await store.create(incident, null);

    const history = [{ at: APPROVED.decidedAt as string, event: 'approved', detail: 'approved by maintainer' }];
    expect(await store.replaceApproval(incident.id, PENDING, APPROVED, { history })).toBe(true);
    expect(await store.replaceApproval(incident.id, PENDING, { ...APPROVED, status: 'rejected' })).toBe(false);
    // The token forgotten only while the decision is the one read.
    expect(await store.replaceApproval(incident.id, { ...APPROVED, decidedAt: '2026-11-20T10:06:00Z' }, { ...APPROVED, taskToken: null })).toBe(false);
    expect(await store.replaceApproval(incident.id, APPROVED, { ...APPROVED, taskToken: null })).toBe(true);

    const stored = await store.get(incident.id);
    expect(stored?.approval).toMatchObject({ status: 'approved', taskToken: null, decidedBy: 'maintainer' });
    expect(stored?.history.map((entry) => entry.event)).toContain('approved');
  });

  it('writes over a decision only with the resume take as read: a put-back of an untaken decision refuses one taken since', async () => {
    const incident = failedRunIncident(910_002, 'delivery-replace-take', { approval: APPROVED });
    await store.create(incident, null);
    const taken: ApprovalState = { ...APPROVED, resumeTakenAt: '2026-11-20T10:06:00Z' };

    expect(await store.replaceApproval(incident.id, APPROVED, taken)).toBe(true);
    // The recording handler's put-back (its decision as it wrote it, untaken), and a second take of the same read.
    expect(await store.replaceApproval(incident.id, APPROVED, PENDING)).toBe(false);
    expect(await store.replaceApproval(incident.id, APPROVED, { ...APPROVED, resumeTakenAt: '2026-11-20T10:06:01Z' })).toBe(false);
    expect(await store.replaceApproval(incident.id, taken, { ...taken, taskToken: null })).toBe(true);

    expect((await store.get(incident.id))?.approval).toMatchObject({ status: 'approved', taskToken: null, resumeTakenAt: '2026-11-20T10:06:00Z' });
  });
});

/**
 * During a deploy, a worker of this version writes approvals that a newer one wrote with fields this one does not know
 * (as `alsoCommanded` was to the version before it): a write that continues the same request must not erase them.
 */
describe.each([
  ['DynamoDB', () => store],
  ['in memory', () => createMemoryStore()],
])('replaceApproval over fields a newer version wrote (%s)', (_name, storeOf) => {
  const laterFields = { repliesToEdit: [{ commentId: 41, by: 'second' }], laterMark: 'kept' };

  it('keeps them when it continues the request read, and removes the fields it knows and left out', async () => {
    // Prepare: the decision as a newer version stored it, taken for a resume.
    const incidents = storeOf();
    const taken = { ...APPROVED, resumeTakenAt: '2026-11-20T10:06:00Z', ...laterFields } as ApprovalState;
    const incident = failedRunIncident(910_010, `delivery-later-fields-${_name}`, { approval: taken });
    await incidents.create(incident, null);
    const read = (await incidents.get(incident.id))?.approval as ApprovalState;

    // Act: Notify's record of the wait's end, built from the fields it knows (no take, no token).
    const timedOut: ApprovalState = { status: 'timed_out', taskToken: null, requestedAt: read.requestedAt, decidedAt: read.decidedAt, decidedBy: read.decidedBy, reason: 'timed out', unresumed: 'approved' };
    const written = await incidents.replaceApproval(incident.id, asRead(read), timedOut);

    // Assert
    expect(written).toBe(true);
    const stored = (await incidents.get(incident.id))?.approval as unknown as Record<string, unknown>;
    expect(stored).toMatchObject({ ...timedOut, ...laterFields });
    expect(stored).not.toHaveProperty('resumeTakenAt');
  });

  it('writes a new request whole, and only continues the request it read', async () => {
    // Prepare
    const incidents = storeOf();
    const decided = { ...APPROVED, taskToken: null, ...laterFields } as ApprovalState;
    const incident = failedRunIncident(910_011, `delivery-later-request-${_name}`, { approval: decided });
    await incidents.create(incident, null);
    const read = (await incidents.get(incident.id))?.approval as ApprovalState;
    const next: ApprovalState = { ...PENDING, taskToken: 'token-2', requestedAt: '2026-11-21T09:00:00Z' };

    // Act: a continuation claiming another request's time is refused; the next request replaces the approval.
    const mislabelled = await incidents.replaceApproval(incident.id, { ...asRead(read), requestedAt: next.requestedAt }, next);
    const requested = await incidents.replaceApproval(incident.id, asRead(read), next);

    // Assert
    expect([mislabelled, requested]).toEqual([false, true]);
    expect((await incidents.get(incident.id))?.approval).toEqual(next);
  });
});

/**
 * An append named by a write id (session 43): Notify's record of an approval request, tried again after an answer that
 * was lost while the write was still in flight, must land once whichever try gets there first. The same in DynamoDB
 * and in the in-memory store the unit tests use.
 */
describe.each([
  ['DynamoDB', () => store],
  ['in memory', () => createMemoryStore()],
])('update with a writeId (%s)', (_name, storeOf) => {
  it('appends once per write id, appends for another id, and fails on a missing incident as before', async () => {
    const incidents = storeOf();
    const incident = failedRunIncident(910_003, `delivery-write-id-${_name}`, { approval: PENDING });
    await incidents.create(incident, null);
    const entry = (at: string) => ({ history: [{ at, event: 'approval_requested', detail: 'sns:published' }] });

    const first = await incidents.update(incident.id, {}, entry('2026-11-20T10:00:01Z'), { writeId: 'request-1' });
    const again = await incidents.update(incident.id, {}, entry('2026-11-20T10:00:01Z'), { writeId: 'request-1' });
    await incidents.update(incident.id, {}, entry('2026-11-20T10:00:09Z'), { writeId: 'request-2' });

    const requested = (await incidents.get(incident.id))?.history.filter((h) => h.event === 'approval_requested').map((h) => h.at);
    expect(requested).toEqual(['2026-11-20T10:00:01Z', '2026-11-20T10:00:09Z']);
    expect(again.history).toEqual(first.history);
    expect(Object.keys(again)).not.toContain(WRITE_IDS);
    expect(Object.keys((await incidents.get(incident.id)) ?? {})).not.toContain(WRITE_IDS);
    await expect(incidents.update('no-such-incident', {}, entry('2026-11-20T10:00:01Z'), { writeId: 'request-1' })).rejects.toThrow();
  });

  // attack-45a A5 (session 43): the write ids are a list, kept to its bound, and the ids kept are still refused.
  it('keeps the most recent write ids, each still refused, and forgets older ones', async () => {
    const incidents = storeOf();
    const incident = failedRunIncident(910_004, `delivery-write-ids-${_name}`, { approval: PENDING });
    await incidents.create(incident, null);
    const entry = (n: number) => ({ history: [{ at: `2026-11-20T10:01:${String(n).padStart(2, '0')}Z`, event: 'approval_requested', detail: 'sns:published' }] });
    const named = WRITE_IDS_KEPT + 4;

    for (let n = 0; n < named; n += 1) await incidents.update(incident.id, {}, entry(n), { writeId: `request-${n}` });
    for (let n = named - WRITE_IDS_KEPT; n < named; n += 1) await incidents.update(incident.id, {}, entry(n), { writeId: `request-${n}` });
    await incidents.update(incident.id, {}, entry(0), { writeId: 'request-0' });

    const requested = (await incidents.get(incident.id))?.history.filter((h) => h.event === 'approval_requested') ?? [];
    expect(requested).toHaveLength(named + 1);
    if (_name === 'DynamoDB') {
      const item = (await scratch.documents().send(new GetCommand({ TableName: 'incidents', Key: incidentKey(incident.id), ConsistentRead: true }))).Item;
      expect(item?.[WRITE_IDS]).toHaveLength(WRITE_IDS_KEPT);
    }
  });
});
