import type { GitHubClients } from '../ports.js';

/** After a failed re-read, the clients built before stay in use and the credential is read again this much later. */
const REREAD_AFTER_FAILURE_MS = 30_000;

export interface RotatingGitHubClientsOptions<Credential> {
  /** The credential read at cold start. */
  credential: Credential;
  /** Reads the credential again (the token or App key from Secrets Manager, through the reader's cache). */
  read: () => Promise<Credential>;
  /** The clients for one credential. */
  build: (credential: Credential) => GitHubClients;
  /** Whether two reads are the same credential: the clients (and their caches) are rebuilt only for a new one. */
  same: (a: Credential, b: Credential) => boolean;
  /** How long a read credential is used before it is read again. */
  maxAgeMs: number;
  /** Milliseconds (`Date.now`); tests pass their own. */
  now?: () => number;
  /** Called when a re-read fails and the clients built before stay in use. */
  onRereadError?: (error: unknown) => void;
}

/**
 * GitHub clients whose credential is read again every `maxAgeMs` (session 44): a token or App key rotated in
 * Secrets Manager reaches warm functions within minutes, not when Lambda recycles them (hours), so the old one can be
 * revoked soon after. The re-read is started by a request for a client once the credential is due; a client is handed
 * out at once (`forInstallation` answers synchronously) from the clients of the credential read before, so the old
 * credential must stay valid until the new one has been read (README, "Deploying"). `installationFor`, asynchronous,
 * waits for a re-read under way.
 */
export function rotatingGitHubClients<Credential>(options: RotatingGitHubClientsOptions<Credential>): GitHubClients {
  const now = options.now ?? Date.now;
  let credential = options.credential;
  let clients = options.build(credential);
  let readAt = now();
  let rereading: Promise<void> | null = null;
  const current = (): GitHubClients => {
    if (!rereading && now() - readAt >= options.maxAgeMs) {
      rereading = options
        .read()
        .then((next) => {
          if (!options.same(credential, next)) {
            credential = next;
            clients = options.build(next);
          }
          readAt = now();
        })
        .catch((error: unknown) => {
          readAt = now() - options.maxAgeMs + REREAD_AFTER_FAILURE_MS;
          options.onRereadError?.(error);
        })
        .finally(() => {
          rereading = null;
        });
    }
    return clients;
  };
  const rotating: GitHubClients = { forInstallation: (installationId, signal) => current().forInstallation(installationId, signal) };
  // Only where the clients have it: a token's clients have no installations, and callers test for the method.
  if (clients.installationFor) {
    rotating.installationFor = async (repo) => {
      current();
      await rereading;
      return clients.installationFor ? clients.installationFor(repo) : null;
    };
  }
  return rotating;
}
