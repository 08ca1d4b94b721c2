/**
 * Attack pass 46a (session 44), GitHub credential rotation, a rotated value that is no token (shared/github/rotating-clients.ts,
 * wired in shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and
 * GitHub client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { describe, expect, it, vi } from 'vitest';
import { SECRET_MAX_AGE_SECONDS } from '../../shared/runtime/secrets.js';
import { githubRotationStandIns } from '../support/github-rotation.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aJsn';
const TOKEN = 'ghp_attack46ajsonfirst0000000000000000';
const standIns = githubRotationStandIns(TOKEN_SECRET_ARN, TOKEN);

describe('attack 46a: a rotated secret that cannot be a GitHub token', () => {
  /*
   * Secrets Manager's console stores a new secret as key/value JSON by default: a rotation done there puts
   * `{"token":"ghp_…"}` into the secret. An empty value is refused and the clients read before stay in use
   * (readSecret), an App key that is no RSA PEM is refused likewise (normalizePrivateKey), but a token is taken as it is:
   * the warm function's good clients are replaced by ones that send that JSON as the token, and every GitHub call fails
   * (401) while the old token is still valid, with nothing logged.
   */
  it('A5: keeps using the token read before when the re-read value is key/value JSON, not a token', async () => {
    const { latestRun } = await standIns.access();
    await latestRun();
    expect(standIns.lastAuthorization()).toBe(`token ${TOKEN}`);

    standIns.storeToken(JSON.stringify({ token: 'ghp_attack46ajsonsecond000000000000000' }));
    vi.setSystemTime(Date.now() + (SECRET_MAX_AGE_SECONDS + 10) * 1000);
    // The request that finds the re-read due waits for it (A3): the next requests come after the re-read's value.
    await latestRun();
    await latestRun().catch(() => null);
    await latestRun().catch(() => null);

    expect(standIns.lastAuthorization()).toBe(`token ${TOKEN}`);
  });
});
