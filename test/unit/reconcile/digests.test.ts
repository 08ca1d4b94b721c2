import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import type { DigestDue, EscalationDigest, EscalationDigests, EscalationMessage } from '../../../shared/ports.js';
import { sendDueDigests } from '../../../shared/reconcile/digests.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { createMemoryStore } from '../../support/memory-store.js';

const NOW = new Date('2026-11-21T10:00:00Z');

/**
 * Due entries in memory with the adapter's contract: one claim per entry until it is released or sent; listed by
 * when they are due, oldest first, a failed one at the time it is retried.
 */
function memoryDigests(entries: DigestDue[], repeats = 3) {
  const claimed = new Set<string>();
  const done = new Set<string>();
  const released: string[] = [];
  const waiting = entries.map((entry) => ({ ...entry }));
  const dueTime = (entry: DigestDue) => entry.retryAt ?? entry.dueAt;
  const digests: EscalationDigests = {
    async due(now, { limit }) {
      return waiting
        .filter((e) => !done.has(e.problemKey) && Date.parse(dueTime(e)) <= now.getTime())
        .sort((a, b) => dueTime(a).localeCompare(dueTime(b)))
        .slice(0, limit)
        .map((e) => ({ ...e }));
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
    async messagePublished() {},
    async retry(due, at) {
      const entry = waiting.find((e) => e.problemKey === due.problemKey);
      if (!entry || done.has(due.problemKey)) return false;
      Object.assign(entry, { failures: (due.failures ?? 0) + 1, retryAt: at.toISOString() });
      return true;
    },
    async abandon(due) {
      done.add(due.problemKey);
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
  const errors: string[] = [];
  const clock = { now: NOW };
  const deps = {
    digests: memory.digests,
    incidents: store,
    escalations: { publish },
    clock: () => clock.now,
    logger: { ...silentLogger, error: (message: string) => void errors.push(message) },
    metrics: { count: (name: string, value: number) => void (counts[name] = (counts[name] ?? 0) + value), measure() {} },
  };
  /** The reconciler's next scheduled run, five minutes on. */
  const nextRun = () => {
    clock.now = new Date(clock.now.getTime() + 5 * 60_000);
  };
  return { deps, memory, counts, errors, nextRun };
}

describe('digests of ended escalation windows', () => {
  it('sends one message per due window, with the links of the latest occurrence, and counts them', async () => {
    const published: EscalationMessage[] = [];
    const { deps, memory, counts } = await setup([due('a'), due('b')], async (message) => {
      published.push(message);
      return { messageId: String(published.length) };
    });

    const result = await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 });

    expect(result).toEqual({ sent: ['a', 'b'], skipped: 0, failed: [], abandoned: [] });
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
    const { deps, memory, nextRun } = await setup([due('a'), due('b')], async (message) => {
      if (failOnce && message.subject.includes('problem a')) {
        failOnce = false;
        throw new Error('throttled');
      }
      published.push(message.subject);
      return { messageId: 'm' };
    });

    const first = await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 });
    expect(first).toEqual({ sent: ['b'], skipped: 0, failed: ['a'], abandoned: [] });
    expect(memory.released).toEqual(['a']);
    nextRun();
    expect((await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 })).sent).toEqual(['a']);
    expect(published).toHaveLength(2);
  });

  it('sends a digest whose names need several messages as all of them, and marks it sent once', async () => {
    const published: EscalationMessage[] = [];
    const { deps, memory } = await setup([due('group')], async (message) => {
      published.push(message);
      return { messageId: String(published.length) };
    });
    // 1,000 alarms of 200-character names: more than one message holds.
    const members = Array.from({ length: 1_000 }, (_, i) => `${String(i).padStart(4, '0')}-${'x'.repeat(195)}`);
    const claim = memory.digests.claim;
    memory.digests.claim = async (entry, now) => {
      const digest = await claim(entry, now);
      return digest && { ...digest, members };
    };

    const result = await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 });

    expect(result.sent).toEqual(['group']);
    expect(published.length).toBeGreaterThan(1);
    for (const member of members) expect(published.filter((m) => m.message.includes(member))).toHaveLength(1);
    expect([...memory.done]).toEqual(['group']);
  });

  it('skips what another run has claimed', async () => {
    const { deps, memory } = await setup([due('a')], async () => ({ messageId: 'm' }));
    await memory.digests.claim(due('a'), NOW);

    expect(await sendDueDigests(deps, { maxPerRun: 10, lookbackHours: 48 })).toEqual({ sent: [], skipped: 1, failed: [], abandoned: [] });
  });
});

describe('digests that fail every time', () => {
  /** 26 digests the publisher refuses, their windows ended before the one of a digest it takes. */
  async function refusedThenGood() {
    const refused = Array.from({ length: 26 }, (_, i) => ({ ...due(`refused-${String(i).padStart(2, '0')}`), dueAt: new Date(Date.parse('2026-11-21T09:00:00.000Z') + i * 1_000).toISOString() }));
    const published: string[] = [];
    const setUp = await setup([...refused, { ...due('good'), dueAt: '2026-11-21T09:01:00.000Z' }], async (message) => {
      if (message.subject.includes('problem refused')) throw new Error('InvalidParameter: the message was refused');
      published.push(message.subject);
      return { messageId: 'm' };
    });
    return { ...setUp, published };
  }

  it('hold back no later digest: it goes out within a few runs', async () => {
    const { deps, published, nextRun } = await refusedThenGood();

    const sent: string[] = [];
    for (let run = 0; run < 3; run += 1) {
      sent.push(...(await sendDueDigests(deps, { maxPerRun: 25, lookbackHours: 48 })).sent);
      nextRun();
    }

    expect(sent).toEqual(['good']);
    expect(published).toEqual(['[Pipeline Guard] Still happening, 3 more times: problem good']);
  });

  it('are given up after their failures, each with an error and the metric, and failing their last run', async () => {
    const { deps, memory, counts, errors, nextRun } = await refusedThenGood();

    const failed: string[][] = [];
    for (let run = 0; run < 150; run += 1) {
      failed.push((await sendDueDigests(deps, { maxPerRun: 25, lookbackHours: 48 })).failed);
      nextRun();
    }

    expect(counts.EscalationDigestsAbandoned).toBe(26);
    expect(errors).toHaveLength(26);
    expect(errors[0]).toContain('given up');
    expect(memory.done.size).toBe(27);
    expect(failed.flat().filter((key) => key === 'refused-00')).toHaveLength(8);
    expect(failed.at(-1)).toEqual([]);
  });
});
