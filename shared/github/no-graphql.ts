/**
 * What the Lambda bundles give `@octokit/core` for `@octokit/graphql` (an esbuild alias, BUNDLE_ALIASES in
 * infra/constructs/guard-function.ts): Pipeline Guard calls GitHub's REST API alone (`octokit.request`, shared/github/),
 * never `octokit.graphql`, but every Octokit builds its GraphQL client when it is constructed (≈1.4 KB of every
 * function with GitHub). The stand-in builds as the package's does and refuses every query;
 * test/unit/github/octokit-stand-ins.test.ts fails if the project's code starts calling GraphQL. Tests, the CLI and the
 * local runtime run unbundled, with the package itself.
 */

/** A GraphQL query, which nothing bundled sends (see the module's comment). */
export class GraphqlNotBundledError extends Error {
  override name = 'GraphqlNotBundledError';
  constructor() {
    super("GitHub's GraphQL client is not bundled: Pipeline Guard calls GitHub's REST API");
  }
}

type RefusedGraphql = ((...args: unknown[]) => Promise<never>) & { defaults: () => RefusedGraphql };

const refuse = (): never => {
  throw new GraphqlNotBundledError();
};

const graphql: RefusedGraphql = Object.assign(async (): Promise<never> => refuse(), { defaults: () => graphql });

/** What `@octokit/core`'s constructor calls: `withCustomRequest(this.request).defaults(requestDefaults)`. */
export function withCustomRequest(): RefusedGraphql {
  return graphql;
}
