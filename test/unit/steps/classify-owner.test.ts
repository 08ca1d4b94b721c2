import { describe, expect, it } from 'vitest';
import { loadAlarmEvent, loadWebhook } from '../../../infra/local/replay.js';
import { type Trigger, alarmEventSchema, alarmTriggerFromEvent } from '../../../shared/domain/trigger.js';
import { triggerFromCheckRun, triggerFromWorkflowRun } from '../../../shared/ingest/github-webhook.js';
import { classifyStep } from '../../../shared/steps/classify.js';
import { incidentFromTrigger as storedByIngest } from '../../../shared/domain/incident-from-trigger.js';
import type { IncidentOwner } from '../../../shared/stores/incident-store.js';
import { PullAliasWriteError } from '../../../shared/errors.js';
import { createFakeGitHub, stepDeps } from '../../support/fakes.js';

/**
 * Classify records the fingerprint, which files the incident in its history (`<scope>#<fingerprint>`): it names whose
 * the incident is, as the trigger made it, so that the store checks that in the write rather than reading the
 * incident back first (issue #15; test/integration/history-key-writes.test.ts has the store's side).
 */
function workflowRun(): Trigger {
  const event = structuredClone(loadWebhook('workflow_run-failure'));
  return triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

function checkRun(): Trigger {
  const event = structuredClone(loadWebhook('check_run-circleci-failure'));
  return triggerFromCheckRun(event.body as never, event.headers['x-github-delivery'] ?? null);
}

function alarm(): Trigger {
  return alarmTriggerFromEvent(alarmEventSchema.parse(loadAlarmEvent('alarm-state-alarm')));
}

describe("classify's fingerprint write", () => {
  it.each([
    ['a workflow run', workflowRun],
    ['a check run', checkRun],
    ['an alarm', alarm],
  ])('names the owner of the incident of %s', async (_what, trigger) => {
    // Prepare
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const owners: Array<IncidentOwner | undefined> = [];
    const record = deps.incidents.record.bind(deps.incidents);
    deps.incidents.record = (id, fields, append, options) => {
      if (typeof fields.fingerprint === 'string') owners.push(options?.owner);
      return record(id, fields, append, options);
    };
    const input = trigger();

    // Act
    await classifyStep({ trigger: input }, deps);

    // Assert
    const stored = await deps.incidents.get(input.incidentId);
    expect(stored?.fingerprint).toEqual(expect.any(String));
    expect(owners).toHaveLength(1);
    expect(owners[0]).toMatchObject({ source: stored?.source, repositoryId: stored?.repositoryId ?? null });
  });
});

describe("classify's record when the pull request's alias item fails after it (PullAliasWriteError)", () => {
  it('goes on with the classification recorded: the alias failing is not the record failing', async () => {
    // Prepare: the record lands; the alias write behind it is throttled.
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const record = deps.incidents.record.bind(deps.incidents);
    let aliasFailed = 0;
    deps.incidents.record = async (id, fields, append, options) => {
      const written = await record(id, fields, append, options);
      if (fields.pullRequest === undefined || !fields.repository) return written;
      aliasFailed += 1;
      throw new PullAliasWriteError(id, written, { cause: Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }) });
    };
    const input = workflowRun();

    // Act
    const result = await classifyStep({ trigger: input }, deps);

    // Assert
    expect(aliasFailed).toBe(1);
    expect(result).toMatchObject({ incidentId: input.incidentId });
    expect((await deps.incidents.get(input.incidentId))?.status).toBe('classified');
  });

  it('goes on with the failure recorded superseded when the alias fails after the write that resolved it', async () => {
    // Prepare: attempt 2 of the run failed too (this failure is superseded); the resolving write lands, its alias does not.
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const warnings: string[] = [];
    deps.logger = { info() {}, warn: (message) => warnings.push(message), error() {} };
    const laterOnRecord = deps.greenRuns.laterOnRecord.bind(deps.greenRuns);
    deps.greenRuns.laterOnRecord = async (scope, attempts) => ({ ...(await laterOnRecord(scope, attempts)), laterAttemptFailed: 2 });
    const updateIfStatusMoves = deps.incidents.updateIfStatusMoves.bind(deps.incidents);
    const record = deps.incidents.record.bind(deps.incidents);
    const writes: string[] = [];
    deps.incidents.updateIfStatusMoves = async (id, fields, append, options) => {
      writes.push('updateIfStatusMoves');
      const written = await updateIfStatusMoves(id, fields, append, options);
      if (!written) return written;
      throw new PullAliasWriteError(id, written, { cause: Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }) });
    };
    deps.incidents.record = async (id, fields, append, options) => {
      if (fields.status === 'classified') writes.push('record');
      return record(id, fields, append, options);
    };
    const input = workflowRun();

    // Act
    const result = await classifyStep({ trigger: input }, deps);

    // Assert: resolved by its one write, not recorded again as merely classified; the alias's failure logged.
    expect(result.incidentStatus).toBe('resolved');
    expect(writes).toEqual(['updateIfStatusMoves']);
    const incident = await deps.incidents.get(input.incidentId);
    expect(incident).toMatchObject({ status: 'resolved', supersededBy: expect.stringMatching(/\(attempt 2\)$/) });
    expect(incident?.history.filter((entry) => entry.event === 'resolved')).toHaveLength(1);
    expect(warnings).toContainEqual(expect.stringMatching(/alias item was not written/));
  });
});

describe("classify's record of the pull request's alias that ingest wrote", () => {
  it.each([
    ['ingest says it wrote it', { pullAliasWritten: true }, true],
    ['nothing says so (a reconciler\'s start, an alias write that failed)', {}, false],
  ])('%s: told to the record (%s)', async (_what, state, told) => {
    // Prepare
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const input = workflowRun();
    const { incident } = storedByIngest(input, deps.clock());
    await deps.incidents.create(incident, null);
    const written: unknown[] = [];
    const record = deps.incidents.record.bind(deps.incidents);
    deps.incidents.record = (id, fields, append, options) => {
      written.push(options?.pullAliasWritten);
      return record(id, fields, append, options);
    };

    // Act
    await classifyStep({ trigger: input, incidentStored: true, ...state }, deps);

    // Assert: the alias named is the one of the incident ingest stored (the trigger's pull request).
    const expected = told ? { repository: incident.repository, pullRequest: incident.pullRequest, repositoryId: incident.repositoryId } : undefined;
    expect(written.at(-1)).toEqual(told ? expect.objectContaining(expected) : undefined);
  });
});
