import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDynamo, startEmbeddedDynamo } from '../../infra/local/embedded-dynamo.js';
import { createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';

/** The escalation ledger against the embedded DynamoDB-compatible server: conditional writes, no transactions. */
let dynamo: EmbeddedDynamo;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'escalation-ledger-'));
  dynamo = await startEmbeddedDynamo({ path: dir, tableNames: { incidents: 'incidents', baselines: 'baselines', experiments: 'experiments' }, region: 'us-east-1' });
});

afterAll(async () => {
  await dynamo?.close();
  await rm(dir, { recursive: true, force: true });
});

const ledger = () => createDynamoEscalationLedger({ client: createDocumentClient({ region: 'us-east-1', endpoint: dynamo.endpoint }), tableName: 'incidents' });
const occurrence = (key: string, incidentId: string, at: string, mayOpen = true) => ({ key, incidentId, at: new Date(at), windowMinutes: 60, mayOpen, label: 'test' });

describe('escalation ledger', () => {
  it('lets exactly one of 20 concurrent occurrences of a problem page, and counts all 20', async () => {
    const l = ledger();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => l.record(occurrence('p1', `i-${i}`, '2026-11-20T09:12:00Z'))));

    expect(results.filter((r) => r.send)).toHaveLength(1);
    const after = await l.record(occurrence('p1', 'i-late', '2026-11-20T09:40:00Z'));
    expect(after).toMatchObject({ send: false, windowCount: 21, total: 21, windowStart: '2026-11-20T09:12:00.000Z' });
  });

  it('never counts a retried step twice, and lets the opener send again on retry', async () => {
    const l = ledger();
    const first = await l.record(occurrence('p2', 'a', '2026-11-20T10:00:00Z'));
    const openerRetry = await l.record(occurrence('p2', 'a', '2026-11-20T10:01:00Z'));
    await l.record(occurrence('p2', 'b', '2026-11-20T10:02:00Z'));
    const repeatRetry = await l.record(occurrence('p2', 'b', '2026-11-20T10:03:00Z'));

    expect([first.send, openerRetry.send, repeatRetry.send]).toEqual([true, true, false]);
    expect(repeatRetry.windowCount).toBe(2);
  });

  it('opens the next window after it passed, with the total since first seen (the digest)', async () => {
    const l = ledger();
    await l.record(occurrence('p3', 'a', '2026-11-20T10:00:00Z'));
    await l.record(occurrence('p3', 'b', '2026-11-20T10:30:00Z'));
    const next = await l.record(occurrence('p3', 'c', '2026-11-20T11:30:00Z'));

    expect(next).toMatchObject({ send: true, windowCount: 1, total: 3, firstSeen: '2026-11-20T10:00:00.000Z', previousSentAt: '2026-11-20T10:00:00.000Z' });
  });

  it('does not open a window for an occurrence that may only be counted', async () => {
    const l = ledger();
    const alone = await l.record(occurrence('p4', 'rerun', '2026-11-20T10:00:00Z', false));
    const opener = await l.record(occurrence('p4', 'first', '2026-11-20T10:05:00Z'));

    expect(alone.send).toBe(false);
    expect(opener.send).toBe(true);
  });
});
