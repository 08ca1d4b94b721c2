/**
 * How the functions' code is bundled, as data: what synth's bundling (scripts/bundle-function.ts, run in a process of
 * its own for each function), `npm run bundle:sizes` and the tests read through esbuildOptionsFor
 * (function-bundle.ts). Apart from GuardFunction (guard-function.ts, which re-exports these) so that a bundling
 * process loads no aws-cdk-lib: importing it was ≈1.4 s of CPU of each function's ≈3.6 s.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { assertStoredDataFresh, STORED_DATA_FRESH_DEFINE } from '../../shared/logs/stored-freshness.js';
import type { FunctionName } from '../table-access.js';

/** The project root, resolved from this module so synth and tests work from any working directory. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * What the default credential chain (`@aws-sdk/credential-provider-node`) loads with `import()` only after the
 * environment had no credentials: profiles and SSO (with the STS, SSO and sign-in clients they bring), credential
 * processes, web identity, container and instance metadata. Lambda puts the execution role's credentials in the
 * environment, so the chain's first link answers and none of these is ever loaded there; should one be, it
 * resolves from the SDK that the Node.js runtime includes, as every `@aws-sdk/*` import does under the CDK default.
 * Left out, they are ≈125 KB of every bundle.
 */
export const CREDENTIAL_CHAIN_FALLBACKS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
];

/**
 * The SDK's event-stream serde: `@smithy/core` loads it with `import()` only for an operation with an event stream
 * (Bedrock's ConverseStream, Lambda's InvokeWithResponseStream), and Pipeline Guard calls none. Left out, it is
 * ≈15 KB of every bundle. Two clients import it statically from their configuration and build its marshaller and
 * payload handler when they are constructed: a function that builds one ({@link EVENT_STREAM_SERDE_AT_START}) bundles
 * the stand-in {@link EVENT_STREAM_STAND_IN} for it instead ({@link EVENT_STREAM_ALIASES}), which builds as the
 * packages do and refuses every use (≈17 KB of analyze, ≈19 KB of ingest-github). test/infra/bundling.test.ts checks
 * both lists against the bundles, so a function that starts building such a client without the stand-in fails the
 * test instead of its cold start.
 */
export const EVENT_STREAM_SERDE = '@smithy/core/event-streams';

/** The functions whose SDK clients (Lambda for ingest's recovery queue, Bedrock Runtime) import the serde at start. */
export const EVENT_STREAM_SERDE_AT_START: ReadonlySet<FunctionName> = new Set(['ingest-github', 'analyze']);

/** What {@link EVENT_STREAM_SERDE_AT_START}'s bundles take for the event-stream packages, relative to the project root. */
export const EVENT_STREAM_STAND_IN = './shared/adapters/no-event-streams.ts';

/**
 * The aliases (esbuild's `--alias`) of {@link EVENT_STREAM_SERDE_AT_START}'s bundles: the serde, and the signed payload
 * handler (`@aws-sdk/eventstream-handler-node`) that Bedrock Runtime's client builds over its codec. Only there: in the
 * other bundles the serde is named by its `import()` alone, and the stand-in bundled for it was ≈1 KB more.
 */
export const EVENT_STREAM_ALIASES: Readonly<Record<string, string>> = {
  [EVENT_STREAM_SERDE]: EVENT_STREAM_STAND_IN,
  '@aws-sdk/eventstream-handler-node': EVENT_STREAM_STAND_IN,
};

/**
 * The SSO OIDC client (`@aws-sdk/nested-clients/sso-oidc`), which `@aws-sdk/token-providers` loads with `import()`
 * only to refresh an SSO bearer token: Bedrock Runtime's client tries that chain (`nodeProvider` → `fromSso`) for its
 * bearer auth scheme when AWS_BEARER_TOKEN_BEDROCK is unset, and `fromSso` fails on the missing profile (Lambda has no
 * `~/.aws/config`) before it gets to the import. Pipeline Guard signs Bedrock calls with the role's SigV4 credentials.
 * Bundled, it was ≈15 KB of analyze, the one function that builds that client, and ≈7 KB more of every bundle whose
 * code imports the client's module (through shared/analysis/providers.ts) even where none of it is kept: a bundled
 * `import()` makes esbuild wrap every module its target shares with the rest (most of `@smithy/core`, 264 modules in
 * remediate) in a lazy initializer, decided before tree shaking. Should it ever be loaded, it resolves from the SDK
 * the Node.js runtime includes, as the credential chain's fallbacks do. The other clients the package holds (STS,
 * SSO, sign-in) are loaded only by those fallbacks, already left out.
 */
export const SSO_TOKEN_CLIENTS = '@aws-sdk/nested-clients';

/** The bound every bundle is held to (test/infra/bundling.test.ts): code size is load time at every cold start. */
export const MAX_BUNDLE_BYTES = 700 * 1024;

/**
 * ESM bundles have no `require`; CommonJS dependencies bundled into them (Powertools, parts of the SDK) call it for
 * Node built-ins and fail in Lambda with "Dynamic require of util is not supported" without this shim.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __guardCreateRequire } from 'node:module'; const require = __guardCreateRequire(import.meta.url);";

/** Where esbuild puts the bundled packages' license comments: a file beside the bundle. */
export const LEGAL_COMMENTS = 'external' as const;

/**
 * Packages the bundles take from a project module instead (esbuild's `--alias`): `@octokit/auth-app` imports the
 * GitHub App's OAuth client and its user and device flows, which an App authenticating as itself and as its
 * installations never uses (~10 KB of every function with GitHub); shared/github/no-oauth.ts stands in for them.
 * The DynamoDB client builds endpoint discovery's cache, which none of its commands uses (≈8 KB of every bundle);
 * shared/stores/no-endpoint-cache.ts stands in for it. Every Octokit builds a GraphQL client, and Pipeline Guard calls
 * GitHub's REST API alone (≈1.4 KB of every function with GitHub): shared/github/no-graphql.ts. `@octokit/auth-app`
 * builds a default installation-token cache (`toad-cache`) that no client uses, each installation client having its own
 * (≈1.5 KB of the same functions): shared/github/no-lru-cache.ts. Octokit's retry and throttling plugins schedule
 * requests on Bottleneck, of which they use a limiter's concurrency, spacing, priorities and retries (≈23 KB of the
 * same functions): shared/github/request-limiter.ts is that part, not a refusal like the others.
 * Relative to the project root, where synth and `npm run bundle:sizes` run esbuild.
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  '@octokit/auth-oauth-app': './shared/github/no-oauth.ts',
  '@octokit/auth-oauth-user': './shared/github/no-oauth.ts',
  '@aws-sdk/endpoint-cache': './shared/stores/no-endpoint-cache.ts',
  '@octokit/graphql': './shared/github/no-graphql.ts',
  'toad-cache': './shared/github/no-lru-cache.ts',
  'bottleneck/light.js': './shared/github/request-limiter.ts',
};

/**
 * Properties that only the log rule table (shared/logs/rules.ts) and the code reading its rules have, which esbuild
 * renames to names of a character or two in the bundles (`--mangle-props`): spelled at each of ≈600 rules, they were
 * ≈3 KB of every bundle with the extractor, and the rule lines keep their names as written. The renaming is the same
 * throughout a bundle, so it is safe for a name that no data crossing the bundle's edge (JSON, DynamoDB items, events,
 * the external packages) carries and that no code reads by a string (`rule['maxLines']`, `'lookback' in rule`, which
 * esbuild leaves as written): test/infra/mangled-properties.test.ts checks that no bundled file outside
 * {@link RULE_PROPERTY_READERS} names one, and that a bundled extractor answers as the sources do. The output's own
 * fields (`keyLines`, `category`, `weight`) are not renamed.
 */
export const RULE_ONLY_PROPERTIES = [
  'maxLines',
  'lookback',
  'categoryFrom',
  'inFailureList',
  'contAfter',
  'statusOnly',
  'confirmedBy',
  'confirmedByNext',
  'languageFrom',
  'belowPick',
  'underPick',
  'headNext',
  'farthest',
  'nextLine',
  'absorbsFromFirst',
  'blankEnds',
  'summarises',
  'wrapsOutput',
  'rereadHead',
  'atLimit',
  'causeOnce',
  'keyFrom',
  'tallyAbove',
  'outdented',
  'endsRun',
  'interleaved',
  'cont',
] as const;

/** The modules that may name a property of {@link MANGLED_PROPERTY_NAMES}: the rules and the extractor that reads them. */
export const RULE_PROPERTY_READERS: readonly string[] = [
  'shared/logs/rules.ts',
  'shared/logs/analyzer.ts',
  'shared/logs/dispatch.ts',
  'shared/logs/npm-output.ts',
  'shared/logs/raw-continuation.ts',
  'shared/logs/types.ts',
  'shared/logs/predict.ts',
  'shared/logs/redaction/private-key-filter.ts',
];

/**
 * The log scanner's own fields and methods (shared/logs/analyzer.ts), long and read often: renamed as
 * {@link RULE_ONLY_PROPERTIES} are, under the same checks (≈0.6 KB of classify).
 */
export const SCANNER_ONLY_PROPERTIES = ['headLine', 'headText', 'ringAt', 'quotePastLimit', 'stepHeaderLeft'] as const;

/** Every property name the bundles rename. */
export const MANGLED_PROPERTY_NAMES: readonly string[] = [...RULE_ONLY_PROPERTIES, ...SCANNER_ONLY_PROPERTIES];

/** esbuild's `mangleProps`: exactly {@link MANGLED_PROPERTY_NAMES}. */
export const MANGLED_PROPERTIES = new RegExp(`^(?:${MANGLED_PROPERTY_NAMES.join('|')})$`);

/** The charset of the bundles' code (see {@link bundlingOptionsFor}). */
export const CHARSET = 'utf8' as const;

/**
 * What esbuild replaces in the bundles' code (`--define`): the log analyzer's data that `npm run build:line-filter`
 * stores is checked to have been computed from the current rules, or the build fails here, so a bundle leaves out the
 * code that would compute it at run time (the regular-expression reader, the automata compiler, the literal reader:
 * ≈15 KB of classify; see `GUARD_STORED_DATA_FRESH` in shared/logs/stored.ts). The sources, as `npm test`, `npm start`
 * and the CLI run them, keep that code. Checked once a process: the keys of the rule table's expressions, no compiling.
 */
export function bundleDefines(): Readonly<Record<string, string>> {
  if (!storedDataChecked) {
    assertStoredDataFresh();
    storedDataChecked = true;
  }
  return { [STORED_DATA_FRESH_DEFINE]: 'true' };
}

let storedDataChecked = false;

/** A function's entry module. */
export function functionEntry(name: FunctionName): string {
  return join(PROJECT_ROOT, 'functions', name, 'handler.ts');
}

/**
 * How a function's code is bundled: minified ESM with a source map, by the local esbuild. The settings
 * esbuildOptionsFor (function-bundle.ts) builds every bundle with, for synth and for `npm run bundle:sizes`
 * (scripts/bundle-sizes.ts), so the script measures the bundles AWS gets. Spelled as aws-cdk-lib's NodejsFunction
 * options, which bundled the functions until session 63.
 */
export function bundlingOptionsFor(name: FunctionName) {
  return {
    // OutputFormat.ESM's value, spelled out: the enum is aws-cdk-lib's, which a bundling process does not load.
    format: 'esm' as OutputFormat.ESM,
    target: 'node22',
    minify: true,
    sourceMap: true,
    // Prefer packages' ESM builds so tree shaking works and top-level await in the handlers is legal.
    mainFields: ['module', 'main'],
    banner: CREATE_REQUIRE_BANNER,
    define: { ...bundleDefines() },
    // esbuildOptionsFor adds: the bundled packages' license comments (and the coverage hints some mark @preserve)
    // to index.mjs.LEGAL.txt in the same asset, shipped with the code, instead of ~1.9 KB at the end of every bundle a
    // cold start parses (LEGAL_COMMENTS); `charset: 'utf8'` (CHARSET): non-ASCII characters in strings as themselves,
    // not esbuild's default `\uXXXX` (6 bytes for what UTF-8 says in 2 or 3): the translated advice, redaction and
    // injection tables (Cyrillic, Greek, typographic punctuation) are ≈0.5 KB of escapes in the largest bundles. Node
    // reads an `.mjs` as UTF-8 either way, so the code means the same; esbuild keeps regular expressions as written
    // and still escapes what it must (lone surrogates, U+2028/U+2029); test/infra/bundling.test.ts checks the
    // synthesized bundles. And the aliases (BUNDLE_ALIASES) and the renamed properties (RULE_ONLY_PROPERTIES).
    // Ship the SDK versions the code was tested with (Bedrock Converse, lib-dynamodb) instead of whatever
    // the runtime happens to include; only the credential chain's never-used fallbacks, the SSO token refresh's
    // client and, where nothing imports it at start, the event-stream serde stay outside.
    bundleAwsSDK: true,
    externalModules: [...CREDENTIAL_CHAIN_FALLBACKS, SSO_TOKEN_CLIENTS, ...(EVENT_STREAM_SERDE_AT_START.has(name) ? [] : [EVENT_STREAM_SERDE])],
  } satisfies BundlingOptions;
}
