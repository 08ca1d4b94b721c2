import { type AwsJsonClientOptions, type AwsJsonFetch, createAwsJsonCall } from './aws-json.js';

/**
 * The two Systems Manager Automation calls remediate makes (starting an allow-listed runbook, reading its status),
 * sent over SSM's documented JSON API (shared/adapters/aws-json.ts) instead of through `@aws-sdk/client-ssm`. That
 * client registers all 141 of SSM's error classes and every operation's schema at import, a side effect esbuild must
 * keep: ≈75 KB of the remediate bundle, which the bound of 700 KB could no longer afford (docs/performance.md,
 * "remediate's SSM client"). A retried start is safe because StartAutomationExecution is idempotent by its
 * ClientToken. A refusal fails with SSM's error code as the error's `name` (`AwsServiceError`).
 */

/** StartAutomationExecution's input, as far as remediate sets it (SSM API reference). */
export interface StartAutomationExecutionInput {
  DocumentName: string;
  DocumentVersion?: string;
  Parameters: Record<string, string[]>;
  ClientToken: string;
}

/** GetAutomationExecution's output, as far as remediate reads it. */
export interface GetAutomationExecutionOutput {
  /** `ExecutionStartTime`: when the run started, in epoch seconds (SSM's JSON API sends timestamps so). */
  AutomationExecution?: { AutomationExecutionStatus?: string; FailureMessage?: string; ExecutionStartTime?: number };
}

/** Port: what the runbook runner needs of SSM. */
export interface SsmAutomationApi {
  startAutomationExecution(input: StartAutomationExecutionInput): Promise<{ AutomationExecutionId?: string }>;
  getAutomationExecution(input: { AutomationExecutionId: string }): Promise<GetAutomationExecutionOutput>;
}

/** The part of `fetch` used here (tests pass their own). */
export type SsmFetch = AwsJsonFetch;

export type SsmAutomationClientOptions = AwsJsonClientOptions;

export function createSsmAutomationClient(options: SsmAutomationClientOptions): SsmAutomationApi {
  const call = createAwsJsonCall({ endpointPrefix: 'ssm', targetPrefix: 'AmazonSSM', label: 'SSM', endpointEnv: 'SSM' }, options);
  return {
    startAutomationExecution: async (input) => (await call('StartAutomationExecution', input)) as { AutomationExecutionId?: string },
    getAutomationExecution: async (input) => (await call('GetAutomationExecution', input)) as GetAutomationExecutionOutput,
  };
}
