import * as z from '../zod.js';
import { REMEDIATION_ACTIONS } from '../domain/incident.js';
import { CATEGORIES } from '../logs/types.js';
import { ACTION_PARAMS, type VariantParam, armSignature, describeParams, variantParamsSchema } from './params.js';

const slug = z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_", at most 63 characters'));

export const variantSchema = z
  .strictObject({
    name: slug,
    /** The remediation the variant applies; always inside the allow-list. */
    action: z.enum(REMEDIATION_ACTIONS),
    /** Share of traffic (relative weight; the weights need not add up to 100). */
    weight: z.number().check(z.positive(), z.lte(1_000)),
    /** What the arm changes, read by the stage that acts (see `params.ts` and README "A/B experiments"). */
    params: z._default(variantParamsSchema, {}),
  })
  .check(
    z.superRefine((variant, context) => {
      for (const [key, action] of Object.entries(ACTION_PARAMS)) {
        if (variant.params[key as VariantParam] !== undefined && variant.action !== action) {
          context.addIssue({ code: 'custom', path: ['params', key], message: `only applies to ${action} variants, not ${variant.action}` });
        }
      }
    }),
  );

export const metricSchema = z.discriminatedUnion('kind', [
  /** The incident resolved (next green run, alarm OK) within `minutes` of the failure. */
  z.strictObject({ kind: z.literal('recovered_within'), minutes: z.number().check(z.int(), z.positive(), z.lte(7 * 24 * 60)) }),
  /**
   * A user with write access gave positive feedback within `minutes` of the failure (default a week): without a
   * window an incident nobody voted on could still become a success, and its outcome would never be final.
   */
  z.strictObject({ kind: z.literal('positive_feedback'), minutes: z._default(z.number().check(z.int(), z.positive(), z.lte(7 * 24 * 60)), 7 * 24 * 60) }),
]);

export const experimentInputSchema = z.strictObject({
  id: slug,
  description: z._default(z.string().check(z.maxLength(500)), ''),
  /** The experiment applies to incidents of these categories … */
  categories: z._default(z.array(z.enum(CATEGORIES)).check(z.maxLength(CATEGORIES.length)), []),
  /** … or with these fingerprints. Both empty: every incident. */
  fingerprints: z._default(z.array(z.string().check(z.regex(/^[0-9a-f]{8,64}$/))).check(z.maxLength(100)), []),
  variants: z
    .array(variantSchema)
    .check(
      z.minLength(2),
      z.maxLength(4),
      z.refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, 'variant names must be unique'),
      z.superRefine((vs, context) => {
        // Two arms with the same treatment measure noise: whatever the table shows, it cannot be the strategy.
        const seen = new Map<string, string>();
        for (const variant of vs) {
          const signature = armSignature(variant);
          const twin = seen.get(signature);
          if (twin !== undefined) {
            context.addIssue({
              code: 'custom',
              message: `variants ${twin} and ${variant.name} are identical (${variant.action}, ${describeParams(variant.params)}): the arms of an experiment must differ in action or parameters`,
            });
            return;
          }
          seen.set(signature, variant.name);
        }
      }),
    ),
  metric: metricSchema,
  /** Attempts every variant needs before the stopping rule may declare a winner. */
  minSamplePerVariant: z._default(z.number().check(z.int(), z.gte(5), z.lte(100_000)), 30),
  /** Two-sided confidence of the intervals the stopping rule compares. */
  confidence: z._default(z.number().check(z.gte(0.8), z.lte(0.999)), 0.95),
  /**
   * Attempts per variant after which the experiment stops without a winner (the difference, if any, is too small
   * to matter). Defaults to 10 × the minimum sample.
   */
  maxSamplePerVariant: z.optional(z.number().check(z.int(), z.positive(), z.lte(1_000_000))),
});

export type ExperimentInput = z.input<typeof experimentInputSchema>;
export type ExperimentVariant = z.infer<typeof variantSchema>;
export type ExperimentMetric = z.infer<typeof metricSchema>;

/** How long after the failure an outcome can still be a success; after it the outcome is final. */
export function outcomeWindowMinutes(metric: Experiment['metric']): number {
  return metric.minutes ?? 7 * 24 * 60;
}

export type ExperimentStatus = 'running' | 'stopped' | 'promoted';

export interface Experiment extends Omit<z.infer<typeof experimentInputSchema>, 'maxSamplePerVariant' | 'metric'> {
  /** Stored definitions from before positive feedback had a window carry none (see {@link outcomeWindowMinutes}). */
  metric: ExperimentMetric | { kind: 'positive_feedback'; minutes?: number };
  maxSamplePerVariant: number;
  /**
   * `deadline`: outcomes count once final, by the deadline of their unit (README, "A/B experiments"). Experiments
   * created before have no field, and keep the counters they had: attempts when assigned, successes when seen.
   */
  outcomes?: 'deadline';
  status: ExperimentStatus;
  createdAt: string;
  /** Set when a variant was promoted to the default policy. */
  promotedVariant: string | null;
  promotedAt: string | null;
}

export { VARIANT_COUNTERS, type VariantCounterName, type VariantCounters } from './counters.js';
