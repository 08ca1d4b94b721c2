import * as z from 'zod';
import { REMEDIATION_ACTIONS } from '../domain/incident.js';
import { CATEGORIES } from '../logs/types.js';
import { ACTION_PARAMS, type VariantParam, armSignature, describeParams, variantParamsSchema } from './params.js';

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, "-" and "_", at most 63 characters');

export const variantSchema = z
  .object({
    name: slug,
    /** The remediation the variant applies; always inside the allow-list. */
    action: z.enum(REMEDIATION_ACTIONS),
    /** Share of traffic (relative weight; the weights need not add up to 100). */
    weight: z.number().positive().max(1_000),
    /** What the arm changes, read by the stage that acts (see `params.ts` and README "A/B experiments"). */
    params: variantParamsSchema.default({}),
  })
  .strict()
  .superRefine((variant, context) => {
    for (const [key, action] of Object.entries(ACTION_PARAMS)) {
      if (variant.params[key as VariantParam] !== undefined && variant.action !== action) {
        context.addIssue({ code: 'custom', path: ['params', key], message: `only applies to ${action} variants, not ${variant.action}` });
      }
    }
  });

export const metricSchema = z.discriminatedUnion('kind', [
  /** The incident resolved (next green run, alarm OK) within `minutes` of the failure. */
  z.object({ kind: z.literal('recovered_within'), minutes: z.number().int().positive().max(7 * 24 * 60) }).strict(),
  /**
   * A user with write access gave positive feedback within `minutes` of the failure (default a week): without a
   * window an incident nobody voted on could still become a success, and its outcome would never be final.
   */
  z.object({ kind: z.literal('positive_feedback'), minutes: z.number().int().positive().max(7 * 24 * 60).default(7 * 24 * 60) }).strict(),
]);

export const experimentInputSchema = z
  .object({
    id: slug,
    description: z.string().max(500).default(''),
    /** The experiment applies to incidents of these categories … */
    categories: z.array(z.enum(CATEGORIES)).max(CATEGORIES.length).default([]),
    /** … or with these fingerprints. Both empty: every incident. */
    fingerprints: z.array(z.string().regex(/^[0-9a-f]{8,64}$/)).max(100).default([]),
    variants: z
      .array(variantSchema)
      .min(2)
      .max(4)
      .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, 'variant names must be unique')
      .superRefine((vs, context) => {
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
    metric: metricSchema,
    /** Attempts every variant needs before the stopping rule may declare a winner. */
    minSamplePerVariant: z.number().int().min(5).max(100_000).default(30),
    /** Two-sided confidence of the intervals the stopping rule compares. */
    confidence: z.number().min(0.8).max(0.999).default(0.95),
    /**
     * Attempts per variant after which the experiment stops without a winner (the difference, if any, is too small
     * to matter). Defaults to 10 × the minimum sample.
     */
    maxSamplePerVariant: z.number().int().positive().max(1_000_000).optional(),
  })
  .strict();

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

/**
 * Per-variant counters, each changed only with `ADD`: assignments and successes (the metric), analyses with
 * their tokens and cost in micro-dollars (plus analyses by a model without a price), recoveries with their total
 * time to recovery.
 */
export const VARIANT_COUNTERS = [
  'attempts',
  'successes',
  'analyses',
  'inputTokens',
  'outputTokens',
  'costMicroUsd',
  'unpricedAnalyses',
  'recoveries',
  'ttrSecondsTotal',
] as const;
export type VariantCounterName = (typeof VARIANT_COUNTERS)[number];

export type VariantCounters = { name: string } & Partial<Record<VariantCounterName, number>> & { attempts: number; successes: number };
