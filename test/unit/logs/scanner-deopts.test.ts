import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deoptimisedWhileRunning } from '../../support/trace-deopt.js';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

/**
 * Compiler errors whose names differ in letters (as the bench's `errors-words-30`): no two share a digit shape, so the
 * digit-shape memo answers its first reuse late, rests after its first window and starts again, all after V8 has
 * optimised the scanner.
 */
const LOG_SCRIPT = `
const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dur', 'zin', 'qua', 'bre', 'sto', 'fan', 'gil', 'hor', 'jut'];
let seed = 12345;
const next = (n) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed >>> 16) % n;
};
const word = () => Array.from({ length: 2 + next(3) }, () => syllables[next(syllables.length)]).join('');
const lines = [];
for (let i = 0; i < 40000; i++) {
  const dir = word();
  lines.push(\`src/\${dir}/\${word()}Service.ts(\${i % 500},\${i % 80}): error TS2345: Argument of type '\${word()}Options' is not assignable to parameter of type '\${dir}Config'.\`);
}
const { analyzeLog } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'shared', 'logs', 'index.ts')).href)});
const analysis = await analyzeLog([Buffer.from(lines.join('\\n') + '\\n')]);
process.stdout.write('failures ' + analysis.failures.length + '\\n');
`;

const deoptimisedFunctions = () => deoptimisedWhileRunning(LOG_SCRIPT, 'failures ');

/**
 * V8 throws an optimised function's code away the first time it runs an operation it never saw run, and compiles it
 * again: on errors-words-30 the memo's first reuses and the closing of blocks cost recompiling the scanner's largest
 * functions (`closeOpen`, `lookForHeadline`, `continues`) one to three times each (docs/performance.md, session 66).
 */
describe('the scanner on distinct compiler errors, as V8 optimises it', () => {
  it('is not thrown away at the memo’s first reuse, at a learnt name’s check, or at the closing of a block', () => {
    const deopts = deoptimisedFunctions();
    const memo = ['rememberedTest', 'linePrefixLength', 'knownWalk', 'knownNpmOutput', 'readPastLearntName', 'continuationTest'];
    // A reused answer counted with `++` (an operation run only on a reuse) and a learnt name's length compared only on
    // a line of a known class were the reasons.
    expect(deopts.filter((d) => memo.includes(d.name))).toEqual([]);
    // Block closing: the head's facts of an unknown shape (a throw-away object of another map) and the switch of the
    // shape comparison to WebAssembly after the optimised code had been made.
    expect(deopts.filter((d) => d.name === 'closeOpen' || d.name === 'headFacts' || d.name === 'matches')).toEqual([]);
  }, 180_000);
});
