/**
 * Interval maths for success rates (knowledge entries and experiment variants). Written here rather than pulled
 * from a statistics package: it is a few lines, and every number is checked against published values in the
 * unit tests.
 */

export interface Interval {
  /** Observed rate successes/attempts (0 when there are no attempts). */
  rate: number;
  lower: number;
  upper: number;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9), used to turn
 * a confidence level into the z of a two-sided interval.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (k: number[], x: number) => k.reduce((acc, coef) => acc * x + coef, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** z for a two-sided interval at `confidence` (0.95 → 1.95996…). */
export function zForConfidence(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be between 0 and 1, got ${confidence}`);
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Wilson score interval for `successes` out of `attempts`. Unlike the raw ratio (or the Wald interval) it stays
 * inside [0, 1] and is wide for small samples, so one lucky success gives a lower bound near 0.2, not 1.0.
 */
export function wilsonInterval(successes: number, attempts: number, confidence = 0.95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(attempts) || successes < 0 || attempts < 0 || successes > attempts) {
    throw new RangeError(`wilsonInterval needs integers 0 ≤ successes ≤ attempts, got ${successes}/${attempts}`);
  }
  if (attempts === 0) return { rate: 0, lower: 0, upper: 1 };
  const z = zForConfidence(confidence);
  const n = attempts;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp the floating-point dust at the edges (0/n and n/n are exact at 0 and 1).
  return { rate: p, lower: successes === 0 ? 0 : Math.max(0, centre - half), upper: successes === n ? 1 : Math.min(1, centre + half) };
}

/**
 * The confidence score of a knowledge entry: the lower bound of the 95 % Wilson interval. 1/1 scores 0.21,
 * 6/7 scores 0.49, 60/70 scores 0.76: the score grows with evidence, not with luck.
 */
export function confidenceScore(successes: number, attempts: number): number {
  return wilsonInterval(Math.min(successes, attempts), attempts, 0.95).lower;
}
