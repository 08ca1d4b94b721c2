import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { loadWebhook } from '../../infra/local/replay.js';
import { newIncident } from '../../shared/domain/incident.js';
import { PullAliasWriteError } from '../../shared/errors.js';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { classifyStep } from '../../shared/steps/classify.js';
import { learningOn } from '../support/learning.js';
import { createFakeGitHub, stepDeps } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * Review of session 68's perf68b (two DynamoDB cuts per incident): classify skipping the pull request alias ingest
 * wrote (`pullAliasWritten` in the execution's state), and the knowledge stage skipping the promoted policies' read
 * when the experiment definitions it read hold no promoted one.
 *
 * None open. Every writer of the POLICY partition in the code is `promote` (no delete, import or migration writes it);
 * R2 is an edit by hand in the table.
 */
const scratch = scratchStoreForFile('review-68-perf68b');
const T0 = new Date('2026-11-29T09:00:00.000Z');

describe("R1 (Low): classify's skip of the alias is about ingest's write of the incident, not classify's own", () => {
  it('a state with pullAliasWritten but not incidentStored (classify stores the incident, and its alias fails): the record still writes the alias', async () => {
    // Prepare: classify stores the incident itself (no incidentStored), and that create's alias write is throttled
    // (PullAliasWriteError after the incident's Put): only the record's alias write is left to write it.
    const { deps } = stepDeps({ github: createFakeGitHub().port });
    const event = structuredClone(loadWebhook('workflow_run-failure'));
    const trigger = triggerFromWorkflowRun(event.body as never, event.headers['x-github-delivery'] ?? null);
    const create = deps.incidents.create.bind(deps.incidents);
    deps.incidents.create = async (incident, scope, stored) => {
      const created = await create(incident, scope, stored);
      throw new PullAliasWriteError(incident.id, created, { cause: Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }) });
    };
    const told: unknown[] = [];
    const record = deps.incidents.record.bind(deps.incidents);
    deps.incidents.record = (id, fields, append, options) => {
      if (fields.pullRequest !== undefined) told.push(options?.pullAliasWritten);
      return record(id, fields, append, options);
    };

    // Act: a state that says the alias was written, with no ingest that stored the incident (nothing in the code
    // makes one; a hand-started execution, or one a later starter builds, can).
    await classifyStep({ trigger, pullAliasWritten: true }, deps);

    // Assert: the record is not told the alias was written: it writes it.
    expect(told).toHaveLength(1);
    expect(told[0]).toBeUndefined();
  });
});

describe('R2 (Low): a promoted policy whose definition was deleted by hand', () => {
  // The knowledge stage inferred "no policy stored" from the definitions alone: a definition deleted in the console
  // (no code path deletes one) hid its policy, applied before fb917446. A promotion now leaves a mark in the
  // definitions' partition, read by the same query.
  it('the policy is still the recommendation after its promoted definition is deleted', async () => {
    // Prepare: an experiment over `dependency` failures, promoted; then its definition deleted by hand.
    const client = scratch.store.documents();
    const learning = learningOn(client, () => T0);
    await learning.experiments.create(
      { id: 'hand-deleted', categories: ['dependency'], variants: [{ name: 'rerun', action: 'rerun_failed_jobs', weight: 1 }, { name: 'page', action: 'escalate', weight: 1 }], metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 },
      T0,
    );
    await learning.experiments.promote('hand-deleted', 'rerun', T0);
    await client.send(new DeleteCommand({ TableName: 'experiments', Key: { pk: 'EXPERIMENTS', sk: 'EXP#hand-deleted' } }));
    expect(await learning.experiments.get('hand-deleted')).toBeNull();
    const incident = newIncident(
      { id: 'gh-3-8801-1', source: 'github', repository: 'acme/hand', repositoryId: 3, workflowName: 'CI', runId: 8801, runAttempt: 1, headSha: 'b'.repeat(40), category: 'dependency', fromFork: false, failedAt: T0.toISOString(), fingerprint: 'feedc0de03' },
      T0,
    );

    // Act
    const { knowledge } = await learning.lookup(incident, summarizeHistory(incident, []));

    // Assert
    expect(knowledge.recommendation).toMatchObject({ source: 'policy', experimentId: 'hand-deleted' });
  });
});
