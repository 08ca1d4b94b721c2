/**
 * What the Lambda bundles give `@octokit/auth-app` for `@octokit/auth-oauth-app` and `@octokit/auth-oauth-user`
 * (esbuild aliases, BUNDLE_ALIASES in infra/constructs/guard-function.ts): Pipeline Guard authenticates as an App
 * and as its installations, never through the App's OAuth client (no client id or secret is configured), so the
 * OAuth user, device and web flows (`@octokit/oauth-methods`, `@octokit/auth-oauth-device`: ~10 KB of every
 * function with GitHub) would only ride along. auth-app builds its OAuth client when it starts, and asks
 * `requiresBasicAuth` of every request's URL, so both stay: the first as an auth that refuses, the second as
 * auth-oauth-user's own test (test/unit/github/no-oauth.test.ts holds it to the package's). Tests, the CLI and
 * the local runtime run unbundled, with the packages themselves.
 */

/** GitHub's routes authenticated with the OAuth client's id and secret (auth-oauth-user 6's `requiresBasicAuth`). */
const ROUTES_REQUIRING_BASIC_AUTH = /\/applications\/[^/]+\/(token|grant)s?/;

export function requiresBasicAuth(url: string | undefined): boolean | '' | undefined {
  return url && ROUTES_REQUIRING_BASIC_AUTH.test(url);
}

const refused = (): never => {
  throw new Error('GitHub OAuth flows are not bundled: Pipeline Guard authenticates as a GitHub App installation');
};

/** An OAuth client auth that refuses every use (auth-app calls it only for OAuth auth types and the routes above). */
export function createOAuthAppAuth(): ((...args: unknown[]) => Promise<never>) & { hook: (...args: unknown[]) => Promise<never> } {
  const auth = async (): Promise<never> => refused();
  return Object.assign(auth, { hook: auth });
}

export function createOAuthUserAuth(): never {
  return refused();
}
