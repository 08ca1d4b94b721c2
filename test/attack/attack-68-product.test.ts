import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../shared/errors.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { type Incident, newIncident } from '../../shared/domain/incident.js';
import { COMMENT_MARKER } from '../../shared/notify/comment.js';
import { sweepFailedWait } from '../../shared/notify/failed-wait-sweep.js';
import type { EscalationMessage } from '../../shared/ports.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createDynamoEscalationLedger } from '../../shared/stores/escalation-ledger.js';
import { createIncidentStore } from '../../shared/stores/incident-store.js';
import { createFakeGitHub } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';
import { DECISION, PLAN, TOKENLESS } from '../support/tokenless-waits.js';

/**
 * Review of product68 (session 68): the sweep's rewrite of a failed wait's pull request comment, the name-trust change
 * of pull request reads, on the embedded DynamoDB.
 *
 * Open rows: none. Not a row (found, not reproduced here): the reconciler's final reply after a resume (spent or wait
 * over) that finds a refusal creating the reply is only logged (markResumed dropped the entry), as product68 says; it
 * needs a refusal's post to fail within the 8 s claim lease the reconciler's edit lands in.
 */
const scratch = scratchStoreForFile('attack-68-product');
const NOW = new Date('2026-11-29T12:00:00Z');

function incidents(at: Date = NOW) {
  return createIncidentStore({ client: scratch.client, tableName: 'incidents', ttlDays: 400, clock: () => at });
}

function onPullRequest(id: string, repositoryId: number | null, pullRequest: number, createdAt: string, fields: Partial<Incident>): Incident {
  return newIncident({
    id, source: 'github', repository: 'acme/reused', repositoryId, workflowName: 'CI', workflowId: 7, branch: 'feature', runId: Number(id.split('-')[2]), runAttempt: 1,
    pullRequest, status: 'notified', category: 'test_failure', fingerprint: `fp-${id}`, ...fields,
  }, new Date(createdAt));
}

const commentAt = (pullRequest: number, at: string, commentId: number): Pick<Incident, 'notifications'> => ({
  notifications: [{ channel: 'github_comment', target: `acme/reused#${pullRequest}`, outcome: 'created', detail: 'failure', commentId, at }],
});

describe('review 68: the failed-wait sweep rewrites only a comment it can tell is its incident\'s', () => {
  it("leaves the pull request's comment alone when the wait is known by its repository's name only and that name was reused since (GitHub resolves the name to the new repository's pull request, whose later incident leads it)", async () => {
    // Prepare: a wait stored before ids were (repositoryId null) on acme/reused #5, commented then; repository 8 had the
    // name (an incident indexed by id under it); repository 9 has it now, and its own #5's comment leads for its incident.
    const legacy = onPullRequest('gh-x-801-1', null, 5, '2026-11-01T10:00:00Z', { plan: PLAN, decision: DECISION, approval: TOKENLESS, ...commentAt(5, '2026-11-01T10:06:00Z', 501) });
    await incidents(new Date('2026-11-01T10:00:00Z')).create(legacy, null);
    await incidents(new Date('2026-11-02T10:00:00Z')).create(onPullRequest('gh-8-802-1', 8, 5, '2026-11-02T10:00:00Z', commentAt(5, '2026-11-02T10:01:00Z', 502)), null);
    await incidents(new Date('2026-11-28T10:00:00Z')).create(onPullRequest('gh-9-803-1', 9, 5, '2026-11-28T10:00:00Z', commentAt(5, '2026-11-28T10:01:00Z', 503)), null);
    const github = createFakeGitHub();
    const published: EscalationMessage[] = [];

    // Act
    await sweepFailedWait(legacy.id, {
      incidents: incidents(),
      githubWriter: async () => staticGitHubClients(github.port),
      escalations: { publish: async (message: EscalationMessage) => (published.push(message), { messageId: `page-${published.length}` }) },
      escalationLedger: createDynamoEscalationLedger({ client: scratch.client, tableName: 'incidents' }),
      policyFile: {},
      clock: () => NOW,
      logger: silentLogger,
    }, { dryRun: false });

    // Assert: recorded failed, but the comment on acme/reused #5 (repository 9's now) is not written for the old wait.
    expect((await incidents().get(legacy.id))?.approval?.status).toBe('failed');
    expect(github.calls.filter((call) => call.method === 'upsertComment' && call.args[2] === COMMENT_MARKER)).toEqual([]);
  });
});

describe('review 68: a sweep whose comment rewrite fails after its page went out pages nobody again', () => {
  let runs = 0;
  function sweepDeps(clock: () => Date, github: ReturnType<typeof createFakeGitHub> | Error, published: EscalationMessage[]) {
    return {
      incidents: incidents(clock()),
      githubWriter: async () => {
        if (github instanceof Error) throw github;
        return staticGitHubClients(github.port);
      },
      escalations: { publish: async (message: EscalationMessage) => (published.push(message), { messageId: `page-${published.length}` }) },
      escalationLedger: createDynamoEscalationLedger({ client: scratch.client, tableName: 'incidents' }),
      policyFile: {},
      clock,
      logger: silentLogger,
    };
  }

  it.each([
    ['GitHub unavailable, the sweep run again at once', new GitHubUnavailableError('GitHub answered 502'), NOW],
    ['GitHub unavailable, the sweep run again the next day', new GitHubUnavailableError('GitHub answered 502'), new Date('2026-11-30T12:00:00Z')],
  ])('%s', async (_, failure, rerunAt) => {
    // Prepare: a failed wait on a pull request it commented on; the first sweep's rewrite fails (not a crash: it goes on).
    runs += 1;
    const runId = 810 + runs;
    const wait = onPullRequest(`gh-20${runId}-${runId}-1`, 20_000 + runId, 9, '2026-11-01T10:00:00Z', {
      repository: `acme/sweep-${runId}`, plan: PLAN, decision: DECISION, approval: TOKENLESS, ...commentAt(9, '2026-11-01T10:06:00Z', 900 + runId),
    });
    await incidents(new Date('2026-11-01T10:00:00Z')).create(wait, null);
    const published: EscalationMessage[] = [];
    await expect(sweepFailedWait(wait.id, sweepDeps(() => NOW, failure, published), { dryRun: false })).rejects.toThrow();

    // Act
    await sweepFailedWait(wait.id, sweepDeps(() => rerunAt, createFakeGitHub(), published), { dryRun: false });

    // Assert: recorded failed, on-call paged once for it.
    expect((await incidents().get(wait.id))?.approval?.status).toBe('failed');
    expect(published).toHaveLength(1);
  });
});
