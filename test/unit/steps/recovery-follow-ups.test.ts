import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import type { IncidentStore } from '../../../shared/stores/incident-store.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordAlarmRecovery, recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { alarmScope } from '../../../shared/domain/trigger.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryApprovalIndex, createMemoryGuardStore, createMemoryRecoveryTargets } from '../../support/fakes.js';
import { SimulatedCrash, diesOfCrash, killedAfterResolving } from '../../support/failing-writes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A green run's recovery writes the incident resolved first, then does its follow-ups (circuit breaker, learning, the
 * PR comment). Killed between the two, the incident is no longer open: the recovery's redelivery finds it among the
 * targets its first delivery noted, and does them then, once.
 */
describe("a green run's recovery killed right after it wrote the incident resolved", () => {
  const scope = 'acme/app|main|CI';
  const at = new Date('2026-11-20T09:10:00Z');
  const recovery = { scope, runId: 920, runAttempt: 2, resolvedBy: 'run 920 (attempt 2)', installationId: 5, completedAt: at };

  function failure(): Incident {
    return newIncident(
      {
        id: 'gh-1-920-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC125', workflowName: 'CI', runId: 920, runAttempt: 1, pullRequest: 14,
        createdAt: '2026-11-20T09:00:00.000Z',
        decision: { action: 'rerun_failed_jobs', reason: 'transient', applied: true, result: 'rerun requested', dryRun: false, decidedAt: '2026-11-20T09:01:00.000Z' },
      },
      new Date('2026-11-20T09:00:00Z'),
    );
  }

  it('has its redelivery rewrite the PR comment and count the outcome, once', async () => {
    // Arrange
    const store = createMemoryStore();
    const incident = failure();
    await store.create(incident, scope, null);
    const github = createFakeGitHub();
    const guards = createMemoryGuardStore();
    const learned: string[] = [];
    const deps = (incidents: IncidentStore) => ({
      incidents, recoveryTargets: targets, clock: () => at, github: staticGitHubClients(github.port), logger: silentLogger, guards,
      learning: { onResolved: async (resolved: Incident) => void learned.push(resolved.id) },
    });
    const targets = createMemoryRecoveryTargets(() => at);

    // Act: killed once, then delivered again twice (Lambda's retries)
    const crashed = await diesOfCrash(recordWorkflowRecovery(recovery, deps(killedAfterResolving(store)) as never));
    const again = await recordWorkflowRecovery(recovery, deps(store) as never);
    await recordWorkflowRecovery(recovery, deps(store) as never);

    // Assert
    expect(crashed).toBe(true);
    expect(again.resolved).toEqual([incident.id]);
    const stored = await store.get(incident.id);
    expect(stored).toMatchObject({ status: 'resolved', resolvedBy: recovery.resolvedBy });
    expect(stored?.notifications.filter((n) => n.detail === 'recovery').length).toBe(1);
    expect(github.calls.filter((call) => call.method === 'upsertComment').length).toBe(1);
    expect([...github.comments.values()][0]).toContain('Passed in run 920');
    expect(learned).toEqual([incident.id]);
    expect(guards.outcomes).toEqual([true]);
    expect(stored?.history.map((entry) => entry.event).filter((event) => event === 'resolved' || event === 'recovery_followed_up')).toEqual(['resolved', 'recovery_followed_up']);
    // Finished: nothing is left for the reconciler's backstop
    expect(await targets.unfinished(new Date('2026-11-21T09:00:00Z'), { notedBefore: new Date('2026-11-21T09:00:00Z'), limit: 10 })).toEqual([]);
  });
});

describe("a green run's recovery of two failures of one pull request, killed after it wrote the older resolved", () => {
  it("has its redelivery leave the PR comment to the newer failure's, which the first delivery wrote", async () => {
    // Arrange: two failures of pull request 14, both before run 920 passed; the first delivery resolves the newer
    // (and rewrites the comment for it), then the older, and is killed right after that write
    const scope = 'acme/app|main|CI';
    const at = new Date('2026-11-20T09:10:00Z');
    const recovery = { scope, runId: 920, runAttempt: 1, resolvedBy: 'run 920', installationId: 5, completedAt: at };
    const failure = (id: string, runId: number, createdAt: string) =>
      newIncident({ id, source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: `SHA${runId}`, workflowName: 'CI', runId, runAttempt: 1, pullRequest: 14, createdAt }, new Date(createdAt));
    const store = createMemoryStore();
    const older = failure('gh-1-918-1', 918, '2026-11-20T09:00:00.000Z');
    const newer = failure('gh-1-919-1', 919, '2026-11-20T09:05:00.000Z');
    await store.create(older, scope, null);
    await store.create(newer, scope, null);
    let resolvedWrites = 0;
    const killedAtTheSecond: IncidentStore = {
      ...store,
      async updateIfStatusMoves(...args: Parameters<IncidentStore['updateIfStatusMoves']>) {
        const written = await store.updateIfStatusMoves(...args);
        if (args[1].status === 'resolved' && ++resolvedWrites === 2) throw new SimulatedCrash('killed after the second resolved write');
        return written;
      },
    };
    const github = createFakeGitHub();
    const targets = createMemoryRecoveryTargets();
    const deps = (incidents: IncidentStore) => ({ incidents, recoveryTargets: targets, clock: () => at, github: staticGitHubClients(github.port), logger: silentLogger });

    // Act
    const crashed = await diesOfCrash(recordWorkflowRecovery(recovery, deps(killedAtTheSecond) as never));
    const again = await recordWorkflowRecovery(recovery, deps(store) as never);

    // Assert: the older one's follow-ups are done, without rewriting the comment the newer one's recovery wrote
    expect(crashed).toBe(true);
    expect(again.resolved).toEqual([older.id]);
    expect((await store.get(older.id))?.history.filter((entry) => entry.event === 'recovery_followed_up').length).toBe(1);
    expect(github.calls.filter((call) => call.method === 'upsertComment').length).toBe(1);
  });
});

describe('a green run that recovers a failure whose proposed fix waits for approval', () => {
  const scope = 'acme/app|main|CI';
  const at = new Date('2026-11-20T09:20:00Z');

  it('withdraws the proposal: no /guard approve decides a fix for something already green', async () => {
    // Arrange: the failure's re-run proposal waits on pull request 15
    const store = createMemoryStore();
    const incident = newIncident(
      {
        id: 'gh-1-930-1', source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: 'ABC126', workflowName: 'CI', runId: 930, runAttempt: 1, pullRequest: 15,
        createdAt: '2026-11-20T09:00:00.000Z', status: 'awaiting_approval',
        plan: { action: 'rerun_failed_jobs', reason: 'transient', dryRun: false } as never,
        approval: { status: 'pending', taskToken: 'token-930', requestedAt: '2026-11-20T09:02:00.000Z', decidedAt: null, decidedBy: null, reason: null },
      },
      new Date('2026-11-20T09:00:00Z'),
    );
    await store.create(incident, scope, null);
    const approvals = createMemoryApprovalIndex();
    await approvals.add({ name: 'acme/app', id: 1 }, 15, incident.id);
    const github = createFakeGitHub();
    const deps = { incidents: store, approvals, recoveryTargets: createMemoryRecoveryTargets(), clock: () => at, github: staticGitHubClients(github.port), logger: silentLogger };

    // Act: the next run passes
    await recordWorkflowRecovery({ scope, runId: 931, runAttempt: 1, resolvedBy: 'run 931', installationId: 5, completedAt: at }, deps as never);

    // Assert
    expect(await approvals.pending({ name: 'acme/app', id: 1 }, 15)).toEqual([]);
    const stored = await store.get(incident.id);
    expect(stored?.status).toBe('resolved');
    expect(stored?.history.filter((entry) => entry.event === 'approval_withdrawn').length).toBe(1);
    expect([...github.comments.values()][0]).not.toContain('/guard approve');
  });
});

describe("an alarm's OK killed right after it wrote the incident resolved", () => {
  it('has its redelivery count the outcome once', async () => {
    // Arrange: the alarm's incident, open since it fired at 10:00
    const store = createMemoryStore();
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate';
    const incident = newIncident({ id: 'alarm-1', source: 'cloudwatch', createdAt: '2026-11-20T10:00:00.000Z', failedAt: '2026-11-20T10:00:00.000Z' }, new Date('2026-11-20T10:00:00Z'));
    await store.create(incident, alarmScope(arn), null);
    const learned: string[] = [];
    const targets = createMemoryRecoveryTargets();
    const deps = (incidents: IncidentStore) => ({
      incidents, recoveryTargets: targets, clock: () => new Date('2026-11-20T10:23:00Z'), github: staticGitHubClients(null), logger: silentLogger,
      learning: { onResolved: async (resolved: Incident) => void learned.push(resolved.id) },
    });
    const ok = loadAlarmEvent('alarm-state-ok');

    // Act: killed once, then delivered again twice (EventBridge's retries)
    const crashed = await diesOfCrash(recordAlarmRecovery(structuredClone(ok), deps(killedAfterResolving(store)) as never));
    const again = await recordAlarmRecovery(structuredClone(ok), deps(store) as never);
    await recordAlarmRecovery(structuredClone(ok), deps(store) as never);

    // Assert
    expect(crashed).toBe(true);
    expect(again.resolved).toEqual([incident.id]);
    expect(learned).toEqual([incident.id]);
    const stored = await store.get(incident.id);
    expect(stored).toMatchObject({ status: 'resolved', resolvedBy: 'alarm OK', resolvedAt: '2026-11-20T10:22:40.000Z' });
    expect(stored?.history.filter((entry) => entry.event === 'recovery_followed_up').length).toBe(1);
  });
});

describe('which endings are a recovery\'s own (resolvedByRecovery)', () => {
  const at = '2026-11-20T10:05:00.000Z';
  const resolved = (fields: Partial<Incident>) => ({ ...newIncident({ id: 'cw-1', source: 'cloudwatch' }, new Date('2026-11-20T10:00:00Z')), status: 'resolved' as const, resolvedAt: at, ...fields });

  it('takes the OK\'s own names, with or without "after the runbook"', async () => {
    const { resolvedByRecovery } = await import('../../../shared/outcome/recovery-follow-ups.js');
    expect(resolvedByRecovery(resolved({ resolvedBy: 'alarm OK' }), { resolvedBy: 'alarm OK', at })).toBe(true);
    expect(resolvedByRecovery(resolved({ resolvedBy: 'alarm OK after the runbook' }), { resolvedBy: 'alarm OK', at })).toBe(true);
    expect(resolvedByRecovery(resolved({ resolvedBy: 'run 42' }), { resolvedBy: 'run 42', at })).toBe(true);
  });

  it('does not take classify\'s or ingest\'s ending of an alarm already OK, nor a failure classify found superseded by that green run', async () => {
    const { resolvedByRecovery } = await import('../../../shared/outcome/recovery-follow-ups.js');
    expect(resolvedByRecovery(resolved({ resolvedBy: 'alarm OK before classify' }), { resolvedBy: 'alarm OK', at })).toBe(false);
    expect(resolvedByRecovery(resolved({ resolvedBy: 'alarm OK before the pipeline started' }), { resolvedBy: 'alarm OK', at })).toBe(false);
    expect(resolvedByRecovery(resolved({ resolvedBy: 'run 42', supersededBy: 'run 42' }), { resolvedBy: 'run 42', at })).toBe(false);
  });
});
