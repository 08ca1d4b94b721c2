import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { WriteBudgetExhaustedError } from '../../../shared/errors.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { postDeferredRecoveryComments } from '../../../shared/reconcile/recovery-comments.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import type { DeferredRecoveryComments } from '../../../shared/stores/deferred-comments.js';
import type { IncidentDue } from '../../../shared/stores/due-index.js';
import { createFakeGitHub } from '../../support/fakes.js';
import { createMemoryStore } from '../../support/memory-store.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const minutesBefore = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const OPTIONS = { maxPerRun: 25, afterMinutes: 10, lookbackHours: 48 };

/** The deferred comments' due entries in memory: every entry is due, oldest first as scheduled. */
function memoryDueList(entries: IncidentDue[]): DeferredRecoveryComments & { left: () => IncidentDue[] } {
  let pending = [...entries];
  return {
    schedule: async (entry) => void pending.push(entry),
    due: async (_now, { limit }) => pending.slice(0, limit),
    done: async (entry) => void (pending = pending.filter((e) => e.incidentId !== entry.incidentId || e.dueAt !== entry.dueAt)),
    left: () => pending,
  };
}

/** Incident `id` of pull request acme/shop#7, created `createdMinutesAgo` ago, its failure's comment written then. */
function pullRequestIncident(id: string, createdMinutesAgo: number, fields: Partial<Incident> = {}): Incident {
  const at = minutesBefore(createdMinutesAgo);
  return newIncident(
    {
      id, source: 'github', repository: 'acme/shop', pullRequest: 7, status: 'notified',
      notifications: [{ channel: 'github_comment', target: 'acme/shop#7', outcome: 'created', detail: null, at, commentId: 41 }],
      ...fields,
    },
    new Date(at),
  );
}

const resolvedFields = { status: 'resolved', resolvedAt: minutesBefore(30), resolvedBy: 'run 9' } as const;

async function setUp(incidents: Incident[], entries: IncidentDue[]) {
  const store = createMemoryStore(() => NOW);
  for (const incident of incidents) await store.create(incident, null);
  const github = createFakeGitHub();
  const deferredComments = memoryDueList(entries);
  const deps = { deferredComments, incidents: store, githubWriter: async () => staticGitHubClients(github.port), clock: () => NOW, logger: silentLogger };
  const upserts = () => github.calls.filter((c) => c.method === 'upsertComment').length;
  return { store, github, deferredComments, deps, upserts };
}

describe('the reconciler posts the recovery comments the write budget refused', () => {
  it('rewrites the comment once, however often its recovery was refused and scheduled it', async () => {
    // A redelivered recovery refused again schedules a second entry for the same incident.
    const { store, github, deferredComments, deps, upserts } = await setUp(
      [pullRequestIncident('i-1', 60, resolvedFields)],
      [{ incidentId: 'i-1', dueAt: minutesBefore(30) }, { incidentId: 'i-1', dueAt: minutesBefore(20) }],
    );

    const first = await postDeferredRecoveryComments(deps, OPTIONS);
    const again = await postDeferredRecoveryComments(deps, OPTIONS);

    expect(first).toMatchObject({ posted: ['i-1'], dropped: 1, failed: [] });
    expect(again).toMatchObject({ posted: [], dropped: 0 });
    expect(upserts()).toBe(1);
    expect(github.comments.get('acme/shop#7')).toMatch(/Fixed in run 9\b/);
    expect((await store.get('i-1'))?.notifications.filter((n) => n.detail === 'recovery')).toEqual([
      expect.objectContaining({ channel: 'github_comment', at: NOW.toISOString(), commentId: 1 }),
    ]);
    expect(deferredComments.left()).toEqual([]);
  });

  it('leaves the comment to a newer failure of the pull request that rewrote it since', async () => {
    const { deferredComments, deps, upserts } = await setUp(
      [pullRequestIncident('i-1', 60, resolvedFields), pullRequestIncident('i-2', 10)],
      [{ incidentId: 'i-1', dueAt: minutesBefore(30) }],
    );

    expect(await postDeferredRecoveryComments(deps, OPTIONS)).toMatchObject({ posted: [], dropped: 1 });
    expect(upserts()).toBe(0);
    expect(deferredComments.left()).toEqual([]);
  });

  it('waits while the incident is not written resolved, and drops the entry of a recovery that died before it', async () => {
    const scheduledNow = { incidentId: 'i-1', dueAt: minutesBefore(1) };
    const { deferredComments, deps, upserts } = await setUp(
      [pullRequestIncident('i-1', 60), pullRequestIncident('i-3', 60, { pullRequest: 8 })],
      [scheduledNow, { incidentId: 'i-3', dueAt: minutesBefore(OPTIONS.afterMinutes + 1) }],
    );

    expect(await postDeferredRecoveryComments(deps, OPTIONS)).toMatchObject({ posted: [], dropped: 1, failed: [] });
    expect(upserts()).toBe(0);
    expect(deferredComments.left()).toEqual([scheduledNow]);
  });

  it('stops at the budget’s refusal and keeps every entry for the next run', async () => {
    const entries = [{ incidentId: 'i-1', dueAt: minutesBefore(30) }, { incidentId: 'i-4', dueAt: minutesBefore(20) }];
    const { github, deferredComments, deps, upserts } = await setUp(
      [pullRequestIncident('i-1', 60, resolvedFields), pullRequestIncident('i-4', 60, { ...resolvedFields, pullRequest: 9 })],
      entries,
    );
    github.port.upsertComment = async (...args) => {
      github.calls.push({ method: 'upsertComment', args });
      throw new WriteBudgetExhaustedError('GitHub write budget spent for this minute', { retryAfterSeconds: 30 });
    };

    expect(await postDeferredRecoveryComments(deps, OPTIONS)).toMatchObject({ posted: [], dropped: 0, failed: ['i-1'] });
    expect(upserts()).toBe(1);
    expect(deferredComments.left()).toEqual(entries);
  });
});
