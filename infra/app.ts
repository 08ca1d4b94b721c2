/**
 * CDK entry point (`cdk.json`: `npx tsx infra/app.ts`). Context keys are documented at the top of infra/stack.ts.
 *
 * cdk-nag's AwsSolutions pack runs as a CDK validation plugin (cdk-nag v3 API): an unacknowledged finding fails
 * synth. Acknowledgements sit next to the resource they concern, each with its reason.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PipelineGuardStack } from './stack.js';

export const STACK_NAME = 'PipelineGuard';

/** Builds the app exactly as `cdk synth` does; tests call it with their own context. */
export function buildApp(props: AppProps = {}): { app: App; stack: PipelineGuardStack } {
  const app = new App(props);
  // Environment-agnostic on purpose: the stack needs no lookups, so synth gives the same template with or without
  // credentials, and `cdk deploy` targets the account and region of the CLI's profile.
  const stack = new PipelineGuardStack(app, STACK_NAME, {
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

if (isEntryPoint()) buildApp().app.synth();
