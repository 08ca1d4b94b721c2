import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { createGitHubClient, GitHubRequestError } from '../../../shared/github/client.js';
import { FAKE_TOKEN, FakeGitHub, type FakeJob, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

type GitHubClient = ReturnType<typeof clientFor>;

const repo = { owner: 'octo', repo: 'app' };
const jobsPath = '/repos/octo/app/actions/runs/42/attempts/1/jobs';

function jobs(count: number, conclusionOf: (i: number) => string | null): FakeJob[] {
  return Array.from({ length: count }, (_, i) => ({ id: 5000 + i, name: `job ${i}`, conclusion: conclusionOf(i) }));
}

describe('GitHub client: listings', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('lists the failed jobs of a run attempt across pages, keeping only failing conclusions', async () => {
    // Prepare
    const conclusions = ['success', 'failure', 'timed_out', 'cancelled', 'startup_failure', 'skipped', null];
    fake.jobs.set('42/1', jobs(150, (i) => conclusions[i % conclusions.length] ?? null));
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${jobsPath}?per_page=100`, `GET ${jobsPath}?per_page=100&page=2`]);
    expect(failed.map((j) => j.conclusion)).not.toContain('success');
    expect(new Set(failed.map((j) => j.conclusion))).toEqual(new Set(['failure', 'timed_out', 'cancelled', 'startup_failure']));
    expect(failed).toHaveLength(86);
    expect(failed[0]).toEqual({
      id: 5001,
      name: 'job 1',
      htmlUrl: 'https://github.com/o/r/actions/runs/42/job/5001',
      conclusion: 'failure',
      checkRunId: 5001,
      steps: [],
    });
  });

  it("keeps each job's steps as the jobs API lists them, and lists a green run's succeeded jobs", async () => {
    // Prepare: the step fields of GitHub's documented job object (GET /repos/{owner}/{repo}/actions/jobs/{job_id}).
    const steps = [
      { name: 'Set up job', status: 'completed', conclusion: 'success', number: 1, started_at: '2020-01-20T09:42:40.000-08:00', completed_at: '2020-01-20T09:42:41.000-08:00' },
      { name: 'Run tests', status: 'completed', conclusion: 'failure', number: 3, started_at: '2020-01-20T09:42:43.000-08:00', completed_at: '2020-01-20T09:42:59.000-08:00' },
    ];
    fake.jobs.set('42/1', [
      { id: 7001, name: 'test', conclusion: 'failure', steps },
      { id: 7002, name: 'lint', conclusion: 'success' },
    ]);
    const client = clientFor(fake);
    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);
    const green = await client.listSucceededJobs(repo, 42, 1);
    // Assert
    expect(failed[0]?.steps).toEqual([
      { number: 1, name: 'Set up job', conclusion: 'success', startedAt: '2020-01-20T09:42:40.000-08:00', completedAt: '2020-01-20T09:42:41.000-08:00' },
      { number: 3, name: 'Run tests', conclusion: 'failure', startedAt: '2020-01-20T09:42:43.000-08:00', completedAt: '2020-01-20T09:42:59.000-08:00' },
    ]);
    expect(green.map((j) => j.name)).toEqual(['lint']);
  });

  it("finds a workflow's newest successful run on a branch", async () => {
    // Prepare
    fake.workflowRuns.set(161335, [
      { id: 903, run_attempt: 1, head_branch: 'feature', conclusion: 'success' },
      { id: 902, run_attempt: 2, head_branch: 'main', conclusion: 'success' },
      { id: 901, run_attempt: 1, head_branch: 'main', conclusion: 'failure' },
    ]);
    const client = clientFor(fake);
    // Act
    const found = await client.latestSuccessfulRun(repo, 161335, 'main');
    const none = await client.latestSuccessfulRun(repo, 161335, 'release');
    // Assert
    expect(found).toEqual({ id: 902, attempt: 2 });
    expect(none).toBeNull();
    expect(await client.latestCompletedRun(repo, 161335, 'main')).toEqual({ id: 902, attempt: 2, conclusion: 'success', url: null });
    fake.workflowRuns.get(161335)?.unshift({ id: 904, run_attempt: 1, head_branch: 'main', conclusion: 'failure', html_url: 'https://github.com/octo/app/actions/runs/904' });
    expect(await client.latestCompletedRun(repo, 161335, 'main')).toEqual({ id: 904, attempt: 1, conclusion: 'failure', url: 'https://github.com/octo/app/actions/runs/904' });
    expect(fake.apiCalls()[0]).toBe('GET /repos/octo/app/actions/workflows/161335/runs?branch=main&status=success&exclude_pull_requests=true&per_page=20');
  });

  it("skips a fork's pull request run from a branch of the same name: its log is the fork author's", async () => {
    // Prepare: the newest green run "on main" is a fork's pull request from the fork's own main
    fake.workflowRuns.set(161335, [
      { id: 906, run_attempt: 1, head_branch: 'main', conclusion: 'success', head_repository_id: 829371044 },
      { id: 905, run_attempt: 1, head_branch: 'main', conclusion: 'success' },
    ]);
    const client = clientFor(fake);

    // Act
    const found = await client.latestSuccessfulRun(repo, 161335, 'main');

    // Assert
    expect(found).toEqual({ id: 905, attempt: 1 });
  });

  it('skips a green run that may have run a fork\'s code as ours: an issue_comment, pull_request_target or workflow_run run', async () => {
    // Prepare: the newest green runs "on main" were started by a comment on a pull request, by pull_request_target
    // and by workflow_run: GitHub names this repository as their head, yet each may run an outsider's code
    fake.workflowRuns.set(161335, [
      { id: 909, run_attempt: 1, head_branch: 'main', conclusion: 'success', event: 'issue_comment' },
      { id: 908, run_attempt: 1, head_branch: 'main', conclusion: 'success', event: 'pull_request_target' },
      { id: 907, run_attempt: 1, head_branch: 'main', conclusion: 'failure', event: 'workflow_run' },
      { id: 905, run_attempt: 1, head_branch: 'main', conclusion: 'success', event: 'push' },
    ]);
    const client = clientFor(fake);

    // Act
    const green = await client.latestSuccessfulRun(repo, 161335, 'main');
    const completed = await client.latestCompletedRun(repo, 161335, 'main');

    // Assert: the green-run baseline and the base branch's state come from the push
    expect(green).toEqual({ id: 905, attempt: 1 });
    expect(completed?.id).toBe(905);
  });

  it('sends the token, a user agent and the pinned API version', async () => {
    // Prepare
    fake.jobs.set('42/1', []);
    const client = clientFor(fake, { userAgent: 'guard-test/1.0' });

    // Act
    await client.listFailedJobs(repo, 42, 1);

    // Assert
    const [request] = fake.requests;
    expect(request?.headers.authorization).toBe(`token ${FAKE_TOKEN}`);
    expect(request?.headers['user-agent']).toMatch(/^guard-test\/1\.0 /);
    expect(request?.headers['x-github-api-version']).toBe('2022-11-28');
  });

  it('stops paginating at its page bound', async () => {
    // Prepare
    fake.jobs.set('42/1', jobs(1_250, () => 'failure'));
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toHaveLength(10);
    expect(failed).toHaveLength(1_000);
  });

  it('lists check-run annotations', async () => {
    // Prepare
    fake.annotations.set(777, [
      { path: 'src/a.test.ts', start_line: 12, annotation_level: 'failure', message: 'expected 1 to be 2' },
      { path: '.github', start_line: 1, annotation_level: 'warning', message: 'Node 16 is deprecated' },
    ]);
    const client = clientFor(fake);

    // Act
    const annotations = await client.listAnnotations(repo, 777);

    // Assert
    expect(fake.apiCalls()).toEqual(['GET /repos/octo/app/check-runs/777/annotations?per_page=100']);
    expect(annotations).toEqual([
      { path: 'src/a.test.ts', startLine: 12, level: 'failure', message: 'expected 1 to be 2' },
      { path: '.github', startLine: 1, level: 'warning', message: 'Node 16 is deprecated' },
    ]);
  });

  it("keeps an annotation message at GitHub's limit: 65,535 characters, astral ones two UTF-16 units each", async () => {
    // Prepare
    const message = '😀'.repeat(65_535);
    fake.annotations.set(777, [{ path: 'src/a.ts', start_line: 1, annotation_level: 'failure', message }]);
    const client = clientFor(fake);
    // Act
    const annotations = await client.listAnnotations(repo, 777);
    // Assert
    expect(annotations[0]?.message).toHaveLength(131_070);
  });

  it.each([
    ['an annotation message', /\/annotations$/, [{ path: 'a.ts', start_line: 1, annotation_level: 'failure', message: 'x'.repeat(131_073) }], (client: GitHubClient) => client.listAnnotations(repo, 777)],
    ['an annotation path', /\/annotations$/, [{ path: 'a/'.repeat(2049), start_line: 1, annotation_level: 'failure', message: 'm' }], (client: GitHubClient) => client.listAnnotations(repo, 777)],
    ["a job's name", /\/jobs$/, { jobs: [{ id: 1, name: 'n'.repeat(1001), conclusion: 'failure' }] }, (client: GitHubClient) => client.listFailedJobs(repo, 42, 1)],
    ["a job's address", /\/jobs$/, { jobs: [{ id: 1, name: 'test', html_url: `https://github.com/${'o'.repeat(2000)}`, conclusion: 'failure' }] }, (client: GitHubClient) => client.listFailedJobs(repo, 42, 1)],
    ["a job's conclusion", /\/jobs$/, { jobs: [{ id: 1, name: 'test', conclusion: 'f'.repeat(51) }] }, (client: GitHubClient) => client.listFailedJobs(repo, 42, 1)],
    ["a pull request's head", /\/pulls$/, [{ number: 1, state: 'open', head: { sha: 'a'.repeat(65) } }], (client: GitHubClient) => client.findPullRequestsForCommit(repo, 'a'.repeat(40), null)],
  ])('refuses %s longer than GitHub allows, as an unexpected answer', async (_field, route, body, list) => {
    // Prepare
    fake.fail({ method: 'GET', route, reply: { status: 200, body } });
    const client = clientFor(fake);
    // Act
    const error = await rejection(list(client));
    // Assert
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 200 });
    expect(error.message).toContain('unexpected body');
  });

  it('finds the open pull requests whose head is the commit', async () => {
    // Prepare
    const sha = 'abc123def4567890abc123def4567890abc123de';
    fake.commitPulls.set(sha, [
      { number: 7, state: 'open', head: { sha } },
      { number: 3, state: 'closed', head: { sha } },
      { number: 9, state: 'open', head: { sha: 'fff123def4567890abc123def4567890abc123de' } },
    ]);
    const client = clientFor(fake);

    // Act
    const found = await client.findPullRequestsForCommit(repo, sha, null);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET /repos/octo/app/commits/${sha}/pulls?per_page=100`]);
    expect(found).toEqual([{ number: 7, headRepositoryId: null }]);
  });

  it("keeps only the pull requests from the run's head repository: a stranger's fork can open one at the same commit", async () => {
    // Prepare
    const sha = 'abc123def4567890abc123def4567890abc123de';
    fake.commitPulls.set(sha, [
      { number: 11, state: 'open', head: { sha, repo: { id: 555 } } },
      { number: 12, state: 'open', head: { sha, repo: { id: 42 } } },
      { number: 13, state: 'open', head: { sha, repo: null } },
    ]);
    const client = clientFor(fake);

    // Act
    const own = await client.findPullRequestsForCommit(repo, sha, 42);
    const unknownHead = await client.findPullRequestsForCommit(repo, sha, null);

    // Assert
    expect(own).toEqual([{ number: 12, headRepositoryId: 42 }]);
    expect(unknownHead).toEqual([
      { number: 11, headRepositoryId: 555 },
      { number: 12, headRepositoryId: 42 },
      { number: 13, headRepositoryId: null },
    ]);
  });

  it('answers no pull requests for a commit GitHub does not know (422)', async () => {
    // Prepare
    const client = clientFor(fake);

    // Act
    const found = await client.findPullRequestsForCommit(repo, 'deadbeef', null);

    // Assert
    expect(found).toEqual([]);
  });

  it('works against GitHub Enterprise Server with a path prefix, including pagination', async () => {
    // Prepare
    await fake.close();
    fake = await FakeGitHub.start({ prefix: '/api/v3' });
    fake.jobs.set('42/1', jobs(101, (i) => (i === 100 ? 'failure' : 'success')));
    const client = clientFor(fake, { baseUrl: `${fake.baseUrl}/` });

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `GET /api/v3${jobsPath}?per_page=100`,
      `GET /api/v3${jobsPath}?per_page=100&page=2`,
    ]);
    expect(failed.map((j) => j.id)).toEqual([5100]);
  });
});

describe('GitHub client: failures and retries', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    fake.jobs.set('42/1', jobs(2, (i) => (i === 0 ? 'failure' : 'success')));
  });

  it('retries a 5xx and then succeeds', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${jobsPath}?per_page=100`, `GET ${jobsPath}?per_page=100`]);
    expect(failed.map((j) => j.id)).toEqual([5000]);
  });

  it('retries a dropped connection and then succeeds', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, kind: 'drop' });
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toHaveLength(2);
    expect(failed).toHaveLength(1);
  });

  it('gives up on a persistent 5xx after its bounded retries with GitHubUnavailableError', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, times: Infinity, reply: { status: 503, body: { message: 'Service Unavailable' } } });
    const client = clientFor(fake, { retries: 2 });

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(fake.apiCalls()).toHaveLength(3);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.name).toBe('GitHubUnavailableError');
    expect(error.message).toContain('list jobs of run 42 attempt 1 in octo/app');
    expect(error.cause).toMatchObject({ status: 503 });
  });

  it('waits out a secondary rate limit (403 with retry-after) and then succeeds', async () => {
    // Prepare
    fake.fail({
      method: 'GET',
      route: /\/jobs$/,
      reply: {
        status: 403,
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
      },
    });
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${jobsPath}?per_page=100`, `GET ${jobsPath}?per_page=100`]);
    expect(failed).toHaveLength(1);
  });

  it('reports a persistent secondary rate limit as GitHubUnavailableError', async () => {
    // Prepare
    fake.fail({
      method: 'GET',
      route: /\/jobs$/,
      times: Infinity,
      reply: { status: 429, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } },
    });
    const client = clientFor(fake, { retries: 1 });

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(fake.apiCalls()).toHaveLength(2);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(error.message).toContain('rate limited');
  });

  it('waits out a primary rate limit that resets soon', async () => {
    // Prepare
    fake.fail({
      method: 'GET',
      route: /\/jobs$/,
      reply: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
        body: { message: 'API rate limit exceeded for installation ID 1.' },
      },
    });
    const client = clientFor(fake);

    // Act
    const failed = await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toHaveLength(2);
    expect(failed).toHaveLength(1);
  });

  it('fails fast when the primary rate limit resets too far ahead, leaving the backoff to the state machine', async () => {
    // Prepare
    fake.fail({
      method: 'GET',
      route: /\/jobs$/,
      reply: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3_600) },
        body: { message: 'API rate limit exceeded for installation ID 1.' },
      },
    });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(fake.apiCalls()).toHaveLength(1);
    expect(error).toBeInstanceOf(GitHubUnavailableError);
  });

  it('does not retry a 403 for a missing permission and names it GitHubRequestError', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, reply: { status: 403, body: { message: 'Resource not accessible by integration' } } });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(fake.apiCalls()).toHaveLength(1);
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 403 });
    expect(error.message).toBe(
      'GitHub refused (403): list jobs of run 42 attempt 1 in octo/app: Resource not accessible by integration (the App or token lacks the permission this request needs: see the permission table under "GitHub" in the README)',
    );
  });

  it('reports bad credentials once, without the token anywhere in the error', async () => {
    // Prepare
    const wrongToken = 'ghp_wrongTokenThatMustNotLeak123';
    const client = clientFor(fake, { token: wrongToken });

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(fake.apiCalls()).toHaveLength(1);
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 401 });
    expect(error.message).toMatch(
      /: Bad credentials - https:\/\/docs\.github\.com\/rest \(GitHub did not accept the credential: check the token, GITHUB_TOKEN or in AWS the GitHubTokenSecretArn secret, or the App id and its private key\)$/,
    );
    expect(error.message).not.toContain(wrongToken);
    expect(error.stack ?? '').not.toContain(wrongToken);
    const cause = error.cause as { request?: { headers?: Record<string, string> } };
    expect(cause.request?.headers?.authorization).toBe('token [REDACTED]');
  });

  it('scrubs the token even when GitHub quotes it back in a message', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, reply: { status: 422, body: { message: `token ${FAKE_TOKEN} is not valid here` } } });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 422 });
    expect(error.message).toContain('token [REDACTED] is not valid here');
    expect(error.message).not.toContain(FAKE_TOKEN);
  });

  it('reads one kind of reaction on a comment across pages, up to the limit (only the first page was read before)', async () => {
    // Prepare: 150 👍 and a 👎, the maintainer's 👍 the last of them
    const createdAt = '2026-11-20T10:05:00Z';
    fake.reactions.set(99, [
      ...Array.from({ length: 149 }, (_, i) => ({ content: '+1', created_at: createdAt, user: { login: `drive-by-${i}`, type: 'User' } })),
      { content: '-1', created_at: createdAt, user: { login: 'lee', type: 'User' } },
      { content: '+1', created_at: createdAt, user: { login: 'maya', type: 'User' } },
    ]);
    const client = clientFor(fake);
    const path = '/repos/octo/app/issues/comments/99/reactions';

    // Act
    const ups = await client.listCommentReactions(repo, 99, '+1', 500);
    const callsForAll = fake.apiCalls().length;
    const firstHundred = await client.listCommentReactions(repo, 99, '+1', 100);

    // Assert
    expect(ups).toHaveLength(150);
    expect(ups.at(-1)).toEqual({ user: 'maya', content: '+1', userType: 'User', createdAt });
    expect(fake.apiCalls().slice(0, callsForAll)).toEqual([`GET ${path}?content=%2B1&per_page=100`, `GET ${path}?content=%2B1&per_page=100&page=2`]);
    expect(firstHundred).toHaveLength(100);
    expect(fake.apiCalls()).toHaveLength(callsForAll + 1);
  });

  it("lists the collaborators with each one's role, and says whether the list was read to its end", async () => {
    // Prepare
    fake.permissions.set('lee', 'admin');
    fake.permissions.set('maya', 'maintain');
    fake.permissions.set('sam', 'write');
    fake.permissions.set('tri', 'triage');
    fake.permissions.set('rae', 'read');
    for (let i = 0; i < 100; i += 1) fake.permissions.set(`member-${i}`, 'read');
    const client = clientFor(fake);

    // Act
    const all = await client.listCollaborators(repo, 1000);
    const first = await client.listCollaborators(repo, 100);

    // Assert
    expect(all.complete).toBe(true);
    expect(all.collaborators.slice(0, 5)).toEqual([
      { login: 'lee', role: 'admin' },
      { login: 'maya', role: 'maintain' },
      { login: 'sam', role: 'write' },
      { login: 'tri', role: 'triage' },
      { login: 'rae', role: 'read' },
    ]);
    expect(all.collaborators).toHaveLength(105);
    expect(first).toMatchObject({ complete: false, collaborators: { length: 100 } });
    expect(fake.apiCalls()[0]).toBe('GET /repos/octo/app/collaborators?affiliation=all&per_page=100');
  });

  it("takes a custom role's base permission from the collaborator's flags, as the permission endpoint's base permission", async () => {
    // Prepare: GitHub names the custom role; only its flags say it writes
    fake.fail({
      method: 'GET',
      route: /\/collaborators$/,
      reply: { status: 200, body: [{ login: 'rel', role_name: 'release-manager', permissions: { admin: false, maintain: false, push: true, triage: true, pull: true } }, { login: 'ghost', role_name: null, permissions: null }] },
    });
    const client = clientFor(fake);

    // Act
    const listed = await client.listCollaborators(repo, 1000);

    // Assert
    expect(listed.collaborators).toEqual([{ login: 'rel', role: 'write' }, { login: 'ghost', role: 'none' }]);
  });

  it('rejects a body that is not shaped like the API answer as GitHubRequestError', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/jobs$/, reply: { status: 200, body: { unexpected: true } } });
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.listFailedJobs(repo, 42, 1));

    // Assert
    expect(error).toMatchObject({ name: 'GitHubRequestError', status: 200 });
    expect(error.message).toContain('unexpected body');
  });
});

describe('GitHub client: configuration', () => {
  it('refuses an empty token and a malformed base URL with the variable name', () => {
    // Prepare
    const base = { retries: 0 };

    // Act / Assert
    expect(() => createGitHubClient({ ...base, token: ' ' })).toThrow(/GITHUB_TOKEN/);
    expect(() => createGitHubClient({ ...base, token: 't', baseUrl: 'not a url' })).toThrow(/GITHUB_API_URL/);
    expect(() => createGitHubClient({ ...base, token: 't', baseUrl: 'ftp://ghe.example.com' })).toThrow(/GITHUB_API_URL/);
  });
});

describe('GitHub client: reactions', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('reacts to a comment once, however often it is asked', async () => {
    const client = clientFor(fake);

    await client.addCommentReaction(repo, 77, '+1');
    await client.addCommentReaction(repo, 77, '+1');

    expect(fake.apiCalls()).toEqual(['POST /repos/octo/app/issues/comments/77/reactions', 'POST /repos/octo/app/issues/comments/77/reactions']);
    expect(fake.requests.map((r) => JSON.parse(r.body || '{}'))).toEqual([{ content: '+1' }, { content: '+1' }]);
    expect(fake.reactions.get(77)).toEqual([{ content: '+1', user: { login: 'pipeline-guard[bot]', type: 'Bot' } }]);
  });
});
