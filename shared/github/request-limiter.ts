/**
 * What the Lambda bundles give Octokit's retry and throttling plugins for `bottleneck/light.js` (an esbuild alias,
 * BUNDLE_ALIASES in infra/constructs/guard-function.ts). Bottleneck is ≈23 KB of every function with GitHub: a
 * scheduler with reservoirs, high-water marks, strategies, clustering over Redis, job expiry and status tracking. The
 * two plugins (`@octokit/plugin-retry` 8, `@octokit/plugin-throttling` 11) use a small part of it, and this is that
 * part, with Bottleneck's semantics:
 * - `new Limiter(options?)` with `maxConcurrent` (null: no limit) and `minTime` (the least time between two starts);
 *   `new Limiter.Group(options).key(id)` one such limiter per key (the throttling plugin's `global` and `auth` groups:
 *   10 and 1 requests at a time per process; its write, notification and search groups are shared/github/pacer.ts).
 * - `schedule([jobOptions,] task, ...args)`: jobs wait in ten priority queues (0 first, 5 by default, first come
 *   first served within one); the first waiting job starts when its `weight` (1 by default; a retry's is 0) fits in
 *   what is running, and the ones behind it wait for it. Each start is on a timer, as Bottleneck's are.
 * - `on('failed', listener)`: a failed job's listeners get `(error, { args, options, retryCount })`; a value other
 *   than null or undefined from one is a delay in milliseconds after which the job runs again, in its place, else the
 *   job's promise rejects with the task's error. A listener that throws answers nothing and its error goes to the
 *   `error` listeners (`new Limiter.Events(object)` gives `object` the same `on` and returns what `trigger`s them).
 * Left out, because neither plugin asks for them: reservoirs, strategies, clustering (`connection`; the throttling
 * plugin sets a job's `expiration` only with one), a group dropping a key's limiter after `timeout` idle (the plugin
 * uses one key), and every other method and event. test/infra/request-limiter.test.ts runs both plugins bundled with
 * Bottleneck and with this and compares what each request did; test/unit/github/request-limiter.test.ts the rules
 * above. Tests, the CLI and the local runtime run unbundled, with Bottleneck itself.
 */

type Listener = (...args: unknown[]) => unknown;
type Task = (...args: unknown[]) => unknown;

export interface LimiterOptions {
  maxConcurrent?: number | null;
  minTime?: number;
}

export interface JobOptions {
  priority?: number;
  weight?: number;
}

/** What a `failed` listener is given about the job beside its error. */
export interface FailedJobInfo {
  args: unknown[];
  options: JobOptions;
  retryCount: number;
}

const PRIORITIES = 10;
const DEFAULT_PRIORITY = 5;
const DEFAULT_WEIGHT = 1;

/** A job of a weight above the limiter's `maxConcurrent`, which could never start (Bottleneck refuses it too). */
export class JobTooHeavyError extends Error {
  override name = 'JobTooHeavyError';
}

/** Listeners by event name, as Bottleneck's `Events`: `on` is put on the object given, `trigger` calls them. */
export class LimiterEvents {
  private readonly listeners = new Map<string, Listener[]>();

  constructor(instance: object) {
    Object.assign(instance, {
      on: (name: string, listener: Listener): void => {
        this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      },
    });
  }

  /** Calls every listener of `name` at once and answers the first of their answers that is neither null nor undefined. */
  async trigger(name: string, ...args: unknown[]): Promise<unknown> {
    const answers = await Promise.all(
      (this.listeners.get(name) ?? []).map(async (listener) => {
        try {
          return await listener(...args);
        } catch (error) {
          if (name !== 'error') void this.trigger('error', error);
          return null;
        }
      }),
    );
    return answers.find((answer) => answer != null);
  }
}

interface Job {
  task: Task;
  args: unknown[];
  options: JobOptions & { priority: number; weight: number };
  retryCount: number;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Bottleneck's rule: a priority that is not a whole number is the default one; the rest are clamped to 0–9. */
function priorityOf(priority: number | undefined): number {
  if (priority === undefined || !Number.isInteger(priority)) return DEFAULT_PRIORITY;
  return Math.min(Math.max(priority, 0), PRIORITIES - 1);
}

/** One limiter per key, each made with the group's options. */
export class LimiterGroup {
  private readonly limiters = new Map<string, RequestLimiter>();

  constructor(private readonly options: LimiterOptions = {}) {}

  key(key = ''): RequestLimiter {
    let limiter = this.limiters.get(key);
    if (!limiter) {
      limiter = new RequestLimiter(this.options);
      this.limiters.set(key, limiter);
    }
    return limiter;
  }
}

export default class RequestLimiter {
  static readonly Events = LimiterEvents;
  static readonly Group = LimiterGroup;

  declare on: (name: string, listener: Listener) => void;
  private readonly events = new LimiterEvents(this);
  private readonly maxConcurrent: number | null;
  private readonly minTime: number;
  private readonly queues: Job[][] = Array.from({ length: PRIORITIES }, () => []);
  private running = 0;
  private nextStart = Date.now();

  constructor(options: LimiterOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? null;
    this.minTime = options.minTime ?? 0;
  }

  /** Bottleneck's `schedule([jobOptions,] task, ...args)`: the task's result once it has run, or its last error. */
  schedule(...scheduled: unknown[]): Promise<unknown> {
    const [given, task, args] =
      typeof scheduled[0] === 'function'
        ? [{}, scheduled[0] as Task, scheduled.slice(1)]
        : [(scheduled[0] ?? {}) as JobOptions, scheduled[1] as Task, scheduled.slice(2)];
    const options = { ...given, priority: priorityOf(given.priority), weight: given.weight ?? DEFAULT_WEIGHT };
    if (this.maxConcurrent !== null && options.weight > this.maxConcurrent) {
      return Promise.reject(new JobTooHeavyError(`a job of weight ${options.weight} cannot start under maxConcurrent ${this.maxConcurrent}`));
    }
    return new Promise((resolve, reject) => {
      this.queues[options.priority]?.push({ task, args, options, retryCount: 0, resolve, reject });
      this.drain();
    });
  }

  /** Starts waiting jobs, highest priority first, while the first one waiting fits. */
  private drain(): void {
    for (;;) {
      const queue = this.queues.find((waiting) => waiting.length > 0);
      const job = queue?.[0];
      if (!queue || !job) return;
      if (this.maxConcurrent !== null && this.running + job.options.weight > this.maxConcurrent) return;
      queue.shift();
      this.running += job.options.weight;
      const now = Date.now();
      const wait = Math.max(this.nextStart - now, 0);
      this.nextStart = now + wait + this.minTime;
      this.start(job, wait);
    }
  }

  private start(job: Job, waitMs: number): void {
    setTimeout(() => void this.execute(job), waitMs);
  }

  private async execute(job: Job): Promise<void> {
    const info: FailedJobInfo = { args: job.args, options: job.options, retryCount: job.retryCount };
    let result: unknown;
    try {
      result = await job.task(...job.args);
    } catch (error) {
      const retryAfter = await this.events.trigger('failed', error, info);
      if (retryAfter != null) {
        job.retryCount += 1;
        // Bottleneck's `~~retry`: the listener's answer as a whole number of milliseconds.
        this.start(job, ~~(retryAfter as number));
        return;
      }
      this.finish(job);
      job.reject(error);
      return;
    }
    this.finish(job);
    job.resolve(result);
  }

  private finish(job: Job): void {
    this.running -= job.options.weight;
    this.drain();
  }
}
