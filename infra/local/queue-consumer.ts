import { errorMessage } from '../../shared/errors.js';
import type { QueuedMessage, WorkQueue } from '../../shared/stores/work-queue.js';

/** Messages one look at the queue reads. */
const PEEK_LIMIT = 100;

export interface QueueConsumer {
  /** Resolves when the queue is empty and nothing is being delivered (messages waiting out a back-off count). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The local runtime's stand-in for Lambda's asynchronous invocation: drains a store queue into a handler, at most
 * `concurrency` messages at a time, retrying a failed delivery `maxAttempts - 1` times with a growing back-off, then
 * moving it to the dead-letter records (AWS: two retries, then the dead-letter queue). The queue lives in the
 * embedded store, so messages a crash cut off are delivered after the next start.
 */
export function startQueueConsumer(options: {
  queue: WorkQueue;
  deliver: (body: unknown) => Promise<unknown>;
  maxAttempts: number;
  retryDelayMs: number;
  /** How soon a look at the queue that failed is tried again. */
  pollMs: number;
  /**
   * How often a queue with nothing to deliver is looked at anyway. Messages queued in this process wake the consumer
   * (`WorkQueue.watch`), and a message waiting out its back-off is looked for when it ends; this look only finds
   * what neither announces (another process's messages). Default 30 s.
   */
  idlePollMs?: number;
  concurrency: number;
  log: (line: string) => void;
}): QueueConsumer {
  const { queue, log } = options;
  const idlePollMs = options.idlePollMs ?? 30_000;
  const inFlight = new Map<string, Promise<void>>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  /**
   * When the armed look fires, on the monotonic clock as the timer itself counts: by the wall clock, a step forward
   * (NTP, a test's fake Date) made the armed look seem due, so a wake asked for none and waited for it (up to 30 s).
   */
  let timerAt = Number.POSITIVE_INFINITY;
  let pass: Promise<void> | null = null;
  /** Something asked for a look while a pass was reading: that pass's answer may predate it. */
  let lookAgain = false;
  let waiting: Array<() => void> = [];
  /**
   * Messages the store could not defer or move to the dead letters, by id: not delivered again before this time
   * (epoch ms). The store still shows them visible, and a delivery that ends asks for a look at once: without this,
   * they would be delivered again and again, as fast as the store fails. They stay queued.
   */
  const heldUntil = new Map<string, number>();

  async function deliverOne(message: QueuedMessage) {
    try {
      await options.deliver(JSON.parse(message.body) as unknown);
      await queue.delete(message.id);
    } catch (error) {
      const reason = errorMessage(error);
      const attempts = message.attempts + 1;
      if (closed) return;
      const retryAt = Date.now() + options.retryDelayMs * 2 ** (attempts - 1);
      try {
        if (attempts >= options.maxAttempts) {
          await queue.deadLetter({ ...message, attempts }, reason);
          log(`queued message ${message.id} failed ${attempts} times and was moved to the dead letters: ${reason}`);
        } else {
          await queue.defer(message.id, attempts, retryAt, reason);
        }
      } catch (bookkeeping) {
        // The back-off the failed write was to keep (at most that of the last attempt): tried again then.
        heldUntil.set(message.id, retryAt);
        throw bookkeeping;
      }
    }
  }

  /**
   * One look at the queue: starts what is visible and not in flight. Returns when to look next (ms): when the
   * earliest message waiting out a back-off becomes visible, else the idle interval; a delivery that ends asks for
   * a look of its own.
   */
  async function poll(): Promise<number> {
    const messages = await queue.peek(PEEK_LIMIT);
    const now = Date.now();
    let next = idlePollMs;
    // A held message no longer queued (another process took it, or a write reported failed had landed) is forgotten.
    if (messages.length < PEEK_LIMIT) {
      const queued = new Set(messages.map((message) => message.id));
      for (const id of heldUntil.keys()) if (!queued.has(id)) heldUntil.delete(id);
    }
    for (const message of messages) {
      const visibleAt = Math.max(message.visibleAt, heldUntil.get(message.id) ?? 0);
      if (visibleAt > now) {
        next = Math.min(next, visibleAt - now);
        continue;
      }
      if (inFlight.size >= options.concurrency || inFlight.has(message.id)) continue;
      heldUntil.delete(message.id);
      const delivery = deliverOne(message)
        .catch((error: unknown) => log(`queue delivery bookkeeping failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          inFlight.delete(message.id);
          schedule(0);
        });
      inFlight.set(message.id, delivery);
    }
    if (messages.length === 0 && inFlight.size === 0) {
      const done = waiting;
      waiting = [];
      for (const resolve of done) resolve();
    }
    return next;
  }

  /** Looks at the queue in `delayMs` at the latest (an earlier look already due stays). */
  function schedule(delayMs: number) {
    if (closed) return;
    // A pass that is reading may have missed what this look is for: it looks again as soon as it ends.
    if (pass && delayMs === 0) {
      lookAgain = true;
      return;
    }
    if (timerAt <= performance.now() + delayMs) return;
    setTimer(delayMs);
  }

  function setTimer(delayMs: number) {
    if (timer) clearTimeout(timer);
    timerAt = performance.now() + delayMs;
    timer = setTimeout(look, delayMs);
    timer.unref();
  }

  function look() {
    timer = undefined;
    timerAt = Number.POSITIVE_INFINITY;
    if (pass) {
      lookAgain = true;
      return;
    }
    lookAgain = false;
    pass = poll()
      .catch((error: unknown) => {
        log(`queue poll failed: ${error instanceof Error ? error.message : String(error)}`);
        return options.pollMs;
      })
      .then((next) => {
        pass = null;
        schedule(lookAgain ? 0 : next);
      });
  }

  const unwatch = queue.watch(() => schedule(0));
  schedule(0);
  return {
    idle() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        schedule(0);
      });
    },
    async close() {
      closed = true;
      unwatch();
      if (timer) clearTimeout(timer);
      await pass;
      await Promise.allSettled([...inFlight.values()]);
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
}
