import { describe, expect, it } from 'vitest';
import { PREFILTER_FIRST_KEYWORDS_RE, PREFILTER_KEYWORDS } from '../../../shared/logs/dispatch.js';
import { PREFILTER_RE } from '../../../shared/logs/rules.js';
import { sampleLines } from '../../support/sample-lines.js';

describe('the keyword pre-filter, its first keywords asked first', () => {
  it('asks only alternatives of PREFILTER_RE itself, in its case-folding and without a remembered position', () => {
    // A keyword asked first that is not one of the expression's own unanchored alternatives would pass lines it fails.
    expect(PREFILTER_RE.source.startsWith(`${PREFILTER_FIRST_KEYWORDS_RE.source}|`)).toBe(true);
    expect(PREFILTER_FIRST_KEYWORDS_RE.flags).toBe(PREFILTER_RE.flags);
    expect(PREFILTER_RE.flags).not.toMatch(/[gy]/);
  });

  it('answers as PREFILTER_RE on every sample line and on lines that hold a keyword only in part', () => {
    const lines = [
      ...sampleLines(),
      'ERROR: build failed',
      'Exception in thread "main"',
      'er r fai l excep tion',
      'the FaIlUrE was expected',
      'panic: runtime error',
      'all good here',
      'warning: unused variable',
      'stderr is empty',
      '',
    ];
    const differing = lines.filter((line) => PREFILTER_KEYWORDS.test(line) !== PREFILTER_RE.test(line));
    expect(differing).toEqual([]);
    // Both answers occur, and some lines pass on keywords past the first three.
    expect(lines.filter((line) => PREFILTER_KEYWORDS.test(line)).length).toBeGreaterThan(100);
    expect(lines.some((line) => !PREFILTER_FIRST_KEYWORDS_RE.test(line) && PREFILTER_RE.test(line))).toBe(true);
    expect(lines.some((line) => !PREFILTER_RE.test(line))).toBe(true);
  });
});
