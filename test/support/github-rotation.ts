/**
 * Loopback stand-ins for the GitHub credential-rotation tests (session 44): a Secrets Manager holding a token (or
 * refusing the read), a GitHub recording each request's Authorization header, and the composition root's GitHub
 * access (shared/runtime/deps.ts) with its real Secrets Manager reader and GitHub client pointed at them, its clock
 * (Date only) fake so a test can move it past the credential's age. One rotation test a file: two in one file with
 * moved clocks hung the second.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createGitHubReader } from '../../shared/runtime/deps.js';

const REPO = { owner: 'acme', repo: 'app' };
const urlOf = (server: ReturnType<typeof createServer>) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * Starts the stand-ins before the file's tests and stops them after; after each test the clock is real again, the
 * stored token is `firstToken` again and the reads are allowed again.
 */
export function githubRotationStandIns(tokenSecretArn: string, firstToken: string) {
  let storedToken = firstToken;
  let denied = false;
  let reads = 0;
  const authorizations: string[] = [];
  const secretsManager = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      reads += 1;
      if (denied) {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform secretsmanager:GetSecretValue' }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ SecretString: storedToken }));
    });
  });
  const github = createServer((request, response) => {
    authorizations.push(String(request.headers.authorization));
    request.resume();
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total_count: 0, workflow_runs: [] })));
  });

  beforeAll(async () => {
    await Promise.all([secretsManager, github].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', urlOf(secretsManager));
  });
  afterEach(() => {
    vi.useRealTimers();
    storedToken = firstToken;
    denied = false;
  });
  afterAll(() => {
    for (const server of [secretsManager, github]) {
      server.closeAllConnections();
      server.close();
    }
    vi.unstubAllEnvs();
  });

  return {
    /** Puts `token` into the stand-in secret (a rotation). */
    storeToken: (token: string) => void (storedToken = token),
    /** Whether the stand-in Secrets Manager refuses the read, as it does once the function's role lost the secret. */
    denyReads: (deny: boolean) => void (denied = deny),
    /** How many reads the stand-in Secrets Manager answered. */
    reads: () => reads,
    /** The Authorization header of the last request GitHub's stand-in received. */
    lastAuthorization: () => authorizations.at(-1),
    /**
     * The GitHub access with a fake clock (Date only, advancing), built as the composition root builds it (`extra`
     * handed to createGitHubReader after the config), and a request through its clients.
     */
    async access(...extra: unknown[]) {
      vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
      const config = loadConfig({ ...process.env, GITHUB_TOKEN_SECRET_ARN: tokenSecretArn, GITHUB_API_URL: urlOf(github), INCIDENTS_TABLE: 'incidents' });
      const clients = await (createGitHubReader as (...args: unknown[]) => ReturnType<typeof createGitHubReader>)(config, ...extra);
      const latestRun = () => clients.forInstallation(null)!.latestSuccessfulRun(REPO, 1, 'main');
      return { clients, latestRun };
    },
  };
}
