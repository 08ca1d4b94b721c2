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
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { diesOfCrash, killedAfterResolving } from '../support/failing-writes.js';
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

describe("the reconciler's backstop for a recovery no delivery finished", () => {
  it('rewrites the PR comment to Fixed and counts the recovery once', async () => {
    // Prepare: the sample failure, commented on pull request 1287
    harness.github.serveFailedJob(RUN, 33216540871, 'FAIL src/cart.test.ts\n  ● cart › totals\n');
    await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), SECRET);
    await harness.runtime.idle();
    const id = `gh-714523861-${RUN}-1`;
    expect((await harness.incident(id)).status).toBe('notified');
    const config = loadConfig(harness.runtime.env);
    const trigger = (await harness.runtime.incidents.triggerOf(id)) as GithubTrigger;
    const completedAt = new Date();
    const green = workflowRecoveryMessage({ scope: githubIncidentScope(trigger), runId: 11862977305, runAttempt: 1, resolvedBy: 'run 11862977305', installationId: trigger.installationId, completedAt });
    const deps = {
      incidents: killedAfterResolving(harness.runtime.incidents),
      recoveryTargets: createRecoveryTargets(config),
      learning: createLearningDeps(config, silentLogger),
      github: await createGitHub(config),
      clock: () => completedAt,
      logger: silentLogger,
    };

    // Act: the recovery dies after its resolved write, then the reconciler runs once its grace has passed, twice
    const killed = await diesOfCrash(recordQueuedRecovery(green, deps));
    const before = await harness.incident(id);
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
    expect(first.recoveryFollowUps).toEqual({ followedUp: [id], finished: 1, failed: [] });
    expect(second.recoveryFollowUps.followedUp).toEqual([]);
  });
});
