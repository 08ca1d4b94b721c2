import * as z from '../zod.js';
import { MIN_INPUT_TOKEN_BUDGET, PROMPT_VERSION, PROMPT_VERSIONS } from '../analysis/prompt-versions.js';
import type { RemediationAction } from '../domain/actions.js';

/**
 * The settings an experiment arm may change, each read by the code that performs the action (README, "A/B
 * experiments"). Unknown keys are refused: a parameter nothing reads would make an arm that only looks different.
 */
export const variantParamsSchema = z.strictObject({
  /** Re-run: GitHub's `enable_debug_logging` on rerun-failed-jobs (runner diagnostic and step debug logs). */
  enableDebugLogging: z.optional(z.boolean()),
  /**
   * Re-run: seconds the execution waits (a Wait state, no Lambda runs meanwhile) before the re-run is requested.
   * Every guard is checked again after the wait. At most an hour: a longer wait is a different remediation.
   */
  delaySeconds: z.optional(z.number().check(z.int(), z.gte(1), z.lte(3600))),
  /** Re-run: automatic re-runs per workflow and commit for this arm; the policy's `autoRerunMax` still caps it. */
  maxReruns: z.optional(z.number().check(z.int(), z.gte(0), z.lte(5))),
  /**
   * Analysis: the model id for the configured provider (a Bedrock model or inference profile id, or the
   * OpenAI-compatible endpoint's model). It must also be listed in LLM_EXPERIMENT_MODELS (CDK `experimentModelIds`).
   */
  model: z.optional(z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]*$/, 'a model id: letters, digits and . _ : / @ + -'))),
  /** Analysis: the prompt template (see `shared/analysis/prompt.ts`). */
  promptVersion: z.optional(z.enum(PROMPT_VERSIONS)),
  /** Analysis: estimated input tokens per model call (how much log and knowledge is sent). */
  inputTokenBudget: z.optional(z.number().check(z.int(), z.gte(MIN_INPUT_TOKEN_BUDGET), z.lte(1_000_000))),
  /** Notification: `short` (status, root cause, action) or `full` (the default comment with every job's lines). */
  commentDetail: z.optional(z.enum(['short', 'full'])),
  /** Notification: below this analysis confidence an incident that would only get a comment is escalated. */
  escalateBelowConfidence: z.optional(z.number().check(z.gte(0), z.lte(1))),
});

export type VariantParams = z.infer<typeof variantParamsSchema>;
export type VariantParam = keyof VariantParams;

/** Parameters that only mean something for one action; elsewhere they would be silently ignored, so they are refused. */
export const ACTION_PARAMS: Partial<Record<VariantParam, RemediationAction>> = {
  enableDebugLogging: 'rerun_failed_jobs',
  delaySeconds: 'rerun_failed_jobs',
  maxReruns: 'rerun_failed_jobs',
};

export const ANALYSIS_PARAMS = ['model', 'promptVersion', 'inputTokenBudget'] as const satisfies readonly VariantParam[];

/**
 * The parameters as stored with an assignment or a promoted policy. Definitions written before the parameters
 * were typed (`{ "debugLogging": "true" }`) parse to nothing rather than failing the incident: those keys never
 * did anything.
 */
export function storedParams(value: unknown): VariantParams {
  // An arm without parameters, the usual one, parses to `{}`: without the schema's walk, which the stopping rule's
  // simulation (683,000 reports in test/unit/experiments/stats.test.ts) paid once per arm per outcome.
  if (value === undefined || value === null || isEmptyPlainObject(value)) return {};
  const parsed = variantParamsSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const _key in value) return false;
  return Reflect.ownKeys(value).length === 0;
}

/** Values that mean the same as leaving the parameter out. */
const NEUTRAL: Partial<Record<VariantParam, unknown>> = { enableDebugLogging: false, commentDetail: 'full', promptVersion: PROMPT_VERSION };

/**
 * Action and parameters in a canonical form: two arms with the same signature are the same treatment
 * (`enableDebugLogging: false`, `commentDetail: "full"` and the default prompt version count as left out).
 */
export function armSignature(arm: { action: string; params: VariantParams }): string {
  const params = Object.entries(arm.params)
    .filter(([key, value]) => value !== undefined && NEUTRAL[key as VariantParam] !== value)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([arm.action, params]);
}

/** `enableDebugLogging=true, delaySeconds=300`, or `defaults` for an arm without parameters. */
export function describeParams(params: VariantParams): string {
  const entries = Object.entries(params).filter(([, value]) => value !== undefined);
  return entries.length === 0 ? 'defaults' : entries.map(([key, value]) => `${key}=${String(value)}`).join(', ');
}
