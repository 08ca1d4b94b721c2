import { afterEach, describe, expect, it } from 'vitest';
import { analyzeLog } from '../../../shared/logs/index.js';
import { predictionLines } from '../../../shared/logs/predict.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

/**
 * pyflakes' own format: `path:line:col: message`, no code (flake8 adds one). The messages that start with what they
 * quote (pyflakes/messages.py) start with a quote, which `lint.file-line` did not read: `'os' imported but unused`
 * hid the lint env's finding in tox-two-envs.log.
 */

/** Real output of Debian's pyflakes3 2.5.0 (Python 3.11.2) over three files written to raise every such message. */
const PYFLAKES_OUTPUT = [
  "pkg/three.py:2:5: 'from os import *' only allowed at module level",
  'pkg/three.py:3:11: f-string is missing placeholders',
  "pkg/two.py:4:5: 'continue' not properly in loop",
  "pkg/mod.py:1:1: 'os' imported but unused",
  "pkg/mod.py:2:1: 'from json import *' used; unable to detect undefined names",
  "pkg/mod.py:3:1: 'from collections import *' used; unable to detect undefined names",
  "pkg/mod.py:7:12: 'undefined_thing' may be undefined, or defined from star imports: collections, json",
  "pkg/mod.py:11:5: local variable 'x' is assigned to but never used",
  "pkg/mod.py:12:5: 'if tuple literal' is always true, perhaps remove accidental comma?",
  "pkg/mod.py:14:5: '...'.format(...) is missing argument(s) for placeholder(s): 1",
  "pkg/mod.py:15:5: '...' % ... has unused named argument(s): b",
  "pkg/mod.py:15:5: '...' % ... is missing argument(s) for placeholder(s): a",
  "pkg/mod.py:16:5: 'raise NotImplemented' should be 'raise NotImplementedError'",
  "pkg/mod.py:17:12: 'loads' may be undefined, or defined from star imports: collections, json",
  "pkg/mod.py:23:1: 'return' outside function",
];

/** A job step's output: the command, `output`, then the runner's exit line. */
const step = (output: readonly string[]): Buffer =>
  Buffer.from(['##[group]Run python -m pyflakes pkg', 'python -m pyflakes pkg', '##[endgroup]', ...output, '##[error]Process completed with exit code 1.', ''].join('\n'));

const FIRST_OUTPUT_LINE = 4;

describe("pyflakes' own format", () => {
  afterEach(restoreFastPaths);

  it('reads every message of a real run as one lint report, the quoted ones too', async () => {
    const analysis = await analyzeLog(step(PYFLAKES_OUTPUT));
    expect(analysis.category).toBe('lint');
    expect(analysis.failures[0]?.rule).toBe('lint.file-line');
    const lines = PYFLAKES_OUTPUT.map((_, k) => FIRST_OUTPUT_LINE + k);
    expect(lines.filter((line) => !predictionLines(analysis).includes(line))).toEqual([]);
  });

  it.each(PYFLAKES_OUTPUT.filter((line) => /:\d+: '/.test(line)))('reads %j alone as lint.file-line', async (line) => {
    const analysis = await analyzeLog(step([line]));
    expect(analysis.failures[0]?.rule).toBe('lint.file-line');
    expect(analysis.failures[0]?.lines[0]?.line).toBe(FIRST_OUTPUT_LINE);
  });

  it('finds the same with the fast paths forced on as reading every line with every rule', async () => {
    const { everyLine, fast } = await failuresBothWays(step(PYFLAKES_OUTPUT));
    expect(fast).toEqual(everyLine);
  });

  it.each([
    // A quotation in a path-and-line prefix is no pyflakes message unless it says what pyflakes says.
    "docs/guide.md:3:1: 'os' is the module this page is about",
    "notes.txt:12: 'return' is a keyword",
  ])('does not read %j as a lint finding', async (line) => {
    const analysis = await analyzeLog(step([line]));
    expect(analysis.failures.map((failure) => failure.rule)).not.toContain('lint.file-line');
  });
});
