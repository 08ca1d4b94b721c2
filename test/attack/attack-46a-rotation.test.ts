/**
 * Attack pass 46a (session 44), GitHub credential rotation (shared/github/rotating-clients.ts, wired in
 * shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and GitHub
 * client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/runtime/lambda.js';
import { SECRET_MAX_AGE_SECONDS } from '../../shared/runtime/secrets.js';
import { githubRotationStandIns } from '../support/github-rotation.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aXyz';
const TOKEN = 'ghp_attack46atoken00000000000000000000';
const standIns = githubRotationStandIns(TOKEN_SECRET_ARN, TOKEN);

afterEach(() => {
  vi.restoreAllMocks();
  logger.setLogLevel('SILENT');
});

describe('attack 46a: a re-read of the GitHub credential that fails', () => {
  it('A2: is logged with the reason (as the webhook secret\'s failed refresh is), not swallowed while the old token runs on', async () => {
    // Whatever logger the fix reports through: the functions' (Powertools, made to write here), one handed in, or the console.
    const written: string[] = [];
    const note = (...args: unknown[]) => void written.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    const handedIn = { debug: note, info: note, warn: note, error: note };
    const { latestRun } = await standIns.access(handedIn);
    await latestRun();

    logger.setLogLevel('DEBUG');
    const capture = (chunk: unknown) => (written.push(String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
    for (const method of ['log', 'info', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation(note);

    // The role lost the secret (or its key): the re-read due after SECRET_MAX_AGE_SECONDS is refused.
    standIns.denyReads(true);
    const before = standIns.reads();
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS + 10) * 1000);
    // A request waits for the re-read that is due (A3), so when it returns the refusal has been answered and handled.
    await latestRun();
    vi.restoreAllMocks();
    logger.setLogLevel('SILENT');
    standIns.denyReads(false);

    expect(standIns.reads()).toBeGreaterThan(before);
    expect(written.join('\n')).toMatch(/GITHUB_TOKEN_SECRET_ARN/);
  });
});
