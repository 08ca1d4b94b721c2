import { requiresBasicAuth as packageRequiresBasicAuth } from '@octokit/auth-oauth-user';
import { describe, expect, it } from 'vitest';
import { BUNDLE_ALIASES } from '../../../infra/constructs/guard-function.js';
import { createOAuthAppAuth, createOAuthUserAuth, requiresBasicAuth } from '../../../shared/github/no-oauth.js';

describe('the OAuth stand-in the Lambda bundles give @octokit/auth-app', () => {
  it('stands in for exactly the two OAuth packages auth-app imports', () => {
    const oauthAliases = Object.fromEntries(Object.entries(BUNDLE_ALIASES).filter(([from, to]) => from.startsWith('@octokit/auth-') || to.endsWith('/no-oauth.ts')));
    expect(oauthAliases).toEqual({ '@octokit/auth-oauth-app': './shared/github/no-oauth.ts', '@octokit/auth-oauth-user': './shared/github/no-oauth.ts' });
  });

  it('answers requiresBasicAuth as auth-oauth-user does, for every request auth-app asks about', () => {
    // auth-app's hook asks this of each installation request's URL before it uses the installation token.
    const urls = [
      undefined,
      '',
      'https://api.github.com/repos/octo/app/actions/runs/42/rerun-failed-jobs',
      'https://api.github.com/repos/octo/app/pulls?state=open',
      'https://ghe.example.com/api/v3/repos/octo/app/issues/7/labels',
      'https://api.github.com/applications/Iv1.abc/token',
      'https://api.github.com/applications/Iv1.abc/tokens',
      'https://api.github.com/applications/Iv1.abc/grant',
      'https://api.github.com/applications/Iv1.abc/token/scoped',
      'https://api.github.com/repos/applications/x/tokens',
      'https://api.github.com/applications//token',
    ];
    for (const url of urls) expect(requiresBasicAuth(url)).toBe(packageRequiresBasicAuth(url as string));
  });

  it('refuses the OAuth flows, which an App authenticating as its installations never starts', async () => {
    const auth = createOAuthAppAuth();
    await expect(auth({ type: 'oauth-app' })).rejects.toThrow(/OAuth flows are not bundled/);
    await expect(auth.hook()).rejects.toThrow(/OAuth flows are not bundled/);
    expect(() => createOAuthUserAuth()).toThrow(/OAuth flows are not bundled/);
  });
});
