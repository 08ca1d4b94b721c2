/**
 * `GitHubClients`: the GitHub client for an incident's App installation.
 *
 * With a token there is one client for everything. As a GitHub App, each installation (the `installation.id` of
 * the webhook, carried on the trigger and the incident) gets its own client with its own installation token; the
 * tokens share one expiry-aware cache, and clients are kept per process so a warm Lambda reuses both.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/core';
import type { GitHubClients, GitHubPort, WriteLimiter } from '../ports.js';
import { createInstallationTokenCache, type GitHubAppCredentials, type InstallationTokenCache } from './app-auth.js';
import { createGitHubClient, type GitHubClientOptions } from './client.js';
import { repositoryKey } from '../domain/repository-key.js';
import { createExpiringCache } from '../expiring-cache.js';

export type GitHubAuth = { kind: 'token'; token: string } | ({ kind: 'app' } & GitHubAppCredentials);

export interface GitHubClientsOptions {
  auth: GitHubAuth;
  /** Everything else a client takes (base URL, retries, pacing, bot login, fetch for tests). */
  client?: Omit<GitHubClientOptions, 'token' | 'app' | 'writeLimiter'>;
  /** The shared write budget of one identity (`token` or `installation-<id>`); GitHub counts limits per identity. */
  writeLimiter?: (identity: string) => WriteLimiter;
  /** Installation tokens; injectable so tests control expiry. */
  tokenCache?: InstallationTokenCache;
  /** Clients kept per process; the oldest is dropped beyond this. */
  maxInstallations?: number;
  /** Clock for the installation lookup cache; injectable for tests. */
  now?: () => number;
}

/**
 * How long a repository's installation lookup is remembered. "Not installed" is kept briefly: a repository that
 * installs the App later is picked up within minutes, not when the warm Lambda is recycled.
 */
export const INSTALLATION_FOUND_TTL_MS = 60 * 60_000;
export const INSTALLATION_MISSING_TTL_MS = 5 * 60_000;
/** Repositories whose lookup is remembered per process; the oldest is forgotten beyond this. */
const MAX_REMEMBERED_REPOSITORIES = 1_000;

/**
 * Whose write budget a client draws on, as the budget's counters are keyed: GitHub counts its limits per token
 * (`installationId` null) or per App installation.
 */
export function writeIdentity(installationId: number | null): string {
  return installationId === null ? 'token' : `installation-${installationId}`;
}

/** One client for every installation (a token, the recorded stand-in, a test fake) or none at all. */
export function staticGitHubClients<Port = GitHubPort>(port: NoInfer<Port> | null): GitHubClients<Port> {
  return { forInstallation: () => port };
}

/** Clients of the whole adapter (`createGitHubClient`). */
export function createGitHubClients(options: GitHubClientsOptions): GitHubClients {
  return createGitHubClientsOf(createGitHubClient, options);
}

/**
 * Clients whose ports `build` makes from a client's options: a function that uses only some of GitHub builds only
 * those ports (remediation-client.ts), and its bundle carries only their requests.
 */
export function createGitHubClientsOf<Port>(build: (options: GitHubClientOptions) => Port, options: GitHubClientsOptions): GitHubClients<Port> {
  const { auth } = options;
  const base = options.client ?? {};
  // The bot login discovered once serves every client of the process, including those bound to a step's deadline.
  const loginCache = {};
  if (auth.kind === 'token') {
    const writeLimiter = options.writeLimiter?.(writeIdentity(null));
    const tokenClient = (signal?: AbortSignal) =>
      build({ ...base, token: auth.token, loginCache, ...(writeLimiter ? { writeLimiter } : {}), ...(signal ? { signal } : {}) });
    const client = tokenClient();
    // A client per step invocation when bound to its deadline: an Octokit is cheap, and pacing is per process anyway.
    return { forInstallation: (_installationId, signal) => (signal ? tokenClient(signal) : client) };
  }
  const tokenCache = options.tokenCache ?? createInstallationTokenCache();
  const maxInstallations = options.maxInstallations ?? 100;
  const clients = new Map<number, Port>();
  // Signed with the App's JWT: auth-app authenticates GET /repos/{owner}/{repo}/installation as the App itself.
  const appOctokit = new Octokit({
    authStrategy: createAppAuth,
    auth: { appId: auth.appId, privateKey: auth.privateKey },
    ...(base.baseUrl ? { baseUrl: base.baseUrl.replace(/\/+$/, '') } : {}),
    ...(base.fetch ? { request: { fetch: base.fetch } } : {}),
  });
  const now = options.now ?? Date.now;
  const installations = createExpiringCache<string, number | null>({ maxEntries: MAX_REMEMBERED_REPOSITORIES, ttlMs: INSTALLATION_FOUND_TTL_MS, now });
  const remember = (key: string, installationId: number | null): number | null => {
    installations.set(key, installationId, installationId === null ? INSTALLATION_MISSING_TTL_MS : INSTALLATION_FOUND_TTL_MS);
    return installationId;
  };
  return {
    async installationFor(repo) {
      const key = repositoryKey(`${repo.owner}/${repo.repo}`);
      const known = installations.get(key);
      if (known !== undefined) return known;
      try {
        const response = await appOctokit.request('GET /repos/{owner}/{repo}/installation', { owner: repo.owner, repo: repo.repo });
        const id = (response.data as { id?: unknown }).id;
        return remember(key, typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null);
      } catch (error) {
        // 404: the App is not installed on that repository; remembered for a while so every delivery does not ask.
        if ((error as { status?: number }).status === 404) return remember(key, null);
        throw error;
      }
    },
    forInstallation(installationId, signal) {
      // A delivery from a repository webhook (not the App's) names no installation: without one there is no token.
      if (installationId === null || !Number.isInteger(installationId) || installationId <= 0) return null;
      const cached = clients.get(installationId);
      if (cached && !signal) return cached;
      const client = build({
        ...base,
        app: { appId: auth.appId, privateKey: auth.privateKey, installationId, tokenCache },
        loginCache,
        ...(options.writeLimiter ? { writeLimiter: options.writeLimiter(writeIdentity(installationId)) } : {}),
        ...(signal ? { signal } : {}),
      });
      // Bound to one step's deadline: not kept (the installation token it fetched is, in the shared cache).
      if (signal) return client;
      clients.set(installationId, client);
      while (clients.size > maxInstallations) clients.delete(clients.keys().next().value as number);
      return client;
    },
  };
}
