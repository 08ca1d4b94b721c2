import { describe, expect, it } from 'vitest';
import type { GitHubClients } from '../../../shared/ports.js';
import { rotatingGitHubClients } from '../../../shared/github/rotating-clients.js';

const REPO = { owner: 'acme', repo: 'app' };

/** Clients that say which credential built them, as ports (forInstallation) and installations (installationFor). */
function fakeClients(built: string[]) {
  return (credential: string): GitHubClients => {
    built.push(credential);
    return {
      forInstallation: () => ({ credential }) as never,
      installationFor: async () => Number(credential.replace(/\D/g, '')),
    };
  };
}

const credentialOf = (clients: GitHubClients) => (clients.forInstallation(1) as unknown as { credential: string }).credential;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('rotatingGitHubClients (session 44)', () => {
  it('reads the credential again once due, rebuilds the clients only for a new one, and keeps the old ones when the read fails', async () => {
    // Prepare
    let at = 0;
    let stored: string | Error = 'key-1';
    let reads = 0;
    const built: string[] = [];
    const errors: unknown[] = [];
    const clients = rotatingGitHubClients({
      credential: 'key-1',
      read: async () => {
        reads += 1;
        if (stored instanceof Error) throw stored;
        return stored;
      },
      build: fakeClients(built),
      same: (a, b) => a === b,
      maxAgeMs: 300_000,
      now: () => at,
      onRereadError: (error) => errors.push(error),
    });

    // Act and assert: not due, no read.
    at = 299_999;
    expect(credentialOf(clients)).toBe('key-1');
    await settle();
    expect(reads).toBe(0);

    // Due, unchanged: read, not rebuilt.
    at = 300_000;
    credentialOf(clients);
    await settle();
    expect(reads).toBe(1);
    expect(built).toEqual(['key-1']);

    // Due, the read fails: the old clients stay, and the next read waits 30 s, not a request.
    stored = new Error('ThrottlingException');
    at = 600_000;
    expect(credentialOf(clients)).toBe('key-1');
    await settle();
    expect(errors).toHaveLength(1);
    at = 600_000 + 29_999;
    credentialOf(clients);
    await settle();
    expect(reads).toBe(2);

    // Rotated: the port handed out synchronously is the old clients' (its requests wait, see below); installationFor waits for the read.
    stored = 'key-2';
    at = 600_000 + 30_000;
    expect(credentialOf(clients)).toBe('key-1');
    expect(await clients.installationFor!(REPO)).toBe(2);
    expect(credentialOf(clients)).toBe('key-2');
    expect(built).toEqual(['key-1', 'key-2']);
  });

  it('makes each request of a port handed out wait for a due re-read, then run on the new clients (attack-46a A3)', async () => {
    // Prepare: ports whose one request says which credential served it.
    let at = 0;
    let stored = 'key-1';
    const clients = rotatingGitHubClients({
      credential: 'key-1',
      read: async () => stored,
      build: (credential: string): GitHubClients => ({ forInstallation: () => ({ latestSuccessfulRun: async () => ({ id: Number(credential.slice(4)), attempt: 1 }) }) as never }),
      same: (a, b) => a === b,
      maxAgeMs: 300_000,
      now: () => at,
    });
    const port = clients.forInstallation(1)!;
    expect(await port.latestSuccessfulRun(REPO, 1, 'main')).toEqual({ id: 1, attempt: 1 });

    // Act: rotated, and the port handed out before is used once the credential is due.
    stored = 'key-2';
    at = 3_600_000;

    // Assess
    expect(await port.latestSuccessfulRun(REPO, 1, 'main')).toEqual({ id: 2, attempt: 1 });
  });

  it('has no installationFor where the clients have none (a token)', () => {
    const clients = rotatingGitHubClients({ credential: 't', read: async () => 't', build: () => ({ forInstallation: () => null }), same: (a, b) => a === b, maxAgeMs: 1 });
    expect(clients.installationFor).toBeUndefined();
  });
});
