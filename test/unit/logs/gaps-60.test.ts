/**
 * Session 60: the extractor's gaps that session 59's attackers and lead left open, each on a tool's real output shape.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SCANNER_TRIGGERS } from '../../../shared/logs/dispatch.js';
import { LineFilter } from '../../../shared/logs/line-filter.js';
import { cleanLine, CleaningHazards, NAMED } from '../../../shared/logs/reader.js';
import { failuresBothWays, restoreFastPaths } from '../../support/fast-paths.js';

describe('a zero-padded move to column one (`ESC[01G`, `ESC[00G`) is a carriage return, as `ESC[1G` is', () => {
  afterEach(restoreFastPaths);
  // CHA's parameter is a decimal number (ECMA-48 5.4.2): `01` is 1 and `00` is 0, the default; both send the cursor to
  // the first column, so what follows draws over what came before.
  const moves = ['\x1b[01G', '\x1b[00G', '\x1b[001G'];

  it.each(moves)('cleans %j as `ESC[1G` is cleaned, and finds it a cleaning hazard', (move) => {
    const raw = `Downloading 40%${move}src/app.py:3:1: E302 expected 2 blank lines, found 1`;
    expect(cleanLine(raw)).toBe(cleanLine(raw.replace(move, '\x1b[1G')));
    expect(cleanLine(raw)).toBe('src/app.py:3:1: E302 expected 2 blank lines, found 1');
    expect(new CleaningHazards().in(Buffer.from(raw), 0, raw.length)).toBe(true);
  });

  it.each(moves)('names the segment after %j in WebAssembly and in JavaScript alike (a line-start shape)', (move) => {
    // rustfmt's `Diff in file at line N:` holds no keyword: only its line-start shape names it.
    const filter = new LineFilter(SCANNER_TRIGGERS);
    const bytes = Buffer.from(`Downloading 40%${move}Diff in /home/runner/work/app/app/src/lib.rs at line 3:\n`);
    const named = (entries: ArrayLike<number>): boolean => ((entries[0] as number) & NAMED) !== 0;
    expect(named(filter.flag(bytes, 0, bytes.length))).toBe(true);
    expect(named(filter.flagInJs(bytes, 0, bytes.length))).toBe(true);
  });

  it('finds the failure drawn over a progress line with the fast paths as reading every line does', async () => {
    const log = `${'ok\n'.repeat(300)}Downloading 40%\x1b[01Gsrc/app.py:3:1: E302 expected 2 blank lines, found 1\n`;
    const { everyLine, fast } = await failuresBothWays(Buffer.from(log));
    expect(fast).toEqual(everyLine);
    expect((everyLine as Array<{ startLine: number }>).map((f) => f.startLine)).toContain(301);
  });

  it('still reads a move to another column (`ESC[10G`, `ESC[010G`, `ESC[2G`) as no carriage return', () => {
    for (const move of ['\x1b[10G', '\x1b[010G', '\x1b[2G', '\x1b[02G']) expect(cleanLine(`src/app.py${move}FAILED`), JSON.stringify(move)).toBe('src/app.pyFAILED');
  });
});
