import * as z from '../zod.js';
import { firstIssue } from '../validation.js';
import { ValidationError } from '../errors.js';
import { redactOrWithhold } from '../logs/redact.js';
import { type Trigger, triggerSchema } from '../domain/trigger.js';

/** The error object Step Functions puts at a Catch's ResultPath. */
export interface CaughtError {
  Error?: string;
  Cause?: string;
}

/**
 * The execution state as it flows through the ASL: the trigger plus each stage's small result at its
 * ResultPath (`$.classify`, `$.knowledge`, …) or the caught error (`$.classifyError`, …).
 */
export interface PipelineState {
  trigger: Trigger;
  /**
   * Set by whoever started the execution after storing the incident (ingest, the reconciler): classify then skips
   * its create-if-missing, a conditional write that would only fail. Absent, classify creates the incident.
   */
  incidentStored?: boolean;
  /**
   * Set with `incidentStored` by ingest when storing the incident also wrote its pull request's alias item, or it had
   * none to write: classify's record, indexing the incident under the same pull request, then does not put that alias
   * again (one DynamoDB write an incident). Absent (a reconciler's start, an ingest whose alias write failed, an
   * execution started before it was set), classify's record writes it, as it did; ignored without `incidentStored`
   * (classify then stores the incident, and its own alias write is what counts).
   */
  pullAliasWritten?: boolean;
  /** The execution's ARN, recorded by the first state (`$$.Execution.Id`), for console links. */
  execution?: { arn?: unknown };
  classify?: ClassifyResult;
  knowledge?: KnowledgeResult;
  analysis?: AnalyzeResult;
  remediation?: RemediateResult;
  classifyError?: CaughtError;
  knowledgeError?: CaughtError;
  analyzeError?: CaughtError;
  remediateError?: CaughtError;
  /** Set when the execution resumed after `/guard approve` (the task token's success output). */
  approval?: { approvedBy?: unknown };
  /** Set when the approval was rejected or timed out (the AwaitApproval Catch). */
  approvalError?: CaughtError;
  /** The previous Notify round's result: a PR comment waiting for the write budget runs Notify again. */
  notify?: NotifyResult;
}

export interface ClassifyResult {
  incidentId: string;
  /**
   * `resolved` when classify recorded the incident resolved (a failure delivered after what superseded it, an alarm
   * already back to OK): the ResolvedAtClassify Choice then skips analysis and remediation. Absent from results of a
   * classify deployed before it, which the Choice reads as open.
   */
  incidentStatus?: 'classified' | 'resolved';
  category: string;
  fingerprint: string | null;
  failureCount: number;
  jobCount: number;
}

export interface KnowledgeResult {
  incidentId: string;
  seenBefore: number;
}

export interface AnalyzeResult {
  incidentId: string;
  incidentStatus: string;
  proposedAction: string;
  confidence: number;
  provider: string;
}

export interface RemediateResult {
  incidentId: string;
  action: string;
  applied: boolean;
  /** The Choice after Remediate sends the execution to wait for `/guard approve` when true. */
  awaitingApproval: boolean;
  approvalTimeoutSeconds?: number;
  /** A planned re-run waits `delaySeconds` (an experiment arm's parameter) in a Wait state, then remediate runs again. */
  awaitingDelay: boolean;
  delaySeconds?: number;
  /** Set when the wait is for the GitHub write budget (not an experiment's delay): since when, and how many rounds. */
  budgetWaitSince?: string;
  budgetWaitRounds?: number;
}

export interface NotifyResult {
  incidentId: string;
  status: string;
  notifications: number;
  /** The PR comment waits for the GitHub write budget: the Choice after Notify waits `waitSeconds`, then Notify runs again. */
  commentPending?: boolean;
  waitSeconds?: number;
  /** When the comment started waiting and how many Notify rounds it took so far (the bound of the wait). */
  pendingSince?: string;
  pendingRounds?: number;
  /** An escalation went out in this execution already: later rounds do not page again. */
  paged?: boolean;
  /**
   * The incident was paged or counted on the guard's page of the whole deployment (a degraded guard, its comment
   * coming): later rounds page again only for the failure itself, once its comment is given up.
   */
  guardPaged?: boolean;
}

const stateEnvelope = z.looseObject({ trigger: triggerSchema, incidentStored: z.optional(z.boolean()), pullAliasWritten: z.optional(z.boolean()) });

/** Validates the execution state at a step's edge; a bad trigger is a ValidationError (never retried). */
export function parseState(input: unknown): PipelineState {
  const result = stateEnvelope.safeParse(input);
  if (!result.success) {
    throw new ValidationError(`invalid pipeline state at ${firstIssue(result.error)}`);
  }
  return result.data as unknown as PipelineState;
}

export function describeCaught(error: CaughtError | undefined): string | null {
  if (!error) return null;
  let cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: string };
    if (parsed && typeof parsed.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // Cause is plain text when the error did not come from a Lambda.
  }
  // Redacted before it is cut (a cut first could leave half a token): a message quotes what failed, a command line
  // with a URL's credentials or the text around a bad JSON token, and this one is recorded, shown and paged
  // (attack-49 K).
  return redactOrWithhold(`${error.Error ?? 'Error'}: ${cause}`).slice(0, 500);
}

export type { Trigger };

/**
 * Who approved, as the task token's success output names them (`/guard approve` or the e-mailed command): at most
 * 100 characters, and "an approver" when it names nobody. Remediate's audit and Notify's record of the approval say
 * the same name.
 */
export function approverOf(approval: PipelineState['approval']): string {
  const approvedBy = approval?.approvedBy;
  return typeof approvedBy === 'string' && approvedBy.trim() !== '' ? approvedBy.trim().slice(0, 100) : 'an approver';
}

/** Who started the failed run attempt (`workflow_run.triggering_actor`): GitHub Actions runs only. */
export function triggeringActorOf(state: PipelineState): string | null {
  return state.trigger.source === 'github' ? state.trigger.triggeringActor : null;
}
