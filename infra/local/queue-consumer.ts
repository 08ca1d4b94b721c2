import { errorMessage } from '../../shared/errors.js';
import type { QueuedMessage, WorkQueue } from '../../shared/stores/work-queue.js';

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
  /** How often an empty queue is looked at again. */
  pollMs: number;
  concurrency: number;
  log: (line: string) => void;
}): QueueConsumer {
  const { queue, log } = options;
  const inFlight = new Map<string, Promise<void>>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | null = null;
  let waiting: Array<() => void> = [];

  async function deliverOne(message: QueuedMessage) {
    try {
      await options.deliver(JSON.parse(message.body) as unknown);
      await queue.delete(message.id);
    } catch (error) {
      const reason = errorMessage(error);
      const attempts = message.attempts + 1;
      if (closed) return;
      if (attempts >= options.maxAttempts) {
        await queue.deadLetter({ ...message, attempts }, reason);
        log(`queued message ${message.id} failed ${attempts} times and was moved to the dead letters: ${reason}`);
      } else {
        await queue.defer(message.id, attempts, Date.now() + options.retryDelayMs * 2 ** (attempts - 1), reason);
      }
    }
  }

  /** One look at the queue: starts what is visible and not in flight; true when the queue was empty. */
  async function poll(): Promise<boolean> {
    const messages = await queue.peek(100);
    const now = Date.now();
    for (const message of messages) {
      if (inFlight.size >= options.concurrency) break;
      if (inFlight.has(message.id) || message.visibleAt > now) continue;
      const delivery = deliverOne(message)
        .catch((error: unknown) => log(`queue delivery bookkeeping failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          inFlight.delete(message.id);
          schedule(0);
        });
      inFlight.set(message.id, delivery);
    }
    return messages.length === 0;
  }

  function schedule(delayMs: number) {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (pass) return schedule(options.pollMs);
      pass = poll()
        .then((empty) => {
          if (empty && inFlight.size === 0) {
            const done = waiting;
            waiting = [];
            for (const resolve of done) resolve();
          }
        })
        .catch((error: unknown) => log(`queue poll failed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          pass = null;
          schedule(options.pollMs);
        });
    }, delayMs);
    timer.unref();
  }

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
      if (timer) clearTimeout(timer);
      await pass;
      await Promise.allSettled([...inFlight.values()]);
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
}
