/**
 * How a reading's cost grows with the size of what it reads, for the cost tests of the patch check: an exponent k
 * of time ∝ size^k, fitted by least squares through log(time) against log(size), where a linear reading reads
 * k ≈ 1 and a quadratic one k ≈ 2. Not a time limit, which a busy machine breaks: the time is this process's CPU
 * time (not the time it waited for a core), each the fastest of {@link TRIES}, and one late pause moves a fit over
 * several sizes less than it would a ratio of two.
 */
const TRIES = 5;

/** Patch-sized texts, the largest near the patch check's 20 KB. */
export const PATCH_COST_SIZES = [2_250, 4_500, 9_000, 18_000];

/**
 * Between what linear readings measure and a square. Alone they read 0.93 to 1.34; inside a test worker whose heap
 * holds what earlier tests left, the collector's share grows with the text, and a fresh-clone CI run read 1.63 for a
 * linear one (bound 1.6 then, fastest of three). A reading whose quadratic part dominates reads 1.9 to 2.
 */
export const LINEAR_EXPONENT_BOUND = 1.8;

/** The text of `size` characters or fewer that repeats `unit`, for {@link cpuGrowthExponent}'s `textOf`. */
export const repeatedTo = (unit: string) => (size: number): string => unit.repeat(Math.floor(size / unit.length));

/** The exponent of `read`'s CPU time over `textOf(size)` for each of `sizes` (the first is read once before, to warm it). */
export function cpuGrowthExponent<T>(sizes: readonly number[], textOf: (size: number) => T, read: (text: T) => unknown): number {
  const texts = sizes.map((size) => [size, textOf(size)] as const);
  read(texts[0]![1]);
  return leastSquaresSlope(texts.map(([size, text]) => [Math.log(size), Math.log(fastestCpuMs(() => read(text)))] as const));
}

/**
 * {@link cpuGrowthExponent} of an asynchronous reading that cannot run twice on the same input (a webhook delivery is
 * taken once: a second is a redelivery, answered without reading it): `prepare(size)` makes a fresh one, outside the
 * time measured, for each run.
 */
export async function cpuGrowthExponentOfRuns(sizes: readonly number[], prepare: (size: number) => () => Promise<unknown>): Promise<number> {
  await prepare(sizes[0]!)();
  const points: Array<readonly [number, number]> = [];
  for (const size of sizes) {
    let fastest = Infinity;
    for (let attempt = 0; attempt < TRIES; attempt += 1) {
      const run = prepare(size);
      const started = process.cpuUsage();
      await run();
      fastest = Math.min(fastest, cpuMsSince(started));
    }
    points.push([Math.log(size), Math.log(Math.max(fastest, MIN_CPU_MS))]);
  }
  return leastSquaresSlope(points);
}

/** The shortest of {@link TRIES} runs of `run`, in ms of CPU time, never under {@link MIN_CPU_MS}. */
function fastestCpuMs(run: () => unknown): number {
  let fastest = Infinity;
  for (let attempt = 0; attempt < TRIES; attempt += 1) {
    const started = process.cpuUsage();
    run();
    fastest = Math.min(fastest, cpuMsSince(started));
  }
  return Math.max(fastest, MIN_CPU_MS);
}

/** A floor for a run's CPU time, so that its logarithm stays finite. */
const MIN_CPU_MS = 0.5;

/** This process's CPU time (user and system) since `started`, in ms. */
function cpuMsSince(started: NodeJS.CpuUsage): number {
  const spent = process.cpuUsage(started);
  return (spent.user + spent.system) / 1000;
}

function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}
