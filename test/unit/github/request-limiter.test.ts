// @ts-expect-error: bottleneck types its main entry only; light.js is the build both Octokit plugins import
import Bottleneck from 'bottleneck/light.js';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BUNDLE_ALIASES } from '../../../infra/constructs/guard-function.js';
import RequestLimiter, { JobTooHeavyError } from '../../../shared/github/request-limiter.js';

/**
 * The part of Bottleneck that Octokit's retry and throttling plugins use, as the bundles' stand-in gives it
 * (shared/github/request-limiter.ts). Every rule runs against Bottleneck itself too: the stand-in is held to what
 * the package does, not to what this file expects. Time is vitest's fake clock (both start jobs on timers).
 */
type LimiterClass = new (options?: { maxConcurrent?: number | null; minTime?: number }) => {
  schedule(...args: unknown[]): Promise<unknown>;
  on(name: string, listener: (...args: unknown[]) => unknown): void;
};
type GroupClass = new (options?: { maxConcurrent?: number | null; minTime?: number }) => { key(id?: string): InstanceType<LimiterClass> };
type EventsClass = new (instance: object) => { trigger(name: string, ...args: unknown[]): Promise<unknown> };

const implementations: Array<[string, LimiterClass & { Group: GroupClass; Events: EventsClass }]> = [
  ['Bottleneck', Bottleneck as unknown as LimiterClass & { Group: GroupClass; Events: EventsClass }],
  ['the stand-in', RequestLimiter],
];

/**
 * Lets the timers due now and what they chain run: Bottleneck takes a few timer turns to start a job, and the fake
 * clock puts a zero-delay timer made while it ticks 1 ms ahead, so this moves the clock by {@link SETTLE_MS}.
 */
const SETTLE_MS = 10;
async function settle(): Promise<void> {
  for (let turn = 0; turn < SETTLE_MS; turn++) await vi.advanceTimersByTimeAsync(1);
}

/** A task that records its start and ends when the test says. */
function gate(started: string[], name: string) {
  let end!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    end = resolve;
    fail = reject;
  });
  return {
    task: () => {
      started.push(name);
      return done;
    },
    end: () => end(name),
    fail: (error: Error) => fail(error),
  };
}

describe('the bundles take request-limiter.ts for bottleneck/light.js', () => {
  it('is the alias', () => {
    expect(BUNDLE_ALIASES['bottleneck/light.js']).toBe('./shared/github/request-limiter.ts');
  });

  it('has every member the two plugins use, read from their own source (a new one fails here first)', () => {
    const source = ['@octokit/plugin-throttling', '@octokit/plugin-retry'].map((plugin) => readFileSync(fileURLToPath(import.meta.resolve(plugin)), 'utf8')).join('\n');
    const used = [...source.matchAll(/\b(?:retryLimiter|limiter|emitter|events|Bottleneck)\.(\w+)|\.key\([^)]*\)\.(\w+)/g)].map((use) => use[1] ?? use[2]);
    expect([...new Set(used)].sort()).toEqual(['Events', 'Group', 'on', 'schedule', 'trigger']);
    const events = {};
    const members = {
      Events: RequestLimiter.Events,
      Group: RequestLimiter.Group,
      on: new RequestLimiter().on,
      schedule: new RequestLimiter().schedule,
      trigger: new RequestLimiter.Events(events).trigger,
    };
    for (const [name, member] of Object.entries(members)) expect(typeof member, name).toBe('function');
    expect(typeof (events as { on?: unknown }).on).toBe('function');
    expect(typeof new RequestLimiter.Group().key().schedule).toBe('function');
  });
});

describe.each(implementations)('%s, as the Octokit plugins use it', (_name, Limiter) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at most maxConcurrent jobs at once and starts the next as one ends', async () => {
    const started: string[] = [];
    const limiter = new Limiter({ maxConcurrent: 2 });
    const [a, b, c] = ['a', 'b', 'c'].map((name) => gate(started, name));
    const results = [a, b, c].map((job) => limiter.schedule(job!.task));
    await settle();
    expect(started).toEqual(['a', 'b']);
    b!.end();
    await settle();
    expect(started).toEqual(['a', 'b', 'c']);
    a!.end();
    c!.end();
    await settle();
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c']);
  });

  it('starts a job of weight 0 and priority 0 (a retried request) while the limiter is full', async () => {
    const started: string[] = [];
    const limiter = new Limiter({ maxConcurrent: 1 });
    const first = gate(started, 'first');
    const waiting = gate(started, 'waiting');
    const retried = gate(started, 'retried');
    const results = [limiter.schedule(first.task), limiter.schedule(waiting.task), limiter.schedule({ priority: 0, weight: 0 }, retried.task)];
    await settle();
    expect(started).toEqual(['first', 'retried']);
    for (const job of [first, waiting, retried]) job.end();
    await settle();
    expect(await Promise.all(results)).toEqual(['first', 'waiting', 'retried']);
  });

  it('starts waiting jobs by priority, then in the order they came', async () => {
    const started: string[] = [];
    const limiter = new Limiter({ maxConcurrent: 1 });
    const jobs = ['running', 'later', 'sooner', 'soonest', 'also-soonest'].map((name) => gate(started, name));
    const options = [{}, { priority: 7 }, {}, { priority: 0 }, { priority: 0 }];
    const results = jobs.map((job, at) => limiter.schedule(options[at], job.task));
    for (const job of jobs) {
      await settle();
      job.end();
      await settle();
    }
    // Each ends as soon as it has started, whichever that is.
    for (const job of jobs) job.end();
    await Promise.all(results);
    expect(started).toEqual(['running', 'soonest', 'also-soonest', 'sooner', 'later']);
  });

  it('spaces starts by minTime', async () => {
    const started: string[] = [];
    const limiter = new Limiter({ maxConcurrent: 1, minTime: 1000 });
    const first = gate(started, 'first');
    const second = gate(started, 'second');
    const results = [limiter.schedule(first.task), limiter.schedule(second.task)];
    await settle();
    first.end();
    await settle();
    expect(started).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(1000);
    await settle();
    expect(started).toEqual(['first', 'second']);
    second.end();
    await settle();
    await Promise.all(results);
  });

  it('runs a failed job again after the delay a failed listener answers, with its arguments and count', async () => {
    const limiter = new Limiter();
    const seen: Array<{ retryCount: number; args: unknown[] }> = [];
    limiter.on('failed', (_error, info) => {
      const { retryCount, args } = info as { retryCount: number; args: unknown[] };
      seen.push({ retryCount, args });
      // 0 is a retry at once: only null and undefined decline.
      return retryCount === 0 ? 0 : 500;
    });
    let calls = 0;
    const task = async (x: unknown, y: unknown) => {
      calls += 1;
      if (calls < 3) throw new Error(`attempt ${calls}`);
      return [x, y];
    };
    const result = limiter.schedule(task, 'x', 'y');
    await settle();
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(500 - 2 * SETTLE_MS);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(2 * SETTLE_MS);
    await settle();
    expect(await result).toEqual(['x', 'y']);
    expect(seen).toEqual([
      { retryCount: 0, args: ['x', 'y'] },
      { retryCount: 1, args: ['x', 'y'] },
    ]);
  });

  it("rejects with the task's own error when no failed listener asks again, or one throws", async () => {
    const limiter = new Limiter();
    const listenerErrors: unknown[] = [];
    limiter.on('error', (error) => {
      listenerErrors.push((error as Error).message);
    });
    limiter.on('failed', (error) => {
      if ((error as Error).message === 'throw in the listener') throw new Error('the listener broke');
      return undefined;
    });
    const declined = limiter.schedule(async () => {
      throw new Error('declined');
    });
    const broken = limiter.schedule(async () => {
      throw new Error('throw in the listener');
    });
    const outcomes = Promise.allSettled([declined, broken]);
    await settle();
    expect((await outcomes).map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'resolved'))).toEqual([
      'declined',
      'throw in the listener',
    ]);
    expect(listenerErrors).toEqual(['the listener broke']);
  });

  it("gives an object an `on` whose listeners `trigger` calls, answering the first answer that is not null or undefined", async () => {
    const events: { on?: (name: string, listener: (...args: unknown[]) => unknown) => void } = {};
    const emitter = new Limiter.Events(events);
    const heard: unknown[] = [];
    events.on?.('limit', (...args) => {
      heard.push(args);
      return undefined;
    });
    events.on?.('limit', async () => true);
    events.on?.('error', (error) => heard.push((error as Error).message));
    events.on?.('broken', () => {
      throw new Error('broken listener');
    });
    const answer = emitter.trigger('limit', 60, 'options');
    await settle();
    expect(await answer).toBe(true);
    const unheard = emitter.trigger('nobody');
    const broken = emitter.trigger('broken');
    await settle();
    expect(await unheard).toBeUndefined();
    expect(await broken).toBeUndefined();
    expect(heard).toEqual([[60, 'options'], 'broken listener']);
  });

  it("gives each key of a group a limiter of the group's options, the same one each time", async () => {
    const started: string[] = [];
    const group = new Limiter.Group({ maxConcurrent: 1 });
    expect(group.key('a')).toBe(group.key('a'));
    const [a1, a2, b1] = ['a1', 'a2', 'b1'].map((name) => gate(started, name));
    const results = [group.key('a').schedule(a1!.task), group.key('a').schedule(a2!.task), group.key('b').schedule(b1!.task)];
    await settle();
    expect(started).toEqual(['a1', 'b1']);
    for (const job of [a1, a2, b1]) job!.end();
    await settle();
    await Promise.all(results);
    expect(started).toEqual(['a1', 'b1', 'a2']);
  });
});

describe.each(implementations)('%s, at the edges the plugins reach', (_name, Limiter) => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('takes a task that throws before returning a promise as a failed one, retried like any other', async () => {
    const limiter = new Limiter();
    const counts: unknown[] = [];
    limiter.on('failed', (_error, info) => {
      const { retryCount } = info as { retryCount: number };
      counts.push(retryCount);
      return retryCount < 2 ? 0 : undefined;
    });
    let calls = 0;
    const result = limiter.schedule(() => {
      calls += 1;
      throw new Error(`attempt ${calls}`);
    });
    const outcome = result.catch((error: Error) => error.message);
    await settle();
    expect(await outcome).toBe('attempt 3');
    expect(counts).toEqual([0, 1, 2]);
  });

  it("rejects with the task's error when the failed listener's promise rejects (the throttling plugin's is async)", async () => {
    const limiter = new Limiter();
    const listenerErrors: unknown[] = [];
    limiter.on('error', (error) => {
      listenerErrors.push((error as Error).message);
    });
    limiter.on('failed', async () => {
      await Promise.resolve();
      throw new Error('the listener rejected');
    });
    const outcome = limiter.schedule(async () => {
      throw new Error('the task failed');
    }).catch((error: Error) => error.message);
    await settle();
    expect(await outcome).toBe('the task failed');
    expect(listenerErrors).toEqual(['the listener rejected']);
  });

  it('takes an answer that is neither null nor undefined as whole milliseconds: false and 0.9 retry at once', async () => {
    const limiter = new Limiter();
    const answers: unknown[] = [false, 0.9, true];
    limiter.on('failed', (_error, info) => answers[(info as { retryCount: number }).retryCount]);
    let calls = 0;
    const outcome = limiter.schedule(async () => {
      calls += 1;
      throw new Error(`attempt ${calls}`);
    }).catch((error: Error) => error.message);
    await settle();
    expect(await outcome).toBe('attempt 4');
  });

  it("keeps a retried job's place in maxConcurrent while it waits to run again", async () => {
    const started: string[] = [];
    const limiter = new Limiter({ maxConcurrent: 1 });
    limiter.on('failed', (_error, info) => ((info as { retryCount: number }).retryCount === 0 ? 1000 : undefined));
    let calls = 0;
    const first = limiter.schedule(async () => {
      started.push(`first ${calls}`);
      calls += 1;
      if (calls === 1) throw new Error('once');
      return 'first';
    });
    const second = limiter.schedule(async () => {
      started.push('second');
      return 'second';
    });
    await settle();
    await vi.advanceTimersByTimeAsync(900);
    expect(started).toEqual(['first 0']);
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(started).toEqual(['first 0', 'first 1', 'second']);
  });

  it('spaces the job after a failed one by minTime, and runs a retry when its listener says, not by minTime', async () => {
    const started: Array<[string, number]> = [];
    const limiter = new Limiter({ maxConcurrent: 1, minTime: 1000 });
    const origin = Date.now();
    limiter.on('failed', (error, info) => ((error as Error).message === 'retry me' && (info as { retryCount: number }).retryCount === 0 ? 0 : undefined));
    const at = (name: string) => started.push([name, Math.floor((Date.now() - origin) / 100)]);
    let calls = 0;
    const results = [
      limiter.schedule(async () => {
        at('retried');
        calls += 1;
        if (calls === 1) throw new Error('retry me');
      }),
      limiter.schedule(async () => {
        at('failing');
        throw new Error('no retry');
      }).catch(() => undefined),
      limiter.schedule(async () => {
        at('last');
      }),
    ];
    await settle();
    await vi.advanceTimersByTimeAsync(2500);
    await settle();
    await Promise.all(results);
    // In tenths of a second since the first was scheduled: the retry at once, the others 1 s apart.
    expect(started).toEqual([
      ['retried', 0],
      ['retried', 0],
      ['failing', 10],
      ['last', 20],
    ]);
  });

  it('runs many waiting jobs each once, in the order they came within a priority', async () => {
    const limiter = new Limiter({ maxConcurrent: 2 });
    const order: number[] = [];
    const results = Array.from({ length: 300 }, (_, job) =>
      limiter.schedule(async () => {
        order.push(job);
      }),
    );
    // Bottleneck takes a few timer turns for each job it receives, starts and frees.
    for (let turn = 0; turn < 50 && order.length < 300; turn++) await vi.runAllTimersAsync();
    await Promise.all(results);
    expect(order).toEqual(Array.from({ length: 300 }, (_, job) => job));
  });
});

describe('the stand-in alone', () => {
  it('refuses a job heavier than maxConcurrent, which could never start', async () => {
    await expect(new RequestLimiter({ maxConcurrent: 1 }).schedule({ weight: 2 }, async () => 'ran')).rejects.toThrow(JobTooHeavyError);
  });
});
