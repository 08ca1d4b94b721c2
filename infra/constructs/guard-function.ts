import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { AssetHashType, Duration, Stack, Validations } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, type CfnRole, type IGrantable, type IPrincipal, Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type CfnFunction, Code, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_SERVICE } from '../../shared/adapters/metric-names.js';
import type { Config, SecretArnKey } from '../../shared/config.js';
import type { GuardTable } from './guard-table.js';
import { FUNCTION_TABLE_ACCESS, type FunctionName, type TableName } from '../table-access.js';
import { FUNCTION_SECRETS, type GrantTarget, actionsBeyondRow, grantTargetOf } from '../service-access.js';
import { GrantTargets } from './grant-targets.js';
import { PROJECT_ROOT } from './bundle-settings.js';

// How the code is bundled lives in bundle-settings.ts, which a bundling process loads without aws-cdk-lib; named here
// too for the stack's other readers.
export {
  BUNDLE_ALIASES,
  CHARSET,
  CREATE_REQUIRE_BANNER,
  CREDENTIAL_CHAIN_FALLBACKS,
  EVENT_STREAM_ALIASES,
  EVENT_STREAM_SERDE,
  EVENT_STREAM_SERDE_AT_START,
  EVENT_STREAM_STAND_IN,
  LEGAL_COMMENTS,
  MANGLED_PROPERTIES,
  MANGLED_PROPERTY_NAMES,
  MAX_BUNDLE_BYTES,
  PROJECT_ROOT,
  RULE_ONLY_PROPERTIES,
  RULE_PROPERTY_READERS,
  SCANNER_ONLY_PROPERTIES,
  SSO_TOKEN_CLIENTS,
  bundleDefines,
  bundlingOptionsFor,
  functionEntry,
} from './bundle-settings.js';

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
