import { beforeEach, describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubCheckScope, githubForkCheckScope } from '../../../shared/domain/trigger.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { handleGithubWebhook, type IngestDeps } from '../../../shared/ingest/github-webhook.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from '../../support/fakes.js';
import { ingestDeps, signedWebhook, webhookSignature } from '../../support/ingest.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * Check runs of another CI system on fork pull requests: GitHub names neither the head repository nor the branch, so
 * each fork's check is told apart by its pull request (found at ingest by the commit), or else by its commit.
 */
const SECRET = 'unit-test-secret';
const REPOSITORY_ID = 714523861;
const sha = (digit: string) => digit.repeat(40);

/** A fork's completed CircleCI check run: no head branch, no pull requests listed, on commit `headSha`. */
function forkCheck(checkRunId: number, headSha: string, conclusion: 'failure' | 'success' | 'neutral', completedAt: string) {
  return signedWebhook(conclusion === 'failure' ? 'check_run-circleci-failure' : 'check_run-circleci-success', SECRET, (body) => {
    const check = body.check_run;
    Object.assign(check, { id: checkRunId, head_sha: headSha, conclusion, completed_at: completedAt, pull_requests: [] });
    Object.assign(check.check_suite, { head_branch: null, head_sha: headSha, pull_requests: [] });
    check.name = 'ci/circleci: build-and-test';
  });
}

let deps: IngestDeps;
let store: ReturnType<typeof createMemoryStore>;
let github: ReturnType<typeof createFakeGitHub>;
let recoveries: ReturnType<typeof createRecordingRecoveryQueue>;
/** The open pull requests whose head is each commit, as GitHub's commit lookup answers: all from forks. */
let pullsByCommit: Map<string, number[]>;
const FORK_ID = 9001;

beforeEach(() => {
  store = createMemoryStore();
  github = createFakeGitHub();
  pullsByCommit = new Map();
  github.port.findPullRequestsForCommit = async (_repo, commit) => (pullsByCommit.get(commit) ?? []).map((number) => ({ number, headRepositoryId: FORK_ID }));
  recoveries = createRecordingRecoveryQueue();
  deps = ingestDeps(SECRET, {
    recoveries,
    incidents: store,
    github: staticGitHubClients(github.port),
    clock: () => new Date('2026-11-20T11:00:00Z'),
    workflow: { async start(name) { return { executionId: `exec:${name}`, alreadyStarted: false }; }, async describe() { return null; } },
  });
});

describe('check runs of fork pull requests: one fork’s green check', () => {
  /** Ingests a fork's failing check and records the pull request classify would find for it. */
  async function failingCheck(checkRunId: number, headSha: string, pullRequest: number | null) {
    await handleGithubWebhook(forkCheck(checkRunId, headSha, 'failure', '2026-11-20T10:00:00Z'), deps);
    const id = `ghc-${REPOSITORY_ID}-${checkRunId}`;
    if (pullRequest !== null) await store.update(id, { pullRequest });
    return id;
  }

  it('resolves only the failure of the pull request whose check passed, and rewrites only its comment', async () => {
    // Prepare: two forks' pull requests fail the same check; fork A pushes a fix.
    pullsByCommit.set(sha('a'), [101]);
    pullsByCommit.set(sha('b'), [202]);
    pullsByCommit.set(sha('c'), [101]);
    const forkA = await failingCheck(1, sha('a'), 101);
    const forkB = await failingCheck(2, sha('b'), 202);

    // Act
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const resolved = await recoveries.drain(deps);

    // Assert
    expect(resolved).toEqual([forkA]);
    expect((await store.get(forkB))?.status).toBe('received');
    expect(github.calls.filter((c) => c.method === 'upsertComment').map((c) => c.args[1])).toEqual([101]);
  });

  it('resolves no failure of another repository that had the name before, on its pull request of the same number', async () => {
    // Prepare: a failure recorded for the repository that had the name before (GitHub id 1, renamed since), on its own
    // pull request #101, then this repository's fork pull request #101 fails the same check and passes it
    pullsByCommit.set(sha('a'), [101]);
    pullsByCommit.set(sha('c'), [101]);
    const forkA = await failingCheck(1, sha('a'), 101);
    const formerOwner = { ...(await store.get(forkA))!, id: 'ghc-1-77', repositoryId: 1 };
    await store.create(formerOwner, null, null);

    // Act
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const resolved = await recoveries.drain(deps);

    // Assert
    expect(resolved).toEqual([forkA]);
    expect((await store.get(formerOwner.id))?.status).toBe('received');
  });

  it('changes nothing more when the green check is redelivered', async () => {
    // Prepare
    pullsByCommit.set(sha('a'), [101]);
    pullsByCommit.set(sha('c'), [101]);
    const forkA = await failingCheck(1, sha('a'), 101);
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const first = await recoveries.drain(deps);

    // Act
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const again = await recoveries.drain(deps);

    // Assert
    expect(first).toEqual([forkA]);
    expect(again).toEqual([]);
    expect(github.calls.filter((c) => c.method === 'upsertComment')).toHaveLength(1);
  });

  it('keys by the commit when no pull request can be found, so another fork’s green commit resolves nothing', async () => {
    // Prepare: the lookup finds nothing (the pull request was closed, or GitHub does not know it yet).
    const forkA = await failingCheck(1, sha('a'), null);

    // Act
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const byOther = await recoveries.drain(deps);
    await handleGithubWebhook(forkCheck(4, sha('a'), 'success', '2026-11-20T10:40:00Z'), deps);
    const bySameCommit = await recoveries.drain(deps);

    // Assert
    expect(byOther).toEqual([]);
    expect(bySameCommit).toEqual([forkA]);
  });

  it('does not take a pull request when two are open at the commit (a stranger’s fork can open one at any commit)', async () => {
    // Prepare
    pullsByCommit.set(sha('a'), [101, 303]);
    pullsByCommit.set(sha('c'), [303]);
    const forkA = await failingCheck(1, sha('a'), 101);

    // Act: the stranger's pull request, moved on to a commit of its own, passes.
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([]);
    expect((await store.get(forkA))?.status).toBe('received');
  });

  it('takes the pull request the check suite lists, when its head is the checked commit, without asking GitHub', async () => {
    // Prepare
    let lookups = 0;
    github.port.findPullRequestsForCommit = async () => {
      lookups += 1;
      return [];
    };
    const listed = (number: number, headSha: string) => ({ number, head: { sha: headSha, repo: { id: FORK_ID } }, base: { repo: { id: REPOSITORY_ID } } });
    const failure = forkCheck(1, sha('a'), 'failure', '2026-11-20T10:00:00Z');
    const failureBody = JSON.parse(failure.body);
    failureBody.check_run.check_suite.pull_requests = [listed(101, sha('a')), listed(202, sha('f'))];
    const body = JSON.stringify(failureBody);

    // Act
    await handleGithubWebhook({ ...failure, body, headers: { ...failure.headers, 'X-Hub-Signature-256': webhookSignature(body, SECRET) } }, deps);

    // Assert
    expect(lookups).toBe(0);
    expect(store.items.get(`ghc-${REPOSITORY_ID}-1`)?.incident).toMatchObject({ pullRequest: 101, fromFork: true });
  });

  it('resolves a failure stored under the key of before, of the same pull request, and not another’s', async () => {
    // Prepare: two incidents recorded before the deploy, both under the one key all forks' checks shared.
    const legacyScope = githubCheckScope({ name: 'acme-shop/checkout-service', id: null }, null, 'circleci-checks', 'ci/circleci: build-and-test', { repositoryId: REPOSITORY_ID, headRepositoryId: null });
    const before = (id: string, pullRequest: number) =>
      newIncident(
        { id, source: 'github', repository: 'acme-shop/checkout-service', pullRequest, installationId: 51234987, failedAt: '2026-11-19T10:00:00Z' },
        new Date('2026-11-19T10:00:00Z'),
      );
    await store.create(before('ghc-714523861-7', 101), legacyScope);
    await store.create(before('ghc-714523861-8', 202), legacyScope);
    pullsByCommit.set(sha('c'), [101]);

    // Act
    await handleGithubWebhook(forkCheck(3, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    const resolved = await recoveries.drain(deps);

    // Assert
    expect(resolved).toEqual(['ghc-714523861-7']);
    expect((await store.get('ghc-714523861-8'))?.status).toBe('received');
  });

  it('resolves a failure keyed by its commit when a green run of that very commit finds its pull request', async () => {
    // Prepare: at the failure GitHub found no pull request at the commit (not known to it yet); at the green, one.
    const failure = await failingCheck(1, sha('a'), null);
    pullsByCommit.set(sha('a'), [101]);

    // Act
    await handleGithubWebhook(forkCheck(2, sha('a'), 'success', '2026-11-20T10:30:00Z'), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([failure]);
  });

  it('resolves a failure of its pull request keyed by its commit, when classify found the pull request ingest did not', async () => {
    // Prepare: ingest's lookup found none at commit a; classify's, moments later, found pull request 101 alone.
    const failure = await failingCheck(1, sha('a'), 101);
    pullsByCommit.set(sha('c'), [101]);

    // Act: the pull request's fixing commit passes.
    await handleGithubWebhook(forkCheck(2, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([failure]);
    expect(github.calls.filter((c) => c.method === 'upsertComment').map((c) => c.args[1])).toEqual([101]);
  });

  it('leaves a commit-keyed failure whose pull request was never told, and another check of its pull request, alone', async () => {
    // Prepare: two pull requests were open at commit a (a stranger's among them), so neither ingest nor classify took
    // one; and pull request 101 fails another check, keyed by its commit.
    pullsByCommit.set(sha('a'), [101, 303]);
    const untold = await failingCheck(1, sha('a'), null);
    const otherCheck = 'ci/circleci: lint';
    const otherScope = githubForkCheckScope({ name: 'acme-shop/checkout-service', id: REPOSITORY_ID }, 'circleci-checks', otherCheck, { headRepositoryId: null, headSha: sha('b') });
    await store.create(
      newIncident(
        {
          id: 'ghc-714523861-9', source: 'github', repository: 'acme-shop/checkout-service', pullRequest: 101, fromFork: true, headSha: sha('b'),
          checkRun: { id: 9, name: otherCheck, appSlug: 'circleci-checks', appName: 'CircleCI Checks', detailsUrl: null }, failedAt: '2026-11-20T10:05:00Z',
        },
        new Date('2026-11-20T10:05:00Z'),
      ),
      otherScope,
    );
    pullsByCommit.set(sha('c'), [101]);
    pullsByCommit.set(sha('d'), [303]);

    // Act: each pull request's own commit passes the failing check.
    await handleGithubWebhook(forkCheck(2, sha('c'), 'success', '2026-11-20T10:30:00Z'), deps);
    await handleGithubWebhook(forkCheck(3, sha('d'), 'success', '2026-11-20T10:31:00Z'), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([]);
    expect((await store.get(untold))?.status).toBe('received');
  });
});

describe('check runs of fork pull requests: the pull request lookup at ingest', () => {
  it('never keeps a failure from being stored: a lookup that never answers is given up at its deadline', async () => {
    // Prepare: GitHub accepts the lookup and never answers (a slow GitHub, or rate-limit waits of a minute).
    github.port.findPullRequestsForCommit = () => new Promise(() => {});
    const deadlines: (AbortSignal | undefined)[] = [];
    const started: string[] = [];
    deps = {
      ...deps,
      forkPullRequestLookupMs: 50,
      github: { forInstallation: (_installationId, signal) => (deadlines.push(signal), github.port) },
      workflow: { async start(name) { started.push(name); return { executionId: `exec:${name}`, alreadyStarted: false }; }, async describe() { return null; } },
    };
    const id = `ghc-${REPOSITORY_ID}-1`;

    // Act
    const answer = await Promise.race([
      handleGithubWebhook(forkCheck(1, sha('a'), 'failure', '2026-11-20T10:00:00Z'), deps),
      new Promise<'no answer'>((resolve) => setTimeout(() => resolve('no answer'), 2_000)),
    ]);

    // Assert: the failure is stored under its commit's key and its execution started; the client was told to stop.
    expect(answer).toMatchObject({ statusCode: 202, body: { incidentId: id } });
    expect(store.items.get(id)?.scope).toBe(githubForkCheckScope({ name: 'acme-shop/checkout-service', id: REPOSITORY_ID }, 'circleci-checks', 'ci/circleci: build-and-test', { headRepositoryId: null, headSha: sha('a') }));
    expect(started).toHaveLength(1);
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0]?.aborted).toBe(true);
  });

  it('does not ask GitHub for a check run whose conclusion is not acted on', async () => {
    // Prepare
    let lookups = 0;
    github.port.findPullRequestsForCommit = async () => {
      lookups += 1;
      return [{ number: 101, headRepositoryId: FORK_ID }];
    };

    // Act
    const answer = await handleGithubWebhook(forkCheck(1, sha('a'), 'neutral', '2026-11-20T10:00:00Z'), deps);

    // Assert
    expect(answer.body).toEqual({ ignored: 'check_run conclusion neutral is not acted on' });
    expect(lookups).toBe(0);
  });

  it("never keys a fork's check by a pull request of the repository's own branch at the same commit", async () => {
    // Prepare: the repository's own pull request 7 has the fork's commit as its head too (GitHub lists both).
    const ownBranch = { number: 7, headRepositoryId: REPOSITORY_ID };
    const answers = [[ownBranch], [ownBranch, { number: 101, headRepositoryId: FORK_ID }]];
    github.port.findPullRequestsForCommit = async () => answers.shift() ?? [];

    // Act
    await handleGithubWebhook(forkCheck(1, sha('a'), 'failure', '2026-11-20T10:00:00Z'), deps);
    await handleGithubWebhook(forkCheck(2, sha('b'), 'failure', '2026-11-20T10:05:00Z'), deps);

    // Assert
    const scopeOf = (origin: Parameters<typeof githubForkCheckScope>[3]) => githubForkCheckScope({ name: 'acme-shop/checkout-service', id: REPOSITORY_ID }, 'circleci-checks', 'ci/circleci: build-and-test', origin);
    expect(store.items.get(`ghc-${REPOSITORY_ID}-1`)).toMatchObject({ incident: { pullRequest: null }, scope: scopeOf({ headRepositoryId: null, headSha: sha('a') }) });
    expect(store.items.get(`ghc-${REPOSITORY_ID}-2`)).toMatchObject({ incident: { pullRequest: 101 }, scope: scopeOf({ pullRequest: 101 }) });
  });
});
