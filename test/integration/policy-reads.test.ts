import { describe, expect, it } from 'vitest';
import { newIncident } from '../../shared/domain/incident.js';
import type { Category } from '../../shared/logs/types.js';
import { summarizeHistory } from '../../shared/knowledge/history.js';
import { learningOn } from '../support/learning.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * The knowledge stage reads the promoted policies (the experiments table's POLICY partition) only when the experiment
 * definitions it has just read say one may be stored (issue #15: DynamoDB calls per incident). A table of its own: a
 * promotion anywhere in it makes every later lookup read them.
 */
const scratch = scratchStoreForFile('guard-policy-reads');
const T0 = new Date('2026-11-02T09:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const sha = (n: number) => n.toString(16).padStart(40, 'a');

describe("the knowledge stage's read of promoted policies", () => {
  /** `setup`'s, with the reads of promoted policies (the POLICY partition) counted. */
  function countingPolicyReads(category: Category) {
    let reads = 0;
    const client = scratch.store.documents();
    const send = client.send.bind(client);
    client.send = ((command: { input?: { RequestItems?: Record<string, { Keys?: Array<{ pk?: unknown }> }> } }) => {
      const keys = Object.values(command.input?.RequestItems ?? {}).flatMap((request) => request.Keys ?? []);
      if (keys.some((key) => key.pk === 'POLICY')) reads += 1;
      return send(command as never);
    }) as typeof client.send;
    const learning = learningOn(client, () => T0);
    const incident = (id: number) =>
      newIncident({ id: `gh-2-${id}-1`, source: 'github', repository: 'acme/policies', repositoryId: 2, workflowName: 'CI', runId: id, runAttempt: 1, headSha: sha(id), category, fromFork: false, failedAt: T0.toISOString(), fingerprint: 'feedc0de02' }, T0);
    return { learning, incident, reads: () => reads };
  }

  it('is skipped while no experiment is promoted, and made once one is', async () => {
    // Prepare: one experiment of another category, running.
    const run = countingPolicyReads('dependency');
    await run.learning.experiments.create(
      { id: 'policy-reads', categories: ['network'], variants: [{ name: 'rerun', action: 'rerun_failed_jobs', weight: 1 }, { name: 'page', action: 'escalate', weight: 1 }], metric: { kind: 'recovered_within', minutes: 60 }, minSamplePerVariant: 5 },
      T0,
    );

    // Act: a lookup; then the experiment promoted, and another lookup.
    await run.learning.lookup(run.incident(7001), summarizeHistory(run.incident(7001), []));
    const whileRunning = run.reads();
    await run.learning.experiments.promote('policy-reads', 'rerun', minutes(5));
    await run.learning.lookup(run.incident(7002), summarizeHistory(run.incident(7002), []));

    // Assert
    expect(whileRunning).toBe(0);
    expect(run.reads()).toBe(1);
  });
});
