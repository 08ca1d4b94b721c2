import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { MAX_BASELINE_RUNS } from '../../shared/baselines/gate.js';
import { ACCEPTED_CLAIM_TTL_SECONDS, createBaselineStore } from '../../shared/baselines/store.js';
import { loadConfig } from '../../shared/config.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * A default branch's accepted runs, against the embedded DynamoDB: no baseline window reads past the newest
 * {@link MAX_BASELINE_RUNS}, so a repository merging all day must not keep two items per commit for ever.
 */
const scratch = scratchStoreForFile('baseline-retention');

const PK = 'BASELINE#acme/shop#main';
const sha = (n: number) => `c${String(n).padStart(6, '0')}`;
const at = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 3_600_000).toISOString();

async function items(prefix: string): Promise<Array<Record<string, unknown>>> {
  const found: Array<Record<string, unknown>> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await scratch.client.send(
      new QueryCommand({
        TableName: 'baselines',
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': prefix },
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return found;
}

describe('baseline runs: retention', () => {
  it('keeps the newest runs any window can read, and lets the claims of the others expire', async () => {
    // Prepare
    const store = createBaselineStore({ client: scratch.client, tableName: 'baselines' });
    const total = MAX_BASELINE_RUNS + 7;

    // Act: one accepted run per commit, oldest first
    for (let n = 1; n <= total; n++) expect(await store.acceptRun('acme/shop', 'main', { sha: sha(n), at: at(n), metrics: { coverage_pct: n } })).toBe(true);
    const again = await store.acceptRun('acme/shop', 'main', { sha: sha(1), at: at(total + 1), metrics: { coverage_pct: 0 } });

    // Assert: the largest window the settings allow still holds the newest runs, and nothing older is stored
    const runs = await items('RUN#');
    expect(runs.map((run) => run.sha).sort()).toEqual(Array.from({ length: MAX_BASELINE_RUNS }, (_, i) => sha(total - MAX_BASELINE_RUNS + 1 + i)));
    const largest = await store.recentRuns('acme/shop', 'main', loadConfig({ BASELINE_RUNS: String(MAX_BASELINE_RUNS) }).BASELINE_RUNS);
    expect(largest).toHaveLength(MAX_BASELINE_RUNS);
    expect(largest[0]?.sha).toBe(sha(total));
    // A commit whose run left the window is still claimed, so reporting it again adds nothing (until its claim expires)
    expect(again).toBe(false);
    const claims = await items('SHA#');
    expect(claims).toHaveLength(total);
    const expiring = claims.filter((claim) => claim.expiresAt !== undefined);
    expect(expiring.map((claim) => claim.sk).sort()).toEqual(Array.from({ length: total - MAX_BASELINE_RUNS }, (_, i) => `SHA#${sha(i + 1)}`));
    // Each expires a fixed time after the acceptance that dropped it, on the gate's clock (the runs' `at`), not the
    // process's: commit n left the window when commit n + MAX_BASELINE_RUNS was accepted.
    for (const claim of expiring) {
      const dropper = Number(String(claim.sk).slice('SHA#c'.length)) + MAX_BASELINE_RUNS;
      expect(claim.expiresAt).toBe(Date.parse(at(dropper)) / 1000 + ACCEPTED_CLAIM_TTL_SECONDS);
    }
  });

  it('refuses a window larger than the runs it keeps', () => {
    expect(() => loadConfig({ BASELINE_RUNS: String(MAX_BASELINE_RUNS + 1) })).toThrow();
  });
});
