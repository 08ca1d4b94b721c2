import * as z from '../zod.js';
import { REMEDIATION_ACTIONS } from '../domain/incident.js';
import { CATEGORIES } from '../logs/types.js';
import { parseJsonDocument } from '../validation.js';
import { settingsForRepository } from '../domain/repository-key.js';

/** Actions that change something outside Pipeline Guard and therefore pass every guard. */
export const AUTOMATIC_ACTIONS = ['rerun_failed_jobs', 'open_fix_pr', 'run_runbook'] as const;
export type AutomaticAction = (typeof AUTOMATIC_ACTIONS)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

const actionRule = z.strictObject({
  allowed: z.boolean(),
  /** The analysis confidence this action needs (0..1). */
  minConfidence: z.number().check(z.gte(0), z.lte(1)),
});

const approvalRule = z.strictObject({
  actions: z.array(z.enum(AUTOMATIC_ACTIONS)).check(z.minLength(1), z.maxLength(3)),
  categories: z.optional(z.array(z.enum(CATEGORIES)).check(z.maxLength(CATEGORIES.length))),
  severities: z.optional(z.array(z.enum(SEVERITIES)).check(z.maxLength(SEVERITIES.length))),
});

/**
 * Who hears about a failure that needs a human. The pull request's comment is the default channel for a PR
 * failure; on-call is paged only for failures nobody else would see, once per problem and window.
 */
const escalationPolicy = z.strictObject({
  /** Also page on-call for failures that have a pull request (its comment already tells the author). */
  pullRequests: z.boolean(),
  /**
   * Branches whose failures without a pull request page on-call (`*` at the end matches a prefix, `*` alone
   * every branch). Failures on other branches are recorded and not paged.
   */
  branches: z.array(z.string().check(z.minLength(1), z.maxLength(255))).check(z.maxLength(50)),
  /** Scheduled (cron) runs page on-call when they fail, whatever the branch list says. */
  scheduled: z.boolean(),
  /** One escalation per problem (fingerprint, or alarm) within this many minutes; repeats are counted on it. */
  windowMinutes: z.number().check(z.int(), z.gte(1), z.lte(7 * 24 * 60)),
  /**
   * When a window ends with repeats no page reported, on-call gets one digest (what, how many more times, first
   * and last seen). Off: the repeats reach on-call only with the next page after the window.
   */
  digest: z.boolean(),
});
export type EscalationPolicy = z.infer<typeof escalationPolicy>;

const repositoryPolicy = z.strictObject({
  /** Plan and record, apply nothing. */
  dryRun: z.boolean(),
  /** Stops every automatic action for the repository. */
  killSwitch: z.boolean(),
  /** A repository label (set by someone with write access) that has the same effect as `killSwitch`. */
  killSwitchLabel: z.string().check(z.minLength(1), z.maxLength(50)),
  actions: z.strictObject({
    rerun_failed_jobs: actionRule,
    open_fix_pr: actionRule,
    run_runbook: actionRule,
  }),
  /** Below this analysis confidence, an incident that would only get a comment is escalated to a human. */
  escalateBelowConfidence: z.number().check(z.gte(0), z.lte(1)),
  /** Automatic re-runs per workflow run (all attempts of one head SHA and workflow together). */
  autoRerunMax: z.number().check(z.int(), z.gte(0), z.lte(5)),
  rateLimits: z.strictObject({ perHour: z.number().check(z.int(), z.gte(0), z.lte(1000)), perDay: z.number().check(z.int(), z.gte(0), z.lte(10_000)) }),
  circuitBreaker: z.strictObject({
    /** Failure rate of recent automatic actions above which the breaker opens. */
    maxFailureRate: z.number().check(z.gte(0), z.lte(1)),
    /** Hours of automatic-action outcomes considered (counted in hourly buckets). */
    windowHours: z.number().check(z.int(), z.gte(1), z.lte(168)),
    /** Fewer outcomes than this never open the breaker: one failure is not a trend. */
    minSamples: z.number().check(z.int(), z.gte(1), z.lte(100)),
  }),
  /** Actions that wait for `/guard approve` from a user with write access. */
  requireApproval: z.array(approvalRule).check(z.maxLength(20)),
  /** How long an approval request waits before it escalates. */
  approvalTimeoutMinutes: z.number().check(z.int(), z.gte(1), z.lte(7 * 24 * 60)),
  escalation: escalationPolicy,
});

export type RepositoryPolicy = z.infer<typeof repositoryPolicy>;

/**
 * Safe defaults: re-runs are cheap and reversible; fix PRs are off (a repository opts in, and even then each one
 * waits for `/guard approve`: it puts generated code in a branch of the repository, whose push workflows run with
 * its secrets); runbooks touch production, so they wait for a human approval unless a repository opts out.
 */
export const DEFAULT_POLICY: RepositoryPolicy = {
  dryRun: false,
  killSwitch: false,
  killSwitchLabel: 'guard:pause',
  actions: {
    rerun_failed_jobs: { allowed: true, minConfidence: 0.6 },
    open_fix_pr: { allowed: false, minConfidence: 0.9 },
    run_runbook: { allowed: true, minConfidence: 0.8 },
  },
  escalateBelowConfidence: 0.4,
  autoRerunMax: 1,
  rateLimits: { perHour: 10, perDay: 50 },
  circuitBreaker: { maxFailureRate: 0.5, windowHours: 24, minSamples: 4 },
  requireApproval: [{ actions: ['run_runbook'], severities: ['high', 'critical'] }],
  approvalTimeoutMinutes: 240,
  // Every branch is watched because a failure without a pull request has no other reader; the window keeps a
  // nightly job that fails every night to one page a day.
  escalation: { pullRequests: false, branches: ['*'], scheduled: true, windowMinutes: 24 * 60, digest: true },
};

const partialActionRules = z.partial(
  z.strictObject({ rerun_failed_jobs: z.partial(actionRule), open_fix_pr: z.partial(actionRule), run_runbook: z.partial(actionRule) }),
);

const partialRepositoryPolicy = z.partial(
  z.extend(repositoryPolicy, {
    actions: partialActionRules,
    rateLimits: z.partial(repositoryPolicy.shape.rateLimits),
    circuitBreaker: z.partial(repositoryPolicy.shape.circuitBreaker),
    escalation: z.partial(escalationPolicy),
  }),
);

/** The policy file: defaults for every repository, then overrides per `owner/name` (case-insensitive). */
export const policyFileSchema = z.strictObject({
  defaults: z.optional(partialRepositoryPolicy),
  repositories: z.optional(z.record(z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/)), partialRepositoryPolicy)),
});
export type PolicyFile = z.infer<typeof policyFileSchema>;
type PartialPolicy = z.infer<typeof partialRepositoryPolicy>;

function merge(base: RepositoryPolicy, override: PartialPolicy | undefined): RepositoryPolicy {
  if (!override) return base;
  const actions = { ...base.actions };
  for (const action of AUTOMATIC_ACTIONS) actions[action] = { ...base.actions[action], ...override.actions?.[action] };
  return {
    ...base,
    ...override,
    actions,
    rateLimits: { ...base.rateLimits, ...override.rateLimits },
    circuitBreaker: { ...base.circuitBreaker, ...override.circuitBreaker },
    escalation: { ...base.escalation, ...override.escalation },
  } as RepositoryPolicy;
}

/** Parses a policy file's JSON text; a bad file fails with the path of the first problem. */
export function parsePolicyFile(text: string): PolicyFile {
  return parseJsonDocument(policyFileSchema, text, 'policy file');
}

/**
 * The effective policy for a repository (null for alarms): built-in defaults, then the file's defaults, then
 * the repository's overrides; the global dry-run flag can only make it stricter.
 */
export function policyFor(
  file: PolicyFile,
  repository: string | null,
  globalDryRun: boolean,
  base: RepositoryPolicy = DEFAULT_POLICY,
): RepositoryPolicy {
  let policy = merge(base, file.defaults);
  if (repository) policy = merge(policy, settingsForRepository(file.repositories, repository));
  return globalDryRun ? { ...policy, dryRun: true } : policy;
}

/** The built-in defaults with the deployment-wide settings (AUTO_RERUN_MAX, RERUN_MIN_CONFIDENCE) applied. */
export function basePolicy(settings: { autoRerunMax: number; rerunMinConfidence: number }): RepositoryPolicy {
  return {
    ...DEFAULT_POLICY,
    autoRerunMax: settings.autoRerunMax,
    actions: { ...DEFAULT_POLICY.actions, rerun_failed_jobs: { allowed: true, minConfidence: settings.rerunMinConfidence } },
  };
}

export { REMEDIATION_ACTIONS };
