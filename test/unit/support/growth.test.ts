import { describe, expect, it } from 'vitest';
import { cpuGrowthExponent, cpuGrowthExponentOfRuns, LINEAR_EXPONENT_BOUND } from '../../support/growth.js';

/**
 * Sizes whose mean logarithm is the second's: the first pulls the slope down, the last up, the second neither. Small,
 * so that a quadratic reading's runs cost ~0.2 s of CPU: the smallest size's runs take a millisecond or two, above
 * the fit's floor.
 */
const SIZES = [1_000, 2_000, 4_000];

/** `steps` steps of CPU work that the compiler cannot drop. */
function burn(steps: number): number {
  let x = 0;
  for (let i = 0; i < steps; i += 1) x = (Math.imul(x, 31) + i) | 0;
  return x;
}

/** A reading of `work(size)` steps that counts its runs by size; `extra(size, run)` adds steps to one run. */
function countedReading(work: (size: number) => number, extra: (size: number, run: number) => number = () => 0) {
  const runs = new Map<number, number>();
  const read = (size: number) => {
    const run = (runs.get(size) ?? 0) + 1;
    runs.set(size, run);
    return burn(work(size) + extra(size, run));
  };
  return { read, runs: (size: number) => runs.get(size) ?? 0 };
}

describe('cpuGrowthExponent', () => {
  it('reads a quadratic reading at or above the bound, after every run of every size', () => {
    const { read, runs } = countedReading((n) => n * n);
    expect(cpuGrowthExponent(SIZES, (size) => size, read)).toBeGreaterThanOrEqual(LINEAR_EXPONENT_BOUND);
    // The warming run of the first size, then five runs a size.
    expect(SIZES.map(runs)).toEqual([6, 5, 5]);
  });

  it('reads a linear reading below the bound, with every run of the small size and fewer of the large one', () => {
    const { read, runs } = countedReading((n) => n * 1_000);
    expect(cpuGrowthExponent(SIZES, (size) => size, read)).toBeLessThan(LINEAR_EXPONENT_BOUND);
    expect(runs(1_000)).toBe(6);
    expect(runs(4_000)).toBeLessThan(5);
  });

  it('does not stop on a round that reads at or above the bound: a slow first run of the largest size is run again', () => {
    const { read, runs } = countedReading(
      (n) => n * 1_000,
      (size, run) => (size === 4_000 && run === 1 ? 20 * 4_000 * 1_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read)).toBeLessThan(LINEAR_EXPONENT_BOUND);
    expect(runs(4_000)).toBeGreaterThanOrEqual(2);
  });

  it('runs every run of a small size, where a slow run would hide a quadratic reading (its fastest pulls the slope up)', () => {
    // Every run of the smallest size but the last is as slow as the largest size's: only the last shows the square.
    const { read, runs } = countedReading(
      (n) => n * n,
      (size, run) => (size === 1_000 && run <= 5 ? 4_000 * 4_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read)).toBeGreaterThanOrEqual(LINEAR_EXPONENT_BOUND);
    expect(runs(1_000)).toBe(6);
  });
});

describe('cpuGrowthExponentOfRuns', () => {
  it('reads a quadratic run at or above the bound and a linear one below it, with fewer runs of the large size', async () => {
    const quadratic = countedReading((n) => n * n);
    expect(await cpuGrowthExponentOfRuns(SIZES, (size) => async () => quadratic.read(size))).toBeGreaterThanOrEqual(LINEAR_EXPONENT_BOUND);
    expect(SIZES.map(quadratic.runs)).toEqual([6, 5, 5]);
    const linear = countedReading((n) => n * 1_000);
    expect(await cpuGrowthExponentOfRuns(SIZES, (size) => async () => linear.read(size))).toBeLessThan(LINEAR_EXPONENT_BOUND);
    expect(linear.runs(4_000)).toBeLessThan(5);
  });
});
