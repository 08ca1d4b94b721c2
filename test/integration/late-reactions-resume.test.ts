import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { noMetrics } from '../../shared/adapters/metrics.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { readLateReactions } from '../../shared/reconcile/late-reactions.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createReactionReads } from '../../shared/stores/reaction-reads.js';
import { type FakeGitHub, clientFor } from '../support/fake-github.js';
import { scratchStoreForFile } from '../support/harness.js';
import { learningOn } from '../support/learning.js';
import { eachTestWithFakeGitHub } from '../unit/github/fake-server.js';

/**
 * The reconciler's late read of reactions with fewer GitHub calls a run (RECONCILE_MAX_REACTION_CALLS_PER_RUN) than
 * one incident's read needs, on the embedded store and GitHub's HTTP API: what a run read is kept on the due entry and
 * the next run goes on from there, so the read finishes and the incident queued behind it is read too.
 */
const scratch = scratchStoreForFile('guard-late-reactions-resume');
const DEADLINE = new Date('2026-11-21T09:00:00.000Z');
const CALLS_PER_RUN = 2;

let documents: DynamoDBDocumentClient;
let incidents: ReturnType<typeof createIncidentStore>;
beforeAll(() => {
  documents = scratch.store.documents();
  incidents = createIncidentStore({ client: documents, tableName: 'incidents', ttlDays: 30 });
});

let fake: FakeGitHub;
eachTestWithFakeGitHub((started) => {
  fake = started;
});

/** An incident whose guard comment `commentId` was written before the deadline and not touched since, its read due. */
async function dueIncident(id: string, commentId: number, pullRequest: number): Promise<Incident> {
  const written = new Date(DEADLINE.getTime() - 3_600_000);
  const incident = newIncident(
    {
      id, source: 'github', status: 'notified', repository: 'octo/resume', pullRequest, runId: commentId, runAttempt: 1,
      notifications: [{ channel: 'github_comment', target: `octo/resume#${pullRequest}`, outcome: 'created', detail: null, at: written.toISOString(), commentId }],
    },
    written,
  );
  await incidents.create(incident, null);
  await createReactionReads({ client: documents, tableName: 'incidents' }).schedule({ incidentId: id, dueAt: DEADLINE.toISOString() });
  return incident;
}

describe('late reads of reactions over several runs', () => {
  it('resumes a read its runs cannot make at once from the due entry, then reads the incident after it', async () => {
    // Prepare: 230 👍 from outsiders and maya's 👎 on the first comment (three pages, one page and the collaborator
    // list: five requests), maya's 👍 on the second (two lists and her permission: three)
    const reactedAt = new Date(DEADLINE.getTime() - 30 * 60_000).toISOString();
    const user = (login: string) => ({ login, type: 'User' });
    fake.reactions.set(501, [...Array.from({ length: 230 }, (_, i) => ({ content: '+1', created_at: reactedAt, user: user(`fan-${i}`) })), { content: '-1', created_at: reactedAt, user: user('maya') }]);
    fake.reactions.set(502, [{ content: '+1', created_at: reactedAt, user: user('maya') }]);
    fake.permissions.set('maya', 'write');
    const busy = await dueIncident('gh-resume-busy', 501, 11);
    const plain = await dueIncident('gh-resume-plain', 502, 12);

    // Act: runs five minutes apart, two GitHub calls each
    const read: string[] = [];
    for (let run = 0; run < 5; run += 1) {
      const now = new Date(DEADLINE.getTime() + (run + 1) * 5 * 60_000);
      const deps = {
        reactionReads: createReactionReads({ client: documents, tableName: 'incidents' }),
        incidents,
        github: async () => staticGitHubClients(clientFor(fake)),
        votes: learningOn(documents, () => now),
        clock: () => now,
        logger: silentLogger,
        metrics: noMetrics,
      };
      read.push(...(await readLateReactions(deps, { maxPerRun: 10, maxCallsPerRun: CALLS_PER_RUN, lookbackHours: 48 })).read);
    }

    // Assert: both read, each page once, and maya's votes counted
    expect(read).toEqual([busy.id, plain.id]);
    expect(fake.apiCalls()).toHaveLength(8);
    expect(await incidents.get(busy.id)).toMatchObject({ feedbackUp: 0, feedbackDown: 1 });
    expect(await incidents.get(plain.id)).toMatchObject({ feedbackUp: 1 });
  });
});
