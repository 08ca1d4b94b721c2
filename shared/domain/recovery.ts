import { createHash } from 'node:crypto';
import * as z from '../zod.js';
import type { HistoryEntry, Incident } from './incident.js';
import { alarmStateChangeOf } from './trigger.js';

/**
 * A green run (or a successful check of another CI system) to record off the webhook request: ingest queues it
 * and answers GitHub at once; the outcome recorder resolves the scope's open incidents, updates the PR comment and
 * the learning counters (shared/steps/record-outcome.ts). Plain JSON, so it crosses Lambda's async invocation
 * queue and the local runtime's store queue the same way. Built in a pure function: only the outcome recorder parses
 * it, and esbuild keeps a top-level schema (its `.check` calls could have side effects) in every bundle that imports
 * this module for its helpers (remediate, notify, classify …), `z.iso`'s whole namespace with it.
 */
export const workflowRecoveryMessageSchema = /* @__PURE__ */ (() => z.object({
  kind: z.literal('workflow_recovery'),
  /** Deterministic per green run: the same delivery queued twice is one message locally, one outcome everywhere. */
  id: z.string().check(z.regex(/^[0-9a-f]{32}$/)),
  scope: z.string().check(z.minLength(1), z.maxLength(1000)),
  runId: z.nullable(z.number().check(z.int(), z.positive())),
  runAttempt: z.optional(z.number().check(z.int(), z.positive())),
  /** The green run's `run_number`; absent for another CI's check run (and in messages queued before it was kept). */
  runNumber: z.nullish(z.number().check(z.int(), z.positive())),
  resolvedBy: z.string().check(z.minLength(1), z.maxLength(200)),
  installationId: z.nullable(z.number().check(z.int())),
  completedAt: z.iso.datetime({ offset: true }),
  /**
   * A fork's check run of a known pull request: the scopes all forks' checks shared before they were told apart
   * (`sharedForkCheckScopes`), where its failures recorded before that change are, and the pull request whose open
   * incidents there it resolves. Absent for any other green run.
   */
  sharedForkScopes: z.optional(z.object({
    scopes: z.array(z.string().check(z.minLength(1), z.maxLength(1000))).check(z.maxLength(2)),
    pullRequest: z.number().check(z.int(), z.positive()),
  })),
  /**
   * The scopes it resolves keyed by the repository's name, as they were before scopes were keyed by its id
   * (`scopesByName`), and the repository's id: their open incidents recorded with that id, or with none, are resolved
   * too. Absent in messages queued before scopes were keyed by id.
   */
  scopesByName: z.optional(z.object({
    repositoryId: z.number().check(z.int()),
    scopes: z.array(z.string().check(z.minLength(1), z.maxLength(1000))).check(z.maxLength(3)),
  })),
  /**
   * A fork's check run: what it resolves beyond its own scope (`forkGreenCheckReach`). Absent for any other green run
   * and in messages queued before it was kept.
   */
  forkCheck: z.optional(z.object({
    /** The other scopes its own commit's failures of the same check may be keyed under: all their open incidents. */
    commitScopes: z.array(z.string().check(z.minLength(1), z.maxLength(1000))).check(z.maxLength(2)),
    /** Its pull request, when known: that pull request's open failures of the same check, wherever they are keyed. */
    pullRequest: z.optional(z.object({
      repository: z.string().check(z.minLength(3), z.maxLength(200)),
      /** GitHub's id of the repository (absent in messages queued before it was kept: then its name decides). */
      repositoryId: z.optional(z.number().check(z.int())),
      number: z.number().check(z.int(), z.positive()),
    })),
  })),
}))();
export type WorkflowRecoveryMessage = z.infer<typeof workflowRecoveryMessageSchema>;
/** What a fork's green check run resolves beyond its own scope. */
export type ForkCheckReach = NonNullable<WorkflowRecoveryMessage['forkCheck']>;

export function workflowRecoveryMessage(recovery: Omit<WorkflowRecoveryMessage, 'kind' | 'id' | 'completedAt'> & { completedAt: Date }): WorkflowRecoveryMessage {
  const id = createHash('sha256').update(`${recovery.scope}\n${recovery.resolvedBy}`).digest('hex').slice(0, 32);
  return {
    kind: 'workflow_recovery',
    id,
    scope: recovery.scope,
    runId: recovery.runId,
    ...(recovery.runAttempt === undefined ? {} : { runAttempt: recovery.runAttempt }),
    ...(recovery.runNumber ? { runNumber: recovery.runNumber } : {}),
    resolvedBy: recovery.resolvedBy,
    installationId: recovery.installationId,
    completedAt: recovery.completedAt.toISOString(),
    ...(recovery.sharedForkScopes ? { sharedForkScopes: recovery.sharedForkScopes } : {}),
    ...(recovery.forkCheck ? { forkCheck: recovery.forkCheck } : {}),
    ...(recovery.scopesByName ? { scopesByName: recovery.scopesByName } : {}),
  };
}

/**
 * Tells a queued recovery apart from the EventBridge alarm events the same outcome recorder receives. An event shaped
 * as an alarm state change is always an alarm event, whatever else it carries: the local runtime passes alarm bodies
 * from its HTTP route through unvalidated, and such a body must not pass for a recovery that ingest queued.
 */
export function isWorkflowRecoveryMessage(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { kind?: unknown }).kind === 'workflow_recovery' && alarmStateChangeOf(event) === null;
}

/** When an incident's failure happened, as its time to recovery counts it (epoch ms; NaN when unreadable). */
export function failureTimeOf(incident: Pick<Incident, 'failedAt' | 'createdAt'>): number {
  return Date.parse(incident.failedAt ?? incident.createdAt);
}

/**
 * When an alarm incident's alarm fired: its own state-change time (epoch ms; NaN when unreadable or not an alarm), not
 * when the event reached the guard. Alarm groups and episodes go by it: deliveries come late and out of order.
 */
export function firedAtOf(incident: Pick<Incident, 'alarm'>): number {
  return Date.parse(incident.alarm?.stateChangedAt ?? '');
}

/** Whole seconds from the failure to `at`, never negative; 0 when the failure's time cannot be read. */
export function secondsToRecovery(incident: Pick<Incident, 'failedAt' | 'createdAt'>, at: Date): number {
  const since = failureTimeOf(incident);
  return Number.isNaN(since) ? 0 : Math.max(0, Math.round((at.getTime() - since) / 1000));
}

/**
 * Why a green run does not speak for an open incident of its scope, or null when it does and resolves it.
 * Deliveries come late and more than once (GitHub redelivers, Lambda retries the queued recovery, a slow run
 * finishes after a newer one), so a green run is compared with the failure instead of trusted for arriving after it:
 * - it completed at or after the failure (its `updated_at` against the incident's `failedAt`): a green run that
 *   ended before the failure cannot say the failure is fixed, and would record a recovery before it failed;
 * - it is not an earlier run of the workflow (a lower `run_number`; a scope is one repository, branch and
 *   workflow): an earlier run tested an earlier push, so it says nothing of the newer commit that failed, even when
 *   it finished later. Compared only when both numbers are known (Actions runs, not other CI's checks; not
 *   incidents or queued recoveries from before the number was kept). A re-run attempt keeps its run's number.
 * Both must hold: a newer run that finished before a slower failing run of an older commit leaves that incident to
 * the next green run rather than record it resolved before it failed.
 */
export function greenRunLeavesOpen(
  incident: Pick<Incident, 'failedAt' | 'createdAt' | 'runNumber'>,
  green: { completedAt: Date; runNumber?: number | null },
): string | null {
  const failedAt = failureTimeOf(incident);
  if (!Number.isNaN(failedAt) && green.completedAt.getTime() < failedAt) {
    return `the green run completed at ${green.completedAt.toISOString()}, before the failure at ${new Date(failedAt).toISOString()}`;
  }
  if (green.runNumber && incident.runNumber && green.runNumber < incident.runNumber) {
    return `the green run is run number ${green.runNumber}, earlier than the failed run number ${incident.runNumber}`;
  }
  return null;
}

/**
 * Whether a green attempt of the failure's own run is no later than the failed attempt (a re-run of a green run that
 * then failed, or the same attempt): it says nothing of that failure, whatever the times say.
 */
export function greenAttemptNotLater(incident: Pick<Incident, 'runId' | 'runAttempt'>, green: { runId: number | null; runAttempt?: number }): boolean {
  return green.runId !== null && incident.runId === green.runId && (incident.runAttempt ?? 1) >= (green.runAttempt ?? 1);
}

/**
 * The latest green run of a scope (an Actions run, or a successful check run of another CI system), as the outcome
 * recorder notes it before resolving the scope's open incidents (`GreenRunNotes.noteGreenRun`): a failure delivered
 * after it is judged against it when classified.
 */
export interface GreenRunNote {
  /** The Actions run; null for a check run of another CI system (its scope is the check's, its attempt 1). */
  runId: number | null;
  runAttempt: number;
  runNumber: number | null;
  resolvedBy: string;
  completedAt: Date;
  /**
   * When the note was written: its green run's delivery, as the outcome recorder noted it (a redelivery of the same
   * run does not move it). Absent on notes written before it was kept.
   */
  notedAt?: Date;
}

/**
 * The later attempts of a failure's run whose incidents classify reads (in the same one batch read as the green-run
 * note): the next attempt may be delivered late as well (attempt 1 after attempt 3, attempt 2 not yet on record).
 */
export const LATER_ATTEMPTS_READ = 4;

/** What was on record, when a failure was classified, that may supersede it (`GreenRunNotes.laterOnRecord`). */
export interface LaterOnRecord {
  /** The scope's latest green run noted (by completion time), or null. */
  green: GreenRunNote | null;
  /**
   * The scope's green run of the newest run number noted (of its attempts, the latest completed), or null (none with
   * a run number: another CI's checks). It speaks for a failure that `green` may not: green runs complete out of
   * run-number order (a slow earlier run, a re-run of an old one), and an earlier run that passed after a newer one
   * is the latest, yet says nothing of a failure between the two.
   */
  newestRun: GreenRunNote | null;
  /**
   * The latest of the failure's run's next {@link LATER_ATTEMPTS_READ} attempts whose incident exists (that attempt
   * was delivered, and failed), or null when none does.
   */
  laterAttemptFailed: number | null;
}

/**
 * When the green run came to be on record, against the failure's delivery (its incident's creation): delivered first
 * (the failure's delivery came late, or was redelivered), or noted after the failure was delivered and before it was
 * classified (two deliveries racing). A note written before its time was kept says only that it was on record.
 */
function whenNoted(green: GreenRunNote, incident: Pick<Incident, 'createdAt'>): string {
  const deliveredAt = Date.parse(incident.createdAt);
  if (!green.notedAt || Number.isNaN(deliveredAt)) return 'was on record before this failure was classified';
  const notedAt = green.notedAt.toISOString();
  return green.notedAt.getTime() < deliveredAt
    ? `was on record (since ${notedAt}) before this failure was delivered (${incident.createdAt})`
    : `was recorded at ${notedAt}, after this failure was delivered (${incident.createdAt}) and before it was classified`;
}

/**
 * The fields (and history entry) that record a failure as superseded when it is classified after what replaced it
 * was delivered: GitHub redelivers a failed delivery later, or a person redelivers one, so a run's attempt 1 can
 * arrive after its attempt 2. Null when nothing on record supersedes it. Two cases, the green one first:
 * - a green run that resolves it by the rules of a green run delivered after it (`greenRunLeavesOpen`, and never an
 *   attempt of its run no later than it): recorded resolved by that run, as of its completion, as the outcome
 *   recorder would have done had the failure come first;
 * - a later attempt of its own run was delivered failing: the latest such attempt's incident is the one being handled
 *   (a re-run of it may be under way); this one is recorded resolved as superseded, with no time to recovery.
 * Either way it comments, re-runs and pages nothing (`supersededBy`). Two green runs of the scope are kept, its latest
 * and its newest run: any green run that would resolve the failure is one of them, unless runs of three numbers
 * completed out of order around it (the newest passed before the failure, a run between the two passed after it, and
 * an older one after that): that failure is handled as a fresh failure.
 */
export function supersededFields(
  incident: Pick<Incident, 'runId' | 'runAttempt' | 'runNumber' | 'failedAt' | 'createdAt'>,
  later: LaterOnRecord,
  now: Date,
): { fields: Pick<Incident, 'status' | 'resolvedAt' | 'timeToRecoverySeconds' | 'resolvedBy' | 'supersededBy'>; history: HistoryEntry } | null {
  const green = [later.green, later.newestRun].find((note) => note && !greenAttemptNotLater(incident, note) && greenRunLeavesOpen(incident, note) === null);
  if (green) {
    const resolvedAt = green.completedAt.toISOString();
    return {
      fields: { status: 'resolved', resolvedAt, timeToRecoverySeconds: secondsToRecovery(incident, green.completedAt), resolvedBy: green.resolvedBy, supersededBy: green.resolvedBy },
      history: {
        at: now.toISOString(),
        event: 'resolved',
        detail: `${green.resolvedBy} passed at ${resolvedAt}, and ${whenNoted(green, incident)}: nothing was run, commented or paged`,
      },
    };
  }
  if (later.laterAttemptFailed !== null && incident.runId !== null) {
    const next = `run ${incident.runId} (attempt ${later.laterAttemptFailed})`;
    return {
      fields: { status: 'resolved', resolvedAt: now.toISOString(), timeToRecoverySeconds: null, resolvedBy: `superseded by ${next}`, supersededBy: next },
      history: {
        at: now.toISOString(),
        event: 'resolved',
        detail: `superseded: ${next} failed and was on record before this failure was classified, and is handled on its own incident: nothing was run, commented or paged`,
      },
    };
  }
  return null;
}
