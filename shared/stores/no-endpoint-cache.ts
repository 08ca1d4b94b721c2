/**
 * What the Lambda bundles give `@aws-sdk/client-dynamodb` for `@aws-sdk/endpoint-cache` (an esbuild alias,
 * BUNDLE_ALIASES in infra/constructs/guard-function.ts). The client builds an `EndpointCache` when it is constructed
 * (`resolveEndpointDiscoveryConfig`), an LRU cache from `mnemonist` and `obliterator` (≈8 KB of every bundle), for
 * endpoint discovery; but only the discovery middleware reads or writes it, and none of the DynamoDB client's commands
 * attaches that middleware (discovery is optional for DynamoDB), so the cache is built and never used.
 * test/infra/bundling.test.ts fails if a bundle ever carries the middleware. This stand-in has the class's methods
 * and refuses every use rather than answering as an empty cache. Tests, the CLI and the local runtime run unbundled,
 * with the package itself.
 */

/** A use of the endpoint cache, which no bundled command makes (see the module's comment). */
export class EndpointCacheNotBundledError extends Error {
  override name = 'EndpointCacheNotBundledError';
  constructor() {
    super("DynamoDB endpoint discovery's cache is not bundled: none of the client's commands uses it");
  }
}

const refused = (): never => {
  throw new EndpointCacheNotBundledError();
};

export class EndpointCache {
  getEndpoint = refused;
  get = refused;
  set = refused;
  delete = refused;
  has = refused;
  clear = refused;
}
