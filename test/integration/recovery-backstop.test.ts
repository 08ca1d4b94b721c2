import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { githubIncidentScope } from '../../shared/domain/github-incident.js';
import { repositoryKey } from '../../shared/domain/repository-key.js';
import type { GithubTrigger } from '../../shared/domain/trigger.js';
import { workflowRecoveryMessage } from '../../shared/domain/recovery.js';
import { createGitHub, createLearningDeps, createRecoveryTargets } from '../../shared/runtime/deps.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { recordQueuedRecovery } from '../../shared/steps/record-outcome.js';
import { createDocumentClient } from '../../shared/stores/dynamo.js';
import { deliverWebhook } from '../../infra/local/replay.js';
import { diesOfCrash, killedAfterResolving } from '../support/failing-writes.js';
import { failedRunDelivery } from '../support/fakes.js';
import { useLocalRuntime } from '../support/harness.js';

/**
 * A green run's recovery killed right after it wrote the incident resolved, and never delivered again (its retries
 * spent and dead-lettered; locally, an alarm's OK is one HTTP call nothing repeats): the incident is no longer open,
 * so no later green run finds it. The reconciler's backstop finds the recovery's targets still noted and does the
 * follow-ups: the pull request's comment says Fixed, and learning counts the recovery once.
 */
const SECRET = 'backstop-secret';
const RUN = 11862439017;
const harness = useLocalRuntime({ name: 'guard-backstop', secret: SECRET, github: { auth: 'token' }, env: { RECONCILE_INTERVAL_SECONDS: '86400' } });

/**
 * Failed run `runId` (the sample failure, commented on pull request 1287), then green run `greenRunId` that completed
 * at `completedAt`, its delivery at `deliveredAt` killed right after its resolved write.
 */
async function killedGreenRun(runId: number, greenRunId: number, completedAt: Date, deliveredAt: Date) {
  harness.github.serveFailedJob(runId, 33216540871, 'FAIL src/cart.test.ts\n  ● cart › totals\n');
  await deliverWebhook(harness.runtime.url, failedRunDelivery(runId), SECRET);
  await harness.runtime.idle();
  const id = `gh-714523861-${runId}-1`;
  expect((await harness.incident(id)).status).toBe('notified');
  const config = loadConfig(harness.runtime.env);
  const trigger = (await harness.runtime.incidents.triggerOf(id)) as GithubTrigger;
  const green = workflowRecoveryMessage({ scope: githubIncidentScope(trigger), runId: greenRunId, runAttempt: 1, resolvedBy: `run ${greenRunId}`, installationId: trigger.installationId, completedAt });
  const deps = {
    incidents: killedAfterResolving(harness.runtime.incidents),
    recoveryTargets: createRecoveryTargets(config),
    learning: createLearningDeps(config, silentLogger),
    github: await createGitHub(config),
    clock: () => deliveredAt,
    logger: silentLogger,
  };
  const killed = await diesOfCrash(recordQueuedRecovery(green, deps));
  return { id, trigger, config, killed, before: await harness.incident(id) };
}

describe("the reconciler's backstop for a recovery no delivery finished", () => {
  it('rewrites the PR comment to Fixed and counts the recovery once', async () => {
    // Act: the recovery dies after its resolved write, then the reconciler runs once its grace has passed, twice
    const completedAt = new Date();
    const { id, trigger, config, killed, before } = await killedGreenRun(RUN, 11862977305, completedAt, completedAt);
    const first = await harness.runtime.reconcile(new Date(completedAt.getTime() + (config.RECONCILE_AFTER_MINUTES + 1) * 60_000));
    const second = await harness.runtime.reconcile(new Date(completedAt.getTime() + (config.RECONCILE_AFTER_MINUTES + 2) * 60_000));

    // Assert
    expect(killed).toBe(true);
    expect(before.status).toBe('resolved');
    expect(harness.github.comments.get(1287)?.[0]?.body).toMatch(/Fixed in run 11862977305/);
    const after = await harness.incident(id);
    expect(after.history.filter((entry) => entry.event === 'recovery_followed_up')).toHaveLength(1);
    const documents = createDocumentClient({ region: 'us-east-1', endpoint: harness.runtime.env.DYNAMODB_ENDPOINT as string });
    const metrics = (await documents.send(new GetCommand({ TableName: 'baselines', Key: { pk: `METRICS#${repositoryKey(trigger.repository.fullName)}`, sk: 'TOTAL' }, ConsistentRead: true }))).Item;
    expect(metrics?.resolved).toBe(1);
    expect(first.recoveryFollowUps).toEqual({ followedUp: [id], finished: 1, failed: [], abandoned: [] });
    expect(second.recoveryFollowUps.followedUp).toEqual([]);
  });

  it('finishes a recovery of days ago whose delivery was redriven from the dead-letter queue and killed again (session 41)', async () => {
    // Act: the green run completed on the failure's day (20 November, 40 minutes after it), its delivery redriven now
    const deliveredAt = new Date();
    const { id, config, killed, before } = await killedGreenRun(RUN + 10, 11862977405, new Date('2026-11-20T10:00:00Z'), deliveredAt);
    const run = await harness.runtime.reconcile(new Date(deliveredAt.getTime() + (config.RECONCILE_AFTER_MINUTES + 1) * 60_000));

    // Assert: found under its day, days before the reconciler's look-back of incidents (RECONCILE_LOOKBACK_HOURS)
    expect(killed).toBe(true);
    expect(before.status).toBe('resolved');
    expect(run.recoveryFollowUps).toEqual({ followedUp: [id], finished: 1, failed: [], abandoned: [] });
    expect((await harness.incident(id)).history.filter((entry) => entry.event === 'recovery_followed_up')).toHaveLength(1);
  });
});
