import { describe, expect, it } from 'vitest';
import { type Incident, newIncident } from '../../../shared/domain/incident.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { finishRecoveryFollowUps } from '../../../shared/reconcile/recovery-follow-ups.js';
import { silentLogger } from '../../../shared/steps/deps.js';
import { recordAlarmRecovery, recordWorkflowRecovery } from '../../../shared/steps/record-outcome.js';
import { alarmScope } from '../../../shared/domain/trigger.js';
import { loadAlarmEvent } from '../../../infra/local/replay.js';
import { RetryableError } from '../../../shared/errors.js';
import type { IncidentStore } from '../../../shared/stores/incident-store.js';
import { alarmEvent } from '../../support/alarm-events.js';
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
const options = { maxPerRun: 25, afterMinutes: 10 };
const metrics = { count() {}, measure() {} };

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
      { incidents: store, recoveryTargets: targets, clock, githubWriter: async () => staticGitHubClients(github.port), logger: silentLogger, learning: learning as never, metrics },
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
    expect(due).toEqual({ followedUp: [incident.id], finished: 1, failed: [], abandoned: [] });
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
    const common = { recoveryTargets: targets, clock: () => now, logger: silentLogger, learning: learning as never, metrics };
    const killed = await diesOfCrash(recordAlarmRecovery(loadAlarmEvent('alarm-state-ok'), { ...common, incidents: killedAfterResolving(store), github: staticGitHubClients(null) } as never));

    // Act
    now = new Date('2026-11-20T10:34:00Z');
    const due = await finishRecoveryFollowUps({ ...common, incidents: store, githubWriter: async () => staticGitHubClients(null) }, options);

    // Assert
    expect(killed).toBe(true);
    expect((await store.get(incident.id))?.resolvedBy).toBe('alarm OK after the runbook');
    expect(due).toEqual({ followedUp: [incident.id], finished: 1, failed: [], abandoned: [] });
    expect(learned).toEqual([incident.id]);
  });

  it('finishes the follow-ups of an alarm OK without a readable time, killed after it resolved, as of its handling time (session 41)', async () => {
    // Arrange: the alarm fired at 10:00; its OK, of AWS's "CloudWatch Alarm State Change" shape but with neither
    // `time` nor `detail.state.timestamp` readable, is handled at 10:23 and killed right after the resolved write
    const store = createMemoryStore();
    const arn = 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:checkout-api-5xx-rate';
    const incident = newIncident({ id: 'alarm-2', source: 'cloudwatch', createdAt: '2026-11-20T10:00:00.000Z', failedAt: '2026-11-20T10:00:00.000Z' }, new Date('2026-11-20T10:00:00Z'));
    await store.create(incident, alarmScope(arn), null);
    const ok = alarmEvent('unread', 'OK', 'not a time');
    let now = new Date('2026-11-20T10:23:00Z');
    const targets = createMemoryRecoveryTargets(() => now);
    const learned: string[] = [];
    const learning = { onResolved: async (resolved: Incident) => void learned.push(resolved.id) };
    const common = { recoveryTargets: targets, clock: () => now, logger: silentLogger, learning: learning as never, metrics };
    const killed = await diesOfCrash(recordAlarmRecovery(ok, { ...common, incidents: killedAfterResolving(store), github: staticGitHubClients(null) } as never));

    // Act
    now = new Date('2026-11-20T10:34:00Z');
    const due = await finishRecoveryFollowUps({ ...common, incidents: store, githubWriter: async () => staticGitHubClients(null) }, options);

    // Assert: resolved as of 10:23, said so on its timeline, and followed up once by the backstop
    expect(killed).toBe(true);
    expect(due).toEqual({ followedUp: [incident.id], finished: 1, failed: [], abandoned: [] });
    const stored = await store.get(incident.id);
    expect(stored).toMatchObject({ status: 'resolved', resolvedBy: 'alarm OK', resolvedAt: '2026-11-20T10:23:00.000Z', timeToRecoverySeconds: 1380 });
    expect(stored?.history.find((entry) => entry.event === 'alarm_time_unread')?.detail).toContain('2026-11-20T10:23:00.000Z');
    expect(learned).toEqual([incident.id]);
    expect(targets.sets.size).toBe(0);
  });

  describe('a recovery of many incidents', () => {
    const key = { scope, resolvedBy: 'run 920', at: at.toISOString() };
    /** Incidents of pull request 14 that the recovery wrote resolved (then killed), their targets noted at `at`. */
    async function resolvedAndNoted(ids: string[], stored: string[] = ids) {
      const store = createMemoryStore();
      for (const [i, id] of stored.entries()) {
        const incident = failure(id, 900 + i, `2026-11-20T08:${String(10 + i).padStart(2, '0')}:00.000Z`);
        await store.create({ ...incident, status: 'resolved', resolvedBy: 'run 920', resolvedAt: key.at }, scope, null);
      }
      let now = at;
      const targets = createMemoryRecoveryTargets(() => now);
      await targets.note(key, ids);
      const reads = { get: 0, pullRequest: 0 };
      const incidents: IncidentStore = {
        ...store,
        get: async (id) => ((reads.get += 1), store.get(id)),
        // The pass's reads of a pull request's other incidents (50, but the incident); the follow-up's own (the reactions,
        // the comment) are the shared function's, the same as a delivery's.
        listByPullRequest: async (...args) => ((reads.pullRequest += args[2] === 50 && args[3]?.except ? 1 : 0), store.listByPullRequest(...args)),
      };
      const github = createFakeGitHub();
      const learned: string[] = [];
      const failing = new Set<string>();
      const tried: string[] = [];
      const learning = {
        onResolved: async (resolved: Incident) => {
          tried.push(resolved.id);
          if (failing.has(resolved.id)) throw new RetryableError('throttled');
          learned.push(resolved.id);
        },
      };
      const abandoned: number[] = [];
      const counting = { count: (name: string, value: number) => void (name === 'RecoveryFollowUpsAbandoned' && abandoned.push(value)), measure() {} };
      const pass = (minutesLater = 11) => {
        now = new Date(at.getTime() + minutesLater * 60_000);
        return finishRecoveryFollowUps(
          { incidents, recoveryTargets: targets, clock: () => now, githubWriter: async () => staticGitHubClients(github.port), logger: silentLogger, learning: learning as never, metrics: counting },
          options,
        );
      };
      return { store, targets, reads, learned, failing, tried, abandoned, pass };
    }

    it('reads at most as many of its incidents as a recovery resolves (25), and each pull request once', async () => {
      // Arrange: 30 targets noted (by several deliveries), three of them stored, resolved, on one pull request
      const ids = Array.from({ length: 30 }, (_, i) => `gh-1-${800 + i}-1`);
      const { reads, learned, pass } = await resolvedAndNoted(ids, ids.slice(0, 3));

      // Act
      const due = await pass();

      // Assert
      expect(reads.get).toBeLessThanOrEqual(25);
      expect(reads.pullRequest).toBe(1);
      expect(learned.sort()).toEqual(ids.slice(0, 3));
      expect(due.failed).toEqual([]);
    });

    it("goes on with the recovery's other incidents when one fails, and keeps the entry for the next run", async () => {
      // Arrange: the follow-ups of the newest incident fail for now
      const ids = ['gh-1-900-1', 'gh-1-901-1', 'gh-1-902-1'];
      const { targets, learned, failing, pass } = await resolvedAndNoted(ids);
      failing.add('gh-1-902-1');

      // Act
      const due = await pass();
      failing.clear();
      const next = await pass();

      // Assert
      expect(due.followedUp.sort()).toEqual(['gh-1-900-1', 'gh-1-901-1']);
      expect(due.finished).toBe(0);
      expect(due.failed).toEqual(['run 920 at 2026-11-20T09:10:00.000Z (1 incident failed)']);
      expect(next).toEqual({ followedUp: ['gh-1-902-1'], finished: 1, failed: [], abandoned: [] });
      expect(learned.sort()).toEqual(ids);
      expect(targets.sets.size).toBe(0);
    });

    it('tries a recovery whose follow-ups keep failing less and less often, then gives it up on the timeline, once (session 41)', async () => {
      // Arrange: one incident's follow-ups fail every time; the reconciler runs every 5 minutes for a day
      const ids = ['gh-1-900-1', 'gh-1-901-1'];
      const { store, targets, learned, failing, tried, abandoned, pass } = await resolvedAndNoted(ids);
      failing.add('gh-1-901-1');

      // Act
      const runs = [];
      for (let minutes = 11; minutes <= 11 + 24 * 60; minutes += 5) runs.push(await pass(minutes));

      // Assert: tried at 0, 5, 10, 20, 40, 80, 160 and 320 minutes after the first failure, not on all 289 runs
      const triedAt = runs.flatMap((run, i) => (run.failed.length > 0 ? [i * 5] : []));
      expect(triedAt).toEqual([0, 5, 10, 20, 40, 80, 160, 320]);
      expect(tried.filter((id) => id === 'gh-1-901-1')).toHaveLength(8);
      expect(learned).toEqual(['gh-1-900-1']);
      expect(runs[64]?.abandoned).toEqual(['run 920 at 2026-11-20T09:10:00.000Z (1 incident failed)']);
      expect(runs.flatMap((run) => run.abandoned)).toHaveLength(1);
      expect(abandoned.reduce((sum, value) => sum + value, 0)).toBe(1);
      const given = (await store.get('gh-1-901-1'))?.history.filter((entry) => entry.event === 'recovery_follow_up_abandoned') ?? [];
      expect(given).toHaveLength(1);
      expect(given[0]?.detail).toMatch(/failed 8 times \(the last: RetryableError\)/);
      expect((await store.get('gh-1-900-1'))?.history.some((entry) => entry.event === 'recovery_follow_up_abandoned')).toBe(false);
      // Kept for a delivery redriven from the dead-letter queue, listed no more
      expect(targets.sets.size).toBe(1);
    });
  });
});
