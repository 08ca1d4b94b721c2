import { beforeAll, describe, expect, it } from 'vitest';
import type { FakeGitHub } from '../support/fake-github.js';
import { type Harness, apiRequest, useLocalRuntime } from '../support/harness.js';

/**
 * The branch in a gate request is the caller's word. With one CI role for every job, a pull request's job can
 * report its own commit as a run of `main`, a little worse than the baseline each time, and walk the baseline down.
 * Through the local runtime (the evaluate-gate handler and its composition root) against a fake GitHub: a run joins
 * main's baseline only when GitHub's compare API shows its commit on main.
 */
const REPOSITORY = 'acme-shop/checkout-service';
const TOKEN = 'gate-default-branch-token-0123456789';
const MAIN = ['a000000000000000000000000000000000000001', 'a000000000000000000000000000000000000002', 'a000000000000000000000000000000000000003', 'a000000000000000000000000000000000000004'];
const PULL_REQUEST = ['b000000000000000000000000000000000000001', 'b000000000000000000000000000000000000002', 'b000000000000000000000000000000000000003'];

interface GateAnswer {
  decision: string;
  accepted: boolean;
  notAccepted?: string;
  baseline: { runs: number; means: Record<string, number> };
}

function gate(harness: Harness) {
  return (branch: string, sha: string, coverage: number, repository = REPOSITORY) =>
    apiRequest<GateAnswer>(harness.runtime.url, 'POST', '/gates/evaluate', { repository, branch, sha, metrics: { coverage_pct: coverage } }, TOKEN);
}

const compareCalls = (github: FakeGitHub) => github.apiCalls().filter((call) => call.includes('/compare/'));

describe('quality gate with a token: a pull request cannot walk main\'s baseline down by claiming main', () => {
  const harness = useLocalRuntime({ secret: 'gate-default-branch-secret', name: 'guard-gate-branch', github: { auth: 'token' }, env: { GATE_TOKEN: TOKEN } });

  beforeAll(async () => {
    harness.github.branchCommits.set('main', MAIN);
    harness.github.offBranchCommits.set(PULL_REQUEST[0] as string, 'ahead');
    harness.github.offBranchCommits.set(PULL_REQUEST[1] as string, 'diverged');
  });

  it('gives a run claiming main with a commit GitHub shows ahead of main its verdict, and leaves the baseline as it was', async () => {
    // Prepare: three runs of main (coverage 80, 82, 81: baseline 81)
    const evaluate = gate(harness);
    for (const [index, coverage] of [80, 82, 81].entries()) {
      expect((await evaluate('main', MAIN[index] as string, coverage)).body).toMatchObject({ decision: 'pass', accepted: true });
    }

    // Act: a pull request's job claims main twice, 3 then 4 points down (within DELTA_COVERAGE: both pass)
    const ahead = await evaluate('main', PULL_REQUEST[0] as string, 78);
    const diverged = await evaluate('main', PULL_REQUEST[1] as string, 77);
    const nextMain = await evaluate('main', MAIN[3] as string, 81);
    const feature = await evaluate('feature/tax', PULL_REQUEST[2] as string, 79);

    // Assert: verdicts as before, nothing accepted, and main's next run judged against the same baseline
    expect(ahead.status).toBe(200);
    expect(ahead.body).toMatchObject({ decision: 'pass', accepted: false, notAccepted: `${PULL_REQUEST[0]} is not on main` });
    expect(diverged.body).toMatchObject({ decision: 'pass', accepted: false, notAccepted: `${PULL_REQUEST[1]} is not on main` });
    expect(nextMain.body).toMatchObject({ decision: 'pass', accepted: true, baseline: { runs: 3, means: { coverage_pct: 81 } } });
    expect(feature.body).toMatchObject({ decision: 'pass', accepted: false, baseline: { runs: 4, means: { coverage_pct: 81 } } });
    // One compare per passing run claiming main, main as the base; none for the feature branch.
    expect(compareCalls(harness.github)).toEqual([...MAIN.slice(0, 3), ...PULL_REQUEST.slice(0, 2), MAIN[3]].map((sha) => `GET /repos/${REPOSITORY}/compare/main...${sha}?per_page=1`));
  });

  it('answers 200 with the verdict when GitHub fails, accepting nothing until it answers again', async () => {
    // Prepare
    const evaluate = gate(harness);
    harness.github.branchCommits.set('main', [...MAIN, 'a000000000000000000000000000000000000005']);
    harness.github.fail({ method: 'GET', route: /\/compare\//, reply: { status: 502, body: { message: 'Server Error' } } });

    // Act
    const whileDown = await evaluate('main', 'a000000000000000000000000000000000000005', 81);
    const afterwards = await evaluate('main', 'a000000000000000000000000000000000000005', 81);

    // Assert
    expect(whileDown.status).toBe(200);
    expect(whileDown.body).toMatchObject({ decision: 'pass', accepted: false, notAccepted: 'GitHub could not be asked whether a000000000000000000000000000000000000005 is on main' });
    expect(afterwards.body).toMatchObject({ decision: 'pass', accepted: true, baseline: { runs: 4 } });
  });

  it('accepts a commit of main once, whatever prefix or case a request names it by', async () => {
    // Prepare: five runs of main are in the baseline
    const evaluate = gate(harness);
    const before = await evaluate('feature/tax', PULL_REQUEST[2] as string, 81);

    // Act: the first commit of main again, as a 7-character prefix and in upper case, 3 points down
    const prefix = await evaluate('main', (MAIN[0] as string).slice(0, 7), 78);
    const upper = await evaluate('main', (MAIN[0] as string).toUpperCase(), 78);
    const after = await evaluate('feature/tax', PULL_REQUEST[2] as string, 81);

    // Assert
    expect(before.body.baseline.runs).toBe(5);
    expect(prefix.body).toMatchObject({ decision: 'pass', accepted: false });
    expect(upper.body).toMatchObject({ decision: 'pass', accepted: false });
    expect(after.body.baseline).toEqual(before.body.baseline);
  });
});

describe('quality gate as a GitHub App: asks with the installation of the repository', () => {
  const harness = useLocalRuntime({
    secret: 'gate-default-branch-app-secret',
    name: 'guard-gate-branch-app',
    github: { auth: 'app', prefix: '/api/v3' },
    env: { GATE_TOKEN: TOKEN },
  });

  beforeAll(async () => {
    harness.github.repositoryInstallations.set(REPOSITORY, 51234987);
    harness.github.branchCommits.set('main', MAIN);
  });

  it('accepts a run of main its installation shows on main, and none of a repository the App is not installed on', async () => {
    // Act
    const evaluate = gate(harness);
    const installed = await evaluate('main', MAIN[0] as string, 80);
    const notInstalled = await evaluate('main', MAIN[0] as string, 80, 'acme-shop/elsewhere');

    // Assert
    expect(installed.body).toMatchObject({ decision: 'pass', accepted: true });
    expect(notInstalled.body).toMatchObject({ decision: 'pass', accepted: false, notAccepted: `the gate has no GitHub access to acme-shop/elsewhere to check that ${MAIN[0]} is on main` });
    const compare = harness.github.requests.find((r) => r.route.includes('/compare/'));
    expect(compare && harness.github.installationOf(compare)).toBe(51234987);
  });
});
