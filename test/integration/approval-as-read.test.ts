import { describe, expect, it } from 'vitest';
import { type ApprovalState, type Incident, newIncident } from '../../shared/domain/incident.js';
import { asRead } from '../../shared/remediation/approval-resume.js';
import { type IncidentStore, createIncidentStore } from '../../shared/stores/incident-store.js';
import { createMemoryStore } from '../support/memory-store.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * An approval request (Notify) writes the proposal pending over the approval it read: only while that approval is
 * still the one read, so that a `/guard approve|reject` recorded between its read and its write is not replaced (the
 * decision was lost). Each adapter (the DynamoDB store, on the embedded DynamoDB the local runtime runs, and the
 * tests' memory store) refuses the write alike, and writes it over the approval as read (or over none).
 */
const scratch = scratchStoreForFile('approval-as-read');
let n = 0;

const pendingWith = (taskToken: string): ApprovalState => ({ status: 'pending', taskToken, requestedAt: '2026-11-20T10:00:00.000Z', decidedAt: null, decidedBy: null, reason: null });

async function analyzed(store: IncidentStore, approval?: ApprovalState): Promise<Incident> {
  n += 1;
  const incident = newIncident({ id: `gh-approval-as-read-${n}`, source: 'github', repository: 'acme/app', repositoryId: 1, pullRequest: 3, workflowName: 'CI' }, new Date('2026-11-20T09:00:00Z'));
  await store.create(incident, 'acme/app|main|CI');
  return store.update(incident.id, { status: 'analyzed', ...(approval ? { approval } : {}) });
}

describe.each([
  ['DynamoDB (embedded)', () => createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 30 })],
  ['memory', () => createMemoryStore()],
])('an approval written over the approval as read (%s adapter)', (_adapter, storeOf) => {
  it('is refused, and writes nothing, once a decision was recorded since the read', async () => {
    // Prepare: read pending with token-1; a /guard approve records its decision
    const store = storeOf();
    const read = await analyzed(store, pendingWith('token-1'));
    const decided: ApprovalState = { ...pendingWith('token-1'), status: 'approved', decidedAt: '2026-11-20T10:05:00.000Z', decidedBy: 'maya' };
    expect(await store.replaceApproval(read.id, asRead(read.approval as ApprovalState), decided)).toBe(true);

    // Act
    const written = await store.updateIfStatusMoves(read.id, { status: 'awaiting_approval', approval: pendingWith('token-2') }, {}, { approvalAsRead: asRead(read.approval as ApprovalState) });
    const replaced = await store.replaceApproval(read.id, asRead(read.approval as ApprovalState), pendingWith('token-2'));

    // Assert
    expect(written).toBeNull();
    expect(replaced).toBe(false);
    expect((await store.get(read.id))?.approval).toMatchObject({ status: 'approved', taskToken: 'token-1', decidedBy: 'maya' });
    expect((await store.get(read.id))?.status).toBe('analyzed');
  });

  it('is refused over a decision read before it was kept for its request\'s retry (its spent token noted)', async () => {
    // Prepare: a decision read, then kept by another worker: same status, token, time and take, its spent token noted
    const store = storeOf();
    const decided: ApprovalState = { ...pendingWith('token-1'), status: 'approved', decidedAt: '2026-11-20T10:05:00.000Z', decidedBy: 'maya' };
    const read = await analyzed(store, decided);
    expect(await store.replaceApproval(read.id, asRead(decided), { ...decided, spentToken: 'token-1' })).toBe(true);

    // Act
    const replaced = await store.replaceApproval(read.id, asRead(decided), { ...decided, status: 'timed_out', taskToken: null });

    // Assert
    expect(replaced).toBe(false);
    expect((await store.get(read.id))?.approval).toMatchObject({ status: 'approved', taskToken: 'token-1', spentToken: 'token-1' });
  });

  it('lands while the approval is the one read, and over none when none was read', async () => {
    // Prepare
    const store = storeOf();
    const pending = await analyzed(store, pendingWith('token-1'));
    const fresh = await analyzed(store);

    // Act
    const again = await store.updateIfStatusMoves(pending.id, { status: 'awaiting_approval', approval: pendingWith('token-2') }, {}, { approvalAsRead: asRead(pending.approval as ApprovalState) });
    const first = await store.updateIfStatusMoves(fresh.id, { status: 'awaiting_approval', approval: pendingWith('token-1') }, {}, { approvalAsRead: null });
    const secondOverNone = await store.replaceApproval(fresh.id, null, pendingWith('token-3'));

    // Assert: the second write over "none" is refused, as the first one wrote an approval
    expect(again?.approval).toMatchObject({ status: 'pending', taskToken: 'token-2' });
    expect(first?.approval).toMatchObject({ status: 'pending', taskToken: 'token-1' });
    expect(secondOverNone).toBe(false);
    expect((await store.get(fresh.id))?.approval?.taskToken).toBe('token-1');
  });
});
