import { describe, expect, it } from 'vitest';
import { analyzeLog, cleanLine, predictionLines } from '../../shared/logs/index.js';
import { ghaStep } from '../support/gha-step.js';

// Attack on branch open59 (session 59): variants of the formats its fixes read, and other tools' output those
// readings could take for what it is not. Laid out in the tools' documented formats.

/** A step whose `output` holds its own ending: no exit line appended; its lines. */
const stepWithoutExit = (script: readonly string[], output: readonly string[]): string[] =>
  ghaStep(script, output, { exitCode: null });

describe('attack 59: JVM diagnostics on a path with spaces, other spellings', () => {
  it.each([
    // Kotlin 2 on a Windows runner: the file URL's path starts with the drive (`file:///C:/…`).
    ['Kotlin 2 on Windows', "e: file:///C:/Users/runneradmin/My Projects/shop/src/main/kotlin/shop/Cart.kt:3:5 Unresolved reference 'zero'.", 'javac.error'],
    ['Kotlin 1.9 on Windows', 'e: C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\kotlin\\shop\\Cart.kt: (3, 5): Unresolved reference: zero', 'javac.error'],
    ["Checkstyle's plain format on Windows", "[ERROR] C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\java\\shop\\Cart.java:14:17: Member name 'Total' must match pattern '^[a-z][a-zA-Z0-9]*$'. [MemberName]", 'checkstyle.violation'],
    ['javac on Windows', '[ERROR] C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\java\\shop\\Cart.java:[14,17] cannot find symbol', 'javac.error'],
  ])('reads %s as on a path without', async (_, text, rule) => {
    // Prepare: the diagnostic is line 6, in a CRLF log with the runner's timestamps.
    const log = stepWithoutExit(['./gradlew build'], ['> Task :app:compileKotlin FAILED', text, '', 'FAILURE: Build failed with an exception.', '##[error]Process completed with exit code 1.'])
      .map((line) => `2026-11-28T17:00:00.1234567Z ${line}\r`);
    // Act
    const analysis = await analyzeLog(log.join('\n'));
    // Assert
    expect(analysis.failures[0]?.rule).toBe(rule);
    expect(predictionLines(analysis)[0]).toBe(6);
  });
});

describe("attack 59: Playwright list reporter's `✘` lines in other spellings", () => {
  /** The run as Playwright's list reporter prints it with FORCE_COLOR on a Windows runner (`tests\…`), a retry. */
  const red = (s: string): string => `\x1b[31m${s}\x1b[39m`;
  const output = [
    '',
    'Running 3 tests using 1 worker',
    '',
    `  \x1b[32m✓\x1b[39m  1 [chromium] › tests\\home.spec.ts:3:1 › home loads \x1b[2m(1.1s)\x1b[22m`,
    `  ${red('✘')}  2 [chromium] › tests\\cart.spec.ts:4:5 › adds an item \x1b[2m(1.2s)\x1b[22m`,
    `  ${red('✘')}  3 [chromium] › tests\\cart.spec.ts:4:5 › adds an item (retry #1) \x1b[2m(1.3s)\x1b[22m`,
    '',
    '',
    `  1) [chromium] › tests\\cart.spec.ts:4:5 › adds an item ─────────────────────────────────────────`,
    '',
    '    Error: expect(received).toBe(expected) // Object.is equality',
    '',
    '    Expected: 2',
    '    Received: 1',
    '',
    '  1 failed',
    '  1 passed (3.2s)',
  ];
  it.each([
    ['LF', ''],
    ['CRLF', '\r'],
  ])('lists them with the report (%s, timestamps)', async (_, eol) => {
    // Prepare: the `✘` lines are 9 and 10, the report's headline 13 and its error 15.
    const log = stepWithoutExit(['npx playwright test'], [...output, '##[error]Process completed with exit code 1.']).map((l) => `2026-11-28T17:00:00.1234567Z ${l}${eol}`);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(15);
    expect(lines).toEqual(expect.arrayContaining([9, 10, 13]));
    expect(lines).not.toContain(8);
  });
});

describe('attack 59: javac under -Werror past its look-back, on a path with spaces', () => {
  it.each([
    ['Linux', '/home/runner/work/my app/my app/src/main/java/com/acme/legacy'],
    ['Windows', 'C:\\Users\\runneradmin\\My Projects\\shop\\src\\main\\java\\com\\acme\\legacy'],
  ])("lists the warnings nearest the error from a warning's first line (%s)", async (_, dir) => {
    // Prepare: 100 raw-type warnings of three lines each (the warning, the code, the caret) at lines 5-304.
    const sep = dir.includes('\\') ? '\\' : '/';
    const warnings = Array.from({ length: 100 }, (_, i) => [
      `${dir}${sep}Ledger${i}.java:8: warning: [rawtypes] found raw type: List`,
      '    private final List entries = new ArrayList();',
      '                  ^',
    ]).flat();
    const log = stepWithoutExit(['javac -Xlint:all -Werror -d build @sources.txt'], [...warnings, 'error: warnings found and -Werror specified', '1 error', '100 warnings']);
    // Act
    const lines = predictionLines(await analyzeLog(log.join('\n')));
    // Assert
    expect(lines[0]).toBe(305);
    expect(log[Math.min(...lines) - 1]).toMatch(/: warning: /);
  });
});

describe('attack 59: cursor moves to other columns than the first', () => {
  it("keeps a progress bar's `ESC[2G` and `ESC[10G` lines whole (only `ESC[G`, `ESC[0G`, `ESC[1G` start a line again)", () => {
    // Prepare: each line puts the error's text after a move to another column; a `\r`-like reading would take
    // the part after the sequence alone, and the error that starts the line would be lost.
    const lines = ['error: build failed\x1b[2G[=====>    ] 50%', 'error: build failed\x1b[10G(2/4)'];
    // Act
    const cleaned = lines.map((line) => cleanLine(line));
    // Assert
    expect(cleaned.every((text) => text.startsWith('error: build failed'))).toBe(true);
    expect(cleanLine('error: build failed\x1b[Gdone')).toBe('done');
  });
});
