import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import { INCIDENT_LIST_BOUNDS } from '../../shared/domain/incident-lists.js';
import { incidentTimeline } from '../../shared/api/timeline.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createMemoryStore } from '../support/memory-store.js';
import { type ScratchStore, startScratchStore } from '../support/harness.js';

/**
 * The lists an incident item keeps (history, audit, notifications, stage errors) grow with every command and every
 * run that writes to it, and each write appends a bounded number of entries, but nothing bounded them in total:
 * a long-lived incident that `/guard` commands keep writing to grew its item past DynamoDB's 400 KB, after which
 * every write of it failed (its resolution and notification too) and the dashboard had to carry all of it.
 */
let store: ScratchStore;

beforeAll(async () => {
  store = await startScratchStore('guard-list-bounds');
});

afterAll(async () => {
  await store?.close();
});

/** The entries a `/guard reject` with a 500-character reason writes (comment-commands.ts `applyApproval`). */
function rejection(n: number) {
  const at = new Date(Date.UTC(2026, 10, 20, 10, 0, n)).toISOString();
  const detail = `rejected by octocat-with-a-long-login: ${`attempt ${n} `.padEnd(500, 'x')}`;
  return {
    history: [{ at, event: 'rejected', detail }],
    audit: [{ at, actor: 'octocat-with-a-long-login', action: 'rerun_failed_jobs' as const, status: 'rejected' as const, detail }],
  };
}

describe('the lists on an incident item, in total', () => {
  it('keep the most recent entries within the 400 KB item however many writes append to them, and count the dropped', async () => {
    // Prepare
    const incidents = createIncidentStore({ client: store.documents(), tableName: 'incidents', ttlDays: 30 });
    const incident = newIncident({ id: 'gh-1-2-3', source: 'github', repository: 'acme/app', pullRequest: 7 }, new Date('2026-11-20T10:00:00Z'));
    await incidents.create(incident, 'scope', { source: 'github' });
    // Past each list's bound several times (history's bytes at 163 entries, audit's at 73), and enough that
    // the item without the bounds (383 KB here; past 400 KB DynamoDB refuses it, near 330 writes) is over 300 KB.
    const writes = 300;

    // Act: half through update (which returns the incident), half through record (which does not).
    for (let n = 1; n <= writes; n += 1) {
      if (n % 2 === 0) await incidents.update(incident.id, {}, rejection(n));
      else await incidents.record(incident.id, {}, rejection(n));
    }

    // Assert: the item is a size DynamoDB takes and a dashboard can carry; the newest entries are the ones kept, and
    // what was dropped is counted, so that the timeline can say it is not the whole story.
    const stored = (await incidents.get(incident.id))!;
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(300 * 1024);
    expect(stored.history.length).toBeLessThanOrEqual(INCIDENT_LIST_BOUNDS.history.entries);
    expect(stored.audit!.length).toBeLessThanOrEqual(INCIDENT_LIST_BOUNDS.audit.entries);
    expect(stored.history.at(-1)?.detail).toContain(`attempt ${writes} `);
    expect(stored.audit!.at(-1)?.detail).toContain(`attempt ${writes} `);
    expect(stored.history.length + (stored.historyDropped ?? 0)).toBe(writes + 1);
    expect(stored.audit!.length + (stored.auditDropped ?? 0)).toBe(writes);
    expect(incidentTimeline(stored).map((entry) => entry.title)).toContain(`${stored.historyDropped} earlier stage entries not kept`);
  });

  it('are bounded the same way by the in-memory store the unit tests use', async () => {
    // Prepare
    const incidents = createMemoryStore();
    const incident = newIncident({ id: 'gh-1-2-4', source: 'github' }, new Date('2026-11-20T10:00:00Z'));
    await incidents.create(incident, null);

    // Act
    for (let n = 1; n <= 1_000; n += 1) await incidents.update(incident.id, {}, rejection(n));

    // Assert
    const stored = (await incidents.get(incident.id))!;
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(300 * 1024);
    expect(stored.history.at(-1)?.detail).toContain('attempt 1000 ');
    expect(stored.history.length + (stored.historyDropped ?? 0)).toBe(1_001);
  });
});
