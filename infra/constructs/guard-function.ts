import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AssetHashType, Duration, Stack, Validations } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, type CfnRole, type IGrantable, type IPrincipal, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_SERVICE } from '../../shared/adapters/metric-names.js';
import { assertStoredDataFresh, STORED_DATA_FRESH_DEFINE } from '../../shared/logs/stored-freshness.js';
import type { Config, SecretArnKey } from '../../shared/config.js';
import type { GuardTable } from './guard-table.js';
import { FUNCTION_TABLE_ACCESS, type FunctionName, type TableName } from '../table-access.js';
import { FUNCTION_SECRETS, type GrantTarget, actionsBeyondRow, grantTargetOf } from '../service-access.js';
import { GrantTargets } from './grant-targets.js';

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

/** Every Lambda of Pipeline Guard: one folder under functions/ each, entry `handler.ts`, export `handler`. */
export type { FunctionName };

/**
 * Environment keys a function may be given: exactly the ones `loadConfig` reads (shared/config.ts), so a renamed
 * setting breaks the build here instead of failing at cold start. AWS_REGION is reserved by Lambda.
 */
export type EnvKey = Exclude<keyof Config, 'AWS_REGION'>;

/** Which secret-ARN setting a secret fills. */
export type SecretEnvKey = SecretArnKey;

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
    format: OutputFormat.ESM,
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

/**
 * Bundles function `name` into `outputDir` for its asset: scripts/bundle-function.ts under tsx, in a process of its
 * own (CDK asks for the asset synchronously; esbuild's plugins need its asynchronous API). True, as CDK's local
 * bundling expects, or the build's error.
 */
export function bundleFunction(name: FunctionName, outputDir: string): boolean {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'bundle-function.ts'), name, outputDir], {
    cwd: PROJECT_ROOT,
    // Synth's stdout is the CDK CLI's; esbuild's warnings go to stderr with the rest of synth's diagnostics.
    stdio: ['ignore', process.stderr, 'inherit'],
  });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`bundling ${name} failed (exit ${result.status ?? result.signal})`);
  return true;
}

export interface GuardFunctionProps {
  /** The folder under functions/. */
  readonly name: FunctionName;
  readonly description: string;
  readonly logRetention: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /** Keep below the Task's TimeoutSeconds in the ASL, so Lambda's own timeout error reaches Retry/Catch. @default 30 s */
  readonly timeout?: Duration;
  /** Settings that are not a table or a secret (those go through {@link GuardFunction.useTable}/{@link GuardFunction.useSecret}). */
  readonly environment?: Partial<Record<EnvKey, string>>;
  /** Where failed asynchronous invocations land (EventBridge-triggered functions). */
  readonly deadLetterQueue?: IQueue;
  /** The `service` of its log lines and metrics (POWERTOOLS_SERVICE_NAME): one per stack. @default pipeline-guard */
  readonly serviceName?: string;
}

/** A secret given to a function whose row of FUNCTION_SECRETS (infra/service-access.ts) does not read it. */
export class SecretNotReadError extends Error {
  override name = 'SecretNotReadError';
}

/**
 * Per stack, which secret fills which setting, both ways: the row check reads the setting's name, so a secret given
 * under another setting's name (the webhook secret as a function's GitHub token) would pass it. One setting is one
 * secret, and one secret fills one setting, whichever function is given it first.
 */
const secretSettings = new WeakMap<Stack, { bySetting: Map<SecretEnvKey, ISecret>; bySecret: Map<ISecret, SecretEnvKey> }>();

function bindSecretSetting(stack: Stack, key: SecretEnvKey, secret: ISecret, fn: FunctionName): void {
  let bindings = secretSettings.get(stack);
  if (!bindings) {
    bindings = { bySetting: new Map(), bySecret: new Map() };
    secretSettings.set(stack, bindings);
  }
  const secretOfSetting = bindings.bySetting.get(key);
  const settingOfSecret = bindings.bySecret.get(secret);
  if (secretOfSetting !== undefined && secretOfSetting !== secret) {
    throw new SecretNotReadError(`${fn} is given ${secret.node.path} as ${key}, which is ${secretOfSetting.node.path} in this stack`);
  }
  if (settingOfSecret !== undefined && settingOfSecret !== key) {
    throw new SecretNotReadError(`${fn} is given ${secret.node.path} as ${key}, which is that secret's setting ${settingOfSecret} in this stack`);
  }
  bindings.bySetting.set(key, secret);
  bindings.bySecret.set(secret, key);
}

/** A statement of a policy document as synthesized; the `Not*` keys are refused, not read. */
interface StatementJson {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

interface PolicyDocumentJson {
  Statement?: StatementJson[];
}

/**
 * The house construct for Pipeline Guard's Lambdas: Node.js 22 on arm64, bundled by the local esbuild as minified
 * ESM with source maps, X-Ray active, its own log group with a retention, and its own role that can write only to
 * that log group (no AWSLambdaBasicExecutionRole managed policy). Permissions and the settings that name the
 * resource are granted together through {@link useTable} and {@link useSecret}, so they cannot drift apart.
 */
export class GuardFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  readonly name: FunctionName;
  private readonly deadLetterQueue?: IQueue;
  /** The secrets given through {@link useSecret}: the only ones GetSecretValue may be granted on. */
  private readonly secretArns: string[] = [];

  constructor(scope: Construct, id: string, props: GuardFunctionProps) {
    super(scope, id);
    this.name = props.name;
    this.deadLetterQueue = props.deadLetterQueue;

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Pipeline Guard ${props.name} function`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? DEFAULT_METRICS_SERVICE,
        // Stack traces in the logs point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...definedOnly(props.environment ?? {}),
      },
      // Bundled by esbuild's API (esbuildOptionsFor), run by scripts/bundle-function.ts: aws-cdk-lib's own bundling
      // runs esbuild's command line, which takes no plugin. The asset is hashed by its output, as NodejsFunction's is.
      code: Code.fromAsset(PROJECT_ROOT, {
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          image: Runtime.NODEJS_22_X.bundlingImage,
          local: { tryBundle: (outputDir) => bundleFunction(props.name, outputDir) },
          // CDK keeps one bundle per source path and bundling options within a synth: the function's name among
          // them, or every function would get the first one's bundle (the project root is every asset's source).
          environment: { GUARD_FUNCTION: props.name },
        },
      }),
      handler: 'index.handler',
    });

    // Active tracing, with X-Ray's grant in a policy of its own (not through `tracing: Tracing.ACTIVE`, which puts it
    // in the role's default policy): its "*" is acknowledged to cdk-nag on this policy alone, so a wildcard added to
    // the default policy is still a finding.
    const tracing = new Policy(this, 'Tracing', {
      roles: [this.role],
      statements: [new PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], resources: ['*'] })],
    });
    (this.function.node.defaultChild as CfnFunction).tracingConfig = { mode: 'Active' };
    this.function.node.addDependency(tracing);
    Validations.of(tracing).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'xray:PutTraceSegments and xray:PutTelemetryRecords, for active tracing, support no resource-level permissions.',
    });

    // Once every grant is made: none beyond the function's row of FUNCTION_SERVICE_ACCESS, which the local runtime
    // enforces (a grant added here alone would leave the local runtime refusing what AWS allows).
    this.node.addValidation({ validate: () => this.grantsBeyondItsRow() });

    // A Lambda fact, not an oversight, shared by every function.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the project builds and tests on (TOOLCHAIN: node ^22 from npm, vitest 5); the runtime moves together with the dev toolchain, not ahead of it.',
    });
  }

  /**
   * What the role is granted beyond its rows: an action neither the table of tables nor of services gives this
   * function, an action on another resource than GRANT_TARGETS names for it (or on "*"), and what cannot be read.
   */
  private grantsBeyondItsRow(): string[] {
    const { statements, unreadable } = this.statementsOfRole();
    const errors = unreadable.map((arn) => `${this.name} has the managed policy ${arn}, whose statements synth cannot read: grant through the role's own policies`);
    const actions = new Set<string>();
    for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
      if ('NotAction' in statement || 'NotResource' in statement) {
        errors.push(`${this.name} has a statement with NotAction or NotResource, which grants all but what it names: name the actions and their resources`);
        continue;
      }
      const resources = [statement.Resource].flat();
      for (const action of [statement.Action ?? []].flat()) {
        actions.add(action);
        errors.push(...this.resourcesBeyondTarget(action, resources));
      }
    }
    const beyond = actionsBeyondRow(this.name, [...actions]);
    if (beyond.length > 0) errors.unshift(`${this.name} is granted ${beyond.join(', ')}, which its row of FUNCTION_SERVICE_ACCESS (infra/service-access.ts) does not name`);
    return errors;
  }

  /** The grants of `action` on a resource other than what GRANT_TARGETS names for it; DynamoDB's only on "*". */
  private resourcesBeyondTarget(action: string, resources: readonly unknown[]): string[] {
    const stack = Stack.of(this);
    if (action.startsWith('dynamodb:')) return resources.filter((r) => r === '*').map(() => `${this.name} is granted ${action} on "*", not on its tables`);
    const target = grantTargetOf(this.name, action);
    if (target === undefined) return [];
    const allowed = new Set(this.arnsOf(target).map((arn) => JSON.stringify(stack.resolve(arn))));
    return resources
      .map((resource) => JSON.stringify(resource))
      .filter((resource) => !allowed.has(resource))
      .map((resource) => `${this.name} is granted ${action} on ${resource}, which is not ${target} (GRANT_TARGETS, infra/service-access.ts)`);
  }

  /** Which of the stack's resources `target` is, for this function. */
  private arnsOf(target: GrantTarget): readonly string[] {
    switch (target) {
      case 'any resource':
        return ['*'];
      case 'its log group':
        return [this.logGroup.logGroupArn];
      case 'its dead-letter queue':
        return this.deadLetterQueue ? [this.deadLetterQueue.queueArn] : [];
      case 'its secrets':
        return this.secretArns;
      default:
        return GrantTargets.of(this).arnsOf(target);
    }
  }

  /**
   * Every statement the role is given, resolved: its inline policies, the policies and managed policies of the stack
   * attached to it, and the ARNs of managed policies that are not the stack's (whose statements cannot be read here).
   */
  private statementsOfRole(): { statements: StatementJson[]; unreadable: string[] } {
    const stack = Stack.of(this);
    const role = this.role.node.defaultChild as CfnRole;
    const roleRef = JSON.stringify(stack.resolve(this.role.roleName));
    const policies = stack.node.findAll().filter((c): c is CfnPolicy | CfnManagedPolicy => c instanceof CfnPolicy || c instanceof CfnManagedPolicy);
    const managedArns = (stack.resolve(role.managedPolicyArns) as unknown[] | undefined) ?? [];
    const managedRefs = new Set(managedArns.map((arn) => JSON.stringify(arn)));
    const attached = policies.filter(
      (policy) =>
        ((stack.resolve(policy.roles) as unknown[] | undefined) ?? []).some((r) => JSON.stringify(r) === roleRef) ||
        (policy instanceof CfnManagedPolicy && managedRefs.has(JSON.stringify(stack.resolve(policy.ref)))),
    );
    const readable = new Set(attached.filter((p) => p instanceof CfnManagedPolicy).map((p) => JSON.stringify(stack.resolve(p.ref))));
    const inline = ((stack.resolve(role.policies) as Array<{ policyDocument: PolicyDocumentJson }> | undefined) ?? []).map((p) => p.policyDocument);
    const documents = [...inline, ...attached.map((policy) => stack.resolve(policy.policyDocument) as PolicyDocumentJson)];
    return {
      statements: documents.flatMap((document) => document.Statement ?? []),
      unreadable: managedArns.map((arn) => JSON.stringify(arn)).filter((arn) => !readable.has(arn)),
    };
  }

  get grantPrincipal(): IPrincipal {
    return this.role;
  }

  get functionArn(): string {
    return this.function.functionArn;
  }

  /** Sets one setting from shared/config.ts. */
  setEnv(key: EnvKey, value: string): this {
    this.function.addEnvironment(key, value);
    return this;
  }

  /**
   * Grants item access to the tables this function's row of FUNCTION_TABLE_ACCESS names, as it names it (the local
   * runtime enforces the same row), and sets the `<NAME>_TABLE` variable `loadConfig` reads for each.
   */
  useTables(tables: Record<TableName, GuardTable>): this {
    for (const [name, access] of Object.entries(FUNCTION_TABLE_ACCESS[this.name]) as Array<[TableName, NonNullable<(typeof FUNCTION_TABLE_ACCESS)[FunctionName][TableName]>]>) {
      tables[name].grantData(this, access);
      this.setEnv(tables[name].envKey, tables[name].tableName);
    }
    return this;
  }

  /**
   * Grants `secretsmanager:GetSecretValue` on a secret and sets the `*_SECRET_ARN` variable that names it, in one call.
   * Not `secret.grantRead`: it adds `DescribeSecret`, which no function calls (GetSecretValue is the one Secrets
   * Manager call, shared/adapters/secrets-manager.ts). The stack's secrets use the AWS-managed key, whose use through
   * Secrets Manager needs no grant of the caller.
   */
  useSecret(key: SecretEnvKey, secret: ISecret): this {
    if (!FUNCTION_SECRETS[this.name].includes(key)) throw new SecretNotReadError(`${this.name} reads no ${key} (FUNCTION_SECRETS, infra/service-access.ts): it is not given that secret`);
    bindSecretSetting(Stack.of(this), key, secret, this.name);
    this.secretArns.push(secret.secretArn);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
    return this.setEnv(key, secret.secretArn);
  }
}

function definedOnly(environment: Partial<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
