import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { evaluateGateRequest } from '../../shared/baselines/evaluate.js';
import { gateAccess } from '../../shared/baselines/gate-access.js';
import { createBaselineStore } from '../../shared/baselines/store.js';
import { loadConfig } from '../../shared/config.js';
import { noMetrics } from '../../shared/adapters/metrics.js';
import { staticGitHubClients } from '../../shared/github/clients.js';
import { silentLogger } from '../../shared/steps/deps.js';
import { createFakeGitHub } from '../support/fakes.js';
import { scratchStoreForFile } from '../support/harness.js';

/**
 * GitHub names one repository in any case (`Acme/Widgets`, `acme/widgets`); the gate's callers, its settings and
 * its stored baseline must treat every spelling as that one repository, against the embedded DynamoDB.
 */
const scratch = scratchStoreForFile('gate-repository-case');

const ROLE = 'arn:aws:sts::123456789012:assumed-role/ci-acme-widgets/*';
const SESSION = 'arn:aws:sts::123456789012:assumed-role/ci-acme-widgets/build-9';

function gate(settings: Record<string, string> = {}) {
  // Every commit these runs name is on the branch they report, as GitHub confirms.
  const onEveryBranch = { ...createFakeGitHub().port, commitOnBranch: async (_repo: unknown, _branch: string, sha: string) => ({ status: 'on_branch' as const, sha }) };
  const deps = {
    baselines: createBaselineStore({ client: scratch.store.documents(), tableName: 'baselines' }),
    config: loadConfig(settings),
    clock: () => new Date('2026-05-04T10:00:00Z'),
    github: async () => staticGitHubClients(onEveryBranch),
    logger: silentLogger,
    metrics: noMetrics,
  };
  return (repository: string, branch: string, sha: string, metrics: Record<string, number>, tests?: { passed?: string[]; failed?: string[] }) =>
    evaluateGateRequest({ repository, branch, sha, metrics, ...(tests ? { tests } : {}) }, deps);
}

describe('quality gate: one repository whatever the case of its name', () => {
  it('authorises a caller configured as Acme/Widgets for acme/widgets, and judges both spellings against one baseline', async () => {
    // Prepare: the settings and the caller name the repository as its owner typed it; three runs accepted as such
    const callers = { [ROLE]: ['Acme/Widgets'] };
    const evaluate = gate({ GATE_REPOSITORIES: '{"Acme/Widgets":{"defaultBranch":"trunk"}}' });
    for (const [sha, coverage] of [['a000001', 80], ['a000002', 82], ['a000003', 81]] as const) {
      expect(await evaluate('Acme/Widgets', 'trunk', sha, { coverage_pct: coverage })).toMatchObject({ decision: 'pass', accepted: true });
    }

    // Act: a pull request's job names it in lower case and drops coverage by 6 points; its test passes on a commit where the other spelling saw it fail
    const access = gateAccess(callers, SESSION, 'acme/widgets');
    const dropped = await evaluate('acme/widgets', 'feature/x', 'b000001', { coverage_pct: 75 }, { failed: ['cart > totals'] });
    const retried = await evaluate('ACME/WIDGETS', 'feature/x', 'b000001', { coverage_pct: 75 }, { passed: ['cart > totals'] });
    const acceptedInLowerCase = await evaluate('acme/widgets', 'trunk', 'a000004', { coverage_pct: 81 });
    const after = await evaluate('Acme/Widgets', 'feature/y', 'c000001', { coverage_pct: 81 });

    // Assert
    expect(access).toEqual({ allowed: true, reportsDefaultBranch: true });
    expect(dropped).toMatchObject({ decision: 'fail', baseline: { runs: 3, branch: 'trunk', means: { coverage_pct: 81 } } });
    expect(retried).toMatchObject({ decision: 'fail', hysteresis: true, flaky: ['cart > totals'] });
    expect(acceptedInLowerCase.accepted).toBe(true);
    expect(after.baseline.runs).toBe(4);
  });

  it('still reads the runs a repository named in capitals had accepted before its keys were lower case, until its window is full', async () => {
    // Prepare: two runs under the spelling the earlier version keyed them by
    const client = scratch.store.documents();
    for (const [at, sha, coverage] of [['2026-05-01T10:00:00.000Z', 'e000001', 90], ['2026-05-02T10:00:00.000Z', 'e000002', 92]] as const) {
      const run = { sha, at, metrics: { coverage_pct: coverage } };
      await client.send(new PutCommand({ TableName: 'baselines', Item: { pk: 'BASELINE#Acme/Legacy#main', sk: `SHA#${sha}`, at } }));
      await client.send(new PutCommand({ TableName: 'baselines', Item: { pk: 'BASELINE#Acme/Legacy#main', sk: `RUN#${at}#${sha}`, ...run } }));
    }
    const evaluate = gate({ BASELINE_RUNS: '3' });

    // Act: one of them reported again, now stored under the lower-case key
    const repeated = await evaluate('Acme/Legacy', 'main', 'e000002', { coverage_pct: 91 });
    const judged = await evaluate('Acme/Legacy', 'feature/z', 'f000001', { coverage_pct: 84 });

    // Assert: the repeated commit counts once, as reported last (90 and 91, not 92), and a drop from that mean fails
    expect(repeated).toMatchObject({ accepted: true, baseline: { runs: 2, means: { coverage_pct: 91 } } });
    expect(judged).toMatchObject({ decision: 'fail', baseline: { runs: 2, means: { coverage_pct: 90.5 } } });
  });

  it('refuses settings that name one repository in two spellings', () => {
    expect(() => loadConfig({ GATE_REPOSITORIES: '{"Acme/Widgets":{"defaultBranch":"trunk"},"acme/widgets":{"defaultBranch":"main"}}' })).toThrow(/GATE_REPOSITORIES/);
  });
});
