import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverWebhook, loadWebhook } from '../../infra/local/replay.js';
import { RUNTIME_FILE } from '../../shared/cli/local-runtime.js';
import { useLocalRuntime } from '../support/harness.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const SECRET = 'cli-reach-secret';
const FAILURE_ID = 'gh-714523861-11862439017-1';

let emptyDir: string;

/**
 * `guard` as a user runs it: a separate process with only GUARD_DATA_DIR (or nothing) set, no DYNAMODB_ENDPOINT,
 * no table names and no AWS credentials.
 */
async function guard(args: string[], dir: string, extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: Record<string, string> = {
    ...extraEnv,
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    GUARD_DATA_DIR: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin', 'guard.js'), ...args], { env, cwd: ROOT, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const harness = useLocalRuntime({ secret: SECRET, name: 'guard-cli', env: { GITHUB_TOKEN: undefined } }, 60_000);

beforeAll(async () => {
  emptyDir = await mkdtemp(join(tmpdir(), 'guard-cli-none-'));
  await deliverWebhook(harness.runtime.url, loadWebhook('workflow_run-failure'), SECRET);
  await harness.runtime.idle();
}, 60_000);

afterAll(async () => {
  await rm(emptyDir, { recursive: true, force: true });
});

describe('the CLI finds the running local runtime by itself', () => {
  it('the runtime says where it is in its data directory', async () => {
    const info = JSON.parse(await readFile(join(harness.dataDir, RUNTIME_FILE), 'utf8')) as { url: string; pid: number };
    expect(info).toMatchObject({ url: harness.runtime.url, pid: process.pid });
  });

  it('guard kb list reads the runtime tables with no variables', async () => {
    const result = await guard(['kb', 'list', '--limit', '3'], harness.dataDir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('guard incidents list and show read the runtime API', async () => {
    const list = await guard(['incidents', 'list', '--status', 'notified'], harness.dataDir);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(FAILURE_ID);

    const show = await guard(['incidents', 'show', FAILURE_ID], harness.dataDir);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('timeline:');
    expect(show.stdout).toContain('Expected: 107.1');
  });

  it('says in one line what to start or set when nothing runs, never an SDK class name', async () => {
    for (const args of [['kb', 'list'], ['experiments', 'list'], ['incidents', 'list']]) {
      const result = await guard(args, emptyDir);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toContain('npm start');
      expect(result.stderr).not.toMatch(/CredentialsProviderError|ProviderError|Exception|    at /);
      expect(result.stderr, args.join(' ')).not.toMatch(/\b[A-Z]\w*Error:/);
    }
  });

  it('says what a deployed stack\'s read API needs when GUARD_API_URL is set and no AWS credentials are', async () => {
    const result = await guard(['incidents', 'list'], emptyDir, { GUARD_API_URL: 'https://abc123.execute-api.us-east-1.amazonaws.com/v1/' });

    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'guard incidents: GUARD_API_URL is set, and no AWS credentials were found to sign the request: set them (AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) for an identity allowed execute-api:Invoke on the read routes, or unset GUARD_API_URL to read the local runtime',
    );
  });
});
