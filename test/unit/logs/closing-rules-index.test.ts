import { afterEach, describe, expect, it } from 'vitest';
import { ruleMatchesText, scanLine, setIndexUse, setShapeMemoUse, startLine } from '../../../shared/logs/dispatch.js';
import { RULE_TABLE } from '../../../shared/logs/rules.js';
import { seededRandom } from '../../support/random.js';
import { sampleLines } from '../../support/sample-lines.js';

/**
 * `ruleMatchesText` (the closing rules' test on every opened block) takes the literal index's "no" for the line it
 * read: its answers must be the expressions' own, for that line and for any other text asked after it.
 */
describe('ruleMatchesText', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
  });

  it('answers as the rule expression, for the scanned line and for the line before it, on every sample line and random mixes', () => {
    // Prepare: the index and the memo on from the first line, so lines of one digit shape get their class's marks.
    setIndexUse(true);
    setShapeMemoUse('always');
    const random = seededRandom(64);
    const lines = sampleLines();
    const pieces = lines.filter((line) => line.length > 0 && line.length < 80);
    const mixes = Array.from({ length: 4000 }, () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => pieces[Math.floor(random() * pieces.length)]).join(' '));
    const wrong: string[] = [];
    let matched = 0;
    let other = '';
    // Act
    for (const line of [...lines, ...mixes]) {
      startLine(line);
      scanLine(line);
      for (let at = 0; at < RULE_TABLE.length; at++) {
        const re = RULE_TABLE[at]!.re;
        for (const text of [line, other]) {
          const expected = re.test(text);
          if (expected) matched++;
          if (ruleMatchesText(at, text) !== expected) wrong.push(`${RULE_TABLE[at]!.id} on ${JSON.stringify(text)} after ${JSON.stringify(line)}`);
        }
      }
      other = line;
    }
    // Assert
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(matched).toBeGreaterThan(10_000);
  });
});
