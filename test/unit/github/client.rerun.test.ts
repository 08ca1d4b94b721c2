import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { GitHubRequestError } from '../../../shared/github/client.js';
import { FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const runPath = '/repos/octo/app/actions/runs/42';

describe('GitHub client: rerunFailedJobs', () => {
  let fake: FakeGitHub;
  let client: ReturnType<typeof clientFor>;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    fake.runs.set(42, { status: 'completed', run_attempt: 1 });
    client = clientFor(fake);
  });

  it('re-runs the failed jobs of a completed run', async () => {
    // Act
    const outcome = await client.rerunFailedJobs(repo, 42);

    // Assert
    expect(outcome).toBe('requested');
    expect(fake.apiCalls()).toEqual([`GET ${runPath}`, `POST ${runPath}/rerun-failed-jobs`]);
    expect(fake.runs.get(42)).toEqual({ status: 'queued', run_attempt: 2 });
  });

  it('asks GitHub for debug logging only when told to (enable_debug_logging in the body)', async () => {
    // Act
    await client.rerunFailedJobs(repo, 42, { expectedAttempt: 1, enableDebugLogging: true });
    fake.runs.set(42, { status: 'completed', run_attempt: 2 });
    await client.rerunFailedJobs(repo, 42, { expectedAttempt: 2 });

    // Assert
    const bodies = fake.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/rerun-failed-jobs')).map((r) => (r.body ? JSON.parse(r.body) : {}));
    expect(bodies).toHaveLength(2);
    expect(bodies[0]).toEqual({ enable_debug_logging: true });
    expect(bodies[1]).not.toHaveProperty('enable_debug_logging');
  });

  it('does not re-run a completed run that is already past the expected attempt (a retried step whose re-run finished)', async () => {
    // Prepare: our first try re-ran attempt 1, and attempt 2 has already completed by the time the step is retried.
    fake.runs.set(42, { status: 'completed', run_attempt: 2 });

    // Act
    const outcome = await client.rerunFailedJobs(repo, 42, { expectedAttempt: 1 });

    // Assert
    expect(outcome).toBe('already_rerun');
    expect(fake.apiCalls()).toEqual([`GET ${runPath}`]);
  });

  it('re-runs the expected attempt when it is still the latest', async () => {
    // Prepare
    fake.runs.set(42, { status: 'completed', run_attempt: 2 });

    // Act
    const outcome = await client.rerunFailedJobs(repo, 42, { expectedAttempt: 2 });

    // Assert
    expect(outcome).toBe('requested');
    expect(fake.reruns).toEqual([{ runId: 42, attempt: 3, installationId: null }]);
  });

  it('waits out a secondary rate limit (403 with retry-after) on the re-run, which GitHub did not apply, and re-runs once', async () => {
    // Prepare
    fake.fail({
      method: 'POST',
      route: /\/rerun-failed-jobs$/,
      reply: { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } },
    });

    // Act
    const outcome = await client.rerunFailedJobs(repo, 42, { expectedAttempt: 1 });

    // Assert
    expect(outcome).toBe('requested');
    expect(fake.reruns).toHaveLength(1);
    expect(fake.apiCalls().filter((c) => c.startsWith('POST'))).toHaveLength(2);
  });

  it('does nothing while the run is already being re-run (e.g. by an earlier try of the same step)', async () => {
    // Prepare
    fake.runs.set(42, { status: 'in_progress', run_attempt: 2 });

    // Act
    await client.rerunFailedJobs(repo, 42);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${runPath}`]);
  });

  it('does not re-run twice when GitHub applied the re-run but answered 502, and reports it as the one it requested', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/rerun-failed-jobs$/, afterApplying: true, reply: { status: 502, body: { message: 'Bad Gateway' } } });

    // Act
    const outcome = await client.rerunFailedJobs(repo, 42, { expectedAttempt: 1 });

    // Assert: not "already re-run" (somebody else's re-run, which Notify pages about).
    expect(outcome).toBe('requested');
    expect(fake.apiCalls()).toEqual([`GET ${runPath}`, `POST ${runPath}/rerun-failed-jobs`, `GET ${runPath}`]);
    expect(fake.runs.get(42)?.run_attempt).toBe(2);
  });

  it('re-runs after a 5xx that did not apply, once checked', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/rerun-failed-jobs$/, reply: { status: 500, body: { message: 'Server Error' } } });

    // Act
    await client.rerunFailedJobs(repo, 42);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `GET ${runPath}`,
      `POST ${runPath}/rerun-failed-jobs`,
      `GET ${runPath}`,
      `POST ${runPath}/rerun-failed-jobs`,
    ]);
    expect(fake.runs.get(42)?.run_attempt).toBe(2);
  });

  it('gives up with GitHubUnavailableError after bounded attempts', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/rerun-failed-jobs$/, times: Infinity, reply: { status: 503, body: { message: 'busy' } } });

    // Act
    const error = await rejection(client.rerunFailedJobs(repo, 42));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls().filter((c) => c.startsWith('POST'))).toHaveLength(3);
    expect(fake.runs.get(42)?.run_attempt).toBe(1);
  });

  it('reports a refusal as GitHubRequestError without retrying', async () => {
    // Prepare
    fake.fail({
      method: 'POST',
      route: /\/rerun-failed-jobs$/,
      reply: { status: 403, body: { message: 'Unable to re-run this workflow run because it was created over a month ago' } },
    });

    // Act
    const error = await rejection(client.rerunFailedJobs(repo, 42));

    // Assert
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error).toMatchObject({ status: 403 });
    expect(fake.apiCalls()).toEqual([`GET ${runPath}`, `POST ${runPath}/rerun-failed-jobs`]);
  });
});
