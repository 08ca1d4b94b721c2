import type { GitHubPort, RepoRef, RepositoryRole } from '../ports.js';
import { createExpiringCache } from '../expiring-cache.js';
import { hasWriteAccess } from './roles.js';

/** How long an answer without write access is kept: a user just given access waits at most this long. */
export const DENIED_PERMISSION_TTL_MS = 60_000;
/** Answers kept at most (the oldest goes first): one process's memory, whatever the number of commenters. */
export const MAX_KEPT_PERMISSIONS = 1_000;

/**
 * Repository permissions for `/guard` commands, asked of GitHub (`repositoryPermission`). Anyone may comment a
 * command, and each one was a lookup on the installation's API quota: an outsider commenting `/guard feedback` again
 * and again spent it for the stages. An answer without write access is kept for {@link DENIED_PERMISSION_TTL_MS} per
 * repository and user, and lookups of one user in flight at once are one, so one outsider costs a lookup a minute per
 * process, whatever they post. Write access is asked every time: one taken away must stop counting at once.
 * Notify asks it the same of the actor who started a run an outsider can repeat (its escalation key): an outsider
 * failing such a run again and again costs a lookup a minute, not one per incident.
 */
export interface PermissionCache {
  permission(github: GitHubPort, repo: RepoRef, user: string): Promise<RepositoryRole>;
}

/** `now`: milliseconds (`Date.now`), the TTL's clock. */
export function createPermissionCache(now: () => number = Date.now): PermissionCache {
  const kept = createExpiringCache<string, Promise<RepositoryRole>>({ maxEntries: MAX_KEPT_PERMISSIONS, ttlMs: DENIED_PERMISSION_TTL_MS, now });
  return {
    permission(github, repo, user) {
      // GitHub's owner, repository and user names ignore case.
      const key = `${repo.owner}/${repo.repo}/${user}`.toLowerCase();
      const found = kept.get(key);
      if (found) return found;
      const role = github.repositoryPermission(repo, user);
      kept.set(key, role);
      const forget = () => {
        if (kept.get(key) === role) kept.delete(key);
      };
      // Kept only while it says no write access; a failed lookup is asked again.
      role.then((answer) => hasWriteAccess(answer) && forget(), forget);
      return role;
    },
  };
}
