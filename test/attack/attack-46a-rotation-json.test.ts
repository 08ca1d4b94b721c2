/**
 * Attack pass 46a (session 44), GitHub credential rotation, a rotated value that is no token (shared/github/rotating-clients.ts,
 * wired in shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and
 * GitHub client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createNonCommentingGitHub } from '../../shared/runtime/deps.js';
import { SECRET_MAX_AGE_SECONDS } from '../../shared/runtime/secrets.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aJsn';
const REPO = { owner: 'acme', repo: 'app' };
const TOKEN = 'ghp_attack46ajsonfirst0000000000000000';

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

describe('attack 46a: a rotated secret that cannot be a GitHub token', () => {
  /*
   * Secrets Manager's console stores a new secret as key/value JSON by default: a rotation done there puts
   * `{"token":"ghp_…"}` into the secret. An empty value is refused and the clients read before stay in use
   * (readSecret), an App key that is no RSA PEM is refused likewise (normalizePrivateKey), but a token is taken as it is:
   * the warm function's good clients are replaced by ones that send that JSON as the token, and every GitHub call fails
   * (401) while the old token is still valid, with nothing logged.
   */
  it('A5: keeps using the token read before when the re-read value is key/value JSON, not a token', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const config = loadConfig({ ...process.env, GITHUB_TOKEN_SECRET_ARN: TOKEN_SECRET_ARN, GITHUB_API_URL: urlOf(github), INCIDENTS_TABLE: 'incidents' });
    const clients = await createNonCommentingGitHub(config);
    const latestRun = () => clients.forInstallation(null)!.latestSuccessfulRun(REPO, 1, 'main');
    await latestRun();
    expect(authorizations.at(-1)).toBe(`token ${TOKEN}`);

    storedToken = JSON.stringify({ token: 'ghp_attack46ajsonsecond000000000000000' });
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS + 10) * 1000);
    await latestRun();
    // The re-read has answered well before the next requests.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await latestRun().catch(() => null);
    await latestRun().catch(() => null);

    expect(authorizations.at(-1)).toBe(`token ${TOKEN}`);
  });
});
