/**
 * A GitHub token kept in Secrets Manager and rotated there reaches a warm function within minutes (session 44;
 * KNOWN-DEFECTS: "secrets are read once per cold start, so rotation needs a cold start"). The composition root's
 * GitHub access (shared/runtime/deps.ts) with its real Secrets Manager reader and GitHub client, pointed at stand-ins
 * on loopback; the clock (Date only) is moved past the credential's age.
 */
import { describe, expect, it, vi } from 'vitest';
import { SECRET_MAX_AGE_SECONDS } from '../../../shared/runtime/secrets.js';
import { githubRotationStandIns } from '../../support/github-rotation.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-AbCdEf';
const standIns = githubRotationStandIns(TOKEN_SECRET_ARN, 'ghp_firsttoken0000000000000000000000000');

describe('a GitHub token rotated in Secrets Manager (session 44)', () => {
  it('is used by a warm function once the value read before is older than SECRET_MAX_AGE_SECONDS, without a cold start', async () => {
    const { latestRun } = await standIns.access();
    await latestRun();
    expect(standIns.lastAuthorization()).toBe('token ghp_firsttoken0000000000000000000000000');

    // Rotated: the new token in the secret. Within the age, the token read before is still used.
    standIns.storeToken('ghp_secondtoken000000000000000000000000');
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS - 10) * 1000);
    await latestRun();
    expect(standIns.lastAuthorization()).toBe('token ghp_firsttoken0000000000000000000000000');

    // Past the age: the request that finds it due starts the re-read and waits for it (attack-46a A3), so the requests
    // after it come once the new token is read, and use it.
    vi.setSystemTime(Date.now() + 20_000);
    await latestRun();
    await latestRun();
    expect(standIns.lastAuthorization()).toBe('token ghp_secondtoken000000000000000000000000');
  });
});
