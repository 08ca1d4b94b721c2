/**
 * An always-valid test of "two arms succeed equally often", for a stopping rule that is checked after every
 * outcome and for as long as the experiment runs.
 *
 * Assignment does not look at the outcome, so while two arms succeed equally often, the arm an outcome belongs to
 * is independent of whether it succeeded: among successes and among failures alike, it is arm `b` with probability
 * `pi` (the arms' share of the weights). The evidence against that is a likelihood ratio: the probability of the
 * observed labels under a Beta(c·pi, c·(1 − pi)) mixture of label probabilities, for successes and failures
 * separately, over their probability at `pi`. Under equal rates this ratio is a nonnegative martingale with mean 1
 * (whatever order the outcomes come in, so the counts alone give it), and by Ville's inequality the chance that it
 * EVER reaches 1/α is at most α: the error rate holds however often and however long the rule is checked, which
 * no fixed-sample interval does (see `decideExperiment`). This is the safe test for 2 × 2 tables of Turner, Ly and
 * Grünwald (2021) with a conjugate prior.
 */

/** Concentration of the mixture around `pi`: tuned by simulation for differences of 10 to 20 points (see stats.ts). */
export const MIXTURE_CONCENTRATION = 20;

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < LANCZOS.length; i += 1) sum += (LANCZOS[i] as number) / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

export interface ArmCounts {
  successes: number;
  /** Outcomes that are final (success or not). */
  outcomes: number;
}

/**
 * The natural log of the evidence that arms `a` and `b` differ in success rate. `pi` is `b`'s share of the two
 * arms' weights. 0 means no evidence either way; the rule needs ln(1/α).
 */
export function logEvidenceOfDifference(a: ArmCounts, b: ArmCounts, pi: number, concentration = MIXTURE_CONCENTRATION): number {
  if (!(pi > 0 && pi < 1)) throw new RangeError(`pi must be between 0 and 1, got ${pi}`);
  const alpha0 = concentration * pi;
  const beta0 = concentration * (1 - pi);
  const labels = (inB: number, inA: number) =>
    logBeta(alpha0 + inB, beta0 + inA) - logBeta(alpha0, beta0) - inB * Math.log(pi) - inA * Math.log(1 - pi);
  return labels(b.successes, a.successes) + labels(b.outcomes - b.successes, a.outcomes - a.successes);
}
