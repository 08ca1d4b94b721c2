import { describe, expect, it } from 'vitest';
import { createPermissionCache } from '../../../shared/github/permission-cache.js';
import { hasWriteAccess } from '../../../shared/github/roles.js';
import { createFakeGitHub } from '../../support/fakes.js';

/**
 * Attacks on the permission cache of `/guard` commands (attacker pass, session 28): it may keep a "no" a minute, to
 * spare the API quota, but no answer it keeps may let anyone act with write access they do not have (now).
 */
const REPO = { owner: 'acme-shop', repo: 'checkout-service' };

describe('the permission cache never grants what GitHub does not say now', () => {
  it('asks again for a user it was told has write access: access taken away stops counting at the next command', async () => {
    // Prepare
    const github = createFakeGitHub();
    const cache = createPermissionCache(() => 0);
    github.permissions.set('departed', 'write');
    const before = await cache.permission(github.port, REPO, 'departed');

    // Act: a maintainer removes their access, within the same second
    github.permissions.set('departed', 'read');
    const after = await cache.permission(github.port, REPO, 'departed');

    // Assert
    expect(hasWriteAccess(before)).toBe(true);
    expect(after).toBe('read');
  });

  it("keeps a denial per repository and user: another user's, or the same user's on another repository, is asked for", async () => {
    // Prepare: a stranger is denied on this repository
    const github = createFakeGitHub();
    const cache = createPermissionCache(() => 0);
    github.permissions.set('maintainer', 'maintain');
    await cache.permission(github.port, REPO, 'stranger');

    // Act
    const maintainer = await cache.permission(github.port, REPO, 'maintainer');
    const elsewhere = await cache.permission(github.port, { ...REPO, repo: 'other' }, 'stranger');

    // Assert: the maintainer is not answered with the stranger's denial, and each is its own lookup
    expect(maintainer).toBe('maintain');
    expect(elsewhere).toBe('none');
    expect(github.calls.filter((call) => call.method === 'repositoryPermission')).toHaveLength(3);
  });

  it('keeps no answer of a lookup that failed: neither a grant nor a denial', async () => {
    // Prepare: GitHub fails the first lookup
    const github = createFakeGitHub();
    const cache = createPermissionCache(() => 0);
    github.permissions.set('maintainer', 'write');
    const real = github.port.repositoryPermission.bind(github.port);
    let failures = 1;
    github.port.repositoryPermission = async (repo, user) => {
      if (failures-- > 0) throw new Error('GitHub unavailable');
      return real(repo, user);
    };

    // Act
    const failed = await cache.permission(github.port, REPO, 'maintainer').catch((error: Error) => error.message);
    const next = await cache.permission(github.port, REPO, 'maintainer');

    // Assert
    expect(failed).toBe('GitHub unavailable');
    expect(next).toBe('write');
  });
});
