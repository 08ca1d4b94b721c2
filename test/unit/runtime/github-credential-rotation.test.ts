/**
 * A GitHub token kept in Secrets Manager and rotated there reaches a warm function within minutes (session 44;
 * KNOWN-DEFECTS: "secrets are read once per cold start, so rotation needs a cold start"). The composition root's
 * GitHub access (shared/runtime/deps.ts) with its real Secrets Manager reader and GitHub client, pointed at stand-ins
 * on loopback; the clock (Date only) is moved past the credential's age.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../shared/config.js';
import { createNonCommentingGitHub } from '../../../shared/runtime/deps.js';
import { SECRET_MAX_AGE_SECONDS } from '../../../shared/runtime/secrets.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-AbCdEf';
const REPO = { owner: 'acme', repo: 'app' };

/** The token the stand-in Secrets Manager holds now. */
let storedToken = 'ghp_firsttoken0000000000000000000000000';
const secretsManager = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ SecretString: storedToken })));
});
/** The Authorization header of each request GitHub's stand-in received. */
const authorizations: string[] = [];
const github = createServer((request, response) => {
  authorizations.push(String(request.headers.authorization));
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_count: 0, workflow_runs: [] })));
});

const urlOf = (server: ReturnType<typeof createServer>) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  await Promise.all([secretsManager, github].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', urlOf(secretsManager));
});

afterEach(() => vi.useRealTimers());

afterAll(() => {
  for (const server of [secretsManager, github]) {
    server.closeAllConnections();
    server.close();
  }
  vi.unstubAllEnvs();
});

describe('a GitHub token rotated in Secrets Manager (session 44)', () => {
  it('is used by a warm function once the value read before is older than SECRET_MAX_AGE_SECONDS, without a cold start', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const config = loadConfig({ ...process.env, GITHUB_TOKEN_SECRET_ARN: TOKEN_SECRET_ARN, GITHUB_API_URL: urlOf(github), INCIDENTS_TABLE: 'incidents' });
    const clients = await createNonCommentingGitHub(config);
    const latestRun = () => clients.forInstallation(null)!.latestSuccessfulRun(REPO, 1, 'main');
    await latestRun();
    expect(authorizations.at(-1)).toBe('token ghp_firsttoken0000000000000000000000000');

    // Rotated: the new token in the secret. Within the age, the token read before is still used.
    storedToken = 'ghp_secondtoken000000000000000000000000';
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS - 10) * 1000);
    await latestRun();
    expect(authorizations.at(-1)).toBe('token ghp_firsttoken0000000000000000000000000');

    // Past the age: the request that finds it due starts the re-read; the requests after it use the new token.
    vi.setSystemTime(Date.now() + 20_000);
    await latestRun();
    await vi.waitFor(async () => {
      await latestRun();
      expect(authorizations.at(-1)).toBe('token ghp_secondtoken000000000000000000000000');
    }, { timeout: 2_000, interval: 50 });
  });
});
