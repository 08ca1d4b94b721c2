import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../shared/duration.js';

describe('formatDuration', () => {
  it.each([
    [null, 'an unknown time'],
    [Number.NaN, 'an unknown time'],
    [0, '0 s'],
    [12.4, '12 s'],
    [89, '89 s'],
    [90, '2 min'],
    [5399, '90 min'],
    [5400, '1.5 h'],
    [172_799, '48.0 h'],
    [172_800, '2.0 d'],
    // The local walk-through's sample payloads are days old: a recovery took "66104.6 h" before days were read.
    [66_104.6 * 3600, '2754.4 d'],
  ])('%s seconds read "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});
