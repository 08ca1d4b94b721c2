import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Metafile, build } from 'esbuild';
import { App, CloudFormationValidatePlugin, type IPolicyValidationContext, type PolicyValidationPluginReport, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../infra/app.js';
import { esbuildOptionsFor } from '../../infra/constructs/function-bundle.js';
import { BUNDLE_ALIASES, type FunctionName, PROJECT_ROOT } from '../../infra/constructs/guard-function.js';
import type { PipelineGuardStack } from '../../infra/stack.js';
import { builtOnceInRun, stampsOf, unchangedSince } from '../support/built-once-in-run.js';

// The run's shared making, which test/infra/review-70-infra.test.ts checks from here, where it was first written.
export { builtOnceInRun, stampsOf, unchangedSince };

export const FUNCTION_NAMES: FunctionName[] = [
  'ingest-github',
  'classify',
  'knowledge-lookup',
  'analyze',
  'remediate',
  'notify',
  'record-outcome',
  'evaluate-gate',
  'reconcile',
  'ingest-alarm',
  'read-api',
];

export interface Synthesized {
  stack: PipelineGuardStack;
  template: Template;
}

/**
 * The temporary files of the running test file: one directory, made on first use and removed when the file's tests
 * end ({@link releaseTestFile}, which the infra project's setup file registers for every file). An App given no
 * outdir makes a `cdk.out*` directory of its own in the OS temp directory, which CDK removes only when the process
 * exits normally, and a test worker does not; so every App here gets an outdir in this one.
 */
let scratch: string | undefined;

/** A fresh directory (for a settings file, or an App's cloud assembly) that is removed after the test file. */
export function scratchDir(prefix = 'dir-'): string {
  scratch ??= mkdtempSync(join(tmpdir(), 'guard-infra-test-'));
  return mkdtempSync(join(scratch, prefix));
}

/**
 * Ends a test file: removes its directory and forgets its stacks and its builds of sources. The infra files share worker processes (the
 * project runs them without isolation, so aws-cdk-lib and the template validation engine start once a worker), and
 * this module's state with them: a per-file hook here would run for the first file only.
 */
export function releaseTestFile(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
  synthesized.clear();
  sourceBuilds.clear();
}

/** An App for reading settings (`readSettings(testApp(context))`), writing its assembly under {@link scratchDir}. */
export function testApp(context: Record<string, unknown> = {}): App {
  return new App({ outdir: scratchDir('cdk.out-'), context });
}

/**
 * aws-cdk-lib's own template validation (CloudFormation Validate, a WebAssembly engine; cdk.json's
 * `validateAgainstDefaultRules` makes what it finds fail synth), with its clean verdicts remembered for the whole
 * test run. Its verdict is a function of the template's text (its rules and options are fixed in aws-cdk-lib), but
 * the engine costs ~2.5 s of CPU to start in every test file's process and ~0.5 s a template after that: more than
 * the synth itself, and most files synthesize templates another file has already had validated (the default stack
 * above all). So a template that validated clean is recorded by its hash in the run's temporary directory (global
 * setup's, shared by every worker and gone with the run); the same text again is clean without starting the engine.
 * Anything else (a template never seen, one with any finding) goes to the real validation, whose report is kept.
 */
class RunWideCleanTemplates extends CloudFormationValidatePlugin {
  private static readonly directory = join(tmpdir(), 'cloudformation-validate-clean');
  /** aws-cdk-lib pins the engine's version and ships the rules: its version names both (a marker outlives a run without global setup). */
  private static readonly cdkVersion = (createRequire(import.meta.url)('aws-cdk-lib/package.json') as { version: string }).version;

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const hash = createHash('sha256').update(RunWideCleanTemplates.cdkVersion);
    for (const { templatePath, accountId, region } of context.stackTemplates) {
      hash.update(JSON.stringify([accountId, region])).update(readFileSync(templatePath));
    }
    const marker = join(RunWideCleanTemplates.directory, hash.digest('hex'));
    if (existsSync(marker)) return { success: true, violations: [] };
    // The instance aws-cdk-lib validates with when no plugin is registered (an app built with buildApp alone): one
    // engine for the process, whichever way a test file's apps were built.
    const report = CloudFormationValidatePlugin._singletonInstance().validate(context);
    if (report.success && report.violations.length === 0) {
      mkdirSync(RunWideCleanTemplates.directory, { recursive: true });
      writeFileSync(marker, '');
    }
    return report;
  }
}

const cleanTemplates = new RunWideCleanTemplates();

/** Validates `app`'s templates as `cdk synth` does, remembering clean ones for the run ({@link RunWideCleanTemplates}). */
export function rememberCleanTemplates(app: App): void {
  Validations.of(app).addPlugins(cleanTemplates);
}

/** The running test file's stacks by {@link synthKey}: tests only read a synthesized stack and its template. */
const synthesized = new Map<string, Synthesized>();

/** A context's key and value, and for a value naming a file (a policy, runbooks, prices) what the file holds now. */
function synthKey(context: Record<string, unknown>): string {
  const fileContent = (value: unknown) =>
    typeof value === 'string' && statSync(value, { throwIfNoEntry: false })?.isFile() ? createHash('sha256').update(readFileSync(value)).digest('hex') : undefined;
  return JSON.stringify(Object.entries(context).map(([key, value]) => [key, value, fileContent(value)]));
}

/**
 * The app exactly as `cdk synth` builds it (cdk-nag and CloudFormation Validate included), without bundling: synth
 * takes a second or two instead of bundling seven functions. Built once per test file for each context (a setting
 * refused is refused again on every call), and the default one once per worker ({@link defaultSynthesized}).
 */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const byDefault = Object.keys(context).length === 0;
  if (byDefault && defaultSynthesized !== undefined) return defaultSynthesized;
  const key = synthKey(context);
  const known = synthesized.get(key);
  if (known) return known;
  // The default stack's assembly goes to the run's directory, not the file's, which goes with the file.
  const outdir = byDefault ? mkdtempSync(join(tmpdir(), 'cdk.out-default-')) : scratchDir('cdk.out-');
  const { app, stack } = buildApp({ outdir, context: { 'aws:cdk:bundling-stacks': [], ...context } });
  rememberCleanTemplates(app);
  const built = { stack, template: Template.fromStack(stack) };
  if (byDefault) defaultSynthesized = built;
  else synthesized.set(key, built);
  return built;
}

/**
 * The default stack (no context beyond cdk.json's), kept for the worker's later files too: ten files read it, and
 * its synth was ≈0.6 s of CPU each time on a warm worker. Read only, as every synthesized stack here.
 */
let defaultSynthesized: Synthesized | undefined;

export interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Every statement of every inline policy attached to the role with this logical id. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export function functionStatements({ stack, template }: Synthesized, name: FunctionName): PolicyStatementJson[] {
  return roleStatements(template, stack.getLogicalId(stack.functions[name].role.node.defaultChild as CfnRole));
}

export function functionLogicalId(stack: Stack, fn: { function: { node: { defaultChild?: unknown } } }): string {
  return stack.getLogicalId(fn.function.node.defaultChild as CfnFunction);
}

/** True when some statement allows `action` (exactly) on a resource equal to `resource`. */
export function allows(statements: PolicyStatementJson[], action: string, resource?: unknown): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      actionsOf(s).includes(action) &&
      (resource === undefined || resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(resource))),
  );
}

export function getAtt(logicalId: string, attribute = 'Arn') {
  return { 'Fn::GetAtt': [logicalId, attribute] };
}

export function ref(logicalId: string) {
  return { Ref: logicalId };
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** A function's bundle as synth builds it: its code (`index.mjs`) and esbuild's account of the build. */
export interface FunctionBundle {
  code: string;
  metafile: Metafile;
  /** What it was built from as it was then ({@link stampsOf}): a bundle is kept only while they are the same. */
  stamps: Record<string, string | null>;
}

/** The modules that say how a bundle is built (its options and plugins), which are not among its inputs. */
const BUNDLE_SETTINGS_MODULES = ['function-bundle.ts', 'bundle-settings.ts'].map((file) => join(PROJECT_ROOT, 'infra', 'constructs', file));

/** This worker's function bundles, kept for the run (unlike a file's stacks): each is the same in every file. */
const functionBundles = new Map<FunctionName, Promise<FunctionBundle>>();

/**
 * Function `name`'s bundle exactly as synth builds it (esbuildOptionsFor's options and plugins; written to memory, with
 * a metafile), built once in the test run. Four files read every function's bundle (what it carries, which inputs
 * put code into it, which manifests they read), and each built all eleven: 44 builds of 11 bundles a run. Within a
 * worker the promise is kept; across workers, where global setup gave the run a directory of its own
 * (GUARD_TEST_RUN_DIR, gone with the run), the first worker to claim a bundle builds it there and the others wait for
 * it ({@link sharedFunctionBundle}). Either is used only while its sources are as they were ({@link unchangedSince}).
 */
export async function functionBundle(name: FunctionName): Promise<FunctionBundle> {
  let bundle = functionBundles.get(name);
  if (bundle !== undefined && !unchangedSince(await bundle)) bundle = undefined;
  if (bundle === undefined) {
    bundle = sharedFunctionBundle(name);
    functionBundles.set(name, bundle);
    // A failed build is not remembered: the next file to ask builds again, and fails in its own test.
    void bundle.catch(() => functionBundles.delete(name));
  }
  return bundle;
}

async function buildFunctionBundle(name: FunctionName, outfile: string): Promise<FunctionBundle> {
  const result = await build({ ...esbuildOptionsFor(name, outfile), write: false, metafile: true });
  const code = result.outputFiles.find((file) => file.path === outfile)?.text;
  if (code === undefined) throw new Error(`esbuild built no ${outfile} for ${name}`);
  // Stamped after the build: a file changed while it ran counts as changed, so it is built again, never kept stale.
  return { code, metafile: result.metafile, stamps: stampsOf([...BUNDLE_SETTINGS_MODULES, ...Object.keys(result.metafile.inputs)]) };
}

/** The run's bundle of `name`, built once across the workers in the run's directory ({@link builtOnceInRun}). */
async function sharedFunctionBundle(name: FunctionName): Promise<FunctionBundle> {
  const runDir = process.env.GUARD_TEST_RUN_DIR;
  const dir = join(runDir ?? tmpdir(), 'function-bundles');
  // The same path in every worker, so that the metafile's output paths are the same too.
  const outfile = join(dir, name, 'index.mjs');
  if (runDir === undefined) return buildFunctionBundle(name, outfile);
  return builtOnceInRun(dir, name, () => buildFunctionBundle(name, outfile), unchangedSince);
}


/**
 * Source lines of a bundle that sends through SDK clients: `answering(answers)`, a request handler that records each
 * request in `requests` (without what differs between two sends: its date, signature and invocation id) and answers
 * from a list, and `shown(send)`, an answer as text with its attempts, or its error's name, the classes of `classes`
 * (which the source declares) it is, its fault, status, attempts and fields.
 */
export const EXCHANGE_HARNESS = [
  `import { Readable } from 'node:stream';`,
  `const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };`,
  `export const requests = [];`,
  `const answering = (answers) => ({ handle: async (request) => {`,
  `  const { 'x-amz-date': _date, authorization: _signature, 'amz-sdk-invocation-id': _id, ...headers } = request.headers;`,
  `  const body = request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : String(request.body);`,
  `  requests.push(JSON.stringify({ method: request.method, hostname: request.hostname, path: request.path, query: request.query, headers, body }));`,
  `  const [statusCode, answerHeaders, answerBody] = answers.shift();`,
  `  return { response: { statusCode, headers: answerHeaders, body: Readable.from([Buffer.from(answerBody)]) } };`,
  `} });`,
  `const shown = async (send) => { try { const { $metadata, ...output } = await send(); return JSON.stringify({ ...output, attempts: $metadata.attempts }, (key, value) => value instanceof Uint8Array ? Buffer.from(value).toString() : value instanceof Set ? [...value] : value); }`,
  `  catch (error) { return JSON.stringify({ name: error.name, modelled: Object.entries(classes).filter(([, type]) => error instanceof type).map(([name]) => name), fault: error.$fault, message: error.message, status: error.$metadata?.httpStatusCode, attempts: error.$metadata?.attempts, ...error }); } };`,
];

/**
 * This worker's builds of {@link bundledLikeSynth}, by source, directory and plugins: a file that imports the same
 * source twice (each import a fresh module, evaluated in the environment of its moment) builds it once.
 */
const sourceBuilds = new Map<string, Promise<string>>();

/**
 * `source` bundled as synth bundles a function (esbuildOptionsFor's options, here for analyze), with its plugins and
 * its stand-in for the SDK's event streams (EVENT_STREAM_ALIASES) or neither, written beside `outdir`'s other bundles
 * as `label.mjs`: its code, and the module it exports once imported.
 */
export async function bundledLikeSynth<Module>(outdir: string, label: string, source: string, withPlugins: boolean): Promise<{ code: string; module: Module }> {
  const key = JSON.stringify([outdir, source, withPlugins]);
  let built = sourceBuilds.get(key);
  if (built === undefined) {
    built = buildLikeSynth(outdir, label, source, withPlugins);
    sourceBuilds.set(key, built);
    void built.catch(() => sourceBuilds.delete(key));
  }
  const code = await built;
  const outfile = join(outdir, `${label}.mjs`);
  writeFileSync(outfile, code);
  return { code, module: (await import(pathToFileURL(outfile).href)) as Module };
}

async function buildLikeSynth(outdir: string, label: string, source: string, withPlugins: boolean): Promise<string> {
  const entry = join(outdir, `${label}.ts`);
  writeFileSync(entry, source);
  const outfile = join(outdir, `${label}.mjs`);
  const options = esbuildOptionsFor('analyze', outfile);
  const result = await build({
    ...options,
    entryPoints: [entry],
    nodePaths: [join(PROJECT_ROOT, 'node_modules')],
    sourcemap: false,
    plugins: withPlugins ? options.plugins : [],
    alias: withPlugins ? options.alias : { ...BUNDLE_ALIASES },
    logLevel: 'error',
    write: false,
  });
  return result.outputFiles.find((file) => file.path === outfile)?.text ?? '';
}
