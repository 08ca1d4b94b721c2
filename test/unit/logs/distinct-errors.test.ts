/**
 * A log of thousands of distinct compiler errors (a TypeScript, Java or C++ build's): every line is a failure of its
 * own. Once the scanner prunes, a new failure behind MAX_BLOCKS kept ones of its rank class is dropped unless it
 * repeats a kept one, and only that lookup needs its head's template: a word of the head that no kept template holds
 * answers it without building the template.
 */
import { describe, expect, it, vi } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';

const templates = vi.hoisted(() => ({ built: 0 }));

vi.mock('../../../shared/logs/fingerprint.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../shared/logs/fingerprint.js')>();
  return {
    ...original,
    normalizeLine: (text: string): string => {
      templates.built++;
      return original.normalizeLine(text);
    },
  };
});

/** `count` tsc errors whose directory, file and type names are made of syllables (a fixed seed): no two alike. */
function distinctErrors(count: number): string[] {
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dur', 'zin', 'qua', 'bre', 'sto', 'fan', 'gil', 'hor', 'jut'];
  let seed = 4242;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return (seed >>> 16) % n;
  };
  const word = (): string => Array.from({ length: 3 + next(3) }, () => syllables[next(syllables.length)]).join('');
  return Array.from({ length: count }, (_, i) => {
    const dir = word();
    return `src/${dir}/${word()}Service.ts(${i % 500},${i % 80}): error TS2345: Argument of type '${word()}Options' is not assignable to parameter of type '${dir}Config'.`;
  });
}

describe('a log of distinct compiler errors', () => {
  it('builds the template of the errors it keeps, not of each error it drops, and still counts a kept error repeated after the pruning', async () => {
    // Prepare: 3,000 distinct errors, then the first one twice more (other line and column) and a dropped one again
    const errors = distinctErrors(3000);
    const first = errors[0] as string;
    const log = [...errors, first.replace('(0,0)', '(17,4)'), first.replace('(0,0)', '(9,30)'), errors[2500] as string].join('\n');
    templates.built = 0;
    // Act
    const analysis = await analyzeLog(log);
    // Assert
    expect(new Set(errors).size).toBe(3000);
    const top = analysis.failures[0];
    expect(top?.rule).toBe('tsc.error');
    expect(top?.startLine).toBe(1);
    expect(top?.occurrences).toBe(3);
    expect(top?.repeats?.map((r) => r.startLine)).toEqual([3001, 3002]);
    // 401 kept before the first prune, and the report's; the other ~2,600 are dropped without one.
    expect(templates.built).toBeGreaterThan(400);
    expect(templates.built).toBeLessThan(600);
  });
});
