import type { Incident } from '../domain/incident.js';
import { type VariantParams, describeParams, storedParams } from '../experiments/params.js';
import type { RepositoryPolicy } from './policy.js';

/**
 * The parameters of the arm an incident is in: its experiment assignment, or the winner promoted to the default
 * policy for this kind of failure (a promoted winner keeps acting the way it won). Empty when neither applies.
 */
export function variantParamsOf(incident: Pick<Incident, 'experiment' | 'knowledge'>): VariantParams {
  if (incident.experiment) return storedParams(incident.experiment.params);
  const recommendation = incident.knowledge?.recommendation;
  if (recommendation?.source === 'policy' && recommendation.params) return storedParams(recommendation.params);
  return {};
}

/**
 * The repository policy with the arm's remediation and escalation settings applied. An arm narrows or tunes the
 * policy; it never widens it: `maxReruns` above the policy's `autoRerunMax` (AUTO_RERUN_MAX, the policy file) is
 * capped, and every other guard is untouched. `notes` says what was applied, for the plan's reasons.
 */
export function policyForVariant(policy: RepositoryPolicy, params: VariantParams): { policy: RepositoryPolicy; notes: string[] } {
  const notes: string[] = [];
  let effective = policy;
  if (params.maxReruns !== undefined) {
    const max = Math.min(params.maxReruns, policy.autoRerunMax);
    notes.push(
      params.maxReruns > policy.autoRerunMax
        ? `the variant allows ${params.maxReruns} automatic re-runs per commit; the policy caps them at ${policy.autoRerunMax}`
        : `the variant allows ${max} automatic re-run(s) per commit`,
    );
    effective = { ...effective, autoRerunMax: max };
  }
  if (params.escalateBelowConfidence !== undefined) {
    notes.push(`the variant escalates below confidence ${params.escalateBelowConfidence.toFixed(2)}`);
    effective = { ...effective, escalateBelowConfidence: params.escalateBelowConfidence };
  }
  return { policy: effective, notes };
}

/** One line for the plan's reasons when the arm has parameters. */
export function variantParamsNote(params: VariantParams): string | null {
  const text = describeParams(params);
  return text === 'defaults' ? null : `variant parameters: ${text}`;
}
