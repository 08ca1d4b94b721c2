import type { RepositoryRole } from '../ports.js';

/**
 * Roles whose holders could have made a change themselves: the ones whose `/guard` commands and 👍/👎 count. A
 * triager or reader deciding for the repository would act beyond their access.
 */
const WRITE_ROLES: ReadonlySet<string> = new Set<RepositoryRole>(['admin', 'maintain', 'write']);

export function hasWriteAccess(role: RepositoryRole): boolean {
  return WRITE_ROLES.has(role);
}
