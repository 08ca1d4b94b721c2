import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { countInstructions, instructionsOf } from '../../../scripts/instructions.js';

describe('instruction counts for the bench', () => {
  it("reads the count from cachegrind's summary, and nothing from anything else", () => {
    const summary = ['==4321== Cachegrind, a cache and branch-prediction profiler', '==4321== ', '==4321== I   refs:      9,356,424,504', ''].join('\n');
    expect(instructionsOf(summary)).toBe(9_356_424_504);
    expect(instructionsOf('==4321== I1  misses:    1,234\n')).toBeNull();
    expect(instructionsOf('I refs: 12')).toBeNull();
    expect(instructionsOf('')).toBeNull();
  });

  const valgrind = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  it.skipIf(valgrind.error !== undefined || valgrind.status !== 0)('counts more instructions for more work (valgrind installed)', () => {
    const idle = countInstructions(['/bin/true'], process.cwd());
    const busy = countInstructions(['/bin/sh', '-c', 'i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done'], process.cwd());
    expect(idle).toBeGreaterThan(0);
    expect(busy).toBeGreaterThan((idle ?? 0) * 5);
    expect(countInstructions(['/bin/false'], process.cwd())).toBeNull();
  }, 60_000);
});
