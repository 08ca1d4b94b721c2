import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { GitHubRequestError } from '../../../shared/github/client.js';
import { FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const OLDER = '1111111111111111111111111111111111111111';
const HEAD = '2222222222222222222222222222222222222222';
const PULL_REQUEST = '3333333333333333333333333333333333333333';

describe('GitHub client: is a commit on a branch (compare API)', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    fake.branchCommits.set('main', [OLDER, HEAD]);
    fake.branchCommits.set('release/2.0', [OLDER]);
  });

  it('reads the head and its ancestors as on the branch, by their full SHA, one request each with the branch as the base', async () => {
    // Prepare
    const client = clientFor(fake);

    // Act
    const head = await client.commitOnBranch(repo, 'main', HEAD);
    const older = await client.commitOnBranch(repo, 'main', OLDER.slice(0, 7));

    // Assert: GitHub says identical and behind; the merge base names the commit in full
    expect([head, older]).toEqual([{ status: 'on_branch', sha: HEAD }, { status: 'on_branch', sha: OLDER }]);
    expect(fake.apiCalls()).toEqual([`GET /repos/octo/app/compare/main...${HEAD}?per_page=1`, `GET /repos/octo/app/compare/main...${OLDER.slice(0, 7)}?per_page=1`]);
  });

  it.each(['ahead', 'diverged'] as const)('reads a commit GitHub compares as %s as off the branch', async (status) => {
    // Prepare
    fake.offBranchCommits.set(PULL_REQUEST, status);

    // Act
    const membership = await clientFor(fake).commitOnBranch(repo, 'main', PULL_REQUEST);

    // Assert
    expect(membership).toEqual({ status: 'off_branch' });
  });

  it('names a branch with a slash as one path segment', async () => {
    // Act
    const membership = await clientFor(fake).commitOnBranch(repo, 'release/2.0', OLDER);

    // Assert
    expect(membership).toEqual({ status: 'on_branch', sha: OLDER });
    expect(fake.apiCalls()).toEqual([`GET /repos/octo/app/compare/release%2F2.0...${OLDER}?per_page=1`]);
  });

  it('reads 404 (no such commit or branch) as unknown', async () => {
    // Act
    const unknownCommit = await clientFor(fake).commitOnBranch(repo, 'main', 'deadbeef');
    const unknownBranch = await clientFor(fake).commitOnBranch(repo, 'trunk', HEAD);

    // Assert
    expect([unknownCommit, unknownBranch]).toEqual([{ status: 'unknown_commit' }, { status: 'unknown_commit' }]);
  });

  it('refuses a status it does not know rather than reading it as a yes', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/compare\//, reply: { status: 200, body: { status: 'on-main', ahead_by: 0 } } });

    // Act
    const error = await rejection(clientFor(fake).commitOnBranch(repo, 'main', HEAD));

    // Assert
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error.message).toContain('unexpected body');
  });

  it('refuses an answer whose merge base is not the commit asked about', async () => {
    // Prepare: "behind", but about another commit
    fake.fail({ method: 'GET', route: /\/compare\//, reply: { status: 200, body: { status: 'behind', merge_base_commit: { sha: OLDER } } } });

    // Act
    const error = await rejection(clientFor(fake).commitOnBranch(repo, 'main', HEAD.slice(0, 7)));

    // Assert
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error.message).toContain('not the commit asked about');
  });

  it('reports a rate limit as GitHub unavailable', async () => {
    // Prepare
    fake.fail({ method: 'GET', route: /\/compare\//, times: Infinity, reply: { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) }, body: { message: 'API rate limit exceeded' } } });

    // Act
    const limited = await rejection(clientFor(fake).commitOnBranch(repo, 'main', HEAD));

    // Assert
    expect(limited).toBeInstanceOf(GitHubUnavailableError);
    expect(limited.message).toContain('rate limit');
  });
});
