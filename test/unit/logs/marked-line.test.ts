import { afterEach, describe, expect, it } from 'vitest';
import { mayBeWrapper, mayHoldPathHint, ruleMatchesText, scanLine, setIndexUse, setShapeMemoUse, startLine } from '../../../shared/logs/dispatch.js';
import { PATH_HINT_RE, templateHoldsWordOutside } from '../../../shared/logs/fingerprint.js';
import { analyzeLog, type Failure } from '../../../shared/logs/index.js';
import { RULE_TABLE, WRAPPER_RE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

/**
 * The literal index's marks are of the line it read last: the closing rules' test on each opened block
 * (`ruleMatchesText`) and the questions a block's head is asked as it closes (`mayBeWrapper`, `mayHoldPathHint`) take
 * its "no" for that line alone. Their answers must be the expressions' own, for that line and any other text.
 */
describe('questions answered from the marks of the line the index read', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
  });

  it('answer as the expressions, for the scanned line and for the line before it, on every sample line and random mixes', () => {
    // Prepare: the index and the memo on from the first line, so lines of one digit shape get their class's marks.
    setIndexUse(true);
    setShapeMemoUse('always');
    const random = seededRandom(64);
    const lines = sampleLines();
    const pieces = lines.filter((line) => line.length > 0 && line.length < 80);
    const mixes = Array.from({ length: 4000 }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]).join(' '));
    const wrong: string[] = [];
    const matched = { rules: 0, wrapper: 0, path: 0 };
    let other = '';
    // Act
    for (const line of [...lines, ...mixes]) {
      startLine(line);
      scanLine(line);
      for (const text of [line, other]) {
        for (let at = 0; at < RULE_TABLE.length; at++) {
          const expected = RULE_TABLE[at]!.re.test(text);
          if (expected) matched.rules++;
          if (ruleMatchesText(at, text) !== expected) wrong.push(`${RULE_TABLE[at]!.id} on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
        }
        // "May" answers: wrong only where the expression matches.
        if (WRAPPER_RE.test(text) && ++matched.wrapper > 0 && !mayBeWrapper(text)) wrong.push(`WRAPPER_RE on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
        if (PATH_HINT_RE.test(text) && ++matched.path > 0 && !mayHoldPathHint(text)) wrong.push(`PATH_HINT_RE on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
      }
      other = line;
    }
    // Assert
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(matched.rules).toBeGreaterThan(10_000);
    expect(matched.wrapper).toBeGreaterThan(100);
    expect(matched.path).toBeGreaterThan(100);
  });

  it('rule out the wrapper and the path prefixes on the lines that hold none of their literals', () => {
    setIndexUse(true);
    const line = 'src/tasvo/zinzinbrestoService.ts(3,4): error TS2345: Argument of type \'kaloOptions\' is not assignable.';
    startLine(line);
    scanLine(line);
    expect([mayBeWrapper(line), mayHoldPathHint(line), mayBeWrapper(`${line} `), mayHoldPathHint(`${line} `)]).toEqual([false, false, true, true]);
  });

  it('judge a head whose codes hide a path prefix by the text without them', () => {
    // A caller that read no path prefix in the head with its codes: stripped, `/tm` and `p/` make `/tmp/`.
    const head = 'cat /tm\x1b[0mp/zzqqxxyyww failed';
    expect(templateHoldsWordOutside(head, new Set(), true)).toBe(false);
    expect(templateHoldsWordOutside('cat zzqqxxyyww failed', new Set(), true)).toBe(true);
  });

  /** `text`'s failures, read with the literal index from the first line (`indexed`) or without it. */
  async function failuresOf(text: string, indexed: boolean): Promise<Failure[]> {
    setIndexUse(indexed);
    return (await analyzeLog(text)).failures;
  }

  it('rank a head that only says a command failed below the cause, with the index and without', async () => {
    const log = 'Run npm run build\nsrc/b.ts(1,1): error TS5083: Command failed with exit code 3\nsrc/a.ts(3,4): error TS2345: Argument of type string is not assignable to parameter of type number.\n';
    for (const indexed of [true, false]) {
      const failures = await failuresOf(log, indexed);
      expect(failures.map((f) => f.startLine), `indexed: ${indexed}`).toEqual([3]);
    }
  });

  it('count a repeat under a temporary directory of another name once the scanner has pruned, with the index and without', async () => {
    // A kept error under /tmp/aaa, more distinct errors than the scanner keeps, then the same error under a directory
    // whose name is a word of no kept template: the path mask takes it, so the head is judged by its template.
    const random = seededRandom(640);
    const syllables = ['ka', 'lo', 'mi', 'ren', 'tas', 'vo', 'pel', 'dur', 'zin', 'qua'];
    const word = (): string => Array.from({ length: 5 }, () => syllables[Math.floor(random() * syllables.length)]).join('');
    const lines = ['/tmp/aaa/build.ts(1,2): error TS2322: Type Alpha is not assignable to type Beta.'];
    for (let i = 0; i < 450; i++) lines.push(`src/${word()}/${word()}Service.ts(${i},3): error TS2345: Argument of type '${word()}Options' is not assignable to parameter of type '${word()}Config'.`);
    lines.push('/tmp/zzqqxxyyww/build.ts(9,2): error TS2322: Type Alpha is not assignable to type Beta.');
    for (const indexed of [true, false]) {
      const repeated = (await failuresOf(`${lines.join('\n')}\n`, indexed)).find((f) => f.startLine === 1);
      expect(repeated?.occurrences, `indexed: ${indexed}`).toBe(2);
    }
  });
});
