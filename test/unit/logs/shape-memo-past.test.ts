import { afterEach, describe, expect, it } from 'vitest';
import { continuationTest, isNoiseLine, positionOf, scanLine, setIndexUse, setShapeMemoUse, startLine } from '../../../shared/logs/dispatch.js';
import { RULES, type Rule } from '../../../shared/logs/rules.js';

const rule = (id: string): Rule => RULES.find((r) => r.id === id) as Rule;

/** Starts the scan of `line` as the scanner does: its shape class first, then the literal index. */
function scanned(line: string): void {
  startLine(line);
  scanLine(line);
}

describe('the digit-shape memo, on a line read past its prefix', () => {
  afterEach(() => {
    setIndexUse(null);
    setShapeMemoUse(true);
  });

  it('answers for the rule and the start it was asked with, not for another block or another prefix', () => {
    // Prepare: lines of one digit shape, read from one character on; two 'line' rules that answer differently there.
    setIndexUse(true);
    setShapeMemoUse('always');
    const lint = rule('lint.file-line');
    const other = rule('cc.error');
    const lines = ['npm ERR! src/a.c:12:5: note: declared here', 'npm ERR! src/a.c:13:7: note: declared here', 'npm ERR! src/a.c:14:9: note: declared here'];
    const at = 'npm ERR! '.length;
    const asked = (ask: (line: string) => boolean): boolean[] =>
      lines.map((line) => {
        scanned(line);
        return ask(line);
      });
    // Act: each question of every line in turn, so the memo answers the second and third line of each.
    const asLint = asked((line) => continuationTest(positionOf(lint), 0, lint.re, line.slice(at), at));
    const asOther = asked((line) => continuationTest(positionOf(other), 0, other.re, line.slice(at), at));
    const fromOtherStart = asked((line) => continuationTest(positionOf(lint), 0, lint.re, line.slice(at - 4), at - 4));
    const noise = asked((line) => isNoiseLine(line.slice(at), positionOf(lint), at));
    // Assert
    expect([asLint, asOther, fromOtherStart, noise]).toEqual([[true, true, true], [false, false, false], [false, false, false], [false, false, false]]);
    expect(setShapeMemoUse(true)).toBeGreaterThan(0);
  });
});
