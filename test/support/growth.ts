/**
 * How a reading's cost grows with the size of what it reads, for the cost tests of the patch check: an exponent k
 * of time ∝ size^k, fitted by least squares through log(time) against log(size), where a linear reading reads
 * k ≈ 1 and a quadratic one k ≈ 2. Not a time limit, which a busy machine breaks: the time is this process's CPU
 * time (not the time it waited for a core), each the fastest of {@link TRIES} (or of fewer where the rest could not
 * change the answer: {@link GrowthFit}), and one late pause moves a fit over several sizes less than it would a ratio
 * of two.
 */
const TRIES = 5;

/** How many times a reading at or above the bound is measured ({@link GrowthFit}). */
const PHASES = 2;

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

/**
 * The exponent of `read`'s CPU time over `textOf(size)` for each of `sizes` (the first is read once before, to warm it),
 * measured as far as comparing it with `bound` needs ({@link GrowthFit}).
 */
export function cpuGrowthExponent<T>(
  sizes: readonly number[],
  textOf: (size: number) => T,
  read: (text: T) => unknown,
  bound = LINEAR_EXPONENT_BOUND,
  clock: CpuClock = processCpuMs,
): number {
  const texts = sizes.map((size) => textOf(size));
  read(texts[0]!);
  const fit = new GrowthFit(sizes, bound);
  for (let index = fit.next(); index !== undefined; index = fit.next()) {
    const text = texts[index]!;
    const started = clock();
    read(text);
    fit.record(index, clock() - started);
  }
  return fit.exponent();
}

/**
 * {@link cpuGrowthExponent} of an asynchronous reading that cannot run twice on the same input (a webhook delivery is
 * taken once: a second is a redelivery, answered without reading it): `prepare(size)` makes a fresh one, outside the
 * time measured, for each run.
 */
export async function cpuGrowthExponentOfRuns(
  sizes: readonly number[],
  prepare: (size: number) => () => Promise<unknown>,
  bound = LINEAR_EXPONENT_BOUND,
  clock: CpuClock = processCpuMs,
): Promise<number> {
  await prepare(sizes[0]!)();
  const fit = new GrowthFit(sizes, bound);
  for (let index = fit.next(); index !== undefined; index = fit.next()) {
    const run = prepare(sizes[index]!);
    const started = clock();
    await run();
    fit.record(index, clock() - started);
  }
  return fit.exponent();
}

/**
 * The slope of log(time) over log(size), each size's time the fastest of {@link TRIES} runs, with the runs that cannot
 * change how it compares with `bound` left out. In a least-squares fit the time of a size above the mean (of the
 * logarithms) pulls the slope up, that of a size below it pulls it down, and a further run can only lower a size's
 * fastest time. So the sizes below the mean get all their runs first; then the sizes above it one run each a round,
 * and once the slope is below `bound` no run left could raise it: what it answers against `bound` is what every run
 * would have answered. A linear reading stops after the first round (the large sizes' runs, most of the CPU, once
 * each instead of five times).
 *
 * A reading still at or above `bound` after every run is measured again the same way ({@link PHASES}), each size's
 * time then the fastest of all its runs. What a loaded machine adds to a run (another process's share of the caches,
 * a collection of what earlier tests left) is only ever added, and falls more on the large sizes, whose runs are
 * longer: the gated redactor's fit of attack 49's token prefixes read 1.805 in a CI run beside other work (session
 * 78), 1.56 alone. More runs bring each size nearer its own cost, and a square reads ~2 at any count. No reading of
 * the suite's is at or above the bound (session 79: 11,288 fits, the highest 1.70), so the second measure costs the
 * suite nothing.
 */
class GrowthFit {
  private readonly xs: number[];
  private readonly fastest: number[];
  /** The runs to make, by size index: every run of the sizes below the mean, then the first round. */
  private readonly queue: number[] = [];
  /** The size indexes below the mean (of the logarithms), whose times pull the slope down. */
  private readonly falling: number[];
  /** The size indexes above the mean, whose times pull the slope up. */
  private readonly rising: number[];
  private round = 1;
  private phase = 1;

  constructor(sizes: readonly number[], private readonly bound: number) {
    this.xs = sizes.map((size) => Math.log(size));
    const meanX = this.xs.reduce((sum, x) => sum + x, 0) / this.xs.length;
    this.fastest = sizes.map(() => Infinity);
    this.falling = this.xs.flatMap((x, index) => (x <= meanX ? [index] : []));
    this.rising = this.xs.flatMap((x, index) => (x > meanX ? [index] : []));
    this.startPhase();
  }

  /** Queues a measure: every run of the sizes below the mean, then the first round of those above it. */
  private startPhase(): void {
    for (const index of this.falling) for (let attempt = 0; attempt < TRIES; attempt += 1) this.queue.push(index);
    this.queue.push(...this.rising);
    this.round = 1;
  }

  /** The size index to run next, or undefined when the fit is done. */
  next(): number | undefined {
    if (this.queue.length === 0 && this.exponent() >= this.bound) {
      if (this.round < TRIES) {
        this.round += 1;
        this.queue.push(...this.rising);
      } else if (this.phase < PHASES) {
        this.phase += 1;
        this.startPhase();
      }
    }
    return this.queue.shift();
  }

  record(index: number, cpuMs: number): void {
    this.fastest[index] = Math.min(this.fastest[index]!, cpuMs);
  }

  exponent(): number {
    return leastSquaresSlope(this.xs.map((x, index) => [x, Math.log(Math.max(this.fastest[index]!, MIN_CPU_MS))] as const));
  }
}

/** A floor for a run's CPU time, so that its logarithm stays finite. */
const MIN_CPU_MS = 0.5;

/**
 * The CPU time spent so far, in ms. The fit's own tests pass a clock of the work they count, so that what they check
 * (which runs the fit makes, what it answers) does not hang on a busy machine's timing: one slow millisecond in a
 * CI run read a quadratic reading's smallest size as 1.79.
 */
export type CpuClock = () => number;

/** This process's CPU time (user and system), in ms. */
function processCpuMs(): number {
  const spent = process.cpuUsage();
  return (spent.user + spent.system) / 1000;
}

function leastSquaresSlope(points: ReadonlyArray<readonly [number, number]>): number {
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}

/** Line lengths the attack files' expression rows measure, as `extent.test.ts` measures the older rules'. */
export const LINE_COST_SIZES = [1_000, 2_000, 4_000, 8_000];

/**
 * The hostile texts (a head, then a unit repeated to each of {@link LINE_COST_SIZES}, then a character that fails
 * it) on which `re` reads superlinearly, named for the row's message; empty when every one reads in linear time.
 */
export function superlinearOn(re: RegExp, heads: readonly string[], units: readonly string[]): string[] {
  const slow: string[] = [];
  for (const head of heads) {
    for (const unit of units) {
      const textOf = (size: number) => head + unit.repeat(Math.floor(size / unit.length)) + '\u0001';
      if (cpuGrowthExponent(LINE_COST_SIZES, textOf, (text) => re.test(text)) >= LINEAR_EXPONENT_BOUND) slow.push(`${re.source} on ${head}${unit}…`);
    }
  }
  return slow;
}
