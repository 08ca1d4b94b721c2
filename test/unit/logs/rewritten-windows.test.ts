import { describe, expect, it } from 'vitest';
import { RewrittenWindows } from '../../../shared/logs/redaction/rewritten-windows.js';

/** The rewritten text and, per UTF-16 unit of it, the stretch of the text it reads and whether it was rewritten. */
const map = (windows: RewrittenWindows) => ({ text: windows.text, starts: [...windows.starts], ends: [...windows.ends], changed: [...windows.changed] });

describe('RewrittenWindows: one entry of the map for each unit of the rewritten text', () => {
  it('keeps nothing for a stretch that ends before it starts, as the arrays pushed a unit at a time did', () => {
    // Prepare: `keep` with its end before its start writes '' (String#slice), so it must map no unit. Reserving
    // `end - start` units took the map's length back by two, out of step with the text: a unit of the text then read
    // another stretch's position, and a secret found there would be replaced in the wrong place.
    const windows = new RewrittenWindows();
    windows.open();
    windows.keep('abcdef', 0, 3);

    // Act
    windows.keep('abcdef', 5, 3);
    windows.keep('abcdef', 3, 4);

    // Assert
    expect(map(windows)).toEqual({ text: 'abcd', starts: [0, 1, 2, 3], ends: [1, 2, 3, 4], changed: [0, 0, 0, 0] });
  });

  it('maps every unit across the growth of its buffers, a rewritten one as such, a dropped stretch as none', () => {
    // Prepare: past the first buffers' 64 units, a window break between the two windows.
    const text = 'x'.repeat(100);
    const windows = new RewrittenWindows();
    windows.open();
    windows.keep(text, 0, 60);
    windows.rewrite('', 60, 61);
    windows.rewrite('ab', 61, 62);
    windows.open();
    windows.keep(text, 62, 100);

    // Act
    const { starts, ends, changed } = map(windows);

    // Assert
    expect(windows.text).toHaveLength(60 + 2 + 1 + 38);
    expect(starts).toEqual([...Array.from({ length: 60 }, (_, at) => at), 61, 61, -1, ...Array.from({ length: 38 }, (_, at) => 62 + at)]);
    expect(ends).toEqual([...Array.from({ length: 60 }, (_, at) => at + 1), 62, 62, -1, ...Array.from({ length: 38 }, (_, at) => 63 + at)]);
    expect(changed).toEqual([...Array<number>(60).fill(0), 1, 1, 0, ...Array<number>(38).fill(0)]);
  });
});
