/**
 * The local runtime's reconciler timer (infra/local/reconciler-timer.ts, session 45): a run that hangs (a store call
 * that never answers) is bounded by the reconcile function's AWS timeout, as Lambda bounds it, so later runs still
 * happen (escalation digests, re-drives, runbook checks), and the hung run calls nothing once it is past its limit.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ReconcilerRunStoppedError, callsRefusedOnceAborted, startReconcilerTimer } from '../../../infra/local/reconciler-timer.js';

const INTERVAL_MS = 20;
const TIMEOUT_MS = 60;

describe('the local reconciler timer', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    // Fake time stops here: a stop that waits for a run's limit gets there.
    const stopping = stop?.();
    if (vi.isFakeTimers()) await vi.runOnlyPendingTimersAsync();
    await stopping;
    stop = null;
    vi.useRealTimers();
  });

  it('runs again after a run that hangs past the reconcile function’s timeout', async () => {
    // Prepare: the first run's store call never answers; the later ones answer at once. On fake time: the ticks and
    // the limit come in their order, however busy the machine.
    vi.useFakeTimers();
    let runs = 0;
    const log: string[] = [];
    const timer = startReconcilerTimer({
      run: () => (++runs === 1 ? new Promise<never>(() => {}) : Promise.resolve()),
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
      log: (line) => void log.push(line),
    });
    stop = timer.stop;

    // Assess: later runs happen once the hung one is past its limit, and that is said.
    // Held by the hung run up to its limit, then running again.
    await vi.advanceTimersByTimeAsync(INTERVAL_MS + TIMEOUT_MS - 1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(3 * INTERVAL_MS);
    expect(runs).toBeGreaterThanOrEqual(3);
    expect(log.join('\n')).toMatch(/timeout/);
  });

  it('stops without waiting for a hung run past its limit', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const timer = startReconcilerTimer({ run: () => (++runs, new Promise<never>(() => {})), intervalMs: INTERVAL_MS, timeoutMs: TIMEOUT_MS, log: () => {} });
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(runs).toBe(1);
    let stopped = false;
    void timer.stop().then(() => { stopped = true; });
    await vi.advanceTimersByTimeAsync(TIMEOUT_MS);
    expect(stopped).toBe(true);
  });

  it('aborts the hung run’s signal at its limit, and its ports then refuse its calls', async () => {
    // Prepare: each run's store reached through its fenced ports, as the runtime wires them; the first run's read hangs.
    vi.useFakeTimers();
    const reads: string[] = [];
    const store = { async get(key: string) { reads.push(key); return key === 'first' ? new Promise<never>(() => {}) : null; } };
    let signal: AbortSignal | null = null;
    let ports: { store: typeof store } | null = null;
    const timer = startReconcilerTimer({
      run: (stopped) => {
        if (signal) return callsRefusedOnceAborted({ store }, stopped).store.get('later');
        signal = stopped;
        ports = callsRefusedOnceAborted({ store }, stopped);
        return ports.store.get('first');
      },
      intervalMs: INTERVAL_MS,
      timeoutMs: TIMEOUT_MS,
      log: () => {},
    });
    stop = timer.stop;

    // Assess (the signal read through a function: assigned in the run, which the compiler does not follow)
    const aborted = () => (signal as AbortSignal | null)?.aborted;
    await vi.advanceTimersByTimeAsync(INTERVAL_MS + TIMEOUT_MS - 1);
    expect(aborted()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(aborted()).toBe(true);
    expect(() => ports!.store.get('after its limit')).toThrow(ReconcilerRunStoppedError);
    expect(reads).not.toContain('after its limit');
    await vi.advanceTimersByTimeAsync(INTERVAL_MS);
    expect(reads).toContain('later');
  });

  describe('a run asked for now (the local runtime API\'s reconcile())', () => {
    it('is bounded by the same limit: past it, it fails with ReconcilerRunStoppedError and its ports refuse its calls', async () => {
      // Prepare: the run's store read never answers; the timer's own runs never come (a long interval).
      const reads: string[] = [];
      const store = { async get(key: string) { reads.push(key); return new Promise<never>(() => {}); } };
      let ports: { store: typeof store } | null = null;
      const timer = startReconcilerTimer({
        run: (stopped, at) => {
          ports = callsRefusedOnceAborted({ store }, stopped);
          return ports.store.get(`as of ${at?.toISOString()}`);
        },
        intervalMs: 60_000,
        timeoutMs: TIMEOUT_MS,
        log: () => {},
      });
      stop = timer.stop;

      // Act
      const outcome = await timer.runNow(new Date(0)).catch((error: unknown) => error);

      // Assess
      expect(outcome).toBeInstanceOf(ReconcilerRunStoppedError);
      expect(reads).toEqual(['as of 1970-01-01T00:00:00.000Z']);
      expect(() => ports!.store.get('after its limit')).toThrow(ReconcilerRunStoppedError);
    });

    it('answers what the run answers, or its failure, within the limit', async () => {
      const timer = startReconcilerTimer({
        run: async (_stopped, at) => {
          if (at) throw new Error('store unavailable');
          return { redriven: 2 };
        },
        intervalMs: 60_000,
        timeoutMs: TIMEOUT_MS,
        log: () => {},
      });
      stop = timer.stop;

      expect(await timer.runNow()).toEqual({ redriven: 2 });
      await expect(timer.runNow(new Date(0))).rejects.toThrow('store unavailable');
    });
  });
});
