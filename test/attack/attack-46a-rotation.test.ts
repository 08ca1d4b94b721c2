/**
 * Attack pass 46a (session 44), GitHub credential rotation (shared/github/rotating-clients.ts, wired in
 * shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and GitHub
 * client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createNonCommentingGitHub } from '../../shared/runtime/deps.js';
import { logger } from '../../shared/runtime/lambda.js';
import { SECRET_MAX_AGE_SECONDS } from '../../shared/runtime/secrets.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aXyz';
const REPO = { owner: 'acme', repo: 'app' };
const TOKEN = 'ghp_attack46atoken00000000000000000000';

/** Whether the stand-in Secrets Manager refuses the read, as it does once the function's role lost the secret. */
let denied = false;
let reads = 0;
const secretsManager = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    reads += 1;
    if (denied) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: 'not authorized to perform secretsmanager:GetSecretValue' }));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ SecretString: TOKEN }));
  });
});
const github = createServer((request, response) => {
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
  vi.restoreAllMocks();
  logger.setLogLevel('SILENT');
  denied = false;
});

afterAll(() => {
  for (const server of [secretsManager, github]) {
    server.closeAllConnections();
    server.close();
  }
  vi.unstubAllEnvs();
});

describe('attack 46a: a re-read of the GitHub credential that fails', () => {
  it('A2: is logged with the reason (as the webhook secret\'s failed refresh is), not swallowed while the old token runs on', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const config = loadConfig({ ...process.env, GITHUB_TOKEN_SECRET_ARN: TOKEN_SECRET_ARN, GITHUB_API_URL: urlOf(github), INCIDENTS_TABLE: 'incidents' });
    // Whatever logger the fix reports through: the functions' (Powertools, made to write here), one handed in, or the console.
    const written: string[] = [];
    const note = (...args: unknown[]) => void written.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    const handedIn = { debug: note, info: note, warn: note, error: note };
    const clients = await (createNonCommentingGitHub as (...args: unknown[]) => ReturnType<typeof createNonCommentingGitHub>)(config, handedIn);
    const latestRun = () => clients.forInstallation(null)!.latestSuccessfulRun(REPO, 1, 'main');
    await latestRun();

    logger.setLogLevel('DEBUG');
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
    for (const method of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation(note);

    // The role lost the secret (or its key): the re-read due after SECRET_MAX_AGE_SECONDS is refused.
    denied = true;
    const before = reads;
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS + 10) * 1000);
    await latestRun();
    await vi.waitFor(() => expect(reads).toBeGreaterThan(before), { timeout: 2_000, interval: 20 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
    denied = false;

    expect(written.join('\n')).toMatch(/GITHUB_TOKEN_SECRET_ARN/);
  });
});
