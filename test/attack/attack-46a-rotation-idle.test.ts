/**
 * Attack pass 46a (session 44), GitHub credential rotation of a warm function left idle (shared/github/rotating-clients.ts,
 * wired in shared/runtime/deps.ts): the composition root's GitHub access with its real Secrets Manager reader and
 * GitHub client, pointed at stand-ins on loopback, as test/unit/runtime/github-credential-rotation.test.ts drives it.
 */
import { describe, expect, it, vi } from 'vitest';
import { githubRotationStandIns } from '../support/github-rotation.js';

const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guard/github-token-46aIdl';
const TOKEN = 'ghp_attack46aidlefirst0000000000000000';
const standIns = githubRotationStandIns(TOKEN_SECRET_ARN, TOKEN);

describe('attack 46a: a warm function idle for longer than the rotation window README gives', () => {
  /*
   * README ("Deploying"): put the new token into the secret and keep the old one valid for 15 minutes more. A warm
   * function idle since before the rotation (Lambda keeps environments warm for hours) still hands its first GitHub
   * request the clients of the credential read before: `forInstallation` answers synchronously from them and only
   * starts the re-read. Once the old token is revoked per README, that request fails (401): a webhook's permission
   * check or a step's comment or re-run lost to a rotation README says is safe.
   */
  it('A3: uses the rotated token for its first request after an idle hour, the old one revoked 15 minutes after the rotation', async () => {
    standIns.storeToken('ghp_attack46aidlefirst0000000000000000');
    const { latestRun } = await standIns.access();
    await latestRun();
    expect(standIns.lastAuthorization()).toBe('token ghp_attack46aidlefirst0000000000000000');

    // Rotated 10 minutes later; the function gets no request for an hour (the old token revoked at 25 minutes).
    vi.setSystemTime(Date.now() + 10 * 60_000);
    standIns.storeToken('ghp_attack46aidlesecond000000000000000');
    vi.setSystemTime(Date.now() + 60 * 60_000);
    await latestRun().catch(() => null);

    expect(standIns.lastAuthorization()).toBe('token ghp_attack46aidlesecond000000000000000');
  });
});
