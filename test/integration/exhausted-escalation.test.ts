import { describe, expect, it } from 'vitest';
import { triggerFromWorkflowRun } from '../../shared/ingest/github-webhook.js';
import { failedRunDelivery } from '../support/fakes.js';
import { useLocalRuntimePerTest } from '../support/harness.js';
import { writeLeftBehind } from '../support/left-behind.js';

/**
 * Incidents whose every execution failed end with a message to on-call from the reconciler. A fork's pull request
 * decides how many runs fail and what they print: each of its runs is an incident, so those messages go through the
 * escalation ledger, one page per repository and window, or a stranger who makes the pipeline fail pages on-call
 * once per push.
 */
const SECRET = 'exhausted-secret';
const FORK_REPOSITORY_ID = 99_000_001;
const runtimes = useLocalRuntimePerTest();
let dataDir: string;

/** A failed run of a fork's pull request: GitHub names no pull request and the fork as the head repository. */
function forkRun(runId: number) {
  const event = failedRunDelivery(runId, {
    run: { pull_requests: [], head_branch: 'main', head_repository: { id: FORK_REPOSITORY_ID, name: 'checkout-service', full_name: 'stranger/checkout-service' } },
  });
  return triggerFromWorkflowRun(event.body as never, `delivery-${runId}`);
}

/** Incidents whose execution failed, written as the runtime writes them, a few minutes old. */
async function failedExecutions(runIds: number[]) {
  dataDir = await runtimes.scratchDir('guard-exhausted');
  const at = new Date(Date.now() - 5 * 60_000);
  const execution = { status: 'FAILED' as const, stoppedAt: at.toISOString(), error: 'States.DataLimitExceeded' };
  await writeLeftBehind(dataDir, { incidents: runIds.map((runId) => ({ trigger: forkRun(runId), at, execution })) });
}

describe('reconciler: incidents whose re-drives are used up', () => {
  it("pages once for a fork's runs that all failed, and ends every one of them notified", async () => {
    const runs = [7001, 7002, 7003];
    await failedExecutions(runs);
    const harness = await runtimes.start({ secret: SECRET, dataDir, env: { GITHUB_TOKEN: undefined, RECONCILE_AFTER_MINUTES: '1', RECONCILE_MAX_ATTEMPTS: '0' } });

    const result = await harness.runtime.reconcile();

    expect(result.exhausted).toHaveLength(3);
    const pages = (await harness.outbox()).filter((entry) => entry.kind === 'escalation');
    expect(pages).toHaveLength(1);
    for (const runId of runs) {
      const incident = await harness.incident(forkRun(runId).incidentId);
      expect(incident).toMatchObject({ status: 'notified', notifiedByFallback: true });
      expect(incident.history.filter((entry) => entry.event === 'escalated_after_redrives')).toHaveLength(1);
    }
    // A second run finds nothing left to do: nobody is paged again.
    await harness.runtime.reconcile();
    expect((await harness.outbox()).filter((entry) => entry.kind === 'escalation')).toHaveLength(1);
  });
});
