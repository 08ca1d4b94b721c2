import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { loadWebhook } from '../../../infra/local/replay.js';
import { githubIncidentScope } from '../../../shared/domain/github-incident.js';
import type { GithubTrigger } from '../../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { redriveIncident } from '../../../shared/reconcile/redrive.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { notifyStep } from '../../../shared/steps/notify.js';
import { createFakeGitHub, stepDeps } from '../../support/fakes.js';
import { runPipeline } from '../../support/pipeline-asl.js';

/**
 * The pipeline's ASL with the real classify and notify steps: a failure whose superseded check (the scope's green-run
 * note, the later attempts' incidents) kept failing through Classify's retries. What superseded it may be on record,
 * so it must not be commented or paged as current; it must not be lost either: the reconciler re-drives it, and the
 * re-drive's classify checks again.
 */
function lateFailure(): GithubTrigger {
  const event = structuredClone(loadWebhook('workflow_run-failure'));
  return triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

function pipelineWithRealSteps(trigger: GithubTrigger, deps: ReturnType<typeof stepDeps>['deps']) {
  return runPipeline({
    Classify: async (state) => classifyStep({ ...(state as object), trigger }, deps),
    Notify: async (state) => notifyStep({ ...(state as object), trigger }, deps),
  });
}

describe('incident pipeline: a failure whose superseded check could not be made', () => {
  it('is neither commented nor paged as current, stays unfinished for the reconciler, and its re-drive records it superseded', async () => {
    const github = createFakeGitHub();
    const { deps, published } = stepDeps({ github: github.port });
    const trigger = lateFailure();
    // The green attempt 2 of the same run was delivered first: the failure is superseded.
    const run = trigger.workflowRun;
    await deps.greenRuns.noteGreenRun(githubIncidentScope(trigger), {
      runId: run.id, runAttempt: 2, runNumber: 482, resolvedBy: `run ${run.id} (attempt 2)`, completedAt: new Date('2026-11-20T09:40:00Z'),
    });
    const laterOnRecord = deps.greenRuns.laterOnRecord.bind(deps.greenRuns);
    deps.greenRuns.laterOnRecord = async () => Promise.reject(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { attempts: 3 } }));

    const degraded = await pipelineWithRealSteps(trigger, deps);

    expect(degraded.error).toBeNull();
    expect(degraded.states.filter((state) => state === 'Classify').length).toBeGreaterThan(1);
    expect(degraded.states).not.toContain('Notify');
    expect(github.comments.size).toBe(0);
    expect(published).toEqual([]);
    const left = await deps.incidents.get(trigger.incidentId);
    expect(left?.status).not.toBe('notified');
    expect(left?.status).not.toBe('resolved');

    // The reconciler finds it unfinished and starts it again; by then the check can be made.
    const started: string[] = [];
    const workflow = { start: async (name: string) => (started.push(name), { alreadyStarted: false }), describe: async () => ({ status: 'SUCCEEDED', input: { trigger } }) };
    expect((await redriveIncident(left!, { incidents: deps.incidents, workflow: workflow as never, clock: deps.clock, logger: deps.logger }, { maxAttempts: 3 })).action).toBe('started');
    deps.greenRuns.laterOnRecord = laterOnRecord;

    const redriven = await pipelineWithRealSteps(trigger, deps);

    expect(redriven.error).toBeNull();
    expect(redriven.states).toEqual(['Classify', 'KnowledgeLookup', 'Notify']);
    expect(await deps.incidents.get(trigger.incidentId)).toMatchObject({ status: 'resolved', supersededBy: `run ${run.id} (attempt 2)` });
    expect(github.comments.size).toBe(0);
    expect(published).toEqual([]);
  });
});
