import { vi } from 'vitest';

/**
 * Records the bound of every `AbortSignal.timeout` made until `restore()`: what a deadline or a budget gave each
 * timed wait (an adapter's attempt among them). A test that asserts these rather than how long the work took does
 * not time the machine, whose load only lengthens the latter.
 */
export function recordTimeoutBounds(): { boundsMs: number[]; restore: () => void } {
  const boundsMs: number[] = [];
  const made = AbortSignal.timeout.bind(AbortSignal);
  const spy = vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms: number) => {
    boundsMs.push(ms);
    return made(ms);
  });
  return { boundsMs, restore: () => spy.mockRestore() };
}
