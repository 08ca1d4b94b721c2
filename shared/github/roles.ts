import type { RepositoryRole } from '../ports.js';

/**
 * Roles whose holders could have made a change themselves: the ones whose `/guard` commands and 👍/👎 count. A
 * triager or reader deciding for the repository would act beyond their access.
 */
const WRITE_ROLES: ReadonlySet<string> = new Set<RepositoryRole>(['admin', 'maintain', 'write']);

export function hasWriteAccess(role: RepositoryRole): boolean {
  return WRITE_ROLES.has(role);
}

/**
 * GitHub's rule for a user's login: letters, digits and single hyphens, neither first nor last, at most 39 characters.
 * A bot's (`dependabot[bot]`) fails it, as does any name GitHub would not have given an account.
 */
const USER_LOGIN = /^[A-Za-z\d](?:[A-Za-z\d]|-(?=[A-Za-z\d])){0,38}$/;

export function isUserLogin(login: string | null | undefined): login is string {
  return typeof login === 'string' && USER_LOGIN.test(login);
}
