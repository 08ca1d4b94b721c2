import { beforeEach, describe, expect, it } from 'vitest';
import { newIncident } from '../../../shared/domain/incident.js';
import { githubCheckScope, githubScope } from '../../../shared/domain/trigger.js';
import { staticGitHubClients } from '../../../shared/github/clients.js';
import { handleGithubWebhook, type IngestDeps } from '../../../shared/ingest/github-webhook.js';
import { createFakeGitHub, createRecordingRecoveryQueue } from '../../support/fakes.js';
import { ingestDeps, signedWebhook } from '../../support/ingest.js';
import { createMemoryStore } from '../../support/memory-store.js';

/**
 * A green run resolves the open failures of its scope: the same workflow (Actions) or check (another CI) on the same
 * branch of the same repository. Scopes were keyed by the repository's name, which is not its identity: after an
 * account rename, whoever registers the old name can create a repository of that name whose green check of the same
 * name resolved the old repository's open failures; and the renamed repository's own green run no longer found its
 * failures from before the rename. They are keyed by GitHub's repository id.
 */
const SECRET = 'unit-test-secret';
const REPOSITORY_ID = 714523861;
const NAME = 'acme-shop/checkout-service';

/** The sample CircleCI check run of `repository` (its pull request's head and base in it), completed `conclusion`. */
function check(conclusion: 'failure' | 'success', checkRunId: number, repository: { id: number; fullName: string }) {
  return signedWebhook(`check_run-circleci-${conclusion}`, SECRET, (body) => {
    body.repository.id = repository.id;
    body.repository.full_name = repository.fullName;
    body.check_run.id = checkRunId;
    for (const pull of [...(body.check_run.pull_requests ?? []), ...(body.check_run.check_suite?.pull_requests ?? [])]) {
      pull.head.repo.id = repository.id;
      pull.base.repo.id = repository.id;
    }
  });
}

/** The sample Actions run of `repository`, completed `conclusion`. */
function run(conclusion: 'failure' | 'success', repository: { id: number; fullName: string }) {
  return signedWebhook(`workflow_run-${conclusion}`, SECRET, (body) => {
    body.repository.id = repository.id;
    body.repository.full_name = repository.fullName;
    if (body.workflow_run.head_repository) body.workflow_run.head_repository.id = repository.id;
    if (body.workflow_run.repository) body.workflow_run.repository.id = repository.id;
  });
}

let deps: IngestDeps;
let store: ReturnType<typeof createMemoryStore>;
let recoveries: ReturnType<typeof createRecordingRecoveryQueue>;

beforeEach(() => {
  store = createMemoryStore();
  recoveries = createRecordingRecoveryQueue();
  deps = ingestDeps(SECRET, {
    recoveries,
    incidents: store,
    github: staticGitHubClients(createFakeGitHub().port),
    clock: () => new Date('2026-11-20T11:00:00Z'),
    workflow: { async start(name) { return { executionId: `exec:${name}`, alreadyStarted: false }; }, async describe() { return null; } },
  });
});

describe("a green check run of another CI resolves its own repository's failures, by GitHub's id", () => {
  it('resolves nothing of another repository that had the name before', async () => {
    // Prepare: repository 1 (renamed since) failed the check; a new repository took the name and passes the same check.
    await handleGithubWebhook(check('failure', 10, { id: 1, fullName: NAME }), deps);

    // Act
    await handleGithubWebhook(check('success', 11, { id: REPOSITORY_ID, fullName: NAME }), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([]);
    expect((await store.get('ghc-1-10'))?.status).toBe('received');
  });

  it('resolves a failure from before its repository was renamed', async () => {
    await handleGithubWebhook(check('failure', 10, { id: REPOSITORY_ID, fullName: 'acme-old/checkout-service' }), deps);

    await handleGithubWebhook(check('success', 11, { id: REPOSITORY_ID, fullName: NAME }), deps);

    expect(await recoveries.drain(deps)).toEqual([`ghc-${REPOSITORY_ID}-10`]);
  });

  it('resolves its failures recorded under the key by name from before, and not those of the name\'s former repository', async () => {
    // Prepare: two failures recorded before the deploy under the key by name: this repository's and repository 1's.
    const byName = githubCheckScope({ name: NAME, id: null }, 'feature/tax-rounding', 'circleci-checks', 'ci/circleci: build-and-test', { repositoryId: REPOSITORY_ID, headRepositoryId: REPOSITORY_ID });
    const before = (id: string, repositoryId: number) =>
      newIncident({ id, source: 'github', repository: NAME, repositoryId, installationId: 51234987, failedAt: '2026-11-19T10:00:00Z' }, new Date('2026-11-19T10:00:00Z'));
    await store.create(before(`ghc-${REPOSITORY_ID}-7`, REPOSITORY_ID), byName);
    await store.create(before('ghc-1-8', 1), byName);

    // Act
    await handleGithubWebhook(check('success', 11, { id: REPOSITORY_ID, fullName: NAME }), deps);

    // Assert
    expect(await recoveries.drain(deps)).toEqual([`ghc-${REPOSITORY_ID}-7`]);
    expect((await store.get('ghc-1-8'))?.status).toBe('received');
  });
});

describe("a green Actions run resolves its own repository's failures, by GitHub's id", () => {
  it('resolves a failure from before its repository was renamed', async () => {
    await handleGithubWebhook(run('failure', { id: REPOSITORY_ID, fullName: 'acme-old/checkout-service' }), deps);

    await handleGithubWebhook(run('success', { id: REPOSITORY_ID, fullName: NAME }), deps);

    expect(await recoveries.drain(deps)).toEqual([`gh-${REPOSITORY_ID}-11862439017-1`]);
  });

  it('resolves its failures recorded under the key by name from before', async () => {
    const byName = githubScope({ name: NAME, id: null }, 'feature/tax-rounding', 61835520, { repositoryId: REPOSITORY_ID, headRepositoryId: REPOSITORY_ID, event: 'pull_request' });
    await store.create(newIncident({ id: `gh-${REPOSITORY_ID}-5-1`, source: 'github', repository: NAME, repositoryId: REPOSITORY_ID, installationId: 51234987, failedAt: '2026-11-19T10:00:00Z' }, new Date('2026-11-19T10:00:00Z')), byName);

    await handleGithubWebhook(run('success', { id: REPOSITORY_ID, fullName: NAME }), deps);

    expect(await recoveries.drain(deps)).toEqual([`gh-${REPOSITORY_ID}-5-1`]);
  });
});
