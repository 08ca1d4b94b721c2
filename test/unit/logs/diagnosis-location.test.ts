import { describe, expect, it } from 'vitest';
import { analyzeLog, diagnose } from '../../../shared/logs/index.js';
import { fileLocation } from '../../../shared/logs/diagnosis.js';

describe('the location a diagnosis names', () => {
  it("reads Maven's `File.java:[27,122]` as line 27 of that file, and says the message without it", async () => {
    // Prepare: maven-compiler-plugin writes the line and column in brackets.
    const log = [
      '[INFO] --- maven-compiler-plugin:3.11.0:compile (default-compile) @ billing ---',
      '[ERROR] COMPILATION ERROR : ',
      '[ERROR] /home/runner/work/billing/billing/src/main/java/com/acme/billing/Invoice.java:[27,122] cannot find symbol',
      '  symbol:   class TaxTable',
      '  location: class com.acme.billing.Invoice',
      '[INFO] BUILD FAILURE',
    ].join('\n');

    // Act
    const diagnosis = diagnose(await analyzeLog(log));

    // Assert
    expect(diagnosis.rootCause).toMatch(/^The code does not compile in `src\/main\/java\/com\/acme\/billing\/Invoice\.java:27`: `cannot find symbol`/);
  });

  it.each([
    ['src/a.ts:12:5 - error TS2322', { file: 'src/a.ts', line: 12, index: 0 }],
    ['Foo.cs(39,16): error CS0246', { file: 'Foo.cs', line: 39, index: 0 }],
    ['at /home/runner/work/app/app/lib/x.rb:7:in `run`', { file: 'home/runner/work/app/app/lib/x.rb', line: 7, index: 4 }],
    ['[ERROR] /w/App.java:[12,9] cannot find symbol', { file: 'w/App.java', line: 12, index: 9 }],
    ['see //cdn//lib/util.js:3', { file: 'lib/util.js', line: 3, index: 11 }],
    ['v1.2.3 then pkg/mod.go:44: undefined', { file: 'pkg/mod.go', line: 44, index: 12 }],
    ['no location in README.markdown:1 (7 letters)', null],
    ['a.ts: no line, b/c.py:[x] no number', null],
  ])('finds in %j the location as the log writes it', (text, expected) => {
    expect(fileLocation(text)).toEqual(expected);
  });

  // The expression this replaces backtracked over every start of a long run of name characters: quadratic. Work is
  // counted in characters looked at (no clock), and must stay within a constant times the line's length.
  it.each([
    ['a.', 500],
    ['a/', 500],
    ['a.b/', 500],
    ['x', 500],
    ['a.', 100 * 1024],
    ['a/', 100 * 1024],
    ['a.b/', 100 * 1024],
    ['Ab.java', 100 * 1024],
    ['x:', 100 * 1024],
  ])('looks at a %j line of %i characters a bounded number of times per character', (unit, length) => {
    const line = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
    const work = { steps: 0 };
    expect(fileLocation(line, work)).toBeNull();
    expect(work.steps).toBeGreaterThan(0);
    expect(work.steps).toBeLessThanOrEqual(3 * length);
  });

  it('finds a location after 100 KB of a line built to make a backtracking match slow', () => {
    const line = `${'a.'.repeat(50 * 1024)} src/late.ts:9`;
    const work = { steps: 0 };
    expect(fileLocation(line, work)).toEqual({ file: 'src/late.ts', line: 9, index: 100 * 1024 + 1 });
    expect(work.steps).toBeLessThanOrEqual(3 * line.length);
  });
});
