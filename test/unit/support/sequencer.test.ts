import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REAL_TIME_FILES, spreadOut } from '../../support/sequencer.js';

describe('spreadOut', () => {
  const others = Array.from({ length: 40 }, (_, i) => `c${i}`);
  const waits = (item: string) => item.startsWith('w');

  it('puts the first waiting item first and the others at even intervals over three quarters of the run', () => {
    const ordered = spreadOut(['w1', 'w2', 'w3', ...others], waits);
    expect(ordered).toHaveLength(43);
    expect(ordered.filter(waits)).toEqual(['w1', 'w2', 'w3']);
    expect(ordered.filter((item) => !waits(item))).toEqual(others);
    // 40 others, three quarters of them over 3 waiting items: one every 10.
    expect(['w1', 'w2', 'w3'].map((w) => ordered.indexOf(w))).toEqual([0, 11, 22]);
  });

  it('keeps every item when there are more waiting items than room to spread them', () => {
    const ordered = spreadOut(['w1', 'c0', 'w2', 'w3', 'c1'], waits);
    expect(ordered).toEqual(['w1', 'c0', 'w2', 'c1', 'w3']);
    expect(spreadOut(['w1', 'w2'], waits)).toEqual(['w1', 'w2']);
    expect(spreadOut(['c0', 'c1'], waits)).toEqual(['c0', 'c1']);
  });

  it('names files that exist', () => {
    for (const file of REAL_TIME_FILES) expect(existsSync(file), file).toBe(true);
  });
});
