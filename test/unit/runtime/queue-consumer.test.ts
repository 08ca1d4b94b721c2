import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startQueueConsumer } from '../../../infra/local/queue-consumer.js';
import type { QueuedMessage, WorkQueue } from '../../../shared/stores/work-queue.js';

/** A work queue in memory that counts its looks (each a DynamoDB Query in the store queue) and wakes its watchers. */
function countingQueue() {
  const messages = new Map<string, QueuedMessage>();
  const watchers = new Set<() => void>();
  const counts = { peeks: 0 };
  const queue: WorkQueue = {
    async enqueue(id, body) {
      if (!messages.has(id)) messages.set(id, { id, body, attempts: 0, visibleAt: 0 });
      for (const watcher of watchers) watcher();
    },
    async peek(limit) {
      counts.peeks += 1;
      return [...messages.values()].slice(0, limit);
    },
    async delete(id) {
      messages.delete(id);
    },
    async defer(id, attempts, visibleAt) {
      const message = messages.get(id);
      if (message) messages.set(id, { ...message, attempts, visibleAt });
    },
    async deadLetter(message) {
      messages.delete(message.id);
    },
    async deadLetters() {
      return [];
    },
    watch(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
  };
  return { queue, counts, messages };
}

const MINUTE = 60_000;

/** A call that fails its first `failures` times (the store unavailable), then does what `call` does; counts calls. */
function failingFirst<Args extends unknown[]>(failures: number, call: (...args: Args) => Promise<void>) {
  const counts = { calls: 0 };
  const wrapped = async (...args: Args) => {
    counts.calls += 1;
    if (counts.calls <= failures) throw new Error('store unavailable');
    await call(...args);
  };
  return { wrapped, counts };
}

/** A delivery that always fails, and counts its calls. */
function failingDelivery() {
  const counts = { calls: 0 };
  const deliver = async () => {
    counts.calls += 1;
    throw new Error('throttled');
  };
  return { deliver, counts };
}

describe('local queue consumer (the recovery queue of npm start)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('looks at an empty queue a few times a minute, not four times a second', async () => {
    const { queue, counts } = countingQueue();
    const consumer = startQueueConsumer({ queue, deliver: async () => {}, maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(MINUTE);
    // The idle runtime's ~250 DynamoDB queries a minute were this poll (240 a minute at 250 ms).
    expect(counts.peeks).toBeLessThanOrEqual(15);
    await consumer.close();
  });

  it('delivers a message queued in this process at once, without waiting for the next look', async () => {
    const { queue, counts } = countingQueue();
    const delivered: unknown[] = [];
    const consumer = startQueueConsumer({ queue, deliver: async (body) => void delivered.push(body), maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(MINUTE);
    const looksWhileIdle = counts.peeks;
    await queue.enqueue('m1', JSON.stringify({ green: 1 }));
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual([{ green: 1 }]);
    // The wake's look, and the one after the delivery that finds the queue empty.
    expect(counts.peeks - looksWhileIdle).toBeLessThanOrEqual(2);
    await consumer.close();
  });

  it('delivers a message queued in this process at once after the wall clock stepped forward', async () => {
    const { queue } = countingQueue();
    const delivered: unknown[] = [];
    const consumer = startQueueConsumer({ queue, deliver: async (body) => void delivered.push(body), maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(MINUTE);
    // An NTP step (or a test's vi.setSystemTime) moves the wall clock a day on; the consumer's idle look stays armed.
    vi.setSystemTime(Date.now() + 24 * 60 * MINUTE);
    await queue.enqueue('m1', JSON.stringify({ after: 'step' }));
    await vi.advanceTimersByTimeAsync(0);
    // Before the fix: taken for "a look already due" (the armed look's time by the old clock), delivered only at the next idle look, up to 30 s later.
    expect(delivered).toEqual([{ after: 'step' }]);
    await consumer.close();
  });

  it('is idle at once after the wall clock stepped forward, when nothing is queued', async () => {
    const { queue } = countingQueue();
    const consumer = startQueueConsumer({ queue, deliver: async () => {}, maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(MINUTE);
    vi.setSystemTime(Date.now() + 24 * 60 * MINUTE);
    let idle = false;
    void consumer.idle().then(() => (idle = true));
    await vi.advanceTimersByTimeAsync(0);
    // Before the fix: idle at the next idle look, up to 30 s later (the local runtime's idle() in a test that fakes Date).
    expect(idle).toBe(true);
    await consumer.close();
  });

  it('retries a failed delivery when its back-off ends and does not poll the queue while it waits', async () => {
    const { queue, counts, messages } = countingQueue();
    let calls = 0;
    const consumer = startQueueConsumer({
      queue,
      deliver: async () => {
        calls += 1;
        if (calls === 1) throw new Error('throttled');
      },
      maxAttempts: 3,
      retryDelayMs: MINUTE,
      pollMs: 250,
      concurrency: 16,
      log: () => {},
    });
    await queue.enqueue('m1', '{}');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    const looksAfterFailure = counts.peeks;
    await vi.advanceTimersByTimeAsync(MINUTE - 1);
    expect(calls).toBe(1);
    expect(counts.peeks - looksAfterFailure).toBeLessThanOrEqual(15);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect(messages.size).toBe(0);
    await consumer.close();
  });

  it('holds a failed delivery back until its retry when the store cannot record the failure, and still delivers it again', async () => {
    // Prepare: every delivery fails, and the store fails the first 50 writes that would hide the message for its back-off
    const { queue, messages } = countingQueue();
    const defers = failingFirst(50, queue.defer.bind(queue));
    queue.defer = defers.wrapped;
    const { deliver, counts: deliveries } = failingDelivery();
    const consumer = startQueueConsumer({ queue, deliver, maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });

    // Act
    await queue.enqueue('m1', '{}');
    await vi.advanceTimersByTimeAsync(1000);
    const inFirstSecond = { deliveries: deliveries.calls, defers: defers.counts.calls };
    await vi.advanceTimersByTimeAsync(10 * MINUTE);

    // Assert: one delivery and one write in the first second (before the fix: 50 of each, at once); then one a
    // minute, the back-off the write would have recorded; the message is never dropped
    expect(inFirstSecond).toEqual({ deliveries: 1, defers: 1 });
    expect(deliveries.calls).toBeGreaterThanOrEqual(2);
    expect(deliveries.calls).toBeLessThanOrEqual(11);
    expect(messages.has('m1')).toBe(true);
    await consumer.close();
  });

  it('holds a message back when the store cannot move it to the dead letters, and moves it once it can', async () => {
    // Prepare: a message on its last attempt whose delivery fails; the store fails the first 3 dead-letter writes
    const { queue, messages } = countingQueue();
    messages.set('m1', { id: 'm1', body: '{}', attempts: 2, visibleAt: 0 });
    const deadLetterWrites = failingFirst(3, queue.deadLetter.bind(queue));
    queue.deadLetter = deadLetterWrites.wrapped;
    const { deliver, counts: deliveries } = failingDelivery();

    // Act
    const consumer = startQueueConsumer({ queue, deliver, maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    const inFirstSecond = deliveries.calls;
    await vi.advanceTimersByTimeAsync(20 * MINUTE);

    // Assert: one try in the first second (before the fix: all four at once), the next after the last attempt's
    // back-off (4 minutes); the message stays queued until the dead-letter write lands
    expect(inFirstSecond).toBe(1);
    expect(deliveries.calls).toBe(4);
    expect(deadLetterWrites.counts.calls).toBe(4);
    expect(messages.size).toBe(0);
    await consumer.close();
  });

  it('looks again right after a pass when a message was queued during it', async () => {
    const { queue } = countingQueue();
    let releasePeek: (() => void) | null = null;
    const peek = queue.peek.bind(queue);
    let holdNextPeek = false;
    queue.peek = async (limit) => {
      const answer = await peek(limit);
      if (holdNextPeek) {
        holdNextPeek = false;
        await new Promise<void>((resolve) => {
          releasePeek = resolve;
        });
      }
      return answer;
    };
    const delivered: unknown[] = [];
    const consumer = startQueueConsumer({ queue, deliver: async (body) => void delivered.push(body), maxAttempts: 3, retryDelayMs: MINUTE, pollMs: 250, concurrency: 16, log: () => {} });
    await vi.advanceTimersByTimeAsync(MINUTE);
    holdNextPeek = true;
    void consumer.idle();
    await vi.advanceTimersByTimeAsync(0);
    expect(releasePeek).not.toBeNull();
    // A pass is looking at the (empty) queue; a message arrives before its answer.
    await queue.enqueue('late', JSON.stringify({ late: true }));
    (releasePeek as (() => void) | null)?.();
    await vi.advanceTimersByTimeAsync(0);
    expect(delivered).toEqual([{ late: true }]);
    await consumer.close();
  });
});
