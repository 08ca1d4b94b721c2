import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../shared/adapters/metric-names.js';
import { verifyBranchClaim } from '../../../shared/baselines/branch-claim.js';
import { type GateDeps, evaluateGateRequest } from '../../../shared/baselines/evaluate.js';
import type { AcceptedRun, BaselineStore, GateState } from '../../../shared/baselines/store.js';
import { loadConfig } from '../../../shared/config.js';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import type { GitHubClients, GitHubPort } from '../../../shared/ports.js';
import { createFakeGitHub } from '../../support/fakes.js';

/**
 * The branch and commit of a gate request are the caller's word. A passing run reported as the default branch's
 * joins its baseline only when GitHub confirms the commit is on that branch; the verdict is given either way.
 */

/** The baselines a gate request reads and writes, in memory: accepted runs per branch and pass/fail memory. */
function memoryBaselines() {
  const runs = new Map<string, AcceptedRun[]>();
  const states = new Map<string, GateState>();
  const store = {
    async recentRuns(repository: string, branch: string, limit: number) {
      return (runs.get(`${repository}#${branch}`) ?? []).slice(-limit).reverse();
    },
    async acceptRun(repository: string, branch: string, run: AcceptedRun) {
      const list = runs.get(`${repository}#${branch}`) ?? [];
      if (list.some((r) => r.sha === run.sha)) return false;
      runs.set(`${repository}#${branch}`, [...list, run]);
      return true;
    },
    async gateState(repository: string, branch: string) {
      return states.get(`${repository}#${branch}`) ?? null;
    },
    async saveGateState(repository: string, branch: string, state: GateState) {
      states.set(`${repository}#${branch}`, { decision: state.decision, sha: state.sha, at: state.at });
    },
    async recordTestResults() {
      return [];
    },
  };
  return { store: store as unknown as BaselineStore, runs, states };
}

const REPOSITORY = 'acme-shop/checkout-service';
const MAIN_HEAD = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';
const PULL_REQUEST_HEAD = 'f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9';

/** Gate dependencies with a fake GitHub, three accepted runs of main (coverage 81) and a record of logs and metrics. */
async function prepare(options: { settings?: Record<string, string>; github?: GitHubClients | null } = {}) {
  const baselines = memoryBaselines();
  const github = createFakeGitHub();
  const logs: Array<{ level: string; message: string; details: unknown }> = [];
  const counts: Array<{ name: string; value: number; dimensions: Record<string, string> | undefined }> = [];
  const deps: GateDeps = {
    baselines: baselines.store,
    config: loadConfig(options.settings ?? {}),
    clock: () => new Date('2026-05-04T10:00:00Z'),
    github: async () => (options.github === undefined ? staticGitHubClients(github.port) : options.github),
    logger: {
      info: () => {},
      warn: (message, details) => logs.push({ level: 'warn', message, details }),
      error: (message, details) => logs.push({ level: 'error', message, details }),
    },
    metrics: { count: (name, value, dimensions) => counts.push({ name, value, dimensions }), measure: () => {} },
  };
  for (const [sha, coverage] of [['c000001', 80], ['c000002', 82], ['c000003', 81]] as const) {
    await baselines.store.acceptRun(REPOSITORY, 'main', { sha, at: '2026-05-01T10:00:00.000Z', metrics: { coverage_pct: coverage } });
  }
  const evaluate = (branch: string, sha: string, coverage: number) => evaluateGateRequest({ repository: REPOSITORY, branch, sha, metrics: { coverage_pct: coverage } }, deps);
  return { ...baselines, github, logs, counts, evaluate };
}

describe('quality gate: a run of the default branch joins its baseline only when GitHub shows its commit there', () => {
  it('accepts a passing run whose commit GitHub shows on main, asking once with main as the base', async () => {
    // Prepare
    const { github, runs, evaluate } = await prepare();
    github.memberships.set(MAIN_HEAD, { status: 'on_branch', sha: MAIN_HEAD });

    // Act
    const answer = await evaluate('main', MAIN_HEAD, 80.5);

    // Assert
    expect(answer).toMatchObject({ decision: 'pass', accepted: true });
    expect(answer).not.toHaveProperty('notAccepted');
    expect(github.calls).toEqual([{ method: 'commitOnBranch', args: [{ owner: 'acme-shop', repo: 'checkout-service' }, 'main', MAIN_HEAD] }]);
    expect(runs.get(`${REPOSITORY}#main`)).toHaveLength(4);
  });

  it('accepts a commit on main once, whatever prefix or case names it: runs are keyed by the SHA GitHub resolved', async () => {
    // Prepare: GitHub resolves a prefix or an upper-case name to the one commit
    const { github, runs, evaluate } = await prepare();
    for (const name of [MAIN_HEAD, MAIN_HEAD.slice(0, 7), MAIN_HEAD.slice(0, 12).toUpperCase()]) github.memberships.set(name, { status: 'on_branch', sha: MAIN_HEAD });

    // Act
    const first = await evaluate('main', MAIN_HEAD.slice(0, 7), 80);
    const longer = await evaluate('main', MAIN_HEAD, 79);
    const upper = await evaluate('main', MAIN_HEAD.slice(0, 12).toUpperCase(), 79);

    // Assert
    expect(first).toMatchObject({ decision: 'pass', accepted: true, sha: MAIN_HEAD.slice(0, 7) });
    expect(longer).toMatchObject({ decision: 'pass', accepted: false });
    expect(upper).toMatchObject({ decision: 'pass', accepted: false });
    expect(runs.get(`${REPOSITORY}#main`)?.map((r) => r.sha)).toEqual(['c000001', 'c000002', 'c000003', MAIN_HEAD]);
  });

  it.each([
    ['off_branch', `${PULL_REQUEST_HEAD} is not on main`],
    ['unknown_commit', `GitHub knows no commit ${PULL_REQUEST_HEAD} on main of ${REPOSITORY}`],
  ] as const)('gives the verdict but accepts nothing when GitHub answers %s, and says why', async (membership, reason) => {
    // Prepare: a pull request's job reports its own commit as main's, a point worse than the baseline
    const { github, runs, states, logs, counts, evaluate } = await prepare();
    github.memberships.set(PULL_REQUEST_HEAD, { status: membership });

    // Act
    const answer = await evaluate('main', PULL_REQUEST_HEAD, 80);

    // Assert
    expect(answer).toMatchObject({ decision: 'pass', accepted: false, notAccepted: reason, baseline: { runs: 3, means: { coverage_pct: 81 } } });
    expect(runs.get(`${REPOSITORY}#main`)?.map((r) => r.sha)).toEqual(['c000001', 'c000002', 'c000003']);
    expect(states.get(`${REPOSITORY}#main`)).toBeUndefined();
    expect(logs).toEqual([{ level: 'warn', message: expect.stringContaining('not accepted'), details: expect.objectContaining({ sha: PULL_REQUEST_HEAD, because: membership }) }]);
    expect(counts).toEqual([{ name: METRIC.gateRunsUnverified, value: 1, dimensions: { reason: membership } }]);
  });

  it('fails closed when GitHub fails: 200 with the verdict, not accepted, the error in the log only', async () => {
    // Prepare
    const failing: GitHubPort = {
      ...createFakeGitHub().port,
      commitOnBranch: async () => {
        throw new GitHubUnavailableError('GitHub rate limited: compare a1b2c3d4e5f6 with main: API rate limit exceeded for installation');
      },
    };
    const { runs, logs, counts, evaluate } = await prepare({ github: staticGitHubClients(failing) });

    // Act
    const answer = await evaluate('main', MAIN_HEAD, 81);

    // Assert
    expect(answer).toMatchObject({ decision: 'pass', accepted: false, notAccepted: `GitHub could not be asked whether ${MAIN_HEAD} is on main` });
    expect(JSON.stringify(answer)).not.toContain('rate limit');
    expect(runs.get(`${REPOSITORY}#main`)).toHaveLength(3);
    expect(logs).toEqual([{ level: 'error', message: expect.any(String), details: expect.objectContaining({ because: 'github_unavailable', error: expect.stringContaining('rate limit') }) }]);
    expect(counts).toEqual([{ name: METRIC.gateRunsUnverified, value: 1, dimensions: { reason: 'github_unavailable' } }]);
  });

  it('fails closed without GitHub access: none configured, or an App not installed on the repository', async () => {
    // Prepare: as an App, `installationFor` answers null for a repository the App is not installed on
    const notInstalled: GitHubClients = { installationFor: async () => null, forInstallation: (id) => (id === null ? null : createFakeGitHub().port) };
    const none = await prepare({ github: null });
    const app = await prepare({ github: notInstalled });

    // Act
    const answers = [await none.evaluate('main', MAIN_HEAD, 81), await app.evaluate('main', MAIN_HEAD, 81)];

    // Assert
    for (const answer of answers) {
      expect(answer).toMatchObject({ decision: 'pass', accepted: false, notAccepted: `the gate has no GitHub access to ${REPOSITORY} to check that ${MAIN_HEAD} is on main` });
    }
    expect(none.counts[0]?.dimensions).toEqual({ reason: 'no_github_access' });
  });

  it('does not ask GitHub for another branch, for a failing verdict, or with GATE_VERIFY_DEFAULT_BRANCH=false', async () => {
    // Prepare
    const verifying = await prepare();
    const off = await prepare({ settings: { GATE_VERIFY_DEFAULT_BRANCH: 'false' } });

    // Act
    const feature = await verifying.evaluate('feature/tax', PULL_REQUEST_HEAD, 81);
    const failing = await verifying.evaluate('main', MAIN_HEAD, 70);
    const unverified = await off.evaluate('main', PULL_REQUEST_HEAD, 80);

    // Assert
    expect(verifying.github.calls).toEqual([]);
    expect(off.github.calls).toEqual([]);
    expect(feature).toMatchObject({ decision: 'pass', accepted: false });
    expect(feature).not.toHaveProperty('notAccepted');
    // A fail on main is remembered unasked: it only tightens main's next verdict.
    expect(failing).toMatchObject({ decision: 'fail', accepted: false });
    expect(verifying.states.get(`${REPOSITORY}#main`)?.decision).toBe('fail');
    expect(unverified).toMatchObject({ decision: 'pass', accepted: true });
  });

  it("leaves main's pass/fail memory alone for an unconfirmed pass, so main's next run is judged as after its failure", async () => {
    // Prepare: main's real run fails (a 6-point drop); a pull request's commit then claims main with a passing run
    const { github, states, evaluate } = await prepare();
    github.memberships.set(PULL_REQUEST_HEAD, { status: 'off_branch' });
    github.memberships.set(MAIN_HEAD, { status: 'on_branch', sha: MAIN_HEAD });
    await evaluate('main', 'c000004', 75);

    // Act
    await evaluate('main', PULL_REQUEST_HEAD, 81);
    const remembered = states.get(`${REPOSITORY}#main`);
    const next = await evaluate('main', MAIN_HEAD, 76.5);

    // Assert: 4.5 points under the baseline fails inside the hysteresis band, as it would have without the claim
    expect(remembered).toMatchObject({ decision: 'fail', sha: 'c000004' });
    expect(next).toMatchObject({ decision: 'fail', hysteresis: true, accepted: false });
  });
});

describe('verifyBranchClaim', () => {
  it('leaves a claim unverified when GitHub does not answer in time', async () => {
    // Prepare: a client whose request never ends unless aborted
    const hanging: GitHubPort = { ...createFakeGitHub().port, commitOnBranch: () => new Promise(() => {}) };

    // Act
    const claim = await verifyBranchClaim(async () => staticGitHubClients(hanging), { repository: REPOSITORY, branch: 'main', sha: MAIN_HEAD }, 20);

    // Assert
    expect(claim).toMatchObject({ verified: false, because: 'github_unavailable', error: expect.stringContaining('TimeoutError') });
  });

  it('leaves a claim unverified when the GitHub credential cannot be read, and says no more to the caller', async () => {
    // Act
    const claim = await verifyBranchClaim(async () => {
      throw new Error('GITHUB_TOKEN_SECRET_ARN arn:aws:secretsmanager:us-east-1:123456789012:secret:token has no value');
    }, { repository: REPOSITORY, branch: 'main', sha: MAIN_HEAD });

    // Assert
    expect(claim).toMatchObject({ verified: false, because: 'no_github_access', error: expect.stringContaining('GITHUB_TOKEN_SECRET_ARN') });
    expect(claim.verified ? '' : claim.reason).not.toContain('arn:');
  });
});
