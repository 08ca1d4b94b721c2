import type { SsmAutomationApi } from '../adapters/ssm-automation.js';
import type { Outbox } from '../adapters/outbox.js';
import { RetryableError } from '../errors.js';

/** Terminal states of an Automation execution (SSM AutomationExecutionStatus). */
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'CompletedWithSuccess', 'CompletedWithFailure', 'Rejected', 'Exited']);

export interface RunbookRequest {
  document: string;
  documentVersion?: string;
  parameters: Record<string, string[]>;
  /** Idempotency token (a UUID) derived from the incident. */
  clientToken: string;
}

export interface RunbookStatus {
  executionId: string;
  status: string;
  failureMessage: string | null;
}

/** Port: starts an allow-listed runbook and reports its status. */
export interface RunbookRunner {
  start(request: RunbookRequest): Promise<{ executionId: string }>;
  status(executionId: string): Promise<RunbookStatus>;
}

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

export function succeeded(status: string): boolean {
  return status === 'Success' || status === 'CompletedWithSuccess';
}

/** AWS Systems Manager Automation (shared/adapters/ssm-automation.ts in AWS). */
export function createSsmRunbookRunner(ssm: SsmAutomationApi): RunbookRunner {
  return {
    async start(request) {
      const response = await ssm.startAutomationExecution({
        DocumentName: request.document,
        ...(request.documentVersion ? { DocumentVersion: request.documentVersion } : {}),
        Parameters: request.parameters,
        ClientToken: request.clientToken,
      });
      if (!response.AutomationExecutionId) throw new RetryableError('StartAutomationExecution returned no execution id');
      return { executionId: response.AutomationExecutionId };
    },
    async status(executionId) {
      const response = await ssm.getAutomationExecution({ AutomationExecutionId: executionId });
      const execution = response.AutomationExecution;
      return {
        executionId,
        status: execution?.AutomationExecutionStatus ?? 'Pending',
        failureMessage: execution?.FailureMessage ?? null,
      };
    },
  };
}

/**
 * Local stand-in: records the automation request in the outbox (where an operator can see what would have
 * run) and reports it finished, as the outbox does for SNS. Like SSM it starts one execution per client token: a
 * step retried, or an execution the local runtime resumed after a crash, gets the first one back and the runbook
 * does not run twice.
 */
export function createOutboxRunbookRunner(outbox: Outbox): RunbookRunner {
  return {
    async start(request) {
      const earlier = (await outbox.entries()).find((entry) => entry.kind === 'runbook' && entry.clientToken === request.clientToken);
      if (earlier) return { executionId: `local-${earlier.id}` };
      const entry = await outbox.write({ kind: 'runbook', target: request.document, ...request });
      return { executionId: `local-${entry.id}` };
    },
    async status(executionId) {
      return { executionId, status: 'Success', failureMessage: null };
    },
  };
}

/**
 * Polls until the execution finishes or `timeoutMs` passes; a runbook still running then is reported as
 * such (the incident escalates) rather than waited for beyond the function's own time limit.
 */
export async function followRunbook(
  runner: RunbookRunner,
  executionId: string,
  options: { pollMs: number; timeoutMs: number; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<RunbookStatus> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  for (;;) {
    const status = await runner.status(executionId);
    if (isTerminal(status.status)) return status;
    if (now() + options.pollMs > deadline) return { ...status, status: `${status.status} (still running when Pipeline Guard stopped waiting)` };
    await sleep(options.pollMs);
  }
}
