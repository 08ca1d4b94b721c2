import { describe, expect, it } from 'vitest';
import { CONSTRUCTOR_BY_STRING } from '../../../shared/analysis/code-values.js';
import { DOWNLOAD_FILE, PHP_CALLS } from '../../../shared/analysis/dangerous-code.js';
import { MARKED_TEST_NAME, VITEST_TEST_NAME } from '../../../shared/analysis/offline.js';
import { LOADED_PATH } from '../../../shared/analysis/patch.js';
import { NOT_PIP } from '../../../shared/analysis/pip-requirements.js';
import { PRINTING_SUBSTITUTION } from '../../../shared/analysis/shell-reading.js';
import { cpuGrowthExponent, LINE_COST_SIZES, LINEAR_EXPONENT_BOUND, superlinearOn } from '../../support/growth.js';

/** The exponent of `re.test`'s CPU time over `head`, `unit` repeated, then `end` (a line break after blanks showed these). */
const growthEndingIn = (re: RegExp, head: string, unit: string, end: string): number =>
  cpuGrowthExponent(LINE_COST_SIZES, (size) => head + unit.repeat(size) + end, (text) => re.test(text));

// The patch check's expressions that read a hostile text superlinearly before session 69b (test/support/known-superlinear.ts
// listed them, each over 60 ms at 1K characters already; a patch or a repository file is attacker-written and up to
// 20 KB), each on the text that showed it: its CPU time's growth over 1K→8K characters, which a quadratic or cubic
// reading fails (exponent ≥ 1.8) and a linear one passes, whatever the machine's load.
describe('the patch check reads the texts that were its slowest in linear time', () => {
  it('NOT_PIP (pip-requirements.ts): `run:` then blanks, each run of blanks read by one quantifier (was cubic: 1K took 1.8 s)', () => {
    expect(superlinearOn(NOT_PIP, ['run:', '- run: |', '- run: | @ sudo A=1 '], [' ', '\t'])).toEqual([]);
  });

  it('LOADED_PATH (patch.ts): `from`, `from(`, `#include` then blanks or line ends (was cubic: `from` and 4K spaces took 38 s)', () => {
    expect(superlinearOn(LOADED_PATH, ['from', 'from(', 'require (', '#include', 'import'], [' ', '\n'])).toEqual([]);
  });

  it('PHP_CALLS (dangerous-code.ts): blanks after a name, `$this`, `->` (its declaration look-behind ran at every blank: 1K spaces took 453 ms)', () => {
    expect(superlinearOn(PHP_CALLS, ['', 'a', '$this', 'a->', 'function &'], [' ', '\n'])).toEqual([]);
  });

  it('PRINTING_SUBSTITUTION (shell-reading.ts): `$(echo `, a backtick `echo`, `$(printf ` then blanks (session 70: every split of them was tried, 1K took 415 ms)', () => {
    expect(superlinearOn(PRINTING_SUBSTITUTION, ['$(echo ', '`echo ', '$(printf ', '$(echo a '], [' ', '\t'])).toEqual([]);
  });

  it('CONSTRUCTOR_BY_STRING (code-values.ts): `Reflect.get(`, `getOwnPropertyDescriptor(` then blanks (session 70: every split of them was tried, 1K took 112 ms)', () => {
    expect(superlinearOn(CONSTRUCTOR_BY_STRING, ['Reflect.get(', 'getOwnPropertyDescriptor(', 'Reflect.get( a'], [' ', '\n'])).toEqual([]);
  });

  it('DOWNLOAD_FILE (dangerous-code.ts): `.DownloadFile(`, `urlretrieve(`, `download(` then blanks (session 70: every split of them was tried, 1K took 476 ms)', () => {
    expect(superlinearOn(DOWNLOAD_FILE, ['.DOWNLOADFILE(', 'urlretrieve(', 'download(', 'download( a'], [' ', '\n'])).toEqual([]);
  });

  it.each([
    ['VITEST_TEST_NAME', VITEST_TEST_NAME, ['.ts > ', 'x.mjs >  t 1']],
    ['MARKED_TEST_NAME', MARKED_TEST_NAME, ['× ', '● a', '✕ t (1']],
  ] as const)('%s (offline.ts): its marker, then blanks and a line break (session 70: the time was tried after every blank, and the blanks again for each: 1K took 10-17 s)', (_name, re, heads) => {
    for (const head of heads) {
      for (const unit of [' ', '\t']) {
        for (const end of ['\n', '\u0001']) expect(growthEndingIn(re, head, unit, end), JSON.stringify(head + unit + end)).toBeLessThan(LINEAR_EXPONENT_BOUND);
      }
    }
  });
});
