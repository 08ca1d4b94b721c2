import { describe, expect, it } from 'vitest';
import { GitHubUnavailableError } from '../../../shared/errors.js';
import { GITHUB_COMMENT_MAX_CHARS } from '../../../shared/domain/comment-limit.js';
import { GitHubRequestError } from '../../../shared/github/client.js';
import { BOT_LOGIN, FakeGitHub, clientFor, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const MARKER = '<!-- pipeline-guard:run=42 -->';
const commentsPath = '/repos/octo/app/issues/7/comments';

function posted(fake: FakeGitHub): string[] {
  return fake.requests.filter((r) => r.method !== 'GET').map((r) => (JSON.parse(r.body) as { body: string }).body);
}

describe('GitHub client: upsertComment', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('creates the comment when the bot has none yet', async () => {
    // Prepare
    fake.addComment(7, 'alice', 'Looks good to me');
    const client = clientFor(fake);
    const body = `${MARKER}\n### ❌ build failed`;

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, body);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`, `POST ${commentsPath}`]);
    expect(posted(fake)).toEqual([body]);
    const created = fake.comments.get(7)?.[1];
    expect(result).toEqual({
      outcome: 'created',
      commentId: created?.id,
      url: `https://github.com/octo/app/pull/1#issuecomment-${created?.id}`,
    });
  });

  it("finds its own comment among others as long as GitHub keeps them (262,144 UTF-8 bytes: 200,000 ASCII characters)", async () => {
    // Prepare
    fake.addComment(7, 'alice', 'x'.repeat(200_000));
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nold analysis`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew analysis`);

    // Assert
    expect(result).toMatchObject({ outcome: 'updated', commentId: mine.id });
  });

  it('updates the bot comment in place when the body changed', async () => {
    // Prepare
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nold analysis`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew analysis`);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`, `PATCH /repos/octo/app/issues/comments/${mine.id}`]);
    expect(result).toMatchObject({ outcome: 'updated', commentId: mine.id });
    expect(fake.comments.get(7)).toEqual([{ ...mine, body: `${MARKER}\nnew analysis` }]);
  });

  it('writes nothing when the body is unchanged', async () => {
    // Prepare
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nsame analysis`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nsame analysis`);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`]);
    expect(result).toMatchObject({ outcome: 'unchanged', commentId: mine.id });
  });

  it('ignores a comment by another user that copies the marker, and posts its own', async () => {
    // Prepare
    const hijack = fake.addComment(7, 'mallory[bot]', `${MARKER}\n[click here](https://evil.example)`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nreal analysis`);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`, `POST ${commentsPath}`]);
    expect(result.outcome).toBe('created');
    expect(fake.comments.get(7)?.[0]).toEqual(hijack);
  });

  it("updates its own comment even when an older copy of the marker by someone else comes first", async () => {
    // Prepare
    fake.addComment(7, 'mallory', `quoting: ${MARKER}`);
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nold`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew`);

    // Assert
    expect(result).toMatchObject({ outcome: 'updated', commentId: mine.id });
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`, `PATCH /repos/octo/app/issues/comments/${mine.id}`]);
  });

  it('finds its comment on a later page and stops listing there', async () => {
    // Prepare
    for (let i = 0; i < 120; i += 1) fake.addComment(7, 'alice', `comment ${i}`);
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nold`);
    for (let i = 0; i < 120; i += 1) fake.addComment(7, 'bob', `later ${i}`);
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew`);

    // Assert
    expect(result).toMatchObject({ outcome: 'updated', commentId: mine.id });
    expect(fake.apiCalls()).toEqual([
      `GET ${commentsPath}?per_page=100`,
      `GET ${commentsPath}?per_page=100&page=2`,
      `PATCH /repos/octo/app/issues/comments/${mine.id}`,
    ]);
  });

  it('creates once and then leaves the comment alone on a redelivered event', async () => {
    // Prepare
    const client = clientFor(fake);
    const body = `${MARKER}\nanalysis`;

    // Act
    const first = await client.upsertComment(repo, 7, MARKER, body);
    const second = await client.upsertComment(repo, 7, MARKER, body);

    // Assert
    expect(first.outcome).toBe('created');
    expect(second).toEqual({ ...first, outcome: 'unchanged' });
    expect(fake.comments.get(7)).toHaveLength(1);
  });

  it('does not post twice when GitHub stored the comment but answered 502', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/issues\/7\/comments$/, afterApplying: true, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    const client = clientFor(fake);
    const body = `${MARKER}\nanalysis`;

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, body);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `GET ${commentsPath}?per_page=100`,
      `POST ${commentsPath}`,
      `GET ${commentsPath}?per_page=100`,
    ]);
    expect(fake.comments.get(7)).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'created', commentId: fake.comments.get(7)?.[0]?.id });
  });

  it('does not post twice when the connection drops after GitHub stored the comment', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/issues\/7\/comments$/, afterApplying: true, kind: 'drop' });
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`);

    // Assert
    expect(fake.apiCalls().filter((c) => c.startsWith('POST'))).toHaveLength(1);
    expect(fake.comments.get(7)).toHaveLength(1);
    expect(result.outcome).toBe('created');
  });

  it('posts again after a 502 that did not store the comment, once checked', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/issues\/7\/comments$/, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `GET ${commentsPath}?per_page=100`,
      `POST ${commentsPath}`,
      `GET ${commentsPath}?per_page=100`,
      `POST ${commentsPath}`,
    ]);
    expect(fake.comments.get(7)).toHaveLength(1);
    expect(result.outcome).toBe('created');
  });

  it('gives up with GitHubUnavailableError when posting keeps failing, having created nothing', async () => {
    // Prepare
    fake.fail({ method: 'POST', route: /\/issues\/7\/comments$/, times: Infinity, reply: { status: 500, body: { message: 'Server Error' } } });
    const client = clientFor(fake, { retries: 1 });

    // Act
    const error = await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`));

    // Assert
    expect(error).toBeInstanceOf(GitHubUnavailableError);
    expect(fake.apiCalls().filter((c) => c.startsWith('POST'))).toHaveLength(2);
    expect(fake.comments.get(7)).toBeUndefined();
  });

  it('retries a POST refused by the secondary rate limit, which GitHub did not apply', async () => {
    // Prepare
    fake.fail({
      method: 'POST',
      route: /\/issues\/7\/comments$/,
      reply: { status: 403, headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit.' } },
    });
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nanalysis`);

    // Assert
    expect(fake.apiCalls()).toEqual([`GET ${commentsPath}?per_page=100`, `POST ${commentsPath}`, `POST ${commentsPath}`]);
    expect(result.outcome).toBe('created');
    expect(fake.comments.get(7)).toHaveLength(1);
  });

  it('creates a new comment when its old one was deleted between listing and editing', async () => {
    // Prepare
    const mine = fake.addComment(7, BOT_LOGIN, `${MARKER}\nold`);
    fake.fail({ method: 'PATCH', route: /\/issues\/comments\/\d+$/, reply: { status: 404, body: { message: 'Not Found' } } });
    const client = clientFor(fake);

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew`);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `GET ${commentsPath}?per_page=100`,
      `PATCH /repos/octo/app/issues/comments/${mine.id}`,
      `POST ${commentsPath}`,
    ]);
    expect(result.outcome).toBe('created');
  });

  it('discovers the bot login once with GET /user and caches it', async () => {
    // Prepare
    const client = clientFor(fake, { botLogin: undefined });

    // Act
    await client.upsertComment(repo, 7, MARKER, `${MARKER}\none`);
    const second = await client.upsertComment(repo, 7, MARKER, `${MARKER}\ntwo`);

    // Assert
    expect(fake.apiCalls().filter((c) => c === 'GET /user')).toHaveLength(1);
    expect(fake.apiCalls()[0]).toBe('GET /user');
    expect(second.outcome).toBe('updated');
  });

  it('explains how to fix it when the token cannot read /user', async () => {
    // Prepare
    fake.userStatus = 403;
    const client = clientFor(fake, { botLogin: undefined });

    // Act
    const error = await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nbody`));

    // Assert
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error.message).toContain('GITHUB_BOT_LOGIN');
    expect(fake.apiCalls()).toEqual(['GET /user']);
  });

  it('truncates a body over GitHub’s limit with a visible note and keeps the marker', async () => {
    // Prepare
    const client = clientFor(fake);
    const body = `### Failure\n${'x'.repeat(80_000)}\n${MARKER}`;

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, body);

    // Assert
    expect(result.outcome).toBe('created');
    const [sent] = posted(fake);
    expect(sent?.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARS);
    expect(sent).toContain('**Truncated:**');
    expect(sent?.endsWith(MARKER)).toBe(true);
  });

  it('appends the marker when the body lacks it, so the comment can be found again', async () => {
    // Prepare
    const client = clientFor(fake);

    // Act
    await client.upsertComment(repo, 7, MARKER, 'analysis without marker');
    const second = await client.upsertComment(repo, 7, MARKER, 'analysis without marker');

    // Assert
    expect(posted(fake)).toEqual([`analysis without marker\n\n${MARKER}`]);
    expect(second.outcome).toBe('unchanged');
  });

  it('refuses an empty marker', async () => {
    // Prepare
    const client = clientFor(fake);

    // Act
    const error = await rejection(client.upsertComment(repo, 7, '  ', 'body'));

    // Assert
    expect(error.name).toBe('ValidationError');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('GitHub client: commentOnCommit', () => {
  const SHA = '0123456789abcdef0123456789abcdef01234567';
  const commitComments = `/repos/octo/app/commits/${SHA}/comments`;
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
  });

  it('creates the comment once: asked again (a retry, a redelivery) it finds it and writes nothing, even with another body', async () => {
    const client = clientFor(fake);

    const first = await client.commentOnCommit(repo, SHA, MARKER, `${MARKER}\nfirst analysis`);
    const again = await client.commentOnCommit(repo, SHA, MARKER, `${MARKER}\nanother analysis`);

    expect(fake.apiCalls()).toEqual([`GET ${commitComments}?per_page=100`, `POST ${commitComments}`, `GET ${commitComments}?per_page=100`]);
    expect(fake.commitComments.get(SHA)?.map((c) => c.body)).toEqual([`${MARKER}\nfirst analysis`]);
    expect(first.outcome).toBe('created');
    expect(again).toEqual({ ...first, outcome: 'unchanged' });
  });

  it('does not post twice when GitHub stored the comment but answered 502', async () => {
    fake.fail({ method: 'POST', route: /\/commits\/[0-9a-f]+\/comments$/, afterApplying: true, reply: { status: 502, body: { message: 'Bad Gateway' } } });
    const client = clientFor(fake);

    const result = await client.commentOnCommit(repo, SHA, MARKER, `${MARKER}\nanalysis`);

    expect(fake.apiCalls()).toEqual([`GET ${commitComments}?per_page=100`, `POST ${commitComments}`, `GET ${commitComments}?per_page=100`]);
    expect(fake.commitComments.get(SHA)).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'created', commentId: fake.commitComments.get(SHA)?.[0]?.id });
  });

  it("posts its own beside someone else's comment that copies the marker", async () => {
    fake.commitComments.set(SHA, [{ id: 1, body: `${MARKER}\nnot ours`, user: { login: 'mallory' } }]);
    const client = clientFor(fake);

    const result = await client.commentOnCommit(repo, SHA, MARKER, `${MARKER}\nanalysis`);

    expect(result.outcome).toBe('created');
    expect(fake.commitComments.get(SHA)?.map((c) => c.user.login)).toEqual(['mallory', BOT_LOGIN]);
  });

  it('reports a refusal (an App without Contents read) as GitHubRequestError, for the caller to record', async () => {
    fake.refuseCommitComments = true;
    const client = clientFor(fake);

    await expect(client.commentOnCommit(repo, SHA, MARKER, `${MARKER}\nanalysis`)).rejects.toMatchObject({ name: 'GitHubRequestError', status: 403 });
  });
});
