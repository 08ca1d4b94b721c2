import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { finishRecoveryFollowUps } from '../../../shared/reconcile/recovery-follow-ups.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordAlarmRecovery, recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { alarmScope } from '../../../shared/domain/trigger.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { createFakeGitHub, createMemoryRecoveryTargets } from '../../support/fakes.js';
import { diesOfCrash, killedAfterResolving } from '../../support/failing-writes.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A green run's recovery killed after it wrote an incident resolved, and never delivered again (its retries spent, or
 * an alarm's OK that nothing redelivers): the reconciler finds its targets still noted and does the follow-ups left.
 */
const scope = 'acme/app|main|CI';
const at = new Date('2026-11-20T09:10:00Z');
const recovery = { scope, runId: 920, runAttempt: 1, resolvedBy: 'run 920', installationId: 5, completedAt: at };
const options = { maxPerRun: 25, afterMinutes: 10, lookbackHours: 48 };

function failure(id: string, runId: number, createdAt: string): Incident {
  return newIncident(
    {
      id, source: 'github', repository: 'acme/app', repositoryId: 1, workflowId: 77, headSha: `SHA${runId}`, workflowName: 'CI', runId, runAttempt: 1, pullRequest: 14, createdAt,
      notifications: [{ channel: 'github_comment', target: 'acme/app#14', outcome: 'created', detail: 'failure', commentId: 700, at: createdAt }],
    },
    new Date(createdAt),
  );
}

async function killedRecovery(incidents: Incident[]) {
  const store = createMemoryStore();
  for (const incident of incidents) await store.create(incident, scope, null);
  let now = at;
  const clock = () => now;
  const targets = createMemoryRecoveryTargets(clock);
  const github = createFakeGitHub();
  const learned: string[] = [];
  const learning = { onResolved: async (resolved: Incident) => void learned.push(resolved.id) };
  const crashed = await diesOfCrash(
    recordWorkflowRecovery(recovery, { incidents: killedAfterResolving(store), recoveryTargets: targets, clock, github: staticGitHubClients(github.port), logger: silentLogger, learning } as never),
  );
  const pass = (minutesLater: number) => {
    now = new Date(at.getTime() + minutesLater * 60_000);
    return finishRecoveryFollowUps(
      { incidents: store, recoveryTargets: targets, clock, githubWriter: async () => staticGitHubClients(github.port), logger: silentLogger, learning: learning as never },
      options,
    );
  };
  return { store, targets, github, learned, crashed, pass };
}

describe('the reconciler finishing the follow-ups of a recovery no delivery finished', () => {
  it('leaves a recovery alone until its grace has passed, then rewrites the PR comment and counts the outcome, once', async () => {
    // Arrange
    const incident = failure('gh-1-919-1', 919, '2026-11-20T09:00:00.000Z');
    const { store, targets, github, learned, crashed, pass } = await killedRecovery([incident]);

    // Act
    const early = await pass(5);
    const due = await pass(11);
    const again = await pass(30);

    // Assert
    expect(crashed).toBe(true);
    expect(early.followedUp).toEqual([]);
    expect(due).toEqual({ followedUp: [incident.id], finished: 1, failed: [] });
    expect(again.followedUp).toEqual([]);
    expect(learned).toEqual([incident.id]);
    expect([...github.comments.values()][0]).toContain('Fixed in run 920');
    const stored = await store.get(incident.id);
    expect(stored?.history.filter((entry) => entry.event === 'recovery_followed_up').length).toBe(1);
    expect(targets.sets.size).toBe(0);
  });

  it("counts the outcome but leaves the PR comment to a newer failure that wrote it since", async () => {
    // Arrange: the recovery of 919 is killed; then 921 fails on the same pull request and comments
    const incident = failure('gh-1-919-1', 919, '2026-11-20T09:00:00.000Z');
    const { store, github, learned, pass } = await killedRecovery([incident]);
    await store.create(failure('gh-1-921-1', 921, '2026-11-20T09:12:00.000Z'), scope, null);

    // Act
    const due = await pass(11);

    // Assert
    expect(due.followedUp).toEqual([incident.id]);
    expect(learned).toEqual([incident.id]);
    expect(github.calls.filter((call) => call.method === 'upsertComment')).toEqual([]);
  });

  it("finishes an alarm OK's after its runbook, which nothing delivers again locally", async () => {
    // Arrange: the alarm's runbook ran; its OK (10:22:40) is killed right after the resolved write
    const store = createMemoryStore();
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate';
    const incident = newIncident(
      {
        id: 'alarm-1', source: 'cloudwatch', createdAt: '2026-11-20T10:00:00.000Z', failedAt: '2026-11-20T10:00:00.000Z',
        decision: { action: 'run_runbook', reason: 'mapped', applied: true, result: 'Success', dryRun: false, decidedAt: '2026-11-20T10:01:00.000Z' },
      },
      new Date('2026-11-20T10:00:00Z'),
    );
    await store.create(incident, alarmScope(arn), null);
    let now = new Date('2026-11-20T10:23:00Z');
    const targets = createMemoryRecoveryTargets(() => now);
    const learned: string[] = [];
    const learning = { onResolved: async (resolved: Incident) => void learned.push(resolved.id) };
    const common = { recoveryTargets: targets, clock: () => now, logger: silentLogger, learning: learning as never };
    const killed = await diesOfCrash(recordAlarmRecovery(loadAlarmEvent('alarm-state-ok'), { ...common, incidents: killedAfterResolving(store), github: staticGitHubClients(null) } as never));

    // Act
    now = new Date('2026-11-20T10:34:00Z');
    const due = await finishRecoveryFollowUps({ ...common, incidents: store, githubWriter: async () => staticGitHubClients(null) }, options);

    // Assert
    expect(killed).toBe(true);
    expect((await store.get(incident.id))?.resolvedBy).toBe('alarm OK after the runbook');
    expect(due).toEqual({ followedUp: [incident.id], finished: 1, failed: [] });
    expect(learned).toEqual([incident.id]);
  });
});
