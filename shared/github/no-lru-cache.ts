/**
 * What the Lambda bundles give `@octokit/auth-app` for `toad-cache` (an esbuild alias, BUNDLE_ALIASES in
 * infra/constructs/guard-function.ts): auth-app builds a default LRU cache of installation tokens whenever it starts
 * (`getCache()`, before it reads its options), but only installation authentication reads or writes that cache, and
 * Pipeline Guard gives every auth-app that authenticates as an installation its own cache
 * (`createInstallationTokenCache`, shared/github/rest.ts); the App's own client (shared/github/clients.ts) signs with
 * the App's JWT and has no installation, and auth-app refuses installation authentication without one before it looks
 * at the cache. So the default is built and never used (toad-cache: ≈1.5 KB of every function with GitHub).
 * test/unit/github/octokit-stand-ins.test.ts runs the App's flows and fails if they touch the default cache. This
 * stand-in builds as the package's class does and refuses every use rather than answering as an empty cache. Tests,
 * the CLI and the local runtime run unbundled, with the package itself.
 */

/** A use of auth-app's default token cache, which no bundled client makes (see the module's comment). */
export class DefaultTokenCacheNotBundledError extends Error {
  override name = 'DefaultTokenCacheNotBundledError';
  constructor() {
    super("@octokit/auth-app's default token cache is not bundled: every installation client has its own");
  }
}

const refused = (): never => {
  throw new DefaultTokenCacheNotBundledError();
};

/** toad-cache's `Lru` as auth-app builds (`new Lru(15000, 1000 * 60 * 59)`) and uses it (`get`, `set`), refusing. */
export class Lru {
  get = refused;
  set = refused;
}
