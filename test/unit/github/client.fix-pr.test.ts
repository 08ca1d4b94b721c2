import { describe, expect, it } from 'vitest';
import { FakeGitHub, clientFor } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const BASE = '9f2c4e1ab37d5c6e8f901b2a3c4d5e6f7a8b9c0d';
const request = {
  baseBranch: 'feature/tax', baseSha: BASE, branch: 'guard/fix-gh-1-2-1', title: 'Fix tax rounding', body: 'why',
  labels: ['autofix', 'needs-review'], commitMessage: 'Fix tax rounding\n\nProposed by Pipeline Guard for incident gh-1-2-1.',
  files: [{ path: 'src/tax.ts', content: 'export const rate = 0.19;\n' }, { path: 'src/old.ts', content: null }],
};

describe('GitHub client: fix pull requests', () => {
  let fake: FakeGitHub;
  let client: ReturnType<typeof clientFor>;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    client = clientFor(fake, { retries: 1 });
  });

  it('commits through the Git Data API, opens one labelled PR and never merges', async () => {
    const result = await client.createFixPullRequest(repo, request);

    expect(result).toEqual({ number: 5000, url: 'https://github.com/octo/app/pull/5000', outcome: 'created' });
    expect(fake.apiCalls()).toEqual([
      'GET /repos/octo/app/pulls?head=octo%3Aguard%2Ffix-gh-1-2-1&state=all&per_page=10',
      `GET /repos/octo/app/git/commits/${BASE}`,
      `GET /repos/octo/app/git/trees/${BASE}`,
      'POST /repos/octo/app/git/trees',
      'POST /repos/octo/app/git/commits',
      'POST /repos/octo/app/git/refs',
      'POST /repos/octo/app/pulls',
      'POST /repos/octo/app/issues/5000/labels',
    ]);
    const tree = [...fake.gitObjects.values()].find((o) => o.kind === 'trees');
    expect(tree?.tree).toEqual([
      { path: 'src/tax.ts', mode: '100644', type: 'blob', content: 'export const rate = 0.19;\n' },
      { path: 'src/old.ts', mode: '100644', type: 'blob', sha: null },
    ]);
    const commit = [...fake.gitObjects.values()].find((o) => o.kind === 'commits');
    expect(commit?.parents).toEqual([BASE]);
    expect(fake.pulls[0]).toMatchObject({ head: 'guard/fix-gh-1-2-1', base: 'feature/tax', title: 'Fix tax rounding' });
    expect(fake.issueLabels.get(5000)).toEqual(['autofix', 'needs-review']);
    expect(fake.requests.some((r) => /merge/.test(r.route) || r.method === 'PUT')).toBe(false);
  });

  it('lists every file at a commit by its path, not its folders, and says when GitHub cut the listing short', async () => {
    // Prepare
    fake.files.set(`.github/workflows/ci.yml@${BASE}`, 'on: push\n');
    fake.files.set(`.github/workflows/nested/x.yml@${BASE}`, 'on: push\n');
    fake.files.set(`README.md@${BASE}`, '# app\n');
    fake.files.set(`README.md@${'e'.repeat(40)}`, '# another commit\n');

    // Act
    const listed = await client.listAllFiles(repo, BASE);
    fake.truncatedTrees = true;
    const cut = await client.listAllFiles(repo, BASE);

    // Assert
    expect(listed).toEqual({ paths: ['.github/workflows/ci.yml', '.github/workflows/nested/x.yml', 'README.md'], complete: true });
    expect(fake.apiCalls()).toContain(`GET /repos/octo/app/git/trees/${BASE}?recursive=1`);
    expect(cut.complete).toBe(false);
  });

  it('keeps the mode of the files it changes: an executable script stays executable', async () => {
    fake.files.set(`scripts/release.sh@${BASE}`, '#!/bin/sh\nexit 1\n');
    fake.fileModes.set(`scripts/release.sh@${BASE}`, '100755');
    fake.files.set(`scripts/lib/common.sh@${BASE}`, 'x=1\n');
    fake.files.set(`src/tax.ts@${BASE}`, 'export const rate = 0.2;\n');

    await client.createFixPullRequest(repo, {
      ...request,
      files: [
        { path: 'scripts/release.sh', content: '#!/bin/sh\nexit 0\n' },
        { path: 'scripts/lib/common.sh', content: 'x=2\n' },
        { path: 'src/tax.ts', content: 'export const rate = 0.19;\n' },
        { path: 'src/new.ts', content: 'export {};\n' },
      ],
    });

    const tree = [...fake.gitObjects.values()].find((o) => o.kind === 'trees');
    expect((tree?.tree as Array<{ path: string; mode: string }>).map((e) => [e.path, e.mode])).toEqual([
      ['scripts/release.sh', '100755'],
      ['scripts/lib/common.sh', '100644'],
      ['src/tax.ts', '100644'],
      ['src/new.ts', '100644'],
    ]);
    // Each directory is listed once.
    expect(fake.apiCalls().filter((c) => c.includes('/git/trees/'))).toHaveLength(4);
  });

  it('refuses to write text over a symlink', async () => {
    fake.files.set(`src/tax.ts@${BASE}`, '../shared/tax.ts');
    fake.fileModes.set(`src/tax.ts@${BASE}`, '120000');

    await expect(client.createFixPullRequest(repo, request)).rejects.toThrow(/not a regular file/);
    expect(fake.gitObjects.size).toBe(0);
  });

  it('returns the existing PR when a retried step asks again', async () => {
    await client.createFixPullRequest(repo, request);

    const again = await client.createFixPullRequest(repo, request);

    expect(again.outcome).toBe('existing');
    expect(fake.pulls).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'POST' && r.route.endsWith('/pulls'))).toHaveLength(1);
  });

  it('moves its own branch when an earlier try created it but never opened the PR', async () => {
    fake.refs.set('refs/heads/guard/fix-gh-1-2-1', 'f'.repeat(40));

    const result = await client.createFixPullRequest(repo, request);

    expect(result.outcome).toBe('created');
    expect(fake.apiCalls()).toContain('PATCH /repos/octo/app/git/refs/heads%2Fguard%2Ffix-gh-1-2-1');
  });

  it('reads files at a commit, and null for a missing one; lists labels', async () => {
    fake.files.set(`src/tax.ts@${BASE}`, 'export const rate = 0.2;\n');
    fake.issueLabels.set(7, ['bug', 'guard:pause']);

    expect(await client.readFile(repo, 'src/tax.ts', BASE)).toBe('export const rate = 0.2;\n');
    expect(await client.readFile(repo, 'src/none.ts', BASE)).toBeNull();
    expect(await client.listIssueLabels(repo, 7)).toEqual(['bug', 'guard:pause']);
  });
});
