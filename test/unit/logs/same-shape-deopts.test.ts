import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deoptimisedWhileRunning } from '../../support/trace-deopt.js';
import { sameShape } from '../../../shared/logs/fingerprint.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/** sameShape as it was written with a branch per condition: the reference the branch-free form is compared with. */
function sameShapeByBranches(a: string, b: string): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (!isDigit(ca) || !isDigit(cb)) return false;
    if ((ca === 48 || cb === 48) && i + 1 < n) {
      const next = a.charCodeAt(i + 1);
      if (next === 120 || next === 88) return false;
    }
  }
  return true;
}

/**
 * Pairs of one length that differ in letters only (sameShape answers at their first pair, a letter), enough for V8
 * to optimise it, then pairs that differ in digits, with and without a `0x`, at the end too.
 */
const SCRIPT = `
const { sameShape } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'shared', 'logs', 'fingerprint.ts')).href)});
let same = 0;
for (let i = 0; i < 200000; i++) if (sameShape('job ' + String.fromCharCode(97 + (i % 26)) + ' failed', 'job ' + String.fromCharCode(98 + (i % 24)) + ' failed')) same++;
for (let i = 0; i < 2000; i++) {
  if (sameShape('exit ' + (i % 10) + ' at 0x' + (i % 7), 'exit ' + ((i + 3) % 10) + ' at 0x' + ((i + 1) % 7))) same++;
  if (sameShape('at 0' + (i % 10), 'at ' + ((i % 9) + 1) + '0')) same++;
}
process.stdout.write('same ' + same + '\\n');
`;

describe('sameShape', () => {
  it('answers as the comparison with a branch per condition, on digits, 0x, letters and wide characters', () => {
    const alphabet = ['0', '1', '7', '9', 'x', 'X', 'a', ' ', '✓', '\u{d83d}', '\u{ffff}'];
    let seed = 7;
    const pick = (): string => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return alphabet[(seed >>> 8) % alphabet.length] as string;
    };
    let agreedTrue = 0;
    for (let k = 0; k < 20000; k++) {
      const length = 1 + (k % 6);
      const a = Array.from({ length }, pick).join('');
      // Half the pairs differ only where both have digits: the comparisons that keep the shape.
      const b = k % 2 === 0 ? Array.from({ length }, pick).join('') : a.replace(/\d/g, () => String((seed = (seed + 3) % 10)));
      expect(sameShape(a, b), `${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(sameShapeByBranches(a, b));
      if (sameShapeByBranches(a, b) && a !== b) agreedTrue++;
    }
    expect(agreedTrue).toBeGreaterThan(1000);
    expect(sameShape('0x1', '1x1')).toBe(false);
    expect(sameShape('a0', 'a1')).toBe(true);
  });

  it('is not thrown away by V8 at the first pair of differing digits after it was optimised', () => {
    const thrownAway = deoptimisedWhileRunning(SCRIPT, 'same ')
      .map((d) => `${d.name}: ${d.reason}`)
      .filter((d) => d.startsWith('sameShape'));
    expect(thrownAway).toEqual([]);
  }, 180_000);
});
