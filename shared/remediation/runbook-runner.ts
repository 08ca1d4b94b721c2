import type { SsmAutomationApi } from '../adapters/ssm-automation.js';
import type { Outbox } from '../adapters/outbox.js';
import { RetryableError } from '../errors.js';

/**
 * The states of SSM's AutomationExecutionStatus that end a run. The others have not ended: Pending, InProgress,
 * Waiting, Cancelling, Scheduled, RunbookInProgress, PendingApproval and Approved (a Change Manager request, run once
 * approved), PendingChangeCalendarOverride and ChangeCalendarOverrideApproved (run once the override is approved).
 * ChangeCalendarOverrideRejected ends a run that never ran: read as not ended, it was paged "has not ended" and
 * re-read forever (attack-45b B4, session 43).
 */
const TERMINAL = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled', 'CompletedWithSuccess', 'CompletedWithFailure', 'Rejected', 'ChangeCalendarOverrideRejected', 'Exited']);

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
  /**
   * When the run itself started (SSM's ExecutionStartTime), when known: a run a later ALARM made with a dead holder's
   * client token started hours after the holder's own first try (attack-45b B7, session 43).
   */
  startedAt?: string;
}

/**
 * A start refused because its client token started an execution already, with other parameters (SSM's
 * IdempotentParameterMismatch): that execution is the token's run, so the refusal says the run happened.
 */
export class ClientTokenUsedError extends Error {
  constructor(readonly clientToken: string, message: string) {
    super(message);
    this.name = 'ClientTokenUsedError';
  }
}

/**
 * Port: starts an allow-listed runbook and reports its status. A start is idempotent by its client token: a start
 * repeated with the token of one that happened answers that execution (or ClientTokenUsedError), never a second run.
 */
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
      const response = await ssm
        .startAutomationExecution({
          DocumentName: request.document,
          ...(request.documentVersion ? { DocumentVersion: request.documentVersion } : {}),
          Parameters: request.parameters,
          ClientToken: request.clientToken,
        })
        .catch((error: unknown) => {
          // The adapter names its failures by SSM's error code (AwsServiceError, shared/adapters/aws-json.ts), as the SDK's exceptions are named.
          if (error instanceof Error && error.name === 'IdempotentParameterMismatch') throw new ClientTokenUsedError(request.clientToken, error.message);
          throw error;
        });
      if (!response.AutomationExecutionId) throw new RetryableError('StartAutomationExecution returned no execution id');
      return { executionId: response.AutomationExecutionId };
    },
    async status(executionId) {
      const response = await ssm.getAutomationExecution({ AutomationExecutionId: executionId });
      const execution = response.AutomationExecution;
      const started = execution?.ExecutionStartTime;
      return {
        executionId,
        status: execution?.AutomationExecutionStatus ?? 'Pending',
        failureMessage: execution?.FailureMessage ?? null,
        ...(typeof started === 'number' ? { startedAt: new Date(started * 1000).toISOString() } : {}),
      };
    },
  };
}

/** The last start of each outbox file (by path) still being made, so that the next waits for it. */
const outboxStarts = new Map<string, Promise<unknown>>();

/**
 * Local stand-in: records the automation request in the outbox (where an operator can see what would have
 * run) and reports it finished, as the outbox does for SNS. Like SSM it starts one execution per client token: a
 * step retried, or an execution the local runtime resumed after a crash, gets the first one back and the runbook
 * does not run twice. The starts of one outbox are made one at a time: a later incident of the episode repeats its
 * holder's start (`confirmRunbookStart`) while the holder may be making it, and both must not find the token unused.
 */
export function createOutboxRunbookRunner(outbox: Outbox): RunbookRunner {
  const startOnce = async (request: RunbookRequest) => {
    const earlier = (await outbox.entries()).find((entry) => entry.kind === 'runbook' && entry.clientToken === request.clientToken);
    if (earlier) return { executionId: `local-${earlier.id}` };
    const entry = await outbox.write({ kind: 'runbook', target: request.document, ...request });
    return { executionId: `local-${entry.id}` };
  };
  return {
    async start(request) {
      const before = outboxStarts.get(outbox.path) ?? Promise.resolve();
      const started = before.catch(() => undefined).then(() => startOnce(request));
      outboxStarts.set(outbox.path, started);
      return started;
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
