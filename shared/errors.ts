/**
 * Named errors. The state machine's `Retry`/`Catch` match on `error.name` (Lambda reports it as the
 * errorType), so the names here are part of the contract with `statemachines/incident-pipeline.asl.json`.
 */

/** A transient failure worth retrying with backoff (throttling, 5xx, timeouts). */
export class RetryableError extends Error {
  override name: string = 'RetryableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** GitHub answered 5xx, rate-limited us, or the network failed. */
export class GitHubUnavailableError extends RetryableError {
  override name = 'GitHubUnavailableError';
}

/**
 * Classify could not read what may supersede a failure (the scope's green-run note, the later attempts' incidents)
 * for a reason retries may fix. Retried like any RetryableError; when Classify's retries are spent, the state machine
 * ends the execution with the incident unfinished, for the reconciler's re-drive to check again, instead of Notify
 * commenting and paging as current a failure whose supersession is unknown.
 */
export class SupersededCheckUnavailableError extends RetryableError {
  override name = 'SupersededCheckUnavailableError';
}

/**
 * The shared GitHub write budget (content-creating requests across all executions, kept in DynamoDB) is spent
 * for now, or GitHub asked us to hold off (`retry-after`, a rate-limit reset) until a time still ahead.
 * Retryable: the next window has room again. `retryAfterSeconds` says when, so a caller can wait exactly that
 * long (Notify parks the PR comment in a Wait state) instead of backing off blindly.
 */
export class WriteBudgetExhaustedError extends RetryableError {
  override name = 'WriteBudgetExhaustedError';
  /** Whole seconds until a write may be tried again (at least 1). */
  readonly retryAfterSeconds: number;
  constructor(message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options);
    this.retryAfterSeconds = Math.max(1, Math.ceil(options?.retryAfterSeconds ?? 60));
  }
}

/**
 * A read–change–write (`reviseVersioned`) lost the race to other writers of its item on every attempt it had.
 * Retryable: the contention passes.
 */
export class VersionedWriteConflictError extends RetryableError {
  override name = 'VersionedWriteConflictError';
}

/**
 * A reconciler run's share of GitHub reads (the late reading of reactions) is spent: what is left waits for the next
 * run. Not GitHub's refusal, so nothing is held or retried sooner.
 */
export class ReadBudgetSpentError extends Error {
  override name = 'ReadBudgetSpentError';
}

/** The LLM provider throttled or failed transiently. */
export class AnalyzerUnavailableError extends RetryableError {
  override name = 'AnalyzerUnavailableError';
}

/** The LLM provider refused for a reason retries will not fix (access denied, model not enabled, bad request). */
export class AnalyzerConfigurationError extends Error {
  override name = 'AnalyzerConfigurationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Input that failed validation. Never retried. */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A required environment variable is missing or malformed; raised at cold start. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(message);
  }
}

/** Redaction could not run; the excerpt must be withheld rather than sent raw. */
export class RedactionError extends Error {
  override name = 'RedactionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * A query asked an index for attributes the index does not project: a programming error (the table definition and
 * its reader disagree), never retried, raised before any read so it cannot pass for an empty result.
 */
export class IndexProjectionError extends Error {
  override name = 'IndexProjectionError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * The pull request's alias item (shared/stores/incident-store.ts, PULLALIAS#) could not be written after the write that
 * indexed the incident by the repository's id: that write landed, and `written` is what it returned. The alias is a
 * reader's aid for incidents stored before ids were kept; writing it again is safe (the same item), and the next write
 * indexing one of the pull request's incidents by id does. Never the primary write's failure: its caller carries on.
 */
export class PullAliasWriteError<T = unknown> extends Error {
  override name = 'PullAliasWriteError';
  constructor(readonly incidentId: string, readonly written: T, options: { cause: unknown }) {
    super(`incident ${incidentId}: written, but its pull request's alias item was not`, options);
  }
}

/**
 * A write of an incident's fingerprint named another incident's source or repository id than the stored incident's:
 * the history it would file the incident in (`historyKey`) is another scope's. Refused, nothing written; a
 * programming error, never retried.
 */
export class IncidentOwnerMismatchError extends Error {
  override name = 'IncidentOwnerMismatchError';
  constructor(incidentId: string) {
    super(`incident ${incidentId}: another owner's history`);
  }
}

/**
 * A proposal changed under an approval request already e-mailed with the execution's task token (the local runtime
 * resumed the execution and the analysis came out otherwise): that token would approve a proposal its reader never
 * saw, so the wait ends and a human is told instead.
 */
export class ProposalChangedError extends Error {
  override name = 'ProposalChangedError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Step Functions refused a task token as spent (SendTaskSuccess/SendTaskFailure answered TaskTimedOut, InvalidToken or
 * TaskDoesNotExist): the wait it belonged to was resumed already, or has ended. Which of the two, it does not say.
 */
export class TaskTokenSpentError extends Error {
  override name = 'TaskTokenSpentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The task token's execution runs, and its wait is on record, but the execution is not back at that wait yet: the
 * local runtime restarted it (`npm start` after a stop or `kill -9`), and it runs again from its first state up to the
 * wait, which takes the same token again. Only the local runtime answers so (`TaskNotWaitingYet`; Step Functions keeps
 * a waiting execution at its wait). The token is not spent: the decision is to be sent again once the execution waits.
 */
export class TaskNotWaitingYetError extends Error {
  override name = 'TaskNotWaitingYetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The final reply to a `/guard` command could not be written yet: a refusal's delivery holds the reply's claim to
 * create it. That delivery writes the final text once it records its reply; but one whose post fails (it releases the
 * claim) or that dies first (the claim lapses) writes nothing, so the final writer is told, to try again later (the
 * reconciler keeps its entry): by then the reply is recorded, and edited, or its claim is free to take.
 */
export class CommandReplyBusyError extends Error {
  override name = 'CommandReplyBusyError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * A reconciler run finished with re-drives or digests it could not do (a StartExecution or a publish that failed).
 * The scheduled Lambda throws it after doing the rest, so the run counts as a Lambda error: one such run is retried
 * by the next, runs that keep failing raise the reconciler alarm.
 */
export class ReconcileIncompleteError extends Error {
  override name = 'ReconcileIncompleteError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * An unfinished incident has no trigger to re-drive it with: none was stored, or it cannot be read, and no execution
 * holds one. The reconciler treats it as a re-drive that failed (tried later and later, then on-call paged about it),
 * so it is neither listed in every run for ever nor left without anyone told.
 */
export class NoRecordedTriggerError extends Error {
  override name = 'NoRecordedTriggerError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * The runbook run its alarm's episode counts on is not known yet: the episode's holder took the runbook claim and its
 * step has not gone to its start (its rate-limit reservation), nor decided. Counted on now, a holder that then died
 * before its start left the episode with no run though it was approved twice (attack-44b R6, session 42). The state
 * machine retries it on the Remediate tasks for longer than the holder's own retries can last; the retried step counts
 * on a holder that went to its start, or takes over one that failed before it. Retries spent, its Catch goes to Notify,
 * which tells on-call the episode's runbook state is unknown. Not a RetryableError: its own Retry, not theirs.
 */
export class RunbookHolderStartingError extends Error {
  override name = 'RunbookHolderStartingError';
  constructor(message: string) {
    super(message);
  }
}

/** A record the step needs does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * The analyzer's stored data (shared/logs/line-filter.generated.ts) was not computed from the current rules: at a
 * build, which then refuses to bundle, or in a bundle, which carries no code to compute it (see shared/logs/stored.ts).
 */
export class StoredDataStaleError extends Error {
  override name = 'StoredDataStaleError';
}

/** An experiment with that id is already defined. */
export class ExperimentExistsError extends Error {
  override name = 'ExperimentExistsError';
}

/** No experiment has that id. */
export class ExperimentNotFoundError extends Error {
  override name = 'ExperimentNotFoundError';
}

/** The experiment is not in a state that allows the change (stopping a stopped one, promoting a running one). */
export class ExperimentStateError extends Error {
  override name = 'ExperimentStateError';
}

/**
 * The project's errors whose message is written for whoever ran the command: the CLI prints the message alone, since
 * the class name (`ExperimentNotFoundError: …`) is an internal detail. Built-in errors (`TypeError`) and other
 * libraries' keep their name: there it says what kind of failure it was.
 */
const OWN_ERRORS: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  RetryableError,
  AnalyzerConfigurationError,
  ValidationError,
  ConfigError,
  RedactionError,
  IndexProjectionError,
  NotFoundError,
  ExperimentExistsError,
  ExperimentNotFoundError,
  ExperimentStateError,
];

/** `error`'s message alone for a plain `Error` or one of the project's named errors (see {@link OWN_ERRORS}), else "Name: message". */
export function userMessage(error: unknown, ownErrors: ReadonlyArray<abstract new (...args: never[]) => Error> = []): string {
  if (!(error instanceof Error)) return String(error);
  const own = error.constructor === Error || [...OWN_ERRORS, ...ownErrors].some((kind) => error instanceof kind);
  return own ? error.message : errorMessage(error);
}

/** Error names the state machine retries. Kept here so tests can compare them with the ASL file. */
export const RETRYABLE_ERROR_NAMES = [
  'RetryableError',
  'GitHubUnavailableError',
  'WriteBudgetExhaustedError',
  'AnalyzerUnavailableError',
] as const;

/** AWS SDK v3 error names that mean "try again later" whatever the service (throttling, capacity, 5xx). */
const TRANSIENT_AWS_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalServerErrorException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  // shared/adapters/aws-json.ts's network failure (fetch's TypeError, named): retried there, then by the state machine.
  'AwsNetworkError',
]);

/**
 * Node's network failures (`error.code`), which the SDK retries itself and then throws as they are, with no name or
 * trait of its own: the same as its retry strategy's (NODEJS_TIMEOUT_ERROR_CODES and NODEJS_NETWORK_ERROR_CODES).
 */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True for an AWS SDK error worth retrying (the SDK marks them `$retryable` or `$fault: 'server'`, or a network
 * failure the SDK retried to its limit: a connection reset used to be caught as a failed stage). Steps let them
 * escape as {@link RetryableError} so the state machine retries them instead of catching them into a degraded
 * incident (a DynamoDB throttle used to end the pipeline early).
 */
export function isTransientAwsError(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof RetryableError) return false;
  const sdk = error as Error & { $retryable?: unknown; $fault?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown } };
  // A 429 by its status is throttling whatever its body (a proxy's HTML page has no error code to name it).
  const throttled = sdk.$metadata?.httpStatusCode === 429;
  return Boolean(sdk.$retryable) || sdk.$fault === 'server' || throttled || TRANSIENT_AWS_ERRORS.has(error.name) || TRANSIENT_NETWORK_CODES.has(String(sdk.code));
}

/**
 * DynamoDB's transient answers that turn a request down before it changes anything (throttled, or in conflict with
 * a transaction): retried like a timeout, but nothing of them can land later. Its other refusals (a validation, a
 * condition, access) are not transient, so mayStillLand already says no of them.
 */
const REFUSED_TRANSIENT_AWS_ERRORS = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TransactionConflictException']);

/**
 * Whether the write that failed with `error` may still change its item: a timeout, a dropped connection (a DNS or
 * connect failure too, which never reached DynamoDB: counted so all the same), an aborted request or a server error
 * (here or in its causes) leaves the request with DynamoDB, to be applied or not. A refusal applied nothing, and the
 * code's own error comes between writes that all answered. Only the error at hand: an earlier attempt the SDK
 * retried is noted apart (shared/stores/unsettled-writes.ts).
 */
export function mayStillLand(error: unknown): boolean {
  let at: unknown = error;
  for (let depth = 0; at instanceof Error && depth < 5; depth += 1, at = at.cause) {
    if (at.name === 'AbortError' || (isTransientAwsError(at) && !REFUSED_TRANSIENT_AWS_ERRORS.has(at.name))) return true;
  }
  return false;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * True for a failure that may pass if tried again: a {@link RetryableError} (GitHub 5xx or rate limit, a spent write
 * budget, a lost versioned race) or a transient AWS SDK error (a DynamoDB throttle, a 5xx, a timeout).
 */
export function isRetryable(error: unknown): boolean {
  return error instanceof RetryableError || isTransientAwsError(error);
}
