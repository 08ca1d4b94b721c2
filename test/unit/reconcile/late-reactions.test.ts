import { describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { GitHubRequestError } from '../../../shared/github/errors.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import type { Votes } from '../../../shared/knowledge/votes.js';
import { readLateReactions } from '../../../shared/reconcile/late-reactions.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import type { ListedReactionRead, ReactionReadDue, ReactionReads } from '../../../shared/stores/reaction-reads.js';
import { RECONCILER_METRIC } from '../../../shared/adapters/metric-names.js';
import { noMetrics } from '../../../shared/adapters/metrics.js';
import type { GitHubPort, Metrics } from '../../../shared/ports.js';
import { createFakeGitHub } from '../../support/fakes.js';
import { type FakeGitHub, clientFor } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from '../github/fake-server.js';
import { createMemoryStore } from '../../support/memory-store.js';

const NOW = new Date('2026-11-21T10:00:00Z');
const DUE_AT = '2026-11-21T09:00:00.000Z';

/** Due entries in memory with the store's contract: listed by when they are due, then as scheduled. */
function memoryReactionReads(entries: ReactionReadDue[]): ReactionReads & { left: () => string[] } {
  let pending: ListedReactionRead[] = [];
  const listed = (entry: ReactionReadDue): ListedReactionRead => ({ ...entry, entry: { id: entry.incidentId, dueAt: entry.dueAt }, failures: 0, progress: null });
  const find = (entry: ListedReactionRead) => pending.findIndex((e) => e.entry.id === entry.entry.id && e.entry.dueAt === entry.entry.dueAt);
  pending = entries.map(listed);
  return {
    async schedule(entry) {
      pending.push(listed(entry));
    },
    async due(now, { limit }) {
      return pending
        .filter((e) => Date.parse(e.entry.dueAt) <= now.getTime())
        .sort((a, b) => a.entry.dueAt.localeCompare(b.entry.dueAt))
        .slice(0, limit)
        .map((e) => structuredClone(e));
    },
    async done(entry) {
      const at = find(entry);
      if (at >= 0) pending.splice(at, 1);
    },
    async keepProgress(entry, progress) {
      const at = find(entry);
      if (at < 0) return false;
      pending[at] = { ...pending[at]!, progress: structuredClone(progress) };
      return true;
    },
    async retry(entry, retryAt, progress) {
      const at = find(entry);
      if (at < 0) return false;
      pending[at] = { ...entry, entry: { ...entry.entry, dueAt: retryAt.toISOString() }, failures: entry.failures + 1, progress: structuredClone(progress) };
      return true;
    },
    left: () => pending.map((e) => e.incidentId),
  };
}

/** Votes that record what they were given. */
function recordingVotes(): Votes & { given: string[] } {
  const given: string[] = [];
  return {
    given,
    async onFeedback(incident, vote, user) {
      given.push(`${incident.id}:${user}:${vote}`);
      return { counted: true, previous: null };
    },
    async withdrawReactionVotes() {
      return 0;
    },
    async pendingChanges() {
      return [];
    },
    async finishPendingChange() {
      return 'gone';
    },
    async retryPendingChange() {
      return false;
    },
    async abandonPendingChange() {},
  };
}

/** Metrics that add up what was counted, by name. */
function recordingMetrics(): Metrics & { total: (name: string) => number } {
  const counted: Array<{ name: string; value: number }> = [];
  return { count: (name, value) => counted.push({ name, value }), measure() {}, total: (name) => counted.filter((c) => c.name === name).reduce((sum, c) => sum + c.value, 0) };
}

/** Three pull requests' incidents due, each with the guard's comment written an hour before the deadline; maya 👍 on each. */
async function threeDue() {
  const incidents = createMemoryStore();
  const github = createFakeGitHub();
  github.permissions.set('maya', 'write');
  github.reactions.push({ user: 'maya', content: '+1', userType: 'User', createdAt: '2026-11-21T08:30:00Z' });
  const ids = ['i-1', 'i-2', 'i-3'];
  for (const [i, id] of ids.entries()) {
    const incident = newIncident(
      {
        id, source: 'github', repository: 'acme/shop', pullRequest: 7 + i,
        notifications: [{ channel: 'github_comment', target: `acme/shop#${7 + i}`, outcome: 'created', detail: null, at: '2026-11-21T08:00:00.000Z', commentId: 41 + i }],
      },
      NOW,
    );
    await incidents.create(incident, null);
  }
  const reads = memoryReactionReads(ids.map((incidentId) => ({ incidentId, dueAt: DUE_AT })));
  const votes = recordingVotes();
  const deps = { reactionReads: reads, incidents, github: async () => staticGitHubClients(github.port), votes, clock: () => NOW, logger: silentLogger, metrics: noMetrics };
  return { deps, github, reads, votes };
}

const githubCalls = (github: ReturnType<typeof createFakeGitHub>) => github.calls.filter((c) => ['listCommentReactions', 'commentReactionsPage', 'listCollaborators', 'collaboratorsPage', 'repositoryPermission'].includes(c.method)).length;

describe('late reads of reactions: bounded per run', () => {
  it('stops at the run\'s GitHub calls: the incident it was reading and the rest wait for the next run', async () => {
    // Prepare: one incident's read is three calls (👍 and 👎 lists, maya's permission); the run may make four
    const { deps, github, reads, votes } = await threeDue();

    // Act
    const result = await readLateReactions(deps, { maxPerRun: 10, maxCallsPerRun: 4, lookbackHours: 48 });

    // Assert
    expect(result).toMatchObject({ read: ['i-1'], failed: ['i-2'] });
    expect(githubCalls(github)).toBe(4);
    expect(votes.given).toEqual(['i-1:maya:up']);
    expect(reads.left()).toEqual(['i-2', 'i-3']);
  });

  it('stops when GitHub is limiting or failing, and keeps what it did not read', async () => {
    const { deps, github, reads } = await threeDue();
    // The late read asks for the reactions page by page (it resumes where a run stopped).
    github.port.listCommentReactions = github.port.commentReactionsPage = async () => {
      throw new GitHubUnavailableError('GitHub rate limit: retry after 600 s');
    };

    const result = await readLateReactions(deps, { maxPerRun: 10, maxCallsPerRun: 50, lookbackHours: 48 });

    expect(result).toMatchObject({ read: [], failed: ['i-1'] });
    expect(reads.left()).toEqual(['i-1', 'i-2', 'i-3']);
  });

  it('counts no failure against an incident when GitHub cannot be opened (its credentials), and reads nothing', async () => {
    const { deps, reads } = await threeDue();
    const noCredentials = { ...deps, github: async () => Promise.reject(new Error('AccessDeniedException: secret unreadable')) };

    const result = await readLateReactions(noCredentials, { maxPerRun: 10, maxCallsPerRun: 50, lookbackHours: 48 });

    expect(result).toMatchObject({ read: [], failed: ['i-1'], abandoned: [] });
    expect((await reads.due(NOW, { limit: 10, lookbackHours: 48 })).map((e) => [e.incidentId, e.failures])).toEqual([['i-1', 0], ['i-2', 0], ['i-3', 0]]);
  });

  it('fails no reconciler run when the due entries cannot be read or marked: it logs, and the entries wait', async () => {
    // Prepare: the store refuses the listing in one run, and marking a refused read done in another
    const { deps, github } = await threeDue();
    const unreadable = { ...deps, reactionReads: { ...deps.reactionReads, due: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) } };
    github.port.listCommentReactions = github.port.commentReactionsPage = async () => {
      throw new GitHubRequestError('Not Found', 404);
    };
    const unmarkable = { ...deps, reactionReads: { ...deps.reactionReads, done: async () => Promise.reject(new Error('ProvisionedThroughputExceededException')) } };

    // Act
    const listed = await readLateReactions(unreadable, { maxPerRun: 10, maxCallsPerRun: 50, lookbackHours: 48 });
    const marked = await readLateReactions(unmarkable, { maxPerRun: 10, maxCallsPerRun: 50, lookbackHours: 48 });

    // Assert
    expect(listed).toMatchObject({ read: [], counted: 0, failed: [] });
    expect(marked.read).toEqual([]);
    expect(marked.failed).toEqual(['i-1', 'i-2', 'i-3']);
  });
});

describe('late reads of reactions: a read tried again after a failure', () => {
  it('asks the voters\' permissions again: a role read hours before may have been taken away since', async () => {
    // Prepare: maya's 👍 is read and her permission asked, then counting her vote fails
    const { deps, reads } = await threeDue();
    const failingVotes = { ...recordingVotes(), onFeedback: async () => Promise.reject(new Error('the votes table refused the write')) };

    // Act
    const result = await readLateReactions({ ...deps, votes: failingVotes }, { maxPerRun: 1, maxCallsPerRun: 50, lookbackHours: 48 });

    // Assert: tried again later, with no permission kept for that later read
    expect(result.failed).toEqual(['i-1']);
    const [retried] = (await reads.due(new Date(NOW.getTime() + 86_400_000), { limit: 10, lookbackHours: 48 })).filter((entry) => entry.incidentId === 'i-1');
    expect(retried?.failures).toBe(1);
    expect((retried?.progress as { permissions?: unknown[] } | null)?.permissions ?? []).toEqual([]);
  });
});

describe('late reads of reactions: the run\'s GitHub calls are the pages it reads', () => {
  let fake: FakeGitHub;
  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  /**
   * One incident due whose comment has 250 👍 (three pages of 100), one 👎 (one page), and more voters than are asked
   * one by one, so the collaborator list is read too (one page): five requests to GitHub in all. With `plainAfter`, a
   * second incident due after it, on comment 42 with maya's 👍: three requests (its two lists and maya's permission).
   */
  async function oneBusyComment(plainAfter = false) {
    const incidents = createMemoryStore();
    const reactedAt = '2026-11-21T08:30:00Z';
    fake.reactions.set(41, [
      ...Array.from({ length: 250 }, (_, i) => ({ content: '+1', created_at: reactedAt, user: { login: `voter-${i}`, type: 'User' } })),
      { content: '-1', created_at: reactedAt, user: { login: 'maya', type: 'User' } },
    ]);
    fake.reactions.set(42, [{ content: '+1', created_at: reactedAt, user: { login: 'maya', type: 'User' } }]);
    fake.permissions.set('maya', 'write');
    const due: Array<readonly [string, number, number]> = [['i-1', 41, 7], ...(plainAfter ? [['i-2', 42, 8] as const] : [])];
    for (const [id, commentId, pullRequest] of due) {
      const incident = newIncident(
        {
          id, source: 'github', repository: 'octo/app', pullRequest,
          notifications: [{ channel: 'github_comment', target: `octo/app#${pullRequest}`, outcome: 'created', detail: null, at: '2026-11-21T08:00:00.000Z', commentId }],
        },
        NOW,
      );
      await incidents.create(incident, null);
    }
    const reads = memoryReactionReads(due.map(([incidentId]) => ({ incidentId, dueAt: DUE_AT })));
    const votes = recordingVotes();
    const deps = { reactionReads: reads, incidents, github: async () => staticGitHubClients(clientFor(fake)), votes, clock: () => NOW, logger: silentLogger, metrics: noMetrics };
    return { deps, reads, votes };
  }

  it('stops a read before it requests more pages than the run may, and the incident waits for the next run', async () => {
    const { deps, reads, votes } = await oneBusyComment();

    const result = await readLateReactions(deps, { maxPerRun: 10, maxCallsPerRun: 4, lookbackHours: 48 });

    expect(fake.apiCalls().length).toBeLessThanOrEqual(4);
    expect(result).toMatchObject({ read: [], failed: ['i-1'] });
    expect(votes.given).toEqual([]);
    expect(reads.left()).toEqual(['i-1']);
  });

  it('counts the pages a list read, not the pages it may read: five requests are five calls', async () => {
    const { deps, reads, votes } = await oneBusyComment();

    const result = await readLateReactions(deps, { maxPerRun: 10, maxCallsPerRun: 5, lookbackHours: 48 });

    expect(fake.apiCalls()).toHaveLength(5);
    expect(result).toMatchObject({ read: ['i-1'], failed: [] });
    expect(votes.given).toEqual(['i-1:maya:down']);
    expect(reads.left()).toEqual([]);
  });

  it('finishes a read that needs more GitHub calls than a run may make over several runs, and reads the one queued after it', async () => {
    // Prepare: two calls a run, fewer than the first incident's read needs
    const { deps, reads, votes } = await oneBusyComment(true);

    // Act: five runs, five minutes apart
    const runs = [];
    for (let run = 0; run < 5; run += 1) {
      const now = new Date(NOW.getTime() + run * 5 * 60_000);
      runs.push((await readLateReactions({ ...deps, clock: () => now }, { maxPerRun: 10, maxCallsPerRun: 2, lookbackHours: 48 })).read);
    }

    // Assert: each run made at most its two calls, no page was requested twice, and both incidents were read
    expect(runs.flat()).toEqual(['i-1', 'i-2']);
    expect(votes.given).toEqual(['i-1:maya:down', 'i-2:maya:up']);
    expect(reads.left()).toEqual([]);
    expect(fake.apiCalls()).toHaveLength(8);
  });

  it('moves a read that keeps failing behind the others, and gives it up after its failures with an error and a metric', async () => {
    // Prepare: GitHub fails every request for the first incident's comment; one incident read a run
    const { deps, reads, votes } = await oneBusyComment(true);
    const errors: string[] = [];
    const logger = { ...silentLogger, error: (message: string) => errors.push(message) };
    const metrics = recordingMetrics();
    const github = async () => {
      const port = clientFor(fake);
      const refuse = (commentId: number) => {
        if (commentId === 41) throw new GitHubUnavailableError('GitHub answered 502 for the reactions of comment 41');
      };
      const failing: GitHubPort = {
        ...port,
        listCommentReactions: async (...args) => (refuse(args[1]), port.listCommentReactions(...args)),
        commentReactionsPage: async (...args) => (refuse(args[1]), port.commentReactionsPage(...args)),
      };
      return staticGitHubClients(failing);
    };

    // Act: runs every five minutes for half a day
    const read: string[] = [];
    for (let run = 0; run < 150; run += 1) {
      const now = new Date(NOW.getTime() + run * 5 * 60_000);
      read.push(...(await readLateReactions({ ...deps, github, clock: () => now, logger, metrics }, { maxPerRun: 1, maxCallsPerRun: 50, lookbackHours: 48 })).read);
    }

    // Assert: the second incident was read; the first given up once, loudly, and listed no more
    expect(read).toEqual(['i-2']);
    expect(votes.given).toEqual(['i-2:maya:up']);
    expect(metrics.total(RECONCILER_METRIC.lateReactionReadsAbandoned)).toBe(1);
    expect(errors).toEqual([expect.stringContaining('given up')]);
    expect(reads.left()).toEqual([]);
  });
});
