import type { GitHubClients, GitHubPort } from '../ports.js';

/** After a failed re-read, the clients built before stay in use and the credential is read again this much later. */
const REREAD_AFTER_FAILURE_MS = 30_000;

export interface RotatingGitHubClientsOptions<Credential, Port = GitHubPort> {
  /** The credential read at cold start. */
  credential: Credential;
  /** Reads the credential again (the token or App key from Secrets Manager, through the reader's cache). */
  read: () => Promise<Credential>;
  /** The clients for one credential. */
  build: (credential: Credential) => GitHubClients<Port>;
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
 * revoked soon after. `forInstallation` still answers synchronously, but every request of the port it hands out
 * first waits for a re-read that is due (attack-46a A3): a warm function idle since before a rotation would otherwise
 * send its first request with a credential that may be revoked by then (README, "Deploying", promises 15 minutes).
 * After a failed re-read the clients built before stay in use and the next read waits {@link REREAD_AFTER_FAILURE_MS}.
 */
export function rotatingGitHubClients<Credential, Port extends object = GitHubPort>(options: RotatingGitHubClientsOptions<Credential, Port>): GitHubClients<Port> {
  const now = options.now ?? Date.now;
  let credential = options.credential;
  let clients = options.build(credential);
  let readAt = now();
  let rereading: Promise<void> | null = null;
  /** The re-read, started once the credential is due; resolves (never rejects) when it has answered. */
  const reread = (): Promise<void> | null => {
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
    return rereading;
  };
  const forInstallation: GitHubClients<Port>['forInstallation'] = (installationId, signal) => {
    reread();
    const builtFrom = clients;
    const port = builtFrom.forInstallation(installationId, signal);
    if (!port) return null;
    // The port of the latest clients, built once per clients generation: each port has its own write pacer, so one
    // built per request would send a step's writes at once (attack-46d D2: GitHub's secondary rate limits).
    let latestFrom = builtFrom;
    let latest = port;
    // Every port method is a request (a promise): each waits for a due re-read, then runs on the clients it produced.
    return new Proxy(port, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await reread();
          if (latestFrom !== clients) {
            latestFrom = clients;
            latest = clients.forInstallation(installationId, signal) ?? port;
          }
          return (Reflect.get(latest, name) as (...a: unknown[]) => unknown).apply(latest, args);
        };
      },
    });
  };
  const rotating: GitHubClients<Port> = { forInstallation };
  // Only where the clients have it: a token's clients have no installations, and callers test for the method.
  if (clients.installationFor) {
    rotating.installationFor = async (repo) => {
      await reread();
      return clients.installationFor ? clients.installationFor(repo) : null;
    };
  }
  return rotating;
}
