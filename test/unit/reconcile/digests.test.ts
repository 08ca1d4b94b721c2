import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import type { DigestDue, EscalationDigest, EscalationDigests, EscalationMessage } from '../../../shared/ports.js';
import { sendDueDigests } from '../../../shared/reconcile/digests.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore } from '../../support/memory-store.js';

const NOW = new Date('2026-11-21T10:00:00Z');

/** Due entries in memory with the adapter's contract: one claim per entry until it is released or sent. */
function memoryDigests(entries: DigestDue[], repeats = 3) {
  const claimed = new Set<string>();
  const done = new Set<string>();
  const released: string[] = [];
  const digests: EscalationDigests = {
    async due(_now, { limit }) {
      return entries.filter((e) => !done.has(e.problemKey)).slice(0, limit);
    },
    async claim(due) {
      if (claimed.has(due.problemKey) || done.has(due.problemKey)) return null;
      claimed.add(due.problemKey);
      return { ...due, label: `problem ${due.problemKey}`, repeats, total: repeats + 1, firstSeen: '2026-11-20T09:00:00.000Z', lastSeen: '2026-11-21T08:00:00.000Z', lastIncidentId: 'i-latest', claim: NOW.toISOString() } satisfies EscalationDigest;
    },
    async sent(digest) {
      done.add(digest.problemKey);
    },
    async release(digest) {
      claimed.delete(digest.problemKey);
      released.push(digest.problemKey);
    },
  };
  return { digests, done, released };
}

const due = (key: string): DigestDue => ({ problemKey: key, windowStart: '2026-11-20T09:00:00.000Z', dueAt: '2026-11-21T09:00:00.000Z' });

async function setup(entries: DigestDue[], publish: (message: EscalationMessage) => Promise<{ messageId: string }>) {
  const store = createMemoryStore();
  await store.create(
    newIncident({ id: 'i-latest', source: 'github', repository: 'acme/shop', branch: 'main', workflowName: 'CI', runUrl: 'https://github.com/acme/shop/actions/runs/7' }, NOW),
    null,
    { source: 'github', incidentId: 'i-latest' },
  );
  const memory = memoryDigests(entries);
  const counts: Record<string, number> = {};
  const deps = {
    digests: memory.digests,
    incidents: store,
    escalations: { publish },
    clock: () => NOW,
    logger: silentLogger,
    metrics: { count: (name: string, value: number) => void (counts[name] = value), measure() {} },
  };
  return { deps, memory, counts };
}

describe('digests of ended escalation windows', () => {
  it('sends one message per due window, with the links of the latest occurrence, and counts them', async () => {
    const published: EscalationMessage[] = [];
    const { deps, memory, counts } = await setup([due('a'), due('b')], async (message) => {
      published.push(message);
      return { messageId: String(published.length) };
    });

    const result = await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 });

    expect(result).toEqual({ sent: ['a', 'b'], skipped: 0, failed: [] });
    expect(published.map((m) => m.subject)).toEqual(['[Pipeline Guard] Still happening, 3 more times: problem a', '[Pipeline Guard] Still happening, 3 more times: problem b']);
    expect(published[0]?.message).toContain('Run: https://github.com/acme/shop/actions/runs/7');
    expect(published[0]?.attributes).toMatchObject({ kind: 'digest', repository: 'acme/shop' });
    expect([...memory.done]).toEqual(['a', 'b']);
    expect(counts.EscalationDigests).toBe(2);
    // A second run finds nothing left to send.
    expect((await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 })).sent).toEqual([]);
    expect(published).toHaveLength(2);
  });

  it('sends at most maxPerRun; the rest wait for the next run', async () => {
    const published: EscalationMessage[] = [];
    const { deps } = await setup([due('a'), due('b'), due('c')], async (message) => {
      published.push(message);
      return { messageId: 'm' };
    });

    expect((await sendDueDigests(deps, { maxPerRun: 2, lookbackHours: 48 })).sent).toEqual(['a', 'b']);
    expect((await sendDueDigests(deps, { maxPerRun: 2, lookbackHours: 48 })).sent).toEqual(['c']);
  });

  it('releases a digest whose publish failed, so the next run sends it, and goes on with the others', async () => {
    let failOnce = true;
    const published: string[] = [];
    const { deps, memory } = await setup([due('a'), due('b')], async (message) => {
      if (failOnce && message.subject.includes('problem a')) {
        failOnce = false;
        throw new Error('throttled');
      }
      published.push(message.subject);
      return { messageId: 'm' };
    });

    const first = await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 });
    expect(first).toEqual({ sent: ['b'], skipped: 0, failed: ['a'] });
    expect(memory.released).toEqual(['a']);
    expect((await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 })).sent).toEqual(['a']);
    expect(published).toHaveLength(2);
  });

  it('skips what another run has claimed', async () => {
    const { deps, memory } = await setup([due('a')], async () => ({ messageId: 'm' }));
    await memory.digests.claim(due('a'), NOW);

    expect(await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 })).toEqual({ sent: [], skipped: 1, failed: [] });
  });
});
