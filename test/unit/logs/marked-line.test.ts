import { afterEach, describe, expect, it } from 'vitest';
import { isGenericContinuation, mayBeWrapper, mayHoldPathHint, ruleMatchesText, scanLine, setIndexUse, setShapeMemoUse, startLine } from '../../../shared/logs/dispatch.js';
import { PATH_HINT_RE, templateHoldsWordOutside } from '../../../shared/logs/fingerprint.js';
import { analyzeLog, type Failure } from '../../../shared/logs/index.js';
import { GENERIC_CONT, RULE_TABLE, WRAPPER_RE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

/**
 * The literal index's marks are of the line it read last: the closing rules' test on each opened block
 * (`ruleMatchesText`) and the questions a block's head is asked as it closes (`mayBeWrapper`, `mayHoldPathHint`) take
 * its "no" for that line alone. Their answers must be the expressions' own, for that line and any other text. The
 * generic continuation (`isGenericContinuation`) reads the line into the index itself, before the rule walk would.
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
    const matched = { rules: 0, wrapper: 0, path: 0, generic: 0 };
    // The expressions' own answers on `other`, kept from when it was the scanned line: an expression's answer depends
    // on the text alone (none is global or sticky), and testing every rule twice a line was most of this test's time.
    expect(RULE_TABLE.filter((rule) => rule.re.global || rule.re.sticky)).toEqual([]);
    const answersOn = (text: string): boolean[] => RULE_TABLE.map((rule) => rule.re.test(text));
    let other = '';
    let otherAnswers = answersOn(other);
    // Act
    for (const line of [...lines, ...mixes]) {
      startLine(line);
      // As the scanner asks it of an open block's next line, then the walk's read of the same line (a no-op after it).
      const space = line.indexOf(' ') + 1;
      for (const start of space > 0 ? [0, space] : [0]) {
        const expected = GENERIC_CONT.test(line.slice(start));
        if (expected) matched.generic++;
        if (isGenericContinuation(line, line.slice(start), 0, start) !== expected) wrong.push(`GENERIC_CONT on ${JSON.stringify(line.slice(start))}`);
      }
      scanLine(line);
      const lineAnswers = answersOn(line);
      for (const [text, answers] of [[line, lineAnswers], [other, otherAnswers]] as const) {
        for (let at = 0; at < RULE_TABLE.length; at++) {
          const expected = answers[at]!;
          if (expected) matched.rules++;
          if (ruleMatchesText(at, text) !== expected) wrong.push(`${RULE_TABLE[at]!.id} on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
        }
        // "May" answers: wrong only where the expression matches.
        if (WRAPPER_RE.test(text) && ++matched.wrapper > 0 && !mayBeWrapper(text)) wrong.push(`WRAPPER_RE on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
        if (PATH_HINT_RE.test(text) && ++matched.path > 0 && !mayHoldPathHint(text)) wrong.push(`PATH_HINT_RE on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
      }
      other = line;
      otherAnswers = lineAnswers;
    }
    // Assert
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(matched.rules).toBeGreaterThan(10_000);
    expect(matched.wrapper).toBeGreaterThan(100);
    expect(matched.path).toBeGreaterThan(100);
    expect(matched.generic).toBeGreaterThan(100);
  });

  it('read the next line afresh after the generic continuation read one, a line of its own shape', () => {
    // A green run's baseline reads its lines without the memo's start: the marks must be of the line read last.
    setIndexUse(true);
    setShapeMemoUse(false);
    const first = '  at Object.<anonymous> (src/a.test.ts:3:9)';
    const second = 'src/a.ts(3,4): error TS2345: Argument of type string is not assignable to parameter of type number.';
    startLine(first);
    expect(isGenericContinuation(first, first)).toBe(true);
    scanLine(second);
    const tsc = RULE_TABLE.findIndex((rule) => rule.id === 'tsc.error');
    expect([ruleMatchesText(tsc, second), mayBeWrapper(second), mayHoldPathHint(second)]).toEqual([true, false, false]);
  });

  it('take the generic continuation lines at a block\'s indent, with the index and without', async () => {
    const log = [
      'src/a.ts(3,4): error TS2345: Argument of type string is not assignable to parameter of type number.',
      'Caused by: the build step src/b.ts',
      'goroutine 1 [running]:',
      'src/c.ts(5,6): error TS2322: Type Alpha is not assignable to type Beta.',
      'src/d.ts(7,8): error TS2322: Type Gamma is not assignable to type Delta.',
      '',
    ].join('\n');
    const extents = [];
    for (const indexed of [true, false]) extents.push((await failuresOf(log, indexed)).map((f) => [f.startLine, f.endLine]));
    expect(extents[0]).toEqual([[1, 3], [4, 4], [5, 5]]);
    expect(extents[1]).toEqual(extents[0]);
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
