import { readFileSync } from 'node:fs';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ASL_PATH } from '../../../infra/pipeline-definition.js';
import { loadWebhook } from '../../../infra/local/replay.js';
import type { GithubTrigger } from '../../../shared/domain/trigger.js';
import { triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { RetryableError } from '../../../shared/errors.js';
import { createFakeGitHub, stepDeps } from '../../support/fakes.js';

/**
 * Classify's check for what superseded a failure (the scope's green-run note, the later attempts' incidents) when
 * its read fails: a transient failure is the state machine's to retry, a permanent one leaves the failure current.
 */
function failure(): GithubTrigger {
  const event = structuredClone(loadWebhook('workflow_run-failure'));
  return triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

/** The error names Classify's Retry matches (statemachines/incident-pipeline.asl.json). */
const classifyRetries = (JSON.parse(readFileSync(ASL_PATH, 'utf8')).States.Classify.Retry as Array<{ ErrorEquals: string[] }>).flatMap((r) => r.ErrorEquals);

function depsWithFailingCheck(error: Error) {
  const warnings: string[] = [];
  const { deps } = stepDeps({ github: createFakeGitHub().port });
  deps.logger = { info() {}, warn: (message) => warnings.push(message), error() {} };
  deps.greenRuns = { ...deps.greenRuns, laterOnRecord: async () => Promise.reject(error) };
  return { deps, warnings };
}

describe('classify: the superseded check when its read fails', () => {
  it.each([
    ['DynamoDB throttling', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: { attempts: 3 } })],
    ['a connection reset the SDK retried to its limit', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', $metadata: { attempts: 3 } })],
  ])('fails the step with a name Classify retries on %s, instead of handling the failure as current', async (_what, error) => {
    const { deps } = depsWithFailingCheck(error);
    const trigger = failure();

    const failed = await classifyStep({ trigger }, deps).then(() => null, (caught: Error) => caught);

    // Its own name, retried like RetryableError, and the one Classify's Catch leaves to the reconciler's re-drive.
    expect(failed).toBeInstanceOf(RetryableError);
    expect(failed?.name).toBe('SupersededCheckUnavailableError');
    expect(classifyRetries).toContain(failed?.name);
  });

  it('handles the failure as current when the read fails for good, and says so in the log', async () => {
    const { deps, warnings } = depsWithFailingCheck(Object.assign(new Error('not authorized to perform dynamodb:BatchGetItem'), { name: 'AccessDeniedException', $fault: 'client', $metadata: { httpStatusCode: 400 } }));
    const trigger = failure();

    const result = await classifyStep({ trigger }, deps);

    expect(result.incidentStatus).toBe('classified');
    const incident = await deps.incidents.get(trigger.incidentId);
    expect(incident).toMatchObject({ status: 'classified', category: result.category });
    expect(incident?.supersededBy ?? null).toBeNull();
    expect(warnings).toContainEqual(expect.stringMatching(/superseded/));
  });
});

describe('classify: the superseded check, read before the logs and again before the write', () => {
  it('records superseded a failure whose next attempt was delivered while its logs were read', async () => {
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const trigger = failure();
    const laterOnRecord = deps.greenRuns.laterOnRecord.bind(deps.greenRuns);
    let reads = 0;
    // Nothing on record at the first read; attempt 2's failure is by the second.
    deps.greenRuns.laterOnRecord = async (scope, attempts) => (++reads === 1 ? { green: null, newestRun: null, laterAttemptFailed: null } : { ...(await laterOnRecord(scope, attempts)), laterAttemptFailed: 2 });

    const result = await classifyStep({ trigger }, deps);

    expect(reads).toBe(2);
    expect(result.incidentStatus).toBe('resolved');
    expect(await deps.incidents.get(trigger.incidentId)).toMatchObject({ status: 'resolved', supersededBy: `run ${trigger.workflowRun.id} (attempt 2)` });
  });
});
