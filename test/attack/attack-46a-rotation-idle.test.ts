/**
 * Attack pass 46a (session 44), GitHub credential rotation of a warm function left idle (shared/github/rotating-clients.ts,
 * wired in shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and
 * GitHub client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createNonCommentingGitHub } from '../../shared/runtime/deps.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aIdl';
const REPO = { owner: 'acme', repo: 'app' };
const TOKEN = 'ghp_attack46aidlefirst0000000000000000';

/** The token the stand-in Secrets Manager holds now. */
let storedToken = TOKEN;
const secretsManager = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ SecretString: storedToken }));
  });
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

afterEach(() => {
  vi.useRealTimers();
  storedToken = TOKEN;
});

afterAll(() => {
  for (const server of [secretsManager, github]) {
    server.closeAllConnections();
    server.close();
  }
  vi.unstubAllEnvs();
});

describe('attack 46a: a warm function idle for longer than the rotation window README gives', () => {
  /*
   * README ("Deploying"): put the new token into the secret and keep the old one valid for 15 minutes more. A warm
   * function idle since before the rotation (Lambda keeps environments warm for hours) still hands its first GitHub
   * request the clients of the credential read before: `forInstallation` answers synchronously from them and only
   * starts the re-read. Once the old token is revoked per README, that request fails (401): a webhook's permission
   * check or a step's comment or re-run lost to a rotation README says is safe.
   */
  it('A3: uses the rotated token for its first request after an idle hour, the old one revoked 15 minutes after the rotation', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const config = loadConfig({ ...process.env, GITHUB_TOKEN_SECRET_ARN: TOKEN_SECRET_ARN, GITHUB_API_URL: urlOf(github), INCIDENTS_TABLE: 'incidents' });
    storedToken = 'ghp_attack46aidlefirst0000000000000000';
    const clients = await createNonCommentingGitHub(config);
    const latestRun = () => clients.forInstallation(null)!.latestSuccessfulRun(REPO, 1, 'main');
    await latestRun();
    expect(authorizations.at(-1)).toBe('token ghp_attack46aidlefirst0000000000000000');

    // Rotated 10 minutes later; the function gets no request for an hour (the old token revoked at 25 minutes).
    vi.setSystemTime(Date.now() + 10 * 60_000);
    storedToken = 'ghp_attack46aidlesecond000000000000000';
    vi.setSystemTime(Date.now() + 60 * 60_000);
    await latestRun().catch(() => null);

    expect(authorizations.at(-1)).toBe('token ghp_attack46aidlesecond000000000000000');
  });
});
