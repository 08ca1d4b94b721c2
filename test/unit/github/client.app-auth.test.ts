import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, WriteBudgetExhaustedError } from '../../../shared/errors.js';
import { createInstallationTokenCache, normalizePrivateKey } from '../../../shared/github/app-auth.js';
import { GitHubRequestError } from '../../../shared/github/client.js';
import { createGitHubClients, INSTALLATION_MISSING_TTL_MS, staticGitHubClients } from '../../../shared/github/clients.js';
import type { GitHubClients, GitHubPort, WriteLimiter } from '../../../shared/ports.js';
import { TEST_APP_ID, TEST_APP_SLUG, testAppKeys } from '../../support/app-keys.js';
import { FAKE_TOKEN, FakeGitHub, rejection } from '../../support/fake-github.js';
import { eachTestWithFakeGitHub } from './fake-server.js';

const repo = { owner: 'octo', repo: 'app' };
const MARKER = '<!-- pipeline-guard:incident-comment -->';
const INSTALLATION = 51234987;
const BOT = `${TEST_APP_SLUG}[bot]`;

function appClients(fake: FakeGitHub, overrides: Partial<Parameters<typeof createGitHubClients>[0]> = {}): GitHubClients {
  return createGitHubClients({
    auth: { kind: 'app', appId: TEST_APP_ID, privateKey: testAppKeys().privateKey },
    client: { baseUrl: fake.baseUrl, retries: 1, retryBaseDelayMs: 1, writeIntervalMs: 0 },
    ...overrides,
  });
}

function tokenExchanges(fake: FakeGitHub): string[] {
  return fake.apiCalls().filter((call) => call.includes('/access_tokens'));
}

describe('GitHub App authentication', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    // Prepare (shared): a GitHub with our App installed, one run and a PR with comments.
    fake.app = { id: TEST_APP_ID, slug: TEST_APP_SLUG, publicKey: testAppKeys().publicKey };
    fake.login = BOT;
    fake.runs.set(42, { status: 'completed', run_attempt: 1 });
  }, { prefix: '/api/v3' });

  it('exchanges a JWT for an installation token once and reuses it for later requests', async () => {
    // Prepare
    const client = appClients(fake).forInstallation(INSTALLATION) as GitHubPort;
    fake.jobs.set('42/1', [{ id: 1, name: 'test', conclusion: 'failure' }]);

    // Act
    await client.listFailedJobs(repo, 42, 1);
    await client.listFailedJobs(repo, 42, 1);

    // Assert
    expect(fake.apiCalls()).toEqual([
      `POST /api/v3/app/installations/${INSTALLATION}/access_tokens`,
      'GET /api/v3/repos/octo/app/actions/runs/42/attempts/1/jobs?per_page=100',
      'GET /api/v3/repos/octo/app/actions/runs/42/attempts/1/jobs?per_page=100',
    ]);
    const exchange = fake.requests.find((r) => r.route.endsWith('/access_tokens'));
    expect(exchange?.headers.authorization).toMatch(/^bearer eyJ/);
    const listings = fake.requests.filter((r) => r.route.endsWith('/jobs'));
    expect(listings.map((r) => fake.installationOf(r))).toEqual([INSTALLATION, INSTALLATION]);
  });

  it('gives each installation its own token and the same client on every call', async () => {
    // Prepare
    const clients = appClients(fake);

    // Act
    const first = clients.forInstallation(INSTALLATION) as GitHubPort;
    const second = clients.forInstallation(7) as GitHubPort;
    await first.rerunFailedJobs(repo, 42);
    fake.runs.set(42, { status: 'completed', run_attempt: 2 });
    await second.rerunFailedJobs(repo, 42);

    // Assert
    expect(clients.forInstallation(INSTALLATION)).toBe(first);
    expect(tokenExchanges(fake)).toEqual([
      `POST /api/v3/app/installations/${INSTALLATION}/access_tokens`,
      'POST /api/v3/app/installations/7/access_tokens',
    ]);
    expect(fake.reruns.map((r) => r.installationId)).toEqual([INSTALLATION, 7]);
  });

  it('fetches a new installation token when the cached one is about to expire', async () => {
    // Prepare: the cache's clock is ours; GitHub's tokens live an hour.
    let now = new Date();
    const clients = appClients(fake, { tokenCache: createInstallationTokenCache({ clock: () => now }) });
    const client = clients.forInstallation(INSTALLATION) as GitHubPort;
    fake.commitPulls.set('abc1234', []);
    await client.findPullRequestsForCommit(repo, 'abc1234', null);

    // Act: 54 minutes later the token is still good; at 56 it is within the 5-minute margin of its expiry.
    now = new Date(now.getTime() + 54 * 60_000);
    await client.findPullRequestsForCommit(repo, 'abc1234', null);
    now = new Date(now.getTime() + 2 * 60_000);
    await client.findPullRequestsForCommit(repo, 'abc1234', null);

    // Assert
    expect(tokenExchanges(fake)).toHaveLength(2);
    const used = fake.requests.filter((r) => r.route.endsWith('/pulls')).map((r) => r.headers.authorization);
    expect(used[0]).toBe(used[1]);
    expect(used[2]).not.toBe(used[1]);
  });

  it('finds its own comment as <app-slug>[bot], learned from GET /app (installation tokens cannot read /user)', async () => {
    // Prepare
    fake.userStatus = 403;
    fake.addComment(7, 'copycat[bot]', `${MARKER}\nnot ours`);
    const ours = fake.addComment(7, BOT, `${MARKER}\nold`);
    const client = appClients(fake).forInstallation(INSTALLATION) as GitHubPort;

    // Act
    const result = await client.upsertComment(repo, 7, MARKER, `${MARKER}\nnew`);

    // Assert
    expect(result).toMatchObject({ outcome: 'updated', commentId: ours.id });
    expect(await client.botLogin()).toBe(BOT);
    const calls = fake.apiCalls();
    expect(calls.filter((c) => c === 'GET /api/v3/app')).toHaveLength(1);
    expect(calls.some((c) => c.startsWith('GET /api/v3/user'))).toBe(false);
    expect(calls.filter((c) => c.startsWith('POST') && c.endsWith('/comments'))).toHaveLength(0);
  });

  it('reports an App key GitHub does not accept as a GitHubRequestError (401), without leaking the JWT', async () => {
    // Prepare
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const client = createGitHubClients({
      auth: { kind: 'app', appId: TEST_APP_ID, privateKey },
      client: { baseUrl: fake.baseUrl, retries: 0, retryBaseDelayMs: 1, writeIntervalMs: 0 },
    }).forInstallation(INSTALLATION) as GitHubPort;

    // Act
    const error = await rejection(client.listAnnotations(repo, 5));

    // Assert
    expect(error).toBeInstanceOf(GitHubRequestError);
    expect(error).toMatchObject({ status: 401 });
    expect(error.message).not.toMatch(/eyJ/);
  });

  it('has no client for an event without an installation when acting as an App; a token serves every installation', () => {
    // Act
    const app = appClients(fake);
    const token = createGitHubClients({ auth: { kind: 'token', token: FAKE_TOKEN }, client: { baseUrl: fake.baseUrl } });

    // Assert
    expect(app.forInstallation(null)).toBeNull();
    expect(token.forInstallation(null)).not.toBeNull();
    expect(token.forInstallation(INSTALLATION)).toBe(token.forInstallation(null));
    expect(staticGitHubClients(null).forInstallation(INSTALLATION)).toBeNull();
  });

  it('looks up the installation of a repository with the App JWT, once, for deliveries that name none', async () => {
    fake.repositoryInstallations.set('octo/app', INSTALLATION);
    const app = appClients(fake);

    const found = [await app.installationFor?.(repo), await app.installationFor?.(repo)];
    const missing = await app.installationFor?.({ owner: 'octo', repo: 'elsewhere' });

    expect(found).toEqual([INSTALLATION, INSTALLATION]);
    expect(missing).toBeNull();
    expect(fake.apiCalls().filter((c) => c.endsWith('/installation'))).toEqual([
      'GET /api/v3/repos/octo/app/installation',
      'GET /api/v3/repos/octo/elsewhere/installation',
    ]);
  });
  it('asks again about a repository without the App after a few minutes, so a later installation is picked up', async () => {
    let clock = 1_000_000;
    const app = appClients(fake, { now: () => clock });
    const lookups = () => fake.apiCalls().filter((c) => c.endsWith('/octo/app/installation')).length;

    const before = await app.installationFor?.(repo);
    fake.repositoryInstallations.set('octo/app', INSTALLATION);
    const stillRemembered = await app.installationFor?.(repo);
    clock += INSTALLATION_MISSING_TTL_MS + 1;
    const after = await app.installationFor?.(repo);
    clock += INSTALLATION_MISSING_TTL_MS + 1;
    const found = await app.installationFor?.(repo);

    expect([before, stillRemembered, after, found]).toEqual([null, null, INSTALLATION, INSTALLATION]);
    expect(lookups()).toBe(2);
  });
});

describe('shared write budget in the client', () => {
  let fake: FakeGitHub;

  eachTestWithFakeGitHub((started) => {
    fake = started;
    fake.runs.set(42, { status: 'completed', run_attempt: 1 });
  });

  it('takes one unit per content-creating request and none for reads', async () => {
    // Prepare
    const taken: string[] = [];
    const limiter: WriteLimiter = { async acquire(kind) { taken.push(kind); } };
    const client = createGitHubClients({
      auth: { kind: 'token', token: FAKE_TOKEN },
      client: { baseUrl: fake.baseUrl, botLogin: 'pipeline-guard[bot]', retries: 0, writeIntervalMs: 0 },
      writeLimiter: () => limiter,
    }).forInstallation(null) as GitHubPort;

    // Act
    await client.upsertComment(repo, 7, MARKER, `${MARKER}\nfirst`);
    await client.upsertComment(repo, 7, MARKER, `${MARKER}\nsecond`);
    await client.upsertComment(repo, 7, MARKER, `${MARKER}\nsecond`);
    await client.rerunFailedJobs(repo, 42, { expectedAttempt: 1 });

    // Assert
    expect(taken).toEqual(['comment', 'comment', 'rerun']);
  });

  it('sends nothing when the budget is spent, and lets the retryable error through', async () => {
    // Prepare
    const limiter: WriteLimiter = {
      async acquire() {
        throw new WriteBudgetExhaustedError('GitHub write budget spent for token');
      },
    };
    const client = createGitHubClients({
      auth: { kind: 'token', token: FAKE_TOKEN },
      client: { baseUrl: fake.baseUrl, botLogin: 'pipeline-guard[bot]', retries: 2, retryBaseDelayMs: 1, writeIntervalMs: 0 },
      writeLimiter: () => limiter,
    }).forInstallation(null) as GitHubPort;

    // Act
    const commentError = await rejection(client.upsertComment(repo, 7, MARKER, `${MARKER}\nbody`));
    const rerunError = await rejection(client.rerunFailedJobs(repo, 42));

    // Assert
    expect(commentError.name).toBe('WriteBudgetExhaustedError');
    expect(rerunError.name).toBe('WriteBudgetExhaustedError');
    expect(fake.apiCalls().filter((c) => !c.startsWith('GET'))).toEqual([]);
  });
});

describe('normalizePrivateKey', () => {
  it('accepts the .pem content, and the same key squeezed onto one line with literal \\n', () => {
    // Prepare
    const pem = testAppKeys().privateKey;

    // Act
    const oneLine = normalizePrivateKey(pem.trim().replace(/\n/g, '\\n'));

    // Assert
    expect(oneLine).toBe(normalizePrivateKey(pem));
    expect(oneLine.startsWith('-----BEGIN RSA PRIVATE KEY-----\n')).toBe(true);
  });

  it('fails at start naming the setting when the value is not an RSA private key', () => {
    expect(() => normalizePrivateKey('-----BEGIN RSA PRIVATE KEY-----', 'GITHUB_APP_PRIVATE_KEY_SECRET_ARN')).toThrow(ConfigError);
    expect(() => normalizePrivateKey('not a key')).toThrow(/GITHUB_APP_PRIVATE_KEY is not a PEM private key/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    expect(() => normalizePrivateKey(ec.privateKey)).toThrow(/must be an RSA key/);
  });
});
