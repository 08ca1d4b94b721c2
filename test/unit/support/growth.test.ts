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

/**
 * A reading of `work(size)` steps that counts its runs by size, `extra(size, run)` steps added to one run, and a clock
 * of the steps read so far: the fit's choices are checked on the work itself, not on a busy machine's timing of it.
 */
function countedReading(work: (size: number) => number, extra: (size: number, run: number) => number = () => 0) {
  const runs = new Map<number, number>();
  let steps = 0;
  const read = (size: number) => {
    const run = (runs.get(size) ?? 0) + 1;
    runs.set(size, run);
    steps += work(size) + extra(size, run);
  };
  return { read, runs: (size: number) => runs.get(size) ?? 0, clock: () => steps };
}

describe('cpuGrowthExponent', () => {
  it('reads a quadratic reading at or above the bound, after every run of every size, measured twice', () => {
    const { read, runs, clock } = countedReading((n) => n * n);
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(2, 6);
    // The warming run of the first size, then five runs a size, twice.
    expect(SIZES.map(runs)).toEqual([11, 10, 10]);
  });

  it('measures again a reading at or above the bound: a linear one whose large size was slow five times reads below', () => {
    // A load that lasts the first measure's runs of the largest size, and is gone for the second.
    const { read, runs, clock } = countedReading(
      (n) => n * 1_000,
      (size, run) => (size === 4_000 && run <= 5 ? 20 * 4_000 * 1_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(1, 6);
    // The second measure: the small size's five runs again, then one round, which reads below the bound.
    expect([runs(1_000), runs(4_000)]).toEqual([11, 6]);
  });

  it('reads a reading that stays slow at its large size through both measures at or above the bound', () => {
    const { read, runs, clock } = countedReading(
      (n) => n * 1_000,
      (size) => (size === 4_000 ? 20 * 4_000 * 1_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeGreaterThanOrEqual(LINEAR_EXPONENT_BOUND);
    expect([runs(1_000), runs(4_000)]).toEqual([11, 10]);
  });

  it('reads a linear reading below the bound, with every run of the small size and fewer of the large one', () => {
    const { read, runs, clock } = countedReading((n) => n * 1_000);
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(1, 6);
    // The middle size's logarithm is the mean's, to the last bit or not: its count is left unchecked.
    expect([runs(1_000), runs(4_000)]).toEqual([6, 1]);
  });

  it('does not stop on a round that reads at or above the bound: a slow first run of the largest size is run again', () => {
    const { read, runs, clock } = countedReading(
      (n) => n * 1_000,
      (size, run) => (size === 4_000 && run === 1 ? 20 * 4_000 * 1_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(1, 6);
    expect([runs(1_000), runs(4_000)]).toEqual([6, 2]);
  });

  it('runs every run of a small size, where a slow run would hide a quadratic reading (its fastest pulls the slope up)', () => {
    // Every run of the smallest size but the last is as slow as the largest size's: only the last shows the square.
    const { read, runs, clock } = countedReading(
      (n) => n * n,
      (size, run) => (size === 1_000 && run <= 5 ? 4_000 * 4_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(2, 6);
    // Every run of both measures: the quadratic reading is at or above the bound after the first.
    expect(runs(1_000)).toBe(11);
  });

  it('keeps the fastest run of each size, not the last: a slow last run of the smallest size hides nothing', () => {
    const { read, clock } = countedReading(
      (n) => n * n,
      (size, run) => (size === 1_000 && run === 6 ? 4_000 * 4_000 : 0),
    );
    expect(cpuGrowthExponent(SIZES, (size) => size, read, LINEAR_EXPONENT_BOUND, clock)).toBeCloseTo(2, 6);
  });
});

describe('cpuGrowthExponentOfRuns', () => {
  it('fits runs made fresh for each measure, with fewer runs of the large size for a linear reading', async () => {
    const quadratic = countedReading((n) => n * n);
    const quadraticRun = (size: number) => async () => quadratic.read(size);
    expect(await cpuGrowthExponentOfRuns(SIZES, quadraticRun, LINEAR_EXPONENT_BOUND, quadratic.clock)).toBeCloseTo(2, 6);
    expect(SIZES.map(quadratic.runs)).toEqual([11, 10, 10]);
    const linear = countedReading((n) => n * 1_000);
    expect(await cpuGrowthExponentOfRuns(SIZES, (size) => async () => linear.read(size), LINEAR_EXPONENT_BOUND, linear.clock)).toBeCloseTo(1, 6);
    expect([linear.runs(1_000), linear.runs(4_000)]).toEqual([6, 1]);
  });
});

describe('the process CPU clock both fits measure by default', () => {
  it('reads real work that grows with the square at or above the bound, and work that grows with the size below it', async () => {
    expect(cpuGrowthExponent(SIZES, (size) => size, (n) => burn(n * n))).toBeGreaterThanOrEqual(LINEAR_EXPONENT_BOUND);
    expect(await cpuGrowthExponentOfRuns(SIZES, (n) => async () => burn(n * 1_000))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
