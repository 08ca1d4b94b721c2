import { createHash, createHmac } from 'node:crypto';
import type { Category } from '../logs/types.js';
import type { Experiment, ExperimentVariant } from './definition.js';

/**
 * A number in [0, 1) derived from the experiment id and the incident key with SHA-256: the same pair maps to the
 * same number in every process, runtime and deploy (unlike a seeded per-process hash or Math.random), and
 * different experiments split the same incidents independently. With the experiment's secret `salt` it is an
 * HMAC keyed with it: the key's parts are chosen by whoever pushes (a commit's SHA can be ground by amending, the
 * workflow's name is in the pushed branch), and without a secret anyone who knows the experiment id could pick
 * the arm their commit lands in.
 */
export function assignmentPoint(experimentId: string, incidentKey: string, salt?: string): number {
  const message = `${experimentId}\u0000${incidentKey}`;
  const digest = salt ? createHmac('sha256', salt).update(message).digest() : createHash('sha256').update(message).digest();
  // 52 bits fit a double exactly.
  const high = digest.readUInt32BE(0) >>> 12; // 20 bits
  const low = digest.readUInt32BE(4); // 32 bits
  return (high * 2 ** 32 + low) / 2 ** 52;
}

/**
 * Picks the variant for an incident by the weights: deterministic for (experiment id, secret, incident key).
 * Without a secret (a definition as stored before the secret was kept, which the store gives one when it next
 * assigns), the unkeyed split.
 */
export function assignVariant(experiment: Pick<Experiment, 'id' | 'variants'> & { assignmentSalt?: string }, incidentKey: string): ExperimentVariant {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  const point = assignmentPoint(experiment.id, incidentKey, experiment.assignmentSalt) * total;
  let cumulative = 0;
  for (const variant of experiment.variants) {
    cumulative += variant.weight;
    if (point < cumulative) return variant;
  }
  return experiment.variants[experiment.variants.length - 1] as ExperimentVariant;
}

/**
 * The key an incident is assigned by. For a GitHub failure it is repository + workflow + head SHA, so every attempt
 * of the same failing commit lands in the same variant (re-running the same commit under the other strategy would
 * mix the arms); alarms use the incident id.
 */
export function incidentAssignmentKey(incident: { id: string; repository: string | null; workflowName: string | null; headSha: string | null }): string {
  if (incident.repository && incident.headSha) return `${incident.repository}|${incident.workflowName ?? ''}|${incident.headSha}`;
  return incident.id;
}

/** Whether a running experiment covers an incident of this category and fingerprint. */
export function experimentApplies(experiment: Pick<Experiment, 'status' | 'categories' | 'fingerprints'>, category: Category | null, fingerprint: string | null): boolean {
  if (experiment.status !== 'running') return false;
  if (experiment.categories.length === 0 && experiment.fingerprints.length === 0) return true;
  if (category && experiment.categories.includes(category)) return true;
  return fingerprint !== null && experiment.fingerprints.includes(fingerprint);
}
