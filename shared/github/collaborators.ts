/** Who may speak for a repository: a user's role on it, and its collaborators (feedback, reactions, reconcile). */
import type * as z from '../zod.js';
import type { GitHubPort, RepositoryRole } from '../ports.js';
import { GitHubRequestError } from './errors.js';
import { listingsOf } from './listings.js';
import type { GitHubRest } from './rest.js';
import { collaboratorsPageSchema } from './listing-schemas.js';

export type CollaboratorsPort = Pick<GitHubPort, 'repositoryPermission' | 'listCollaborators' | 'collaboratorsPage'>;

const ROLES: readonly RepositoryRole[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

/**
 * A role from GitHub's answer: `role_name` distinguishes maintain and triage, which the base permission folds into
 * write and read; a custom role's name falls back to its base permission; anything else is no access.
 */
function repositoryRole(roleName: unknown, basePermission: unknown): RepositoryRole {
  const known = (value: unknown) => ROLES.find((role) => role === value);
  return known(roleName) ?? known(basePermission) ?? 'none';
}

/** The base permission a collaborator listing's `permissions` flags stand for. */
function basePermissionOf(flags: { admin?: boolean; maintain?: boolean; push?: boolean; triage?: boolean; pull?: boolean } | null | undefined): RepositoryRole {
  if (flags?.admin) return 'admin';
  if (flags?.maintain) return 'maintain';
  if (flags?.push) return 'write';
  if (flags?.triage) return 'triage';
  return flags?.pull ? 'read' : 'none';
}

const COLLABORATORS_ROUTE = 'GET /repos/{owner}/{repo}/collaborators';

const collaborator = (c: z.infer<typeof collaboratorsPageSchema>[number]) => ({ login: c.login, role: repositoryRole(c.role_name, basePermissionOf(c.permissions)) });

export function collaboratorsOf(rest: GitHubRest): CollaboratorsPort {
  const { call } = rest;
  const { onePage, firstItems } = listingsOf(rest);

  return {
    async repositoryPermission(repo, username) {
      const what = `read the permission of ${username} on ${repo.owner}/${repo.repo}`;
      try {
        const response = await call(what, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', {
          owner: repo.owner,
          repo: repo.repo,
          username,
        });
        const body = (response.data ?? {}) as { role_name?: unknown; permission?: unknown };
        return repositoryRole(body.role_name, body.permission);
      } catch (error) {
        // 404: not a collaborator (or the user does not exist) — no permission, not a failure.
        if (error instanceof GitHubRequestError && error.status === 404) return 'none';
        throw error;
      }
    },

    async listCollaborators(repo, limit, beforePage) {
      const what = `list the collaborators of ${repo.owner}/${repo.repo}`;
      const { items, complete } = await firstItems(what, COLLABORATORS_ROUTE, { owner: repo.owner, repo: repo.repo, affiliation: 'all' }, collaboratorsPageSchema, limit, beforePage);
      return { collaborators: items.map(collaborator), complete };
    },

    async collaboratorsPage(repo, page) {
      const what = `list the collaborators of ${repo.owner}/${repo.repo} (page ${page})`;
      const { items, more } = await onePage(what, COLLABORATORS_ROUTE, { owner: repo.owner, repo: repo.repo, affiliation: 'all' }, collaboratorsPageSchema, page);
      return { items: items.map(collaborator), more };
    },
  };
}
