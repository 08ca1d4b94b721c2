/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Context keys: README, "Deploying to AWS" (read by readSettings in infra/stack.ts).
 *
 * cdk-nag's AwsSolutions pack runs as a CDK validation plugin (cdk-nag v3 API): an unacknowledged finding fails
 * synth. Acknowledgements sit next to the resource they concern, each with its reason.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PROJECT_ROOT } from './constructs/guard-function.js';
import { DEFAULT_STACK_NAME, PipelineGuardStack, SettingsError } from './stack.js';

/** CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters. */
const STACK_NAME_RE = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * The `context` block of cdk.json (feature flags included). The CDK CLI passes it to the app; tests build the app
 * without the CLI, so it is read here too: the template a test inspects is the one `cdk deploy` deploys.
 */
function projectContext(): Record<string, unknown> {
  const file = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return file.context ?? {};
}

export function stackNameFrom(app: App): string {
  const value: unknown = app.node.tryGetContext('stackName') ?? DEFAULT_STACK_NAME;
  if (typeof value !== 'string' || !STACK_NAME_RE.test(value)) {
    throw new SettingsError(`context stackName must start with a letter and hold only letters, digits and hyphens (at most 128): got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Builds the app exactly as `cdk synth` does; tests call it with their own context. */
export function buildApp(props: AppProps = {}): { app: App; stack: PipelineGuardStack } {
  const app = new App({ ...props, context: { ...projectContext(), ...props.context } });
  // Environment-agnostic on purpose: the stack needs no lookups, so synth gives the same template with or without
  // credentials, and `cdk deploy` targets the account and region of the CLI's profile.
  const stack = new PipelineGuardStack(app, stackNameFrom(app), {
    description: 'Pipeline Guard: CI failure and alarm incident pipeline',
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/** True when this module is the program (`tsx infra/app.ts`), false when a test imports it. */
function isEntryPoint(): boolean {
  const argv1 = process.argv[1];
  if (!argv1) return false;
  try {
    return realpathSync(argv1) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * `cdk synth`'s run of this app: a context value that is wrong is reported as its message alone (the stack trace of
 * a settings check tells the user nothing) with exit code 1; any other error is thrown as it is, trace included.
 */
export function synthForCli(props: AppProps = {}, report: (line: string) => void = (line) => console.error(line)): number {
  try {
    buildApp(props).app.synth();
    return 0;
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    report(error.message);
    return 1;
  }
}

if (isEntryPoint()) process.exitCode = synthForCli();
